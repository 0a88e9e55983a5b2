/**
 * A YAML inventory read a device at a time (src/render/inventory-yaml.ts, above
 * YAML_WHOLE_PARSE_CHARS) must be the inventory `parseDocument` gives: the same devices,
 * defaults and groups, and the same problems — wording, line and column — for good and bad
 * input. Differential: the same text through both paths (`yamlWholeParseMax` 0 and Infinity),
 * over the repository's example, a table of hand-written cases (anchors and aliases, merge
 * keys, block scalars, comments, `{ defaults, groups, devices }`, syntax errors in every part),
 * generated inventories and corrupted ones. Then what only the streamed path does: an alias to
 * an anchor in another device is one line naming it, and the threshold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  assertSameBothWays as sameBothWays,
  outcome as readerOutcome,
  type Outcome,
} from '../helpers/inventory-differential.js';
import { InventoryReader, type InventoryProblem } from '../../src/render/inventory.js';
import {
  SerializedValues,
  YAML_WHOLE_PARSE_CHARS,
  streamYamlDocument,
} from '../../src/render/inventory-yaml.js';

const outcome = (input: Parameters<typeof readerOutcome>[0], streamed: boolean): Outcome =>
  readerOutcome(input, 'yaml', streamed);
const assertSameBothWays = (text: string): Outcome => sameBothWays(text, 'yaml');

const DEVICE = (n: number): string =>
  `- mac: 00:56:2b:04:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}\n  model: '8841'\n  display_name: Phone ${n}\n`;

/** Good and bad inventories, by name; each must read the same both ways. */
const CASES: Record<string, string> = {
  'list of devices': DEVICE(1) + DEVICE(2) + DEVICE(3),
  'document markers and comments': `%YAML 1.2\n---\n# fleet\n${DEVICE(1)}# between\n\n${DEVICE(2)}  # indented comment\n...\n`,
  'map shape': `defaults:\n  site: hq\ngroups:\n  lobby:\n    ring: 3\ndevices:\n${DEVICE(1).replace(/^/gm, '  ')}${DEVICE(2).replace(/^/gm, '  ')}`,
  'map shape, devices first, compact list': `devices:\n${DEVICE(1)}${DEVICE(2)}defaults: {site: hq}\n`,
  'quoted devices key': `"devices":\n${DEVICE(1)}`,
  'flow list (not streamed)': `devices: [{mac: '00:56:2b:04:36:15', model: '8841'}, {mac: '0056.2b04.3616', model: 8851}]\n`,
  'JSON as YAML':
    '[{"mac": "00562b043615", "model": "8841"}, {"mac": "00562b043616", "model": "8841"}]',
  'anchors and aliases within a device': `- mac: 0056.2b04.3615\n  model: '8841'\n  lines:\n    - &l {ext: 101, label: Front}\n    - *l\n- mac: 0056.2b04.3616\n  model: '8841'\n  sip: &s {proxy: a}\n  backup: *s\n`,
  'anchor on a device, alias inside it': `- &d\n  mac: 0056.2b04.3615\n  model: '8841'\n  extra: {x: 1}\n`,
  'merge key within a device (YAML 1.2: a plain key)': `- base: &b {model: '8841'}\n  <<: *b\n  mac: 0056.2b04.3615\n`,
  'YAML 1.1 merge key within a device': `%YAML 1.1\n---\n- base: &b {model: '8841', site: hq}\n  <<: *b\n  mac: 0056.2b04.3615\n`,
  'alias in defaults to an anchor in defaults': `defaults:\n  a: &x {k: 1}\n  b: *x\ndevices:\n${DEVICE(1)}`,
  'block scalars and multi-line strings': `- mac: 0056.2b04.3615\n  model: '8841'\n  note: |\n    line one\n    line two\n  folded: >-\n    folded\n    text\n  plain: a long\n    plain scalar\n  quoted: "a \\"quoted\\"\n    text"\n`,
  'numbers, NaN and Infinity, null, booleans': `- mac: 0056.2b04.3615\n  model: 8841\n  a: .nan\n  b: -.inf\n  c: -0\n  d: ~\n  e: true\n  f: 0x1F\n  g: 1e3\n`,
  'nested lists of maps': `- mac: 0056.2b04.3615\n  model: '8841'\n  lines:\n    - ext: 101\n      keys:\n        - a\n        - b\n    - ext: 102\n`,
  'devices that are not maps': `- 1\n- mac: 0056.2b04.3615\n  model: '8841'\n- [a, b]\n- \n- text\n`,
  'device problems: bad MAC, duplicate, unknown model': `${DEVICE(1)}${DEVICE(1)}- mac: nope\n  model: '8841'\n- mac: 0056.2b04.3699\n  model: '9999'\n`,
  'empty document': '',
  'comments only': '# nothing\n',
  'empty list': '[]\n',
  'map without devices': 'defaults: {a: 1}\n',
  'unknown top-level key': `devices:\n${DEVICE(1)}extra: 1\n`,
  'defaults not a map': `defaults: [1]\ndevices:\n${DEVICE(1)}`,
  'groups not a map of maps': `groups: {a: 1, b: {x: 1}}\ndevices:\n${DEVICE(1)}`,
  'devices not a list': 'devices: 5\n',
  'a scalar document': 'hello\n',
  'tagged device list (not streamed)': `devices: !!seq\n${DEVICE(1)}`,
  'anchored device list (not streamed)': `devices: &all\n${DEVICE(1)}`,
  'two documents': `${DEVICE(1)}---\n${DEVICE(2)}`,
  'duplicate key in a device': `- mac: 0056.2b04.3615\n  mac: 0056.2b04.3616\n  model: '8841'\n`,
  'duplicate devices key': `devices:\n${DEVICE(1)}devices:\n${DEVICE(2)}`,
  'bad indentation in the third device': `${DEVICE(1)}${DEVICE(2)}- mac: 0056.2b04.3617\n   model: '8841'\n  x: 1\n`,
  'unclosed quote in a device': `${DEVICE(1)}- mac: "0056.2b04.3617\n  model: '8841'\n`,
  'unclosed flow map in a device': `${DEVICE(1)}- {mac: 0056.2b04.3617, model: '8841'\n${DEVICE(2)}`,
  'tab indentation': `${DEVICE(1)}-\tmac: 0056.2b04.3617\n\tmodel: '8841'\n`,
  'error in defaults before devices': `defaults:\n  a: [1\ndevices:\n${DEVICE(1)}- mac: "x\n`,
  'error after the devices': `devices:\n${DEVICE(1)}defaults: {a: 1\n`,
  'syntax errors in two devices': `${DEVICE(1)}- mac: "x\n  model: 1\n${DEVICE(2)}- [a\n`,
  'forbidden keys in devices and defaults': `defaults:\n  __proto__: {x: 1}\ndevices:\n- mac: 0056.2b04.3615\n  model: '8841'\n  sip:\n    constructor: 1\n- mac: 0056.2b04.3616\n  model: '8841'\n  lines:\n    - prototype: 2\n`,
  'forbidden key after the devices': `devices:\n${DEVICE(1)}groups:\n  g:\n    __proto__: 1\n`,
  'forbidden key as a device field': `- mac: 0056.2b04.3615\n  model: '8841'\n  "__proto__": {polluted: true}\n`,
  'alias bomb within a device': `- mac: 0056.2b04.3615\n  model: '8841'\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
  'alias with no anchor': `${DEVICE(1)}- mac: 0056.2b04.3616\n  model: '8841'\n  x: *nowhere\n`,
  'alias before its anchor in a device': `- mac: 0056.2b04.3616\n  model: '8841'\n  x: *later\n  y: &later 1\n`,
  'empty anchor': `- mac: 0056.2b04.3616\n  model: &  '8841'\n`,
  'unknown tag': `- mac: 0056.2b04.3616\n  model: !weird '8841'\n`,
  'BOM and CRLF': `\uFEFF${DEVICE(1)}${DEVICE(2)}`.replace(/\n/g, '\r\n'),
  'a device with explicit keys': `- ? mac\n  : 0056.2b04.3615\n  model: '8841'\n`,
  'deeply nested flow value': `- mac: 0056.2b04.3615\n  model: '8841'\n  x: ${'['.repeat(200)}${']'.repeat(200)}\n`,
  'a device on one line, flow map': `- {mac: 0056.2b04.3615, model: '8841'}\n- {mac: 0056.2b04.3616, model: '8841'}\n`,
  'seq item without dash after dedent': `devices:\n  - mac: 0056.2b04.3615\n    model: '8841'\n  mac: x\n`,
  'trailing garbage': `${DEVICE(1)}]\n`,
};

test('the example inventory reads the same both ways', () => {
  const text = readFileSync('examples/inventory.yaml', 'utf8');
  const whole = assertSameBothWays(text);
  assert.ok('passes' in whole && whole.passes[0]!.devices.length > 5);
});

for (const [name, text] of Object.entries(CASES)) {
  test(`the same both ways: ${name}`, () => {
    assertSameBothWays(text);
  });
}

test('stdin bytes read the same both ways', () => {
  const text = CASES['map shape']!;
  const bytes = new TextEncoder().encode(text);
  assert.deepEqual(outcome(bytes, true), outcome(text, false));
});

test('an alias to an anchor in another device is one line naming it (streamed only)', () => {
  const text = `- mac: 0056.2b04.3615\n  model: '8841'\n  sip: &s {proxy: a}\n- mac: 0056.2b04.3616\n  model: '8841'\n  sip: *s\n`;
  const whole = outcome(text, false);
  assert.ok('passes' in whole && whole.passes[0]!.devices.length === 2);
  assert.deepEqual(outcome(text, true), {
    error: [
      `inv.yaml: line 6, col 8: alias *s names an anchor outside its device, which a YAML inventory above ${YAML_WHOLE_PARSE_CHARS / 1024 / 1024} MiB cannot use (it is read a device at a time): repeat the values, or put them in defaults or a group`,
    ],
  });
  // An anchor in defaults, too.
  const fromDefaults = `defaults:\n  s: &s {proxy: a}\ndevices:\n- mac: 0056.2b04.3615\n  model: '8841'\n  sip: *s\n`;
  const streamed = outcome(fromDefaults, true);
  assert.ok(
    'error' in streamed &&
      /line 6, col 8: alias \*s names an anchor outside/.test(streamed.error[0]!),
  );
});

test('an alias with no anchor anywhere says so, both ways', () => {
  const whole = assertSameBothWays(CASES['alias with no anchor']!);
  assert.deepEqual(whole, {
    error: ['inv.yaml: file: not valid YAML (alias *nowhere has no anchor before it)'],
  });
});

test('the messages the table relies on are the ones a user sees', () => {
  assert.deepEqual(assertSameBothWays(CASES['unclosed quote in a device']!), {
    error: ['inv.yaml: line 6, col 1: not valid YAML (missing closing "quote)'],
  });
  const forbidden = assertSameBothWays(CASES['forbidden keys in devices and defaults']!);
  assert.deepEqual(forbidden, {
    error: [
      'inv.yaml: line 2, col 3, field defaults.__proto__: "__proto__" is not allowed as a field name (it would reach JavaScript\'s Object prototype)',
      'inv.yaml: line 7, col 5, field sip.constructor: "constructor" is not allowed as a field name (it would reach JavaScript\'s Object prototype)',
      'inv.yaml: line 11, col 7, field lines.1.prototype: "prototype" is not allowed as a field name (it would reach JavaScript\'s Object prototype)',
    ],
  });
  assert.deepEqual(assertSameBothWays(CASES['alias bomb within a device']!), {
    error: ['inv.yaml: file: not valid YAML (too many alias expansions (an alias bomb?))'],
  });
});

/** A generated inventory: `n` devices in one of the shapes, with comments and odd fields. */
function generated(n: number, shape: 'list' | 'map', seed: number): string {
  const indent = shape === 'map' ? '  ' : '';
  let out = shape === 'map' ? 'defaults:\n  site: hq\ndevices:\n' : '';
  for (let i = 0; i < n; i++) {
    const mac = (0x00562b000000 + i * 7 + seed).toString(16).padStart(12, '0');
    out += `${indent}- mac: ${mac}\n${indent}  model: '${['8841', '8851', '7832', '6871'][i % 4]}'\n`;
    if (i % 3 === 0) out += `${indent}  # comment ${i}\n`;
    if (i % 5 === 0)
      out +=
        `${indent}  lines:\n${indent}    - &x{i} {ext: ${100 + i}}\n${indent}    - *x{i}\n`.replaceAll(
          '{i}',
          String(i),
        );
    if (i % 7 === 0) out += `${indent}  note: |\n${indent}    text ${i}\n\n`;
  }
  return out;
}

test('generated inventories, and each corrupted at a random place, read the same both ways', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.constantFrom('list' as const, 'map' as const),
      fc.nat(1000),
      fc.nat(),
      fc.constantFrom('', '"', ':', '- ', '\n  ', '[', '}', '&', '*x1', '\t', '#', 'a: b: c'),
      (n, shape, seed, where, insert) => {
        const text = generated(n, shape, seed);
        assertSameBothWays(text);
        const at = where % (text.length + 1);
        const corrupted = text.slice(0, at) + insert + text.slice(at);
        // The one documented difference (README, Large inventories): an alias to an anchor in
        // an earlier device — which a corruption can make, e.g. `- ` before a `- *x10` line turns
        // it into a device of its own — is refused when read a device at a time. The whole
        // parse must then have found that anchor (it read the file), and the streamed error
        // names the alias; anything else must read the same both ways.
        const streamed = outcome(corrupted, true);
        const crossDevice =
          'error' in streamed &&
          streamed.error.length === 1 &&
          /: alias \*(\S+) names an anchor outside its device/.exec(streamed.error[0]!);
        if (crossDevice) {
          assert.ok(corrupted.includes(`&${crossDevice[1]} `), 'the anchor is in the file');
          assert.ok(!/alias \S+ has no anchor/.test(JSON.stringify(outcome(corrupted, false))));
          return;
        }
        assertSameBothWays(corrupted);
      },
    ),
    { numRuns: 300 },
  );
});

test('a corruption that makes an alias cross devices (fast-check seed found by follow4b) is the documented refusal streamed', () => {
  const text = generated(19, 'list', 0);
  const at = 1321577869 % (text.length + 1);
  const corrupted = text.slice(0, at) + '- ' + text.slice(at);
  assert.ok(corrupted.includes('-     - *x10\n'));
  assert.ok('passes' in outcome(corrupted, false));
  const streamed = outcome(corrupted, true);
  assert.ok(
    'error' in streamed &&
      /line 41, col 9: alias \*x10 names an anchor outside its device/.test(streamed.error[0]!),
  );
});

test('streamYamlDocument hands over every device once, in order, and keeps none', () => {
  const text = generated(50, 'map', 3);
  const seen: number[] = [];
  let largestChunk = 0;
  const streamed = streamYamlDocument(text, { uniqueKeys: true }, (chunk) => {
    const items = (chunk.doc.contents as { items: unknown[] }).items;
    largestChunk = Math.max(largestChunk, items.length);
    items.forEach((_, k) => seen.push(chunk.firstIndex + k));
  });
  assert.deepEqual(seen, [...Array(50).keys()]);
  assert.equal(streamed.devices, 50);
  assert.deepEqual(streamed.listPath, ['devices']);
  assert.equal(largestChunk, 1, 'each device is composed as soon as the next one begins');
  // The skeleton keeps the defaults and an empty device list.
  assert.deepEqual(streamed.doc.toJS(), { defaults: { site: 'hq' }, devices: [] });
});

test('SerializedValues gives back equal copies, across blocks', () => {
  const kept = new SerializedValues();
  const big = 'x'.repeat(1.5 * 1024 * 1024);
  const values = [{ a: 1, b: [NaN, -0, Infinity] }, { big }, { c: null, d: 'é' }, { big }];
  for (const v of values) kept.push(v);
  assert.equal(kept.length, 4);
  const back = [...kept.values()];
  assert.deepEqual(back, values);
  assert.ok(Object.is((back[0] as { b: number[] }).b[1], -0));
  assert.notEqual(back[0], values[0]);
});

test('the reader streams only above YAML_WHOLE_PARSE_CHARS: an alias across devices works below it', () => {
  const text = `- mac: 0056.2b04.3615\n  model: '8841'\n  sip: &s {proxy: a}\n- mac: 0056.2b04.3616\n  model: '8841'\n  sip: *s\n`;
  const reader = new InventoryReader(text, 'inv.yaml', 'yaml');
  const problems: InventoryProblem[] = [];
  assert.equal([...reader.devices(problems)].length, 2);
  assert.deepEqual(problems, []);
  const padded = text + `# ${'x'.repeat(YAML_WHOLE_PARSE_CHARS)}\n`;
  assert.throws(
    () => new InventoryReader(padded, 'inv.yaml', 'yaml'),
    /names an anchor outside its device/,
  );
});
