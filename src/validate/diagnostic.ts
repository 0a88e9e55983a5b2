/**
 * Diagnostics are data: what `validate` found, where, and under which rule. Formatters
 * (src/output/diagnostics-format.ts) turn them into ESLint-"stylish" text or JSON.
 */
import type { RuleId } from './rule-ids.js';

/**
 * How bad a diagnostic is: an `error` fails validate; a `warning` only with --strict.
 * @example validateProfileText(text, { file }).filter((d) => d.severity === 'error')
 */
export type Severity = 'error' | 'warning';

/**
 * One finding. `line` and `column` are 1-based; the column counts UTF-16 code units, as
 * ESLint does. Messages never contain the value of a secret parameter or a key.
 * @example { ruleId: 'invalid-ua', severity: 'error', message: 'ua="RW" …', file: 'a.xml', line: 3, column: 21 }
 */
export interface Diagnostic {
  ruleId: RuleId;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  hint?: string;
}

/**
 * The diagnostics of one file, with counts.
 * @example formatStylish([{ file: 'p.xml', diagnostics, errorCount: 1, warningCount: 0 }])
 */
export interface FileDiagnostics {
  file: string;
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
  /**
   * Set when the file could not be read (`cannot read <file>: permission denied`): it was not
   * checked, `diagnostics` is empty, and the run goes on with the other files.
   */
  readError?: string;
}

/** Sorts diagnostics by line, then column, keeping the rule order for ties. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column;
}
