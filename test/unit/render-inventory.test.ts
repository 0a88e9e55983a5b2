import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InventoryError, parseInventory, setPath } from '../../src/render/inventory.js';

function problemsOf(text: string, file: string): string[] {
  try {
    parseInventory(text, file);
  } catch (err) {
    assert.ok(err instanceof InventoryError, String(err));
    return err.message.split('\n');
  }
  assert.fail('expected an InventoryError');
}

/** The same data with ordinary prototypes, to compare with object literals. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

test('CSV: dotted headers build nested values, numbers are 1-based list positions', () => {
  const inv = parseInventory(
    'mac,model,sip.user,lines.1.extension,lines.2.extension\n00:56:2B:04:36:15,8841,u1,201,202\n',
    'inv.csv',
  );
  assert.equal(inv.devices.length, 1);
  assert.equal(Object.getPrototypeOf(inv.devices[0]!.fields), null, 'null-prototype maps');
  assert.deepEqual(plain(inv.devices[0]!.fields), {
    mac: '00562b043615',
    model: '8841',
    sip: { user: 'u1' },
    lines: [{ extension: '201' }, { extension: '202' }],
  });
  assert.equal(inv.devices[0]!.where, 'row 2');
});

test('CSV: empty cells are absent, not empty strings; a gap in a list stays a gap', () => {
  const inv = parseInventory(
    'mac,model,display_name,lines.1.extension,lines.2.extension\n0056.2b04.3615,8841,,,202\n',
    'inv.csv',
  );
  const fields = inv.devices[0]!.fields;
  assert.ok(!('display_name' in fields));
  const lines = fields.lines as unknown[];
  assert.equal(lines.length, 2);
  assert.equal(lines[0], undefined);
  assert.deepEqual(plain(lines[1]), { extension: '202' });
});

test('every common MAC notation normalises to 12 lower-case hex digits; models are canonical', () => {
  const csv = [
    'mac,model',
    '00:56:2B:04:36:15,CP-8841-3PCC',
    '0056.2b04.3616,cp-8841',
    '00-56-2b-04-36-17,8841',
    '00562B043618,8841',
  ].join('\n');
  const inv = parseInventory(csv, 'inv.csv');
  assert.deepEqual(
    inv.devices.map((d) => d.mac),
    ['00562b043615', '00562b043616', '00562b043617', '00562b043618'],
  );
  assert.deepEqual(
    inv.devices.map((d) => d.fields.model),
    ['8841', '8841', '8841', '8841'],
  );
});

// Inventory error cases: each names the file, the row and the field.
const BAD_CSV: ReadonlyArray<[string, string, RegExp]> = [
  [
    'bad MAC',
    'mac,model\n00:56:2B:04:36,8841\n',
    /^inv\.csv: row 2, field mac: "00:56:2B:04:36" is not a MAC address/,
  ],
  [
    'duplicate MAC in another notation',
    'mac,model\n00:56:2B:04:36:15,8841\n0056.2b04.3615,8841\n',
    /^inv\.csv: row 3, field mac: duplicate MAC 00562b043615 \(also row 2\)$/,
  ],
  [
    'duplicate serial (case-insensitive)',
    'serial,model\nFCH2443D9R4,ATA191\nfch2443d9r4,ATA191\n',
    /^inv\.csv: row 3, field serial: duplicate serial fch2443d9r4 \(also row 2\)$/,
  ],
  [
    'unknown model',
    'mac,model\n00562b043615,9999\n',
    /^inv\.csv: row 2, field model: unknown model "9999"/,
  ],
  ['missing model', 'mac,display_name\n00562b043615,x\n', /^inv\.csv: row 2, field model: missing/],
  [
    'neither MAC nor serial',
    'model,display_name\n8841,x\n',
    /^inv\.csv: row 2, field mac: a device needs a mac/,
  ],
  [
    'a header used twice',
    'mac,mac,model\n1,2,3\n',
    /^inv\.csv: row 1, column 2, field mac: the header appears twice$/,
  ],
  [
    'a value and a nested field under one name',
    'mac,model,sip,sip.user\n00562b043615,8841,x,y\n',
    /^inv\.csv: row 1, column 4, field sip\.user: conflicts with column sip: a value and a nested field of the same name$/,
  ],
  [
    'list positions start at 1',
    'mac,model,lines.0.extension\n',
    /field lines\.0\.extension: "lines\.0\.extension": list positions start at 1/,
  ],
  [
    'more cells than headers',
    'mac,model\n00562b043615,8841,extra\n',
    /^inv\.csv: row 2: 3 cells but the header has 2 columns$/,
  ],
];
for (const [name, csv, expected] of BAD_CSV) {
  test(`CSV error: ${name}`, () => {
    const problems = problemsOf(csv, 'inv.csv');
    assert.match(problems[0]!, expected);
  });
}

test('every problem is reported, not only the first', () => {
  const problems = problemsOf('mac,model\nzz,8841\n00562b043615,nope\n', 'inv.csv');
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /row 2, field mac/);
  assert.match(problems[1]!, /row 3, field model/);
});

test('YAML: a list of devices, errors name the line', () => {
  const yaml = '- mac: 00:56:2B:04:36:15\n  model: "8841"\n- mac: nope\n  model: "8841"\n';
  const problems = problemsOf(yaml, 'inv.yaml');
  assert.match(
    problems[0]!,
    /^inv\.yaml: line 3 \(device 2\), field mac: "nope" is not a MAC address/,
  );
});

test('YAML: { defaults, groups, devices } keeps numbers and nested maps', () => {
  const yaml = [
    'defaults: { time_zone: GMT }',
    'groups:',
    '  hq: { sip: { proxy: hq.example.com } }',
    'devices:',
    '  - { mac: 00562b043615, model: 8841, group: hq, lines: [ { extension: 201 } ] }',
  ].join('\n');
  const inv = parseInventory(yaml, 'inv.yml');
  assert.deepEqual(plain(inv.defaults), { time_zone: 'GMT' });
  assert.deepEqual(plain(inv.groups), { hq: { sip: { proxy: 'hq.example.com' } } });
  assert.deepEqual(plain(inv.devices[0]!.fields.lines), [{ extension: 201 }]);
  assert.equal(inv.devices[0]!.where, 'line 5 (device 1)');
});

test('YAML: unknown top-level keys and non-map devices are errors', () => {
  const problems = problemsOf('devices: [ 3 ]\nextras: 1\n', 'inv.yaml');
  assert.ok(problems.some((p) => /top level, field extras: unknown key/.test(p)));
  assert.ok(problems.some((p) => /line 1 \(device 1\): expected a map of fields/.test(p)));
});

test('JSON: a list of devices, errors name the device', () => {
  const problems = problemsOf(
    '[{"mac":"00562b043615","model":"8841"},{"mac":"00562b043615","model":"8841"}]',
    'inv.json',
  );
  assert.match(
    problems[0]!,
    /^inv\.json: device 2, field mac: duplicate MAC 00562b043615 \(also device 1\)$/,
  );
});

test('malformed JSON, YAML and unknown extensions are one clear problem each', () => {
  assert.match(problemsOf('[{', 'inv.json')[0]!, /^inv\.json: line 1, col 3: not valid JSON/);
  assert.match(problemsOf('a: [', 'inv.yaml')[0]!, /^inv\.yaml: line \d+, col \d+: not valid YAML/);
  assert.match(
    problemsOf('x', 'inv.txt')[0]!,
    /expected a \.csv, \.json, \.yaml or \.yml inventory/,
  );
});

test('setPath reports conflicts instead of overwriting', () => {
  const target = {};
  assert.equal(setPath(target, ['a', 1, 'b'], 'x'), undefined);
  assert.deepEqual(plain(target), { a: [{ b: 'x' }] });
  assert.match(setPath(target, ['a', 'c'], 'y') ?? '', /a list and a map at the same place/);
});
