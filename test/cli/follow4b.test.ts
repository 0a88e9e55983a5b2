// validate, drift, fleet, serve and fetch run as an unprivileged user (`nobody`): a file or
// directory of another user it may not read, a directory it may not write. Every other test runs
// as root, which no permission bit stops. These run only when the test process is root and
// `runuser` can start the built CLI as `nobody`; their files live in a temp directory of their own.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, type CliRun } from '../helpers/run-cli.js';
import { NOBODY, SKIP_REASON, nobodyIn, workspace } from '../helpers/unprivileged.js';

/** The temp directory every test works in. */
const base = workspace('cisco-prov-follow4b-');
const who = nobodyIn(base);
const skip = who === undefined ? SKIP_REASON : false;

/** Runs `cisco-prov …args` as `nobody` (in the temp directory unless told). */
function runAsNobody(
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; stopAfterMs?: number } = {},
): Promise<CliRun> {
  return runCli(args, { cwd: base, ...options, user: NOBODY });
}

const PROFILE = '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n</flat-profile>\n';

/** A fresh directory under the temp dir: `owner` nobody or root, with `mode`. */
let counter = 0;
function dirOf(mode: number, owner: 'nobody' | 'root' = 'root'): string {
  const dir = join(base, `d${counter++}`);
  mkdirSync(dir);
  if (owner === 'nobody') chownSync(dir, who!.uid, who!.gid);
  chmodSync(dir, mode);
  return dir;
}

/** Writes root's file `path` with `mode` (0600: `nobody` cannot read it). */
function rootFile(path: string, text: string, mode = 0o644): void {
  writeFileSync(path, text);
  chmodSync(path, mode);
}

/** The stderr lines, with no stack trace and no "unexpected failure" among them. */
function errLines(run: CliRun): string[] {
  assert.doesNotMatch(run.stderr, /\n\s+at |unexpected failure|EACCES/, run.stderr);
  return run.stderr.split('\n').filter((l) => l !== '');
}

after(() => rmSync(base, { recursive: true, force: true }));

describe('validate <dir>: what it cannot read is reported, the rest is validated', { skip }, () => {
  /** d/ holding a.xml, b.xml (root's 0600), c.xml and sub/ (root's 0700, one profile in it). */
  function tree(files: number): string {
    const dir = dirOf(0o755);
    for (let i = 0; i < files; i++)
      rootFile(join(dir, `p${String(i).padStart(3, '0')}.xml`), PROFILE);
    rootFile(join(dir, 'b.xml'), PROFILE, 0o600);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    rootFile(join(sub, 'x.xml'), PROFILE);
    chmodSync(sub, 0o700);
    return dir;
  }
  for (const files of [2, 80]) {
    test(`${files} files${files > 64 ? ' (worker threads)' : ''}`, async () => {
      const dir = tree(files);
      const run = await runAsNobody(['validate', '--format', 'json', dir], {
        env: { CISCO_PROV_VALIDATE_JOBS: '2' },
      });
      assert.equal(run.code, 3, run.stderr);
      const lines = errLines(run);
      assert.deepEqual(lines.sort(), [
        `cisco-prov: cannot read ${join(dir, 'b.xml')}: permission denied`,
        `cisco-prov: cannot read ${join(dir, 'sub')}: permission denied`,
      ]);
      const report = JSON.parse(run.stdout) as { file: string }[];
      assert.equal(report.length, files);
      assert.ok(
        report.every((f) => /p\d{3}\.xml$/.test(f.file)),
        run.stdout.slice(0, 300),
      );
    });
  }
});

describe(
  'drift and fleet --reports: a report it cannot read fails that phone only',
  { skip },
  () => {
    /** A copy of the drift fixtures (root's, readable by all) with 616's report root's 0600. */
    function reports(): string {
      const dir = dirOf(0o755);
      cpSync(join(ROOT, 'test/fixtures/drift'), dir, { recursive: true });
      spawnSync('chmod', ['-R', 'a+rX', dir]);
      chmodSync(join(dir, 'reports/00562b043616.xml'), 0o600);
      chmodSync(join(dir, 'reports/00562b043617'), 0o700);
      return dir;
    }
    const ARGS = ['--reports', 'reports', '-i', 'inventory.csv', '-t', 'templates'];

    test('drift', async () => {
      const dir = reports();
      const run = await runAsNobody(['drift', ...ARGS, '--json'], { cwd: dir });
      assert.equal(run.code, 1, run.stderr);
      errLines(run);
      const phones = (
        JSON.parse(run.stdout) as { phones: { device: string; status: string; error?: string }[] }
      ).phones;
      const byId = new Map(phones.map((p) => [p.device, p]));
      assert.equal(
        byId.get('00562b043616')?.error,
        'cannot read report reports/00562b043616.xml: permission denied',
      );
      assert.equal(
        byId.get('00562b043617')?.error,
        'cannot read report reports/00562b043617: permission denied',
      );
      // The others were compared.
      assert.equal(byId.get('00562b043615')?.status, 'in-sync');
      assert.equal(byId.get('00562b043619')?.status, 'error');
      assert.doesNotMatch(byId.get('00562b043619')?.error ?? '', /cannot read/);
    });

    test('fleet', async () => {
      const dir = reports();
      const log = join(dir, 'access.log');
      cpSync(join(ROOT, 'test/fixtures/fleet/access.log'), log);
      chmodSync(log, 0o644);
      const run = await runAsNobody(['fleet', '--log', log, ...ARGS], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      errLines(run);
      assert.match(run.stdout, /^<!DOCTYPE html>/);
      assert.match(run.stdout, /cannot read report reports\/00562b043616\.xml: permission denied/);
    });
  },
);

describe(
  'serve: what it cannot read or write stops start-up with one line, exit 3',
  { skip },
  () => {
    const SITE = ['-i', join(ROOT, 'examples/inventory.csv'), '--port', '0'];
    const serve = (args: string[]): Promise<CliRun> =>
      runAsNobody(['serve', ...SITE, ...args], { stopAfterMs: 15_000 });

    test('--reports: a directory it may not write', async () => {
      const dir = dirOf(0o755);
      const run = await serve(['-t', join(ROOT, 'templates'), '--reports', dir]);
      assert.equal(run.code, 3, run.stderr);
      assert.match(errLines(run)[0]!, /^cisco-prov: cannot use --reports .*: permission denied$/);
      assert.doesNotMatch(run.stderr, /listening/);
    });

    test('--access-log: a file it may not create', async () => {
      const log = join(dirOf(0o755), 'access.log');
      const run = await serve(['-t', join(ROOT, 'templates'), '--access-log', log]);
      assert.equal(run.code, 3, run.stderr);
      assert.equal(
        errLines(run)[0],
        `cisco-prov: cannot open --access-log ${log}: permission denied`,
      );
    });

    test('a template it may not read', async () => {
      const templates = dirOf(0o755);
      cpSync(join(ROOT, 'templates'), templates, { recursive: true });
      spawnSync('chmod', ['-R', 'a+rX', templates]);
      const hidden = join(
        templates,
        readdirSync(templates).find((n) => n.endsWith('.liquid'))!,
      );
      chmodSync(hidden, 0o600);
      const run = await serve(['-t', templates]);
      assert.equal(run.code, 3, run.stderr);
      assert.equal(
        errLines(run)[0],
        `cisco-prov: cannot read template ${hidden}: permission denied`,
      );
    });

    test('a template directory it may not list', async () => {
      const templates = dirOf(0o755);
      cpSync(join(ROOT, 'templates'), templates, { recursive: true });
      spawnSync('chmod', ['-R', 'a+rX', templates]);
      chmodSync(join(templates, 'partials'), 0o700);
      const run = await serve(['-t', templates]);
      assert.equal(run.code, 3, run.stderr);
      assert.equal(
        errLines(run)[0],
        `cisco-prov: cannot read template ${join(templates, 'partials')}: permission denied`,
      );
    });
  },
);

describe('serve and fetch warn of a key or password file other users can read', () => {
  /** A secret file of mode 0644 in a temp directory of its own. */
  function exposed(text: string): { dir: string; file: string } {
    const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-follow4b-'));
    const file = join(dir, 'secret.txt');
    writeFileSync(file, `${text}\n`);
    chmodSync(file, 0o644);
    return { dir, file };
  }
  const EXPOSED =
    /^cisco-prov: warning: --(key|ikm|pwd)-file .*secret\.txt can be read by every user \(mode 0644\).*chmod 600 it$/m;

  for (const flag of ['--key-file', '--ikm-file']) {
    test(`serve ${flag}`, async () => {
      const { dir, file } = exposed(
        flag === '--key-file' ? 'correct-horse' : 'base64url:BO3ZVPxUlnLORbVGMpbT1Q',
      );
      try {
        // A --reports path that is a file stops start-up (exit 3) after the warnings.
        const notDir = join(dir, 'reports');
        writeFileSync(notDir, '');
        const run = await runCli([
          'serve',
          '-i',
          join(ROOT, 'examples/inventory.csv'),
          '--port',
          '0',
          flag,
          file,
          '--reports',
          notDir,
        ]);
        assert.equal(run.code, 3, run.stderr);
        assert.match(run.stderr, EXPOSED);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('fetch --pwd-file: on stderr, not in --json', async () => {
    const { dir, file } = exposed('s3cret');
    try {
      // Nothing listens on port 1: outcome C, exit 1, after the warnings.
      const run = await runCli([
        'fetch',
        '[--uid admin]http://127.0.0.1:1/$MA.xml',
        '--ua',
        'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
        '--pwd-file',
        file,
        '--timeout',
        '5',
        '--json',
      ]);
      assert.match(run.stderr, EXPOSED);
      assert.doesNotMatch(run.stdout, /secret\.txt/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
