// Render benchmark (issues 3 and 12): 10,000 devices from the bundled templates, gzip'd and
// encrypted (AES-256-CBC, one key per device) in one `cisco-prov render` run — devices/s and
// peak RSS — beside the way admins do it today (issue 12): a POSIX shell loop that reads the
// same inventory row by row, renders each device's profile from a template with `sed`
// substitutions and pipes it through `gzip | openssl enc`; and, stricter, the same loop given
// the already-rendered profiles (`gzip | openssl enc` only). Each loop runs on the inventory's
// first 200 rows, extrapolated, in rounds interleaved with the render runs. Then peak RSS of the same job at several
// fleet sizes (BENCH_RSS_SIZES, default 10000,50000,100000; the --json report streamed to
// /dev/null), and once with the inventory on stdin (`-i -`). Writes bench/RESULTS-render.md.
// Not a test. Run: npm run bench -- render   (or node --import tsx bench/render.bench.ts after a build)
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// A new temp dir each run, removed at the end. Nothing is deleted before or between the timed
// runs: ext4 avoids reusing just-freed inodes for minutes, and after a mass delete every file
// creation scans for a free one (measured here: 10,000 atomic writes from 0.4 s to 4 s).
const WORK = mkdtempSync(join(tmpdir(), 'cisco-prov-bench-render-'));
const BIN = join(ROOT, 'bin', 'cisco-prov.cjs');
const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const SHELL_SAMPLE = 200;
const TARGET_RATE = 2000;
const TARGET_SPEEDUP = 20;
const TARGET_RSS_MB = 300;
const RSS_SIZES = (process.env.BENCH_RSS_SIZES ?? '10000,50000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
// Fleet sizes rendered a second time over their own output (every profile there and unchanged:
// each is read, decrypted and compared) — by default the largest only, to keep the run short.
const RERENDER_SIZES = (process.env.BENCH_RERENDER_SIZES ?? String(Math.max(...RSS_SIZES)))
  .split(',')
  .map(Number)
  .filter((n) => RSS_SIZES.includes(n));
const loadAtStart = loadavg();

if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) {
  console.error('build first: node scripts/build.mjs --no-types');
  process.exit(1);
}

// ---- the inventory: a mixed fleet, every family ----
const MIX = [
  '8841',
  '8851',
  '8861',
  '6841',
  '7841',
  '7861',
  '8845',
  '7832',
  '8832',
  'ATA191',
  'ATA192',
];
const header =
  'mac,model,display_name,lines.1.extension,lines.1.password,lines.2.extension,lines.2.password,keys.1.type,keys.2.type,keys.2.target,keys.2.label,profile_key';
/** A generated inventory of `count` devices (mixed models, two lines, a BLF key, a key each). */
function writeInventory(count: number, path: string): void {
  const rows = [header];
  for (let i = 0; i < count; i++) {
    const mac = (0x00562b000000 + i).toString(16).padStart(12, '0');
    const model = MIX[i % MIX.length]!;
    const desk = !['7832', '8832', 'ATA191', 'ATA192'].includes(model);
    const twoLines = model !== '7832' && model !== '8832';
    rows.push(
      [
        mac,
        model,
        `User ${i}`,
        2000 + i,
        `sip-pw-${i}`,
        twoLines ? 7000 + i : '',
        twoLines ? `sip-pw2-${i}` : '',
        desk ? 'line' : '',
        desk ? 'blf' : '',
        desk ? 2000 + ((i + 1) % count) : '',
        desk ? `Peer ${i + 1}` : '',
        `device-key-${i}-${mac}`,
      ].join(','),
    );
  }
  writeFileSync(path, `${rows.join('\n')}\n`);
}
const inventory = join(WORK, 'inventory.csv');
writeInventory(DEVICES, inventory);

interface Run {
  seconds: number;
  /** User + system CPU seconds of the whole process (main thread and workers). */
  cpuSeconds: number | undefined;
  maxRssMb: number | undefined;
  code: number | null;
  stderr: string;
}

/**
 * Runs the CLI under /usr/bin/time (for peak RSS) when it exists.
 * @param stdio with `stdinFile`, that file is the CLI's stdin; stdout is discarded
 */
/** The CLI's environment: this machine's NODE_EXTRA_CA_CERTS costs every Node start ~45 ms. */
const CLI_ENV: NodeJS.ProcessEnv = { ...process.env };
delete CLI_ENV.NODE_EXTRA_CA_CERTS;

function runRender(args: string[], stdio?: { stdinFile?: string }): Run {
  const haveTime = existsSync('/usr/bin/time');
  const command = haveTime ? '/usr/bin/time' : process.execPath;
  const argv = haveTime
    ? ['-f', 'MAXRSS_KB=%M CPU=%U+%S', process.execPath, BIN, ...args]
    : [BIN, ...args];
  const start = process.hrtime.bigint();
  const stdin = stdio?.stdinFile !== undefined ? openSync(stdio.stdinFile, 'r') : 'ignore';
  const r = spawnSync(command, argv, {
    cwd: ROOT,
    env: CLI_ENV,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...(stdio ? { stdio: [stdin, 'ignore', 'pipe'] } : {}),
  });
  if (typeof stdin === 'number') closeSync(stdin);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stats = /MAXRSS_KB=(\d+) CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  return {
    seconds,
    cpuSeconds: stats ? Number(stats[2]) + Number(stats[3]) : undefined,
    maxRssMb: stats ? Number(stats[1]) / 1024 : undefined,
    code: r.status,
    stderr: (r.stderr ?? '').replace(/MAXRSS_KB=.*\n?/, ''),
  };
}

// ---- how much two cores give on this machine: the same CPU loop in 1 and in 2 processes ----
const SPIN = 'let x = 0; for (let i = 0; i < 3e8; i++) x += i % 7; if (x < 0) console.log(x);';
function spin(processes: number): number {
  const start = process.hrtime.bigint();
  const script = Array.from(
    { length: processes },
    () => `"${process.execPath}" -e '${SPIN}' &`,
  ).join(' ');
  spawnSync('sh', ['-c', `${script} wait`]);
  return Number(process.hrtime.bigint() - start) / 1e9;
}
const spinOne = spin(1);
const spinTwo = spin(2);
const parallelScaling = (2 * spinOne) / spinTwo;
console.log(
  `machine: 2 CPU-bound processes run ${parallelScaling.toFixed(2)}× the work of 1 in the same time`,
);

// ---- the file system alone: the same number of atomic writes (temp file, write, rename) of a
// profile-sized buffer, one thread, no rendering — the floor under every run below ----
const FS_SCRIPT = `
const fs = require('node:fs'); const dir = process.argv[1]; const n = Number(process.argv[2]);
fs.mkdirSync(dir); const buf = Buffer.alloc(900, 7);
for (let i = 0; i < n; i++) {
  const t = dir + '/.f' + i + '.tmp'; const fd = fs.openSync(t, 'wx');
  fs.writeSync(fd, buf); fs.closeSync(fd); fs.renameSync(t, dir + '/f' + i + '.cfg');
}`;
function fsBaseline(name: string, files = DEVICES): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', FS_SCRIPT, join(WORK, name), String(files)]);
  if (r.status !== 0) throw new Error(`file-system baseline failed: ${r.stderr.toString()}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}
// Right after many files were deleted (an earlier bench run cleaning up), ext4 makes every file
// creation slow for a few minutes. Wait for it (up to 8 minutes), rather than time the disk.
const SETTLED_MS_PER_WRITE = 0.1; // node start-up included: about 0.08 when settled
let waitedSeconds = 0;
for (let probe = 1; ; probe++) {
  const msPerWrite = (fsBaseline(`fs-probe-${probe}`, 2000) * 1000) / 2000;
  if (msPerWrite <= SETTLED_MS_PER_WRITE || waitedSeconds >= 480) break;
  console.log(
    `file system busy: ${msPerWrite.toFixed(2)} ms per atomic write (settled: ≤ ${SETTLED_MS_PER_WRITE}); waiting 30 s`,
  );
  spawnSync('sleep', ['30']);
  waitedSeconds += 30;
}
const fsBefore = fsBaseline('fs-before');
console.log(
  `file system alone: ${DEVICES} atomic writes of 900 bytes, one thread: ${fsBefore.toFixed(2)} s`,
);

const site = join(ROOT, 'examples', 'site.yaml');
const common = ['render', '-i', inventory, '--vars', site, '--quiet'];
const encrypt = ['--encrypt', 'aes-256-cbc', '--key-field', 'profile_key', '--gzip'];

const results: { label: string; run: Run }[] = [];
function measure(label: string, args: string[]): Run {
  const run = runRender(args);
  if (run.code !== 0) {
    console.error(`${label}: exit ${run.code}\n${run.stderr.split('\n').slice(0, 5).join('\n')}`);
    process.exit(1);
  }
  results.push({ label, run });
  console.log(
    `${label.padEnd(58)} ${run.seconds.toFixed(2).padStart(6)} s  ${Math.round(
      DEVICES / run.seconds,
    )
      .toString()
      .padStart(6)} devices/s  peak RSS ${run.maxRssMb?.toFixed(0) ?? '?'} MB`,
  );
  return run;
}

const cores = availableParallelism();

// Plain XML first: the shell loops below start from its profiles.
const plain = measure(`render only (plain XML), --jobs ${cores}`, [
  ...common,
  '-o',
  join(WORK, 'plain'),
  '--jobs',
  String(cores),
]);

// ---- the issue's shell loop: `sed | gzip | openssl enc` per inventory row ----
// One template per model, with placeholders where a device's profile takes a variable's value.
// It is made from the profile this tool rendered for the model's first device: every occurrence
// of each value our render filled in — an inventory field of that row, or a leaf of
// examples/site.yaml (its groups aside) — of at least 3 characters becomes a placeholder
// (longest value first), substituted by one `sed -e 's/%%Vn%%/value/g'` each: an inventory
// field from the shell variable `read` set, a site value as a literal. Shorter values (`1`,
// `2`) stay literal text, as do values our render changes on the way (`udp` → `UDP`). The loop's
// output is checked against ours (decrypted with openssl, gunzipped, compared byte for byte).
const FIELDS = header.split(',').map((f) => f.replace(/\W/g, '_'));
const MIN_VALUE_LENGTH = 3;
function siteLeaves(value: unknown, out: string[] = []): string[] {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== 'groups') siteLeaves(v, out);
  } else if (value !== undefined && value !== null) out.push(String(value));
  return out;
}
const siteValues = siteLeaves(parseYaml(readFileSync(site, 'utf8')));
/** sed's replacement text for a literal value, inside a single-quoted shell word. */
const sedLiteral = (v: string): string =>
  v
    .replace(/[\\&/]/g, '\\$&')
    .replace(/\n/g, '\\n')
    .replace(/'/g, `'\\''`);
const inventoryRows = readFileSync(inventory, 'utf8')
  .split('\n')
  .slice(1, 1 + SHELL_SAMPLE);
const tplDir = join(WORK, 'sed-templates');
mkdirSync(tplDir);
const substitutionsByModel = new Map<string, number>();
const functions: string[] = [];
for (const model of MIX) {
  const row = inventoryRows.find((r) => r.split(',')[1] === model);
  if (!row) continue;
  const cells = row.split(',');
  let text = readFileSync(join(WORK, 'plain', `${cells[0]}.xml`), 'utf8');
  const candidates = [
    ...cells.map((value, i) => ({ value, shell: `$${FIELDS[i]}` })),
    ...siteValues.map((value) => ({ value, shell: undefined })),
  ]
    .filter((c) => c.value.length >= MIN_VALUE_LENGTH)
    .sort((a, b) => b.value.length - a.value.length);
  const seds: string[] = [];
  for (const c of candidates) {
    if (!text.includes(c.value)) continue;
    const placeholder = `%%V${seds.length + 1}%%`;
    text = text.split(c.value).join(placeholder);
    seds.push(
      c.shell !== undefined
        ? `-e "s/${placeholder}/${c.shell}/g"`
        : `-e 's/${placeholder}/${sedLiteral(c.value)}/g'`,
    );
  }
  writeFileSync(join(tplDir, `${model}.xml`), text);
  substitutionsByModel.set(model, seds.length);
  functions.push(`profile_${model}() { sed ${seds.join(' ')} "sed-templates/${model}.xml"; }`);
}
const sampleCsv = join(WORK, 'sample.csv');
writeFileSync(sampleCsv, `${header}\n${inventoryRows.join('\n')}\n`);
/** The loop an admin writes: read a row, render with sed, gzip, encrypt with the row's key. */
function sedLoopScript(outDir: string): string {
  return `${functions.join('\n')}
{
  read -r _header
  while IFS=, read -r ${FIELDS.join(' ')}; do
    profile_$model | gzip -c | openssl enc -aes-256-cbc -md md5 -salt -pass "pass:$profile_key" -out "${outDir}/$mac.cfg"
  done
} < sample.csv
`;
}
const substitutionCounts = [...substitutionsByModel.values()];

// ---- the stricter loop: the profiles already rendered, `gzip | openssl enc` per file ----
const sample = readdirSync(join(WORK, 'plain')).sort().slice(0, SHELL_SAMPLE);
function flatteredScript(outDir: string): string {
  return `for f in ${sample.join(' ')}; do gzip -c "plain/$f" | openssl enc -aes-256-cbc -md md5 -salt -pass env:BENCH_KEY -out "${outDir}/$f.cfg"; done`;
}

interface LoopRun {
  seconds: number;
  cpuSeconds: number | undefined;
}
function runLoop(script: string, outDir: string): LoopRun {
  mkdirSync(join(WORK, outDir));
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU=%U+%S', 'sh', '-c', script], {
    cwd: WORK,
    env: { ...process.env, BENCH_KEY: 'device-key' },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`shell loop failed: ${r.stderr}`);
  const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  return { seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined };
}

// The headline run and both loops in three interleaved rounds (the machine is shared); medians.
const attempts: Run[] = [];
const sedRuns: LoopRun[] = [];
const flatteredRuns: LoopRun[] = [];
const perLoop = (run: LoopRun): string =>
  `${run.seconds.toFixed(2).padStart(6)} s  ${Math.round(SHELL_SAMPLE / run.seconds)
    .toString()
    .padStart(
      6,
    )} devices/s  → ${((run.seconds * DEVICES) / SHELL_SAMPLE).toFixed(1)} s for ${DEVICES}`;
for (const n of [1, 2, 3]) {
  attempts.push(
    measure(`render + gzip + encrypt, --jobs ${cores} (fresh out dir), run ${n}`, [
      ...common,
      ...encrypt,
      '-o',
      join(WORK, n === 1 ? 'out' : `out-${n}`),
      '--jobs',
      String(cores),
    ]),
  );
  const sedRun = runLoop(sedLoopScript(`sed-${n}`), `sed-${n}`);
  sedRuns.push(sedRun);
  console.log(
    `${`shell loop: sed | gzip | openssl per row, run ${n}`.padEnd(58)} ${perLoop(sedRun)}`,
  );
  const flatRun = runLoop(flatteredScript(`shell-${n}`), `shell-${n}`);
  flatteredRuns.push(flatRun);
  console.log(
    `${`shell loop: gzip | openssl per rendered file, run ${n}`.padEnd(58)} ${perLoop(flatRun)}`,
  );
}
const rerun = measure('same again: nothing changed (decrypt + compare, no write)', [
  ...common,
  ...encrypt,
  '-o',
  join(WORK, 'out'),
  '--jobs',
  String(cores),
]);
const single = measure('render + gzip + encrypt, --jobs 1 (fresh out dir)', [
  ...common,
  ...encrypt,
  '-o',
  join(WORK, 'out1'),
  '--jobs',
  '1',
]);
if (readdirSync(join(WORK, 'out')).length !== DEVICES)
  throw new Error('not every device was written');

// The sed loop's profiles against ours: openssl decrypts, gunzip, byte for byte.
let sameAsRender = 0;
for (const row of inventoryRows) {
  const [mac, , , , , , , , , , , key] = row.split(',');
  const r = spawnSync(
    'sh',
    [
      '-c',
      `openssl enc -d -aes-256-cbc -md md5 -pass "pass:$1" -in "sed-1/$2.cfg" | gzip -dc`,
      'sh',
      key!,
      mac!,
    ],
    { cwd: WORK },
  );
  if (r.status === 0 && r.stdout.equals(readFileSync(join(WORK, 'plain', `${mac}.xml`))))
    sameAsRender++;
}
console.log(`sed loop output identical to render's: ${sameAsRender} of ${inventoryRows.length}`);

const fsAfter = fsBaseline('fs-after');
console.log(`file system alone, again after the runs: ${fsAfter.toFixed(2)} s`);

// ---- peak RSS at several fleet sizes: the same job, the --json report streamed away ----
interface RssRun {
  devices: number;
  stdin: boolean;
  /** A second run over the first one's output (everything there, unchanged). */
  rerender?: boolean;
  run: Run;
}
const rssRuns: RssRun[] = [];
const rssSizes = [...RSS_SIZES];
for (const [i, n] of rssSizes.entries()) {
  const file = join(WORK, `inventory-${n}.csv`);
  writeInventory(n, file);
  const viaStdin = i === rssSizes.length - 1 ? [false, true] : [false];
  const passes = viaStdin.map((stdin) => ({ stdin, rerender: false }));
  if (RERENDER_SIZES.includes(n)) passes.splice(1, 0, { stdin: false, rerender: true });
  for (const { stdin, rerender } of passes) {
    const run = runRender(
      [
        'render',
        '-i',
        stdin ? '-' : file,
        '--vars',
        site,
        '--quiet',
        ...encrypt,
        '--json',
        '-o',
        join(WORK, `rss-${n}${stdin ? '-stdin' : ''}`),
      ],
      stdin ? { stdinFile: file } : {},
    );
    if (run.code !== 0) {
      console.error(
        `RSS run ${n}: exit ${run.code}\n${run.stderr.split('\n').slice(0, 5).join('\n')}`,
      );
      process.exit(1);
    }
    rssRuns.push({ devices: n, stdin, rerender, run });
    console.log(
      `${`peak RSS, ${n.toLocaleString('en-US')} devices${stdin ? ' (inventory on stdin)' : ''}${rerender ? ' (re-render, all unchanged)' : ''}`.padEnd(58)} ${run.seconds
        .toFixed(2)
        .padStart(6)} s  ${Math.round(n / run.seconds)
        .toString()
        .padStart(6)} devices/s  peak RSS ${run.maxRssMb?.toFixed(0) ?? '?'} MB`,
    );
  }
}

// ---- ratios: medians of the interleaved rounds ----
const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const full = [...attempts].sort((a, b) => a.seconds - b.seconds)[attempts.length >> 1]!;
const extrapolate = (seconds: number): number => (seconds * DEVICES) / SHELL_SAMPLE;
const sedExtrapolated = extrapolate(median(sedRuns.map((r) => r.seconds)));
const flatteredExtrapolated = extrapolate(median(flatteredRuns.map((r) => r.seconds)));
const loopCpuMs = (runs: LoopRun[]): number | undefined =>
  runs.every((r) => r.cpuSeconds !== undefined)
    ? (median(runs.map((r) => r.cpuSeconds!)) * 1000) / SHELL_SAMPLE
    : undefined;
const sedCpuMs = loopCpuMs(sedRuns);
const flatteredCpuMs = loopCpuMs(flatteredRuns);
const rate = DEVICES / full.seconds;
const speedup = sedExtrapolated / full.seconds;
const speedupFlattered = flatteredExtrapolated / full.seconds;
const roundRatios = (runs: LoopRun[]): string =>
  runs.map((r, i) => (extrapolate(r.seconds) / attempts[i]!.seconds).toFixed(1)).join(', ');
console.log(
  `render vs sed loop: ${speedup.toFixed(1)}× (rounds ${roundRatios(sedRuns)}); vs gzip | openssl only: ${speedupFlattered.toFixed(1)}× (rounds ${roundRatios(flatteredRuns)})`,
);

const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');
// Under load the shell loop (two process starts per file) slows far more than one render run,
// so a ratio taken on a busy machine flatters render: say so beside it.
const loaded = loadAtStart[0]! > 2;
const loadNote = loaded
  ? ` (load ${loadAtStart[0]!.toFixed(1)}: the shell loop slows more than render under load — re-run on a quiet machine before trusting this verdict)`
  : '';
const rows2 = results.map(
  ({ label, run }) =>
    `| ${label} | ${run.seconds.toFixed(2)} | ${Math.round(DEVICES / run.seconds)} | ${run.cpuSeconds !== undefined ? ((run.cpuSeconds * 1000) / DEVICES).toFixed(2) : '?'} | ${run.maxRssMb?.toFixed(0) ?? '?'} |`,
);
const cpuPerDevice = full.cpuSeconds !== undefined ? (full.cpuSeconds * 1000) / DEVICES : undefined;
const singleCpu =
  single.cpuSeconds !== undefined ? (single.cpuSeconds * 1000) / DEVICES : undefined;
const rssMax = Math.max(...rssRuns.map((r) => r.run.maxRssMb ?? Infinity));
const fileRuns = rssRuns.filter((r) => !r.stdin && !r.rerender);
const firstRss = fileRuns[0];
const lastRss = fileRuns[fileRuns.length - 1];
const growthPerDevice =
  firstRss && lastRss && lastRss.devices > firstRss.devices
    ? (((lastRss.run.maxRssMb ?? 0) - (firstRss.run.maxRssMb ?? 0)) * 1024 * 1024) /
      (lastRss.devices - firstRss.devices)
    : undefined;
const rssRows = rssRuns.map(
  ({ devices, stdin, rerender, run }) =>
    `| ${devices.toLocaleString('en-US')}${stdin ? ' (inventory on stdin, `-i -`)' : ''}${rerender ? ' again over its own output (all unchanged: each file read, decrypted, compared)' : ''} | ${run.seconds.toFixed(1)} | ${Math.round(devices / run.seconds)} | ${run.maxRssMb?.toFixed(0) ?? '?'} |`,
);
const loadAtEnd = loadavg();
const md = `# render benchmark

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores,
Node ${process.version}, by \`bench/render.bench.ts\` (\`npm run bench -- render\`); load average
${loadAtStart.map((l) => l.toFixed(1)).join(' / ')} at the start, ${loadAtEnd.map((l) => l.toFixed(1)).join(' / ')} at the end (1 / 5 / 15 min).
Single runs on a shared machine: treat ±15 % as noise, more when the load is above 2.

The job: ${DEVICES.toLocaleString('en-US')} devices (a mix of ${MIX.join(', ')}) from
a generated \`inventory.csv\` + \`examples/site.yaml\` through the bundled templates, into a temp dir; every
profile checked by the full validator, gzip'd and encrypted AES-256-CBC (md5, OpenSSL \`enc\`
format) with **its own key** (\`--key-field\`), written atomically. Wall time of the whole CLI run
(start-up, CSV parsing, rendering, checking, writing); peak RSS from \`/usr/bin/time -f %M\`
(main thread and workers are one process).

| run | seconds | devices/s | CPU ms/device | peak RSS (MB) |
|---|---:|---:|---:|---:|
${rows2.join('\n')}
| shell loop (the issue's): \`sed \\| gzip \\| openssl enc\` per inventory row, ${SHELL_SAMPLE} rows timed, extrapolated to ${DEVICES.toLocaleString('en-US')} (median of 3) | ${sedExtrapolated.toFixed(1)} | ${Math.round(DEVICES / sedExtrapolated)} | ${sedCpuMs?.toFixed(2) ?? '?'} | — |
| shell loop (stricter): \`gzip -c \\| openssl enc\` per already-rendered file, ${SHELL_SAMPLE} timed, extrapolated (median of 3) | ${flatteredExtrapolated.toFixed(1)} | ${Math.round(DEVICES / flatteredExtrapolated)} | ${flatteredCpuMs?.toFixed(2) ?? '?'} | — |

The three render + gzip + encrypt runs and the two loops ran in three interleaved rounds
(render, sed loop, gzip loop); the figures below are the medians, each round's own ratio beside.

**The issue's loop** is a plain POSIX \`sh\` (dash) loop over the same inventory: \`read\` splits each
CSV row into shell variables, a function per model runs \`sed\` with one \`-e 's/%%Vn%%/value/g'\`
per variable over that model's template, and the result goes through \`gzip -c | openssl enc
-aes-256-cbc -md md5 -salt -pass "pass:$profile_key" -out "$mac.cfg"\` — three processes per
device. Each model's template is the profile this tool rendered for the model's first device,
with every occurrence of each value our render filled in — an inventory field of that row, or a
leaf of examples/site.yaml — of at least ${MIN_VALUE_LENGTH} characters made a placeholder (longest first):
${[...substitutionsByModel].map(([m, n]) => `${m} ${n}`).join(', ')} substitutions (${Math.min(...substitutionCounts)}–${Math.max(...substitutionCounts)}). Values our render changes on the
way (\`udp\` → \`UDP\`) or shorter than ${MIN_VALUE_LENGTH} characters stay literal
in the template: the loop checks nothing, derives nothing, chooses nothing. Its output, decrypted
with openssl and gunzipped, is byte for byte render's for ${sameAsRender} of ${inventoryRows.length} devices.

**The stricter loop** is given render's already-rendered plaintext, so its time is process
start-up, gzip and encryption only.

## Targets

| target | figure | |
|---|---:|---|
| ≥ ${TARGET_RATE.toLocaleString('en-US')} devices/s on 2 cores (render + gzip + encrypt) | ${Math.round(rate)} devices/s (median of 3; all: ${attempts.map((a) => Math.round(DEVICES / a.seconds)).join(', ')}) | ${verdict(rate >= TARGET_RATE)} |
| ≥ ${TARGET_SPEEDUP}× the shell loop \`sed \\| gzip \\| openssl\` (the issue's) | ${speedup.toFixed(1)}× wall (rounds: ${roundRatios(sedRuns)}); CPU ${sedCpuMs !== undefined && cpuPerDevice !== undefined ? `${(sedCpuMs / cpuPerDevice).toFixed(1)}×` : '?'} | ${verdict(speedup >= TARGET_SPEEDUP)}${loadNote} |
| stricter: ≥ ${TARGET_SPEEDUP}× \`gzip \\| openssl\` on already-rendered files | ${speedupFlattered.toFixed(1)}× wall (rounds: ${roundRatios(flatteredRuns)}); CPU ${flatteredCpuMs !== undefined && cpuPerDevice !== undefined ? `${(flatteredCpuMs / cpuPerDevice).toFixed(1)}×` : '?'} | ${verdict(speedupFlattered >= TARGET_SPEEDUP)}${loadNote} |
| peak RSS ≤ ${TARGET_RSS_MB} MB at any fleet size | ${rssMax.toFixed(0)} MB (largest of the runs below) | ${verdict(rssMax <= TARGET_RSS_MB)} |

## Peak RSS by fleet size

The same job (render + gzip + encrypt with a key per device, default \`--jobs\`), \`--json\` report
to /dev/null, one run each; "again" rows render the same fleet a second time over its own output
(every profile there and unchanged):

| devices | seconds | devices/s | peak RSS (MB) |
|---:|---:|---:|---:|
${rssRows.join('\n')}

Growth from the smallest to the largest fleet: ${growthPerDevice !== undefined ? `${growthPerDevice.toFixed(0)} bytes per device` : '—'}. What still grows
with the fleet: the inventory's text (kept for the second pass; about 110 bytes a device here,
outside V8's heap when it is ASCII), the map of output names that catches two devices given the
same \`--name\` (one entry a device, ≈ 40 bytes outside the heap), in a re-render the listing of
the output directory (the same), and V8's heap sizing, which lets garbage pile up longer in a bigger run before a full collection.
Per device, nothing else is kept: the CSV is parsed 64 KB at a time (every device is checked
before anything is written, then rendered; a CSV of up to 2 MiB, about 20,000 devices, has the
first pass's rows kept for the second, about 1.5 KB a device; a larger one is parsed twice), the
report is streamed in inventory order.
A JSON or YAML inventory is parsed whole and kept (no streaming parser here): measured by hand
(2026-11-30 15:33, the same 100,000 devices), 380 MB peak from JSON (530 MB before its devices
were copied lazily) against 268 MB from CSV — the 300 MB target holds for CSV only.

## Re-render over existing profiles (rss4, 2026-11-30 18:10–19:25 UTC)

Rendering again into an output directory that already holds every profile (each one read,
decrypted with its device's key, gunzipped and compared; none rewritten) peaked higher than a
fresh run: 314–336 MB for 100,000 devices (17:32 run). Where it went, on the main thread
(\`--trace-gc\`, and a heap snapshot mid-run with \`--heapsnapshot-signal\`): ≈ 40 MB survived each
full collection — the two listings of the output directory (the renderer's and the check that no
output replaces an input: a \`Set\` of 100,000 names each, 11.6 MB), the map of output names that
catches a \`--name\` shared by two devices (≈ 10 MB) and the CSV inventory's text (11.3 MB, one
string) — and V8 let the old space grow to about four times that (160 MB used, 191 MB committed)
before the next one. Nothing leaked: that is why a capped heap (\`--max-old-space-size=128\`) also
worked. A fresh run has empty listings, hence its lower peak.

What changed (no V8 flags; outputs and reports as before):

- the listings and the map of output names are a \`NameTable\` (\`src/render/name-table.ts\`):
  names as Latin-1 bytes in one buffer with a hash index in typed arrays, exact lookups, ≈ 40
  bytes a name outside V8's heap (a name with other characters: a plain \`Map\` beside it);
- an inventory whose bytes are all ASCII is decoded as Latin-1 — the same text — which Node
  makes an external string above ≈ 1 MB, outside the heap (\`src/render/decode-text.ts\`); any
  other is decoded as UTF-8 as before.

Tried and reverted: reading each device's existing file, and encoding its new plaintext, into a
buffer the renderer reuses (no ≈ 5 KB ArrayBuffer per device): 4–5 % more CPU in a 10,000-device
re-render (3-build A/B below) and no peak-RSS gain that could be told from the noise.

After: ≈ 9–13 MB survive each full collection on the main thread, and its old space peaks at
≈ 35–58 MB committed (from 190).

Measured with the built CLI, the same job as above (\`render … --encrypt aes-256-cbc
--key-field profile_key --gzip --json > /dev/null\`, default \`--jobs\` = 2 threads), output on
tmpfs, \`NODE_EXTRA_CA_CERTS\` unset; before = fb31f59, after = ba8c4c4 (the changes above plus
the reused buffers, since reverted: the same data kept), interleaved (before, after) in each of 3
rounds; a fresh run into an empty directory, then a re-render over its
output; the JSON inventory is the same 100,000 devices (45 MB). Load average 3.9–9.7 (six
helpers on two cores). Peak RSS best–worst of 3, CPU (user + sys) median of 3:

| run | peak RSS before (MB) | after (MB) | CPU before (s) | after (s) |
|---|---:|---:|---:|---:|
| CSV 10,000, fresh | 160–160 | 155–156 | 3.24 | 3.42 |
| CSV 10,000, re-render | 174–174 | 169–170 | 3.01 | 3.01 |
| CSV 50,000, fresh | 186–191 | 163–173 | 13.52 | 13.78 |
| CSV 50,000, re-render | 200–234 | 194–215 | 11.77 | 11.99 |
| CSV 100,000, fresh | 210–247 | 193–199 | 27.72 | 26.33 |
| CSV 100,000, re-render | **292–321** | **230–235** | 22.94 | 23.27 |
| JSON 100,000, fresh | 219–227 | 191–205 | 30.99 | 31.97 |
| JSON 100,000, re-render | 266–298 | 205–214 | 27.53 | 27.93 |

CPU at that load moves by ±5 % from run to run; a separate A/B of CPU alone, 7 interleaved
rounds of the 10,000-device fresh run (load 5.5–6.5): before 3.60 s, after 3.62 s (medians);
a 10,000-device re-render in three builds, 5 interleaved rounds (load 7–8): before 3.38 s, the
changes above (0cbc2e2) 3.42 s, with the reused buffers (ba8c4c4) 3.56 s; again (mid, reused reads
only, both): 3.33 / 3.46 / 3.64 s — hence the revert.

The code as kept (0cbc2e2's render path; 19:12–19:25 and 18:22–18:25, load 7–12 and 4–7), 100,000
devices: CSV re-render 217, 224, 223, 229, 242, 246 MB (six runs); JSON re-render 201, 204, 221 MB;
CSV fresh 191 MB; CPU of a CSV re-render 23.3–25.9 s (before: 22.9–24.5 s in the interleaved
sets; the 25.7–25.9 s runs were at load 9–12 with no before run beside them).

What the peak is made of now (100,000 devices, re-render, main thread sampled every 200 ms
with \`process.memoryUsage()\` and /proc): ≈ 50 MB file-backed (node and the bundle), the main
thread's heap ≈ 70–90 MB committed of which its young generation is 34 MB (V8's default
semi-space of 16 MB; the workers get 8 MB through \`resourceLimits\`, the main thread only
through a flag), ≈ 20–25 MB of ArrayBuffers awaiting a scavenge (mostly the gunzipped copy of
each existing profile that \`openProfile\` makes), and the worker. Left for later: the CSV text
could be read a piece at a time from the file rather than kept (src/render/inventory.ts); the
compare could gunzip through one reused inflate state, as \`ProfileGzip\` deflates (src/crypto).

Tests: \`test/unit/render-name-table.test.ts\` (exact lookups, keys beyond Latin-1, 200,000
keys), \`test/unit/render-rerender.test.ts\` (the compare path on 1, 2 and 3 threads: unchanged
files keep their bytes and mtime; a corrupt, changed, empty, plain-XML, un-gzip'd, 2 MB or
symlinked target is rewritten with the link's file left alone; a directory or FIFO at a target
is refused and stays; a file no device names is not touched; a writer gets bytes of its own;
a large ASCII and a UTF-8 inventory read the same; a large ASCII text stays off the heap).
The bench now also renders its largest fleet again over its own output
(\`BENCH_RERENDER_SIZES\` for more sizes).

This machine: two CPU-bound processes together do ${parallelScaling.toFixed(2)}× the work of one
(a spin loop timed alone and two at a time), so "2 cores" here is about ${parallelScaling.toFixed(1)}
cores of throughput. CPU per device on two threads: ${cpuPerDevice?.toFixed(2) ?? '?'} ms (one thread,
\`--jobs 1\`: ${singleCpu?.toFixed(2) ?? '?'} ms).

**The file system is part of the figure.** The same ${DEVICES.toLocaleString('en-US')} atomic writes
(temp file, 900 bytes, rename) with no rendering at all, one thread, in the same temp dir:
${fsBefore.toFixed(2)} s before the runs, ${fsAfter.toFixed(2)} s after them${waitedSeconds > 0 ? ` (the bench first waited ${waitedSeconds} s for the file system to settle)` : ''}. On this VM's ext4 that
figure swings from about 0.4 s to 4 s from one minute to the next: after many files are deleted,
ext4 avoids reusing their inodes for minutes and every file creation scans for a free one
(\`perf\`: \`recently_deleted\` under \`__ext4_new_inode\`). A run whose baseline is high is slow
for that reason, not for rendering. The bench therefore waits (up to 8 minutes) until 2,000 atomic
writes take ≤ ${SETTLED_MS_PER_WRITE} ms each, deletes nothing before or between its runs, and removes its temp
dir only at the end — so a second bench started at once waits.

**This round (render3, 2026-11-30 16:00–16:50 UTC, load 10–14 the whole time: six helpers on two
cores).** A fresh profile of the 10,000-device job said the fixed costs of each rendering thread
were the largest item left: TurboFan compiling the hot code, ≈ 18 % of all CPU (\`perf\`, on the
V8 platform threads), and code running before it is optimized — one thread in-process takes
≈ 3,000 devices to reach its steady 0.2 ms a device, the first 1,000 costing 0.3–0.8 ms each.
Each rendering thread paid that for LiquidJS, the fast paths and the validator, and the main
thread fed two such workers while mostly idle. Now:

- \`--jobs n\` counts threads, this one included (as batch \`encrypt\`): n − 1 workers; on more
  than two threads every thread renders whole devices, this one between feeding the workers.
- On two threads (the default here) the work is split by stage: the worker renders and checks
  (LiquidJS and the validator: most of the JavaScript), the main thread builds the jobs and
  compares, seals and writes the texts that come back (zlib, the cipher, the file system:
  mostly native code). Each stage's code is compiled and warmed up in one thread only. While the
  main thread is the busier one (its event loop never idle between the worker's batches: file
  creation costs more on a busy machine) a share of the devices, up to half, goes to the worker
  whole.

Direct 10,000-device runs of the built CLI (\`render … --jobs 2 --encrypt aes-256-cbc
--key-field profile_key --gzip\`, output to tmpfs so the ext4 state above does not move the
figures, \`NODE_EXTRA_CA_CERTS\` unset), interleaved rounds, medians, CPU = user + sys of the
whole process:

| build | rounds | CPU (s) | wall (s) at load 10–14 | peak RSS (MB) |
|---|---:|---:|---:|---:|
| before this round (b691a8d: two workers, main thread feeding) | 6 | 5.28 | 10.92 | 180 |
| every thread whole devices (c32ca63) | 6 | 5.30 | 12.26 | 163 |
| split by stage (f58edf6) | 6 | 3.66 | 9.16 | 171 |
| split by stage (f58edf6), second set | 6 | 3.78 | 10.08 | 172 |
| + whole devices to the worker while the main thread is busier (2094957) | 6 | 3.86 | 9.13 | 171 |

Per thread (from /proc, split by stage, load 13): main 1.51–1.53 s, worker 1.36–1.39 s, the V8
platform threads (TurboFan, GC helpers) ≈ 0.2 s each. Outputs of \`--jobs 2\` and \`--jobs 1\` decrypted
and compared: 10,000 of 10,000 identical. Wall figures at this load say little; the integrator
re-measures on a quiet machine.

Where the rest goes (\`perf record -g\` of the same job after this round, every thread, unminified
build with \`--perf-basic-prof\`, load 12; perf's own overhead makes the total larger than a plain
run's ≈ 3.8 s):

| part | CPU (s) | share |
|---|---:|---:|
| TurboFan compiling the hot code (main thread's and worker's code) | 0.73 | 16 % |
| template render (LiquidJS and the fast paths) | 0.66 | 14 % |
| the full validator (src/validate) | 0.62 | 13 % |
| other: code before it is optimized, V8 runtime, kernel scheduling | 0.61 | 13 % |
| gzip (zlib deflate, level 6) | 0.42 | 9 % |
| GC | 0.38 | 8 % |
| file writes (open, write, close, rename of the temp file) | 0.36 | 8 % |
| encryption (EVP_BytesToKey MD5, AES-256-CBC) | 0.20 | 4 % |
| start-up, module loading | 0.19 | 4 % |
| job building (second pass, variables, names) | 0.15 | 3 % |
| hand-off between the threads (structured clone both ways) | 0.14 | 3 % |
| inventory check pass (CSV parse, device checks), before anything is rendered | 0.13 | 3 % |
| total | 4.60 | |

Looked at and left this round: V8 flags for the compiler (\`--maglev\`, half the inlining budget,
twice the interrupt budget) changed nothing beyond noise (3 rounds each, load 10–13); the
system calls are four per file already (\`strace -c -f\`: openat, write, close, rename);
gzip's cost is deflate itself (24–27 µs for a 2.3 KB profile in a tight loop, ≈ 40 µs in the
run), kept at level 6.

Where the CPU went before (not part of this run: \`perf record -g\` on-CPU samples of every thread, the
same 10,000-device job with \`--jobs 2\`, 2026-11-30 14:12 UTC, load 5–7; two runs each, before
this round of work (commit b30861c) and after it (commit 3d752be — the workers' early start came later), CPU seconds for the whole run):

| part | before | after |
|---|---:|---:|
| template render (LiquidJS and the fast paths) | 1.61 | 0.90 |
| the full validator (src/validate) | 0.86 | 0.85 |
| TurboFan compiling the hot code, once per thread (3 threads) | 1.11 | 0.92 |
| file system calls: open, write, close, rename of the temp file (+ lstat before) | 0.67 | 0.62 |
| gzip (zlib deflate, level 6) | 0.43 | 0.42 |
| encryption (EVP_BytesToKey MD5, AES-256-CBC) | 0.33 | 0.27 |
| GC (scavenges) | 0.25 | 0.17 |
| CSV reading, main thread, both passes | 0.14 | 0.05 (a hand-written splitter, since reverted: csv-parse again, ≈ 0.14) |
| structured clone of each device's variables to the workers | 0.10 | 0.10 |
| everything else (start-up, module loading, code before it is optimized, job building) | 1.32 | 1.30 |
| total | 6.82 | 5.60 |

What changed: \`for\`, \`assign\` and \`case\` run without LiquidJS generators (\`src/render/fast-tags.ts\`;
fewer generator functions also means less for TurboFan to compile), an include of an already parsed
partial skips the Parser and Loader LiquidJS built per include, LiquidJS's helpers are bound once
(the bundle reached them through an export getter per call), numbers skip the escape filter, the
clock reads for the render time limit are decided once per block, the lstat before each write is
gone (the output directory's listing already says nothing is there), and the workers start while
the inventory is checked. (A hand-written CSV splitter in front of csv-parse was measured in this
profile and then reverted: the project does not write by hand what a library does.)

Since (2026-11-30 14:45–14:55 UTC, \`--cpu-prof\` of every thread and interleaved runs, load 3–6):
the rows of a CSV of up to 2 MiB (≈ 20,000 devices) are kept from the check pass for the render pass
instead of parsing the text again (main thread 1.04–1.32 → 0.91–1.02 s busy, two runs each;
peak RSS +15 MB at 10,000 devices); the render time limit reads the clock at every 16th check
(≈ 120 → 32 reads a device; user CPU 4.36 → 4.26 s, medians of 4 interleaved runs); a device's
warnings (the ATA191/192's five) are masked without building a path string per variable and
only when a message holds a secret value. Looked at and left: the shared (site/defaults)
variables are already cloned once per batch (V8's clone keeps shared objects shared; what each
job carries is ≈ 0.9 KB, 45 ms to serialize and 50 ms to deserialize all 10,000, and merging in
the worker would add back most of that); the per-device crypto set-up is one cipher and three
MD5s (\`crypto.hash\` instead of \`createHash\` would save ≈ 20 ms); a larger young generation
for the workers (8 → 16 or 32 MB) changed nothing measurable; the workers load ESM chunks, which
Node 20 cannot compile from a code cache (only the CommonJS bundles the bin shim loads can).
Together (A/B of the built CLI against this round's start, commit 12b79d5, same job, 5
interleaved pairs at load 0.3–1.7 with the file system quiet): user CPU 4.51 → 4.28 s, wall
2.87 → 2.73 s (medians; 5 more pairs while the file system was busy: user 4.56 → 4.52 s). This
bench run's 2.51 s is the last round's 2.48–2.52 s: the gain is inside a single run's noise,
and 20× stays missed.
The CLI adds start-up, each worker's load and warm-up, CSV parsing, variable merging and the
hand-off to workers: this run measured ${cpuPerDevice?.toFixed(2) ?? '?'} ms of CPU per device.
≥ ${TARGET_SPEEDUP}× this run's sed loop needs the whole run in
${(sedExtrapolated / TARGET_SPEEDUP).toFixed(2)} s (${Math.round((DEVICES * TARGET_SPEEDUP) / sedExtrapolated)} devices/s), about
${((1000 * parallelScaling * sedExtrapolated) / (DEVICES * TARGET_SPEEDUP)).toFixed(2)} ms of CPU per device on these cores with start-up included; ≥ ${TARGET_SPEEDUP}× the
stricter loop needs ${(flatteredExtrapolated / TARGET_SPEEDUP).toFixed(2)} s (${((1000 * parallelScaling * flatteredExtrapolated) / (DEVICES * TARGET_SPEEDUP)).toFixed(2)} ms of CPU per device).
The check before writing is part of the job and is kept.

Re-run with nothing changed: ${rerun.seconds.toFixed(2)} s (each existing file is decrypted with its
key and its plaintext compared; none is rewritten). One thread (\`--jobs 1\`): ${single.seconds.toFixed(2)} s. Plain
XML without gzip or encryption: ${plain.seconds.toFixed(2)} s.
`;
writeFileSync(join(ROOT, 'bench', 'RESULTS-render.md'), md);
console.log('\nwrote bench/RESULTS-render.md');
rmSync(WORK, { recursive: true, force: true });
