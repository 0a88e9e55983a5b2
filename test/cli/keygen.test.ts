// keygen's -o as the other commands read it: `-` and /dev/stdout print, a FIFO is written
// through, and the one output this tool cannot make again (a random key) is fsynced.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli } from '../helpers/run-cli.js';

const KEY_LINE = /^[A-Za-z0-9_-]{32}\n$/;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-keygen-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('keygen -o', () => {
  test('`-o -` prints the key, as every command`s -o does, and makes no file named -', async () => {
    const run = await runCli(['keygen', '-o', '-'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, KEY_LINE);
    assert.equal(existsSync(join(dir, '-')), false);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('`-o /dev/stdout` with stdout redirected to a file prints into it', () => {
    const out = join(dir, 'redirected.txt');
    execFileSync('sh', [
      '-c',
      '"$0" "$1" keygen --ikm -o /dev/stdout > "$2"',
      process.execPath,
      BIN,
      out,
    ]);
    assert.match(readFileSync(out, 'utf8'), /^[A-Za-z0-9_-]{22}\n$/);
  });

  test('a FIFO at the path is written through, not refused as an existing key file', () => {
    const fifo = join(dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    // The shell reads the FIFO while keygen writes it.
    const read = spawnSync(
      'sh',
      ['-c', '"$0" "$1" keygen -o "$2" & cat "$2"; wait $!', process.execPath, BIN, fifo],
      { encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(read.status, 0, read.stderr);
    assert.match(read.stdout, KEY_LINE);
  });

  test('the new key file and its directory are fsynced before keygen exits (strace)', (t) => {
    if (spawnSync('strace', ['-V']).status !== 0) {
      t.skip('strace is not installed');
      return;
    }
    const file = join(dir, 'durable.key');
    const traced = spawnSync(
      'strace',
      ['-f', '-e', 'trace=openat,fsync,close', process.execPath, BIN, 'keygen', '-o', file],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(traced.status, 0, traced.stderr.slice(-500));
    const lines = traced.stderr.split('\n');
    const open = lines.find((l) => l.includes(`"${file}"`) && l.includes('O_EXCL'));
    assert.ok(open, 'keygen opened the key file O_EXCL');
    const fd = /= (\d+)$/.exec(open.trim())![1]!;
    const after = lines.slice(lines.indexOf(open));
    const fsync = after.findIndex((l) => new RegExp(`fsync\\(${fd}\\)\\s+= 0`).test(l));
    const close = after.findIndex((l) => new RegExp(`close\\(${fd}\\)\\s+= 0`).test(l));
    assert.ok(fsync > 0 && fsync < close, 'the key file is fsynced before it is closed');
    const dirOpen = after.findIndex((l) => l.includes(`"${dir}"`) && l.includes('O_RDONLY'));
    assert.ok(dirOpen > close, 'its directory is opened after the file is closed');
    const dirFd = /= (\d+)$/.exec(after[dirOpen]!.trim())![1]!;
    assert.ok(
      after.slice(dirOpen).some((l) => new RegExp(`fsync\\(${dirFd}\\)\\s+= 0`).test(l)),
      'and fsynced',
    );
    assert.match(readFileSync(file, 'utf8'), KEY_LINE);
  });
});
