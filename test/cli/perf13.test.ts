/**
 * perf13 (issue 12): a parallel validate run keeps every core busy with a JavaScript thread, so
 * its young-generation collections run on the collecting thread alone (V8's
 * --no-parallel-scavenge, set before the workers start). Seen in V8's own GC trace
 * (--trace-gc-nvp): each scavenge says how long helper tasks worked on it
 * (`background.scavenge.parallel`), 0 when none did. Many names (the CLI's early worker) and a
 * directory (the command's own start of its workers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogNames } from '../../src/profile/catalog.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { BIN } from '../helpers/run-cli.js';
import { validateWithProbe, writeStationProfiles } from '../helpers/validate-probe.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-perf13-');

/** 160 profiles of ≈ 25 KB each in `root`/profiles; their names. */
function profiles(root: string): string[] {
  const names = catalogNames(DEFAULT_CATALOG).slice(0, 600);
  const files: string[] = [];
  mkdirSync(join(root, 'profiles'));
  for (let f = 0; f < 160; f++) {
    let body = '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n';
    for (const [n, name] of names.entries()) body += `  <${name} ua="na">v${f + n}</${name}>\n`;
    const file = `p${String(f).padStart(3, '0')}.xml`;
    writeFileSync(join(root, 'profiles', file), `${body}</flat-profile>\n`);
    files.push(file);
  }
  return files;
}

/**
 * The scavenges of a run under --trace-gc-nvp: how many had helper tasks, how many not.
 * `preload`: a --require module for every thread.
 */
function scavenges(
  args: string[],
  cwd: string,
  preload: string[] = [],
): { parallel: number; serial: number } {
  const node = [...preload.flatMap((p) => ['--require', p]), '--trace-gc-nvp'];
  const run = spawnSync(process.execPath, [...node, BIN, 'validate', ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CISCO_PROV_VALIDATE_JOBS: '2' },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  let parallel = 0;
  let serial = 0;
  for (const m of run.stdout.matchAll(/background\.scavenge\.parallel=([0-9.]+)/g)) {
    if (Number(m[1]) > 0) parallel++;
    else serial++;
  }
  return { parallel, serial };
}

test('validate over many files: scavenges without helper tasks, names and a directory alike', () => {
  const root = dir.fresh('gc');
  const files = profiles(root);
  for (const [how, args, cwd] of [
    ['names', ['--format', 'json', ...files], join(root, 'profiles')],
    ['a directory', ['--format', 'json', 'profiles'], root],
  ] as const) {
    const seen = scavenges([...args], cwd);
    // Enough scavenges that the count says something (the old code: 19–21 of 22–23 parallel).
    assert.ok(seen.serial >= 10, `${how}: ${JSON.stringify(seen)}`);
    // A few at most, in the main thread's start before the command decided on workers (2 for a
    // directory, whose workers start once the command has parsed its options).
    assert.ok(seen.parallel <= 3, `${how}: ${JSON.stringify(seen)}`);
  }
});

test('validate with cores to spare (2 threads of 8 cores) keeps the parallel scavenge of V8', () => {
  const root = dir.fresh('spare');
  const files = profiles(root);
  const eight = join(root, 'eight-cores.cjs');
  writeFileSync(eight, "require('node:os').availableParallelism = () => 8;\n");
  const seen = scavenges(['--format', 'json', ...files], join(root, 'profiles'), [eight]);
  assert.ok(seen.parallel >= 10, JSON.stringify(seen));
});

test('validate over many names or a directory: its worker compiles dist/worker.cjs from its code cache', () => {
  const root = dir.fresh('cache');
  const names = writeStationProfiles(root, 70);
  // Loaded in every thread (a worker inherits --require): says, for each script compiled with
  // a code cache, whether V8 took the cache.
  const probe =
    "const vm = require('node:vm');\n" +
    "const { isMainThread } = require('node:worker_threads');\n" +
    'const Script = vm.Script;\n' +
    'vm.Script = class extends Script {\n' +
    '  constructor(code, options) {\n' +
    '    super(code, options);\n' +
    '    if (options && options.cachedData) process._rawDebug(`${isMainThread ? "main" : "worker"} ${options.filename} rejected=${this.cachedDataRejected}`);\n' +
    '  }\n' +
    '};\n';
  // Names: the CLI's early worker; a directory: the command's own start of its worker.
  for (const inputs of [names, ['.']]) {
    const run = validateWithProbe(root, probe, inputs);
    assert.equal(run.status, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as unknown[]).length, 70);
    const shown = `${inputs.length} inputs: ${run.stderr}`;
    assert.match(run.stderr, /^worker \S*[\\/]dist[\\/]worker\.cjs rejected=false$/m, shown);
  }
});
