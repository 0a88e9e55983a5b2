/**
 * "Did you mean": the catalog names closest to an unknown name by Levenshtein distance.
 * Names are case-sensitive on the phone, so a case-only difference is the best suggestion.
 */
import { catalogNames, type Catalog } from '../profile/catalog.js';

interface NameIndex {
  names: string[];
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
    index = {
      names,
      byLowerCase: new Map(names.map((n) => [n.toLowerCase(), n])),
      memo: new Map(),
    };
    cache.set(catalog, index);
  }
  return index;
}

/** Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`. */
export function levenshtein(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
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
    for (const candidate of index.names) {
      const distance = levenshtein(name, candidate, limit);
      if (distance <= limit) scored.push({ name: candidate, distance });
    }
    scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
    result = scored.slice(0, max).map((s) => s.name);
  }
  if (index.memo.size < 10_000) index.memo.set(name, result);
  return result;
}
