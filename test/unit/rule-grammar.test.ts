/**
 * The Profile_Rule / Upgrade_Rule / Report_Rule grammar (src/profile/rule.ts): what it accepts,
 * what it builds, and a table of wrong inputs with the error and its offset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition, parseRule, type RuleKind } from '../../src/profile/rule.js';

const VALID: [string, RuleKind?][] = [
  [''],
  ['/$PSN.xml'],
  ['tftp://prov.example.com/cisco/$MA.cfg'],
  ['http://192.168.1.10:8080/cfg/$MAU.xml'],
  ['HTTPS://prov.example.com/$(MA).cfg'],
  ['[--key $SA]https://prov.example.com/cfg/$MA.cfg'],
  ['[--key "$SB"] [--srv] https://example.com/$MA.cfg'],
  ['[--uid $SA --pwd "$SB"] https://prov.example.com/$MA.xml'],
  ['[--post a] http://example.com/report'],
  ['($SWVER ne sip88xx.11-3-2MPP0001-609)? http://fw/sip88xx.11-3-2MPP0001-609.loads', 'upgrade'],
  ['($PN eq "CP-8841-3PCC" and $PRVTMR ge 60)? /a.xml | /b.xml'],
  ['($A = "x")? /a.xml | ($B != "y")? /b.xml | /c.xml'],
  ['(GPP_A = "uid$B"; c = ""; d = "$MA";)! /p.xml'],
  ['( User_ID_1_ = "uid$B" ; GPP_C = "" )! tftp://x/$MA.cfg'],
  ['($MA eq "001122334455")? (GPP_B = "1";)! [--key $SC] /x.cfg'],
  ['/cfg/$(A:2:3)/$$MA.cfg'],
  ['/cfg/$UID1.cfg'],
  ['[--delta --key $SA] https://r.example.com/$MA.xml', 'report'],
  ['[--status] https://r.example.com/$MA.xml', 'report'],
  ['(ne 1.0.33)? /legacy.cfg | /x.cfg'],
  // Cisco: "[ conditional-expr ] [ assignment-expr ] [[ options ] URL ]": all parts optional.
  ['(GPP_A = "x";)!'],
  ['($A eq "1")? (b = "y";)! | /c.xml'],
];

for (const [rule, kind] of VALID) {
  test(`accepts ${JSON.stringify(rule)}${kind ? ` (${kind})` : ''}`, () => {
    assert.deepEqual(parseRule(rule, kind).errors, []);
  });
}

test('builds alternatives with condition, assignments, options and URL', () => {
  const text =
    '($PN eq "CP-8841-3PCC")? (GPP_A = "x";)! [--key $SA --uid u] https://h.example.com:8443/$MA.xml | /f.xml';
  const parsed = parseRule(text);
  assert.equal(parsed.alternatives.length, 2);
  const [first, second] = parsed.alternatives;
  assert.deepEqual(first?.condition, [
    {
      left: { text: '$PN', quoted: false, offset: 1 },
      operator: 'eq',
      right: { text: 'CP-8841-3PCC', quoted: true, offset: 8 },
    },
  ]);
  assert.deepEqual(first?.assignments, [{ name: 'GPP_A', value: 'x', offset: 26 }]);
  assert.deepEqual(
    first?.options.map((o) => [o.name, o.value]),
    [
      ['key', '$SA'],
      ['uid', 'u'],
    ],
  );
  assert.equal(first?.url?.scheme, 'https');
  assert.equal(first?.url?.server, 'h.example.com');
  assert.equal(first?.url?.port, '8443');
  assert.equal(first?.url?.path, '/$MA.xml');
  assert.equal(second?.url?.scheme, 'tftp');
  assert.equal(second?.url?.schemeGiven, false);
  assert.equal(second?.url?.server, '');
  assert.equal(second?.condition, undefined);
});

/** Wrong inputs: [rule, kind, message fragment, offset of the first error]. */
const WRONG: [string, RuleKind, RegExp, number][] = [
  ['ftp://x/$MA.cfg', 'profile', /unsupported scheme 'ftp'/, 0],
  ['http:/x/$MA.cfg', 'profile', /expected ':\/\/' after the scheme/, 4],
  ['http://prov.example.com', 'profile', /must begin with '\/'/, 23],
  ['prov.cfg', 'profile', /must begin with '\/'/, 8],
  ['http:///a.cfg', 'profile', /missing server/, 7],
  ['http://h:99999/a.cfg', 'profile', /port '99999'/, 9],
  ['http://h:x/a.cfg', 'profile', /port 'x'/, 9],
  ['http://h/a b.cfg', 'profile', /white space inside the URL/, 10],
  ['/a.xml | /b.xml', 'profile', /no condition/, 0],
  ['($A eq "1") /a.xml', 'profile', /expected '\?' \(condition\) or '!'/, 12],
  ['($A eq "1"? /a.xml', 'profile', /'\(' is never closed/, 0],
  ['()? /a.xml', 'profile', /empty condition/, 0],
  ['($A "1")? /a.xml', 'profile', /comparison operator/, 4],
  ['($A eq)? /a.xml', 'profile', /expected a value after 'eq'/, 6],
  ['($A eq 1 $B eq 2)? /a.xml', 'profile', /expected 'and'/, 9],
  ['($A eq 1 and)? /a.xml', 'profile', /comparison after 'and'/, 12],
  ['($PN lt "CP")? /a.xml', 'profile', /quoted strings compare only with eq or ne/, 5],
  ['($A ! 1)? /a.xml', 'profile', /'!' is not an operator/, 4],
  ['($A eq "1)? /a.xml', 'profile', /'\(' is never closed|never closed/, 0],
  ['()! /a.xml', 'profile', /empty assignment list/, 0],
  ['(GPP_A = x;)! /a.xml', 'profile', /must be in double quotes/, 9],
  ['(GPP_A "x";)! /a.xml', 'profile', /expected '=' after GPP_A/, 7],
  ['(GPP_A = "x" GPP_B = "y")! /a.xml', 'profile', /expected ';'/, 13],
  ['(= "x")! /a.xml', 'profile', /expected a parameter name/, 1],
  ['[--kye $SA] /a.xml', 'profile', /unknown option --kye/, 1],
  ['[key $SA] /a.xml', 'profile', /expected an option such as --key/, 1],
  ['[--key] /a.xml', 'profile', /--key needs a value/, 1],
  ['[--key $SA --key $SB] /a.xml', 'profile', /--key is given twice/, 11],
  ['[--key "abc] /a.xml', 'profile', /'\[' is never closed|never closed/, 0],
  ['[--post Q] /a.xml', 'profile', /GPP letter A to P/, 8],
  ['[--delta] /a.xml', 'profile', /Report_Rule only/, 1],
  ['[--key $SA /a.xml', 'profile', /'\[' is never closed/, 0],
  ['[--key $SA]', 'profile', /missing URL/, 11],
  ['/cfg/$SA.cfg', 'profile', /\$SA is expanded only inside --key, --uid or --pwd/, 5],
  ['($SB eq "x")? /a.xml | /b.xml', 'profile', /\$SB is expanded only inside/, 1],
  ['(GPP_A = "$SC";)! /a.xml', 'profile', /\$SC is expanded only inside/, 10],
  ['[--post $SA] /a.xml', 'profile', /GPP letter|\$SA is expanded only/, 8],
  // `$FOO` would be $F (GPP_F) + "OO": Cisco takes the longest known name.
  ['/cfg/$ZZZ.cfg', 'profile', /unknown macro \$ZZZ/, 5],
  ['/cfg/$ma.cfg', 'profile', /unknown macro \$ma/, 5],
  ['/cfg/$(FOO).cfg', 'profile', /unknown macro \$\(FOO\)/, 5],
  ['/cfg/$(MA:x).cfg', 'profile', /malformed macro/, 5],
  ['/cfg/$(MA.cfg', 'profile', /'\$\(' is never closed/, 5],
];

for (const [rule, kind, message, offset] of WRONG) {
  test(`rejects ${JSON.stringify(rule)} (${kind})`, () => {
    const { errors } = parseRule(rule, kind);
    assert.ok(errors.length > 0, 'an error is reported');
    const first = errors[0]!;
    assert.match(first.message, message);
    assert.equal(first.offset, offset, `offset of "${first.message}"`);
  });
}

test('never throws on arbitrary text', async () => {
  const fc = await import('fast-check');
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'()[]|?!"$=;:- /abAS0'.split('')) }), (s) => {
      const parsed = parseRule(s);
      for (const e of parsed.errors) assert.ok(e.offset >= 0 && e.offset <= s.length);
    }),
    { numRuns: 2000 },
  );
});

test('errors inside --key/--uid/--pwd values and servers never quote the secret', () => {
  const cases = [
    '[--key my Secret99] /a.cfg',
    '[--pwd $Secret99] /a.cfg',
    '[--uid "$(Secret99)"] /a.cfg',
    'http://admin:Secret99@host/a.cfg',
  ];
  for (const rule of cases) {
    const { errors } = parseRule(rule);
    assert.ok(errors.length > 0, rule);
    for (const e of errors) assert.doesNotMatch(e.message, /Secret99/, `${rule}: ${e.message}`);
  }
});

test('a URL with user:password@ is refused but still parsed', () => {
  const { alternatives, errors } = parseRule('https://u:p@prov.example.com:8443/cfg/$MA.xml');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.offset, 8);
  assert.equal(alternatives[0]?.url?.server, 'prov.example.com');
  assert.equal(alternatives[0]?.url?.port, '8443');
  assert.equal(alternatives[0]?.url?.path, '/cfg/$MA.xml');
});

test('parseCondition: bare trigger conditions (Resync_Trigger_n)', () => {
  assert.deepEqual(parseCondition('$PRVTMR ge 600').errors, []);
  assert.deepEqual(parseCondition('$REGTMR1 gt 300 and $UPGTMR lt 60').errors, []);
  assert.equal(parseCondition('$PRVTMR ge 600').comparisons[0]?.operator, 'ge');
  const wrapped = parseCondition('($PRVTMR ge 600)?');
  assert.match(wrapped.errors[0]?.message ?? '', /without '\( \)\?'/);
  const missing = parseCondition('$PRVTMR 600');
  assert.equal(missing.errors[0]?.offset, 8);
  assert.deepEqual(parseCondition('  ').errors, []);
});
