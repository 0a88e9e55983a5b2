import { describeUnquoted } from '../../profile/catalog-values.js';
import { defineRule } from '../define-rule.js';
import { levenshtein } from '../suggest.js';

const USER_ACCESS = ['na', 'ro', 'rw'];

/**
 * Whether an attribute name is `ua` mistyped: another case (XML names are case-sensitive, so
 * `UA` is not `ua`), one character added, dropped or changed, or two swapped (`au`).
 */
export function isMistypedUa(name: string): boolean {
  if (name === 'ua') return false;
  const lower = name.toLowerCase();
  return lower === 'ua' || lower === 'au' || levenshtein(lower, 'ua', 2) <= 1;
}

/**
 * Cisco: ua is na (hidden), ro (read-only) or rw (read/write), in double quotes; absent = the
 * access is kept (reference §1). Values are matched exactly, as the guides spell them. A
 * mistyped `ua` (`UA="na"`) is reported here too: the phone does not read it, so the access the
 * author set silently never happens — as with an unknown parameter name (reference §1), an error.
 */
export default defineRule({
  id: 'invalid-ua',
  severity: 'error',
  description: 'the ua attribute is "na", "ro" or "rw", and is spelt ua (lower case)',
  check(context) {
    for (const parameter of context.document.parameters) {
      const ua = parameter.ua;
      if (ua === undefined || USER_ACCESS.includes(ua)) continue;
      const lower = ua.trim().toLowerCase();
      context.report({
        offset: parameter.uaOffset,
        // Without quoting (see RuleContext.quoteValues) the value is described, not shown.
        message: context.quoteValues
          ? `ua="${ua}" on ${parameter.name} must be "na", "ro" or "rw"`
          : `ua on ${parameter.name} must be "na", "ro" or "rw", got ${describeUnquoted(ua)}`,
        ...(USER_ACCESS.includes(lower) ? { hint: `write ua="${lower}"` } : {}),
      });
    }
    for (const attribute of context.document.attributes) {
      const { parameter } = attribute;
      if (parameter === undefined || !isMistypedUa(attribute.name)) continue;
      const value = attribute.value.trim().toLowerCase();
      const hasUa = parameter.ua !== undefined;
      context.report({
        offset: attribute.offset,
        message:
          `attribute ${attribute.name} on ${parameter.name} is not ua` +
          (attribute.name.toLowerCase() === 'ua' ? ' (attribute names are case-sensitive)' : '') +
          `: the phone ignores it${hasUa ? '' : ', so the user access is not set'}`,
        hint:
          hasUa || !USER_ACCESS.includes(value)
            ? `the user access attribute is spelt ua, lower case`
            : `write ua="${value}"`,
      });
    }
  },
});
