/**
 * Text for a terminal: what a file name, a field or a server's answer may hold that the terminal
 * would act on is shown as an escape instead. Small and dependency-free: the one-shot `encrypt`
 * path loads it with every failure line.
 */
import { isUtf8 } from 'node:buffer';

// C0 controls (but tab), DEL, C1 controls (U+009B is a one-byte CSI on some terminals), and
// the format characters that reorder or hide text (bidi overrides U+202A-E, U+2066-9, line and
// paragraph separators, BOM). Matching control characters is the point here.
const UNSAFE_IN_TERMINAL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

// The same less the newline, for messages that are several lines on purpose.
const UNSAFE_IN_LINES =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text with every control and format character shown as an escape (`\x1b`, `\u202e`).
 * @example escapeControls('a\u202eb') // 'a\\u202eb'
 */
export function escapeControls(text: string): string {
  // Most text has none: a test, without replace's global search and its new string.
  return HAS_UNSAFE_IN_TERMINAL.test(text) ? text.replace(UNSAFE_IN_TERMINAL, escapeChar) : text;
}

/** UNSAFE_IN_TERMINAL without the global flag (a test of it keeps no lastIndex). */
const HAS_UNSAFE_IN_TERMINAL = new RegExp(UNSAFE_IN_TERMINAL.source);

/**
 * As escapeControls, but a newline stays a newline: for a message of several lines.
 * @example escapeControlsKeepingLines('bad\u001b[2J\nnext') // 'bad\\x1b[2J\nnext'
 */
export function escapeControlsKeepingLines(text: string): string {
  return text.replace(UNSAFE_IN_LINES, escapeChar);
}

/**
 * A file name's bytes as text for a report: valid UTF-8 as its characters (controls escaped as
 * by escapeControls), each byte that is no part of a valid UTF-8 sequence as `\xNN` — a
 * Latin-1 name from an old Windows share, `caf\xe9.xml`, instead of Node's `caf\ufffd.xml`,
 * which names no file.
 * @example escapeBytes(Buffer.from([0x63, 0x61, 0x66, 0xe9])) // 'caf\\xe9'
 */
export function escapeBytes(bytes: Buffer): string {
  let out = '';
  let run = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (end > run) out += escapeControls(bytes.toString('utf8', run, end));
  };
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    flush(i);
    out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
    run = ++i;
  }
  flush(i);
  return out;
}

/**
 * The length of the valid UTF-8 sequence at `at`, or 0 if there is none: the first of 1–4 bytes
 * that node:buffer's isUtf8 (the platform's validator: no overlongs, no surrogates) accepts.
 */
function utf8SequenceLength(bytes: Buffer, at: number): number {
  for (let length = 1; length <= 4 && at + length <= bytes.length; length++) {
    if (isUtf8(bytes.subarray(at, at + length))) return length;
  }
  return 0;
}

/** What JSON.stringify leaves raw that a terminal may act on (it escapes C0 itself). */
const UNSAFE_IN_JSON =
  /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * JSON text (JSON.stringify's) with DEL, the C1 controls and the format characters a terminal
 * may act on (bidi overrides, isolates, zero-width marks, separators, BOM) as JSON's own
 * `\uHHHH`: valid JSON that parses back to the same value (jq, JSON.parse), and safe to show.
 * @example jsonForTerminal({ v: 'a\u202eb' }) // '{"v":"a\\u202eb"}'
 */
export function jsonForTerminal(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    UNSAFE_IN_JSON,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
