/**
 * Parameter catalog against the export corpus (test/corpus/): the share of distinct parameter
 * names known and the false errors, per export and for the held-out set (issue 9 targets:
 * >= 99 % known, 0 false errors on exports not used to build the catalog). The held-out set
 * is reported by the search round that added each file (the first three files' unknown names
 * were later used as search terms, see test/corpus/README.md) and all together, each also
 * counted over only the names no tuning export has (the overlap with tuning files is known by
 * construction and flatters the plain figure) — with the current catalog, and as first
 * measured (test/corpus/first-measures.json: each file measured when it was added, before any
 * catalog change; over several files a name counts as known only if every file that has it
 * knew it at its first measure, and never through an entry added with held-out gaps in view).
 * A file moved from held-out to tuning (fifth round: the 8865 export) keeps its first measure
 * and is summed with the held-out files once more, for comparison only.
 * Last section: leave-one-out over the tuning exports — each tuning export measured like a
 * held-out file against the catalog generated from the other tuning exports (test/corpus/loo.ts),
 * with what corrections.ts and the guide entries added after the corpus existed contribute,
 * pooled, and pooled with the held-out first measures (see bench/RESULTS-catalog.md).
 * Run: node --import tsx bench/catalog.bench.ts
 */
import {
  FAMILY_MODEL,
  loadCorpus,
  loadFirstMeasures,
  measureExport,
  type CorpusExport,
  type CorpusMeasure,
} from '../test/corpus/corpus.js';
import {
  leaveOneOutCatalog,
  loadPreCorpusGuide,
  PRE_CORPUS_GUIDE_COMMIT,
  type LeaveOneOutOptions,
} from '../test/corpus/loo.js';

const FIRST_MEASURES = loadFirstMeasures();
const ROUND_LABEL: Record<number, string> = {
  1: 'first split',
  3: 'added in round 3',
  4: 'added in round 4',
};

const corpus = loadCorpus();
const tuningNames = new Set(
  corpus.filter((c) => c.set === 'tuning').flatMap((c) => c.parameters.map((p) => p.name)),
);
/**
 * The tuning set before any file was moved to it from held-out (the 8865 export, fifth round):
 * the base of the "names no tuning file has" figures over all first-measured files, so that
 * they compare with the fourth round's.
 */
const originalTuningNames = new Set(
  corpus
    .filter((c) => c.set === 'tuning' && FIRST_MEASURES[c.id]?.movedToTuning === undefined)
    .flatMap((c) => c.parameters.map((p) => p.name)),
);

interface Measured {
  corpus: CorpusExport;
  withModel: CorpusMeasure;
  noModel: CorpusMeasure;
}
const measured: Measured[] = corpus.map((c) => ({
  corpus: c,
  withModel: measureExport(c, c.model ?? FAMILY_MODEL[c.family]),
  noModel: measureExport(c, undefined),
}));

const pct = (known: number, total: number): string =>
  total === 0 ? '-' : `${((100 * known) / total).toFixed(2)} %`;

console.log(
  '| export | set | --model | names known | first measure (untainted) | known, names no tuning file has | known, names no other corpus file has | false value errors (model / none) | other errors (model / none) | flagged mistakes | model-family warnings |',
);
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const { corpus: c, withModel: m, noModel: n } of measured) {
  const names = new Set(c.parameters.map((p) => p.name));
  const own = [...names].filter((x) => !tuningNames.has(x));
  const unknown = new Set(m.unknown);
  const ownKnown = own.filter((x) => !unknown.has(x)).length;
  const family = m.diagnostics.filter((d) => d.ruleId === 'model-family').length;
  const others = new Set(
    corpus.filter((o) => o.id !== c.id).flatMap((o) => o.parameters.map((p) => p.name)),
  );
  const alone = [...names].filter((x) => !others.has(x));
  const aloneKnown = alone.filter((x) => !unknown.has(x)).length;
  const first = FIRST_MEASURES[c.id];
  const firstKnown = first ? first.known - (first.taintedKnown?.length ?? 0) : 0;
  const firstText = first
    ? `${firstKnown}/${first.distinct} (${pct(firstKnown, first.distinct)})`
    : '-';
  const mistakes = c.parameters.filter((p) => p.mistake).length;
  console.log(
    `| ${c.id} | ${c.set} | ${c.model ?? FAMILY_MODEL[c.family] ?? '-'} | ${m.known}/${m.distinct} (${pct(m.known, m.distinct)}) | ${firstText} | ${c.set === 'tuning' ? '-' : `${ownKnown}/${own.length} (${pct(ownKnown, own.length)})`} | ${c.set === 'tuning' ? '-' : `${aloneKnown}/${alone.length} (${pct(aloneKnown, alone.length)})`} | ${m.valueErrors.length} / ${n.valueErrors.length} | ${m.otherErrors.length} / ${n.otherErrors.length} | ${mistakes} | ${family} |`,
  );
}

function summary(label: string, group: Measured[], tuning: Set<string> = tuningNames): void {
  const names = new Set<string>();
  const unknown = new Set<string>();
  const firstUnknown = new Set<string>();
  let valueErrors = 0;
  let otherErrors = 0;
  let firstValueErrors = 0;
  let firstOtherErrors = 0;
  for (const { corpus: c, withModel: m, noModel: n } of group) {
    for (const p of c.parameters) names.add(p.name);
    for (const u of m.unknown) unknown.add(u);
    valueErrors += m.valueErrors.length + n.valueErrors.length;
    otherErrors += m.otherErrors.length + n.otherErrors.length;
    const first = FIRST_MEASURES[c.id];
    for (const u of [...(first?.unknown ?? []), ...(first?.taintedKnown ?? [])]) {
      firstUnknown.add(u);
    }
    firstValueErrors += (first?.valueErrors.model ?? 0) + (first?.valueErrors.none ?? 0);
    firstOtherErrors += (first?.otherErrors.model ?? 0) + (first?.otherErrors.none ?? 0);
  }
  const own = [...names].filter((x) => !tuning.has(x));
  const line = (what: string, unknownSet: Set<string>, value: number, other: number): void => {
    const known = names.size - unknownSet.size;
    const ownKnown = own.filter((x) => !unknownSet.has(x)).length;
    console.log(
      `${label}, ${what}: ${known}/${names.size} distinct names known (${pct(known, names.size)}); ` +
        `names no tuning file has: ${ownKnown}/${own.length} (${pct(ownKnown, own.length)}); ` +
        `${value} value errors, ${other} other errors (with and without --model${what === 'current catalog' ? '; marked mistakes not counted' : ''})`,
    );
  };
  line('first measures', firstUnknown, firstValueErrors, firstOtherErrors);
  line('current catalog', unknown, valueErrors, otherErrors);
}

const heldOut = measured.filter((x) => x.corpus.set === 'held-out');
console.log('');
const rounds = [...new Set(heldOut.map((x) => FIRST_MEASURES[x.corpus.id]?.round ?? 0))].sort();
for (const round of rounds) {
  summary(
    `held-out, ${ROUND_LABEL[round] ?? `round ${round}`}`,
    heldOut.filter((x) => (FIRST_MEASURES[x.corpus.id]?.round ?? 0) === round),
  );
}
summary('held-out, all exports', heldOut);
// For comparison with the fourth round: every file with a first measure, the one moved to
// tuning included (its current figure is not a held-out measure: the catalog is built from it).
summary(
  'all first-measured files (held-out + moved to tuning), against the original tuning set',
  measured.filter((x) => FIRST_MEASURES[x.corpus.id] !== undefined),
  originalTuningNames,
);
const unknownHeldOut = [...new Set(heldOut.flatMap((x) => x.withModel.unknown))].sort();
console.log(`\nheld-out names unknown (${unknownHeldOut.length}): ${unknownHeldOut.join(' ')}`);

// ---- Leave-one-out over the tuning exports ----------------------------------------------------
//
// Each tuning export T measured like a held-out file, against the catalog built from the other
// tuning exports (exported.ts generated in memory without T, test/corpus/loo.ts) with the guide
// entries and corrections.ts as they are; a correction whose entry only T made is dropped. The
// guide and corrections were hand-made with every corpus file in view, so two more catalogs
// bound what they add: the same without corrections.ts, and the guide as it was before the
// corpus existed (git history, PRE_CORPUS_GUIDE_COMMIT) with the generator run against it and no
// corrections. Pooled over the four, and with the held-out files' first measures: every file
// measured once on a catalog not built from it.

const tuningExports = corpus.filter((c) => c.set === 'tuning');
const preCorpusGuide = await loadPreCorpusGuide();

interface LooMeasure {
  withModel: CorpusMeasure;
  noModel: CorpusMeasure;
  dropped: string[];
}
interface LooRow {
  corpus: CorpusExport;
  model: string | undefined;
  /** T's names no other tuning export has: the part the catalog cannot know from the rest. */
  own: Set<string>;
  others: Set<string>;
  full: LooMeasure;
  bare: LooMeasure;
  pre: LooMeasure | undefined;
}

const looMeasure = (c: CorpusExport, model: string | undefined, options: LeaveOneOutOptions) => {
  const loo = leaveOneOutCatalog(tuningExports, c.id, options);
  return {
    withModel: measureExport(c, model, loo.catalog),
    noModel: measureExport(c, undefined, loo.catalog),
    dropped: loo.droppedCorrections,
  };
};

const looRows: LooRow[] = tuningExports.map((c) => {
  const model = c.model ?? FAMILY_MODEL[c.family];
  const others = new Set(
    tuningExports.filter((o) => o.id !== c.id).flatMap((o) => o.parameters.map((p) => p.name)),
  );
  const own = new Set(c.parameters.map((p) => p.name).filter((n) => !others.has(n)));
  return {
    corpus: c,
    model,
    own,
    others,
    full: looMeasure(c, model, {}),
    bare: looMeasure(c, model, { corrections: [] }),
    pre:
      preCorpusGuide === undefined
        ? undefined
        : looMeasure(c, model, { guide: preCorpusGuide, corrections: [] }),
  };
});

const fraction = (known: number, total: number): string =>
  `${known}/${total} (${pct(known, total)})`;
const knownOf = (names: Set<string>, unknown: readonly string[]): number => {
  const u = new Set(unknown);
  return [...names].filter((n) => !u.has(n)).length;
};
const minus = (a: readonly string[], b: readonly string[]): string[] => {
  const bs = new Set(b);
  return [...new Set(a)].filter((x) => !bs.has(x)).sort();
};
/** Unknown names folded by shape (digits as #), most frequent first, the first 12. */
const shapes = (unknown: readonly string[]): string => {
  const count = new Map<string, number>();
  for (const u of new Set(unknown)) {
    const shape = u.replace(/[0-9]+/g, '#');
    count.set(shape, (count.get(shape) ?? 0) + 1);
  }
  const sorted = [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const text = sorted.slice(0, 12).map(([shape, n]) => `${shape} ×${n}`);
  return `${count.size} shapes: ${text.join(', ')}${sorted.length > 12 ? ', …' : ''}`;
};
const errorsText = (m: LooMeasure): string =>
  `${m.withModel.valueErrors.length} / ${m.noModel.valueErrors.length}`;

console.log('\n### Leave-one-out over the tuning exports\n');
console.log(
  `pre-corpus guide (${PRE_CORPUS_GUIDE_COMMIT.slice(0, 7)}): ${preCorpusGuide === undefined ? 'not available (no git history): its columns are "-"' : `${preCorpusGuide.length} entries`}\n`,
);
console.log(
  '| left out (T) | built from | --model | names known, --model | names known, no --model | known, names no other tuning file has | false value errors (model / none) | other errors (model / none) | corrections dropped |',
);
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of looRows) {
  const names = new Set(r.corpus.parameters.map((p) => p.name));
  const from = tuningExports.filter((o) => o.id !== r.corpus.id).map((o) => o.id);
  console.log(
    `| ${r.corpus.id} | ${from.join(', ')} | ${r.model ?? '-'} | ${fraction(knownOf(names, r.full.withModel.unknown), names.size)} | ${fraction(knownOf(names, r.full.noModel.unknown), names.size)} | ${fraction(knownOf(r.own, r.full.withModel.unknown), r.own.size)} | ${errorsText(r.full)} | ${r.full.withModel.otherErrors.length} / ${r.full.noModel.otherErrors.length} | ${r.full.dropped.length} |`,
  );
}

console.log('\nWhat the hand-made data adds (names counted with --model):\n');
console.log(
  '| left out (T) | known only via corrections.ts | value errors without corrections.ts (model / none) | known, no corrections.ts | known only via guide entries added after the corpus | known only on the pre-corpus guide | known, pre-corpus guide + generator, no corrections (untainted) | its false value errors (model / none) |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of looRows) {
  const names = new Set(r.corpus.parameters.map((p) => p.name));
  const viaCorrections = minus(r.bare.withModel.unknown, r.full.withModel.unknown);
  const viaNewGuide = r.pre ? minus(r.pre.withModel.unknown, r.bare.withModel.unknown) : [];
  const onlyPre = r.pre ? minus(r.bare.withModel.unknown, r.pre.withModel.unknown) : [];
  console.log(
    `| ${r.corpus.id} | ${viaCorrections.length} | ${errorsText(r.bare)} | ${fraction(knownOf(names, r.bare.withModel.unknown), names.size)} | ${r.pre ? viaNewGuide.length : '-'} | ${r.pre ? onlyPre.length : '-'} | ${r.pre ? fraction(knownOf(names, r.pre.withModel.unknown), names.size) : '-'} | ${r.pre ? errorsText(r.pre) : '-'} |`,
  );
}
for (const r of looRows) {
  const viaCorrections = minus(r.bare.withModel.unknown, r.full.withModel.unknown);
  const viaNewGuide = r.pre ? minus(r.pre.withModel.unknown, r.bare.withModel.unknown) : [];
  const details = [
    viaCorrections.length > 0 ? `known only via corrections.ts: ${viaCorrections.join(' ')}` : '',
    viaNewGuide.length > 0
      ? `known only via guide entries added after the corpus: ${viaNewGuide.join(' ')}`
      : '',
    r.full.dropped.length > 0 ? `corrections dropped: ${r.full.dropped.join(' ')}` : '',
    `unknown (--model), by shape (# = digits): ${shapes(r.full.withModel.unknown)}`,
    ...r.full.withModel.valueErrors.map((e) => `false value error (--model): ${e}`),
    ...r.full.noModel.valueErrors
      .filter((e) => !r.full.withModel.valueErrors.includes(e))
      .map((e) => `false value error (no --model): ${e}`),
    ...r.full.withModel.otherErrors.map((e) => `other error (--model): ${e}`),
    ...r.bare.withModel.valueErrors
      .filter((e) => !r.full.withModel.valueErrors.includes(e))
      .map((e) => `value error without corrections.ts (--model): ${e}`),
  ].filter((x) => x !== '');
  if (details.length > 0) console.log(`\n${r.corpus.id}:\n- ${details.join('\n- ')}`);
}

/**
 * Pools measures of several files, two ways. Distinct names: a name counts once and is known
 * when every measure of a file that has it knew it (as the held-out summaries above). Pairs:
 * every (file, name) counted, the sum of the per-file figures (how much of a new export the
 * catalog can be expected to know). Each also over its independent part: for distinct names,
 * those that no measured file's building set had; for pairs, each file's names its building set
 * lacked (for T: the other tuning exports; for a held-out first measure: the tuning exports of
 * its day, before the 8865 export moved to tuning).
 */
interface PoolPart {
  names: Set<string>;
  unknown: readonly string[];
  building: Set<string>;
  valueErrors: number;
  otherErrors: number;
}
function pool(label: string, parts: PoolPart[], errorsNote: string): void {
  const names = new Set<string>();
  const unknown = new Set<string>();
  const built = new Set<string>();
  let valueErrors = 0;
  let otherErrors = 0;
  let pairs = 0;
  let pairsKnown = 0;
  let ownPairs = 0;
  let ownPairsKnown = 0;
  for (const p of parts) {
    const u = new Set(p.unknown);
    for (const n of p.names) {
      names.add(n);
      if (p.building.has(n)) built.add(n);
      pairs++;
      if (!u.has(n)) pairsKnown++;
      if (!p.building.has(n)) {
        ownPairs++;
        if (!u.has(n)) ownPairsKnown++;
      }
    }
    for (const x of u) unknown.add(x);
    valueErrors += p.valueErrors;
    otherErrors += p.otherErrors;
  }
  const independent = new Set([...names].filter((n) => !built.has(n)));
  console.log(
    `${label}:\n` +
      `  distinct names known ${fraction(names.size - unknown.size, names.size)}, ` +
      `of the names no measuring catalog was built from ${fraction(knownOf(independent, [...unknown]), independent.size)}; ` +
      `(file, name) pairs known ${fraction(pairsKnown, pairs)}, ` +
      `of the pairs whose name the file's catalog was not built from ${fraction(ownPairsKnown, ownPairs)}; ` +
      `${valueErrors} value errors, ${otherErrors} other errors (with and without --model; ${errorsNote})`,
  );
}

const looPart = (r: LooRow, which: 'full' | 'bare' | 'pre'): PoolPart => {
  const m = r[which] ?? r.full;
  return {
    names: new Set(r.corpus.parameters.map((p) => p.name)),
    unknown: m.withModel.unknown,
    building: r.others,
    valueErrors: m.withModel.valueErrors.length + m.noModel.valueErrors.length,
    otherErrors: m.withModel.otherErrors.length + m.noModel.otherErrors.length,
  };
};
const firstPart = (c: CorpusExport): PoolPart => {
  const first = FIRST_MEASURES[c.id];
  return {
    names: new Set(c.parameters.map((p) => p.name)),
    unknown: [...(first?.unknown ?? []), ...(first?.taintedKnown ?? [])],
    building: originalTuningNames,
    valueErrors: (first?.valueErrors.model ?? 0) + (first?.valueErrors.none ?? 0),
    otherErrors: (first?.otherErrors.model ?? 0) + (first?.otherErrors.none ?? 0),
  };
};
const marked = 'marked mistakes not counted';
console.log('');
pool(
  'leave-one-out, 4 tuning exports, catalog as it is',
  looRows.map((r) => looPart(r, 'full')),
  marked,
);
pool(
  'leave-one-out, 4 tuning exports, without corrections.ts',
  looRows.map((r) => looPart(r, 'bare')),
  marked,
);
if (preCorpusGuide !== undefined) {
  pool(
    'leave-one-out, 4 tuning exports, pre-corpus guide + generator, no corrections (untainted)',
    looRows.map((r) => looPart(r, 'pre')),
    marked,
  );
}
// T's family is in the other tuning exports only for the two 8800 exports; the 9861 and the
// ATA191 are each their family's only tuning export, so without them the catalog has only the
// guide for that family (a held-out export of a family with a tuning export is the usual case).
const sameFamily = looRows.filter((r) =>
  tuningExports.some((o) => o.id !== r.corpus.id && o.family === r.corpus.family),
);
pool(
  `leave-one-out, the tuning exports whose family another tuning export has (${sameFamily.map((r) => r.corpus.id).join(', ')}), catalog as it is`,
  sameFamily.map((r) => looPart(r, 'full')),
  marked,
);
const firstMeasured = heldOut.map((x) => x.corpus).filter((c) => FIRST_MEASURES[c.id]);
pool(
  `every file on a catalog not built from it: ${looRows.length} tuning exports left out (catalog as it is) + ${firstMeasured.length} held-out first measures (untainted)`,
  [...looRows.map((r) => looPart(r, 'full')), ...firstMeasured.map(firstPart)],
  'leave-one-out: marked mistakes not counted; first measures: value errors as found, before any was marked a mistake',
);
if (preCorpusGuide !== undefined) {
  pool(
    `every file on a catalog not built from it, untainted: ${looRows.length} tuning exports left out (pre-corpus guide, no corrections) + ${firstMeasured.length} held-out first measures`,
    [...looRows.map((r) => looPart(r, 'pre')), ...firstMeasured.map(firstPart)],
    'leave-one-out: marked mistakes not counted; first measures: value errors as found, before any was marked a mistake',
  );
}
