/**
 * The pure-JS backend: @noble/ciphers (AES) and @noble/hashes (MD5, SHA-256, HMAC, PBKDF2).
 * Importing this module registers it with getBackend(); the noble packages themselves load when
 * it is first used (lazy-deps.ts).
 */
import { noble } from '../lazy-deps.js';
import { registerBackend, type CryptoBackend, type IncrementalCipher } from './backend.js';
import { concatBytes } from './bytes.js';

/**
 * The pure-JS backend (noble-ciphers, noble-hashes): the same bytes as node:crypto, for runtimes
 * without it. Registered on import, chosen by name.
 * @example encryptOpensslEnc(profile, passphrase, { backend: 'noble' })
 */
export const nobleBackend: CryptoBackend = {
  name: 'noble',
  hash: (name, data) => (name === 'md5' ? noble().md5(data) : noble().sha256(data)),
  hmacSha256: (key, data) => noble().hmac(noble().sha256, key, data),
  pbkdf2: (hash, password, salt, iterations, length) =>
    noble().pbkdf2(hash === 'md5' ? noble().md5 : noble().sha256, password, salt, {
      c: iterations,
      dkLen: length,
    }),
  aes256CbcEncrypt: (key, iv, plaintext) => noble().cbc(key, iv).encrypt(plaintext),
  aes256CbcDecrypt: (key, iv, ciphertext) => {
    try {
      return noble().cbc(key, iv).decrypt(ciphertext);
    } catch {
      return undefined;
    }
  },
  aes128GcmSeal: (key, nonce, data, trailer, out, offset) => {
    const record = new Uint8Array(data.length + trailer.length);
    record.set(data, 0);
    record.set(trailer, data.length);
    out.set(noble().gcm(key, nonce).encrypt(record), offset);
  },
  aes128GcmDecrypt: (key, nonce, sealed) => {
    try {
      return noble().gcm(key, nonce).decrypt(sealed);
    } catch {
      return undefined;
    }
  },
  aes256CbcStream: (key, iv, direction, padding = true) =>
    new NobleCbcStream(key, iv, direction, padding),
};

const BLOCK = 16;

/**
 * CBC in pieces over noble's one-shot cbc(): whole blocks are run without padding, and the last
 * ciphertext block is the next piece's IV (NIST SP 800-38A §6.2). Decrypting keeps the last
 * block back until final(), where the PKCS#7 padding is checked.
 */
class NobleCbcStream implements IncrementalCipher {
  private iv: Uint8Array;
  private rest = new Uint8Array(0);

  constructor(
    private readonly key: Uint8Array,
    iv: Uint8Array,
    private readonly direction: 'encrypt' | 'decrypt',
    private readonly padding: boolean,
  ) {
    this.iv = iv.slice();
  }

  update(data: Uint8Array): Uint8Array {
    const all = concatBytes(this.rest, data);
    // Decrypting with padding keeps one whole block back for final().
    const keep =
      this.direction === 'decrypt' && this.padding && all.length % BLOCK === 0 ? BLOCK : 0;
    const usable = Math.max(0, all.length - (all.length % BLOCK) - keep);
    this.rest = all.slice(usable);
    return this.run(all.subarray(0, usable));
  }

  final(): Uint8Array | undefined {
    const rest = this.rest;
    this.rest = new Uint8Array(0);
    if (this.direction === 'encrypt') {
      if (!this.padding) return rest.length % BLOCK === 0 ? this.run(rest) : undefined;
      const n = BLOCK - (rest.length % BLOCK);
      const padded = new Uint8Array(rest.length + n).fill(n);
      padded.set(rest, 0);
      return this.run(padded);
    }
    if (rest.length % BLOCK !== 0 || (this.padding && rest.length === 0)) return undefined;
    const out = this.run(rest);
    if (!this.padding) return out;
    const n = out[out.length - 1] as number;
    if (n < 1 || n > BLOCK) return undefined;
    for (let i = out.length - n; i < out.length; i++) if (out[i] !== n) return undefined;
    return out.subarray(0, out.length - n);
  }

  private run(blocks: Uint8Array): Uint8Array {
    if (blocks.length === 0) return blocks;
    const cipher = noble().cbc(this.key, this.iv, { disablePadding: true });
    const out = this.direction === 'encrypt' ? cipher.encrypt(blocks) : cipher.decrypt(blocks);
    this.iv = (this.direction === 'encrypt' ? out : blocks).slice(-BLOCK);
    return out;
  }
}

registerBackend(nobleBackend);
