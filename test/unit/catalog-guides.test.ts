/**
 * Guide material added to the catalog in the second round (issue 9): each Cisco guide's own
 * cfg.xml examples and option lists, validated as a profile. The examples are facts from the
 * guides, not our output; the negative cases are values the same tables rule out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupParameter } from '../../src/profile/catalog.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { GUIDES } from '../../src/profile/catalog-data/sources.js';
import { isSecretParameter } from '../../src/profile/secrets.js';
import { validateProfileText, type Diagnostic } from '../../src/validate/index.js';

function check(text: string, model?: string): Diagnostic[] {
  return validateProfileText(`<flat-profile>\n${text}\n</flat-profile>\n`, {
    file: 'p.xml',
    ...(model ? { model } : {}),
  });
}
const findings = (d: Diagnostic[]): string[] => d.map((x) => `${x.ruleId}: ${x.message}`);

/** The guides' cfg.xml examples, as printed (8832 and 8800 11.3 guides). */
const GUIDE_EXAMPLES = [
  // 8832 guide, Call Features Configuration > Parameters for Set Up Presence
  '<XMPP_Enable ua="na">Yes</XMPP_Enable>',
  '<XMPP_Server ua="na">xsi.iop1.broadworks.net</XMPP_Server>',
  '<XMPP_Port ua="na">5222</XMPP_Port>',
  '<XMPP_User_ID ua="na">username1</XMPP_User_ID>',
  '<XMPP_Password ua="na"></XMPP_Password>',
  '<Login_Invisible ua="na">Yes</Login_Invisible>',
  // 8832 guide, Access Control Parameters
  '<User_Password_Prompt ua="na">Yes</User_Password_Prompt>',
  // 8800 11.3 guide, Phone Information and Display Configuration
  '<Boot_Display ua="na">Logo</Boot_Display>',
  '<Logo_URL ua="na">http://10.64.84.147/pictures/logo_image.jpg</Logo_URL>',
  '<Text_Display ua="na">Super\\n%0aTelecom</Text_Display>',
  '<Phone_Background ua="na">Logo</Phone_Background>',
];

test('the guides’ own cfg.xml examples are known and pass their types, with and without --model', () => {
  for (const model of [undefined, '7841', '6851', '8851']) {
    const found = check(GUIDE_EXAMPLES.join('\n'), model).filter(
      (d) => d.ruleId !== 'plaintext-secret',
    );
    assert.deepEqual(findings(found), [], `model ${model ?? 'none'}`);
  }
});

test('values the guides’ tables rule out are errors', () => {
  const cases: [string, RegExp][] = [
    ['<XMPP_Port>65536</XMPP_Port>', /XMPP_Port/],
    ['<Boot_Display>Picture</Boot_Display>', /Boot_Display: expected one of/],
    ['<Phone_Background>Text</Phone_Background>', /Phone_Background: expected one of/],
    ['<Custom_LED_Type>Preset 2</Custom_LED_Type>', /Custom_LED_Type: expected one of/],
    ['<Preferred_Password_Input_Mode>PIN</Preferred_Password_Input_Mode>', /expected one of/],
    ['<Idle_LED>c=x</Idle_LED>', /Idle_LED/],
  ];
  for (const [text, message] of cases) {
    const errors = check(text).filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1, text);
    assert.match(errors[0]?.message ?? '', message, text);
  }
});

test('XMPP_Password is a catalog secret: clear text warns, the value never appears', () => {
  const entry = lookupParameter(DEFAULT_CATALOG, 'XMPP_Password')?.entry;
  assert.equal(entry?.secret, true);
  assert.ok(isSecretParameter('XMPP_Password', entry));
  const found = check('<XMPP_Password>s3cret-xmpp</XMPP_Password>');
  assert.deepEqual(
    found.map((d) => d.ruleId),
    ['plaintext-secret'],
  );
  assert.doesNotMatch(JSON.stringify(found), /s3cret-xmpp/);
  // a wrong value of a secret is reported without echoing it either
  const bad = check('<XMPP_Password>s3cret\u0001</XMPP_Password>');
  assert.doesNotMatch(JSON.stringify(bad), /s3cret/);
});

test('every entry added from guides this round cites one of the guides it came from', () => {
  const expected: Record<string, (keyof typeof GUIDES)[]> = {
    XMPP_Server: ['admin8832'],
    XMPP_Port: ['admin8832'],
    XMPP_User_ID: ['admin8832'],
    XMPP_Password: ['admin8832'],
    User_Password_Prompt: ['admin8832'],
    Logo_URL: ['admin8800'],
    Phone_Background: ['admin8800'],
    Boot_Display: ['admin8800_111', 'admin8800'],
    WideBand_Handset_Enable: ['notes6800_1111sr3'],
    PoE_Power_Required: ['notes8800_1201'],
    Custom_LED_Type: ['notes8800_1132', 'notes8800_1133'],
    Idle_LED: ['spa500'],
    Local_Seized_LED: ['admin8800'],
    Preferred_Password_Input_Mode: ['admin7800'],
  };
  for (const [name, guides] of Object.entries(expected)) {
    const entry = lookupParameter(DEFAULT_CATALOG, name)?.entry;
    assert.ok(entry, name);
    for (const g of guides) assert.ok(entry.source.includes(GUIDES[g]), `${name} cites ${g}`);
  }
});

test('the 6800-only WideBand_Handset_Enable is reported on a 7841 (a warning) and not on a 6851', () => {
  const text = '<WideBand_Handset_Enable>Yes</WideBand_Handset_Enable>';
  assert.deepEqual(findings(check(text, '6851')), []);
  const other = check(text, '7841');
  assert.deepEqual(
    other.map((d) => [d.severity, d.ruleId]),
    [['warning', 'model-family']],
  );
});
