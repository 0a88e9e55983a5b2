/**
 * The AES and hash primitives beneath our format code, behind one interface with two
 * implementations:
 * - `node`: node:crypto (OpenSSL, native speed) — the default under Node.js;
 * - `noble`: @noble/ciphers + @noble/hashes (audited, pure JS) — for runtimes without
 *   node:crypto, or when asked (`backend: 'noble'` per call, or setDefaultBackend('noble');
 *   the CLI does that for CISCO_PROV_CRYPTO=noble).
 * The format logic (OpenSSL `enc` framing, RFC 8188) is written once above this layer, and the
 * differential tests require both backends to produce identical bytes.
 * @example setDefaultBackend('noble') // every call without `backend` now uses noble
 */
export type BackendName = 'node' | 'noble';
/**
 * The digests OpenSSL's key derivations use here (`-md md5`, `-md sha256`).
 * @example evpBytesToKey('sha256', passphrase, salt) // `openssl enc -md sha256`
 */
export type HashName = 'md5' | 'sha256';

/**
 * The primitives the crypto core needs: node:crypto's backend or noble's give the same bytes.
 * @example getBackend('noble').hash('sha256', new TextEncoder().encode('abc')) // 32 bytes
 */
export interface CryptoBackend {
  readonly name: BackendName;
  hash(name: HashName, data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  pbkdf2(
    hash: HashName,
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    length: number,
  ): Uint8Array;
  /** AES-256-CBC with PKCS#7 padding. */
  aes256CbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** AES-256-CBC, PKCS#7 padding removed; undefined when the padding is bad. */
  aes256CbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined;
  /**
   * AES-128-GCM of `data ‖ trailer`, written as ciphertext ‖ 16-byte tag into `out` at
   * `offset` (data.length + trailer.length + 16 bytes). Two parts and an output buffer spare
   * RFC 8188's record loop a copy and an allocation per record.
   */
  aes128GcmSeal(
    key: Uint8Array,
    nonce: Uint8Array,
    data: Uint8Array,
    trailer: Uint8Array,
    out: Uint8Array,
    offset: number,
  ): void;
  /** AES-128-GCM over ciphertext ‖ tag; undefined when the tag does not verify. */
  aes128GcmDecrypt(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | undefined;
  /**
   * AES-256-CBC fed in pieces of any length, for streams: `update` returns what can be output so
   * far, `final` the rest. With `padding` (default) PKCS#7 is added or checked and removed;
   * without it the input must come to whole blocks.
   */
  aes256CbcStream(
    key: Uint8Array,
    iv: Uint8Array,
    direction: 'encrypt' | 'decrypt',
    padding?: boolean,
  ): IncrementalCipher;
}

/** A cipher fed in pieces (see CryptoBackend#aes256CbcStream). */
export interface IncrementalCipher {
  update(data: Uint8Array): Uint8Array;
  /** The rest of the output; undefined when the padding (or the total length) is bad. */
  final(): Uint8Array | undefined;
}

const GCM_TAG_LENGTH = 16;

/**
 * Backends loaded so far. The pure-JS one registers itself from backend-noble.ts, which the
 * library entry imports; the CLI loads it only when CISCO_PROV_CRYPTO=noble (start-up cost).
 */
const REGISTRY = Symbol.for('cisco-prov.crypto-backends');
const DEFAULT = Symbol.for('cisco-prov.crypto-default-backend');
// Kept on globalThis: the CLI's CommonJS bundle and the ESM chunks each have a copy of this
// module, and a backend registered (or chosen) by one must be seen by the other.
const shared = globalThis as {
  [REGISTRY]?: Partial<Record<BackendName, CryptoBackend>>;
  [DEFAULT]?: BackendName;
};
const registered: Partial<Record<BackendName, CryptoBackend>> = (shared[REGISTRY] ??= {});

/**
 * Makes a backend available to getBackend().
 * @example registerBackend(nobleBackend); getBackend('noble').name // 'noble'
 */
export function registerBackend(backend: CryptoBackend): void {
  registered[backend.name] = backend;
}

/**
 * Chooses the backend used when a call names none (for this thread); undefined goes back to
 * node:crypto where present, else noble.
 * @example setDefaultBackend('noble') // after importing the noble backend
 */
export function setDefaultBackend(name: BackendName | undefined): void {
  if (name !== undefined) getBackend(name); // fails now, not at the first encryption
  shared[DEFAULT] = name;
}

/**
 * The backend a call that names none gets.
 * @example defaultBackendName() // 'node' under Node, 'noble' where node:crypto is missing
 */
export function defaultBackendName(): BackendName {
  return shared[DEFAULT] ?? (nodeBackend ? 'node' : 'noble');
}

type NodeCrypto = typeof import('node:crypto');

function makeNodeBackend(c: NodeCrypto): CryptoBackend {
  return {
    name: 'node',
    hash: (name, data) => c.createHash(name).update(data).digest(),
    hmacSha256: (key, data) => c.createHmac('sha256', key).update(data).digest(),
    pbkdf2: (hash, password, salt, iterations, length) =>
      c.pbkdf2Sync(password, salt, iterations, length, hash),
    aes256CbcEncrypt: (key, iv, plaintext) => {
      const cipher = c.createCipheriv('aes-256-cbc', key, iv);
      return Buffer.concat([cipher.update(plaintext), cipher.final()]);
    },
    aes256CbcDecrypt: (key, iv, ciphertext) => {
      if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return undefined;
      try {
        const decipher = c.createDecipheriv('aes-256-cbc', key, iv);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch {
        return undefined;
      }
    },
    aes128GcmSeal: (key, nonce, data, trailer, out, offset) => {
      const cipher = c.createCipheriv('aes-128-gcm', key, nonce);
      let at = offset;
      for (const part of [data, trailer]) {
        if (part.length === 0) continue;
        const enc = cipher.update(part);
        out.set(enc, at);
        at += enc.length;
      }
      const rest = cipher.final();
      out.set(rest, at);
      out.set(cipher.getAuthTag(), at + rest.length);
    },
    aes128GcmDecrypt: (key, nonce, sealed) => {
      if (sealed.length < GCM_TAG_LENGTH) return undefined;
      try {
        const split = sealed.length - GCM_TAG_LENGTH;
        const decipher = c.createDecipheriv('aes-128-gcm', key, nonce);
        decipher.setAuthTag(sealed.subarray(split));
        const plain = decipher.update(sealed.subarray(0, split));
        const rest = decipher.final(); // GCM: empty, but it checks the tag
        return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
      } catch {
        return undefined;
      }
    },
    aes256CbcStream: (key, iv, direction, padding = true) => {
      const cipher =
        direction === 'encrypt'
          ? c.createCipheriv('aes-256-cbc', key, iv)
          : c.createDecipheriv('aes-256-cbc', key, iv);
      if (!padding) cipher.setAutoPadding(false);
      return {
        update: (data) => cipher.update(data),
        final: () => {
          try {
            return cipher.final();
          } catch {
            return undefined;
          }
        },
      };
    },
  };
}

// node:crypto where the runtime has it (Node ≥ 20.16 exposes built-ins synchronously through
// process.getBuiltinModule); a browser or worker without it falls back to noble.
const nodeCrypto: NodeCrypto | undefined = (
  globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined
)?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;

/**
 * The node:crypto backend, or undefined where node:crypto is missing.
 * @example nodeBackend?.name // 'node'
 */
export const nodeBackend: CryptoBackend | undefined = nodeCrypto
  ? makeNodeBackend(nodeCrypto)
  : undefined;

/**
 * Picks a backend: the one asked for, else the default (setDefaultBackend), else node:crypto
 * where present, else noble.
 * @example getBackend('noble').name // 'noble'
 */
export function getBackend(name?: BackendName): CryptoBackend {
  const wanted = name ?? defaultBackendName();
  if (wanted === 'noble') {
    if (!registered.noble) {
      throw new Error(
        'the noble crypto backend is not loaded: import "cisco-prov" (or crypto/backend-noble)',
      );
    }
    return registered.noble;
  }
  if (wanted === 'node') {
    if (!nodeBackend) throw new Error('the node crypto backend needs node:crypto');
    return nodeBackend;
  }
  throw new Error(`crypto backend expected "node" or "noble", got ${JSON.stringify(wanted)}`);
}

/**
 * Random bytes from the platform's CSPRNG. Keys come from here: nothing is kept after the call.
 * node:crypto's randomFillSync where it is loaded (the same OpenSSL CSPRNG as WebCrypto's
 * getRandomValues, without loading the WebCrypto modules: start-up), else WebCrypto.
 */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (nodeCrypto) nodeCrypto.randomFillSync(out);
  else globalThis.crypto.getRandomValues(out);
  return out;
}

/** Unused CSPRNG output for {@link randomSalt}; each byte is handed out once. */
const SALT_POOL_SIZE = 4096;
let saltPool: Uint8Array = new Uint8Array(0);
let saltPoolOffset = 0;

/**
 * Random bytes for a salt (public: it is written into the output), served from a 4 KiB pool
 * that is refilled from the CSPRNG. A render of 10,000 profiles makes 10,000 salts: one CSPRNG
 * call per 512 of them instead of one each (each call costs a getpid() and a lock in OpenSSL).
 * Same source as {@link randomBytes}; only the call count differs. Secrets never come from here.
 */
export function randomSalt(length: number): Uint8Array {
  if (length > SALT_POOL_SIZE / 8) return randomBytes(length);
  if (saltPoolOffset + length > saltPool.length) {
    saltPool = randomBytes(SALT_POOL_SIZE);
    saltPoolOffset = 0;
  }
  const out = saltPool.slice(saltPoolOffset, saltPoolOffset + length);
  saltPool.fill(0, saltPoolOffset, saltPoolOffset + length);
  saltPoolOffset += length;
  return out;
}
