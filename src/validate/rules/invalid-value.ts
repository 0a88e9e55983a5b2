import { checkValue } from '../../profile/catalog-values.js';
import { defineRule } from '../define-rule.js';

/** Values of the guides' data types: Bool, enumerations, integer ranges, ports, hosts… */
export default defineRule({
  id: 'invalid-value',
  severity: 'error',
  description:
    "each value fits its parameter's type (Bool, choice, integer range, port, IP/FQDN, schedule…)",
  check(context) {
    for (const parameter of context.document.parameters) {
      const entry = parameter.match?.entry;
      if (!entry || parameter.nested || entry.type.kind === 'rule') continue;
      const problem = checkValue(entry.type, parameter.value);
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
