/**
 * `cisco-prov validate`, spawned as a user runs it: exit codes 0/1/2/3, --strict,
 * --ignore-rule, --format json, stdin, a directory, encrypted input, many files through the
 * worker threads, and golden Markdown of whole runs (UPDATE_SNAPSHOTS=1 to refresh).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { assertGolden } from '../helpers/golden.js';
import { runCli, runCliShared, type CliRun } from '../helpers/run-cli.js';

const CATALOG = 'test/fixtures/profiles/catalog.json';
const GOOD = 'test/fixtures/profiles/good/full.xml';
const BAD = 'test/fixtures/profiles/bad';

function validate(args: string[], input?: string | Uint8Array): Promise<CliRun> {
  return runCli(['validate', '--catalog', CATALOG, ...args], input === undefined ? {} : { input });
}

/** Compares a run with its golden file (the one helper: a missing golden fails). */
const golden = assertGolden;

test('a clean profile: exit 0, no output', async () => {
  const r = await validate(['--model', '8841', GOOD]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, '');
  assert.equal(r.code, 0);
});

test('errors: exit 1, stylish output (golden)', async () => {
  const args = [
    'validate',
    '--catalog',
    CATALOG,
    `${BAD}/invalid-ua.xml`,
    `${BAD}/rule-syntax.xml`,
  ];
  const r = await runCli(args);
  assert.equal(r.code, 1);
  golden('validate-cli-errors.md', args, r);
});

test('--format json (golden), clean files included', async () => {
  const args = [
    'validate',
    '--catalog',
    CATALOG,
    '--format',
    'json',
    GOOD,
    `${BAD}/invalid-ua.xml`,
  ];
  const r = await runCli(args);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as { file: string; errorCount: number }[];
  assert.deepEqual(
    report.map((e) => [e.file, e.errorCount]),
    [
      [GOOD, 0],
      [`${BAD}/invalid-ua.xml`, 1],
    ],
  );
  golden('validate-cli-json.md', args, r);
});

test('warnings only: exit 0; with --strict exit 1', async () => {
  const file = `${BAD}/plaintext-secret.xml`;
  const plain = await validate([file]);
  assert.equal(plain.code, 0);
  assert.match(plain.stdout, /warning {2}Admin_Passwd holds a secret/);
  assert.doesNotMatch(plain.stdout, /hunter2/);
  const strict = await validate(['--strict', file]);
  assert.equal(strict.code, 1);
});

test('--ignore-rule drops a rule (repeatable); an unknown id is a usage error', async () => {
  const r = await validate([
    '--ignore-rule',
    'invalid-ua',
    '--ignore-rule',
    'rule-syntax',
    `${BAD}/invalid-ua.xml`,
    `${BAD}/rule-syntax.xml`,
  ]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  const listed = await validate([
    '--ignore-rule',
    'invalid-ua,rule-syntax',
    `${BAD}/invalid-ua.xml`,
    `${BAD}/rule-syntax.xml`,
  ]);
  assert.equal(listed.code, 0);
  const bad = await validate(['--ignore-rule', 'no-such-rule', GOOD]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown rule id 'no-such-rule'/);
});

test('stdin with -', async () => {
  const r = await validate(
    ['-'],
    '<flat-profile><Station_Name ua="x">a</Station_Name></flat-profile>',
  );
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^<stdin>$/m);
  assert.match(r.stdout, /1:33 {2}error {2}ua="x"/);
});

test('a directory means every profile in it', async () => {
  const r = await validate(['--format', 'json', BAD]);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as { file: string }[];
  assert.equal(report.length, 23);
  assert.ok(report.every((e) => e.file.startsWith(`${BAD}/`)));
});

test('a missing file: one line on stderr, exit 3', async () => {
  const r = await validate(['no/such/profile.xml']);
  assert.equal(r.code, 3);
  assert.equal(
    r.stderr,
    'cisco-prov: cannot read no/such/profile.xml: no such file or directory\n',
  );
});

test('usage errors exit 2: no input, unknown model, unknown format', async () => {
  assert.equal((await runCli(['validate'])).code, 2);
  const model = await validate(['--model', '9999', GOOD]);
  assert.equal(model.code, 2);
  assert.match(model.stderr, /unknown model '9999'/);
  assert.equal((await validate(['--format', 'xml', GOOD])).code, 2);
});

test('encrypted profiles: decrypted with the key, bad decrypt otherwise, no plaintext-secret', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-validate-'));
  try {
    const xml = join(dir, 'p.xml');
    const cfg = join(dir, 'p.cfg');
    writeFileSync(
      xml,
      '<flat-profile><Admin_Passwd>hunter2</Admin_Passwd><Station_Name ua="x">a</Station_Name></flat-profile>\n',
    );
    const enc = await runCli(['encrypt', '--gzip', '--key-env', 'K', xml, '-o', cfg], {
      env: { K: 'right-key' },
    });
    assert.equal(enc.code, 0, enc.stderr);
    const ok = await runCli(['validate', '--catalog', CATALOG, '--key-env', 'K', cfg], {
      env: { K: 'right-key' },
    });
    assert.equal(ok.code, 1);
    assert.match(ok.stdout, /invalid-ua/);
    assert.doesNotMatch(ok.stdout, /plaintext-secret/);
    const wrong = await runCli(['validate', '--key-env', 'K', cfg], { env: { K: 'wrong-key' } });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stdout, /1:1 {2}error {2}bad decrypt {2}unreadable-profile/);
    assert.doesNotMatch(wrong.stdout + wrong.stderr, /wrong-key|right-key/);
    const none = await runCli(['validate', cfg]);
    assert.match(none.stdout, /no key given/);
    const gz = join(dir, 'p.xml.gz');
    writeFileSync(gz, gzipSync(readFileSync(xml)));
    const gzipped = await validate(['--format', 'json', gz]);
    const [gzReport] = JSON.parse(gzipped.stdout) as { diagnostics: { ruleId: string }[] }[];
    assert.deepEqual(
      gzReport?.diagnostics.map((d) => d.ruleId),
      ['plaintext-secret', 'invalid-ua'],
    );
    const ece = join(dir, 'p.ece');
    const sealed = await runCli(
      ['encrypt', '--cipher', 'aes128gcm', '--ikm-env', 'I', xml, '-o', ece],
      {
        env: { I: 'ikm-text' },
      },
    );
    assert.equal(sealed.code, 0, sealed.stderr);
    const gcm = await runCli(['validate', '--catalog', CATALOG, '--ikm-env', 'I', ece], {
      env: { I: 'ikm-text' },
    });
    assert.match(gcm.stdout, /invalid-ua/);
    const noIkm = await validate([ece]);
    assert.equal(noIkm.code, 1);
    assert.match(noIkm.stdout, /1:1 {2}error {2}not XML, gzip or OpenSSL enc.*unreadable-profile/);
    assert.doesNotMatch(gcm.stdout, /plaintext-secret/);
    const argv = await runCli(['validate', '--catalog', CATALOG, '--key', 'right-key', cfg]);
    assert.match(argv.stderr, /visible to other users in 'ps'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('many files go through the worker threads and come back in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-validate-many-'));
  try {
    mkdirSync(join(dir, 'p'));
    for (let i = 0; i < 150; i++) {
      const ua = i % 50 === 7 ? 'bad' : 'na';
      writeFileSync(
        join(dir, 'p', `${String(i).padStart(3, '0')}.xml`),
        `<flat-profile><Station_Name ua="${ua}">n${i}</Station_Name></flat-profile>\n`,
      );
    }
    const r = await validate(['--format', 'json', join(dir, 'p')]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { file: string; errorCount: number }[];
    assert.equal(report.length, 150);
    assert.deepEqual(
      report.map((e) => e.file),
      [...report.map((e) => e.file)].sort(),
    );
    assert.deepEqual(
      report.filter((e) => e.errorCount > 0).map((e) => e.file.slice(-7)),
      ['007.xml', '057.xml', '107.xml'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--help lists every rule id and the exit codes', async () => {
  const r = await runCliShared(['validate', '--help']);
  assert.equal(r.code, 0);
  const { RULE_IDS } = await import('../../src/validate/rule-ids.js');
  for (const id of RULE_IDS) assert.match(r.stdout, new RegExp(`^  ${id} `, 'm'), id);
  assert.match(r.stdout, /Exit codes:\n {2}0 {2}no errors/);
});

test('a directory with a symlink loop is walked once; a directory without profiles is a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-validate-loop-'));
  try {
    mkdirSync(join(dir, 'a'));
    writeFileSync(
      join(dir, 'a', 'p.xml'),
      '<flat-profile><Station_Name>x</Station_Name></flat-profile>\n',
    );
    symlinkSync(dir, join(dir, 'a', 'loop'));
    const r = await validate(['--format', 'json', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as unknown[]).length, 1);
    mkdirSync(join(dir, 'empty'));
    const empty = await validate([join(dir, 'empty')]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no profiles in this directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an AES-256-CBC profile made by openssl whose XML is broken: the XML error, not "bad decrypt"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-validate-cbc-'));
  try {
    const plain = join(dir, 'bad.xml');
    const cfg = join(dir, 'bad.cfg');
    writeFileSync(
      plain,
      '<flat-profile>\n<Station_Name>x</Station_Name>\n<Bad>\n</flat-profile>\n',
    );
    execFileSync('openssl', [
      'enc',
      '-aes-256-cbc',
      '-md',
      'md5',
      '-pass',
      'pass:s3cret-pass',
      '-in',
      plain,
      '-out',
      cfg,
    ]);
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, 's3cret-pass\n');
    const r = await validate(['--key-file', keyFile, cfg]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /xml-well-formed/);
    assert.doesNotMatch(r.stdout + r.stderr, /bad decrypt|s3cret-pass/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--md: an AES-256-CBC profile from openssl enc opens with its digest only (md5, then sha256 without it) [open, reference §3]', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-validate-md-'));
  try {
    const plain = join(dir, 'p.xml');
    writeFileSync(plain, '<flat-profile>\n<Station_Name>Desk</Station_Name>\n</flat-profile>\n');
    const sealed = (md: string) => {
      const cfg = join(dir, `${md}.cfg`);
      execFileSync('openssl', [
        'enc',
        '-aes-256-cbc',
        '-md',
        md,
        '-pass',
        'pass:k-1',
        '-in',
        plain,
        '-out',
        cfg,
      ]);
      return cfg;
    };
    const md5 = sealed('md5');
    const sha256 = sealed('sha256');
    const key = ['--key-env', 'K'];
    const env = { K: 'k-1' };
    for (const [args, file, code] of [
      [[], md5, 0],
      [[], sha256, 0],
      [['--md', 'md5'], md5, 0],
      [['--md', 'md5'], sha256, 1],
      [['--md', 'sha256'], sha256, 0],
      [['--md', 'sha256'], md5, 1],
    ] as const) {
      const r = await runCli(['validate', ...key, ...args, file], { env });
      assert.equal(r.code, code, `${args.join(' ')} ${file}: ${r.stdout}${r.stderr}`);
      if (code === 1) assert.match(r.stdout, /unreadable-profile/);
    }
    const bad = await runCli(['validate', ...key, '--md', 'sha1', md5], { env });
    assert.equal(bad.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a --catalog that is not JSON: one line with its line and column, no quoted text, exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-catalog-json-'));
  try {
    // a missing comma on line 3; and a bare word (a default typed without quotes) that V8
    // would quote back with the text around it
    const comma = join(dir, 'comma.json');
    writeFileSync(
      comma,
      '{"parameters": [\n  {"name": "Site_Code", "type": "free"}\n  {"name": "X"}\n]}\n',
    );
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, '[{"name": "X", "type": "free", "default": SuperSecret1}]');
    const r1 = await runCli(['validate', '--catalog', comma, GOOD]);
    assert.equal(r1.code, 2);
    assert.equal(
      r1.stderr,
      `cisco-prov: --catalog ${comma}: line 3, col 3: not valid JSON (expected ',' or ']' after array element)\n`,
    );
    const r2 = await runCli(['validate', '--catalog', bare, GOOD]);
    assert.equal(r2.code, 2);
    assert.equal(r2.stderr.split('\n').length, 2, r2.stderr);
    assert.match(r2.stderr, /^cisco-prov: --catalog .*bare\.json: .*not valid JSON \(unexpected/);
    assert.doesNotMatch(r2.stderr, /SuperSecret1|at position/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--empty-values: accept (the default, an [open] question) or warn; strict makes warn fail', async () => {
  // Reference §1 [open]: "<GPP_A></GPP_A> and <GPP_A/> set an empty value" against "an empty
  // value resets to default"; <X ua="rw"/> changes access only and is never reported.
  const file = `${BAD}/empty-value.xml`;
  const accepted = await validate([file]);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.equal(accepted.stdout, '');
  const explicit = await validate(['--empty-values', 'accept', file]);
  assert.equal(explicit.stdout, '');
  const warned = await validate(['--empty-values', 'warn', '--format', 'json', file]);
  assert.equal(warned.code, 0, warned.stderr);
  const [report] = JSON.parse(warned.stdout) as {
    warningCount: number;
    diagnostics: { ruleId: string; line: number; message: string }[];
  }[];
  assert.deepEqual(
    report!.diagnostics.map((d) => [d.ruleId, d.line]),
    [
      ['empty-value', 3],
      ['empty-value', 5],
    ],
  );
  assert.match(report!.diagnostics[0]!.message, /^GPP_A is empty: Cisco's guides disagree/);
  const strict = await validate(['--empty-values', 'warn', '--strict', file]);
  assert.equal(strict.code, 1);
  const ignored = await validate(['--empty-values', 'warn', '--ignore-rule', 'empty-value', file]);
  assert.equal(ignored.stdout, '');
  const bad = await validate(['--empty-values', 'error', file]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /'--empty-values <mode>' argument 'error' is invalid/);
});

test('--empty-values warn reaches the worker threads (64 files or more)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-empty-values-'));
  try {
    for (let i = 0; i < 70; i++) {
      writeFileSync(join(dir, `p${i}.xml`), '<flat-profile>\n  <GPP_A/>\n</flat-profile>\n');
    }
    const r = await validate(['--empty-values', 'warn', '--format', 'json', dir], undefined);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { warningCount: number }[];
    assert.equal(report.length, 70);
    assert.ok(report.every((f) => f.warningCount === 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
