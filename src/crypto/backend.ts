/**
 * The AES and hash primitives beneath our format code, behind one interface with two
 * implementations:
 * - `node`: node:crypto (OpenSSL, native speed) — the default under Node.js;
 * - `noble`: @noble/ciphers + @noble/hashes (audited, pure JS) — for runtimes without
 *   node:crypto, or when asked (`backend: 'noble'`, or CISCO_PROV_CRYPTO=noble for tests).
 * The format logic (OpenSSL `enc` framing, RFC 8188) is written once above this layer, and the
 * differential tests require both backends to produce identical bytes.
 */
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';

export type BackendName = 'node' | 'noble';
export type HashName = 'md5' | 'sha256';

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
  /** AES-128-GCM, returns ciphertext ‖ 16-byte tag. */
  aes128GcmEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** AES-128-GCM over ciphertext ‖ tag; undefined when the tag does not verify. */
  aes128GcmDecrypt(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | undefined;
}

const GCM_TAG_LENGTH = 16;

/** The pure-JS backend. */
export const nobleBackend: CryptoBackend = {
  name: 'noble',
  hash: (name, data) => (name === 'md5' ? nobleMd5(data) : nobleSha256(data)),
  hmacSha256: (key, data) => nobleHmac(nobleSha256, key, data),
  pbkdf2: (hash, password, salt, iterations, length) =>
    noblePbkdf2(hash === 'md5' ? nobleMd5 : nobleSha256, password, salt, {
      c: iterations,
      dkLen: length,
    }),
  aes256CbcEncrypt: (key, iv, plaintext) => cbc(key, iv).encrypt(plaintext),
  aes256CbcDecrypt: (key, iv, ciphertext) => {
    try {
      return cbc(key, iv).decrypt(ciphertext);
    } catch {
      return undefined;
    }
  },
  aes128GcmEncrypt: (key, nonce, plaintext) => gcm(key, nonce).encrypt(plaintext),
  aes128GcmDecrypt: (key, nonce, sealed) => {
    try {
      return gcm(key, nonce).decrypt(sealed);
    } catch {
      return undefined;
    }
  },
};

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
    aes128GcmEncrypt: (key, nonce, plaintext) => {
      const cipher = c.createCipheriv('aes-128-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([body, cipher.getAuthTag()]);
    },
    aes128GcmDecrypt: (key, nonce, sealed) => {
      if (sealed.length < GCM_TAG_LENGTH) return undefined;
      try {
        const split = sealed.length - GCM_TAG_LENGTH;
        const decipher = c.createDecipheriv('aes-128-gcm', key, nonce);
        decipher.setAuthTag(sealed.subarray(split));
        return Buffer.concat([decipher.update(sealed.subarray(0, split)), decipher.final()]);
      } catch {
        return undefined;
      }
    },
  };
}

// node:crypto where the runtime has it; a browser or worker without it falls back to noble.
let nodeCrypto: NodeCrypto | undefined;
try {
  nodeCrypto = await import('node:crypto');
} catch {
  nodeCrypto = undefined;
}

/** The node:crypto backend, or undefined where node:crypto is missing. */
export const nodeBackend: CryptoBackend | undefined = nodeCrypto
  ? makeNodeBackend(nodeCrypto)
  : undefined;

/**
 * Picks a backend: the one asked for, else CISCO_PROV_CRYPTO from the environment, else
 * node:crypto where present, else noble.
 * @example getBackend('noble').name // 'noble'
 */
export function getBackend(name?: BackendName): CryptoBackend {
  const wanted =
    name ??
    (globalThis.process?.env?.CISCO_PROV_CRYPTO as BackendName | undefined) ??
    (nodeBackend ? 'node' : 'noble');
  if (wanted === 'noble') return nobleBackend;
  if (wanted === 'node') {
    if (!nodeBackend) throw new Error('the node crypto backend needs node:crypto');
    return nodeBackend;
  }
  throw new Error(`crypto backend expected "node" or "noble", got ${JSON.stringify(wanted)}`);
}

/** Random bytes from the platform's CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  globalThis.crypto.getRandomValues(out);
  return out;
}
