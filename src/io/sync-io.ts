/**
 * Synchronous input and output for the one-shot `encrypt` of a small file (start-up, issue 12):
 * the file read whole with the calls Node has compiled already, stdout written with plain
 * write(2) calls. Creating `process.stdout` loads Node's stream modules (and `net` for a pipe):
 * ~3 M instructions, ~0.7 ms of CPU, more than the encryption of a 30 KB profile.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  statSync,
  writeSync,
  writevSync,
} from 'node:fs';
import { CliError, ExitCode, describeSystemError } from '../errors.js';
import { stdoutError } from './writer.js';

/** An input file opened and read in part: its first bytes, and the descriptor to read on from. */
export interface OpenedInput {
  fd: number;
  path: string;
  /** The bytes read so far, the start of the input. */
  head: Uint8Array;
}

/**
 * The bytes {@link readInputUpTo} reads into first (64 KiB: a profile is tens of kilobytes). A
 * buffer of that size comes from memory the process has touched already; one of 1 MiB is mapped
 * afresh, and each of its pages a read fills is a page fault — on this project's VMs (Firecracker,
 * free pages handed back to the host) 5–20 µs each, ≈ 8 of them for a 30 KB profile (issue 12).
 */
const FIRST_READ = 1 << 16;

/**
 * An input file's bytes when it ends within `limit` bytes (any kind of file: a regular file, a
 * FIFO that closes in time); otherwise the file, still open, with the `limit` + 1 bytes read so
 * far, for the streamed path to carry on from. No fstat: open and read are the calls the shim's
 * `readFileSync` of the code cache has compiled already, and a Stats object costs the first
 * compilation of its class (~0.5 M instructions). Errors name the file (exit 3), worded as the
 * streamed reader's (src/io/streams.ts readChunks).
 */
export function readInputUpTo(path: string, limit: number): Uint8Array | OpenedInput {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    // First into FIRST_READ bytes, then (a larger input) into limit + 1: see FIRST_READ.
    let buffer = Buffer.allocUnsafe(Math.min(FIRST_READ, limit + 1));
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) {
        closeSync(fd);
        return buffer.subarray(0, length);
      }
      length += n;
      if (length < buffer.length) continue;
      if (length === limit + 1) return { fd, path, head: buffer };
      const larger = Buffer.allocUnsafe(limit + 1);
      larger.set(buffer);
      buffer = larger;
    }
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, path)}`);
  }
}

/**
 * Whether stdout takes plain synchronous writes, with no `process.stdout`: a regular file, a
 * pipe, a socket or /dev/null — never a terminal (whose check, and any other character device,
 * goes through process.stdout as before). False when stdout is closed.
 */
export function stdoutTakesPlainWrites(): boolean {
  let stats;
  try {
    stats = fstatSync(1);
  } catch {
    return false;
  }
  // The type bits of the mode, as isFile() and its siblings read them (those methods would be
  // compiled for these calls alone).
  const type = stats.mode & constants.S_IFMT;
  if (type === constants.S_IFREG || type === constants.S_IFIFO || type === constants.S_IFSOCK) {
    return true;
  }
  if (type !== constants.S_IFCHR) return false;
  try {
    // The null device (`> /dev/null`, a benchmark's or a cron job's stdout) is no terminal.
    return stats.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/**
 * Writes bytes to stdout (fd 1) with write(2), as `process.stdout` would for a file: a reader
 * that went away (EPIPE) drops the rest without an error, as the streamed writer does; a full
 * non-blocking pipe (EAGAIN) is waited for; any other failure is one line, exit 3.
 */
function writeStdoutSync(bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset, bytes.length - offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw stdoutError(err);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * Writes the parts to stdout (fd 1) in order, with one writev when it takes them all (a file, a
 * pipe with room, /dev/null): writevSync is the one write function a one-shot run to `-o` compiles
 * too. Whatever it leaves — a short write, a full non-blocking pipe (EAGAIN) — goes on with
 * {@link writeStdoutSync}; a reader that went away (EPIPE) drops the rest, as there.
 */
export function writeStdoutPartsSync(parts: readonly Uint8Array[]): void {
  let written = 0;
  try {
    written = writevSync(1, parts as Uint8Array[]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return;
    if (code !== 'EAGAIN') throw stdoutError(err);
  }
  for (const part of parts) {
    if (written >= part.length) {
      written -= part.length;
      continue;
    }
    writeStdoutSync(written > 0 ? part.subarray(written) : part);
    written = 0;
  }
}
