// toBytes (src/crypto/bytes.ts) encodes a short string with its own UTF-8 encoder (start-up,
// issue 12) and a long one with TextEncoder: both must give TextEncoder's bytes, for every kind
// of UTF-16 unit (ASCII, two and three bytes, surrogate pairs, lone surrogates) and at the
// length where the two ways meet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toBytes } from '../../src/crypto/bytes.js';

const reference = new TextEncoder();

test('toBytes gives the bytes TextEncoder gives, on random strings of every kind of unit', () => {
  const units = [
    0x00,
    0x41,
    0x7f,
    0x80,
    0xe9,
    0x7ff,
    0x800,
    0x20ac,
    0xd7ff,
    0xe000,
    0xfffd,
    0xffff,
    0xd800,
    0xdbff,
    0xdc00,
    0xdfff, // surrogates: paired at random, or left alone
  ];
  let seed = 0xc0ffee;
  const random = (n: number) => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed % n;
  };
  const lengths = [0, 1, 2, 3, 17, 255, 256, 257, 600];
  for (let i = 0; i < 4000; i++) {
    const length = lengths[random(lengths.length)]!;
    const text = String.fromCharCode(...Array.from({ length }, () => units[random(units.length)]!));
    assert.deepEqual(toBytes(text), reference.encode(text), JSON.stringify(text.slice(0, 40)));
  }
  for (const text of [
    '',
    'Salted__',
    'pass phrase',
    'pässwörd €',
    '🔑 key',
    '\ud800',
    'a\udc00b',
  ]) {
    const bytes = toBytes(text);
    assert.deepEqual(bytes, reference.encode(text), text);
    // Exactly the bytes: no spare room behind them in the buffer.
    assert.equal(bytes.buffer.byteLength, bytes.length, text);
  }
});
