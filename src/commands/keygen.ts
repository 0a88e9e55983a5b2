/** `cisco-prov keygen`: a strong random passphrase (AES-256-CBC) or IKM (RFC 8188). */
import { randomBytes } from '../crypto/backend.js';
import { toBase64url, toHex } from '../crypto/bytes.js';

export interface KeygenOptions {
  ikm?: boolean;
  bytes?: number;
  encoding?: 'text' | 'hex' | 'base64url';
}

/**
 * A passphrase is base64url text of n random bytes (default 24 → 32 characters, 192 bits):
 * printable, no quotes or spaces, safe inside `[--key …]` in a Profile_Rule. An IKM (default
 * 16 random bytes) is printed as text (base64url characters whose UTF-8 bytes are the IKM, the
 * documented default reading of IKM_HTTP_Encrypt_Content), or with a hex:/base64url: prefix.
 */
export function keygen(opts: KeygenOptions): string {
  const n = opts.bytes ?? (opts.ikm ? 16 : 24);
  const bytes = randomBytes(n);
  if (!opts.ikm) return toBase64url(bytes);
  switch (opts.encoding ?? 'text') {
    case 'hex':
      return `hex:${toHex(bytes)}`;
    case 'base64url':
      return `base64url:${toBase64url(bytes)}`;
    case 'text':
      return toBase64url(bytes);
  }
}
