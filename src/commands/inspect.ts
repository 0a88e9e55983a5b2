/**
 * `cisco-prov inspect`: who is asking. User-Agents from arguments or stdin (one per line), or a
 * web-server access log summarised per phone. Returns data; printing is the formatter's job.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { isAscii } from 'node:buffer';
import { resolve } from 'node:path';
import {
  CliError,
  ExitCode,
  badInput,
  describeSystemError,
  isCliError,
  usageError,
} from '../errors.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { resolveTableFormat } from '../io/options.js';
import { AccessLogAggregator, type AccessLogFormat } from '../device/access-log.js';
import {
  JSON_LOG_FIELDS,
  type JsonLogField,
  type JsonLogFieldNames,
} from '../device/access-log-json.js';
import { parseUserAgent, type UserAgentInfo } from '../device/user-agent.js';
import { sniffUtf16Or32, type ForeignUnicode } from '../profile/text-encoding.js';
import type { InspectFormat, InspectLogResult, InspectResult } from '../output/inspect-format.js';

export type { InspectFormat, InspectResult } from '../output/inspect-format.js';

export interface InspectOptions {
  /** User-Agents given as arguments; none = read them from stdin, one per line. */
  userAgents?: readonly string[];
  /** Access log to summarise: a path, or `-` for stdin. */
  log?: string;
  format?: InspectFormat;
  /** Shorthand for `format: 'json'`. */
  json?: boolean;
  /** --log: the phones have Resync_Fails_On_FNF=No, so a 404 counts as success (A). */
  fnfSuccess?: boolean;
  /** --log: also give a row to every non-phone client, keyed by address. */
  allClients?: boolean;
  /** --log-format: `auto` (JSON when the first line starts with `{`), `text` or `json`. */
  logFormat?: AccessLogFormat;
  /** --log-field `<field>=<key>` (repeatable): where a JSON log keeps a field. */
  logField?: readonly string[];
  /** Injected for tests; defaults to process.stdin. */
  stdin?: Readable & { isTTY?: boolean };
  /** Base for a relative --log path; defaults to process.cwd(). */
  cwd?: string;
}

/**
 * Every line of a stream, without its line end (LF or CRLF), batched per chunk. A plain split
 * on decoded chunks: about twice as fast as node:readline on large logs (bench/inspect.bench.ts).
 */
export async function* readLineBatches(
  stream: AsyncIterable<string | Buffer>,
): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  // The unfinished last line, in pieces: a line spanning many chunks is joined once, not
  // re-split with every chunk (which would be quadratic on a huge line without newlines).
  let pending: string[] = [];
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    if (text.indexOf('\n') === -1) {
      if (text !== '') pending.push(text);
      continue;
    }
    const lines = text.split('\n');
    if (pending.length > 0) {
      lines[0] = pending.join('') + (lines[0] ?? '');
      pending = [];
    }
    const rest = lines.pop() ?? '';
    if (rest !== '') pending.push(rest);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line.charCodeAt(line.length - 1) === 0x0d) lines[i] = line.slice(0, -1);
    }
    yield lines;
  }
  let last = pending.join('') + decoder.end();
  if (last.endsWith('\r')) last = last.slice(0, -1);
  if (last !== '') yield [last];
}

/**
 * UTF-8 decoding of a log's chunks. A chunk of ASCII only (the usual log) is copied as Latin-1
 * instead: the same text for bytes below 0x80, without the UTF-8 decoder (≈ 8 % of
 * `inspect --log`'s time on a 134 MB log, bench/inspect.bench.ts). Safe only while the decoder
 * holds no partial sequence, i.e. the last chunk it decoded ended on an ASCII byte.
 */
class LogDecoder {
  private utf8: { write(chunk: Buffer): string; end(): string } = new StringDecoder('utf8');
  private clean = true;
  private first = true;
  /** UTF-16: never copied as Latin-1. */
  private wide = false;
  /**
   * UTF-16 (or UTF-32) told by zero bytes in the first characters, with no byte-order mark to
   * read it by: read as UTF-8 it is no log line, and the error says what it is instead.
   */
  foreign: ForeignUnicode | undefined;

  write(chunk: Buffer): string {
    if (this.first && chunk.length > 0) {
      this.first = false;
      // A byte-order mark: UTF-16LE (a Windows editor's "Unicode"), UTF-16BE, or UTF-8's, is
      // skipped. StringDecoder has no UTF-16BE; TextDecoder has (WHATWG Encoding, "UTF-16BE").
      if (chunk[0] === 0xff && chunk[1] === 0xfe) {
        this.utf8 = new StringDecoder('utf16le');
        this.clean = false;
        this.wide = true;
        return this.utf8.write(chunk.subarray(2));
      }
      if (chunk[0] === 0xfe && chunk[1] === 0xff) {
        const utf16be = new TextDecoder('utf-16be', { ignoreBOM: true });
        this.utf8 = {
          write: (bytes) => utf16be.decode(bytes, { stream: true }),
          end: () => utf16be.decode(),
        };
        this.clean = false;
        this.wide = true;
        return this.utf8.write(chunk.subarray(2));
      }
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      else this.foreign = sniffUtf16Or32(chunk);
    }
    if (this.clean && isAscii(chunk)) return chunk.toString('latin1');
    const text = this.utf8.write(chunk);
    if (chunk.length > 0 && !this.wide) {
      this.clean = (chunk[chunk.length - 1] ?? 0) < 0x80;
    }
    return text;
  }

  end(): string {
    return this.utf8.end();
  }
}

/**
 * The longest access-log line read (characters). A log line is a few hundred; a longer one is
 * not a log, and without a cap one line with no newline (a gzip bomb of zeros) would grow until
 * memory runs out. User-Agents on stdin are not capped.
 */
const MAX_LINE_LENGTH = 1024 * 1024;

/**
 * Watches the decoded text of a log for a line longer than MAX_LINE_LENGTH, before the text is
 * kept anywhere: two index searches per chunk, nothing per line.
 */
class LineLengthGuard {
  /** Characters since the last newline. */
  private open = 0;

  /** Whether `text` (the next chunk) makes or continues a line over the limit. */
  exceeds(text: string): boolean {
    const first = text.indexOf('\n');
    if (first === -1) {
      this.open += text.length;
      return this.open > MAX_LINE_LENGTH;
    }
    if (this.open + first > MAX_LINE_LENGTH) return true;
    this.open = text.length - text.lastIndexOf('\n') - 1;
    return this.open > MAX_LINE_LENGTH;
  }
}

/**
 * The error for a log with no line in an access-log format (exit 1). Text read as UTF-8 that was
 * UTF-16 with no byte-order mark (zero bytes in its first characters: `LogDecoder.foreign`)
 * says so, and how to convert it; JSON lines (serve's `--log-format json`) say that.
 */
export function notALogError(
  source: string,
  command: 'inspect' | 'fleet',
  foreign: ForeignUnicode | undefined,
  jsonLines = false,
): CliError {
  const head = `${source}: no line is in the common or combined log format`;
  if (foreign !== undefined) {
    const what = foreign.bom ? `BOM ${foreign.bom}` : `${foreign.order}, no BOM`;
    return badInput(
      `${head}: it is ${foreign.encoding} text (${what})`,
      `${command} --log reads UTF-8, or UTF-16 after its byte-order mark: add one, or convert it with iconv -f ${foreign.iconvFrom} -t UTF-8`,
    );
  }
  if (jsonLines) {
    return badInput(
      `${head} (these are JSON lines)`,
      `${command} --log reads JSON lines unless given --log-format text: leave it out`,
    );
  }
  return badInput(
    head,
    `${command} --log reads web-server access logs: common or combined (nginx, Apache, lighttpd), or JSON lines (Caddy, Traefik, nginx escape=json)`,
  );
}

/**
 * Checks --log-format and --log-field at the door: `--log-field <field>=<key>`, a field of
 * JSON_LOG_FIELDS and a key (`>` between levels), each field once, not with `--log-format text`.
 * @example jsonFieldNames(['userAgent=agent'], 'auto') // { userAgent: 'agent' }
 */
export function jsonFieldNames(
  values: readonly string[] | undefined,
  format: AccessLogFormat | undefined,
): JsonLogFieldNames {
  const names: JsonLogFieldNames = {};
  if (values === undefined || values.length === 0) return names;
  if (format === 'text') {
    throw usageError('--log-field names the fields of a JSON log: not with --log-format text');
  }
  for (const value of values) {
    const eq = value.indexOf('=');
    const field = eq === -1 ? value : value.slice(0, eq);
    const key = eq === -1 ? '' : value.slice(eq + 1);
    if (!(JSON_LOG_FIELDS as readonly string[]).includes(field)) {
      throw usageError(
        `--log-field expected <field>=<key> with a field of ${JSON_LOG_FIELDS.join(', ')}, got ${JSON.stringify(value)}`,
      );
    }
    if (key === '' || key.split('>').includes('')) {
      throw usageError(
        `--log-field ${field} needs a key: ${field}=<key>, '>' between levels (request>headers>User-Agent)`,
      );
    }
    if (names[field as JsonLogField] !== undefined) {
      throw usageError(`--log-field ${field} is given twice`);
    }
    names[field as JsonLogField] = key;
  }
  return names;
}

/**
 * The error for a JSON log in which no line is an access-log record (exit 1): which line was
 * first, why (never quoting it), and how to name the fields.
 */
export function notAJsonLogError(
  source: string,
  command: 'inspect' | 'fleet',
  first: { line: number; reason: string | null } | null,
): CliError {
  const why = first === null ? '' : `; ${source}:${first.line}: ${first.reason ?? 'malformed'}`;
  return badInput(
    `${source}: no line is a JSON access-log record${why}`,
    `${command} --log reads Caddy, Traefik, nginx (escape=json) and serve JSON logs by their fields' names; name yours with --log-field <field>=<key>, or give --log-format text for a text log`,
  );
}

/**
 * The decoded text of a log, chunk by chunk, stopped with a one-line error (exit 1) at a line
 * longer than MAX_LINE_LENGTH — for readers without their own guard (`fleet`): without it a
 * 3 MB gzip bomb of zeros without a newline grew to 800 MB before failing.
 */
export async function* guardedLogText(
  stream: AsyncIterable<unknown>,
  source: string,
  found: { foreign?: ForeignUnicode } = {},
): AsyncGenerator<string> {
  const decoder = new LogDecoder();
  const guard = new LineLengthGuard();
  let line = 1;
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    if (guard.exceeds(text)) {
      throw badInput(
        `${source}: line ${line} is longer than ${MAX_LINE_LENGTH} characters (the limit for one line)`,
      );
    }
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) line++;
    yield text;
  }
  const rest = decoder.end();
  if (decoder.foreign !== undefined) found.foreign = decoder.foreign;
  if (rest !== '') yield rest;
}

/**
 * Opens a log file; a missing or unreadable file is a one-line error (exit 3). Rotated logs are
 * often gzipped (access.log.2.gz): `isGzip` tells them by the RFC 1952 magic. A FIFO or other
 * non-regular file (`--log <(zcat access.log.2.gz)`, a named pipe) cannot be read at a
 * position: `regular: false`, and it is read in order as stdin is (`pipeChunks`).
 */
function openLogFile(path: string, cwd: string): { fd: number; isGzip: boolean; regular: boolean } {
  const full = resolve(cwd, path);
  let fd: number;
  try {
    fd = openSync(full, 'r');
  } catch (err) {
    throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, path)}`);
  }
  const stat = fstatSync(fd);
  if (stat.isDirectory()) {
    closeSync(fd);
    throw new CliError(ExitCode.Failure, `cannot read ${path}: is a directory`);
  }
  if (!stat.isFile()) return { fd, isGzip: false, regular: false };
  const magic = Buffer.alloc(2);
  const isGzip = readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  return { fd, isGzip, regular: true };
}

/** A pipe's bytes in order (no positioned reads), gunzipped when they are gzip. */
function pipeChunks(fd: number): AsyncIterable<unknown> {
  return logChunksOf(createReadStream('', { fd, highWaterMark: READ_CHUNK }));
}

/**
 * How much of a plain log file is read at a time. A chunk's text (one byte a character for the
 * usual ASCII log) then stays under V8's largest young-generation object (128 KiB): a 1 MiB
 * chunk's string went to large-object space, fresh pages each time, and its copy, with the read
 * and the ASCII check on a fresh 1 MiB buffer each, cost 0.95 s of CPU on a 134 MB log against
 * 0.06 s for 64 KiB reads into one buffer (bench/RESULTS-perf8.md). Streamed files (fleet,
 * gzip) are read in chunks of this size too.
 */
const READ_CHUNK = 64 * 1024;

/**
 * A plain file's bytes, READ_CHUNK at a time, read into one buffer used again for every chunk:
 * each must be decoded before the next is asked for. Closes the file when done.
 */
function* fileChunks(fd: number): Generator<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(READ_CHUNK);
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, READ_CHUNK, null);
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** Opens a log file for streaming; a missing or unreadable file is a one-line error (exit 3). */
export function openLog(path: string, cwd: string): AsyncIterable<unknown> {
  const { fd, isGzip, regular } = openLogFile(path, cwd);
  return regular ? logStream(fd, isGzip) : pipeChunks(fd);
}

/** A stream of an open log file's bytes, gunzipped when it is gzip. */
function logStream(fd: number, isGzip: boolean): Readable {
  const file = createReadStream('', { fd, start: 0, highWaterMark: READ_CHUNK });
  if (!isGzip) return file;
  const gunzip = createGunzip();
  pipeline(file, gunzip, () => {
    // Errors reach the consumer through `gunzip`, which pipeline destroys with them.
  });
  return gunzip;
}

/**
 * A piped log's bytes, gunzipped when they start with the gzip magic (RFC 1952: 1f 8b), as a
 * log file is: `cat access.log.2.gz | cisco-prov inspect --log -` reads the log, not the
 * compressed bytes as text (which matched no line). Text chunks (a test's stream) pass as given.
 */
export async function* logChunksOf(stream: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  const it = stream[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  // Enough bytes to tell: the magic is two bytes, a first chunk may be one.
  while (head.length < 2) {
    const next = await it.next();
    if (next.done) {
      if (head.length > 0) yield head;
      return;
    }
    if (typeof next.value === 'string') {
      if (head.length > 0) yield head;
      yield next.value;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      return;
    }
    head = head.length === 0 ? (next.value as Buffer) : Buffer.concat([head, next.value as Buffer]);
  }
  const rest = async function* (): AsyncGenerator<unknown> {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  };
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip();
  pipeline(Readable.from(rest()), gunzip, () => {
    // Errors reach the consumer through `gunzip`, which pipeline destroys with them.
  });
  yield* gunzip;
}

function stdinOf(options: InspectOptions, what: string): Readable {
  const stdin = options.stdin ?? process.stdin;
  if (stdin.isTTY) {
    throw usageError(
      `no ${what} given and stdin is a terminal`,
      'pass them as arguments, or pipe them in',
    );
  }
  return stdin;
}

async function summarizeLog(
  options: InspectOptions,
  format: InspectFormat,
): Promise<InspectLogResult> {
  const path = options.log ?? '-';
  const source = path === '-' ? '<stdin>' : path;
  // A plain file is read in place, synchronously (fileChunks); stdin and gzip are streamed.
  let chunks: Iterable<unknown> | AsyncIterable<unknown>;
  if (path === '-') chunks = logChunksOf(stdinOf(options, 'log'));
  else {
    const file = openLogFile(path, options.cwd ?? process.cwd());
    chunks = !file.regular
      ? pipeChunks(file.fd)
      : file.isGzip
        ? logStream(file.fd, true)
        : fileChunks(file.fd);
  }
  const aggregator = new AccessLogAggregator({
    fnfIsSuccess: options.fnfSuccess ?? false,
    allClients: options.allClients ?? false,
    logFormat: options.logFormat ?? 'auto',
    jsonFields: jsonFieldNames(options.logField, options.logFormat),
  });
  // The aggregator splits the decoded text into lines itself, reading them in place.
  const decoder = new LogDecoder();
  try {
    const guard = new LineLengthGuard();
    const add = (chunk: unknown): void => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
      if (guard.exceeds(text)) {
        const line = aggregator.summary().lines.total + 1;
        throw new CliError(
          ExitCode.Bad,
          `${source}: line ${line} is longer than ${MAX_LINE_LENGTH} characters (the limit for one line)`,
        );
      }
      aggregator.addText(text);
    };
    if (Symbol.iterator in chunks) for (const chunk of chunks) add(chunk);
    else for await (const chunk of chunks) add(chunk);
    aggregator.addText(decoder.end());
    aggregator.end();
  } catch (err) {
    if (isCliError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new CliError(ExitCode.Failure, `cannot read ${source}: corrupt gzip data (${reason})`);
    }
    throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, source)}`);
  }
  const summary = aggregator.summary();
  const notes: string[] = [];
  const { lines } = summary;
  // Nothing to summarise is an input found bad (exit 1), not an empty table with exit 0: a
  // script that checks the exit code must not take a truncated or wrong file for "no phones".
  if (lines.total === lines.blank) {
    throw badInput(`${source}: the log is empty: no request to inspect`);
  }
  const isJson = aggregator.logFormat === 'json';
  if (lines.malformed === lines.total - lines.blank) {
    if (isJson) throw notAJsonLogError(source, 'inspect', aggregator.firstMalformedLine);
    const json = aggregator.jsonLikeLines === lines.malformed;
    throw notALogError(source, 'inspect', decoder.foreign, json);
  }
  if (lines.malformed > 0) notes.push(malformedNote(source, aggregator));
  if (isJson && lines.json > 0 && aggregator.jsonUserAgents === 0 && !options.allClients) {
    notes.push(
      `${source}: no line has a User-Agent field (${aggregator.json.keysOf('userAgent').join(', ')}), so no phone can be identified; name it with --log-field userAgent=<key> (Traefik drops headers unless told to keep them), or --all-clients lists clients by address`,
    );
  }
  if (lines.common > 0 && lines.combined === 0 && !options.allClients) {
    notes.push(
      `${source}: common log format has no User-Agent, so no phone can be identified; --all-clients lists clients by address`,
    );
  }
  return { kind: 'log', format, source, summary, notes };
}

/** `1 line`, `2 lines`: a count with its noun in agreement. */
function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The note for a log with some malformed lines: how many, of how many, and the first one's
 * number (and, in a JSON log, why it is none): `access.log: 1 of 3 lines is not …`.
 */
function malformedNote(source: string, aggregator: AccessLogAggregator): string {
  const { lines } = aggregator.summary();
  const first = aggregator.firstMalformedLine;
  const what =
    aggregator.logFormat === 'json'
      ? 'a JSON access-log record'
      : 'in the common or combined log format';
  const where =
    first === null
      ? ''
      : `; the first: ${source}:${first.line}${first.reason ? `: ${first.reason}` : ''}`;
  const verb = lines.malformed === 1 ? 'is' : 'are';
  return `${source}: ${lines.malformed} of ${countOf(lines.total, 'line')} ${verb} not ${what} (counted, skipped${where})`;
}

/** Whether the User-Agent arguments are `-` (read stdin); `-` among others is a usage error. */
function readsStdin(userAgents: readonly string[] | undefined): boolean {
  if (userAgents === undefined || !userAgents.includes('-')) return false;
  if (userAgents.length > 1) {
    throw usageError("'-' (read User-Agents from stdin) cannot be mixed with User-Agent arguments");
  }
  return true;
}

/**
 * Parses User-Agents or summarises an access log.
 * @throws CliError (exit 2) for conflicting options; (exit 1) when there is nothing to inspect —
 *   empty stdin, an empty log, a log with no line in an access-log format; (exit 3) for an
 *   unreadable log
 */
export async function inspect(options: InspectOptions): Promise<InspectResult> {
  const format = resolveTableFormat(options);
  refuseEmptyPaths({ '--log': options.log });
  if (options.log !== undefined) {
    // `-` too: stdin of User-Agents beside a log is two inputs (`--log -` reads the log there).
    if ((options.userAgents ?? []).length > 0) {
      throw usageError('give User-Agents or --log, not both');
    }
    return summarizeLog(options, format);
  }
  // `-` alone is stdin, as for every other command that reads a file (a lone `-` is also what an
  // access log writes for "no User-Agent", which is nothing to parse).
  const userAgents = readsStdin(options.userAgents) ? [] : (options.userAgents ?? []);
  if (options.fnfSuccess || options.allClients || options.logFormat || options.logField) {
    const flag = options.fnfSuccess
      ? '--fnf-success'
      : options.allClients
        ? '--all-clients'
        : options.logFormat
          ? '--log-format'
          : '--log-field';
    throw usageError(`${flag} only applies with --log`);
  }
  const results: UserAgentInfo[] = [];
  if (userAgents.length > 0) {
    for (const ua of userAgents) results.push(parseUserAgent(ua));
  } else {
    let first = true;
    for await (const batch of readLineBatches(stdinOf(options, 'User-Agent'))) {
      for (let line of batch) {
        // A file saved with a byte-order mark (Windows editors): the mark is not part of it.
        if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
        first = false;
        if (line.trim() !== '') results.push(parseUserAgent(line));
      }
    }
  }
  // Empty stdin: nothing was inspected, which a pipeline must be able to tell from a result.
  if (results.length === 0) throw badInput('<stdin>: no User-Agent to inspect (stdin is empty)');
  return { kind: 'user-agents', format, results, notes: [] };
}
