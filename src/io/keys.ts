/**
 * The --key* and --ikm* option families, resolved into a passphrase and IKM bytes for the
 * crypto core. Shared by encrypt, decrypt, validate and render.
 */
import { parseIkm } from '../crypto/envelope.js';
import { usageError } from '../errors.js';
import { warn } from './writer.js';
import { commandLineSecretWarning, resolveSecret } from './secrets.js';

export interface KeyOptions {
  key?: string;
  keyFile?: string;
  keyEnv?: string;
  ikm?: string;
  ikmFile?: string;
  ikmEnv?: string;
}

export interface ResolvedKeys {
  passphrase?: string;
  ikm?: Uint8Array;
}

/**
 * Resolves both secret families; at most one source each. A secret typed on the command line
 * is warned about at once (before any later error), through `onWarning`.
 */
export function resolveKeys(
  opts: KeyOptions,
  onWarning: (message: string) => void = warn,
): ResolvedKeys {
  const key = resolveSecret('key', { value: opts.key, file: opts.keyFile, env: opts.keyEnv });
  const ikmText = resolveSecret('ikm', { value: opts.ikm, file: opts.ikmFile, env: opts.ikmEnv });
  if (key?.fromCommandLine) onWarning(commandLineSecretWarning('key'));
  if (ikmText?.fromCommandLine) onWarning(commandLineSecretWarning('ikm'));
  const result: ResolvedKeys = {};
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
