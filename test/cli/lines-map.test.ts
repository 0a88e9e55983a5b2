// A `lines` map keyed by line numbers with no list in any layer (YAML's spelling of a CSV's
// `lines.1.extension` columns) is the same list: trial8 found `lines: { 1: {…}, 2: {…} }` on a
// device failing with "undefined variable: line.extension" while gaps8 made such a map merge
// with a list in another layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeValues } from '../../src/render/variables.js';
import { runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-lines-map-');
const TEMPLATE = join(import.meta.dirname, '..', '..', 'templates', 'mpp-desk.liquid');

function inventory(lines: string): string {
  return (
    'defaults:\n  sip: { proxy: pbx.example.com }\ndevices:\n' +
    '  - mac: 00562b043615\n    model: "8841"\n    display_name: Lobby\n    lines:\n' +
    lines
  );
}

test('render: a device’s `lines` map keyed 1, 2 renders as the same two lines as a YAML list', async () => {
  const root = dir.fresh('device');
  const asMap = join(root, 'map.yaml');
  const asList = join(root, 'list.yaml');
  writeFileSync(
    asMap,
    inventory(
      '      1: { extension: "201", display_name: Front }\n      2: { extension: "202" }\n',
    ),
  );
  writeFileSync(
    asList,
    inventory('      - { extension: "201", display_name: Front }\n      - { extension: "202" }\n'),
  );
  const outputs: string[] = [];
  for (const [name, file] of [
    ['map', asMap],
    ['list', asList],
  ] as const) {
    const out = join(root, name);
    const r = await runCli(['render', '-i', file, '-t', TEMPLATE, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const [profile] = readdirSync(out);
    outputs.push(readFileSync(join(out, profile!), 'utf8'));
  }
  assert.match(outputs[0]!, /<Display_Name_1_ ua="na">Front<\/Display_Name_1_>/);
  assert.match(outputs[0]!, /<User_ID_2_ ua="na">202<\/User_ID_2_>/);
  assert.equal(outputs[0], outputs[1]);
});

/** As JSON would carry it: plain prototypes, holes as null. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

test('core: position-keyed maps become lists at any depth; other maps and values stay as they are', () => {
  assert.deepEqual(plain(mergeValues(undefined, { a: { lines: { 1: 'x', 2: 'y' } } })), {
    a: { lines: ['x', 'y'] },
  });
  assert.deepEqual(plain(mergeValues(undefined, [{ keys: { 2: 'b' } }])), [{ keys: [null, 'b'] }]);
  const named = { sip: { proxy: 'p' }, codes: { 0: 'zero', 1: 'one' }, site: { a1: 1 } };
  assert.equal(mergeValues(undefined, named), named, 'nothing to change: the same object');
  assert.deepEqual(plain(mergeValues({ x: 1 }, { lines: { 1: { e: '201' } } })), {
    x: 1,
    lines: [{ e: '201' }],
  });
});
