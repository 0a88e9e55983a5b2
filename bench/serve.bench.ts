// Serve benchmark (issue 14): `cisco-prov serve` on loopback, 5,000 distinct devices, each
// request rendered, checked and encrypted (AES-256-CBC, one key per device, `.cfg`), driven by
// autocannon with Cisco User-Agents — requests/s and p99 — beside the same profiles pre-rendered
// by `cisco-prov render` and served as static files by a minimal node:http server, in the same
// run. Rows: static, serve --no-cache (every request renders), serve with its cache warm — each
// one process — and serve --no-cache --workers 2 for reference. Every server writes one
// access-log line per request to a file, as a real one would. Rounds interleave; medians.
// Not a test. Run: npm run bench -- serve   (or node --import tsx bench/serve.bench.ts after a build)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = mkdtempSync(join(tmpdir(), 'cisco-prov-bench-serve-'));
const BIN = join(ROOT, 'bin', 'cisco-prov.cjs');
const DEVICES = Number(process.env.BENCH_DEVICES ?? 5_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WORKERS = process.env.BENCH_WORKERS ?? '2';
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const TARGET_RATE = 3000;
const TARGET_UNCACHED = 0.3;
const TARGET_CACHED = 0.7;

if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) {
  console.error('build first: node scripts/build.mjs --no-types');
  process.exit(1);
}

// ---- the inventory: a mixed fleet, every family, a key per device ----
const MIX = ['8841', '8851', '8861', '6841', '7841', '7861', '8845', '7832', '8832', 'ATA191'];
const PRODUCT: Record<string, string> = {
  ATA191: 'Cisco/ATA191-MPP-11-1-0-MSR4',
};
const header =
  'mac,model,display_name,lines.1.extension,lines.1.password,keys.1.type,keys.2.type,keys.2.target,keys.2.label,profile_key';
const rows = [header];
const devices: { mac: string; ua: string }[] = [];
for (let i = 0; i < DEVICES; i++) {
  const mac = (0x00562b000000 + i).toString(16).padStart(12, '0');
  const model = MIX[i % MIX.length]!;
  const desk = !['7832', '8832', 'ATA191'].includes(model);
  rows.push(
    [
      mac,
      model,
      `User ${i}`,
      2000 + i,
      `sip-pw-${i}`,
      desk ? 'line' : '',
      desk ? 'blf' : '',
      desk ? 2000 + ((i + 1) % DEVICES) : '',
      desk ? `Peer ${i + 1}` : '',
      `device-key-${i}-${mac}`,
    ].join(','),
  );
  const ua =
    model in PRODUCT ? `${PRODUCT[model]} (${mac})` : `Cisco-CP-${model}-3PCC/12.0.1 (${mac})`;
  devices.push({ mac, ua });
}
const inventory = join(WORK, 'inventory.csv');
const vars = join(WORK, 'site.yaml');
writeFileSync(inventory, `${rows.join('\n')}\n`);
writeFileSync(
  vars,
  'sip:\n  proxy: pbx.example.com\nprovisioning:\n  server: https://prov.example.com\n',
);

// ---- the same profiles, pre-rendered for the static server ----
const staticDir = join(WORK, 'static');
const t0 = process.hrtime.bigint();
const rendered = spawnSync(
  process.execPath,
  [
    BIN,
    'render',
    '-i',
    inventory,
    '--vars',
    vars,
    '-o',
    staticDir,
    '--encrypt',
    'aes-256-cbc',
    '--key-field',
    'profile_key',
    '--quiet',
  ],
  { encoding: 'utf8' },
);
if (rendered.status !== 0) {
  console.error(rendered.stderr);
  process.exit(1);
}
const renderSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

// A minimal static file server: read the file per request (as a plain static server does),
// one combined-format line per request to a log file.
const STATIC_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv[1];
const log = fs.createWriteStream(process.argv[2], { flags: 'a' });
const server = http.createServer((req, res) => {
  const name = decodeURIComponent(req.url.split('?')[0]).slice(1);
  if (name.includes('/') || name.includes('..')) { res.statusCode = 400; res.end(); return; }
  fs.readFile(path.join(dir, name), (err, data) => {
    if (err) { res.statusCode = 404; res.end(); }
    else {
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Length', data.length);
      res.end(data);
    }
    log.write(req.socket.remoteAddress + ' - - [' + new Date().toISOString() + '] "' + req.method + ' ' + req.url + ' HTTP/1.1" ' + res.statusCode + ' ' + (data ? data.length : 0) + ' "-" "' + req.headers['user-agent'] + '"\\n');
  });
});
server.listen(0, '127.0.0.1', () => process.stderr.write('listening on http://127.0.0.1:' + server.address().port + '\\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

interface Started {
  child: ChildProcess;
  port: number;
}

/** The young-generation setting of the tuned rows (README: serve, speed). */
const TUNED = '--max-semi-space-size=64';

function start(args: string[], nodeFlags: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [...nodeFlags, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on https?:\/\/[^\s]+:(\d+)/.exec(err);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('close', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

function stop(s: Started): Promise<void> {
  return new Promise((resolve) => {
    s.child.removeAllListeners('close');
    s.child.on('close', () => resolve());
    s.child.kill('SIGTERM');
  });
}

interface Result {
  name: string;
  /** Server CPU (user + system) per request, ms. */
  cpuMsPerRequest: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
}

/**
 * CPU seconds (user + system) a server has used: the process and its direct children (the
 * --workers processes), from /proc. Unlike req/s this hardly moves when other processes share
 * the cores, so CPU ms per request is the steadier comparison on a busy machine.
 */
function cpuSeconds(pid: number): number {
  const ticks = (stat: string): { ppid: number; cpu: number } => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpu: Number(fields[11]) + Number(fields[12]) };
  };
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const t = ticks(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (Number(entry) === pid || t.ppid === pid) total += t.cpu;
    } catch {
      // the process ended meanwhile
    }
  }
  return total / 100; // USER_HZ
}

/** autocannon against a server: every request a device in turn, with its own User-Agent. */
async function load(
  name: string,
  port: number,
  length: { seconds: number } | { requests: number },
  pid?: number,
): Promise<Result> {
  let next = 0;
  const cpuBefore = pid !== undefined ? cpuSeconds(pid) : 0;
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.requests }),
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const d = devices[next++ % devices.length]!;
          return { ...req, path: `/${d.mac}.cfg`, headers: { 'user-agent': d.ua } };
        },
      },
    ],
  });
  const cpu = pid !== undefined ? cpuSeconds(pid) - cpuBefore : 0;
  return {
    name,
    cpuMsPerRequest: r.requests.total > 0 ? (cpu * 1000) / r.requests.total : 0,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    requests: r.requests.total,
  };
}

const logs = (n: string): string => join(WORK, `${n}.log`);
const serveArgs = [
  BIN,
  'serve',
  '-i',
  inventory,
  '--vars',
  vars,
  '--key-field',
  'profile_key',
  '--port',
  '0',
  '--no-watch',
];
// Every server runs for the whole bench (idle ones cost nothing); the timed runs take turns,
// REPEAT rounds, the order rotating each round; each figure is the median over the rounds, and
// the uncached/static and cached/static ratios are also taken per round (the two ran next to
// each other, under the same load) and their median given.
const servers: { key: string; name: string; started: Started; warmRequests: number }[] = [
  {
    key: 'static',
    name: 'static files (node:http, read per request)',
    started: await start(['-e', STATIC_SERVER, staticDir, logs('static')]),
    warmRequests: 3000,
  },
  {
    key: 'uncached',
    name: 'serve --no-cache (render + check + encrypt each request)',
    started: await start([...serveArgs, '--no-cache', '--access-log', logs('uncached')]),
    warmRequests: 3000,
  },
  {
    key: 'cached',
    name: 'serve, cache warm',
    started: await start([...serveArgs, '--access-log', logs('cached')]),
    // One pass over every device fills the cache.
    warmRequests: DEVICES + 2000,
  },
  {
    key: 'static-tuned',
    name: `static files, node ${TUNED}`,
    started: await start(['-e', STATIC_SERVER, staticDir, logs('static-tuned')], [TUNED]),
    warmRequests: 3000,
  },
  {
    key: 'uncached-tuned',
    name: `serve --no-cache, node ${TUNED}`,
    started: await start(
      [...serveArgs, '--no-cache', '--access-log', logs('uncached-tuned')],
      [TUNED],
    ),
    warmRequests: 3000,
  },
  {
    key: 'workers',
    name: `serve --no-cache --workers ${WORKERS} (not like for like: ${WORKERS} processes, each ${TUNED})`,
    started: await start([
      ...serveArgs,
      '--no-cache',
      '--workers',
      WORKERS,
      '--access-log',
      logs('workers'),
    ]),
    warmRequests: 3000,
  },
];
const loadBefore = loadavg();
const startedAt = new Date();
// Warm-ups count requests, not seconds: on a busy machine a timed warm-up may end cold.
for (const s of servers) await load('warm-up', s.started.port, { requests: s.warmRequests });
const rounds = new Map<string, Result[]>(servers.map((s) => [s.key, []]));
const roundLoads: number[] = [];
for (let round = 0; round < REPEAT; round++) {
  roundLoads.push(loadavg()[0]!);
  for (let i = 0; i < servers.length; i++) {
    const s = servers[(i + round) % servers.length]!;
    rounds
      .get(s.key)!
      .push(await load(s.name, s.started.port, { seconds: DURATION }, s.started.child.pid));
  }
}
const loadAfter = loadavg();
for (const s of servers) await stop(s.started);

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const results: Result[] = servers.map((sv) => {
  const rs = rounds.get(sv.key)!;
  return {
    name: sv.name,
    cpuMsPerRequest: median(rs.map((r) => r.cpuMsPerRequest)),
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
    requests: rs.reduce((n, r) => n + r.requests, 0),
  };
});
const pairedRatio = (key: string, base = 'static'): number =>
  median(rounds.get(key)!.map((r, i) => r.rps / rounds.get(base)![i]!.rps));

// A cross-check that the servers really served profiles: the access logs count 200s.
const count200 = (file: string): number =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /" 200 \d+ /.test(l)).length;
const served = Object.fromEntries(servers.map((sv) => [sv.key, count200(logs(sv.key))]));

const [s, u, c, st, ut, w] = results as [Result, Result, Result, Result, Result, Result];
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const loads = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' ');
const perRound = (key: string): string =>
  rounds
    .get(key)!
    .map((r) => fmt(r.rps))
    .join(', ');
const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; load average (1, 5, 15 min) ${loads(loadBefore)} before, ${loads(loadAfter)} after; 1-min load at each round's start: ${loads(roundLoads)}.`,
  `Fleet: ${DEVICES.toLocaleString('en-US')} devices (10 models), AES-256-CBC with a key per device, \`/<mac>.cfg\` with each phone's User-Agent; autocannon ${CONNECTIONS} connections × ${DURATION} s per round in the bench process; ${REPEAT} rounds, the servers taking turns (order rotating), medians shown; each server one process but the last row; the same 2 cores carry load generator and server. Pre-rendering the static files took ${renderSeconds.toFixed(1)} s.`,
  '',
  '| server | req/s (median) | p50 ms | p99 ms | errors | non-2xx | vs static | server CPU ms/request | vs static (CPU) |',
  '| ------ | -------------: | -----: | -----: | -----: | ------: | --------: | --------------------: | --------------: |',
  ...results.map(
    (r) =>
      `| ${r.name} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${((r.rps / s.rps) * 100).toFixed(0)} % | ${r.cpuMsPerRequest.toFixed(3)} | ${((s.cpuMsPerRequest / r.cpuMsPerRequest) * 100).toFixed(0)} % |`,
  ),
  '',
  `Per round (req/s): ${servers.map((sv) => `${sv.key} ${perRound(sv.key)}`).join('; ')}. Median of the per-round ratios: uncached ${(pairedRatio('uncached') * 100).toFixed(0)} % of static, cached ${(pairedRatio('cached') * 100).toFixed(0)} %, uncached-tuned ${(pairedRatio('uncached-tuned', 'static-tuned') * 100).toFixed(0)} % of static-tuned.`,
  `Targets, defaults: ≥ ${TARGET_RATE.toLocaleString('en-US')} req/s uncached, one process: ${u.rps >= TARGET_RATE ? 'met' : '**missed**'} (${fmt(u.rps)}; ${fmt(w.rps)} with ${WORKERS} workers); ≥ ${TARGET_UNCACHED * 100} % of static uncached, one process each: ${u.rps / s.rps >= TARGET_UNCACHED ? 'met' : '**missed**'} (${((u.rps / s.rps) * 100).toFixed(0)} %); ≥ ${TARGET_CACHED * 100} % cached: ${c.rps / s.rps >= TARGET_CACHED ? 'met' : '**missed**'} (${((c.rps / s.rps) * 100).toFixed(0)} %).`,
  `With ${TUNED} on both sides: uncached ${fmt(ut.rps)} req/s (${ut.rps >= TARGET_RATE ? 'met' : '**missed**'}), ${((ut.rps / st.rps) * 100).toFixed(0)} % of the static server with the same flag (${ut.rps / st.rps >= TARGET_UNCACHED ? 'met' : '**missed**'}).`,
  `Access-log lines with status 200 (warm-ups included): ${servers.map((sv) => `${sv.key} ${fmt(served[sv.key]!)}`).join(', ')}.`,
];
console.log(lines.join('\n'));
rmSync(WORK, { recursive: true, force: true });
