// encrypt/decrypt --out-dir (issue 12): many files in one process, a key per file from a CSV,
// atomic writes, a per-file report that does not stop the batch, no key in any output.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ece from 'http_ece';
import { opensslDecrypt } from '../helpers/openssl-enc.js';
import { runCli } from '../helpers/run-cli.js';

const ALL_KEY = 'Passphrase-For-All-1';
const ROW_KEY = 'Passphrase-Row-By-Mac';
const FILE_KEY = 'Passphrase-Row-By-File';
const ROW_IKM = 'sixteen byte ikm';
const env = { ALL_KEY };

const profile = (n: number) =>
  `<flat-profile>\n  <Display_Name_1_ ua="na">phone ${n}</Display_Name_1_>\n</flat-profile>\n`;

let dir: string;
let inDir: string;
let keys: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-batch-'));
  inDir = join(dir, 'in');
  mkdirSync(join(inDir, 'site2'), { recursive: true });
  writeFileSync(join(inDir, '00562b043611.xml'), profile(1));
  writeFileSync(join(inDir, '00562b043612.xml'), profile(2));
  writeFileSync(join(inDir, 'site2', 'lobby.xml'), profile(3));
  writeFileSync(join(inDir, 'site2', 'SEP00562B043614.xml'), profile(4));
  writeFileSync(join(inDir, '.hidden.xml'), profile(9));
  keys = join(dir, 'keys.csv');
  writeFileSync(
    keys,
    [
      'mac,file,key,ikm',
      `00:56:2B:04:36:12,,${ROW_KEY},`,
      `,lobby.xml,${FILE_KEY},`,
      `0056.2b04.3614,,,${ROW_IKM}`,
    ].join('\n'),
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('encrypt --out-dir', () => {
  test('a directory, keys by MAC and by file name, one for the rest; names; openssl and http_ece open them', async () => {
    const out = join(dir, 'out');
    const r = await runCli(
      ['encrypt', '--key-env', 'ALL_KEY', '--keys', keys, inDir, '--out-dir', out, '--json'],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.written, 4);
    assert.equal(report.failed, 0);
    assert.deepEqual(readdirSync(out).sort(), ['00562b043611.cfg', '00562b043612.cfg', 'site2']);
    assert.deepEqual(readdirSync(join(out, 'site2')).sort(), ['SEP00562B043614.xml', 'lobby.cfg']);
    assert.equal(opensslDecrypt(join(out, '00562b043611.cfg'), ALL_KEY), profile(1));
    assert.equal(opensslDecrypt(join(out, '00562b043612.cfg'), ROW_KEY), profile(2));
    assert.equal(opensslDecrypt(join(out, 'site2', 'lobby.cfg'), FILE_KEY), profile(3));
    const body = readFileSync(join(out, 'site2', 'SEP00562B043614.xml'));
    assert.equal(
      ece.decrypt(body, { version: 'aes128gcm', key: Buffer.from(ROW_IKM) }).toString(),
      profile(4),
    );
    for (const secret of [ALL_KEY, ROW_KEY, FILE_KEY, ROW_IKM]) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'no key in the output');
    }
  });

  test('a file without a key fails alone: the others are written, exit 1, one line for it', async () => {
    const out = join(dir, 'out-nokey');
    const r = await runCli(['encrypt', '--keys', keys, inDir, '--out-dir', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cisco-prov: .*00562b043611\.xml: no key for this file/);
    assert.match(r.stderr, /encrypted 3 of 4 file\(s\) into .*, 1 failed/);
    assert.equal(existsSync(join(out, '00562b043612.cfg')), true);
    assert.equal(existsSync(join(out, '00562b043611.cfg')), false);
    assert.deepEqual(
      readdirSync(out).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  test('usage: several files need --out-dir; --salt, -o with --out-dir; a bad CSV names its line', async () => {
    const a = join(inDir, '00562b043611.xml');
    const b = join(inDir, '00562b043612.xml');
    assert.equal((await runCli(['encrypt', '--key-env', 'ALL_KEY', a, b], { env })).code, 2);
    assert.equal(
      (
        await runCli(
          ['encrypt', '--key-env', 'ALL_KEY', a, '--out-dir', dir, '--salt', '00'.repeat(8)],
          { env },
        )
      ).code,
      2,
    );
    assert.equal(
      (await runCli(['encrypt', '--key-env', 'ALL_KEY', a, '--out-dir', dir, '-o', 'x'], { env }))
        .code,
      2,
    );
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'mac,key\nnot-a-mac,secret-value-x\n');
    const r = await runCli(['encrypt', '--keys', bad, a, '--out-dir', join(dir, 'o')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--keys .*bad\.csv:2: mac expected 12 hex digits/);
    assert.ok(!r.stderr.includes('secret-value-x'));
  });
});

describe('decrypt --out-dir', () => {
  test('round trip: .cfg becomes .xml, aes128gcm keeps its name; a wrong key fails alone', async () => {
    const enc = join(dir, 'enc');
    assert.equal(
      (
        await runCli(['encrypt', '--key-env', 'ALL_KEY', '--keys', keys, inDir, '--out-dir', enc], {
          env,
        })
      ).code,
      0,
    );
    const dec = join(dir, 'dec');
    const r = await runCli(
      ['decrypt', '--key-env', 'ALL_KEY', '--keys', keys, enc, '--out-dir', dec, '--json'],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(dec, '00562b043612.xml'), 'utf8'), profile(2));
    assert.equal(readFileSync(join(dec, 'site2', 'SEP00562B043614.xml'), 'utf8'), profile(4));
    const wrong = await runCli(
      ['decrypt', '--key-env', 'ALL_KEY', enc, '--out-dir', join(dir, 'dec2')],
      { env },
    );
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /00562b043612\.cfg: bad decrypt/);
    assert.equal(readFileSync(join(dir, 'dec2', '00562b043611.xml'), 'utf8'), profile(1));
  });

  test('an output that would replace its input is refused', async () => {
    const plainDir = join(dir, 'plain');
    mkdirSync(plainDir);
    writeFileSync(join(plainDir, 'a.xml'), profile(5));
    const r = await runCli(['decrypt', '--key-env', 'ALL_KEY', plainDir, '--out-dir', plainDir], {
      env,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /would replace the input/);
    assert.equal(readFileSync(join(plainDir, 'a.xml'), 'utf8'), profile(5));
  });
});
