// File names that are not UTF-8 (a Latin-1 `café.xml` copied from an old Windows or Samba share:
// the bytes `caf\xe9.xml`). Node's default listing turns the 0xE9 into U+FFFD, a name that
// exists nowhere, so such a file failed with "no such file or directory". Now it is read and
// written by its bytes and shown escaped (`caf\xe9.xml`). The names are made with Buffer paths
// in a temp directory; a file system that refuses them skips these tests, saying so.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { bytePath, refusesByteNames } from '../helpers/byte-names.js';

const base = mkdtempSync(join(tmpdir(), 'cisco-prov-names6-'));
after(() => rmSync(base, { recursive: true, force: true }));

const skip = refusesByteNames(base);

const VALID = '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n</flat-profile>\n';
const BAD = '<flat-profile>\n  <Bogus_Param_X_>1</Bogus_Param_X_>\n</flat-profile>\n';
const KEY = ['--key-env', 'NAMES6_KEY'];
const env = { NAMES6_KEY: 'correct-horse-battery' };

/** A fresh directory under the temp dir. */
function freshDir(name: string): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The names in `dir` as Latin-1 text (each byte one character), sorted. */
function namesIn(dir: string | Buffer): string[] {
  return readdirSync(dir, { encoding: 'buffer' })
    .map((n) => n.toString('latin1'))
    .sort();
}

describe('validate <dir> with a file name that is not UTF-8', { skip }, () => {
  test('this thread: the file is checked, its name shown escaped (no "no such file")', async () => {
    const dir = freshDir('v1');
    writeFileSync(join(dir, 'ok.xml'), VALID);
    writeFileSync(bytePath(dir, 'caf\xe9.xml'), BAD);
    mkdirSync(bytePath(dir, 'd\xe9r'));
    writeFileSync(bytePath(dir, 'd\xe9r/x\xff.xml'), BAD);
    const r = await runCli(['validate', dir], { env: { CISCO_PROV_VALIDATE_JOBS: '1' } });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr + r.stdout, /no such file/);
    assert.match(r.stdout, /v1\/caf\\xe9\.xml\n.*unknown-parameter/);
    assert.match(r.stdout, /v1\/d\\xe9r\/x\\xff\.xml\n.*unknown-parameter/);
    const json = await runCli(['validate', '--format', 'json', dir], {
      env: { CISCO_PROV_VALIDATE_JOBS: '1' },
    });
    assert.match(json.stdout, /"file": ?"[^"]*v1\/caf\\\\xe9\.xml"/);
  });

  test('worker threads (70 files): the same', async () => {
    const dir = freshDir('v2');
    for (let i = 0; i < 70; i++) writeFileSync(join(dir, `f${i}.xml`), VALID);
    writeFileSync(bytePath(dir, 'caf\xe9.xml'), BAD);
    const r = await runCli(['validate', dir], { env: { CISCO_PROV_VALIDATE_JOBS: '2' } });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr + r.stdout, /no such file/);
    assert.match(r.stdout, /v2\/caf\\xe9\.xml\n.*unknown-parameter/);
  });
});

describe('encrypt/decrypt <dir> --out-dir with a file name that is not UTF-8', { skip }, () => {
  test('the output keeps the bytes (.cfg, then .xml back); --json gives them in hex', async () => {
    const dir = freshDir('b1/in');
    writeFileSync(bytePath(dir, 'caf\xe9.xml'), VALID);
    writeFileSync(join(dir, 'ok.xml'), VALID);
    mkdirSync(bytePath(dir, 'd\xe9r'));
    writeFileSync(bytePath(dir, 'd\xe9r/x\xff.xml'), VALID);
    const enc = join(base, 'b1/enc');
    const e = await runCli(['encrypt', dir, '--out-dir', enc, ...KEY], { env });
    assert.equal(e.code, 0, e.stderr);
    assert.deepEqual(namesIn(enc), ['caf\xe9.cfg', 'd\xe9r', 'ok.cfg']);
    assert.deepEqual(namesIn(bytePath(enc, 'd\xe9r')), ['x\xff.cfg']);
    const dec = join(base, 'b1/dec');
    const d = await runCli(['decrypt', enc, '--out-dir', dec, ...KEY, '--json'], { env });
    assert.equal(d.code, 0, d.stderr);
    assert.equal(readFileSync(bytePath(dec, 'caf\xe9.xml'), 'utf8'), VALID);
    assert.equal(readFileSync(bytePath(dec, 'd\xe9r/x\xff.xml'), 'utf8'), VALID);
    const report = JSON.parse(d.stdout) as {
      files: { input: string; output: string; inputBytes?: string; outputBytes?: string }[];
    };
    const cafe = report.files.find((f) => f.input.endsWith('caf\\xe9.cfg'));
    assert.ok(cafe, d.stdout);
    assert.match(cafe.output, /caf\\xe9\.xml$/);
    assert.equal(
      Buffer.from(cafe.outputBytes ?? '', 'hex').toString('latin1'),
      `${dec}/caf\xe9.xml`,
    );
    const ok = report.files.find((f) => f.input.endsWith('ok.cfg'));
    assert.equal(ok?.inputBytes, undefined);
  });

  test('worker threads (130 files, --jobs 2): the same', async () => {
    const dir = freshDir('b2/in');
    for (let i = 0; i < 130; i++) writeFileSync(join(dir, `f${i}.xml`), VALID);
    writeFileSync(bytePath(dir, 'caf\xe9.xml'), VALID);
    const out = join(base, 'b2/out');
    const r = await runCli(['encrypt', dir, '--out-dir', out, '--jobs', '2', ...KEY], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(namesIn(out).includes('caf\xe9.cfg'));
    assert.equal(namesIn(out).length, 131);
  });

  test('a stale temp file named in bytes is swept from the output directory', async () => {
    const dir = freshDir('b3/in');
    writeFileSync(join(dir, 'a.xml'), VALID);
    const out = freshDir('b3/out');
    // A temp file of a process that no longer runs (pid 2147483646), as a killed run leaves.
    const stale = '.caf\xe9.cfg.cp2147483646-0abc1234a.tmp';
    writeFileSync(bytePath(out, stale), 'half');
    const r = await runCli(['encrypt', dir, '--out-dir', out, ...KEY], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(namesIn(out), ['a.cfg']);
  });
});

describe('drift --reports <dir> with a report name that is not UTF-8', { skip }, () => {
  test('the latest report is read by its bytes (not dropped for an older one)', async () => {
    const out = join(base, 'd1/out');
    const rendered = await runCli([
      'render',
      '--inventory',
      join(ROOT, 'examples/inventory.csv'),
      '--template',
      join(ROOT, 'templates'),
      '--out',
      out,
    ]);
    assert.equal(rendered.code, 0, rendered.stderr);
    const reports = freshDir('d1/reports');
    // The phone's older report matches what is rendered; its newer one, named in Latin-1, drifts.
    const older = join(reports, '00562b043615.xml');
    writeFileSync(older, readFileSync(join(out, '00562b043615.xml')));
    utimesSync(older, new Date('2020-01-01'), new Date('2020-01-01'));
    writeFileSync(
      bytePath(reports, '00562b043615-r\xe9.xml'),
      '<flat-profile><Station_Name>Changed</Station_Name></flat-profile>',
    );
    const r = await runCli([
      'drift',
      '--reports',
      reports,
      '-i',
      join(ROOT, 'examples/inventory.csv'),
      '-t',
      join(ROOT, 'templates'),
      '--json',
    ]);
    assert.doesNotMatch(r.stderr, /no such file/);
    const report = JSON.parse(r.stdout) as {
      phones: { device: string; status: string; report: string }[];
    };
    const phone = report.phones.find((p) => p.device === '00562b043615');
    assert.equal(phone?.status, 'drift', r.stdout);
    assert.match(phone.report, /00562b043615-r\\xe9\.xml$/);
  });
});
