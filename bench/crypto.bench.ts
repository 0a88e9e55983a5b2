// Crypto benchmark (issues 2 and 12). Like is compared with like, and each table says which:
// - whole process vs whole process: the CLI against `node -e 0`, `openssl enc`, a small http_ece
//   script and (batch) a shell loop of openssl, each a fresh process: wall time from a small
//   parent, CPU time (user + sys) from getrusage through bash's `times` — no preload hook on the
//   start-up runs, which would add to both sides — and peak RSS;
// - in-process vs in-process: our core against raw node:crypto and against http_ece, the same
//   data in the same process.
// Medians of interleaved runs; the machine's load average is printed with each table.
// Not a test: prints Markdown. Run: npm run bench -- crypto  (QUICK=1 for fewer, smaller runs;
// CRYPTO_PARTS=oneshot,big,batch,inprocess for some of the tables)
import { execFileSync, spawnSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ece from 'http_ece';
import { registerBackend } from '../src/crypto/backend.js';
import { nobleBackend } from '../src/crypto/backend-noble.js';
import {
  decryptAes128gcm,
  decryptOpensslEnc,
  encryptAes128gcm,
  encryptOpensslEnc,
  evpBytesToKey,
  type BackendName,
} from '../src/crypto/index.js';
import { sealStream } from '../src/crypto/stream.js';

registerBackend(nobleBackend);
const QUICK = process.env.QUICK === '1';
/** CRYPTO_PARTS=oneshot,big,batch,inprocess runs only those tables (default: all). */
const PARTS = process.env.CRYPTO_PARTS?.split(',');
const runs = (part: string): boolean => PARTS === undefined || PARTS.includes(part);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'bench', '.work', 'crypto');
const BIN = join(ROOT, 'bin', 'cisco-prov.cjs');
const RSS_HOOK = new URL('../test/helpers/max-rss.mjs', import.meta.url).href;
const PASS = 'SecretPhrase1234';
const IKM = Buffer.from('0123456789abcdef'); // 16 bytes: http_ece takes raw 16-byte keys
const MiB = 1024 * 1024;

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });

// Both sides without NODE_EXTRA_CA_CERTS: Node 20 parses that bundle at every start (~45 ms
// here), which hides the CLI's own cost.
const ENV: NodeJS.ProcessEnv = { ...process.env, PROV_KEY: PASS, PROV_IKM: IKM.toString() };
delete ENV.NODE_EXTRA_CA_CERTS;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const hasTime = existsSync('/usr/bin/time');

/** One run of a process: wall ms (from this parent) and peak RSS in MiB. */
function runProcess(cmd: string, args: string[], node: boolean): { ms: number; rss: number } {
  const rssFile = join(WORK, 'rss');
  rmSync(rssFile, { force: true });
  // Node processes report VmHWM through a preloaded hook (ru_maxrss would carry this parent's);
  // others are measured by /usr/bin/time, which forks a small process first.
  const wrapped =
    !node && hasTime ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const env = node ? { ...ENV, NODE_OPTIONS: `--import ${RSS_HOOK}`, MAX_RSS_FILE: rssFile } : ENV;
  const t0 = performance.now();
  const r = spawnSync(wrapped[0] as string, wrapped[1] as string[], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  let rss = NaN;
  if (existsSync(rssFile)) {
    const text = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
    rss = node ? Number(text) / MiB : Number(text) / 1024;
  }
  return { ms, rss };
}

/** Interleaved runs of several commands; medians of wall ms and peak RSS. */
function interleave(cmds: Record<string, [string, string[], boolean]>, n: number) {
  const out: Record<string, { ms: number[]; rss: number[] }> = {};
  for (let i = 0; i < n; i++) {
    for (const [name, [cmd, args, node]] of Object.entries(cmds)) {
      const r = runProcess(cmd, args, node);
      (out[name] ??= { ms: [], rss: [] }).ms.push(r.ms);
      out[name].rss.push(r.rss);
    }
  }
  return Object.fromEntries(
    Object.entries(out).map(([k, v]) => [k, { ms: median(v.ms), rss: Math.max(...v.rss) }]),
  );
}

/**
 * A small parent that reports its child's CPU time from wait4(2) in microseconds (bash's `times`
 * prints whole milliseconds: ±1 ms is ±5 % of a 20 ms start-up). Used where python3 exists.
 */
const WAIT4 = [
  'import os, sys',
  'pid = os.fork()',
  'if pid == 0:',
  '    fd = os.open(os.devnull, os.O_RDWR)',
  '    [os.dup2(fd, n) for n in (0, 1, 2)]',
  '    os.execvp(sys.argv[1], sys.argv[1:])',
  '_, status, usage = os.wait4(pid, 0)',
  'print(os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)',
].join('\n');
const hasPython = spawnSync('python3', ['-c', 'import os; os.waitstatus_to_exitcode']).status === 0;

/** CPU time (user + sys, ms) of one run of a process, from getrusage of the child alone (not of
 * its parent): through python3's wait4 where present, else bash's `times`. No preload hook: a
 * hook would add to the start-up. */
function cpuOf(cmd: string, args: string[]): number {
  if (!hasPython) return wallAndCpuOf(cmd, args).cpu;
  const r = spawnSync('python3', ['-c', WAIT4, cmd, ...args], { env: ENV, encoding: 'utf8' });
  const [code, seconds] = r.stdout.trim().split(' ').map(Number);
  if (r.status !== 0 || code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}`);
  return (seconds as number) * 1000;
}

/** Wall ms (including bash's start, ~3 ms) and CPU ms of one run through bash (see cpuOf). */
function wallAndCpuOf(cmd: string, args: string[]): { wall: number; cpu: number } {
  const t0 = performance.now();
  const r = spawnSync(
    'bash',
    [
      '-c',
      'exec 3>&1; "$@" >/dev/null 2>&1 </dev/null; code=$?; times >&3; exit $code',
      '_',
      cmd,
      ...args,
    ],
    { env: ENV, encoding: 'utf8' },
  );
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  const children = r.stdout.trim().split('\n').pop() ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
    (m) => Number(m[1]) * 60 + Number(m[2]),
  );
  return { wall, cpu: ((seconds[0] ?? NaN) + (seconds[1] ?? NaN)) * 1000 };
}

/** Wall ms of one run, spawned directly (no hook, no shell). */
function wallOf(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Peak RSS (MiB) of one run, from /usr/bin/time (a small parent: its own peak is not mixed in). */
function rssOf(cmd: string, args: string[]): number {
  if (!hasTime) return NaN;
  const rssFile = join(WORK, 'rss');
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args], {
    env: ENV,
    stdio: 'ignore',
  });
  if (r.status !== 0) return NaN;
  return Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
}

const profileText = (bytes: number) => {
  const line = '  <GPP_A ua="na">0123456789abcdef0123456789abcdef</GPP_A>\n';
  return `<flat-profile>\n${line.repeat(Math.ceil(bytes / line.length))}</flat-profile>\n`;
};

console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${execFileSync('openssl', ['version']).toString().trim()}, ${new Date().toISOString()}; load average at start ${load()}`,
);

// ---------------------------------------------------------------- whole process: one-shot
if (runs('oneshot')) {
  const p30 = join(WORK, 'p30.xml');
  writeFileSync(p30, profileText(30 * 1024));
  const eceScript = join(WORK, 'ece-encrypt.cjs');
  writeFileSync(
    eceScript,
    `const fs = require('fs'); const ece = require(${JSON.stringify(join(ROOT, 'node_modules', 'http_ece'))});
  fs.writeFileSync(process.argv[3], ece.encrypt(fs.readFileSync(process.argv[2]), { version: 'aes128gcm', key: Buffer.from(process.env.PROV_IKM), rs: 4096 }));\n`,
  );
  // The floor: the same job as a few lines of CommonJS with node:crypto and the same durability
  // (salt, EVP_BytesToKey with three MD5s, AES-256-CBC, a temp file opened O_EXCL beside the
  // target, fsync, rename), no CLI around it — where the platform puts the limit.
  const floorScript = join(WORK, 'floor-encrypt.cjs');
  writeFileSync(
    floorScript,
    `'use strict';
const fs = require('node:fs');
const crypto = require('node:crypto');
const [input, output] = process.argv.slice(2);
const data = fs.readFileSync(input);
const pass = Buffer.from(process.env.PROV_KEY);
const salt = crypto.randomBytes(8);
const blocks = [];
for (let prev = Buffer.alloc(0); blocks.length < 3; ) {
  prev = crypto.createHash('md5').update(Buffer.concat([prev, pass, salt])).digest();
  blocks.push(prev);
}
const material = Buffer.concat(blocks);
const cipher = crypto.createCipheriv('aes-256-cbc', material.subarray(0, 32), material.subarray(32, 48));
const tmp = output + '.' + process.pid + '.tmp';
const fd = fs.openSync(tmp, 'wx', 0o600);
for (const part of [Buffer.from('Salted__'), salt, cipher.update(data), cipher.final()]) fs.writeSync(fd, part);
fs.fsyncSync(fd);
fs.closeSync(fd);
fs.renameSync(tmp, output);
`,
  );
  const oneShot: Record<string, [string, string[]]> = {
    'node -e 0': [process.execPath, ['-e', '0']],
    'floor: node:crypto script, temp file + fsync + rename': [
      process.execPath,
      [floorScript, p30, join(WORK, 'floor.cfg')],
    ],
    'cisco-prov encrypt -o file (AES-256-CBC)': [
      process.execPath,
      [BIN, 'encrypt', '--key-env', 'PROV_KEY', p30, '-o', join(WORK, 'a.cfg')],
    ],
    'cisco-prov encrypt > stdout (AES-256-CBC)': [
      process.execPath,
      [BIN, 'encrypt', '--key-env', 'PROV_KEY', p30],
    ],
    'openssl enc -aes-256-cbc -md md5': [
      'openssl',
      [
        'enc',
        '-e',
        '-aes-256-cbc',
        '-md',
        'md5',
        '-k',
        PASS,
        '-in',
        p30,
        '-out',
        join(WORK, 'b.cfg'),
      ],
    ],
    'cisco-prov encrypt --cipher aes128gcm -o file': [
      process.execPath,
      [BIN, 'encrypt', '--ikm-env', 'PROV_IKM', p30, '-o', join(WORK, 'a.ece')],
    ],
    'node http_ece script (aes128gcm)': [process.execPath, [eceScript, p30, join(WORK, 'b.ece')]],
  };
  const ONE_RUNS = QUICK ? 7 : 31;
  const oneWall: Record<string, number[]> = {};
  const oneCpu: Record<string, number[]> = {};
  const loadBeforeOne = load();
  for (let i = 0; i < ONE_RUNS; i++) {
    for (const [name, [cmd, args]] of Object.entries(oneShot)) {
      (oneWall[name] ??= []).push(wallOf(cmd, args));
      (oneCpu[name] ??= []).push(cpuOf(cmd, args));
    }
  }
  const baseWall = median(oneWall['node -e 0']!);
  const baseCpu = median(oneCpu['node -e 0']!);
  console.log(`\n### Whole process vs whole process: one-shot encrypt of a 30 KB profile\n`);
  console.log(
    `Medians of ${ONE_RUNS} interleaved runs each (wall: spawned directly; CPU: user + sys from ` +
      `getrusage of a separate run, ${hasPython ? 'wait4 in µs' : "bash's times in ms"}), ` +
      `no NODE_EXTRA_CA_CERTS, no preload hook; load ` +
      `${loadBeforeOne} before, ${load()} after. Peak RSS: one run under /usr/bin/time.\n`,
  );
  console.log('| process | wall ms | × `node -e 0` | CPU ms | × `node -e 0` | peak RSS MiB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, [cmd, args]] of Object.entries(oneShot)) {
    const wall = median(oneWall[name]!);
    const cpu = median(oneCpu[name]!);
    console.log(
      `| \`${name}\` | ${wall.toFixed(1)} | ${(wall / baseWall).toFixed(2)} | ${cpu.toFixed(1)} | ${(cpu / baseCpu).toFixed(2)} | ${rssOf(cmd, args).toFixed(1)} |`,
    );
  }
}

// ---------------------------------------------------------------- whole process: 128 MB
if (runs('big')) {
  const bigSize = QUICK ? 32 * MiB : 128 * MiB;
  const big = join(WORK, 'big.bin');
  writeFileSync(big, randomBytes(bigSize));
  const bigRuns = interleave(
    {
      'cisco-prov encrypt': [
        process.execPath,
        [BIN, 'encrypt', '--key-env', 'PROV_KEY', big, '-o', join(WORK, 'big.cfg')],
        true,
      ],
      'openssl enc -e': [
        'openssl',
        [
          'enc',
          '-e',
          '-aes-256-cbc',
          '-md',
          'md5',
          '-k',
          PASS,
          '-in',
          big,
          '-out',
          join(WORK, 'big2.cfg'),
        ],
        false,
      ],
      'cisco-prov decrypt --raw': [
        process.execPath,
        [
          BIN,
          'decrypt',
          '--raw',
          '--key-env',
          'PROV_KEY',
          join(WORK, 'big2.cfg'),
          '-o',
          join(WORK, 'big.out'),
        ],
        true,
      ],
      'openssl enc -d': [
        'openssl',
        [
          'enc',
          '-d',
          '-aes-256-cbc',
          '-md',
          'md5',
          '-k',
          PASS,
          '-in',
          join(WORK, 'big2.cfg'),
          '-out',
          join(WORK, 'big2.out'),
        ],
        false,
      ],
      'cisco-prov encrypt --cipher aes128gcm': [
        process.execPath,
        [BIN, 'encrypt', '--ikm-env', 'PROV_IKM', big, '-o', join(WORK, 'big.ece')],
        true,
      ],
      'cisco-prov decrypt --raw (aes128gcm)': [
        process.execPath,
        [
          BIN,
          'decrypt',
          '--raw',
          '--ikm-env',
          'PROV_IKM',
          join(WORK, 'big.ece'),
          '-o',
          join(WORK, 'big3.out'),
        ],
        true,
      ],
    },
    QUICK ? 2 : 5,
  );
  console.log(`\n### Whole process vs whole process: ${bigSize / MiB} MB, file in, file out\n`);
  console.log(`Median of ${QUICK ? 2 : 5} interleaved runs, start-up included; load ${load()}.\n`);
  console.log('| process | ms | MB/s | peak RSS MiB |');
  console.log('|---|---:|---:|---:|');
  for (const [name, r] of Object.entries(bigRuns)) {
    console.log(
      `| \`${name}\` | ${r.ms.toFixed(0)} | ${(bigSize / 1e6 / (r.ms / 1000)).toFixed(0)} | ${r.rss.toFixed(1)} |`,
    );
  }
  console.log(
    `\nAES-256-CBC encrypt: ${(bigRuns['openssl enc -e']!.ms / bigRuns['cisco-prov encrypt']!.ms).toFixed(2)}× openssl's throughput (target ≥ 0.6); decrypt ${(bigRuns['openssl enc -d']!.ms / bigRuns['cisco-prov decrypt --raw']!.ms).toFixed(2)}×.`,
  );
  for (const f of [
    'big.bin',
    'big.cfg',
    'big2.cfg',
    'big.out',
    'big2.out',
    'big.ece',
    'big3.out',
  ]) {
    rmSync(join(WORK, f), { force: true });
  }
}

// ---------------------------------------------------------------- whole process: batch
if (runs('batch')) {
  const count = QUICK ? 300 : 2000;
  const inDir = join(WORK, 'profiles');
  mkdirSync(inDir);
  const body = profileText(30 * 1024);
  for (let i = 0; i < count; i++)
    writeFileSync(join(inDir, `${(0x00562b000000 + i).toString(16).padStart(12, '0')}.xml`), body);
  const loopScript = (outB: string) =>
    `for f in "${inDir}"/*.xml; do openssl enc -e -aes-256-cbc -md md5 -k "$PROV_KEY" -in "$f" -out "${outB}/$(basename "$f" .xml).cfg" 2>/dev/null; done`;
  const batchWays: Record<string, (out: string) => [string, string[]]> = {
    '`cisco-prov encrypt <dir> --out-dir` (default: a thread per core, at most 4)': (out) => [
      process.execPath,
      [BIN, 'encrypt', '--key-env', 'PROV_KEY', inDir, '--out-dir', out],
    ],
    '`cisco-prov encrypt <dir> --out-dir --jobs 1`': (out) => [
      process.execPath,
      [BIN, 'encrypt', '--key-env', 'PROV_KEY', inDir, '--out-dir', out, '--jobs', '1'],
    ],
    'shell loop, one `openssl enc` per file': (out) => ['sh', ['-c', loopScript(out)]],
  };
  const BATCH_RUNS = QUICK ? 1 : 3;
  const batchWall: Record<string, number[]> = {};
  const batchCpu: Record<string, number[]> = {};
  const loadBeforeBatch = load();
  const outputs: string[] = [];
  for (let r = 0; r < BATCH_RUNS; r++) {
    for (const [name, way] of Object.entries(batchWays)) {
      // A new directory each run, all removed at the end: right after a mass delete, ext4 creates
      // files far more slowly for a while, and that would be measured instead of the tools.
      const out = join(WORK, `batch-${outputs.length}`);
      outputs.push(out);
      mkdirSync(out);
      const [cmd, args] = way(out);
      const { wall, cpu } = wallAndCpuOf(cmd, args);
      (batchWall[name] ??= []).push(wall);
      (batchCpu[name] ??= []).push(cpu);
    }
  }
  const loopName = 'shell loop, one `openssl enc` per file';
  const loopWall = median(batchWall[loopName]!);
  const loopCpu = median(batchCpu[loopName]!);
  console.log(`\n### Whole process vs whole process: encrypting ${count} profiles of 30 KB\n`);
  console.log(
    `Medians of ${BATCH_RUNS} interleaved round(s); wall and CPU (user + sys of the process and ` +
      `its threads, or of the loop's shell and every openssl) of the same run; each run into a ` +
      `new directory on the same disk, none deleted until the end; load ${loadBeforeBatch} before, ${load()} after.\n`,
  );
  console.log('| way | wall s | files/s | CPU s | loop ÷ this, wall | loop ÷ this, CPU |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const name of Object.keys(batchWays)) {
    const wall = median(batchWall[name]!);
    const cpu = median(batchCpu[name]!);
    console.log(
      `| ${name} | ${(wall / 1000).toFixed(2)} | ${(count / (wall / 1000)).toFixed(0)} | ${(cpu / 1000).toFixed(2)} | ${(loopWall / wall).toFixed(1)} | ${(loopCpu / cpu).toFixed(1)} |`,
    );
  }
  const defaultName = Object.keys(batchWays)[0]!;
  console.log(
    `\nOne call (default --jobs) is ${(loopWall / median(batchWall[defaultName]!)).toFixed(1)}× the loop on the wall clock (target ≥ 20), ${(loopCpu / median(batchCpu[defaultName]!)).toFixed(1)}× in CPU time.`,
  );
  for (const out of [inDir, ...outputs]) rmSync(out, { recursive: true, force: true });
}

// ---------------------------------------------------------------- in-process vs in-process
if (runs('inprocess')) {
  /** MB/s: median of repeated runs (at least 5, at least minMs in all) after a warm-up. */
  function mbps(bytes: number, fn: () => unknown, minMs = QUICK ? 150 : 500): number {
    fn();
    const times: number[] = [];
    const start = performance.now();
    while (times.length < 5 || performance.now() - start < minMs) {
      const t0 = performance.now();
      fn();
      times.push(performance.now() - t0);
    }
    return bytes / 1e6 / (median(times) / 1000);
  }

  async function mbpsAsync(bytes: number, fn: () => Promise<unknown>): Promise<number> {
    await fn();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    return bytes / 1e6 / (median(times) / 1000);
  }

  const rows: string[][] = [];
  const fmt = (x: number) => x.toFixed(0);
  for (const [label, size] of [
    ['30 KB', 30 * 1024],
    ['16 MB', 16 * MiB],
  ] as const) {
    const data = new Uint8Array(randomBytes(size));
    const salt = new Uint8Array(8);
    const { key, iv } = evpBytesToKey('md5', PASS, salt);
    rows.push([
      'AES-256-CBC, raw node:crypto (createCipheriv, one update)',
      label,
      fmt(
        mbps(size, () =>
          Buffer.concat([createCipheriv('aes-256-cbc', key, iv).update(data), Buffer.alloc(0)]),
        ),
      ),
      '',
    ]);
    for (const backend of ['node', 'noble'] as BackendName[]) {
      if (backend === 'noble' && size > MiB && QUICK) continue;
      const minMs = backend === 'noble' && size > MiB ? 1 : undefined;
      const cbc = encryptOpensslEnc(data, PASS, { backend });
      rows.push([
        `AES-256-CBC, our core (${backend}): encryptOpensslEnc / decryptOpensslEnc`,
        label,
        fmt(mbps(size, () => encryptOpensslEnc(data, PASS, { backend }), minMs)),
        fmt(mbps(size, () => decryptOpensslEnc(cbc, PASS, { backend }), minMs)),
      ]);
      const gcm = encryptAes128gcm(data, IKM, { backend });
      rows.push([
        `aes128gcm rs 4096, our core (${backend}): encryptAes128gcm / decryptAes128gcm`,
        label,
        fmt(mbps(size, () => encryptAes128gcm(data, IKM, { backend }), minMs)),
        fmt(mbps(size, () => decryptAes128gcm(gcm, IKM, { backend }), minMs)),
      ]);
    }
    const chunks = Array.from({ length: Math.ceil(size / MiB) }, (_, i) =>
      data.subarray(i * MiB, (i + 1) * MiB),
    );
    rows.push([
      'AES-256-CBC, our streaming core (sealStream, 1 MiB chunks)',
      label,
      fmt(
        await mbpsAsync(size, async () => {
          for await (const c of sealStream(chunks, { cipher: 'aes-256-cbc', passphrase: PASS }))
            void c;
        }),
      ),
      '',
    ]);
    const buf = Buffer.from(data);
    if (!(size > MiB && QUICK)) {
      const theirs = ece.encrypt(buf, { version: 'aes128gcm', key: IKM, rs: 4096 });
      rows.push([
        'aes128gcm rs 4096, http_ece 1.2.1 in this process',
        label,
        fmt(
          mbps(
            size,
            () => ece.encrypt(buf, { version: 'aes128gcm', key: IKM, rs: 4096 }),
            size > MiB ? 1 : undefined,
          ),
        ),
        fmt(
          mbps(
            size,
            () => ece.decrypt(theirs, { version: 'aes128gcm', key: IKM }),
            size > MiB ? 1 : undefined,
          ),
        ),
      ]);
    }
  }
  console.log(`\n### In-process vs in-process: MB/s, one core, median of repeated runs\n`);
  console.log(`Load ${load()}.\n`);
  console.log('| implementation | input | encrypt MB/s | decrypt MB/s |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

console.log(`\nLoad average at the end: ${load()}.`);
