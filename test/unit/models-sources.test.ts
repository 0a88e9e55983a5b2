/**
 * The model table against Cisco's published text (issue #9: "with sources"). Each figure below
 * is the one the cited document gives; the row's `sources` entry must name that document and
 * carry the quoted words, so a figure cannot change without its citation changing too.
 * Documents were read in stored copies of cisco.com / help.webex.com pages (URLs in the rows).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MODELS, findModel, type PhoneModel } from '../../src/device/models.js';
import { validateProfileText } from '../../src/validate/index.js';
import { profileOf, type CorpusExport } from '../corpus/corpus.js';

type Field = 'lines' | 'lineKeys' | 'maxExpansionModules' | 'firmwarePrefix' | 'productName';

interface Fact {
  model: string;
  field: Field;
  value: number | string;
  /** Words of the cited text that the row's source for this field must contain. */
  quote: string;
}

function row(model: string): PhoneModel {
  const m = findModel(model);
  assert.ok(m, `no row ${model}`);
  return m;
}

// Cisco IP Phone 7800 Series Administration Guide for CUCM, chapter "Cisco IP Phone Hardware",
// table "Phone / Supported Line Keys" (cisco.com/…/pa2d_b_7800-series-admin-guide-cucm_chapter_011.html):
// 7811 0, 7821 2, 7841 4, 7861 16. Same hardware under MPP firmware.
const KEYS_7800: Fact[] = [
  { model: '7811', field: 'lineKeys', value: 0, quote: 'Supported Line Keys": 7811 0' },
  { model: '7821', field: 'lineKeys', value: 2, quote: '7821 2' },
  { model: '7841', field: 'lineKeys', value: 4, quote: '7841 4' },
  { model: '7861', field: 'lineKeys', value: 16, quote: '7861 16' },
];

// 8800 MPP release notes 11.0(0), "Enhanced Line Mode": "The buttons on the left and right of
// the phone screen can be set up as line buttons, giving up to five more line keys" — on by
// default, so 5 + 5 = 10; the XML Reference Guide's Extension_n_ gives n = 1-10; an 8851's own
// export (fusionpbx c36f1c3968) and an 8861's (9425225820) list Extension_1_ … Extension_10_.
// Was 5 "[recalled]".
const KEYS_8800: Fact[] = ['8811', '8841', '8845', '8851', '8861', '8865'].map((model) => ({
  model,
  field: 'lineKeys',
  value: 10,
  quote: 'giving up to five more line keys',
}));

// XML Reference Guide for Cisco IP Phone Multiplatform Phones (2025-11-19):
// Enable_Direct_PLK_Configuration, label "Line Key": "All MPP phones except 7811, 7832, and 8832".
// The 8832 keeps its one line on line key 1 (its guide: a single line), so it has 1, no more.
const KEYS_CONFERENCE: Fact[] = [
  {
    model: '7832',
    field: 'lineKeys',
    value: 0,
    quote: 'All MPP phones except 7811, 7832, and 8832',
  },
  {
    model: '8832',
    field: 'lineKeys',
    value: 1,
    quote: 'All MPP phones except 7811, 7832, and 8832',
  },
  { model: '8832', field: 'lineKeys', value: 1, quote: 'is configured as line key 1' },
];

// Webex help "Cisco Desk Phone 9800 Key Expansion Module" (ngr795j, 2025-04-22), Table 1.
// The 9851 takes one KEM, not 3 as the table had ("[open]").
const KEM_9800: Fact[] = [
  { model: '9851', field: 'lineKeys', value: 6, quote: '(6 lines on phone)' },
  { model: '9851', field: 'maxExpansionModules', value: 1, quote: 'Supports 1 KEM and 46 lines' },
  { model: '9861', field: 'lineKeys', value: 10, quote: '(10 lines on phone)' },
  { model: '9861', field: 'maxExpansionModules', value: 3, quote: 'Supports up to 3 KEMs and 130' },
  { model: '9871', field: 'maxExpansionModules', value: 3, quote: 'Supports up to 3 KEMs and 124' },
  { model: '9841', field: 'maxExpansionModules', value: 0, quote: 'the 9841 is not listed' },
];

// Webex "Configure layouts for Cisco phones in Control Hub" (nb0brcp, 2025-12-04): the 9871
// "supports a total of 16 programmable virtual line keys"; PhoneOS 5.0(1) release notes
// (n1trwjh): 9871 and 8875 virtual line keys "increased from 16 to 32", SIP lines "remains 16".
// The 8875 had 0 ("no physical line keys [doc, recalled]"), the 9871 10 ("[doc, recalled]").
const PHONEOS: Fact[] = [
  { model: '9871', field: 'lineKeys', value: 16, quote: 'a total of 16 programmable virtual' },
  { model: '9871', field: 'lines', value: 16, quote: 'extension SIP line remains 16' },
  { model: '8875', field: 'lineKeys', value: 16, quote: 'increased from 16 to 32' },
  { model: '8875', field: 'lines', value: 16, quote: 'extension SIP line remains 16' },
];

// 6800 MPP release notes: 6861 11.2(4) "Supports for four lines"; 6871 11.3(1) "Support for six
// lines"; 12.0(7)SR3 "6821: …/sip6821.12-0-7MPP0301-92.loads", "Other phones in 6800 series:
// …/sip68xx…" (the 6821 had sip68xx).
const RN_6800: Fact[] = [
  { model: '6861', field: 'lines', value: 4, quote: 'Supports for four lines' },
  { model: '6871', field: 'lines', value: 6, quote: 'Support for six lines' },
  { model: '6821', field: 'firmwarePrefix', value: 'sip6821', quote: '6821: …/sip6821.12-0-7' },
  { model: '6841', field: 'firmwarePrefix', value: 'sip68xx', quote: 'Other phones in 6800' },
  { model: '6861', field: 'firmwarePrefix', value: 'sip68xx', quote: 'Other phones in 6800' },
];

// Services Development Notes, x-CiscoIPPhoneModelName: "Some examples of manufacturing Model
// Names are CP-7861, CP-8875, CP-8845, and DP-9841"; FN72302 lists the PID CP-8875-K9.
const NAMES: Fact[] = [
  { model: '9841', field: 'productName', value: 'DP-9841', quote: 'CP-8875, CP-8845, and DP-9841' },
  { model: '8875', field: 'productName', value: 'CP-8875', quote: 'CP-8875-K9' },
];

// ATA 191 admin guide: "the phone connected to PHONE1 or PHONE2"; the ATA191/192 exports
// enable Line_Enable_1_ and _2_ only.
const ATA: Fact[] = ['ATA191', 'ATA192'].map((model) => ({
  model,
  field: 'lines',
  value: 2,
  quote: 'PHONE1 or PHONE2',
}));

const FACTS = [
  ...KEYS_7800,
  ...KEYS_8800,
  ...KEYS_CONFERENCE,
  ...KEM_9800,
  ...PHONEOS,
  ...RN_6800,
  ...NAMES,
  ...ATA,
];

for (const fact of FACTS) {
  test(`${fact.model} ${fact.field} = ${fact.value}, as the cited text gives it`, () => {
    const m = row(fact.model);
    assert.equal(m[fact.field], fact.value);
    const source = m.sources[fact.field] ?? '';
    assert.ok(
      source.includes(fact.quote),
      `${fact.model} ${fact.field}: source lacks "${fact.quote}"`,
    );
    assert.match(source, /\[doc\]/, `${fact.model} ${fact.field}: not marked [doc]`);
  });
}

test('no source still rests on a recalled figure', () => {
  for (const m of MODELS) {
    for (const [field, text] of Object.entries(m.sources)) {
      assert.doesNotMatch(text ?? '', /recalled/i, `${m.model} ${field}`);
    }
  }
});

test('the line-key figures no Cisco text states are exactly these, each marked [open]', () => {
  // 6800s: no 6800 data sheet or guide in reach gives line keys (the third-party table's count
  // is used); 6821/6841/6851 line counts likewise. 9841: nothing found (earlier figure kept).
  // 9871/8875: 16 of the 32 PhoneOS 5.0(1) allows (the catalog knows keys 1-16). 7811: the
  // documented 0 against a third-party count of 1. 8832: its single line on key 1, no Cisco
  // text printing the key-1 fields found.
  const open = MODELS.filter((m) => (m.sources.lineKeys ?? '').includes('[open')).map(
    (m) => m.model,
  );
  assert.deepEqual(open.sort(), [
    '6821',
    '6841',
    '6851',
    '6861',
    '6871',
    '7811',
    '8832',
    '8875',
    '9841',
    '9871',
  ]);
  for (const model of ['9841', '6821']) {
    assert.match(row(model).sources.lineKeys ?? '', /searched/, `${model}: says what was searched`);
  }
});

/** Model-capacity findings of the built-in catalog for a profile body on a model. */
function capacity(body: string, model: string): string[] {
  const text = `<flat-profile>\n${body}\n</flat-profile>\n`;
  return validateProfileText(text, { file: 'x.xml', model })
    .filter((d) => d.ruleId === 'model-capacity')
    .map((d) => d.message);
}

test("an 8851's own line keys 1-10 pass --model 8851; an 11th does not", () => {
  // The 8851 export (fusionpbx c36f1c3968): <Extension_n_ ua="na">n</Extension_n_>, n = 1…10.
  const keys = Array.from(
    { length: 10 },
    (_, i) => `<Extension_${i + 1}_>${i + 1}</Extension_${i + 1}_>`,
  );
  assert.deepEqual(capacity(keys.join('\n'), '8851'), []);
  assert.deepEqual(capacity('<Extension_11_>Disabled</Extension_11_>', '8851'), [
    'Extension_11_: index 11 is beyond the 10 line keys of the CP-8851-3PCC',
  ]);
});

test('the 8832 has its one line on line key 1 (Extension_1_ passes --model 8832); key 2 is refused', () => {
  const key1 =
    '<Extension_1_>1</Extension_1_>\n<Short_Name_1_>$USER</Short_Name_1_>\n<Share_Call_Appearance_1_>private</Share_Call_Appearance_1_>';
  assert.deepEqual(capacity(key1, '8832'), []);
  assert.deepEqual(capacity('<Extension_2_>2</Extension_2_>', '8832'), [
    'Extension_2_: index 2 is beyond the 1 line keys of the CP-8832-3PCC',
  ]);
  // The 7832 stays at 0: nothing shows it otherwise.
  assert.equal(capacity(key1, '7832').length, 3);
});

test("a 9861's own export passes --model 9861; its second KEM unit is refused on a 9851", () => {
  const exportFile = fileURLToPath(
    new URL('../corpus/exports/fusionpbx-9861.json', import.meta.url),
  );
  const data = JSON.parse(readFileSync(exportFile, 'utf8')) as {
    parameters: { name: string; value: string | null }[];
  };
  const body = data.parameters
    .filter((p) => /^(Line_Enable|Unit_\d_(Extension|Short_Name))_\d+_$/.test(p.name))
    .map((p) => `<${p.name}>${p.value ?? ''}</${p.name}>`)
    .join('\n');
  assert.ok(body.includes('Unit_3_Extension_1_'), 'the export has three KEM units');
  assert.deepEqual(capacity(body, '9861'), []);
  const on9851 = capacity(body, '9851');
  assert.ok(on9851.length > 0);
  for (const message of on9851) {
    assert.match(
      message,
      /^Unit_[23]_\w+: index [23] is beyond the 1 key expansion modules of the DP-9851$/,
    );
  }
});

test('the 8851 and 8861 exports in the corpus get no model-capacity error with their --model', () => {
  // fusionpbx c36f1c3968 (an 8851 after factory default) and 9425225820 (an 8861, 2019): both
  // list Extension_n_, Short_Name_n_, Share_Call_Appearance_n_, Extended_Function_n_ for
  // n = 1-10, which the 5 line keys the table had refused (20 false errors per file).
  for (const id of ['fusionpbx-8851-factory', 'fusionpbx-8861-2019']) {
    const file = fileURLToPath(new URL(`../corpus/exports/${id}.json`, import.meta.url));
    const corpus = JSON.parse(readFileSync(file, 'utf8')) as CorpusExport;
    const text = profileOf(corpus);
    assert.match(text, /<Extended_Function_10_/, `${id} has line key 10`);
    const found = validateProfileText(text, { file: id, model: corpus.model, encrypted: true })
      .filter((d) => d.ruleId === 'model-capacity')
      .map((d) => d.message);
    assert.deepEqual(found, [], id);
  }
});
