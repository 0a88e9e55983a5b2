// `convert --to yaml` (writeProfileText): DEL, the C1 controls and the characters that reorder or
// hide text are written as YAML escapes, never raw — read back by the yaml library and by an
// independent reader (PyYAML, which refuses a stream carrying C1 controls raw, YAML 1.2 §5.1).
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { writeProfileText } from '../../src/profile/profile-formats.js';
import type { ProfileMap } from '../../src/profile/profile-map.js';

const RAW = /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const HOSTILE = [
  'a\u0085b', // NEL
  'csi\u009b31m', // one-byte CSI
  '\u0080\u009f\u007f',
  'admin\u202etxt.exe', // RLO
  '\u202a\u202b\u202c\u202d',
  '\u2066\u2067\u2068\u2069isolates',
  'zero\u200bwidth\u200f\u061c',
  'line\u2028para\u2029',
  'bom\ufeff',
  'back\\slash\u202e"quote"',
  `long value ${'x'.repeat(60)}\nsecond line\u0085 with NEL`,
  '',
];

function map(values: readonly string[]): ProfileMap {
  const parameters: ProfileMap = new Map();
  values.forEach((value, i) => parameters.set(`GPP_${i}`, { value, ua: i % 2 ? 'na' : 'rw' }));
  // XML allows U+200C in an element name: such a key must be quoted to be escaped.
  parameters.set('A\u200cB', { value: 'x\u202e' });
  return parameters;
}

function expected(values: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  values.forEach((value, i) => (out[`GPP_${i}`] = { value, ua: i % 2 ? 'na' : 'rw' }));
  out['A\u200cB'] = { value: 'x\u202e' };
  return out;
}

describe('YAML escaping of control and bidi characters', () => {
  const yaml = writeProfileText(map(HOSTILE), 'yaml');

  test('no such character is written raw; each is an escape', () => {
    assert.doesNotMatch(yaml, RAW);
    assert.match(yaml, /"value": "a\\x85b"/); // keys quoted: one holds U+200C
    assert.match(yaml, /"value": "admin\\u202Etxt\.exe"/);
    assert.match(yaml, /"A\\u200CB":/);
  });

  test('the yaml library reads back exactly the values', () => {
    assert.deepEqual(parseYaml(yaml), expected(HOSTILE));
  });

  const python = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
  test(
    'PyYAML reads back exactly the values',
    { skip: python.status !== 0 ? 'python3 with PyYAML not installed' : false },
    () => {
      const run = spawnSync(
        'python3',
        [
          '-c',
          'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.buffer.read().decode("utf-8"))))',
        ],
        { input: yaml, encoding: 'utf8' },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), expected(HOSTILE));
    },
  );

  test('an ordinary profile is written as before: plain keys, double-quoted values', () => {
    const parameters: ProfileMap = new Map([['Station_Name', { value: 'Caf\u00e9 Lobby' }]]);
    assert.equal(
      writeProfileText(parameters, 'yaml'),
      'Station_Name:\n  value: "Caf\u00e9 Lobby"\n',
    );
  });
});
