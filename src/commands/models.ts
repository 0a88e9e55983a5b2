/** `cisco-prov models`: the model table (src/device/models.ts), whole or one row. */
import { usageError } from '../errors.js';
import { resolveTableFormat } from '../io/options.js';
import { MODELS, findModel, type PhoneModel } from '../device/models.js';
import type { ModelsFormat, ModelsResult } from '../output/inspect-format.js';

export type { ModelsFormat, ModelsResult } from '../output/inspect-format.js';

export interface ModelsOptions {
  /** Show only this model (`8841`, `CP-8841-3PCC`, `ATA191`…). */
  model?: string;
  format?: ModelsFormat;
  /** Shorthand for `format: 'json'`. */
  json?: boolean;
  /** Table output: list each row's sources under the table. */
  sources?: boolean;
}

/**
 * Selects rows of the model table.
 * @throws CliError (exit 2) for an unknown model or conflicting options
 */
export function models(options: ModelsOptions = {}): ModelsResult {
  const format = resolveTableFormat(options);
  if (options.sources === true && format === 'csv') {
    // CSV has one line per row and no place for a row's sources: silently dropping them would
    // leave an admin believing the file holds them.
    throw usageError(
      '--sources lists the sources under the table; CSV has no place for them',
      '--json prints every row with its sources',
    );
  }
  let rows: readonly PhoneModel[] = MODELS;
  if (options.model !== undefined) {
    const row = findModel(options.model);
    const matching = row ? [row] : modelsMatching(options.model);
    if (matching.length === 0) {
      throw usageError(
        `unknown model ${JSON.stringify(options.model)}`,
        `known: ${MODELS.map((m) => m.model).join(', ')}; or a series (8800) or a pattern (88*, CP-78*)`,
      );
    }
    rows = matching;
  }
  return { format, models: rows, sources: options.sources ?? false };
}

/**
 * The rows an admin means by a series (`8800`, `ata190`) or a pattern with `*` and `?` over
 * the model number and the product name (`88*`, `cp-78*`, `ATA*`), case-insensitive.
 * @example modelsMatching('8800').length // 7
 */
function modelsMatching(text: string): PhoneModel[] {
  const wanted = text.trim().toUpperCase();
  if (wanted === '') return [];
  if (/[*?]/.test(wanted)) {
    return MODELS.filter(
      (m) =>
        wildcardMatches(wanted, m.model.toUpperCase()) ||
        wildcardMatches(wanted, m.productName.toUpperCase()),
    );
  }
  return MODELS.filter((m) => m.series.toUpperCase() === wanted);
}

/**
 * Whether `text` matches a pattern of `*` (any run) and `?` (one character), in time at most the
 * product of their lengths: on a mismatch only the last `*` is retried, one character further.
 * (A RegExp with `.*` per `*` backtracks exponentially: `models '********************Z'` took a
 * minute.)
 * @example wildcardMatches('8?41', '8841') // true
 */
function wildcardMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
