// The CLI run as an unprivileged user (`nobody`), as admins, a `tftp`/`www-data` service user and
// CI containers run it: every other test runs as root, which no permission bit stops. These run
// only when the test process is root and `runuser` can start the built CLI as `nobody` (no user
// is created); the files they use live in a temp directory of their own.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, runCli, type CliRun } from '../helpers/run-cli.js';
import { NOBODY, SKIP_REASON, nobodyIn, workspace } from '../helpers/unprivileged.js';

/** The temp directory every test works in. */
const base = workspace('cisco-prov-nonroot4-');
const who = nobodyIn(base);
const skip = who === undefined ? SKIP_REASON : false;

/** Runs `cisco-prov …args` as `nobody` (in the temp directory unless told). */
function runAsNobody(
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return runCli(args, { cwd: base, ...options, user: NOBODY });
}

const PROFILE = '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n</flat-profile>\n';
const KEY = ['--key-env', 'NR4_KEY'];
const KEY_ENV = { NR4_KEY: 'correct-horse-battery' };

/** A fresh directory under the temp dir: `owner` nobody or root, with `mode`. */
let counter = 0;
function dirOf(mode: number, owner: 'nobody' | 'root' = 'nobody'): string {
  const dir = join(base, `d${counter++}`);
  mkdirSync(dir);
  if (owner === 'nobody') chownSync(dir, who!.uid, who!.gid);
  chmodSync(dir, mode);
  return dir;
}

function assertOneLine(run: CliRun, pattern: RegExp): void {
  const lines = run.stderr.split('\n').filter((l) => l !== '' && !/warning: --key on/.test(l));
  assert.ok(
    lines.some((l) => pattern.test(l)),
    run.stderr,
  );
  assert.doesNotMatch(run.stderr, /\n\s+at |unexpected failure/, run.stderr);
}

after(() => rmSync(base, { recursive: true, force: true }));

describe('as an unprivileged user', { skip }, () => {
  test('a stale temp file of another user it may not remove (sticky dir) does not stop -o', async () => {
    const dir = dirOf(0o1777, 'root');
    const stale = join(dir, '.out.enc.cp999999-abcdef120.tmp');
    writeFileSync(stale, 'left by a crashed run of root');
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    const run = await runAsNobody(
      ['encrypt', ...KEY, join(dir, 'p.xml'), '-o', join(dir, 'out.enc')],
      {
        env: KEY_ENV,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(statSync(join(dir, 'out.enc')).uid, who!.uid);
    assert.equal(readFileSync(stale, 'utf8'), 'left by a crashed run of root');
    assert.doesNotMatch(run.stderr, /cannot|unexpected/);
  });
});

describe('a file of another user it may not write is never replaced', { skip }, () => {
  /** A 0777 directory holding root's 0644 `name` (as an admin's copy left in a shared dir). */
  function withRootFile(name: string): { dir: string; path: string } {
    const dir = dirOf(0o777, 'root');
    const path = join(dir, name);
    writeFileSync(path, "root's own\n", { mode: 0o644 });
    chmodSync(path, 0o644);
    return { dir, path };
  }
  function assertUntouched(dir: string, path: string, names: string[]): void {
    assert.equal(readFileSync(path, 'utf8'), "root's own\n");
    assert.equal(statSync(path).uid, 0);
    assert.deepEqual(readdirSync(dir).sort(), names.sort());
  }

  test('encrypt -o', async () => {
    const { dir, path } = withRootFile('out.enc');
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    const run = await runAsNobody(['encrypt', ...KEY, join(dir, 'p.xml'), '-o', path], {
      env: KEY_ENV,
    });
    assert.equal(run.code, 3, run.stderr);
    assertOneLine(run, /cannot write .*out\.enc: permission denied/);
    assertUntouched(dir, path, ['out.enc', 'p.xml']);
  });

  test('encrypt --out-dir: that file fails, the rest of the batch is written', async () => {
    const { dir, path } = withRootFile('a.cfg');
    const inputs = dirOf(0o755);
    writeFileSync(join(inputs, 'a.xml'), PROFILE);
    writeFileSync(join(inputs, 'b.xml'), PROFILE);
    const run = await runAsNobody(['encrypt', ...KEY, '--out-dir', dir, inputs], {
      env: KEY_ENV,
    });
    assert.equal(run.code, 3, run.stderr);
    assertOneLine(run, /a\.cfg: permission denied/);
    assertUntouched(dir, path, ['a.cfg', 'b.cfg']);
  });

  test('render -o <dir>', async () => {
    const { dir, path } = withRootFile('00562b043615.xml');
    const run = await runAsNobody([
      'render',
      '-i',
      join(ROOT, 'examples/inventory.csv'),
      '-t',
      join(ROOT, 'templates'),
      '-d',
      '00562b043615',
      '-d',
      '00562b043616',
      '-o',
      dir,
    ]);
    assert.equal(run.code, 3, run.stderr);
    assertOneLine(run, /cannot write .*00562b043615\.xml: permission denied/);
    assertUntouched(dir, path, ['00562b043615.xml', '00562b043616.xml']);
  });
});

describe('render: a template it cannot read is an I/O failure naming the file', { skip }, () => {
  /** A copy of templates/ (root's, readable by all), for `change` to take permissions from. */
  function templates(): string {
    const dir = dirOf(0o755, 'root');
    cpSync(join(ROOT, 'templates'), dir, { recursive: true });
    spawnSync('chmod', ['-R', 'a+rX', dir]);
    return dir;
  }
  const renderWith = (template: string, out: string): Promise<CliRun> =>
    runAsNobody([
      'render',
      '-i',
      join(ROOT, 'examples/inventory.csv'),
      '-t',
      template,
      '-d',
      '00562b043615',
      '-o',
      out,
    ]);

  test('a 0600 template file of root', async () => {
    const dir = templates();
    chmodSync(join(dir, 'mpp-desk.liquid'), 0o600);
    const out = join(dirOf(0o755), 'out');
    const run = await renderWith(join(dir, 'mpp-desk.liquid'), out);
    assert.equal(run.code, 3, run.stderr);
    assertOneLine(run, /cannot read template .*mpp-desk\.liquid: permission denied$/);
    assert.doesNotMatch(run.stderr, /EACCES/);
  });

  test('a template directory without search permission is not "no template for model"', async () => {
    const dir = templates();
    chmodSync(dir, 0o644);
    const run = await renderWith(dir, join(dirOf(0o755), 'out'));
    assert.equal(run.code, 3, run.stderr);
    assertOneLine(run, /cannot read template .*: permission denied$/);
    assert.doesNotMatch(run.stderr, /no template for model/);
  });

  test('an unreadable partial', async () => {
    const dir = templates();
    chmodSync(join(dir, 'partials/header.liquid'), 0o600);
    const run = await renderWith(dir, join(dirOf(0o755), 'out'));
    assert.equal(run.code, 3, run.stderr);
    assertOneLine(
      run,
      /mpp-desk\.liquid line \d+, col \d+: cannot read template .*partials\/header\.liquid: permission denied$/,
    );
  });
});

describe('render over profiles of another user in a group-writable directory', { skip }, () => {
  const INVENTORY = (): string => join(ROOT, 'examples/inventory.csv');
  /** A setgid 2775 directory of root and `nobody`'s group, holding root's 0664 `name` as given. */
  async function sharedDirWith(mac: string): Promise<{ dir: string; path: string }> {
    const dir = dirOf(0o2775, 'root');
    chownSync(dir, 0, who!.gid);
    chmodSync(dir, 0o2775);
    const rendered = await runAsNobody([
      'render',
      '-i',
      INVENTORY(),
      '-t',
      join(ROOT, 'templates'),
      '-d',
      mac,
    ]);
    assert.equal(rendered.code, 0, rendered.stderr);
    const path = join(dir, `${mac}.xml`);
    writeFileSync(path, rendered.stdoutBytes);
    chownSync(path, 0, who!.gid);
    chmodSync(path, 0o664);
    return { dir, path };
  }

  test('an unchanged profile with a password that others may read loses their bits', async () => {
    const { dir, path } = await sharedDirWith('00562b043615');
    const before = readFileSync(path);
    const run = await runAsNobody([
      'render',
      '-i',
      INVENTORY(),
      '-t',
      join(ROOT, 'templates'),
      '-d',
      '00562b043615',
      '-o',
      dir,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const st = statSync(path);
    assert.equal(st.mode & 0o777, 0o660);
    assert.equal(st.gid, who!.gid);
    assert.deepEqual(readFileSync(path), before);
  });

  test('--mode on an unchanged profile of another user', async () => {
    const { dir, path } = await sharedDirWith('00562b043616');
    const run = await runAsNobody([
      'render',
      '-i',
      INVENTORY(),
      '-t',
      join(ROOT, 'templates'),
      '-d',
      '00562b043616',
      '--mode',
      '640',
      '-o',
      dir,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(statSync(path).mode & 0o777, 0o640);
  });
});

describe(
  'a system error no command expected is one line naming the file, not "unexpected failure"',
  { skip },
  () => {
    test('encrypt --out-dir over a directory with a subdirectory it cannot list', async () => {
      const inputs = dirOf(0o755, 'root');
      writeFileSync(join(inputs, 'a.xml'), PROFILE);
      mkdirSync(join(inputs, 'sub'), { mode: 0o700 });
      writeFileSync(join(inputs, 'sub', 'b.xml'), PROFILE);
      const run = await runAsNobody(
        ['encrypt', ...KEY, '--out-dir', join(dirOf(0o755), 'out'), inputs],
        {
          env: KEY_ENV,
        },
      );
      // The batch goes on past it (see test/cli/follow4a.test.ts): that directory's own line.
      assert.equal(run.code, 3, run.stderr);
      assertOneLine(run, /^cisco-prov: .*sub: cannot read the directory: permission denied$/);
    });

    test('drift with a TMPDIR it cannot write', async () => {
      const reports = dirOf(0o755);
      writeFileSync(join(reports, '00562b043615.xml'), PROFILE);
      const run = await runAsNobody(
        [
          'drift',
          '--reports',
          reports,
          '-i',
          join(ROOT, 'examples/inventory.csv'),
          '-t',
          join(ROOT, 'templates'),
        ],
        { env: { TMPDIR: dirOf(0o755, 'root') } },
      );
      assert.equal(run.code, 3, run.stderr);
      assertOneLine(run, /^cisco-prov: cannot write .*cisco-prov-drift-.*: permission denied$/);
    });
  },
);

test(
  '-o over its own file in a directory it may not write names the directory',
  { skip },
  async () => {
    const dir = dirOf(0o755, 'root');
    const path = join(dir, 'phone.cfg');
    writeFileSync(path, 'old');
    chownSync(path, who!.uid, who!.gid);
    writeFileSync(join(dir, 'p.xml'), PROFILE);
    const run = await runAsNobody(['encrypt', ...KEY, join(dir, 'p.xml'), '-o', path], {
      env: KEY_ENV,
    });
    assert.equal(run.code, 3, run.stderr);
    assertOneLine(run, /cannot write .*phone\.cfg: permission denied on its directory .*d\d+ \(/);
    assert.equal(readFileSync(path, 'utf8'), 'old');
  },
);

test(
  'files with plaintext secrets are not readable by others whatever the umask',
  { skip },
  async () => {
    const secret = '<flat-profile>\n  <Admin_Passwd>s3cret-Admin</Admin_Passwd>\n</flat-profile>\n';
    for (const umask of ['022', '002', '077']) {
      const dir = dirOf(0o755);
      const p = join(dir, 'p.xml');
      writeFileSync(p, secret);
      chmodSync(p, 0o644);
      const script = [
        `umask ${umask}`,
        'set -e',
        `"$0" "$1" keygen -o "$2/key"`,
        `"$0" "$1" encrypt --key-env NR4_KEY "$2/p.xml" -o "$2/p.enc"`,
        `"$0" "$1" decrypt --key-env NR4_KEY "$2/p.enc" -o "$2/d.xml"`,
        `"$0" "$1" decrypt --key-env NR4_KEY --out-dir "$2/dd" "$2/p.enc"`,
        `"$0" "$1" convert --to json "$2/d.xml" -o "$2/d.json"`,
        `"$0" "$1" render -i "$3/examples/inventory.csv" -t "$3/templates" -d 00562b043615 -o "$2/r"`,
      ].join('\n');
      const run = spawnSync(
        'runuser',
        ['-u', NOBODY, '--', 'sh', '-c', script, process.execPath, BIN, dir, ROOT],
        { env: { ...process.env, ...KEY_ENV }, encoding: 'utf8' },
      );
      assert.equal(run.status, 0, run.stderr);
      for (const name of ['key', 'd.xml', 'dd/p.enc', 'd.json', 'r/00562b043615.xml']) {
        const mode = statSync(join(dir, name)).mode & 0o777;
        assert.equal(mode & 0o077, 0, `umask ${umask}: ${name} is ${mode.toString(8)}`);
      }
      const expected = 0o666 & ~parseInt(umask, 8);
      assert.equal(statSync(join(dir, 'p.enc')).mode & 0o777, expected, `umask ${umask}: p.enc`);
    }
  },
);

test(
  'render --out it cannot write fails once, before rendering, not once per device',
  { skip },
  async () => {
    const parent = dirOf(0o755, 'root');
    for (const out of [parent, join(parent, 'new')]) {
      const run = await runAsNobody([
        'render',
        '-i',
        join(ROOT, 'examples/inventory.csv'),
        '-t',
        join(ROOT, 'templates'),
        '-o',
        out,
      ]);
      assert.equal(run.code, 3, run.stderr);
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
      assertOneLine(run, /^cisco-prov: cannot write --out .*: permission denied$/);
    }
    assert.deepEqual(readdirSync(parent), []);
  },
);
