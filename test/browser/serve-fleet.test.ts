// /fleet on a running `cisco-prov serve --fleet`, fed by real requests with Cisco User-Agents
// (profiles fetched, an unknown phone, a report upload), loaded in the system Chromium through
// the server's own auth. Live: a phone that asks after the first load is there on reload.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { NO_CHROMIUM, findChromium } from '../helpers/browser.js';
import { BIN, ROOT } from '../helpers/run-cli.js';

const chromiumPath = findChromium();
const FIXTURES = join(ROOT, 'test/fixtures/drift');
const USER = 'prov';
const PASSWORD = 'phone-secret-pw';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

let dir: string;
let server: ChildProcess | undefined;
let base: string;
let browser: Browser;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function ask(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A phone's GET, with its User-Agent and the rule's --uid/--pwd answered at once. */
const phoneGet = (path: string, userAgent: string) =>
  ask('GET', path, { 'User-Agent': userAgent, Authorization: BASIC });

before(async () => {
  if (!chromiumPath) return;
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-serve-fleet-'));
  writeFileSync(join(dir, 'phones.auth'), `${USER}:${PASSWORD}\n`, { mode: 0o600 });
  server = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '-i',
      join(FIXTURES, 'inventory.csv'),
      '-t',
      join(FIXTURES, 'templates'),
      '--no-bootstrap',
      '--port',
      '0',
      '--auth-file',
      join(dir, 'phones.auth'),
      '--reports',
      join(dir, 'reports'),
      '--fleet',
      '--no-watch',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  base = await new Promise<string>((resolve, reject) => {
    let err = '';
    server!.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    server!.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  // Real requests, as phones make them.
  const answers = [
    await phoneGet('/00562b043615.xml', 'Cisco-CP-8841-3PCC/11.0 (00562b043615)'),
    await phoneGet('/00562b043616.xml', 'Cisco-CP-8851-3PCC/11.3.7 (00562b043616)'),
    await phoneGet('/00562b043699.xml', 'Cisco-CP-6841-3PCC/12.0.1 (00562b043699)'),
    await ask('GET', '/00562b043617.xml', {
      'User-Agent': 'Cisco-CP-6841-3PCC/12.0.1 (00562b043617)',
    }),
  ];
  assert.deepEqual(
    answers.map((a) => a.status),
    [200, 200, 404, 401],
  );
  // 00562b043616 uploads its configuration (Report_Rule): five known differences.
  const report = await ask(
    'POST',
    '/00562b043616.xml',
    {
      'User-Agent': 'Cisco-CP-8851-3PCC/11.3.7 (00562b043616)',
      Authorization: BASIC,
      'Content-Type': 'text/xml',
    },
    readFileSync(join(FIXTURES, 'reports/00562b043616.xml'), 'utf8'),
  );
  assert.ok(report.status < 300, `report upload: ${report.status} ${report.body}`);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('serve --fleet: /fleet in Chromium', { skip: chromiumPath ? false : NO_CHROMIUM }, () => {
  test('/fleet needs the same auth as the profiles, and sends its CSP as a header', async () => {
    const anonymous = await ask('GET', '/fleet', {});
    assert.equal(anonymous.status, 401);
    const page = await ask('GET', '/fleet', { Authorization: BASIC });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /^default-src 'none'; /);
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.ok(!page.body.includes(PASSWORD));
  });

  test('every phone seen, with outcomes and drift; no request leaves the page; live', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: USER, password: PASSWORD },
    });
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}/fleet`);
    const rows = await page.$$eval('#phones tr.phone', (trs) =>
      trs.map((tr) => [
        tr.querySelector('button.toggle')?.textContent,
        tr.querySelector('td[data-label="Outcome"]')?.textContent,
        tr.querySelector('td[data-label="Drift"]')?.textContent,
      ]),
    );
    // 00562b043617 was refused (401, retrying at once): a row with no outcome yet.
    assert.deepEqual(rows, [
      ['00562b043617', '– 401', ''],
      ['00562b043699', 'B 404', ''],
      ['00562b043615', 'A 200', ''],
      ['00562b043616', 'A 200', '6'],
    ]);
    await page.check('#drifted');
    assert.equal(await page.textContent('#shown'), '1 of 4 phones shown');
    assert.deepEqual(requests, [`${base}/fleet`]);
    assert.deepEqual(problems, []);

    // A phone that asks now is on the page when it is loaded again.
    await phoneGet('/00562b043618.xml', 'Cisco-CP-7861-3PCC/12.0.1 (00562b043618)');
    await page.reload();
    assert.equal(await page.locator('#phones tr.phone').count(), 5);
    await context.close();
  });
});
