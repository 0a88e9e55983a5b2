import type { Catalog } from '../../profile/catalog.js';
import { defineRule } from '../define-rule.js';
import { NameMemo, flatCopy } from '../xml-scanner.js';
import { isSecretParameter } from '../../profile/secrets.js';
import { parsedRuleOf, ruleKindOf } from '../rule-parameters.js';

/**
 * Cisco recommends HTTPS or an encrypted profile when it carries credentials (8800 admin
 * guide, "it is recommended that HTTPS be used or the profile be encrypted"). The value is
 * never shown, only the parameter's name.
 */
const LITERAL_SECRET_OPTIONS = new Set(['key', 'pwd']);

/**
 * Whether a flat parameter's name is a secret, per catalog (the name decides the entry):
 * isSecretParameter runs two regular expressions per name, ≈ 5 % of validate's time when it
 * ran for every parameter of every file.
 */
const secretNames = new WeakMap<
  Catalog,
  { byId: NameMemo<boolean>; byName: Map<string, boolean> }
>();
const SECRET_MEMO_LIMIT = 100_000;

function secretNamesOf(catalog: Catalog): {
  byId: NameMemo<boolean>;
  byName: Map<string, boolean>;
} {
  let names = secretNames.get(catalog);
  if (!names) {
    names = { byId: new NameMemo(), byName: new Map() };
    secretNames.set(catalog, names);
  }
  return names;
}

/**
 * Whether the value is empty or white space (`value.trim() === ''`), without trimming a value
 * that starts with a printable ASCII character: nearly every value, and the trimmed copy of
 * each was ≈ 0.5 % of validate's time (10,000 × 30 KB profiles, perf).
 */
function isBlank(value: string): boolean {
  const first = value.charCodeAt(0);
  if (first > 0x20 && first < 0x7f) return false;
  return value.trim() === '';
}

export default defineRule({
  id: 'plaintext-secret',
  severity: 'warning',
  description:
    'no password, GPP_S*, IKM or literal rule --key/--pwd in a profile that is not encrypted',
  check(context) {
    if (context.encrypted) return;
    const { byId, byName } = secretNamesOf(context.catalog);
    for (const parameter of context.document.everyParameter) {
      if (parameter.nested || isBlank(parameter.value)) continue;
      // A router leaf may share a name with a flat parameter but not its entry: not kept.
      const flat = parameter.section === undefined;
      let secret = flat ? (byId.get(parameter.nameId) ?? byName.get(parameter.name)) : undefined;
      if (secret === undefined) {
        secret = isSecretParameter(parameter.name, parameter.match?.entry);
        if (flat) {
          if (parameter.nameId >= 0) byId.set(parameter.nameId, secret);
          else if (byName.size < SECRET_MEMO_LIMIT) byName.set(flatCopy(parameter.name), secret);
        }
      }
      if (secret) {
        context.report({
          offset: parameter.offset + 1,
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
