/**
 * perf11 (issue 12): `validate *.xml` over many files named in one directory takes their types
 * from one listing of that directory, not a stat of each; what a stat decided must not change.
 * - Among 80 named files: a symbolic link to a profile and one to a directory (named links are
 *   followed), a directory (walked), the same directory's files named as `./x` and `../d/x`, a
 *   name with a trailing slash: the report names the same files in the same order as runs of
 *   fewer than 64 names (a stat each) give.
 * - A missing name among them: the same one line and exit 3 as when it is named alone.
 * - The listing is used: 200 named files take far fewer than 200 stats (strace, when present).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { TS_IMPORT } from '../helpers/ts-import.js';

const dir = testDirectory('cisco-prov-perf11-');

const profile = (n: number): string =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n' +
  `  <Station_Name ua="na">phone-${n}</Station_Name>\n` +
  (n % 7 === 3 ? '  <Unknown_Thing ua="na">1</Unknown_Thing>\n' : '') +
  '</flat-profile>\n';

/** The files a JSON report names, in its order. */
function reportedFiles(stdout: string): string[] {
  return (JSON.parse(stdout) as { file: string }[]).map((f) => f.file);
}

test('validate: many names in one directory are typed as a stat types them', async () => {
  const root = dir.fresh('kinds');
  const profiles = join(root, 'profiles');
  mkdirSync(join(profiles, 'site-a'), { recursive: true });
  mkdirSync(join(root, 'elsewhere'));
  for (let f = 0; f < 80; f++) {
    writeFileSync(join(profiles, `p${String(f).padStart(3, '0')}.xml`), profile(f));
  }
  writeFileSync(join(profiles, 'site-a', 'a1.xml'), profile(101));
  writeFileSync(join(profiles, 'site-a', 'a2.cfg'), profile(102));
  writeFileSync(join(root, 'elsewhere', 'e1.xml'), profile(103));
  symlinkSync(join(profiles, 'p001.xml'), join(profiles, 'link-to-file.xml'));
  symlinkSync(join(root, 'elsewhere'), join(profiles, 'link-to-dir'));
  const names = [
    'p000.xml',
    'link-to-file.xml',
    'site-a',
    'link-to-dir',
    './p002.xml',
    '../profiles/p003.xml',
    'site-a/',
    ...Array.from({ length: 76 }, (_, i) => `p${String(i + 4).padStart(3, '0')}.xml`),
  ];
  assert.ok(names.length >= 80);
  const many = await runCli(['validate', '--format', 'json', ...names], { cwd: profiles });
  assert.equal(many.code, 1, many.stderr);
  assert.equal(many.stderr, '');
  // The same names in runs of fewer than 64 (each typed by a stat), joined.
  const expected: string[] = [];
  for (let at = 0; at < names.length; at += 20) {
    const few = await runCli(['validate', '--format', 'json', ...names.slice(at, at + 20)], {
      cwd: profiles,
    });
    assert.equal(few.stderr, '');
    expected.push(...reportedFiles(few.stdout));
  }
  assert.deepEqual(reportedFiles(many.stdout), expected);
  // What the names above mean, from the files themselves.
  assert.deepEqual(expected.slice(0, 9), [
    'p000.xml',
    'link-to-file.xml',
    join('site-a', 'a1.xml'),
    join('site-a', 'a2.cfg'),
    join('link-to-dir', 'e1.xml'),
    './p002.xml',
    '../profiles/p003.xml',
    join('site-a', 'a1.xml'),
    join('site-a', 'a2.cfg'),
  ]);
});

test('validate: a missing name among many is the one line and exit 3 it is alone', async () => {
  const root = dir.fresh('missing');
  const names: string[] = [];
  for (let f = 0; f < 70; f++) {
    names.push(`p${String(f).padStart(3, '0')}.xml`);
    writeFileSync(join(root, names[f]!), profile(f));
  }
  const alone = await runCli(['validate', 'gone.xml'], { cwd: root });
  assert.equal(alone.code, 3);
  assert.match(alone.stderr, /gone\.xml/);
  const many = await runCli(['validate', ...names.slice(0, 35), 'gone.xml', ...names.slice(35)], {
    cwd: root,
  });
  assert.equal(many.code, alone.code);
  assert.equal(many.stderr, alone.stderr);
  assert.equal(many.stdout, alone.stdout);
});

test('validate: 200 names in one directory take one listing, not 200 stats', async (t) => {
  if (spawnSync('strace', ['-V']).status !== 0) {
    t.skip('strace is not installed');
    return;
  }
  const root = dir.fresh('listing');
  const names: string[] = [];
  for (let f = 0; f < 200; f++) {
    names.push(`p${String(f).padStart(3, '0')}.xml`);
    writeFileSync(join(root, names[f]!), profile(f));
  }
  const log = join(root, 'strace.txt');
  const run = spawnSync(
    'strace',
    [
      ...['-f', '-qq', '-o', log, '-e', 'trace=stat,lstat,newfstatat,statx'],
      ...[process.execPath, BIN, 'validate', '--format', 'json', ...names],
    ],
    { cwd: root, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' },
  );
  assert.equal(run.status, 1, run.stderr);
  assert.equal(reportedFiles(run.stdout).length, 200);
  const { readFileSync } = await import('node:fs');
  const statsOfProfiles = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => /"[^"]*p\d{3}\.xml"/.test(line)).length;
  // mayNeedWorkers stats the first 64 names to count them; the listing types the rest.
  assert.ok(statsOfProfiles <= 64, `${statsOfProfiles} stats of named profiles`);
});

test('validate: ends at once after its report is out (no heap teardown), the report whole', async () => {
  const root = dir.fresh('exit');
  const names: string[] = [];
  for (let f = 0; f < 70; f++) {
    names.push(`p${String(f).padStart(3, '0')}.xml`);
    writeFileSync(join(root, names[f]!), profile(f));
  }
  // A natural exit emits 'beforeExit' once the event loop is empty; process.exit does not.
  const probe = join(root, 'probe.cjs');
  writeFileSync(
    probe,
    "process.on('beforeExit', () => process.stderr.write('natural exit\\n'));\n",
  );
  const env = { NODE_OPTIONS: `--require ${probe}` };
  const run = await runCli(['validate', '--format', 'json', ...names], { cwd: root, env });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stderr, '');
  assert.equal(reportedFiles(run.stdout).length, 70);
  // The probe is loaded: a command that does not end at once (models) shows it.
  const models = await runCli(['models'], { cwd: root, env });
  assert.equal(models.code, 0, models.stderr);
  assert.match(models.stderr, /natural exit/);
  // A reader slower than the report (a pipe that fills): nothing is cut off.
  const slow = spawnSync(
    'sh',
    [
      '-c',
      `"${process.execPath}" "${BIN}" validate --format json ${names.join(' ')} | (sleep 1; cat)`,
    ],
    { cwd: root, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  assert.equal(slow.stdout, run.stdout);
});

test('hasForbiddenControl: compiled once, not thrown away at every call (V8 deopts)', () => {
  // 2,000 profiles of ≈ 30 KB whose lengths are not all multiples of 4, as validate reads them.
  // Before the fix the loop compiled on stack lost its code at each call's end: 307 deopts here.
  const root = dir.fresh('deopt');
  const probe = join(root, 'probe.mts');
  const source = new URL('../../src/validate/index.ts', import.meta.url).href;
  writeFileSync(
    probe,
    `import { hasForbiddenControl } from ${JSON.stringify(source)};\n` +
      'const line = \'  <Station_Name ua="na">phone</Station_Name>\\n\';\n' +
      'for (let n = 0; n < 2000; n++) {\n' +
      '  const size = 30000 + (n % 4);\n' +
      '  if (hasForbiddenControl(Buffer.alloc(size, line))) throw new Error("control?");\n' +
      '}\n',
  );
  const run = spawnSync(process.execPath, [...TS_IMPORT, '--trace-deopt', probe], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(run.status, 0, run.stderr);
  const deopts = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('[bailout') && l.includes('hasForbiddenControl')).length;
  assert.ok(deopts <= 2, `${deopts} deopts of hasForbiddenControl`);
});
