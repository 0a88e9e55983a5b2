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
 * Decisions where the guides are silent (documented in README.md, "The parameter catalog"):
 * - Values are checked after trimming leading/trailing white space, as the phone trims them
 *   (the `whitespace-value` rule reports the white space itself).
 * - An empty value is accepted for every type: the guides say an empty element sets an empty
 *   value or resets to the default, and the phone takes either without complaint.
 * - Bool is case-insensitive (the guides spell it "yes"/"no" and write `Yes`/`No` in
 *   examples). Enumerations are matched case-insensitively too unless an entry says
 *   `caseSensitive: true`; the guides never state the case rule for `{a,b,c}` choices.
 */

/**
 * Value types of the guides' data-type list, plus the syntaxes checked elsewhere.
 * @example lookupParameter(DEFAULT_CATALOG, 'Resync_Periodic')?.entry.type // { kind: 'schedule' }
 */
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
   * to 63 (guides: "It can contain up to 63 characters"); set it for longer fields. `srv`
   * also accepts Cisco's static DNS SRV list `<host>:SRV=<host>:<port>:p=<n>[:w=<n>]|…`, whose
   * length is not bounded by `maxLength` (the Proxy_<n>_ fields).
   */
  | { kind: 'host'; port?: boolean; maxLength?: number; srv?: boolean }
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

/**
 * The `kind` tags of {@link ParameterType}.
 * @example describeType({ kind: 'bool' }) // 'Bool (Yes/No)'
 */
export type ParameterKind = ParameterType['kind'];

/**
 * What an index in a pattern name counts.
 * @example lookupParameter(DEFAULT_CATALOG, 'Extension_3_')?.entry.index?.kind // 'key'
 */
export type IndexKind = 'line' | 'key' | 'kem-unit' | 'kem-key' | 'other';

/**
 * The documented range of `{n}` (or `{m}`) in a pattern name.
 * @example lookupParameter(DEFAULT_CATALOG, 'Extension_3_')?.entry.index
 * // { min: 1, max: 16, kind: 'key' }
 */
export interface IndexRange {
  min: number;
  max: number;
  kind: IndexKind;
}

/**
 * Parameter families: the model table's series, with the conference phones 7832 and 8832 as
 * their own families (their firmware is a separate load with its own parameter set). An entry
 * listing `7800` (or `8800`) also covers the 7832 (8832) unless it lists the conference family
 * on its own: the guides' series-wide statements include them.
 * @example catalogFamilyOf(findModel('8832')!) // '8832'
 */
export type CatalogFamily = '6800' | '7800' | '8800' | '7832' | '8832' | '9800' | '8875' | 'ATA190';

/**
 * Every family, in display order.
 * @example CATALOG_FAMILIES.includes('8832') // true
 */
export const CATALOG_FAMILIES: readonly CatalogFamily[] = [
  '6800',
  '7800',
  '7832',
  '8800',
  '8832',
  '9800',
  '8875',
  'ATA190',
];

/** The desk and conference phones: every family but the ATA. */
export const PHONE_FAMILIES: readonly CatalogFamily[] = CATALOG_FAMILIES.filter(
  (f) => f !== 'ATA190',
);

/**
 * The parameter family of a model from the model table: its series, except that the 7832 and
 * 8832 conference phones are families of their own.
 * @example catalogFamilyOf({ model: '8832', series: '8800' }) // '8832'
 * @example catalogFamilyOf({ model: '191', series: 'ATA190' }) // 'ATA190'
 */
export function catalogFamilyOf(model: { model: string; series: string }): CatalogFamily {
  if (model.model === '7832' || model.model === '8832') return model.model;
  return model.series as CatalogFamily;
}

/**
 * Whether an entry exists on a family. No `families` means every family.
 * @example entryOnFamily({ families: ['7800'] }, '7832') // true: the series statement covers it
 * @example entryOnFamily({ families: ['ATA190'] }, '8800') // false
 */
export function entryOnFamily(
  entry: { families?: readonly CatalogFamily[] | undefined },
  family: CatalogFamily,
): boolean {
  const families = entry.families;
  if (!families) return true;
  if (families.includes(family)) return true;
  if (family === '7832') return families.includes('7800');
  if (family === '8832') return families.includes('8800');
  return false;
}

/**
 * The value type of an entry on a family: `familyTypes` where it names the family (the ATA's
 * numeric enums), else `type`. Without a family every type applies (see checkEntryValue).
 * @example entryTypeOn(lookupParameter(DEFAULT_CATALOG, 'Line_Enable_1_')!.entry, '8800')
 * // { kind: 'bool' }
 */
export function entryTypeOn(entry: CatalogEntry, family: CatalogFamily): ParameterType {
  return entry.familyTypes?.[family] ?? entry.type;
}

/**
 * One parameter, or a family of indexed parameters.
 *
 * `name` is the exact XML element name (`Station_Name`), or a pattern where `{n}` stands for
 * an index (`Line_Enable_{n}_`) and, for two-index names, `{m}` for the second
 * (`Unit_{n}_Key_{m}_`). Indexes are written in decimal without leading zeros.
 * @example const entry: CatalogEntry = { name: 'X_Site', type: { kind: 'free' }, source: 'site' };
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
  /**
   * Families that have the parameter, as the guides or the phones' exports show it; absent
   * means every family. Only reported when a model is given (`--model`).
   */
  families?: readonly CatalogFamily[];
  /**
   * A different value type on some families (the ATA191/192 export numeric codes where the
   * desk phones export words: `PRT_Upload_Method` = `0`).
   */
  familyTypes?: Partial<Record<CatalogFamily, ParameterType>>;
  /**
   * Other spellings that reach the phone's parser (a guide's text spelling where the export
   * differs: `Report_to_Server` for `Report_To_Server`): accepted with a warning naming `name`,
   * never suggested.
   */
  aliases?: readonly string[];
  /**
   * Where the parameter lives: absent for a direct child of `<flat-profile>`;
   * `router-configuration` for a leaf of the ATA191/192's `<router-configuration>` section.
   */
  section?: 'router-configuration';
  /** Where the facts come from: guide name and section or table. */
  source: string;
}

/**
 * The whole catalog: a list of entries, each name (or pattern) once.
 * @example const catalog: Catalog = mergeCatalog(DEFAULT_CATALOG, parseCatalogJson(text, 'a.json'))
 */
export type Catalog = readonly CatalogEntry[];

/**
 * What {@link lookupParameter} found. Shared between calls (memoised): read, don't mutate.
 * @example lookupParameter(DEFAULT_CATALOG, 'Line_Enable_3_')
 * // { entry: { name: 'Line_Enable_{n}_', … }, index: 3 }
 */
export interface ParameterMatch {
  readonly entry: CatalogEntry;
  /** The value of `{n}` when the entry is a pattern. */
  readonly index?: number;
  /** The value of `{m}` when the entry has a second index. */
  readonly subIndex?: number;
  /** Set when the name found the entry through one of its aliases: the name as written. */
  readonly alias?: string;
}

const INDEX_TOKEN = /\{([nm])\}/g;

interface CompiledPattern {
  entry: CatalogEntry;
  regex: RegExp;
  /** Order of the captures: 'n' and/or 'm'. */
  order: ('n' | 'm')[];
  /** True when the name is one of the entry's aliases. */
  alias: boolean;
}

interface CompiledSection {
  exact: Map<string, { entry: CatalogEntry; alias: boolean }>;
  /**
   * Patterns by shape (every digit run, and every `{n}`/`{m}`, read as `#`): a concrete name is
   * only tried against the patterns of its own shape, not all of them (hundreds since the
   * exports' indexed names joined the catalog).
   */
  patterns: Map<string, CompiledPattern[]>;
  /** Memo of concrete names already resolved (the hot path of `validate`). */
  memo: Map<string, ParameterMatch | null>;
}

interface CompiledCatalog {
  flat: CompiledSection;
  router: CompiledSection;
}

const compiled = new WeakMap<Catalog, CompiledCatalog>();

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isPattern(name: string): boolean {
  return name.includes('{n}') || name.includes('{m}');
}

function shapeOf(name: string): string {
  return name.replace(/\{[nm]\}|[0-9]+/g, '#');
}

function newSection(): CompiledSection {
  return { exact: new Map(), patterns: new Map(), memo: new Map() };
}

function addName(
  section: CompiledSection,
  entry: CatalogEntry,
  name: string,
  alias: boolean,
): void {
  if (!isPattern(name)) {
    // The first entry of a name wins; an alias never hides a canonical name.
    const existing = section.exact.get(name);
    if (!existing || (existing.alias && !alias)) section.exact.set(name, { entry, alias });
    return;
  }
  const order: ('n' | 'm')[] = [];
  const source = name
    .split(INDEX_TOKEN)
    .map((part, i) => {
      if (i % 2 === 0) return escapeRegex(part);
      order.push(part as 'n' | 'm');
      return '(0|[1-9][0-9]{0,3})';
    })
    .join('');
  const shape = shapeOf(name);
  const list = section.patterns.get(shape) ?? [];
  list.push({ entry, regex: new RegExp(`^${source}$`), order, alias });
  // Canonical names before aliases, so an alias pattern never shadows a canonical one.
  list.sort((x, y) => Number(x.alias) - Number(y.alias));
  section.patterns.set(shape, list);
}

function compile(catalog: Catalog): CompiledCatalog {
  const cached = compiled.get(catalog);
  if (cached) return cached;
  const result: CompiledCatalog = { flat: newSection(), router: newSection() };
  for (const entry of catalog) {
    const section = entry.section === 'router-configuration' ? result.router : result.flat;
    addName(section, entry, entry.name, false);
    for (const alias of entry.aliases ?? []) addName(section, entry, alias, true);
  }
  compiled.set(catalog, result);
  return result;
}

function inRange(value: number, range: IndexRange | undefined): boolean {
  return range !== undefined && value >= range.min && value <= range.max;
}

function resolve(section: CompiledSection, name: string): ParameterMatch | null {
  const exact = section.exact.get(name);
  if (exact) return exact.alias ? { entry: exact.entry, alias: name } : { entry: exact.entry };
  for (const pattern of section.patterns.get(shapeOf(name)) ?? []) {
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
    if (!ok) continue;
    let found: ParameterMatch = { entry: pattern.entry };
    if (index !== undefined) found = { ...found, index };
    if (subIndex !== undefined) found = { ...found, subIndex };
    if (pattern.alias) found = { ...found, alias: name };
    return found;
  }
  return null;
}

/**
 * Finds the entry for a parameter name: an exact name first, then a pattern whose indexes
 * fall inside the entry's documented range (`Line_Enable_11_` does not match a 1–10 range).
 * Names are case-sensitive, as on the phone. An alias (a guide's spelling of a name the
 * export spells otherwise) finds its entry with `alias` set to the name used.
 * `section` picks the ATA's `<router-configuration>` parameters instead of the flat ones.
 *
 * @example
 * lookupParameter(DEFAULT_CATALOG, 'Line_Enable_3_'); // { entry: {name: 'Line_Enable_{n}_', …}, index: 3 }
 * lookupParameter(DEFAULT_CATALOG, 'Station_Name');    // { entry: {name: 'Station_Name', …} }
 * lookupParameter(DEFAULT_CATALOG, 'Report_to_Server'); // { entry: {name: 'Report_To_Server', …}, alias: 'Report_to_Server' }
 * lookupParameter(DEFAULT_CATALOG, 'Staton_Name');     // undefined
 */
export function lookupParameter(
  catalog: Catalog,
  name: string,
  section?: 'router-configuration',
): ParameterMatch | undefined {
  return lookupIn(sectionOf(catalog, section), name);
}

/**
 * {@link lookupParameter} with the catalog and section fixed: for a loop over one profile's
 * names, it finds the compiled catalog once rather than per name.
 * @example const lookup = parameterLookup(DEFAULT_CATALOG); lookup('Line_Enable_3_')?.index // 3
 */
export function parameterLookup(
  catalog: Catalog,
  section?: 'router-configuration',
): (name: string) => ParameterMatch | undefined {
  const compiledSection = sectionOf(catalog, section);
  return (name) => lookupIn(compiledSection, name);
}

function sectionOf(catalog: Catalog, section: 'router-configuration' | undefined): CompiledSection {
  const c = compile(catalog);
  return section === 'router-configuration' ? c.router : c.flat;
}

/** Names memoised at most (a profile has hundreds; a fleet's templates a few thousand). */
const MEMO_LIMIT = 100_000;

function lookupIn(section: CompiledSection, name: string): ParameterMatch | undefined {
  const memo = section.memo.get(name);
  if (memo !== undefined) return memo ?? undefined;
  const found = resolve(section, name);
  // The key is a flat copy: a name sliced from a profile would keep the whole profile alive.
  if (section.memo.size < MEMO_LIMIT) section.memo.set(flatCopy(name), found);
  return found ?? undefined;
}

/** A flat copy of a string (V8 internalises a property key; a slice is copied then). */
function flatCopy(text: string): string {
  const holder: Record<string, true> = {};
  holder[text] = true;
  return Object.keys(holder)[0] ?? text;
}

/**
 * Every concrete parameter name in the catalog (of the flat profile, or of `section`), patterns
 * expanded over their index ranges, in catalog order; never an alias. For "did you mean"
 * suggestions and coverage counts.
 *
 * @example
 * catalogNames([{ name: 'Line_Enable_{n}_', index: { min: 1, max: 2, kind: 'line' }, … }]);
 * // ['Line_Enable_1_', 'Line_Enable_2_']
 */
export function catalogNames(catalog: Catalog, section?: 'router-configuration'): string[] {
  const names: string[] = [];
  for (const entry of catalog) {
    if (entry.section !== section) continue;
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
  const key = (e: CatalogEntry): string => `${e.section ?? ''}:${e.name}`;
  const overrides = new Map(extra.map((e) => [key(e), e]));
  const merged = base.map((e) => overrides.get(key(e)) ?? e);
  const baseNames = new Set(base.map(key));
  const appended = new Set<string>();
  for (const e of extra) {
    if (baseNames.has(key(e)) || appended.has(key(e))) continue;
    appended.add(key(e));
    merged.push(overrides.get(key(e)) ?? e);
  }
  return merged;
}
