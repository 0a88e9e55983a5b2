/**
 * The pipeline check: `cisco-prov fetch` against `cisco-prov serve` (both spawned, loopback only)
 * proves a phone of the example fleet would get an A — through Digest, with either cipher.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { startServe, type ServeProcess } from '../helpers/serve.js';

// Seed excerpt: "User-Agent: Cisco-CP-8841-3PCC/11.0 (00562b043615)" — an 8841 of
// examples/inventory.csv.
const UA = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';
const KEY = 'SecretPhrase1234';
const IKM = 'base64url:yqdlZ-tYemfogSmv7Ws5PQ';
const env = { FETCH_KEY: KEY, FETCH_IKM: IKM, FETCH_PWD: 'pr0v-pass' };

let dir: string;
let cbc: ServeProcess;
let gcm: ServeProcess;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-fetch-serve-'));
  const auth = join(dir, 'auth.txt');
  writeFileSync(auth, 'prov:pr0v-pass\n');
  chmodSync(auth, 0o600);
  const common = ['-i', 'examples/inventory.csv', '--vars', 'examples/site.yaml', '--no-watch'];
  [cbc, gcm] = await Promise.all([
    startServe([...common, '--key-env', 'FETCH_KEY', '--auth-file', auth], { env }),
    startServe([...common, '--ikm-env', 'FETCH_IKM'], { env }),
  ]);
});
after(async () => {
  await Promise.all([cbc.stop(), gcm.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

test('fetch → serve: Digest, then AES-256-CBC for a [--key] .cfg rule → A', async () => {
  const run = await runCli(
    [
      'fetch',
      `[--key $SA --uid prov]http://127.0.0.1:${cbc.port}/$MA.cfg`,
      '--ua',
      UA,
      '--key-env',
      'FETCH_KEY',
      '--pwd-env',
      'FETCH_PWD',
      '--json',
    ],
    { env },
  );
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const json = JSON.parse(run.stdout);
  assert.equal(json.outcome, 'A', json.reason);
  assert.equal(json.cipher, 'aes-256-cbc');
  assert.deepEqual(
    json.chain.map((h: { status: number; auth?: string }) => [h.status, h.auth ?? null]),
    [
      [401, 'Digest'],
      [200, null],
    ],
  );
  assert.doesNotMatch(run.stdout + run.stderr, /SecretPhrase1234|pr0v-pass/);
});

test('fetch → serve: RFC 8188 by Content-Encoding → A; without the IKM → B', async () => {
  const url = `http://127.0.0.1:${gcm.port}/$MA.xml`;
  const ok = await runCli(['fetch', url, '--ua', UA, '--ikm-env', 'FETCH_IKM', '--json'], { env });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(JSON.parse(ok.stdout).cipher, 'aes128gcm');
  const noIkm = await runCli(['fetch', url, '--ua', UA, '--json'], { env });
  assert.equal(noIkm.code, 1);
  assert.equal(JSON.parse(noIkm.stdout).outcome, 'B');
});

test("fetch → serve: another phone's MAC in the path is refused (403 → C)", async () => {
  const run = await runCli(
    ['fetch', `http://127.0.0.1:${gcm.port}/00562b043616.xml`, '--ua', UA, '--json'],
    { env },
  );
  assert.equal(run.code, 1);
  const json = JSON.parse(run.stdout);
  assert.equal(json.status, 403);
  assert.equal(json.outcome, 'C');
});
