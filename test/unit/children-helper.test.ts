// The child-process plumbing of the test helpers (test/helpers/children.ts, serve.ts, run-cli.ts):
// a server a test leaves running does not hold its file for ever nor outlive it, a file that
// node --test ends for its time takes its servers with it, and no request, stop or CLI run waits
// without a timeout.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runningChildren } from '../helpers/children.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { httpRequest, startListening, startServe } from '../helpers/serve.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-children-');
const SERVE_HELPER = pathToFileURL(join(ROOT, 'test/helpers/serve.ts')).href;

/** Whether `pid` is a running process (not a zombie: node --test's file processes reap theirs). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Runs `body` as a test file under its own `node --test` (this process's loader: the compiled
 * tests' hooks, or tsx). Returns its exit status (null: killed by the 120 s guard, i.e. it hung),
 * its output and the pid its server wrote.
 */
function runTestFile(
  name: string,
  body: string,
): { status: number | null; pid: number; output: string } {
  const root = dir.fresh(name);
  const file = join(root, 'fixture.test.mjs');
  const pidFile = join(root, 'pid');
  writeFileSync(
    file,
    `import { test } from 'node:test';\n` +
      `import { writeFileSync } from 'node:fs';\n` +
      `import { startServe } from ${JSON.stringify(SERVE_HELPER)};\n` +
      `const PID = ${JSON.stringify(pidFile)};\n` +
      body,
  );
  const env = { ...process.env };
  // A node --test run inside a test file's process runs nothing while this is set.
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, '--test', '--test-reporter=tap', file],
    {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
      killSignal: 'SIGKILL',
    },
  );
  return {
    status: r.status,
    pid: Number(readFileSync(pidFile, 'utf8')),
    output: r.stdout + r.stderr,
  };
}

test('a server a test leaves running is killed when its file ends: the file does not hang', () => {
  const { status, pid, output } = runTestFile(
    'left-running',
    `test('starts serve and forgets it', async () => {\n` +
      `  const server = await startServe(['-i', 'examples/inventory.csv', '--no-watch']);\n` +
      `  writeFileSync(PID, String(server.child.pid));\n` +
      `});\n`,
  );
  assert.equal(status, 0, output);
  assert.match(output, /children: killed 1 left running: .*cisco-prov\.cjs serve/);
  assert.ok(!alive(pid), `serve (pid ${pid}) outlived its test file`);
});

test('a file node --test ends (SIGTERM, as at its --test-timeout) takes its servers with it', () => {
  const { status, pid, output } = runTestFile(
    'terminated',
    `test('starts serve, then is ended', async () => {\n` +
      `  const server = await startServe(['-i', 'examples/inventory.csv', '--no-watch']);\n` +
      `  writeFileSync(PID, String(server.child.pid));\n` +
      `  process.kill(process.pid, 'SIGTERM');\n` +
      `  await new Promise(() => {});\n` +
      `});\n`,
  );
  assert.equal(status, 1, output);
  assert.ok(!alive(pid), `serve (pid ${pid}) outlived its test file`);
});

test('httpRequest: a server that never answers fails the request after its timeout', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = silent.address() as { port: number };
    await assert.rejects(
      httpRequest(port, '/x.xml', { timeoutMs: 300 }),
      /GET \/x\.xml: no whole answer in 300 ms/,
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test('stop: a server that ignores SIGTERM is killed, and stop resolves', async () => {
  const server = await startListening(process.execPath, [
    '-e',
    "process.on('SIGTERM', () => {}); console.error('listening on http://127.0.0.1:1'); setInterval(() => {}, 1000);",
  ]);
  assert.ok(runningChildren().includes(server.child));
  assert.equal(await server.stop('SIGTERM', 300), null);
  assert.equal(server.child.signalCode, 'SIGKILL');
  assert.ok(!runningChildren().includes(server.child));
});

test('runCli: a run that does not end is killed after timeoutMs and the test told which', async () => {
  await assert.rejects(
    runCli(['serve', '-i', 'examples/inventory.csv', '--port', '0', '--no-watch'], {
      timeoutMs: 2000,
    }),
    /cisco-prov serve -i examples\/inventory\.csv .*: still running after 2000 ms, killed/,
  );
  assert.deepEqual(runningChildren(), []);
});

test('startServe: a server stopped by its test is no longer tracked', async () => {
  const server = await startServe(['-i', 'examples/inventory.csv', '--no-watch']);
  assert.equal((await httpRequest(server.port, '/healthz')).status, 200);
  assert.equal(await server.stop(), 0);
  assert.deepEqual(runningChildren(), []);
});
