// The fleet page in a real browser (system Chromium via playwright-core): the static file from
// `cisco-prov fleet`, loaded from disk. Rows, outcomes, sorting, filtering, keyboard, narrow
// screens, and that the page makes no request and breaks no CSP rule.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { NO_CHROMIUM, findChromium } from '../helpers/browser.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const chromiumPath = findChromium();
let browser: Browser;
let dir: string;
let url: string;

before(async () => {
  if (!chromiumPath) return;
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-fleet-page-'));
  const file = join(dir, 'fleet.html');
  const run = await runCli([
    'fleet',
    '--log',
    'test/fixtures/fleet/access.log',
    '--now',
    '2026-11-25T10:00:00Z',
    '--reports',
    'test/fixtures/drift/reports',
    '-i',
    'test/fixtures/drift/inventory.csv',
    '-t',
    'test/fixtures/drift/templates',
    '-o',
    file,
  ]);
  assert.equal(run.code, 0, run.stderr);
  url = pathToFileURL(file).href;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the page, recording every request it makes and every console error. */
async function open(viewport = { width: 1280, height: 900 }): Promise<{
  page: Page;
  requests: string[];
  problems: string[];
}> {
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, requests, problems };
}

const visibleKeys = (page: Page) =>
  page.$$eval('#phones tbody:not([hidden]) tr.phone button.toggle', (bs) =>
    bs.map((b) => b.textContent),
  );

describe('fleet page in Chromium', { skip: chromiumPath ? false : NO_CHROMIUM }, () => {
  test('one row per phone with its outcome; no request leaves the page; no CSP violation', async () => {
    const { page, requests, problems } = await open();
    assert.deepEqual(await visibleKeys(page), [
      '00562b043617',
      '00562b043619',
      '00562b043618',
      '00562b043615',
      '00562b043616',
      'dcf719f39350',
      'FCH2443D9R4',
    ]);
    const outcomes = await page.$$eval('#phones tr.phone td[data-label="Outcome"]', (tds) =>
      tds.map((td) => td.textContent),
    );
    assert.deepEqual(outcomes, ['C 500', 'A 200', '– 401', 'A 200', 'B 404', 'B 404', 'A 200']);
    assert.equal(await page.textContent('#shown'), '7 of 7 phones shown');
    // The script ran (it folds the histories) — so the CSP hash of the script is right.
    assert.equal(await page.locator('tr.details').first().isHidden(), true);
    // The hostile path is text, not markup.
    assert.equal(await page.locator('script').count(), 1);
    assert.deepEqual(requests, [url]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('sorting: a column button sorts ascending, again descending, and says so', async () => {
    const { page } = await open();
    const header = page.locator('#phones thead th', { hasText: 'Last request' });
    await header.locator('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    assert.deepEqual((await visibleKeys(page))[0], '00562b043616'); // last seen 08:11
    await header.locator('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    assert.deepEqual((await visibleKeys(page))[0], 'dcf719f39350'); // last seen 09:32
    const requests = page.locator('#phones thead th', { hasText: 'Requests' });
    await requests.locator('button').click();
    await requests.locator('button').click();
    assert.deepEqual((await visibleKeys(page))[0], '00562b043616'); // 3 requests
    await page.close();
  });

  test('filtering: text, outcome and late narrow the rows and the count says how many', async () => {
    const { page } = await open();
    await page.fill('#q', '8851');
    assert.deepEqual(await visibleKeys(page), ['00562b043616']);
    await page.fill('#q', '');
    await page.selectOption('#outcome', 'B');
    assert.deepEqual(await visibleKeys(page), ['00562b043616', 'dcf719f39350']);
    assert.equal(await page.textContent('#shown'), '2 of 7 phones shown');
    await page.selectOption('#outcome', '');
    await page.check('#late');
    assert.deepEqual(await visibleKeys(page), ['00562b043616']); // B at 08:11, due 09:11
    await page.close();
  });

  test('drift: the count per phone, its changes in the history, and the drift filter', async () => {
    const { page } = await open();
    const drift = await page.$$eval('#phones tr.phone td[data-label="Drift"]', (tds) =>
      tds.map((td) => td.textContent),
    );
    // 15 and 17 in sync, 16 with its six known differences, 19's report unreadable.
    assert.deepEqual(drift, ['0', 'unreadable', '', '0', '6', '', '']);
    await page.check('#drifted');
    assert.deepEqual(await visibleKeys(page), ['00562b043616']);
    // Only the rows that pass the filter are drawn: 16's is the first.
    await page.locator('button.toggle').first().click();
    const details = (await page.locator('tr.details').first().textContent()) ?? '';
    assert.match(details, /Station_Name.*changed.*Sales.*Sales Desk/);
    assert.doesNotMatch(details, /example-sip-202/); // secrets stay masked
    await page.close();
  });

  test('keyboard: Tab reaches a phone, Enter opens its history', async () => {
    const { page } = await open();
    const first = page.locator('button.toggle').first();
    await first.focus();
    await page.keyboard.press('Enter');
    assert.equal(await first.getAttribute('aria-expanded'), 'true');
    const details = page.locator('tr.details').first();
    assert.equal(await details.isVisible(), true);
    assert.match((await details.textContent()) ?? '', /Latest requests, newest first/);
    await page.keyboard.press('Space');
    assert.equal(await details.isHidden(), true);
    await page.close();
  });

  test('a phone-sized screen: rows become cards, nothing wider than the screen', async () => {
    const { page } = await open({ width: 390, height: 844 });
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    const display = await page.evaluate<string>(
      "getComputedStyle(document.querySelector('#phones tr.phone td')).display",
    );
    assert.equal(display, 'grid');
    await page.close();
  });

  test('a screenshot of the page (docs/fleet.png with UPDATE_SCREENSHOT=1)', async () => {
    const { page } = await open({ width: 1280, height: 1060 });
    await page.locator('button.toggle').nth(4).click();
    await page.evaluate('window.scrollTo(0, 0)');
    const png = await page.screenshot({ fullPage: false });
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
    writeFileSync(join(dir, 'fleet.png'), png);
    if (process.env.UPDATE_SCREENSHOT === '1') writeFileSync(join(ROOT, 'docs/fleet.png'), png);
    assert.ok(readFileSync(join(dir, 'fleet.png')).length > 10_000);
    await page.close();
  });
});
