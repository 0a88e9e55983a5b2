// The fleet page at fleet scale (page10): every phone once as data in the page's one script
// (rows drawn by it, a page at a time), the page's size in proportion to the fleet, the data
// unable to close its script, and without JavaScript a static list of at most 200 phones,
// those that need a look first. The browser side: test/browser/fleet-page-scale.test.ts.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetTracker } from '../../src/device/fleet.js';
import { renderFleetPage } from '../../src/output/fleet-page.js';
import { SCRIPT_CODE } from '../../src/output/fleet-page-script.js';
import { runCli } from '../helpers/run-cli.js';

const PHONES = 3000;
const NOW = '2026-11-25T12:00:00Z';
const mac = (i: number) => `0056${i.toString(16).padStart(8, '0')}`;

/** n phones × 3 requests; every 20th phone's last request fails (404), every 10th is late. */
function logOf(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const last = Date.parse(NOW) - (i % 10 === 5 ? 3 * 3600_000 : 1800_000);
    for (let r = 2; r >= 0; r--) {
      const t = new Date(last - r * 600_000).toISOString();
      const status = r === 0 && i % 20 === 7 ? 404 : 200;
      lines.push(
        `10.0.${i >> 8}.${i & 255} - - [25/Nov/2026:${t.slice(11, 19)} +0000] "GET /cfg/${mac(i)}.xml HTTP/1.1" ${status} 2048 "-" "Cisco-CP-8851-3PCC/12.0.1 (${mac(i)})"`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The page's one script, and the data it was given. */
function scriptOf(html: string): {
  script: string;
  json: string;
  data: { s: string[]; p: unknown[][] };
} {
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
  assert.ok(script.startsWith(`${SCRIPT_CODE}(`) && script.endsWith(');'));
  // The data: `JSON.parse('…')`, a string of JSON text.
  const json = script.slice(SCRIPT_CODE.length + 1, -2);
  assert.ok(json.startsWith("JSON.parse('") && json.endsWith("')"));
  const data = new Function(`return ${json};`)() as { s: string[]; p: unknown[][] };
  return { script, json, data };
}

let dir: string;
let html: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-page10-'));
  writeFileSync(join(dir, 'access.log'), logOf(PHONES));
  const run = await runCli(['fleet', '--log', 'access.log', '--now', NOW, '-o', 'fleet.html'], {
    cwd: dir,
  });
  assert.equal(run.code, 0, run.stderr);
  html = readFileSync(join(dir, 'fleet.html'), 'utf8');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('fleet page of 3,000 phones', () => {
  test('every phone once, as data in the one script the CSP allows', () => {
    const { script, data } = scriptOf(html);
    assert.equal(data.p.length, PHONES);
    assert.ok(data.s.includes(mac(PHONES - 1)));
    const sha = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
    assert.ok(
      html.includes(`script-src ${sha.replace(/'/g, '&#39;')};`),
      'the CSP hashes the script',
    );
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    // A text is written once, however many requests share it: a phone's path, asked 3 times.
    assert.equal(script.split(`/cfg/${mac(PHONES - 1)}.xml`).length - 1, 1);
  });

  test('the page grows by about 300 bytes a phone, not kilobytes (was 2.5 KB)', () => {
    const bytes = Buffer.byteLength(html);
    assert.ok(bytes < 1_300_000, `${bytes} bytes for ${PHONES} phones`);
  });

  test('without JavaScript: 200 phones listed, those that need a look first, and a line saying so', () => {
    const listed = html.match(/<tr class="phone">[\s\S]*?<\/tr>/g) ?? [];
    assert.equal(listed.length, 200);
    assert.ok(
      html.includes(
        '<noscript>\n<p class="notice">Without JavaScript this list shows 200 of the 3000 phones, those that need a look first',
      ),
    );
    // 150 failed (404) and 300 late (none both): the first 200 listed all need a look.
    const needy = (row: string) => /o-B|class="late"/.test(row);
    assert.equal(listed.filter(needy).length, 200);
    assert.ok(listed[0]!.includes(`>${mac(5)}<`));
  });
});

describe('fleet page data in the script', () => {
  const HOSTILE = [
    '/a.xml?x=</script><script>alert(1)</script>',
    '/b.xml?x=<!--<script>',
    '/c.xml?x=\u2028\u2029',
    "/d.xml?x=');alert(1);('\\",
  ];
  const tracker = new FleetTracker();
  HOSTILE.forEach((path, i) =>
    tracker.addLine(
      `10.0.0.${i} - - [25/Nov/2026:09:00:00 +0000] "GET ${path} HTTP/1.1" 200 1 "-" "Cisco-CP-8841-3PCC/11.0 (00562b04361${i})"`,
    ),
  );
  const page = renderFleetPage(tracker.snapshot({ now: new Date(NOW), source: 'x.log' })).html;

  test('no log text can close the script or open a comment in it; the data reads back', () => {
    const { script, json, data } = scriptOf(page);
    assert.doesNotMatch(script, /<\/script|<!--/i);
    assert.doesNotMatch(json, /</);
    // Nor a control character the HTML parser would change (a NUL), breaking the CSP hash.
    const controls = [...script].filter((c) => (c < ' ' && c !== '\n') || c === '\u007f');
    assert.deepEqual(controls, []);
    assert.doesNotMatch(script, /[\u2028\u2029]/);
    assert.equal(page.indexOf('</script>'), page.lastIndexOf('</script>'));
    assert.ok(data.s.includes(HOSTILE[0]!));
    assert.ok(data.s.includes(HOSTILE[1]!));
    // Quotes and backslashes cannot end the string of JSON the data is in.
    assert.ok(
      data.s.some((s) => s.startsWith("/d.xml?x=');alert(1);('")),
      data.s.join(' '),
    );
    // Format characters are made visible, as in the table.
    assert.ok(data.s.includes('/c.xml?x=\\u2028\\u2029'));
  });

  test('a fleet of a page or less: every phone listed without JavaScript, no line about it', () => {
    assert.equal((page.match(/<tr class="phone">/g) ?? []).length, 4);
    assert.doesNotMatch(page, /Without JavaScript this list shows/);
  });
});
