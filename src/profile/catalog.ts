/**
 * The parameter catalog: which `<flat-profile>` parameters exist, what values each accepts,
 * and where each fact came from. `validate` uses it for `unknown-parameter` (with "did you
 * mean"), `invalid-value`, `plaintext-secret` and `model-capacity`.
 *
 * The data lives in `catalog-data/*.ts` (one file per area, a `source` on every entry); this
 * file holds the types and the pure functions over them. Users extend or override the
 * catalog with `--catalog <file>` in the JSON format described at {@link parseCatalogJson}.
 *
 * Value types follow the data-type list of Cisco's MPP provisioning guides ("Provisioning
 * Scripts > Data Types", e.g. Cisco IP Phone 6800 Series Multiplatform Phones Provisioning
 * Guide): Bool, `{a,b,c,…}`, Uns<n>/Sig<n>, Port, Time<n>, IP, FQDN, Str<n>, DialPlanScript.
 *
 * Decisions where the guides are silent (documented in docs/readme-catalog.md):
 * - Values are checked after trimming leading/trailing white space, as the phone trims them
 *   (the `whitespace-value` rule reports the white space itself).
 * - An empty value is accepted for every type: the guides say an empty element sets an empty
 *   value or resets to the default, and the phone takes either without complaint.
 * - Bool is case-insensitive (the guides spell it "yes"/"no" and write `Yes`/`No` in
 *   examples). Enumerations are matched case-insensitively too unless an entry says
 *   `caseSensitive: true`; the guides never state the case rule for `{a,b,c}` choices.
 */

/** Value types of the guides' data-type list, plus the syntaxes checked elsewhere. */
export type ParameterType =
  /** `Bool`: `Yes` or `No`, any case. */
  | { kind: 'bool' }
  /** `{a,b,c,…}`: one of the listed choices (case-insensitive unless `caseSensitive`). */
  | { kind: 'enum'; values: readonly string[]; caseSensitive?: boolean }
  /**
   * `Uns8/16/32`, `Sig8/16/32` or a narrower documented range: decimal or `0x` hex, a leading
   * `-` for negatives, optional `+` (guides: "Data Types").
   */
  | { kind: 'integer'; min: number; max: number }
  /** `Port`: 0–65535, decimal or hex. */
  | { kind: 'port' }
  /** `Time<n>`: a duration in seconds with optional decimals, optionally bounded. */
  | { kind: 'time'; min?: number; max?: number }
  /** `IP`: dotted IPv4 (each part 0–255), or an IPv6 address. */
  | { kind: 'ip' }
  /**
   * `FQDN`: an IP address or a host name (labels of letters, digits and hyphens, each ≤ 63
   * characters), with an optional `:port` when `port` is not `false`. `maxLength` defaults
   * to 63 (guides: "It can contain up to 63 characters"); set it for longer fields.
   */
  | { kind: 'host'; port?: boolean; maxLength?: number }
  /** `Str<n>`: printable ASCII of at most `maxLength` characters. */
  | { kind: 'string'; maxLength: number }
  /**
   * Resync delay schedule: `3600`, a list `60,120,240` (the last repeats), a random spread
   * `1800+300`, or a list whose items carry spreads `60,120+30`.
   */
  | { kind: 'schedule' }
  /** Profile_Rule / Upgrade_Rule / Report_Rule: the validator's rule grammar checks these. */
  | { kind: 'rule'; rule: 'profile' | 'upgrade' | 'report' }
  /** `DialPlanScript`: checked here only for balanced `( )`, `[ ]` and `< >`. */
  | { kind: 'dialplan' }
  /** A password or other secret: any text up to `maxLength`; never echoed in messages. */
  | { kind: 'password'; maxLength?: number }
  /**
   * A value that must match a regular expression (JavaScript syntax, anchored by the checker),
   * for documented formats the other kinds do not cover: `Resync_At__HHmm_`, `Time_Zone`.
   * `expected` says in words what the value looks like, for messages.
   */
  | { kind: 'pattern'; regex: string; expected: string }
  /** Anything: free text whose syntax the guides do not pin down. */
  | { kind: 'free' };

/** The `kind` tags of {@link ParameterType}. */
export type ParameterKind = ParameterType['kind'];

/** What an index in a pattern name counts. */
export type IndexKind = 'line' | 'key' | 'kem-unit' | 'kem-key' | 'other';

/** The documented range of `{n}` (or `{m}`) in a pattern name. */
export interface IndexRange {
  min: number;
  max: number;
  kind: IndexKind;
}

/** Product families as the model table names them. */
export type CatalogFamily = '6800' | '7800' | '8800' | 'ATA190';

/**
 * One parameter, or a family of indexed parameters.
 *
 * `name` is the exact XML element name (`Station_Name`), or a pattern where `{n}` stands for
 * an index (`Line_Enable_{n}_`) and, for two-index names, `{m}` for the second
 * (`Unit_{n}_Key_{m}_`). Indexes are written in decimal without leading zeros.
 */
export interface CatalogEntry {
  name: string;
  /** Range of `{n}`; required when the name contains `{n}`. */
  index?: IndexRange;
  /** Range of `{m}`; required when the name contains `{m}`. */
  subIndex?: IndexRange;
  type: ParameterType;
  /** Factory default as the guide gives it (text, as it would appear in a profile). */
  default?: string;
  /** Credentials and key material: warn when sent in a profile that is not encrypted. */
  secret?: boolean;
  /** Families that have the parameter; absent means every MPP family. */
  families?: readonly CatalogFamily[];
  /** Where the facts come from: guide name and section or table. */
  source: string;
}

/** The whole catalog: a list of entries, each name (or pattern) once. */
export type Catalog = readonly CatalogEntry[];

/** What {@link lookupParameter} found. Shared between calls (memoised): read, don't mutate. */
export interface ParameterMatch {
  readonly entry: CatalogEntry;
  /** The value of `{n}` when the entry is a pattern. */
  readonly index?: number;
  /** The value of `{m}` when the entry has a second index. */
  readonly subIndex?: number;
}

const INDEX_TOKEN = /\{([nm])\}/g;

interface CompiledPattern {
  entry: CatalogEntry;
  regex: RegExp;
  /** Order of the captures: 'n' and/or 'm'. */
  order: ('n' | 'm')[];
}

interface CompiledCatalog {
  exact: Map<string, CatalogEntry>;
  patterns: CompiledPattern[];
  /** Memo of concrete names already resolved (the hot path of `validate`). */
  memo: Map<string, ParameterMatch | null>;
}

const compiled = new WeakMap<Catalog, CompiledCatalog>();

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isPattern(name: string): boolean {
  return name.includes('{n}') || name.includes('{m}');
}

function compile(catalog: Catalog): CompiledCatalog {
  const cached = compiled.get(catalog);
  if (cached) return cached;
  const exact = new Map<string, CatalogEntry>();
  const patterns: CompiledPattern[] = [];
  for (const entry of catalog) {
    if (!isPattern(entry.name)) {
      exact.set(entry.name, entry);
      continue;
    }
    const order: ('n' | 'm')[] = [];
    const source = entry.name
      .split(INDEX_TOKEN)
      .map((part, i) => {
        if (i % 2 === 0) return escapeRegex(part);
        order.push(part as 'n' | 'm');
        return '([1-9][0-9]{0,3})';
      })
      .join('');
    patterns.push({ entry, regex: new RegExp(`^${source}$`), order });
  }
  const result: CompiledCatalog = { exact, patterns, memo: new Map() };
  compiled.set(catalog, result);
  return result;
}

function inRange(value: number, range: IndexRange | undefined): boolean {
  return range !== undefined && value >= range.min && value <= range.max;
}

/**
 * Finds the entry for a parameter name: an exact name first, then a pattern whose indexes
 * fall inside the entry's documented range (`Line_Enable_11_` does not match a 1–10 range).
 * Names are case-sensitive, as on the phone.
 *
 * @example
 * lookupParameter(DEFAULT_CATALOG, 'Line_Enable_3_'); // { entry: {name: 'Line_Enable_{n}_', …}, index: 3 }
 * lookupParameter(DEFAULT_CATALOG, 'Station_Name');    // { entry: {name: 'Station_Name', …} }
 * lookupParameter(DEFAULT_CATALOG, 'Staton_Name');     // undefined
 */
export function lookupParameter(catalog: Catalog, name: string): ParameterMatch | undefined {
  const c = compile(catalog);
  const memo = c.memo.get(name);
  if (memo !== undefined) return memo ?? undefined;
  let found: ParameterMatch | null = null;
  const entry = c.exact.get(name);
  if (entry) {
    found = { entry };
  } else {
    for (const pattern of c.patterns) {
      const m = pattern.regex.exec(name);
      if (!m) continue;
      let index: number | undefined;
      let subIndex: number | undefined;
      for (const [i, token] of pattern.order.entries()) {
        const value = Number(m[i + 1]);
        if (token === 'n') index = value;
        else subIndex = value;
      }
      const ok =
        (index === undefined || inRange(index, pattern.entry.index)) &&
        (subIndex === undefined || inRange(subIndex, pattern.entry.subIndex));
      if (ok) {
        found = { entry: pattern.entry };
        if (index !== undefined) found = { ...found, index };
        if (subIndex !== undefined) found = { ...found, subIndex };
        break;
      }
    }
  }
  if (c.memo.size < 100_000) c.memo.set(name, found);
  return found ?? undefined;
}

/**
 * Every concrete parameter name in the catalog, patterns expanded over their index ranges, in
 * catalog order. For "did you mean" suggestions and coverage counts.
 *
 * @example
 * catalogNames([{ name: 'Line_Enable_{n}_', index: { min: 1, max: 2, kind: 'line' }, … }]);
 * // ['Line_Enable_1_', 'Line_Enable_2_']
 */
export function catalogNames(catalog: Catalog): string[] {
  const names: string[] = [];
  for (const entry of catalog) {
    if (!isPattern(entry.name)) {
      names.push(entry.name);
      continue;
    }
    const ns = entry.index ? range(entry.index) : [undefined];
    const ms = entry.subIndex ? range(entry.subIndex) : [undefined];
    for (const n of ns) {
      for (const m of ms) {
        names.push(
          entry.name.replace(INDEX_TOKEN, (_all, token: string) => String(token === 'n' ? n : m)),
        );
      }
    }
  }
  return names;
}

function range(r: IndexRange): number[] {
  const out: number[] = [];
  for (let i = r.min; i <= r.max; i++) out.push(i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Value checks

function quote(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return JSON.stringify(shown);
}

/** Parses a guide integer: decimal or `0x` hex, optional sign. NaN when malformed. */
function parseGuideInteger(text: string): number {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|([0-9]+))$/.exec(text);
  if (!m) return Number.NaN;
  const magnitude = m[2] !== undefined ? parseInt(m[2], 16) : parseInt(m[3] ?? '', 10);
  return m[1] === '-' ? -magnitude : magnitude;
}

const IPV4 =
  /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;

function isIpv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
  const double = text.split('::');
  if (double.length > 2) return false;
  const groups = (part: string): string[] | undefined => {
    if (part === '') return [];
    const gs = part.split(':');
    return gs.every((g, i) =>
      /^[0-9a-fA-F]{1,4}$/.test(g) ? true : i === gs.length - 1 && IPV4.test(g),
    )
      ? gs
      : undefined;
  };
  const head = groups(double[0] ?? '');
  const tail = double.length === 2 ? groups(double[1] ?? '') : [];
  if (!head || !tail) return false;
  const count = [...head, ...tail].reduce((sum, g) => sum + (g.includes('.') ? 2 : 1), 0);
  return double.length === 2 ? count < 8 : count === 8;
}

function isIp(text: string): boolean {
  return IPV4.test(text) || isIpv6(text);
}

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function isHostName(text: string): boolean {
  const labels = (text.endsWith('.') ? text.slice(0, -1) : text).split('.');
  return labels.length > 0 && labels.every((label) => LABEL.test(label));
}

function checkHost(
  type: { port?: boolean; maxLength?: number },
  value: string,
): string | undefined {
  const max = type.maxLength ?? 63;
  const allowPort = type.port !== false;
  const expected = `expected an IP address or host name${allowPort ? ' (optional :port)' : ''} of at most ${max} characters, got ${quote(value)}`;
  if (value.length > max) return expected;
  let host = value;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(value);
  if (bracketed) {
    host = bracketed[1] ?? '';
    port = bracketed[2];
    if (!isIpv6(host)) return expected;
  } else if (isIpv6(value)) {
    return undefined;
  } else {
    const colon = value.lastIndexOf(':');
    if (colon >= 0) {
      host = value.slice(0, colon);
      port = value.slice(colon + 1);
    }
    if (!IPV4.test(host) && !isHostName(host)) return expected;
  }
  if (port !== undefined) {
    if (!allowPort) return expected;
    const p = parseGuideInteger(port);
    if (!/^[0-9]+$/.test(port) || p > 65535) return expected;
  }
  return undefined;
}

function checkSchedule(value: string): string | undefined {
  const item = /^[0-9]+(\+[0-9]+)?$/;
  const items = value.split(',').map((s) => s.trim());
  if (items.every((s) => item.test(s))) return undefined;
  return `expected seconds (3600), a list (60,120,240) or a random spread (1800+300), got ${quote(value)}`;
}

function checkDialPlan(value: string): string | undefined {
  const closers: Record<string, string> = { ')': '(', ']': '[', '>': '<' };
  const stack: string[] = [];
  for (const ch of value) {
    if (ch === '(' || ch === '[' || ch === '<') stack.push(ch);
    else if (ch in closers) {
      if (stack.pop() !== closers[ch]) {
        return `expected a dial plan with balanced ( ), [ ] and < >, got an unmatched "${ch}" in ${quote(value)}`;
      }
    }
  }
  if (stack.length > 0) {
    return `expected a dial plan with balanced ( ), [ ] and < >, got an unclosed "${stack[stack.length - 1]}" in ${quote(value)}`;
  }
  return undefined;
}

function describeRange(min: number, max: number): string {
  return `an integer from ${min} to ${max}`;
}

/**
 * Checks a value against a parameter type. Returns undefined when the value is acceptable,
 * otherwise a short message saying what was expected and what arrived. The value is trimmed
 * first and an empty value is always accepted (see the module comment). Messages for
 * `password` never repeat the value.
 *
 * @example
 * checkValue({ kind: 'bool' }, 'yes');        // undefined
 * checkValue({ kind: 'bool' }, 'yes please'); // 'expected Yes or No, got "yes please"'
 * checkValue({ kind: 'integer', min: 0, max: 255 }, '0x100'); // 'expected an integer from 0 to 255, got "0x100"'
 */
export function checkValue(type: ParameterType, rawValue: string): string | undefined {
  const value = rawValue.trim();
  if (value === '') return undefined;
  switch (type.kind) {
    case 'bool':
      return /^(yes|no)$/i.test(value) ? undefined : `expected Yes or No, got ${quote(value)}`;
    case 'enum': {
      const ok = type.caseSensitive
        ? type.values.includes(value)
        : type.values.some((v) => v.toLowerCase() === value.toLowerCase());
      if (ok) return undefined;
      const list = type.values.map((v) => JSON.stringify(v));
      const shown = list.length > 8 ? [...list.slice(0, 8), '…'] : list;
      return `expected one of ${shown.join(', ')}, got ${quote(value)}`;
    }
    case 'integer': {
      const n = parseGuideInteger(value);
      return Number.isFinite(n) && n >= type.min && n <= type.max
        ? undefined
        : `expected ${describeRange(type.min, type.max)}, got ${quote(value)}`;
    }
    case 'port': {
      const n = parseGuideInteger(value);
      return Number.isFinite(n) && n >= 0 && n <= 65535
        ? undefined
        : `expected a port from 0 to 65535, got ${quote(value)}`;
    }
    case 'time': {
      const ok = /^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$/.test(value);
      const n = Number(value);
      const min = type.min ?? 0;
      const max = type.max ?? Number.POSITIVE_INFINITY;
      if (ok && n >= min && n <= max) return undefined;
      const bounds = Number.isFinite(max) ? ` from ${min} to ${max}` : '';
      return `expected a time in seconds${bounds} (decimals allowed), got ${quote(value)}`;
    }
    case 'ip':
      return isIp(value) ? undefined : `expected an IP address, got ${quote(value)}`;
    case 'host':
      return checkHost(type, value);
    case 'string':
      return value.length <= type.maxLength
        ? undefined
        : `expected at most ${type.maxLength} characters, got ${value.length}`;
    case 'schedule':
      return checkSchedule(value);
    case 'dialplan':
      return checkDialPlan(value);
    case 'password':
      return type.maxLength === undefined || value.length <= type.maxLength
        ? undefined
        : `expected at most ${type.maxLength} characters, got ${value.length} (value not shown)`;
    case 'pattern':
      return compilePattern(type.regex).test(value)
        ? undefined
        : `expected ${type.expected}, got ${quote(value)}`;
    case 'rule':
    case 'free':
      return undefined;
  }
}

const patternCache = new Map<string, RegExp>();

function compilePattern(source: string): RegExp {
  let regex = patternCache.get(source);
  if (!regex) {
    regex = new RegExp(`^(?:${source})$`);
    patternCache.set(source, regex);
  }
  return regex;
}

// ---------------------------------------------------------------------------------------------
// User catalog files

/*
 * User catalog format (`--catalog <file>`), JSON:
 *
 *   { "parameters": [ Entry, … ] }        or a bare array [ Entry, … ]
 *
 *   Entry = {
 *     "name":     string,   exact XML element name, or pattern with {n} (and {m}); required
 *     "type":     Type,     required
 *     "index":    { "min": int ≥ 0, "max": int ≥ min, "kind": "line"|"key"|"kem-unit"|"kem-key"|"other" }
 *                           required when name has {n}, forbidden otherwise
 *     "subIndex": same as index, for {m}
 *     "default":  string
 *     "secret":   boolean
 *     "families": [ "6800" | "7800" | "8800" | "ATA190", … ]
 *     "source":   string    optional; defaults to the file name
 *   }
 *
 *   Type = "bool" | "port" | "ip" | "schedule" | "dialplan" | "free"     (shorthand)
 *        | { "kind": "bool" | "port" | "ip" | "schedule" | "dialplan" | "free" }
 *        | { "kind": "enum", "values": [string, …] (non-empty), "caseSensitive"?: boolean }
 *        | { "kind": "integer", "min": integer, "max": integer ≥ min }
 *        | { "kind": "time", "min"?: number, "max"?: number }
 *        | { "kind": "host", "port"?: boolean, "maxLength"?: integer > 0 }
 *        | { "kind": "string", "maxLength": integer > 0 }
 *        | { "kind": "rule", "rule": "profile" | "upgrade" | "report" }
 *        | { "kind": "password", "maxLength"?: integer > 0 }
 *        | { "kind": "pattern", "regex": string (JavaScript, anchored), "expected": string }
 */

const SIMPLE_KINDS = ['bool', 'port', 'ip', 'schedule', 'dialplan', 'free'] as const;
const ALL_KINDS: readonly ParameterKind[] = [
  'bool',
  'enum',
  'integer',
  'port',
  'time',
  'ip',
  'host',
  'string',
  'schedule',
  'rule',
  'dialplan',
  'password',
  'pattern',
  'free',
];
const INDEX_KINDS: readonly IndexKind[] = ['line', 'key', 'kem-unit', 'kem-key', 'other'];
const FAMILIES: readonly CatalogFamily[] = ['6800', '7800', '8800', 'ATA190'];
const ENTRY_KEYS = ['name', 'type', 'index', 'subIndex', 'default', 'secret', 'families', 'source'];

type Json = unknown;

function isObject(x: Json): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: Json): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return JSON.stringify(x.length > 30 ? `${x.slice(0, 27)}...` : x);
  if (typeof x === 'object') return 'an object';
  return `${typeof x} ${String(x)}`;
}

function isInt(x: Json): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}

function parseType(
  raw: Json,
  fail: (field: string, expected: string, got: Json) => never,
): ParameterType {
  if (typeof raw === 'string') {
    if ((SIMPLE_KINDS as readonly string[]).includes(raw)) return { kind: raw } as ParameterType;
    return fail('type', `one of ${SIMPLE_KINDS.join(', ')} or a type object`, raw);
  }
  if (!isObject(raw)) return fail('type', 'a type name or an object with "kind"', raw);
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(ALL_KINDS as readonly string[]).includes(kind)) {
    return fail('type.kind', `one of ${ALL_KINDS.join(', ')}`, kind);
  }
  const optionalPositiveInt = (key: string): number | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (!isInt(v) || v <= 0) return fail(`type.${key}`, 'a positive integer', v);
    return v;
  };
  switch (kind as ParameterKind) {
    case 'enum': {
      const values = raw.values;
      if (
        !Array.isArray(values) ||
        values.length === 0 ||
        !values.every((v) => typeof v === 'string')
      ) {
        return fail('type.values', 'a non-empty array of strings', values);
      }
      const caseSensitive = raw.caseSensitive;
      if (caseSensitive !== undefined && typeof caseSensitive !== 'boolean') {
        return fail('type.caseSensitive', 'true or false', caseSensitive);
      }
      return caseSensitive === undefined
        ? { kind: 'enum', values: values as string[] }
        : { kind: 'enum', values: values as string[], caseSensitive };
    }
    case 'integer': {
      const { min, max } = raw;
      if (!isInt(min)) return fail('type.min', 'an integer', min);
      if (!isInt(max) || max < min) return fail('type.max', `an integer ≥ ${min}`, max);
      return { kind: 'integer', min, max };
    }
    case 'time': {
      const { min, max } = raw;
      if (min !== undefined && (typeof min !== 'number' || min < 0)) {
        return fail('type.min', 'a number ≥ 0', min);
      }
      if (max !== undefined && (typeof max !== 'number' || max < (min ?? 0))) {
        return fail('type.max', `a number ≥ ${String(min ?? 0)}`, max);
      }
      const t: ParameterType = { kind: 'time' };
      if (min !== undefined) t.min = min;
      if (max !== undefined) t.max = max;
      return t;
    }
    case 'host': {
      const port = raw.port;
      if (port !== undefined && typeof port !== 'boolean')
        return fail('type.port', 'true or false', port);
      const t: ParameterType = { kind: 'host' };
      if (port !== undefined) t.port = port;
      const maxLength = optionalPositiveInt('maxLength');
      if (maxLength !== undefined) t.maxLength = maxLength;
      return t;
    }
    case 'string': {
      const maxLength = optionalPositiveInt('maxLength');
      if (maxLength === undefined) return fail('type.maxLength', 'a positive integer', undefined);
      return { kind: 'string', maxLength };
    }
    case 'rule': {
      const rule = raw.rule;
      if (rule !== 'profile' && rule !== 'upgrade' && rule !== 'report') {
        return fail('type.rule', '"profile", "upgrade" or "report"', rule);
      }
      return { kind: 'rule', rule };
    }
    case 'password': {
      const maxLength = optionalPositiveInt('maxLength');
      return maxLength === undefined ? { kind: 'password' } : { kind: 'password', maxLength };
    }
    case 'pattern': {
      const { regex, expected } = raw;
      if (typeof regex !== 'string' || regex === '') {
        return fail('type.regex', 'a non-empty regular expression string', regex);
      }
      try {
        new RegExp(regex);
      } catch (error) {
        return fail(
          'type.regex',
          `a valid regular expression (${(error as Error).message})`,
          regex,
        );
      }
      if (typeof expected !== 'string' || expected === '') {
        return fail('type.expected', 'a short description of the format', expected);
      }
      return { kind: 'pattern', regex, expected };
    }
    default:
      return { kind } as ParameterType;
  }
}

function parseIndex(
  raw: Json,
  field: string,
  fail: (field: string, expected: string, got: Json) => never,
): IndexRange {
  if (!isObject(raw)) return fail(field, 'an object { min, max, kind }', raw);
  const { min, max, kind } = raw;
  if (!isInt(min) || min < 0) return fail(`${field}.min`, 'an integer ≥ 0', min);
  if (!isInt(max) || max < min) return fail(`${field}.max`, `an integer ≥ ${min}`, max);
  if (typeof kind !== 'string' || !(INDEX_KINDS as readonly string[]).includes(kind)) {
    return fail(`${field}.kind`, `one of ${INDEX_KINDS.join(', ')}`, kind);
  }
  return { min, max, kind: kind as IndexKind };
}

/**
 * Parses and checks a user catalog file (format in the comment above). Throws an Error whose
 * message names the file, the entry (by position and name) and the field, and says what was
 * expected and what arrived.
 *
 * @example
 * parseCatalogJson('{"parameters":[{"name":"X_Custom","type":"bool"}]}', 'site.json');
 * // [{ name: 'X_Custom', type: { kind: 'bool' }, source: 'site.json' }]
 * parseCatalogJson('[{"name":"X","type":"number"}]', 'site.json');
 * // throws: site.json: entry 0 ("X"): "type" expected one of bool, port, …, got "number"
 */
export function parseCatalogJson(text: string, fileName: string): CatalogEntry[] {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not valid JSON: ${(error as Error).message}`);
  }
  let list: Json;
  if (Array.isArray(doc)) list = doc;
  else if (isObject(doc) && Array.isArray(doc.parameters)) list = doc.parameters;
  else
    throw new Error(
      `${fileName}: expected an array of entries or { "parameters": [...] }, got ${describe(doc)}`,
    );

  const entries: CatalogEntry[] = [];
  const seen = new Map<string, number>();
  (list as Json[]).forEach((raw, position) => {
    const label = (): string =>
      isObject(raw) && typeof raw.name === 'string'
        ? `entry ${position} (${JSON.stringify(raw.name)})`
        : `entry ${position}`;
    const fail = (field: string, expected: string, got: Json): never => {
      throw new Error(
        `${fileName}: ${label()}: "${field}" expected ${expected}, got ${got === undefined ? 'nothing' : describe(got)}`,
      );
    };
    if (!isObject(raw)) {
      throw new Error(`${fileName}: ${label()}: expected an object, got ${describe(raw)}`);
    }
    for (const key of Object.keys(raw)) {
      if (!ENTRY_KEYS.includes(key)) {
        throw new Error(
          `${fileName}: ${label()}: unknown field "${key}" (expected ${ENTRY_KEYS.join(', ')})`,
        );
      }
    }
    const name = raw.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.{}-]+$/.test(name.replace(/\{[nm]\}/g, '0'))) {
      return fail(
        'name',
        'an XML element name (letters, digits, _ - .), {n}/{m} for indexes',
        name,
      );
    }
    if (/\{(?![nm]\})/.test(name)) {
      return fail('name', 'only {n} and {m} as index placeholders', name);
    }
    const placeholders = name.match(/\{[nm]\}/g) ?? [];
    if (new Set(placeholders).size !== placeholders.length) {
      return fail('name', 'each of {n} and {m} at most once', name);
    }
    if (name.includes('{m}') && !name.includes('{n}')) {
      return fail('name', '{n} before a second index {m}', name);
    }
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw new Error(
        `${fileName}: ${label()}: duplicate name, already defined by entry ${previous}`,
      );
    }
    seen.set(name, position);
    const entry: CatalogEntry = { name, type: parseType(raw.type, fail), source: fileName };
    const hasN = name.includes('{n}');
    const hasM = name.includes('{m}');
    if (hasN) entry.index = parseIndex(raw.index, 'index', fail);
    else if (raw.index !== undefined) fail('index', 'nothing, as the name has no {n}', raw.index);
    if (hasM) entry.subIndex = parseIndex(raw.subIndex, 'subIndex', fail);
    else if (raw.subIndex !== undefined)
      fail('subIndex', 'nothing, as the name has no {m}', raw.subIndex);
    if (raw.default !== undefined) {
      if (typeof raw.default !== 'string') fail('default', 'a string', raw.default);
      else entry.default = raw.default;
    }
    if (raw.secret !== undefined) {
      if (typeof raw.secret !== 'boolean') fail('secret', 'true or false', raw.secret);
      else entry.secret = raw.secret;
    }
    if (raw.families !== undefined) {
      const fams = raw.families;
      if (!Array.isArray(fams) || !fams.every((f) => (FAMILIES as readonly Json[]).includes(f))) {
        fail('families', `an array of ${FAMILIES.join(', ')}`, fams);
      } else entry.families = fams as CatalogFamily[];
    }
    if (raw.source !== undefined) {
      if (typeof raw.source !== 'string' || raw.source.trim() === '')
        fail('source', 'a non-empty string', raw.source);
      else entry.source = raw.source;
    }
    entries.push(entry);
  });
  return entries;
}

/**
 * Merges a user catalog into a base one: an extra entry replaces the base entry of the same
 * name (in place, keeping the base order); new names are appended. When `extra` names a
 * parameter twice the last one wins, as in a profile. Neither input changes.
 *
 * @example
 * mergeCatalog(DEFAULT_CATALOG, parseCatalogJson(text, 'site.json'));
 */
export function mergeCatalog(base: Catalog, extra: Catalog): CatalogEntry[] {
  const overrides = new Map(extra.map((e) => [e.name, e]));
  const merged = base.map((e) => overrides.get(e.name) ?? e);
  const baseNames = new Set(base.map((e) => e.name));
  const appended = new Set<string>();
  for (const e of extra) {
    if (baseNames.has(e.name) || appended.has(e.name)) continue;
    appended.add(e.name);
    merged.push(overrides.get(e.name) ?? e);
  }
  return merged;
}

export { DEFAULT_CATALOG } from './catalog-data/index.js';
