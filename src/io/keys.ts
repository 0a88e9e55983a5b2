/**
 * The --key* and --ikm* option families, resolved into a passphrase and IKM bytes for the
 * crypto core. Shared by encrypt, decrypt, validate and render.
 */
import { parseIkm } from '../crypto/envelope.js';
import { statSync } from 'node:fs';
import { usageError } from '../errors.js';
import { refuseEmptyPaths } from './empty-path.js';
import { commandLineSecretWarning, resolveSecret } from './secrets.js';

export interface KeyOptions {
  key?: string;
  keyFile?: string;
  keyEnv?: string;
  ikm?: string;
  ikmFile?: string;
  ikmEnv?: string;
  /**
   * Keys resolved already (one file's row of a `--keys` CSV: see crypto-batch.ts's
   * keysForOneFile); when given, the options above are not read again.
   */
  resolved?: ResolvedKeys;
}

export interface ResolvedKeys {
  passphrase?: string;
  ikm?: Uint8Array;
  /** For stderr: a secret was typed on the command line (visible in `ps`). */
  warnings: string[];
  /** The files the secrets came from (`device:inode`), which an output must not replace. */
  secretFiles?: { option: string; id: string }[];
}

/**
 * Resolves both secret families; at most one source each. A secret typed on the command line
 * comes back as a warning; the caller prints it.
 */
export function resolveKeys(opts: KeyOptions): ResolvedKeys {
  if (opts.resolved !== undefined) return opts.resolved;
  const key = resolveSecret('key', { value: opts.key, file: opts.keyFile, env: opts.keyEnv });
  const ikmText = resolveSecret('ikm', { value: opts.ikm, file: opts.ikmFile, env: opts.ikmEnv });
  const result: ResolvedKeys = { warnings: [] };
  if (key?.fromCommandLine) result.warnings.push(commandLineSecretWarning('key'));
  if (ikmText?.fromCommandLine) result.warnings.push(commandLineSecretWarning('ikm'));
  if (key?.exposedWarning) result.warnings.push(key.exposedWarning);
  if (ikmText?.exposedWarning) result.warnings.push(ikmText.exposedWarning);
  for (const [secret, option] of [
    [key, '--key-file'],
    [ikmText, '--ikm-file'],
  ] as const) {
    if (secret?.fileId !== undefined)
      (result.secretFiles ??= []).push({ option, id: secret.fileId });
  }
  if (key) result.passphrase = key.value;
  if (ikmText) {
    try {
      result.ikm = parseIkm(ikmText.value);
    } catch (err) {
      // The message names the encoding, never the value.
      throw usageError(`${ikmText.origin}: ${(err as Error).message}`);
    }
  }
  return result;
}

/**
 * Refuses (exit 2) a secret from stdin (`--key-file -`, `--ikm-file -`) when the input is stdin
 * too, before either is read: the key's line and the profile cannot share one stream.
 */
export function refuseSecretAndInputOnStdin(opts: KeyOptions, input: string | undefined): void {
  if (opts.resolved !== undefined || (input !== undefined && input !== '-')) return;
  const option = opts.keyFile === '-' ? '--key-file' : opts.ikmFile === '-' ? '--ikm-file' : '';
  if (option === '') return;
  throw usageError(`${option} - reads the secret from stdin: give the input as a file, not stdin`);
}

/**
 * Refuses (exit 2) an `-o` that is the file a key or IKM came from (by device and inode: any
 * path or link to it): `encrypt --key-file k -o k` replaced the key with the ciphertext it
 * sealed, and both were lost.
 */
export function refuseOutputOverSecretFile(output: string | undefined, keys: ResolvedKeys): void {
  refuseEmptyPaths({ '-o': output });
  if (keys.secretFiles === undefined || output === undefined || output === '-') return;
  let stats;
  try {
    stats = statSync(output, { throwIfNoEntry: false });
  } catch {
    // Not a file we can look at (a name too long, a directory on the way we may not search):
    // no secret file either; the write names what is wrong ("cannot write …"), not a read.
    return;
  }
  if (stats === undefined) return;
  const id = `${stats.dev}:${stats.ino}`;
  const same = keys.secretFiles.find((f) => f.id === id);
  if (same) {
    throw usageError(
      `-o ${output} is the ${same.option}: writing there would replace the secret; choose another -o`,
    );
  }
}
