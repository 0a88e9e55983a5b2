/**
 * A hostile or careless file system through the spawned CLI (issue 10, items 2, 3, 9, 14): file
 * modes and owners, devices, FIFOs and symlinks as targets, symlinked subdirectories under
 * --out, gzip bombs at a target name, temp files after signals. Each case checks the exit code,
 * the message and what is on disk afterwards: mode, node type, no temp file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BIN, runCli } from '../helpers/run-cli.js';
import {
  assertNoSecret,
  assertNoTempFiles,
  assertOneLineError,
  listTree,
  modeOf,
  workDir,
} from '../helpers/hostile.js';

const MAC = '00562b043615';
const KEY = 'Hostile-Test-Key-91';
const isRoot = process.getuid?.() === 0;
const umaskDefault = 0o666 & ~process.umask();
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

/** An inventory with one device; `secret: true` puts a password into the template. */
function inventoryDir(secret: boolean): string {
  const dir = workDir();
  writeFileSync(join(dir, 'inv.csv'), `mac,model,display_name,pw\n${MAC},8841,Hello,Pa55-w0rd-X\n`);
  if (secret) {
    writeFileSync(
      join(dir, 't.liquid'),
      '<flat-profile>\n  <Station_Name ua="na">{{ display_name }}</Station_Name>\n' +
        '  <Admin_Passwd ua="na">{{ pw }}</Admin_Passwd>\n</flat-profile>\n',
    );
  }
  return dir;
}

test('a new plaintext profile with a password is 0600; one without is 0666 minus umask', async () => {
  for (const secret of [true, false]) {
    const dir = inventoryDir(secret);
    const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(modeOf(join(dir, 'out', `${MAC}.xml`)), secret ? 0o600 : umaskDefault);
    assertNoTempFiles(dir);
    assertNoSecret(r, 'Pa55-w0rd-X');
  }
});

test('--mode 640 sets the bits of every file written; a bad --mode is a usage error', async () => {
  const dir = inventoryDir(true);
  let r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--mode', '640'],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(modeOf(join(dir, 'out', `${MAC}.xml`)), 0o640);
  // a file left unchanged gets the bits too: --mode says what the files end with
  r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--mode', '604'], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(modeOf(join(dir, 'out', `${MAC}.xml`)), 0o604);
  r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--json'], {
    cwd: dir,
  });
  assert.match(r.stdout, /"status": "unchanged"/);
  r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'o2', '--mode', '4755'], {
    cwd: dir,
  });
  assertOneLineError(r, 2, /--mode expected 3 octal digits/);
  assert.ok(!existsSync(join(dir, 'o2')));
});

test(
  'a rewritten profile keeps the mode, owner and group the admin gave it',
  { skip: !isRoot && 'needs root to chown' },
  async () => {
    const dir = inventoryDir(true);
    const args = ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'];
    assert.equal((await runCli(args, { cwd: dir })).code, 0);
    const file = join(dir, 'out', `${MAC}.xml`);
    chmodSync(file, 0o640);
    chownSync(file, 1234, 5678);
    writeFileSync(
      join(dir, 'inv.csv'),
      `mac,model,display_name,pw\n${MAC},8841,Changed,Pa55-w0rd-X\n`,
    );
    const r = await runCli([...args, '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { summary: { written: number } }).summary.written, 1);
    assert.match(readFileSync(file, 'utf8'), /Changed/);
    const st = statSync(file);
    assert.deepEqual([st.mode & 0o777, st.uid, st.gid], [0o640, 1234, 5678]);
    assertNoTempFiles(dir);
  },
);

test('decrypt -o creates a 0600 file; encrypt -o keeps an existing file’s mode', async () => {
  const dir = workDir();
  writeFileSync(
    join(dir, 'p.xml'),
    '<flat-profile><Admin_Password>x</Admin_Password></flat-profile>\n',
  );
  writeFileSync(join(dir, 'p.cfg'), 'old');
  chmodSync(join(dir, 'p.cfg'), 0o604);
  let r = await runCli(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'p.cfg'], {
    cwd: dir,
    env: { K: KEY },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(modeOf(join(dir, 'p.cfg')), 0o604);
  r = await runCli(['decrypt', '--key-env', 'K', 'p.cfg', '-o', 'back.xml'], {
    cwd: dir,
    env: { K: KEY },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(modeOf(join(dir, 'back.xml')), 0o600);
  assertNoSecret(r, KEY);
  assertNoTempFiles(dir);
});

// These cases never name the machine's own /dev nodes when run as root: a regression would
// replace /dev/stdout or /dev/null for every process on the machine. /dev/fd/1 cannot be
// replaced (no file can be created in /proc/self/fd), and a private device node stands in for
// /dev/null.
test('-o /dev/fd/1 (and, not as root, -o /dev/stdout) writes to stdout', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'p.xml'), '<flat-profile/>\n');
  for (const target of isRoot ? ['/dev/fd/1'] : ['/dev/fd/1', '/dev/stdout']) {
    const r = await runCli(['decrypt', 'p.xml', '-o', target], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '<flat-profile/>\n', target);
  }
  assert.ok(lstatSync('/dev/stdout').isSymbolicLink());
});

test(
  '-o onto a character device writes through it, the node stays a device',
  { skip: !isRoot && 'needs root to make a device node' },
  async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'p.xml'), '<flat-profile/>\n');
    // A private /dev/null (char 1,3) in the temp directory.
    assert.equal(spawnSync('mknod', [join(dir, 'null'), 'c', '1', '3']).status, 0);
    const r = await runCli(['decrypt', 'p.xml', '-o', 'null'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(join(dir, 'null')).isCharacterDevice(), 'still a character device');
    assertNoTempFiles(dir);
  },
);

test(
  '-o onto a FIFO writes through it: the reader gets the data, the FIFO stays',
  { skip: !hasMkfifo && 'no mkfifo', timeout: 60_000 },
  async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'p.xml'), '<flat-profile/>\n');
    const fifo = join(dir, 'pipe');
    spawnSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (c: Buffer) => chunks.push(c));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    const r = await runCli(['decrypt', 'p.xml', '-o', fifo], { cwd: dir });
    // A replaced FIFO would leave the reader waiting forever: give it 10 s, then stop it.
    await Promise.race([readerDone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    reader.kill();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(Buffer.concat(chunks).toString(), '<flat-profile/>\n');
    assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
    assertNoTempFiles(dir);
  },
);

test('-o onto a symlink replaces the file it points to and keeps the link', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'p.xml'), '<flat-profile/>\n');
  mkdirSync(join(dir, 'real'));
  writeFileSync(join(dir, 'real', 'target.xml'), 'old');
  symlinkSync('real/target.xml', join(dir, 'link.xml'));
  const r = await runCli(['decrypt', 'p.xml', '-o', 'link.xml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(join(dir, 'link.xml')).isSymbolicLink());
  assert.equal(readlinkSync(join(dir, 'link.xml')), 'real/target.xml');
  assert.equal(readFileSync(join(dir, 'real', 'target.xml'), 'utf8'), '<flat-profile/>\n');
  assertNoTempFiles(dir);
});

test('render: a symlink to /dev/zero at a target name is not read, it is replaced', async () => {
  const dir = inventoryDir(false);
  mkdirSync(join(dir, 'out'));
  symlinkSync('/dev/zero', join(dir, 'out', `${MAC}.xml`));
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--json'], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  const st = lstatSync(join(dir, 'out', `${MAC}.xml`));
  assert.ok(st.isFile(), 'a regular file now');
  assert.ok(st.size < 1000);
  assert.ok(statSync('/dev/zero').isCharacterDevice());
  assertNoTempFiles(dir);
});

test(
  'render: a FIFO at a target name fails that device (exit 3) without hanging',
  { skip: !hasMkfifo && 'no mkfifo', timeout: 60_000 },
  async () => {
    const dir = inventoryDir(false);
    mkdirSync(join(dir, 'out'));
    spawnSync('mkfifo', [join(dir, 'out', `${MAC}.xml`)]);
    const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], {
      cwd: dir,
    });
    assertOneLineError(r, 3, new RegExp(`${MAC}\\.xml: not a regular file`));
    assert.ok(lstatSync(join(dir, 'out', `${MAC}.xml`)).isFIFO(), 'the FIFO is left alone');
    assertNoTempFiles(dir);
  },
);

test('render: --name into a symlinked subdirectory that leads outside --out is refused', async () => {
  const dir = inventoryDir(false);
  const outside = join(dir, 'outside');
  mkdirSync(outside);
  mkdirSync(join(dir, 'out'));
  symlinkSync(outside, join(dir, 'out', 'sub'));
  const r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--name', 'sub/deeper/$MA.xml'],
    { cwd: dir },
  );
  assertOneLineError(r, 3, /real path leaves the output directory/);
  assert.deepEqual(listTree(outside), [], 'nothing written outside --out');
  assert.ok(!existsSync(join(outside, 'deeper')), 'no directory made outside --out');
});

test('render: a gzip bomb at a .gz target name is not inflated (memory stays small)', async () => {
  const dir = inventoryDir(false);
  mkdirSync(join(dir, 'out'));
  // 512 MB of zeros in ~0.5 MB of gzip, where the profile would go.
  const chunk = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  writeFileSync(join(dir, 'out', `${MAC}.xml.gz`), Buffer.concat(Array(8).fill(chunk)));
  const timed = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      BIN,
      'render',
      '-i',
      'inv.csv',
      '-t',
      't.liquid',
      '-o',
      'out',
      '--gzip',
      '--name',
      '$MA.xml.gz',
      '--json',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  assert.equal(timed.status, 0, timed.stderr);
  const maxRssKb = Number(timed.stderr.trim().split('\n').at(-1));
  assert.ok(maxRssKb < 300 * 1024, `max RSS ${maxRssKb} KB`);
  assert.equal((JSON.parse(timed.stdout) as { summary: { written: number } }).summary.written, 1);
  assert.ok(statSync(join(dir, 'out', `${MAC}.xml.gz`)).size < 1000);
});

test('a stale temp file of a killed run is removed by the next write of its target', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'p.xml'), '<flat-profile/>\n');
  // A pid that no longer runs: a process that has exited.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout;
  // As a killed run leaves them: its temp file and the marker naming it (src/io/writer.ts).
  const stale = join(dir, `.p.cfg.cp${dead}-0badc0de0.tmp`);
  writeFileSync(stale, 'half a file');
  writeFileSync(join(dir, '.p.cfg.cp.tmp'), `.p.cfg.cp${dead}-0badc0de0.tmp`);
  const foreign = join(dir, '.keep.tmp');
  writeFileSync(foreign, 'not ours');
  const r = await runCli(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'p.cfg'], {
    cwd: dir,
    env: { K: KEY },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(stale), 'stale temp file removed');
  assert.ok(!existsSync(join(dir, '.p.cfg.cp.tmp')), 'its marker removed');
  assert.ok(existsSync(foreign), 'a file that is not ours stays');
});

test('SIGTERM during a large encrypt -o leaves no temp file (and no half file)', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'big.xml'), Buffer.alloc(96 * 1024 * 1024, 0x20));
  const child = spawn(
    process.execPath,
    [BIN, 'encrypt', '--key-env', 'K', 'big.xml', '-o', 'big.cfg'],
    {
      cwd: dir,
      env: { ...process.env, K: KEY },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Wait for the temp file to appear (or the child to finish: a loaded machine), then signal.
  let sent = false;
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 120_000;
  while (!sent && !done && Date.now() < deadline) {
    if (readdirSync(dir).some((n) => n.endsWith('.tmp'))) {
      child.kill('SIGTERM');
      sent = true;
    } else await new Promise((r) => setTimeout(r, 2));
  }
  const code = await exited;
  assert.ok(sent || done, 'saw the temp file, or the write finished first');
  assert.ok(code === 143 || code === 0, `exit ${code}`);
  assertNoTempFiles(dir);
  if (existsSync(join(dir, 'big.cfg'))) {
    assert.ok(statSync(join(dir, 'big.cfg')).size > 96 * 1024 * 1024, 'a whole file or none');
  }
});
