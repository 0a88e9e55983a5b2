// escapeBytes: a file name's bytes shown as text — valid UTF-8 as characters, every other byte as
// \xNN. The invalid forms are RFC 3629's (§3 and §4's table): overlongs, surrogates, code points
// above U+10FFFF, a truncated sequence; the valid ones are its examples' kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeBytes } from '../../src/output/terminal-text.js';

test('escapeBytes: valid UTF-8 stays text, each byte of an invalid sequence is \\xNN (RFC 3629)', () => {
  const cases: Array<[number[], string]> = [
    [[0x63, 0x61, 0x66, 0xe9, 0x2e, 0x78, 0x6d, 0x6c], 'caf\\xe9.xml'], // Latin-1 é
    [[0x63, 0x61, 0x66, 0xc3, 0xa9], 'café'], // UTF-8 é
    [[0xe2, 0x82, 0xac, 0x41], '€A'],
    [[0xf0, 0x9f, 0x98, 0x80], '\u{1f600}'],
    [[0xc0, 0xaf], '\\xc0\\xaf'], // overlong '/'
    [[0xe0, 0x80, 0xaf], '\\xe0\\x80\\xaf'], // overlong '/', three bytes
    [[0xed, 0xa0, 0x80], '\\xed\\xa0\\x80'], // a UTF-16 surrogate, U+D800
    [[0xf4, 0x90, 0x80, 0x80], '\\xf4\\x90\\x80\\x80'], // above U+10FFFF
    [[0xe2, 0x82], '\\xe2\\x82'], // cut short
    [[0x1b, 0x5b, 0x32, 0x4a], '\\x1b[2J'], // a control: escaped as escapeControls does
  ];
  for (const [bytes, shown] of cases) {
    assert.equal(escapeBytes(Buffer.from(bytes)), shown, JSON.stringify(bytes));
  }
});
