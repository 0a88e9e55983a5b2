/**
 * The pure-JS backend: @noble/ciphers (AES) and @noble/hashes (MD5, SHA-256, HMAC, PBKDF2).
 * Importing this module registers it with getBackend().
 */
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { registerBackend, type CryptoBackend } from './backend.js';

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
  aes128GcmSeal: (key, nonce, data, trailer, out, offset) => {
    const record = new Uint8Array(data.length + trailer.length);
    record.set(data, 0);
    record.set(trailer, data.length);
    out.set(gcm(key, nonce).encrypt(record), offset);
  },
  aes128GcmDecrypt: (key, nonce, sealed) => {
    try {
      return gcm(key, nonce).decrypt(sealed);
    } catch {
      return undefined;
    }
  },
};

registerBackend(nobleBackend);
