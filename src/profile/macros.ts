/**
 * Cisco provisioning macros: `$NAME`, `$(NAME)`, `$(NAME:p)`, `$(NAME:p:q)` and `$$`.
 *
 * Source: Cisco IP Phone 8800 Series Multiplatform Phone Administration Guide, "Macro Expansion
 * Variables" (same text in the SPA provisioning guides): "expressions of the form $NAME and
 * $(NAME) are replaced by the contents of the named variables"; "an unrecognized name is not
 * translated, and the $NAME or $(NAME) form remains unchanged"; "macro expansion is not applied
 * recursively ($$MAU expands into $MAU)"; "$(NAME:p) and $(NAME:p:q) … substring starting at
 * character offset p, with length q (or till end-of-string)". $SA..$SD are only expanded as the
 * argument of --key (and --uid/--pwd) in a resync URL. A bare `$NAME` takes the longest known
 * name at that point (`$MAC` before `$MA`), see docs/cisco-mpp-reference.md §2.
 */

/**
 * One macro the phone knows, with what it expands to.
 * @example KNOWN_MACROS.filter((m) => m.secretOnly).map((m) => m.name) // ['SA', 'SB', 'SC', 'SD']
 */
export interface MacroDefinition {
  name: string;
  meaning: string;
  /** Only expanded inside `--key`, `--uid`, `--pwd` of a rule (GPP_SA..GPP_SD). */
  secretOnly?: boolean;
}

const GPP_LETTERS = 'ABCDEFGHIJKLMNOP'.split('');

/**
 * The macro names of Cisco's "Macro Expansion Variables" table (reference §2).
 * @example KNOWN_MACROS.find((m) => m.name === 'MAU')?.meaning
 * // 'MAC address, upper-case hex digits (000E08AABBCC)'
 */
export const KNOWN_MACROS: readonly MacroDefinition[] = [
  { name: 'MA', meaning: 'MAC address, lower-case hex digits (000e08aabbcc)' },
  { name: 'MAU', meaning: 'MAC address, upper-case hex digits (000E08AABBCC)' },
  { name: 'MAC', meaning: 'MAC address, lower-case hex with colons (00:0e:08:aa:bb:cc)' },
  { name: 'PN', meaning: 'product name (CP-8841-3PCC, ATA191-MPP)' },
  { name: 'PSN', meaning: 'product series number (guides disagree: 8841, V03, 191)' },
  { name: 'SN', meaning: 'serial number' },
  { name: 'SWVER', meaning: 'firmware version' },
  { name: 'HWVER', meaning: 'hardware version' },
  { name: 'IP', meaning: 'LAN IP address' },
  { name: 'EXTIP', meaning: 'IP address as seen from the Internet' },
  { name: 'CCERT', meaning: 'client certificate status: Installed / Not Installed' },
  { name: 'PRVST', meaning: 'provisioning state' },
  { name: 'UPGST', meaning: 'upgrade state' },
  { name: 'UPGERR', meaning: 'result of the last upgrade attempt' },
  { name: 'PRVTMR', meaning: 'seconds since the last resync' },
  { name: 'UPGTMR', meaning: 'seconds since the last upgrade attempt' },
  { name: 'REGTMR1', meaning: 'seconds since line 1 lost registration' },
  { name: 'REGTMR2', meaning: 'seconds since line 2 lost registration' },
  { name: 'SCHEME', meaning: 'scheme of the URL being fetched' },
  { name: 'SERV', meaning: 'server host name of the URL being fetched' },
  { name: 'SERVIP', meaning: 'server IP address of the URL being fetched' },
  { name: 'PORT', meaning: 'port of the URL being fetched' },
  { name: 'PATH', meaning: 'path of the URL being fetched' },
  { name: 'ERR', meaning: 'result message of the resync or upgrade' },
  ...GPP_LETTERS.map((l) => ({ name: l, meaning: `contents of GPP_${l}` })),
  ...['SA', 'SB', 'SC', 'SD'].map((n) => ({
    name: n,
    meaning: `contents of GPP_${n} (only inside --key/--uid/--pwd)`,
    secretOnly: true,
  })),
];

const KNOWN_BY_NAME = new Map(KNOWN_MACROS.map((m) => [m.name, m]));
/** Longest first, so a bare `$MAC` is never read as `$MA` + `C`. */
const NAMES_LONGEST_FIRST = [...KNOWN_BY_NAME.keys()].sort((a, b) => b.length - a.length);
/** `UID<n>`: User ID of line n. */
const UID_NAME = /^UID[1-9][0-9]*/;

/**
 * Whether Cisco's table knows this macro name (`MA`, `UID3`, `A`…).
 * @example isKnownMacro('UID3') // true; isKnownMacro('FOO') // false
 */
export function isKnownMacro(name: string): boolean {
  return KNOWN_BY_NAME.has(name) || /^UID[1-9][0-9]*$/.test(name);
}

/**
 * A piece of tokenized text.
 * @example tokenizeMacros('cfg/$MA.xml')[1] // { kind: 'macro', name: 'MA', raw: '$MA', … }
 */
export type MacroToken =
  | { kind: 'text'; text: string }
  | {
      kind: 'macro';
      /** The name as written: `MA`, `A`, or any name inside `$( )`. */
      name: string;
      /** Substring offset p of `$(NAME:p…)`. */
      offset?: number;
      /** Substring length q of `$(NAME:p:q)`. */
      length?: number;
      /** The source text, for leaving it as written. */
      raw: string;
      /** Whether it used the `$(…)` form. */
      parenthesized: boolean;
      /** Whether Cisco's table knows the name. */
      known: boolean;
    };

/** `$(NAME)`, `$(NAME:p)`, `$(NAME:p:q)`; names inside parentheses may be any field name. */
const PAREN_MACRO = /^\$\(([A-Za-z0-9_.-]+)(?::([0-9]+)(?::([0-9]+))?)?\)/;

/**
 * Splits text into literal text and macro references. `$$` becomes a literal `$` here, so no
 * later step can read it as the start of a macro (expansion is not recursive).
 * @example tokenizeMacros('$MA.cfg') // [{kind:'macro', name:'MA', …}, {kind:'text', text:'.cfg'}]
 */
export function tokenizeMacros(text: string): MacroToken[] {
  const tokens: MacroToken[] = [];
  let literal = '';
  let i = 0;
  const flush = (): void => {
    if (literal) tokens.push({ kind: 'text', text: literal });
    literal = '';
  };
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, dollar);
    const rest = text.slice(dollar);
    if (rest.startsWith('$$')) {
      literal += '$';
      i = dollar + 2;
      continue;
    }
    const paren = PAREN_MACRO.exec(rest);
    if (paren) {
      const [raw, name = '', p, q] = paren;
      flush();
      tokens.push({
        kind: 'macro',
        name,
        ...(p !== undefined ? { offset: Number(p) } : {}),
        ...(q !== undefined ? { length: Number(q) } : {}),
        raw,
        parenthesized: true,
        known: isKnownMacro(name),
      });
      i = dollar + raw.length;
      continue;
    }
    const after = rest.slice(1);
    const name = UID_NAME.exec(after)?.[0] ?? NAMES_LONGEST_FIRST.find((n) => after.startsWith(n));
    if (name) {
      flush();
      tokens.push({ kind: 'macro', name, raw: `$${name}`, parenthesized: false, known: true });
      i = dollar + 1 + name.length;
      continue;
    }
    // An unknown bare name (`$STRANGE`) or a lone `$` stays as written.
    literal += '$';
    i = dollar + 1;
  }
  flush();
  return tokens;
}

/**
 * Options of expandMacros.
 * @example expandMacros('$SA', { SA: 'k' }, { secretMacros: true }) // 'k'
 */
export interface ExpandOptions {
  /** Also expand `$SA`..`$SD` (the phone does so only inside `--key`, `--uid`, `--pwd`). */
  secretMacros?: boolean;
  /** Extra names to expand in the `$(name)` form (e.g. inventory fields for file names). */
  extraNames?: boolean;
}

/**
 * Applies `$(NAME:p:q)` substring selection to a value (0-based offset p, length q).
 * @example selectSubstring('000e08aabbcc', 6, 2) // 'aa' ($(MA:6:2))
 */
export function selectSubstring(value: string, offset?: number, length?: number): string {
  if (offset === undefined) return value;
  return length === undefined ? value.slice(offset) : value.slice(offset, offset + length);
}

/**
 * Expands Cisco macros the way the phone does: known names with a value are replaced, unknown
 * names (and known names without a value) are left as written, `$$` becomes `$`, and the result
 * is not expanded again.
 * @example expandMacros('$STRANGE$MAU.cfg', { MAU: '000E08012345' }) // '$STRANGE000E08012345.cfg'
 * @example expandMacros('$(A:2:3)', { A: 'ABCDEF' }) // 'CDE'
 */
export function expandMacros(
  text: string,
  values: Readonly<Record<string, string | undefined>>,
  options: ExpandOptions = {},
): string {
  let out = '';
  for (const token of tokenizeMacros(text)) {
    if (token.kind === 'text') {
      out += token.text;
      continue;
    }
    const definition = KNOWN_BY_NAME.get(token.name);
    const allowed =
      (token.known && (!definition?.secretOnly || options.secretMacros === true)) ||
      (token.parenthesized && options.extraNames === true);
    const value = allowed ? values[token.name] : undefined;
    out += value === undefined ? token.raw : selectSubstring(value, token.offset, token.length);
  }
  return out;
}
