// Leftovers of the previous rounds, each through the built CLI (and the core where it changed).
import { test } from 'node:test';
import type fs from 'node:fs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseRule } from '../../src/profile/rule.js';
import { BIN, ROOT, runCli, type CliRun } from '../helpers/run-cli.js';
import { startServe } from '../helpers/serve.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-gaps9-');

/** The example inventory cut to its header and first `rows` devices. */
function inventoryOf(rows: number): string {
  const lines = readFileSync(join(ROOT, 'examples/inventory.csv'), 'utf8').split('\n');
  return `${lines.slice(0, rows + 1).join('\n')}\n`;
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

test('serve: one device is "1 device" at start, at a reload and in /healthz; two are "2 devices"', async () => {
  const root = dir.fresh('serve-plural');
  const inventory = join(root, 'inv.csv');
  writeFileSync(inventory, inventoryOf(1));
  const server = await startServe(['-i', inventory, '--no-watch']);
  try {
    assert.match(server.stderr(), /listening on http:\/\/[^ ]+ \(1 device[,)]/);
    assert.equal(await get(server.port, '/healthz'), 'ok 1 device, generation 1\n');
    writeFileSync(inventory, inventoryOf(2));
    server.child.kill('SIGHUP');
    await server.waitForStderr(/SIGHUP: serving 2 devices \(generation 2/);
    assert.equal(await get(server.port, '/healthz'), 'ok 2 devices, generation 2\n');
    writeFileSync(inventory, inventoryOf(1));
    server.child.kill('SIGHUP');
    await server.waitForStderr(/SIGHUP: serving 1 device \(generation 3/);
  } finally {
    await server.stop();
  }
});

test('encrypt --keys: a CSV with no key rows is one error naming it (exit 2), nothing written', async () => {
  const root = dir.fresh('keys-header-only');
  const inputs = dir.fresh('keys-header-only/in');
  for (const mac of ['00562b043615', '00562b043616']) {
    writeFileSync(join(inputs, `${mac}.xml`), '<flat-profile><A>1</A></flat-profile>\n');
  }
  const cases: [string, string, string][] = [
    ['header.csv', 'mac,key\n', 'a header only'],
    ['header-blank.csv', 'file;key\n\n;\n', 'a header only'],
    ['empty.csv', '', 'the file is empty'],
  ];
  for (const [name, text, why] of cases) {
    const keys = join(root, name);
    writeFileSync(keys, text);
    chmodSync(keys, 0o600);
    const out = join(root, `out-${name}`);
    for (const args of [
      ['encrypt', inputs, '--out-dir', out, '--keys', keys],
      ['encrypt', inputs, '--out-dir', out, '--keys', keys, '--json'],
      ['decrypt', inputs, '--out-dir', out, '--keys', keys],
      ['encrypt', join(inputs, '00562b043615.xml'), '--keys', keys],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}\n${r.stderr}`);
      assert.equal(
        r.stderr,
        `cisco-prov: --keys ${keys}: no key rows (${why}): give a row of file or mac, and key or ikm, per phone\n`,
      );
      assert.equal(r.stdout, '');
      assert.equal(existsSync(out), false);
    }
  }
});

test('inspect --log, fleet --log: UTF-16BE after its BOM is read as UTF-16LE is; UTF-16 with no BOM says what it is', async () => {
  const root = dir.fresh('utf16-logs');
  const line =
    '10.0.0.5 - - [01/Dec/2026:10:00:00 +0000] "GET /cfg/00562b043615.xml HTTP/1.1" 200 123 "https://caf\u00e9.example/" ' +
    '"Cisco/CP-8841-3PCC-11.3.7 (00562b043615)"\n';
  const text = line.repeat(3);
  const be = Buffer.from(text, 'utf16le').swap16();
  const files = {
    utf8: Buffer.from(text),
    lebom: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    bebom: Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    le: Buffer.from(text, 'utf16le'),
    be,
  };
  for (const [name, bytes] of Object.entries(files))
    writeFileSync(join(root, `${name}.log`), bytes);
  const read = async (args: string[], input?: Buffer): Promise<string> => {
    const r = await runCli(args, input === undefined ? {} : { input });
    assert.equal(r.code, 0, `${args.join(' ')}\n${r.stderr}`);
    return r.stdout;
  };
  const expected = await read(['inspect', '--log', join(root, 'utf8.log'), '--json']);
  assert.match(expected, /"phone": 3,/);
  for (const name of ['lebom', 'bebom']) {
    const path = join(root, `${name}.log`);
    assert.equal(await read(['inspect', '--log', path, '--json']), expected, name);
    // stdin: the first chunk may end inside a character (the decoder keeps the odd byte).
    assert.equal(await read(['inspect', '--log', '-', '--json'], files[name as 'be']), expected);
    const page = await read(['fleet', '--log', path, '--now', '2026-12-01T10:05:00Z']);
    assert.match(page, /00562b043615/);
  }
  for (const [name, order, iconv] of [
    ['le', 'little-endian', 'UTF-16LE'],
    ['be', 'big-endian', 'UTF-16BE'],
  ] as const) {
    const path = join(root, `${name}.log`);
    for (const command of ['inspect', 'fleet'] as const) {
      const r = await runCli([command, '--log', path]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stderr,
        `cisco-prov: ${path}: no line is in the common or combined log format: it is UTF-16 text (${order}, no BOM)\n` +
          `  hint: ${command} --log reads UTF-8, or UTF-16 after its byte-order mark: add one, or convert it with iconv -f ${iconv} -t UTF-8\n`,
      );
    }
  }
});

/** `cisco-prov …args` run by bash, so an argument may be a process substitution (`<(cat x)`). */
async function runInBash(args: string, cwd: string): Promise<CliRun> {
  const env = { ...process.env, NO_COLOR: '1' };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'bash',
      ['-c', `'${process.execPath}' '${BIN}' ${args}`],
      { cwd, env },
    );
    return { code: 0, stdout, stderr, stdoutBytes: Buffer.from(stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, stdoutBytes: Buffer.from(e.stdout) };
  }
}

test('drift, fleet: -i <(…) with --inventory-format, and -i - (sniffed), read the inventory as -i <file> does', async () => {
  const root = dir.fresh('drift-inventory-format');
  cpSync(join(ROOT, 'test/fixtures/drift'), root, { recursive: true });
  const drift = 'drift --reports reports -t templates --json';
  const byFile = await runInBash(`${drift} -i inventory.csv`, root);
  assert.equal(byFile.code, 1, byFile.stderr); // the fixture's reports drift
  // The report with the inventory's name (in `inventory` and each `source`) as `x`.
  const report = (r: CliRun, inventory: string): unknown => {
    assert.equal((JSON.parse(r.stdout) as { inventory: string }).inventory, inventory);
    return JSON.parse(r.stdout.split(inventory).join('x'));
  };
  const expected = report(byFile, 'inventory.csv');

  const untold = await runInBash(`${drift} -i <(cat inventory.csv)`, root);
  assert.equal(untold.code, 2);
  assert.match(
    untold.stderr,
    /^cisco-prov: -i \/dev\/fd\/\d+: cannot tell the inventory's format from its name \(expected \.csv, \.json, \.yaml or \.yml\)\n {2}hint: give --inventory-format csv\|json\|yaml\n$/,
  );
  assert.equal(untold.stdout, '');
  const told = await runInBash(`${drift} -i <(cat inventory.csv) --inventory-format csv`, root);
  assert.equal(told.code, 1, told.stderr);
  assert.deepEqual(
    report(told, /^\/dev\/fd\/\d+$/.exec(JSON.parse(told.stdout).inventory)![0]),
    expected,
  );
  const piped = await runInBash(`${drift} -i - < inventory.csv`, root);
  assert.equal(piped.code, 1, piped.stderr);
  assert.deepEqual(report(piped, '<stdin>'), expected);
  const wrong = await runInBash(`${drift} -i <(cat inventory.csv) --inventory-format json`, root);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /\/dev\/fd\/\d+: line 1, col 1: not valid JSON/);

  // fleet --reports: the same options; stdin for one of --log and -i only.
  writeFileSync(
    join(root, 'access.log'),
    '10.0.0.5 - - [26/Nov/2026:09:00:00 +0000] "GET /cfg/00562b043616.xml HTTP/1.1" 200 123 "-" ' +
      '"Cisco/CP-8851-3PCC-12.0.1 (00562b043616)"\n',
  );
  const fleet = 'fleet --log access.log --reports reports -t templates --now 2026-11-26T09:05:00Z';
  const page = await runInBash(`${fleet} -i inventory.csv`, root);
  assert.equal(page.code, 0, page.stderr);
  assert.match(page.stdout, /Station_Name/);
  const fleetTold = await runInBash(
    `${fleet} -i <(cat inventory.csv) --inventory-format csv`,
    root,
  );
  assert.equal(fleetTold.code, 0, fleetTold.stderr);
  assert.equal(fleetTold.stdout, page.stdout);
  const fleetPiped = await runInBash(`${fleet} -i - < inventory.csv`, root);
  assert.equal(fleetPiped.code, 0, fleetPiped.stderr);
  assert.equal(fleetPiped.stdout, page.stdout);
  const fleetUntold = await runInBash(`${fleet} -i <(cat inventory.csv)`, root);
  assert.equal(fleetUntold.code, 2);
  assert.match(fleetUntold.stderr, /cannot tell the inventory's format from its name/);
  const both = await runInBash('fleet --log - --reports reports -i - < inventory.csv', root);
  assert.equal(both.code, 2);
  assert.equal(
    both.stderr,
    'cisco-prov: --log - and -i - both read stdin: give one of them as a file\n',
  );
});

test('rule expand masks a --uid drawn from a secret as --key and --pwd; no macro is named from a value assigned to a secret parameter', async () => {
  const gpp = ['--gpp', 'SA=gpp-sa-secret', '--gpp', 'SB=gpp-sb-secret'];
  const rules = [
    '[--uid $SA --pwd $SB]https://h/$MA.cfg',
    '[--key k3y-literal --uid bob$ZZZ --pwd pwd-literal]https://h/a.cfg',
    '(GPP_SC = "assigned-secret$ZZZtail";)! [--key $SC --uid $SC]https://h/a.cfg',
    '(Admin_Password = "admin-secret$(QQQ)";)! https://h/a.cfg',
  ];
  const secrets =
    /gpp-s[ab]-secret|k3y-literal|uid-literal|pwd-literal|assigned-secret|ZZZ|admin-secret|QQQ/;
  for (const rule of rules) {
    for (const json of [[], ['--json']]) {
      const r = await runCli(['rule', 'expand', rule, '--mac', '00562b043615', ...gpp, ...json]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, secrets, `${rule} ${json.join('')}`);
      assert.match(r.stdout, json.length > 0 ? /"uid": ("\*{8}"|null)/ : /\*{8}/);
      // --show-secrets shows them, as asked.
      const shown = await runCli(['rule', 'expand', rule, ...gpp, ...json, '--show-secrets']);
      assert.match(shown.stdout, /gpp-sa-secret|bob\$ZZZ|assigned-secret|admin-secret/);
    }
    const check = await runCli(['rule', 'check', rule]);
    const checkJson = await runCli(['rule', 'check', rule, '--json']);
    assert.doesNotMatch(check.stdout + checkJson.stdout, secrets, rule);
  }
  // A macro in a value assigned to a parameter that is no secret is still named.
  const plain = await runCli(['rule', 'check', '(GPP_B = "x$ZZZ";)! https://h/a.cfg']);
  assert.match(plain.stdout, /unknown macro \$ZZZ/);
  // The unexpanded macro of a --uid is shown as written, as for --key: it holds no secret.
  const missing = await runCli(['rule', 'expand', '[--uid $SA]https://h/a.cfg', '--json']);
  assert.match(missing.stdout, /"uid": "\$SA"/);
  // A plain user id is no secret: shown (`$$` is a literal `$`, no macro left as written).
  for (const [uid, shownAs] of <[string, string][]>[
    ['admin', 'admin'],
    ['$MA', '00562b043615'],
    ['a$$b', 'a$b'],
  ]) {
    const r = await runCli([
      'rule',
      'expand',
      `[--uid ${uid}]https://h/a.cfg`,
      '--mac',
      '00562b043615',
    ]);
    assert.match(r.stdout, new RegExp(`^uid +${shownAs.replace('$', '\\$')}$`, 'm'), uid);
  }
});

test('parseRule (core): an unknown macro in a value assigned to a secret parameter is not named', () => {
  const messages = (rule: string): string[] =>
    parseRule(rule, 'profile').errors.map((e) => e.message);
  assert.deepEqual(messages('(GPP_SA = "pa$XYZss";)! https://h/a.cfg'), [
    "unknown macro in this secret value (not shown) (write $$ for a literal '$')",
  ]);
  assert.deepEqual(messages('(User_Password = "$(XYZ)";)! https://h/a.cfg'), [
    'unknown macro in this secret value (not shown)',
  ]);
  assert.deepEqual(messages('(GPP_A = "pa$XYZss";)! https://h/a.cfg'), [
    "unknown macro $XYZss (write $$ for a literal '$')",
  ]);
});

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

test('encrypt/decrypt --out-dir, validate: a symbolic link met in an input directory is skipped with a warning, unless --follow-links (a cycle walked once)', async () => {
  const root = dir.fresh('walk-links');
  const secret = dir.fresh('walk-links/secret');
  writeFileSync(
    join(secret, 'shadow.xml'),
    '<flat-profile><Station_Name>s</Station_Name></flat-profile>\n',
  );
  const inDir = dir.fresh('walk-links/in');
  mkdirSync(join(inDir, 'sub'));
  writeFileSync(
    join(inDir, 'a.xml'),
    '<flat-profile><Station_Name>a</Station_Name></flat-profile>\n',
  );
  symlinkSync(join(secret, 'shadow.xml'), join(inDir, 'x.xml'));
  symlinkSync(secret, join(inDir, 'sub', 'up'));
  symlinkSync('..', join(inDir, 'sub', 'loop'));
  symlinkSync('/', join(inDir, 'root'));
  const skipped = ['root', 'sub/loop', 'sub/up', 'x.xml'].map((n) => join(inDir, n));
  const warnings = skipped
    .map(
      (p) =>
        `cisco-prov: warning: ${p}: a symbolic link in an input directory: skipped (--follow-links follows it)\n`,
    )
    .join('');
  const env = { K: 'k3y-for-all' };

  const out = join(root, 'out');
  const r = await runCli(['encrypt', '--key-env', 'K', inDir, '--out-dir', out], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, `${warnings}cisco-prov: encrypted 1 of 1 file(s) into ${out}\n`);
  assert.deepEqual(tree(out), ['a.cfg']);
  const json = await runCli(
    ['encrypt', '--key-env', 'K', inDir, '--out-dir', join(root, 'out-json'), '--json'],
    { env },
  );
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout).skippedLinks, skipped);
  assert.equal(json.stderr, warnings);
  const back = await runCli(['decrypt', '--key-env', 'K', out, '--out-dir', join(root, 'back')], {
    env,
  });
  assert.equal(back.code, 0, back.stderr);
  // A link named as an input is followed, as grep -r and tar follow one on the command line.
  const named = await runCli(
    [
      'encrypt',
      '--key-env',
      'K',
      join(inDir, 'x.xml'),
      join(inDir, 'a.xml'),
      '--out-dir',
      join(root, 'out-named'),
    ],
    { env },
  );
  assert.equal(named.code, 0, named.stderr);
  assert.deepEqual(tree(join(root, 'out-named')), ['a.cfg', 'x.cfg']);

  // --follow-links: followed, the cycle (sub/loop -> ..) walked once; `/` left out of it here.
  const inFollow = dir.fresh('walk-links/in-follow');
  mkdirSync(join(inFollow, 'sub'));
  writeFileSync(
    join(inFollow, 'a.xml'),
    '<flat-profile><Station_Name>a</Station_Name></flat-profile>\n',
  );
  symlinkSync(join(secret, 'shadow.xml'), join(inFollow, 'x.xml'));
  symlinkSync(secret, join(inFollow, 'sub', 'up'));
  symlinkSync('..', join(inFollow, 'sub', 'loop'));
  const followed = await runCli(
    [
      'encrypt',
      '--key-env',
      'K',
      inFollow,
      '--out-dir',
      join(root, 'out-follow'),
      '--follow-links',
    ],
    { env },
  );
  assert.equal(followed.code, 0, followed.stderr);
  assert.deepEqual(tree(join(root, 'out-follow')), ['a.cfg', 'sub/up/shadow.cfg', 'x.cfg']);

  // validate: the same walk rule, the same warnings on stderr.
  const v = await runCli(['validate', inDir]);
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stderr, warnings);
  const vJson = await runCli(['validate', inDir, '--format', 'json']);
  assert.deepEqual(
    (JSON.parse(vJson.stdout) as { file: string }[]).map((f) => f.file),
    [join(inDir, 'a.xml')],
  );
  const vFollow = await runCli(['validate', inFollow, '--follow-links', '--format', 'json']);
  assert.equal(vFollow.code, 0, vFollow.stderr);
  assert.deepEqual(
    (JSON.parse(vFollow.stdout) as { file: string }[]).map((f) => f.file).sort(),
    ['a.xml', 'sub/up/shadow.xml', 'x.xml'].map((n) => join(inFollow, n)),
  );
  // A directory of links only: no profiles, and the hint says why.
  const onlyLinks = dir.fresh('walk-links/only-links');
  symlinkSync(join(secret, 'shadow.xml'), join(onlyLinks, 'x.xml'));
  const none = await runCli(['validate', onlyLinks]);
  assert.equal(none.code, 2);
  assert.match(
    none.stderr,
    /no profiles in this directory\n {2}hint: its symbolic links were skipped \(1\): give --follow-links to follow them/,
  );
});
