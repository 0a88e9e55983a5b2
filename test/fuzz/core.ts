/**
 * In-process fuzz driver: every core parser on mutated seeds (test/fuzz/core-targets.ts).
 * Usage: node --import tsx test/fuzz/core.ts [target-substring…]
 * Env: FUZZ_SEED (default 9), FUZZ_EXECS (inputs per target, default 200), FUZZ_OUT (a directory
 * to write each finding's minimised input to), FUZZ_VERBOSE (print each finding's stack).
 * Exit 1 when a target threw an undocumented error, exceeded its time bound, or leaked a planted
 * secret; each finding is printed with its minimised input.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreTargets } from './core-targets.js';
import { fuzzTarget, show } from './lib.js';

const seed = Number(process.env.FUZZ_SEED ?? 9);
const execs = Number(process.env.FUZZ_EXECS ?? 200);
const filters = process.argv.slice(2);

// A library's process warning is printed by Node on stderr, past every message of ours (the
// yaml library quoted the text it warned about): each kind seen during a target is a finding.
const warnings = new Set<string>();
process.on('warning', (w) => warnings.add(`${w.name}: ${w.message.split('\n')[0]?.slice(0, 100)}`));

let failed = 0;
for (const target of coreTargets()) {
  if (filters.length > 0 && !filters.some((f) => target.name.includes(f))) continue;
  warnings.clear();
  const stats = await fuzzTarget(target, seed, execs);
  for (const w of warnings) {
    failed++;
    console.log(`  FINDING [process warning] ${w}`);
  }
  console.log(
    `${target.name}: ${stats.execs} execs, ${stats.expectedErrors} typed errors, ` +
      `max ${stats.maxMs.toFixed(0)} ms, total ${(stats.totalMs / 1000).toFixed(1)} s, ` +
      `${stats.findings.length} finding(s)`,
  );
  for (const f of stats.findings) {
    failed++;
    console.log(`  FINDING [${f.kind}] ${f.signature}\n    input: ${show(f.input)}`);
    if (process.env.FUZZ_VERBOSE) console.log(f.detail);
    const dir = process.env.FUZZ_OUT;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${target.name.replace(/[^A-Za-z0-9]+/g, '-')}-${failed}.bin`);
      writeFileSync(file, f.input);
      console.log(`    saved: ${file}`);
    }
  }
}
process.exit(failed > 0 ? 1 : 0);
