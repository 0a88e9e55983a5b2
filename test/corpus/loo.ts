/**
 * Leave-one-out over the tuning exports: the catalog as it would be had one tuning export T
 * never been read by the generator. exported.ts is generated from the tuning exports
 * (scripts/catalog-from-exports.ts); here it is generated in memory from the other tuning
 * exports only, and assembled with the guide entries and corrections.ts as they are, so that T
 * can be measured like a held-out file (bench/catalog.bench.ts, section "Leave-one-out").
 *
 * What this does not undo: guide.ts and corrections.ts are hand-made and were edited with every
 * corpus file in view. Two variants bound that: without corrections.ts, and on the guide as it
 * was before the corpus existed (`loadPreCorpusGuide`, from git history), also without
 * corrections.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CatalogEntry } from '../../src/profile/catalog.js';
import { CORRECTIONS, type Correction } from '../../src/profile/catalog-data/corrections.js';
import { GUIDE_PARAMETERS } from '../../src/profile/catalog-data/guide.js';
import { assembleCatalog } from '../../src/profile/catalog-data/index.js';
import { exportedFromExports, type ExportedData } from '../../scripts/catalog-from-exports.js';
import type { CorpusExport } from './corpus.js';

/**
 * The last commit before the export corpus was added (bc2a4bc): its catalog-data holds only the
 * guides' entries (653 entries from Cisco's admin, provisioning and XML reference guides), made
 * before any export was read. Every later guide entry was made with corpus files in view.
 */
export const PRE_CORPUS_GUIDE_COMMIT = '342072419ed4313a3842d0f1fa5c675251a9e7ef';

export interface LeaveOneOut {
  /** The export left out. */
  leftOut: string;
  /** The exports the data was generated from. */
  from: string[];
  /** exported.ts's data as the generator makes it from `from`. */
  data: ExportedData;
  /** The catalog assembled from the guide entries, that data and the corrections kept. */
  catalog: CatalogEntry[];
  /** Corrections naming an entry the catalog no longer has (only T's export made it): dropped. */
  droppedCorrections: string[];
}

export interface LeaveOneOutOptions {
  /** The guide entries (default: the current guide.ts). */
  guide?: readonly CatalogEntry[];
  /** The corrections applied (default: corrections.ts; `[]` for none). */
  corrections?: readonly Correction[];
}

/**
 * The catalog built from every tuning export but `leftOut`. A correction naming an entry that
 * only `leftOut` made is dropped (assembleCatalog refuses a correction naming no entry); the
 * others are applied as they are.
 */
export function leaveOneOutCatalog(
  tuning: readonly CorpusExport[],
  leftOut: string,
  options: LeaveOneOutOptions = {},
): LeaveOneOut {
  if (!tuning.some((e) => e.id === leftOut)) {
    throw new Error(`leave-one-out: ${leftOut} is not a tuning export`);
  }
  if (tuning.some((e) => e.set !== 'tuning')) {
    throw new Error('leave-one-out: only tuning exports may build the catalog');
  }
  const guide = options.guide ?? GUIDE_PARAMETERS;
  const rest = tuning.filter((e) => e.id !== leftOut);
  const data = exportedFromExports(rest, guide);
  // The names assembleCatalog matches a correction against: the guide's, the export spelling
  // that evidence gives a guide entry, and the generated entries'.
  const present = new Set([
    ...guide.map((e) => e.name),
    ...data.evidence.flatMap((e) => (e.exportSpelling === undefined ? [] : [e.exportSpelling])),
    ...data.entries.map((e) => e.name),
  ]);
  const corrections = options.corrections ?? CORRECTIONS;
  const kept = corrections.filter((c) => present.has(c.name));
  const dropped = corrections.filter((c) => !present.has(c.name)).map((c) => c.name);
  return {
    leftOut,
    from: rest.map((e) => e.id),
    data,
    catalog: assembleCatalog(guide, data.evidence, kept, data.entries),
    droppedCorrections: dropped,
  };
}

/**
 * The guide entries as they were at PRE_CORPUS_GUIDE_COMMIT, read from git history (the
 * commit's catalog-data modules, imported from a temporary directory). Undefined when git or
 * the commit is not available (a shallow clone, an unpacked tarball).
 */
export async function loadPreCorpusGuide(): Promise<CatalogEntry[] | undefined> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  let files: string[];
  try {
    files = git('ls-tree', '--name-only', PRE_CORPUS_GUIDE_COMMIT, 'src/profile/catalog-data/')
      .split('\n')
      .filter((f) => f.endsWith('.ts'));
  } catch {
    return undefined;
  }
  if (files.length === 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cp-pre-corpus-'));
  try {
    // The modules import '../catalog.js' for types only; the data is in catalog-data/.
    const data = join(dir, 'catalog-data');
    mkdirSync(data);
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    for (const file of files) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      writeFileSync(join(data, name), git('show', `${PRE_CORPUS_GUIDE_COMMIT}:${file}`));
    }
    const mod = (await import(pathToFileURL(join(data, 'index.ts')).href)) as {
      DEFAULT_CATALOG: readonly CatalogEntry[];
    };
    return [...mod.DEFAULT_CATALOG];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
