// A second user trial, of the later commands (serve, fetch, rule, inspect, fleet, convert…) as
// telephony admins and attackers would use them: each test is a defect found that way, fixed,
// and kept from coming back. test/unit/usertrial2.test.ts checks the same in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, runCli } from '../helpers/run-cli.js';
import { httpRequest, startServe } from '../helpers/serve.js';

function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cp-usertrial2-${prefix}-`));
}

// A provisioning log where phones (or a careless rule) put credentials in the query string.
const SECRET_QUERY_LOG = [
  '127.0.0.1 - - [30/Nov/2026:08:52:32 +0000] "GET /00562b043615.xml?pwd=hunter2-pw&site=hq HTTP/1.1" 200 14 "-" "Cisco-CP-8841-3PCC/11.0 (00562b043615)"',
  '127.0.0.1 - - [30/Nov/2026:08:52:35 +0000] "GET /00562b043617.xml?Password_1_=s3cr3t-val&GPP_SA=sa-secret-val HTTP/1.1" 200 14 "-" "Cisco-CP-8841-3PCC/11.0 (00562b043617)"',
  '',
].join('\n');
const QUERY_SECRETS = /hunter2-pw|s3cr3t-val|sa-secret-val/;

test('inspect --log: a secret in a phone’s last query string is masked, in the table and in --json', async () => {
  const table = await runCli(['inspect', '--log', '-'], { input: SECRET_QUERY_LOG });
  assert.equal(table.code, 0, table.stderr);
  assert.doesNotMatch(table.stdout + table.stderr, QUERY_SECRETS);
  assert.match(table.stdout, /pwd=\*{8}/);
  const json = await runCli(['inspect', '--log', '-', '--json'], { input: SECRET_QUERY_LOG });
  assert.equal(json.code, 0, json.stderr);
  assert.doesNotMatch(json.stdout + json.stderr, QUERY_SECRETS);
  assert.match(json.stdout, /Password_1_=\*{8}&GPP_SA=\*{8}/);
});

test('fleet: the page holds no secret from a query string (the phone row’s last path too)', async () => {
  const dir = scratch('fleet');
  try {
    const page = join(dir, 'fleet.html');
    const run = await runCli(['fleet', '--log', '-', '-o', page], { input: SECRET_QUERY_LOG });
    assert.equal(run.code, 0, run.stderr);
    const html = readFileSync(page, 'utf8');
    assert.doesNotMatch(html, QUERY_SECRETS);
    assert.match(html, /00562b043615\.xml\?pwd=\*{8}&amp;site=hq/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve: the operator’s stderr line shows a path’s decoded C1 or bidi characters as escapes', async () => {
  const server = await startServe(['-i', 'examples/inventory.csv', '-t', 'templates']);
  try {
    // U+009B (a one-byte CSI on some terminals), U+202E (right-to-left override), U+2028.
    for (const path of ['/%C2%9B31m.xml', '/%E2%80%AE00562b043615.xml', '/x%E2%80%A8y.cfg']) {
      assert.equal((await httpRequest(server.port, path)).status, 404);
    }
    await server.waitForStderr(/404 GET \/x%E2%80%A8y\.cfg: [^\n]*\n/);
    const stderr = server.stderr();
    assert.doesNotMatch(stderr, /[\u0080-\u009f\u202a-\u202e\u2028\u2029]/);
    assert.match(stderr, /no route for \/\\x9b31m\.xml/);
    assert.match(stderr, /no route for \/\\u202e00562b043615\.xml/);
    assert.match(stderr, /no route for \/x\\u2028y\.cfg/);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('serve: a UTF-8 User-Agent is logged byte for byte as nginx escapes it, not encoded twice', async () => {
  const server = await startServe(['-i', 'examples/inventory.csv', '-t', 'templates']);
  try {
    // Node hands header bytes over one character per byte: "é" sent as UTF-8 is C3 A9.
    const utf8 = Buffer.from('Cisco-CP-8841-3PCC/11.0 (00562b043615) café', 'utf8');
    const res = await httpRequest(server.port, '/00562b043615.xml', {
      userAgent: utf8.toString('latin1'),
    });
    assert.equal(res.status, 200);
    await server.waitForStdout(/\(00562b043615\) caf/);
    assert.match(server.stdout(), /"Cisco-CP-8841-3PCC\/11\.0 \(00562b043615\) caf\\xC3\\xA9"\n/);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('rule check: a control character in the URL is exit 1 naming it and its column (rule expand shows it escaped)', async () => {
  const rule = 'http://prov.example.com/cfg/$MA\u001b[2J.cfg';
  const check = await runCli(['rule', 'check', rule]);
  assert.equal(check.code, 1, check.stdout + check.stderr);
  assert.match(check.stdout, /1:32 +error +control character U\+001B inside the URL +rule-syntax/);
  assert.equal((check.stdout + check.stderr).includes('\u001b'), false);
  const expand = await runCli([
    'rule',
    'expand',
    rule,
    '--ua',
    'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
    '--json',
  ]);
  assert.equal(expand.code, 0, expand.stdout + expand.stderr);
  const json = JSON.parse(expand.stdout) as { problems: string[] };
  assert.deepEqual(json.problems, ['control character U+001B inside the URL: left as written']);
});

test('rule expand and check: a substring macro in the server ($(SN:0:3).prov…) is no port', async () => {
  const rule = 'https://$(SN:0:3).prov.example.com/cfg/$MA.cfg';
  const check = await runCli(['rule', 'check', rule]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  const expand = await runCli([
    'rule',
    'expand',
    rule,
    '--ua',
    'Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)',
    '--mac',
    '00562b04361b',
    '--json',
  ]);
  assert.equal(expand.code, 0, expand.stdout + expand.stderr);
  const json = JSON.parse(expand.stdout) as { host: string; port: number; url: string };
  assert.equal(json.host, 'FCH.prov.example.com');
  assert.equal(json.port, 443);
  assert.equal(json.url, 'https://FCH.prov.example.com/cfg/00562b04361b.cfg');
});

test('convert, diff: a JSON array on stdin is named as JSON that is not an object of parameters', async () => {
  const convert = await runCli(['convert', '-', '--to', 'xml'], {
    input: '[{"Station_Name":"x"}]\n',
  });
  assert.equal(convert.code, 1, convert.stderr);
  assert.match(
    convert.stderr,
    /^cisco-prov: <stdin>: expected an object of parameters .*, got an array\n/,
  );
  const diff = await runCli(['diff', '-', 'test/fixtures/diff/old.xml'], { input: '  []' });
  assert.equal(diff.code, 2, diff.stderr);
  assert.match(diff.stderr, /<stdin>: expected an object of parameters .*, got an array/);
});
test('convert, diff: an empty input says it is empty, not that it might be aes128gcm', async () => {
  const convert = await runCli(['convert', '-', '--to', 'json'], { input: '' });
  assert.equal(convert.code, 1, convert.stderr);
  assert.equal(convert.stderr, 'cisco-prov: <stdin>: empty (no profile in it)\n');
  const diff = await runCli(['diff', 'test/fixtures/diff/old.xml', '-'], { input: '' });
  assert.equal(diff.code, 2, diff.stderr);
  assert.equal(diff.stderr, 'cisco-prov: <stdin>: empty (no profile in it)\n');
});

test('param: a pattern of stars (the ******** mask pasted from a diff) answers at once', () => {
  // Killed after 20 s: as a regular expression, eight stars and a miss backtracked for minutes.
  for (const pattern of ['********zz', `${'*'.repeat(40)}zzzz`, `${'*?'.repeat(20)}zz#`]) {
    const run = spawnSync(process.execPath, [BIN, 'param', pattern], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(run.status, 1, `${pattern}: ${run.signal ?? ''} ${run.stderr}`);
    assert.match(run.stderr, /^cisco-prov: no parameter matches /);
  }
});

test('serve --route with several fields in one segment: a long hostile path is answered at once, and so is the next phone', async () => {
  const dir = scratch('route');
  writeFileSync(
    join(dir, 'inv.csv'),
    'mac,model,display_name,region,site,floor,room\n00562b043615,8841,A,eu,new-york,3,a\n',
  );
  writeFileSync(
    join(dir, 't.liquid'),
    '<flat-profile><Station_Name>{{ display_name }}</Station_Name></flat-profile>\n',
  );
  const server = await startServe([
    '-i',
    join(dir, 'inv.csv'),
    '-t',
    join(dir, 't.liquid'),
    '--route',
    '/$(region)-$(site)-$(floor)-$(room)-$MA.xml',
  ]);
  try {
    const get = (path: string) =>
      fetch(`http://127.0.0.1:${server.port}${path}`, {
        headers: { 'User-Agent': 'Cisco-CP-8841-3PCC/11.0 (00562b043615)' },
        // As a regular expression the route backtracked for minutes on this path.
        signal: AbortSignal.timeout(20_000),
      });
    assert.equal((await get(`/${'-'.repeat(1000)}`)).status, 404);
    const ok = await get('/eu-new-york-3-a-00562b043615.xml');
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<Station_Name>A<\/Station_Name>/);
  } finally {
    // A server stuck in a match cannot run its SIGTERM handler.
    const killer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    await server.stop();
    clearTimeout(killer);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve --reports: a Report_Rule to /report.xml is stored for the phone its User-Agent names (the name is no serial)', async () => {
  const dir = scratch('reports');
  const reports = join(dir, 'reports');
  const server = await startServe([
    '-i',
    'examples/inventory.csv',
    '-t',
    'templates',
    '--reports',
    reports,
  ]);
  try {
    const body = Buffer.from(
      '<flat-profile><Station_Name>Reception</Station_Name></flat-profile>\n',
    );
    const upload = (path: string, userAgent: string) =>
      httpRequest(server.port, path, { method: 'POST', userAgent, body });
    // Cisco's guides write Report_Rule as http://server/<name>.xml as often as /$MA.xml.
    const named = await upload('/report.xml', 'Cisco-CP-8841-3PCC/11.0 (00562b043615)');
    assert.equal(named.status, 200, server.stderr());
    assert.equal(readdirSync(join(reports, '00562b043615')).length, 1);
    // A User-Agent of no known phone: still the path's 404.
    const stranger = await upload('/report.xml', 'Cisco-CP-8841-3PCC/11.0 (00562b043699)');
    assert.equal(stranger.status, 404);
    // A MAC in the path names the device: an unknown one is 404 whatever the User-Agent says.
    const otherMac = await upload('/00562b043699.xml', 'Cisco-CP-8841-3PCC/11.0 (00562b043615)');
    assert.equal(otherMac.status, 404);
    assert.equal(readdirSync(join(reports, '00562b043615')).length, 1);
  } finally {
    assert.equal(await server.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
