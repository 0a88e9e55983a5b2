import { isSecretParameter } from '../../profile/secrets.js';
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
      // Inside a password the "element" is more likely a piece of its value (a raw '<'): unnamed.
      const secret = isSecretParameter(parameter.name, parameter.match?.entry);
      context.report({
        offset: child.offset + 1,
        message: secret
          ? `an element is nested inside parameter ${parameter.name} (not shown: a secret)`
          : `<${child.name}> is nested inside parameter ${parameter.name}; parameters are leaf elements`,
        hint: secret
          ? "a '<' in the value is written &lt;"
          : 'move it up to be a direct child of <flat-profile>',
      });
    }
  },
});
