/**
 * A validate run of the built CLI watched from inside: small profiles to check, and a module
 * given with --require (loaded in the main thread and, inherited, in every worker) whose
 * `process._rawDebug` lines land on stderr. For the tests of where validate's workers come
 * from and how they load (perf12, perf13).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './run-cli.js';

/** `count` one-parameter profiles p00.xml, p01.xml… in `dir`; their names. */
export function writeStationProfiles(dir: string, count: number): string[] {
  const names: string[] = [];
  for (let f = 0; f < count; f++) {
    const name = `p${String(f).padStart(2, '0')}.xml`;
    writeFileSync(
      join(dir, name),
      `<flat-profile><Station_Name ua="na">phone-${f}</Station_Name></flat-profile>\n`,
    );
    names.push(name);
  }
  return names;
}

/**
 * `cisco-prov validate --format json <inputs>` in `cwd` on two threads, with `probe` (CommonJS
 * source) written to `cwd`/probe.cjs and loaded by --require.
 */
export function validateWithProbe(
  cwd: string,
  probe: string,
  inputs: readonly string[],
): SpawnSyncReturns<string> {
  const file = join(cwd, 'probe.cjs');
  writeFileSync(file, probe);
  return spawnSync(
    process.execPath,
    ['--require', file, BIN, 'validate', '--format', 'json', ...inputs],
    {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CISCO_PROV_VALIDATE_JOBS: '2' },
      encoding: 'utf8',
    },
  );
}
