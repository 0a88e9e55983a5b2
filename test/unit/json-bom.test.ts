import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';
import { readProfileText } from '../../src/profile/profile-formats.js';

test('readProfileText: a leading UTF-8 BOM (Windows editors save one) is not part of JSON or YAML', () => {
  for (const notation of ['json', 'yaml'] as const) {
    const text =
      notation === 'json'
        ? '\uFEFF{"Station_Name":{"value":"Lobby"}}'
        : '\uFEFFStation_Name: Lobby\n';
    const { parameters } = readProfileText(text, notation);
    assert.equal(parameters.get('Station_Name')?.value, 'Lobby', notation);
  }
});

test('parseCatalogJson: a --catalog file saved with a UTF-8 BOM loads', () => {
  const entries = parseCatalogJson(
    '\uFEFF{"parameters":[{"name":"Site_Code","type":"free"}]}',
    'site.json',
  );
  assert.equal(entries[0]?.name, 'Site_Code');
});
