/**
 * Starts the built `cisco-prov serve` on an ephemeral loopback port and talks to it with
 * node:http (real requests, real User-Agents). The port is read from the "listening on" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
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
  /** SIGTERM, then resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process has exited, sending no signal. */
  exited(): Promise<number | null>;
}

/** Spawns `cisco-prov serve --port 0 …args` and waits for it to listen. */
export function startServe(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  const waitForStderr = (pattern: RegExp, timeoutMs = 15_000): Promise<void> =>
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
  return new Promise((resolve, reject) => {
    exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${err}`)));
    waitForStderr(/listening on https?:\/\/[^:]+:(\d+)/).then(() => {
      const port = Number(/listening on https?:\/\/[^\s]+:(\d+)/.exec(err)![1]);
      resolve({
        port,
        child,
        stdout: () => out,
        stderr: () => err,
        waitForStderr,
        waitForStdout: async (pattern, timeoutMs = 15_000) => {
          const deadline = Date.now() + timeoutMs;
          while (!pattern.test(out)) {
            if (Date.now() > deadline)
              throw new Error(`timed out waiting for ${pattern} in stdout`);
            await new Promise((r) => setTimeout(r, 10));
          }
        },
        exited: () => exited,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null) child.kill(signal);
          return exited;
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

/** One HTTP request to 127.0.0.1:port (a raw path, sent as written). */
export function httpRequest(
  port: number,
  path: string,
  options: {
    method?: string;
    userAgent?: string;
    headers?: Record<string, string | number>;
    body?: Uint8Array;
    agent?: import('node:http').Agent | false;
  } = {},
): Promise<HttpResult> {
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
    req.on('error', reject);
    req.end(options.body);
  });
}
