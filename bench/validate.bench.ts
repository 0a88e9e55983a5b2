/**
 * validate benchmark (issues 4 and 12): 10,000 profiles of ≈ 30 KB.
 *
 * Whole process vs whole process, as a user times it: `cisco-prov validate <dir>` (the built
 * CLI, worker threads on every core, report to /dev/null) against `xmllint --noout` over the
 * same files in one process, interleaved rounds, medians; CPU time (user + sys) and peak RSS
 * from /usr/bin/time; NODE_EXTRA_CA_CERTS unset for the CLI. Target (issue 12): no slower than
 * xmllint. Then peak RSS at a quarter of the files (memory must not grow with the file count),
 * and in-process vs in-process: our core against fast-xml-parser's validator, one core each.
 *
 * Run: npm run bench -- validate   (or: node --import tsx bench/validate.bench.ts [count] [rounds])
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { catalogNames, lookupParameter, type ParameterType } from '../src/profile/catalog.js';
import { DEFAULT_CATALOG } from '../src/profile/catalog-data/index.js';
import { validateProfileBytes } from '../src/validate/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'bench/.work/validate');
const QUARTER = join(ROOT, 'bench/.work/validate-quarter');
const COUNT = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 3);
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

interface ProcessRun {
  wall: number;
  cpu: number;
  rssMb: number;
  status: number | null;
}

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

/** Runs a whole process with stdout to /dev/null; wall time here, CPU and peak RSS from time(1). */
function runProcess(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): ProcessRun {
  const stats = join(tmpdir(), `cp-bench-time-${process.pid}.txt`);
  const devNull = openSync('/dev/null', 'w');
  const start = process.hrtime.bigint();
  const r = hasTime
    ? spawnSync(TIME, ['-o', stats, '-f', '%U %S %M', cmd, ...args], {
        cwd,
        env,
        stdio: ['ignore', devNull, 'pipe'],
        maxBuffer: 1 << 26,
      })
    : spawnSync(cmd, args, { cwd, env, stdio: ['ignore', devNull, 'pipe'], maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(devNull);
  let cpu = NaN;
  let rssMb = NaN;
  if (hasTime) {
    const [user, sys, rss] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ');
    cpu = Number(user) + Number(sys);
    rssMb = Number(rss) / 1024;
    rmSync(stats, { force: true });
  }
  return { wall, cpu, rssMb, status: r.status };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

if (!existsSync(join(ROOT, 'dist/cli.cjs'))) {
  console.error('build first: node scripts/build.mjs --no-types');
  process.exit(1);
}
const loadBefore = loadavg();
rmSync(WORK, { recursive: true, force: true });
const genStart = Date.now();
generate();
const genSeconds = (Date.now() - genStart) / 1000;
const names = readdirSync(WORK).sort();
const files = names.map((f) => join(WORK, f));
const totalBytes = files.reduce((sum, f) => sum + readFileSync(f).length, 0);
rmSync(QUARTER, { recursive: true, force: true });
mkdirSync(QUARTER, { recursive: true });
for (const name of names.slice(0, Math.ceil(COUNT / 4))) {
  linkSync(join(WORK, name), join(QUARTER, name));
}

const cliEnv: NodeJS.ProcessEnv = { ...process.env };
delete cliEnv.NODE_EXTRA_CA_CERTS;
const bin = join(ROOT, 'bin/cisco-prov.cjs');
const contenders: { what: string; run: () => ProcessRun }[] = [
  {
    what: '`cisco-prov validate --format json <dir>` (2 worker threads)',
    run: () =>
      runProcess(process.execPath, [bin, 'validate', '--format', 'json', WORK], ROOT, cliEnv),
  },
  {
    what: '`cisco-prov validate <dir>` (stylish)',
    run: () => runProcess(process.execPath, [bin, 'validate', WORK], ROOT, cliEnv),
  },
];
const xmllint = spawnSync('xmllint', ['--version']).status === 0;
if (xmllint) {
  contenders.push({
    what: '`xmllint --noout <files>` (one process, well-formedness only)',
    run: () => runProcess('xmllint', ['--noout', ...names], WORK, process.env),
  });
}
const measured = contenders.map(() => [] as ProcessRun[]);
for (let round = 0; round < ROUNDS; round++) {
  contenders.forEach((c, i) => {
    const r = c.run();
    if (r.status !== 0 && r.status !== 1) throw new Error(`${c.what} exited with ${r.status}`);
    measured[i]!.push(r);
  });
}
const quarter = runProcess(
  process.execPath,
  [bin, 'validate', '--format', 'json', QUARTER],
  ROOT,
  cliEnv,
);

const timeIn = <T>(fn: () => T): [T, number] => {
  const start = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(start);
  return [result, (used.user + used.system) / 1e6];
};
const [findings, oursCpu] = timeIn(() => {
  let count = 0;
  for (const f of files) count += validateProfileBytes(readFileSync(f), { file: f }).length;
  return count;
});
const [, fxpCpu] = timeIn(() => {
  for (const f of files) XMLValidator.validate(readFileSync(f, 'utf8'));
});
const loadAfter = loadavg();

const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');
console.log(
  `${COUNT} profiles, ${(totalBytes / COUNT / 1024).toFixed(1)} KB each on average ` +
    `(${(totalBytes / 1e6).toFixed(0)} MB), generated in ${genSeconds.toFixed(1)} s; ` +
    `${findings} findings in all. ${new Date().toISOString()}; ${cpus()[0]?.model ?? '?'} × ` +
    `${availableParallelism()}, Node ${process.version}; load average ` +
    `${loadBefore.map((l) => l.toFixed(1)).join(' / ')} before, ` +
    `${loadAfter.map((l) => l.toFixed(1)).join(' / ')} after (other work slows every row).\n`,
);
console.log(
  `Whole process vs whole process: ${ROUNDS} interleaved rounds, medians (min–max wall).\n`,
);
console.log('| command | wall (s) | wall range | CPU user+sys (s) | peak RSS (MB) |');
console.log('|---|---:|---:|---:|---:|');
contenders.forEach((c, i) => {
  const runs = measured[i]!;
  const walls = runs.map((r) => r.wall);
  console.log(
    `| ${c.what} | ${fmt(median(walls))} | ${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))} | ` +
      `${fmt(median(runs.map((r) => r.cpu)))} | ${fmt(median(runs.map((r) => r.rssMb)), 0)} |`,
  );
});
if (xmllint) {
  const ours = median(measured[0]!.map((r) => r.wall));
  const theirs = median(measured[measured.length - 1]!.map((r) => r.wall));
  const oursCpuTime = median(measured[0]!.map((r) => r.cpu));
  const theirCpu = median(measured[measured.length - 1]!.map((r) => r.cpu));
  console.log(
    `\ncisco-prov (json) / xmllint, wall: **${fmt(ours / theirs)}×** (target ≤ 1.00×); ` +
      `CPU: ${fmt(oursCpuTime / theirCpu)}×.`,
  );
} else console.log('\nxmllint is not installed: no whole-process comparison.');
console.log(
  `\nPeak RSS by file count (json): ${Math.ceil(COUNT / 4)} files ${fmt(quarter.rssMb, 0)} MB, ` +
    `${COUNT} files ${fmt(median(measured[0]!.map((r) => r.rssMb)), 0)} MB.`,
);
console.log('\nIn-process vs in-process, one core, CPU time (read + check of every file):\n');
console.log('| what | CPU (s) | MB/s | profiles/s |');
console.log('|---|---:|---:|---:|');
for (const [what, seconds] of [
  ['`validateProfileBytes`, all rules', oursCpu],
  ['fast-xml-parser `XMLValidator.validate` (well-formedness only)', fxpCpu],
] as const) {
  console.log(
    `| ${what} | ${fmt(seconds)} | ${(totalBytes / 1e6 / seconds).toFixed(0)} | ${Math.round(COUNT / seconds)} |`,
  );
}
rmSync(QUARTER, { recursive: true, force: true });
