/**
 * Access-log lines for `serve`: NCSA combined format (what nginx and Apache write by default, so
 * `cisco-prov inspect --log` and any log tool read it) or one JSON object per request for log
 * collectors. A RequestRecord holds no secret (query values masked, reasons masked); quoted
 * fields are escaped the way nginx does (`\"`, `\\`, `\xHH` for control and non-ASCII bytes), so
 * a hostile User-Agent cannot forge a second line.
 */
import { escapeControls, jsonForTerminal } from '../output/terminal-text.js';
import type { RequestRecord, ServerEvent } from './server.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

let clfSecond = NaN;
let clfText = '';

/** CLF time in UTC: `30/Nov/2026:08:45:12 +0000` (made once per second: every line of a second shares it). */
export function formatClfTime(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== clfSecond) {
    clfText = formatClfTimeNow(date);
    clfSecond = second;
  }
  return clfText;
}

function formatClfTimeNow(date: Date): string {
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

const PLAIN_FIELD = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Escapes a value for a quoted log field (nginx's escaping).
 * @param encoding how the value's characters become the bytes escaped: `latin1` for a header
 * as Node hands it over (one character per byte received), `utf8` for text of our own
 */
function escapeLogField(value: string, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  // Most fields (a Cisco User-Agent, a profile path) need no escaping at all.
  if (PLAIN_FIELD.test(value)) return value;
  let out = '';
  for (const byte of Buffer.from(value, encoding)) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte < 0x20 || byte >= 0x7f)
      out += `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return out;
}

/** A bare (unquoted) field: no spaces or control characters, `-` when empty. */
function bareField(value: string | null): string {
  if (value === null || value === '') return '-';
  return escapeLogField(value).replace(/ /g, '\\x20');
}

/**
 * One combined-format line (no newline).
 * @example formatCombined(record)
 * // 127.0.0.1 - - [30/Nov/2026:08:45:12 +0000] "GET /00562b043615.xml HTTP/1.1" 200 1234 "-" "Cisco-CP-8841-3PCC/11.0 (00562b043615)"
 */
export function formatCombined(r: RequestRecord): string {
  // A request the parser refused has no request line to show (nor are its bytes shown).
  const request = r.kind === 'malformed' ? '-' : `${r.method} ${r.target} ${r.protocol}`;
  return `${bareField(r.address)} - ${bareField(r.user)} [${formatClfTime(r.time)}] "${escapeLogField(request)}" ${r.status} ${r.bytes > 0 ? r.bytes : '-'} "${escapeLogField(r.referer ?? '-', 'latin1')}" "${escapeLogField(r.userAgent ?? '-', 'latin1')}"`;
}

/**
 * A header value as text: Node hands header bytes over one character per byte, so UTF-8 sent by
 * a client arrives as `cafÃ©`; read as UTF-8 it is `café` again (a byte that is no UTF-8 becomes
 * U+FFFD). ASCII, nearly every User-Agent, is returned as it is.
 */
function headerText(value: string | null): string | null {
  // eslint-disable-next-line no-control-regex
  if (value === null || /^[\u0000-\u007f]*$/.test(value)) return value;
  return Buffer.from(value, 'latin1').toString('utf8');
}

/** One JSON object per request (no newline): the record, flattened for collectors. */
export function formatJsonRecord(r: RequestRecord): string {
  // A User-Agent or Referer may carry C1 controls and bidi overrides (UTF-8 bytes, decoded
  // below): as `\u202e`, so that `tail -f` on the log cannot be driven or reordered by a client.
  return jsonForTerminal({
    time: r.time.toISOString(),
    address: r.address,
    user: r.user,
    method: r.method,
    target: r.target,
    protocol: r.protocol,
    status: r.status,
    bytes: r.bytes,
    durationMs: Math.round(r.durationMs * 1000) / 1000,
    kind: r.kind,
    device: r.device?.id ?? null,
    model: r.device?.model ?? r.ua?.model ?? null,
    outcome: r.outcome,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.form !== undefined ? { form: r.form } : {}),
    ...(r.cached !== undefined ? { cached: r.cached } : {}),
    userAgent: headerText(r.userAgent),
    uaMac: r.ua?.mac ?? null,
    uaSerial: r.ua?.serial ?? null,
    firmware: r.ua?.firmware ?? null,
    referer: headerText(r.referer),
  });
}

/**
 * The operator's line for a request that did not simply succeed (stderr in text mode):
 * `cisco-prov: serve: 404 GET /00562b043699.xml: unknown device 00562b043699: …`.
 */
export function formatReason(r: RequestRecord): string | undefined {
  if (r.reason === undefined) return undefined;
  if (r.kind === 'malformed') {
    return `serve: ${r.status} from ${escapeLogField(r.address)}: ${escapeControls(r.reason)}`;
  }
  // The reason may quote the decoded path (`no route for /…`): what a terminal would act on
  // (C1 controls, bidi overrides) is shown as an escape.
  return `serve: ${r.status} ${r.method} ${escapeLogField(r.target)}: ${escapeControls(r.reason)}`;
}

/** A server event as a text line or JSON. */
export function formatEvent(e: ServerEvent, json: boolean): string {
  if (json)
    return jsonForTerminal({ time: e.time.toISOString(), level: e.level, event: e.message });
  return `serve: ${e.level === 'info' ? '' : `${e.level}: `}${e.message}`;
}
