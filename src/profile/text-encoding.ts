/**
 * Profile text that is not UTF-8, told by its bytes. The phone reads its profile as UTF-8
 * (reference §1: "the file must be UTF-8"; the reference says nothing of UTF-16 or Latin-1
 * being accepted), so such a file is refused — with a message that says what it is and how to
 * convert it, not a scanner error about U+0000 or an invalid byte.
 *
 * Cheap by design (`validate` of 10,000 files is benchmarked): {@link sniffUtf16Or32} reads the
 * first six bytes at most; {@link describeNotUtf8} runs only once a file has already failed the
 * UTF-8 check.
 */
import { isSecretParameter } from './secrets.js';

/** A Unicode encoding other than UTF-8, recognised by its first bytes. */
export interface ForeignUnicode {
  /** `UTF-16` or `UTF-32`. */
  encoding: 'UTF-16' | 'UTF-32';
  /** `little-endian` or `big-endian`. */
  order: 'little-endian' | 'big-endian';
  /** The byte-order mark as hex (`FF FE`), or null when there is none. */
  bom: string | null;
  /** What `iconv -f` needs: with a BOM the BOM tells, without it the order must be named. */
  iconvFrom: string;
}

/** TAB, LF, CR or printable ASCII: what the first character of a profile (`<`, `{`, a key) is. */
function isTextAscii(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code < 0x7f);
}

/**
 * UTF-16 or UTF-32 text, by its byte-order mark or, without one, by an ASCII first character
 * spelt with zero bytes (XML 1.0 Appendix F: `3C 00 3F 00` is `<?` in UTF-16LE). The character
 * after a BOM must be ASCII text too, so that random bytes (an aes128gcm body, whose salt is
 * random) starting with `FF FE` are not taken for text.
 * @example sniffUtf16Or32(Buffer.from('\ufeff<a/>', 'utf16le')) // { encoding: 'UTF-16', order: 'little-endian', bom: 'FF FE', iconvFrom: 'UTF-16' }
 * @example sniffUtf16Or32(Buffer.from('<a/>')) // undefined
 */
export function sniffUtf16Or32(bytes: Uint8Array): ForeignUnicode | undefined {
  if (bytes.length < 4) return undefined;
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  // The common case, an ASCII first character in UTF-8: decided by three comparisons.
  if (b0 !== 0 && b1 !== 0 && b0 < 0xfe) return undefined;
  const b2 = bytes[2]!;
  const b3 = bytes[3]!;
  const at = (i: number): number => (i < bytes.length ? bytes[i]! : -1);
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) {
    return isTextAscii(at(4)) && at(5) === 0 && at(6) === 0 && at(7) === 0
      ? { encoding: 'UTF-32', order: 'little-endian', bom: 'FF FE 00 00', iconvFrom: 'UTF-32' }
      : undefined;
  }
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) {
    return at(4) === 0 && at(5) === 0 && at(6) === 0 && isTextAscii(at(7))
      ? { encoding: 'UTF-32', order: 'big-endian', bom: '00 00 FE FF', iconvFrom: 'UTF-32' }
      : undefined;
  }
  if (b0 === 0xff && b1 === 0xfe) {
    return isTextAscii(b2) && b3 === 0
      ? { encoding: 'UTF-16', order: 'little-endian', bom: 'FF FE', iconvFrom: 'UTF-16' }
      : undefined;
  }
  if (b0 === 0xfe && b1 === 0xff) {
    return b2 === 0 && isTextAscii(b3)
      ? { encoding: 'UTF-16', order: 'big-endian', bom: 'FE FF', iconvFrom: 'UTF-16' }
      : undefined;
  }
  if (isTextAscii(b0) && b1 === 0 && isTextAscii(b2) && b3 === 0) {
    return { encoding: 'UTF-16', order: 'little-endian', bom: null, iconvFrom: 'UTF-16LE' };
  }
  if (b0 === 0 && isTextAscii(b1) && b2 === 0 && isTextAscii(b3)) {
    return { encoding: 'UTF-16', order: 'big-endian', bom: null, iconvFrom: 'UTF-16BE' };
  }
  return undefined;
}

/**
 * The one-line message for UTF-16/UTF-32 text.
 * @example foreignUnicodeMessage(sniffUtf16Or32(bytes)!)
 * // 'UTF-16 text (BOM FF FE); profiles must be UTF-8: convert it with iconv -f UTF-16 -t UTF-8'
 */
export function foreignUnicodeMessage(found: ForeignUnicode): string {
  const what = found.bom ? `BOM ${found.bom}` : `${found.order}, no BOM`;
  return `${found.encoding} text (${what}); profiles must be UTF-8: convert it with iconv -f ${found.iconvFrom} -t UTF-8`;
}

/** How far back {@link secretValueAt} looks for the start tag around a byte. */
const START_TAG_LOOK_BACK = 4096;

/**
 * The name of the secret parameter (a password, GPP_SA…) whose value holds the byte at `offset`,
 * if it does: the text before it, read as Latin-1, ends in its start tag and text.
 */
function secretValueAt(bytes: Uint8Array, offset: number): string | undefined {
  const from = Math.max(0, offset - START_TAG_LOOK_BACK);
  const before = Buffer.from(bytes.buffer, bytes.byteOffset + from, offset - from).toString(
    'latin1',
  );
  const open = /<([A-Za-z_][A-Za-z0-9_.:-]*)(?:\s[^<>]*)?>[^<]*$/.exec(before);
  return open !== null && isSecretParameter(open[1] as string) ? open[1] : undefined;
}

/**
 * Why bytes that failed the UTF-8 check are not UTF-8, for the byte at `offset` (the first
 * invalid sequence). Text with no NUL byte whose high bytes do not form UTF-8 is, in practice,
 * an 8-bit code page: Latin-1 (ISO 8859-1) or Windows-1252, what Windows editors and Excel
 * save. Windows-1252 is named for iconv: it agrees with Latin-1 on every printable character and
 * gives 0x80–0x9F their curly quotes and dashes instead of invisible controls.
 * @example describeNotUtf8(Buffer.from('Caf\xe9', 'latin1'), 3)
 * // 'invalid UTF-8 at byte 3 (0xE9, "é" in Latin-1): Latin-1 or Windows-1252 text? profiles must be UTF-8: convert it with iconv -f WINDOWS-1252 -t UTF-8'
 */
export function describeNotUtf8(bytes: Uint8Array, offset: number): string {
  // In a password's value the byte is a character of the password: neither it nor its code shown.
  const secret = secretValueAt(bytes, offset);
  const at =
    secret === undefined
      ? `invalid UTF-8 at byte ${offset}`
      : `invalid UTF-8 at byte ${offset}, in the value of ${secret} (not shown: a secret)`;
  const byte = bytes[offset];
  if (byte === undefined || byte < 0x80 || bytes.includes(0)) return at;
  // A lead byte whose continuation bytes the end of the file cut off: UTF-8, truncated.
  const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 ? 2 : 1;
  if (length > 1 && offset + length > bytes.length) {
    let continued = true;
    for (let i = offset + 1; i < bytes.length; i++) continued &&= (bytes[i]! & 0xc0) === 0x80;
    if (continued) return `${at}: a character cut off by the end of the file (truncated?)`;
  }
  const hex = `0x${byte.toString(16).toUpperCase()}`;
  // 0xA0 (no-break space) and the C1 range show nothing a reader could recognise.
  const shown = byte > 0xa0 ? `, "${String.fromCharCode(byte)}" in Latin-1` : '';
  const what = secret === undefined ? ` (${hex}${shown})` : '';
  return `${at}${what}: Latin-1 or Windows-1252 text? profiles must be UTF-8: convert it with iconv -f WINDOWS-1252 -t UTF-8`;
}

/**
 * Offset of the first byte that does not start a valid UTF-8 sequence (RFC 3629 §4: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}
