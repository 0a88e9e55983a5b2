/**
 * Tests that run the CLI as an unprivileged user (`nobody`): every other test runs as root, which
 * no permission bit stops. They run only when the test process is root and `runuser` can start
 * the built CLI as `nobody` in the test's own temp directory (no user is created).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './run-cli.js';

export const NOBODY = 'nobody';

/** Why the unprivileged tests are skipped (node:test's `skip`), or false when they run. */
export const SKIP_REASON = 'needs root, runuser, and a checkout and TMPDIR `nobody` can read';

/** A temp directory `nobody` may enter (0755), for a test file's files; the caller removes it. */
export function workspace(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** uid and gid of `nobody` when the CLI can run as it in `dir`; undefined skips the tests. */
export function nobodyIn(dir: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = spawnSync('id', ['-u', NOBODY], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', NOBODY], { encoding: 'utf8' });
  if (id.status !== 0 || gid.status !== 0) return undefined;
  const version = spawnSync('runuser', ['-u', NOBODY, '--', process.execPath, BIN, '--version'], {
    cwd: '/',
  });
  if (version.status !== 0) return undefined;
  // A TMPDIR of 0700 would keep `nobody` out of the directory.
  if (spawnSync('runuser', ['-u', NOBODY, '--', 'test', '-x', dir]).status !== 0) return undefined;
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
