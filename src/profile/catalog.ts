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
