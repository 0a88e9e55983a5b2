// Streaming encrypt/decrypt through the spawned CLI (issue 12): large inputs in constant
// memory, files and pipes, byte-exact with `openssl enc` and http_ece, atomic output.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ece from 'http_ece';
import { BIN, runCli } from '../helpers/run-cli.js';

const PASS = 'SecretPhrase1234';
const IKM = 'sixteen byte ikm'; // http_ece takes 16-byte keys only
const env = { PROV_KEY: PASS, PROV_IKM: IKM };
const MAX_RSS_HOOK = new URL('../helpers/max-rss.mjs', import.meta.url).href;
const MiB = 1024 * 1024;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-stream-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Runs the CLI with files only (no pipes to buffer) and returns exit code and peak RSS. */
function runMeasured(args: string[]): { code: number | null; stderr: string; rss: number } {
  const rssFile = join(dir, `rss-${Math.random()}`);
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      ...env,
      NODE_OPTIONS: `--import ${MAX_RSS_HOOK}`,
      MAX_RSS_FILE: rssFile,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return {
    code: r.status,
    stderr: r.stderr.toString(),
    rss: Number(readFileSync(rssFile, 'utf8')),
  };
}

describe('AES-256-CBC, large files: flat memory, openssl byte for byte', () => {
  test('16 MB and 96 MB: peak RSS under 64 MB and the same for both; equal to openssl -S', () => {
    const peaks: number[] = [];
    for (const size of [16 * MiB, 96 * MiB]) {
      const input = join(dir, `in-${size}.bin`);
      writeFileSync(input, randomBytes(size));
      const out = join(dir, `out-${size}.cfg`);
      const r = runMeasured([
        'encrypt',
        '--key-env',
        'PROV_KEY',
        '--salt',
        '0102030405060708',
        input,
        '-o',
        out,
      ]);
      assert.equal(r.code, 0, r.stderr);
      peaks.push(r.rss);
      const theirs = spawnSync(
        'openssl',
        [
          'enc',
          '-e',
          '-aes-256-cbc',
          '-md',
          'md5',
          '-k',
          PASS,
          '-S',
          '0102030405060708',
          '-in',
          input,
        ],
        {
          maxBuffer: 200 * MiB,
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      ).stdout;
      const ours = readFileSync(out);
      assert.equal(ours.length, size + 32); // Salted__ ‖ salt ‖ data ‖ a block of padding
      // OpenSSL 3 with -S writes no Salted__ header: compare the ciphertext after ours.
      assert.equal(
        sha(ours.subarray(16)),
        sha(theirs.subarray(theirs.length - (ours.length - 16))),
      );
      const back = runMeasured([
        'decrypt',
        '--raw',
        '--key-env',
        'PROV_KEY',
        out,
        '-o',
        `${out}.back`,
      ]);
      assert.equal(back.code, 0, back.stderr);
      assert.equal(sha(readFileSync(`${out}.back`)), sha(readFileSync(input)));
      peaks.push(back.rss);
      for (const f of [input, out, `${out}.back`]) rmSync(f);
    }
    for (const p of peaks) assert.ok(p < 64 * MiB, `peak RSS ${(p / MiB).toFixed(1)} MiB`);
    // 6x the input, the same peak (within 8 MiB): memory does not follow the size.
    assert.ok(Math.abs((peaks[2] as number) - (peaks[0] as number)) < 8 * MiB, peaks.join(' '));
  });

  test('stdin to stdout: 24 MB through pipes, openssl enc -d reads it', async () => {
    const input = randomBytes(24 * MiB);
    const enc = await runCli(['encrypt', '--key-env', 'PROV_KEY'], { input, env });
    assert.equal(enc.code, 0, enc.stderr);
    const plain = spawnSync('openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', PASS], {
      input: enc.stdoutBytes,
      maxBuffer: 100 * MiB,
    }).stdout;
    assert.equal(sha(plain), sha(input));
    const dec = await runCli(['decrypt', '--raw', '--key-env', 'PROV_KEY'], {
      input: enc.stdoutBytes,
      env,
    });
    assert.equal(dec.code, 0, dec.stderr);
    assert.equal(sha(dec.stdoutBytes), sha(input));
  });
});

describe('aes128gcm, large bodies', () => {
  test('8 MB: http_ece opens ours, we open http_ece’s, through files and pipes', async () => {
    const input = randomBytes(8 * MiB);
    const file = join(dir, 'gcm.bin');
    writeFileSync(file, input);
    const out = join(dir, 'gcm.ece');
    const enc = runMeasured(['encrypt', '--ikm-env', 'PROV_IKM', '--rs', '65536', file, '-o', out]);
    assert.equal(enc.code, 0, enc.stderr);
    assert.ok(enc.rss < 80 * MiB, `peak RSS ${(enc.rss / MiB).toFixed(1)} MiB`);
    const key = Buffer.from(IKM);
    const opened = ece.decrypt(readFileSync(out), { version: 'aes128gcm', key });
    assert.equal(sha(opened), sha(input));
    const theirs = ece.encrypt(input, { version: 'aes128gcm', key, rs: 65536 });
    const dec = await runCli(['decrypt', '--raw', '--ikm-env', 'PROV_IKM'], { input: theirs, env });
    assert.equal(dec.code, 0, dec.stderr);
    assert.equal(sha(dec.stdoutBytes), sha(input));
  });
});

describe('a failure found at the end leaves nothing behind', () => {
  test('a large CBC file with a changed byte near its end: exit 1, no -o file, no temp file', () => {
    const xml = `<flat-profile>${'<GPP_A ua="na">0123456789abcdef</GPP_A>'.repeat(300_000)}</flat-profile>`;
    const input = join(dir, 'p.xml');
    writeFileSync(input, xml);
    const cfg = join(dir, 'p.cfg');
    assert.equal(runMeasured(['encrypt', '--key-env', 'PROV_KEY', input, '-o', cfg]).code, 0);
    const bytes = readFileSync(cfg);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] as number) ^ 1;
    writeFileSync(cfg, bytes);
    const out = join(dir, 'p.out.xml');
    const r = runMeasured(['decrypt', '--key-env', 'PROV_KEY', cfg, '-o', out]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `cisco-prov: bad decrypt: ${cfg}\n`);
    assert.equal(existsSync(out), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  test('to stdout, a small profile that fails its check prints nothing', async () => {
    const enc = await runCli(['encrypt', '--key-env', 'PROV_KEY'], {
      input: `<flat-profile>${'<A>x</A>'.repeat(1000)}</flat-profile>`,
      env,
    });
    const bytes = Buffer.from(enc.stdoutBytes);
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] as number) ^ 1;
    const r = await runCli(['decrypt', '--key-env', 'PROV_KEY'], { input: bytes, env });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
  });

  test('encrypt reading a FIFO-like stream ends when the writer does', async () => {
    const child = spawn(process.execPath, [BIN, 'encrypt', '--key-env', 'PROV_KEY'], {
      env: { ...process.env, ...env },
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    for (let i = 0; i < 50; i++) child.stdin.write(`<a>${i}</a>`.padEnd(10_000, ' '));
    child.stdin.end();
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 0);
    const plain = spawnSync('openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', PASS], {
      input: Buffer.concat(out),
    }).stdout;
    assert.equal(plain.length, 500_000);
  });
});
