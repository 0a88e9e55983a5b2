import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NameTable } from '../../src/render/name-table.js';

test('NameTable: stores each key once, returns its value, finds nothing else', () => {
  const table = new NameTable();
  assert.equal(table.add('00562b043615.cfg', 'row 2'), true);
  assert.equal(table.add('00562b043616.cfg', 'row 3'), true);
  assert.equal(table.add('00562b043615.cfg', 'row 9'), false, 'a key is added once');
  assert.equal(table.get('00562b043615.cfg'), 'row 2', 'the first value stays');
  assert.equal(table.get('00562b043616.cfg'), 'row 3');
  assert.equal(table.has('00562b043617.cfg'), false);
  assert.equal(table.get('00562b043617.cfg'), undefined);
  assert.equal(table.has('00562b043615.cf'), false, 'a prefix is another key');
  assert.equal(table.has('00562b043615.cfgx'), false, 'a longer key is another key');
  assert.equal(table.has('00562B043615.cfg'), false, 'case matters, as on the file system');
  assert.equal(table.size, 2);
});

test('NameTable: an empty key and empty values', () => {
  const table = new NameTable();
  assert.equal(table.has(''), false);
  table.add('');
  table.add('listed');
  assert.equal(table.has(''), true);
  assert.equal(table.get(''), '');
  assert.equal(table.get('listed'), '');
});

test('NameTable: keys beyond Latin-1 and Latin-1 keys with the same bytes stay apart', () => {
  const table = new NameTable();
  table.add('Ωmega-00562b043615.xml', 'row 2');
  table.add('café.xml', 'row 3');
  table.add('plain.xml', 'línea 4 → ok');
  assert.equal(table.get('Ωmega-00562b043615.xml'), 'row 2');
  assert.equal(table.get('café.xml'), 'row 3');
  assert.equal(table.get('plain.xml'), 'línea 4 → ok', 'a value beyond Latin-1 is kept whole');
  assert.equal(table.add('Ωmega-00562b043615.xml', 'row 9'), false);
  // 'Ω' is U+03A9: its UTF-8 bytes (ce a9) read as Latin-1 are 'Î©' — another name.
  assert.equal(table.has('Î©mega-00562b043615.xml'), false);
  assert.equal(table.has('cafe\u0301.xml'), false, 'no Unicode normalization, as the file system');
  // A lone surrogate is a key of its own (it has no UTF-8 form to confuse with U+FFFD).
  table.add('\ud800.xml', 'row 5');
  assert.equal(table.get('\ud800.xml'), 'row 5');
  assert.equal(table.has('\ufffd.xml'), false);
  assert.equal(table.size, 4);
});

test('NameTable: 200,000 keys — growth, probing, every key found with its value', () => {
  const table = new NameTable();
  const key = (i: number): string => `${(0x00562b000000 + i).toString(16).padStart(12, '0')}.cfg`;
  for (let i = 0; i < 200_000; i++) assert.equal(table.add(key(i), `row ${i + 2}`), true);
  assert.equal(table.size, 200_000);
  for (let i = 0; i < 200_000; i += 997) assert.equal(table.get(key(i)), `row ${i + 2}`);
  assert.equal(table.get(key(199_999)), 'row 200001');
  for (let i = 200_000; i < 201_000; i++) assert.equal(table.has(key(i)), false);
  // Short keys collide in the low bits of any hash: probing must still tell them apart.
  const small = new NameTable();
  for (let i = 0; i < 5000; i++) small.add(String(i), String(i * 2));
  for (let i = 0; i < 5000; i++) assert.equal(small.get(String(i)), String(i * 2));
  assert.equal(small.has('5000'), false);
});
