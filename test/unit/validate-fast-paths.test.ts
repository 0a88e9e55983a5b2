/**
 * The validator's shortcuts hold what they promise: the byte-level control-character check
 * finds exactly what a byte-by-byte loop finds (at any alignment, in any position of a word,
 * next to multi-byte UTF-8), and validating bytes — which takes those shortcuts — reports
 * exactly what validating the decoded text without them reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  hasForbiddenControl,
  validateProfileBytes,
  validateProfileText,
} from '../../src/validate/index.js';

const naive = (bytes: Uint8Array): boolean =>
  bytes.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);

test('hasForbiddenControl agrees with a byte-by-byte loop, at every alignment', () => {
  const byte = fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.constantFrom(0x09, 0x0a, 0x0d, 0x20, 0x1f, 0x00, 0x80, 0xff, 0x41),
  );
  fc.assert(
    fc.property(fc.array(byte, { maxLength: 64 }), fc.nat({ max: 7 }), (values, shift) => {
      const backing = new Uint8Array(values.length + shift);
      backing.set(values, shift);
      const bytes = backing.subarray(shift);
      assert.equal(hasForbiddenControl(bytes), naive(bytes));
    }),
    { numRuns: 3000 },
  );
  // Each forbidden control at each position of an aligned word, among harmless bytes.
  for (let control = 0; control < 0x20; control++) {
    for (let at = 0; at < 12; at++) {
      const bytes = new Uint8Array(12).fill(0x0a);
      bytes[at] = control;
      assert.equal(hasForbiddenControl(bytes), naive(bytes), `0x${control.toString(16)} at ${at}`);
    }
  }
});

test('validateProfileBytes reports what validateProfileText reports on the decoded text', () => {
  const piece = fc.constantFrom(
    '<flat-profile>',
    '</flat-profile>',
    '<Station_Name ua="na">',
    '</Station_Name>',
    'x',
    ' ',
    '\n',
    '\r\n',
    '\t',
    '\u0001',
    '\u001f',
    '\u000b',
    'é',
    '\ufffe',
    '&#233;',
    '&amp;',
    '{{ v }}',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
      const text = pieces.join('');
      const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
      assert.deepEqual(
        validateProfileBytes(bytes, { file: 'p.xml' }),
        validateProfileText(text, { file: 'p.xml' }),
      );
    }),
    { numRuns: 2000 },
  );
});
