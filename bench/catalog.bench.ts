/**
 * Parameter catalog against the export corpus (test/corpus/): the share of distinct parameter
 * names known and the false errors, per export and for the held-out set (issue 9 targets:
 * >= 99 % known, 0 false errors on exports not used to build the catalog). The held-out set
 * is reported as the first three files (whose unknown names were later used as search terms,
 * see test/corpus/README.md), the files added in the third round, and all together; each also
 * counted over only the names no tuning export has (the overlap with tuning files is known by
 * construction and flatters the plain figure).
 * Run: node --import tsx bench/catalog.bench.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureExport, type CorpusExport, type CorpusMeasure } from '../test/corpus/corpus.js';

const DIR = fileURLToPath(new URL('../test/corpus/exports/', import.meta.url));
const FAMILY_MODEL: Record<string, string> = { '7800': '7841', '8800': '8851', '9800': '9861' };
/** The held-out files of the first split (2026-11-30, first round). */
const FIRST_HELD_OUT = new Set(['apfelwurm-report', 'fusionpbx-ata192', 'wazo-mpp-11-3-1']);

const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as CorpusExport);
const tuningNames = new Set(
  corpus.filter((c) => c.set === 'tuning').flatMap((c) => c.parameters.map((p) => p.name)),
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
  '| export | set | --model | names known | known, names no tuning file has | false value errors (model / none) | other errors (model / none) | flagged mistakes | model-family warnings |',
);
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|');
for (const { corpus: c, withModel: m, noModel: n } of measured) {
  const names = new Set(c.parameters.map((p) => p.name));
  const own = [...names].filter((x) => !tuningNames.has(x));
  const unknown = new Set(m.unknown);
  const ownKnown = own.filter((x) => !unknown.has(x)).length;
  const family = m.diagnostics.filter((d) => d.ruleId === 'model-family').length;
  const mistakes = c.parameters.filter((p) => p.mistake).length;
  console.log(
    `| ${c.id} | ${c.set} | ${c.model ?? FAMILY_MODEL[c.family] ?? '-'} | ${m.known}/${m.distinct} (${pct(m.known, m.distinct)}) | ${c.set === 'tuning' ? '-' : `${ownKnown}/${own.length} (${pct(ownKnown, own.length)})`} | ${m.valueErrors.length} / ${n.valueErrors.length} | ${m.otherErrors.length} / ${n.otherErrors.length} | ${mistakes} | ${family} |`,
  );
}

function summary(label: string, group: Measured[]): void {
  const names = new Set<string>();
  const unknown = new Set<string>();
  let valueErrors = 0;
  let otherErrors = 0;
  for (const { corpus: c, withModel: m, noModel: n } of group) {
    for (const p of c.parameters) names.add(p.name);
    for (const u of m.unknown) unknown.add(u);
    valueErrors += m.valueErrors.length + n.valueErrors.length;
    otherErrors += m.otherErrors.length + n.otherErrors.length;
  }
  const known = names.size - unknown.size;
  const own = [...names].filter((x) => !tuningNames.has(x));
  const ownKnown = own.filter((x) => !unknown.has(x)).length;
  console.log(
    `${label}: ${known}/${names.size} distinct names known (${pct(known, names.size)}); ` +
      `names no tuning file has: ${ownKnown}/${own.length} (${pct(ownKnown, own.length)}); ` +
      `${valueErrors} false value errors, ${otherErrors} other false errors (with and without --model)`,
  );
}

const heldOut = measured.filter((x) => x.corpus.set === 'held-out');
console.log('');
summary(
  'held-out, first split',
  heldOut.filter((x) => FIRST_HELD_OUT.has(x.corpus.id)),
);
summary(
  'held-out, added in round 3',
  heldOut.filter((x) => !FIRST_HELD_OUT.has(x.corpus.id)),
);
summary('held-out, all exports', heldOut);
const unknownHeldOut = [...new Set(heldOut.flatMap((x) => x.withModel.unknown))].sort();
console.log(`\nheld-out names unknown (${unknownHeldOut.length}): ${unknownHeldOut.join(' ')}`);
