/**
 * "Did you mean": the catalog names closest to an unknown name by Levenshtein distance.
 * Names are case-sensitive on the phone, so a case-only difference is the best suggestion.
 */
import { catalogNames, type Catalog } from '../profile/catalog.js';

interface NameIndex {
  /**
   * Names by length: a name more than `limit` characters longer or shorter is more than `limit`
   * edits away, so only a few lengths are compared (≈ 8× fewer distances over the catalog).
   */
  byLength: Map<number, string[]>;
  byLowerCase: Map<string, string>;
  /** Memo of answers: the same typo tends to repeat across a batch. */
  memo: Map<string, string[]>;
}

const indexes = new WeakMap<Catalog, NameIndex>();
const routerIndexes = new WeakMap<Catalog, NameIndex>();

function indexOf(catalog: Catalog, section?: 'router-configuration'): NameIndex {
  const cache = section === undefined ? indexes : routerIndexes;
  let index = cache.get(catalog);
  if (!index) {
    // Canonical names only: an alias (a guide's spelling the phone does not export) is never
    // suggested.
    const names = catalogNames(catalog, section);
    const byLength = new Map<number, string[]>();
    for (const n of names) {
      const list = byLength.get(n.length);
      if (list) list.push(n);
      else byLength.set(n.length, [n]);
    }
    index = {
      byLength,
      byLowerCase: new Map(names.map((n) => [n.toLowerCase(), n])),
      memo: new Map(),
    };
    cache.set(catalog, index);
  }
  return index;
}

/** Two rows of the distance table, reused by every call (grown when a longer name comes). */
let previousRow = new Float64Array(64);
let currentRow = new Float64Array(64);

/**
 * Levenshtein distance, or limit + 1 when it exceeds `limit`. Only the band of cells within
 * `limit` of the diagonal is computed (a path outside it costs more than `limit`), and the
 * rows are reused: "did you mean" compares a name with a thousand catalog names.
 */
export function levenshtein(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const over = limit + 1;
  if (previousRow.length <= b.length + 1) {
    previousRow = new Float64Array(b.length + 2);
    currentRow = new Float64Array(b.length + 2);
  }
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    // The cell left of the band: the first column, or a cell more than `limit` away.
    current[from - 1] = from === 1 ? i : over;
    let rowMin = current[from - 1] as number;
    const ca = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const substitution = (previous[j - 1] as number) + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = (previous[j] as number) + 1;
      const insertion = (current[j - 1] as number) + 1;
      let value = substitution < deletion ? substitution : deletion;
      if (insertion < value) value = insertion;
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    // The cell right of the band, read by the next row as its upper neighbour.
    if (to < b.length) current[to + 1] = over;
    if (rowMin > limit) return over;
    const swap = previous;
    previous = current;
    current = swap;
  }
  const distance = previous[b.length] as number;
  return distance > limit ? over : distance;
}

/**
 * Up to `max` catalog names closest to `name` (distance ≤ 2, or ≤ 3 for names over 12 chars).
 * @example suggestNames(DEFAULT_CATALOG, 'Staton_Name') // ['Station_Name']
 */
export function suggestNames(
  catalog: Catalog,
  name: string,
  max = 3,
  section?: 'router-configuration',
): string[] {
  const index = indexOf(catalog, section);
  const cached = index.memo.get(name);
  if (cached) return cached;
  const sameLetters = index.byLowerCase.get(name.toLowerCase());
  let result: string[];
  if (sameLetters) {
    result = [sameLetters];
  } else {
    const limit = name.length > 12 ? 3 : 2;
    const scored: { name: string; distance: number }[] = [];
    for (let length = name.length - limit; length <= name.length + limit; length++) {
      for (const candidate of index.byLength.get(length) ?? []) {
        const distance = levenshtein(name, candidate, limit);
        if (distance <= limit) scored.push({ name: candidate, distance });
      }
    }
    scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
    result = scored.slice(0, max).map((s) => s.name);
  }
  if (index.memo.size < 10_000) index.memo.set(name, result);
  return result;
}

/**
 * Whether an element name is `flat-profile` mistyped: another case, `_` for `-`, or up to two
 * letters off (`<Flat-Profile>`, `<flat_profile>`, `<flatprofile>`). Names are case-sensitive
 * (reference §1), so the phone reads no parameter from such an element.
 * @example isMistypedFlatProfile('Flat-Profile') // true
 */
export function isMistypedFlatProfile(name: string): boolean {
  return (
    name !== 'flat-profile' &&
    levenshtein(name.toLowerCase().replace(/_/g, '-'), 'flat-profile', 2) <= 2
  );
}
