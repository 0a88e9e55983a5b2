import {
  entryTypeOn,
  type Catalog,
  type CatalogEntry,
  type CatalogFamily,
} from '../../profile/catalog.js';
import { checkValue } from '../../profile/catalog-values.js';
import { isSecretParameter } from '../../profile/secrets.js';
import { defineRule } from '../define-rule.js';
import type { ProfileParameter } from '../profile-document.js';
import { NameMemo, flatCopy } from '../xml-scanner.js';

/**
 * The problem with a value on a family, or on any family when none is given: without a model
 * a value that fits one family's type (the ATA's numeric code or the desk phone's word) passes.
 */
function checkEntryValue(
  entry: CatalogEntry,
  value: string,
  family: CatalogFamily | undefined,
  quoteValues = true,
): string | undefined {
  if (family !== undefined) return checkValue(entryTypeOn(entry, family), value, quoteValues);
  const problem = checkValue(entry.type, value, quoteValues);
  if (problem === undefined || !entry.familyTypes) return problem;
  for (const type of Object.values(entry.familyTypes)) {
    if (type && checkValue(type, value) === undefined) return undefined;
  }
  return problem;
}

/**
 * Verdicts remembered by name and value, per catalog and family: a fleet's profiles repeat
 * the same `<Name>value</Name>` lines (a Bool's Yes or No, an enumeration's choices, a host),
 * and checking each value again was ≈ 15 % of validate's time (10,000 × 30 KB profiles,
 * in-process: 50 µs of a 300 µs profile). Only what depends on nothing else is kept: the
 * problem text for a flat parameter's value (a router leaf may share a name with a flat
 * parameter but not its entry). Never for a secret's value (it would sit in the memo as a key),
 * nor for a free-text type (nothing to check, and its values rarely repeat). Bounded: at most
 * VALUES_PER_NAME values per name, short values only, all cleared past VERDICT_LIMIT.
 */
const VALUES_PER_NAME = 16;
const VALUE_MAX_LENGTH = 64;
const VERDICT_LIMIT = 50_000;
/** Problems by value (null: the value fits), by name id; `kept` counts the values. */
interface Verdicts {
  byName: NameMemo<KnownValues>;
  kept: number;
}

/**
 * A name's values seen so far and their problems (null: the value fits), side by side, looked
 * through in order: a name's value is mostly the same from profile to profile, found first
 * try by comparing it, where a Map hashed each value (a new string from every file) before
 * looking it up — ≈ 1.3 % of a profile's instructions (issue 12).
 */
interface KnownValues {
  values: string[];
  problems: (string | null)[];
}

/** The known problem of `value` (null: it fits), or undefined when it is not known. */
function knownProblem(known: KnownValues, value: string): string | null | undefined {
  const values = known.values;
  for (let i = 0; i < values.length; i++) if (values[i] === value) return known.problems[i];
  return undefined;
}
const verdictMemos = new WeakMap<Catalog, Map<CatalogFamily | '', Verdicts>>();

function verdictsFor(catalog: Catalog, family: CatalogFamily | undefined): Verdicts {
  let byFamily = verdictMemos.get(catalog);
  if (!byFamily) {
    byFamily = new Map();
    verdictMemos.set(catalog, byFamily);
  }
  let verdicts = byFamily.get(family ?? '');
  if (!verdicts) {
    verdicts = { byName: new NameMemo(), kept: 0 };
    byFamily.set(family ?? '', verdicts);
  }
  return verdicts;
}

/** The problem with a parameter's value (see checkEntryValue), remembered when it may be. */
function problemOf(
  parameter: ProfileParameter,
  entry: CatalogEntry,
  family: CatalogFamily | undefined,
  verdicts: Verdicts,
): string | undefined {
  const value = parameter.value;
  if (
    parameter.nameId < 0 ||
    parameter.section !== undefined ||
    entry.secret === true ||
    entry.type.kind === 'free' ||
    value.length > VALUE_MAX_LENGTH
  ) {
    return checkEntryValue(entry, value, family);
  }
  let byValue = verdicts.byName.get(parameter.nameId);
  const known = byValue && knownProblem(byValue, value);
  if (known !== undefined) return known ?? undefined;
  const problem = checkEntryValue(entry, value, family);
  if (verdicts.kept >= VERDICT_LIMIT) {
    verdicts.byName = new NameMemo();
    verdicts.kept = 0;
    byValue = undefined;
  }
  if (byValue === undefined) {
    byValue = { values: [], problems: [] };
    verdicts.byName.set(parameter.nameId, byValue);
  }
  if (byValue.values.length < VALUES_PER_NAME) {
    // A flat copy: a value sliced from a profile would keep the whole profile alive.
    byValue.values.push(flatCopy(value));
    byValue.problems.push(problem ?? null);
    verdicts.kept++;
  }
  return problem;
}

const NOT_SHOWN = ' (value not shown)';

/** Values of the guides' data types: Bool, enumerations, integer ranges, ports, hosts… */
export default defineRule({
  id: 'invalid-value',
  severity: 'error',
  description:
    "each value fits its parameter's type (Bool, choice, integer range, port, IP/FQDN, schedule…); with --model, the model family's type",
  check(context) {
    const verdicts = verdictsFor(context.catalog, context.family);
    for (const parameter of context.document.everyParameter) {
      const entry = parameter.match?.entry;
      if (!entry || parameter.nested || entry.type.kind === 'rule') continue;
      const problem = problemOf(parameter, entry, context.family, verdicts);
      if (problem === undefined) continue;
      const leading = parameter.value.length - parameter.value.trimStart().length;
      // A secret parameter's value (by the catalog, else the shared classifier) is never
      // quoted; nor is any value when the context says so (render of a device with secrets).
      // Asked only here, for a value that does not fit: nothing is added per value.
      const secret = isSecretParameter(parameter.name, entry);
      let message = problem;
      if (secret || !context.quoteValues) {
        message =
          checkEntryValue(entry, parameter.value, context.family, false) ??
          'value does not fit its type';
        if (secret && !message.endsWith(NOT_SHOWN)) message += NOT_SHOWN;
      }
      context.report({
        offset: context.valueOffset(parameter, leading),
        message: `${parameter.name}: ${message}`,
      });
    }
  },
});
