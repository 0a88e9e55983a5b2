/**
 * Parameter catalog against the export corpus (test/corpus/): the share of distinct parameter
 * names known and the false value errors, per export and for the held-out set as a whole
 * (issue 9 targets: >= 99 % known, 0 false errors on exports not used to build the catalog).
 * Run: node --import tsx bench/catalog.bench.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureExport, type CorpusExport } from '../test/corpus/corpus.js';

const DIR = fileURLToPath(new URL('../test/corpus/exports/', import.meta.url));
const FAMILY_MODEL: Record<string, string> = { '7800': '7841', '8800': '8851', '9800': '9861' };
const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as CorpusExport);

console.log(
  '| export | set | --model | names known | false value errors | other errors | model-family warnings |',
);
console.log('|---|---|---|---:|---:|---:|---:|');
const heldOut = { names: new Set<string>(), unknown: new Set<string>(), falseErrors: 0 };
for (const c of corpus) {
  const model = c.model ?? FAMILY_MODEL[c.family];
  const m = measureExport(c, model);
  const family = m.diagnostics.filter((d) => d.ruleId === 'model-family').length;
  console.log(
    `| ${c.id} | ${c.set} | ${model ?? '-'} | ${m.known}/${m.distinct} (${((100 * m.known) / m.distinct).toFixed(2)} %) | ${m.valueErrors.length} | ${m.otherErrors.length} | ${family} |`,
  );
  if (c.set !== 'held-out') continue;
  for (const p of c.parameters) heldOut.names.add(p.name);
  for (const n of m.unknown) heldOut.unknown.add(n);
  heldOut.falseErrors += m.valueErrors.length + measureExport(c, undefined).valueErrors.length;
}
const known = heldOut.names.size - heldOut.unknown.size;
console.log(
  `\nheld-out, all exports: ${known}/${heldOut.names.size} distinct names known (${((100 * known) / heldOut.names.size).toFixed(2)} %), ` +
    `${heldOut.falseErrors} false value errors (with and without --model)`,
);
