/**
 * Exit codes under pipes and full disks (issue 10, item 13): a reader that goes away (EPIPE)
 * ends the output quietly with the command's own exit code; a write error (ENOSPC) is one line,
 * exit 3 — no minified source, no stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../helpers/run-cli.js';
import { workDir } from '../helpers/hostile.js';

const hasFull = existsSync('/dev/full');

/** Runs the CLI with stdout on `/dev/full`; resolves with the exit code and stderr. */
function runIntoFullDisk(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test(
  'keygen > /dev/full: one line, exit 3, no stack and no source',
  { skip: !hasFull && 'no /dev/full' },
  async () => {
    const r = await runIntoFullDisk(['keygen']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, 'cisco-prov: cannot write <stdout>: no space left on device\n');
  },
);

test(
  'models --json > /dev/full: the same for any command',
  { skip: !hasFull && 'no /dev/full' },
  async () => {
    const r = await runIntoFullDisk(['models', '--json']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^cisco-prov: cannot write <stdout>: no space left on device\n$/);
  },
);

test('validate bad.xml | head -1 under pipefail exits 1, quietly', async () => {
  const dir = workDir();
  // Enough findings that the output outgrows the pipe buffer and head's exit is an EPIPE.
  let xml = '<flat-profile>\n';
  for (let i = 0; i < 5000; i++) xml += '<Station_Name>a</Station_Name>\n';
  writeFileSync(join(dir, 'bad.xml'), `${xml}</flat-profile>\n`);
  const r = spawnSync(
    'bash',
    [
      '-o',
      'pipefail',
      '-c',
      `"${process.execPath}" "${BIN}" validate bad.xml | head -1 > /dev/null`,
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, '');
  // A clean profile still exits 0 through the same pipe.
  writeFileSync(
    join(dir, 'good.xml'),
    '<flat-profile><Station_Name>a</Station_Name></flat-profile>\n',
  );
  const ok = spawnSync(
    'bash',
    [
      '-o',
      'pipefail',
      '-c',
      `"${process.execPath}" "${BIN}" validate good.xml | head -1 > /dev/null`,
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  assert.equal(ok.status, 0, ok.stderr);
});

test('inspect … | head -1 keeps exit 0 and prints nothing on stderr', async () => {
  const lines = Array.from({ length: 20000 }, () => 'Cisco-CP-8841-3PCC/11.0 (00562b043615)');
  const r = spawnSync(
    'bash',
    ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" inspect | head -1 > /dev/null`],
    { input: lines.join('\n'), encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});
