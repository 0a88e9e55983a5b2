// Crypto benchmark (issue 2): MB/s of encrypt and decrypt for 50 KB and 16 MB inputs, both
// ciphers, both backends, beside `openssl enc` (CBC) and `http_ece` (aes128gcm) on the same
// inputs; and the wall time of one `cisco-prov encrypt` of a 50 KB file beside `node -e 0`.
// Not a test: prints a table. Run: npm run bench -- crypto
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ece from 'http_ece';
import {
  decryptAes128gcm,
  decryptOpensslEnc,
  encryptAes128gcm,
  encryptOpensslEnc,
  type BackendName,
} from '../src/crypto/index.js';
// Both backends are measured: register noble (the crypto barrel does not load it).
import '../src/crypto/backend-noble.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'bench', '.work', 'crypto');
const BIN = join(ROOT, 'bin', 'cisco-prov.cjs');
const PASS = 'SecretPhrase1234';
const IKM = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const SIZES = [
  ['50 KB', 50 * 1024],
  ['16 MB', 16 * 1024 * 1024],
] as const;

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });

/** Runs fn until ≥ minMs has passed (at least twice); returns MB/s of the best third. */
function mbps(bytes: number, fn: () => unknown, minMs = 400): number {
  fn(); // warm-up
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const best = times.slice(0, Math.max(1, Math.floor(times.length / 3)));
  const ms = best.reduce((a, b) => a + b, 0) / best.length;
  return bytes / 1e6 / (ms / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Wall time in ms of a process, median of n runs. */
function processMs(cmd: string, args: string[], n: number, env?: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: 'ignore', env: env ?? process.env });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

// One-shot start-up, measured first, while this process is small (a parent with a large heap
// makes every spawn slower); runs interleaved so machine noise hits both alike.
const profile = join(WORK, 'profile-50k.xml');
writeFileSync(
  profile,
  `<flat-profile>\n${'<GPP_A ua="na">0123456789abcdef0123456789abcdef</GPP_A>\n'.repeat(1000)}</flat-profile>\n`,
);
const env = { ...process.env, PROV_KEY: PASS };
const nodeTimes: number[] = [];
const cliTimes: number[] = [];
for (let i = 0; i < 41; i++) {
  nodeTimes.push(processMs(process.execPath, ['-e', '0'], 1, env));
  cliTimes.push(
    processMs(
      process.execPath,
      [BIN, 'encrypt', '--key-env', 'PROV_KEY', profile, '-o', join(WORK, 'p.cfg')],
      1,
      env,
    ),
  );
}
const nodeMs = median(nodeTimes);
const cliMs = median(cliTimes);
console.log('\n| one-shot (median of 41, interleaved) | ms |');
console.log('|---|---:|');
console.log(`| \`node -e 0\` | ${nodeMs.toFixed(1)} |`);
console.log(`| \`cisco-prov encrypt\` of a 50 KB profile | ${cliMs.toFixed(1)} |`);
console.log(`| ratio (target ≤ 1.25) | ${(cliMs / nodeMs).toFixed(2)} |`);
console.log(
  `\nNODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS ?? '(unset)'} (Node 20 parses it at every start, for both commands)`,
);

const rows: string[][] = [];
const fmt = (x: number) => x.toFixed(0);
for (const [label, size] of SIZES) {
  const data = new Uint8Array(size).map((_, i) => (i * 31 + 7) % 256);
  const file = join(WORK, `in-${size}.bin`);
  writeFileSync(file, data);
  for (const backend of ['node', 'noble'] as BackendName[]) {
    const minMs = backend === 'noble' && size > 1e6 ? 1 : 400;
    const cbc = encryptOpensslEnc(data, PASS, { backend });
    rows.push([
      `AES-256-CBC, cisco-prov (${backend})`,
      label,
      fmt(mbps(size, () => encryptOpensslEnc(data, PASS, { backend }), minMs)),
      fmt(mbps(size, () => decryptOpensslEnc(cbc, PASS, { backend }), minMs)),
    ]);
    const gcm = encryptAes128gcm(data, IKM, { backend });
    rows.push([
      `aes128gcm rs 4096, cisco-prov (${backend})`,
      label,
      fmt(mbps(size, () => encryptAes128gcm(data, IKM, { backend }), minMs)),
      fmt(mbps(size, () => decryptAes128gcm(gcm, IKM, { backend }), minMs)),
    ]);
  }
  // openssl enc as a process per file: the way admins script it today.
  const encFile = join(WORK, `in-${size}.cfg`);
  execFileSync(
    'openssl',
    ['enc', '-e', '-aes-256-cbc', '-md', 'md5', '-k', PASS, '-in', file, '-out', encFile],
    {
      stdio: 'ignore',
    },
  );
  const runs = size > 1e6 ? 5 : 21;
  const encMs = processMs(
    'openssl',
    ['enc', '-e', '-aes-256-cbc', '-md', 'md5', '-k', PASS, '-in', file, '-out', join(WORK, 'o')],
    runs,
  );
  const decMs = processMs(
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
      encFile,
      '-out',
      join(WORK, 'o'),
    ],
    runs,
  );
  rows.push([
    'AES-256-CBC, `openssl enc` process (incl. start-up)',
    label,
    fmt(size / 1e6 / (encMs / 1000)),
    fmt(size / 1e6 / (decMs / 1000)),
  ]);
  const buf = Buffer.from(data);
  const theirs = ece.encrypt(buf, { version: 'aes128gcm', key: IKM, rs: 4096 });
  rows.push([
    'aes128gcm rs 4096, http_ece 1.2.1',
    label,
    fmt(mbps(size, () => ece.encrypt(buf, { version: 'aes128gcm', key: IKM, rs: 4096 }))),
    fmt(mbps(size, () => ece.decrypt(theirs, { version: 'aes128gcm', key: IKM }))),
  ]);
}

console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${execFileSync('openssl', ['version']).toString().trim()}, ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log('| implementation | input | encrypt MB/s | decrypt MB/s |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
