/**
 * Batch encrypt/decrypt on the shared worker pool (src/io/worker-pool.ts, its `crypto` task),
 * in-process from source: on two threads (this one and a worker) the report is the one thread's,
 * file for file in input order, and every output opens with its own key; a file whose sealing
 * throws (not a per-file failure: a bug or a bad setting past the door) rejects the whole run
 * instead of hanging it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  runBatch,
  type BatchReport,
  type BatchSettings,
  type KeyTable,
} from '../../src/commands/crypto-batch.js';
import { openProfile } from '../../src/crypto/envelope.js';

const ALL_KEY = 'Passphrase-For-All-1';
const ROW_IKM = new TextEncoder().encode('sixteen byte ikm');
const COUNT = 300; // 10 messages of 32: the worker and this thread both get some
const EMPTY = 250;
const GCM = 7;

const mac = (i: number) => (0x00562b050000 + i).toString(16).padStart(12, '0');
const profile = (i: number) =>
  `<flat-profile>\n  <Display_Name_1_ ua="na">phone ${i}</Display_Name_1_>\n</flat-profile>\n`;

let dir: string;
let inDir: string;
const table: KeyTable = { byFile: new Map(), byMac: new Map(), fileLines: new Map() };
const settings: BatchSettings = {
  command: 'encrypt',
  keys: { passphrase: ALL_KEY, warnings: [] },
  table,
  seal: { gzip: false, md: 'md5', base64: false, rs: 4096, pad: 0, keyid: new Uint8Array() },
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cp-crypto-pool-'));
  inDir = join(dir, 'in');
  mkdirSync(join(inDir, 'b'), { recursive: true });
  for (let i = 0; i < COUNT; i++)
    writeFileSync(join(inDir, i % 3 ? 'b' : '', `${mac(i)}.xml`), i === EMPTY ? '' : profile(i));
  table.byMac.set(mac(GCM), { ikm: ROW_IKM });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A report without where it was written: what must not depend on the number of threads. */
const outcome = (report: BatchReport) =>
  report.files.map((f) => ({
    ...f,
    output: f.output === null ? null : relative(report.outDir, f.output),
  }));

test('two threads give the one thread report, in input order, every file opened with its key', async () => {
  const one = await runBatch([inDir], { outDir: join(dir, 'one'), jobs: 1 }, settings);
  const two = await runBatch([inDir], { outDir: join(dir, 'two'), jobs: 2 }, settings);
  assert.equal(two.files.length, COUNT);
  assert.deepEqual(outcome(two), outcome(one));
  assert.deepEqual([two.written, two.failed], [COUNT - 1, 1]);
  const failed = two.files.find((f) => f.status === 'failed')!;
  assert.equal(failed.input, join(inDir, 'b', `${mac(EMPTY)}.xml`));
  assert.match(failed.error!, /empty input/);
  for (const f of two.files.filter((r) => r.status === 'written')) {
    const i = Number.parseInt(relative(inDir, f.input).replace(/^b\//, ''), 16) - 0x00562b050000;
    const key = i === GCM ? { ikm: ROW_IKM } : { passphrase: ALL_KEY };
    assert.equal(f.cipher, i === GCM ? 'aes128gcm' : 'aes-256-cbc');
    const plain = openProfile(readFileSync(f.output!), key).plaintext;
    assert.equal(new TextDecoder().decode(plain), profile(i), f.input);
  }
  const temps = [...readdirSync(two.outDir), ...readdirSync(join(two.outDir, 'b'))].filter((n) =>
    n.endsWith('.tmp'),
  );
  assert.deepEqual(temps, []);
});

test('sealing that throws rejects the two-thread run (no hang, no per-file report)', async () => {
  // rs below RFC 8188's 18 is refused at the door (--rs); past it, sealProfileParts throws.
  const bad: BatchSettings = {
    ...settings,
    keys: { ikm: ROW_IKM, warnings: [] },
    seal: { ...settings.seal, cipher: 'aes128gcm', rs: 1 },
  };
  await assert.rejects(runBatch([inDir], { outDir: join(dir, 'bad'), jobs: 2 }, bad), /"rs"/);
});
