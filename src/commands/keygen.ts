/** `cisco-prov keygen`: a strong random passphrase (AES-256-CBC) or IKM (RFC 8188). */
import { closeSync, fchmodSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from '../crypto/backend.js';
import { toBase64url, toHex } from '../crypto/bytes.js';
import { describeSystemError, ioError, usageError } from '../errors.js';

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

/**
 * `keygen -o <file>`: the key written to a new file, created 0600 (never readable by others, not
 * even for the moment between `keygen > key.txt` and a `chmod`) and only if nothing is there
 * (O_EXCL): an existing key file is never replaced — the phones may hold that key. A failed
 * write removes the file it made.
 * @throws CliError exit 2 when the file exists, exit 3 on any other I/O error
 */
export function writeKeyFile(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw usageError(
        `${path} exists: keygen never replaces a key file (the phones may hold that key)`,
        'remove it first if it is really no longer used, or choose another name',
      );
    }
    throw ioError(`cannot write ${describeSystemError(err, path)}`);
  }
  try {
    // umask may have taken bits away, never added them; fchmod makes 0600 exact either way.
    fchmodSync(fd, 0o600);
    writeFileSync(fd, text);
    closeSync(fd);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(path, { force: true });
    throw ioError(`cannot write ${describeSystemError(err, path)}`);
  }
}
