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
  let rows: readonly PhoneModel[] = MODELS;
  if (options.model !== undefined) {
    const row = findModel(options.model);
    if (!row) {
      throw usageError(
        `unknown model ${JSON.stringify(options.model)}`,
        `known: ${MODELS.map((m) => m.model).join(', ')}`,
      );
    }
    rows = [row];
  }
  return { format, models: rows, sources: options.sources ?? false };
}
