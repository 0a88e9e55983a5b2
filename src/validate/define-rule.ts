/**
 * The shape of a rule: an id, a default severity, a one-line description (shown in `--help`
 * and the README) and a check that reports findings through its context.
 */
import type { PhoneModel } from '../device/models.js';
import type { Catalog, CatalogFamily } from '../profile/catalog.js';
import type { Severity } from './diagnostic.js';
import type { ProfileDocument, ProfileParameter } from './profile-document.js';
import type { RuleId } from './rule-ids.js';

/**
 * What an empty value (`<X/>`, `<X></X>`) is taken for. Cisco's guides contradict each other —
 * "sets an empty value" against "resets to the default" (reference §1, [open]) — so by default
 * it is accepted for every type (`accept`); `warn` reports each one (rule `empty-value`).
 * @example validateProfileText(text, { file: 'p.xml', emptyValues: 'warn' })
 */
export type EmptyValueMode = 'accept' | 'warn';

/** A finding before it has a line and column: an offset into the text. */
export interface Finding {
  offset: number;
  message: string;
  hint?: string;
}

/** What a rule sees. */
export interface RuleContext {
  readonly document: ProfileDocument;
  readonly catalog: Catalog;
  /** The phone model, when known (`--model`). */
  readonly model: PhoneModel | undefined;
  /**
   * The model's parameter family: picks family value types and reports parameters of other
   * families. Undefined without a model: then the union of all families applies.
   */
  readonly family: CatalogFamily | undefined;
  /** Whether the file was encrypted (plaintext-secret stays silent then). */
  readonly encrypted: boolean;
  /** What an empty value is taken for (`--empty-values`; default `accept`). */
  readonly emptyValues: EmptyValueMode;
  /**
   * Whether a finding may quote a value (ValidateOptions.quoteValues). When false, a rule says
   * what kind of value it got (`a string of 8 characters`), never any part of it. A secret
   * parameter's value is never quoted, whatever this says.
   */
  readonly quoteValues: boolean;
  /** Offset in the source of index `index` of a parameter's decoded value. */
  valueOffset(parameter: ProfileParameter, index: number): number;
  report(finding: Finding): void;
}

export interface Rule<Id extends RuleId = RuleId> {
  id: Id;
  severity: Severity;
  /** One line: what the rule catches. */
  description: string;
  /**
   * Rules run on a well-formed document only, except those marked `onMalformed` (the
   * well-formedness rule itself).
   */
  onMalformed?: boolean;
  check(context: RuleContext): void;
}

/**
 * Declares a rule. The id's literal type is kept, so the registry can check that each key
 * holds the rule of the same id.
 * @example export default defineRule({ id: 'invalid-ua', severity: 'error', description: '…', check(ctx) {} });
 */
export function defineRule<Id extends RuleId>(rule: Rule<Id>): Rule<Id> {
  return rule;
}
