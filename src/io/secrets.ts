/**
 * Secrets (passphrases, IKMs) reach cisco-prov three ways: on the command line (works, but
 * visible in `ps`, so it warns), from a file (first line, trailing newline removed), or from an
 * environment variable. A secret's value never appears in a message.
 */
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { CliError, ExitCode, describeSystemError } from '../errors.js';
import { refuseEmptyPaths } from './empty-path.js';

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
  /** For stderr: the key file can be read by other users (see {@link exposedFileWarning}). */
  exposedWarning?: string;
  /** The key file's `device:inode`, when it is one (an output must not replace it). */
  fileId?: string;
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
    refuseEmptyPaths({ [`--${flag}-file`]: sources.file });
    if (sources.file === '-') {
      if (secretFromStdin !== undefined) {
        throw new CliError(
          ExitCode.Usage,
          `${secretFromStdin} - and --${flag}-file -: only one secret can come from stdin`,
        );
      }
      secretFromStdin = `--${flag}-file`;
    }
    let text: string | undefined;
    let exposedWarning: string | undefined;
    let fileId: string | undefined;
    try {
      ({ text, exposedWarning, fileId } = readFirstLine(sources.file, `--${flag}-file`));
    } catch (err) {
      throw new CliError(
        ExitCode.Failure,
        `cannot read --${flag}-file ${describeSystemError(err, sources.file)}`,
      );
    }
    if (text === undefined) {
      throw new CliError(
        ExitCode.Usage,
        `--${flag}-file ${sources.file}: no line end in its first ${FIRST_LINE_LIMIT} bytes: not a key file`,
      );
    }
    // The first line without its line end, every \r before the \n included: what `openssl enc
    // -kfile` reads (checked against OpenSSL 3.0: `-kfile` drops trailing \r and \n, while
    // `-pass file:` drops the \n only and keeps a \r).
    const value = (text.split('\n', 1)[0] ?? '').replace(/\r+$/, '');
    if (value === '') {
      throw new CliError(ExitCode.Usage, `--${flag}-file ${sources.file}: the first line is empty`);
    }
    return checked({
      value,
      origin: `--${flag}-file ${sources.file}`,
      fromCommandLine: false,
      ...(exposedWarning !== undefined ? { exposedWarning } : {}),
      ...(fileId !== undefined ? { fileId } : {}),
    });
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

/** The option that read its secret from stdin (`--key-file -`), if one did: stdin is taken. */
let secretFromStdin: string | undefined;

/**
 * Refuses (exit 2) to read an input from stdin once a secret was read from it (`--key-file -`):
 * the key's line and the profile would be one stream.
 */
export function refuseStdinTakenBySecret(): void {
  if (secretFromStdin === undefined) return;
  throw new CliError(
    ExitCode.Usage,
    `${secretFromStdin} - reads the secret from stdin: give the input as a file, not stdin`,
  );
}

/** How far a key file is read for its first line: a passphrase is tens of bytes. */
const FIRST_LINE_LIMIT = 64 * 1024;

/**
 * The start of a key file up to its first \n (or its end), read no further than
 * FIRST_LINE_LIMIT: `--key-file /dev/zero` or a mistyped name of a large file must not read
 * forever or fill memory. A pipe (`--key-file <(pass show phones)`) is read up to its first line.
 * @param option the option that named the file, for the warning
 * @returns `text` undefined when there is no line end within FIRST_LINE_LIMIT bytes
 */
function readFirstLine(
  path: string,
  option: string,
): { text: string | undefined; exposedWarning: string | undefined; fileId: string | undefined } {
  // `-`: stdin (`--key-file -`, as openssl's `-pass stdin`), read to its first line only.
  const fd = path === '-' ? 0 : openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    const exposedWarning = exposedFileWarning(option, path === '-' ? '<stdin>' : path, stats);
    const fileId = stats.isFile() ? `${stats.dev}:${stats.ino}` : undefined;
    const buffer = Buffer.alloc(FIRST_LINE_LIMIT);
    let length = 0;
    while (length < FIRST_LINE_LIMIT) {
      const n = readSomeSync(fd, buffer, length, FIRST_LINE_LIMIT - length);
      if (n === 0 || buffer.subarray(length, length + n).includes(10)) {
        return { text: buffer.toString('utf8', 0, length + n), exposedWarning, fileId };
      }
      length += n;
    }
    return { text: undefined, exposedWarning, fileId };
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** readSync that waits out EAGAIN (a non-blocking stdin pipe with nothing in it yet). */
function readSomeSync(fd: number, buffer: Buffer, offset: number, length: number): number {
  for (;;) {
    try {
      return readSync(fd, buffer, offset, length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** Files warned about already: a file given twice (`--key-file k --keys k`) is said once. */
const warnedFiles = new Set<string>();

/**
 * The stderr warning for a file of secrets (`--key-file`, `--ikm-file`, `--keys`) that users
 * other than its owner can read — its group or everyone (mode & 0o044), as ssh says of a private
 * key, but a warning, not a refusal: the command still runs. Only for a regular file: stdin, a
 * pipe (`<(pass show phones)`) or a `/dev/fd/N` is nobody else's to read. Once per file and process.
 * @param stats the file's, from fstat of the open descriptor (the file that was read)
 * @returns undefined when the file is private (or not a regular file, or warned about already)
 */
export function exposedFileWarning(option: string, path: string, stats: Stats): string | undefined {
  if (!stats.isFile() || (stats.mode & 0o044) === 0) return undefined;
  if (/^\/(dev|proc)\//.test(path)) return undefined;
  const id = `${stats.dev}:${stats.ino}`;
  if (warnedFiles.has(id)) return undefined;
  warnedFiles.add(id);
  const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
  const who = (stats.mode & 0o004) !== 0 ? 'every user' : 'its group';
  return `${option} ${path} can be read by ${who} (mode ${mode}); a file of secrets should be readable by its owner only: chmod 600 it`;
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
