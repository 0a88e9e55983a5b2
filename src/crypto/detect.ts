/**
 * What a profile file is, told from its first bytes: OpenSSL `enc` (`Salted__`, or its base64
 * form), gzip (RFC 1952 §2.3.1: ID1 ID2 = 1f 8b), XML, or none of these. RFC 8188 aes128gcm has
 * no magic bytes: it is what is left when the caller holds an IKM.
 */
import { startsWith } from './bytes.js';
import { SALTED_BASE64_PREFIX, SALTED_MAGIC } from './openssl-enc.js';

/**
 * What a file is, judged from its first bytes (detectContainer).
 * @example detectContainer(bytes, true) // 'aes128gcm' for a body with no other magic
 */
export type Container =
  'plain' | 'gzip' | 'openssl-enc' | 'openssl-enc-base64' | 'aes128gcm' | 'unknown';

const GZIP_MAGIC = Uint8Array.of(0x1f, 0x8b);
const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/** How many leading bytes {@link detectContainer} looks at. */
const DETECT_LENGTH = 64;

/**
 * Whether bytes start with the gzip magic `1f 8b`.
 * @example isGzip(gzip(new TextEncoder().encode('<flat-profile/>'))) // true
 */
export function isGzip(data: Uint8Array): boolean {
  return startsWith(data, GZIP_MAGIC);
}

/**
 * Whether bytes look like an XML document: optional UTF-8 BOM and white space, then `<`
 * followed by `?`, `!` or a name character. Used to tell a right key from a wrong one.
 * @example looksLikeXml(new TextEncoder().encode('\ufeff <flat-profile/>')) // true
 * looksLikeXml(new TextEncoder().encode('Salted__')) // false
 */
export function looksLikeXml(data: Uint8Array): boolean {
  let i = startsWith(data, UTF8_BOM) ? 3 : 0;
  const limit = Math.min(data.length, i + 1024);
  while (
    i < limit &&
    (data[i] === 0x20 || data[i] === 0x09 || data[i] === 0x0a || data[i] === 0x0d)
  )
    i++;
  if (data[i] !== 0x3c) return false;
  const next = data[i + 1];
  if (next === undefined) return false;
  return (
    next === 0x3f || // ?
    next === 0x21 || // !
    next === 0x5f || // _
    (next >= 0x41 && next <= 0x5a) ||
    (next >= 0x61 && next <= 0x7a)
  );
}

/**
 * The check a decrypted plaintext's first bytes must pass: XML, or gzip (the phone reads both).
 * @example looksLikeProfilePlaintext(gzip(new TextEncoder().encode('<flat-profile/>'))) // true
 */
export function looksLikeProfilePlaintext(data: Uint8Array): boolean {
  return (isGzip(data) && data.length >= 18 && data[2] === 0x08) || looksLikeXml(data);
}

/**
 * Detects the container from its first bytes. aes128gcm has no magic: it is reported only when
 * the caller says so (`assumeAes128gcm`), otherwise such data is `unknown`.
 * @example detectContainer(new TextEncoder().encode('<flat-profile/>')) // 'plain'
 * detectContainer(encryptOpensslEnc(profile, 'passphrase')) // 'openssl-enc'
 */
export function detectContainer(data: Uint8Array, assumeAes128gcm = false): Container {
  if (startsWith(data, SALTED_MAGIC)) return 'openssl-enc';
  const head = new TextDecoder().decode(data.subarray(0, DETECT_LENGTH)).trimStart();
  if (head.startsWith(SALTED_BASE64_PREFIX)) return 'openssl-enc-base64';
  if (isGzip(data)) return 'gzip';
  if (looksLikeXml(data)) return 'plain';
  return assumeAes128gcm ? 'aes128gcm' : 'unknown';
}
