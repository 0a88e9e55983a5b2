/** Small byte helpers shared by the crypto modules. */

let encoder: { encode(text: string): Uint8Array } | undefined;

/** UTF-8 bytes of a string, or the bytes themselves. */
export function toBytes(data: string | Uint8Array): Uint8Array {
  if (typeof data !== 'string') return data;
  if (data.length <= SHORT_TEXT) return shortUtf8(data);
  return (encoder ??= new TextEncoder()).encode(data);
}

/** The longest string {@link shortUtf8} encodes (a passphrase, a key id, a constant). */
const SHORT_TEXT = 256;

/**
 * UTF-8 of a short string in plain JavaScript, byte for byte as TextEncoder gives it (a lone
 * surrogate becomes U+FFFD): a one-shot CLI run, whose strings to encode are its passphrase and
 * a few constants, then creates no TextEncoder, whose class and encode() Node compiles from
 * source at their first use (~0.35 M instructions of a start, issue 12).
 * test/unit/bytes-utf8.test.ts holds it equal to TextEncoder.
 */
function shortUtf8(text: string): Uint8Array {
  // Three bytes per UTF-16 unit at most (a surrogate pair: four bytes for two units).
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c < 0xe000) {
      const low = text.charCodeAt(i + 1); // NaN past the end
      if (c < 0xdc00 && low >= 0xdc00 && low < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd; // a lone surrogate
    }
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 0x3f);
    out[n++] = 0x80 | (c & 0x3f);
  }
  return out.slice(0, n);
}

/**
 * Concatenates byte arrays. Meant for a few parts: a rest parameter puts each part on the stack,
 * so join a long list with {@link joinBytes} instead.
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return joinBytes(parts);
}

/** Concatenates a list of byte arrays of any length. */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * Hex text → bytes. Throws naming what was expected and what arrived.
 * @param what the field's name for the message, e.g. `"salt"`
 */
export function fromHex(text: string, what: string): Uint8Array {
  const t = text.trim();
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) {
    throw new TypeError(`${what} expected hex digits in pairs, got ${t.length} characters`);
  }
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Whether two byte arrays start the same way. */
export function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

/** Base64url without padding (RFC 4648 §5), as RFC 8188 examples are written. */
export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
}

/** Base64url (padding optional) → bytes; throws on characters outside the alphabet. */
export function fromBase64url(text: string, what: string): Uint8Array {
  const t = text.trim().replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(t) || t.length % 4 === 1) {
    throw new TypeError(`${what} expected base64url text, got characters outside its alphabet`);
  }
  return new Uint8Array(Buffer.from(t, 'base64url'));
}
