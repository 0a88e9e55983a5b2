/**
 * Starts the built `cisco-prov serve` on an ephemeral loopback port and talks to it with
 * node:http (real requests, real User-Agents). The port is read from the "listening on" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { track } from './children.js';
import { BIN, ROOT } from './run-cli.js';

export interface ServeProcess {
  port: number;
  child: ChildProcess;
  /** Everything written so far (access log, notes). */
  stdout(): string;
  stderr(): string;
  /** Waits until stderr matches (or times out). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Waits until stdout matches (the access line is written once the response has gone). */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /**
   * SIGTERM (or `signal`), then resolves with the exit code; SIGKILL when it has not exited
   * `killAfterMs` later (the code is then null: a test that expects one fails, none hangs).
   */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | null>;
  /** Resolves with the exit code once the process has exited, sending no signal. */
  exited(): Promise<number | null>;
}

/**
 * How long startServe waits for "listening on", and waitForStderr/waitForStdout for their line,
 * by default. Far above a quiet start (~0.2 s): at load 12 with the tests at nice 19 a serve
 * start was seen to take over 15 s (the limit before), failing tests that check nothing timed.
 */
const LISTEN_TIMEOUT_MS = 60_000;
/** How long stop() waits after its signal before SIGKILL (serve's own grace is 10 s). */
const STOP_TIMEOUT_MS = 30_000;
/** How long httpRequest waits for its whole response by default. */
const REQUEST_TIMEOUT_MS = 60_000;

/** Spawns `cisco-prov serve --port 0 …args` and waits for it to listen. */
export function startServe(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; listenTimeoutMs?: number } = {},
): Promise<ServeProcess> {
  return startListening(process.execPath, [BIN, 'serve', '--port', '0', ...args], options);
}

/**
 * Spawns `command …args` and waits until its stderr says "listening on http(s)://host:port".
 * When that does not come within `listenTimeoutMs`, the process is killed (SIGKILL; its whole
 * process group when it leads one, `detached`) and awaited before the promise rejects: a server
 * that starts late must not outlive the test.
 */
export function startListening(
  command: string,
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    listenTimeoutMs?: number;
    /** Its own process group (setsid), which a timeout kills whole. */
    detached?: boolean;
  } = {},
): Promise<ServeProcess> {
  const child = track(
    spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached ?? false,
    }),
    { group: options.detached ?? false },
  );
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString('utf8');
    for (const w of [...waiters]) {
      if (w.pattern.test(err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  const waitForStderr = (pattern: RegExp, timeoutMs = LISTEN_TIMEOUT_MS): Promise<void> =>
    new Promise((resolve, reject) => {
      if (pattern.test(err)) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${pattern} in stderr:\n${err}`)),
        timeoutMs,
      );
      waiters.push({
        pattern,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  /** Kills what never said it listens (its group too, when it leads one), then rejects. */
  let killed = false;
  const giveUp = async (why: unknown): Promise<never> => {
    killed = true;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        // -pid names a group only when the child leads one (detached); else ESRCH.
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
    }
    throw why;
  };
  return new Promise((resolve, reject) => {
    exited.then((code) => {
      if (!killed) reject(new Error(`serve exited with ${code} before listening:\n${err}`));
    });
    const listening = waitForStderr(
      /listening on https?:\/\/[^:]+:(\d+)/,
      options.listenTimeoutMs ?? LISTEN_TIMEOUT_MS,
    ).catch(giveUp);
    listening.then(() => {
      const port = Number(/listening on https?:\/\/[^\s]+:(\d+)/.exec(err)![1]);
      resolve({
        port,
        child,
        stdout: () => out,
        stderr: () => err,
        waitForStderr,
        waitForStdout: async (pattern, timeoutMs = LISTEN_TIMEOUT_MS) => {
          const deadline = Date.now() + timeoutMs;
          while (!pattern.test(out)) {
            if (Date.now() > deadline)
              throw new Error(`timed out waiting for ${pattern} in stdout`);
            await new Promise((r) => setTimeout(r, 10));
          }
        },
        exited: () => exited,
        stop: async (signal = 'SIGTERM', killAfterMs = STOP_TIMEOUT_MS) => {
          if (child.exitCode !== null || child.signalCode !== null) return exited;
          child.kill(signal);
          const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
          try {
            return await exited;
          } finally {
            clearTimeout(timer);
          }
        },
      });
    }, reject);
  });
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Name/value pairs as sent (repeated headers stay apart). */
  rawHeaders: string[];
  body: Buffer;
}

/**
 * One HTTP request to 127.0.0.1:port (a raw path, sent as written). Rejects when the whole
 * response has not come within `timeoutMs` (a server that stopped answering fails the test).
 */
export function httpRequest(
  port: number,
  path: string,
  options: {
    method?: string;
    userAgent?: string;
    headers?: Record<string, string | number>;
    body?: Uint8Array;
    agent?: import('node:http').Agent | false;
    timeoutMs?: number;
  } = {},
): Promise<HttpResult> {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        agent: options.agent ?? false,
        headers: {
          ...(options.userAgent !== undefined ? { 'User-Agent': options.userAgent } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => {
      reject(new Error(`${options.method ?? 'GET'} ${path}: no whole answer in ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(options.body);
  });
}
