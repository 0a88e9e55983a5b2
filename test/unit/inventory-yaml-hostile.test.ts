/**
 * Hostile YAML inventories on the streamed path (src/render/inventory-yaml.ts) meet the limits
 * of the whole-document path: alias bombs ("billion laughs") within a device or in `defaults`
 * are refused after 1,000 expansions and quickly; nesting deeper than the library can compose is
 * one problem naming a line; `__proto__`, `prototype` and `constructor` are refused as keys in
 * every spelling and place, and nothing reaches Object.prototype.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InventoryError,
  InventoryReader,
  formatInventoryProblem,
  type InventoryProblem,
} from '../../src/render/inventory.js';

function read(text: string, streamed: boolean): { error: string[] } | { devices: unknown[] } {
  try {
    const reader = new InventoryReader(text, 'inv.yaml', 'yaml', {
      yamlWholeParseMax: streamed ? 0 : Infinity,
    });
    const problems: InventoryProblem[] = [];
    const devices = [...reader.devices(problems)];
    if (problems.length > 0) return { error: problems.map(formatInventoryProblem) };
    return { devices };
  } catch (err) {
    assert.ok(err instanceof InventoryError, `not an InventoryError: ${String(err)}`);
    return { error: err.problems.map(formatInventoryProblem) };
  }
}

const DEVICE = `- mac: 0056.2b04.3615\n  model: '8841'\n`;

/** Nine levels of ten aliases each: 10^9 strings if expanded. */
function laughs(indent: string): string {
  let out = `${indent}l0: &l0 "lol"\n`;
  for (let i = 1; i <= 9; i++) {
    out += `${indent}l${i}: &l${i} [${Array(10)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`;
  }
  return out;
}

test('an alias bomb inside a device is refused, quickly, the same both ways', () => {
  const text = `${DEVICE}- mac: 0056.2b04.3616\n  model: '8841'\n${laughs('  ')}`;
  const start = process.cpuUsage();
  const streamed = read(text, true);
  const cpu = process.cpuUsage(start);
  assert.deepEqual(streamed, {
    error: ['inv.yaml: file: not valid YAML (too many alias expansions (an alias bomb?))'],
  });
  assert.deepEqual(read(text, false), streamed);
  assert.ok(cpu.user + cpu.system < 5e6, 'refused before expanding');
});

test('an alias bomb in defaults, with the devices streamed, is refused the same both ways', () => {
  const text = `defaults:\n${laughs('  ')}devices:\n${DEVICE.replace(/^/gm, '  ')}`;
  const streamed = read(text, true);
  assert.deepEqual(streamed, {
    error: ['inv.yaml: file: not valid YAML (too many alias expansions (an alias bomb?))'],
  });
  assert.deepEqual(read(text, false), streamed);
});

test('an anchor used by many devices: refused streamed (outside its device) — never expanded', () => {
  let text = `- mac: 0056.2b04.3615\n  model: '8841'\n  big: &big [${Array(100).fill('"x"').join(', ')}]\n`;
  for (let i = 1; i < 50; i++) {
    text += `- mac: 0056.2b04.${(0x3615 + i).toString(16)}\n  model: '8841'\n  big: *big\n`;
  }
  const streamed = read(text, true);
  assert.ok('error' in streamed && streamed.error.length === 1);
  assert.match(
    streamed.error[0]!,
    /^inv\.yaml: line 6, col 8: alias \*big names an anchor outside its device/,
  );
});

test('nesting deeper than the library composes: one problem with a line, both ways', () => {
  for (const nest of [
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    `${'{a: '.repeat(5000)}1${'}'.repeat(5000)}`,
    `\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 4)}- `).join('\n')} 1`,
  ]) {
    const text = `${DEVICE}- mac: 0056.2b04.3616\n  model: '8841'\n  x: ${nest}\n`;
    for (const streamed of [true, false]) {
      const r = read(text, streamed);
      assert.ok('error' in r && r.error.length === 1, JSON.stringify(r).slice(0, 200));
      // The line where the stack ran out: the two paths call the library from different depths.
      assert.match(
        r.error[0]!,
        /^inv\.yaml: line \d+, col \d+: not valid YAML \(maximum call stack size exceeded\)$/,
      );
    }
  }
});

const FORBIDDEN_SPELLINGS: [string, string][] = [
  ['plain', `${DEVICE}  __proto__: {polluted: true}\n`],
  ['double-quoted', `${DEVICE}  "__proto__": {polluted: true}\n`],
  ['escaped', `${DEVICE}  "\\x5f_proto__": {polluted: true}\n`],
  ['single-quoted', `${DEVICE}  'constructor': {prototype: {polluted: true}}\n`],
  ['explicit key', `${DEVICE}  ? prototype\n  : {polluted: true}\n`],
  ['flow map', `- {mac: 0056.2b04.3615, model: '8841', __proto__: {polluted: true}}\n`],
  ['nested in a list', `${DEVICE}  lines:\n    - {ext: 1}\n    - __proto__: {polluted: true}\n`],
  ['in defaults', `defaults:\n  sip:\n    __proto__: {polluted: true}\ndevices:\n${DEVICE}`],
  ['in a group', `groups:\n  g:\n    constructor: 1\ndevices:\n${DEVICE}`],
  ['at the top level', `__proto__: {polluted: true}\ndevices:\n${DEVICE}`],
];

for (const [name, text] of FORBIDDEN_SPELLINGS) {
  test(`a forbidden key (${name}) is refused with its line and column, both ways`, () => {
    const streamed = read(text, true);
    assert.deepEqual(read(text, false), streamed);
    assert.ok('error' in streamed, JSON.stringify(streamed));
    assert.match(
      streamed.error[0]!,
      /^inv\.yaml: line \d+, col \d+, field [\w.]*(__proto__|prototype|constructor): "(__proto__|prototype|constructor)" is not allowed as a field name/,
    );
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });
}

test('a key spelled by an alias to "__proto__" becomes no field, and pollutes nothing', () => {
  const text = `- mac: 0056.2b04.3615\n  model: '8841'\n  name: &k __proto__\n  *k : {polluted: true}\n`;
  const streamed = read(text, true);
  assert.deepEqual(read(text, false), streamed);
  assert.ok('devices' in streamed);
  const fields = (streamed.devices[0] as { fields: Record<string, unknown> }).fields;
  assert.equal(Object.getPrototypeOf(fields), null);
  assert.equal(Object.hasOwn(fields, '__proto__'), false);
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
});

test('device fields are prototype-less maps at every depth on the streamed path', () => {
  const r = read(`${DEVICE}  sip: {proxy: a, lines: [{toString: 1}]}\n`, true);
  assert.ok('devices' in r);
  const fields = (r.devices[0] as { fields: { sip: { lines: object[] } } }).fields;
  assert.equal(Object.getPrototypeOf(fields.sip), null);
  assert.equal(Object.getPrototypeOf(fields.sip.lines[0]), null);
  assert.deepEqual(Object.keys(fields.sip.lines[0]!), ['toString']);
});
