/**
 * The one writer of every command. Data (a profile, ciphertext, JSON) goes to stdout or a file;
 * human notes, warnings and errors go to stderr, so a pipeline's stdout carries data only.
 *
 * Files are written so that nothing is lost and nothing leaks:
 * - a regular file is replaced atomically (temp file beside it, rename), keeping the old file's
 *   mode (less the bits of others when it now holds plaintext secrets) and, where the OS lets
 *   us, its owner and group; a new file holding plaintext secrets is created 0600, any other new
 *   file 0666 minus the umask; an explicit `mode` wins over both;
 * - a target that is not a regular file — a character device, a FIFO, `/dev/stdout` — is
 *   written through (opened and written), never replaced by a regular file; where the caller
 *   says so (render's output directory) it is refused instead;
 * - a symlink given as `-o` is followed: the file it points to is replaced, the link stays;
 * - temp files are removed on SIGINT, SIGTERM and SIGHUP; a temp file of ours left by a process
 *   that no longer runs (SIGKILL, power loss) is removed by the next write of the same target
 *   (found through its marker, see {@link markTempFile}: no listing of the directory, whose
 *   cost would grow with every file in it), and by a batch's one sweep of its output directory.
 */
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
  writevSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { CliError, ExitCode, describeSystemError } from '../errors.js';
import { escapeControlsKeepingLines } from '../output/terminal-text.js';
import { refuseEmptyPaths } from './empty-path.js';

// ---------------------------------------------------------------- stderr and stdout

/** Writes a line to stderr. */
function writeStderrLine(line: string): void {
  process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
}

/** A warning on stderr, prefixed like every other message of the tool. */
export function warn(message: string): void {
  // A file name or field in the message must not drive the terminal (as failure lines).
  writeStderrLine(`cisco-prov: warning: ${escapeControlsKeepingLines(message)}`);
}

/** A note on stderr (information, not a problem). */
export function note(message: string): void {
  writeStderrLine(`cisco-prov: ${escapeControlsKeepingLines(message)}`);
}

/** Set once the reader of stdout has gone away (`cisco-prov … | head -1`). */
let stdoutClosed = false;

/**
 * Writes text or bytes to stdout and resolves once they are handed to the OS. A closed pipe
 * (EPIPE) is not an error: the rest of the output is dropped and the command still ends with
 * its own exit code. Any other failure (a full disk behind `> file`) is one line, exit 3.
 */
export function writeStdout(data: string | Uint8Array): Promise<void> {
  if (stdoutClosed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    process.stdout.write(data, (err) => {
      if (!err) return resolve();
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') {
        stdoutClosed = true;
        return resolve();
      }
      reject(stdoutError(err));
    });
  });
}

/**
 * stdout written a chunk of about a megabyte at a time as text and bytes come in, in order: a
 * long report is never held whole, and bytes made elsewhere (a worker's part of the report) are
 * written as they are, not decoded and encoded again.
 *
 * Text and bytes are copied into one chunk buffer, reused once its write has finished (a second
 * one only while a write is still under way): a new megabyte per flush (Buffer.concat), and the
 * text joined into one string and encoded afresh, cost ≈ 6,000 page faults of a 10,000-file
 * validate (≈ 15 µs each on this VM). A part larger than a chunk is written as it is.
 */
export class ChunkedStdout {
  /** The chunk being filled (undefined until something comes), and how much of it is used. */
  private chunk: Buffer | undefined;
  private used = 0;
  /** Chunks whose write has finished, to be filled again. */
  private readonly spare: Buffer[] = [];
  private written = Promise.resolve();

  constructor(private readonly chunkBytes = 1 << 20) {}

  text(text: string): void {
    if (text === '') return;
    let room = this.chunkBytes - this.used;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long text is measured first.
    if (text.length * 3 > room) {
      const length = Buffer.byteLength(text);
      if (length > room) {
        this.flush();
        room = this.chunkBytes;
        if (length > room) {
          this.write(Buffer.from(text));
          return;
        }
      }
    }
    this.used += this.current().write(text, this.used);
  }

  bytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (bytes.length > this.chunkBytes - this.used) {
      this.flush();
      if (bytes.length >= this.chunkBytes) {
        this.write(bytes);
        return;
      }
    }
    this.current().set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Writes what is left; resolves once everything is handed to the OS. */
  async end(): Promise<void> {
    this.flush();
    await this.written;
  }

  private current(): Buffer {
    return (this.chunk ??= this.spare.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes));
  }

  private flush(): void {
    const chunk = this.chunk;
    if (chunk === undefined || this.used === 0) return;
    this.write(chunk.subarray(0, this.used), chunk);
    this.chunk = undefined;
    this.used = 0;
  }

  /** Writes `data` after what came before; then `reuse` (data's buffer) may be filled again. */
  private write(data: Uint8Array, reuse?: Buffer): void {
    this.written = this.written.then(async () => {
      await writeStdout(data);
      if (reuse) this.spare.push(reuse);
    });
  }
}

/** A failure to write stdout as a one-line error (exit 3). */
export function stdoutError(err: unknown): CliError {
  return new CliError(
    ExitCode.Failure,
    `cannot write ${describeSystemError(err, '<stdout>')}`.replace(/, write$/, ''),
  );
}

/**
 * Listens for errors on stdout and stderr, so that a closed pipe or a full disk never becomes an
 * uncaught exception (Node prints the source line and a stack for those). EPIPE marks stdout
 * closed; other errors reach the writer's callback, which reports them.
 *
 * Start-up: Node creates `process.stdout` and `process.stderr` the first time they are read, and
 * creating one loads the stream modules (and `net` for a pipe) — a few milliseconds that a
 * one-shot `encrypt -o file` never needs. So each listener is attached when its stream is first
 * read: Node's lazy getter is wrapped, and the wrapper attaches the listener to the stream it
 * returns. Where the property is not a configurable getter, the listener is attached at once.
 */
export function guardStandardStreams(): void {
  guardWhenCreated('stdout', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') stdoutClosed = true;
  });
  guardWhenCreated('stderr', () => {
    // Nowhere left to report it.
  });
}

const guardedStreams = new WeakSet<object>();
/** stdout and stderr, once created (in the order they were), for {@link standardStreamsDrained}. */
const createdStandardStreams: NodeJS.WriteStream[] = [];

/**
 * Whether everything written to stdout and stderr has been handed to the OS: true when neither
 * was created (after {@link guardStandardStreams}), or each holds no buffered write (a write to a
 * pipe that is full stays buffered; process.exit would drop it). An entry point may then exit at
 * once.
 */
export function standardStreamsDrained(): boolean {
  return createdStandardStreams.every((stream) => stream.writableLength === 0);
}

function guardWhenCreated(
  name: 'stdout' | 'stderr',
  onError: (err: NodeJS.ErrnoException) => void,
): void {
  const guard = (stream: NodeJS.WriteStream): NodeJS.WriteStream => {
    if (!guardedStreams.has(stream)) {
      guardedStreams.add(stream);
      createdStandardStreams.push(stream);
      stream.on('error', onError);
    }
    return stream;
  };
  const descriptor = Object.getOwnPropertyDescriptor(process, name);
  const get = descriptor?.get;
  if (!descriptor?.configurable || !get) {
    guard(process[name]);
    return;
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: descriptor.enumerable ?? false,
    get: () => guard(get.call(process) as NodeJS.WriteStream),
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

// ---------------------------------------------------------------- temp files

/**
 * Temp names: `.NAME.cp<pid>-<where>h<tag><counter>.tmp` — the pid says whose it is, `<where>`
 * in which boot and pid namespace that pid means it (see {@link whereTag}; left out where there
 * is no /proc: `.NAME.cp<pid>-<tag><counter>.tmp`, as before), a random tag drawn once per thread
 * and a counter make it unique across threads without a CSPRNG call per file. The temp file is
 * opened with O_EXCL ('wx'), so a name that exists (or a planted symlink) is an error, never
 * followed. Whether a temp file's writer has ended: {@link isAbandonedTemp}.
 */
let tempTag: string | undefined;
let tempCounter = 0;
const TEMP_NAME = /^\..*\.cp(\d+)-(?:([0-9a-f]{8})h(?=[0-9a-f]{8}))?[0-9a-f]+[0-9a-z]*\.tmp$/;

/**
 * This process's boot and pid namespace as 8 hex digits: the first 32 bits of the kernel's boot
 * id (a random UUID drawn at each boot) folded with the inode of /proc/self/ns/pid (one per pid
 * namespace: a container has its own). A pid in a temp name is judged by kill(pid, 0) only where
 * it was written with this same tag: another container sharing the output directory, another
 * host on a network share, or the boot before a reboot numbers its processes apart from ours.
 * Undefined (read once) where /proc has neither (not Linux).
 */
function whereTag(): string | undefined {
  if (whereTagRead) return whereTagValue;
  whereTagRead = true;
  try {
    const fd = openSync('/proc/sys/kernel/random/boot_id', constants.O_RDONLY);
    let boot: Buffer;
    try {
      boot = Buffer.alloc(36);
      boot = boot.subarray(0, readSync(fd, boot, 0, 36, 0));
    } finally {
      closeSync(fd);
    }
    // The bytes as Latin-1 characters, without Buffer's toString: its encoding look-up and slice
    // helpers would be compiled for these 8 characters alone (callgrind, a one-shot `encrypt -o`:
    // ≈ 0.45 M instructions, issue 12).
    const head = Number.parseInt(String.fromCharCode(...boot.subarray(0, 8)), 16);
    const namespace = statSync('/proc/self/ns/pid').ino;
    if (Number.isNaN(head) || !namespace) return undefined;
    whereTagValue = ((head ^ namespace) >>> 0).toString(16).padStart(8, '0');
  } catch {
    // no /proc: temp names without it, judged by their pid alone
  }
  return whereTagValue;
}
let whereTagRead = false;
let whereTagValue: string | undefined;

/**
 * How long a temp file whose writer cannot be judged alive or dead stays: one written under
 * another boot, pid namespace or host (its pid means nothing here), or whose pid runs here (it may
 * be another process that got the pid again). Past this age without a write it is taken as left
 * by a killed run; before, as being written.
 */
export const UNJUDGED_TEMP_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Whether the temp file `name` (at `path`; its marker's stats when it has one) was left by a writer
 * that has ended: its pid, written in our boot and pid namespace (or in a name without that tag),
 * runs no process here; or, whoever wrote it, neither it nor its marker was modified for
 * {@link UNJUDGED_TEMP_AGE_MS}. Never a temp file of this process. "Cannot tell" is alive.
 */
function isAbandonedTemp(name: string, path: string | Buffer, marker?: Stats): boolean {
  const m = TEMP_NAME.exec(name);
  if (!m) return false;
  const pid = Number(m[1]);
  const written = m[2];
  const here = whereTag();
  const judged = written === undefined || here === undefined || written === here;
  if (judged && pid === process.pid) return false;
  if (judged && !isRunning(pid)) return true;
  return isOlderThan(path, UNJUDGED_TEMP_AGE_MS, marker);
}

/** Whether the file at `path` (and `marker`, if given) was last modified more than `ms` ago. */
function isOlderThan(path: string | Buffer, ms: number, marker?: Stats): boolean {
  const since = Date.now() - ms;
  if (marker !== undefined && marker.mtimeMs > since) return false;
  try {
    return lstatSync(path).mtimeMs <= since;
  } catch (err) {
    // Gone (renamed into place, or not made yet): the marker's age decides, if there is one.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' && marker !== undefined;
  }
}

/** Whether a temp name is one of this process's (its pid, and its boot and namespace if named). */
function isOwnTempName(name: string): boolean {
  const m = TEMP_NAME.exec(name);
  if (!m || Number(m[1]) !== process.pid) return false;
  const here = whereTag();
  return m[2] === undefined || here === undefined || m[2] === here;
}

function tempPathFor(path: string): string;
function tempPathFor(path: string | Buffer): string | Buffer;
function tempPathFor(path: string | Buffer): string | Buffer {
  if (typeof path !== 'string') return tempPathForBytes(path);
  // node:crypto through getBuiltinModule: loaded when the first temp file is named, not at
  // start-up (an encryption has loaded it by then anyway). randomFillSync into a Uint32Array and
  // Number#toString, not randomBytes(4).toString('hex'): a one-shot encrypt draws its salt with
  // randomFillSync anyway, and randomBytes and Buffer's hex encoder cost ~0.9 M instructions
  // (~0.2 ms) of first-call compilation in a process that names one temp file (issue 12).
  tempTag ??= process
    .getBuiltinModule('node:crypto')
    .randomFillSync(new Uint32Array(1))[0]!
    .toString(16)
    .padStart(8, '0');
  // Keep the name within NAME_MAX (255 bytes) whatever the target's length: at most 200 bytes of
  // its UTF-8 (a name of 120 `é` is 240 bytes, a valid file name, its first 200 characters not).
  let base = basename(path);
  if (base.length > TEMP_BASE_BYTES / 3) base = headOfUtf8(base, TEMP_BASE_BYTES);
  // Joined by hand: path.join (and the normalize it calls) would be compiled for this alone in a
  // one-shot run (dirname gives a directory without a trailing separator, except a root).
  const dir = dirname(path);
  const where = whereTag();
  return `${dir}${dir.endsWith(sep) ? '' : sep}.${base}.cp${process.pid}-${where === undefined ? '' : `${where}h`}${tempTag}${(tempCounter++).toString(36)}.tmp`;
}

/**
 * A temp name as tempPathFor's for a target named by bytes that are not UTF-8 (a Latin-1 name
 * from an old share, see src/io/dir-names.ts): the same name, in bytes.
 */
function tempPathForBytes(path: Buffer): Buffer {
  const name = tempPathFor(`x${sep}x`);
  const tail = Buffer.from(name.slice(name.lastIndexOf('.cp')));
  const cut = path.lastIndexOf(sep.charCodeAt(0)) + 1;
  const base = path.subarray(cut).subarray(0, TEMP_BASE_BYTES);
  return Buffer.concat([path.subarray(0, cut), Buffer.from('.'), base, tail]);
}

/** The most of a target's name a temp name keeps, in bytes of UTF-8. */
const TEMP_BASE_BYTES = 200;

/** The longest head of `text` whose UTF-8 takes at most `maxBytes`, surrogate pairs kept whole. */
function headOfUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c < 0xdc00 && i + 1 < text.length;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return text.slice(0, i);
}

/** Temp files of this thread not yet renamed or removed, each with its marker if it has one. */
const liveTemps = new Map<string | Buffer, string | undefined>();
/** Directories whose temp files of this process a signal handler sweeps (render's workers). */
const sweptDirectories = new Map<string, string | Buffer>();
let signalHandlersInstalled = false;

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function removeTempsOfThisProcess(): void {
  for (const [tmp, marker] of liveTemps) {
    rmSync(tmp, { force: true });
    if (marker !== undefined && typeof tmp === 'string') dropMarker(marker, tmp);
  }
  liveTemps.clear();
  for (const dir of sweptDirectories.values()) {
    try {
      const { names, pathOf } = listNames(dir);
      names.forEach((name, i) => {
        if (isOwnTempName(name)) rmSync(pathOf(i), { force: true });
      });
    } catch {
      // the directory is gone: nothing to sweep
    }
  }
}

/**
 * On SIGINT, SIGTERM or SIGHUP: remove our temp files, then exit as the signal would
 * (128 + its number). Installed once per thread, before the first temp file exists; only the
 * main thread's handlers ever run (Node delivers no signals to worker threads' `process`, so
 * there they are inert — and asking node:worker_threads which thread this is would cost
 * start-up). A synchronous write is never cut: the handler runs after it, when its rename is
 * done.
 */
function installSignalHandlers(): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
    process.on(signal, () => {
      if (stopOnSignal.size === 0) {
        removeTempsOfThisProcess();
        process.exit(code);
      }
      // Writers on other threads are stopped first, so none makes a temp file after the sweep.
      void Promise.allSettled([...stopOnSignal].map((stop) => stop())).then(() => {
        removeTempsOfThisProcess();
        process.exit(code);
      });
    });
  }
}

/** What stops the other threads that write (a batch's workers) before a signal's sweep. */
const stopOnSignal = new Set<() => Promise<unknown>>();

/**
 * On SIGINT, SIGTERM or SIGHUP, run `stop` (terminate the worker threads that write files) and
 * only then sweep the temp files and exit. Returns the function that takes `stop` back.
 */
export function stopBeforeSignalSweep(stop: () => Promise<unknown>): () => void {
  installSignalHandlers();
  stopOnSignal.add(stop);
  return () => stopOnSignal.delete(stop);
}

/**
 * Also sweep `dir` for temp files of this process on a signal: render's worker threads write
 * there, and a signal reaches only the main thread.
 */
export function sweepTempFilesOnSignal(dir: string | Buffer): void {
  installSignalHandlers();
  sweptDirectories.set(keyOf(dir), dir);
}

/** A path as a key of a Set or Map: bytes as their Latin-1 text (one character a byte). */
function keyOf(path: string | Buffer): string {
  return typeof path === 'string' ? path : `\0${path.toString('latin1')}`;
}

/**
 * The names in `dir`, each with its path. A name is given as its text, or, when it is not
 * UTF-8, as its Latin-1 text (the ASCII of a temp name's pattern reads the same) with its path
 * in bytes: listed as strings, Node would give `caf\ufffd.xml`, which names no file. Listed as
 * strings first (what nearly every directory needs), again as bytes only when a name needs it.
 */
function listNames(dir: string | Buffer): ListedNames {
  if (typeof dir === 'string') {
    const names = readdirSync(dir);
    if (!names.some((name) => name.includes('\ufffd'))) {
      return { names, pathOf: (i) => join(dir, names[i]!) };
    }
  }
  const head = typeof dir === 'string' ? Buffer.from(dir) : dir;
  const bytes = readdirSync(dir, { encoding: 'buffer' });
  return {
    names: bytes.map((name) => name.toString('latin1')),
    pathOf: (i) => Buffer.concat([head, Buffer.from(sep), bytes[i]!]),
  };
}

/** A listing's names and, made only for the few it is asked for, their paths. */
interface ListedNames {
  names: string[];
  pathOf(index: number): string | Buffer;
}

/** Directories already cleaned of stale temp files by this thread. */
const cleanedDirectories = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files of ours in `dir` whose process no longer runs (killed with SIGKILL, a
 * crash, a power loss), and their markers. Once per directory per thread; never throws. It lists
 * the directory: a batch calls it once for the many files it writes there; a single write
 * finds a stale temp file of its target through the marker instead ({@link markTempFile}) and
 * comes here only when that finds something it cannot settle.
 */
export function removeStaleTempFiles(dir: string | Buffer): void {
  const key = keyOf(dir);
  if (cleanedDirectories.has(key)) return;
  cleanedDirectories.add(key);
  let listed: ListedNames;
  try {
    listed = listNames(dir);
  } catch {
    return;
  }
  const { names, pathOf } = listed;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    // Most names are no temp file: no regular expression run (its first run compiles it).
    if (!name.endsWith('.tmp')) continue;
    if (name.endsWith(MARKER_SUFFIX)) {
      removeStaleMarker(pathOf(i));
      continue;
    }
    if (!isAbandonedTemp(name, pathOf(i))) continue;
    try {
      rmSync(pathOf(i), { force: true });
    } catch {
      // not ours to remove (another user's, in a sticky directory such as /tmp): it stays
    }
  }
}

/**
 * A temp file's marker is `.NAME.cp.tmp` beside it (NAME: the target's name, as in the temp
 * name): a small regular file holding the temp file's name, and so its writer's pid. Every write
 * of that target names the same marker, so the next one finds a temp file a killed run left
 * without listing the directory: its cost does not grow with the files in the directory (a
 * listing cost ≈ 2.3 k instructions per entry, ≈ 1 ms of CPU per run in a directory of 2,000
 * profiles: a shell loop writing N files into one directory was O(N²)). Made with O_EXCL, so one
 * writer at a time holds it; a regular file, not a symbolic link whose text would be written in
 * the same step: Node's symlinkSync costs a one-shot run ≈ 0.3 M instructions more than the
 * open, writev and close it compiles anyway (callgrind, issue 12), and some file systems (FAT, a
 * few network shares) make no links.
 */
const MARKER_SUFFIX = '.cp.tmp';

/** The marker of a temp file (see {@link MARKER_SUFFIX}): its name up to its last `.cp`. */
function markerPathOf(tmp: string): string {
  return `${tmp.slice(0, tmp.lastIndexOf('.cp'))}${MARKER_SUFFIX}`;
}

/**
 * How long a marker may stay empty (made, its writer's name not yet in it) before it is taken for
 * one of a writer killed between the two calls: a writer spends microseconds there. An empty
 * marker names no temp file: removing it loses nothing.
 */
const EMPTY_MARKER_AGE_MS = 60_000;

/**
 * Marks a temp file about to be made for its target's next write, after removing what a writer of
 * that target that no longer runs left there: its marker and its temp file. Returns the marker,
 * or undefined when there is none: its name is held by a writer of the same target that still
 * runs, or by something that is not a marker of ours — then the directory is swept as a batch
 * sweeps it ({@link removeStaleTempFiles}: something unexpected was found), and the temp file goes
 * unmarked (a signal still removes it). Never throws: whatever keeps the temp file from being
 * made is the open's to report.
 */
function markTempFile(tmp: string): string | undefined {
  const marker = markerPathOf(tmp);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(marker, 'wx', MARKER_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && removeStaleMarker(marker)) continue;
      break;
    }
    try {
      writevAll(fd, [Buffer.from(tmp.slice(tmp.lastIndexOf(sep) + 1))]);
      closeSync(fd);
      return marker;
    } catch {
      closeSync(fd);
      dropMarker(marker);
      break;
    }
  }
  removeStaleTempFiles(dirname(tmp));
  return undefined;
}

/** A marker holds a temp file's name, nothing secret: readable as the directory's names are. */
const MARKER_MODE = 0o644;

/**
 * Removes a marker, and the temp file it names if that is a temp file of ours for the same target
 * whose writer has ended ({@link isAbandonedTemp}, as the sweep judges); whether the name is free
 * now (true too when the marker went meanwhile). Never removes a temp file of a process that
 * runs here (for a day), nor a file not named as our temp files are; of a marker's name only a
 * regular file of a few bytes is read (never followed: a symbolic link or a FIFO there is not
 * ours), and an empty one is removed only after EMPTY_MARKER_AGE_MS. Never throws.
 *
 * The marker is taken aside before it is removed ({@link takeStaleMarker}): two writers of the
 * target that start after a killed one both read its marker as stale, and the first may remove
 * it and make its own before the second acts on what it read — removed by name, the second would
 * remove the first's marker, and a kill of the first would then leave its temp file where no
 * later write of the target looks (test: gaps7, writers after a killed run).
 */
function removeStaleMarker(marker: string | Buffer): boolean {
  let held: Buffer;
  let stats: Stats;
  try {
    stats = lstatSync(marker);
    if (typeOf(stats) !== constants.S_IFREG || stats.size > 1024) return false;
    if (stats.size === 0) {
      if (!isOldEmptyMarker(stats)) return false;
      return takeStaleMarker(marker, EMPTY_MARKER);
    }
    held = readMarker(marker);
  } catch (err) {
    // Gone meanwhile (its writer ended): free. Anything else: not ours to judge.
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
  const text = typeof marker === 'string' ? marker : marker.toString('latin1');
  const name = typeof marker === 'string' ? held.toString() : held.toString('latin1');
  const cut = text.lastIndexOf(sep) + 1;
  // `.NAME.cp`: the temp file's name starts as its marker's does.
  if (name.includes(sep) || !name.startsWith(text.slice(cut, -'.tmp'.length))) return false;
  const tmp =
    typeof marker === 'string'
      ? `${marker.slice(0, cut)}${name}`
      : Buffer.concat([marker.subarray(0, cut), held]);
  if (!isAbandonedTemp(name, tmp, stats)) return false;
  try {
    // By the name read: a temp file of a process that has ended, whoever else sees it so.
    unlinkIfThere(tmp);
  } catch {
    return false; // not ours to remove (another user's, in a sticky directory such as /tmp)
  }
  return takeStaleMarker(marker, held);
}

const EMPTY_MARKER = Buffer.alloc(0);

function isOldEmptyMarker(stats: Stats): boolean {
  return stats.size === 0 && Date.now() - stats.mtimeMs >= EMPTY_MARKER_AGE_MS;
}

/**
 * Removes a marker judged stale, holding `held`, only if that is still what the name holds:
 * rename(2) moves whatever is there now to a temp name of this thread (atomically: of two
 * writers taking it, one gets it), which is then read. The marker read: removed, the name is
 * free (true). Another writer's, made since it was read: linked back, and the name is not free
 * (false) — a third writer that marks its temp file in between keeps its own, and the one moved
 * aside is lost (its temp file then goes unmarked: three writers at once after a kill; its writer,
 * finishing, leaves the third's marker, see {@link dropMarker}); a writer
 * that finishes in between finds its marker gone, and the one put back names a file renamed
 * already, which the next write removes once that writer's process has ended. Killed here, the
 * file moved aside is a temp file of this process: a sweep removes it. Never throws.
 */
function takeStaleMarker(marker: string | Buffer, held: Buffer): boolean {
  const aside = asidePathOf(marker);
  try {
    renameSync(marker, aside);
  } catch (err) {
    // Gone meanwhile (another writer took it): free. Anything else: not ours to remove.
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
  let same = false;
  try {
    const stats = lstatSync(aside);
    same =
      held.length === 0
        ? isOldEmptyMarker(stats)
        : stats.size === held.length && readMarker(aside).equals(held);
  } catch {
    // unreadable now: put back, as another's
  }
  if (!same) {
    try {
      linkSync(aside, marker);
    } catch (err) {
      // A marker made meanwhile (EEXIST) stays. A file system without hard links (FAT, some
      // shares): renamed back, which would replace only a marker made in these microseconds.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        try {
          renameSync(aside, marker);
        } catch {
          // removed below
        }
      }
    }
  }
  try {
    unlinkIfThere(aside);
  } catch {
    // the directory went read-only: a sweep removes it
  }
  return same;
}

/** A marker's path with a temp name of this thread: `.NAME.cp.tmp` → `.NAME.cp<pid>-<tag><n>.tmp`. */
function asidePathOf(marker: string | Buffer): string | Buffer {
  const own = tempPathFor(`x${sep}x`);
  const tail = own.slice(own.lastIndexOf('.cp') + '.cp'.length);
  return typeof marker === 'string'
    ? `${marker.slice(0, -'.tmp'.length)}${tail}`
    : Buffer.concat([marker.subarray(0, marker.length - '.tmp'.length), Buffer.from(tail)]);
}

/** A marker's bytes (at most 1 KiB), its name not followed; a FIFO there does not block. */
function readMarker(marker: string | Buffer): Buffer {
  const fd = openSync(marker, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const bytes = Buffer.alloc(1024);
    return bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, null));
  } finally {
    closeSync(fd);
  }
}

/** unlink(2), a name already gone being no error. */
function unlinkIfThere(path: string | Buffer): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Removes our marker once its temp file `tmp` is renamed or removed, if it is still ours: it still
 * names `tmp` (without `tmp`: whatever is there, a marker this writer failed to fill). Three
 * writers at once after a killed run: one may move ours aside to check it and find the name taken
 * by a third's marker when it puts ours back ({@link takeStaleMarker}); removed by name, that
 * marker would go when we finish, and a kill of the third would leave its temp file where no later
 * write of the target looks (test: gaps8, three writers). Never throws.
 */
function dropMarker(marker: string, tmp?: string): void {
  try {
    if (
      tmp !== undefined &&
      !readMarker(marker).equals(Buffer.from(tmp.slice(tmp.lastIndexOf(sep) + 1)))
    ) {
      return;
    }
    unlinkSync(marker);
  } catch {
    // gone already, or the directory went read-only: the next write of the target removes it
  }
}

// ---------------------------------------------------------------- writing files

/** What a file holds, for the mode of a new file. */
export interface WriteOptions {
  /** fsync before the rename (default true). Render's batches skip it: re-run after a crash. */
  fsync?: boolean;
  /** The file holds plaintext secrets: a new file is created 0600, a replaced one loses o-rwx. */
  secret?: boolean;
  /** Exact permission bits for the file, new or replaced (`--mode 640`); wins over the rest. */
  mode?: number;
  /**
   * A target that is not a regular file: 'write-through' (default: `-o /dev/stdout`, a FIFO, a
   * device) or 'refuse' (render's output directory, where such a node is a mistake or a trap).
   */
  nonRegular?: 'write-through' | 'refuse';
  /**
   * A symlink at the target: 'follow' (default: replace the file it points to, keep the link)
   * or 'replace' (render: the link itself is replaced by the new file, whose real path then
   * stays inside the output directory).
   */
  symlink?: 'follow' | 'replace';
  /**
   * The caller has just seen no entry at the path (render lists its output directory once): the
   * target is not looked at again (one lstat per file fewer). The write is still a temp file
   * renamed over the path, so whatever appeared there since — a file, a symlink — is replaced
   * whole (never written through), and a directory makes the rename fail.
   */
  absent?: boolean;
  /**
   * The file the data is read from (its path, or an open descriptor: 0 for stdin): a target that
   * is that file — by the same name, another path, a hard link or a symlink to it — is refused
   * (exit 2, the input untouched), as the batch refuses an output that is its input. Looked at
   * only when a regular file is already at the target (device and inode compared).
   */
  input?: string | number;
  /**
   * How temp files a killed run left are found: 'marker' (default: the temp file is marked for
   * the next write of the same target, see markTempFile: no listing) or 'sweep' (render's
   * batches: the directory is listed once per thread for the many files written there, not one
   * marker made and removed per file).
   */
  staleTemps?: 'marker' | 'sweep';
}

/** Default mode for a new file; the umask applies. */
const NEW_FILE_MODE = 0o666;
const SECRET_FILE_MODE = 0o600;

/** Paths whose node must be written through even when it is (or links to) a regular file. */
function isProcessStream(path: string): boolean {
  return /^\/dev\/(stdout|stderr|fd\/\d+)$/.test(path) || /^\/proc\/[^/]+\/fd\/\d+$/.test(path);
}

/**
 * The descriptor of this process a path names (`/dev/stdout` → 1, `/dev/fd/3` → 3,
 * `/proc/self/fd/2` → 2), or undefined.
 */
export function ownDescriptorOf(path: string): number | undefined {
  // Most paths are none of these: no regular expression run (its first run compiles it).
  if (!path.startsWith('/dev/') && !path.startsWith('/proc/')) return undefined;
  if (path === '/dev/stdout') return 1;
  if (path === '/dev/stderr') return 2;
  const m = /^\/(?:dev|proc\/(?:self|(\d+)))\/fd\/(\d+)$/.exec(path);
  if (!m || (m[1] !== undefined && Number(m[1]) !== process.pid)) return undefined;
  return Number(m[2]);
}

/** Where the bytes of a write go, once the target has been looked at. */
type Destination =
  | { kind: 'through'; target: string }
  | { kind: 'atomic'; target: string; existing: Stats | undefined };

/**
 * Looks at a target: follows a symlink (unless told to replace it), sends devices, FIFOs and
 * process streams through, refuses a directory.
 */
function destinationOf(path: string, options: WriteOptions): Destination {
  let target = resolve(path);
  if (options.absent === true) return { kind: 'atomic', target, existing: undefined };
  // throwIfNoEntry: a new file (the common case in render's batches) costs no Error object.
  let existing: Stats | undefined = lstatSync(target, { throwIfNoEntry: false });
  if (existing && typeOf(existing) === constants.S_IFLNK && options.symlink !== 'replace') {
    if (isProcessStream(target)) return { kind: 'through', target };
    let real: string | undefined;
    try {
      real = realpathSync(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (real !== undefined) {
      if (isProcessStream(real) || real.startsWith('/proc/')) return { kind: 'through', target };
      target = real;
      existing = statSync(real);
    } else {
      existing = undefined; // a dangling link: replaced by the new file
    }
  }
  const type = existing && typeOf(existing);
  if (type === constants.S_IFDIR) {
    throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  }
  if (type !== undefined && type !== constants.S_IFREG && type !== constants.S_IFLNK) {
    return { kind: 'through', target };
  }
  const file = type === constants.S_IFREG ? existing : undefined;
  if (file && options.input !== undefined) refuseInput(path, file, options.input);
  return { kind: 'atomic', target, existing: file };
}

/** Refuses a target that is the input file itself: writing it would replace the input. */
function refuseInput(path: string, target: Stats, input: string | number): void {
  let source: Stats;
  try {
    source = typeof input === 'number' ? fstatSync(input) : followed(input);
  } catch {
    return; // the input is gone or not a file: it cannot be replaced
  }
  if (source.ino === target.ino && source.dev === target.dev) {
    throw new CliError(
      ExitCode.Usage,
      `the output ${path} would replace the input: choose another -o`,
    );
  }
}

/**
 * Refuses, before any work, an `-o` that is the input file (by any name: device and inode
 * compared): `fleet --log access.log -o access.log` replaced the log with the page, `convert
 * p.xml --to json -o p.xml` the profile with its JSON. The write refuses it too when told its
 * input (emit's `input`); this is for a command whose input is known before it reads.
 * @param input the input's path, or 0 for stdin (`-` or none)
 */
export function refuseOutputOverInput(output: string | undefined, input: string | number): void {
  if (output === undefined || output === '-' || output === '') return;
  let target: Stats;
  try {
    target = followed(output);
  } catch {
    return; // nothing there yet
  }
  if (typeOf(target) === constants.S_IFREG) refuseInput(output, target, input);
}

/**
 * stat(2) of a path as lstatSync and, for a symlink only, statSync: the same answer as statSync,
 * but a one-shot run that has lstat-ed its target already compiles no second stat function
 * (statSync's first call: ~0.1 M instructions, issue 12).
 */
function followed(path: string): Stats {
  const stats = lstatSync(path);
  return typeOf(stats) === constants.S_IFLNK ? statSync(path) : stats;
}

/**
 * A Stats' file type bits, read from its mode: what isFile() and its siblings test, without
 * compiling those methods in a one-shot run (four first calls).
 */
function typeOf(stats: Stats): number {
  return stats.mode & constants.S_IFMT;
}

/** An open output: bytes go in, then commit() makes them the target, or abort() drops them. */
interface Sink {
  write(bytes: Uint8Array): void;
  /** Several buffers in order (a regular file: one writev). */
  writeParts(parts: readonly Uint8Array[]): void;
  commit(): void;
  abort(): void;
}

/** Opens the sink of a target (see the module comment for what happens to each kind). */
function openSink(path: string, options: WriteOptions): Sink {
  // Every -o comes here: '' (an unset "$OUT") would resolve to the current directory.
  refuseEmptyPaths({ '-o': path });
  const destination = destinationOf(path, options);
  if (destination.kind === 'through') {
    if (options.nonRegular === 'refuse') {
      throw new CliError(
        ExitCode.Failure,
        `cannot write ${path}: not a regular file (a device, FIFO or socket is never replaced)`,
      );
    }
    return throughSink(destination.target);
  }
  return atomicSink(destination.target, options, destination.existing, path);
}

/** Opens a non-regular target for writing (O_APPEND: `>>`-safe for /dev/stdout). */
function throughSink(target: string): Sink {
  let fd: number | undefined;
  try {
    fd = openSync(target, constants.O_WRONLY | constants.O_APPEND);
  } catch (err) {
    // A socket (a parent's stdout pipe) cannot be opened by path: write to the descriptor.
    const own = ownDescriptorOf(target);
    if ((err as NodeJS.ErrnoException).code !== 'ENXIO' || own === undefined) throw err;
  }
  const out = fd ?? ownDescriptorOf(target)!;
  const close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return {
    write: (bytes) => writeAll(out, bytes),
    writeParts: (parts) => parts.forEach((part) => writeAll(out, part)),
    commit: close,
    abort: close,
  };
}

/**
 * Refuses to replace a file of another user that we may not write (EACCES, so the caller's
 * message says "permission denied"): the directory's write bit lets the rename go through, but
 * the file was not ours to replace, as `cp` or a shell's `>` would not write it. Root may write
 * any file: not looked at for root (nor where there are no user ids).
 */
function refuseOthersReadOnlyFile(target: string | Buffer, existing: Stats | undefined): void {
  const euid = process.geteuid?.();
  if (existing === undefined || euid === undefined || euid === 0 || existing.uid === euid) return;
  try {
    accessSync(target, constants.W_OK);
  } catch {
    const shown = typeof target === 'string' ? target : target.toString('latin1');
    throw Object.assign(new Error(`${shown}: permission denied`), { code: 'EACCES' });
  }
}

/** Temp file beside the target with the old file's mode and owner; rename on commit. */
function atomicSink(
  target: string,
  options: WriteOptions,
  existing: Stats | undefined,
  shown = target,
): Sink {
  refuseOthersReadOnlyFile(target, existing);
  installSignalHandlers();
  const tmp = tempPathFor(target);
  const createMode = options.mode ?? (options.secret ? SECRET_FILE_MODE : NEW_FILE_MODE);
  let marker: string | undefined;
  if (options.staleTemps === 'sweep') removeStaleTempFiles(dirname(target));
  else marker = markTempFile(tmp);
  // A signal's handler runs between turns, so after this (all synchronous): it removes both.
  liveTemps.set(tmp, marker);
  let fd: number | undefined;
  const abort = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    rmSync(tmp, { force: true });
    if (marker !== undefined) dropMarker(marker, tmp);
    liveTemps.delete(tmp);
  };
  try {
    fd = openSync(tmp, 'wx', existing ? 0o600 : createMode);
    if (options.mode !== undefined) fchmodSync(fd, options.mode);
    else if (existing) keepOwnerAndMode(fd, existing, options.secret === true, tmp);
  } catch (err) {
    abort();
    throw fd === undefined && existing ? directoryDenied(err, target, shown) : err;
  }
  return {
    write: (bytes) => writeAll(fd!, bytes),
    writeParts: (parts) => writevAll(fd!, parts),
    commit: () => {
      if (options.fsync !== false) fsyncSync(fd!);
      closeSync(fd!);
      fd = undefined;
      renameSync(tmp, target);
      liveTemps.delete(tmp);
      // After the rename: killed between the two, the next write finds a marker naming no file.
      if (marker !== undefined) dropMarker(marker, tmp);
    },
    abort,
  };
}

/**
 * A file we may write in a directory we may not (a service user's profile under a root-owned
 * directory): "permission denied" alone would point at the file. The write makes a new file
 * beside it, so the directory is what must be writable.
 */
function directoryDenied(err: unknown, target: string, shown: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== 'EACCES' && code !== 'EPERM') return err;
  // The directory as the user named it, unless a symlink led elsewhere.
  const dir = resolve(shown) === target ? dirname(shown) : dirname(target);
  return new CliError(
    ExitCode.Failure,
    `cannot write ${shown}: permission denied on its directory ${dir} (the file is replaced by a new one made there)`,
  );
}

function asCliWriteError(err: unknown, path: string): CliError {
  if (err instanceof CliError) return err;
  return new CliError(ExitCode.Failure, `cannot write ${describeSystemError(err, path)}`);
}

/**
 * Writes a file safely: see the module comment. Errors are one line naming the path (exit 3).
 * @example writeOutputFile('out/00562b043615.xml', xml, { secret: true })
 */
export function writeOutputFile(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: WriteOptions = {},
): void {
  let sink: Sink | undefined;
  try {
    sink = openSink(path, options);
    if (typeof data === 'string') sink.write(Buffer.from(data, 'utf8'));
    else if (data instanceof Uint8Array) sink.write(data);
    else sink.writeParts(data);
    sink.commit();
  } catch (err) {
    sink?.abort();
    throw asCliWriteError(err, path);
  }
}

/**
 * Streams chunks into a file the same way (atomic replace, modes, write-through). If the stream
 * throws — a bad decrypt found at its end, a read error — the temp file is removed, the target
 * is left as it was, and the stream's own error is rethrown; a write failure is one line,
 * exit 3. A signal meanwhile removes the temp file (it is registered until renamed).
 */
export async function writeOutputChunks(
  path: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: WriteOptions = {},
  onChunk?: (bytes: number) => void,
): Promise<void> {
  let sink: Sink;
  try {
    sink = openSink(path, options);
  } catch (err) {
    throw asCliWriteError(err, path);
  }
  try {
    for await (const chunk of chunks) {
      onChunk?.(chunk.length);
      try {
        sink.write(chunk);
      } catch (err) {
        throw asCliWriteError(err, path);
      }
    }
    try {
      sink.commit();
    } catch (err) {
      throw asCliWriteError(err, path);
    }
  } catch (err) {
    sink.abort();
    throw err;
  }
}

/**
 * A batch's atomic write, lean on system calls — open, writev, close, rename: four per file. The
 * parts go to a temp file beside the target (O_EXCL, named like every temp file of ours, so a
 * signal or the next run removes it), which is renamed over the target. No fsync (as render: a
 * re-run rewrites a file lost in a crash; thousands of fsyncs cost more than the work), and no
 * look at what is at the target first but one lstat: a file there keeps its mode, owner and
 * group as `-o` keeps them (`secret`: less any bits for others), and when not root another user's
 * file we may not write is refused (EACCES); a symlink there is replaced (never written through),
 * a directory makes the rename fail. The caller registers the directory with
 * {@link sweepTempFilesOnSignal} and calls {@link removeStaleTempFiles} once for it.
 * @param mode permission bits of a new file (the umask applies)
 * @param secret the file holds plaintext secrets: a replaced file keeps no bits for others
 * @throws the system error (the caller names the file)
 */
export function writeFileReplacing(
  path: string | Buffer,
  parts: readonly Uint8Array[],
  mode: number,
  secret = false,
): void {
  const found = lstatSync(path, { throwIfNoEntry: false });
  const existing = found?.isFile() ? found : undefined;
  // Not root: a file of another user at the path is replaced only if we may write it.
  if (process.geteuid?.() !== 0) {
    refuseOthersReadOnlyFile(
      path,
      found?.isSymbolicLink() ? statSync(path, { throwIfNoEntry: false }) : found,
    );
  }
  const tmp = tempPathFor(path);
  liveTemps.set(tmp, undefined);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', existing ? 0o600 : mode);
    if (existing) keepOwnerAndMode(fd, existing, secret, tmp);
    writevAll(fd, parts);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    liveTemps.delete(tmp);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    liveTemps.delete(tmp);
    throw err;
  }
}

/**
 * Writes every byte of the parts to a regular file with one writev (a short write, rare on a
 * regular file, goes on part by part). writevSync, not writeSync: a one-shot run compiles one of
 * them, and Node's writevSync is the shorter function (~0.3 M instructions less).
 */
function writevAll(fd: number, parts: readonly Uint8Array[]): void {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const written = writevSync(fd, parts as Uint8Array[]);
  if (written === total) return;
  let skip = written;
  for (const part of parts) {
    if (skip >= part.length) {
      skip -= part.length;
      continue;
    }
    writeAll(fd, part.subarray(skip));
    skip = 0;
  }
}

/** Writes every byte; a non-blocking descriptor that is full (EAGAIN) is retried. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * The replacement gets the old file's group and owner (as far as we may: root can give any owner,
 * a user any group they belong to), then its permission bits — in that order, because chown
 * clears set-id bits. A replacement holding plaintext secrets drops the bits of "others": a
 * profile the admin made 0644 before it held a password must not stay world-readable (its
 * group keeps what it had, e.g. a web server's group). The temp file's own owner and group are
 * read by its name (`tmp`, the name the commit renames: whoever could swap it could swap the
 * rename's too) with lstat, which a one-shot run has compiled for its target already; fstat's
 * first call would cost ~0.1 M instructions more (issue 12).
 */
function keepOwnerAndMode(
  fd: number,
  existing: Stats,
  secret: boolean,
  tmp: string | Buffer,
): void {
  const own = lstatSync(tmp);
  if (own.uid !== existing.uid || own.gid !== existing.gid) {
    try {
      fchownSync(fd, existing.uid, existing.gid);
    } catch {
      try {
        fchownSync(fd, -1, existing.gid);
      } catch {
        // not ours to give: the file keeps our group, and its old mode below
      }
    }
  }
  fchmodSync(fd, existing.mode & (secret ? SECRET_KEPT_BITS : 0o777));
}

/** The permission bits a replaced file holding plaintext secrets may keep: none for others. */
const SECRET_KEPT_BITS = 0o770;

/**
 * Writes a file atomically (temp file, fsync, rename); see writeOutputFile for modes and
 * non-regular targets.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions = {},
): void {
  writeOutputFile(path, data, options);
}

/** Whether the reader of stdout has gone away (EPIPE): further output is dropped. */
export function isStdoutClosed(): boolean {
  return stdoutClosed;
}

// ---------------------------------------------------------------- directories

/** Whether `path` is `root` or inside it (both real paths). */
function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Makes `dir` (and its parents) so that its real path stays inside `root`'s: a symlinked
 * subdirectory under the output directory that leads elsewhere is refused before anything is
 * created through it.
 * @throws CliError (exit 3) naming the directory
 */
export function makeDirectoryWithin(
  dir: string | Buffer,
  root: string,
  shownDir = String(dir),
): void {
  let rootReal: string;
  try {
    mkdirSync(root, { recursive: true });
    rootReal = realpathSync(root);
  } catch (err) {
    throw new CliError(ExitCode.Failure, `cannot write ${describeSystemError(err, root)}`);
  }
  let existing = dir;
  for (;;) {
    try {
      statSync(existing);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        const shown = typeof existing === 'string' ? existing : shownDir;
        throw new CliError(ExitCode.Failure, `cannot write ${describeSystemError(err, shown)}`);
      }
      const parent = parentOf(existing);
      if (keyOf(parent) === keyOf(existing)) break;
      existing = parent;
    }
  }
  const check = (path: string | Buffer): void => {
    // realpathSync itself decodes a path of bytes as UTF-8 first; its native form does not.
    const real = typeof path === 'string' ? realpathSync(path) : realpathSync.native(path);
    if (!isInside(real, rootReal)) {
      throw new CliError(
        ExitCode.Failure,
        `cannot write into ${shownDir}: its real path leaves the output directory (a symbolic link?)`,
      );
    }
  };
  try {
    check(existing);
    mkdirSync(dir, { recursive: true });
    check(dir);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(ExitCode.Failure, `cannot write ${describeSystemError(err, shownDir)}`);
  }
}

/** The directory a path is in; of bytes (a name that is not UTF-8), in bytes while it needs them. */
function parentOf(path: string | Buffer): string | Buffer {
  if (typeof path === 'string') return dirname(path);
  const parent = path.subarray(0, Math.max(path.lastIndexOf(sep.charCodeAt(0)), 0));
  if (parent.length === 0) return path[0] === sep.charCodeAt(0) ? sep : '.';
  return parent.every((byte) => byte < 0x80) ? parent.toString('latin1') : parent;
}
