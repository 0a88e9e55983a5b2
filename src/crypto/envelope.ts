/**
 * The envelope around a profile: gzip first, then encryption, as the phone expects
 * (`openssl-enc(gzip(xml))`; the phone detects gzip by its `1f 8b` header). Detects what a file
 * is, opens it with the key given, and seals a plaintext profile.
 */
import { type BackendName, type HashName } from './backend.js';
import { fromBase64url, fromHex, startsWith, toBytes, toHex } from './bytes.js';
import { DecryptError } from './errors.js';
import {
  DEFAULT_DERIVATIONS,
  SALTED_BASE64_PREFIX,
  SALTED_MAGIC,
  decryptOpensslEnc,
  encryptOpensslEnc,
  fromOpensslBase64,
  readOpensslHeader,
  toOpensslBase64,
  type KeyDerivation,
} from './openssl-enc.js';
import { decryptAes128gcm, encryptAes128gcm, readHeader } from './aes128gcm.js';

export type Digest = HashName;
export type Cipher = 'aes-256-cbc' | 'aes128gcm';
export type Container =
  'plain' | 'gzip' | 'openssl-enc' | 'openssl-enc-base64' | 'aes128gcm' | 'unknown';

const GZIP_MAGIC = Uint8Array.of(0x1f, 0x8b);
const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/** Whether bytes start with the gzip magic `1f 8b`. */
export function isGzip(data: Uint8Array): boolean {
  return startsWith(data, GZIP_MAGIC);
}

/**
 * Whether bytes look like an XML document: optional UTF-8 BOM and white space, then `<`
 * followed by `?`, `!` or a name character. Used to tell a right key from a wrong one.
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

/** The check a decrypted plaintext must pass: XML, or gzip (the phone accepts both). */
export function looksLikeProfilePlaintext(data: Uint8Array): boolean {
  return (isGzip(data) && data.length >= 18 && data[2] === 0x08) || looksLikeXml(data);
}

/**
 * Detects the container from its first bytes. aes128gcm has no magic: it is reported only when
 * the caller says so (`assumeAes128gcm`), otherwise such data is `unknown`.
 */
export function detectContainer(data: Uint8Array, assumeAes128gcm = false): Container {
  if (startsWith(data, SALTED_MAGIC)) return 'openssl-enc';
  const head = new TextDecoder().decode(data.subarray(0, 64)).trimStart();
  if (head.startsWith(SALTED_BASE64_PREFIX)) return 'openssl-enc-base64';
  if (isGzip(data)) return 'gzip';
  if (looksLikeXml(data)) return 'plain';
  return assumeAes128gcm ? 'aes128gcm' : 'unknown';
}

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

type Zlib = typeof import('node:zlib');

/** node:zlib, fetched synchronously where the runtime has it (no static import: browsers). */
function zlib(): Zlib {
  const z = (
    globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined
  )?.getBuiltinModule?.('node:zlib') as Zlib | undefined;
  if (!z) throw new Error('gzip needs node:zlib, which this runtime does not have');
  return z;
}

/** gzip (RFC 1952) of bytes. */
export function gzip(data: Uint8Array): Uint8Array {
  return zlib().gzipSync(data);
}

/** Gunzips bytes; throws on corrupt data. */
export function gunzip(data: Uint8Array): Uint8Array {
  return zlib().gunzipSync(data);
}

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

export interface OpenOptions {
  passphrase?: string | Uint8Array;
  ikm?: Uint8Array;
  /** Only this EVP_BytesToKey digest (default: md5, then sha256). */
  md?: Digest;
  /** The file was made with `openssl enc -pbkdf2`; iterations default 10000. */
  pbkdf2?: { iterations: number };
  /** Gunzip a gzip payload (default true). */
  gunzip?: boolean;
  /** Skip the "plaintext is XML or gzip" check (padding/tag are still checked). */
  raw?: boolean;
  backend?: BackendName;
}

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
 * @example openProfile(cfgBytes, { passphrase: 'SecretPhrase1234' }).plaintext
 * @throws DecryptError ("bad decrypt") on a wrong key or a corrupt, truncated or tampered file
 * @throws TypeError when the data is encrypted and no (suitable) key was given
 */
export function openProfile(data: Uint8Array, options: OpenOptions = {}): OpenedProfile {
  const accept = options.raw ? undefined : looksLikeProfilePlaintext;
  let container = detectContainer(data, options.ikm !== undefined);
  // aes128gcm has no magic: a random salt can start like XML (`<` and a letter) or gzip
  // (`1f 8b`). With an IKM in hand, a body whose GCM tags verify is aes128gcm, whatever its first
  // bytes look like; anything else keeps the container its first bytes say.
  if (options.ikm !== undefined && (container === 'plain' || container === 'gzip')) {
    try {
      decryptAes128gcm(data, options.ikm, options.backend ? { backend: options.backend } : {});
      container = 'aes128gcm';
    } catch {
      // not aes128gcm under this IKM: plain XML or gzip after all
    }
  }
  let payload: Uint8Array;
  let opened: OpenedProfile;
  const backendOption = options.backend ? { backend: options.backend } : {};
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
        ...(accept ? { accept } : {}),
        ...backendOption,
      });
      payload = r.plaintext;
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
      const r = decryptAes128gcm(data, options.ikm!, backendOption);
      if (accept && !accept(r.plaintext)) throw new DecryptError('not-xml-or-gzip');
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
    if (options.gunzip !== false) {
      try {
        opened.plaintext = gunzip(payload);
      } catch {
        throw new DecryptError('bad-gzip');
      }
      opened.sizes.plaintext = opened.plaintext.length;
    }
  }
  return opened;
}

function sizes(input: Uint8Array, payload: Uint8Array, plaintext: Uint8Array) {
  return { input: input.length, payload: payload.length, plaintext: plaintext.length };
}

/** What can be told about a file without its key. */
export interface ContainerInfo {
  container: Container;
  size: number;
  salt?: string;
  rs?: number;
  keyid?: string;
}

/** Describes a file's container from its header alone (no key needed). */
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
