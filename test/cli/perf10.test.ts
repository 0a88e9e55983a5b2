/**
 * perf10 (issue 12): validate reads the files of a large run without a stat per file; the
 * report must stay byte for byte what it was.
 * - The CLI over 70 profiles whose names, values and messages hold multi-byte UTF-8, quotes,
 *   backslashes and characters a terminal acts on, on two threads (read without a stat, report
 *   rendered in a worker and sent as bytes) against one thread (read by size, rendered as
 *   strings): the same stdout, stderr and exit code, JSON and stylish.
 * - Reading without a stat: an empty file, exactly the 1 MiB read buffer, one byte more, 1.5 MB,
 *   past the 16 MiB limit; a FIFO named on the command line (read by its size, as before); a
 *   file that cannot be read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateProfileText } from '../../src/validate/index.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { NOBODY, SKIP_REASON, nobodyIn, workspace } from '../helpers/unprivileged.js';

const dir = testDirectory('cisco-prov-perf10-');

const AWKWARD = [
  'plain ASCII message',
  'ends in a full stop.',
  'ends in a spaced stop .',
  '.',
  'x.',
  '',
  'quotes "here" and a back\\slash',
  'only "quotes"',
  'only back\\slash',
  'tab\there',
  'newline\nthere',
  'escape \u001b[2J and bell \u0007',
  'DEL \u007f and C1 \u0085 \u009b',
  'en dash 128–149, ellipsis … and é',
  'line separator \u2028 and bidi \u202e override \u2066',
  'BOM \ufeff zero width \u200b',
  'lone surrogate \ud800 here',
  'emoji 😀 pair',
  'value "ümlaut".',
  'ends in non-ASCII stop é.',
];

test('validate: the report from two threads (bytes) equals the one from one thread (strings)', async () => {
  const root = dir.fresh('awkward');
  for (let f = 0; f < 70; f++) {
    // Values the rules quote back: control characters are refused by xml-well-formed, the rest
    // reach invalid-value, non-ascii-value and whitespace-value messages.
    // eslint-disable-next-line no-control-regex -- control characters are what is replaced
    const value = AWKWARD[f % AWKWARD.length]!.replace(/[\u0000-\u001f\u007f]/g, ' ');
    const text =
      '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n' +
      `  <Resync_Periodic ua="na">${value.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Resync_Periodic>\n` +
      `  <Station_Name ua="na"> ${value.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Station_Name>\n` +
      `  <Unknown_Thing_${f % 3} ua="na">1</Unknown_Thing_${f % 3}>\n` +
      (f % 10 === 3 ? '  <Bad\u0001 />\n' : '') +
      '</flat-profile>\n';
    writeFileSync(
      join(root, `p${String(f).padStart(3, '0')}-${f % 5 === 0 ? 'é' : 'a'}.xml`),
      text,
    );
  }
  for (const args of [['--format', 'json'], []]) {
    const one = await runCli(['validate', ...args, root], {
      env: { CISCO_PROV_VALIDATE_JOBS: '1' },
    });
    const two = await runCli(['validate', ...args, root], {
      env: { CISCO_PROV_VALIDATE_JOBS: '2' },
    });
    assert.equal(one.code, 1, one.stderr);
    assert.equal(two.code, one.code, two.stderr);
    assert.equal(two.stderr, one.stderr);
    assert.ok(one.stdoutBytes.length > 10_000);
    assert.ok(two.stdoutBytes.equals(one.stdoutBytes), `stdout differs (${args.join(' ')})`);
  }
});

/** A small valid profile with one finding (an unknown parameter), `padding` bytes of comment. */
function profile(n: number, padding = 0): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n' +
    `  <Unknown_Thing_${n} ua="na">1</Unknown_Thing_${n}>\n` +
    (padding > 0 ? `  <!-- ${'x'.repeat(padding)} -->\n` : '') +
    '</flat-profile>\n'
  );
}

/** validate on one thread (read by size, as before) and on two (read without a stat). */
async function oneAndTwoThreads(
  args: string[],
  before?: () => () => void,
): Promise<[CliRun, CliRun]> {
  const runs = [];
  for (const jobs of ['1', '2']) {
    const after = before?.();
    runs.push(
      await runCli(['validate', '--format', 'json', ...args], {
        env: { CISCO_PROV_VALIDATE_JOBS: jobs },
      }),
    );
    after?.();
  }
  return [runs[0]!, runs[1]!];
}

test('validate reads files without a stat as it did with one: empty, 1 MiB, larger, too large', async () => {
  const root = dir.fresh('sizes');
  for (let f = 0; f < 70; f++)
    writeFileSync(join(root, `p${String(f).padStart(3, '0')}.xml`), profile(f));
  writeFileSync(join(root, 'a-empty.xml'), '');
  // Exactly the 1 MiB read buffer, one byte more, and 1.5 MiB: read on past the first read.
  const exact = profile(1);
  writeFileSync(join(root, 'b-exact.xml'), profile(1, (1 << 20) - exact.length - 8));
  writeFileSync(join(root, 'c-over.xml'), profile(2, (1 << 20) - exact.length - 7));
  writeFileSync(join(root, 'd-larger.xml'), profile(3, 1_500_000));
  // Past the 16 MiB limit: reported as too large, never read whole.
  writeFileSync(join(root, 'e-huge.xml'), Buffer.alloc(16 * 1024 * 1024 + 10, 0x20));
  const [one, two] = await oneAndTwoThreads([root]);
  assert.equal(one.code, 1, one.stderr);
  for (const name of ['a-empty', 'b-exact', 'c-over', 'd-larger', 'e-huge']) {
    assert.ok(one.stdout.includes(`${name}.xml`), name);
  }
  assert.ok(one.stdout.includes('the file is empty'));
  assert.ok(one.stdout.includes('larger than 16777216 bytes'));
  assert.ok(one.stdout.includes('Unknown_Thing_3'), 'the 1.5 MB profile is read whole');
  assert.equal(two.code, one.code, two.stderr);
  assert.equal(two.stderr, one.stderr);
  assert.ok(two.stdoutBytes.equals(one.stdoutBytes), 'stdout differs');
});

test('validate: a FIFO named among many files is read as before (by its size: empty)', async () => {
  const root = dir.fresh('fifo');
  const files: string[] = [];
  for (let f = 0; f < 70; f++) {
    files.push(join(root, `p${String(f).padStart(3, '0')}.xml`));
    writeFileSync(files[f]!, profile(f));
  }
  const fifo = join(root, 'pipe.xml');
  const source = join(root, 'source.txt');
  writeFileSync(source, profile(99));
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  // A writer for each run, so that opening the FIFO returns; ended after the run.
  const writer = (): (() => void) => {
    const child = spawn('sh', ['-c', `exec cat "${source}" > "${fifo}"`], { stdio: 'ignore' });
    return () => child.kill();
  };
  const [one, two] = await oneAndTwoThreads([files[0]!, fifo, ...files.slice(1)], writer);
  assert.equal(one.code, 1, one.stderr);
  assert.ok(one.stdout.includes('pipe.xml'));
  assert.equal(two.code, one.code, two.stderr);
  assert.equal(two.stderr, one.stderr);
  assert.ok(two.stdoutBytes.equals(one.stdoutBytes), 'stdout differs');
});

test('validate: a file it cannot read (as nobody) is one line on stderr, exit 3, as before', async (t) => {
  const root = workspace('cisco-prov-perf10-nobody-');
  try {
    if (nobodyIn(root) === undefined) {
      t.skip(SKIP_REASON);
      return;
    }
    for (let f = 0; f < 70; f++) {
      writeFileSync(join(root, `p${String(f).padStart(3, '0')}.xml`), profile(f));
    }
    chmodSync(join(root, 'p005.xml'), 0o000);
    const runs = [];
    for (const jobs of ['1', '2']) {
      runs.push(
        await runCli(['validate', '--format', 'json', '.'], {
          user: NOBODY,
          cwd: root,
          env: { CISCO_PROV_VALIDATE_JOBS: jobs },
        }),
      );
    }
    const [one, two] = runs as [CliRun, CliRun];
    assert.equal(one.code, 3, one.stderr);
    assert.match(one.stderr, /cannot read .*p005\.xml: permission denied/);
    assert.equal(two.code, 3, two.stderr);
    assert.equal(two.stderr, one.stderr);
    assert.ok(two.stdoutBytes.equals(one.stdoutBytes), 'stdout differs');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('plaintext-secret: a blank secret (white space of any kind) is not reported, any other is', () => {
  const values = [
    '',
    ' ',
    '\t',
    '\u00a0',
    '\u3000 ',
    '\u2028',
    '\ufeff',
    'x',
    ' x',
    '\u00a0x',
    'é',
  ];
  const text =
    '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n' +
    values
      .map((v, i) => `  <GPP_S${'ABCD'[i % 4]} ua="na">${v}</GPP_S${'ABCD'[i % 4]}>\n`)
      .join('') +
    '</flat-profile>\n';
  const lines = validateProfileText(text, { file: 'p.xml', ignoreRules: ['duplicate-parameter'] })
    .filter((d) => d.ruleId === 'plaintext-secret')
    .map((d) => d.line);
  // Lines 3.. hold the values in order: 'x', ' x', '\u00a0x' and 'é' are secrets in plain text.
  assert.deepEqual(lines, [10, 11, 12, 13]);
});
