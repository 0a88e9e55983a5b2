/**
 * Shared checks of the hostile-input suite (test/cli/hostile-*.test.ts): a fresh working
 * directory with a tiny template, and the assertions every case makes — exit code, one line of
 * message, no temp file left, no secret in either stream.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliRun } from './run-cli.js';

/** A template the validator accepts, using one inventory field. */
export const TINY_TEMPLATE =
  '<flat-profile>\n  <Station_Name ua="na">{{ display_name }}</Station_Name>\n</flat-profile>\n';

/** A fresh directory holding `t.liquid` (TINY_TEMPLATE). */
export function workDir(prefix = 'cp-hostile-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 't.liquid'), TINY_TEMPLATE);
  return dir;
}

/** Every file under `dir` (recursively), relative. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), rel);
      else out.push(rel);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** No `.NAME.TAG.tmp` file of ours anywhere under `dir`. */
export function assertNoTempFiles(dir: string): void {
  const temps = listTree(dir).filter((f) => /(^|\/)\.[^/]*\.tmp$/.test(f));
  assert.deepEqual(temps, [], 'no temp files left');
}

/** Exit code and stderr as one `cisco-prov: …` line (a `hint:` line allowed), no stack. */
export function assertOneLineError(r: CliRun, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}, stderr: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !/^ {2}hint: /.test(l));
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0]!, /^cisco-prov: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at |unexpected failure|node:internal/, 'no stack trace');
}

/** None of the secrets appears in stdout or stderr. */
export function assertNoSecret(r: CliRun, ...secrets: string[]): void {
  for (const s of secrets) {
    assert.ok(!r.stdout.includes(s), `secret ${s} in stdout`);
    assert.ok(!r.stderr.includes(s), `secret ${s} in stderr: ${r.stderr}`);
  }
}

/** The permission bits of a file (`0o600`). */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}
