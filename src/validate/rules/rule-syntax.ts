import { defineRule } from '../define-rule.js';
import {
  isTriggerCondition,
  parsedRuleOf,
  ruleKindOf,
  triggerErrorsOf,
} from '../rule-parameters.js';

/** Profile_Rule / Upgrade_Rule / Report_Rule grammar (src/profile/rule.ts). */
export default defineRule({
  id: 'rule-syntax',
  severity: 'error',
  description:
    'Profile_Rule, Upgrade_Rule and Report_Rule follow the rule grammar (alternatives, conditions, assignments, options, scheme, macros); Resync_Trigger_n holds a bare condition',
  check(context) {
    for (const parameter of context.document.parameters) {
      if (parameter.nested) continue;
      const kind = ruleKindOf(parameter);
      let found;
      if (kind) {
        const { rule, leading } = parsedRuleOf(parameter, kind);
        found = { errors: rule.errors, leading };
      } else if (isTriggerCondition(parameter)) {
        found = triggerErrorsOf(parameter);
      } else continue;
      const { errors, leading } = found;
      for (const error of errors) {
        context.report({
          offset: context.valueOffset(parameter, leading + error.offset),
          // A scheme, port or macro name may be a piece of a value: not quoted when values
          // may not be (see RuleContext.quoteValues).
          message: `${parameter.name}: ${context.quoteValues ? error.message : (error.unquoted ?? error.message)}`,
        });
      }
    }
  },
});
