/**
 * validate benchmark: 10,000 profiles of ≈ 30 KB, validated through the built CLI on both
 * cores (worker threads), next to fast-xml-parser's XMLValidator alone and our validator on one
 * core in-process. Target (issue 4): ≤ 10 s on 2 cores.
 * Run: node scripts/build.mjs --no-types && node --import tsx bench/validate.bench.ts [count]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { catalogNames, lookupParameter, type ParameterType } from '../src/profile/catalog.js';
import { DEFAULT_CATALOG } from '../src/profile/catalog-data/index.js';
import { validateProfileBytes } from '../src/validate/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'bench/.work/validate');
const COUNT = Number(process.argv[2] ?? 10_000);
const TARGET_BYTES = 30 * 1024;

/** A value of the right type, so the run measures the full rule set on realistic input. */
function sampleValue(type: ParameterType, i: number): string {
  switch (type.kind) {
    case 'bool':
      return i % 2 ? 'Yes' : 'No';
    case 'enum':
      return type.values[i % type.values.length] ?? '';
    case 'integer':
      return String(type.min);
    case 'port':
      return '5060';
    case 'time':
      return '30';
    case 'ip':
      return '10.0.0.1';
    case 'host':
      return 'prov.example.com';
    case 'string':
      return 'Station'.slice(0, type.maxLength);
    case 'schedule':
      return '60,120+30';
    case 'rule':
      return '($PN eq "CP-8841-3PCC")? [--key $SA] https://prov.example.com/cfg/$MA.xml | /$PSN.xml';
    case 'dialplan':
      return '(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)';
    default:
      return `value-${i}`;
  }
}

function generate(): void {
  const names = catalogNames(DEFAULT_CATALOG);
  mkdirSync(WORK, { recursive: true });
  for (let f = 0; f < COUNT; f++) {
    let body = '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n';
    let n = 0;
    for (const name of names) {
      if (body.length >= TARGET_BYTES) break;
      const type = lookupParameter(DEFAULT_CATALOG, name)?.entry.type ?? { kind: 'free' };
      body += `  <${name} ua="na">${sampleValue(type as ParameterType, f + n).replace(/&/g, '&amp;')}</${name}>\n`;
      n++;
    }
    // Fewer catalog names than 30 KB needs: pad with comments, as real profiles have.
    while (body.length < TARGET_BYTES) body += `  <!-- ${'section notes '.repeat(6)}-->\n`;
    body += '</flat-profile>\n';
    writeFileSync(join(WORK, `${String(f).padStart(5, '0')}.xml`), body);
  }
}

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

if (!existsSync(join(ROOT, 'dist/cli.cjs'))) {
  console.error('build first: node scripts/build.mjs --no-types');
  process.exit(1);
}
const loadBefore = loadavg()[0] ?? 0;
rmSync(WORK, { recursive: true, force: true });
const [, genMs] = time(generate);
const files = readdirSync(WORK).map((f) => join(WORK, f));
const totalBytes = files.reduce((sum, f) => sum + readFileSync(f).length, 0);

const rows: [string, number][] = [];
const cli = (jobs: string): number => {
  const [r, ms] = time(() =>
    spawnSync(process.execPath, ['bin/cisco-prov.cjs', 'validate', '--format', 'json', WORK], {
      cwd: ROOT,
      maxBuffer: 1 << 30,
      env: { ...process.env, CISCO_PROV_VALIDATE_JOBS: jobs },
    }),
  );
  if (r.status !== 0 && r.status !== 1) throw new Error(`validate failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout.toString()) as { errorCount: number }[];
  if (report.length !== COUNT) throw new Error(`expected ${COUNT} results, got ${report.length}`);
  return ms;
};
rows.push([`cisco-prov validate (CLI, ${availableParallelism()} cores, worker threads)`, cli('')]);
const [, fxpMs] = time(() => {
  for (const f of files) XMLValidator.validate(readFileSync(f, 'utf8'));
});
rows.push(['fast-xml-parser XMLValidator alone (in-process, 1 core, well-formedness only)', fxpMs]);
const [findings, oursMs] = time(() => {
  let count = 0;
  for (const f of files) count += validateProfileBytes(readFileSync(f), { file: f }).length;
  return count;
});
rows.push(['validateProfileBytes, all rules (in-process, 1 core)', oursMs]);
const xmllint = spawnSync('xmllint', ['--version']);
if (xmllint.status === 0) {
  const [, ms] = time(() => spawnSync('xmllint', ['--noout', ...files.slice(0, 1000)]));
  rows.push(['xmllint --noout (1,000 files, one process)', ms * (COUNT / 1000)]);
}

console.log(
  `${COUNT} profiles, ${(totalBytes / COUNT / 1024).toFixed(1)} KB each on average, ` +
    `${(totalBytes / 1e6).toFixed(0)} MB; generated in ${(genMs / 1000).toFixed(1)} s; ` +
    `${findings} findings in total; Node ${process.version}, ${availableParallelism()} cores, ` +
    `${new Date().toISOString().slice(0, 10)}; load average ${loadBefore.toFixed(1)} before, ` +
    `${(loadavg()[0] ?? 0).toFixed(1)} after (other work on the machine slows every row)\n`,
);
console.log('| what | time (s) | MB/s | profiles/s |');
console.log('|---|---:|---:|---:|');
for (const [what, ms] of rows) {
  console.log(
    `| ${what} | ${(ms / 1000).toFixed(2)} | ${(totalBytes / 1e6 / (ms / 1000)).toFixed(0)} | ${Math.round(COUNT / (ms / 1000))} |`,
  );
}
