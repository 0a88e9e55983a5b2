/**
 * The fixture corpus (test/fixtures/profiles): every bad profile yields exactly the diagnostics
 * listed in expected.json, every good one none. Validated against the fixture catalog alone,
 * so the corpus does not move when the built-in catalog grows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';
import { validateProfileBytes } from '../../src/validate/index.js';
import { RULE_IDS } from '../../src/validate/rule-ids.js';

const DIR = fileURLToPath(new URL('../fixtures/profiles/', import.meta.url));
const catalog = parseCatalogJson(readFileSync(join(DIR, 'catalog.json'), 'utf8'), 'catalog.json');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<
  string,
  {
    model?: string;
    emptyValues?: 'accept' | 'warn';
    diagnostics: { ruleId: string; line: number; column: number }[];
  }
>;

for (const name of readdirSync(join(DIR, 'good')).sort()) {
  test(`good/${name} has no diagnostics`, () => {
    const bytes = readFileSync(join(DIR, 'good', name));
    const diagnostics = validateProfileBytes(bytes, { file: name, catalog, model: '8841' });
    assert.deepEqual(diagnostics, []);
  });
}

const badFiles = readdirSync(join(DIR, 'bad')).sort();
for (const name of badFiles) {
  test(`bad/${name} gives exactly its expected diagnostics`, () => {
    const spec = expected[`bad/${name}`];
    assert.ok(spec, `expected.json lists bad/${name}`);
    const bytes = readFileSync(join(DIR, 'bad', name));
    const diagnostics = validateProfileBytes(bytes, {
      file: name,
      catalog,
      ...(spec.model ? { model: spec.model } : {}),
      ...(spec.emptyValues ? { emptyValues: spec.emptyValues } : {}),
    });
    assert.deepEqual(
      diagnostics.map(({ ruleId, line, column }) => ({ ruleId, line, column })),
      spec.diagnostics,
    );
    // A bad fixture is named for the rule it shows.
    assert.ok(name.startsWith(spec.diagnostics[0]?.ruleId ?? '?'));
  });
}

test('every text rule has a bad fixture named for it', () => {
  const covered = new Set(badFiles.map((f) => RULE_IDS.find((id) => f.startsWith(id))));
  // unreadable-profile needs an encrypted file and a key: covered by the CLI tests.
  const missing = RULE_IDS.filter((id) => id !== 'unreadable-profile' && !covered.has(id));
  assert.deepEqual(missing, []);
});

test('expected.json lists no fixture that does not exist', () => {
  for (const key of Object.keys(expected)) {
    if (key.startsWith('$')) continue;
    assert.ok(badFiles.includes(key.replace(/^bad\//, '')), key);
  }
});
