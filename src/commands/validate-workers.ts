/**
 * When `validate` starts its worker threads. A module of its own, light, so that the CLI can
 * start them before it has parsed the command line and loaded the command (a worker takes
 * ≈ 100–200 ms to start; the main thread has the CLI and the command to load meanwhile).
 */
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateThreads, WORKER_THRESHOLD } from '../io/early-workers.js';

/**
 * Whether the inputs will likely need workers: at least WORKER_THRESHOLD of them, counting a
 * directory's entries (one listing without types: ≈ 3 ms for 10,000; a small directory must not
 * pay for workers it never uses). What cannot be read counts for nothing (the run reports it).
 */
function mayNeedWorkers(inputs: readonly string[], cwd: string): boolean {
  let count = 0;
  for (const input of inputs) {
    if (input === '-') continue;
    try {
      const path = resolve(cwd, input);
      count += statSync(path).isDirectory() ? readdirSync(path).length : 1;
    } catch {
      // Not a file (an option, its value, a missing name): validate reports what it must.
    }
    if (count >= WORKER_THRESHOLD) return true;
  }
  return false;
}

/**
 * Starts validate's workers when `inputs` likely need them (see mayNeedWorkers), and returns
 * what ends those no run took; undefined when none were started.
 */
async function prestartFor(
  inputs: readonly string[],
  cwd: string,
  threads: number,
): Promise<(() => void) | undefined> {
  if (threads <= 1 || !mayNeedWorkers(inputs, cwd)) return undefined;
  return (await import('../io/worker-pool.js')).prestartValidateWorkers(threads);
}

/** The CLI's early start (startAhead), until validate() takes it. */
let ahead: Promise<(() => void) | undefined> | undefined;

/** Whether validate() has asked for its workers: a start ahead comes too late after that. */
let asked = false;

/**
 * The CLI's start of the workers, before it has parsed the command line and loaded the
 * command: `args` is the command's whole argument list, options included (an option or its
 * value that names no file counts for nothing). Returns whether it started: not when validate()
 * has already asked for its workers (the CLI imports this module without waiting for it, and on
 * a busy machine the command could get there first: the inputs were then counted twice, and a
 * worker started that no run would take).
 */
export function startAhead(args: readonly string[], cwd: string): boolean {
  if (asked) return false;
  ahead = prestartFor(args, cwd, validateThreads());
  ahead.catch(() => {});
  return true;
}

/**
 * validate()'s workers: those the CLI started ahead, else started now when the inputs likely
 * need them. Returns what ends those no run took.
 */
export async function workersFor(
  inputs: readonly string[],
  cwd: string,
  threads: number,
): Promise<(() => void) | undefined> {
  asked = true;
  const early = ahead;
  ahead = undefined;
  return (await early) ?? prestartFor(inputs, cwd, threads);
}
