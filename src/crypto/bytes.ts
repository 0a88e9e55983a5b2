/** Small byte helpers shared by the crypto modules. */

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, or the bytes themselves. */
export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
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

/**
 * Lower-case hex of bytes.
 * @example toHex(Uint8Array.of(0x1f, 0x8b)) // '1f8b'
 */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * Hex text → bytes. Throws naming what was expected and what arrived.
 * @param what the field's name for the message, e.g. `"salt"`
 * @example fromHex('1f8b', 'salt') // Uint8Array [0x1f, 0x8b]
 * fromHex('1f8', 'salt') // throws: salt expected hex digits in pairs, got 3 characters
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

/**
 * Base64url without padding (RFC 4648 §5), as RFC 8188 examples are written.
 * @example toBase64url(new TextEncoder().encode('hi?')) // 'aGk_'
 */
export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
}

/**
 * Base64url (padding optional) → bytes; throws on characters outside the alphabet.
 * @example fromBase64url('aGk_', 'salt') // the bytes of 'hi?'
 */
export function fromBase64url(text: string, what: string): Uint8Array {
  const t = text.trim().replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(t) || t.length % 4 === 1) {
    throw new TypeError(`${what} expected base64url text, got characters outside its alphabet`);
  }
  return new Uint8Array(Buffer.from(t, 'base64url'));
}
