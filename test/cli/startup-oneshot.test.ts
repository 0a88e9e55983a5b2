// The one-shot `encrypt` without commander (src/cli-oneshot.ts, dist/oneshot.cjs): it runs
// without the full CLI bundle, declines what it does not take, and behaves exactly as the full
// CLI does — each argv run both ways (CISCO_PROV_CRYPTO=node sends it to the full CLI with the
// same crypto backend), outputs compared byte for byte, and what it writes opens with openssl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
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
  /** What the run's directory holds beforehand (made the same in both directories). */
  setup?: (dir: string) => void;
}

/** One byte over the limit of the whole-file path (src/commands/encrypt.ts WHOLE_INPUT_LIMIT). */
const OVER_LIMIT = (1 << 20) + 1;

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
  // The whole-file path (a small regular file) against the full CLI's stream, target by target.
  {
    name: '-o an existing 0640 file: replaced, its mode kept',
    args: ['encrypt', '--key-env', 'PROV_KEY', '--salt', SALT, 'p.xml', '-o', 'old.cfg'],
    setup: (dir) => writeFileSync(join(dir, 'old.cfg'), 'old', { mode: 0o640 }),
    files: ['old.cfg'],
  },
  {
    name: '-o a symlink: the file it points to is replaced, the link stays',
    args: ['encrypt', '--key-env', 'PROV_KEY', '--salt', SALT, 'p.xml', '-o', 'link.cfg'],
    setup: (dir) => {
      writeFileSync(join(dir, 'target.cfg'), 'old', { mode: 0o600 });
      symlinkSync('target.cfg', join(dir, 'link.cfg'));
    },
    files: ['target.cfg', 'link.cfg'],
  },
  {
    name: '-o a directory: exit 3, left alone',
    args: ['encrypt', '--key-env', 'PROV_KEY', 'p.xml', '-o', 'a-dir'],
    setup: (dir) => mkdirSync(join(dir, 'a-dir')),
  },
  {
    name: '-o into a missing directory: exit 3',
    args: ['encrypt', '--key-env', 'PROV_KEY', 'p.xml', '-o', 'nowhere/p.cfg'],
  },
  {
    name: 'a directory as input: exit 3',
    args: ['encrypt', '--key-env', 'PROV_KEY', 'in-dir', '-o', 'd.cfg'],
    setup: (dir) => mkdirSync(join(dir, 'in-dir')),
    files: ['d.cfg'],
  },
  {
    name: '-o /dev/stdout: stdout',
    args: ['encrypt', '--key-env', 'PROV_KEY', '--salt', SALT, 'p.xml', '-o', '/dev/stdout'],
  },
  {
    name: '--gzip --base64 from a file, -o, --mode 600',
    args: [
      'encrypt',
      '--key-env',
      'PROV_KEY',
      '--gzip',
      '--base64',
      '--salt',
      SALT,
      '--mode',
      '600',
      'p.xml',
      '-o',
      'g.cfg',
    ],
    files: ['g.cfg'],
  },
  {
    name: 'a file at the limit, read whole',
    args: ['encrypt', '--key-env', 'PROV_KEY', '--salt', SALT, 'at.xml', '-o', 'at.cfg'],
    setup: (dir) => writeFileSync(join(dir, 'at.xml'), Buffer.alloc(OVER_LIMIT - 1, 0x41)),
    files: ['at.cfg'],
  },
  {
    name: 'a file over the limit, streamed',
    args: ['encrypt', '--key-env', 'PROV_KEY', '--salt', SALT, 'over.xml', '-o', 'over.cfg'],
    setup: (dir) => writeFileSync(join(dir, 'over.xml'), Buffer.alloc(OVER_LIMIT, 0x41)),
    files: ['over.cfg'],
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
      for (const dir of dirs) c.setup?.(dir);
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
    // The facts behind the comparisons, on the one-shot side.
    assert.equal(statSync(join(dirs[0]!, 'old.cfg')).mode & 0o777, 0o640, 'mode kept');
    assert.ok(lstatSync(join(dirs[0]!, 'link.cfg')).isSymbolicLink(), 'the link stays');
    assert.equal(statSync(join(dirs[0]!, 'g.cfg')).mode & 0o777, 0o600, '--mode');
    for (const name of ['at', 'over']) {
      const decrypted = execFileSync(
        'openssl',
        [
          'enc',
          '-d',
          '-aes-256-cbc',
          '-md',
          'md5',
          '-k',
          PASS,
          '-in',
          join(dirs[0]!, `${name}.cfg`),
        ],
        { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 4 << 20 },
      );
      assert.equal(decrypted.length, name === 'at' ? OVER_LIMIT - 1 : OVER_LIMIT, name);
    }
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});

test('exiting at once loses nothing: 0.9 and 3 MB through a pipe read late arrive whole, with the warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-oneshot-'));
  try {
    // 0.9 MB: the whole-file path (one writev into the full pipe); 3 MB: the streamed one.
    for (const lines of [15_000, 50_000]) await lateReader(dir, lines);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function lateReader(dir: string, lines: number): Promise<void> {
  {
    const line = '  <GPP_A ua="na">0123456789abcdef0123456789abcdef</GPP_A>\n';
    const big = `<flat-profile>\n${line.repeat(lines)}</flat-profile>\n`;
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
  }
}

test('a small file to stdout: a regular file, /dev/null, a pipe and a socket, openssl opens each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-oneshot-'));
  try {
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    const open = (bytes: Buffer) =>
      execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', PASS], {
        input: bytes,
        stdio: ['pipe', 'pipe', 'ignore'],
      }).toString();
    const env = { ...process.env, PROV_KEY: PASS };
    const encrypt = `"${process.execPath}" "${BIN}" encrypt --key-env PROV_KEY p.xml`;
    // `> file` (appended to what the shell wrote first: the CLI writes where stdout stands).
    execFileSync('sh', ['-c', `printf x > out.cfg && ${encrypt} >> out.cfg`], { cwd: dir, env });
    const file = readFileSync(join(dir, 'out.cfg'));
    assert.equal(file.subarray(0, 1).toString(), 'x');
    assert.equal(open(file.subarray(1)), PROFILE);
    // `> /dev/null`: exit 0, nothing on stderr.
    const toNull = spawnSync('sh', ['-c', `${encrypt} > /dev/null`], { cwd: dir, env });
    assert.equal(toNull.status, 0, toNull.stderr.toString());
    assert.equal(toNull.stderr.toString(), '');
    // `| …` (a pipe) and a socket (Node's spawn).
    assert.equal(
      open(execFileSync('sh', ['-c', `${encrypt} | cat`], { cwd: dir, env, encoding: 'buffer' })),
      PROFILE,
    );
    const socket = spawnSync(process.execPath, [BIN, 'encrypt', '--key-env', 'PROV_KEY', 'p.xml'], {
      cwd: dir,
      env,
    });
    assert.equal(socket.status, 0);
    assert.equal(open(socket.stdout), PROFILE);
    // A reader that goes away after a byte (EPIPE: 1 MiB does not fit in a pipe's buffer): no
    // message, exit 0, as the streamed path.
    writeFileSync(join(dir, 'at.xml'), Buffer.alloc(OVER_LIMIT - 1, 0x41));
    const closed = spawnSync(
      'bash',
      [
        '-c',
        `${encrypt.replace('p.xml', 'at.xml')} | head -c 1 >/dev/null; echo "exit \${PIPESTATUS[0]}" >&2`,
      ],
      { cwd: dir, env },
    );
    assert.equal(closed.stderr.toString(), 'exit 0\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the size bound: over it, or from stdin, the streamed bundle runs; within it, it is not loaded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-oneshot-'));
  try {
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    writeFileSync(join(dir, 'at.xml'), Buffer.alloc(OVER_LIMIT - 1, 0x41));
    writeFileSync(join(dir, 'over.xml'), Buffer.alloc(OVER_LIMIT, 0x41));
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, [join(dir, 'bin', 'cisco-prov.cjs'), 'encrypt', ...args], {
        cwd: dir,
        encoding: 'utf8',
        input: input ?? '',
        env: { ...process.env, PROV_KEY: PASS },
      });
    const key = ['--key-env', 'PROV_KEY'];
    for (const present of [true, false]) {
      if (!present) {
        rmSync(join(dir, 'dist', 'oneshot-stream.cjs'));
        rmSync(join(dir, 'dist', 'oneshot-stream.cjs.cache'));
      }
      for (const name of ['p', 'at']) {
        const r = run([...key, `${name}.xml`, '-o', `${name}.cfg`]);
        assert.equal(r.status, 0, `${name}, streamed bundle ${present}: ${r.stderr}`);
      }
      for (const args of [[...key, 'over.xml', '-o', 'over.cfg'], key]) {
        const r = run(args, PROFILE);
        if (present) assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
        else {
          assert.notEqual(r.status, 0, `${args.join(' ')} needs the streamed bundle`);
          assert.match(r.stderr, /oneshot-stream\.cjs/);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an output that is the input is refused (exit 2, one line, the input untouched), by any path to it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-oneshot-'));
  try {
    const big = `<flat-profile>\n${'  <GPP_A ua="na">over the one-shot limit</GPP_A>\n'.repeat(OVER_LIMIT / 40)}</flat-profile>\n`;
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    writeFileSync(join(dir, 'big.xml'), big); // the streamed path (over the whole-file limit)
    linkSync(join(dir, 'p.xml'), join(dir, 'hard.xml'));
    symlinkSync('p.xml', join(dir, 'sym.xml'));
    mkdirSync(join(dir, 'sub'));
    const env = { PROV_KEY: PASS };
    const refused = (r: CliRun, name: string): void => {
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /^cisco-prov: the output \S+ would replace the input: choose another -o\n$/,
        name,
      );
      assert.equal(r.stdoutBytes.length, 0, name);
    };
    for (const via of ['oneshot', 'full CLI'] as const) {
      const crypto = { CISCO_PROV_CRYPTO: via === 'oneshot' ? '' : 'node' };
      for (const [input, output] of [
        ['p.xml', 'p.xml'],
        ['p.xml', './p.xml'],
        ['p.xml', join(dir, 'p.xml')],
        ['sub/../p.xml', 'p.xml'],
        ['p.xml', 'hard.xml'],
        ['p.xml', 'sym.xml'],
        ['sym.xml', 'p.xml'],
        ['big.xml', 'big.xml'],
      ] as const) {
        const r = await runCli(['encrypt', '--key-env', 'PROV_KEY', input, '-o', output], {
          cwd: dir,
          env: { ...env, ...crypto },
        });
        refused(r, `${via}: encrypt ${input} -o ${output}`);
      }
      // stdin redirected from the file itself.
      const fd = openSync(join(dir, 'p.xml'), 'r');
      try {
        const r = spawnSync(
          process.execPath,
          [BIN, 'encrypt', '--key-env', 'PROV_KEY', '-o', 'p.xml'],
          {
            cwd: dir,
            stdio: [fd, 'pipe', 'pipe'],
            env: { ...process.env, ...env, ...crypto },
          },
        );
        refused(
          { code: r.status, stdout: '', stderr: r.stderr.toString(), stdoutBytes: r.stdout },
          `${via}: stdin`,
        );
      } finally {
        closeSync(fd);
      }
    }
    assert.equal(readFileSync(join(dir, 'p.xml'), 'utf8'), PROFILE, 'the input untouched');
    assert.equal(readFileSync(join(dir, 'big.xml'), 'utf8'), big, 'the large input untouched');
    assert.ok(lstatSync(join(dir, 'sym.xml')).isSymbolicLink(), 'the link stays');
    assert.deepEqual(
      readdirSync(dir).sort(),
      ['big.xml', 'hard.xml', 'p.xml', 'sub', 'sym.xml'],
      'no temp file left',
    );
    // decrypt the same way; another existing file is still replaced.
    writeFileSync(join(dir, 'old.cfg'), 'old');
    const sealed = await runCli(['encrypt', '--key-env', 'PROV_KEY', 'p.xml', '-o', 'old.cfg'], {
      cwd: dir,
      env,
    });
    assert.equal(sealed.code, 0, sealed.stderr);
    const before = readFileSync(join(dir, 'old.cfg'));
    refused(
      await runCli(['decrypt', '--key-env', 'PROV_KEY', 'old.cfg', '-o', 'old.cfg'], {
        cwd: dir,
        env,
      }),
      'decrypt',
    );
    assert.deepEqual(readFileSync(join(dir, 'old.cfg')), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the one-shot ends by process.reallyExit with its exit code; with an exit listener, by process.exit, which runs it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-oneshot-exit-'));
  try {
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    const log = join(dir, 'calls.log');
    // Preloaded before the shim: records which way the process ends (appendFileSync, not a
    // stream: the process ends in the call).
    const preload = join(dir, 'record-exit.cjs');
    writeFileSync(
      preload,
      [
        "const { appendFileSync } = require('node:fs');",
        'const log = process.env.EXIT_LOG;',
        'const { exit, reallyExit } = process;',
        'process.exit = function (code) { appendFileSync(log, `exit ${code}\\n`); return exit.call(this, code); };',
        'process.reallyExit = function (code) { appendFileSync(log, `reallyExit ${code}\\n`); return reallyExit.call(this, code); };',
        "if (process.env.EXIT_LISTENER) process.on('exit', (code) => appendFileSync(log, `listener ${code}\\n`));",
      ].join('\n'),
    );
    const run = (listener: boolean, ...args: string[]) => {
      rmSync(log, { force: true });
      const result = spawnSync(process.execPath, ['--require', preload, BIN, ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          PROV_KEY: PASS,
          EXIT_LOG: log,
          ...(listener ? { EXIT_LISTENER: '1' } : {}),
        },
      });
      return { status: result.status, stderr: result.stderr, calls: readFileSync(log, 'utf8') };
    };
    const ok = run(false, 'encrypt', '--key-env', 'PROV_KEY', 'p.xml', '-o', 'p.cfg');
    assert.deepEqual([ok.status, ok.calls], [0, 'reallyExit 0\n'], ok.stderr);
    assert.ok(existsSync(join(dir, 'p.cfg')));
    const missing = run(false, 'encrypt', '--key-env', 'PROV_KEY', 'nothing.xml', '-o', 'q.cfg');
    assert.deepEqual([missing.status, missing.calls], [3, 'reallyExit 3\n']);
    assert.match(
      missing.stderr,
      /^cisco-prov: cannot read nothing\.xml: no such file or directory\n$/,
    );
    const heard = run(true, 'encrypt', '--key-env', 'PROV_KEY', 'p.xml', '-o', 'p.cfg');
    assert.deepEqual(
      [heard.status, heard.calls],
      [0, 'exit 0\nlistener 0\nreallyExit 0\n'],
      heard.stderr,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
