/**
 * Web-server access logs (NCSA common and combined log formats) read from the provisioning
 * server's side: who asked, with which User-Agent, and what the phone will do with the answer
 * (outcomes A/B/C, docs/cisco-mpp-reference.md §5).
 *
 * Common:   host ident authuser [date] "request" status bytes
 * Combined: common + ` "referer" "user-agent"` (anything after that, e.g. nginx extras, is ignored)
 *
 * Hand-written scanner rather than one regex: it is linear on any input, copes with the escapes
 * Apache (`\"`, `\\`, `\xhh`) and nginx (`\xHH`) write inside quoted fields, and reads a log
 * chunk in place — offsets into the chunk, no string or object per line — which is what takes the
 * whole `inspect --log` process past a million lines a second (bench/inspect.bench.ts).
 */
import { maskSecretQuery } from '../profile/secrets.js';
import { parseUserAgent, type UserAgentFamily, type UserAgentInfo } from './user-agent.js';
import { JsonLogReader, type JsonLogFieldNames, type JsonLogRecord } from './access-log-json.js';

/**
 * One parsed log line.
 * @example parseAccessLogLine(line)?.status // 200
 */
export interface AccessLogEntry {
  /** `json`: a JSON record (access-log-json.ts), its fields read into this shape. */
  format: 'common' | 'combined' | 'json';
  /** Client address (`%h`). */
  address: string;
  ident: string | null;
  user: string | null;
  /** The bracketed time as written: `10/Oct/2000:13:55:36 -0700`. */
  time: string;
  /** The same time in ms since the epoch, or null when it does not parse. */
  timestamp: number | null;
  /** The request line as written (unescaped): `GET /cfg/00562b043615.xml HTTP/1.1`. */
  request: string;
  method: string | null;
  path: string | null;
  protocol: string | null;
  status: number | null;
  bytes: number | null;
  referer: string | null;
  userAgent: string | null;
}

/**
 * What the phone does next, reference §5: A success, B not found / corrupt, C other failure.
 * @example outcomeForStatus(404).outcome // 'B'
 */
export type Outcome = 'A' | 'B' | 'C';

/**
 * What an HTTP status means for a phone's resync: Cisco's outcome A, B or C, and why.
 * @example outcomeForStatus(200) // { outcome: 'A', meaning: … }
 */
export interface StatusOutcome {
  /** null when the phone retries at once (redirect, auth challenge) or the status is not covered. */
  outcome: Outcome | null;
  meaning: string;
}

export interface OutcomeOptions {
  /** The phones have Resync_Fails_On_FNF=No: a 404 counts as success (A). Default: Yes (B). */
  fnfIsSuccess?: boolean;
}

const NULLISH = '-';
const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
/** Month index by the three character codes of its name packed in one integer. */
const MONTHS = new Map<number, number>(
  MONTH_NAMES.map((name, index) => [monthKey(name, 0), index]),
);

function monthKey(text: string, at: number): number {
  return (text.charCodeAt(at) << 16) | (text.charCodeAt(at + 1) << 8) | text.charCodeAt(at + 2);
}

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    value = value * 10 + c;
  }
  return value;
}

/**
 * Parses the CLF time `10/Oct/2000:13:55:36 -0700` to ms since the epoch.
 * @returns null when the text is not in that shape or a field is out of range
 * @example parseClfTime('10/Oct/2000:13:55:36 -0700') // 971211336000 (2000-10-10T20:55:36Z)
 * parseClfTime('32/Oct/2000:13:55:36 -0700') // null
 */
export function parseClfTime(text: string): number | null {
  return clfTimeAt(text, 0, text.length);
}

/** Date.UTC(year, month, day) of the last day parsed: a log's lines mostly share the day. */
let lastDayKey = -1;
let lastDayValue = 0;

/** parseClfTime on `text[start, end)`, read in place (one call per log line). */
function clfTimeAt(text: string, start: number, end: number): number | null {
  if (end - start !== 26) return null;
  const at = start;
  if (
    text.charCodeAt(at + 2) !== 0x2f ||
    text.charCodeAt(at + 6) !== 0x2f ||
    text.charCodeAt(at + 11) !== 0x3a
  ) {
    return null;
  }
  const day = digitsAt(text, at, 2);
  const month = MONTHS.get(monthKey(text, at + 3));
  const year = digitsAt(text, at + 7, 4);
  const hour = digitsAt(text, at + 12, 2);
  const minute = digitsAt(text, at + 15, 2);
  const second = digitsAt(text, at + 18, 2);
  const signCode = text.charCodeAt(at + 21);
  const sign = signCode === 0x2d ? -1 : signCode === 0x2b ? 1 : 0;
  const offH = digitsAt(text, at + 22, 2);
  const offM = digitsAt(text, at + 24, 2);
  if (month === undefined || sign === 0) return null;
  if (text.charCodeAt(at + 14) !== 0x3a || text.charCodeAt(at + 17) !== 0x3a) return null;
  if (text.charCodeAt(at + 20) !== 0x20) return null;
  // `year >= 0` is false for NaN: a year that is not four digits (`2\x7f26`) made the time
  // NaN, and `inspect --log` failed on it ("Invalid time value", exit 3; fuzz9).
  if (!(year >= 0 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60)) {
    return null;
  }
  if (!(offH <= 23 && offM <= 59)) return null;
  // Date.UTC(y, m, d, h, mi, s) is MakeDay(y, m, d) × msPerDay + MakeTime(h, mi, s, 0)
  // (ECMA-262 §21.4.3.4): the day part is computed once per day, not once per line.
  const dayKey = (year * 12 + month) * 32 + day;
  if (dayKey !== lastDayKey) {
    lastDayValue = Date.UTC(year, month, day);
    lastDayKey = dayKey;
  }
  const utc = lastDayValue + ((hour * 60 + minute) * 60 + second) * 1000;
  return utc - sign * (offH * 60 + offM) * 60_000;
}

/** Undoes the escapes Apache and nginx write inside quoted log fields. */
function unescapeLogField(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch !== '\\' || i + 1 >= raw.length) {
      out += ch;
      continue;
    }
    const next = raw[i + 1];
    if (next === '"' || next === '\\') {
      out += next;
      i++;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
      const code = parseInt(raw.slice(i + 2, i + 4), 16);
      // Bytes above 0x7f are parts of a UTF-8 sequence: leave the escape as written.
      if (code < 0x80) {
        out += String.fromCharCode(code);
        i += 3;
      } else out += ch;
    } else out += ch;
  }
  return out;
}

/**
 * The next index of a pattern at or after a position, remembered. The scanner reads a whole
 * chunk of a log in place (no string per line), so a search for a character a line lacks runs
 * on into the following lines; remembering where it stopped keeps every search linear over the
 * chunk, however many lines lack the character.
 */
class NextIndex {
  private from = 0;
  private at = -1;
  constructor(private readonly pattern: string) {}

  /** Forgets what was found: call before searching another string. */
  reset(): void {
    this.from = 0;
    this.at = -1;
  }

  /** The first index ≥ `from` of the pattern in `text`, or `text.length` when there is none. */
  find(text: string, from: number): number {
    if (from > this.at || from < this.from) {
      const at = text.indexOf(this.pattern, from);
      this.at = at === -1 ? text.length : at;
      this.from = from;
    }
    return this.at;
  }
}

/**
 * One line's fields, filled in place by scanLine: the aggregator reads most lines without
 * building an entry or slicing fields it does not need (bench/inspect.bench.ts: the entry object,
 * its ten strings and the string per line were most of `inspect --log`'s time). Offsets index
 * `text`, which holds the line between `start` and `end` (a whole chunk of a log, or just the
 * line); a quoted field with escapes is unescaped on demand.
 */
class LineFields {
  readonly spaces = new NextIndex(' ');
  readonly brackets = new NextIndex(' [');
  readonly closers = new NextIndex(']');
  readonly quotes = new NextIndex('"');
  readonly backslashes = new NextIndex('\\');
  text = '';
  format: AccessLogEntry['format'] = 'common';
  start = 0;
  addressEnd = 0;
  identEnd = 0;
  userEnd = 0;
  timeStart = 0;
  timeEnd = 0;
  requestStart = 0;
  requestEnd = 0;
  requestEscaped = false;
  status: number | null = null;
  bytes: number | null = null;
  refererStart = 0;
  refererEnd = 0;
  refererEscaped = false;
  agentStart = 0;
  agentEnd = 0;
  agentEscaped = false;

  /** Starts on another string: what the searches remembered no longer holds. */
  reset(): void {
    this.spaces.reset();
    this.brackets.reset();
    this.closers.reset();
    this.quotes.reset();
    this.backslashes.reset();
  }
}

/**
 * The index of the closing quote of a quoted field whose opening quote is at `start`, or -1 when
 * there is none before `end`. Sets `f.escaped` when the field holds backslash escapes (possible
 * only when the line holds a backslash: one search per line spares a character loop per field).
 */
function scanQuoted(
  f: LineFields,
  start: number,
  end: number,
  lineHasBackslash: boolean,
  escapedOut: { escaped: boolean },
): number {
  escapedOut.escaped = false;
  const text = f.text;
  if (start >= end || text.charCodeAt(start) !== 0x22) return -1;
  const from = start + 1;
  const quote = f.quotes.find(text, from);
  if (quote >= end) return -1;
  if (!lineHasBackslash) return quote;
  let i = from;
  while (i < quote && text.charCodeAt(i) !== 0x5c) i++;
  if (i === quote) return quote;
  // Slow path: the field holds escapes; find the first quote not escaped.
  escapedOut.escaped = true;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

/** The end of the space-delimited token from `start`: the index of the space, or `end`. */
function tokenEnd(f: LineFields, start: number, end: number): number {
  const space = f.spaces.find(f.text, start);
  return space < end ? space : end;
}

/**
 * A decimal count in `text[start, end)`: `-` is null, digits (at most 15) a number, anything
 * else undefined.
 */
function countAt(text: string, start: number, end: number): number | null | undefined {
  const length = end - start;
  if (length === 1 && text.charCodeAt(start) === 0x2d) return null;
  if (length <= 0 || length > 15) return undefined;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    value = value * 10 + c;
  }
  return value;
}

const quotedEscapes = { escaped: false };

/** True when `text` has `-` at `at` followed by the character `next`. */
function isDashThen(text: string, at: number, next: number): boolean {
  return text.charCodeAt(at) === 0x2d && text.charCodeAt(at + 1) === next;
}

/**
 * Fills `f` from the line `f.text[start, lineEnd)`; false when it is in neither format. The
 * searches `f` remembers must be for `f.text` (reset() when it changes) and move forward only.
 */
function scanLine(f: LineFields, start: number, lineEnd: number): boolean {
  const text = f.text;
  if (lineEnd - start < 10) return false;
  const end = text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
  const hasBackslash = f.backslashes.find(text, start) < end;
  const a = tokenEnd(f, start, end);
  if (a === start || a >= end) return false;
  // Most servers log `- -` for ident and user: recognised without a search (same results).
  const b = isDashThen(text, a + 1, 0x20) ? a + 2 : tokenEnd(f, a + 1, end);
  if (b >= end) return false;
  // The user may (rarely) hold spaces: it runs up to ` [`.
  const open =
    text.charCodeAt(b + 1) === 0x5b
      ? b
      : isDashThen(text, b + 1, 0x20) && text.charCodeAt(b + 3) === 0x5b
        ? b + 2
        : f.brackets.find(text, b);
  if (open >= end) return false;
  const close = f.closers.find(text, open + 2);
  if (close >= end) return false;
  if (close + 1 >= end || text.charCodeAt(close + 1) !== 0x20) return false;
  const requestEnd = scanQuoted(f, close + 2, end, hasBackslash, quotedEscapes);
  if (requestEnd === -1) return false;
  f.requestEscaped = quotedEscapes.escaped;
  const c = requestEnd + 1;
  if (c >= end || text.charCodeAt(c) !== 0x20) return false;
  const d = tokenEnd(f, c + 1, end);
  const status = countAt(text, c + 1, d);
  if (status === undefined || (status !== null && (status < 100 || status > 999))) return false;
  if (d >= end) return false;
  const e = tokenEnd(f, d + 1, end);
  const bytes = countAt(text, d + 1, e);
  if (bytes === undefined) return false;

  f.format = 'common';
  if (e + 1 < end && text.charCodeAt(e + 1) === 0x22) {
    const refererEnd = scanQuoted(f, e + 1, end, hasBackslash, quotedEscapes);
    if (refererEnd !== -1 && refererEnd + 1 < end && text.charCodeAt(refererEnd + 1) === 0x20) {
      f.refererEscaped = quotedEscapes.escaped;
      const agentEnd = scanQuoted(f, refererEnd + 2, end, hasBackslash, quotedEscapes);
      if (agentEnd !== -1) {
        f.format = 'combined';
        f.refererStart = e + 2;
        f.refererEnd = refererEnd;
        f.agentStart = refererEnd + 3;
        f.agentEnd = agentEnd;
        f.agentEscaped = quotedEscapes.escaped;
      }
    }
  }
  f.start = start;
  f.addressEnd = a;
  f.identEnd = b;
  f.userEnd = open;
  f.timeStart = open + 2;
  f.timeEnd = close;
  f.requestStart = close + 3;
  f.requestEnd = requestEnd;
  f.status = status;
  f.bytes = bytes;
  return true;
}

/** A quoted field's value, unescaped; null for `-`. */
function quotedValue(text: string, start: number, end: number, escaped: boolean): string | null {
  if (!escaped) {
    if (end - start === 1 && text.charCodeAt(start) === 0x2d) return null;
    return text.slice(start, end);
  }
  const value = unescapeLogField(text.slice(start, end));
  return value === NULLISH ? null : value;
}

/** A space-delimited field's value; null for `-`. */
function tokenValue(text: string, start: number, end: number): string | null {
  if (end - start === 1 && text.charCodeAt(start) === 0x2d) return null;
  return text.slice(start, end);
}

/** The request line of a scanned line, unescaped. */
function requestOf(f: LineFields): string {
  const raw = f.text.slice(f.requestStart, f.requestEnd);
  return f.requestEscaped ? unescapeLogField(raw) : raw;
}

/** Method, path and protocol of a request line (`GET /x HTTP/1.1`); missing parts are null. */
function splitRequest(request: string): [string | null, string | null, string | null] {
  const firstSpace = request.indexOf(' ');
  if (firstSpace <= 0) return [null, null, null];
  const method = request.slice(0, firstSpace);
  const lastSpace = request.lastIndexOf(' ');
  if (lastSpace > firstSpace && request.startsWith('HTTP/', lastSpace + 1)) {
    return [method, request.slice(firstSpace + 1, lastSpace), request.slice(lastSpace + 1)];
  }
  return [method, request.slice(firstSpace + 1), null];
}

/**
 * A copy of `text` that does not share memory with the string it was sliced from. V8 makes a
 * slice of 13 or more characters a view into its parent, and a log line's fields are slices of a
 * chunk of the log (64 KiB of a file): a row that kept one would keep the whole chunk alive.
 * Concatenation makes a new string that slice() then flattens into its own memory.
 */
function detach(text: string): string {
  return ` ${text}`.slice(1);
}

const entryFields = new LineFields();

/**
 * Parses one access-log line in the common or combined format.
 * @returns the entry, or null when the line has neither shape
 * @example
 * parseAccessLogLine('10.0.0.5 - - [25/Nov/2026:10:00:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 5120 "-" "Cisco-CP-8841-3PCC/11.0 (00562b043615)"')
 * // { format: 'combined', address: '10.0.0.5', status: 200, path: '/00562b043615.xml', userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)', … }
 */
export function parseAccessLogLine(line: string): AccessLogEntry | null {
  if (typeof line !== 'string') return null;
  const f = entryFields;
  f.text = line;
  f.reset();
  if (!scanLine(f, 0, line.length)) return null;
  const combined = f.format === 'combined';
  const request = requestOf(f);
  const [method, path, protocol] = splitRequest(request);
  return {
    format: f.format,
    address: line.slice(0, f.addressEnd),
    ident: tokenValue(line, f.addressEnd + 1, f.identEnd),
    user: tokenValue(line, f.identEnd + 1, f.userEnd),
    time: line.slice(f.timeStart, f.timeEnd),
    timestamp: clfTimeAt(line, f.timeStart, f.timeEnd),
    request,
    method,
    path,
    protocol,
    status: f.status,
    bytes: f.bytes,
    referer: combined ? quotedValue(line, f.refererStart, f.refererEnd, f.refererEscaped) : null,
    userAgent: combined ? quotedValue(line, f.agentStart, f.agentEnd, f.agentEscaped) : null,
  };
}

/**
 * What a Cisco MPP phone does with an HTTP status, reference §5.
 * @example outcomeForStatus(404) // { outcome: 'B', meaning: 'file not found: …' }
 */
export function outcomeForStatus(
  status: number | null,
  options: OutcomeOptions = {},
): StatusOutcome {
  if (status === null) return { outcome: null, meaning: 'no status logged' };
  if (status === 200)
    return { outcome: 'A', meaning: 'success: next resync after Resync_Periodic' };
  if (status === 301 || status === 302) {
    return { outcome: null, meaning: 'redirect: the phone retries at once at the Location' };
  }
  if (status === 401 || status === 407) {
    return {
      outcome: null,
      meaning:
        'auth challenge: the phone retries at once with --uid/--pwd (at most 2 retries, then C)',
    };
  }
  if (status === 404) {
    return options.fnfIsSuccess
      ? { outcome: 'A', meaning: 'file not found, counted as success (Resync_Fails_On_FNF=No)' }
      : { outcome: 'B', meaning: 'file not found: retry after Resync_Error_Retry_Delay' };
  }
  if (status >= 300 && status <= 599) {
    return { outcome: 'C', meaning: 'failure: retry after Resync_Error_Retry_Delay' };
  }
  return { outcome: null, meaning: `status ${status} is not covered by Cisco's table` };
}

/**
 * One row per phone (or per client address with `allClients`).
 * @example summarizeAccessLog(lines).phones.map((p) => `${p.key} ${p.model} ${p.firmware}`)
 */
export interface PhoneSummary {
  /** The MAC, else the serial, else the client address. */
  key: string;
  keyKind: 'mac' | 'serial' | 'address';
  mac: string | null;
  serial: string | null;
  /** Client address of the last request. */
  address: string;
  vendor: string | null;
  family: UserAgentFamily;
  productName: string | null;
  model: string | null;
  series: string | null;
  /** Firmware of the last request. */
  firmware: string | null;
  /** Every firmware seen, in order of first appearance (more than one = the phone upgraded). */
  firmwares: string[];
  userAgent: string | null;
  requests: number;
  /** ISO 8601 UTC, or null when no line of this phone had a readable time. */
  firstSeen: string | null;
  lastSeen: string | null;
  lastMethod: string | null;
  /** The path of the last request, values of secret-looking query parameters masked. */
  lastPath: string | null;
  lastStatus: number | null;
  /** Status code → number of requests (`"-"` for lines without a status). */
  statusCounts: Record<string, number>;
  /** The phone's outcome for its last request; null while it retries at once. */
  outcome: Outcome | null;
  outcomeReason: string;
}

/**
 * What an access log says: line counts, one row per phone, counts by model, firmware and outcome.
 * @example summarizeAccessLog(logText.split('\n')).lines.phone // lines sent by a Cisco phone
 */
export interface AccessLogSummary {
  lines: {
    total: number;
    blank: number;
    /** Lines in no access-log format (or, in a JSON log, no JSON access-log record). */
    malformed: number;
    /** Lines whose User-Agent is a Cisco phone's. */
    phone: number;
    /** Well-formed lines from anything else (browsers, scanners, common-format lines). */
    other: number;
    combined: number;
    common: number;
    /** JSON access-log records (a JSON log: Caddy, Traefik, nginx escape=json, serve). */
    json: number;
  };
  phones: PhoneSummary[];
  byModel: { model: string; productName: string | null; phones: number }[];
  byFirmware: { model: string; firmware: string; phones: number }[];
  outcomes: { A: number; B: number; C: number; none: number };
}

/**
 * Options of summarizeAccessLog and AccessLogAggregator.
 * @example summarizeAccessLog(lines, { allClients: true })
 * // rows for every client, not only phones
 */
export interface SummarizeOptions extends OutcomeOptions {
  /** Also give a row to every non-phone client, keyed by address (useful for common-format logs). */
  allClients?: boolean;
  /**
   * `text` (common/combined), `json` (one JSON object a line), or `auto` (the default): JSON when
   * the first line that is not blank starts with `{`.
   */
  logFormat?: AccessLogFormat;
  /** JSON logs: the key of a field, replacing its default names (access-log-json.ts). */
  jsonFields?: JsonLogFieldNames;
}

/** How a log's lines are read: see SummarizeOptions.logFormat. */
export type AccessLogFormat = 'auto' | 'text' | 'json';

interface PhoneState {
  row: PhoneSummary;
  first: number | null;
  last: number | null;
  lastOrderTime: number | null;
  trailingAuthChallenges: number;
  /** Requests per status (-1 for "no status"); becomes row.statusCounts in summary(). */
  statusCounts: Map<number, number>;
  /** The request line behind row.lastMethod/lastPath: an unchanged one is not split again. */
  lastRequest: string | null;
  /**
   * Where the latest request's address and request line are in the text being read: they are
   * copied into the row once per chunk of text (flushRows), not once per line.
   */
  pending: boolean;
  lineStart: number;
  addressEnd: number;
  requestStart: number;
  requestEnd: number;
  requestEscaped: boolean;
  /** The User-Agent whose fields the row holds, and the last one whose firmware was noted. */
  rowInfo: UserAgentInfo | null;
  firmwareInfo: UserAgentInfo | null;
  /** A JSON log's latest request: its address and request line are in it, not in the text. */
  record: JsonLogRecord | null;
}

/** A parsed User-Agent, and the row it keys (by MAC or serial) once looked up. */
interface AgentCacheEntry {
  userAgent: string;
  info: UserAgentInfo;
  state: PhoneState | null;
}

const UA_CACHE_LIMIT = 10_000;
/** A phone answered 401/407 this many times in a row: the first request and its 2 retries. */
const AUTH_ATTEMPTS = 3;

/** True when `text[start, end)` is empty or only whitespace (as String#trim sees it). */
function isBlank(text: string, start: number, end: number): boolean {
  if (start >= end) return true;
  const c = text.charCodeAt(start);
  // Printable ASCII other than space: the common case, decided without trimming.
  if (c > 0x20 && c < 0x7f) return false;
  return text.slice(start, end).trim() === '';
}

/** The index of the first character of `text[start, end)` that is not a space or tab. */
function firstNonBlank(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  return i;
}

/**
 * Streams log lines into per-phone rows. Feed it whole lines with addLine(), or a stream's text
 * as it comes with addText() and end(); read it with summary().
 * @example const log = new AccessLogAggregator();
 * log.addLine(accessLogLine); // e.g. an 8841's GET /00562b043615.xml, combined format
 * log.summary().phones[0] // { mac: '00562b043615', model: '8841', firmware: '11.3.7', … }
 */
export class AccessLogAggregator {
  private readonly options: SummarizeOptions;
  private readonly allClients: boolean;
  /** Rows by key kind, and all of them in order of first appearance. */
  private readonly byMac = new Map<string, PhoneState>();
  private readonly bySerial = new Map<string, PhoneState>();
  private readonly byAddress = new Map<string, PhoneState>();
  private readonly states: PhoneState[] = [];
  /** Rows whose latest request is in the text being read (see flushRows). */
  private readonly touched: PhoneState[] = [];
  private readonly uaCache = new Map<string, AgentCacheEntry>();
  private readonly fields = new LineFields();
  /** addText(): the unfinished last line, in pieces (joined once when its end arrives). */
  private pending: string[] = [];
  private readonly lines: AccessLogSummary['lines'] = {
    total: 0,
    blank: 0,
    malformed: 0,
    phone: 0,
    other: 0,
    combined: 0,
    common: 0,
    json: 0,
  };
  /** `auto` until the first line that is not blank decides. */
  private format: AccessLogFormat;
  private readonly jsonFields: JsonLogFieldNames;
  private jsonReader: JsonLogReader | null = null;
  /** The first malformed line: its number and why (a JSON line's reason; else null). */
  private firstMalformed: { line: number; reason: string | null } | null = null;
  /** parseLine()'s last line and entry, which addLine() of the same line uses again. */
  private parsedLine: string | null = null;
  private parsedRecord: JsonLogRecord | string | null = null;
  /** JSON records with a User-Agent: none means the log does not keep it (or names it otherwise). */
  private userAgents = 0;

  /** Malformed lines that start with `{`: JSON lines, such as serve --log-format json writes. */
  private jsonLike = 0;

  constructor(options: SummarizeOptions = {}) {
    this.options = options;
    this.allClients = options.allClients ?? false;
    this.format = options.logFormat ?? 'auto';
    this.jsonFields = options.jsonFields ?? {};
  }

  /** How many JSON records had a User-Agent. */
  get jsonUserAgents(): number {
    return this.userAgents;
  }

  /** How the lines are read: `auto` until a line that is not blank has been added. */
  get logFormat(): AccessLogFormat {
    return this.format;
  }

  /** The first malformed line's number, and why it is one for a JSON log; null when none is. */
  get firstMalformedLine(): { line: number; reason: string | null } | null {
    return this.firstMalformed;
  }

  /** The JSON reader, made on first use (its keys are what a message names). */
  get json(): JsonLogReader {
    return (this.jsonReader ??= new JsonLogReader(this.jsonFields));
  }

  /** Settles `auto` by the line `text[start, end)` (not blank): JSON when it starts with `{`. */
  private decideFormat(text: string, start: number, end: number): AccessLogFormat {
    if (this.format === 'auto') {
      this.format = text.charCodeAt(firstNonBlank(text, start, end)) === 0x7b ? 'json' : 'text';
    }
    return this.format;
  }

  /**
   * Parses one line as this log's lines are read (its format settled by the first line that is
   * not blank, as addLine does); addLine() of the same line then reads it without parsing again.
   * @returns the entry, or null for a blank or malformed line
   */
  parseLine(line: string): AccessLogEntry | null {
    if (isBlank(line, 0, line.length)) return null;
    if (this.decideFormat(line, 0, line.length) !== 'json') return parseAccessLogLine(line);
    const record = this.json.read(line);
    this.parsedLine = line;
    this.parsedRecord = record;
    if (typeof record === 'string') return null;
    const [method, path, protocol] = splitRequest(record.request);
    return {
      format: 'json',
      address: record.address,
      ident: null,
      user: record.user,
      time: record.time,
      timestamp: record.timestamp,
      request: record.request,
      method,
      path,
      protocol,
      status: record.status,
      bytes: record.bytes,
      referer: record.referer,
      userAgent: record.userAgent,
    };
  }

  /** Parses a User-Agent through a bounded cache: a log repeats the same few strings. */
  private userAgentEntry(userAgent: string): AgentCacheEntry {
    let entry = this.uaCache.get(userAgent);
    if (entry === undefined) {
      const own = detach(userAgent);
      entry = { userAgent: own, info: parseUserAgent(own), state: null };
      if (this.uaCache.size >= UA_CACHE_LIMIT) this.uaCache.clear();
      this.uaCache.set(own, entry);
    }
    return entry;
  }

  /** How many of the lines that are in no access-log format start with `{` (JSON lines). */
  get jsonLikeLines(): number {
    return this.jsonLike;
  }

  /** Adds one line (without its newline; a trailing CR is ignored). */
  addLine(line: string): void {
    const f = this.fields;
    f.text = line;
    f.reset();
    this.addSpan(f, 0, line.length);
    this.flushRows(line);
  }

  /**
   * Copies the address and request line of each row's latest request out of `text` (the text
   * just read): once per row and chunk, and only when they changed — a phone asks from the
   * same address for the same file.
   */
  private flushRows(text: string): void {
    for (const state of this.touched) {
      state.pending = false;
      const row = state.row;
      const record = state.record;
      const address =
        record !== null ? record.address : text.slice(state.lineStart, state.addressEnd);
      if (address !== row.address) row.address = detach(address);
      const raw =
        record !== null ? record.request : text.slice(state.requestStart, state.requestEnd);
      const request = record === null && state.requestEscaped ? unescapeLogField(raw) : raw;
      if (request !== state.lastRequest) {
        const own = detach(request);
        const [method, path] = splitRequest(own);
        state.lastRequest = own;
        row.lastMethod = method;
        // A query may carry credentials (`?pwd=…`): the row, and all that shows it, has them masked.
        row.lastPath = path === null ? null : maskSecretQuery(path);
      }
    }
    this.touched.length = 0;
  }

  /**
   * Adds the text of a log as it is read: lines end with LF or CRLF; an unfinished last line
   * waits for the next call or end(). Lines are read in place, without a string each.
   */
  addText(text: string): void {
    let from = 0;
    if (this.pending.length > 0) {
      const newline = text.indexOf('\n');
      if (newline === -1) {
        if (text !== '') this.pending.push(text);
        return;
      }
      this.pending.push(text.slice(0, newline));
      const line = this.pending.join('');
      this.pending = [];
      this.addLine(line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line);
      from = newline + 1;
    }
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline >= from) {
      const f = this.fields;
      f.text = text;
      f.reset();
      let start = from;
      while (start <= lastNewline) {
        const newline = text.indexOf('\n', start);
        const end =
          newline > start && text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
        this.addSpan(f, start, end);
        start = newline + 1;
      }
      this.flushRows(text);
      from = lastNewline + 1;
    }
    if (from < text.length) this.pending.push(from === 0 ? text : text.slice(from));
  }

  /** Adds the unfinished last line of addText(), if any. */
  end(): void {
    if (this.pending.length === 0) return;
    let line = this.pending.join('');
    this.pending = [];
    if (line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1);
    if (line !== '') this.addLine(line);
  }

  /** Adds the line `f.text[start, end)`. */
  private addSpan(f: LineFields, start: number, end: number): void {
    this.lines.total++;
    if (isBlank(f.text, start, end)) {
      this.lines.blank++;
      return;
    }
    if (this.format !== 'text' && this.decideFormat(f.text, start, end) === 'json') {
      this.addJsonLine(f.text.slice(start, end));
      return;
    }
    if (!scanLine(f, start, end)) {
      this.lines.malformed++;
      this.firstMalformed ??= { line: this.lines.total, reason: null };
      if (f.text.charCodeAt(firstNonBlank(f.text, start, end)) === 0x7b) this.jsonLike++;
      return;
    }
    let agent: AgentCacheEntry | null = null;
    if (f.format === 'combined') {
      this.lines.combined++;
      const userAgent = quotedValue(f.text, f.agentStart, f.agentEnd, f.agentEscaped);
      if (userAgent !== null) agent = this.userAgentEntry(userAgent);
    } else this.lines.common++;
    const isCisco = agent !== null && agent.info.isCisco;
    if (isCisco) this.lines.phone++;
    else {
      this.lines.other++;
      if (!this.allClients) return;
    }
    this.record(f, agent, isCisco, clfTimeAt(f.text, f.timeStart, f.timeEnd), null);
  }

  /** Adds a line of a JSON log (JSON.parse per line, in access-log-json.ts). */
  private addJsonLine(line: string): void {
    const record = line === this.parsedLine ? this.parsedRecord! : this.json.read(line);
    this.parsedLine = null;
    this.parsedRecord = null;
    if (typeof record === 'string') {
      this.lines.malformed++;
      this.firstMalformed ??= { line: this.lines.total, reason: record };
      return;
    }
    this.lines.json++;
    if (record.userAgent !== null) this.userAgents++;
    const agent = record.userAgent === null ? null : this.userAgentEntry(record.userAgent);
    const isCisco = agent !== null && agent.info.isCisco;
    if (isCisco) this.lines.phone++;
    else {
      this.lines.other++;
      if (!this.allClients) return;
    }
    const f = this.fields;
    f.status = record.status;
    this.record(f, agent, isCisco, record.timestamp, record);
  }

  /** The row of a line: by MAC, else serial (both cached with the User-Agent), else address. */
  private stateOf(
    f: LineFields,
    info: UserAgentInfo | null,
    record: JsonLogRecord | null,
  ): PhoneState {
    const keyKind: PhoneSummary['keyKind'] = info?.mac
      ? 'mac'
      : info?.serial
        ? 'serial'
        : 'address';
    const address = record !== null ? record.address : f.text.slice(f.start, f.addressEnd);
    const map =
      keyKind === 'mac' ? this.byMac : keyKind === 'serial' ? this.bySerial : this.byAddress;
    let state = map.get(info?.mac ?? info?.serial ?? address);
    if (!state) {
      const key = info?.mac ?? info?.serial ?? detach(address);
      state = {
        row: {
          key,
          keyKind,
          mac: info?.mac ?? null,
          serial: info?.serial ?? null,
          address: keyKind === 'address' ? key : detach(address),
          vendor: null,
          family: 'unknown',
          productName: null,
          model: null,
          series: null,
          firmware: null,
          firmwares: [],
          userAgent: null,
          requests: 0,
          firstSeen: null,
          lastSeen: null,
          lastMethod: null,
          lastPath: null,
          lastStatus: null,
          statusCounts: {},
          outcome: null,
          outcomeReason: '',
        },
        first: null,
        last: null,
        lastOrderTime: null,
        trailingAuthChallenges: 0,
        statusCounts: new Map(),
        lastRequest: null,
        pending: false,
        lineStart: 0,
        addressEnd: 0,
        requestStart: 0,
        requestEnd: 0,
        requestEscaped: false,
        rowInfo: null,
        firmwareInfo: null,
        record: null,
      };
      map.set(key, state);
      this.states.push(state);
    }
    return state;
  }

  /**
   * Counts a request in its row. `f` holds the status and, for a text line, where its address
   * and request line are; a JSON log's line gives them as `record`.
   */
  private record(
    f: LineFields,
    agent: AgentCacheEntry | null,
    isCisco: boolean,
    ts: number | null,
    record: JsonLogRecord | null,
  ): void {
    const info = isCisco && agent !== null ? agent.info : null;
    let state: PhoneState;
    if (info !== null && agent !== null && (info.mac || info.serial)) {
      state = agent.state ??= this.stateOf(f, info, record);
    } else state = this.stateOf(f, info, record);
    const row = state.row;
    row.requests++;
    const status = f.status;
    const statusKey = status === null ? -1 : status;
    state.statusCounts.set(statusKey, (state.statusCounts.get(statusKey) ?? 0) + 1);
    if (ts !== null) {
      if (state.first === null || ts < state.first) state.first = ts;
      if (state.last === null || ts > state.last) state.last = ts;
    }
    if (info !== null && info !== state.firmwareInfo) {
      state.firmwareInfo = info;
      if (info.firmware && !row.firmwares.includes(info.firmware)) {
        row.firmwares.push(info.firmware);
      }
    }
    // The "last request" is the latest in time; equal or unreadable times go by file order.
    const isLatest = ts === null || state.lastOrderTime === null || ts >= state.lastOrderTime;
    if (!isLatest) return;
    if (ts !== null) state.lastOrderTime = ts;
    if (!state.pending) {
      state.pending = true;
      this.touched.push(state);
    }
    state.record = record;
    state.lineStart = f.start;
    state.addressEnd = f.addressEnd;
    state.requestStart = f.requestStart;
    state.requestEnd = f.requestEnd;
    state.requestEscaped = f.requestEscaped;
    row.lastStatus = status;
    row.userAgent = agent === null ? null : agent.userAgent;
    if (info !== null && info !== state.rowInfo) {
      state.rowInfo = info;
      row.vendor = info.vendor;
      row.family = info.family;
      row.productName = info.productName;
      row.model = info.model;
      row.series = info.series;
      row.firmware = info.firmware;
      if (info.mac) row.mac = info.mac;
      if (info.serial) row.serial = info.serial;
    }
    const challenged = status === 401 || status === 407;
    state.trailingAuthChallenges = challenged ? state.trailingAuthChallenges + 1 : 0;
  }

  /** The rows and totals so far. Rows are sorted by model, then key. */
  summary(): AccessLogSummary {
    const phones: PhoneSummary[] = [];
    const outcomes = { A: 0, B: 0, C: 0, none: 0 };
    const byModel = new Map<
      string,
      { model: string; productName: string | null; phones: number }
    >();
    const byFirmware = new Map<string, { model: string; firmware: string; phones: number }>();
    for (const state of this.states) {
      const statusCounts: Record<string, number> = {};
      // Object keys that are integers enumerate in ascending order, "-" after them.
      for (const [status, count] of state.statusCounts) {
        statusCounts[status === -1 ? '-' : String(status)] = count;
      }
      const row = { ...state.row, statusCounts };
      row.firmwares = [...state.row.firmwares];
      row.firstSeen = state.first === null ? null : new Date(state.first).toISOString();
      row.lastSeen = state.last === null ? null : new Date(state.last).toISOString();
      const verdict = outcomeForStatus(row.lastStatus, this.options);
      if (verdict.outcome === null && state.trailingAuthChallenges >= AUTH_ATTEMPTS) {
        row.outcome = 'C';
        row.outcomeReason = `failure: ${state.trailingAuthChallenges} auth challenges in a row (retries exhausted)`;
      } else {
        row.outcome = verdict.outcome;
        row.outcomeReason = verdict.meaning;
      }
      outcomes[row.outcome ?? 'none']++;
      phones.push(row);
      if (row.family === 'unknown') continue;
      const model = row.model ?? '?';
      const m = byModel.get(model) ?? { model, productName: row.productName, phones: 0 };
      m.phones++;
      byModel.set(model, m);
      const firmware = row.firmware ?? '?';
      const fwKey = `${model}\u0000${firmware}`;
      const f = byFirmware.get(fwKey) ?? { model, firmware, phones: 0 };
      f.phones++;
      byFirmware.set(fwKey, f);
    }
    // Plain code-unit order, not localeCompare: the same log gives the same order everywhere.
    const byText = (x: string | null, y: string | null): number => {
      const a = x ?? '';
      const b = y ?? '';
      return a < b ? -1 : a > b ? 1 : 0;
    };
    phones.sort((x, y) => byText(x.model, y.model) || byText(x.key, y.key));
    return {
      lines: { ...this.lines },
      phones,
      byModel: [...byModel.values()].sort(
        (x, y) => y.phones - x.phones || byText(x.model, y.model),
      ),
      byFirmware: [...byFirmware.values()].sort(
        (x, y) => byText(x.model, y.model) || byText(x.firmware, y.firmware),
      ),
      outcomes,
    };
  }
}

/**
 * Summarises access-log lines per phone.
 * @example summarizeAccessLog(text.split('\n')).phones[0]?.outcome // 'A'
 */
export function summarizeAccessLog(
  lines: Iterable<string>,
  options: SummarizeOptions = {},
): AccessLogSummary {
  const aggregator = new AccessLogAggregator(options);
  for (const line of lines) aggregator.addLine(line);
  return aggregator.summary();
}
