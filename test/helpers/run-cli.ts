/** Spawns the built CLI (bin/cisco-prov.cjs → dist/) the way a user's shell would. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from './children.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/cisco-prov.cjs', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface RunOptions {
  input?: string | Uint8Array;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (`runuser -u <user> --`; the test process must be root). */
  user?: string;
  /** Send SIGTERM after this many ms (a server that started where it should have refused). */
  stopAfterMs?: number;
  /**
   * SIGKILL it and reject after this many ms (default RUN_TIMEOUT_MS): a run that hangs fails its
   * test, naming the command, instead of holding the test file until node --test ends it.
   */
  timeoutMs?: number;
}

/** How long runCli waits for the CLI by default: far beyond any run's time on a loaded box. */
const RUN_TIMEOUT_MS = 240_000;

/** Runs `cisco-prov …args` with optional stdin; resolves with exit code and both streams. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const command =
      options.user === undefined
        ? [process.execPath, BIN, ...args]
        : ['runuser', '-u', options.user, '--', process.execPath, BIN, ...args];
    const child = track(
      spawn(command[0]!, command.slice(1), {
        cwd: options.cwd ?? ROOT,
        env: { ...process.env, NO_COLOR: '1', ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    const timer =
      options.stopAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGTERM'), options.stopAfterMs);
    const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(deadline);
      if (timedOut) {
        const stderr = Buffer.concat(err).toString('utf8').slice(-2000);
        reject(
          new Error(
            `cisco-prov ${args.join(' ')}: still running after ${timeoutMs} ms, killed\n${stderr}`,
          ),
        );
        return;
      }
      const stdoutBytes = Buffer.concat(out);
      resolve({
        code,
        stdout: stdoutBytes.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stdoutBytes,
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** This process's shared runs, by their arguments (a file that asks twice spawns once). */
const sharedRuns = new Map<string, Promise<CliRun>>();

/**
 * Runs `cisco-prov …args` once for the whole test run, for a run whose result is a function of
 * its arguments and the build alone: a command's --help (no input, no files, no clock; cwd and
 * environment those of every runCli). Several test files read every command's --help; under
 * scripts/run-tests.mjs (CISCO_PROV_TEST_SHARED names a directory of the run) the first file to
 * ask spawns the CLI and leaves its exit code and both streams there, and the files after it read
 * them: what they assert is what that spawn of this build printed. Two files that ask at once
 * both spawn (each result is written whole, by rename). Without the directory: runCli, once per
 * file.
 */
export function runCliShared(args: readonly string[]): Promise<CliRun> {
  const key = JSON.stringify(args);
  let run = sharedRuns.get(key);
  if (run === undefined) {
    run = sharedRun(args, key);
    sharedRuns.set(key, run);
  }
  return run;
}

async function sharedRun(args: readonly string[], key: string): Promise<CliRun> {
  const dir = process.env.CISCO_PROV_TEST_SHARED;
  if (!dir) return runCli(args);
  const file = join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedRun;
    if (JSON.stringify(saved.args) === key) {
      const stdoutBytes = Buffer.from(saved.stdout, 'base64');
      return {
        code: saved.code,
        stdout: stdoutBytes.toString('utf8'),
        stderr: saved.stderr,
        stdoutBytes,
      };
    }
  } catch {
    // Not there yet (or being written): spawn it.
  }
  const run = await runCli(args);
  const saved: SavedRun = {
    args,
    code: run.code,
    stdout: run.stdoutBytes.toString('base64'),
    stderr: run.stderr,
  };
  const temp = `${file}.${process.pid}`;
  writeFileSync(temp, JSON.stringify(saved));
  renameSync(temp, file);
  return run;
}

interface SavedRun {
  args: readonly string[];
  code: number | null;
  /** base64 */
  stdout: string;
  stderr: string;
}
