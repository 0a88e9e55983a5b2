/**
 * perf14 (issue 12): what V8 does with validate's optimized code in a parallel run, read from
 * V8's own traces (--trace-deopt, --trace-protector-invalidation) of the built CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogNames } from '../../src/profile/catalog.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { BIN } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-perf14-');

/** `count` profiles of 300 parameters each in `root`; their names. */
function profiles(root: string, count: number): string[] {
  const names = catalogNames(DEFAULT_CATALOG).slice(0, 300);
  const files: string[] = [];
  for (let f = 0; f < count; f++) {
    let body = '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n';
    for (const [n, name] of names.entries()) body += `  <${name} ua="na">v${f + n}</${name}>\n`;
    const file = `p${String(f).padStart(3, '0')}.xml`;
    writeFileSync(join(root, file), `${body}</flat-profile>\n`);
    files.push(file);
  }
  return files;
}

test('a validate worker gives up the ArrayBuffer-detaching protector before its scanner is optimized', () => {
  const root = dir.fresh('detach');
  const files = profiles(root, 96);
  const run = spawnSync(
    process.execPath,
    [
      '--trace-deopt',
      '--trace-protector-invalidation',
      BIN,
      'validate',
      '--format',
      'json',
      ...files,
    ],
    {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', CISCO_PROV_VALIDATE_JOBS: '2' },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  // 1: the values are not all valid; what matters here is the trace.
  assert.ok(run.status === 0 || run.status === 1, run.stderr.slice(-2000));
  // The trace is on: the worker moves its reports, so the protector is given up in the run.
  assert.match(run.stdout + run.stderr, /Invalidating protector cell ArrayBufferDetaching/);
  // Before the fix, the first move threw away the optimized code of ≈ 20 functions of the
  // scanner and the index (compiled during the worker's warm-up), all for "code dependencies".
  const thrownAway = [
    ...(run.stdout + run.stderr).matchAll(
      /marking dependent code .*SharedFunctionInfo (startTag|scanDocument|readName|replayTail|leafEnd|nextSiblingOf)>.*reason: code dependencies/g,
    ),
  ].map((m) => m[1]);
  assert.deepEqual(thrownAway, []);
});

test('a start ahead that comes after validate has asked for its workers does nothing', async () => {
  // The CLI imports validate-workers without waiting for it; on a busy machine the command got
  // there first, and the late start ahead counted the inputs again (128 stats of 200 named
  // profiles in perf11's strace test, one full run under load) and started a worker no run took.
  const { startAhead, workersFor } = await import('../../src/commands/validate-workers.js');
  const root = dir.fresh('late-ahead');
  const files = profiles(root, 70);
  assert.equal(await workersFor(files.slice(0, 1), root, 2), undefined);
  assert.equal(startAhead(files, root), false);
});
