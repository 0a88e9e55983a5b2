/**
 * A rule through the phone's eyes: which alternative it takes, what it assigns, and the URL and
 * options it ends up with after macro expansion. Pure: values in, data out.
 *
 * Sources: docs/cisco-mpp-reference.md §2; Cisco IP Phone 8800 Series Multiplatform Phone
 * Administration Guide, "Profile Rules" ("Conditions are evaluated from left to right, until one
 * is found that evaluates as true (or until one alternative is found with no conditional
 * expression)"; "If all alternatives have conditional expressions, and none evaluates to true …
 * the entire Profile_Rule* parameter is skipped"), "Conditional Expressions" and "Macro Expansion
 * Variables"; Cisco Small Business Provisioning Guide, "Assignment Expressions" ("the assignment
 * [is] performed before the profile is retrieved … macro-expansion applies"; GPP_A..GPP_P may be
 * written as the single lower-case letters a..p).
 *
 * The grammar is the one `validate` checks ({@link parseRule}); a rule with syntax errors is not
 * expanded.
 */
import { DomainError } from '../domain-errors.js';
import { expandMacros, tokenizeMacros } from './macros.js';
import {
  parseRule,
  splitRuleUrl,
  type RuleAlternative,
  type RuleComparison,
  type RuleKind,
  type RuleOperator,
  type RuleSyntaxError,
} from './rule.js';

/**
 * Macro values by name (`MA`, `PN`, `A`, `SA`, `UID1`…); absent names stay as written.
 * @example expandRule('http://prov/$MA.xml', { MA: '00562b043615' } satisfies MacroValues).url
 */
export type MacroValues = Readonly<Record<string, string | undefined>>;

/**
 * How two operands were compared (Cisco: integers, version numbers or quoted strings).
 * @example evaluateComparison(comparison, { SWVER: '11.3.6' }).as // 'version'
 */
export type ComparisonKind = 'integer' | 'version' | 'string';

/**
 * One comparison of a condition, after expansion.
 * @example expandRule(rule, values).evaluated[0]?.comparisons[0]?.leftValue
 */
export interface EvaluatedComparison {
  /** The operands as written. */
  left: string;
  right: string;
  operator: RuleOperator;
  /** The operands after macro expansion (the left one is `$SWVER` in the legacy form). */
  leftValue: string;
  rightValue: string;
  /** How they were compared; null when they could not be (the comparison is false). */
  as: ComparisonKind | null;
  /** True, false, or null when a macro it needs has no value. */
  result: boolean | null;
  /** Why a comparison could not be made, or which macros had no value. */
  note?: string;
}

/**
 * One alternative's condition and its outcome.
 * @example const rule = '( $SWVER lt 11.3.7 )? http://a/x | http://b/x';
 * expandRule(rule, { SWVER: '11.3.6' }).evaluated[0]?.result
 * // true
 */
export interface EvaluatedAlternative {
  /** 1-based position in the rule. */
  index: number;
  /** No condition: the alternative always applies. */
  unconditional: boolean;
  comparisons: EvaluatedComparison[];
  /** True, false, or null when a macro it needs has no value. */
  result: boolean | null;
}

/**
 * An assignment `(Name = "value";)!` of the chosen alternative, expanded.
 * @example expandRule('(GPP_A="x";)! http://prov/$MA.cfg', {}).assignments
 * // [{ parameter: 'GPP_A', value: 'x' }]
 */
export interface ExpandedAssignment {
  /** The parameter: `GPP_A` for the short form `a`. */
  parameter: string;
  value: string;
}

/**
 * The bracketed options of the chosen alternative, expanded. Secrets as they are.
 * @example expandRule('[--key $SA] http://prov/$MA.cfg', { SA: 'k' }).options.key // 'k'
 */
export interface ExpandedRuleOptions {
  key: string | null;
  uid: string | null;
  pwd: string | null;
  /** GPP letter whose (expanded) contents are POSTed: `A`..`P`. */
  post: string | null;
  /** GPP letter that maps foreign XML paths to parameters. */
  alias: string | null;
  srv: boolean;
  /** Report_Rule only. */
  delta: boolean;
  status: boolean;
}

/**
 * The schemes a Cisco rule's URL may have (tftp when none is written).
 * @example expandRule('http://prov/$MA.xml', { MA: '00562b043615' }).scheme // 'http'
 */
export type RuleScheme = 'tftp' | 'http' | 'https';

/**
 * What a rule resolves to for one device.
 * @example const rule = '( $SWVER lt 11.3.7 )? http://prov/old/$MA.xml | http://prov/$MA.xml';
 * expandRule(rule, { SWVER: '11.3.6', MA: '00562b043615' }).url
 * // 'http://prov/old/00562b043615.xml'
 */
export interface RuleExpansion {
  /** 1-based index of the alternative taken; null when none applies (or it can't be told). */
  alternative: number | null;
  /** How many alternatives the rule has. */
  alternatives: number;
  /** The URL the phone fetches, normalised (`scheme://host[:port]/path`); null without one. */
  url: string | null;
  scheme: RuleScheme | null;
  /** The server; null when the rule names none (the DHCP option 66 server). */
  host: string | null;
  /** The port: as written, else 69 (tftp), 80 (http), 443 (https); null when not a number. */
  port: number | null;
  path: string | null;
  options: ExpandedRuleOptions;
  /** The expanded contents of GPP_<post>, the body of a `--post`. */
  postBody: string | null;
  assignments: ExpandedAssignment[];
  /** Every alternative considered, in order, up to the one taken. */
  evaluated: EvaluatedAlternative[];
  /**
   * Names of known macros without a value, left as written in the URL or options. The phone
   * always has a value for them: give one (`--mac`, `--var NAME=…`) to see what it would fetch.
   */
  unexpanded: string[];
  /** Set when a condition needs macros without a value, so the alternative can't be chosen. */
  undetermined: { alternative: number; missing: string[] } | null;
  /** Things the phone would trip over in the expanded URL (a port that is not a number…). */
  problems: string[];
}

/**
 * A rule with grammar errors: the phone would not use it; nothing is expanded.
 * @example expandRule('( 1 eq )? http://x', {})
 * // throws RuleSyntaxFailure: the rule has 2 syntax errors (err.errors lists them)
 */
export class RuleSyntaxFailure extends DomainError {
  readonly errors: readonly RuleSyntaxError[];
  constructor(errors: readonly RuleSyntaxError[]) {
    super(
      'bad-input',
      'rule-syntax',
      `the rule has ${errors.length} syntax error${errors.length === 1 ? '' : 's'}`,
    );
    this.name = 'RuleSyntaxFailure';
    this.errors = errors;
  }
}

const DEFAULT_PORTS: Readonly<Record<RuleScheme, number>> = { tftp: 69, http: 80, https: 443 };

/**
 * Evaluates a rule for one device: the first alternative whose condition holds (or that has
 * none) is taken; its assignments are applied to the macro values in order; then its options and
 * URL are expanded. `$SA`..`$SD` expand only inside `--key`, `--uid` and `--pwd`.
 * @throws RuleSyntaxFailure when the rule does not parse (see its `errors`, with offsets)
 * @example
 * expandRule('[--key $SA]https://prov.example.com/cfg/$MA.cfg', { MA: '00562b043615', SA: 'k' })
 * // { alternative: 1, url: 'https://prov.example.com/cfg/00562b043615.cfg', scheme: 'https',
 * //   host: 'prov.example.com', port: 443, path: '/cfg/00562b043615.cfg',
 * //   options: { key: 'k', uid: null, pwd: null, post: null, alias: null, … }, … }
 */
export function expandRule(
  text: string,
  values: MacroValues,
  kind: RuleKind = 'profile',
): RuleExpansion {
  const parsed = parseRule(text, kind);
  // An unknown `$NAME` is not an error to the phone: "An unrecognized name is not translated,
  // and the $NAME or $(NAME) form remains unchanged".
  // Nor is a control character in the URL (rule check reports both).
  const errors = parsed.errors.filter((e) => e.code === undefined);
  if (errors.length > 0) throw new RuleSyntaxFailure(errors);
  const result: RuleExpansion = {
    alternative: null,
    alternatives: parsed.alternatives.length,
    url: null,
    scheme: null,
    host: null,
    port: null,
    path: null,
    options: {
      key: null,
      uid: null,
      pwd: null,
      post: null,
      alias: null,
      srv: false,
      delta: false,
      status: false,
    },
    postBody: null,
    assignments: [],
    evaluated: [],
    unexpanded: [],
    undetermined: null,
    problems: parsed.errors
      .filter((e) => e.code !== undefined)
      .map((e) => `${e.message.replace(/ \(write .*$/, '')}: left as written`),
  };
  let chosen: RuleAlternative | undefined;
  for (const [i, alternative] of parsed.alternatives.entries()) {
    const evaluated = evaluateAlternative(alternative, i + 1, values);
    result.evaluated.push(evaluated);
    if (evaluated.result === null) {
      result.undetermined = {
        alternative: i + 1,
        missing: unique(evaluated.comparisons.flatMap((c) => missingOf(c, values))),
      };
      return result;
    }
    if (evaluated.result) {
      chosen = alternative;
      result.alternative = i + 1;
      break;
    }
  }
  if (!chosen) return result;

  const current: Record<string, string | undefined> = { ...values };
  const unexpanded = new Set<string>();
  const expand = (raw: string, secretMacros: boolean, offset = 0): string => {
    for (const name of missingMacros(raw, current, secretMacros)) unexpanded.add(name);
    let expanded: string;
    try {
      expanded = expandMacros(raw, current, { secretMacros });
    } catch (err) {
      // Longer than a string can be ("Invalid string length"): not a crash, a rule refused.
      if (err instanceof RangeError) throw tooLong(offset);
      throw err;
    }
    if (expanded.length > EXPANDED_VALUE_LIMIT) throw tooLong(offset);
    return expanded;
  };
  for (const assignment of chosen.assignments ?? []) {
    const parameter = assignmentParameter(assignment.name);
    // Each assignment may use the value before it several times (`a = "$A$A";` thirty times
    // over): bounded at each step, else it doubled to a crash ("unexpected failure: Invalid
    // string length", exit 3), from a rule a fetched profile sets too.
    const value = expand(assignment.value, false, assignment.offset);
    result.assignments.push({ parameter, value });
    const macro = gppMacro(parameter);
    if (macro) current[macro] = value;
  }
  for (const option of chosen.options) {
    const name = option.name as keyof ExpandedRuleOptions;
    if (name === 'srv' || name === 'delta' || name === 'status') {
      result.options[name] = true;
    } else if (name === 'post' || name === 'alias') {
      result.options[name] = (option.value ?? '').toUpperCase();
    } else if (name === 'key' || name === 'uid' || name === 'pwd') {
      // Cisco: $SA..$SD "are only macro expanded as the argument of the --key, --uid, and
      // --pwd options in a resync URL".
      result.options[name] = expand(option.value ?? '', true, option.offset);
    }
  }
  if (result.options.post !== null) {
    const gpp = current[result.options.post];
    // Cisco: "[--post a] … transmitting the contents of the macro expanded GPP_A".
    result.postBody = gpp === undefined ? null : expand(gpp, false);
    if (gpp === undefined) unexpanded.add(result.options.post);
  }
  if (chosen.url) decomposeUrl(expand(chosen.url.text, false, chosen.url.offset), result);
  result.unexpanded = [...unexpanded];
  return result;
}

/**
 * The longest value an expansion may give (characters): far beyond any parameter a phone keeps
 * or URL it fetches, and short of what would take a process's memory.
 */
const EXPANDED_VALUE_LIMIT = 65_536;

/** The rule refused for a value expanded past EXPANDED_VALUE_LIMIT, at `offset`. */
function tooLong(offset: number): RuleSyntaxFailure {
  return new RuleSyntaxFailure([
    {
      message: `this expands to more than ${EXPANDED_VALUE_LIMIT} characters (an assignment that repeats a macro grows it at each step); the phone could not use it`,
      offset,
    },
  ]);
}

/** `a`..`p` are short for GPP_A..GPP_P (Cisco, "Assignment Expressions"). */
function assignmentParameter(name: string): string {
  return /^[a-p]$/.test(name) ? `GPP_${name.toUpperCase()}` : name;
}

/** The macro a GPP parameter feeds: GPP_A → A, GPP_SB → SB. */
function gppMacro(parameter: string): string | undefined {
  return /^GPP_(S?[A-P])$/.exec(parameter)?.[1];
}

/** Fills url, scheme, host, port and path from the expanded URL text. */
function decomposeUrl(expanded: string, into: RuleExpansion): void {
  const parts = splitRuleUrl(expanded);
  const written = parts.schemeText?.toLowerCase();
  const scheme: RuleScheme =
    written === 'http' || written === 'https' || written === 'tftp' ? written : 'tftp';
  if (written !== undefined && written !== scheme) {
    into.problems.push(`the scheme expanded to '${parts.schemeText}' (tftp, http or https)`);
  }
  into.scheme = scheme;
  into.host = parts.server === '' ? null : parts.server;
  into.path = parts.path;
  let port: number | null = DEFAULT_PORTS[scheme];
  if (parts.port !== undefined) {
    const n = /^[0-9]+$/.test(parts.port) ? Number(parts.port) : NaN;
    if (n >= 1 && n <= 65535) port = n;
    else {
      port = null;
      into.problems.push(`the port expanded to '${parts.port}', not a number from 1 to 65535`);
    }
  }
  into.port = port;
  if (parts.path === '') into.problems.push("the path expanded to '' (it must begin with '/')");
  if (/\s/.test(expanded)) into.problems.push('the URL expanded to text with white space in it');
  into.url =
    into.host === null
      ? expanded
      : `${scheme}://${into.host}${parts.port !== undefined ? `:${parts.port}` : ''}${parts.path}`;
}

/** Known macro names in `text` that have no value (they would stay as written). */
function missingMacros(text: string, values: MacroValues, secretMacros: boolean): string[] {
  const names: string[] = [];
  for (const token of tokenizeMacros(text)) {
    if (token.kind !== 'macro' || !token.known || values[token.name] !== undefined) continue;
    if (!secretMacros && /^S[A-D]$/.test(token.name)) continue;
    names.push(token.name);
  }
  return names;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function missingOf(c: EvaluatedComparison, values: MacroValues): string[] {
  return [...missingMacros(c.left, values, false), ...missingMacros(c.right, values, false)];
}

function evaluateAlternative(
  alternative: RuleAlternative,
  index: number,
  values: MacroValues,
): EvaluatedAlternative {
  if (!alternative.condition) {
    return { index, unconditional: true, comparisons: [], result: true };
  }
  const comparisons = alternative.condition.map((c) => evaluateComparison(c, values));
  // Cisco: "All comparisons must be satisfied for the condition to be true."
  let result: boolean | null = true;
  for (const c of comparisons) {
    if (c.result === false) return { index, unconditional: false, comparisons, result: false };
    if (c.result === null) result = null;
  }
  return { index, unconditional: false, comparisons, result };
}

/**
 * One comparison. Cisco: integers and version numbers compare arithmetically with every
 * operator; quoted strings only for (in)equality. A comparison that can't be made (Cisco: "a
 * format parsing error") is false.
 * @example const [comparison] = parseCondition('$SWVER ge 11.3.7').comparisons;
 * evaluateComparison(comparison!, { SWVER: '11.3.6' }) // { as: 'version', result: false, … }
 */
export function evaluateComparison(
  comparison: RuleComparison,
  values: MacroValues,
): EvaluatedComparison {
  // Legacy form `(ne 1.0.33)?`: "a relational expression with no left-hand-side operand assumes
  // $SWVER as the implicit left-hand-side".
  const left = comparison.left ?? { text: '$SWVER', quoted: false, offset: 0 };
  const { right, operator } = comparison;
  const missing = [
    ...missingMacros(left.text, values, false),
    ...missingMacros(right.text, values, false),
  ];
  const leftValue = expandMacros(left.text, values);
  const rightValue = expandMacros(right.text, values);
  const base = { left: left.text, right: right.text, operator, leftValue, rightValue };
  if (missing.length > 0) {
    return {
      ...base,
      as: null,
      result: null,
      note: `no value for ${unique(missing)
        .map((n) => `$${n}`)
        .join(', ')}`,
    };
  }
  const order = compareOperands(leftValue, rightValue, left.quoted || right.quoted);
  if (order.as === 'string' && operator !== 'eq' && operator !== 'ne') {
    return {
      ...base,
      as: null,
      result: false,
      note: `'${operator}' needs two integers or two version numbers: the phone counts this as false`,
    };
  }
  return { ...base, as: order.as, result: applyOperator(operator, order.cmp) };
}

function applyOperator(operator: RuleOperator, cmp: number): boolean {
  switch (operator) {
    case 'eq':
      return cmp === 0;
    case 'ne':
      return cmp !== 0;
    case 'lt':
      return cmp < 0;
    case 'le':
      return cmp <= 0;
    case 'gt':
      return cmp > 0;
    case 'ge':
      return cmp >= 0;
  }
}

const INTEGER = /^[+-]?[0-9]+$/;

/** Orders two operands as integers, else version numbers, else strings. */
function compareOperands(
  a: string,
  b: string,
  quoted: boolean,
): { as: ComparisonKind; cmp: number } {
  if (!quoted && INTEGER.test(a) && INTEGER.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return { as: 'integer', cmp: x < y ? -1 : x > y ? 1 : 0 };
  }
  if (!quoted) {
    const cmp = compareVersions(a, b);
    if (cmp !== undefined) return { as: 'version', cmp };
  }
  return { as: 'string', cmp: a < b ? -1 : a > b ? 1 : 0 };
}

/** A firmware file prefix such as `sip88xx.` or `sip8845_65.`, ignored by the comparison. */
const VERSION_PREFIX = /^[A-Za-z][A-Za-z0-9_]*\./;

/** Splits a version into components; undefined when the text is not a version number. */
function versionComponents(text: string): { digits: bigint | null; rest: string }[] | undefined {
  const body = text.replace(VERSION_PREFIX, '');
  if (!/^[0-9]/.test(body) || /\s/.test(body)) return undefined;
  // MPP: `v1-v2-v3MPP-BN` ("MPP" separates the version from the build); SPA:
  // `major.minor.build(letters)`. Components are split at - . _ ( ) and at MPP.
  return body
    .split(/MPP|[-._()]/)
    .filter((part) => part !== '')
    .map((part) => {
      const m = /^([0-9]*)(.*)$/.exec(part) ?? ['', '', part];
      return { digits: m[1] ? BigInt(m[1]) : null, rest: m[2] ?? '' };
    });
}

/**
 * Compares two version numbers component by component, the leftmost first (Cisco: "If v[x]
 * includes only numeric digits, the digits are compared; if v[x] includes numeric digits + alpha
 * characters, digits are compared first, then characters are compared in alphabetical order").
 * A missing component counts as 0.
 * @example compareVersions('sip88xx.11-0-0MPP-BN', 'sip88xx.9-3-1-7MPP-BN') // 1
 * @example compareVersions('sip68xx.11-0-0MPP-BN', 'sip68xx.11-0-0MN-1MPP-BN') // -1
 * @returns -1, 0 or 1; undefined when either side is not a version number
 */
export function compareVersions(a: string, b: string): number | undefined {
  const x = versionComponents(a);
  const y = versionComponents(b);
  if (!x || !y) return undefined;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i] ?? { digits: 0n, rest: '' };
    const q = y[i] ?? { digits: 0n, rest: '' };
    const pd = p.digits ?? -1n;
    const qd = q.digits ?? -1n;
    if (pd !== qd) return pd < qd ? -1 : 1;
    if (p.rest !== q.rest) return p.rest < q.rest ? -1 : 1;
  }
  return 0;
}
