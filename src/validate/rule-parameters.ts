/**
 * Which parameters hold a resync/upgrade/report rule: the catalog says so (type kind `rule`);
 * the names below are the fallback when a user catalog lacks them (reference §2).
 */
import { parseCondition, parseRule, type ParsedRule, type RuleKind } from '../profile/rule.js';
import type { ProfileParameter } from './profile-document.js';

const RULE_NAMES: ReadonlyMap<string, RuleKind> = new Map([
  ['Profile_Rule', 'profile'],
  ['Profile_Rule_B', 'profile'],
  ['Profile_Rule_C', 'profile'],
  ['Profile_Rule_D', 'profile'],
  ['Upgrade_Rule', 'upgrade'],
  ['Report_Rule', 'report'],
]);

/** The rule kind of a parameter, or undefined when it holds no rule. */
export function ruleKindOf(parameter: ProfileParameter): RuleKind | undefined {
  const type = parameter.match?.entry.type;
  if (type?.kind === 'rule') return type.rule;
  return RULE_NAMES.get(parameter.name);
}

const parsed = new WeakMap<ProfileParameter, { rule: ParsedRule; leading: number }>();

/**
 * Parses a parameter's rule once per validation (rule-syntax and plaintext-secret both need
 * it). `leading` is the white space the phone trims before the rule text.
 */
export function parsedRuleOf(
  parameter: ProfileParameter,
  kind: RuleKind,
): { rule: ParsedRule; leading: number } {
  let result = parsed.get(parameter);
  if (!result) {
    const leading = /^\s*/.exec(parameter.value)?.[0].length ?? 0;
    result = { rule: parseRule(parameter.value.trim(), kind), leading };
    parsed.set(parameter, result);
  }
  return result;
}

/** `Resync_Trigger_<n>` holds a bare condition (Cisco: no `( )?` around it). */
export function isTriggerCondition(parameter: ProfileParameter): boolean {
  const name = parameter.name;
  return name.startsWith('Resync_Trigger_') && /^Resync_Trigger_[0-9]+$/.test(name);
}

/** Errors of a trigger condition, with offsets in the trimmed value, and the trim. */
export function triggerErrorsOf(parameter: ProfileParameter): {
  errors: ParsedRule['errors'];
  leading: number;
} {
  const leading = parameter.value.length - parameter.value.trimStart().length;
  return { errors: parseCondition(parameter.value.trim()).errors, leading };
}
