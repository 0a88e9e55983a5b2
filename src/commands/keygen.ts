/** `cisco-prov keygen`: a strong random passphrase (AES-256-CBC) or IKM (RFC 8188). */
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from '../crypto/backend.js';
import { toBase64url, toHex } from '../crypto/bytes.js';
import { describeSystemError, ioError, usageError } from '../errors.js';
import { refuseEmptyPaths } from '../io/empty-path.js';

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
 * (O_EXCL): an existing key file is never replaced — the phones may hold that key. The file and
 * its directory entry are fsynced before keygen reports success: unlike every other output of
 * this tool, a random key cannot be made again by re-running the command. A failed write removes
 * the file it made. A FIFO or character device already at the path (`-o >(pass insert …)`,
 * `/dev/tty`) is written through: nothing is replaced there. (`-o -` and `-o /dev/stdout` never
 * get here: they print, as every command's `-o` does.)
 * @throws CliError exit 2 when the file exists, exit 3 on any other I/O error
 */
export function writeKeyFile(path: string, text: string): void {
  refuseEmptyPaths({ '-o': path });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && isStreamNode(path)) {
      writeThrough(path, text);
      return;
    }
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
    fsyncSync(fd);
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
  syncDirectoryOf(path);
}

/** A FIFO, character device or socket at `path` (a symlink followed): written through, not made. */
function isStreamNode(path: string): boolean {
  const type = (statSync(path, { throwIfNoEntry: false })?.mode ?? 0) & constants.S_IFMT;
  return type === constants.S_IFIFO || type === constants.S_IFCHR || type === constants.S_IFSOCK;
}

function writeThrough(path: string, text: string): void {
  try {
    const fd = openSync(path, 'w');
    try {
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw ioError(`cannot write ${describeSystemError(err, path)}`);
  }
}

/** The new name made durable too: fsync of its directory (best effort: not every system can). */
function syncDirectoryOf(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dirname(path), 'r');
    fsyncSync(fd);
  } catch {
    // A directory that cannot be opened or fsynced (some file systems, Windows): the file is.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
