import { defineRule } from '../define-rule.js';

/** A parameter is a leaf element: the phone does not read elements nested inside one. */
export default defineRule({
  id: 'nested-parameter',
  severity: 'error',
  description: 'parameters are leaf elements: no element nested inside a parameter',
  check(context) {
    for (const parameter of context.document.parameters) {
      const child = parameter.firstChild;
      if (!parameter.nested || !child) continue;
      context.report({
        offset: child.offset + 1,
        message: `<${child.name}> is nested inside parameter ${parameter.name}; parameters are leaf elements`,
        hint: 'move it up to be a direct child of <flat-profile>',
      });
    }
  },
});
