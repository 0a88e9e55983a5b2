// The leftovers of the previous round and a hostile pass over batch encrypt/decrypt and serve,
// each through the built CLI (and the core where the CLI cannot show it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeValues } from '../../src/render/variables.js';
import { runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-gaps8-');

test('render: `lines` as a map keyed by line numbers in defaults or a group merges position by position with a device list', async () => {
  const root = dir.fresh('lines-map');
  const device =
    'devices:\n  - mac: 00:56:2b:04:36:15\n    model: 8841\n    group: desk\n' +
    '    lines:\n      - { extension: "201", password: "pw-201" }\n      - { extension: "202" }\n';
  const yaml = join(root, 'inv.yaml');
  writeFileSync(
    yaml,
    'defaults:\n  sip: { proxy: pbx.example.com }\n  lines:\n    1: { display_name: Front }\n' +
      'groups:\n  desk:\n    lines: { "2": { display_name: Back } }\n' +
      device,
  );
  const json = join(root, 'inv.json');
  writeFileSync(
    json,
    JSON.stringify({
      defaults: { sip: { proxy: 'pbx.example.com' }, lines: { '1': { display_name: 'Front' } } },
      groups: { desk: { lines: { '2': { display_name: 'Back' } } } },
      devices: [
        {
          mac: '00:56:2b:04:36:15',
          model: '8841',
          group: 'desk',
          lines: [{ extension: '201', password: 'pw-201' }, { extension: '202' }],
        },
      ],
    }),
  );
  for (const file of [yaml, json]) {
    const r = await runCli(['render', '-i', file, '--device', '00562b043615']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<User_ID_1_ ua="na">201<\/User_ID_1_>/);
    assert.match(r.stdout, /<Display_Name_1_ ua="na">Front<\/Display_Name_1_>/, file);
    assert.match(r.stdout, /<User_ID_2_ ua="na">202<\/User_ID_2_>/);
    assert.match(r.stdout, /<Display_Name_2_ ua="na">Back<\/Display_Name_2_>/, file);
  }

  // The core, both ways round; a map with a name (or 0) among its keys is still a map (replaced).
  const merged = (base: unknown, over: unknown): unknown =>
    JSON.parse(JSON.stringify(mergeValues(base, over)));
  assert.deepEqual(merged({ lines: { 2: { proxy: 'x' } } }, { lines: [{ extension: '1' }] }), {
    lines: [{ extension: '1' }, { proxy: 'x' }],
  });
  assert.deepEqual(merged({ lines: [{ extension: '1' }] }, { lines: { 1: { proxy: 'x' } } }), {
    lines: [{ extension: '1', proxy: 'x' }],
  });
  assert.deepEqual(merged([1], { a: 2 }), { a: 2 });
  assert.deepEqual(merged([1], { 0: 2 }), { 0: 2 });
});
