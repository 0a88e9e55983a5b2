/**
 * The stable rule ids of `validate`, in the order they are documented. The registry
 * (registry.ts) must hold exactly one rule for each: the compiler checks it.
 * @example RULE_IDS.includes('unknown-parameter') // true
 */
export const RULE_IDS = [
  'xml-well-formed',
  'unreadable-profile',
  'flat-profile-missing',
  'nested-parameter',
  'invalid-ua',
  'unknown-attribute',
  'duplicate-parameter',
  'non-ascii-value',
  'whitespace-value',
  'empty-value',
  'template-leftover',
  'unknown-parameter',
  'parameter-alias',
  'invalid-value',
  'rule-syntax',
  'plaintext-secret',
  'model-capacity',
  'model-family',
] as const;

/**
 * A stable kebab-case rule id.
 * @example const ignored: RuleId[] = ['plaintext-secret', 'empty-value'];
 */
export type RuleId = (typeof RULE_IDS)[number];

/**
 * Whether a string is one of the rule ids (for `--ignore-rule`).
 * @example isRuleId('unknown-parameter') // true; isRuleId('nope') // false
 */
export function isRuleId(text: string): text is RuleId {
  return (RULE_IDS as readonly string[]).includes(text);
}
