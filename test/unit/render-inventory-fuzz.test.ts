/**
 * Fuzzing the inventory parsers (issue 10): whatever text arrives as CSV, JSON or YAML — random
 * bytes, near-miss inventories, hostile keys — parseInventory returns an inventory or throws an
 * InventoryError whose problems name the file; never another exception, never a polluted
 * Object.prototype, never a device map with a prototype.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  InventoryError,
  formatInventoryProblem,
  parseInventory,
  type Inventory,
  type InventoryFormat,
} from '../../src/render/inventory.js';
import { parseVarsFile } from '../../src/render/variables.js';

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

const fieldName = fc.oneof(
  fc.constantFrom('mac', 'model', 'serial', 'group', 'template', 'display_name', ...HOSTILE_KEYS),
  fc.constantFrom('sip.proxy', 'sip', 'lines.1.extension', 'lines.a', 'lines.0.x', 'a..b'),
  fc.constantFrom('lines.4294967296.x', '__proto__.out', 'x.constructor', '1', 'a.1.b.2'),
  fc.string({ maxLength: 12 }),
);
const cell = fc.oneof(
  fc.constantFrom('00562b043615', '0056.2b04.3616', '8841', 'ATA191', 'CP-7832-3PCC', ''),
  fc.constantFrom('"', '""', 'a"b', '\r', '\n', ',', '\u0000', '\ufeff', 'Admin-Pa55'),
  fc.string({ maxLength: 16 }),
);

/** CSV-ish text: a header and rows from the pieces above, joined with commas and newlines. */
const csvText = fc
  .tuple(
    fc.array(fieldName, { minLength: 0, maxLength: 8 }),
    fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 6 }),
  )
  .map(([header, rows]) => [header, ...rows].map((r) => r.join(',')).join('\n'));

/** JSON-ish values with hostile keys at any depth. */
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(fieldName, tie('tree'), { maxKeys: 5 }),
  ),
}));
const jsonText = fc.oneof(
  tree.map((v) => JSON.stringify(v)),
  fc
    .array(fc.dictionary(fieldName, cell, { maxKeys: 6 }), { maxLength: 4 })
    .map((devices) => JSON.stringify({ defaults: {}, groups: {}, devices })),
  // JSON.stringify never writes a "__proto__" key: put one in as text.
  tree.map(
    (v) => `{"devices":[{"__proto__":${JSON.stringify(v) ?? 'null'},"mac":"00562b043615"}]}`,
  ),
  fc.string({ maxLength: 80 }),
);
const yamlText = fc.oneof(
  jsonText,
  fc
    .array(fc.tuple(fieldName, cell), { maxLength: 6 })
    .map((pairs) => `- ${pairs.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n  ')}\n`),
  fc.constantFrom(
    'a: &a [1,2]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n',
    '- !!js/function "x"\n',
    '__proto__: { polluted: 1 }\ndevices: []\n',
    '? [a]\n: b\n',
    '- mac: 00562b043615\n  model: "8841"\n  <<: { x: 1 }\n',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

/** Parses; returns the inventory, or undefined after checking the error is a typed one. */
function parseOrProblem(text: string, format: InventoryFormat): Inventory | undefined {
  try {
    return parseInventory(text, `inv.${format}`);
  } catch (err) {
    assert.ok(err instanceof InventoryError, `not an InventoryError: ${String(err)}`);
    assert.ok(err.problems.length > 0);
    for (const p of err.problems) {
      assert.equal(p.file, `inv.${format}`);
      assert.equal(typeof p.message, 'string');
      assert.doesNotMatch(formatInventoryProblem(p), /[\n\r\u2028\u2029]/, 'one line');
    }
    return undefined;
  }
}

function assertClean(inventory: Inventory | undefined): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  assert.equal(({} as Record<string, unknown>).out, undefined);
  if (!inventory) return;
  assert.ok(inventory.devices.length > 0, 'a successful parse has devices');
  for (const d of inventory.devices) {
    assert.equal(Object.getPrototypeOf(d.fields), null, 'device fields have no prototype');
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      assert.ok(!Object.hasOwn(d.fields, key), `no ${key} field`);
    }
  }
}

test('fuzz: CSV inventories parse or fail with typed problems, never pollute', () => {
  fc.assert(
    fc.property(csvText, (text) => assertClean(parseOrProblem(text, 'csv'))),
    { numRuns: 1500 },
  );
});

test('fuzz: JSON inventories parse or fail with typed problems, never pollute', () => {
  fc.assert(
    fc.property(jsonText, (text) => assertClean(parseOrProblem(text, 'json'))),
    { numRuns: 1500 },
  );
});

test('fuzz: YAML inventories parse or fail with typed problems, never pollute', () => {
  fc.assert(
    fc.property(yamlText, (text) => assertClean(parseOrProblem(text, 'yaml'))),
    { numRuns: 1500 },
  );
});

test('fuzz: --vars files give variables or problems, never an exception', () => {
  fc.assert(
    fc.property(yamlText, (text) => {
      const parsed = parseVarsFile(text, 'site.yaml');
      if (Array.isArray(parsed)) assert.ok(parsed.every((p) => p.file === 'site.yaml'));
      else {
        assert.ok(!Object.hasOwn(parsed.values, '__proto__'));
        assert.ok(!Object.hasOwn(parsed.groups, '__proto__'));
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }),
    { numRuns: 1000 },
  );
});

test('in process: __proto__ paths are refused and never reach Object.prototype', () => {
  for (const [text, file] of [
    ['mac,model,__proto__.polluted\n00562b043615,8841,yes\n', 'inv.csv'],
    ['[{"mac":"00562b043615","model":"8841","__proto__":{"polluted":"yes"}}]', 'inv.json'],
    ['- mac: "00562b043615"\n  model: "8841"\n  __proto__: { polluted: yes }\n', 'inv.yaml'],
    ['{"groups":{"__proto__":{"polluted":"yes"}},"devices":[]}', 'inv.json'],
  ] as const) {
    assert.throws(
      () => parseInventory(text, file),
      (err: unknown) =>
        err instanceof InventoryError &&
        err.problems.some((p) => /__proto__/.test(p.message) && /line|row/.test(p.where)),
      file,
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
});
