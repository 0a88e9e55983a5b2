// encrypt / decrypt / keygen end to end: the built CLI, spawned as a user's shell would.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli } from '../helpers/run-cli.js';

const PROFILE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Password_1_ ua="na">hunter2</Password_1_>\n</flat-profile>\n';
const PASS = 'SecretPhrase1234';
const IKM = 'the ikm text';
const env = { PROV_KEY: PASS, PROV_IKM: IKM };

let dir: string;
let plain: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-cli-'));
  plain = join(dir, 'profile.xml');
  writeFileSync(plain, PROFILE);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('encrypt → decrypt through pipes', () => {
  test('AES-256-CBC: stdin → stdout → openssl enc -d -md md5', async () => {
    const enc = await runCli(['encrypt', '--key-env', 'PROV_KEY'], { input: PROFILE, env });
    assert.equal(enc.code, 0, enc.stderr);
    assert.equal(enc.stderr, '');
    assert.equal(enc.stdoutBytes.subarray(0, 8).toString(), 'Salted__');
    const out = execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', PASS], {
      input: enc.stdoutBytes,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    assert.equal(out.toString(), PROFILE);
    const dec = await runCli(['decrypt', '--key-env', 'PROV_KEY', '-'], {
      input: enc.stdoutBytes,
      env,
    });
    assert.equal(dec.code, 0, dec.stderr);
    assert.equal(dec.stdout, PROFILE);
  });

  test('aes128gcm with gzip, rs, keyid and padding; -o writes the file', async () => {
    const cfg = join(dir, 'p.ece');
    const enc = await runCli(
      [
        'encrypt',
        '--cipher',
        'aes128gcm',
        '--ikm-env',
        'PROV_IKM',
        '--gzip',
        '--rs',
        '64',
        '--keyid',
        'k1',
        '--pad',
        '9',
        plain,
        '-o',
        cfg,
      ],
      { env },
    );
    assert.equal(enc.code, 0, enc.stderr);
    assert.equal(enc.stdout, '');
    const info = await runCli(['decrypt', '--ikm-env', 'PROV_IKM', '--info', '--json', cfg], {
      env,
    });
    assert.equal(info.code, 0, info.stderr);
    const parsed = JSON.parse(info.stdout);
    assert.equal(parsed.container, 'aes128gcm');
    assert.equal(parsed.rs, 64);
    assert.equal(parsed.keyid, 'k1');
    assert.equal(parsed.gzip, true);
    assert.ok(parsed.records > 1);
    const dec = await runCli(['decrypt', '--ikm-env', 'PROV_IKM', cfg], { env });
    assert.equal(dec.stdout, PROFILE);
  });

  test('--md sha256 output opens with openssl -md sha256 and with our auto-detection', async () => {
    const enc = await runCli(['encrypt', '--key-env', 'PROV_KEY', '--md', 'sha256', plain], {
      env,
    });
    const out = execFileSync(
      'openssl',
      ['enc', '-d', '-aes-256-cbc', '-md', 'sha256', '-k', PASS],
      {
        input: enc.stdoutBytes,
      },
    );
    assert.equal(out.toString(), PROFILE);
    const info = await runCli(['decrypt', '--key-env', 'PROV_KEY', '--info', '--json', '-'], {
      input: enc.stdoutBytes,
      env,
    });
    assert.equal(JSON.parse(info.stdout).digest, 'sha256');
  });

  test('--salt makes the output reproducible and matches openssl -S', async () => {
    const a = await runCli(
      ['encrypt', '--key-env', 'PROV_KEY', '--salt', '0102030405060708', plain],
      { env },
    );
    const b = await runCli(
      ['encrypt', '--key-env', 'PROV_KEY', '--salt', '0102030405060708', plain],
      { env },
    );
    assert.deepEqual(a.stdoutBytes, b.stdoutBytes);
    const theirs = execFileSync(
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
        plain,
      ],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    // OpenSSL 3 with -S writes no Salted__ header: compare the ciphertext after ours.
    assert.deepEqual(
      a.stdoutBytes.subarray(16),
      theirs.subarray(theirs.length - (a.stdoutBytes.length - 16)),
    );
  });

  test('--base64 writes what openssl enc -a reads', async () => {
    const enc = await runCli(['encrypt', '--key-env', 'PROV_KEY', '--base64', plain], { env });
    assert.match(enc.stdout, /^U2FsdGVkX1[A-Za-z0-9+/=\n]+$/);
    const out = execFileSync(
      'openssl',
      ['enc', '-d', '-a', '-aes-256-cbc', '-md', 'md5', '-k', PASS],
      { input: enc.stdout },
    );
    assert.equal(out.toString(), PROFILE);
  });
});

describe('failures: one line, the right exit code, no output file left behind', () => {
  test('wrong key: exit 1, "bad decrypt: <file>", no -o file', async () => {
    const cfg = join(dir, 'wrong.cfg');
    await runCli(['encrypt', '--key-env', 'PROV_KEY', plain, '-o', cfg], { env });
    const target = join(dir, 'out-wrong.xml');
    const r = await runCli(['decrypt', '--key-env', 'OTHER', cfg, '-o', target], {
      env: { OTHER: 'nope' },
    });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `cisco-prov: bad decrypt: ${cfg}\n`);
    assert.equal(existsSync(target), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  test('truncated file: exit 1', async () => {
    const cfg = join(dir, 'trunc.cfg');
    await runCli(['encrypt', '--key-env', 'PROV_KEY', plain, '-o', cfg], { env });
    const r = await runCli(['decrypt', '--key-env', 'PROV_KEY', '-'], {
      input: readFileSync(cfg).subarray(0, 40),
      env,
    });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'cisco-prov: bad decrypt: <stdin>\n');
  });

  test('tampered aes128gcm body: exit 1', async () => {
    const enc = await runCli(['encrypt', '--ikm-env', 'PROV_IKM', plain], { env });
    const body = Buffer.from(enc.stdoutBytes);
    body.writeUInt8(body.readUInt8(body.length - 20) ^ 1, body.length - 20);
    const r = await runCli(['decrypt', '--ikm-env', 'PROV_IKM'], { input: body, env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad decrypt/);
  });

  test('empty input: refused by both (exit 1); encrypt --allow-empty makes an empty profile', async () => {
    const enc = await runCli(['encrypt', '--key-env', 'PROV_KEY'], { input: '', env });
    assert.equal(enc.code, 1);
    assert.match(enc.stderr, /empty input \(0 bytes\): nothing to encrypt/);
    const allowed = await runCli(['encrypt', '--key-env', 'PROV_KEY', '--allow-empty'], {
      input: '',
      env,
    });
    assert.equal(allowed.code, 0);
    assert.equal(allowed.stdoutBytes.length, 32);
    const dec = await runCli(['decrypt', '--key-env', 'PROV_KEY'], { input: '', env });
    assert.equal(dec.code, 1);
    assert.match(dec.stderr, /empty input \(0 bytes\): nothing to decrypt/);
  });

  test("unknown cipher: exit 2 with commander's message", async () => {
    const r = await runCli(['encrypt', '--cipher', 'des', '--key-env', 'PROV_KEY', plain], { env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cisco-prov: option '-c, --cipher <cipher>' argument 'des' is invalid/);
  });

  test('missing file: exit 3, one line naming it', async () => {
    const r = await runCli(['encrypt', '--key-env', 'PROV_KEY', join(dir, 'nope.xml')], { env });
    assert.equal(r.code, 3);
    assert.equal(
      r.stderr,
      `cisco-prov: cannot read ${join(dir, 'nope.xml')}: no such file or directory\n`,
    );
  });

  test('bad option values name the option: --rs, --salt, --pad', async () => {
    for (const [args, message] of [
      [
        ['--ikm-env', 'PROV_IKM', '--rs', '17'],
        /--rs expected an integer 18\.\.4294967295, got "17"/,
      ],
      [['--key-env', 'PROV_KEY', '--salt', 'abcd'], /--salt expected 8 bytes as 16 hex digits/],
      [['--ikm-env', 'PROV_IKM', '--pad', '-3'], /--pad expected an integer/],
      [
        ['--key-env', 'UNSET_VAR_X'],
        /--key-env UNSET_VAR_X: the environment variable is not set or empty/,
      ],
      [['--key', 'a', '--key-env', 'PROV_KEY'], /give only one of --key, --key-env/],
    ] as const) {
      const r = await runCli(['encrypt', ...args, plain], { env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  test('an encrypted file without a key: exit 2 and a hint', async () => {
    const enc = await runCli(['encrypt', '--key-env', 'PROV_KEY', plain], { env });
    const r = await runCli(['decrypt'], { input: enc.stdoutBytes });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /a passphrase is needed/);
  });
});

describe('secrets never echoed', () => {
  test('--key on the command line warns, and the secret appears nowhere in the output', async () => {
    const secret = 'Tr0ub4dor&3-unique';
    const enc = await runCli(['encrypt', '--key', secret, plain]);
    assert.equal(enc.code, 0);
    assert.match(enc.stderr, /--key on the command line is visible to other users in 'ps'/);
    assert.ok(!enc.stderr.includes(secret));
    const wrong = await runCli(['decrypt', '--key', 'Wrong-unique-key', '--info', '--json', '-'], {
      input: enc.stdoutBytes,
    });
    assert.equal(wrong.code, 1);
    assert.ok(
      !wrong.stderr.includes('Wrong-unique-key') && !wrong.stdout.includes('Wrong-unique-key'),
    );
    const info = await runCli(['decrypt', '--key', secret, '--info', '--json', '-'], {
      input: enc.stdoutBytes,
    });
    assert.ok(!info.stdout.includes(secret) && !info.stderr.includes(secret));
  });

  test('an IKM that fails to decode is not echoed', async () => {
    const r = await runCli(['encrypt', '--ikm', 'hex:zz-secret-zz', plain]);
    assert.equal(r.code, 2);
    assert.ok(!r.stderr.includes('zz-secret-zz'));
  });
});

describe('keygen', () => {
  test('a passphrase is 32 base64url characters and differs each time', async () => {
    const a = await runCli(['keygen']);
    const b = await runCli(['keygen']);
    assert.match(a.stdout, /^[A-Za-z0-9_-]{32}\n$/);
    assert.notEqual(a.stdout, b.stdout);
  });
  test('--ikm --encoding hex prints hex: and 16 bytes; the key decrypts what it encrypts', async () => {
    const k = await runCli(['keygen', '--ikm', '--encoding', 'hex']);
    assert.match(k.stdout, /^hex:[0-9a-f]{32}\n$/);
    const ikmEnv = { IKM: k.stdout.trim() };
    const enc = await runCli(['encrypt', '--ikm-env', 'IKM', plain], { env: ikmEnv });
    const dec = await runCli(['decrypt', '--ikm-env', 'IKM'], {
      input: enc.stdoutBytes,
      env: ikmEnv,
    });
    assert.equal(dec.stdout, PROFILE);
  });
  test('--bytes below 16 is refused', async () => {
    const r = await runCli(['keygen', '--bytes', '8']);
    assert.equal(r.code, 2);
  });
});

describe('CISCO_PROV_CRYPTO selects the backend', () => {
  /**
   * A preload that breaks node:crypto's cipher and hash functions: a run that succeeds under it
   * did not use the node backend. (Both backends give the same bytes by design, so equal
   * output alone cannot show which one ran.)
   */
  function poisonNodeCrypto(): NodeJS.ProcessEnv {
    const preload = join(dir, 'poison-node-crypto.mjs');
    writeFileSync(
      preload,
      "import { createRequire } from 'node:module';\n" +
        "const c = createRequire(import.meta.url)('node:crypto');\n" +
        "for (const f of ['createCipheriv', 'createDecipheriv', 'createHash', 'createHmac', 'pbkdf2Sync']) {\n" +
        '  c[f] = () => { throw new Error(`node:crypto ${f} was used`); };\n' +
        '}\n',
    );
    return { NODE_OPTIONS: `--import ${preload}` };
  }

  test('noble is used when asked: node:crypto broken, the run still works', async () => {
    const poison = poisonNodeCrypto();
    const args = ['encrypt', '--key-env', 'PROV_KEY', '--salt', '0102030405060708', plain];
    const viaNode = await runCli(args, { env: { ...env, ...poison, CISCO_PROV_CRYPTO: 'node' } });
    assert.equal(viaNode.code, 3, 'the preload bites the node backend');
    assert.match(viaNode.stderr, /node:crypto \w+ was used/);
    const unset = await runCli(args, { env: { ...env, ...poison, CISCO_PROV_CRYPTO: '' } });
    assert.equal(unset.code, 3, 'node:crypto is the default');
    const viaNoble = await runCli(args, { env: { ...env, ...poison, CISCO_PROV_CRYPTO: 'noble' } });
    assert.equal(viaNoble.code, 0, viaNoble.stderr);
    const back = await runCli(['decrypt', '--key-env', 'PROV_KEY', '-'], {
      env: { ...env, ...poison, CISCO_PROV_CRYPTO: 'noble' },
      input: viaNoble.stdoutBytes,
    });
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, PROFILE);
  });

  test('render worker threads use the backend chosen in the main thread', async () => {
    const work = mkdtempSync(join(dir, 'render-'));
    const rows = ['mac,model'];
    for (let i = 0; i < 120; i++)
      rows.push(`${(0x00562b000000 + i).toString(16).padStart(12, '0')},8841`);
    writeFileSync(join(work, 'inv.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(work, 'default.liquid'), '<flat-profile/>\n');
    const args = ['render', '-i', 'inv.csv', '-t', 'default.liquid', '-o', 'out', '--jobs', '2'];
    const r = await runCli([...args, '--encrypt', 'aes-256-cbc', '--key-env', 'PROV_KEY'], {
      cwd: work,
      env: { ...env, ...poisonNodeCrypto(), CISCO_PROV_CRYPTO: 'noble' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readdirSync(join(work, 'out')).length, 120);
  });

  test('an unknown backend name is a usage error (exit 2)', async () => {
    const r = await runCli(['keygen'], { env: { CISCO_PROV_CRYPTO: 'openssl' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /CISCO_PROV_CRYPTO expected node or noble, got "openssl"/);
  });

  test('noble and node give the same bytes for the same salt, through the CLI', async () => {
    const args = ['encrypt', '--key-env', 'PROV_KEY', '--salt', '0102030405060708', plain];
    const viaNode = await runCli(args, { env: { ...env, CISCO_PROV_CRYPTO: 'node' } });
    const viaNoble = await runCli(args, { env: { ...env, CISCO_PROV_CRYPTO: 'noble' } });
    assert.equal(viaNoble.code, 0, viaNoble.stderr);
    assert.deepEqual(viaNoble.stdoutBytes, viaNode.stdoutBytes);
    const gcm = [
      'encrypt',
      '--ikm-env',
      'PROV_IKM',
      '--salt',
      '00'.repeat(16),
      '--unsafe-fixed-salt',
      '--rs',
      '40',
      plain,
    ];
    const gNode = await runCli(gcm, { env: { ...env, CISCO_PROV_CRYPTO: 'node' } });
    const gNoble = await runCli(gcm, { env: { ...env, CISCO_PROV_CRYPTO: 'noble' } });
    assert.equal(gNode.code, 0, gNode.stderr);
    assert.ok(gNode.stdoutBytes.length > 21);
    assert.deepEqual(gNoble.stdoutBytes, gNode.stdoutBytes);
  });
});

describe('decrypt: what is not encrypted, and gzip kept on request', () => {
  test('plain XML passes through with a note on stderr', async () => {
    const r = await runCli(['decrypt', plain]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, PROFILE);
    assert.match(r.stderr, /is not encrypted: passing it through/);
  });
  test('--no-gunzip leaves the gzip payload as it was', async () => {
    const enc = await runCli(['encrypt', '--key-env', 'PROV_KEY', '--gzip', plain], { env });
    const kept = await runCli(['decrypt', '--key-env', 'PROV_KEY', '--no-gunzip'], {
      input: enc.stdoutBytes,
      env,
    });
    assert.equal(kept.code, 0, kept.stderr);
    assert.deepEqual([...kept.stdoutBytes.subarray(0, 2)], [0x1f, 0x8b]);
    const opened = await runCli(['decrypt', '--key-env', 'PROV_KEY'], {
      input: enc.stdoutBytes,
      env,
    });
    assert.equal(opened.stdout, PROFILE);
  });
});

describe('binary output and terminals', () => {
  // `script` gives the child a pseudo-terminal as stdout, as an interactive shell would.
  const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  test(
    'encrypt refuses to write ciphertext to a terminal (exit 2) unless --force',
    { skip: !hasScript && 'no script(1) here' },
    () => {
      const run = (extra: string) =>
        spawnSync(
          'script',
          [
            '-qec',
            `"${process.execPath}" "${BIN}" encrypt --key-env PROV_KEY ${extra} "${plain}"`,
            '/dev/null',
          ],
          {
            env: { ...process.env, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
      const refused = run('');
      assert.equal(refused.status, 2);
      assert.match(refused.stdout.toString(), /refusing to write binary data to a terminal/);
      const forced = run('--force');
      assert.equal(forced.status, 0);
      assert.match(forced.stdout.toString('latin1'), /Salted__/);
    },
  );
});
