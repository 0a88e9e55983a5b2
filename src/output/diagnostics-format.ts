/**
 * Formatters for `validate`: ESLint's "stylish" layout for people, JSON for machines. Both
 * return strings; the CLI's writer prints them.
 */
import type { ChalkInstance } from 'chalk';
import { chalk as loadChalk } from '../lazy-deps.js';
import type { FileDiagnostics } from '../validate/diagnostic.js';

export type { FileDiagnostics };

export interface StylishOptions {
  /** ANSI colours (decide with the writer's TTY/NO_COLOR check). Default false. */
  color?: boolean;
}

import { escapeControls } from './terminal-text.js';

export { escapeControls };

/** JSON with the characters JSON.stringify leaves raw that a terminal may act on escaped. */
function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * How a report is printed: its layout, and for stylish whether in colour. Plain data, so a
 * worker thread can be told it.
 */
export interface ReportFormat {
  format: 'stylish' | 'json';
  color?: boolean;
}

/**
 * One file's part of a report, rendered wherever the file was checked (a worker thread, for a
 * large run: then only this text crosses to the main thread, not every diagnostic).
 */
export interface RenderedFile {
  file: string;
  errorCount: number;
  warningCount: number;
  /** The file's text in the report, before what joins it to the others ('' when clean). */
  text: string;
}

/**
 * A file's part of a report as UTF-8 bytes ({@link RenderedFile}'s text, encoded): how a worker
 * thread sends it, so the main thread neither receives the text as a string nor encodes it
 * for stdout (10,000 files, 190,000 findings: ≈ 0.3–0.5 s of CPU, see bench/RESULTS-validate.md).
 */
export interface RenderedBytes {
  file: string;
  errorCount: number;
  warningCount: number;
  /** The text, encoded (empty when clean). */
  bytes: Uint8Array;
}

/** Joins rendered files into a report as they come, so a large run is never held whole. */
export interface ReportStream {
  /** The text that adds one more file ('' when it adds nothing). */
  add(file: RenderedFile): string;
  /**
   * The text that goes before one more file's bytes, which then follow it as they are ('' and
   * no bytes when the file adds nothing): {@link add} for a file rendered as bytes.
   */
  addBytes(file: RenderedBytes): string;
  /** The text that ends the report. */
  end(): string;
}

function pluralize(word: string, count: number): string {
  return count === 1 ? word : `${word}s`;
}

/**
 * ESLint's "stylish" layout: the file name, then one row per finding (`line:column  severity
 * message  rule-id`, columns aligned), a blank line, and a summary. Empty when there is
 * nothing to report.
 * @example formatStylish([{ file: 'a.xml', errorCount: 1, warningCount: 0, diagnostics: [...] }])
 * // '\na.xml\n  3:21  error  ua="RW" … must be "na", "ro" or "rw"  invalid-ua\n\n✖ 1 problem (1 error, 0 warnings)\n'
 */
export function formatStylish(
  results: readonly FileDiagnostics[],
  options: StylishOptions = {},
): string {
  return formatWhole(results, { format: 'stylish', color: options.color === true });
}

/** The whole report at once: the stream's pieces joined. */
function formatWhole(results: readonly FileDiagnostics[], format: ReportFormat): string {
  const report = reportStream(format);
  let output = '';
  for (const result of results) output += report.add(renderFile(result, format));
  return output + report.end();
}

/**
 * One file's text in a report, independent of the other files (see {@link reportStream}).
 * @example renderFile(result, { format: 'json' }).text // '{\n    "file": "a.xml",\n …'
 */
export function renderFile(result: FileDiagnostics, format: ReportFormat): RenderedFile {
  const { file, errorCount, warningCount } = result;
  const text =
    format.format === 'json' ? jsonEntry(result) : stylishBlock(result, format.color === true);
  return { file, errorCount, warningCount, text };
}

/**
 * Joins {@link renderFile}'s pieces, in input order, into the report formatStylish or
 * formatJson would print for all of them.
 * @example const r = reportStream({ format: 'json' }); write(r.add(a)); write(r.add(b)); write(r.end());
 */
export function reportStream(format: ReportFormat): ReportStream {
  return format.format === 'json' ? jsonStream() : stylishStream(format.color === true);
}

let chalks: readonly [ChalkInstance, ChalkInstance] | undefined;

/** The plain and the coloured chalk, made on first use (chalk loads then: lazy-deps.ts). */
function chalkOf(color: boolean): ChalkInstance {
  const { Chalk } = loadChalk();
  chalks ??= [new Chalk({ level: 0 }), new Chalk({ level: 1 })];
  return chalks[color ? 1 : 0];
}

/** The stylish rows of one file ('' when it has none). */
function stylishBlock(result: FileDiagnostics, color: boolean): string {
  if (result.diagnostics.length === 0) return '';
  const chalk = chalkOf(color);
  let output = `${chalk.underline(escapeControls(result.file))}\n`;
  const rows = result.diagnostics.map((d) => ({
    position: `${d.line}:${d.column}`,
    line: String(d.line),
    severity: d.severity,
    message: escapeControls(
      d.message.endsWith('.') ? d.message.replace(/([^ ])\.$/, '$1') : d.message,
    ),
    ruleId: d.ruleId,
  }));
  // ESLint aligns line (right) and column (left) as separate columns, then joins them with ':'.
  // Loops, not Math.max(...rows): a spread of 120,000+ findings overflows the call stack.
  let lineWidth = 0;
  let severityWidth = 0;
  let messageWidth = 0;
  for (const r of rows) {
    lineWidth = Math.max(lineWidth, r.line.length);
    severityWidth = Math.max(severityWidth, r.severity.length);
    messageWidth = Math.max(messageWidth, r.message.length);
  }
  let positionWidth = 0;
  for (const r of rows) {
    positionWidth = Math.max(positionWidth, r.position.length + (lineWidth - r.line.length));
  }
  for (const row of rows) {
    const position = (' '.repeat(lineWidth - row.line.length) + row.position).padEnd(positionWidth);
    const severity = row.severity === 'error' ? chalk.red('error') : chalk.yellow('warning');
    const severityPad = ' '.repeat(severityWidth - row.severity.length);
    output +=
      `  ${chalk.dim(position)}  ${severity}${severityPad}  ` +
      `${row.message.padEnd(messageWidth)}  ${chalk.dim(row.ruleId)}`.trimEnd() +
      '\n';
  }
  return `${output}\n`;
}

function stylishStream(color: boolean): ReportStream {
  const chalk = chalkOf(color);
  let errors = 0;
  let warnings = 0;
  /** What goes before a file's text: a blank line opens the report, once it has something. */
  const before = (file: { errorCount: number; warningCount: number }, empty: boolean): string => {
    if (empty) return '';
    const opening = errors + warnings === 0 ? '\n' : '';
    errors += file.errorCount;
    warnings += file.warningCount;
    return opening;
  };
  const add = (file: RenderedFile): string =>
    file.text === '' ? '' : before(file, false) + file.text;
  const addBytes = (file: RenderedBytes): string => before(file, file.bytes.length === 0);
  const end = (): string => {
    const total = errors + warnings;
    if (total === 0) return '';
    const summary =
      `\u2716 ${total} ${pluralize('problem', total)} ` +
      `(${errors} ${pluralize('error', errors)}, ${warnings} ${pluralize('warning', warnings)})`;
    const colored = errors > 0 ? chalk.red.bold(summary) : chalk.yellow.bold(summary);
    return `${colored}\n`;
  };
  return { add, addBytes, end };
}

/**
 * The JSON report: `[{ file, errorCount, warningCount, diagnostics: [{ ruleId, severity,
 * message, line, column, hint? }] }]`, one entry per file (clean files included), pretty-printed.
 */
export function formatJson(results: readonly FileDiagnostics[]): string {
  return formatWhole(results, { format: 'json' });
}

/**
 * A string as JSON, with what a terminal may act on escaped (as terminalSafeJson does). Printable
 * ASCII other than the quote and the backslash is its own JSON: most messages and hints, written without
 * JSON.stringify and the escaping pass (190,000 findings of 10,000 files: ≈ 215 → 55 ms of CPU,
 * issue 12).
 */
function jsonString(text: string): string {
  return PLAIN_JSON.test(text) ? `"${text}"` : terminalSafeJson(text);
}

const PLAIN_JSON = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * One file's entry of the JSON array, indented as `JSON.stringify(all, null, 2)` would: written
 * directly, each string through JSON.stringify (one call on the whole entry, its regular
 * expression pass over the output and the indenting pass were ≈ 5 % of a validate worker's time).
 */
function jsonEntry(r: FileDiagnostics): string {
  let out =
    `{\n    "file": ${jsonString(r.file)},\n    "errorCount": ${r.errorCount},\n` +
    `    "warningCount": ${r.warningCount},\n    "diagnostics": [`;
  if (r.diagnostics.length === 0) return `${out}]\n  }`;
  let first = true;
  for (const d of r.diagnostics) {
    out +=
      // A rule id and a severity are plain ASCII words: JSON writes them as they are.
      `${first ? '' : ','}\n      {\n        "ruleId": "${d.ruleId}",\n` +
      `        "severity": "${d.severity}",\n` +
      `        "message": ${jsonString(d.message)},\n` +
      `        "line": ${d.line},\n        "column": ${d.column}` +
      // The hint when the rule gives one (diagnostics are data: `hint?` is one of their fields).
      // Hints are fixed texts or built from names and the ua vocabulary, never from a value.
      `${d.hint === undefined ? '' : `,\n        "hint": ${jsonString(d.hint)}`}\n      }`;
    first = false;
  }
  return `${out}\n    ]\n  }`;
}

function jsonStream(): ReportStream {
  let count = 0;
  const before = (): string => (count++ === 0 ? '[\n  ' : ',\n  ');
  const add = (file: RenderedFile): string => `${before()}${file.text}`;
  const addBytes = (): string => before();
  const end = (): string => (count === 0 ? '[]\n' : '\n]\n');
  return { add, addBytes, end };
}
