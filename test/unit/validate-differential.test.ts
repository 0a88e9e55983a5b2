/**
 * Differential test of the validator: over every profile-like file of the repository, the export
 * corpus and generated inputs (test/helpers/validate-differential.ts: each rule, each
 * well-formedness check, every prefix of small profiles, single-character insertions), the
 * diagnostics — rule ids, messages, hints, lines, columns, order — are those recorded from the
 * tree-building scanner that the offsets-only scanner replaced (expected.json, one digest per
 * input and option set). Validated against the fixture catalog, so the record does not move
 * when the built-in catalog grows.
 *
 * Record again (only when a change of output is intended and reviewed):
 * VALIDATE_DIFFERENTIAL_RECORD=1 node scripts/run-tests.mjs validate-differential
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';
import { validateProfileBytes } from '../../src/validate/index.js';
import { OPTION_SETS, differentialInputs, digest } from '../helpers/validate-differential.js';

const EXPECTED = fileURLToPath(
  new URL('../fixtures/validate-differential/expected.json', import.meta.url),
);
const CATALOG_FILE = fileURLToPath(new URL('../fixtures/profiles/catalog.json', import.meta.url));
const catalog = parseCatalogJson(readFileSync(CATALOG_FILE, 'utf8'), 'catalog.json');

function resultsOf(bytes: Uint8Array, set: (typeof OPTION_SETS)[number]) {
  return validateProfileBytes(bytes, {
    file: 'p.xml',
    catalog,
    ...(set.model !== undefined ? { model: set.model } : {}),
    ...(set.encrypted !== undefined ? { encrypted: set.encrypted } : {}),
    ...(set.ignoreRules !== undefined ? { ignoreRules: set.ignoreRules } : {}),
  });
}

test('the validator reports exactly what the tree-building scanner reported', () => {
  const inputs = differentialInputs();
  // Each result is recorded with a digest of its input: an input that changed since (a
  // fixture or template edited) or was added is not compared; every generated input is.
  const actual: Record<string, string> = {};
  for (const input of inputs) {
    const inputDigest = digest(Buffer.from(input.bytes).toString('base64'));
    for (const set of OPTION_SETS) {
      actual[`${input.name} ${set.label}`] =
        `${inputDigest}:${digest(resultsOf(input.bytes, set))}`;
    }
  }
  if (process.env.VALIDATE_DIFFERENTIAL_RECORD === '1') {
    writeFileSync(EXPECTED, `${JSON.stringify(actual, null, 0).replace(/,"/g, ',\n"')}\n`);
    return;
  }
  const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, string>;
  const compared: string[] = [];
  const differences: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    const now = actual[key];
    if (now === undefined || now.split(':')[0] !== value.split(':')[0]) continue;
    compared.push(key);
    if (now !== value) differences.push(key);
  }
  const generated = compared.filter(
    (key) => !key.startsWith('test/') && !key.startsWith('templates/'),
  );
  assert.ok(compared.length > 2000, `${compared.length} results compared`);
  assert.ok(
    Object.keys(expected)
      .filter((key) => key.startsWith('generated/'))
      .every((key) => compared.includes(key)),
    'every generated input is compared',
  );
  assert.ok(generated.length > 0);
  if (differences.length > 0) {
    const [first] = differences;
    const [name, label] = (first ?? '').split(' ');
    const input = inputs.find((i) => i.name === name);
    const set = OPTION_SETS.find((s) => s.label === label);
    const now = input && set ? resultsOf(input.bytes, set) : [];
    assert.fail(
      `${differences.length} results differ, the first ${first}: now ${JSON.stringify(now, null, 1)}`,
    );
  }
});
