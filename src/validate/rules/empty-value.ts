import { defineRule } from '../define-rule.js';

/** Space, TAB and LF only: what the phone strips from a value (reference §1). */
const BLANK = /^[ \t\n]*$/;

/**
 * An empty value is contradictory in Cisco's guides (reference §1, [open]): `<GPP_A></GPP_A>`
 * and `<GPP_A/>` "set an empty value", while the data-types note says an empty value resets the
 * parameter to its default. The default (`--empty-values accept`) accepts it for every type; with
 * `warn` each one is reported, so a fleet can be kept free of the ambiguity. An element with
 * only `ua` (`<X ua="rw"/>`) is left alone: the guides use it to change access, not the value.
 */
export default defineRule({
  id: 'empty-value',
  severity: 'warning',
  description:
    'with --empty-values warn: an empty value, which the guides read as "empty" or as "reset to default"',
  check(context) {
    if (context.emptyValues !== 'warn') return;
    const { parameters, routerParameters } = context.document;
    for (const list of [parameters, routerParameters]) {
      for (const parameter of list) {
        if (parameter.nested || parameter.ua !== undefined || !BLANK.test(parameter.value))
          continue;
        context.report({
          offset: parameter.offset + 1,
          message: `${parameter.name} is empty: Cisco's guides disagree whether that sets an empty value or resets the default`,
          hint: 'write the value the phone should have, or leave the parameter out to keep its current value',
        });
      }
    }
  },
});
