/**
 * Formatters for `inspect` and `models`: a readable table, CSV and JSON (Lines). They return
 * strings and print nothing.
 *
 * Everything shown comes from the network (a User-Agent is whatever the client sent), so every
 * value is escaped before it reaches a terminal or spreadsheet: C0/C1 control characters, DEL,
 * ANSI escape sequences, line/paragraph separators and bidirectional overrides become visible
 * `\xHH` / `\uHHHH` escapes, never interpreted. CSV cells that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`) are prefixed with `'` (OWASP "CSV injection").
 */
import type { ChalkInstance } from 'chalk';
import { chalk as loadChalk } from '../lazy-deps.js';
import type { TableFormat } from '../io/options.js';
import type { AccessLogSummary, PhoneSummary } from '../device/access-log.js';
import type { PhoneModel } from '../device/models.js';
import type { UserAgentInfo } from '../device/user-agent.js';

export type InspectFormat = TableFormat;

export interface InspectUserAgentsResult {
  kind: 'user-agents';
  format: InspectFormat;
  results: UserAgentInfo[];
  /** Notes for stderr (never data). */
  notes: string[];
}

export interface InspectLogResult {
  kind: 'log';
  format: InspectFormat;
  /** The log's display name: its path or `<stdin>`. */
  source: string;
  summary: AccessLogSummary;
  notes: string[];
}

export type InspectResult = InspectUserAgentsResult | InspectLogResult;

export type ModelsFormat = TableFormat;

export interface ModelsResult {
  format: ModelsFormat;
  models: readonly PhoneModel[];
  sources: boolean;
}

export interface HumanFormatOptions {
  /** Use ANSI colours (decide with `shouldColor`). Default false. */
  color?: boolean;
}

/**
 * Whether human output to a stream should be coloured: a TTY, no `NO_COLOR` (https://no-color.org),
 * and `FORCE_COLOR` not `0`. chalk's own detection does not look at NO_COLOR.
 */
export function shouldColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY === true && env.TERM !== 'dumb';
}

// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI on some terminals), and the format
// characters that reorder or break displayed text. Matching control characters is the point here.
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\\]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NAMED: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\\': '\\\\',
};

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/**
 * Makes text safe to print: control and format characters become visible escapes, a backslash
 * doubles (so an escape is never ambiguous). Printable text, including non-ASCII, is unchanged.
 * @example escapeText('a\u001b[31mb') // 'a\\x1b[31mb'
 */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  });
}

/** Shortens escaped text to at most `max` characters, marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

// Characters JSON.stringify leaves raw that a terminal may act on.
const JSON_UNSAFE =
  /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * JSON text with every control and format character escaped as `\uHHHH` (still valid JSON, and
 * parses back to the same value).
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    JSON_UNSAFE,
    (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`,
  );
}

/** One CSV cell (RFC 4180), escaped for terminals and guarded against formula injection. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = escapeText(String(value));
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header.join(',')];
  for (const row of rows)
    lines.push(row.map((v) => csvCell(v as string | number | null)).join(','));
  return `${lines.join('\n')}\n`;
}

interface Column {
  title: string;
  align?: 'left' | 'right';
  /** Maximum width; longer values are cut with `…`. */
  max?: number;
}

type Paint = (text: string) => string;

/** Lays out a table: escaped cells padded to the widest, colour applied after padding. */
function table(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  chalk: ChalkInstance,
  paint?: (row: number, column: number) => Paint | undefined,
): string {
  const cells = rows.map((row) =>
    columns.map((col, i) => truncate(escapeText(row[i] ?? ''), col.max ?? 200)),
  );
  // Loops, not Math.max(...cells): a spread of 120,000+ rows overflows the call stack.
  const widths = columns.map((col, i) => {
    let width = col.title.length;
    for (const row of cells) width = Math.max(width, row[i]?.length ?? 0);
    return width;
  });
  const pad = (text: string, i: number): string =>
    columns[i]?.align === 'right' ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  const lines = [
    chalk.bold(
      columns
        .map((col, i) => pad(col.title, i))
        .join('  ')
        .trimEnd(),
    ),
    ...cells.map((row, r) =>
      row
        .map((cell, i) => {
          const padded = pad(cell, i);
          const p = paint?.(r, i);
          return p ? p(padded) : padded;
        })
        .join('  ')
        .trimEnd(),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

const dash = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === '' ? '-' : String(value);

// ---------------------------------------------------------------- User-Agents

const UA_FIELDS = [
  'userAgent',
  'isCisco',
  'vendor',
  'family',
  'productName',
  'model',
  'series',
  'firmware',
  'mac',
  'serial',
] as const satisfies readonly (keyof UserAgentInfo)[];

/** One JSON object per User-Agent, one per line (JSON Lines). */
export function formatUserAgentsJson(results: readonly UserAgentInfo[]): string {
  return results
    .map((r) => safeJson(Object.fromEntries(UA_FIELDS.map((k) => [k, r[k]]))))
    .map((line) => `${line}\n`)
    .join('');
}

export function formatUserAgentsCsv(results: readonly UserAgentInfo[]): string {
  return csv(
    UA_FIELDS,
    results.map((r) => UA_FIELDS.map((k) => r[k])),
  );
}

export function formatUserAgentsTable(
  results: readonly UserAgentInfo[],
  options: HumanFormatOptions = {},
): string {
  const chalk = new (loadChalk().Chalk)({ level: options.color ? 1 : 0 });
  const columns: Column[] = [
    { title: 'FAMILY' },
    { title: 'MODEL' },
    { title: 'SERIES' },
    { title: 'FIRMWARE', max: 32 },
    { title: 'MAC' },
    { title: 'SERIAL', max: 24 },
    { title: 'USER-AGENT', max: 72 },
  ];
  const rows = results.map((r) => [
    r.isCisco ? r.family : 'not Cisco',
    dash(r.model),
    dash(r.series),
    dash(r.firmware),
    dash(r.mac),
    dash(r.serial),
    r.userAgent === '' ? '(empty)' : r.userAgent,
  ]);
  return table(columns, rows, chalk, (r) => (results[r]?.isCisco ? undefined : chalk.dim));
}

// ---------------------------------------------------------------- access logs

const PHONE_FIELDS = [
  'key',
  'keyKind',
  'mac',
  'serial',
  'address',
  'vendor',
  'family',
  'productName',
  'model',
  'series',
  'firmware',
  'firmwares',
  'requests',
  'firstSeen',
  'lastSeen',
  'lastMethod',
  'lastPath',
  'lastStatus',
  'statusCounts',
  'outcome',
  'outcomeReason',
  'userAgent',
] as const satisfies readonly (keyof PhoneSummary)[];

function statusText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([status, n]) => `${status}:${n}`)
    .join(' ');
}

/** `2026-11-25T10:00:00.000Z` → `2026-11-25 10:00:00Z`. */
function shortTime(iso: string | null): string {
  return iso === null ? '-' : `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** The whole summary as one JSON document (2-space indent). */
export function formatLogJson(summary: AccessLogSummary): string {
  return `${safeJson(summary, 2)}\n`;
}

/** One CSV row per phone. */
export function formatLogCsv(summary: AccessLogSummary): string {
  return csv(
    PHONE_FIELDS,
    summary.phones.map((p) =>
      PHONE_FIELDS.map((k) => {
        if (k === 'firmwares') return p.firmwares.join(' ');
        if (k === 'statusCounts') return statusText(p.statusCounts);
        return p[k];
      }),
    ),
  );
}

export function formatLogTable(
  summary: AccessLogSummary,
  options: HumanFormatOptions = {},
): string {
  const chalk = new (loadChalk().Chalk)({ level: options.color ? 1 : 0 });
  const outcomePaint: Record<string, Paint> = {
    A: chalk.green,
    B: chalk.yellow,
    C: chalk.red,
  };
  const parts: string[] = [];
  if (summary.phones.length === 0) {
    parts.push('No phone requests found.\n');
  } else {
    const columns: Column[] = [
      { title: 'PHONE', max: 24 },
      { title: 'MODEL' },
      { title: 'FIRMWARE', max: 28 },
      { title: 'REQS', align: 'right' },
      { title: 'FIRST SEEN' },
      { title: 'LAST SEEN' },
      { title: 'LAST PATH', max: 40 },
      { title: 'STATUS', max: 32 },
      { title: 'OUT' },
    ];
    const rows = summary.phones.map((p) => [
      p.keyKind === 'address' && p.family !== 'unknown' ? `${p.key} (addr)` : p.key,
      dash(p.model),
      p.firmwares.length > 1
        ? `${dash(p.firmware)} (+${p.firmwares.length - 1})`
        : dash(p.firmware),
      String(p.requests),
      shortTime(p.firstSeen),
      shortTime(p.lastSeen),
      dash(p.lastPath),
      statusText(p.statusCounts),
      p.outcome ?? '-',
    ]);
    parts.push(
      table(columns, rows, chalk, (r, c) =>
        c === 8 ? outcomePaint[summary.phones[r]?.outcome ?? ''] : undefined,
      ),
    );
  }
  if (summary.byModel.length > 0) {
    parts.push(
      table(
        [{ title: 'MODEL' }, { title: 'PRODUCT' }, { title: 'PHONES', align: 'right' }],
        summary.byModel.map((m) => [m.model, dash(m.productName), String(m.phones)]),
        chalk,
      ),
    );
    parts.push(
      table(
        [{ title: 'MODEL' }, { title: 'FIRMWARE', max: 40 }, { title: 'PHONES', align: 'right' }],
        summary.byFirmware.map((f) => [f.model, f.firmware, String(f.phones)]),
        chalk,
      ),
    );
  }
  const o = summary.outcomes;
  const l = summary.lines;
  // Other clients have rows only with --all-clients; their rows are the ones without a family.
  const othersShown = summary.phones.some((p) => p.family === 'unknown');
  parts.push(
    `Outcomes: A ${o.A}, B ${o.B}, C ${o.C}, none yet ${o.none}\n` +
      `Lines: ${l.total} read, ${l.phone} from phones, ${l.other} from other clients` +
      `${othersShown || l.other === 0 ? '' : ' (not shown)'}, ${l.malformed} malformed, ${l.blank} blank\n`,
  );
  return parts.join('\n');
}

// ---------------------------------------------------------------- models

/** The table rows with their sources, as a JSON array (2-space indent). */
function formatModelsJson(models: readonly PhoneModel[]): string {
  return `${safeJson(models, 2)}\n`;
}

const MODEL_FIELDS = [
  'model',
  'productName',
  'displayName',
  'series',
  'templateFamily',
  'lines',
  'lineKeys',
  'maxExpansionModules',
  'firmwarePrefix',
] as const satisfies readonly (keyof PhoneModel)[];

function formatModelsCsv(models: readonly PhoneModel[]): string {
  return csv(
    MODEL_FIELDS,
    models.map((m) => MODEL_FIELDS.map((k) => m[k])),
  );
}

function formatModelsTable(
  models: readonly PhoneModel[],
  options: HumanFormatOptions & { sources?: boolean } = {},
): string {
  const chalk = new (loadChalk().Chalk)({ level: options.color ? 1 : 0 });
  const columns: Column[] = [
    { title: 'MODEL' },
    { title: 'PRODUCT NAME' },
    { title: 'SERIES' },
    { title: 'TEMPLATE' },
    { title: 'LINES', align: 'right' },
    { title: 'KEYS', align: 'right' },
    { title: 'KEMS', align: 'right' },
    { title: 'FIRMWARE' },
  ];
  const rows = models.map((m) => [
    m.model,
    m.productName,
    m.series,
    m.templateFamily,
    String(m.lines),
    String(m.lineKeys),
    String(m.maxExpansionModules),
    m.firmwarePrefix,
  ]);
  let out = table(columns, rows, chalk);
  if (options.sources) {
    for (const m of models) {
      out += `\n${chalk.bold(`${m.model} (${m.productName})`)}\n`;
      for (const [field, source] of Object.entries(m.sources)) {
        out += `  ${field}: ${escapeText(source ?? '')}\n`;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- dispatch

/** Formats an `inspect` result in its chosen format. */
export function renderInspect(result: InspectResult, options: HumanFormatOptions = {}): string {
  if (result.kind === 'user-agents') {
    if (result.format === 'json') return formatUserAgentsJson(result.results);
    if (result.format === 'csv') return formatUserAgentsCsv(result.results);
    return result.results.length === 0 ? '' : formatUserAgentsTable(result.results, options);
  }
  if (result.format === 'json') return formatLogJson(result.summary);
  if (result.format === 'csv') return formatLogCsv(result.summary);
  return formatLogTable(result.summary, options);
}

/** Formats a `models` result in its chosen format. */
export function renderModels(result: ModelsResult, options: HumanFormatOptions = {}): string {
  if (result.format === 'json') return formatModelsJson(result.models);
  if (result.format === 'csv') return formatModelsCsv(result.models);
  return formatModelsTable(result.models, { ...options, sources: result.sources });
}
