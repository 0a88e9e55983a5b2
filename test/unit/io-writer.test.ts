/**
 * The one writer in process (src/io/writer.ts): modes and owners kept, 0600 for secrets,
 * `--mode`, symlinks followed or replaced, non-regular targets written through or refused, the
 * real path kept inside the output directory, stale temp files of dead processes removed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeDirectoryWithin,
  ownDescriptorOf,
  removeStaleTempFiles,
  writeOutputFile,
} from '../../src/io/writer.js';
import { isCliError } from '../../src/errors.js';
import { withFsPatched } from '../helpers/writers.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'cp-writer-'));
const mode = (p: string): number => statSync(p).mode & 0o777;
const umasked = 0o666 & ~process.umask();

test('a new file: 0666 minus umask, 0600 with secret, exactly --mode with mode', () => {
  const d = dir();
  writeOutputFile(join(d, 'a'), 'x');
  writeOutputFile(join(d, 's'), 'x', { secret: true });
  writeOutputFile(join(d, 'm'), 'x', { secret: true, mode: 0o640 });
  assert.deepEqual(
    [mode(join(d, 'a')), mode(join(d, 's')), mode(join(d, 'm'))],
    [umasked, 0o600, 0o640],
  );
  assert.deepEqual(readdirSync(d).sort(), ['a', 'm', 's'], 'no temp file left');
});

test('a replaced file keeps its mode, even when the new content is secret', () => {
  const d = dir();
  writeFileSync(join(d, 'p'), 'old');
  chmodSync(join(d, 'p'), 0o640);
  writeOutputFile(join(d, 'p'), 'new', { secret: true });
  assert.equal(readFileSync(join(d, 'p'), 'utf8'), 'new');
  assert.equal(mode(join(d, 'p')), 0o640);
});

test('symlink: followed by default (link kept), replaced with symlink: replace', () => {
  const d = dir();
  writeFileSync(join(d, 'real'), 'old');
  symlinkSync('real', join(d, 'link'));
  writeOutputFile(join(d, 'link'), 'new');
  assert.ok(lstatSync(join(d, 'link')).isSymbolicLink());
  assert.equal(readFileSync(join(d, 'real'), 'utf8'), 'new');
  writeOutputFile(join(d, 'link'), 'newer', { symlink: 'replace' });
  assert.ok(lstatSync(join(d, 'link')).isFile());
  assert.equal(readFileSync(join(d, 'real'), 'utf8'), 'new', 'the old target untouched');
});

const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

test(
  'a FIFO: refused with nonRegular: refuse (one line, exit 3), node left alone',
  { skip: !hasMkfifo && 'no mkfifo' },
  () => {
    const d = dir();
    assert.equal(spawnSync('mkfifo', [join(d, 'f')]).status, 0);
    assert.throws(
      () => writeOutputFile(join(d, 'f'), 'x', { nonRegular: 'refuse' }),
      (err: unknown) =>
        isCliError(err) && err.exitCode === 3 && /not a regular file/.test(err.message),
    );
    assert.ok(lstatSync(join(d, 'f')).isFIFO());
  },
);

test('absent: no look at the target — a file or symlink that appeared is replaced whole', () => {
  const d = dir();
  writeOutputFile(join(d, 'new'), 'x', { absent: true, secret: true });
  assert.equal(mode(join(d, 'new')), 0o600);
  // What a listing missed: a symlink to a file elsewhere is replaced, never followed.
  writeFileSync(join(d, 'real'), 'old');
  symlinkSync('real', join(d, 'link'));
  writeOutputFile(join(d, 'link'), 'new', { absent: true });
  assert.ok(lstatSync(join(d, 'link')).isFile());
  assert.equal(readFileSync(join(d, 'real'), 'utf8'), 'old', 'the link target untouched');
  assert.equal(mode(join(d, 'link')), umasked, 'a new file: mode from the options');
  // A directory there: the rename fails, one line, exit 3, no temp file left.
  mkdirSync(join(d, 'sub'));
  assert.throws(
    () => writeOutputFile(join(d, 'sub'), 'x', { absent: true }),
    (err: unknown) => isCliError(err) && err.exitCode === 3 && err.message.includes('sub'),
  );
  assert.deepEqual(readdirSync(d).sort(), ['link', 'new', 'real', 'sub']);
});

test('a directory target is one line, exit 3', () => {
  const d = dir();
  mkdirSync(join(d, 'sub'));
  assert.throws(
    () => writeOutputFile(join(d, 'sub'), 'x'),
    (err: unknown) => isCliError(err) && err.exitCode === 3 && /is a directory/.test(err.message),
  );
});

test('makeDirectoryWithin refuses a symlinked subdirectory leading outside, makes nothing there', () => {
  const d = dir();
  mkdirSync(join(d, 'out'));
  mkdirSync(join(d, 'elsewhere'));
  symlinkSync(join(d, 'elsewhere'), join(d, 'out', 'sub'));
  assert.throws(
    () => makeDirectoryWithin(join(d, 'out', 'sub', 'a', 'b'), join(d, 'out')),
    /leaves the output directory/,
  );
  assert.ok(!existsSync(join(d, 'elsewhere', 'a')));
  makeDirectoryWithin(join(d, 'out', 'x', 'y'), join(d, 'out'));
  assert.ok(statSync(join(d, 'out', 'x', 'y')).isDirectory());
});

test('stale temp files: a dead pid is removed, a live one and foreign files stay', () => {
  const d = dir();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout;
  writeFileSync(join(d, `.a.cp${dead}-00ff1.tmp`), '');
  writeFileSync(join(d, `.b.cp${process.ppid}-00ff2.tmp`), '');
  writeFileSync(join(d, '.c.tmp'), '');
  removeStaleTempFiles(d);
  assert.deepEqual(readdirSync(d).sort(), [`.b.cp${process.ppid}-00ff2.tmp`, '.c.tmp']);
});

test('ownDescriptorOf: /dev/stdout, /dev/fd/N, /proc/self/fd/N; not another pid', () => {
  assert.equal(ownDescriptorOf('/dev/stdout'), 1);
  assert.equal(ownDescriptorOf('/dev/stderr'), 2);
  assert.equal(ownDescriptorOf('/dev/fd/7'), 7);
  assert.equal(ownDescriptorOf('/proc/self/fd/1'), 1);
  assert.equal(ownDescriptorOf(`/proc/${process.pid}/fd/2`), 2);
  assert.equal(ownDescriptorOf('/proc/1/fd/1'), process.pid === 1 ? 1 : undefined);
  assert.equal(ownDescriptorOf('/tmp/stdout'), undefined);
});

test('a stream that fails part-way leaves the old file and no temp file', async () => {
  const { writeOutputChunks } = await import('../../src/io/writer.js');
  const d = dir();
  writeFileSync(join(d, 'p'), 'old');
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('new part');
    throw new Error('bad decrypt');
  }
  await assert.rejects(writeOutputChunks(join(d, 'p'), failing()), /bad decrypt/);
  assert.equal(readFileSync(join(d, 'p'), 'utf8'), 'old');
  assert.deepEqual(readdirSync(d), ['p']);
  await writeOutputChunks(join(d, 'n'), [Buffer.from('a'), Buffer.from('b')], { secret: true });
  assert.equal(readFileSync(join(d, 'n'), 'utf8'), 'ab');
  assert.equal(mode(join(d, 'n')), 0o600);
});

/** Counts readdirSync calls made through node:fs (the writer's import included) while `run` runs. */
function readdirCalls(run: () => void): number {
  let calls = 0;
  withFsPatched(
    ({ readdirSync }) => ({
      readdirSync: ((...args: Parameters<typeof readdirSync>) => {
        calls++;
        return readdirSync(...args);
      }) as typeof readdirSync,
    }),
    run,
  );
  return calls;
}

test('a write lists no directory: its cost does not grow with the files beside it', () => {
  const d = dir();
  for (let i = 0; i < 2000; i++)
    writeFileSync(join(d, `SEP${String(i).padStart(12, '0')}.cfg`), '');
  const calls = readdirCalls(() => {
    writeOutputFile(join(d, 'new.cfg'), 'x');
    writeOutputFile(join(d, 'SEP000000000007.cfg'), 'y', { secret: true });
  });
  assert.equal(calls, 0);
  assert.equal(readdirSync(d).length, 2001, 'no temp file or marker left');
});

test('markers: a dead writer’s temp file and marker go; a live one’s, and what is not ours, stay', () => {
  const d = dir();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout;
  const marker = (target: string, text: string): void =>
    writeFileSync(join(d, `.${target}.cp.tmp`), text);
  // Killed part-way: both go, with no listing.
  writeFileSync(join(d, `.a.cp${dead}-00ff1.tmp`), 'half');
  marker('a', `.a.cp${dead}-00ff1.tmp`);
  // Killed between its rename and the marker's removal: the marker names no file.
  marker('b', `.b.cp${dead}-00ff2.tmp`);
  assert.equal(
    readdirCalls(() => ['a', 'b'].forEach((t) => writeOutputFile(join(d, t), t))),
    0,
  );
  assert.deepEqual(readdirSync(d).sort(), ['a', 'b']);
  // A live writer (this test's parent) of c: its temp file and marker stay; c is written anyway.
  writeFileSync(join(d, `.c.cp${process.ppid}-00ff3.tmp`), 'being written');
  marker('c', `.c.cp${process.ppid}-00ff3.tmp`);
  // Markers that are not ours to judge: a name of another target's temp file, a path, a file not
  // named as our temp files, a fresh empty marker (its writer between two calls). Each write
  // then falls back to a sweep of the directory (once per thread): a dead pid's temp file goes.
  writeFileSync(join(d, `.x.cp${dead}-00ff4.tmp`), 'x');
  marker('d', `.x.cp${dead}-00ff4.tmp`);
  writeFileSync(join(d, 'keep'), 'keep');
  marker('e', '../keep');
  marker('f', 'keep');
  marker('g', '');
  // A symbolic link at a marker's name is not followed (nor removed): it is not ours.
  symlinkSync('keep', join(d, '.h.cp.tmp'));
  for (const t of ['c', 'd', 'e', 'f', 'g', 'h']) writeOutputFile(join(d, t), t);
  for (const t of ['c', 'd', 'e', 'f', 'g', 'h']) assert.equal(readFileSync(join(d, t), 'utf8'), t);
  const left = readdirSync(d).filter((n) => n.startsWith('.'));
  assert.deepEqual(
    left.sort(),
    [
      `.c.cp${process.ppid}-00ff3.tmp`,
      '.c.cp.tmp',
      '.d.cp.tmp',
      '.e.cp.tmp',
      '.f.cp.tmp',
      '.g.cp.tmp',
      '.h.cp.tmp',
    ].sort(),
  );
  assert.equal(readFileSync(join(d, 'keep'), 'utf8'), 'keep');
  // An empty marker a minute old: a writer killed between making it and naming its temp file.
  const old = new Date(Date.now() - 120_000);
  utimesSync(join(d, '.g.cp.tmp'), old, old);
  writeOutputFile(join(d, 'g'), 'g2');
  assert.ok(!existsSync(join(d, '.g.cp.tmp')));
});

test('a batch’s sweep removes a dead writer’s marker and temp file, keeps a live one’s', () => {
  const d = dir();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout;
  writeFileSync(join(d, `.a.cp${dead}-00ff1.tmp`), 'half');
  writeFileSync(join(d, '.a.cp.tmp'), `.a.cp${dead}-00ff1.tmp`);
  writeFileSync(join(d, '.b.cp.tmp'), `.b.cp${dead}-00ff2.tmp`);
  writeFileSync(join(d, `.c.cp${process.ppid}-00ff3.tmp`), 'being written');
  writeFileSync(join(d, '.c.cp.tmp'), `.c.cp${process.ppid}-00ff3.tmp`);
  writeFileSync(join(d, '.d.cp.tmp'), '');
  removeStaleTempFiles(d);
  assert.deepEqual(
    readdirSync(d).sort(),
    [`.c.cp${process.ppid}-00ff3.tmp`, '.c.cp.tmp', '.d.cp.tmp'].sort(),
  );
});

test(
  'a FIFO at a marker’s name does not block a write',
  { skip: process.platform === 'win32' },
  () => {
    const d = dir();
    if (spawnSync('mkfifo', [join(d, '.p.cp.tmp')]).status !== 0) return;
    writeOutputFile(join(d, 'p'), 'x');
    assert.equal(readFileSync(join(d, 'p'), 'utf8'), 'x');
    assert.ok(lstatSync(join(d, '.p.cp.tmp')).isFIFO());
  },
);
