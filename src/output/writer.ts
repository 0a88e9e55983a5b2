/**
 * The one writer. Data (a profile, ciphertext, JSON) goes to stdout; human notes, warnings and
 * errors go to stderr, so a pipeline's stdout carries data only.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CliError, ExitCode, describeSystemError } from '../errors.js';

/** Writes a line to stderr. */
export function writeStderrLine(line: string): void {
  process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
}

/** A warning on stderr, prefixed like every other message of the tool. */
export function warn(message: string): void {
  writeStderrLine(`cisco-prov: warning: ${message}`);
}

/** A note on stderr (information, not a problem). */
export function note(message: string): void {
  writeStderrLine(`cisco-prov: ${message}`);
}

/** Writes text or bytes to stdout and resolves once they are handed to the OS. */
export function writeStdout(data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Refuses to write binary data to a terminal (as gzip does) unless forced.
 * @param isBinary whether the data would garble a terminal
 */
export function assertStdoutAcceptsBinary(isBinary: boolean, force: boolean): void {
  if (isBinary && !force && process.stdout.isTTY) {
    throw new CliError(
      ExitCode.Usage,
      'refusing to write binary data to a terminal',
      'use -o <file>, redirect stdout, or pass --force',
    );
  }
}

/**
 * Temp names: a random tag drawn once per thread, then a counter — unique across processes and
 * threads without a CSPRNG call per file. The temp file is opened with O_EXCL ('wx'), so a name
 * that exists (or a planted symlink) is an error, never followed.
 */
let tempTag: string | undefined;
let tempCounter = 0;

/**
 * Writes a file atomically: a temp file beside it, fsync, then rename over the target. A failure
 * leaves no partial file behind; readers see the old file or the new one, never part of one.
 * `fsync: false` (render's batches) skips the flush: 10,000 fsyncs cost more than rendering the
 * batch, and after a crash a re-run rewrites any file that was lost. `mode` (default 0o666, less
 * the umask) is set on the temp file before any byte is written: 0o600 for a file with secrets.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: { fsync?: boolean; mode?: number } = {},
): void {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${(tempTag ??= randomBytes(6).toString('hex'))}${(tempCounter++).toString(36)}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', options.mode ?? 0o666);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    if (options.fsync !== false) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new CliError(ExitCode.Failure, `cannot write ${describeSystemError(err, path)}`);
  }
}
