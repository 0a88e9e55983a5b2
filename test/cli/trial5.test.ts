/**
 * trial5: cisco-prov as pipelines and services run it — signals, pipes, concurrency, environment
 * and long-running serve — spawned as a user runs it. Signals are sent once the command is seen
 * at work (its temp file exists), never after a sleep.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';
import { httpRequest, startServe } from '../helpers/serve.js';

let dir: string;
let keyFile: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-trial5-'));
  keyFile = join(dir, 'key.txt');
  writeFileSync(keyFile, 'trial5-passphrase-not-secret\n', { mode: 0o600 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A spawned CLI and a promise of its exit code (null when a signal killed it). */
function spawnCli(args: readonly string[]): {
  child: ChildProcess;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

/** Resolves once a temp file of ours (`.NAME.cp<pid>-….tmp`) is in `out`, or the child ended. */
async function tempFileIn(out: string, exited: Promise<unknown>): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  while (!done && !readdirSync(out).some((name) => name.endsWith('.tmp'))) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('SIGTERM while encrypt -o streams a large file: exit 143 at once, no output, no temp file', async () => {
  // 512 MiB of zeros, sparse: nothing on disk, seconds of work. Before the fix the chunks were
  // read and sealed without a turn of the event loop: the signal waited for the whole file, then
  // was lost — exit 0, the output written.
  const work = join(dir, 'sparse');
  mkdirSync(work);
  const input = join(work, 'zeros.xml');
  writeFileSync(input, '');
  truncateSync(input, 512 << 20);
  const output = join(work, 'zeros.cfg');
  for (const cipher of ['--key-file', '--ikm-file']) {
    const { child, exited } = spawnCli(['encrypt', cipher, keyFile, '-o', output, input]);
    await tempFileIn(work, exited);
    child.kill('SIGTERM');
    assert.equal(await exited, 143, cipher);
    assert.deepEqual(readdirSync(work), ['zeros.xml'], cipher);
  }
});

test('SIGTERM while decrypt reads a FIFO whose writer is slow: exit 143 at once, no output', async () => {
  // `cisco-prov decrypt -o out.xml <(producer)`: the read waited for the writer with the event
  // loop blocked, so the signal was handled only when the writer went on (and then lost: exit 0).
  const work = join(dir, 'fifo');
  mkdirSync(work);
  const fifo = join(work, 'in.xml');
  execFileSync('mkfifo', [fifo]);
  const { child, exited } = spawnCli(['decrypt', '-o', join(work, 'out.xml'), fifo]);
  const writer = await open(fifo, 'w');
  try {
    await writer.write('<flat-profile>\n<Station_Name>one</Station_Name>\n');
    await tempFileIn(work, exited);
    child.kill('SIGTERM');
    // Only if the signal is not handled: let the writer finish after a long while, so that the
    // test fails (exit 0) rather than hangs.
    const fallback = setTimeout(() => void writer.close(), 60_000);
    const code = await exited;
    clearTimeout(fallback);
    assert.equal(code, 143);
    assert.deepEqual(readdirSync(work), ['in.xml']);
  } finally {
    await writer.close().catch(() => {});
  }
});

/** Reads a file, or '' when it is not there. */
function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Resolves once `path` holds `text` (the access line is written after the response); throws once
 * the test is given up (its timeout only ends a run that would wait for ever: no speed is asserted).
 */
async function fileHolds(path: string, text: string, signal: AbortSignal): Promise<void> {
  while (!readOr(path).includes(text)) {
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const SERVE_ARGS = ['-i', 'examples/inventory.csv', '--vars', 'examples/site.yaml', '--no-watch'];
const PHONE = { path: '/00562b043615.xml', userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)' };

test(
  'serve --access-log: logrotate moves the file and sends SIGHUP: the next lines go to a new file',
  { timeout: 120_000 },
  async (t) => {
    const work = join(dir, 'rotate-hup');
    mkdirSync(work);
    const log = join(work, 'access.log');
    const serve = await startServe([...SERVE_ARGS, '--access-log', log]);
    try {
      const ask = async (n: number): Promise<void> => {
        const r = await httpRequest(serve.port, `${PHONE.path}?n=${n}`, PHONE);
        assert.equal(r.status, 200);
      };
      await ask(1);
      await fileHolds(log, '?n=1 ', t.signal);
      renameSync(log, `${log}.1`);
      serve.child.kill('SIGHUP');
      await serve.waitForStderr(/SIGHUP: serving \d+ devices \(generation 2\)/);
      await ask(2);
      await fileHolds(log, '?n=2 ', t.signal);
      assert.match(readOr(`${log}.1`), /\?n=1 /);
      assert.doesNotMatch(readOr(`${log}.1`), /\?n=2 /);
      assert.doesNotMatch(readOr(log), /\?n=1 /);
      assert.equal(statSync(log).mode & 0o777, 0o640);
    } finally {
      assert.equal(await serve.stop(), 0);
    }
  },
);

// The timeout only ends a run that would never log again (the defect): no speed is asserted.
test(
  'serve --access-log: a log deleted or moved away without SIGHUP is made again by itself',
  { timeout: 120_000 },
  async () => {
    const work = join(dir, 'rotate-auto');
    mkdirSync(work);
    const log = join(work, 'access.log');
    const serve = await startServe([...SERVE_ARGS, '--access-log', log]);
    try {
      let n = 0;
      /** Asks until a request's line reaches the file at `log` (the check runs once a second). */
      const askUntilLogged = async (): Promise<void> => {
        for (;;) {
          const r = await httpRequest(serve.port, `${PHONE.path}?n=${++n}`, PHONE);
          assert.equal(r.status, 200);
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (readOr(log).includes(`?n=${n} `)) return;
        }
      };
      await askUntilLogged();
      rmSync(log);
      await askUntilLogged();
      renameSync(log, `${log}.1`);
      await askUntilLogged();
      assert.ok(existsSync(`${log}.1`));
    } finally {
      assert.equal(await serve.stop(), 0);
    }
  },
);

test('serve: a template rewritten in place (half written) is never rendered: the site keeps the texts it loaded', async () => {
  const work = join(dir, 'template-in-place');
  const templates = join(work, 'templates');
  cpSync(join(ROOT, 'templates'), templates, { recursive: true });
  const conference = join(templates, 'mpp-conference.liquid');
  const whole = readFileSync(conference, 'utf8');
  const serve = await startServe([...SERVE_ARGS, '-t', templates]);
  // The 8832 (mpp-conference.liquid) is not asked for before its template is cut.
  const room = { path: '/00562b04361a.xml', userAgent: 'Cisco-CP-8832-3PCC/11.0 (00562b04361a)' };
  try {
    assert.equal((await httpRequest(serve.port, PHONE.path, PHONE)).status, 200);
    // An editor saving in place: truncated, then the first half written, the rest not yet.
    writeFileSync(conference, whole.slice(0, whole.length >> 1));
    const during = await httpRequest(serve.port, room.path, room);
    assert.equal(during.status, 200, serve.stderr());
    assert.match(during.body.toString(), /<\/flat-profile>/);
    // A reload meanwhile keeps the previous site: the half file does not parse.
    serve.child.kill('SIGHUP');
    await serve.waitForStderr(
      /SIGHUP: kept the previous site \(generation 1\): template .*mpp-conference\.liquid does not parse/,
    );
    assert.equal((await httpRequest(serve.port, room.path, room)).status, 200);
    // The save completes (a changed text): the next reload takes it.
    writeFileSync(conference, `{%- comment -%} saved {%- endcomment -%}\n${whole}`);
    serve.child.kill('SIGHUP');
    await serve.waitForStderr(/SIGHUP: serving \d+ devices \(generation 2, templates changed\)/);
    assert.equal((await httpRequest(serve.port, room.path, room)).status, 200);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});

test(
  'serve | tee with tee gone: phones are still served, and stderr says the access log is lost',
  { timeout: 120_000 },
  async (t) => {
    const serve = await startServe(SERVE_ARGS);
    try {
      serve.child.stdout!.destroy(); // the reader of the access log goes away
      // Asked until the warning comes (the first line after the reader went may still fit the pipe).
      while (!/cannot write the access log \(EPIPE\)/.test(serve.stderr())) {
        t.signal.throwIfAborted();
        assert.equal((await httpRequest(serve.port, PHONE.path, PHONE)).status, 200);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal((await httpRequest(serve.port, PHONE.path, PHONE)).status, 200);
      assert.equal(serve.stderr().match(/cannot write the access log/g)?.length, 1);
    } finally {
      assert.equal(await serve.stop(), 0);
    }
  },
);

test('encrypt/decrypt -o with a name too long for the file system: "cannot write" it, exit 3 (not "cannot read")', async () => {
  const work = join(dir, 'long-name');
  mkdirSync(work);
  const profile = join(work, 'p.xml');
  writeFileSync(profile, '<flat-profile><Station_Name>x</Station_Name></flat-profile>\n');
  const output = join(work, `${'n'.repeat(300)}.cfg`);
  for (const args of [
    ['encrypt', '--key-file', keyFile, '-o', output, profile],
    ['encrypt', '--key-file', keyFile, '--gzip', '-o', output, profile],
    ['decrypt', '--key-file', keyFile, '-o', output, profile],
  ]) {
    const run = await runCli(args);
    assert.equal(run.code, 3, args.join(' '));
    assert.match(
      run.stderr,
      /^cisco-prov: cannot write .*n{20}.*\.cfg: name too long$/m,
      args.join(' '),
    );
    assert.deepEqual(readdirSync(work), ['p.xml']);
  }
});

test('run from a directory since deleted: one line saying so, exit 3, not "unexpected failure"', () => {
  const gone = join(dir, 'gone');
  const profile = join(dir, 'gone-p.xml');
  writeFileSync(profile, '<flat-profile><Station_Name>x</Station_Name></flat-profile>\n');
  mkdirSync(gone);
  for (const args of [
    ['validate', profile],
    [
      'render',
      '-i',
      join(ROOT, 'examples/inventory.csv'),
      '--vars',
      join(ROOT, 'examples/site.yaml'),
      '-o',
      'out',
    ],
  ]) {
    // A shell left in a release directory that a deploy removed.
    const run = spawnSync(
      'bash',
      [
        '-c',
        'cd "$1" && rmdir "$1" && shift && exec "$@"',
        'bash',
        gone,
        process.execPath,
        BIN,
        ...args,
      ],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    mkdirSync(gone);
    assert.equal(run.status, 3, run.stderr);
    assert.equal(
      run.stderr,
      'cisco-prov: cannot use the current directory (it no longer exists): cd to a directory that exists and run again\n',
    );
  }
});

test(
  'serve | a reader that stops reading: past 4 MiB unread the access log drops lines (said once), and SIGTERM still ends it',
  { timeout: 180_000 },
  async (t) => {
    // Before: every line was kept in memory for the stuck reader (~300 MB per million requests),
    // and after SIGTERM's "stopped" the process waited for that reader for ever.
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...SERVE_ARGS], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'], // stdout is never read
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      while (!/listening on http:\/\/127\.0\.0\.1:(\d+)/.test(stderr)) {
        t.signal.throwIfAborted();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)![1]);
      // Lines of about 8 KB (the query is logged): the 4 MiB are reached in some 600 requests.
      const pad = 'x'.repeat(8000);
      while (!/access log on stdout is not read \(over 4 MiB waiting\)/.test(stderr)) {
        t.signal.throwIfAborted();
        const r = await httpRequest(port, `${PHONE.path}?pad=${pad}`, PHONE);
        assert.equal(r.status, 200);
      }
      for (let i = 0; i < 50; i++) {
        assert.equal((await httpRequest(port, `${PHONE.path}?pad=${pad}`, PHONE)).status, 200);
      }
      assert.equal(stderr.match(/lines are dropped/g)?.length, 1);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  },
);

test('serve: an inventory caught half-written in place (cut inside a row that still parses) keeps the previous site', async () => {
  const work = join(dir, 'inventory-in-place');
  mkdirSync(work);
  const inventory = join(work, 'inventory.csv');
  const whole = readFileSync(join(ROOT, 'examples/inventory.csv'), 'utf8');
  writeFileSync(inventory, whole);
  const serve = await startServe(['-i', inventory, '--vars', 'examples/site.yaml', '--no-watch']);
  const last = { path: '/00562b04361b.xml', userAgent: 'Cisco-ATA191-MPP/11.0 (00562b04361b)' };
  try {
    assert.equal((await httpRequest(serve.port, last.path, last)).status, 200);
    // Cut inside the 8832's row, after its model: the row still parses (a device with
    // fields missing) and the rows after it are gone.
    const row = whole.indexOf('00:56:2b:04:36:1a,');
    writeFileSync(
      inventory,
      whole.slice(0, whole.indexOf('CP-8832-3PCC', row) + 'CP-8832-3PCC'.length),
    );
    serve.child.kill('SIGHUP');
    await serve.waitForStderr(
      /SIGHUP: kept the previous site \(generation 1\): .*inventory\.csv ends in the middle of a line now/,
    );
    assert.equal((await httpRequest(serve.port, last.path, last)).status, 200);
    writeFileSync(inventory, whole);
    serve.child.kill('SIGHUP');
    await serve.waitForStderr(/SIGHUP: serving 8 devices \(generation 2\)/);
  } finally {
    assert.equal(await serve.stop(), 0);
  }
});
