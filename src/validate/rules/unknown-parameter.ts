import { defineRule } from '../define-rule.js';
import { suggestNames } from '../suggest.js';

/**
 * "Did you mean" for at most this many unknown names per file: each costs distances to the
 * catalog names of about its length, and a file of 300,000 unknown names took minutes
 * (issue 10). Later names are still reported, without suggestions.
 */
export const SUGGESTIONS_PER_FILE = 100;

/** Cisco: the phone silently ignores unknown parameter names (reference §1). */
export default defineRule({
  id: 'unknown-parameter',
  severity: 'error',
  description:
    'every parameter (and every ATA <router-configuration> leaf) is in the catalog (built in, or extended with --catalog)',
  check(context) {
    let suggestionsLeft = SUGGESTIONS_PER_FILE;
    for (const parameter of context.document.everyParameter) {
      if (parameter.nested || parameter.match) continue;
      const suggestions =
        suggestionsLeft-- > 0
          ? suggestNames(context.catalog, parameter.name, 3, parameter.section)
          : [];
      const what = parameter.section ? `${parameter.section} parameter` : 'parameter';
      context.report({
        offset: parameter.offset + 1,
        message:
          `unknown ${what} ${parameter.name}` +
          (suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : ''),
        hint: 'the phone ignores unknown names; add site-specific ones with --catalog <file>',
      });
    }
  },
});
