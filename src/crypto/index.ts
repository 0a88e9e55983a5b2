/**
 * The crypto core: OpenSSL `enc` (AES-256-CBC) and RFC 8188 aes128gcm, gzip, and the envelope
 * that detects and opens a profile. Pure: bytes in, bytes out. (Implementation landing; the
 * signatures below are the contract.)
 */

export type Digest = 'md5' | 'sha256';
export type Cipher = 'aes-256-cbc' | 'aes128gcm';

/** Every decrypt failure: wrong key, corrupt, truncated or tampered input. Says nothing more. */
export class DecryptError extends Error {
  constructor() {
    super('bad decrypt');
    this.name = 'DecryptError';
  }
}

export interface SealOptions {
  cipher: Cipher;
  /** AES-256-CBC passphrase. */
  passphrase?: string | Uint8Array;
  /** RFC 8188 input keying material (raw bytes; see parseIkm). */
  ikm?: Uint8Array;
  gzip?: boolean;
  md?: Digest;
  rs?: number;
  keyid?: string | Uint8Array;
  pad?: number;
  salt?: Uint8Array;
}

/** gzip (optional) then encrypt a profile, as the phone expects. */
export function sealProfile(_plaintext: Uint8Array | string, _options: SealOptions): Uint8Array {
  throw new Error('not implemented yet');
}

export interface OpenOptions {
  passphrase?: string | Uint8Array;
  ikm?: Uint8Array;
  md?: Digest;
  gunzip?: boolean;
}

export interface OpenedProfile {
  /** The plaintext bytes after decrypting and gunzipping. */
  plaintext: Uint8Array;
  container: 'plain' | 'gzip' | 'openssl-enc' | 'openssl-enc-base64' | 'aes128gcm';
  gzip: boolean;
}

/** Detects the container, decrypts with the key given and gunzips. Throws DecryptError. */
export function openProfile(_data: Uint8Array, _options: OpenOptions = {}): OpenedProfile {
  throw new Error('not implemented yet');
}

/** IKM text → bytes: UTF-8 text, or `hex:<hex>` / `base64url:<b64>` for raw bytes. */
export function parseIkm(_text: string): Uint8Array {
  throw new Error('not implemented yet');
}
