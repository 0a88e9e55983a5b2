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
import { isAscii } from 'node:buffer';

export function decodeUtf8Text(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
}
