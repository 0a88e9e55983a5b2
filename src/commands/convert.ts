/**
 * `cisco-prov convert <profile> --to json|yaml|xml`: one profile in another notation, through its
 * parameter map — XML to JSON for `jq`, and JSON/YAML back to a profile through the XML builder.
 * The input may be in any form cisco-prov reads (plain, gzip, AES-256-CBC, aes128gcm).
 */
import type { Digest } from '../crypto/index.js';
import { badInput, usageError } from '../errors.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { refuseOutputOverSecretFile, resolveKeys, type KeyOptions } from '../io/keys.js';
import { loadProfile } from '../io/profile-input.js';
import { refuseOutputOverInput } from '../io/writer.js';
import { writeProfileText, type ProfileNotation } from '../profile/profile-formats.js';
import { ProfileFormatError } from '../profile/profile-map.js';

export interface ConvertOptions extends KeyOptions {
  to?: ProfileNotation;
  from?: ProfileNotation;
  md?: Digest;
  /** `-o`: refused when it is a file a secret came from. */
  output?: string;
}

export interface ConvertResult {
  data: string;
  binary: false;
  /** For stderr: duplicates and what was read past. Never a value. */
  warnings: string[];
}

/**
 * Converts a profile.
 * @example (await convert('profile.xml', { to: 'json' })).data // '{\n  "Station_Name": …'
 */
export async function convert(
  input: string | undefined,
  options: ConvertOptions,
): Promise<ConvertResult> {
  if (options.to === undefined) throw usageError('--to json|yaml|xml is required');
  refuseEmptyPaths({ 'the input': input });
  refuseOutputOverInput(options.output, input === undefined || input === '-' ? 0 : input);
  const keys = resolveKeys(options);
  refuseOutputOverSecretFile(options.output, keys);
  const loaded = await loadProfile(input, {
    keys,
    ...(options.md ? { md: options.md } : {}),
    ...(options.from ? { from: options.from } : {}),
  });
  const warnings = [
    ...keys.warnings,
    ...loaded.duplicates.map(
      (name) =>
        `${loaded.name}: ${name} is set more than once; only the last value is kept (as on the phone)`,
    ),
    ...loaded.warnings.map((w) => `${loaded.name}: ${w}`),
  ];
  try {
    return { data: writeProfileText(loaded.parameters, options.to), binary: false, warnings };
  } catch (err) {
    if (err instanceof ProfileFormatError) throw badInput(`${loaded.name}: ${err.message}`);
    throw err;
  }
}
