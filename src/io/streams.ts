/**
 * Streamed input and output for the crypto commands: a file or stdin in, chunk by chunk; an
 * atomic file (temp + rename) or stdout out. Memory stays at a chunk or two whatever the size.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CliError, ExitCode, describeSystemError } from '../errors.js';
import { isStdoutClosed, stdoutError, writeOutputChunks, type WriteOptions } from './writer.js';
import { refuseStdinAsInput } from './input.js';

/** Bytes per read: large enough for native-speed crypto, small enough to keep memory flat. */
export const CHUNK_SIZE = 1 << 20;

/**
 * A file's bytes in chunks (sync reads: no thread-pool round trip per chunk), or stdin for `-` or
 * no path. Errors name the file (exit 3).
 */
export function readChunks(
  path: string | undefined,
): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (path === undefined || path === '-') {
    refuseStdinAsInput();
    return process.stdin as AsyncIterable<Uint8Array>;
  }
  let fd: number;
  let size: number;
  let pipe: boolean;
  try {
    fd = openSync(path, 'r');
    const stats = fstatSync(fd);
    size = stats.size;
    pipe = isPipe(stats);
  } catch (err) {
    throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, path)}`);
  }
  return pipe ? pipeChunks(fd, path) : fileChunks(fd, path, size);
}

/** What an empty input gets from `encrypt` and `decrypt` (one line, exit 1). */
export function emptyInputError(name: string, verb: 'encrypt' | 'decrypt'): CliError {
  return new CliError(
    ExitCode.Bad,
    `${name}: empty input (0 bytes): nothing to ${verb}`,
    verb === 'encrypt'
      ? 'an empty profile is most likely a mistake upstream; --allow-empty encrypts it anyway'
      : undefined,
  );
}

/**
 * The input's chunks, once its first byte has arrived: an empty input (a 0-byte file, stdin
 * closed at once) is refused with {@link emptyInputError} before anything is written — no
 * header on stdout, no output file. With `allowEmpty` an empty input passes as it is.
 */
export async function nonEmptyChunks(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  name: string,
  verb: 'encrypt' | 'decrypt',
  allowEmpty = false,
): Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>> {
  const iterator =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (source as Iterable<Uint8Array>)[Symbol.iterator]();
  let first: Uint8Array | undefined;
  for (;;) {
    const next = await iterator.next();
    if (next.done) {
      if (allowEmpty) return [];
      throw emptyInputError(name, verb);
    }
    if (next.value.length > 0) {
      first = next.value;
      break;
    }
  }
  const head = first;
  return (async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  })();
}

/**
 * The chunks of an input file opened and read in part already (src/io/sync-io.ts readInputUpTo:
 * the one-shot path streams a file that did not end within its limit): the bytes read, then the
 * rest, as readChunks gives them; the file is closed at the end.
 */
export function openedFileChunks(input: {
  fd: number;
  path: string;
  head: Uint8Array;
}): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  let pipe = false;
  try {
    pipe = isPipe(fstatSync(input.fd));
  } catch {
    // read on as a file: the read names any error
  }
  return pipe
    ? pipeChunks(input.fd, input.path, input.head)
    : fileChunks(input.fd, input.path, 0, input.head);
}

function* fileChunks(
  fd: number,
  path: string,
  size: number,
  head?: Uint8Array,
): Generator<Uint8Array> {
  try {
    if (head) yield head;
    // A small regular file is read in one piece (+1 byte to see its end in the same call).
    let want = size > 0 && size < CHUNK_SIZE ? size + 1 : CHUNK_SIZE;
    for (;;) {
      const buffer = Buffer.allocUnsafe(want);
      let n: number;
      try {
        n = readSync(fd, buffer, 0, want, null);
      } catch (err) {
        throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, path)}`);
      }
      if (n === 0) return;
      yield n === want ? buffer : buffer.subarray(0, n);
      want = CHUNK_SIZE;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The chunks of a FIFO or a socket given by path (`<(producer)`, `/dev/stdin` on a pipe), read
 * as Node reads stdin: a libuv pipe, non-blocking, on the event loop. readSync there waits for a
 * slow writer with the event loop blocked, so a SIGINT, SIGTERM or SIGHUP was handled only once
 * data came, and then lost when the process ended (exit 0); fs.read on the thread pool would
 * hold process.exit until the read returned. Other files (a character device) are read as a
 * regular file is.
 */
async function* pipeChunks(
  fd: number,
  path: string,
  head?: Uint8Array,
): AsyncGenerator<Uint8Array> {
  const net = process.getBuiltinModule('node:net');
  let socket: import('node:net').Socket;
  try {
    socket = new net.Socket({ fd, readable: true, writable: false });
  } catch (err) {
    closeSync(fd);
    throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, path)}`);
  }
  try {
    if (head) yield head;
    for await (const chunk of socket) yield chunk as Uint8Array;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, path)}`);
  } finally {
    socket.destroy();
  }
}

/** Whether a file is read through {@link pipeChunks}. */
function isPipe(stats: { isFIFO(): boolean; isSocket(): boolean }): boolean {
  return stats.isFIFO() || stats.isSocket();
}

/**
 * The chunks, with a turn of the event loop after every `every` bytes. A regular file's chunks
 * are read synchronously and sealed or opened in promise jobs, which never let the event loop
 * run: a SIGINT, SIGTERM or SIGHUP (src/io/writer.ts: remove the temp file, exit 128 + n) waited
 * for the whole stream and was then lost when the process ended — exit 0, the output written.
 * One setImmediate per MiB costs microseconds.
 */
async function* withSignalTurns(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  every = CHUNK_SIZE,
): AsyncGenerator<Uint8Array> {
  let since = 0;
  for await (const chunk of chunks) {
    yield chunk;
    since += chunk.length;
    if (since >= every) {
      since = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * Keeps a long stream's memory flat. Each chunk node:crypto and node:fs hand us is a new
 * off-heap buffer, freed only when V8 collects the small object that holds it; V8 starts a
 * collection for off-heap memory only after ~64 MB of it has piled up. Measured on a 128 MB
 * encrypt: peak RSS 80 MB without, 49 MB with a minor (young-generation) collection every 4 MiB,
 * at < 1 ms each (1 MiB: 52 MB). Node offers `gc` only under --expose-gc; the flag is set at run time and the
 * function taken from a new context (the documented way V8 exposes it), and only once a stream
 * passes 4 MiB, so a one-shot command never pays for it. If a future Node refuses, streams still
 * work and only the peak grows: test/cli/crypto-stream.test.ts measures it.
 */
class MemoryReleaser {
  private since = 0;
  private count = 0;
  private gc: ((options?: { type: 'minor' }) => void) | null | undefined;

  constructor(
    private readonly every = 1 << 20,
    private readonly fullEvery = 8,
  ) {}

  /**
   * Counts bytes passed on; collects young garbage every `every` bytes, and all of it every
   * `fullEvery` times (chunks held across zlib's asynchronous steps live long enough to be
   * promoted out of the young generation).
   */
  passed(bytes: number): void {
    this.since += bytes;
    if (this.since < this.every) return;
    this.since = 0;
    if (this.gc === undefined) this.gc = exposeGc();
    this.gc?.(++this.count % this.fullEvery === 0 ? undefined : { type: 'minor' });
  }
}

function exposeGc(): ((options?: { type: 'minor' }) => void) | null {
  try {
    const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const v8 = get?.('node:v8') as typeof import('node:v8') | undefined;
    const vm = get?.('node:vm') as typeof import('node:vm') | undefined;
    if (!v8 || !vm) return null;
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as (options?: { type: 'minor' }) => void) : null;
  } catch {
    return null;
  }
}

/**
 * Writes a stream to a file through the one writer (src/io/writer.ts): atomically (temp file,
 * fsync, rename) for a regular file, keeping its mode and owner; written through for a device,
 * FIFO or /dev/stdout. If the stream throws — a bad decrypt found at the end, a read error — the
 * temp file is removed, the target is left as it was, and the stream's error is rethrown.
 */
export async function writeChunksAtomic(
  path: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: WriteOptions = {},
): Promise<void> {
  const memory = new MemoryReleaser();
  await writeOutputChunks(path, withSignalTurns(chunks), options, (bytes) => memory.passed(bytes));
}

/** Output held back from stdout until the input has been checked whole (see writeChunksStdout). */
export const STDOUT_HOLD_BACK = 8 << 20;

/**
 * Writes a stream to stdout with back-pressure. The first `holdBack` bytes are kept until the
 * stream ends (or grows past them), so a profile up to that size that fails a check at its end
 * prints nothing. Past it, output streams, and a failure at the end still exits non-zero.
 */
export async function writeChunksStdout(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  holdBack = 0,
): Promise<void> {
  let held: Uint8Array[] | undefined = holdBack > 0 ? [] : undefined;
  let heldLength = 0;
  const memory = new MemoryReleaser();
  for await (const chunk of withSignalTurns(chunks)) {
    memory.passed(chunk.length);
    if (held) {
      held.push(chunk);
      heldLength += chunk.length;
      if (heldLength <= holdBack) continue;
      const all = Buffer.concat(held);
      held = undefined;
      await write(all);
      continue;
    }
    await write(chunk);
  }
  if (held && heldLength > 0) await write(Buffer.concat(held));
  if (isStdoutClosed()) return;
  // Resolve once everything is handed to the OS. A reader that went away (EPIPE) is not an
  // error: the command ends with its own exit code; a full disk is one line, exit 3.
  await new Promise<void>((resolve, reject) =>
    process.stdout.write('', (err) => {
      if (!err || (err as NodeJS.ErrnoException).code === 'EPIPE') resolve();
      else reject(stdoutError(err));
    }),
  );
}

async function write(chunk: Uint8Array): Promise<void> {
  if (isStdoutClosed()) return;
  if (!process.stdout.write(chunk)) {
    // 'drain' never comes once the pipe is closed: wait for either.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        process.stdout.off('drain', done);
        process.stdout.off('error', done);
        process.stdout.off('close', done);
        resolve();
      };
      process.stdout.once('drain', done);
      process.stdout.once('error', done);
      process.stdout.once('close', done);
    });
  }
}
