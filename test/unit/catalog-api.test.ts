// The catalog API: lookups (exact, indexed, two indexes), name expansion, user files, merging.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  catalogNames,
  lookupParameter,
  mergeCatalog,
  type CatalogEntry,
} from '../../src/profile/catalog.js';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';

const SAMPLE: CatalogEntry[] = [
  { name: 'Station_Name', type: { kind: 'string', maxLength: 63 }, source: 'test' },
  {
    name: 'Line_Enable_{n}_',
    index: { min: 1, max: 10, kind: 'line' },
    type: { kind: 'bool' },
    source: 'test',
  },
  {
    name: 'Unit_{n}_Key_{m}',
    index: { min: 1, max: 3, kind: 'kem-unit' },
    subIndex: { min: 1, max: 28, kind: 'kem-key' },
    type: { kind: 'free' },
    source: 'test',
  },
  { name: 'Line_Enable_7_', type: { kind: 'free' }, source: 'exact beats pattern' },
];

describe('lookupParameter', () => {
  it('finds an exact name', () => {
    assert.equal(lookupParameter(SAMPLE, 'Station_Name')?.entry.name, 'Station_Name');
    assert.equal(lookupParameter(SAMPLE, 'Station_Name')?.index, undefined);
  });
  it('finds a pattern and extracts the index', () => {
    const match = lookupParameter(SAMPLE, 'Line_Enable_10_');
    assert.equal(match?.entry.name, 'Line_Enable_{n}_');
    assert.equal(match?.index, 10);
  });
  it('prefers an exact name over a pattern', () => {
    assert.equal(lookupParameter(SAMPLE, 'Line_Enable_7_')?.entry.source, 'exact beats pattern');
  });
  it('extracts two indexes', () => {
    const match = lookupParameter(SAMPLE, 'Unit_2_Key_28');
    assert.deepEqual([match?.index, match?.subIndex], [2, 28]);
  });
  for (const name of [
    'station_name',
    'Station_Name_',
    'Line_Enable_0_',
    'Line_Enable_11_',
    'Line_Enable_01_',
    'Line_Enable__',
    'Line_Enable_1',
    'Unit_4_Key_1',
    'Unit_1_Key_29',
    '',
  ]) {
    it(`does not match ${JSON.stringify(name)}`, () => {
      assert.equal(lookupParameter(SAMPLE, name), undefined);
    });
  }
  it('answers the same twice (memoised)', () => {
    assert.equal(lookupParameter(SAMPLE, 'Line_Enable_3_')?.index, 3);
    assert.equal(lookupParameter(SAMPLE, 'Line_Enable_3_')?.index, 3);
    assert.equal(lookupParameter(SAMPLE, 'Nope'), undefined);
    assert.equal(lookupParameter(SAMPLE, 'Nope'), undefined);
  });
});

describe('catalogNames', () => {
  it('expands patterns over their ranges', () => {
    const names = catalogNames(SAMPLE);
    assert.equal(names.length, 1 + 10 + 3 * 28 + 1);
    assert.ok(names.includes('Line_Enable_1_'));
    assert.ok(names.includes('Unit_3_Key_28'));
    assert.ok(!names.some((n) => n.includes('{')));
  });
});

describe('parseCatalogJson', () => {
  it('reads the object form and defaults source to the file name', () => {
    const entries = parseCatalogJson(
      '{"parameters":[{"name":"X_Custom","type":"bool"},{"name":"Y_{n}_","type":{"kind":"integer","min":0,"max":9},"index":{"min":1,"max":2,"kind":"other"},"source":"site wiki"}]}',
      'site.json',
    );
    assert.deepEqual(entries, [
      { name: 'X_Custom', type: { kind: 'bool' }, source: 'site.json' },
      {
        name: 'Y_{n}_',
        type: { kind: 'integer', min: 0, max: 9 },
        index: { min: 1, max: 2, kind: 'other' },
        source: 'site wiki',
      },
    ]);
  });
  it('reads the bare array form', () => {
    assert.equal(parseCatalogJson('[{"name":"A","type":"free"}]', 'a.json').length, 1);
  });
  const bad: [string, string, RegExp][] = [
    ['not JSON', '{', /^bad\.json: line 1, col 2: not valid JSON/],
    ['not a list', '{"x":1}', /^bad\.json: expected an array of entries/],
    ['entry not an object', '[1]', /^bad\.json: entry 0: expected an object, got number 1/],
    ['missing name', '[{"type":"bool"}]', /entry 0: "name" expected .*got nothing/],
    ['bad name', '[{"name":"a b","type":"bool"}]', /entry 0 \("a b"\): "name"/],
    [
      'unknown type',
      '[{"name":"X","type":"number"}]',
      /entry 0 \("X"\): "type" expected .*got "number"/,
    ],
    ['unknown kind', '[{"name":"X","type":{"kind":"float"}}]', /"type\.kind" expected/],
    ['enum without values', '[{"name":"X","type":{"kind":"enum","values":[]}}]', /"type\.values"/],
    [
      'integer max < min',
      '[{"name":"X","type":{"kind":"integer","min":5,"max":1}}]',
      /"type\.max" expected an integer ≥ 5, got number 1/,
    ],
    ['string without maxLength', '[{"name":"X","type":{"kind":"string"}}]', /"type\.maxLength"/],
    ['rule without rule', '[{"name":"X","type":{"kind":"rule"}}]', /"type\.rule"/],
    [
      'pattern without index',
      '[{"name":"X_{n}_","type":"bool"}]',
      /entry 0 \("X_\{n\}_"\): "index" expected/,
    ],
    [
      'index on exact name',
      '[{"name":"X","type":"bool","index":{"min":1,"max":2,"kind":"line"}}]',
      /"index" expected nothing/,
    ],
    [
      'bad index kind',
      '[{"name":"X_{n}_","type":"bool","index":{"min":1,"max":2,"kind":"row"}}]',
      /"index\.kind"/,
    ],
    [
      'second entry bad',
      '[{"name":"A","type":"bool"},{"name":"B","type":"bool","secret":"yes"}]',
      /entry 1 \("B"\): "secret" expected true or false/,
    ],
    ['bad family', '[{"name":"X","type":"bool","families":["9900"]}]', /"families"/],
    [
      'default not a string',
      '[{"name":"X","type":"bool","default":true}]',
      /"default" expected a string/,
    ],
    ['unknown field', '[{"name":"X","type":"bool","colour":"red"}]', /unknown field "colour"/],
    [
      'duplicate name',
      '[{"name":"X","type":"bool"},{"name":"X","type":"free"}]',
      /entry 1 \("X"\): duplicate name, already defined by entry 0/,
    ],
    ['unknown placeholder', '[{"name":"X_{k}_","type":"bool"}]', /only \{n\} and \{m\}/],
    [
      'repeated placeholder',
      '[{"name":"X_{n}_{n}_","type":"bool","index":{"min":1,"max":2,"kind":"line"}}]',
      /each of \{n\} and \{m\} at most once/,
    ],
    [
      '{m} without {n}',
      '[{"name":"X_{m}_","type":"bool","subIndex":{"min":1,"max":2,"kind":"key"}}]',
      /\{n\} before a second index/,
    ],
    [
      'bad pattern regex',
      '[{"name":"X","type":{"kind":"pattern","regex":"(","expected":"x"}}]',
      /"type\.regex" expected a valid regular expression/,
    ],
    [
      'pattern without expected',
      '[{"name":"X","type":{"kind":"pattern","regex":"a+"}}]',
      /"type\.expected"/,
    ],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}`, () => {
      assert.throws(() => parseCatalogJson(text, 'bad.json'), { message });
    });
  }
});

describe('mergeCatalog', () => {
  it('overrides by name in place and appends new names', () => {
    const extra: CatalogEntry[] = [
      { name: 'Station_Name', type: { kind: 'free' }, source: 'user' },
      { name: 'New_Param', type: { kind: 'bool' }, source: 'user' },
    ];
    const merged = mergeCatalog(SAMPLE, extra);
    assert.equal(merged.length, SAMPLE.length + 1);
    assert.equal(merged[0]?.source, 'user');
    assert.equal(merged[merged.length - 1]?.name, 'New_Param');
    assert.equal(lookupParameter(merged, 'Station_Name')?.entry.source, 'user');
    assert.equal(SAMPLE[0]?.source, 'test', 'the base is not changed');
  });
  it('keeps the last of two extra entries with the same name, once', () => {
    const merged = mergeCatalog(SAMPLE, [
      { name: 'Z', type: { kind: 'bool' }, source: 'first' },
      { name: 'Z', type: { kind: 'bool' }, source: 'second' },
    ]);
    assert.deepEqual(
      merged.filter((e) => e.name === 'Z').map((e) => e.source),
      ['second'],
    );
  });
});
