/**
 * The grammar of Profile_Rule, Profile_Rule_B..D, Upgrade_Rule and Report_Rule values.
 *
 * Sources: docs/cisco-mpp-reference.md §2; Cisco IP Phone 8800 Series Multiplatform Phone
 * Administration Guide, "Conditional Expressions" and "URL Syntax"; Cisco Small Business
 * Provisioning Guide, "Assignment Expressions".
 *
 * ```
 * rule        = [ alternative *( "|" alternative ) ]
 * alternative = [ "(" condition ")?" ] [ "(" assignments ")!" ] *( "[" options "]" ) url
 * condition   = comparison *( "and" comparison )
 * comparison  = [ operand ] operator operand        ; no left operand: $SWVER (legacy)
 * operator    = "eq" / "ne" / "lt" / "le" / "gt" / "ge" / "=" / "!=" / "<" / "<=" / ">" / ">="
 * assignments = *( Name "=" quoted-value ";" )      ; last ";" optional
 * options     = *( "--" name [ value ] )            ; value optionally in double quotes
 * url         = [ scheme "://" ] [ server [ ":" port ] ] "/" path   ; scheme tftp (default), http, https
 * ```
 *
 * Every alternative but the last needs a condition (an unconditional one always matches, so
 * the ones after it are never used). Quoted strings compare only with eq/ne. Macros (`$NAME`,
 * `$(NAME)`, `$(NAME:p:q)`, `$$`) must be known names; `$SA`..`$SD` expand only inside the
 * values of `--key`, `--uid` and `--pwd`.
 */
import { isKnownMacro, KNOWN_MACROS } from './macros.js';
import { isSecretParameter } from './secrets.js';

/**
 * Which parameter the rule comes from: Report_Rule allows `--delta` and `--status`.
 * @example parseRule('[--delta] http://prov/report', 'report').errors
 * // [] (a Profile_Rule would refuse --delta)
 */
export type RuleKind = 'profile' | 'upgrade' | 'report';

/**
 * A syntax error at an offset (0-based) in the rule text.
 * @example parseRule('( 1 eq )? http://x', 'profile').errors.length // 2
 */
export interface RuleSyntaxError {
  message: string;
  offset: number;
  /**
   * `unknown-macro`: a `$NAME` the phone does not know. The phone leaves it as written, so
   * `expandRule` goes on; `validate` reports it, since it is almost always a typo.
   * `control-character`: a control character (not white space) inside the URL: nothing Cisco
   * documents refuses it, so `expandRule` goes on too (showing it escaped is the formatter's
   * job); `rule check` and `validate` report it, since no file name holds one.
   */
  code?: 'unknown-macro' | 'control-character';
  /**
   * The message without the text of the rule it quotes (a scheme, a port, a macro or option
   * name), for a finding that may not quote values (`validate`'s `quoteValues: false`: a
   * template may have written a transformed secret there); absent when the message quotes none.
   */
  unquoted?: string;
}

/**
 * The comparison operators of Cisco's rule grammar (reference §2).
 * @example parseCondition('$SWVER ge 11.3.7').comparisons[0]?.operator // 'ge'
 */
export type RuleOperator = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/**
 * One side of a comparison, as written, and where.
 * @example parseCondition('$SWVER ge 11.3.7').comparisons[0]?.right
 * // { text: '11.3.7', quoted: false, offset: 10 }
 */
export interface RuleOperand {
  text: string;
  quoted: boolean;
  offset: number;
}

/**
 * One comparison of a rule's condition: `left operator right`.
 * @example parseCondition('$SWVER ge 11.3.7').comparisons[0]?.left?.text // '$SWVER'
 */
export interface RuleComparison {
  /** Absent in the legacy form `(ne 1.0.33)?`, which compares $SWVER. */
  left: RuleOperand | undefined;
  operator: RuleOperator;
  right: RuleOperand;
}

/**
 * One assignment of a rule's alternative: `(Name = "value"; …)!` (reference §2).
 * @example parseRule('(GPP_A="1")! http://prov/x', 'profile').alternatives[0]?.assignments
 * // [{ name: 'GPP_A', value: '1', offset: 1 }]
 */
export interface RuleAssignment {
  name: string;
  value: string;
  offset: number;
}

/**
 * A bracketed option of a rule (`[--key …]`, `[--uid …]`, `[--post a]`…).
 * @example parseRule('[--key $SA] http://prov/x', 'profile').alternatives[0]?.options[0]?.name
 * // 'key'
 */
export interface RuleOption {
  /** Without the dashes: `key`, `uid`, `pwd`, `post`, `alias`, `srv`, `delta`, `status`. */
  name: string;
  value: string | undefined;
  offset: number;
  /** Offset of the value (after an opening quote), when there is one. */
  valueOffset: number | undefined;
}

/**
 * The URL of a rule's alternative, split as the phone reads it.
 * @example parseRule('https://prov:8443/$MA.xml', 'profile').alternatives[0]?.url?.port // '8443'
 */
export interface RuleUrl {
  text: string;
  offset: number;
  scheme: 'tftp' | 'http' | 'https';
  /** Whether the scheme was written (tftp is the default). */
  schemeGiven: boolean;
  /** Empty when the server is the DHCP option 66 server. */
  server: string;
  port: string | undefined;
  path: string;
}

/**
 * One alternative of a rule: a condition, assignments, options and a URL, each optional.
 * @example parseRule('( $A eq 1 )? http://a/x | http://b/x', 'profile').alternatives.length // 2
 */
export interface RuleAlternative {
  offset: number;
  condition: RuleComparison[] | undefined;
  assignments: RuleAssignment[] | undefined;
  options: RuleOption[];
  url: RuleUrl | undefined;
}

/**
 * What parseRule returns: the alternatives, and the grammar errors found.
 * @example parseRule('http://prov/$MA.xml', 'profile').errors // []
 */
export interface ParsedRule {
  alternatives: RuleAlternative[];
  errors: RuleSyntaxError[];
}

/** Options of the bracket before the URL; `true` when the option takes a value. */
const OPTIONS: Readonly<Record<string, { value: boolean; reportOnly?: boolean }>> = {
  key: { value: true },
  uid: { value: true },
  pwd: { value: true },
  post: { value: true },
  alias: { value: true },
  srv: { value: false },
  delta: { value: false, reportOnly: true },
  status: { value: false, reportOnly: true },
};
/**
 * The error for an unknown option. The word may hold a passphrase (`--pwd=secret`, `--keysecret`,
 * or the tail of an unquoted value with a space in it), so only a plain option-like name is
 * echoed, and none when `quote` is false (RuleSyntaxError.unquoted).
 */
function unknownOptionMessage(name: string, quote = true): string {
  const glued = Object.keys(OPTIONS).find((o) => OPTIONS[o]!.value && name.startsWith(o));
  if (glued !== undefined) {
    return `--${glued} takes its value after a space: --${glued} <value> (the word is not shown: it may hold a secret)`;
  }
  const known = Object.keys(OPTIONS)
    .map((o) => `--${o}`)
    .join(' ');
  if (!quote) return `unknown option (not shown; known: ${known})`;
  if (/^[A-Za-z][A-Za-z-]{0,19}$/.test(name)) return `unknown option --${name} (known: ${known})`;
  return `unknown option (not shown: part of a value with spaces? It needs double quotes; known: ${known})`;
}

/** Options whose value may use `$SA`..`$SD`. */
const SECRET_OPTIONS = new Set(['key', 'uid', 'pwd']);

const OPERATORS: Readonly<Record<string, RuleOperator>> = {
  eq: 'eq',
  ne: 'ne',
  lt: 'lt',
  le: 'le',
  gt: 'gt',
  ge: 'ge',
  '=': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
};

const SCHEMES = new Set(['tftp', 'http', 'https']);
const SECRET_MACROS = new Set(KNOWN_MACROS.filter((m) => m.secretOnly === true).map((m) => m.name));
/** Known bare names, longest first, so `$MAC` is not read as `$MA` + `C`. */
const BARE_NAMES = KNOWN_MACROS.map((m) => m.name).sort((a, b) => b.length - a.length);

/**
 * Parses a rule value. Never throws: the result lists what it understood and every error with
 * its offset in `text`.
 * @example parseRule('($SWVER ne 1.0)? http://fw.example.com/$PN.loads | /$MA.cfg').errors // []
 * @example parseRule('ftp://x/$MA.cfg').errors[0]?.message // "unsupported scheme 'ftp' …"
 */
export function parseRule(text: string, kind: RuleKind = 'profile'): ParsedRule {
  const parser = new RuleParser(text, kind);
  return parser.parse();
}

/**
 * Parses a bare condition, as `Resync_Trigger_1`/`_2` hold it (Cisco: without the `( )?` of a
 * rule): comparisons joined by `and`.
 * @example parseCondition('$PRVTMR ge 600').errors // []
 */
export function parseCondition(text: string): {
  comparisons: RuleComparison[];
  errors: RuleSyntaxError[];
} {
  const parser = new RuleParser(text, 'profile');
  return parser.parseBareCondition();
}

/**
 * The parts of a rule URL `[scheme://][server[:port]]/path`, with offsets into the text.
 * @example splitRuleUrl('https://prov:8443/$MA.xml')
 * // { schemeText: 'https', server: 'prov', port: '8443', path: '/$MA.xml', … }
 */
export interface RuleUrlParts {
  /** The scheme as written (any case), or undefined when none was written (tftp). */
  schemeText: string | undefined;
  /** Offset of the `:` of a scheme written `x:/` instead of `x://`, else -1. */
  schemeMissingSlash: number;
  /** Offset where the authority (`user@server:port`) starts. */
  authorityOffset: number;
  /** Whether a `user:password@` came before the server (it is not part of `server`). */
  userinfo: boolean;
  /** Offset of the server (after any `user@`). */
  serverOffset: number;
  /** Empty when absent (the DHCP option 66 server). IPv6 literals keep their brackets. */
  server: string;
  /** The port as written, when there is a `:`. */
  port: string | undefined;
  /** Offset of the path (the text's length when there is none). */
  pathOffset: number;
  /** From the first `/` on; empty when there is none. */
  path: string;
}

/**
 * Splits a rule URL (Cisco "URL Syntax": `[ scheme:// ] [ server [:port]] filepath`) into its
 * parts without judging them. The rule parser reports what is wrong with them; `expandRule`
 * decomposes the expanded URL with it.
 * @example splitRuleUrl('http://h.example.com:8080/a.cfg').port // '8080'
 */
export function splitRuleUrl(raw: string): RuleUrlParts {
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw);
  const authorityOffset = schemeMatch ? schemeMatch[0].length : 0;
  const missing = /^[A-Za-z][A-Za-z0-9+.-]*:\/(?!\/)/.test(raw) && !schemeMatch;
  const rest = raw.slice(authorityOffset);
  const slash = rest.indexOf('/');
  const path = slash < 0 ? '' : rest.slice(slash);
  const pathOffset = authorityOffset + (slash < 0 ? rest.length : slash);
  let authority = slash < 0 ? rest : rest.slice(0, slash);
  const at = authority.lastIndexOf('@');
  const serverOffset = authorityOffset + at + 1;
  if (at >= 0) authority = authority.slice(at + 1);
  let server = authority;
  let port: string | undefined;
  // The port follows the last ':' — not one inside a substring macro, `$(A:0:4).example.com`.
  const colon = authority.startsWith('[') ? -1 : lastColonOutsideMacros(authority);
  if (colon >= 0 && !authority.includes(']', colon)) {
    server = authority.slice(0, colon);
    port = authority.slice(colon + 1);
  } else if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    server = authority.slice(0, close + 1);
    if (authority[close + 1] === ':') port = authority.slice(close + 2);
  }
  return {
    schemeText: schemeMatch?.[1],
    schemeMissingSlash: missing ? raw.indexOf(':') : -1,
    authorityOffset,
    userinfo: at >= 0,
    serverOffset,
    server,
    port,
    pathOffset,
    path,
  };
}

/** Offset of the last `:` of a URL's authority that is not inside a `$( )` macro, or -1. */
function lastColonOutsideMacros(authority: string): number {
  let last = -1;
  for (let i = 0; i < authority.length; i++) {
    const ch = authority[i];
    if (ch === '$' && authority[i + 1] === '$') i++;
    else if (ch === '$' && authority[i + 1] === '(') {
      const close = authority.indexOf(')', i + 2);
      // An unclosed `$(` is the parser's error to report; its colons are no port either.
      if (close < 0) break;
      i = close;
    } else if (ch === ':') last = i;
  }
  return last;
}

/** Offset of the `)` matching the `(` at `open` (quotes and `$( )` macros respected), or -1. */
function findClose(
  text: string,
  open: number,
  end: number,
  opener: string,
  closer: string,
): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const ch = text[i];
    if (ch === '"') {
      const q = text.indexOf('"', i + 1);
      if (q < 0 || q >= end) return -1;
      i = q;
    } else if (ch === '$' && text[i + 1] === '$') {
      i++;
    } else if (ch === '$' && text[i + 1] === '(') {
      const q = text.indexOf(')', i + 2);
      if (q < 0 || q >= end) return -1;
      i = q;
    } else if (ch === opener) {
      depth++;
    } else if (ch === closer) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

class RuleParser {
  private readonly errors: RuleSyntaxError[] = [];
  /**
   * The first `$` at or after `dollarFrom` (or -1): checkMacros runs on every token, and a
   * search from each to the end of a long rule without another `$` was quadratic (issue 10:
   * a 2 MB Resync_Trigger_1 took 16 s). Valid for any position in [dollarFrom, dollarAt].
   */
  private dollarFrom = 0;
  private dollarAt = -2;

  constructor(
    private readonly text: string,
    private readonly kind: RuleKind,
  ) {}

  parse(): ParsedRule {
    const alternatives: RuleAlternative[] = [];
    if (this.text.trim() === '') return { alternatives, errors: this.errors };
    const ranges = this.splitAlternatives();
    ranges.forEach(([start, end], index) => {
      const alternative = this.alternative(start, end);
      alternatives.push(alternative);
      if (!alternative.condition && index < ranges.length - 1) {
        this.error(
          'this alternative has no condition, so the alternatives after it are never used',
          alternative.offset,
        );
      }
    });
    return { alternatives, errors: this.errors.sort((a, b) => a.offset - b.offset) };
  }

  parseBareCondition(): { comparisons: RuleComparison[]; errors: RuleSyntaxError[] } {
    const { text } = this;
    if (text.trim() === '') return { comparisons: [], errors: this.errors };
    if (/^\s*\(.*\)\s*\?\s*$/s.test(text)) {
      this.error("a trigger condition is written without '( )?'", text.indexOf('('));
      return { comparisons: [], errors: this.errors };
    }
    const comparisons = this.condition(0, text.length);
    return { comparisons, errors: this.errors.sort((a, b) => a.offset - b.offset) };
  }

  /** `text.indexOf('$', from)`, remembered (see dollarAt). */
  private nextDollar(from: number): number {
    const known =
      this.dollarAt !== -2 &&
      from >= this.dollarFrom &&
      (this.dollarAt === -1 || from <= this.dollarAt);
    if (!known) {
      this.dollarFrom = from;
      this.dollarAt = this.text.indexOf('$', from);
    }
    return this.dollarAt;
  }

  private error(
    message: string,
    offset: number,
    code?: RuleSyntaxError['code'],
    unquoted?: string,
  ): void {
    const error: RuleSyntaxError = code ? { message, offset, code } : { message, offset };
    if (unquoted !== undefined) error.unquoted = unquoted;
    this.errors.push(error);
  }

  /** Splits at `|` outside quotes, parentheses, brackets and `$( )`. */
  private splitAlternatives(): [number, number][] {
    const { text } = this;
    const ranges: [number, number][] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '"') {
        const q = text.indexOf('"', i + 1);
        if (q < 0) break; // reported where the quote is read
        i = q;
      } else if (ch === '$' && text[i + 1] === '$') i++;
      else if (ch === '$' && text[i + 1] === '(') {
        const q = text.indexOf(')', i + 2);
        if (q < 0) break;
        i = q;
      } else if (ch === '(' || ch === '[') depth++;
      else if ((ch === ')' || ch === ']') && depth > 0) depth--;
      else if (ch === '|' && depth === 0) {
        ranges.push([start, i]);
        start = i + 1;
      }
    }
    ranges.push([start, text.length]);
    return ranges;
  }

  private skipSpace(i: number, end: number): number {
    while (i < end && isSpace(this.text[i])) i++;
    return i;
  }

  private alternative(start: number, end: number): RuleAlternative {
    const { text } = this;
    let i = this.skipSpace(start, end);
    const alternative: RuleAlternative = {
      offset: i,
      condition: undefined,
      assignments: undefined,
      options: [],
      url: undefined,
    };
    while (i < end && text[i] === '(') {
      const close = findClose(text, i, end, '(', ')');
      if (close < 0) {
        this.error("'(' is never closed", i);
        return alternative;
      }
      const marker = this.skipSpace(close + 1, end);
      if (text[marker] === '?') {
        if (alternative.condition) this.error('only one condition per alternative', i);
        if (alternative.assignments) {
          this.error('the condition (…)? must come before the assignments (…)!', i);
        }
        alternative.condition = this.condition(i + 1, close);
      } else if (text[marker] === '!') {
        if (alternative.assignments) this.error('only one assignment list per alternative', i);
        alternative.assignments = this.assignments(i + 1, close);
      } else {
        this.error("expected '?' (condition) or '!' (assignments) after ')'", marker);
        return alternative;
      }
      i = this.skipSpace(marker + 1, end);
    }
    while (i < end && text[i] === '[') {
      const close = findClose(text, i, end, '[', ']');
      if (close < 0) {
        this.error("'[' is never closed", i);
        return alternative;
      }
      this.options(i + 1, close, alternative.options);
      i = this.skipSpace(close + 1, end);
    }
    let urlEnd = end;
    while (urlEnd > i && isSpace(text[urlEnd - 1])) urlEnd--;
    if (i >= urlEnd) {
      // Cisco: "[ conditional-expr ] [ assignment-expr ] [[ options ] URL ]" — every part is
      // optional, so `(GPP_A = "x";)!` alone is a rule that only assigns. Options need a URL.
      const onlyAssigns = alternative.options.length === 0 && alternative.assignments;
      if (!onlyAssigns) this.error('missing URL', i);
      return alternative;
    }
    alternative.url = this.url(i, urlEnd);
    return alternative;
  }

  /** Splits a condition into operands, operators and `and`. */
  private condition(start: number, end: number): RuleComparison[] {
    const { text } = this;
    type Token = { text: string; quoted: boolean; operator: boolean; offset: number };
    const tokens: Token[] = [];
    let i = start;
    for (;;) {
      i = this.skipSpace(i, end);
      if (i >= end) break;
      const ch = text[i] ?? '';
      if (ch === '"') {
        const q = text.indexOf('"', i + 1);
        if (q < 0 || q >= end) {
          this.error('quoted string is never closed', i);
          return [];
        }
        tokens.push({ text: text.slice(i + 1, q), quoted: true, operator: false, offset: i });
        this.checkMacros(i + 1, q, false);
        i = q + 1;
      } else if ('=!<>'.includes(ch)) {
        let j = i + 1;
        if (text[j] === '=' && ch !== '=') j++;
        const op = text.slice(i, j);
        if (op === '!') {
          this.error("'!' is not an operator (use ne or !=)", i);
          return [];
        }
        tokens.push({ text: op, quoted: false, operator: true, offset: i });
        i = j;
      } else {
        let j = i;
        while (j < end && !isSpace(text[j]) && !'=!<>"'.includes(text[j] ?? '')) {
          if (text[j] === '$' && text[j + 1] === '(') {
            const q = text.indexOf(')', j);
            j = q < 0 || q >= end ? end : q + 1;
          } else j++;
        }
        const word = text.slice(i, j);
        const lower = word.toLowerCase();
        const operator = lower in OPERATORS && /^[a-z]+$/.test(lower);
        tokens.push({ text: operator ? lower : word, quoted: false, operator, offset: i });
        if (!operator && lower !== 'and') this.checkMacros(i, j, false);
        i = j;
      }
    }
    if (tokens.length === 0) {
      this.error('empty condition', start - 1);
      return [];
    }
    const comparisons: RuleComparison[] = [];
    let t = 0;
    const isAnd = (token: Token | undefined): boolean =>
      token !== undefined && !token.operator && !token.quoted && token.text.toLowerCase() === 'and';
    while (t < tokens.length) {
      let left: Token | undefined = tokens[t];
      if (left?.operator) left = undefined;
      else t++;
      const op = tokens[t];
      if (!op || !op.operator) {
        this.error(
          'expected a comparison operator (eq ne lt le gt ge, or = != < <= > >=)',
          op?.offset ?? end,
        );
        return comparisons;
      }
      t++;
      const right = tokens[t];
      if (!right || right.operator || isAnd(right)) {
        this.error(`expected a value after '${op.text}'`, right?.offset ?? end);
        return comparisons;
      }
      t++;
      const operator = OPERATORS[op.text] ?? 'eq';
      if ((left?.quoted || right.quoted) && operator !== 'eq' && operator !== 'ne') {
        this.error(
          `'${op.text}' compares numbers or versions; quoted strings compare only with eq or ne`,
          op.offset,
        );
      }
      comparisons.push({
        left: left && { text: left.text, quoted: left.quoted, offset: left.offset },
        operator,
        right: { text: right.text, quoted: right.quoted, offset: right.offset },
      });
      if (t < tokens.length) {
        if (!isAnd(tokens[t])) {
          this.error("expected 'and' between comparisons", tokens[t]?.offset ?? end);
          return comparisons;
        }
        t++;
        if (t >= tokens.length) this.error("expected a comparison after 'and'", end);
      }
    }
    return comparisons;
  }

  /** `Name = "value" ; …` (Cisco: "ParameterXMLName = "Value" ;"). */
  private assignments(start: number, end: number): RuleAssignment[] {
    const { text } = this;
    const list: RuleAssignment[] = [];
    let i = start;
    for (;;) {
      i = this.skipSpace(i, end);
      if (i >= end) break;
      const name = /^[A-Za-z][A-Za-z0-9_.-]*/.exec(text.slice(i, end))?.[0];
      if (!name) {
        this.error('expected a parameter name in the assignment list', i);
        return list;
      }
      const offset = i;
      i = this.skipSpace(i + name.length, end);
      if (text[i] !== '=') {
        this.error(`expected '=' after ${name}`, i);
        return list;
      }
      i = this.skipSpace(i + 1, end);
      if (text[i] !== '"') {
        this.error(`the value assigned to ${name} must be in double quotes`, i);
        return list;
      }
      const q = text.indexOf('"', i + 1);
      if (q < 0 || q >= end) {
        this.error('quoted string is never closed', i);
        return list;
      }
      // A value assigned to a secret parameter (GPP_SA, Admin_Password) is a secret as a --pwd
      // is: no macro is named from it (its output is masked too: src/output/rule-format.ts).
      this.checkMacros(i + 1, q, false, isSecretParameter(name));
      list.push({ name, value: text.slice(i + 1, q), offset });
      i = this.skipSpace(q + 1, end);
      if (i < end && text[i] !== ';') {
        this.error("expected ';' after the assignment", i);
        return list;
      }
      i++;
    }
    if (list.length === 0) this.error('empty assignment list', start - 1);
    return list;
  }

  private options(start: number, end: number, into: RuleOption[]): void {
    const { text } = this;
    let i = start;
    for (;;) {
      i = this.skipSpace(i, end);
      if (i >= end) break;
      let j = i;
      while (j < end && !isSpace(text[j])) j++;
      const word = text.slice(i, j);
      if (!word.startsWith('--') || word.length === 2) {
        // The word is not echoed: it may be part of a passphrase written with a space in it.
        this.error('expected an option such as --key (a value with spaces needs double quotes)', i);
        return;
      }
      const name = word.slice(2);
      const spec = OPTIONS[name];
      if (!spec) {
        this.error(unknownOptionMessage(name), i, undefined, unknownOptionMessage(name, false));
        return;
      }
      if (spec.reportOnly && this.kind !== 'report') {
        this.error(`--${name} is an option of Report_Rule only`, i);
      }
      if (into.some((o) => o.name === name)) this.error(`--${name} is given twice`, i);
      const option: RuleOption = { name, value: undefined, offset: i, valueOffset: undefined };
      into.push(option);
      i = j;
      if (!spec.value) continue;
      i = this.skipSpace(i, end);
      if (i >= end || text.startsWith('--', i)) {
        this.error(`--${name} needs a value`, option.offset);
        continue;
      }
      let valueStart = i;
      let valueEnd: number;
      if (text[i] === '"') {
        const q = text.indexOf('"', i + 1);
        if (q < 0 || q >= end) {
          this.error('quoted string is never closed', i);
          return;
        }
        valueStart = i + 1;
        valueEnd = q;
        i = q + 1;
      } else {
        j = i;
        while (j < end && !isSpace(text[j])) j++;
        valueEnd = j;
        i = j;
      }
      option.value = text.slice(valueStart, valueEnd);
      option.valueOffset = valueStart;
      if ((name === 'post' || name === 'alias') && !/^[A-Pa-p]$/.test(option.value)) {
        this.error(`--${name} takes a GPP letter A to P`, valueStart);
      }
      if (option.value === '') this.error(`--${name} has an empty value`, option.offset);
      this.checkMacros(valueStart, valueEnd, SECRET_OPTIONS.has(name), SECRET_OPTIONS.has(name));
    }
  }

  private url(start: number, end: number): RuleUrl {
    const { text } = this;
    const raw = text.slice(start, end);
    // A control character that is not white space (ESC, DEL, C1) would be sent as written: named
    // by its code point, never echoed (it would drive the terminal). White space (a tab, a
    // newline) splits the URL, a grammar error as a space is.
    // eslint-disable-next-line no-control-regex
    const control = raw.search(/(?!\s)[\u0000-\u001f\u007f-\u009f]/);
    if (control >= 0) {
      const code = raw.charCodeAt(control).toString(16).toUpperCase().padStart(4, '0');
      this.error(
        `control character U+${code} inside the URL`,
        start + control,
        'control-character',
        'a control character (not shown) inside the URL',
      );
    }
    const space = raw.search(/\s/);
    if (space >= 0) this.error('white space inside the URL', start + space);
    const parts = splitRuleUrl(raw);
    let scheme: RuleUrl['scheme'] = 'tftp';
    if (parts.schemeText !== undefined) {
      const written = parts.schemeText.toLowerCase();
      if (SCHEMES.has(written)) scheme = written as RuleUrl['scheme'];
      else {
        this.error(
          `unsupported scheme '${parts.schemeText}' (tftp, http or https)`,
          start,
          undefined,
          'unsupported scheme (not shown; tftp, http or https)',
        );
      }
    } else if (parts.schemeMissingSlash >= 0) {
      this.error("expected '://' after the scheme", start + parts.schemeMissingSlash);
    }
    const restOffset = start + parts.serverOffset;
    if (parts.userinfo) {
      // Not echoed: it holds a password. The phone's credentials go in --uid/--pwd.
      this.error(
        'user:password@ does not belong in the URL; use [--uid … --pwd …]',
        start + parts.authorityOffset,
      );
    }
    const { server, port, path } = parts;
    if (parts.schemeText !== undefined && server === '') {
      this.error(
        `missing server after ${parts.schemeText}://`,
        restOffset,
        undefined,
        'missing server after the scheme',
      );
    }
    if (server !== '' && !/^[A-Za-z0-9._\-$()[\]:]+$/.test(server)) {
      // Not echoed: `user:password@host` would put a password in the message.
      this.error(
        'the server is not a host name or IP address (no user:password@ in a rule)',
        restOffset,
      );
    }
    if (port !== undefined) {
      const portOffset = start + parts.pathOffset - port.length;
      const n = Number(port);
      if (!/^\$/.test(port) && (!/^[0-9]+$/.test(port) || n < 1 || n > 65535)) {
        this.error(
          `port '${port}' is not a number from 1 to 65535`,
          portOffset,
          undefined,
          'the port (not shown) is not a number from 1 to 65535',
        );
      }
    }
    if (path === '') {
      this.error("the file path must begin with '/' (an absolute path)", start + parts.pathOffset);
    }
    this.checkMacros(start, end, false);
    return {
      text: raw,
      offset: start,
      scheme,
      schemeGiven: parts.schemeText !== undefined,
      server,
      port,
      path,
    };
  }

  /** Checks `$` macros in [start, end): known names, `$SA`..`$SD` only where allowed. */
  private checkMacros(start: number, end: number, secretAllowed: boolean, secret = false): void {
    // In a --key/--uid/--pwd value, or one assigned to a secret parameter, the text may be a
    // literal secret: name no macro from it.
    const show = (macro: string): string => (secret ? 'in this secret value (not shown)' : macro);
    const { text } = this;
    let i = this.nextDollar(start);
    while (i >= 0 && i < end) {
      const next = text[i + 1];
      let name: string | undefined;
      let length = 1;
      if (next === '$') {
        i = this.nextDollar(i + 2);
        continue;
      }
      if (next === '(') {
        const close = text.indexOf(')', i);
        if (close < 0 || close >= end) {
          this.error("'$(' is never closed with ')'", i);
          return;
        }
        const inner = text.slice(i + 2, close);
        const m = /^([A-Za-z0-9_]+)(?::([0-9]+)(?::([0-9]+))?)?$/.exec(inner);
        if (!m) {
          this.error(
            `malformed macro ${show(`$(${inner})`)} (expected $(NAME), $(NAME:p) or $(NAME:p:q))`,
            i,
            undefined,
            'malformed macro (not shown; expected $(NAME), $(NAME:p) or $(NAME:p:q))',
          );
        } else {
          name = m[1];
          if (name && !isKnownMacro(name)) {
            this.error(
              `unknown macro ${show(`$(${name})`)}`,
              i,
              'unknown-macro',
              'unknown macro (not shown)',
            );
          }
        }
        length = close + 1 - i;
      } else {
        const after = text.slice(i + 1, end);
        name = /^UID[1-9][0-9]*/.exec(after)?.[0] ?? BARE_NAMES.find((n) => after.startsWith(n));
        if (name) length = name.length + 1;
        else if (/^[A-Za-z_]/.test(after)) {
          const word = /^[A-Za-z0-9_]+/.exec(after)?.[0] ?? '';
          this.error(
            `unknown macro ${show(`$${word}`)} (write $$ for a literal '$')`,
            i,
            'unknown-macro',
            "unknown macro (not shown; write $$ for a literal '$')",
          );
          length = word.length + 1;
        }
      }
      if (name && SECRET_MACROS.has(name) && !secretAllowed) {
        this.error(`$${name} is expanded only inside --key, --uid or --pwd`, i);
      }
      i = this.nextDollar(i + length);
    }
  }
}
