/**
 * Which parameters hold a resync/upgrade/report rule: the catalog says so (type kind `rule`);
 * the names below are the fallback when a user catalog lacks them (reference §2).
 */
import { parseCondition, parseRule, type ParsedRule, type RuleKind } from '../profile/rule.js';
import type { ProfileParameter } from './profile-document.js';
import { flatCopy } from './xml-scanner.js';

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
  // Only names starting P, U or R, of one of the lengths of RULE_NAMES', can be one (a look-up
  // by name for every parameter was not free: the hash table's probe for ≈ 150 names a profile,
  // from this and plaintext-secret, was ≈ 1 % of a profile's instructions).
  const name = parameter.name;
  const first = name.charCodeAt(0);
  if (first !== 80 && first !== 85 && first !== 82) return undefined;
  if (name.length > 31 || ((RULE_NAME_LENGTHS >>> name.length) & 1) === 0) return undefined;
  return RULE_NAMES.get(name);
}

/** Bit n set: a name of RULE_NAMES is n characters long (each is shorter than 32). */
const RULE_NAME_LENGTHS = [...RULE_NAMES.keys()].reduce(
  (bits, name) => bits | (1 << name.length),
  0,
);

const parsed = new WeakMap<ProfileParameter, { rule: ParsedRule; leading: number }>();

/**
 * Parses by value, kept from file to file: a fleet's profiles carry the same rules (written
 * with macros such as $MA), and parsing the six rules and two triggers of each 30 KB profile
 * again was ≈ a third of the rules' time in validate. Results are shared: read, don't mutate.
 * Bounded (cleared when full); long values are parsed each time.
 */
const MEMO_LIMIT = 2_000;
const MEMO_MAX_LENGTH = 2_048;
const rulesByValue = new Map<string, ParsedRule>();
const conditionsByValue = new Map<string, ParsedRule['errors']>();

function memoised<T>(memo: Map<string, T>, key: string, make: () => T): T {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const made = make();
  if (key.length <= MEMO_MAX_LENGTH) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    // A flat copy: a value sliced from a profile would keep the whole profile alive.
    memo.set(flatCopy(key), made);
  }
  return made;
}

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
    const text = parameter.value.trim();
    result = {
      rule: memoised(rulesByValue, `${kind} ${text}`, () => parseRule(text, kind)),
      leading,
    };
    parsed.set(parameter, result);
  }
  return result;
}

/** `Resync_Trigger_<n>` holds a bare condition (Cisco: no `( )?` around it). */
export function isTriggerCondition(parameter: ProfileParameter): boolean {
  const name = parameter.name;
  return (
    name.length > 15 &&
    name.charCodeAt(7) === 84 /* T */ &&
    name.startsWith('Resync_Trigger_') &&
    /^Resync_Trigger_[0-9]+$/.test(name)
  );
}

/** Errors of a trigger condition, with offsets in the trimmed value, and the trim. */
export function triggerErrorsOf(parameter: ProfileParameter): {
  errors: ParsedRule['errors'];
  leading: number;
} {
  const leading = parameter.value.length - parameter.value.trimStart().length;
  const text = parameter.value.trim();
  return { errors: memoised(conditionsByValue, text, () => parseCondition(text).errors), leading };
}
