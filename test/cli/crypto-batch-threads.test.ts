// encrypt/decrypt --out-dir on several threads (issue 12, batch speed): with --jobs and enough
// files the batch spreads them over worker threads. The output must not
// depend on it: every file as openssl/http_ece open it, the report in input order, per-file keys
// from a --keys CSV honoured in the workers, failures reported at their file, no temp file left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ece from 'http_ece';
import { batchThreads } from '../../src/commands/crypto-batch.js';
import { BIN, runCli } from '../helpers/run-cli.js';

const ALL_KEY = 'Passphrase-For-All-1';
const ROW_KEY = 'Passphrase-Row-By-Mac';
const ROW_IKM = 'sixteen byte ikm';
const env = { ALL_KEY };
const COUNT = 200; // > 64 per thread for two threads, and more than a few messages each

const mac = (i: number) => (0x00562b040000 + i).toString(16).padStart(12, '0');
const profile = (i: number) =>
  `<flat-profile>\n  <Display_Name_1_ ua="na">phone ${i}</Display_Name_1_>\n</flat-profile>\n`;

let dir: string;
let inDir: string;
let keys: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-threads-'));
  inDir = join(dir, 'in');
  mkdirSync(join(inDir, 'sub'), { recursive: true });
  for (let i = 0; i < COUNT; i++) {
    writeFileSync(join(inDir, i % 2 ? 'sub' : '', `${mac(i)}.xml`), i === 77 ? '' : profile(i));
  }
  keys = join(dir, 'keys.csv');
  // Phone 5 by its MAC with its own passphrase, phone 6 with an IKM (so aes128gcm).
  writeFileSync(keys, `mac,key,ikm\n${mac(5)},${ROW_KEY},\n${mac(6)},,${ROW_IKM}\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('batchThreads: --jobs (default one per core, at most 4), a thread needs 64 files, 1 means this thread', () => {
  assert.equal(batchThreads(2, 200), 2);
  assert.equal(batchThreads(4, 200), 3);
  assert.equal(batchThreads(2, 127), 1);
  assert.equal(batchThreads(1, 10_000), 1);
  assert.equal(batchThreads(undefined, 10_000, 2), 2);
  assert.equal(batchThreads(undefined, 10_000, 1), 1);
  assert.equal(batchThreads(undefined, 10_000, 16), 4);
  assert.equal(batchThreads(undefined, 100, 2), 1);
});

test('--jobs 2: every file encrypted with its key, report in input order, failures in place', async () => {
  const out = join(dir, 'enc');
  // A temp file of ours left by a process that no longer runs: removed by the next batch.
  mkdirSync(out);
  const stale = join(out, `.${mac(1)}.cfg.cp999999999-0badc0de0.tmp`);
  writeFileSync(stale, 'left by a killed run');
  const r = await runCli(
    [
      'encrypt',
      '--key-env',
      'ALL_KEY',
      '--keys',
      keys,
      inDir,
      '--out-dir',
      out,
      '--json',
      '-j',
      '2',
    ],
    { env },
  );
  assert.equal(r.code, 1, r.stderr); // the empty file
  const report = JSON.parse(r.stdout) as {
    files: { input: string; output: string | null; status: string; error?: string }[];
    written: number;
    failed: number;
  };
  assert.equal(report.files.length, COUNT);
  assert.equal(report.written, COUNT - 1);
  // Input order: the walk's order (files of the top directory, then sub/), whatever thread.
  const expected = [
    ...Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 2 === 0),
    ...Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 2 === 1),
  ].map((i) => join(inDir, i % 2 ? 'sub' : '', `${mac(i)}.xml`));
  assert.deepEqual(
    report.files.map((f) => f.input),
    expected,
  );
  const failed = report.files.filter((f) => f.status === 'failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.input, join(inDir, 'sub', `${mac(77)}.xml`));
  assert.match(failed[0]!.error!, /empty input/);
  for (const i of [0, 1, 5, 100, 150, 199]) {
    const file = join(out, i % 2 ? 'sub' : '', `${mac(i)}.cfg`);
    const plain = execFileSync(
      'openssl',
      ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', i === 5 ? ROW_KEY : ALL_KEY, '-in', file],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    assert.equal(plain.toString(), profile(i), `phone ${i}`);
  }
  const gcm = readFileSync(join(out, `${mac(6)}.xml`)); // aes128gcm keeps the name
  assert.equal(
    ece.decrypt(gcm, { version: 'aes128gcm', key: Buffer.from(ROW_IKM) }).toString(),
    profile(6),
  );
  const leftovers = [...readdirSync(out), ...readdirSync(join(out, 'sub'))].filter((n) =>
    n.endsWith('.tmp'),
  );
  assert.deepEqual(leftovers, []);
});

test('--jobs 2 decrypt: the same plaintexts, new files 0600 (they hold secrets)', async () => {
  const enc = join(dir, 'enc2');
  const encrypted = await runCli(['encrypt', '--key-env', 'ALL_KEY', inDir, '--out-dir', enc], {
    env,
  });
  assert.equal(encrypted.code, 1, encrypted.stderr); // the empty file again
  const dec = join(dir, 'dec2');
  const r = await runCli(['decrypt', '--key-env', 'ALL_KEY', enc, '--out-dir', dec, '-j', '2'], {
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`decrypted ${COUNT - 1} of ${COUNT - 1} file`));
  for (const i of [0, 3, 198]) {
    const file = join(dec, i % 2 ? 'sub' : '', `${mac(i)}.xml`);
    assert.equal(readFileSync(file, 'utf8'), profile(i));
    assert.equal(statSync(file).mode & 0o777, 0o600);
  }
});

test('SIGTERM while threads write: exit 143 and no temp file left in any output directory', async (t) => {
  const many = join(dir, 'many');
  mkdirSync(join(many, 'b'), { recursive: true });
  const body = profile(0).repeat(100);
  for (let i = 0; i < 3000; i++) writeFileSync(join(many, i % 2 ? 'b' : '', `${mac(i)}.xml`), body);
  const out = join(dir, 'many-out');
  const child = spawn(
    process.execPath,
    [BIN, 'encrypt', '--key-env', 'ALL_KEY', many, '--out-dir', out, '-j', '2'],
    { env: { ...process.env, ALL_KEY }, stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? -1 : null))),
  );
  let running = true;
  void exited.then(() => (running = false));
  // Signal once the batch is under way (some files written), while it is still running.
  const count = (): number => {
    try {
      return readdirSync(out).length;
    } catch {
      return 0;
    }
  };
  while (running && count() < 20) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGTERM');
  const code = await exited;
  if (code === 0) t.diagnostic('the batch ended before the signal: only the sweep is checked');
  else assert.equal(code, 143);
  const names = (d: string): string[] => {
    try {
      return readdirSync(d);
    } catch {
      return [];
    }
  };
  const leftovers = [...names(out), ...names(join(out, 'b'))].filter((n) => n.endsWith('.tmp'));
  assert.deepEqual(leftovers, []);
});
