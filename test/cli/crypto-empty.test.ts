// An empty input (a 0-byte file, stdin closed at once) to encrypt or decrypt (issue 12): a user
// who encrypts nothing has almost always lost the profile upstream (a failed render, a wrong
// path in a loop), and a phone given an encrypted empty profile silently changes nothing. So:
// one line naming the input, exit 1, nothing written — unless `encrypt --allow-empty`, whose
// output real peers (openssl enc, http_ece) decrypt to 0 bytes. Decrypting 0 bytes is never
// valid (neither container can be empty), so decrypt has no such flag.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ece from 'http_ece';
import { runCli } from '../helpers/run-cli.js';

const PASS = 'SecretPhrase1234';
const IKM = '0123456789abcdef'; // 16 bytes of text: http_ece takes the raw key
const env = { PROV_KEY: PASS, PROV_IKM: IKM };
const PROFILE = '<flat-profile><GPP_A ua="na">x</GPP_A></flat-profile>\n';

let dir: string;
let empty: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-empty-'));
  empty = join(dir, 'empty.xml');
  writeFileSync(empty, '');
  writeFileSync(join(dir, 'full.xml'), PROFILE);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('encrypt refuses an empty input', () => {
  for (const [label, args, input] of [
    ['a 0-byte file', [empty], ''],
    ['empty stdin', [], ''],
  ] as const) {
    test(`${label}: one line naming it, exit 1, nothing on stdout`, async () => {
      const r = await runCli(['encrypt', '--key-env', 'PROV_KEY', ...args], { env, input });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdoutBytes.length, 0);
      const name = args.length ? empty : '<stdin>';
      assert.equal(
        r.stderr.split('\n')[0],
        `cisco-prov: ${name}: empty input (0 bytes): nothing to encrypt`,
      );
      assert.match(r.stderr, /--allow-empty/);
    });
  }

  test('-o: no output file is created, an existing one is left as it was', async () => {
    const out = join(dir, 'kept.cfg');
    const fresh = join(dir, 'fresh.cfg');
    writeFileSync(out, 'old');
    for (const target of [out, fresh]) {
      const r = await runCli(['encrypt', '--key-env', 'PROV_KEY', empty, '-o', target], { env });
      assert.equal(r.code, 1, r.stderr);
    }
    assert.equal(readFileSync(out, 'utf8'), 'old');
    assert.equal(existsSync(fresh), false);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  test('--allow-empty: AES-256-CBC that openssl enc -d opens to 0 bytes', async () => {
    const r = await runCli(['encrypt', '--key-env', 'PROV_KEY', '--allow-empty'], {
      env,
      input: '',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdoutBytes.length, 32); // Salted__ + salt + one block of padding
    const plain = execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', PASS], {
      input: r.stdoutBytes,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    assert.equal(plain.length, 0);
  });

  test('--allow-empty: aes128gcm that http_ece opens to 0 bytes', async () => {
    const r = await runCli(['encrypt', '--ikm-env', 'PROV_IKM', '--allow-empty', empty], { env });
    assert.equal(r.code, 0, r.stderr);
    const plain = ece.decrypt(r.stdoutBytes, { version: 'aes128gcm', key: Buffer.from(IKM) });
    assert.equal(plain.length, 0);
  });

  test('--out-dir: the empty file fails (exit 1), the others are written; --allow-empty takes it', async () => {
    const outDir = join(dir, 'batch');
    const r = await runCli(
      ['encrypt', '--key-env', 'PROV_KEY', empty, join(dir, 'full.xml'), '--out-dir', outDir],
      { env },
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /empty\.xml: empty input \(0 bytes\): nothing to encrypt/);
    assert.deepEqual(readdirSync(outDir).sort(), ['full.cfg']);
    const again = await runCli(
      ['encrypt', '--key-env', 'PROV_KEY', '--allow-empty', empty, '--out-dir', outDir],
      { env },
    );
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(readdirSync(outDir).sort(), ['empty.cfg', 'full.cfg']);
  });
});

describe('decrypt refuses an empty input', () => {
  for (const [label, args, extra] of [
    ['a 0-byte file', [empty], []],
    ['empty stdin', [], []],
    ['empty stdin, --ikm', [], ['--ikm-env', 'PROV_IKM']],
    ['a 0-byte file, --info', [empty], ['--info']],
  ] as const) {
    test(`${label}: one line, exit 1, nothing on stdout`, async () => {
      const keys = (extra as readonly string[]).includes('--ikm-env')
        ? []
        : ['--key-env', 'PROV_KEY'];
      const r = await runCli(['decrypt', ...keys, ...extra, ...args], { env, input: '' });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdoutBytes.length, 0);
      const name = args.length ? empty : '<stdin>';
      assert.equal(r.stderr, `cisco-prov: ${name}: empty input (0 bytes): nothing to decrypt\n`);
    });
  }

  test('--out-dir: the empty file fails (exit 1), the others are written', async () => {
    const enc = join(dir, 'enc');
    const made = await runCli(
      ['encrypt', '--key-env', 'PROV_KEY', join(dir, 'full.xml'), '--out-dir', enc],
      { env },
    );
    assert.equal(made.code, 0, made.stderr);
    writeFileSync(join(enc, 'zero.cfg'), '');
    const outDir = join(dir, 'dec');
    const r = await runCli(['decrypt', '--key-env', 'PROV_KEY', enc, '--out-dir', outDir], { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /zero\.cfg: empty input \(0 bytes\): nothing to decrypt/);
    assert.deepEqual(readdirSync(outDir), ['full.xml']);
    assert.equal(readFileSync(join(outDir, 'full.xml'), 'utf8'), PROFILE);
  });
});
