// Profile text that is not UTF-8 (src/profile/text-encoding.ts), with bytes made by a real peer
// (the iconv CLI, as an admin would convert), and the advice checked by following it: the iconv
// command a message names turns the file into one that validates.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeNotUtf8,
  firstInvalidUtf8,
  foreignUnicodeMessage,
  sniffUtf16Or32,
} from '../../src/profile/text-encoding.js';
import { validateProfileBytes } from '../../src/validate/index.js';

const PROFILE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Station_Name>Caf\u00e9</Station_Name>\n</flat-profile>\n';
const ASCII_PROFILE = '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n</flat-profile>\n';

function iconv(from: string, to: string, input: Uint8Array): Buffer {
  return execFileSync('iconv', ['-f', from, '-t', to], { input });
}

/** The `iconv -f X -t UTF-8` a message advises, run on the bytes. */
function followAdvice(message: string, bytes: Uint8Array): Buffer {
  const m = /convert it with iconv -f (\S+) -t UTF-8$/.exec(message);
  assert.ok(m, message);
  return iconv(m[1]!, 'UTF-8', bytes);
}

describe('UTF-16 and UTF-32 are told by their first bytes', () => {
  const cases: [string, string, RegExp][] = [
    ['UTF-16', 'UTF-16', /^UTF-16 text \(BOM (FF FE|FE FF)\); profiles must be UTF-8/],
    ['UTF-16LE', 'UTF-16LE', /^UTF-16 text \(little-endian, no BOM\)/],
    ['UTF-16BE', 'UTF-16BE', /^UTF-16 text \(big-endian, no BOM\)/],
    ['UTF-32', 'UTF-32', /^UTF-32 text \(BOM (FF FE 00 00|00 00 FE FF)\)/],
  ];
  for (const [to, iconvFrom, message] of cases) {
    test(`iconv -t ${to}: named, and its advice (iconv -f ${iconvFrom}) gives a valid profile`, () => {
      for (const text of [PROFILE, ASCII_PROFILE]) {
        const bytes = iconv('UTF-8', to, Buffer.from(text));
        const found = sniffUtf16Or32(bytes);
        assert.ok(found, `${to}: not recognised`);
        assert.equal(found.iconvFrom, iconvFrom);
        const diagnostics = validateProfileBytes(bytes, { file: 'p.xml' });
        assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
        assert.match(diagnostics[0]!.message, message);
        assert.deepEqual([diagnostics[0]!.line, diagnostics[0]!.column], [1, 1]);
        const converted = followAdvice(foreignUnicodeMessage(found), bytes);
        assert.equal(converted.toString('utf8'), text);
        // What is left is the profile's own business (é: non-ascii-value), not its encoding.
        const after = validateProfileBytes(converted, { file: 'p.xml' });
        assert.deepEqual(
          after.map((d) => d.ruleId),
          text === PROFILE ? ['non-ascii-value'] : [],
        );
      }
    });
  }
  test('UTF-8 (with or without BOM), JSON, YAML and noise are not UTF-16', () => {
    for (const text of [PROFILE, `\ufeff${PROFILE}`, '{"a":1}', 'Station_Name: x\n', '<a/>']) {
      assert.equal(sniffUtf16Or32(Buffer.from(text)), undefined, text);
    }
    // An aes128gcm body starts with a random salt: FF FE followed by no ASCII text is not text.
    assert.equal(sniffUtf16Or32(Uint8Array.from([0xff, 0xfe, 0x9c, 0x41, 1, 2])), undefined);
    assert.equal(sniffUtf16Or32(Uint8Array.from([0xfe, 0xff, 0x12, 0x00])), undefined);
    assert.equal(sniffUtf16Or32(Uint8Array.from([0xff, 0xfe])), undefined);
    let claimed = 0;
    for (let i = 0; i < 20_000; i++) if (sniffUtf16Or32(randomBytes(16))) claimed++;
    assert.ok(claimed <= 2, `${claimed} of 20,000 random salts taken for UTF-16`);
  });
});

describe('Latin-1 / Windows-1252 text', () => {
  test('iconv -t WINDOWS-1252 and -t ISO-8859-1: named at the byte, and the advice converts it', () => {
    for (const to of ['WINDOWS-1252', 'ISO-8859-1']) {
      const bytes = iconv('UTF-8', to, Buffer.from(PROFILE));
      const diagnostics = validateProfileBytes(bytes, { file: 'p.xml' });
      assert.equal(diagnostics.length, 1);
      const d = diagnostics[0]!;
      assert.equal(
        d.message,
        'invalid UTF-8 at byte 73 (0xE9, "\u00e9" in Latin-1): Latin-1 or Windows-1252 text? profiles must be UTF-8: convert it with iconv -f WINDOWS-1252 -t UTF-8',
      );
      assert.deepEqual([d.line, d.column], [3, 20]);
      assert.equal(followAdvice(d.message, bytes).toString('utf8'), PROFILE);
    }
  });
  test('Windows-1252 curly quotes (0x93): named by their byte only', () => {
    const bytes = iconv('UTF-8', 'WINDOWS-1252', Buffer.from('<a>\u201cx\u201d</a>'));
    assert.match(
      describeNotUtf8(bytes, firstInvalidUtf8(bytes)),
      /^invalid UTF-8 at byte 3 \(0x93\): Latin-1/,
    );
  });
  test('UTF-8 cut off inside a character is said to be truncated, not Latin-1', () => {
    const bytes = Buffer.from('<a>\u00e9').subarray(0, 4);
    assert.equal(
      describeNotUtf8(bytes, firstInvalidUtf8(bytes)),
      'invalid UTF-8 at byte 3: a character cut off by the end of the file (truncated?)',
    );
  });
  test("a byte inside a password's value is neither shown nor given by its code", () => {
    const bytes = Buffer.from(
      '<flat-profile>\n<Password_1_ ua="na">sekr\xe9t</Password_1_>',
      'latin1',
    );
    const message = describeNotUtf8(bytes, firstInvalidUtf8(bytes));
    assert.equal(
      message,
      'invalid UTF-8 at byte 40, in the value of Password_1_ (not shown: a secret): Latin-1 or Windows-1252 text? profiles must be UTF-8: convert it with iconv -f WINDOWS-1252 -t UTF-8',
    );
    // The same byte in a plain value is named, to help find it.
    const plain = Buffer.from('<flat-profile>\n<Station_Name>Caf\xe9</Station_Name>', 'latin1');
    assert.match(describeNotUtf8(plain, firstInvalidUtf8(plain)), /\(0xE9, "é" in Latin-1\)/);
  });
  test('binary with NUL bytes is not guessed at', () => {
    const bytes = Uint8Array.from([0x3c, 0x61, 0x00, 0xe9, 0x3e]);
    assert.equal(describeNotUtf8(bytes, 3), 'invalid UTF-8 at byte 3');
  });
});
