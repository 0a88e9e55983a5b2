/**
 * Rule expansion (src/profile/rule-expand.ts) and device facts (src/profile/device-facts.ts):
 * which alternative the phone takes, and the URL and options it ends up with. Cisco's worked
 * examples are quoted with their source.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RuleSyntaxFailure,
  compareVersions,
  expandRule,
  type MacroValues,
} from '../../src/profile/rule-expand.js';
import { DeviceFactError, deviceMacroValues } from '../../src/profile/device-facts.js';
import { SECRET_MASK } from '../../src/profile/secrets.js';
import { formatRuleExpansion, ruleExpansionJson } from '../../src/output/rule-format.js';

// Reference §2 worked examples: "MAC 000E08012345 — $(MAU)config.cfg → 000E08012345config.cfg;
// $STRANGE$MAU.cfg → $STRANGE000E08012345.cfg; $$MAU → $MAU; with GPP_A=ABCDEF, $(A:2:3) → CDE".
const CISCO_MAC = deviceMacroValues({ mac: '000E08012345', gpp: { A: 'ABCDEF' } }).values;

const WORKED: [string, string][] = [
  ['/$(MAU)config.cfg', '/000E08012345config.cfg'],
  ['/$STRANGE$MAU.cfg', '/$STRANGE000E08012345.cfg'],
  ['/$$MAU', '/$MAU'],
  ['/$(A:2:3)', '/CDE'],
  // 8800 admin guide, "Macro Expansion Variables": "if GPP_A contains ABCDEF, then $(A:2)
  // expands to CDEF".
  ['/$(A:2)', '/CDEF'],
];
for (const [rule, path] of WORKED) {
  test(`Cisco worked example: ${rule} → ${path}`, () => {
    const r = expandRule(rule, CISCO_MAC);
    assert.equal(r.path, path);
    assert.equal(r.scheme, 'tftp');
    assert.equal(r.host, null, 'no server: the DHCP option 66 server');
    assert.equal(r.port, 69);
  });
}

test('an unknown $NAME is kept as written and named in problems, not an error', () => {
  const r = expandRule('/$STRANGE$MAU.cfg', CISCO_MAC);
  assert.deepEqual(r.problems, ['unknown macro $STRANGE: left as written']);
});

test('the longest known name first: $MAC is the colon form, not $MA + "C"', () => {
  const r = expandRule('http://h.example.com/$MAC/$MAU/$MA', CISCO_MAC);
  assert.equal(r.path, '/00:0e:08:01:23:45/000E08012345/000e08012345');
});

test('expansion is not recursive: a GPP holding $MA gives the text $MA', () => {
  const r = expandRule('http://h.example.com/$A.cfg', { ...CISCO_MAC, A: '$MA' });
  assert.equal(r.path, '/$MA.cfg');
});

// Reference §1: `<Profile_Rule ua="na">[--key $SA]https://prov.example.com/cfg/$MA.cfg</…>`.
test('$SA expands inside --key, and the URL is decomposed', () => {
  const values = { ...deviceMacroValues({ mac: '00562b043615' }).values, SA: 'SecretPhrase1234' };
  const r = expandRule('[--key $SA]https://prov.example.com/cfg/$MA.cfg', values);
  assert.deepEqual(
    {
      alternative: r.alternative,
      url: r.url,
      scheme: r.scheme,
      host: r.host,
      port: r.port,
      path: r.path,
      key: r.options.key,
    },
    {
      alternative: 1,
      url: 'https://prov.example.com/cfg/00562b043615.cfg',
      scheme: 'https',
      host: 'prov.example.com',
      port: 443,
      path: '/cfg/00562b043615.cfg',
      key: 'SecretPhrase1234',
    },
  );
});

test('$SA..$SD expand only inside --key/--uid/--pwd, never in the URL or a --post body', () => {
  const values = { SA: 's3cret', SB: 'user', SC: 'pw', A: 'x$SA' };
  const r = expandRule('[--uid $SB --pwd "$SC" --post a] http://h.example.com/r?', values);
  assert.equal(r.options.uid, 'user');
  assert.equal(r.options.pwd, 'pw');
  assert.equal(r.options.post, 'A');
  assert.equal(r.postBody, 'x$SA');
});

test('a missing $SA is reported as unexpanded and left as written', () => {
  const r = expandRule('[--key $SA] http://h.example.com/$MA.cfg', {});
  assert.equal(r.options.key, '$SA');
  assert.deepEqual(r.unexpanded.sort(), ['MA', 'SA']);
});

test('explicit ports, IPv6 literals and default ports per scheme', () => {
  assert.equal(expandRule('http://h.example.com:8080/a.xml', {}).port, 8080);
  assert.equal(expandRule('http://h.example.com/a.xml', {}).port, 80);
  assert.equal(expandRule('HTTPS://h.example.com/a.xml', {}).url, 'https://h.example.com/a.xml');
  assert.equal(expandRule('tftp://10.0.0.1/a.xml', {}).port, 69);
  const v6 = expandRule('http://[2001:db8::1]:8080/a.xml', {});
  assert.equal(v6.host, '[2001:db8::1]');
  assert.equal(v6.port, 8080);
  const macroPort = expandRule('http://h.example.com:$A/a.xml', { A: 'x' });
  assert.equal(macroPort.port, null);
  assert.match(macroPort.problems.join(), /port expanded to 'x'/);
});

// Cisco Small Business Provisioning Guide, "Profile Rules": "($REGTMR1 eq 0)?
// http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?" — "In case of lost
// registration, the device performs an HTTP POST to a CGI script, transmitting the contents of
// the macro expanded GPP_A".
test('Cisco example: registered → first URL; lost registration → POST of GPP_A', () => {
  const rule =
    '($REGTMR1 eq 0)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?';
  const registered = expandRule(rule, { REGTMR1: '0', A: 'mac=$MA', MA: '000e08012345' });
  assert.equal(registered.alternative, 1);
  assert.equal(registered.url, 'http://p.tel.com/has-reg.cfg');
  assert.equal(registered.options.post, null);
  const lost = expandRule(rule, { REGTMR1: '125', A: 'mac=$MA', MA: '000e08012345' });
  assert.equal(lost.alternative, 2);
  assert.equal(lost.url, 'http://p.tel.com/lost-reg?');
  assert.equal(lost.options.post, 'A');
  assert.equal(lost.postBody, 'mac=000e08012345');
  assert.deepEqual(
    lost.evaluated.map((a) => a.result),
    [false, true],
  );
});

// Cisco community article "How do conditional expressions work on MPP phones upgrade rules":
// "($SWVER ge sip78xx.11-0-0MPP-7)? HTTP://SERVER_ADDRESS/sip78xx.11-2-1MES-3.loads|
// HTTP://SERVER_ADDRESS/sip78xx.11-0-0MPP-7.loads".
test('Cisco example: an Upgrade_Rule choosing a load by $SWVER', () => {
  const rule =
    '($SWVER ge sip78xx.11-0-0MPP-7)? HTTP://SERVER_ADDRESS/sip78xx.11-2-1MES-3.loads| HTTP://SERVER_ADDRESS/sip78xx.11-0-0MPP-7.loads';
  const newer = expandRule(rule, { SWVER: 'sip78xx.11-1-1MPP-8' }, 'upgrade');
  assert.equal(newer.alternative, 1);
  assert.equal(newer.path, '/sip78xx.11-2-1MES-3.loads');
  assert.equal(newer.evaluated[0]?.comparisons[0]?.as, 'version');
  const older = expandRule(rule, { SWVER: 'sip78xx.10-4-1MPP-12' }, 'upgrade');
  assert.equal(older.alternative, 2);
  assert.equal(older.path, '/sip78xx.11-0-0MPP-7.loads');
  assert.equal(older.host, 'SERVER_ADDRESS');
  const same = expandRule(rule, { SWVER: 'sip78xx.11-0-0MPP-7' }, 'upgrade');
  assert.equal(same.alternative, 1, 'ge holds for an equal version');
});

// Reference §7: "($SWVER ne sip88xx.11-3-2MPP0001-609)? http://fw.example.com/sip88xx.11-3-2MPP0001-609.loads".
test('reference §7 example: upgrade only when the firmware differs', () => {
  const rule =
    '($SWVER ne sip88xx.11-3-2MPP0001-609)? http://fw.example.com/sip88xx.11-3-2MPP0001-609.loads';
  const differs = expandRule(rule, { SWVER: 'sip88xx.11-3-1MPP0001-500' }, 'upgrade');
  assert.equal(differs.url, 'http://fw.example.com/sip88xx.11-3-2MPP0001-609.loads');
  const current = expandRule(rule, { SWVER: 'sip88xx.11-3-2MPP0001-609' }, 'upgrade');
  assert.equal(current.alternative, null, 'no alternative applies: the rule is skipped');
  assert.equal(current.url, null);
});

// 6800/8800 admin guides, "Version Numbers": "sip88xx.11-0-0MPP-BN > sip88xx.9-3-1-7MPP-BN" and
// "sip68xx.11-0-0MPP-BN < sip68xx.11-0-0MN-1MPP-BN"; SPA guide: versions "1.0.31(b) 1.0.33
// 2.0.3(G) 2.0.3(0412s) 2.0.6".
test('Cisco version comparisons', () => {
  assert.equal(compareVersions('sip88xx.11-0-0MPP-BN', 'sip88xx.9-3-1-7MPP-BN'), 1);
  assert.equal(compareVersions('sip68xx.11-0-0MPP-BN', 'sip68xx.11-0-0MN-1MPP-BN'), -1);
  assert.equal(compareVersions('1.0.31(b)', '1.0.33'), -1);
  assert.equal(compareVersions('2.0.3(G)', '2.0.6'), -1);
  assert.equal(compareVersions('2.0.3(0412s)', '2.0.3(G)'), 1, 'digits first');
  assert.equal(compareVersions('2.0.6', '2.0.6'), 0);
  assert.equal(compareVersions('sip88xx.11-3-2MPP0001-609', 'sip88xx.11-3-2MPP0001-610'), -1);
  assert.equal(compareVersions('CP-8841', '11.0'), undefined, 'not a version');
});

// SPA provisioning guide, "Conditional Expressions": `$REGTMR1 gt 300 and $PRVTMR gt 1200 and
// "$EXTIP" ne ""` and `$SWVER ge 2.0.6 and "$CCERT" eq "Installed"`.
test('Cisco example conditions: integers, versions and quoted strings joined by and', () => {
  const rule1 = '($REGTMR1 gt 300 and $PRVTMR gt 1200 and "$EXTIP" ne "")? /a.cfg | /b.cfg';
  assert.equal(
    expandRule(rule1, { REGTMR1: '301', PRVTMR: '1201', EXTIP: '192.0.2.1' }).path,
    '/a.cfg',
  );
  assert.equal(expandRule(rule1, { REGTMR1: '301', PRVTMR: '1201', EXTIP: '' }).path, '/b.cfg');
  assert.equal(expandRule(rule1, { REGTMR1: '300', PRVTMR: '1201', EXTIP: 'x' }).path, '/b.cfg');
  const rule2 = '($SWVER ge 2.0.6 and "$CCERT" eq "Installed")? /a.cfg | /b.cfg';
  assert.equal(expandRule(rule2, { SWVER: '2.0.10', CCERT: 'Installed' }).path, '/a.cfg');
  assert.equal(expandRule(rule2, { SWVER: '2.0.10', CCERT: 'Not Installed' }).path, '/b.cfg');
  assert.equal(expandRule(rule2, { SWVER: '2.0.3(G)', CCERT: 'Installed' }).path, '/b.cfg');
});

test('integers compare as numbers (10 > 9), not as text', () => {
  const rule = '($PRVTMR gt 9)? /a.cfg | /b.cfg';
  assert.equal(expandRule(rule, { PRVTMR: '10' }).path, '/a.cfg');
  const c = expandRule(rule, { PRVTMR: '10' }).evaluated[0]?.comparisons[0];
  assert.equal(c?.as, 'integer');
});

// SPA guide: "a relational expression with no left-hand-side operand assumes $SWVER".
test('the legacy form (ne 1.0.33)? compares $SWVER', () => {
  const rule = '(ne 1.0.33)? /upgrade.cfg | /current.cfg';
  assert.equal(expandRule(rule, { SWVER: '1.0.31(b)' }).path, '/upgrade.cfg');
  assert.equal(expandRule(rule, { SWVER: '1.0.33' }).path, '/current.cfg');
});

test('lt/gt on text that is neither integer nor version is false (a "format parsing error")', () => {
  const r = expandRule('($PN gt abc)? /a.cfg | /b.cfg', { PN: 'CP-8841-3PCC' });
  assert.equal(r.path, '/b.cfg');
  assert.equal(r.evaluated[0]?.comparisons[0]?.as, null);
  assert.match(r.evaluated[0]?.comparisons[0]?.note ?? '', /false/);
});

test('a condition needing a macro without a value leaves the choice undetermined', () => {
  const r = expandRule('($PRVTMR ge 600)? /a.cfg | /b.cfg', {});
  assert.equal(r.alternative, null);
  assert.deepEqual(r.undetermined, { alternative: 1, missing: ['PRVTMR'] });
  // …but a false comparison decides it whatever the others say.
  const f = expandRule('($A eq 1 and $PRVTMR ge 600)? /a.cfg | /b.cfg', { A: '2' });
  assert.equal(f.alternative, 2);
});

// Small Business Provisioning Guide, "Assignment Expressions": "( User_ID_1_ = "uid$B" ; GPP_C
// = "" ; GPP_D = "$MA" ; )!" — "equivalent to … ( User_ID_1_ = "uid$B" ; c = "" ; d = "$MA" ; )!".
test('Cisco example assignments, long and short form, expanded and applied before the URL', () => {
  const values: MacroValues = { B: '42', MA: '000e08012345', C: 'old' };
  const long = expandRule(
    '( User_ID_1_ = "uid$B" ; GPP_C = "" ; GPP_D = "$MA" ; )! http://h.example.com/$D/$C.cfg',
    values,
  );
  const short = expandRule(
    '( User_ID_1_ = "uid$B" ; c = "" ; d = "$MA" ; )! http://h.example.com/$D/$C.cfg',
    values,
  );
  const expected = [
    { parameter: 'User_ID_1_', value: 'uid42' },
    { parameter: 'GPP_C', value: '' },
    { parameter: 'GPP_D', value: '000e08012345' },
  ];
  assert.deepEqual(long.assignments, expected);
  assert.deepEqual(short.assignments, expected);
  assert.equal(long.path, '/000e08012345/.cfg', 'the URL sees the assigned GPP_C and GPP_D');
  assert.equal(short.path, long.path);
});

test('a rule with grammar errors is not expanded; the errors carry offsets', () => {
  assert.throws(
    () => expandRule('ftp://x/$MA.cfg', {}),
    (err: unknown) =>
      err instanceof RuleSyntaxFailure &&
      err.errors[0]?.offset === 0 &&
      /unsupported scheme/.test(err.errors[0].message),
  );
  assert.throws(() => expandRule('[--delta] /a.xml', {}), RuleSyntaxFailure);
  assert.equal(expandRule('[--delta] /a.xml', {}, 'report').options.delta, true);
});

test('an empty rule gives no URL', () => {
  const r = expandRule('', {});
  assert.equal(r.alternative, null);
  assert.equal(r.url, null);
  assert.equal(r.undetermined, null);
});

// Reference §6 / seed excerpt: "User-Agent: Cisco-CP-8841-3PCC/11.0 (00562b043615)"; the
// default MPP Profile_Rule is /$PSN.xml (reference §2).
test('device facts from a User-Agent feed the default Profile_Rule', () => {
  const facts = deviceMacroValues({ userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)' });
  assert.deepEqual(facts.values, {
    MA: '00562b043615',
    MAU: '00562B043615',
    MAC: '00:56:2b:04:36:15',
    PN: 'CP-8841-3PCC',
    PSN: '8841',
    SWVER: '11.0',
  });
  assert.equal(expandRule('/$PSN.xml', facts.values).path, '/8841.xml');
  assert.equal(
    expandRule('https://p.example.com/$PN/$MA.xml', facts.values).url,
    'https://p.example.com/CP-8841-3PCC/00562b043615.xml',
  );
});

// Reference §6: "Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)" — a serial, no MAC.
test('an ATA User-Agent gives $SN, $PN and $SWVER but no MAC', () => {
  const facts = deviceMacroValues({ userAgent: 'Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)' });
  assert.equal(facts.values.SN, 'FCH2443D9R4');
  assert.equal(facts.values.PN, 'ATA191-MPP');
  assert.equal(facts.values.SWVER, '11-1-0-MSR4');
  assert.equal(facts.values.MA, undefined);
  assert.match(facts.notes.join(), /no MAC/);
});

test('single facts override the User-Agent; --var wins over everything', () => {
  const facts = deviceMacroValues({
    userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
    mac: '00:11:22:33:44:55',
    model: '6841',
    serial: 'FCH1',
    firmware: 'sip68xx.12-0-1MPP-1',
    gpp: { gpp_b: 'bee', SA: 'k' },
    vars: { PSN: 'V03', HWVER: '2', SWVER: 'x' },
  });
  assert.equal(facts.values.MA, '001122334455');
  assert.equal(facts.values.PN, 'CP-6841-3PCC');
  assert.equal(facts.values.PSN, 'V03');
  assert.equal(facts.values.SN, 'FCH1');
  assert.equal(facts.values.SWVER, 'x');
  assert.equal(facts.values.B, 'bee');
  assert.equal(facts.values.SA, 'k');
  assert.equal(facts.sources.MA, 'mac');
  assert.equal(facts.sources.PSN, 'var');
});

test('device facts: wrong inputs are typed errors naming the flag', () => {
  const cases: [Parameters<typeof deviceMacroValues>[0], RegExp][] = [
    [{ mac: '00:11:22' }, /--mac expected 12 hex digits/],
    [{ model: '1234' }, /--model: unknown model "1234"/],
    [{ gpp: { Q: 'x' } }, /--gpp expected a letter A..P or SA..SD, got "Q"/],
    [{ gpp: { SE: 'x' } }, /--gpp expected/],
    [{ vars: { 'a-b': 'x' } }, /--var expected NAME=value/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => deviceMacroValues(input),
      (err: unknown) => {
        return err instanceof DeviceFactError && message.test(err.message);
      },
    );
  }
});

test('a User-Agent that is not a phone is a note, not an error', () => {
  const facts = deviceMacroValues({ userAgent: 'curl/8.5.0' });
  assert.deepEqual(facts.values, {});
  assert.match(facts.notes.join(), /not one a Cisco phone sends/);
  assert.match(deviceMacroValues({ vars: { SITE: 'x' } }).notes.join(), /\$SITE is not a macro/);
});

// Cisco: "[ conditional-expr ] [ assignment-expr ] [[ options ] URL ]" — an alternative may only
// assign.
test('an alternative that only assigns: no URL, the assignments listed', () => {
  const r = expandRule('($A eq "1")? (b = "$MA";)! | /c.xml', { A: '1', MA: '000e08012345' });
  assert.equal(r.alternative, 1);
  assert.equal(r.url, null);
  assert.deepEqual(r.assignments, [{ parameter: 'GPP_B', value: '000e08012345' }]);
});

test('rule-format: --key, --pwd and secret assignments masked unless asked', () => {
  const r = expandRule(
    '(GPP_SB = "t0ken"; Station_Name = "x";)! [--key $SA --uid u --pwd p4ss] http://h.example.com/a',
    { SA: 'k3y!' },
  );
  const masked = ruleExpansionJson(r, false);
  assert.equal(masked.options.key, SECRET_MASK);
  assert.equal(masked.options.pwd, SECRET_MASK);
  assert.equal(masked.options.uid, 'u');
  assert.deepEqual(masked.assignments, [
    { parameter: 'GPP_SB', value: SECRET_MASK },
    { parameter: 'Station_Name', value: 'x' },
  ]);
  assert.doesNotMatch(
    formatRuleExpansion(r, { json: false, showSecrets: false }),
    /k3y!|p4ss|t0ken/,
  );
  const shown = ruleExpansionJson(r, true);
  assert.equal(shown.options.key, 'k3y!');
  assert.equal(shown.options.pwd, 'p4ss');
});

test('expandRule never throws anything but RuleSyntaxFailure on arbitrary text', async () => {
  const fc = await import('fast-check');
  const values = { MA: '000e08012345', A: 'x', SA: 'k', SWVER: '1.0.3', PRVTMR: '5' };
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom(...'()[]|?!"$=;:- /abAS0MPeqnlt.'.split('')) }),
      (s) => {
        try {
          const r = expandRule(s, values);
          assert.ok(r.alternative === null || r.alternative <= r.alternatives);
        } catch (err) {
          assert.ok(err instanceof RuleSyntaxFailure, String(err));
        }
      },
    ),
    { numRuns: 2000 },
  );
});

test('compareVersions is antisymmetric and reflexive', async () => {
  const fc = await import('fast-check');
  const version = fc
    .array(fc.oneof(fc.nat(20).map(String), fc.constantFrom('MPP', 'a', 'MN', '(b)')), {
      minLength: 1,
      maxLength: 5,
    })
    .map((parts) => `sip88xx.1${parts.join('-')}`);
  fc.assert(
    fc.property(version, version, (a, b) => {
      assert.equal(compareVersions(a, a), 0);
      const ab = compareVersions(a, b);
      const ba = compareVersions(b, a);
      assert.ok(ab !== undefined && ba !== undefined);
      assert.equal(ab, ba === 0 ? 0 : -ba);
    }),
    { numRuns: 1000 },
  );
});
