/**
 * `cisco-prov diff <a> <b>`: which parameters differ between two profiles, in any form cisco-prov
 * reads. Order is ignored, values are compared as the phone reads them (trimmed, newline = space,
 * then by the parameter's catalog type as `drift` does; `exact` compares text), secrets are masked
 * unless asked. Exit as diff(1): 0 same, 1 different, 2 trouble.
 */
import type { Digest } from '../crypto/index.js';
import { ExitCode, usageError } from '../errors.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { resolveKeys, type KeyOptions } from '../io/keys.js';
import { loadProfile } from '../io/profile-input.js';
import { lookupParameter } from '../profile/catalog.js';
import { DEFAULT_CATALOG } from '../profile/catalog-data/index.js';
import type { ProfileNotation } from '../profile/profile-formats.js';
import {
  compareProfiles,
  type ComparedAttribute,
  type ProfileEntry,
} from '../profile/profile-map.js';
import { sameSetting } from '../profile/drift.js';
import { SECRET_MASK, isSecretParameter } from '../profile/secrets.js';
import type { DiffEntry, DiffResult } from '../output/diff-format.js';

export interface DiffOptions extends KeyOptions {
  md?: Digest;
  from?: ProfileNotation;
  showSecrets?: boolean;
  /**
   * Compare values as text (trimmed, a newline read as a space) instead of by the parameter's
   * type: then `Yes`/`yes` and `16`/`0x10` differ.
   */
  exact?: boolean;
}

/**
 * Whether two values of a parameter are the same setting as the phone reads them: by the
 * catalog type of the parameter (Bool and choices case-insensitive, integers, ports and times
 * by number), as `drift` compares; text for a parameter the catalog does not know.
 */
function samePhoneSetting(name: string, a: string, b: string): boolean {
  return sameSetting(lookupParameter(DEFAULT_CATALOG, name)?.entry.type, a, b);
}

/** Whether a parameter's values are secret: the catalog's flag, else the shared name patterns. */
function isSecretParameterName(name: string): boolean {
  return isSecretParameter(name, lookupParameter(DEFAULT_CATALOG, name)?.entry);
}

function shown(entry: ProfileEntry | undefined, secret: boolean): string | null {
  if (entry === undefined) return null;
  return secret && entry.value !== '' ? SECRET_MASK : entry.value;
}

/** The values an attribute is documented with (reference §1): what is shown even on a secret. */
const ATTRIBUTE_WORDS: Readonly<Record<ComparedAttribute, readonly string[]>> = {
  ua: ['na', 'ro', 'rw'],
  'preserve-value': ['y', 'n', 'yes', 'no'],
};

/**
 * An attribute's value for output. On a secret parameter (values masked) only a documented word
 * is shown: `<Password_1_ ua="hunter2">` (the password typed into the wrong place) is masked.
 */
function shownAttribute(
  attribute: ComparedAttribute,
  value: string | undefined,
  secret: boolean,
): string | null {
  if (value === undefined) return null;
  if (!secret || ATTRIBUTE_WORDS[attribute].includes(value.trim().toLowerCase())) return value;
  return SECRET_MASK;
}

/**
 * Compares two profiles.
 * @example await diff('old.xml', 'new.cfg', { keyEnv: 'PROV_KEY' }) // { changes: [...], exitCode: 1 }
 */
export async function diff(
  a: string,
  b: string,
  options: DiffOptions,
): Promise<DiffResult & { warnings: string[] }> {
  refuseEmptyPaths({ 'the first profile (<a>)': a, 'the second profile (<b>)': b });
  if (a === '-' && b === '-') throw usageError('only one of the two profiles can be stdin (-)');
  const keys = resolveKeys(options);
  const load = (path: string) =>
    loadProfile(path, {
      keys,
      badInputExit: ExitCode.Usage,
      ...(options.md ? { md: options.md } : {}),
      ...(options.from ? { from: options.from } : {}),
    });
  const left = await load(a);
  const right = await load(b);
  const notes: string[] = [];
  for (const side of [left, right]) {
    for (const name of side.duplicates) {
      notes.push(
        `${side.name}: ${name} is set more than once; the last value counts (as on the phone)`,
      );
    }
    for (const warning of side.warnings) notes.push(`${side.name}: ${warning}`);
  }
  const changes = compareProfiles(
    left.parameters,
    right.parameters,
    options.exact === true ? {} : { sameValue: samePhoneSetting },
  ).map((c): DiffEntry => {
    const secret = !options.showSecrets && isSecretParameterName(c.name);
    const entry: DiffEntry = {
      name: c.name,
      change: c.change,
      a: shown(c.a, secret),
      b: shown(c.b, secret),
      secret,
      valueChanged: c.valueChanged,
    };
    for (const attribute of c.attributesChanged) {
      entry[attribute] = {
        a: shownAttribute(attribute, c.a?.[attribute], secret),
        b: shownAttribute(attribute, c.b?.[attribute], secret),
      };
    }
    return entry;
  });
  return {
    warnings: keys.warnings,
    a: left.name,
    b: right.name,
    changes,
    notes,
    exitCode: changes.length === 0 ? ExitCode.Ok : ExitCode.Bad,
  };
}
