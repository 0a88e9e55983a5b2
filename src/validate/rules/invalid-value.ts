import { entryTypeOn, type CatalogEntry, type CatalogFamily } from '../../profile/catalog.js';
import { checkValue } from '../../profile/catalog-values.js';
import { defineRule } from '../define-rule.js';

/**
 * The problem with a value on a family, or on any family when none is given: without a model
 * a value that fits one family's type (the ATA's numeric code or the desk phone's word) passes.
 */
function checkEntryValue(
  entry: CatalogEntry,
  value: string,
  family: CatalogFamily | undefined,
): string | undefined {
  if (family !== undefined) return checkValue(entryTypeOn(entry, family), value);
  const problem = checkValue(entry.type, value);
  if (problem === undefined || !entry.familyTypes) return problem;
  for (const type of Object.values(entry.familyTypes)) {
    if (type && checkValue(type, value) === undefined) return undefined;
  }
  return problem;
}

/** Values of the guides' data types: Bool, enumerations, integer ranges, ports, hosts… */
export default defineRule({
  id: 'invalid-value',
  severity: 'error',
  description:
    "each value fits its parameter's type (Bool, choice, integer range, port, IP/FQDN, schedule…); with --model, the model family's type",
  check(context) {
    for (const parameter of context.document.everyParameter) {
      const entry = parameter.match?.entry;
      if (!entry || parameter.nested || entry.type.kind === 'rule') continue;
      const problem = checkEntryValue(entry, parameter.value, context.family);
      if (problem === undefined) continue;
      const leading = parameter.value.length - parameter.value.trimStart().length;
      const secret = entry.secret === true && entry.type.kind !== 'password';
      context.report({
        offset: context.valueOffset(parameter, leading),
        // checkValue never repeats a password's value; for other secrets we drop the detail.
        message: secret
          ? `${parameter.name}: value does not fit its type (value not shown)`
          : `${parameter.name}: ${problem}`,
      });
    }
  },
});
