// What the tests of the `-o` writer's markers share: processes that stand for other writers (one
// killed, one still at work) and node:fs calls patched for the length of one write.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { track } from './children.js';

/** The pid of a process that has ended (a writer killed with SIGKILL). */
export async function deadPid(): Promise<number> {
  const child = spawn('true', [], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

/** A process that runs until killed (a writer still at work), and how to kill it. */
export async function liveProcess(): Promise<{ pid: number; kill(): Promise<void> }> {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  await once(child, 'spawn');
  track(child);
  return {
    pid: child.pid!,
    kill: async () => {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

type FsPatch = Partial<Pick<typeof fs, 'openSync' | 'readSync' | 'readdirSync'>>;

/**
 * Runs `body` with some node:fs functions replaced, then puts the originals back. The code under
 * test imports node:fs as ESM bindings, which follow the module's object only through
 * syncBuiltinESMExports. `patch` gets the originals, to call through.
 */
export function withFsPatched(patch: (original: typeof fs) => FsPatch, body: () => void): void {
  const original = { ...fs };
  Object.assign(fs, patch(original));
  syncBuiltinESMExports();
  try {
    body();
  } finally {
    fs.openSync = original.openSync;
    fs.readSync = original.readSync;
    fs.readdirSync = original.readdirSync;
    syncBuiltinESMExports();
  }
}
