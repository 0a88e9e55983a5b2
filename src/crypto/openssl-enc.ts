/**
 * AES-256-CBC in the OpenSSL `enc` file format — what a Cisco MPP phone reads for a
 * Profile_Rule with `[--key <passphrase>]` ("the same format as `openssl enc -e -aes-256-cbc
 * -k <passphrase>`", Cisco MPP provisioning guide; firmware tested against openssl 0.9.7c).
 *
 *   "Salted__" (8 bytes) ‖ salt (8 bytes) ‖ AES-256-CBC(PKCS#7-padded plaintext)
 *
 * Key and IV come from EVP_BytesToKey(md, passphrase, salt, count = 1) (OpenSSL
 * `EVP_BytesToKey(3)`): D1 = H(pass ‖ salt), Di = H(Di-1 ‖ pass ‖ salt), key ‖ iv = D1 ‖ D2 ‖ …
 * OpenSSL ≤ 1.0.2 used MD5, 1.1.0+ SHA-256: the phone's documented baseline is MD5.
 * `openssl enc -pbkdf2` files share the header but derive key ‖ iv with PBKDF2-HMAC.
 */
import { getBackend, randomSalt, type BackendName, type HashName } from './backend.js';
import { concatBytes, startsWith, toBytes } from './bytes.js';
import { DecryptError } from './errors.js';

/** The 8-byte magic OpenSSL writes before the salt. */
export const SALTED_MAGIC = new TextEncoder().encode('Salted__');
export const SALT_LENGTH = 8;
const KEY_LENGTH = 32;
const IV_LENGTH = 16;
export const HEADER_LENGTH = SALTED_MAGIC.length + SALT_LENGTH;
const BLOCK_SIZE = 16;
/**
 * `openssl enc -pbkdf2` default iteration count.
 * @example // a file of `openssl enc -pbkdf2` (no -iter):
 * openProfile(file, { passphrase, pbkdf2: { iterations: DEFAULT_PBKDF2_ITERATIONS } })
 */
export const DEFAULT_PBKDF2_ITERATIONS = 10000;

export interface KeyAndIv {
  key: Uint8Array;
  iv: Uint8Array;
}

/**
 * EVP_BytesToKey with one iteration, as `openssl enc` uses it.
 * @example evpBytesToKey('md5', 'SecretPhrase1234', salt) // { key: 32 bytes, iv: 16 bytes }
 */
export function evpBytesToKey(
  md: HashName,
  passphrase: string | Uint8Array,
  salt: Uint8Array,
  backend: BackendName | undefined = undefined,
): KeyAndIv {
  const b = getBackend(backend);
  const pass = toBytes(passphrase);
  const wanted = KEY_LENGTH + IV_LENGTH;
  const blocks: Uint8Array[] = [];
  let produced = 0;
  let previous = new Uint8Array(0);
  while (produced < wanted) {
    previous = new Uint8Array(b.hash(md, concatBytes(previous, pass, salt)));
    blocks.push(previous);
    produced += previous.length;
  }
  const material = concatBytes(...blocks);
  return {
    key: material.slice(0, KEY_LENGTH),
    iv: material.slice(KEY_LENGTH, KEY_LENGTH + IV_LENGTH),
  };
}

/**
 * PBKDF2 key ‖ iv as `openssl enc -pbkdf2 [-iter n] [-md md]` derives them.
 * @example pbkdf2KeyAndIv('sha256', 'secret', salt, 10000) // { key: 32 bytes, iv: 16 bytes }
 */
export function pbkdf2KeyAndIv(
  md: HashName,
  passphrase: string | Uint8Array,
  salt: Uint8Array,
  iterations: number,
  backend: BackendName | undefined = undefined,
): KeyAndIv {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`"iter" expected an integer >= 1, got ${iterations}`);
  }
  const material = getBackend(backend).pbkdf2(
    md,
    toBytes(passphrase),
    salt,
    iterations,
    KEY_LENGTH + IV_LENGTH,
  );
  return {
    key: material.slice(0, KEY_LENGTH),
    iv: material.slice(KEY_LENGTH, KEY_LENGTH + IV_LENGTH),
  };
}

/**
 * Options of encryptOpensslEnc.
 * @example encryptOpensslEnc(xmlBytes, passphrase, { md: 'sha256' })
 */
export interface OpensslEncryptOptions {
  /** EVP_BytesToKey digest; default `md5` (the phone's documented baseline). */
  md?: HashName;
  /** 8-byte salt; random when absent. Fix it only for reproducible tests. */
  salt?: Uint8Array;
  backend?: BackendName;
}

/**
 * Encrypts like `openssl enc -e -aes-256-cbc -md <md> -k <passphrase>`.
 * @example encryptOpensslEnc(xmlBytes, 'SecretPhrase1234') // 'Salted__' ‖ salt ‖ ciphertext
 */
export function encryptOpensslEnc(
  plaintext: Uint8Array,
  passphrase: string | Uint8Array,
  options: OpensslEncryptOptions = {},
): Uint8Array {
  return concatBytes(...encryptOpensslEncParts(plaintext, passphrase, options));
}

/**
 * {@link encryptOpensslEnc} as the parts of the file, in order: the header ('Salted__' ‖ salt)
 * and the ciphertext in one or two pieces — for a writer that writes them with one writev,
 * sparing a copy of the whole file (batches).
 * @example encryptOpensslEncParts(xmlBytes, 'SecretPhrase1234') // [header, ciphertext…]
 */
export function encryptOpensslEncParts(
  plaintext: Uint8Array,
  passphrase: string | Uint8Array,
  options: OpensslEncryptOptions = {},
): Uint8Array[] {
  const salt = options.salt ?? randomSalt(SALT_LENGTH);
  if (salt.length !== SALT_LENGTH) {
    throw new RangeError(`"salt" expected ${SALT_LENGTH} bytes, got ${salt.length}`);
  }
  const pass = toBytes(passphrase);
  if (pass.length === 0) throw new RangeError('"passphrase" expected, got empty');
  const { key, iv } = evpBytesToKey(options.md ?? 'md5', pass, salt, options.backend);
  const cipher = getBackend(options.backend).aes256CbcStream(key, iv, 'encrypt');
  const body = cipher.update(plaintext);
  const last = cipher.final();
  if (last === undefined) throw new Error('AES-256-CBC: padding failed'); // never with padding on
  const header = concatBytes(SALTED_MAGIC, salt);
  return last.length === 0 ? [header, body] : [header, body, last];
}

/** The parts of an OpenSSL `enc` file, read without a key. */
export interface OpensslHeader {
  salt: Uint8Array;
  ciphertext: Uint8Array;
}

/**
 * Reads the `Salted__` header. Lengths are checked before anything is read.
 * @throws DecryptError when the data is not an OpenSSL `enc` file with a whole number of blocks
 * @example readOpensslHeader(encryptOpensslEnc(profile, 'secret')).salt.length // 8
 */
export function readOpensslHeader(data: Uint8Array): OpensslHeader {
  if (data.length < HEADER_LENGTH + BLOCK_SIZE || !startsWith(data, SALTED_MAGIC)) {
    throw new DecryptError('not-openssl-enc');
  }
  const ciphertext = data.subarray(HEADER_LENGTH);
  if (ciphertext.length % BLOCK_SIZE !== 0) throw new DecryptError('truncated');
  return { salt: data.slice(SALTED_MAGIC.length, HEADER_LENGTH), ciphertext };
}

/**
 * How `openssl enc` turned the passphrase into key and IV: EVP_BytesToKey (`-md`) or PBKDF2
 * (`-pbkdf2 -iter`).
 * @example const pbkdf2: KeyDerivation = { kind: 'pbkdf2', md: 'sha256', iterations: 10000 };
 * decryptOpensslEnc(data, passphrase, { derivations: [pbkdf2] })
 */
export type KeyDerivation =
  { kind: 'evp'; md: HashName } | { kind: 'pbkdf2'; md: HashName; iterations: number };

/**
 * Options of decryptOpensslEnc.
 * @example decryptOpensslEnc(data, passphrase, { accept: looksLikeXml })
 */
export interface OpensslDecryptOptions {
  /** How key ‖ iv are derived: one or more to try in order; default EVP md5, then EVP sha256. */
  derivations?: readonly KeyDerivation[];
  /**
   * Extra check on a plaintext whose padding was valid (about 1 wrong key in 256 passes the
   * padding check). Default: none. The envelope passes "looks like XML or gzip".
   */
  accept?: (plaintext: Uint8Array) => boolean;
  backend?: BackendName;
}

/**
 * What decryptOpensslEnc returns: the plaintext, the salt, and the derivation that worked.
 * @example decryptOpensslEnc(data, passphrase).derivation // { kind: 'evp', md: 'md5' }
 */
export interface OpensslDecryptResult {
  plaintext: Uint8Array;
  salt: Uint8Array;
  /** The derivation that worked. */
  derivation: KeyDerivation;
}

export const DEFAULT_DERIVATIONS: readonly KeyDerivation[] = [
  { kind: 'evp', md: 'md5' },
  { kind: 'evp', md: 'sha256' },
];

/**
 * Decrypts an OpenSSL `enc` file, trying each derivation in turn.
 * @example decryptOpensslEnc(cfgBytes, 'SecretPhrase1234').plaintext
 * @throws DecryptError ("bad decrypt") on a wrong key, or a corrupt or truncated file
 */
export function decryptOpensslEnc(
  data: Uint8Array,
  passphrase: string | Uint8Array,
  options: OpensslDecryptOptions = {},
): OpensslDecryptResult {
  const { salt, ciphertext } = readOpensslHeader(data);
  const backend = getBackend(options.backend);
  for (const derivation of options.derivations ?? DEFAULT_DERIVATIONS) {
    const { key, iv } =
      derivation.kind === 'evp'
        ? evpBytesToKey(derivation.md, passphrase, salt, backend.name)
        : pbkdf2KeyAndIv(derivation.md, passphrase, salt, derivation.iterations, backend.name);
    const plaintext = backend.aes256CbcDecrypt(key, iv, ciphertext);
    if (plaintext && (options.accept?.(plaintext) ?? true)) {
      return { plaintext, salt, derivation };
    }
  }
  throw new DecryptError('wrong-key');
}

/**
 * Base64 as `openssl enc -a` writes it: 64 characters a line, each line ended by a newline.
 * @example toOpensslBase64(new TextEncoder().encode('Salted__12345678'))
 * // 'U2FsdGVkX18xMjM0NTY3OA==\n'
 */
export function toOpensslBase64(data: Uint8Array): string {
  const b64 = Buffer.from(data.buffer, data.byteOffset, data.length).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return lines.map((l) => `${l}\n`).join('');
}

/** The base64 form of `Salted__` begins with these characters. */
export const SALTED_BASE64_PREFIX = 'U2FsdGVkX1';

/**
 * Decodes `openssl enc -a` text (line breaks and surrounding white space allowed).
 * @example fromOpensslBase64('U2FsdGVkX18xMjM0NTY3OA==\n') // the bytes of 'Salted__12345678'
 */
export function fromOpensslBase64(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new DecryptError('bad-base64');
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
