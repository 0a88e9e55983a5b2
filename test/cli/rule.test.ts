/** `cisco-prov rule expand|check`, spawned as a user runs it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/run-cli.js';

// Seed excerpt: "User-Agent: Cisco-CP-8841-3PCC/11.0 (00562b043615)".
const UA_8841 = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';

test('rule expand --json: the documented shape, the key masked', async () => {
  const run = await runCli([
    'rule',
    'expand',
    '[--key $SA --uid admin --pwd $SB]https://prov.example.com:8443/cfg/$MA.cfg',
    '--ua',
    UA_8841,
    '--gpp',
    'SA=SecretPhrase1234',
    '--gpp',
    'SB=hunter22',
    '--json',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout);
  assert.equal(json.url, 'https://prov.example.com:8443/cfg/00562b043615.cfg');
  assert.equal(json.scheme, 'https');
  assert.equal(json.host, 'prov.example.com');
  assert.equal(json.port, 8443);
  assert.equal(json.path, '/cfg/00562b043615.cfg');
  assert.equal(json.alternative, 1);
  assert.deepEqual(
    {
      key: json.options.key,
      uid: json.options.uid,
      pwd: json.options.pwd,
      post: json.options.post,
      alias: json.options.alias,
    },
    { key: '********', uid: 'admin', pwd: '********', post: null, alias: null },
  );
  assert.doesNotMatch(run.stdout + run.stderr, /SecretPhrase1234|hunter22/);
  assert.match(run.stderr, /visible to other users in 'ps'/);
});

test('rule expand --show-secrets shows the expanded key', async () => {
  const run = await runCli([
    'rule',
    'expand',
    '[--key $SA]https://prov.example.com/cfg/$MA.cfg',
    '--mac',
    '0056.2b04.3615',
    '--gpp',
    'SA=SecretPhrase1234',
    '--json',
    '--show-secrets',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).options.key, 'SecretPhrase1234');
});

test('rule expand: the default Profile_Rule /$PSN.xml for an 8841, as a table', async () => {
  const run = await runCli(['rule', 'expand', '/$PSN.xml', '--ua', UA_8841]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^url +\/8841\.xml$/m);
  assert.match(run.stdout, /^scheme +tftp$/m);
  assert.match(run.stdout, /^host +\(the DHCP option 66 server\)$/m);
  assert.match(run.stdout, /^port +69$/m);
});

test('rule expand: an Upgrade_Rule condition chooses the alternative', async () => {
  const rule =
    '($SWVER ge sip78xx.11-0-0MPP-7)? http://fw.example.com/sip78xx.11-2-1MES-3.loads | http://fw.example.com/sip78xx.11-0-0MPP-7.loads';
  const run = await runCli([
    'rule',
    'expand',
    rule,
    '--kind',
    'upgrade',
    '--firmware',
    'sip78xx.10-4-1MPP-12',
    '--json',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout);
  assert.equal(json.alternative, 2);
  assert.equal(json.path, '/sip78xx.11-0-0MPP-7.loads');
  assert.equal(json.conditions[0].comparisons[0].result, false);
});

test('rule expand: a macro without a value stays as written, with a warning', async () => {
  const run = await runCli(['rule', 'expand', 'http://h.example.com/$MA.xml']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^url +http:\/\/h\.example\.com\/\$MA\.xml$/m);
  assert.match(run.stderr, /\$MA has no value and stays as written \(give --mac or --ua\)/);
});

test('rule expand: a --key/--pwd that is only an unexpanded $SA/$(SB) is shown, not ********', async () => {
  const rule = '[--key $SA --uid admin --pwd $(SB)]https://prov.example.com/cfg/$MA.cfg';
  const run = await runCli(['rule', 'expand', rule, '--ua', UA_8841]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^key +\$SA$/m, 'masking it would hide that the key has no value');
  assert.match(run.stdout, /^pwd +\$\(SB\)$/m);
  assert.match(run.stderr, /\$SA has no value and stays as written \(give --gpp SA=…\)/);
  // Anything more than the bare macro may carry a literal secret: masked.
  const mixed = await runCli([
    'rule',
    'expand',
    '[--key Pre$SA]https://p.example.com/a.cfg',
    '--json',
  ]);
  assert.equal(JSON.parse(mixed.stdout).options.key, '********');
  assert.doesNotMatch(mixed.stdout, /Pre/);
});

test('rule expand: a secret query value (?pwd=…) is masked unless --show-secrets', async () => {
  const rule = 'https://p.example.com/$MA.xml?mac=$MA&pwd=Qu3ry-Secret';
  const masked = await runCli(['rule', 'expand', rule, '--mac', '00562b043615', '--json']);
  const json = JSON.parse(masked.stdout);
  assert.equal(json.url, 'https://p.example.com/00562b043615.xml?mac=00562b043615&pwd=********');
  assert.equal(json.path, '/00562b043615.xml?mac=00562b043615&pwd=********');
  assert.doesNotMatch(masked.stdout + masked.stderr, /Qu3ry-Secret/);
  const shown = await runCli(['rule', 'expand', rule, '--mac', '00562b043615', '--show-secrets']);
  assert.match(
    shown.stdout,
    /^url +https:\/\/p\.example\.com\/00562b043615\.xml\?mac=00562b043615&pwd=Qu3ry-Secret$/m,
  );
});

test('rule expand: a condition needing an unknown fact is exit 2 with a hint', async () => {
  const run = await runCli(['rule', 'expand', '($PRVTMR ge 600)? /a.xml | /b.xml']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /needs \$PRVTMR/);
  assert.match(run.stderr, /--var PRVTMR=/);
  const given = await runCli([
    'rule',
    'expand',
    '($PRVTMR ge 600)? /a.xml | /b.xml',
    '--var',
    'PRVTMR=601',
  ]);
  assert.equal(given.code, 0, given.stderr);
  assert.match(given.stdout, /^path +\/a\.xml$/m);
});

test('rule expand: grammar errors are exit 1 with their column; bad facts exit 2', async () => {
  const bad = await runCli(['rule', 'expand', 'ftp://x/$MA.cfg']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /1:1 +error +unsupported scheme 'ftp'/);
  const mac = await runCli(['rule', 'expand', '/$MA.cfg', '--mac', 'nope']);
  assert.equal(mac.code, 2);
  assert.match(mac.stderr, /--mac expected 12 hex digits/);
  const gpp = await runCli(['rule', 'expand', '/$MA.cfg', '--gpp', 'Q=1']);
  assert.equal(gpp.code, 2);
  const noEq = await runCli(['rule', 'expand', '/$MA.cfg', '--gpp', 'SAsecret']);
  assert.equal(noEq.code, 2);
  assert.doesNotMatch(noEq.stderr, /SAsecret/);
});

test('rule check: clean is exit 0 and silent; errors with line:column, exit 1', async () => {
  const ok = await runCli(['rule', 'check', '($PN eq "CP-8841-3PCC")? /a.xml | /b.xml']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, '');
  const bad = await runCli(['rule', 'check', '/cfg/$ZZZ.cfg']);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /1:6 +error +unknown macro \$ZZZ/);
  const json = await runCli(['rule', 'check', '--json', '[--delta] /a.xml']);
  assert.equal(json.code, 1);
  const [file] = JSON.parse(json.stdout);
  assert.equal(file.diagnostics[0].column, 2);
  assert.equal(file.diagnostics[0].ruleId, 'rule-syntax');
  const report = await runCli(['rule', 'check', '--kind', 'report', '[--delta] /a.xml']);
  assert.equal(report.code, 0, report.stdout);
});

test('rule check reports the same errors validate does for the same Profile_Rule', async () => {
  const rule = '[--kye $SA] http://h:99999/$ZZZ.cfg';
  const check = await runCli(['rule', 'check', '--json', rule]);
  const profile = `<flat-profile><Profile_Rule>${rule}</Profile_Rule></flat-profile>`;
  const validate = await runCli(['validate', '--format', 'json', '-'], { input: profile });
  const fromCheck = JSON.parse(check.stdout)[0].diagnostics.map(
    (d: { message: string }) => d.message,
  );
  const fromValidate = JSON.parse(validate.stdout)[0]
    .diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'rule-syntax')
    .map((d: { message: string }) => d.message.replace(/^Profile_Rule: /, ''));
  assert.ok(fromCheck.length > 0);
  assert.deepEqual(fromCheck, fromValidate);
});

test('golden: rule expand and rule check, whole runs', async () => {
  const cases: [string, string[]][] = [
    [
      'rule-expand.md',
      [
        'rule',
        'expand',
        '($SWVER ge sip88xx.12-0-1MPP-1)? (d = "$MA";)! [--key $SA --uid $D] https://prov.example.com:8443/$PSN/$D.cfg | http://prov.example.com/old/$MA.xml',
        '--ua',
        'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
        '--firmware',
        'sip88xx.12-0-2MPP-7',
        '--gpp',
        'SA=SecretPhrase1234',
      ],
    ],
    ['rule-check.md', ['rule', 'check', '[--kye $SA] http://h:99999/$ZZZ.cfg | /b.xml']],
  ];
  for (const [name, args] of cases) assertGolden(name, args, await runCli(args));
});

test('rule expand: control characters in the rule are shown escaped in the table', async () => {
  const run = await runCli(['rule', 'expand', 'http://h.example.com/a\u001b[31mX.xml']);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(!run.stdout.includes('\u001b'), 'no raw ESC');
  assert.match(run.stdout, /^url +http:\/\/h\.example\.com\/a\\u001b\[31mX\.xml$/m);
});
