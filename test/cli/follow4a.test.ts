// Follow-ups of the fourth trial round on encrypt/decrypt: a batch past a directory it cannot
// list (as `nobody`), a batch keeping an existing output's mode and group, failure lines that
// stay one line, and `-` as --key-file or as a batch input. Through the spawned CLI; the
// unprivileged tests run only when the test process is root and `runuser` can start the CLI
// as `nobody` (as test/cli/nonroot4.test.ts).
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { opensslDecrypt } from '../helpers/openssl-enc.js';
import { BIN, runCli, type CliRun } from '../helpers/run-cli.js';
import { NOBODY, SKIP_REASON, nobodyIn, workspace } from '../helpers/unprivileged.js';

const base = workspace('cisco-prov-follow4a-');
after(() => rmSync(base, { recursive: true, force: true }));
const who = nobodyIn(base);
const asNobody = who === undefined ? SKIP_REASON : false;

/** Runs `cisco-prov …args` as `nobody` in `cwd`. */
function runAsNobody(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  return runCli(args, { cwd, env, user: NOBODY });
}

const PROFILE = '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n</flat-profile>\n';
const KEY = ['--key-env', 'F4A_KEY'];
const KEY_ENV = { F4A_KEY: 'correct-horse-battery' };

let counter = 0;
/** A fresh directory under the temp dir, owned by `nobody` when the tests run as it. */
function fresh(): string {
  const dir = join(base, `d${counter++}`);
  mkdirSync(dir);
  if (who) chownSync(dir, who.uid, who.gid);
  return dir;
}

/** The lines of stderr, warnings about the key left out. */
const errorLines = (run: CliRun): string[] =>
  run.stderr.split('\n').filter((l) => l !== '' && !/warning:/.test(l));

describe('a batch past a directory it cannot list', { skip: asNobody }, () => {
  test('that directory fails with its own line; the rest is encrypted; exit 3', async () => {
    const dir = fresh();
    const input = join(dir, 'in');
    mkdirSync(join(input, 'secret'), { recursive: true });
    chownSync(input, who!.uid, who!.gid);
    writeFileSync(join(input, 'a.xml'), PROFILE);
    writeFileSync(join(input, 'z.xml'), PROFILE);
    writeFileSync(join(input, 'secret', 'hidden.xml'), PROFILE);
    chmodSync(join(input, 'secret'), 0o700); // root's, 0700: nobody cannot list it
    const run = await runAsNobody(['encrypt', ...KEY, 'in', '--out-dir', 'out'], dir, KEY_ENV);
    assert.equal(run.code, 3, run.stderr);
    assert.ok(existsSync(join(dir, 'out', 'a.cfg')), run.stderr);
    assert.ok(existsSync(join(dir, 'out', 'z.cfg')), run.stderr);
    assert.deepEqual(errorLines(run), [
      `cisco-prov: ${join('in', 'secret')}: cannot read the directory: permission denied`,
      'cisco-prov: encrypted 2 of 3 file(s) into out, 1 failed',
    ]);
  });

  test('--json lists it as failed, with no output', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'in', 'locked'), { recursive: true });
    chownSync(join(dir, 'in'), who!.uid, who!.gid);
    writeFileSync(join(dir, 'in', 'a.xml'), PROFILE);
    chmodSync(join(dir, 'in', 'locked'), 0o700);
    const run = await runAsNobody(
      ['encrypt', ...KEY, 'in', '--out-dir', 'out', '--json'],
      dir,
      KEY_ENV,
    );
    assert.equal(run.code, 3, run.stderr);
    const report = JSON.parse(run.stdout) as {
      files: { input: string; status: string; output: string | null; error?: string }[];
    };
    assert.deepEqual(
      report.files.map((f) => [f.input, f.status]),
      [
        [join('in', 'a.xml'), 'written'],
        [join('in', 'locked'), 'failed'],
      ],
    );
    assert.match(report.files[1]!.error!, /permission denied/);
  });
});

describe('a batch over existing output files keeps their mode and group, as -o does', () => {
  const root = process.getuid?.() === 0;
  /** A directory holding in/a.xml and out/<name> (mode `mode`, group `gid` if root). */
  function withExisting(name: string, mode: number, gid?: number): { dir: string; out: string } {
    const dir = fresh();
    mkdirSync(join(dir, 'in'));
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'in', 'a.xml'), PROFILE);
    const out = join(dir, 'out', name);
    writeFileSync(out, "the last run's\n");
    chmodSync(out, mode);
    if (gid !== undefined) chownSync(out, process.getuid!(), gid);
    return { dir, out };
  }
  const otherGid = root ? (who?.gid ?? 1) : undefined;

  test('encrypt: a 0660 a.cfg stays 0660 with its group', async () => {
    const { dir, out } = withExisting('a.cfg', 0o660, otherGid);
    const run = await runCli(['encrypt', ...KEY, 'in', '--out-dir', 'out'], {
      cwd: dir,
      env: KEY_ENV,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.notEqual(readFileSync(out, 'utf8'), "the last run's\n");
    assert.equal(statSync(out).mode & 0o7777, 0o660);
    if (otherGid !== undefined) assert.equal(statSync(out).gid, otherGid);
  });

  test('decrypt: a 0664 a.xml keeps group access, drops the bits for others', async () => {
    const { dir } = withExisting('x', 0o600);
    const enc = await runCli(['encrypt', ...KEY, 'in', '--out-dir', 'enc'], {
      cwd: dir,
      env: KEY_ENV,
    });
    assert.equal(enc.code, 0, enc.stderr);
    const out = join(dir, 'out', 'a.xml');
    writeFileSync(out, 'old plaintext\n');
    chmodSync(out, 0o664);
    if (otherGid !== undefined) chownSync(out, process.getuid!(), otherGid);
    const run = await runCli(['decrypt', ...KEY, 'enc', '--out-dir', 'out'], {
      cwd: dir,
      env: KEY_ENV,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(out, 'utf8'), PROFILE);
    assert.equal(statSync(out).mode & 0o7777, 0o660);
    if (otherGid !== undefined) assert.equal(statSync(out).gid, otherGid);
    // A new file is still 0600.
    const fresh2 = join(dir, 'new');
    const again = await runCli(['decrypt', ...KEY, 'enc', '--out-dir', fresh2], {
      cwd: dir,
      env: KEY_ENV,
    });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(statSync(join(fresh2, 'a.xml')).mode & 0o777, 0o600);
  });

  test('root replacing a file of another user keeps its owner', { skip: asNobody }, async () => {
    const { dir, out } = withExisting('a.cfg', 0o640);
    chownSync(out, who!.uid, who!.gid);
    const run = await runCli(['encrypt', ...KEY, 'in', '--out-dir', 'out'], {
      cwd: dir,
      env: KEY_ENV,
    });
    assert.equal(run.code, 0, run.stderr);
    const st = statSync(out);
    assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [who!.uid, who!.gid, 0o640]);
  });
});

describe('a failure line is one line', () => {
  test('a newline in a file name is shown as \\x0a (encrypt -o, decrypt, validate)', async () => {
    const dir = fresh();
    for (const args of [
      ['encrypt', ...KEY, 'a\nb.xml', '-o', 'out.cfg'],
      ['decrypt', ...KEY, 'a\nb.cfg'],
      ['validate', 'a\rb.xml'],
    ]) {
      const run = await runCli(args, { cwd: dir, env: KEY_ENV });
      assert.equal(run.code, 3, run.stderr);
      assert.deepEqual(errorLines(run), [
        `cisco-prov: cannot read a${args[0] === 'validate' ? '\\x0d' : '\\x0a'}b.${args[0] === 'decrypt' ? 'cfg' : 'xml'}: no such file or directory`,
      ]);
    }
  });

  test('a failure of several lines on purpose (inventory problems) stays several', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'inv.csv'), 'mac,model,name\nzz,8845,a\nyy,8845,b\n');
    const templates = join(BIN, '..', '..', 'templates');
    const run = await runCli(['render', '-i', 'inv.csv', '-t', templates, '-o', 'r'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.filter((l) => l.startsWith('cisco-prov: ')).length, 2, run.stderr);
    assert.match(lines[0]!, /row 2, field mac/);
    assert.match(lines[1]!, /row 3, field mac/);
  });
});

describe('`-`: the key from stdin, and no stdin in a batch', () => {
  test('encrypt --key-file - reads the passphrase from stdin (openssl opens it); decrypt too', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    const run = await runCli(['encrypt', '--key-file', '-', 'p.xml', '-o', 'p.cfg'], {
      cwd: dir,
      input: 'From-Stdin-1\nnot read\n',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(opensslDecrypt(join(dir, 'p.cfg'), 'From-Stdin-1'), PROFILE);
    const back = await runCli(['decrypt', '--key-file', '-', 'p.cfg'], {
      cwd: dir,
      input: 'From-Stdin-1\n',
    });
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, PROFILE);
  });

  test('the input on stdin too is a usage error before anything is read (exit 2, one line)', async () => {
    const dir = fresh();
    for (const args of [
      ['encrypt', '--key-file', '-', '-o', 'x.cfg'],
      ['encrypt', '--key-file', '-', '-'],
      ['decrypt', '--ikm-file', '-'],
      ['encrypt', '--key-file', '-', '--ikm-file', '-', '-c', 'aes128gcm', 'p.xml'],
    ]) {
      const run = await runCli(args, { cwd: dir, input: 'k\n' + PROFILE });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(errorLines(run).length, 1, run.stderr);
      assert.match(run.stderr, /^cisco-prov: --(key|ikm)-file - .*stdin/, run.stderr);
      assert.equal(run.stdout, '');
      assert.ok(!existsSync(join(dir, 'x.cfg')));
    }
  });

  test('encrypt/decrypt --out-dir d - : stdin is no batch input (exit 2, one line)', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    for (const verb of ['encrypt', 'decrypt']) {
      const run = await runCli([verb, ...KEY, '--out-dir', 'd', 'p.xml', '-'], {
        cwd: dir,
        env: KEY_ENV,
        input: PROFILE,
      });
      assert.equal(run.code, 2, run.stderr);
      assert.deepEqual(errorLines(run), [
        `cisco-prov: --out-dir ${verb}s files and directories, not stdin (-): give files, or drop --out-dir to ${verb} stdin`,
      ]);
      assert.ok(!existsSync(join(dir, 'd')), 'nothing written');
    }
  });
});
