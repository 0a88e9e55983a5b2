/**
 * UTF-8 bytes as text, kept off V8's heap when they can be.
 *
 * ASCII bytes (most inventories) are decoded as Latin-1 — the same characters — because Node
 * makes a string of more than about a megabyte decoded that way an external string, whose
 * characters lie outside V8's heap; a UTF-8 decode is always copied into the heap. Why it matters
 * (issue 12): a CSV inventory's text is kept for the whole run (each pass reads it again), and V8
 * lets the old generation grow to about four times what survives a full collection — the 11 MB
 * text of 100,000 devices on the heap let the main thread's heap grow by some 40 MB more before
 * each collection. test/unit/render-decode-text.test.ts fails if Node stops doing this.
 * @example decodeUtf8Text(readFileSync('inventory.csv'))
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { firstInvalidUtf8 } from '../profile/text-encoding.js';

export function decodeUtf8Text(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
}

/** Why a text file could not be decoded: where (`line 3`) and what, for a one-line problem. */
export interface TextDecodeProblem {
  where: string;
  message: string;
}

/**
 * A text file as an admin's tools save it: UTF-8 (with or without a BOM), or UTF-16 with its
 * BOM — Excel's "Unicode Text" export, tab-separated — decoded as such. Any other bytes that are
 * not UTF-8 (Excel's plain "CSV" on Windows writes Windows-1252: `Zoë` as `5A 6F EB`) are a
 * problem naming the line and the first such byte, not text with U+FFFD in place of a letter.
 * @example decodeTextFile(readFileSync('inventory.csv'))
 */
export function decodeTextFile(bytes: Uint8Array): string | TextDecodeProblem {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(buffer)) return buffer.toString('latin1');
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.toString('utf16le', 2);
  if (buffer[0] === 0xfe && buffer[1] === 0xff) {
    const swapped = Buffer.from(buffer.subarray(2, 2 + ((buffer.length - 2) & ~1)));
    return swapped.swap16().toString('utf16le');
  }
  if (isUtf8(buffer)) return buffer.toString('utf8');
  const at = firstInvalidUtf8(buffer); // not -1: the buffer is not UTF-8
  let line = 1;
  for (let i = buffer.indexOf(0x0a); i !== -1 && i < at; i = buffer.indexOf(0x0a, i + 1)) line++;
  return {
    where: `line ${line}`,
    message: `not UTF-8 (byte 0x${buffer[at]!.toString(16).padStart(2, '0')}: saved as Windows-1252 or Latin-1? save it as UTF-8 — Excel: "CSV UTF-8" — or convert it: iconv -f windows-1252 -t utf-8)`,
  };
}
