/**
 * Secrets (passphrases, IKMs) reach cisco-prov three ways: on the command line (works, but
 * visible in `ps`, so it warns), from a file (first line, trailing newline removed), or from an
 * environment variable. A secret's value never appears in a message.
 */
import { readFileSync } from 'node:fs';
import { CliError, ExitCode, describeSystemError } from '../errors.js';

export interface SecretSources {
  /** The secret itself, given on the command line. */
  value?: string | undefined;
  /** A file whose first line is the secret. */
  file?: string | undefined;
  /** An environment variable holding the secret. */
  env?: string | undefined;
}

export interface ResolvedSecret {
  value: string;
  /** Where it came from, for messages: `--key`, `--key-file <path>`, `--key-env <VAR>`. */
  origin: string;
  /** True when it was typed on the command line (the caller should warn). */
  fromCommandLine: boolean;
}

/**
 * Resolves one secret from at most one source.
 * @param flag the option's base name, e.g. `key` or `ikm`
 * @returns the secret, or undefined when no source was given
 */
export function resolveSecret(flag: string, sources: SecretSources): ResolvedSecret | undefined {
  const given = [
    sources.value !== undefined ? `--${flag}` : undefined,
    sources.file !== undefined ? `--${flag}-file` : undefined,
    sources.env !== undefined ? `--${flag}-env` : undefined,
  ].filter((x): x is string => x !== undefined);
  if (given.length > 1) {
    throw new CliError(ExitCode.Usage, `give only one of ${given.join(', ')}`);
  }
  if (sources.value !== undefined) {
    if (sources.value === '') throw new CliError(ExitCode.Usage, `--${flag} is empty`);
    return checked({ value: sources.value, origin: `--${flag}`, fromCommandLine: true });
  }
  if (sources.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(sources.file, 'utf8');
    } catch (err) {
      throw new CliError(
        ExitCode.Failure,
        `cannot read --${flag}-file ${describeSystemError(err, sources.file)}`,
      );
    }
    // The first line without its line end, every \r before the \n included: what `openssl enc
    // -kfile` reads (checked against OpenSSL 3.0: `-kfile` drops trailing \r and \n, while
    // `-pass file:` drops the \n only and keeps a \r).
    const value = (text.split('\n', 1)[0] ?? '').replace(/\r+$/, '');
    if (value === '') {
      throw new CliError(ExitCode.Usage, `--${flag}-file ${sources.file}: the first line is empty`);
    }
    return checked({ value, origin: `--${flag}-file ${sources.file}`, fromCommandLine: false });
  }
  if (sources.env !== undefined) {
    const value = process.env[sources.env];
    if (value === undefined || value === '') {
      throw new CliError(
        ExitCode.Usage,
        `--${flag}-env ${sources.env}: the environment variable is not set or empty`,
      );
    }
    return checked({ value, origin: `--${flag}-env ${sources.env}`, fromCommandLine: false });
  }
  return undefined;
}

/**
 * A secret is text: its UTF-8 bytes are the passphrase or IKM, and the phone gets it inside an
 * XML profile. Bytes that are no UTF-8 (a Latin-1 `café` in a key file, an environment variable
 * or argument in another locale) reach Node as U+FFFD, and a NUL cannot be in XML (openssl reads
 * a key file only up to it): either would make a key that nothing else derives, silently. Refused
 * (exit 2), naming where the secret came from, never its value.
 */
function checked(secret: ResolvedSecret): ResolvedSecret {
  const bad = secret.value.includes('\uFFFD')
    ? 'is not UTF-8 text (a byte that is no UTF-8 character, read as U+FFFD)'
    : secret.value.includes('\0')
      ? 'contains a NUL byte'
      : undefined;
  if (bad !== undefined) throw new CliError(ExitCode.Usage, `${secret.origin}: the secret ${bad}`);
  return secret;
}

/** The stderr warning for a secret typed on the command line. */
export function commandLineSecretWarning(flag: string): string {
  return `--${flag} on the command line is visible to other users in 'ps'; prefer --${flag}-file or --${flag}-env`;
}
