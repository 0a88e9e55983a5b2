/**
 * The result for a file `validate` could not read. A module of its own, light: the CLI lists
 * the inputs with it before the checks have loaded (src/commands/validate.ts).
 */
import { describeSystemError } from '../domain-errors.js';
import type { FileDiagnostics } from './diagnostic.js';

/**
 * The result for a file that cannot be read: no diagnostics, `readError` one line naming it.
 * @example unreadableFile('d/b.xml', err).readError // 'cannot read d/b.xml: permission denied'
 */
export function unreadableFile(file: string, err: unknown): FileDiagnostics {
  return {
    file,
    diagnostics: [],
    errorCount: 0,
    warningCount: 0,
    readError: `cannot read ${describeSystemError(err, file)}`,
  };
}
