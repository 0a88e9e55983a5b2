/**
 * One file of `validate`: open it (plain, gzip, AES-256-CBC or aes128gcm), check its encoding
 * and run the rules. Shared by the main thread and the worker threads.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  DecryptError,
  SizeLimitError,
  detectContainer,
  looksLikeXml,
  openProfile,
  type Digest,
  type OpenOptions,
} from '../crypto/index.js';
import type { Catalog } from '../profile/catalog.js';
import { sniffUtf16Or32 } from '../profile/text-encoding.js';
import type { EmptyValueMode } from './define-rule.js';
import type { RuleId } from './rule-ids.js';
import type { Diagnostic, FileDiagnostics } from './diagnostic.js';
import { validateProfileBytes } from './index.js';
import { unreadableFile } from './unreadable.js';

export interface FileCheckSettings {
  model: string | undefined;
  passphrase: string | undefined;
  ikm: Uint8Array | undefined;
  ignoreRules: RuleId[];
  /** What an empty value is taken for (default `accept`; see ValidateOptions). */
  emptyValues?: EmptyValueMode;
  /** Only this EVP_BytesToKey digest for AES-256-CBC (default: md5, then sha256) [open]. */
  md?: Digest;
}

/**
 * The largest profile validated, on disk and after gunzip. A full phone profile is well under
 * 1 MB; anything beyond this is not a profile, and reading it whole would only exhaust memory.
 */
export const MAX_PROFILE_BYTES = 16 * 1024 * 1024;

const TOO_LARGE = `larger than ${MAX_PROFILE_BYTES} bytes (the limit for a profile)`;

/**
 * Reads at most `max` bytes of a file: a larger profile is reported by checkProfileFile (its
 * length is then above MAX_PROFILE_BYTES), never read whole. Throws the system error.
 */
export function readFileUpTo(path: string | Uint8Array, max = MAX_PROFILE_BYTES + 1): Uint8Array {
  return readInto(path, max, false);
}

/**
 * The buffer a batch reads its files into, one after the other: a new buffer per file was
 * 10,000 short-lived 30 KB allocations outside V8's heap for a 10,000-file run.
 */
let batchBuffer: Buffer | undefined;
const BATCH_BUFFER_BYTES = 1 << 20;

/** Reads at most `max` bytes; with `reuse`, a small file lands in batchBuffer (see below). */
function readInto(path: string | Uint8Array, max: number, reuse: boolean): Uint8Array {
  const fd = openSync(fsPathOf(path), 'r');
  try {
    const size = Math.min(fstatSync(fd).size, max);
    const bytes =
      reuse && size <= BATCH_BUFFER_BYTES
        ? (batchBuffer ??= Buffer.allocUnsafeSlow(BATCH_BUFFER_BYTES))
        : Buffer.allocUnsafe(size);
    return bytes.subarray(0, readFrom(fd, bytes, 0, size));
  } finally {
    closeSync(fd);
  }
}

/** A path for node:fs: a path of bytes (a name that is not UTF-8) arrives as a Uint8Array. */
function fsPathOf(path: string | Uint8Array): string | Buffer {
  return typeof path === 'string' || Buffer.isBuffer(path)
    ? path
    : Buffer.from(path.buffer, path.byteOffset, path.byteLength);
}

/** Reads into `bytes` from `offset` until `size` or the end of the file; the new length. */
function readFrom(fd: number, bytes: Uint8Array, offset: number, size: number): number {
  let at = offset;
  while (at < size) {
    const n = readSync(fd, bytes, at, size - at, null);
    if (n === 0) break;
    at += n;
  }
  return at;
}

/**
 * Reads a regular file of a batch (one the directory listing or a stat found to be a regular
 * file) at most `max` bytes, without asking its size first: one read into batchBuffer, and a
 * read that returns less than it asked for is the end of the file (POSIX: a regular file reads
 * short only there). Only a file that fills the buffer is measured (fstat) and read on, as
 * readInto reads it. The fstat per file was ≈ 3–6 µs of CPU (the system call and a Stats
 * object): 10,000 files, see bench/RESULTS-perf10.md.
 */
function readRegular(path: string | Uint8Array, max: number): Uint8Array {
  const fd = openSync(fsPathOf(path), 'r');
  try {
    const buffer = (batchBuffer ??= Buffer.allocUnsafeSlow(BATCH_BUFFER_BYTES));
    const first = readSync(fd, buffer, 0, Math.min(BATCH_BUFFER_BYTES, max), null);
    if (first < BATCH_BUFFER_BYTES || first === max) return buffer.subarray(0, first);
    // As large as the buffer or larger: read the rest up to its size now (as readInto).
    const size = Math.min(fstatSync(fd).size, max);
    if (size <= first) return buffer.subarray(0, size);
    const bytes = Buffer.allocUnsafe(size);
    buffer.copy(bytes, 0, 0, first);
    return bytes.subarray(0, readFrom(fd, bytes, first, size));
  } finally {
    closeSync(fd);
  }
}

function unreadable(file: string, message: string, hint?: string): Diagnostic {
  const diagnostic: Diagnostic = {
    ruleId: 'unreadable-profile',
    severity: 'error',
    message,
    file,
    line: 1,
    column: 1,
  };
  if (hint) diagnostic.hint = hint;
  return diagnostic;
}

function count(file: string, diagnostics: Diagnostic[]): FileDiagnostics {
  let errorCount = 0;
  let warningCount = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errorCount++;
    else warningCount++;
  }
  return { file, diagnostics, errorCount, warningCount };
}

/** Whether bytes start as an OpenSSL enc file: `Salted__`, or its base64 `U2FsdGVkX1`. */
function isOpensslEncHeader(bytes: Uint8Array): boolean {
  const head = String.fromCharCode(...bytes.subarray(0, 10));
  return head.startsWith('Salted__') || head === 'U2FsdGVkX1';
}

/** Opens the bytes as the phone would; diagnostics instead of exceptions. */
function open(
  file: string,
  bytes: Uint8Array,
  settings: FileCheckSettings,
): { plaintext: Uint8Array; encrypted: boolean } | Diagnostic {
  const container = detectContainer(bytes, false);
  if (container === 'unknown' && settings.ikm === undefined) {
    // Text that is not XML: validate it, xml-well-formed will say why. Binary data without a
    // recognisable header is most likely RFC 8188 aes128gcm, which has no magic bytes.
    // UTF-16/32 text is text too: validateProfileBytes says what it is and how to convert it.
    if (isUtf8(bytes) || sniffUtf16Or32(bytes)) return { plaintext: bytes, encrypted: false };
    return unreadable(
      file,
      'not XML, gzip or OpenSSL enc: binary data with no known header',
      'an RFC 8188 aes128gcm profile needs --ikm-file, --ikm-env or --ikm',
    );
  }
  if (
    (container === 'openssl-enc' || container === 'openssl-enc-base64') &&
    settings.passphrase === undefined
  ) {
    return unreadable(
      file,
      'encrypted profile (AES-256-CBC): no key given',
      'give --key-file, --key-env or --key',
    );
  }
  // Gunzip capped at the profile limit: a gzip bomb is a finding, not gigabytes of memory.
  const options: OpenOptions = { maxSize: MAX_PROFILE_BYTES, plaintextCheck: 'text' };
  if (settings.passphrase !== undefined) options.passphrase = settings.passphrase;
  if (settings.ikm !== undefined) options.ikm = settings.ikm;
  if (settings.md !== undefined) options.md = settings.md;
  try {
    const opened = openProfile(bytes, options);
    if (opened.container === 'gzip' && isOpensslEncHeader(opened.plaintext)) {
      // gzip(encrypt(xml)): the phone gunzips only what it decrypted (reference §3).
      return unreadable(
        file,
        'gzip around an encrypted profile (Salted__ inside): the phone reads encrypt(gzip(xml)), not gzip(encrypt(xml))',
        'gzip the XML first, then encrypt it (cisco-prov encrypt --gzip, or openssl enc on the .gz)',
      );
    }
    return {
      plaintext: opened.plaintext,
      encrypted: opened.container !== 'plain' && opened.container !== 'gzip',
    };
  } catch (err) {
    if (err instanceof SizeLimitError) {
      return unreadable(
        file,
        `gunzips to more than ${MAX_PROFILE_BYTES} bytes (the limit for a profile)`,
      );
    }
    if (err instanceof DecryptError && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      // A plain gzip file (no key involved, so no oracle): say what it is.
      return unreadable(file, 'corrupt or truncated gzip (not encrypted)');
    }
    if (err instanceof DecryptError) {
      // Never say why: "bad decrypt" is all (no oracle).
      return unreadable(file, 'bad decrypt', 'check the key, and that the file is complete');
    }
    throw err;
  }
}

/**
 * Checks one profile file's bytes.
 * @example checkProfileFile('a.xml', bytes, DEFAULT_CATALOG, { model: undefined, passphrase: undefined, ikm: undefined, ignoreRules: [] })
 */
export function checkProfileFile(
  file: string,
  bytes: Uint8Array,
  catalog: Catalog,
  settings: FileCheckSettings,
): FileDiagnostics {
  if (bytes.length > MAX_PROFILE_BYTES) {
    const ignored = settings.ignoreRules.includes('unreadable-profile');
    return count(file, ignored ? [] : [unreadable(file, TOO_LARGE)]);
  }
  const opened = looksLikeXml(bytes)
    ? { plaintext: bytes, encrypted: false }
    : open(file, bytes, settings);
  if ('ruleId' in opened) {
    return count(file, settings.ignoreRules.includes('unreadable-profile') ? [] : [opened]);
  }
  const diagnostics = validateProfileBytes(opened.plaintext, {
    file,
    catalog,
    encrypted: opened.encrypted,
    ...(settings.model !== undefined ? { model: settings.model } : {}),
    ignoreRules: settings.ignoreRules,
    ...(settings.emptyValues !== undefined ? { emptyValues: settings.emptyValues } : {}),
  });
  return count(file, diagnostics);
}

/**
 * Reads and checks a batch of files (a worker's share of a large `validate`).
 * @param paths absolute paths to read (bytes for a path that is not UTF-8)
 * @param names the names to show in diagnostics (as the user gave them)
 * @param special whether the file at an index may be other than a regular file (a device or a
 *   FIFO named on the command line): read as readFileUpTo reads it, by its size
 * A file that cannot be read comes back with `readError` set (see unreadableFile).
 */
export function checkProfileFiles(
  paths: readonly (string | Uint8Array)[],
  names: readonly string[],
  catalog: Catalog,
  settings: FileCheckSettings,
  special: (index: number) => boolean = () => false,
): FileDiagnostics[] {
  const results: FileDiagnostics[] = [];
  for (let i = 0; i < paths.length; i++) {
    const name = names[i]!;
    let bytes: Uint8Array;
    try {
      // Valid until the next file is read: checkProfileFile keeps nothing of the bytes (the
      // text is decoded into a string, gunzip and decrypt make new buffers).
      bytes = special(i)
        ? readInto(paths[i]!, MAX_PROFILE_BYTES + 1, true)
        : readRegular(paths[i]!, MAX_PROFILE_BYTES + 1);
    } catch (err) {
      // Not checked, and not the end of the run: the others are read and checked.
      results.push(unreadableFile(name, err));
      continue;
    }
    results.push(checkProfileFile(name, bytes, catalog, settings));
  }
  return results;
}
