/**
 * `npm pack` of the package as built (npm test has built dist/ already: --ignore-scripts, no
 * second build), once per test run. test/library/packed.test.ts and consumer.test.ts both test
 * the tarball; npm's own start and the packing cost ~2-3 s of CPU each time. Under
 * scripts/run-tests.mjs (CISCO_PROV_TEST_SHARED names a directory of the run) the first file to
 * ask packs into that directory (a lock directory says it is at it) and leaves npm's JSON report
 * beside the tarball; a file that asks meanwhile waits for that report and reads it. When the
 * packing failed, or no report comes within five minutes, a file packs for itself, so its own
 * assertion shows npm's error. Without the directory: packs into `dir`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run-cli.js';

export interface PackedTarball {
  /** The tarball's absolute path. */
  path: string;
  /** npm pack --json's report of it: its file name and the files it holds. */
  report: { filename: string; files: { path: string }[] };
}

/** Packs into `dir`; asserts that npm succeeded (its stderr as the message). */
function pack(dir: string): PackedTarball {
  const run = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `npm pack: ${run.stderr}`);
  const [report] = JSON.parse(run.stdout) as PackedTarball['report'][];
  return { path: join(dir, report!.filename), report: report! };
}

/** The tarball of this run (packed once for the run; see above), or one packed into `dir`. */
export function packedTarball(dir: string): PackedTarball {
  const shared = process.env.CISCO_PROV_TEST_SHARED;
  if (!shared) return pack(dir);
  const into = join(shared, 'npm-pack');
  const done = join(shared, 'npm-pack.json');
  try {
    mkdirSync(into);
  } catch {
    // Another file is packing: its report, once there (a failed packing leaves `null`).
    const wait = new Int32Array(new SharedArrayBuffer(4));
    for (const started = Date.now(); !existsSync(done);) {
      if (Date.now() - started > 300_000) return pack(dir);
      Atomics.wait(wait, 0, 0, 100);
    }
    return (JSON.parse(readFileSync(done, 'utf8')) as PackedTarball | null) ?? pack(dir);
  }
  let packed: PackedTarball | null = null;
  try {
    packed = pack(into);
    return packed;
  } finally {
    writeFileSync(`${done}.${process.pid}`, JSON.stringify(packed));
    renameSync(`${done}.${process.pid}`, done);
  }
}
