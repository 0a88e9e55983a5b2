// The fleet page at fleet scale, in Chromium as an admin opens it (from a file): time to the
// table painted, to a sort and to a filter, with and without JavaScript, and the page's size.
// Run by hand after a build (it is not a *.bench.ts, so `npm run bench` leaves it out: the old
// page at 20,000 phones takes minutes):
//   node scripts/build.mjs --no-types && nice -n 19 node bench/fleet-page.bench.mjs [sizes] [runs] [bin…]
// e.g. `node bench/fleet-page.bench.mjs 500,5000,20000 3 /tmp/old/bin/cisco-prov.cjs bin/cisco-prov.cjs`
// compares two builds, runs interleaved (old, new, old, new…), medians; the load average is
// printed with each size. The log: n phones × 3 requests (GET of their profile), 8 models,
// outcomes A 85 %, B 10 %, C 5 %, a tenth of the phones late; `fleet --log … --now …`.
//
// What is measured (performance.now(), from the navigation's start, in the page):
// - painted: the page loaded and its table in a frame (two animation frames after `load`);
// - no-JS: the same with JavaScript off (load, then a frame);
// - sort: a click on the "Last request" column's button until the next frame is done;
// - filter: typing "8851" into the filter (one input event) until the next frame is done.
import { spawnSync } from 'node:child_process';
import { mkdirSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sizes = (process.argv[2] ?? '500,5000,20000').split(',').map(Number);
const runs = Number(process.argv[3] ?? 3);
const bins = process.argv.slice(4).map((b) => resolve(b));
if (bins.length === 0) bins.push(join(ROOT, 'bin/cisco-prov.cjs'));
const work = join(ROOT, 'bench/.work/fleet-page');
mkdirSync(work, { recursive: true });
const NOW = '2026-11-25T12:00:00Z';
const MODELS = ['8841', '8851', '8861', '6841', '6851', '7841', '7861', '8832'];
/** A step that took longer than this is reported as "> limit" (the old page at 20,000). */
const LIMIT_MS = Number(process.env.BENCH_LIMIT_MS ?? 600_000);

function logOf(n) {
  const file = join(work, `access-${n}.log`);
  if (existsSync(file)) return file;
  const lines = [];
  for (let i = 0; i < n; i++) {
    const mac = `0056${i.toString(16).padStart(8, '0')}`;
    const model = MODELS[i % MODELS.length];
    const firmware = i % 7 === 0 ? '12.0.1' : '11.3.7';
    const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    // A tenth of the phones stopped asking 3 hours ago: late.
    const last = Date.parse(NOW) - (i % 10 === 0 ? 3 * 3600_000 : 1800_000) - (i % 600) * 1000;
    for (let r = 2; r >= 0; r--) {
      const t = new Date(last - r * 3600_000);
      const status = r === 0 ? (i % 20 === 1 ? 500 : i % 10 === 2 ? 404 : 200) : 200;
      const stamp = `${String(t.getUTCDate()).padStart(2, '0')}/Nov/2026:${t.toISOString().slice(11, 19)} +0000`;
      lines.push(
        `${address} - - [${stamp}] "GET /cfg/${mac}.xml HTTP/1.1" ${status} 2048 "-" "Cisco-CP-${model}-3PCC/${firmware} (${mac})"`,
      );
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function pageOf(bin, n, tag) {
  const file = join(work, `fleet-${n}-${tag}.html`);
  const r = spawnSync(
    process.execPath,
    [bin, 'fleet', '--log', logOf(n), '--now', NOW, '-o', file],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`${bin}: ${r.stderr}`);
  return file;
}

const FRAME = `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))`;

async function measure(browser, file) {
  const out = {};
  const url = pathToFileURL(file).href;
  // With JavaScript.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(LIMIT_MS);
    await page.goto(url, { waitUntil: 'load', timeout: LIMIT_MS });
    out.painted = await page.evaluate(`${FRAME}.then(() => performance.now())`);
    out.sort = await page.evaluate(`(() => {
      const b = [...document.querySelectorAll('#phones thead th button')].find((x) => /Last request/.test(x.textContent));
      const t0 = performance.now();
      b.click();
      return ${FRAME}.then(() => performance.now() - t0);
    })()`);
    out.filter = await page.evaluate(`(() => {
      const q = document.getElementById('q');
      const t0 = performance.now();
      q.value = '8851';
      q.dispatchEvent(new Event('input', { bubbles: true }));
      return ${FRAME}.then(() => performance.now() - t0);
    })()`);
    out.shown = await page.textContent('#shown');
    await context.close();
  }
  // Without JavaScript.
  {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'load', timeout: LIMIT_MS });
    await page.screenshot({ timeout: LIMIT_MS });
    out.noJs = Date.now() - t0;
    await context.close();
  }
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
console.log(`runs ${runs}, ${new Date().toISOString()}`);
console.log('| phones | build | size | gzip | painted | sort | filter | no JS | load | shown |');
console.log('| -----: | ----- | ---: | ---: | ------: | ---: | -----: | ----: | ---: | ----- |');
for (const n of sizes) {
  const files = bins.map((bin, b) => pageOf(bin, n, `b${b}`));
  const results = bins.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let b = 0; b < bins.length; b++) {
      try {
        results[b].push(await measure(browser, files[b]));
      } catch (e) {
        results[b].push({ failed: String(e.message).split('\n')[0] });
      }
    }
  }
  const load = loadavg()[0].toFixed(1);
  for (let b = 0; b < bins.length; b++) {
    const ok = results[b].filter((x) => !x.failed);
    const size = statSync(files[b]).size;
    const gz = gzipSync(readFileSync(files[b])).length;
    const col = (k) => (ok.length ? ms(median(ok.map((x) => x[k]))) : `> ${ms(LIMIT_MS)}`);
    console.log(
      `| ${n} | ${bins[b].replace(ROOT, '')} | ${(size / 1e6).toFixed(2)} MB | ${(gz / 1e6).toFixed(2)} MB | ${col('painted')} | ${col('sort')} | ${col('filter')} | ${col('noJs')} | ${load} | ${ok[0]?.shown ?? results[b][0]?.failed} |`,
    );
  }
}
await browser.close();
