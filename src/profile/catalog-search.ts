/**
 * Looking parameters up by name or by pattern, for `cisco-prov param`: what the catalog knows
 * about a name (canonical spelling, aliases, type and allowed values, default, families,
 * secret or not, sources). Pure: the command layer prints.
 */
import {
  CATALOG_FAMILIES,
  entryOnFamily,
  lookupParameter,
  type Catalog,
  type CatalogEntry,
  type CatalogFamily,
  type IndexRange,
  type ParameterType,
} from './catalog.js';
import { isSecretParameter } from './secrets.js';

/**
 * One entry as `param` shows it.
 * @example describeEntry(entry).families
 * // ['6800', '7800', '7832', '8800', '8832', '9800', '8875']
 */
export interface ParameterInfo {
  /** The canonical (export) spelling; `{n}`/`{m}` stand for indexes. */
  name: string;
  /** `router-configuration` for an ATA router-section leaf. */
  section?: 'router-configuration';
  aliases: string[];
  index?: IndexRange;
  subIndex?: IndexRange;
  type: ParameterType;
  /** The type in words: `Bool (Yes/No)`, `one of: On Request, …`, `integer 0–255`. */
  typeText: string;
  /** Types that differ on some families (the ATA's numeric codes). */
  familyTypes?: Partial<Record<CatalogFamily, string>>;
  default?: string;
  /** The families that have it. */
  families: CatalogFamily[];
  secret: boolean;
  source: string;
}

/**
 * A value type in words.
 * @example describeType({ kind: 'integer', min: 0, max: 255 }) // 'integer 0–255 (decimal or 0x hex)'
 */
export function describeType(type: ParameterType): string {
  switch (type.kind) {
    case 'bool':
      return 'Bool (Yes/No)';
    case 'enum':
      return `one of: ${type.values.join(', ')}`;
    case 'integer':
      return `integer ${type.min}–${type.max} (decimal or 0x hex)`;
    case 'port':
      return 'port 0–65535';
    case 'time':
      return `seconds${type.min !== undefined || type.max !== undefined ? ` ${type.min ?? 0}–${type.max ?? '∞'}` : ''} (decimals allowed)`;
    case 'ip':
      return 'IP address (IPv4 or IPv6)';
    case 'host':
      return `IP or host name${type.port === false ? '' : ' [:port]'}, ≤ ${type.maxLength ?? 63} characters${type.srv ? '; or a static SRV list <host>:SRV=<host>:<port>:p=<n>[:w=<n>]|…' : ''}`;
    case 'string':
      return `text, ≤ ${type.maxLength} characters`;
    case 'schedule':
      return 'seconds, a list (60,120,240) or a random spread (1800+300)';
    case 'rule':
      return `${type.rule} rule (Profile_Rule grammar)`;
    case 'dialplan':
      return 'dial plan';
    case 'password':
      return `secret text${type.maxLength !== undefined ? `, ≤ ${type.maxLength} characters` : ''}`;
    case 'pattern':
      return type.expected;
    case 'free':
      return 'text';
  }
}

/**
 * Describes one entry.
 * @example const { entry } = lookupParameter(DEFAULT_CATALOG, 'Station_Name')!;
 * describeEntry(entry).typeText // 'text'
 */
export function describeEntry(entry: CatalogEntry): ParameterInfo {
  const info: ParameterInfo = {
    name: entry.name,
    aliases: [...(entry.aliases ?? [])],
    type: entry.type,
    typeText: describeType(entry.type),
    families: CATALOG_FAMILIES.filter((f) => entryOnFamily(entry, f)),
    secret: isSecretParameter(entry.name.replace(/\{[nm]\}/g, '1'), entry),
    source: entry.source,
  };
  if (entry.section) info.section = entry.section;
  if (entry.index) info.index = entry.index;
  if (entry.subIndex) info.subIndex = entry.subIndex;
  if (entry.default !== undefined) info.default = entry.default;
  if (entry.familyTypes) {
    const familyTypes: Partial<Record<CatalogFamily, string>> = {};
    for (const [family, type] of Object.entries(entry.familyTypes)) {
      if (type) familyTypes[family as CatalogFamily] = describeType(type);
    }
    info.familyTypes = familyTypes;
  }
  return info;
}

/** Whether a query is a pattern: it holds `*` or `?`. */
export function isNamePattern(query: string): boolean {
  return /[*?]/.test(query);
}

/**
 * Whether `text` matches `glob` (`*` any run, `?` one character), both lower-cased by the caller.
 * Not a regular expression: `.*` repeated backtracks exponentially on a miss (`********zz`, the
 * secret mask pasted, ran for minutes). This walks both once, going back only to the last `*`:
 * at most length(glob) × length(text) steps.
 */
function globMatches(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1; // the glob position after the last `*` seen
  let starText = 0; // where in the text that `*` now ends
  while (t < text.length) {
    const c = glob[g];
    if (c === '*') {
      star = ++g;
      starText = t;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      g++;
      t++;
    } else if (star >= 0) {
      g = star;
      t = ++starText;
    } else return false;
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/**
 * Entries whose name or alias matches a glob (`*` any run, `?` one character), case-insensitive.
 * A pattern name matches in its written form (`Line_Enable_{n}_`) and with its indexes filled
 * in with 1 (`Line_Enable_1_`), so both `Line_Enable_*` and `*_1_` find it.
 * @example searchParameters(DEFAULT_CATALOG, '*admin*pass*').map((e) => e.name)
 * // ['Admin_Passwd', 'Admin_Password', 'IVR_Admin_Passwd', …]
 */
export function searchParameters(catalog: Catalog, glob: string): CatalogEntry[] {
  const pattern = glob.toLowerCase();
  const names = (entry: CatalogEntry): string[] => {
    const all = [entry.name, ...(entry.aliases ?? [])];
    return [...all, ...all.map((n) => n.replace(/\{[nm]\}/g, '1'))];
  };
  return catalog
    .filter((entry) => names(entry).some((n) => globMatches(pattern, n.toLowerCase())))
    .sort(
      (a, b) => a.name.localeCompare(b.name) || (a.section ?? '').localeCompare(b.section ?? ''),
    );
}

/**
 * Entries whose name or an alias holds every word of a query, case-insensitive: how an admin
 * asks ("admin password", "sip port", "wifi password"). Words are split at spaces and `_`; hyphens
 * are ignored on both sides (`wifi` finds `Wi-Fi_…`). A pattern name is searched in its written
 * form and with its indexes filled in with 1, as by {@link searchParameters}. Listed best first:
 * the name that is the words, then names starting with them, holding them in order, holding each.
 * @example searchWords(DEFAULT_CATALOG, 'admin password').map((e) => e.name)
 * // ['Admin_Password', 'IVR_Admin_Passwd' (alias IVR_Admin_Password), 'Web_Login_Admin_Password']
 */
export function searchWords(catalog: Catalog, query: string): CatalogEntry[] {
  const words = query
    .toLowerCase()
    .replace(/-/g, '')
    .split(/[\s_]+/)
    .filter((w) => w !== '');
  if (words.length === 0) return [];
  const phrase = words.join('_');
  // 0: the name is the words (Line_Enable_{n}_ for "line enable"); 1: it starts with them;
  // 2: it holds them in order; 3: it holds each; undefined: it lacks one.
  const rank = (n: string): number | undefined => {
    const lower = n.toLowerCase().replace(/-/g, '');
    if (!words.every((w) => lower.includes(w))) return undefined;
    const bare = lower.replace(/(_?\{[nm]\})+_?$/, '').replace(/_+$/, '');
    if (bare === phrase) return 0;
    if (lower.startsWith(phrase)) return 1;
    return lower.includes(phrase) ? 2 : 3;
  };
  const ranked: { entry: CatalogEntry; rank: number }[] = [];
  for (const entry of catalog) {
    const all = [entry.name, ...(entry.aliases ?? [])];
    const ranks = all
      .flatMap((n) => [rank(n), rank(n.replace(/\{[nm]\}/g, '1'))])
      .filter((r): r is number => r !== undefined);
    if (ranks.length > 0) ranked.push({ entry, rank: Math.min(...ranks) });
  }
  return ranked
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        a.entry.name.localeCompare(b.entry.name) ||
        (a.entry.section ?? '').localeCompare(b.entry.section ?? ''),
    )
    .map((r) => r.entry);
}

/**
 * The entries a plain name finds: as the phone reads it (exact, an index, an alias), in the
 * flat profile and in the ATA's router section; else the same letters in another case.
 * @example findParameter(DEFAULT_CATALOG, 'station_name').map((e) => e.name) // ['Station_Name']
 */
export function findParameter(catalog: Catalog, name: string): CatalogEntry[] {
  const found = [
    lookupParameter(catalog, name)?.entry,
    lookupParameter(catalog, name, 'router-configuration')?.entry,
  ].filter((e): e is CatalogEntry => e !== undefined);
  if (found.length > 0) return found;
  const lower = name.toLowerCase();
  return catalog.filter(
    (e) =>
      e.name.toLowerCase() === lower || (e.aliases ?? []).some((a) => a.toLowerCase() === lower),
  );
}
