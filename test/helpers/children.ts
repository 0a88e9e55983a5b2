/**
 * The child processes the helpers spawn (the CLI, servers, stand-in writers), tracked so that
 * none outlives its test file. A child left running keeps the test file's process alive (its
 * pipes hold the event loop), so node --test would wait for that file for ever, and a server
 * left behind by a file that node --test ended (scripts/run-tests.mjs gives each file a timeout;
 * node --test sends it SIGTERM) would go on listening after the run. So, in a test file's process:
 * once its tests are done (a root `after` hook), and when it is sent SIGTERM, every child still
 * running is sent SIGKILL (its whole process group when it leads one).
 */
import type { ChildProcess } from 'node:child_process';
import { after } from 'node:test';

/** Each running child, and whether it leads a process group of its own (`detached`). */
const running = new Map<ChildProcess, { group: boolean }>();

/** Tracks `child` until it exits; returns it. */
export function track<T extends ChildProcess>(child: T, options: { group?: boolean } = {}): T {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return child;
  running.set(child, { group: options.group ?? false });
  child.once('exit', () => running.delete(child));
  return child;
}

/** The children still running (the tests of this helper read it). */
export function runningChildren(): ChildProcess[] {
  return [...running.keys()];
}

/** SIGKILLs every child still running (synchronously); returns the command lines it killed. */
export function killRunningChildren(): string[] {
  const killed: string[] = [];
  for (const [child, { group }] of running) {
    running.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) continue;
    killed.push(child.spawnargs.join(' '));
    try {
      // -pid names a group only when the child leads one (detached); else ESRCH.
      if (group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
  return killed;
}

// Only under node --test (NODE_TEST_CONTEXT is set in each test file's process): the fuzz drivers
// import these helpers too, and `after` there would start a test run of its own. Registered once
// the test file's module has run (setImmediate: root hooks run in the order they were added), so
// that it comes after the file's own `after` hooks, which stop their servers in their own way.
if (process.env.NODE_TEST_CONTEXT !== undefined) {
  setImmediate(() =>
    after(() => {
      const killed = killRunningChildren();
      // Said, not thrown: the test that left it running has passed or failed on its own.
      if (killed.length > 0) {
        process.stderr.write(
          `# children: killed ${killed.length} left running: ${killed.join('; ')}\n`,
        );
      }
    }),
  );
  process.once('SIGTERM', () => {
    killRunningChildren();
    process.exit(143);
  });
}
process.once('exit', () => killRunningChildren());
