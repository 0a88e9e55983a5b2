/**
 * Formatters for `validate`: ESLint's "stylish" layout for people, JSON for machines. Both
 * return strings; the CLI's writer prints them.
 */
import { Chalk } from 'chalk';
import type { FileDiagnostics } from '../validate/diagnostic.js';

export type { FileDiagnostics };

export interface StylishOptions {
  /** ANSI colours (decide with the writer's TTY/NO_COLOR check). Default false. */
  color?: boolean;
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
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  let output = '\n';
  let errors = 0;
  let warnings = 0;
  for (const result of results) {
    if (result.diagnostics.length === 0) continue;
    errors += result.errorCount;
    warnings += result.warningCount;
    output += `${chalk.underline(result.file)}\n`;
    const rows = result.diagnostics.map((d) => ({
      position: `${d.line}:${d.column}`,
      line: String(d.line),
      severity: d.severity,
      message: d.message.replace(/([^ ])\.$/, '$1'),
      ruleId: d.ruleId,
    }));
    // ESLint aligns line (right) and column (left) as separate columns, then joins them with ':'.
    const lineWidth = Math.max(...rows.map((r) => r.line.length));
    const positionWidth = Math.max(
      ...rows.map((r) => r.position.length + (lineWidth - r.line.length)),
    );
    const severityWidth = Math.max(...rows.map((r) => r.severity.length));
    const messageWidth = Math.max(...rows.map((r) => r.message.length));
    for (const row of rows) {
      const position = (' '.repeat(lineWidth - row.line.length) + row.position).padEnd(
        positionWidth,
      );
      const severity = row.severity === 'error' ? chalk.red('error') : chalk.yellow('warning');
      const severityPad = ' '.repeat(severityWidth - row.severity.length);
      output +=
        `  ${chalk.dim(position)}  ${severity}${severityPad}  ` +
        `${row.message.padEnd(messageWidth)}  ${chalk.dim(row.ruleId)}`.trimEnd() +
        '\n';
    }
    output += '\n';
  }
  const total = errors + warnings;
  if (total === 0) return '';
  const summary =
    `\u2716 ${total} ${pluralize('problem', total)} ` +
    `(${errors} ${pluralize('error', errors)}, ${warnings} ${pluralize('warning', warnings)})`;
  const colored = errors > 0 ? chalk.red.bold(summary) : chalk.yellow.bold(summary);
  return `${output}${colored}\n`;
}

/**
 * The JSON report: `[{ file, errorCount, warningCount, diagnostics: [{ ruleId, severity,
 * message, line, column }] }]`, one entry per file (clean files included), pretty-printed.
 */
export function formatJson(results: readonly FileDiagnostics[]): string {
  const report = results.map((r) => ({
    file: r.file,
    errorCount: r.errorCount,
    warningCount: r.warningCount,
    diagnostics: r.diagnostics.map((d) => ({
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
      line: d.line,
      column: d.column,
    })),
  }));
  return `${JSON.stringify(report, null, 2)}\n`;
}
