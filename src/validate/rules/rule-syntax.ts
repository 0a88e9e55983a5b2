import { defineRule } from '../define-rule.js';
import { parsedRuleOf, ruleKindOf } from '../rule-parameters.js';

/** Profile_Rule / Upgrade_Rule / Report_Rule grammar (src/profile/rule.ts). */
export default defineRule({
  id: 'rule-syntax',
  severity: 'error',
  description:
    'Profile_Rule, Upgrade_Rule and Report_Rule follow the rule grammar (alternatives, conditions, assignments, options, scheme, macros)',
  check(context) {
    for (const parameter of context.document.parameters) {
      if (parameter.nested) continue;
      const kind = ruleKindOf(parameter);
      if (!kind) continue;
      const { rule, leading } = parsedRuleOf(parameter, kind);
      for (const error of rule.errors) {
        context.report({
          offset: context.valueOffset(parameter, leading + error.offset),
          message: `${parameter.name}: ${error.message}`,
        });
      }
    }
  },
});
