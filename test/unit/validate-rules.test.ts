/**
 * Each rule on small inputs: what it reports (rule, line:column, message) and what it leaves
 * alone. Validated against the fixture catalog so the cases do not move with the built-in one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';
import { validateProfileText, type ValidateOptions } from '../../src/validate/index.js';

const catalog = parseCatalogJson(
  readFileSync(
    fileURLToPath(new URL('../fixtures/profiles/catalog.json', import.meta.url)),
    'utf8',
  ),
  'catalog.json',
);

function check(body: string, options: Partial<ValidateOptions> = {}): string[] {
  const text = `<flat-profile>\n${body}\n</flat-profile>\n`;
  return validateProfileText(text, { file: 'x', catalog, ...options }).map(
    (d) => `${d.ruleId} ${d.line}:${d.column} ${d.message}`,
  );
}

const CASES: [string, string, Partial<ValidateOptions>, string[]][] = [
  [
    'leading white space',
    '<Station_Name>  a</Station_Name>',
    {},
    ['whitespace-value 2:15 Station_Name has leading white space; the phone strips it'],
  ],
  [
    'trailing white space',
    '<Station_Name>a\t</Station_Name>',
    {},
    ['whitespace-value 2:16 Station_Name has trailing white space; the phone strips it'],
  ],
  [
    'only white space',
    '<Station_Name>   </Station_Name>',
    {},
    ['whitespace-value 2:15 Station_Name holds only white space; the phone reads it as empty'],
  ],
  [
    'white space from a reference counts too',
    '<Station_Name>a&#32;</Station_Name>',
    {},
    ['whitespace-value 2:16 Station_Name has trailing white space; the phone strips it'],
  ],
  [
    'an empty element is fine',
    '<Station_Name/><GPP_A ua="rw"/><Line_Enable_1_></Line_Enable_1_>',
    {},
    [],
  ],
  [
    '{% %} leftover',
    '<Station_Name>{% if x %}a</Station_Name>',
    {},
    ["template-leftover 2:15 leftover template syntax '{%'"],
  ],
  [
    '{# #} leftover',
    '<Station_Name>a{# note #}</Station_Name>',
    {},
    ["template-leftover 2:16 leftover template syntax '{#'"],
  ],
  ['a lone { or {# without #} is no template', '<Station_Name>{a} {#1</Station_Name>', {}, []],
  [
    'leftover between parameters',
    '{{ extra }}\n<Station_Name>a</Station_Name>',
    {},
    ["template-leftover 2:1 leftover template syntax '{{'"],
  ],
  [
    'two leftovers on a line are one finding; each line has its own',
    '<GPP_A>{{ first }} {{ last }}</GPP_A>\n<Station_Name>{{ n }}</Station_Name>',
    {},
    [
      "template-leftover 2:8 leftover template syntax '{{' (and 1 more on this line)",
      "template-leftover 3:15 leftover template syntax '{{'",
    ],
  ],
  ['leftover in a comment is ignored', '<!-- {{ x }} --><Station_Name>a</Station_Name>', {}, []],
  [
    'ua values are case-sensitive',
    '<Station_Name ua="Na">a</Station_Name>',
    {},
    ['invalid-ua 2:19 ua="Na" on Station_Name must be "na", "ro" or "rw"'],
  ],
  // Reference §1: ua (lower case) = na/ro/rw. XML names are case-sensitive: UA is another
  // attribute, which the phone ignores, so the access the author set never happens.
  [
    'ua spelt in capitals is not ua',
    '<Station_Name UA="na">a</Station_Name>',
    {},
    [
      'invalid-ua 2:15 attribute UA on Station_Name is not ua (attribute names are case-sensitive): the phone ignores it, so the user access is not set',
    ],
  ],
  [
    'ua misspelt beside a real ua',
    '<Station_Name ua="na" au="rw">a</Station_Name>',
    {},
    ['invalid-ua 2:23 attribute au on Station_Name is not ua: the phone ignores it'],
  ],
  [
    'a ua value with a trailing space',
    '<Station_Name ua="ro ">a</Station_Name>',
    {},
    ['invalid-ua 2:19 ua="ro " on Station_Name must be "na", "ro" or "rw"'],
  ],
  [
    'preserve-value (reference §1), group (SPA exports) and xmlns are read or harmless',
    '<Station_Name ua="na" preserve-value="y" group="System/System_Configuration" xmlns:x="urn:x">a</Station_Name>',
    {},
    [],
  ],
  [
    'an unknown attribute on a parameter, with did-you-mean',
    '<Station_Name Preserve-Value="y" colour="red">a</Station_Name>',
    {},
    [
      'unknown-attribute 2:15 unknown attribute Preserve-Value on Station_Name; the phone ignores it; did you mean preserve-value?',
      'unknown-attribute 2:34 unknown attribute colour on Station_Name; the phone ignores it',
    ],
  ],
  [
    'an attribute on a group element of the router section',
    '<router-configuration UA="na"><Wan x="1"><WAN_Stack_Mode>1</WAN_Stack_Mode></Wan></router-configuration>',
    {},
    [
      'unknown-attribute 2:23 attribute UA on <router-configuration> has no effect: the phone reads ua on each parameter',
      'unknown-attribute 2:36 unknown attribute x on <Wan>; the phone ignores it',
    ],
  ],
  [
    'copies on one line: positions by line and column',
    '<GPP_A>1</GPP_A><GPP_A>2</GPP_A><GPP_A>3</GPP_A>',
    {},
    [
      'duplicate-parameter 2:18 GPP_A is set again (first at 2:2); the phone keeps the last value, at 2:34',
      'duplicate-parameter 2:34 GPP_A is set again (first at 2:2); the phone keeps the last value, at 2:34',
    ],
  ],
  [
    'three copies: the last wins',
    '<GPP_A>1</GPP_A>\n<GPP_A>2</GPP_A>\n<GPP_A>3</GPP_A>',
    {},
    [
      'duplicate-parameter 3:2 GPP_A is set again (first on line 2); the phone keeps the last value, on line 4',
      'duplicate-parameter 4:2 GPP_A is set again (first on line 2); the phone keeps the last value, on line 4',
    ],
  ],
  [
    'non-ASCII in a secret: value not shown',
    '<Password_1_>p\u00e4ss</Password_1_>',
    { encrypted: true },
    ['non-ascii-value 2:15 Password_1_ contains a non-ASCII character (value not shown)'],
  ],
  [
    'an invisible non-ASCII character is named by code point only',
    '<Station_Name>a\u202eb</Station_Name>',
    {},
    ['non-ascii-value 2:16 Station_Name contains U+202E; the phone supports ASCII only'],
  ],
  [
    'port out of range',
    '<SIP_Port_1_>70000</SIP_Port_1_>',
    {},
    ['invalid-value 2:14 SIP_Port_1_: expected a port from 0 to 65535, got "70000"'],
  ],
  [
    'schedule list',
    '<Resync_Periodic>60,120,x</Resync_Periodic>',
    {},
    [
      'invalid-value 2:18 Resync_Periodic: expected seconds (3600), a list (60,120,240) or a random spread (1800+300), got "60,120,x"',
    ],
  ],
  [
    'values are checked trimmed',
    '<Line_Enable_1_> yes </Line_Enable_1_>',
    { ignoreRules: ['whitespace-value'] },
    [],
  ],
  [
    'enum',
    '<Time_Zone>GMT+25:00</Time_Zone>',
    {},
    [
      'invalid-value 2:12 Time_Zone: expected one of "GMT-05:00", "GMT", "GMT+01:00", got "GMT+25:00"',
    ],
  ],
  [
    'literal --key in a plain profile',
    '<Profile_Rule>[--key abc] /a.cfg</Profile_Rule>',
    {},
    [
      'plaintext-secret 2:16 Profile_Rule carries a literal --key in a profile that is not encrypted',
    ],
  ],
  ['--key $SA is fine', '<Profile_Rule>[--key $SA] /a.cfg</Profile_Rule>', {}, []],
  ['an empty password is no secret', '<Admin_Passwd></Admin_Passwd>', {}, []],
  [
    'rule error positions count entities',
    '<Profile_Rule>/a?x=1&amp;y=$ZZ</Profile_Rule>',
    {},
    ["rule-syntax 2:28 Profile_Rule: unknown macro $ZZ (write $$ for a literal '$')"],
  ],
  [
    'rule error after leading white space',
    '<Upgrade_Rule>  ftp://x/a</Upgrade_Rule>',
    { ignoreRules: ['whitespace-value'] },
    ["rule-syntax 2:17 Upgrade_Rule: unsupported scheme 'ftp' (tftp, http or https)"],
  ],
  [
    'Report_Rule takes --delta, Profile_Rule does not',
    '<Report_Rule>[--delta] /r</Report_Rule>\n<Profile_Rule_B>[--delta] /r</Profile_Rule_B>',
    {},
    ['rule-syntax 3:18 Profile_Rule_B: --delta is an option of Report_Rule only'],
  ],
  [
    'a trigger condition is checked without parentheses',
    '<Resync_Trigger_1>$PRVTMR ge</Resync_Trigger_1>',
    { ignoreRules: ['unknown-parameter'] },
    ["rule-syntax 2:29 Resync_Trigger_1: expected a value after 'ge'"],
  ],
  [
    'line keys beyond the model',
    // 10 line keys on the 8841 in enhanced line mode, the MPP default (models-sources.test.ts)
    '<Extended_Function_11_>fnc=sd</Extended_Function_11_>',
    { model: '8841' },
    [
      'model-capacity 2:2 Extended_Function_11_: index 11 is beyond the 10 line keys of the CP-8841-3PCC',
    ],
  ],
  [
    'no key expansion module on the 8841',
    '<Unit_1_Key_1_>fnc=sd</Unit_1_Key_1_>',
    { model: '8841' },
    [
      'model-capacity 2:2 Unit_1_Key_1_: index 1 is beyond the 0 key expansion modules of the CP-8841-3PCC',
    ],
  ],
  [
    'a PhoneModel object works too',
    '<Line_Enable_2_>Yes</Line_Enable_2_>',
    {
      model: {
        model: 'T',
        productName: 'T-1',
        series: '6800',
        templateFamily: 'mpp-desk',
        lines: 1,
        lineKeys: 1,
        maxExpansionModules: 0,
        firmwarePrefix: 'x',
        displayName: 'T',
        sources: {},
      },
    },
    ['model-capacity 2:2 Line_Enable_2_: index 2 is beyond the 1 lines of the T-1'],
  ],
  [
    'an unknown model string disables model-capacity',
    '<Line_Enable_9_>Yes</Line_Enable_9_>',
    { model: 'no-such-model' },
    [],
  ],
];

for (const [what, body, options, expected] of CASES) {
  test(what, () => {
    assert.deepEqual(check(body, options), expected);
  });
}

test('a malformed document reports only the well-formedness error', () => {
  assert.deepEqual(check('<Station_Name ua="x">{{ a }}</Station_Nam>'), [
    'xml-well-formed 2:29 end tag </Station_Nam> does not match <Station_Name> (line 2)',
  ]);
});

test('ignoring xml-well-formed on a malformed document leaves nothing to report', () => {
  assert.deepEqual(check('<a>', { ignoreRules: ['xml-well-formed'] }), []);
});

test('attributes on <flat-profile> and on the elements wrapping it are reported, nothing else', () => {
  const text =
    '<device model="8841" xmlns="urn:x">\n<flat-profile ua="na" version="2">\n<Station_Name>a</Station_Name>\n</flat-profile>\n</device>\n<!-- x -->\n';
  assert.deepEqual(
    validateProfileText(text, { file: 'x', catalog }).map(
      (d) => `${d.ruleId} ${d.severity} ${d.line}:${d.column} ${d.message}`,
    ),
    [
      'unknown-attribute warning 1:9 unknown attribute model on <device>; the phone ignores it',
      'unknown-attribute warning 2:15 attribute ua on <flat-profile> has no effect: the phone reads ua on each parameter',
      'unknown-attribute warning 2:23 unknown attribute version on <flat-profile>; the phone ignores it',
    ],
  );
});

test('a mistyped <flat-profile> is named where it is (reference §1: names are case-sensitive)', () => {
  const report = (text: string) =>
    validateProfileText(text, { file: 'x', catalog }).map(
      (d) => `${d.ruleId} ${d.line}:${d.column} ${d.message}`,
    );
  assert.deepEqual(report('<Flat-Profile>\n<Station_Name>a</Station_Name>\n</Flat-Profile>\n'), [
    'flat-profile-missing 1:1 no <flat-profile> element: <Flat-Profile> is not <flat-profile> (element names are case-sensitive)',
  ]);
  assert.deepEqual(
    report('<device>\n  <flat_profile><Station_Name>a</Station_Name></flat_profile>\n</device>'),
    ['flat-profile-missing 2:3 no <flat-profile> element: <flat_profile> is not <flat-profile>'],
  );
  assert.deepEqual(report('<profile><Station_Name>a</Station_Name></profile>'), [
    'flat-profile-missing 1:1 no <flat-profile> element (the root is <profile>)',
  ]);
});
