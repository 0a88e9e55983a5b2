/**
 * The one way out of cisco-prov. Commands throw a CliError (the core throws a DomainError,
 * src/domain-errors.ts); only the entry point (cli.ts) turns either into a message on stderr
 * and an exit code. See the exit table in README.md.
 */
import { isDomainError, type DomainErrorKind } from './domain-errors.js';

/** Exit codes, documented in `--help` and the README. */
export const ExitCode = {
  /** Everything worked. */
  Ok: 0,
  /** The input was checked and found bad: validation errors, a wrong key, a corrupt file. */
  Bad: 1,
  /** Usage or configuration error: unknown option, missing argument, bad option value. */
  Usage: 2,
  /** I/O or unexpected runtime failure: unreadable file, disk full, a bug. */
  Failure: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const CLI_ERROR_BRAND = Symbol.for('cisco-prov.CliError');

/** An error meant for the user: one line of message, an optional hint, an exit code. */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly [CLI_ERROR_BRAND] = true;

  constructor(exitCode: ExitCodeValue, message: string, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/**
 * Whether a value is a CliError — by brand, not `instanceof`: the CLI's fast CommonJS bundle
 * and the ESM chunks of the batch commands each carry their own copy of the class.
 */
export function isCliError(err: unknown): err is CliError {
  return typeof err === 'object' && err !== null && CLI_ERROR_BRAND in err;
}

/** Shorthand for a usage error (exit 2). */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(ExitCode.Usage, message, hint);
}

/** Shorthand for "input checked and found bad" (exit 1). */
export function badInput(message: string, hint?: string): CliError {
  return new CliError(ExitCode.Bad, message, hint);
}

/** Shorthand for an I/O failure (exit 3). */
export function ioError(message: string, hint?: string): CliError {
  return new CliError(ExitCode.Failure, message, hint);
}

/** One line naming the path for a Node.js system error; lives with the core's errors. */
export { describeSystemError } from './domain-errors.js';

const EXIT_CODE_OF_KIND: Record<DomainErrorKind, ExitCodeValue> = {
  usage: ExitCode.Usage,
  'bad-input': ExitCode.Bad,
  io: ExitCode.Failure,
};

/**
 * The CLI's view of any error meant for the user: a CliError as it is, a core DomainError with
 * the exit code of its kind; undefined for anything else (a bug: "unexpected failure").
 */
export function asCliError(err: unknown): CliError | undefined {
  if (isCliError(err)) return err;
  if (isDomainError(err)) return new CliError(EXIT_CODE_OF_KIND[err.kind], err.message, err.hint);
  return undefined;
}
