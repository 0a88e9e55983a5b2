/**
 * The last step of every run that failed: one line on stderr (and a hint), and the exit code.
 * Shared by the CLI (src/cli.ts, after commander's own errors) and the one-shot path without
 * commander (src/cli-oneshot.ts), so both report a failure alike.
 */
import { ExitCode, asCliError, type ExitCodeValue } from '../errors.js';
import { escapeControlsKeepingLines } from './terminal-text.js';

/**
 * Turns any thrown value into one line on stderr and an exit code. Never a stack trace (unless
 * CISCO_PROV_DEBUG is set, for an unexpected failure).
 * @example process.exitCode = reportFailure(err)
 */
export function reportFailure(err: unknown): ExitCodeValue {
  const userError = asCliError(err);
  if (userError) {
    // A message names files and echoes values (a file name from a directory walk, a server's
    // status line): whatever the terminal would act on is shown as an escape instead.
    process.stderr.write(`cisco-prov: ${escapeControlsKeepingLines(userError.message)}\n`);
    if (userError.hint) {
      process.stderr.write(`  hint: ${escapeControlsKeepingLines(userError.hint)}\n`);
    }
    return userError.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`cisco-prov: unexpected failure: ${escapeControlsKeepingLines(message)}\n`);
  if (process.env.CISCO_PROV_DEBUG && err instanceof Error && err.stack) {
    process.stderr.write(`${err.stack}\n`);
  }
  return ExitCode.Failure;
}
