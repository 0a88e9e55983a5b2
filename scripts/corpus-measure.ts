/**
 * Measures the catalog against the exports in test/corpus/exports/: the share of distinct
 * parameter names known, and the values that would be false errors. Run with
 * `node --import tsx scripts/corpus-measure.ts [held-out|tuning|all] [--list]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureExport, type CorpusExport } from '../test/corpus/corpus.js';

const root = new URL('../test/corpus/exports/', import.meta.url).pathname;
const which = process.argv[2] ?? 'all';
const list = process.argv.includes('--list');
for (const file of readdirSync(root)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const corpus = JSON.parse(readFileSync(join(root, file), 'utf8')) as CorpusExport;
  if (which !== 'all' && corpus.set !== which) continue;
  const m = measureExport(corpus, corpus.model);
  const pct = ((100 * m.known) / m.distinct).toFixed(2);
  console.log(
    `${corpus.id.padEnd(22)} ${corpus.set.padEnd(9)} names ${m.known}/${m.distinct} (${pct} %), value errors ${m.valueErrors.length}, other errors ${m.otherErrors.length}`,
  );
  if (list) {
    for (const n of m.unknown) console.log(`  unknown ${n}`);
    for (const e of m.valueErrors) console.log(`  value   ${e}`);
    for (const e of m.otherErrors) console.log(`  other   ${e}`);
  }
}
