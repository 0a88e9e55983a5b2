/**
 * Every rule, keyed by id. `satisfies` makes the compiler check the table is complete (one
 * rule per RuleId) and that each key holds the rule of the same id.
 */
import type { Rule } from './define-rule.js';
import { RULE_IDS, type RuleId } from './rule-ids.js';
import duplicateParameter from './rules/duplicate-parameter.js';
import emptyValue from './rules/empty-value.js';
import flatProfileMissing from './rules/flat-profile-missing.js';
import invalidUa from './rules/invalid-ua.js';
import invalidValue from './rules/invalid-value.js';
import modelCapacity from './rules/model-capacity.js';
import modelFamily from './rules/model-family.js';
import nestedParameter from './rules/nested-parameter.js';
import nonAsciiValue from './rules/non-ascii-value.js';
import parameterAlias from './rules/parameter-alias.js';
import plaintextSecret from './rules/plaintext-secret.js';
import ruleSyntax from './rules/rule-syntax.js';
import templateLeftover from './rules/template-leftover.js';
import unknownAttribute from './rules/unknown-attribute.js';
import unknownParameter from './rules/unknown-parameter.js';
import unreadableProfile from './rules/unreadable-profile.js';
import whitespaceValue from './rules/whitespace-value.js';
import xmlWellFormed from './rules/xml-well-formed.js';

/**
 * Every rule by id, exactly one per RULE_IDS entry (the `satisfies` below makes the compiler
 * check it).
 * @example RULES['unknown-parameter'].severity // 'error'
 */
export const RULES = {
  'xml-well-formed': xmlWellFormed,
  'unreadable-profile': unreadableProfile,
  'flat-profile-missing': flatProfileMissing,
  'nested-parameter': nestedParameter,
  'invalid-ua': invalidUa,
  'unknown-attribute': unknownAttribute,
  'duplicate-parameter': duplicateParameter,
  'non-ascii-value': nonAsciiValue,
  'whitespace-value': whitespaceValue,
  'empty-value': emptyValue,
  'template-leftover': templateLeftover,
  'unknown-parameter': unknownParameter,
  'parameter-alias': parameterAlias,
  'invalid-value': invalidValue,
  'rule-syntax': ruleSyntax,
  'plaintext-secret': plaintextSecret,
  'model-capacity': modelCapacity,
  'model-family': modelFamily,
} as const satisfies { [Id in RuleId]: Rule<Id> };

/** The rules in documentation order. */
export const RULE_LIST: readonly Rule[] = RULE_IDS.map((id) => RULES[id] as Rule);
