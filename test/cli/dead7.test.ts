// dead7: serve prints and exits only through what the CLI gives it (src/commands/serve.ts's
// ServeOutput, src/cli.ts's serve block). trial5 covers the stdout side (a stuck access-log
// reader, SIGTERM still ends it); this covers stderr's own bound: when nobody reads stderr, the
// notice that lines are dropped goes through the CLI's warn, and so does "read again".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, ROOT } from '../helpers/run-cli.js';
import { httpRequest } from '../helpers/serve.js';

const SERVE_ARGS = ['-i', 'examples/inventory.csv', '--vars', 'examples/site.yaml', '--no-watch'];

test(
  'serve with stderr unread: past 4 MiB its lines are dropped, said once by a warning, and counted when it is read again',
  { timeout: 180_000 },
  async (t) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...SERVE_ARGS], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const waitFor = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(stderr)) {
        t.signal.throwIfAborted();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    try {
      await waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)![1]);
      child.stderr!.pause(); // from here stderr is not read: the pipe fills, then serve's backlog
      // Each over-long path is a line of about 8 KB on stderr (a 400 and why): 700 of them are
      // over 4 MiB beyond what the pipe and this side's buffer hold.
      const pad = 'x'.repeat(8000);
      for (let i = 0; i < 700; i++) {
        assert.equal((await httpRequest(port, `/nothing-${i}-${pad}`)).status, 400);
      }
      assert.doesNotMatch(stderr, /not read/);
      child.stderr!.resume();
      await waitFor(
        /cisco-prov: warning: stderr not read \(over 4 MiB waiting\): lines are dropped until it is\n/,
      );
      // The first line written once the backlog is read says how many were dropped (a line
      // sent while it is still over the bound is dropped too: ask until it is said).
      const readAgain = /cisco-prov: warning: stderr read again: (\d+) line\(s\) were dropped\n/;
      while (!readAgain.test(stderr)) {
        t.signal.throwIfAborted();
        assert.equal((await httpRequest(port, `/nothing-again-${pad}`)).status, 400);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(Number(readAgain.exec(stderr)![1]) > 0);
      assert.equal(stderr.match(/lines are dropped/g)?.length, 1);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  },
);
