/**
 * What `decrypt --info` reports about a profile file, and the human names of its containers.
 * Plain data: never a key, an IKM or plaintext.
 */
import type { Container } from './envelope.js';

/** What `--info` reports. Never a key, IKM or plaintext. */
export interface ProfileInfo {
  file: string;
  container: Container;
  /** Whether the key given opened it (null when no key was given). */
  decrypted: boolean | null;
  /** AES-256-CBC key derivation that worked: `md5`, `sha256`, `pbkdf2-sha256`… */
  digest: string | null;
  salt: string | null;
  rs: number | null;
  keyid: string | null;
  records: number | null;
  gzip: boolean | null;
  sizes: { input: number; payload: number | null; plaintext: number | null };
}

const CONTAINER_NAMES: Record<Container, string> = {
  plain: 'plain XML',
  gzip: 'gzip',
  'openssl-enc': 'AES-256-CBC (OpenSSL enc)',
  'openssl-enc-base64': 'AES-256-CBC (OpenSSL enc, base64)',
  aes128gcm: 'RFC 8188 aes128gcm',
  unknown: 'unknown',
};

/** Human name of a container, for messages. */
export function containerName(c: Container): string {
  return CONTAINER_NAMES[c];
}
