/**
 * inspect --log throughput: access-log lines per second.
 * Run: node --import tsx bench/inspect.bench.ts [lines]   (default 1,000,000 lines, issue 12)
 *
 * Two kinds of rows, never mixed: in-process (our functions, timed inside this process) and
 * whole process vs whole process (the built CLI against awk, interleaved run by run, each timed
 * by /usr/bin/time for wall time, CPU time and peak RSS; medians).
 *
 * The log is synthetic but shaped like a provisioning server's: 200 phones of mixed models
 * resyncing (200/404/401/302/500), some browsers and scanners, combined format. Compared in
 * the same run with a naive one-regex parser (the obvious alternative in JavaScript) and with
 * `awk` counting requests per User-Agent over the same file (the admin's shell alternative; it
 * neither parses the User-Agent nor works out outcomes).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AccessLogAggregator, parseAccessLogLine } from '../src/device/access-log.js';
import { parseUserAgent } from '../src/device/user-agent.js';
import { inspect } from '../src/commands/inspect.js';

const LINES = Number(process.argv[2] ?? 1_000_000);
const PROCESS_RUNS = 7;
const RUNS = 5;
const workDir = fileURLToPath(new URL('./.work/', import.meta.url));
const logPath = `${workDir}inspect-access.log`;

function makeLog(count: number): string[] {
  const models = ['8841', '8851', '8861', '8865', '7841', '7821', '6841', '6871', '7832', '8832'];
  const statuses = [200, 200, 200, 200, 200, 200, 404, 401, 302, 500];
  const others = [
    'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    'curl/8.5.0',
    '-',
  ];
  const lines: string[] = [];
  const start = Date.UTC(2026, 10, 25, 0, 0, 0);
  for (let i = 0; i < count; i++) {
    const phone = i % 200;
    const t = new Date(start + i * 250);
    const day = String(t.getUTCDate()).padStart(2, '0');
    const hms = t.toISOString().slice(11, 19);
    const time = `${day}/Nov/2026:${hms} +0000`;
    const status = statuses[(i * 7) % statuses.length] ?? 200;
    const mac = `00562b04${phone.toString(16).padStart(4, '0')}`;
    let ua: string;
    if (i % 20 === 19) ua = others[i % others.length] ?? '-';
    else if (phone % 25 === 0) ua = `Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D${phone.toString(16)})`;
    else ua = `Cisco-CP-${models[phone % models.length]}-3PCC/12.0.${phone % 3} (${mac})`;
    lines.push(
      `10.0.${phone >> 8}.${phone & 255} - - [${time}] "GET /cfg/${mac}.xml HTTP/1.1" ${status} ${status === 200 ? 6144 : 0} "-" "${ua}"`,
    );
  }
  return lines;
}

/** The obvious alternative: one regex for the combined format, no escapes, no time parsing. */
const NAIVE =
  /^(\S+) (\S+) (\S+) \[([^\]]+)\] "(\S+) (\S+) (\S+)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"/;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function measure(fn: () => void): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function measureAsync(fn: () => Promise<void>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const lines = makeLog(LINES);
mkdirSync(workDir, { recursive: true });
writeFileSync(logPath, `${lines.join('\n')}\n`);
const mb = statSync(logPath).size / 1e6;

let sink = 0;
const rows: [string, number][] = [];

rows.push([
  'parseAccessLogLine (fields + time)',
  measure(() => {
    for (const line of lines) sink += parseAccessLogLine(line)?.status ?? 0;
  }),
]);
rows.push([
  'naive one-regex parse (alternative)',
  measure(() => {
    for (const line of lines) sink += NAIVE.exec(line) ? 1 : 0;
  }),
]);
rows.push([
  'parseUserAgent on every line, no cache',
  measure(() => {
    for (const line of lines) {
      const q = line.lastIndexOf('"', line.length - 2);
      sink += parseUserAgent(line.slice(q + 1, -1)).isCisco ? 1 : 0;
    }
  }),
]);
rows.push([
  'AccessLogAggregator: parse + UA + per-phone summary',
  measure(() => {
    const agg = new AccessLogAggregator();
    for (const line of lines) agg.addLine(line);
    sink += agg.summary().phones.length;
  }),
]);
rows.push([
  'inspect({ log }) from the file (read, split, summary)',
  await measureAsync(async () => {
    const r = await inspect({ log: logPath });
    if (r.kind === 'log') sink += r.summary.phones.length;
  }),
]);

const bin = fileURLToPath(new URL('../bin/cisco-prov.cjs', import.meta.url));
const awkProgram = '{ n[$6]++ } END { for (k in n) print n[k], k }';
interface ProcessRun {
  wall: number;
  cpu: number;
  rssKb: number;
}
/** One whole process under /usr/bin/time: wall ms (measured here), CPU ms and peak RSS. */
function timeProcess(command: string[]): ProcessRun | undefined {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', ...command], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) return undefined;
  const [user, system, rss] = (r.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { wall, cpu: ((user ?? 0) + (system ?? 0)) * 1000, rssKb: rss ?? 0 };
}
const processes: [string, string[]][] = [
  [
    'cisco-prov inspect --log … --json',
    [process.execPath, bin, 'inspect', '--log', logPath, '--json'],
  ],
  ["awk -F'\"' count per User-Agent", ['awk', '-F', '"', awkProgram, logPath]],
];
const processRuns = new Map<string, ProcessRun[]>(processes.map(([name]) => [name, []]));
const loadBefore = (await import('node:os')).loadavg()[0] ?? 0;
for (let i = 0; i < PROCESS_RUNS; i++) {
  for (const [name, command] of processes) {
    const run = timeProcess(command);
    if (run) processRuns.get(name)?.push(run);
  }
}
const loadAfter = (await import('node:os')).loadavg()[0] ?? 0;

console.log(
  `inspect log parsing: ${LINES.toLocaleString('en')} lines (${mb.toFixed(1)} MB), Node ${process.version}\n`,
);
console.log('In process, median of 5 after a warm-up:\n');
console.log('| what | ms | lines/s | MB/s |');
console.log('|---|---:|---:|---:|');
for (const [name, ms] of rows) {
  const perSecond = Math.round((LINES / ms) * 1000);
  console.log(
    `| ${name} | ${ms.toFixed(0)} | ${perSecond.toLocaleString('en')} | ${((mb / ms) * 1000).toFixed(0)} |`,
  );
}
console.log(
  `\nWhole process vs whole process, ${PROCESS_RUNS} interleaved runs each, medians; ` +
    `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (2 cores):\n`,
);
console.log('| process | wall ms | lines/s (wall) | CPU ms | lines/s (CPU) | peak RSS MB |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, runs] of processRuns) {
  if (runs.length === 0) continue;
  const wall = median(runs.map((r) => r.wall));
  const cpu = median(runs.map((r) => r.cpu));
  const rss = median(runs.map((r) => r.rssKb)) / 1024;
  const rate = (ms: number) => Math.round((LINES / ms) * 1000).toLocaleString('en');
  console.log(
    `| ${name} | ${wall.toFixed(0)} | ${rate(wall)} | ${cpu.toFixed(0)} | ${rate(cpu)} | ${rss.toFixed(0)} |`,
  );
}
if (sink === -1) console.log('unreachable');
