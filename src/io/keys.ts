/**
 * The --key* and --ikm* option families, resolved into a passphrase and IKM bytes for the
 * crypto core. Shared by encrypt, decrypt, validate and render.
 */
import { parseIkm } from '../crypto/envelope.js';
import { usageError } from '../errors.js';
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
