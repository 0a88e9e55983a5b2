/**
 * Interrupting a batch in the middle: start the built CLI, wait until its first output file
 * exists (the batch is then under way), send SIGINT, and return the exit code and what is left in
 * the output directory.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { track } from './children.js';
import { BIN } from './run-cli.js';

export interface Interrupted {
  /** The exit code (130 after SIGINT, by the CLI's signal handling). */
  code: number | null;
  /** The names left in the output directory. */
  left: string[];
}

/**
 * Runs `cisco-prov …args`, sends SIGINT once a file ending in `suffix` is in `out` (or the process
 * ended by itself), and waits for it to exit.
 * @example const { code, left } = await interruptOnceWritten(['encrypt', …], out, '.cfg', {})
 */
export async function interruptOnceWritten(
  args: readonly string[],
  out: string,
  suffix: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Interrupted> {
  const child = track(
    spawn(process.execPath, [BIN, ...args], {
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      env: { ...process.env, ...options.env },
      stdio: 'ignore',
    }),
  );
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let started = false;
  while (!started) {
    await new Promise((done) => setTimeout(done, 5));
    started = existsSync(out) && readdirSync(out).some((n) => n.endsWith(suffix));
    if (child.exitCode !== null) break;
  }
  child.kill('SIGINT');
  const code = await exited;
  return { code, left: existsSync(out) ? readdirSync(out) : [] };
}
