// The fleet core (per-phone rows, history, when each phone is due) and the page it renders.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FleetTracker, maskQuery, type FleetData } from '../../src/device/fleet.js';
import { renderFleetPage } from '../../src/output/fleet-page.js';
import { ROOT } from '../helpers/run-cli.js';

const LOG = readFileSync(join(ROOT, 'test/fixtures/fleet/access.log'), 'utf8').split('\n');
const NOW = new Date('2026-11-25T10:00:00Z');

function fleetOf(lines: readonly string[], settings?: FleetData['settings']): FleetData {
  const tracker = new FleetTracker();
  for (const line of lines) tracker.addLine(line);
  return tracker.snapshot({ now: NOW, source: 'access.log', ...(settings ? { settings } : {}) });
}

describe('FleetTracker', () => {
  const data = fleetOf(LOG);
  const phone = (key: string) => data.phones.find((p) => p.summary.key === key)!;

  test('the same rows as inspect --log: one per phone, outcomes A/B/C of the last request', () => {
    assert.deepEqual(
      data.phones.map((p) => [p.summary.key, p.summary.model, p.summary.outcome]),
      [
        ['00562b043617', '6841', 'C'],
        ['00562b043619', '7832', 'A'],
        ['00562b043618', '7861', null],
        ['00562b043615', '8841', 'A'],
        ['00562b043616', '8851', 'B'],
        ['dcf719f39350', '8865', 'B'],
        ['FCH2443D9R4', 'ATA191', 'A'],
      ],
    );
    assert.deepEqual(data.outcomes, { A: 3, B: 2, C: 1, none: 1 });
  });

  test('history is newest first with each request’s outcome; secret query values masked', () => {
    const sales = phone('00562b043616');
    assert.deepEqual(
      sales.history.map((r) => [r.time, r.status, r.outcome]),
      [
        ['2026-11-25T08:11:00.000Z', 404, 'B'],
        ['2026-11-25T08:10:00.000Z', 404, 'B'],
        ['2026-11-25T07:10:00.000Z', 200, 'A'],
      ],
    );
    assert.equal(sales.history[1]!.path, '/cfg/00562b043616.xml?pwd=********&x=1');
    assert.equal(sales.consecutiveFailures, 2);
  });

  test('due after Resync_Periodic on A, after Resync_Error_Retry_Delay on B/C; late past the grace', () => {
    // 8841: A at 09:00:02, due 10:00:02 — at 10:00 not late.
    assert.deepEqual(
      [phone('00562b043615').resync.due, phone('00562b043615').resync.late],
      ['2026-11-25T10:00:02.000Z', false],
    );
    // 8851: B at 08:11, due 09:11, + 600 s grace: late at 10:00 by 49 min.
    const sales = phone('00562b043616').resync;
    assert.deepEqual(
      [sales.basis, sales.due, sales.late, sales.lateBySeconds],
      ['Resync_Error_Retry_Delay', '2026-11-25T09:11:00.000Z', true, 2940],
    );
    // Retrying at once (401): no due time.
    assert.equal(phone('00562b043618').resync.due, null);
    assert.equal(data.late, 1);
  });

  test('a 2025-firmware backoff list: the second failure in a row waits the second delay', () => {
    const backoff = fleetOf(LOG, {
      resyncPeriodic: '3600',
      errorRetryDelay: '60,120,240',
      graceSeconds: 0,
    });
    const sales = backoff.phones.find((p) => p.summary.key === '00562b043616')!.resync;
    assert.deepEqual([sales.delaySeconds, sales.due], [120, '2026-11-25T08:13:00.000Z']);
  });

  test('a report upload (POST/PUT) joins the history but is no resync and no outcome', () => {
    const tracker = new FleetTracker();
    const ua = '"-" "Cisco-CP-8841-3PCC/11.0 (00562b043615)"';
    tracker.addLine(`10.0.0.1 - - [25/Nov/2026:09:00:00 +0000] "GET /a.xml HTTP/1.1" 404 1 ${ua}`);
    tracker.addLine(`10.0.0.1 - - [25/Nov/2026:09:00:05 +0000] "POST /a.xml HTTP/1.1" 200 0 ${ua}`);
    const [only] = tracker.snapshot({ now: NOW, source: 'x' }).phones;
    assert.equal(only!.summary.outcome, 'B');
    assert.deepEqual(
      only!.history.map((r) => [r.method, r.outcome]),
      [
        ['POST', null],
        ['GET', 'B'],
      ],
    );
  });

  test('history is bounded per phone', () => {
    const tracker = new FleetTracker({ historyLimit: 5 });
    for (let i = 0; i < 100; i++) {
      const s = String(i % 60).padStart(2, '0');
      tracker.addLine(
        `10.0.0.1 - - [25/Nov/2026:09:${String(Math.floor(i / 60)).padStart(2, '0')}:${s} +0000] "GET /a.xml HTTP/1.1" 200 1 "-" "Cisco-CP-8841-3PCC/11.0 (00562b043615)"`,
      );
    }
    const [only] = tracker.snapshot({ now: NOW, source: 'x' }).phones;
    assert.equal(only!.history.length, 5);
    assert.equal(only!.summary.requests, 100);
    assert.equal(only!.history[0]!.time, '2026-11-25T09:01:39.000Z');
  });

  test('maskQuery masks only secret-looking names', () => {
    assert.equal(
      maskQuery('/a.xml?mac=1&password=x&key=y'),
      '/a.xml?mac=1&password=********&key=********',
    );
    assert.equal(maskQuery('/a.xml'), '/a.xml');
  });
});

describe('renderFleetPage', () => {
  const page = renderFleetPage(fleetOf(LOG));

  test('the CSP allows exactly the inline style and script, by hash, and nothing else', () => {
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(page.html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(page.html)![1]!;
    assert.equal(
      page.csp,
      `default-src 'none'; style-src ${sha(style)}; script-src ${sha(script)}; img-src 'none'; base-uri 'none'; form-action 'none'`,
    );
    assert.ok(page.html.includes(`content="${page.csp.replace(/'/g, '&#39;')}"`));
    assert.equal((page.html.match(/<script/g) ?? []).length, 1);
    assert.equal((page.html.match(/<style/g) ?? []).length, 1);
  });

  test('no external asset: no src, href, url() or @import', () => {
    assert.doesNotMatch(page.html, /\s(src|href)=/i);
    assert.doesNotMatch(page.html, /url\(|@import/i);
  });

  test('hostile log values are escaped, secrets are not there', () => {
    assert.ok(!page.html.includes('<script>alert(1)'));
    assert.ok(page.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!page.html.includes('hunter2secret'));
  });

  test('a row per phone, each with its history; the chart says the counts in words', () => {
    assert.equal((page.html.match(/<tr class="phone">/g) ?? []).length, 7);
    assert.equal((page.html.match(/<tr class="details"/g) ?? []).length, 7);
    assert.match(
      page.html,
      /<title id="chart-title">Phones by outcome of their last request: A success: 3, B not found \/ corrupt: 2, C other failure: 1, retrying at once: 1, late for resync: \d+<\/title>/,
    );
  });
});
