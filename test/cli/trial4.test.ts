/**
 * trial4: serve, fetch, rule, drift, fleet, inspect, validate, param and models driven as an
 * admin and as an attacker would, spawned as a user runs them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { startServer, type Handler, type TestServer } from '../helpers/http-server.js';

// Seed excerpt: "User-Agent: Cisco-CP-8841-3PCC/11.0 (00562b043615)".
const UA = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';
const PROFILE = '<flat-profile><Station_Name>Front desk</Station_Name></flat-profile>\n';

let server: TestServer;
let handler: Handler = (_req, res) => res.end();
let dir: string;

before(async () => {
  server = await startServer((req, res, body) => handler(req, res, body));
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-trial4-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('fetch: a redirect whose Location carries user:password@ never shows the password', async () => {
  handler = (req, res) => {
    if (req.url === '/old.xml') {
      res.writeHead(302, { Location: `http://admin:hunter2@127.0.0.1:${server.port}/new.xml` });
      res.end();
    } else res.end(PROFILE);
  };
  for (const json of [false, true]) {
    const run = await runCli([
      'fetch',
      `http://127.0.0.1:${server.port}/old.xml`,
      '--ua',
      UA,
      ...(json ? ['--json'] : []),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /hunter2/);
    assert.match(run.stdout, /http:\/\/\*+@127\.0\.0\.1:\d+\/new\.xml/);
  }
});

test('inspect --log and fleet: an absolute-form target with user:password@ is shown masked', async () => {
  // What a phone behind an HTTP proxy sends, as nginx logs it ($request).
  const log = join(dir, 'absolute-form.log');
  writeFileSync(
    log,
    `10.0.0.5 - - [01/Dec/2026:02:00:00 +0000] "GET http://u:hunter2@prov.example.com/00562b043615.xml HTTP/1.1" 200 100 "-" "${UA}"\n`,
  );
  const masked = /http:\/\/\*+@prov\.example\.com\/00562b043615\.xml/;
  for (const format of ['table', 'csv', 'json']) {
    const run = await runCli(['inspect', '--log', log, '--format', format]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /hunter2/, format);
    // The table cuts long paths short.
    assert.match(run.stdout, format === 'table' ? /http:\/\/\*+@prov/ : masked, format);
  }
  const page = join(dir, 'fleet.html');
  const fleet = await runCli(['fleet', '--log', log, '-o', page]);
  assert.equal(fleet.code, 0, fleet.stderr);
  const html = readFileSync(page, 'utf8');
  assert.doesNotMatch(html, /hunter2/);
  assert.match(html, masked);
});

test('param: a web-page label finds its parameter (Cisco: spaces and [ ] ( ) / become _)', async () => {
  // Reference §1: "Dial Plan [1]" → Dial_Plan_1_, "Resync At (HHmm)" → Resync_At__HHmm_.
  for (const [label, name] of [
    ['Dial Plan [1]', 'Dial_Plan_{n}_'],
    ['Resync At (HHmm)', 'Resync_At__HHmm_'],
  ]) {
    const run = await runCli(['param', label!, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { matches: { name: string }[] };
    assert.deepEqual(
      result.matches.map((m) => m.name),
      [name],
    );
  }
});

test('validate: a cut gzip profile is named corrupt gzip, not "bad decrypt" with a key hint', async () => {
  const gz = execFileSync('gzip', ['-c'], { input: PROFILE });
  const cut = join(dir, 'cut.xml.gz');
  writeFileSync(cut, gz.subarray(0, gz.length - 6)); // the CRC and length trailer missing
  const run = await runCli(['validate', cut, '-f', 'json']);
  assert.equal(run.code, 1, run.stderr);
  const [file] = JSON.parse(run.stdout) as { diagnostics: { ruleId: string; message: string }[] }[];
  assert.deepEqual(
    file!.diagnostics.map((d) => [d.ruleId, d.message]),
    [['unreadable-profile', 'corrupt or truncated gzip (not encrypted)']],
  );
});

test('inspect --log and fleet read a UTF-16LE log with its byte-order mark (Windows "Unicode")', async () => {
  const line = `10.0.0.5 - - [01/Dec/2026:02:00:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 100 "-" "${UA}"\r\n`;
  const log = join(dir, 'utf16.log');
  writeFileSync(
    log,
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line + line, 'utf16le')]),
  );
  const run = await runCli(['inspect', '--log', log, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { lines: { phone: number }; phones: { key: string }[] };
  assert.equal(summary.lines.phone, 2);
  assert.deepEqual(
    summary.phones.map((p) => p.key),
    ['00562b043615'],
  );
  const fleet = await runCli(['fleet', '--log', log, '-o', join(dir, 'utf16.html')]);
  assert.equal(fleet.code, 0, fleet.stderr);
  assert.match(readFileSync(join(dir, 'utf16.html'), 'utf8'), /00562b043615/);
});

/** drift over a reports directory `name` holding `profile` as the 8841's report (the drift fixtures). */
async function driftOnReport(profile: string, name: string, extra: string[] = []) {
  const fixtures = join(ROOT, 'test/fixtures/drift');
  const reports = join(dir, name);
  mkdirSync(reports);
  writeFileSync(join(reports, '00562b043615.xml'), profile);
  return runCli(
    [
      'drift',
      '--reports',
      reports,
      '-i',
      join(fixtures, 'inventory.csv'),
      '-t',
      join(fixtures, 'templates'),
      ...extra,
    ],
    { cwd: dir },
  );
}

test('validate and drift: a bad & reference inside a password never quotes the password', async () => {
  // A password written with a raw '&' (my&secretpw;x): the reference error must not show it.
  const profile =
    '<flat-profile>\n<Station_Name>Reception</Station_Name>\n<Password_1_>my&secretpw;x</Password_1_>\n</flat-profile>\n';
  const file = join(dir, 'amp.xml');
  writeFileSync(file, profile);
  const run = await runCli(['validate', file, '-f', 'json']);
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stdout + run.stderr, /secretpw/);
  assert.match(run.stdout, /bad '&' reference in the value of Password_1_ \(not shown: a secret/);
  // The same file as a phone's report, read by drift (another reader).
  for (const json of [false, true]) {
    const drift = await driftOnReport(profile, `amp-reports-${json}`, json ? ['--json'] : []);
    assert.equal(drift.code, 1, drift.stderr);
    assert.doesNotMatch(drift.stdout + drift.stderr, /secretpw/);
    assert.match(
      drift.stdout,
      // validate's words (one XML gate for every reader: gaps6).
      /bad '&' reference in the value of Password_1_ \(not shown: a secret/,
    );
  }
});

test('validate and drift: a raw < inside a password never shows the piece after it', async () => {
  for (const [i, value] of [
    'a<bsecret>c',
    'a</bsecret>c',
    'a<bsecret>c</x',
    'a<bsecret>c</bsecret>', // well-formed: an element nested in the password
  ].entries()) {
    const profile = `<flat-profile>\n<Station_Name>Reception</Station_Name>\n<Password_1_>${value}</Password_1_>\n</flat-profile>\n`;
    const file = join(dir, `lt${i}.xml`);
    writeFileSync(file, profile);
    const run = await runCli(['validate', file, '-f', 'json']);
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /bsecret/, value);
    if (i < 2) assert.match(run.stdout, /inside the value of Password_1_ \(not shown: a secret/);
    if (i === 3)
      assert.match(run.stdout, /nested inside parameter Password_1_ \(not shown: a secret/);
    const drift = await driftOnReport(profile, `lt-reports${i}`);
    assert.equal(drift.code, 1, drift.stderr);
    assert.doesNotMatch(drift.stdout + drift.stderr, /bsecret/, value);
  }
});

test('rule expand --json: grammar errors are JSON on stdout (as rule check --json), exit 1', async () => {
  const run = await runCli(['rule', 'expand', '/$()', '--mac', '00562b043615', '--json']);
  assert.equal(run.code, 1, run.stderr);
  const check = await runCli(['rule', 'check', '/$()', '--json']);
  assert.deepEqual(JSON.parse(run.stdout), JSON.parse(check.stdout));
  assert.equal((JSON.parse(run.stdout) as { errorCount: number }[])[0]!.errorCount, 1);
});

test('validate: gzip(openssl enc(xml)), the wrong order, is named as such', async () => {
  // Reference §3: gzip first, then encrypt; here the encrypted file was gzipped afterwards.
  const encrypted = execFileSync(
    'openssl',
    ['enc', '-aes-256-cbc', '-md', 'md5', '-k', 'pass1234'],
    {
      input: PROFILE,
    },
  );
  const file = join(dir, 'wrong-order.cfg');
  writeFileSync(file, execFileSync('gzip', ['-c'], { input: encrypted }));
  const run = await runCli(['validate', file, '-f', 'json']);
  assert.equal(run.code, 1, run.stderr);
  const [result] = JSON.parse(run.stdout) as {
    diagnostics: { ruleId: string; message: string }[];
  }[];
  assert.deepEqual(
    result!.diagnostics.map((d) => d.ruleId),
    ['unreadable-profile'],
  );
  assert.match(result!.diagnostics[0]!.message, /not gzip\(encrypt\(xml\)\)/);
});

test('inspect: a User-Agent list saved with a UTF-8 byte-order mark reads its first line whole', async () => {
  const run = await runCli(['inspect', '--json'], { input: `\ufeff${UA}\n${UA}\n` });
  assert.equal(run.code, 0, run.stderr);
  const rows = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { userAgent: string; mac: string });
  assert.deepEqual(
    rows.map((r) => [r.userAgent, r.mac]),
    [
      [UA, '00562b043615'],
      [UA, '00562b043615'],
    ],
  );
});
