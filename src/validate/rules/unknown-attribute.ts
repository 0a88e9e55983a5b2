import { defineRule } from '../define-rule.js';
import { levenshtein } from '../suggest.js';
import { isMistypedUa } from './invalid-ua.js';

/**
 * Attributes a parameter may carry besides `ua`: `preserve-value` (newer guides, reference §1),
 * and `group` (the web-UI tab and section, e.g. `group="System/System_Configuration"`, which
 * SPA-era phones write into their own configuration exports [field]).
 */
const PARAMETER_ATTRIBUTES = ['preserve-value', 'group'];

/** XML's own attributes (namespace declarations, `xml:lang`): no instruction to the phone. */
function isXmlAttribute(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xml:');
}

function suggestion(name: string): string | undefined {
  const lower = name.toLowerCase();
  return PARAMETER_ATTRIBUTES.find((known) => levenshtein(lower, known, 3) <= 2);
}

/**
 * An attribute the reference does not document: the phone reads `ua` (and `preserve-value`) on
 * a parameter and nothing on `<flat-profile>`, the elements around it or the ATA's group
 * elements (reference §1). It ignores the rest, as it ignores unknown names — but unlike a
 * mistyped `ua` (rule `invalid-ua`, an error), nothing the phone would have read is lost, so a
 * warning.
 */
export default defineRule({
  id: 'unknown-attribute',
  severity: 'warning',
  description:
    'an attribute the phone does not read: on a parameter anything but ua, preserve-value and group; any attribute on <flat-profile> or a group element',
  check(context) {
    for (const attribute of context.document.attributes) {
      const { name, parameter } = attribute;
      if (isXmlAttribute(name)) continue;
      if (parameter !== undefined) {
        if (PARAMETER_ATTRIBUTES.includes(name) || isMistypedUa(name)) continue;
        const known = suggestion(name);
        context.report({
          offset: attribute.offset,
          message:
            `unknown attribute ${name} on ${parameter.name}; the phone ignores it` +
            (known ? `; did you mean ${known}?` : ''),
          hint: 'a parameter takes ua="na|ro|rw" (user access) and preserve-value',
        });
        continue;
      }
      const where = `<${attribute.element.name}>`;
      context.report({
        offset: attribute.offset,
        message:
          name === 'ua' || isMistypedUa(name)
            ? `attribute ${name} on ${where} has no effect: the phone reads ua on each parameter`
            : `unknown attribute ${name} on ${where}; the phone ignores it`,
        hint: 'the phone reads attributes only on parameters (ua="na|ro|rw")',
      });
    }
  },
});
