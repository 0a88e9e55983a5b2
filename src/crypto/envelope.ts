/**
 * The envelope around a profile: gzip first, then encryption, as the phone expects
 * (`openssl-enc(gzip(xml))`; the phone detects gzip by its `1f 8b` header). Detects what a file
 * is, opens it with the key given, and seals a plaintext profile.
 */
import { type BackendName, type HashName } from './backend.js';
import { fromBase64url, fromHex, toBytes, toHex } from './bytes.js';
import { detectContainer, isGzip, looksLikeProfilePlaintext, type Container } from './detect.js';
import { DEFAULT_MAX_SIZE, DecryptError, SizeLimitError } from './errors.js';
import { gunzip, gzip } from './gzip.js';
import {
  DEFAULT_DERIVATIONS,
  decryptOpensslEnc,
  encryptOpensslEnc,
  encryptOpensslEncParts,
  fromOpensslBase64,
  readOpensslHeader,
  toOpensslBase64,
  type KeyDerivation,
} from './openssl-enc.js';
import { decryptAes128gcm, encryptAes128gcm, readHeader } from './aes128gcm.js';
import { isWellFormedXmlText, isXmlCharacterText } from './plaintext-check.js';

export {
  detectContainer,
  isGzip,
  looksLikeXml,
  looksLikeProfilePlaintext,
  type Container,
} from './detect.js';
export { gzip, gunzip } from './gzip.js';

/**
 * The EVP_BytesToKey digest of AES-256-CBC profiles: `md5` (Cisco's baseline) or `sha256`.
 * @example sealProfile(xmlBytes, { cipher: 'aes-256-cbc', passphrase, md: 'sha256' })
 */
export type Digest = HashName;
/**
 * The two ciphers a Cisco MPP phone decrypts (reference §3).
 * @example sealProfile(xmlBytes, { cipher: 'aes128gcm', ikm })
 */
export type Cipher = 'aes-256-cbc' | 'aes128gcm';

/**
 * Input keying material for RFC 8188 from its text form: `hex:<hex>` and `base64url:<b64>`
 * give raw bytes; any other text is taken as its UTF-8 bytes. How the phone turns
 * IKM_HTTP_Encrypt_Content into bytes is not documented; UTF-8 text is the default.
 * @example parseIkm('base64url:yqdlZ-tYemfogSmv7Ws5PQ') // 16 bytes
 */
export function parseIkm(text: string): Uint8Array {
  let ikm: Uint8Array;
  if (text.startsWith('hex:')) ikm = fromHex(text.slice(4), '"ikm" (hex:)');
  else if (text.startsWith('base64url:')) ikm = fromBase64url(text.slice(10), '"ikm" (base64url:)');
  else ikm = toBytes(text);
  if (ikm.length === 0) throw new TypeError('"ikm" expected at least 1 byte, got 0');
  return ikm;
}

/**
 * How sealProfile encrypts: the cipher, its secret, gzip first or not, and the cipher's options.
 * @example sealProfile(xmlBytes, { cipher: 'aes-256-cbc', passphrase: 'Secret1234', gzip: true })
 */
export interface SealOptions {
  cipher: Cipher;
  /** AES-256-CBC passphrase. */
  passphrase?: string | Uint8Array;
  /** RFC 8188 input keying material (raw bytes; see parseIkm). */
  ikm?: Uint8Array;
  gzip?: boolean;
  /** AES-256-CBC: EVP_BytesToKey digest, default md5. */
  md?: Digest;
  /** AES-256-CBC: write base64 as `openssl enc -a` does. */
  base64?: boolean;
  rs?: number;
  keyid?: string | Uint8Array;
  pad?: number;
  salt?: Uint8Array;
  backend?: BackendName;
}

/**
 * {@link sealProfile} as the parts of the sealed file, in order (AES-256-CBC without base64:
 * header and ciphertext apart, no copy of the whole; otherwise one part) — for a writer that
 * writes them with one writev.
 * @example sealProfileParts(xml, { cipher: 'aes-256-cbc', passphrase: 'k' }) // [header, body…]
 */
export function sealProfileParts(
  plaintext: Uint8Array | string,
  options: SealOptions,
): Uint8Array[] {
  if (options.cipher !== 'aes-256-cbc' || options.base64 || options.passphrase === undefined) {
    return [sealProfile(plaintext, options)];
  }
  let data = toBytes(plaintext);
  if (options.gzip) data = gzip(data);
  return encryptOpensslEncParts(data, options.passphrase, {
    md: options.md ?? 'md5',
    ...(options.salt ? { salt: options.salt } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
  });
}

/**
 * gzip (optional) then encrypt a profile, as the phone expects.
 * @example sealProfile(xml, { cipher: 'aes-256-cbc', passphrase: 'SecretPhrase1234', gzip: true })
 */
export function sealProfile(plaintext: Uint8Array | string, options: SealOptions): Uint8Array {
  let data = toBytes(plaintext);
  if (options.gzip) data = gzip(data);
  if (options.cipher === 'aes-256-cbc') {
    if (options.passphrase === undefined) throw new TypeError('aes-256-cbc needs a passphrase');
    const sealed = encryptOpensslEnc(data, options.passphrase, {
      md: options.md ?? 'md5',
      ...(options.salt ? { salt: options.salt } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
    });
    return options.base64 ? toBytes(toOpensslBase64(sealed)) : sealed;
  }
  if (options.cipher === 'aes128gcm') {
    if (options.ikm === undefined) throw new TypeError('aes128gcm needs an IKM');
    return encryptAes128gcm(data, options.ikm, {
      ...(options.rs !== undefined ? { rs: options.rs } : {}),
      ...(options.keyid !== undefined ? { keyid: options.keyid } : {}),
      ...(options.pad !== undefined ? { pad: options.pad } : {}),
      ...(options.salt ? { salt: options.salt } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
    });
  }
  throw new TypeError(`"cipher" expected aes-256-cbc or aes128gcm, got ${String(options.cipher)}`);
}

/**
 * How openProfile opens a file: the secret, which derivations to try, the checks and limits.
 * @example openProfile(file, { passphrase: 'SecretPhrase1234', md: 'sha256', maxSize: 1 << 20 })
 */
export interface OpenOptions {
  passphrase?: string | Uint8Array;
  ikm?: Uint8Array;
  /** Only this EVP_BytesToKey digest (default: md5, then sha256). */
  md?: Digest;
  /** The file was made with `openssl enc -pbkdf2`; iterations default 10000. */
  pbkdf2?: { iterations: number };
  /** Gunzip a gzip payload (default true). */
  gunzip?: boolean;
  /** Skip the checks of the plaintext (padding and tag are still checked). */
  raw?: boolean;
  /**
   * AES-256-CBC has no MAC, so its whole plaintext is checked: `xml` (default) — UTF-8 text
   * structured as one XML element; `text` — UTF-8 text without control characters, for callers
   * that report XML mistakes themselves (a validator). A gzip payload is checked by its CRC.
   */
  plaintextCheck?: 'xml' | 'text';
  /** Most bytes gunzipping may produce (default 64 MiB); more is a SizeLimitError. */
  maxSize?: number;
  backend?: BackendName;
}

/**
 * What openProfile returns: the plaintext and how the file was made (never the key).
 * @example const { plaintext, container, gzip } = openProfile(file, { passphrase });
 * // 'openssl-enc', false
 */
export interface OpenedProfile {
  /** The plaintext after decrypting and (unless disabled) gunzipping. */
  plaintext: Uint8Array;
  container: Exclude<Container, 'unknown'>;
  /** Whether the payload was gzip'd. */
  gzip: boolean;
  /** AES-256-CBC: how key and IV were derived. */
  derivation?: KeyDerivation;
  /** Salt as hex (CBC: 8 bytes; aes128gcm: 16 bytes). */
  salt?: string;
  rs?: number;
  /** aes128gcm key id as text (UTF-8, lossy) — not secret. */
  keyid?: string;
  records?: number;
  /** Sizes in bytes: the input, the decrypted payload, the final plaintext. */
  sizes: { input: number; payload: number; plaintext: number };
}

function derivationsFor(options: OpenOptions): readonly KeyDerivation[] {
  const mds: readonly HashName[] = options.md ? [options.md] : ['md5', 'sha256'];
  if (options.pbkdf2) {
    // `openssl enc -pbkdf2` defaults to sha256; try it first unless a digest was named.
    const order: readonly HashName[] = options.md ? [options.md] : ['sha256', 'md5'];
    return order.map((md) => ({ kind: 'pbkdf2', md, iterations: options.pbkdf2!.iterations }));
  }
  return options.md ? mds.map((md) => ({ kind: 'evp', md })) : DEFAULT_DERIVATIONS;
}

/**
 * Detects the container, decrypts with the key given and gunzips.
 * Plain XML and bare gzip pass through (`container` says so).
 * - With an IKM, data is aes128gcm unless it is wholly something else: an aes128gcm body whose
 *   tags fail (wrong IKM, cut, tampered) is "bad decrypt" even when its random salt happens to
 *   start like XML or gzip; it passes as plain only if all of it is XML text (a body's header
 *   holds rs and idlen in binary), as gzip only if it gunzips with a good CRC.
 * - AES-256-CBC has no MAC: the whole plaintext must be XML (see `plaintextCheck`) or gzip with
 *   a good CRC-32, so most tampering and truncation is caught. What it cannot catch: a whole
 *   other file encrypted under the same passphrase, swapped in.
 * @example openProfile(cfgBytes, { passphrase: 'SecretPhrase1234' }).plaintext
 * @throws DecryptError ("bad decrypt") on a wrong key or a corrupt, truncated or tampered file
 * @throws SizeLimitError when the gunzipped plaintext would exceed `maxSize`
 * @throws TypeError when the data is encrypted and no (suitable) key was given
 */
export function openProfile(data: Uint8Array, options: OpenOptions = {}): OpenedProfile {
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  const backendOption = options.backend ? { backend: options.backend } : {};
  let container = detectContainer(data, options.ikm !== undefined);
  // Whether a gzip payload must be gunzipped (to check its CRC) even under `gunzip: false`.
  let verifyGzip = false;
  let gcm: ReturnType<typeof decryptAes128gcm> | undefined;
  if (options.ikm !== undefined && (container === 'plain' || container === 'gzip')) {
    try {
      gcm = decryptAes128gcm(data, options.ikm, backendOption);
      container = 'aes128gcm';
    } catch (err) {
      if (!(err instanceof DecryptError)) throw err;
      if (container === 'plain' && !isXmlCharacterText(data)) throw err;
      verifyGzip = true;
    }
  }
  let payload: Uint8Array;
  let opened: OpenedProfile;
  switch (container) {
    case 'plain':
    case 'gzip':
      payload = data;
      opened = { plaintext: data, container, gzip: false, sizes: sizes(data, data, data) };
      break;
    case 'openssl-enc':
    case 'openssl-enc-base64': {
      if (options.passphrase === undefined) {
        throw new TypeError('the file is AES-256-CBC (OpenSSL enc): a passphrase is needed');
      }
      const binary =
        container === 'openssl-enc' ? data : fromOpensslBase64(new TextDecoder().decode(data));
      const r = decryptOpensslEnc(binary, options.passphrase, {
        derivations: derivationsFor(options),
        ...(options.raw ? {} : { accept: looksLikeProfilePlaintext }),
        ...backendOption,
      });
      payload = r.plaintext;
      if (!options.raw) {
        if (isGzip(payload)) verifyGzip = true;
        else if (!checkPlaintext(payload, options.plaintextCheck ?? 'xml')) {
          throw new DecryptError('corrupt-plaintext');
        }
      }
      opened = {
        plaintext: payload,
        container,
        gzip: false,
        derivation: r.derivation,
        salt: toHex(r.salt),
        sizes: sizes(data, payload, payload),
      };
      break;
    }
    case 'aes128gcm': {
      const r = gcm ?? decryptAes128gcm(data, options.ikm!, backendOption);
      if (!options.raw && !looksLikeProfilePlaintext(r.plaintext)) {
        throw new DecryptError('not-xml-or-gzip');
      }
      payload = r.plaintext;
      opened = {
        plaintext: payload,
        container,
        gzip: false,
        salt: toHex(r.header.salt),
        rs: r.header.rs,
        keyid: new TextDecoder().decode(r.header.keyid),
        records: r.records,
        sizes: sizes(data, payload, payload),
      };
      break;
    }
    case 'unknown':
      throw new DecryptError('not-xml-or-gzip');
  }
  if (isGzip(payload)) {
    opened.gzip = true;
    if (options.gunzip !== false || verifyGzip) {
      let plaintext: Uint8Array;
      try {
        plaintext = gunzip(payload, maxSize);
      } catch (err) {
        if (err instanceof SizeLimitError) throw err;
        throw new DecryptError('bad-gzip');
      }
      if (options.gunzip !== false) {
        opened.plaintext = plaintext;
        opened.sizes.plaintext = plaintext.length;
      }
    }
  }
  return opened;
}

function checkPlaintext(plaintext: Uint8Array, check: 'xml' | 'text'): boolean {
  return check === 'xml' ? isWellFormedXmlText(plaintext) : isXmlCharacterText(plaintext);
}

function sizes(input: Uint8Array, payload: Uint8Array, plaintext: Uint8Array) {
  return { input: input.length, payload: payload.length, plaintext: plaintext.length };
}

/**
 * What can be told about a file without its key.
 * @example describeContainer(encryptAes128gcm(xmlBytes, ikm, { keyid: 'k1' }), true)
 * // { container: 'aes128gcm', size: …, salt: '…', rs: 4096, keyid: 'k1' }
 */
export interface ContainerInfo {
  container: Container;
  size: number;
  salt?: string;
  rs?: number;
  keyid?: string;
}

/**
 * Describes a file's container from its header alone (no key needed).
 * @example describeContainer(new TextEncoder().encode('<flat-profile/>'))
 * // { container: 'plain', size: 15 }
 */
export function describeContainer(data: Uint8Array, assumeAes128gcm = false): ContainerInfo {
  const container = detectContainer(data, assumeAes128gcm);
  const info: ContainerInfo = { container, size: data.length };
  try {
    if (container === 'openssl-enc') info.salt = toHex(readOpensslHeader(data).salt);
    if (container === 'openssl-enc-base64') {
      info.salt = toHex(readOpensslHeader(fromOpensslBase64(new TextDecoder().decode(data))).salt);
    }
    if (container === 'aes128gcm') {
      const h = readHeader(data);
      info.salt = toHex(h.salt);
      info.rs = h.rs;
      info.keyid = new TextDecoder().decode(h.keyid);
    }
  } catch {
    // A header too short to read: the container is still what its magic says.
  }
  return info;
}
