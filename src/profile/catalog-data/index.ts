/**
 * The built-in parameter catalog: the guides' entries (guide.ts, one module per area), what
 * the phones' own exports show about them (exported.ts, generated), the hand-made corrections
 * that the exports forced (corrections.ts), then the names only the exports know.
 *
 * Spelling rule: where a guide and an export spell a name differently, the export's spelling
 * is the entry's name and the guide's becomes an alias (accepted with a warning, never
 * suggested).
 */
import type { CatalogEntry } from '../catalog.js';
import { CORRECTIONS, type Correction } from './corrections.js';
import { EXPORTED_PARAMETERS, EXPORT_EVIDENCE, type ExportEvidence } from './exported.js';
import { GUIDE_PARAMETERS } from './guide.js';

function withEvidence(entry: CatalogEntry, evidence: ExportEvidence): CatalogEntry {
  const out: CatalogEntry = { ...entry, source: `${entry.source}; ${evidence.source}` };
  if (evidence.families) out.families = evidence.families;
  if (evidence.indexMax !== undefined && out.index) {
    out.index = { ...out.index, max: evidence.indexMax };
  }
  if (evidence.subIndexMax !== undefined && out.subIndex) {
    out.subIndex = { ...out.subIndex, max: evidence.subIndexMax };
  }
  if (evidence.exportSpelling !== undefined && evidence.exportSpelling !== entry.name) {
    out.name = evidence.exportSpelling;
    out.aliases = [...(entry.aliases ?? []), entry.name];
  }
  return out;
}

function withCorrection(entry: CatalogEntry, correction: Correction): CatalogEntry {
  const { name: _name, source, ...changes } = correction;
  return { ...entry, ...changes, source: `${entry.source}; ${source}` };
}

/**
 * Applies evidence and corrections (both keyed by the guide's name) to the guide entries and
 * appends the export-only entries. Throws when a correction names no entry, so a stale one is
 * caught by the tests at once.
 */
export function assembleCatalog(
  guide: readonly CatalogEntry[],
  evidence: readonly ExportEvidence[],
  corrections: readonly Correction[],
  exported: readonly CatalogEntry[],
): CatalogEntry[] {
  const byName = new Map(evidence.map((e) => [e.name, e]));
  const fixes = new Map(corrections.map((c) => [c.name, c]));
  const out = guide.map((entry) => {
    // Evidence is about flat names; a router-section entry of the same name is another parameter.
    const ev = entry.section === undefined ? byName.get(entry.name) : undefined;
    let result = ev ? withEvidence(entry, ev) : entry;
    const fix = fixes.get(entry.name) ?? fixes.get(result.name);
    if (fix) {
      result = withCorrection(result, fix);
      fixes.delete(fix.name);
    }
    return result;
  });
  for (const entry of exported) {
    const fix = fixes.get(entry.name);
    if (fix) fixes.delete(fix.name);
    out.push(fix ? withCorrection(entry, fix) : entry);
  }
  if (fixes.size > 0) {
    throw new Error(`catalog corrections name no entry: ${[...fixes.keys()].join(', ')}`);
  }
  return out;
}

/**
 * Every parameter cisco-prov knows: guides and exports, with a source on each entry.
 * @example lookupParameter(DEFAULT_CATALOG, 'Station_Name')?.entry.name // 'Station_Name'
 */
export const DEFAULT_CATALOG: readonly CatalogEntry[] = assembleCatalog(
  GUIDE_PARAMETERS,
  EXPORT_EVIDENCE,
  CORRECTIONS,
  EXPORTED_PARAMETERS,
);
