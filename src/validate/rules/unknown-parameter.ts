import { defineRule } from '../define-rule.js';
import { suggestNames } from '../suggest.js';

/** Cisco: the phone silently ignores unknown parameter names (reference §1). */
export default defineRule({
  id: 'unknown-parameter',
  severity: 'error',
  description: 'every parameter is in the catalog (built in, or extended with --catalog)',
  check(context) {
    for (const parameter of context.document.parameters) {
      if (parameter.nested || parameter.match) continue;
      const suggestions = suggestNames(context.catalog, parameter.name);
      context.report({
        offset: parameter.element.offset + 1,
        message:
          `unknown parameter ${parameter.name}` +
          (suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : ''),
        hint: 'the phone ignores unknown names; add site-specific ones with --catalog <file>',
      });
    }
  },
});
