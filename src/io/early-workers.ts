/**
 * Worker threads started ahead of their run, and validate's earliest start. The list of waiting
 * workers lives on globalThis: the CLI bundle starts validate's first worker before it has
 * parsed the command line (startValidateWorkerEarly), and worker-pool.ts, in the command's ESM
 * chunks, takes it from there (as the crypto backends are shared between bundles).
 */
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

/** The workerData mark of our workers (see worker-pool.ts). */
export const WORKER_KIND = 'cisco-prov-worker';

/**
 * A validate worker makes ≈ 250 KB of short-lived objects per 30 KB profile: a larger young
 * generation than V8's default means fewer scavenges (10,000 profiles: ≈ 10 % less CPU).
 */
export const VALIDATE_YOUNG_GENERATION_MB = 64;

/** Below this many files, validate's threads cost more than they save. */
export const WORKER_THRESHOLD = 64;

/**
 * The threads a validate run uses: `jobs` when given, else CISCO_PROV_VALIDATE_JOBS, else one
 * per core (at most 8).
 */
export function validateThreads(jobs?: number): number {
  return (
    jobs ?? (Number(process.env.CISCO_PROV_VALIDATE_JOBS) || Math.min(availableParallelism(), 8))
  );
}

/**
 * Young-generation collections on the collecting thread alone, for the rest of the process, when
 * a parallel run of validate keeps every core busy with a JavaScript thread (this one and the
 * workers: `threads` at least the cores): V8's parallel scavenge then ran its helper tasks on
 * cores that had no time for them. With cores to spare they keep their helpers. A process-wide
 * V8 flag (read at each scavenge, in every isolate): set before the workers start.
 * 10,000 × 30 KB profiles on 2 cores, 9 interleaved runs under load: CPU −8 %, wall −8 % (issue
 * 12; see bench/RESULTS-perf13.md).
 */
export function serialScavenges(threads: number): void {
  if (threads < availableParallelism()) return;
  // Not a top-level import: node:v8 would load for every command (see startValidateWorkerEarly).
  const builtin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const v8 = builtin?.('node:v8') as typeof import('node:v8') | undefined;
  v8?.setFlagsFromString('--no-parallel-scavenge');
}

/** A worker started ahead, waiting for a run of its task to take it. */
export interface WaitingWorker {
  worker: Worker;
  task: string;
  alive: boolean;
}

const WAITING = Symbol.for('cisco-prov.waiting-workers');

/** The workers started ahead and not yet taken, shared by every bundle of the process. */
export function waitingWorkers(): WaitingWorker[] {
  const shared = globalThis as { [WAITING]?: WaitingWorker[] };
  return (shared[WAITING] ??= []);
}

/**
 * Adds a worker started ahead: unreferenced while it waits (an unused one never keeps the
 * process alive), and no longer taken once it fails or ends.
 */
export function addWaiting(worker: Worker, task: string): void {
  const entry: WaitingWorker = { worker, task, alive: true };
  const dead = (): void => {
    entry.alive = false;
  };
  worker.on('error', dead);
  worker.on('exit', dead);
  worker.unref();
  waitingWorkers().push(entry);
}

/**
 * validate's first worker, started by the CLI as soon as it sees `validate` with at least
 * WORKER_THRESHOLD arguments that are not options (a shell's `*.xml`): before commander parses
 * them and the command loads (≈ 80 ms of the main thread with 10,000 names, then the ESM
 * loader's start), since a worker takes ≈ 100–200 ms to start. Only from the built CLI: the
 * shim says where its bundles are (globalThis.__ciscoProvDist); the worker runs dist/worker.cjs
 * (see validateWorkerCode). A directory, or fewer names, is left to the command (validate-workers.ts).
 */
export function startValidateWorkerEarly(args: readonly string[]): void {
  const dist = (globalThis as { __ciscoProvDist?: string }).__ciscoProvDist;
  // Node's built-in modules without import(), which the CLI bundle cannot hold, and without a
  // top-level import, which would load worker_threads for every command (Node >= 20.16).
  const builtin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (dist === undefined || builtin === undefined || validateThreads() <= 1) return;
  let names = 0;
  for (const arg of args) if (!arg.startsWith('-') && ++names >= WORKER_THRESHOLD) break;
  if (names < WORKER_THRESHOLD) return;
  serialScavenges(validateThreads());
  const { Worker } = builtin('node:worker_threads') as typeof import('node:worker_threads');
  const worker = new Worker(validateWorkerCode(dist), {
    eval: true,
    workerData: {
      kind: WORKER_KIND,
      task: 'validate',
      settings: undefined,
      cryptoBackend: process.env.CISCO_PROV_CRYPTO === 'noble' ? 'noble' : 'node',
    },
    resourceLimits: { maxYoungGenerationSizeMb: VALIDATE_YOUNG_GENERATION_MB },
  });
  addWaiting(worker, 'validate');
}

/**
 * The early worker's code: dist/worker.cjs compiled with V8's code cache (dist/worker.cjs.cache,
 * taken by the build after a warm-up), as bin/cisco-prov.cjs compiles the CLI's bundles, and run
 * as CommonJS — not an ES module: Node's ESM loader and the compiling of ≈ 500 KB of the checks'
 * JavaScript were ≈ 50–90 ms of each such worker's start (issue 12). Without the cache, or with
 * one V8 rejects, the bundle is compiled as usual.
 */
function validateWorkerCode(dist: string): string {
  const file = JSON.stringify(`${dist}/worker.cjs`);
  return (
    "const fs = require('node:fs');\n" +
    'let cachedData;\n' +
    `try { cachedData = fs.readFileSync(${file} + '.cache'); } catch {}\n` +
    `const script = new (require('node:vm').Script)(fs.readFileSync(${file}, 'utf8'), { filename: ${file}, cachedData });\n` +
    'const bundle = { exports: {} };\n' +
    `script.runInThisContext()(bundle.exports, require, bundle, ${file}, ${JSON.stringify(dist)});\n`
  );
}

/**
 * The code of a validate worker (validateWorkerCode, run with `eval: true`) when this process
 * runs the built CLI (the shim says where dist/ is); undefined from source, where the pool
 * starts its workers from its own module.
 */
export function validateWorkerLoader(): string | undefined {
  const dist = (globalThis as { __ciscoProvDist?: string }).__ciscoProvDist;
  return dist === undefined ? undefined : validateWorkerCode(dist);
}
