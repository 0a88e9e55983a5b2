// Issue 10 items 4, 5, 6, 8 and 17 through the spawned CLI: exit code, the one-line message,
// nothing written on failure, and memory bounded on a gzip bomb.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encryptAes128gcm, sealProfile } from '../../src/crypto/index.js';
import { runCli } from '../helpers/run-cli.js';

const PROFILE = `<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n${'  <GPP_A ua="na">0123456789abcdef</GPP_A>\n'.repeat(60)}</flat-profile>\n`;
const PASS = 'SecretPhrase1234';
const IKM = 'the right ikm';
const env = { PROV_KEY: PASS, PROV_IKM: IKM, WRONG_IKM: 'the wrong ikm' };
const MAX_RSS_HOOK = new URL('../helpers/max-rss.mjs', import.meta.url).href;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-harden-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('decrypt --ikm: never plaintext from a body that fails (item 4)', () => {
  const salt = new Uint8Array(16).fill(0x77);
  salt.set([0x3c, 0x61]); // "<a": the body's first bytes look like XML
  const body = encryptAes128gcm(new TextEncoder().encode(PROFILE), new TextEncoder().encode(IKM), {
    salt,
  });

  test('wrong IKM: exit 1, bad decrypt, nothing on stdout; --info too', async () => {
    const r = await runCli(['decrypt', '--ikm-env', 'WRONG_IKM', '-'], { input: body, env });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'cisco-prov: bad decrypt: <stdin>\n');
    assert.equal(r.stdout, '');
    const info = await runCli(['decrypt', '--ikm-env', 'WRONG_IKM', '--info', '--json', '-'], {
      input: body,
      env,
    });
    assert.equal(info.code, 1);
    assert.equal(info.stdout, '');
  });

  test('cut body: exit 1; the whole body: the profile', async () => {
    const cut = await runCli(['decrypt', '--ikm-env', 'PROV_IKM'], {
      input: body.subarray(0, body.length - 3),
      env,
    });
    assert.equal(cut.code, 1);
    const whole = await runCli(['decrypt', '--ikm-env', 'PROV_IKM'], { input: body, env });
    assert.equal(whole.code, 0, whole.stderr);
    assert.equal(whole.stdout, PROFILE);
  });
});

describe('encrypt --salt with aes128gcm (item 5)', () => {
  test('refused (exit 2) unless --unsafe-fixed-salt', async () => {
    const args = ['encrypt', '--ikm-env', 'PROV_IKM', '--salt', '11'.repeat(16)];
    const refused = await runCli(args, { input: PROFILE, env });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--salt with aes128gcm reuses the key and nonces/);
    assert.match(refused.stderr, /--unsafe-fixed-salt/);
    assert.equal(refused.stdout, '');
    const allowed = await runCli([...args, '--unsafe-fixed-salt'], { input: PROFILE, env });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stdoutBytes.subarray(0, 16).toString('hex'), '11'.repeat(16));
  });
});

describe('many aes128gcm records (item 8)', () => {
  test('encrypt --rs 18 of 150,000 bytes (150,000 records) decrypts', async () => {
    const big = `<a>${'x'.repeat(150_000 - 7)}</a>`;
    const file = join(dir, 'big.xml');
    writeFileSync(file, big);
    const enc = await runCli(['encrypt', '--ikm-env', 'PROV_IKM', '--rs', '18', file], { env });
    assert.equal(enc.code, 0, enc.stderr);
    const dec = await runCli(['decrypt', '--ikm-env', 'PROV_IKM'], { input: enc.stdoutBytes, env });
    assert.equal(dec.code, 0, dec.stderr);
    assert.equal(dec.stdout.length, big.length);
  });
});

describe('bounded gunzip: --max-size (item 6)', () => {
  // 96 gzip members of 16 MiB of zeros: 1.5 GiB out of about 1.5 MB in.
  let bomb: Buffer;
  before(() => {
    const member = gzipSync(Buffer.alloc(16 << 20), { level: 9 });
    bomb = Buffer.concat(Array.from({ length: 96 }, () => member));
  });

  test('a gzip bomb: exit 1 naming the limit, no output file, bounded memory', async () => {
    const file = join(dir, 'bomb.gz');
    writeFileSync(file, bomb);
    const out = join(dir, 'bomb.xml');
    const rssFile = join(dir, 'rss');
    const r = await runCli(['decrypt', file, '-o', out], {
      env: { NODE_OPTIONS: `--import ${MAX_RSS_HOOK}`, MAX_RSS_FILE: rssFile },
    });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.split('\n')[0],
      `cisco-prov: ${file}: gunzipped data exceeds --max-size 67108864 bytes (64 MiB)`,
    );
    assert.equal(existsSync(out), false);
    const rss = Number(readFileSync(rssFile, 'utf8'));
    // decrypt streams to a temp file: zlib's window and a chunk or two, not --max-size.
    assert.ok(rss < 100 * 1024 * 1024, `peak RSS ${(rss / 2 ** 20).toFixed(0)} MiB`);
  });

  test('the same bomb inside AES-256-CBC, and --max-size in K/M/G', async () => {
    const sealed = sealProfile(bomb, { cipher: 'aes-256-cbc', passphrase: PASS });
    const r = await runCli(['decrypt', '--key-env', 'PROV_KEY', '--max-size', '1M'], {
      input: sealed,
      env,
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /<stdin>: gunzipped data exceeds --max-size 1048576 bytes \(1 MiB\)/);
  });

  test('a profile under the limit opens; a bad --max-size is exit 2', async () => {
    const ok = await runCli(['decrypt', '--max-size', '64K'], { input: gzipSync(PROFILE) });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, PROFILE);
    const tooSmall = await runCli(['decrypt', '--max-size', '100'], { input: gzipSync(PROFILE) });
    assert.equal(tooSmall.code, 1);
    const bad = await runCli(['decrypt', '--max-size', 'lots'], { input: gzipSync(PROFILE) });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-size expected a size in bytes/);
  });
});

describe('AES-256-CBC tampering is caught (item 17)', () => {
  test('a flipped byte at offset 500: exit 1, bad decrypt, no output file', async () => {
    // A fixed salt: CBC has no MAC, and with some keys a flipped bit garbles a block into text
    // that still passes (test/unit/crypto-hardening.test.ts): this one is caught.
    const salt = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1);
    const sealed = Buffer.from(
      sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PASS, salt }),
    );
    sealed[500] = (sealed[500] as number) ^ 1;
    const file = join(dir, 'tampered.cfg');
    writeFileSync(file, sealed);
    const out = join(dir, 'tampered.xml');
    const r = await runCli(['decrypt', '--key-env', 'PROV_KEY', file, '-o', out], { env });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `cisco-prov: bad decrypt: ${file}\n`);
    assert.equal(existsSync(out), false);
  });

  test('a gzip payload with a flipped byte: exit 1, also with --no-gunzip', async () => {
    const sealed = Buffer.from(
      sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PASS, gzip: true }),
    );
    sealed[sealed.length - 20] = (sealed[sealed.length - 20] as number) ^ 4;
    for (const extra of [[], ['--no-gunzip']]) {
      const r = await runCli(['decrypt', '--key-env', 'PROV_KEY', ...extra], {
        input: sealed,
        env,
      });
      assert.equal(r.code, 1, extra.join(' '));
      assert.match(r.stderr, /bad decrypt/);
    }
  });
});
