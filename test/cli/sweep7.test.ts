/**
 * Temp files of a killed `-o` write, found without listing the directory (src/io/writer.ts:
 * each temp file has a marker `.NAME.cp.tmp` naming it, so the next write of the same target
 * finds it): a run killed with SIGKILL part-way leaves its temp file and marker, and the next
 * write of that target removes both; a writer that still runs keeps its own whatever else
 * writes beside it (a second writer of the same target, another target, a batch's sweep).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { NOBODY, SKIP_REASON, nobodyIn, workspace } from '../helpers/unprivileged.js';

const base = testDirectory('cisco-prov-sweep7-');
const KEY = 'Sweep-Test-Key-7';
const env = { K: KEY };
const PROFILE = `<flat-profile>\n${'  <Display_Name_1_>Lobby</Display_Name_1_>\n'.repeat(400)}</flat-profile>\n`;

/**
 * `encrypt --key-env K -o <target>` reading a pipe held open by the test: it has made its temp
 * file (and marker) once given a first chunk, then waits for the rest.
 */
async function startWriter(
  dir: string,
  target: string,
): Promise<{ child: ChildProcess; tmp: string }> {
  const child = spawn(process.execPath, [BIN, 'encrypt', '--key-env', 'K', '-o', target], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  child.stdin!.write(PROFILE.slice(0, 1000));
  const prefix = `.${target}.cp${child.pid}-`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const tmp = readdirSync(dir).find((n) => n.startsWith(prefix) && n.endsWith('.tmp'));
    if (tmp !== undefined && existsSync(join(dir, `.${target}.cp.tmp`))) return { child, tmp };
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the writer made no temp file (exit ${child.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.on('exit', (code) => resolve(code)));

async function decrypted(dir: string, file: string): Promise<string> {
  const r = await runCli(['decrypt', '--key-env', 'K', file], { cwd: dir, env });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('SIGKILL part-way: the temp file and its marker stay; the next write of the target removes both', async () => {
  const dir = base.fresh('killed');
  writeFileSync(join(dir, 'p.xml'), PROFILE);
  writeFileSync(join(dir, '.keep.tmp'), 'not ours');
  const { child, tmp } = await startWriter(dir, 'p.cfg');
  // The marker names the temp file (so its writer's pid).
  assert.equal(readFileSync(join(dir, '.p.cfg.cp.tmp'), 'utf8'), tmp);
  child.kill('SIGKILL');
  await exitOf(child);
  assert.deepEqual(readdirSync(dir).sort(), ['.keep.tmp', '.p.cfg.cp.tmp', tmp, 'p.xml'].sort());
  // Another target's write leaves them (it lists nothing; they are p.cfg's).
  let r = await runCli(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'q.cfg'], { cwd: dir, env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, tmp)));
  r = await runCli(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'p.cfg'], { cwd: dir, env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['.keep.tmp', 'p.cfg', 'p.xml', 'q.cfg']);
  assert.equal(await decrypted(dir, 'p.cfg'), PROFILE);
});

test('a killed run’s temp file and marker are swept by a batch (--out-dir) into the directory', async () => {
  const dir = base.fresh('killed-batch');
  const inputs = base.fresh('killed-batch-in');
  writeFileSync(join(inputs, 'a.xml'), PROFILE);
  const { child, tmp } = await startWriter(dir, 'p.cfg');
  child.kill('SIGKILL');
  await exitOf(child);
  assert.ok(existsSync(join(dir, tmp)));
  const r = await runCli(['encrypt', inputs, '--out-dir', dir, '--key-env', 'K'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['a.cfg']);
});

test('a live writer’s temp file and marker are never removed, whatever writes beside it', async () => {
  const dir = base.fresh('live');
  const inputs = base.fresh('live-in');
  writeFileSync(join(dir, 'p.xml'), 'the other writer’s input\n');
  writeFileSync(join(inputs, 'a.xml'), PROFILE);
  const { child, tmp } = await startWriter(dir, 'p.cfg');
  try {
    const mine = ['.p.cfg.cp.tmp', tmp];
    // A second writer of the same target: its marker's name is held by a live writer, so it
    // writes with an unmarked temp file and sweeps the directory, which spares a live pid.
    let r = await runCli(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'p.cfg'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    for (const name of mine) assert.ok(existsSync(join(dir, name)), `${name} kept`);
    // Another target; a batch sweeping the directory.
    r = await runCli(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'q.cfg'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    r = await runCli(['encrypt', inputs, '--out-dir', dir, '--key-env', 'K'], { env });
    assert.equal(r.code, 0, r.stderr);
    for (const name of mine) assert.ok(existsSync(join(dir, name)), `${name} kept`);
    assert.equal(readFileSync(join(dir, '.p.cfg.cp.tmp'), 'utf8'), tmp);
  } finally {
    child.stdin!.end(PROFILE.slice(1000));
  }
  assert.equal(await exitOf(child), 0);
  // Its rename is the last: p.cfg holds what it wrote; nothing of either writer is left.
  assert.equal(await decrypted(dir, 'p.cfg'), PROFILE);
  assert.deepEqual(readdirSync(dir).sort(), ['a.cfg', 'p.cfg', 'p.xml', 'q.cfg']);
});

describe('as an unprivileged user', () => {
  const shared = workspace('cisco-prov-sweep7-nobody-');
  const who = nobodyIn(shared);
  after(() => rmSync(shared, { recursive: true, force: true }));

  test(
    'root’s dead marker and temp file in a sticky directory (not ours to remove) do not stop -o',
    { skip: who === undefined ? SKIP_REASON : false },
    async () => {
      const dir = join(shared, 'sticky');
      mkdirSync(dir);
      chmodSync(dir, 0o1777);
      const tmp = '.out.cfg.cp2147483646-0abc1234a.tmp';
      writeFileSync(join(dir, tmp), 'left by a killed run of root');
      writeFileSync(join(dir, '.out.cfg.cp.tmp'), tmp);
      writeFileSync(join(dir, 'p.xml'), PROFILE, { mode: 0o644 });
      const r = await runCli(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'out.cfg'], {
        cwd: dir,
        env,
        user: NOBODY,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.equal(statSync(join(dir, 'out.cfg')).uid, who!.uid);
      assert.equal(readFileSync(join(dir, tmp), 'utf8'), 'left by a killed run of root');
      assert.equal(readFileSync(join(dir, '.out.cfg.cp.tmp'), 'utf8'), tmp);
      assert.deepEqual(
        readdirSync(dir).sort(),
        ['.out.cfg.cp.tmp', tmp, 'out.cfg', 'p.xml'].sort(),
      );
    },
  );
});
