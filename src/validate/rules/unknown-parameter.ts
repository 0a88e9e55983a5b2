import { defineRule } from '../define-rule.js';
import { suggestNames } from '../suggest.js';

/** Cisco: the phone silently ignores unknown parameter names (reference §1). */
export default defineRule({
  id: 'unknown-parameter',
  severity: 'error',
  description:
    'every parameter (and every ATA <router-configuration> leaf) is in the catalog (built in, or extended with --catalog)',
  check(context) {
    const { parameters, routerParameters } = context.document;
    for (const parameter of [...parameters, ...routerParameters]) {
      if (parameter.nested || parameter.match) continue;
      const suggestions = suggestNames(context.catalog, parameter.name, 3, parameter.section);
      const what = parameter.section ? `${parameter.section} parameter` : 'parameter';
      context.report({
        offset: parameter.element.offset + 1,
        message:
          `unknown ${what} ${parameter.name}` +
          (suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : ''),
        hint: 'the phone ignores unknown names; add site-specific ones with --catalog <file>',
      });
    }
  },
});
