// The fleet page for a fleet larger than a page (1,200 phones) in Chromium: the script draws a
// page of rows from the page's data, sorts and filters all the phones (not only the drawn ones),
// pages by keyboard, builds a phone's requests when its row opens, and keeps hostile log text as
// text; without JavaScript the page lists the phones that need a look first, and says so.
// (Timing at 5,000 and 20,000 phones: bench/fleet-page.bench.mjs.)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { FleetTracker } from '../../src/device/fleet.js';
import { renderFleetPage } from '../../src/output/fleet-page.js';
import { NO_CHROMIUM, findChromium } from '../helpers/browser.js';

const chromiumPath = findChromium();
const PHONES = 1200;
const mac = (i: number) => `0056${i.toString(16).padStart(8, '0')}`;
/** Phone 1150 asks 5 times, and once with a hostile query; every tenth phone fails (404). */
const HOSTILE = '/cfg.xml?a=</script><img/src=x/onerror=alert(1)><!--';
let browser: Browser;
let dir: string;
let url: string;

before(async () => {
  if (!chromiumPath) return;
  const tracker = new FleetTracker();
  for (let i = 0; i < PHONES; i++) {
    const ua = `Cisco-CP-8841-3PCC/11.3.7 (${mac(i)})`;
    const asks = i === 1150 ? 5 : 2;
    for (let r = 0; r < asks; r++) {
      const status = r === asks - 1 && i % 10 === 3 ? 404 : 200;
      const path = i === 1150 && r === 0 ? HOSTILE : `/cfg/${mac(i)}.xml`;
      const minute = String(10 + r).padStart(2, '0');
      tracker.addLine(
        `10.0.${i >> 8}.${i & 255} - - [25/Nov/2026:09:${minute}:00 +0000] "GET ${path} HTTP/1.1" ${status} 1 "-" "${ua}"`,
      );
    }
  }
  const data = tracker.snapshot({ now: new Date('2026-11-25T09:30:00Z'), source: 'access.log' });
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-fleet-scale-'));
  const file = join(dir, 'fleet.html');
  writeFileSync(file, renderFleetPage(data).html);
  url = pathToFileURL(file).href;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const keys = (page: Page) =>
  page.$$eval('#phones tr.phone button.toggle', (bs) => bs.map((b) => b.textContent));

describe(
  'fleet page of 1,200 phones in Chromium',
  { skip: chromiumPath ? false : NO_CHROMIUM },
  () => {
    test('a page of rows from the data; paging, sorting and filtering over every phone', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('dialog', (d) => problems.push(`dialog ${d.message()}`));
      await page.goto(url);
      // The rows of the first page only: the other phones are data until shown.
      assert.equal((await keys(page)).length, 100);
      assert.equal((await keys(page))[0], mac(0));
      assert.equal(await page.textContent('#shown'), '1200 of 1200 phones match; 1–100 shown');
      assert.equal(await page.textContent('#where'), 'Page 1 of 12');
      // Paging by keyboard: the pager's buttons take Enter.
      await page.focus('#next');
      await page.keyboard.press('Enter');
      assert.equal(await page.textContent('#where'), 'Page 2 of 12');
      assert.equal((await keys(page))[0], mac(100));
      await page.click('#last');
      assert.equal(await page.textContent('#shown'), '1200 of 1200 phones match; 1101–1200 shown');
      // Sorting sorts every phone, not the page: 1150 (5 requests) comes first, on page 1.
      const requestsHead = page.locator('#phones thead th', { hasText: 'Requests' });
      await requestsHead.locator('button').click();
      await requestsHead.locator('button').click();
      assert.equal(await requestsHead.getAttribute('aria-sort'), 'descending');
      assert.equal(await page.textContent('#where'), 'Page 1 of 12');
      assert.equal((await keys(page))[0], mac(1150));
      // Filters narrow all the phones: 120 failed (B), two pages of 100.
      await page.selectOption('#outcome', 'B');
      assert.equal(await page.textContent('#shown'), '120 of 1200 phones match; 1–100 shown');
      await page.selectOption('#size', '250');
      assert.equal(await page.textContent('#shown'), '120 of 1200 phones shown');
      assert.equal(await page.locator('#pager').isHidden(), true);
      await page.selectOption('#outcome', '');
      await page.fill('#q', mac(1150));
      assert.deepEqual(await keys(page), [mac(1150)]);
      // Its requests are drawn when it opens; the hostile query is text, nothing runs.
      assert.equal(await page.locator('tr.details td').first().textContent(), '');
      await page.locator('button.toggle').first().click();
      const details = page.locator('tr.details').first();
      assert.equal(await details.isVisible(), true);
      assert.equal(await details.locator('tbody tr').count(), 5);
      assert.match(
        (await details.textContent()) ?? '',
        /a=<\/script><img\/src=x\/onerror=alert\(1\)><!--/,
      );
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('script').count(), 1);
      assert.deepEqual(requests, [url]);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('without JavaScript: 200 phones, those that need a look first, and a line saying so', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(url);
      const rows = page.locator('table.phones tr.phone');
      assert.equal(await rows.count(), 200);
      // The 120 failing phones (B) first, then the others in the table's order.
      const outcomes = await rows.locator('td[data-label="Outcome"] .badge').allTextContents();
      assert.deepEqual(outcomes.slice(0, 121), [...Array(120).fill('B'), 'A']);
      assert.match(
        (await page.textContent('main')) ?? '',
        /Without JavaScript this list shows 200 of the 1200 phones, those that need a look first/,
      );
      assert.equal(await page.locator('#live').isHidden(), true);
      assert.equal(await page.locator('#controls').isHidden(), true);
      await context.close();
    });
  },
);
