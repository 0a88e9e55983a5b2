/**
 * Builds src/profile/catalog-data/exported.ts from the TUNING exports of test/corpus/exports/
 * (never the held-out ones): every name the guide catalog lacks becomes an entry (indexed names
 * folded into `{n}`/`{m}` patterns), and what the exports show about guide entries (families,
 * wider index ranges, the export's spelling) becomes evidence applied when the catalog is
 * assembled. Run after adding a tuning export:
 *
 *   node --import tsx scripts/catalog-from-exports.ts && npx prettier --write src/profile/catalog-data/exported.ts
 *
 * Types are inferred conservatively, so that no value a phone exports is an error: the export's
 * own "available options" note gives an enumeration; Yes/No values give Bool; anything else is
 * free text. Names the secret classifier calls secret become `password` entries. A name seen
 * only in exports of a development build (CorpusExport.development) says so in its source.
 *
 * The work is a pure function of the exports and the guide entries (`exportedFromExports`, then
 * `exportedModuleText`), so that the leave-one-out measure (test/corpus/loo.ts) can build the
 * same data from all tuning exports but one; run as a script, it reads and writes the files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  PHONE_FAMILIES,
  type CatalogEntry,
  type CatalogFamily,
  type ParameterType,
} from '../src/profile/catalog.js';
import { GUIDE_PARAMETERS } from '../src/profile/catalog-data/guide.js';
import { isSecretParameter } from '../src/profile/secrets.js';
import type { CorpusExport } from '../test/corpus/corpus.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXPORTS = join(ROOT, 'test/corpus/exports');

/** Names the secret patterns would catch that hold no secret: programmable softkeys (PSK_n). */
const NOT_SECRET = /^PSK_\{n\}$|^Programmable_Softkey/;

/** The tuning exports of test/corpus/exports/ (never the held-out ones), in file-name order. */
export function loadTuningExports(dir: string = EXPORTS): CorpusExport[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CorpusExport)
    .filter((e) => e.set === 'tuning');
}

/** What one or more exports show about a guide entry (EXPORT_EVIDENCE in exported.ts). */
export interface EvidenceRecord {
  name: string;
  families?: CatalogFamily[];
  indexMax?: number;
  subIndexMax?: number;
  exportSpelling?: string;
  source: string;
}

/** The data of exported.ts: the exports' sources, evidence on guide entries, new entries. */
export interface ExportedData {
  sources: Record<string, string>;
  evidence: EvidenceRecord[];
  entries: CatalogEntry[];
}

interface Seen {
  name: string;
  value: string | null;
  options: string | undefined;
  family: CatalogFamily;
  exportId: string;
  section: 'router-configuration' | undefined;
}

/**
 * Builds exported.ts's data from the exports given (all of them are used: the caller picks the
 * tuning set, or all tuning exports but one) against the guide entries given.
 */
export function exportedFromExports(
  tuning: readonly CorpusExport[],
  guide: readonly CatalogEntry[] = GUIDE_PARAMETERS,
): ExportedData {
  const seen: Seen[] = tuning.flatMap((e) =>
    e.parameters.map((p) => ({
      name: p.name,
      value: p.value,
      options: p.options,
      family: e.family as CatalogFamily,
      exportId: e.id,
      section: p.section,
    })),
  );

  // ---- Guide entries, matched with unbounded index ranges and case-insensitively --------------

  const INDEX = /\{([nm])\}/g;
  const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Flat exported names are matched against the guide's flat entries only: a router-section
  // guide entry (catalog-data/router.ts) may share a name with a flat one (Daylight_Saving_Time_Rule).
  const guidePatterns = guide
    .filter((entry) => entry.section === undefined)
    .map((entry) => {
      const order: ('n' | 'm')[] = [];
      const source = entry.name
        .split(INDEX)
        .map((part, i) => {
          if (i % 2 === 0) return escape(part);
          order.push(part as 'n' | 'm');
          return '([0-9]+)';
        })
        .join('');
      return {
        entry,
        regex: new RegExp(`^${source}$`, 'i'),
        exact: new RegExp(`^${source}$`),
        order,
      };
    });

  interface Evidence {
    name: string;
    families: Set<CatalogFamily>;
    indexMax: number;
    subIndexMax: number;
    spellings: Set<string>;
    exports: Set<string>;
  }
  const evidence = new Map<string, Evidence>();
  const unmatched: Seen[] = [];

  // A guide entry some export spells exactly keeps its spelling; another export's case variant
  // of it is then a parameter of its own (9861: SIP_ToS_DiffServ_Value_n_ beside the 8851's TOS).
  const spelledExactly = new Set(
    seen.flatMap((s) =>
      s.section === undefined
        ? guidePatterns.filter((g) => g.exact.test(s.name)).map((g) => g.entry.name)
        : [],
    ),
  );
  for (const s of seen) {
    const hit =
      s.section === undefined
        ? (guidePatterns.find((g) => g.exact.test(s.name)) ??
          guidePatterns.find((g) => g.regex.test(s.name) && !spelledExactly.has(g.entry.name)))
        : undefined;
    if (!hit) {
      unmatched.push(s);
      continue;
    }
    let ev = evidence.get(hit.entry.name);
    if (!ev) {
      ev = {
        name: hit.entry.name,
        families: new Set(),
        indexMax: 0,
        subIndexMax: 0,
        spellings: new Set(),
        exports: new Set(),
      };
      evidence.set(hit.entry.name, ev);
    }
    ev.families.add(s.family);
    ev.exports.add(s.exportId);
    const m = hit.regex.exec(s.name);
    hit.order.forEach((token, i) => {
      const value = Number(m?.[i + 1]);
      if (token === 'n') ev.indexMax = Math.max(ev.indexMax, value);
      else ev.subIndexMax = Math.max(ev.subIndexMax, value);
    });
    if (!hit.exact.test(s.name)) {
      // Same letters, other case: the export's spelling becomes the canonical one.
      const parts = hit.entry.name.split(INDEX);
      const literal = new RegExp(
        `^${parts.map((part, i) => (i % 2 === 0 ? `(${escape(part)})` : '[0-9]+')).join('')}$`,
        'i',
      ).exec(s.name);
      if (literal) {
        ev.spellings.add(
          parts.map((part, i) => (i % 2 === 0 ? literal[i / 2 + 1] : `{${part}}`)).join(''),
        );
      }
    }
  }

  // ---- Unknown names, folded into patterns ------------------------------------------------------

  interface Group {
    shape: string;
    section: Seen['section'];
    members: Seen[];
  }
  const groups = new Map<string, Group>();
  for (const s of unmatched) {
    const shape = s.name.replace(/[0-9]+/g, '#');
    const key = `${s.section ?? ''}|${shape}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { shape, section: s.section, members: [] }));
    g.members.push(s);
  }

  /** Largest index a varying digit run may take and still be read as an index (not G722/G729). */
  const MAX_INDEX = 64;

  interface Draft {
    name: string;
    index?: { min: number; max: number };
    subIndex?: { min: number; max: number };
    members: Seen[];
    section: Seen['section'];
  }

  const drafts: Draft[] = [];
  for (const g of groups.values()) {
    const names = [...new Set(g.members.map((m) => m.name))];
    const runs = names.map((n) => (n.match(/[0-9]+/g) ?? []).map(Number));
    const positions = runs[0]?.length ?? 0;
    const varying: number[] = [];
    for (let p = 0; p < positions; p++) {
      if (new Set(runs.map((r) => r[p])).size > 1) varying.push(p);
    }
    const foldable =
      names.length > 1 &&
      varying.length >= 1 &&
      varying.length <= 2 &&
      varying.every((p) => runs.every((r) => (r[p] ?? 0) >= 0 && (r[p] ?? 0) <= MAX_INDEX));
    if (!foldable) {
      for (const name of names) {
        drafts.push({
          name,
          members: g.members.filter((m) => m.name === name),
          section: g.section,
        });
      }
      continue;
    }
    const first = names[0] ?? '';
    let p = -1;
    const pattern = first.replace(/[0-9]+/g, (d) => {
      p++;
      const at = varying.indexOf(p);
      return at === 0 ? '{n}' : at === 1 ? '{m}' : d;
    });
    const rangeOf = (pos: number | undefined): { min: number; max: number } | undefined => {
      if (pos === undefined) return undefined;
      const values = runs.map((r) => r[pos] ?? 0);
      return { min: Math.max(Math.min(...values), 0), max: Math.max(...values) };
    };
    const draft: Draft = { name: pattern, members: g.members, section: g.section };
    const index = rangeOf(varying[0]);
    const subIndex = rangeOf(varying[1]);
    if (index) draft.index = index;
    if (subIndex) draft.subIndex = subIndex;
    drafts.push(draft);
  }

  // ---- Types --------------------------------------------------------------------------------------

  /** The export's options note as an enumeration (or an integer range), when it reads as one. */
  function typeFromOptions(note: string): ParameterType | undefined {
    const range = /^([0-9]+)\s*~\s*([0-9]+)$/.exec(note);
    if (range) return { kind: 'integer', min: Number(range[1]), max: Number(range[2]) };
    if (note.includes('|')) {
      const values = note.split('|').map((v) => v.trim());
      return values.every((v) => v !== '') ? { kind: 'enum', values } : undefined;
    }
    // ATA notes: "0:IPv4 Only, 1:IPv6 Only" (numeric codes) or "dh/st/pp", "Off, Auto, Manual".
    const items = note.split(note.includes(',') ? ',' : '/').map((v) => v.trim());
    if (items.every((v) => /^[0-9]+:/.test(v))) {
      return { kind: 'enum', values: items.map((v) => v.slice(0, v.indexOf(':'))) };
    }
    if (items.every((v) => /^[A-Za-z][A-Za-z0-9]*$/.test(v)))
      return { kind: 'enum', values: items };
    return undefined;
  }

  function inferType(draft: Draft, secret: boolean): ParameterType {
    if (secret) return { kind: 'password' };
    const values = draft.members.map((m) => m.value).filter((v): v is string => v !== null);
    const nonEmpty = values.map((v) => v.trim()).filter((v) => v !== '');
    const note = draft.members.find((m) => m.options !== undefined)?.options;
    const fromNote = note === undefined ? undefined : typeFromOptions(note);
    if (fromNote?.kind === 'enum') {
      const extra = nonEmpty.filter(
        (v) => !fromNote.values.some((x) => x.toLowerCase() === v.toLowerCase()),
      );
      return { kind: 'enum', values: [...fromNote.values, ...new Set(extra)] };
    }
    if (fromNote?.kind === 'integer') {
      const ok = nonEmpty.every(
        (v) => /^[0-9]+$/.test(v) && Number(v) >= fromNote.min && Number(v) <= fromNote.max,
      );
      if (ok) return fromNote;
    }
    if (nonEmpty.length > 0 && nonEmpty.every((v) => /^(yes|no)$/i.test(v)))
      return { kind: 'bool' };
    return { kind: 'free' };
  }

  function familiesOf(members: { family: CatalogFamily }[]): CatalogFamily[] | undefined {
    const seenOn = new Set(members.map((m) => m.family));
    const onPhone = [...seenOn].some((f) => f !== 'ATA190');
    const onAta = seenOn.has('ATA190');
    if (onPhone && onAta) return undefined;
    return onAta ? ['ATA190'] : [...PHONE_FAMILIES];
  }

  const exportsOf = (members: { exportId: string }[]): string =>
    `exports: ${[...new Set(members.map((m) => m.exportId))].sort().join(', ')}`;

  /** What shows each development-build export to be one (CorpusExport.development). */
  const development = new Map(
    tuning.flatMap((e) => (e.development === undefined ? [] : [[e.id, e.development] as const])),
  );

  /**
   * The source of a new entry: the exports that have it, and, when every one of them is a
   * development build, a note saying the name is seen on a development build only.
   */
  function sourceOf(members: { exportId: string }[]): string {
    const ids = [...new Set(members.map((m) => m.exportId))].sort();
    const dev = ids.map((id) => development.get(id));
    if (dev.some((d) => d === undefined)) return exportsOf(members);
    return `${exportsOf(members)} (seen on a development build only: ${dev.join('; ')})`;
  }

  const entries: CatalogEntry[] = drafts
    .sort(
      (a, b) => (a.section ?? '').localeCompare(b.section ?? '') || a.name.localeCompare(b.name),
    )
    .map((d) => {
      // Classify a concrete name (`wepKey1_1_`), not the pattern (`wepKey{n}_{m}_`).
      const concrete = d.members[0]?.name ?? d.name;
      const secret = isSecretParameter(concrete) && !NOT_SECRET.test(d.name);
      // Where ATA and phones both export a name, each side's values give its own type.
      const ata = d.members.filter((m) => m.family === 'ATA190');
      const phones = d.members.filter((m) => m.family !== 'ATA190');
      const both = ata.length > 0 && phones.length > 0;
      const type = inferType(both ? { ...d, members: phones } : d, secret);
      const entry: CatalogEntry = { name: d.name, type, source: sourceOf(d.members) };
      if (both) {
        const ataType = inferType({ ...d, members: ata }, secret);
        if (JSON.stringify(ataType) !== JSON.stringify(type))
          entry.familyTypes = { ATA190: ataType };
      }
      if (d.index) entry.index = { ...d.index, kind: 'other' };
      if (d.subIndex) entry.subIndex = { ...d.subIndex, kind: 'other' };
      const values = [...new Set(d.members.map((m) => m.value))];
      if (!secret && values.length === 1 && typeof values[0] === 'string' && values[0] !== '') {
        entry.default = values[0];
      }
      if (secret) entry.secret = true;
      else if (isSecretParameter(concrete)) entry.secret = false;
      const families = familiesOf(d.members);
      if (families) entry.families = families;
      if (d.section) entry.section = d.section;
      return entry;
    });

  // ---- Evidence on guide entries --------------------------------------------------------------------

  const records: EvidenceRecord[] = [];
  for (const entry of guide) {
    if (entry.section !== undefined) continue;
    const ev = evidence.get(entry.name);
    if (!ev) continue;
    const record: EvidenceRecord = {
      name: entry.name,
      source: `exports: ${[...ev.exports].sort().join(', ')}`,
    };
    const families = familiesOf([...ev.families].map((family) => ({ family })));
    if (!entry.families && families) record.families = families;
    if (entry.families) {
      const missing = [...ev.families].filter((f) => !entry.families?.includes(f));
      if (missing.length > 0) record.families = [...entry.families, ...missing];
    }
    if (entry.index && ev.indexMax > entry.index.max) record.indexMax = ev.indexMax;
    if (entry.subIndex && ev.subIndexMax > entry.subIndex.max) record.subIndexMax = ev.subIndexMax;
    if (ev.spellings.size === 1) record.exportSpelling = [...ev.spellings][0] as string;
    if (Object.keys(record).length > 2) records.push(record);
  }

  const sources = Object.fromEntries(
    tuning.map((e) => [e.id, `${e.source.repo} ${e.source.path} @ ${e.source.commit.slice(0, 7)}`]),
  );

  return { sources, evidence: records, entries };
}

/** exported.ts's text as the generator writes it (before prettier). */
export function exportedModuleText({ sources, evidence: records, entries }: ExportedData): string {
  return `/**
 * GENERATED by scripts/catalog-from-exports.ts from the tuning exports of test/corpus/ — do not
 * edit by hand; add a tuning export and re-run. Hand-made corrections live in corrections.ts.
 *
 * EXPORTED_PARAMETERS: names the phones export that the guide catalog lacks. EXPORT_EVIDENCE:
 * what the exports show about guide entries (families seen on, wider index ranges, the
 * export's spelling of a name).
 */
import type { CatalogEntry, CatalogFamily } from '../catalog.js';

/** The tuning exports, by id: repository, path and commit. */
export const EXPORT_SOURCES: Readonly<Record<string, string>> = ${JSON.stringify(sources)};

/** What one or more exports show about a guide entry. */
export interface ExportEvidence {
  name: string;
  families?: readonly CatalogFamily[];
  indexMax?: number;
  subIndexMax?: number;
  exportSpelling?: string;
  source: string;
}

export const EXPORT_EVIDENCE: readonly ExportEvidence[] = ${JSON.stringify(records)};

export const EXPORTED_PARAMETERS: readonly CatalogEntry[] = ${JSON.stringify(entries)};
`;
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  /** Where to write: the data module, or the path given (the tests regenerate into a temp file). */
  const out = process.argv[2] ?? join(ROOT, 'src/profile/catalog-data/exported.ts');
  const tuning = loadTuningExports();
  const data = exportedFromExports(tuning);
  writeFileSync(out, exportedModuleText(data));
  process.stderr.write(
    `catalog-from-exports: ${data.entries.length} new entries, ${data.evidence.length} evidence records from ${tuning.length} tuning exports\n`,
  );
}
