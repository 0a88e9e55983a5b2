import { defineRule } from '../define-rule.js';
import { isSecretParameter } from '../../profile/secrets.js';
import { parsedRuleOf, ruleKindOf } from '../rule-parameters.js';

/**
 * Cisco recommends HTTPS or an encrypted profile when it carries credentials (8800 admin
 * guide, "it is recommended that HTTPS be used or the profile be encrypted"). The value is
 * never shown, only the parameter's name.
 */
const LITERAL_SECRET_OPTIONS = new Set(['key', 'pwd']);

export default defineRule({
  id: 'plaintext-secret',
  severity: 'warning',
  description:
    'no password, GPP_S*, IKM or literal rule --key/--pwd in a profile that is not encrypted',
  check(context) {
    if (context.encrypted) return;
    const { parameters, routerParameters } = context.document;
    for (const parameter of [...parameters, ...routerParameters]) {
      if (parameter.nested || parameter.value.trim() === '') continue;
      const entry = parameter.match?.entry;
      const secret = isSecretParameter(parameter.name, entry);
      if (secret) {
        context.report({
          offset: parameter.element.offset + 1,
          message: `${parameter.name} holds a secret in a profile that is not encrypted`,
          hint: 'encrypt the profile (cisco-prov encrypt) or serve it only over HTTPS',
        });
        continue;
      }
      const kind = ruleKindOf(parameter);
      if (!kind) continue;
      const { rule, leading } = parsedRuleOf(parameter, kind);
      for (const alternative of rule.alternatives) {
        for (const option of alternative.options) {
          if (!LITERAL_SECRET_OPTIONS.has(option.name) || option.value === undefined) continue;
          if (/^\$(\(S[A-D]\)|S[A-D])$/.test(option.value)) continue; // a GPP_S* macro: fine
          context.report({
            offset: context.valueOffset(parameter, leading + option.offset),
            message: `${parameter.name} carries a literal --${option.name} in a profile that is not encrypted`,
            hint: `keep it in GPP_SA..GPP_SD and write --${option.name} $SA, or encrypt the profile`,
          });
        }
      }
    }
  },
});
