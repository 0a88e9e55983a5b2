// `diff` and `convert` end to end: the built CLI, golden runs, inputs encrypted by independent
// peers (the openssl CLI for AES-256-CBC, http_ece for RFC 8188), and XML → JSON/YAML → XML.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as ece from 'http_ece';
import { assertGolden } from '../helpers/golden.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { parseProfileXml } from '../../src/profile/profile-map.js';
import { evpBytesToKey } from '../../src/crypto/openssl-enc.js';

const OLD = 'test/fixtures/diff/old.xml';
const NEW = 'test/fixtures/diff/new.xml';
const PASS = 'SecretPhrase1234';
const IKM = 'yqdlZ-tYemfogSmv7Ws5PQ';
const env = { PROV_KEY: PASS, PROV_IKM: `base64url:${IKM}` };
const SECRETS = ['example-sip-201', 'SecretPhrase1234'];

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-diff-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** `openssl enc` as the phone's format is made (reference §3), an independent peer. */
function opensslEncrypt(plaintext: Buffer, md: 'md5' | 'sha256'): Buffer {
  return execFileSync('openssl', ['enc', '-aes-256-cbc', '-md', md, '-k', PASS], {
    input: plaintext,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
}

describe('diff', () => {
  test('golden: two profiles, wrapped and reordered, secrets masked', async () => {
    const args = ['diff', OLD, NEW];
    const run = await runCli(args);
    assertGolden('diff.md', args, run);
    assert.equal(run.code, 1);
    for (const secret of SECRETS) assert.ok(!run.stdout.includes(secret), secret);
  });

  test('golden: --json', async () => {
    const args = ['diff', '--json', OLD, NEW];
    const run = await runCli(args);
    assertGolden('diff-json.md', args, run);
    const changes = JSON.parse(run.stdout) as { name: string; change: string }[];
    assert.deepEqual(
      changes.map((c) => `${c.change} ${c.name}`),
      [
        'changed Station_Name',
        'changed Line_Enable_1_',
        'removed Dial_Plan_1_',
        'changed Resync_Periodic',
        'changed Password_1_',
        'added Line_Enable_2_',
      ],
    );
    for (const secret of SECRETS) assert.ok(!run.stdout.includes(secret), secret);
  });

  test('--show-secrets shows the values', async () => {
    const run = await runCli(['diff', '--json', '--show-secrets', OLD, NEW]);
    assert.equal(run.code, 1);
    const password = (JSON.parse(run.stdout) as { name: string; a: string; b: string }[]).find(
      (c) => c.name === 'Password_1_',
    );
    assert.deepEqual([password?.a, password?.b], ['example-sip-201', 'example-sip-201-rotated']);
  });

  test('the same profile: exit 0 and no output, as diff(1)', async () => {
    const run = await runCli(['diff', OLD, OLD]);
    assert.deepEqual([run.code, run.stdout, run.stderr], [0, '', '']);
  });

  test('encrypted inputs: openssl enc (md5, and sha256 over gzip) give the plain diff', async () => {
    const oldCfg = join(dir, 'old.cfg');
    const newCfg = join(dir, 'new.cfg');
    writeFileSync(oldCfg, opensslEncrypt(readFileSync(join(ROOT, OLD)), 'md5'));
    writeFileSync(newCfg, opensslEncrypt(gzipSync(readFileSync(join(ROOT, NEW))), 'sha256'));
    const plain = await runCli(['diff', '--json', OLD, NEW]);
    const encrypted = await runCli(['diff', '--json', '--key-env', 'PROV_KEY', oldCfg, newCfg], {
      env,
    });
    assert.equal(encrypted.code, 1, encrypted.stderr);
    assert.equal(encrypted.stdout, plain.stdout);
    const same = await runCli(['diff', '--key-env', 'PROV_KEY', oldCfg, OLD], { env });
    assert.deepEqual([same.code, same.stdout], [0, '']);
  });

  test('an RFC 8188 aes128gcm input made by http_ece, against the plain file', async () => {
    const body = ece.encrypt(readFileSync(join(ROOT, NEW)), {
      version: 'aes128gcm',
      key: Buffer.from(IKM, 'base64url'),
      rs: 4096,
    });
    const ece128 = join(dir, 'new.ece');
    writeFileSync(ece128, body);
    const run = await runCli(['diff', '--ikm-env', 'PROV_IKM', ece128, NEW], { env });
    assert.deepEqual([run.code, run.stdout], [0, ''], run.stderr);
    const differs = await runCli(['diff', '--ikm-env', 'PROV_IKM', OLD, ece128], { env });
    assert.equal(differs.code, 1, differs.stderr);
  });

  test('a wrong key: exit 2, "bad decrypt" naming the file, the key nowhere', async () => {
    const cfg = join(dir, 'wrong.cfg');
    writeFileSync(cfg, opensslEncrypt(readFileSync(join(ROOT, OLD)), 'md5'));
    const run = await runCli(['diff', '--key-env', 'WRONG', cfg, OLD], {
      env: { WRONG: 'not-the-passphrase' },
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^cisco-prov: bad decrypt: .*wrong\.cfg$/m);
    assert.ok(!run.stderr.includes('not-the-passphrase'));
    const noKey = await runCli(['diff', cfg, OLD]);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /AES-256-CBC encrypted: a passphrase is needed/);
  });

  test('a wrong key that passes the CBC padding check (1 in 256) is still "bad decrypt"', async () => {
    const enc = opensslEncrypt(readFileSync(join(ROOT, OLD)), 'md5');
    const salt = enc.subarray(8, 16);
    // Look for a wrong passphrase whose MD5-derived key ends the ciphertext in valid padding.
    let wrong: string | undefined;
    for (let i = 0; wrong === undefined && i < 20_000; i++) {
      const { key, iv } = evpBytesToKey('md5', `wrong-${i}`, salt);
      const decipher = createDecipheriv('aes-256-cbc', key, iv);
      try {
        decipher.update(enc.subarray(16));
        decipher.final();
        wrong = `wrong-${i}`;
      } catch {
        // bad padding: the usual wrong-key case
      }
    }
    assert.ok(wrong, 'a passphrase that passes the padding check');
    const cfg = join(dir, 'lucky.cfg');
    writeFileSync(cfg, enc);
    const run = await runCli(['diff', '--key-env', 'WRONG', cfg, OLD], { env: { WRONG: wrong } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^cisco-prov: bad decrypt: .*lucky\.cfg$/m);
    assert.ok(!run.stderr.includes(wrong));
  });

  test('trouble is 2 (bad profile) or 3 (I/O), never 1, and never a stack trace', async () => {
    const broken = join(dir, 'broken.xml');
    writeFileSync(broken, '<flat-profile>\n  <Station_Name>x</Station_Nam>\n</flat-profile>\n');
    const bad = await runCli(['diff', OLD, broken]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^cisco-prov: .*broken\.xml: line 2, col 18: end tag <\/Station_Nam> does not match <Station_Name> \(line 2\)$/m,
    );
    const missing = await runCli(['diff', OLD, join(dir, 'absent.xml')]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /absent\.xml: no such file or directory/);
    const usage = await runCli(['diff', OLD]);
    assert.equal(usage.code, 2);
    for (const run of [bad, missing, usage]) assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

describe('convert', () => {
  test('golden: XML → JSON and XML → YAML', async () => {
    const json = ['convert', NEW, '--to', 'json'];
    assertGolden('convert-json.md', json, await runCli(json));
    const yaml = ['convert', OLD, '--to', 'yaml'];
    assertGolden('convert-yaml.md', yaml, await runCli(yaml));
  });

  const profiles = [
    OLD,
    NEW,
    ...readdirSync(join(ROOT, 'test/fixtures/profiles/good')).map(
      (f) => `test/fixtures/profiles/good/${f}`,
    ),
  ];
  for (const notation of ['json', 'yaml'] as const) {
    test(`round trip XML → ${notation} → XML keeps every parameter byte for byte`, async () => {
      for (const profile of profiles) {
        const there = await runCli(['convert', profile, '--to', notation]);
        assert.equal(there.code, 0, there.stderr);
        const back = await runCli(['convert', '-', '--from', notation, '--to', 'xml'], {
          input: there.stdout,
        });
        assert.equal(back.code, 0, back.stderr);
        const original = parseProfileXml(readFileSync(join(ROOT, profile), 'utf8')).parameters;
        assert.deepEqual([...parseProfileXml(back.stdout).parameters], [...original], profile);
        const copy = join(dir, `back.${notation}.xml`);
        writeFileSync(copy, back.stdout);
        const same = await runCli(['diff', profile, copy]);
        assert.deepEqual([same.code, same.stdout], [0, ''], profile);
      }
    });
  }

  test('an encrypted profile converts like its plaintext; -o writes the file', async () => {
    const cfg = join(dir, 'conv.cfg');
    writeFileSync(cfg, opensslEncrypt(readFileSync(join(ROOT, OLD)), 'md5'));
    const out = join(dir, 'conv.json');
    const run = await runCli(['convert', '--key-env', 'PROV_KEY', cfg, '--to', 'json', '-o', out], {
      env,
    });
    assert.deepEqual([run.code, run.stdout], [0, ''], run.stderr);
    const plain = await runCli(['convert', OLD, '--to', 'json']);
    assert.equal(readFileSync(out, 'utf8'), plain.stdout);
  });

  test('YAML keeps Yes and 0012 as text, read by any YAML reader', async () => {
    const run = await runCli(['convert', '-', '--to', 'xml', '--from', 'yaml'], {
      input: 'Line_Enable_1_: Yes\nUser_ID_1_: 0012\nStation_Name:\n  value: Lobby\n  ua: na\n',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      [...parseProfileXml(run.stdout).parameters],
      [
        ['Line_Enable_1_', { value: 'Yes' }],
        ['User_ID_1_', { value: '0012' }],
        ['Station_Name', { value: 'Lobby', ua: 'na' }],
      ],
    );
  });

  test('bad JSON: exit 1 naming the parameter; no --to: exit 2', async () => {
    const run = await runCli(['convert', '-', '--to', 'xml'], {
      input: '{"Line_Enable_1_": true}',
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /<stdin>: Line_Enable_1_: expected a string or \{ value, ua \}/);
    const noTo = await runCli(['convert', OLD]);
    assert.equal(noTo.code, 2);
  });
});
