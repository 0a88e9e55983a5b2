/**
 * JSON access logs — one JSON object a line — read into the fields a common/combined line has
 * (address, time, request, status, bytes, referer, User-Agent), so `inspect --log` and `fleet
 * --log` summarise them as they do text logs. Each line goes through JSON.parse; a field is
 * looked up under the names the servers document (JSON_LOG_FIELD_NAMES, each with its source),
 * or under the one name `--log-field <field>=<key>` gives.
 *
 * Key paths use `>` between levels, as Caddy's own log filters do (`request>headers>User-Agent`,
 * caddyserver.com/docs/caddyfile/directives/log, "format filter"); a header Caddy logs as an
 * array of values is read as its first value.
 */
import { parseClfTime } from './access-log.js';

/** The fields of an access-log record that `inspect --log` and `fleet` use. */
export type JsonLogField =
  | 'address'
  | 'user'
  | 'time'
  | 'request'
  | 'method'
  | 'path'
  | 'protocol'
  | 'status'
  | 'bytes'
  | 'referer'
  | 'userAgent';

/**
 * One key a server writes a field under, and where that is documented.
 * @example { key: 'request>uri', source: 'Caddy' }
 */
interface KnownKey {
  key: string;
  source: 'Caddy' | 'Traefik' | 'nginx' | 'serve';
}

/**
 * Sources of the default names:
 * - Caddy: the access-log entry in caddyserver.com/docs/logging ("Structured logs": `ts`,
 *   `request.remote_ip`, `request.client_ip`, `request.method`, `request.uri`, `request.proto`,
 *   `request.headers.User-Agent` as an array, `user_id`, `size`, `status`); `ts` is Unix seconds
 *   as a float by default (caddyserver.com/docs/caddyfile/directives/log, `time_format`).
 * - Traefik: doc.traefik.io/traefik/observability/access-logs ("Available Fields": `StartUTC`,
 *   `ClientHost`, `ClientUsername`, `RequestMethod`, `RequestPath`, `RequestProtocol`,
 *   `DownstreamStatus`, `DownstreamContentSize`); headers are dropped unless kept
 *   (`fields.headers.defaultMode` is `drop`), and a kept one is `request_<Header>`
 *   (traefik pkg/middlewares/accesslog/logdata.go: `request_User-Agent`, `request_Referer`).
 * - nginx: `log_format … escape=json` (nginx.org/en/docs/http/ngx_http_log_module.html, 1.11.8)
 *   writes whatever names the format gives; the defaults are its variables' names (`$remote_addr`,
 *   `$remote_user`, `$time_iso8601`, `$time_local`, `$msec`, `$request`, `$request_method`,
 *   `$request_uri`, `$server_protocol`, `$status`, `$body_bytes_sent`, `$http_referer`,
 *   `$http_user_agent`), the names most published formats use.
 * - serve: `cisco-prov serve --log-format json` (src/serve/log-format.ts, formatJsonRecord).
 * The first name a record has wins; `--log-field` replaces a field's list with one name.
 */
export const JSON_LOG_FIELD_NAMES = {
  address: [
    { key: 'request>client_ip', source: 'Caddy' },
    { key: 'request>remote_ip', source: 'Caddy' },
    { key: 'ClientHost', source: 'Traefik' },
    { key: 'remote_addr', source: 'nginx' },
    { key: 'address', source: 'serve' },
  ],
  user: [
    { key: 'user_id', source: 'Caddy' },
    { key: 'ClientUsername', source: 'Traefik' },
    { key: 'remote_user', source: 'nginx' },
    { key: 'user', source: 'serve' },
  ],
  time: [
    { key: 'ts', source: 'Caddy' },
    { key: 'StartUTC', source: 'Traefik' },
    { key: 'StartLocal', source: 'Traefik' },
    { key: 'time_iso8601', source: 'nginx' },
    { key: 'time_local', source: 'nginx' },
    { key: 'msec', source: 'nginx' },
    { key: 'time', source: 'serve' },
  ],
  request: [{ key: 'request', source: 'nginx' }],
  method: [
    { key: 'request>method', source: 'Caddy' },
    { key: 'RequestMethod', source: 'Traefik' },
    { key: 'request_method', source: 'nginx' },
    { key: 'method', source: 'serve' },
  ],
  path: [
    { key: 'request>uri', source: 'Caddy' },
    { key: 'RequestPath', source: 'Traefik' },
    { key: 'request_uri', source: 'nginx' },
    { key: 'target', source: 'serve' },
  ],
  protocol: [
    { key: 'request>proto', source: 'Caddy' },
    { key: 'RequestProtocol', source: 'Traefik' },
    { key: 'server_protocol', source: 'nginx' },
    { key: 'protocol', source: 'serve' },
  ],
  status: [
    { key: 'status', source: 'Caddy' },
    { key: 'DownstreamStatus', source: 'Traefik' },
  ],
  bytes: [
    { key: 'size', source: 'Caddy' },
    { key: 'DownstreamContentSize', source: 'Traefik' },
    { key: 'body_bytes_sent', source: 'nginx' },
    { key: 'bytes', source: 'serve' },
  ],
  referer: [
    { key: 'request>headers>Referer', source: 'Caddy' },
    { key: 'request_Referer', source: 'Traefik' },
    { key: 'http_referer', source: 'nginx' },
    { key: 'referer', source: 'serve' },
  ],
  userAgent: [
    { key: 'request>headers>User-Agent', source: 'Caddy' },
    { key: 'request_User-Agent', source: 'Traefik' },
    { key: 'http_user_agent', source: 'nginx' },
    { key: 'userAgent', source: 'serve' },
  ],
} as const satisfies Record<JsonLogField, readonly KnownKey[]>;

/** Every field, in the order of JSON_LOG_FIELD_NAMES. */
export const JSON_LOG_FIELDS = Object.keys(JSON_LOG_FIELD_NAMES) as JsonLogField[];

/**
 * The key to read a field under, replacing the default names (`--log-field userAgent=ua`).
 * @example { userAgent: 'agent', time: 'event>when' }
 */
export type JsonLogFieldNames = Partial<Record<JsonLogField, string>>;

/** A record's fields, as a text line's would be. */
export interface JsonLogRecord {
  /** `-` when the record has no address. */
  address: string;
  user: string | null;
  /** The time as written (a number as its decimal text), or `-`. */
  time: string;
  /** ms since the epoch, or null when there is no time or it does not parse. */
  timestamp: number | null;
  /** `METHOD path protocol` from the record's parts, else its request line, else `-`. */
  request: string;
  status: number;
  bytes: number | null;
  referer: string | null;
  userAgent: string | null;
}

/** A key path split at `>`. */
type KeyPath = readonly string[];

function splitKey(key: string): KeyPath {
  return key.split('>');
}

/** The value at a key path: a plain key first (a key may hold `>`), then nested objects. */
function valueAt(record: Record<string, unknown>, key: string, path: KeyPath): unknown {
  const plain = record[key];
  if (plain !== undefined || path.length === 1) return plain;
  let value: unknown = record;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Text of a field: a string, a number's decimal text, an array's first value; empty or `-` is null. */
function textOf(value: unknown): string | null {
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '' || value === '-') return null;
  return value;
}

/** A non-negative integer from a number or its decimal text (nginx writes `"$status"` quoted). */
function integerOf(value: unknown): number | null {
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return null;
}

/** A date and time without a zone: Caddy's `wall` formats, in UTC unless `time_local`. */
const ZONELESS = /^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;
const NUMERIC = /^\d+(?:\.\d+)?$/;

/**
 * A record's time in ms since the epoch. Numbers are Unix time, their unit told by size: seconds
 * (Caddy's default `unix_seconds_float`, nginx `$msec`), milliseconds (`unix_milli_float`),
 * microseconds or nanoseconds (`unix_nano`) — a time in seconds past 1e11 would be in the year
 * 5138. Text is the common log format's `10/Oct/2000:13:55:36 -0700` (`$time_local`, Caddy's
 * `common_log`), else an ISO 8601 / RFC 3339 time as Date.parse reads it; a time with no zone
 * (Caddy's `wall`) is taken as UTC, Caddy's default.
 */
export function parseJsonLogTime(value: unknown): number | null {
  let seconds: number | null = null;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string') {
    if (NUMERIC.test(value)) seconds = Number(value);
    else if (value.length === 26 && value.charCodeAt(2) === 0x2f) return parseClfTime(value);
    else {
      const zoneless = ZONELESS.exec(value);
      const ms = Date.parse(
        zoneless ? `${zoneless[1]}-${zoneless[2]}-${zoneless[3]}T${zoneless[4]}Z` : value,
      );
      return Number.isFinite(ms) ? ms : null;
    }
  }
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const ms =
    seconds < 1e11
      ? seconds * 1000
      : seconds < 1e14
        ? seconds
        : seconds < 1e17
          ? seconds / 1e3
          : seconds / 1e6;
  // Date's range (ECMA-262 §21.4.1.22): ±8.64e15 ms.
  return ms <= 8.64e15 ? Math.round(ms) : null;
}

/** Keys to try for one field, split once. */
interface FieldKeys {
  keys: readonly string[];
  paths: readonly KeyPath[];
}

/**
 * Reads JSON access-log lines with one field mapping.
 * @example new JsonLogReader().read('{"ts":1764583200.5,"request":{"remote_ip":"10.0.0.5","method":"GET","uri":"/cfg/00562b043615.xml","proto":"HTTP/1.1","headers":{"User-Agent":["Cisco-CP-8841-3PCC/11.0 (00562b043615)"]}},"size":5120,"status":200}')
 * // { address: '10.0.0.5', status: 200, request: 'GET /cfg/00562b043615.xml HTTP/1.1', userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)', … }
 */
export class JsonLogReader {
  private readonly fields: Record<JsonLogField, FieldKeys>;

  /** @param names a key per field replacing its default names */
  constructor(names: JsonLogFieldNames = {}) {
    const fields = {} as Record<JsonLogField, FieldKeys>;
    for (const field of JSON_LOG_FIELDS) {
      const given = names[field];
      const keys =
        given !== undefined ? [given] : JSON_LOG_FIELD_NAMES[field].map((known) => known.key);
      fields[field] = { keys, paths: keys.map(splitKey) };
    }
    this.fields = fields;
  }

  /** The keys a field is looked up under, for messages: `status, DownstreamStatus`. */
  keysOf(field: JsonLogField): readonly string[] {
    return this.fields[field].keys;
  }

  /** The first value a record has for a field, or undefined. */
  private lookup(record: Record<string, unknown>, field: JsonLogField): unknown {
    const { keys, paths } = this.fields[field];
    for (let i = 0; i < keys.length; i++) {
      const value = valueAt(record, keys[i]!, paths[i]!);
      if (value !== undefined && value !== null) return value;
    }
    return undefined;
  }

  /**
   * One line's record.
   * @returns the record, or why the line is none (never quoting the line: it may hold a
   *   query's secret): `not JSON`, `no status field (status, DownstreamStatus)`…
   */
  read(line: string): JsonLogRecord | string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return 'not JSON';
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return 'not a JSON object';
    }
    const record = parsed as Record<string, unknown>;
    const statusValue = this.lookup(record, 'status');
    if (statusValue === undefined) {
      return `no status field (${this.keysOf('status').join(', ')})`;
    }
    const status = integerOf(statusValue);
    if (status === null || status < 100 || status > 999) return 'its status is not an HTTP status';
    const method = textOf(this.lookup(record, 'method'));
    const path = textOf(this.lookup(record, 'path'));
    const protocol = textOf(this.lookup(record, 'protocol'));
    // nginx formats often log `$request` (the request line) beside `$request_method` alone.
    const requestLine = path === null ? textOf(this.lookup(record, 'request')) : null;
    const request =
      requestLine ?? ([method, path, protocol].filter((part) => part !== null).join(' ') || '-');
    const timeValue = this.lookup(record, 'time');
    return {
      address: textOf(this.lookup(record, 'address')) ?? '-',
      user: textOf(this.lookup(record, 'user')),
      time: textOf(timeValue) ?? '-',
      timestamp: parseJsonLogTime(timeValue),
      request,
      status,
      bytes: integerOf(this.lookup(record, 'bytes')),
      referer: textOf(this.lookup(record, 'referer')),
      userAgent: textOf(this.lookup(record, 'userAgent')),
    };
  }
}
