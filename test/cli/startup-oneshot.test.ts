// The one-shot `encrypt` without commander (src/cli-oneshot.ts, dist/oneshot.cjs): it runs
// without the full CLI bundle, declines what it does not take, and behaves exactly as the full
// CLI does — each argv run both ways (CISCO_PROV_CRYPTO=node sends it to the full CLI with the
// same crypto backend), outputs compared byte for byte, and what it writes opens with openssl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOneShotEncrypt } from '../../src/cli-oneshot.js';
import { BIN, ROOT, runCli, type CliRun } from '../helpers/run-cli.js';

const PASS = 'one-shot passphrase';
const SALT = '0011223344556677';
const PROFILE = '<flat-profile>\n  <GPP_A ua="na">one shot</GPP_A>\n</flat-profile>\n';

test('a plain encrypt runs without dist/cli.cjs; an argv it declines goes to the full CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-oneshot-'));
  try {
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    rmSync(join(dir, 'dist', 'cli.cjs'));
    rmSync(join(dir, 'dist', 'cli.cjs.cache'));
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(dir, 'bin', 'cisco-prov.cjs'), ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PROV_KEY: PASS },
      });
    const plain = run('encrypt', '--key-env', 'PROV_KEY', 'p.xml', '-o', 'p.cfg');
    assert.equal(plain.status, 0, plain.stderr);
    const opened = execFileSync(
      'openssl',
      ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', PASS, '-in', join(dir, 'p.cfg')],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    assert.equal(opened.toString(), PROFILE);
    // `--key-env=…` is commander's to parse: the full CLI is needed, and it is missing here.
    const declined = run('encrypt', '--key-env=PROV_KEY', 'p.xml', '-o', 'q.cfg');
    assert.notEqual(declined.status, 0);
    assert.match(declined.stderr, /cli\.cjs/);
    assert.equal(existsSync(join(dir, 'q.cfg')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface Case {
  name: string;
  args: string[];
  input?: string;
  /** Output files to compare (relative to the run's directory), with their modes. */
  files?: string[];
  /** aes128gcm draws its salt: compare what the CLI decrypts, not the bytes. */
  decryptWith?: string[];
}

const CASES: Case[] = [
  {
    name: '-o file, --key-env',
    args: ['encrypt', '--key-env', 'PROV_KEY', '--salt', SALT, 'p.xml', '-o', 'p.cfg'],
    files: ['p.cfg'],
  },
  {
    name: 'stdout, --key-file',
    args: ['encrypt', '--key-file', 'key.txt', '--salt', SALT, 'p.xml'],
  },
  {
    name: 'stdin to stdout, --gzip --base64 --md sha256',
    args: [
      'encrypt',
      '--key-env',
      'PROV_KEY',
      '--gzip',
      '--base64',
      '--md',
      'sha256',
      '--salt',
      SALT,
    ],
    input: PROFILE,
  },
  {
    name: '--key on the command line (its warning), -c, --mode, -f',
    args: [
      'encrypt',
      '-c',
      'aes-256-cbc',
      '--key',
      PASS,
      '--salt',
      SALT,
      '-f',
      '--mode',
      '640',
      'p.xml',
      '-o',
      'm.cfg',
    ],
    files: ['m.cfg'],
  },
  {
    name: 'aes128gcm, --ikm-env',
    args: ['encrypt', '--ikm-env', 'PROV_IKM', 'p.xml', '-o', 'p.ece'],
    decryptWith: ['decrypt', '--ikm-env', 'PROV_IKM', 'p.ece'],
  },
  {
    name: '--allow-empty',
    args: ['encrypt', '--key-env', 'PROV_KEY', '--allow-empty', '--salt', SALT, 'empty.xml'],
  },
  {
    name: 'empty input: exit 1, no file',
    args: ['encrypt', '--key-env', 'PROV_KEY', 'empty.xml', '-o', 'e.cfg'],
    files: ['e.cfg'],
  },
  { name: 'unset variable: exit 2', args: ['encrypt', '--key-env', 'NOT_SET_HERE', 'p.xml'] },
  {
    name: 'key and IKM without --cipher: exit 2',
    args: ['encrypt', '--key-env', 'PROV_KEY', '--ikm-env', 'PROV_IKM', 'p.xml'],
  },
  {
    name: 'bad --salt: exit 2',
    args: ['encrypt', '--key-env', 'PROV_KEY', '--salt', 'zz', 'p.xml'],
  },
  {
    name: 'missing input: exit 3',
    args: ['encrypt', '--key-env', 'PROV_KEY', 'missing.xml', '-o', 'x.cfg'],
    files: ['x.cfg'],
  },
];

/** What a run leaves: exit code, both streams, and each named file's bytes and mode. */
function outcome(run: CliRun, dir: string, files: string[] = []) {
  return {
    code: run.code,
    stdout: run.stdoutBytes.toString('base64'),
    stderr: run.stderr,
    files: files.map((f) => {
      const path = join(dir, f);
      if (!existsSync(path)) return `${f}: absent`;
      return `${f}: ${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path).toString('base64')}`;
    }),
  };
}

test('each argv gives the same exit code, output, messages and files both ways', async () => {
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'cisco-prov-oneshot-')));
  try {
    for (const dir of dirs) {
      writeFileSync(join(dir, 'p.xml'), PROFILE);
      writeFileSync(join(dir, 'empty.xml'), '');
      writeFileSync(join(dir, 'key.txt'), `${PASS}\n`);
    }
    const env = { PROV_KEY: PASS, PROV_IKM: 'one-shot IKM text', CISCO_PROV_CRYPTO: '' };
    for (const c of CASES) {
      // The case must be one the one-shot path takes, or the comparison proves nothing.
      assert.ok(parseOneShotEncrypt(c.args), `${c.name}: taken by the one-shot path`);
      const [fast, full] = await Promise.all(
        dirs.map((cwd, i) =>
          runCli(c.args, {
            cwd,
            ...(c.input !== undefined ? { input: c.input } : {}),
            env: { ...env, CISCO_PROV_CRYPTO: i === 0 ? '' : 'node' },
          }),
        ),
      );
      if (c.decryptWith) {
        assert.equal(fast!.code, 0, `${c.name}: ${fast!.stderr}`);
        assert.equal(full!.code, 0, `${c.name}: ${full!.stderr}`);
        for (const cwd of dirs) {
          const opened = await runCli(c.decryptWith, { cwd, env });
          assert.equal(opened.code, 0, `${c.name}: ${opened.stderr}`);
          assert.equal(opened.stdout, PROFILE, c.name);
        }
        continue;
      }
      assert.deepEqual(
        outcome(fast!, dirs[0]!, c.files),
        outcome(full!, dirs[1]!, c.files),
        c.name,
      );
    }
    // What the one-shot path wrote opens with openssl.
    const opened = execFileSync(
      'openssl',
      ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', PASS, '-in', join(dirs[0]!, 'm.cfg')],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    assert.equal(opened.toString(), PROFILE);
    assert.equal(statSync(join(dirs[0]!, 'm.cfg')).mode & 0o777, 0o640);
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});

test('exiting at once loses nothing: 3 MB through a pipe read late arrive whole, with the warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-oneshot-'));
  try {
    const line = '  <GPP_A ua="na">0123456789abcdef0123456789abcdef</GPP_A>\n';
    const big = `<flat-profile>\n${line.repeat(50_000)}</flat-profile>\n`;
    writeFileSync(join(dir, 'big.xml'), big);
    const args = ['encrypt', '--key', PASS, 'big.xml'];
    assert.ok(parseOneShotEncrypt(args));
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: 'pipe' });
    child.stdout.pause(); // the pipe fills; nothing is read for a while
    const stderr: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stdout.resume();
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    assert.match(Buffer.concat(stderr).toString(), /visible to other users in 'ps'/);
    const opened = execFileSync(
      'openssl',
      ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', PASS],
      {
        input: Buffer.concat(out),
        maxBuffer: 64 << 20,
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    assert.equal(opened.length, Buffer.byteLength(big));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
