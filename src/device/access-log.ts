/**
 * Web-server access logs (NCSA common and combined log formats) read from the provisioning
 * server's side: who asked, with which User-Agent, and what the phone will do with the answer
 * (outcomes A/B/C, docs/cisco-mpp-reference.md §5).
 *
 * Common:   host ident authuser [date] "request" status bytes
 * Combined: common + ` "referer" "user-agent"` (anything after that, e.g. nginx extras, is ignored)
 *
 * Hand-written scanner rather than one regex: it is linear on any input, copes with the escapes
 * Apache (`\"`, `\\`, `\xhh`) and nginx (`\xHH`) write inside quoted fields, and runs several
 * hundred thousand lines a second (bench/inspect.bench.ts).
 */
import { parseUserAgent, type UserAgentFamily, type UserAgentInfo } from './user-agent.js';

/** One parsed log line. */
export interface AccessLogEntry {
  format: 'common' | 'combined';
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

/** What the phone does next, reference §5: A success, B not found / corrupt, C other failure. */
export type Outcome = 'A' | 'B' | 'C';

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
const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

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
 */
export function parseClfTime(text: string): number | null {
  if (text.length !== 26 || text[2] !== '/' || text[6] !== '/' || text[11] !== ':') return null;
  const day = digitsAt(text, 0, 2);
  const month = MONTHS[text.slice(3, 6)];
  const year = digitsAt(text, 7, 4);
  const hour = digitsAt(text, 12, 2);
  const minute = digitsAt(text, 15, 2);
  const second = digitsAt(text, 18, 2);
  const sign = text[21] === '-' ? -1 : text[21] === '+' ? 1 : 0;
  const offH = digitsAt(text, 22, 2);
  const offM = digitsAt(text, 24, 2);
  if (month === undefined || sign === 0 || text[14] !== ':' || text[17] !== ':') return null;
  if (text[20] !== ' ') return null;
  if (!(day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60)) return null;
  if (!(offH <= 23 && offM <= 59)) return null;
  const utc = Date.UTC(year, month, day, hour, minute, second);
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

/** Scans a quoted field starting at `start` (the opening quote). Returns [value, index after]. */
function scanQuoted(line: string, start: number): [string, number] | null {
  if (line.charCodeAt(start) !== 0x22) return null;
  const from = start + 1;
  const quote = line.indexOf('"', from);
  if (quote === -1) return null;
  const backslash = line.indexOf('\\', from);
  if (backslash === -1 || backslash > quote) return [line.slice(from, quote), quote + 1];
  // Slow path: the field holds escapes; find the first quote not escaped.
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return [unescapeLogField(line.slice(from, i)), i + 1];
  }
  return null;
}

/** The next space-delimited token from `start`: [token, index of the space or end]. */
function scanToken(line: string, start: number): [string, number] {
  const space = line.indexOf(' ', start);
  const end = space === -1 ? line.length : space;
  return [line.slice(start, end), end];
}

function parseCount(token: string): number | null | undefined {
  if (token === NULLISH) return null;
  if (token.length === 0 || token.length > 15) return undefined;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(token);
}

let lastTimeText = '';
let lastTimeValue: number | null = null;

/**
 * Parses one access-log line in the common or combined format.
 * @returns the entry, or null when the line has neither shape
 * @example
 * parseAccessLogLine('10.0.0.5 - - [25/Nov/2026:10:00:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 5120 "-" "Cisco-CP-8841-3PCC/11.0 (00562b043615)"')
 * // { format: 'combined', address: '10.0.0.5', status: 200, path: '/00562b043615.xml', userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)', … }
 */
export function parseAccessLogLine(line: string): AccessLogEntry | null {
  if (typeof line !== 'string' || line.length < 10) return null;
  let text = line;
  if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
  const [address, a] = scanToken(text, 0);
  if (address === '' || a >= text.length) return null;
  const [ident, b] = scanToken(text, a + 1);
  if (b >= text.length) return null;
  // The user may (rarely) hold spaces: it runs up to ` [`.
  const open = text.indexOf(' [', b);
  if (open === -1) return null;
  const user = text.slice(b + 1, open);
  const close = text.indexOf(']', open + 2);
  if (close === -1) return null;
  const time = text.slice(open + 2, close);
  if (text.charCodeAt(close + 1) !== 0x20) return null;
  const req = scanQuoted(text, close + 2);
  if (!req) return null;
  const [request, c] = req;
  if (text.charCodeAt(c) !== 0x20) return null;
  const [statusToken, d] = scanToken(text, c + 1);
  const status = parseCount(statusToken);
  if (status === undefined || (status !== null && (status < 100 || status > 999))) return null;
  if (d >= text.length) return null;
  const [bytesToken, e] = scanToken(text, d + 1);
  const bytes = parseCount(bytesToken);
  if (bytes === undefined) return null;

  let referer: string | null = null;
  let userAgent: string | null = null;
  let format: AccessLogEntry['format'] = 'common';
  if (e < text.length && text.charCodeAt(e + 1) === 0x22) {
    const ref = scanQuoted(text, e + 1);
    if (ref && text.charCodeAt(ref[1]) === 0x20) {
      const ua = scanQuoted(text, ref[1] + 1);
      if (ua) {
        format = 'combined';
        referer = ref[0] === NULLISH ? null : ref[0];
        userAgent = ua[0] === NULLISH ? null : ua[0];
      }
    }
  }

  const firstSpace = request.indexOf(' ');
  const lastSpace = request.lastIndexOf(' ');
  let method: string | null = null;
  let path: string | null = null;
  let protocol: string | null = null;
  if (firstSpace > 0) {
    method = request.slice(0, firstSpace);
    if (lastSpace > firstSpace && request.startsWith('HTTP/', lastSpace + 1)) {
      path = request.slice(firstSpace + 1, lastSpace);
      protocol = request.slice(lastSpace + 1);
    } else path = request.slice(firstSpace + 1);
  }

  if (time !== lastTimeText) {
    lastTimeText = time;
    lastTimeValue = parseClfTime(time);
  }
  return {
    format,
    address,
    ident: ident === NULLISH ? null : ident,
    user: user === NULLISH ? null : user,
    time,
    timestamp: lastTimeValue,
    request,
    method,
    path,
    protocol,
    status,
    bytes,
    referer,
    userAgent,
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

/** One row per phone (or per client address with `allClients`). */
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
  lastPath: string | null;
  lastStatus: number | null;
  /** Status code → number of requests (`"-"` for lines without a status). */
  statusCounts: Record<string, number>;
  /** The phone's outcome for its last request; null while it retries at once. */
  outcome: Outcome | null;
  outcomeReason: string;
}

export interface AccessLogSummary {
  lines: {
    total: number;
    blank: number;
    malformed: number;
    /** Lines whose User-Agent is a Cisco phone's. */
    phone: number;
    /** Well-formed lines from anything else (browsers, scanners, common-format lines). */
    other: number;
    combined: number;
    common: number;
  };
  phones: PhoneSummary[];
  byModel: { model: string; productName: string | null; phones: number }[];
  byFirmware: { model: string; firmware: string; phones: number }[];
  outcomes: { A: number; B: number; C: number; none: number };
}

export interface SummarizeOptions extends OutcomeOptions {
  /** Also give a row to every non-phone client, keyed by address (useful for common-format logs). */
  allClients?: boolean;
}

interface PhoneState {
  row: PhoneSummary;
  first: number | null;
  last: number | null;
  lastOrderTime: number | null;
  trailingAuthChallenges: number;
}

const UA_CACHE_LIMIT = 10_000;
/** A phone answered 401/407 this many times in a row: the first request and its 2 retries. */
const AUTH_ATTEMPTS = 3;

/** Streams log lines into per-phone rows. Feed it with addLine(), read it with summary(). */
export class AccessLogAggregator {
  private readonly options: SummarizeOptions;
  private readonly phones = new Map<string, PhoneState>();
  private readonly uaCache = new Map<string, UserAgentInfo>();
  private readonly lines: AccessLogSummary['lines'] = {
    total: 0,
    blank: 0,
    malformed: 0,
    phone: 0,
    other: 0,
    combined: 0,
    common: 0,
  };

  constructor(options: SummarizeOptions = {}) {
    this.options = options;
  }

  /** Parses a User-Agent through a bounded cache: a log repeats the same few strings. */
  private userAgentInfo(userAgent: string): UserAgentInfo {
    let info = this.uaCache.get(userAgent);
    if (info === undefined) {
      info = parseUserAgent(userAgent);
      if (this.uaCache.size >= UA_CACHE_LIMIT) this.uaCache.clear();
      this.uaCache.set(userAgent, info);
    }
    return info;
  }

  /** Adds one line (without its newline). */
  addLine(line: string): void {
    this.lines.total++;
    if (line.trim() === '') {
      this.lines.blank++;
      return;
    }
    const entry = parseAccessLogLine(line);
    if (!entry) {
      this.lines.malformed++;
      return;
    }
    this.lines[entry.format]++;
    const info = entry.userAgent === null ? null : this.userAgentInfo(entry.userAgent);
    if (info?.isCisco) this.lines.phone++;
    else {
      this.lines.other++;
      if (!this.options.allClients) return;
    }
    this.record(entry, info?.isCisco ? info : null);
  }

  private record(entry: AccessLogEntry, info: UserAgentInfo | null): void {
    const keyKind: PhoneSummary['keyKind'] = info?.mac
      ? 'mac'
      : info?.serial
        ? 'serial'
        : 'address';
    const key = info?.mac ?? info?.serial ?? entry.address;
    const mapKey = `${keyKind}:${key}`;
    let state = this.phones.get(mapKey);
    if (!state) {
      state = {
        row: {
          key,
          keyKind,
          mac: info?.mac ?? null,
          serial: info?.serial ?? null,
          address: entry.address,
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
      };
      this.phones.set(mapKey, state);
    }
    const row = state.row;
    row.requests++;
    const statusKey = entry.status === null ? '-' : String(entry.status);
    row.statusCounts[statusKey] = (row.statusCounts[statusKey] ?? 0) + 1;
    const ts = entry.timestamp;
    if (ts !== null) {
      if (state.first === null || ts < state.first) state.first = ts;
      if (state.last === null || ts > state.last) state.last = ts;
    }
    if (info?.firmware && !row.firmwares.includes(info.firmware)) row.firmwares.push(info.firmware);
    // The "last request" is the latest in time; equal or unreadable times go by file order.
    const isLatest = ts === null || state.lastOrderTime === null || ts >= state.lastOrderTime;
    if (!isLatest) return;
    if (ts !== null) state.lastOrderTime = ts;
    row.address = entry.address;
    row.lastMethod = entry.method;
    row.lastPath = entry.path;
    row.lastStatus = entry.status;
    row.userAgent = entry.userAgent;
    if (info) {
      row.vendor = info.vendor;
      row.family = info.family;
      row.productName = info.productName;
      row.model = info.model;
      row.series = info.series;
      row.firmware = info.firmware;
      if (info.mac) row.mac = info.mac;
      if (info.serial) row.serial = info.serial;
    }
    const challenged = entry.status === 401 || entry.status === 407;
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
    for (const state of this.phones.values()) {
      const row = { ...state.row, statusCounts: { ...state.row.statusCounts } };
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
