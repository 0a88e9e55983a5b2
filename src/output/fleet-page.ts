/**
 * The fleet page: one self-contained HTML document from FleetData (src/device/fleet.ts).
 *
 * - No external asset and no request: styles, script and the chart (SVG) are inline, and the
 *   Content-Security-Policy (`default-src 'none'`) allows exactly the one style and the one
 *   script, by their SHA-256 hashes. It works from a file, offline.
 * - The table is rendered here, in HTML: without script every phone and its history are shown;
 *   the script adds sorting (column buttons), filtering (text, outcome, late, drift) and folds
 *   each phone's history and drift under a toggle button. Everything is reachable by keyboard.
 * - On narrow screens (phones) each row becomes a card of labelled fields.
 * - Nothing secret: the data holds none (query secrets and drift secrets are masked upstream);
 *   every text is escaped, control characters made visible.
 */
import { createHash } from 'node:crypto';
import type { FleetData, FleetPhone, FleetRequest } from '../device/fleet.js';
import { escapeText } from './inspect-format.js';
import { escapeControls } from './terminal-text.js';
import {
  driftCount,
  driftText,
  duration,
  firmwareText,
  fleetPageJson,
  metaText,
  phoneLabel,
  shortTime,
} from './fleet-page-data.js';
import { SCRIPT_CODE } from './fleet-page-script.js';

export interface FleetPage {
  html: string;
  /** The Content-Security-Policy of the page (also in its `<meta>`), for an HTTP header. */
  csp: string;
}

/** HTML-escapes text after making control and format characters visible. */
function h(text: string | number | null | undefined): string {
  if (text === null || text === undefined) return '';
  return html(escapeText(String(text)));
}

/**
 * As h, for a message of ours: it names a file by its display name, where a name that is not
 * UTF-8 is escaped already (`caf\xe9.xml`, src/io/dir-names.ts) — only controls are escaped
 * again, so the backslash is not doubled (as validate and drift show it).
 */
function hMessage(text: string | undefined): string {
  return text === undefined ? '' : html(escapeControls(text));
}

function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function hash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** `2026-11-25T09:00:00.000Z` → `2026-11-25 09:00` (the table's columns say UTC). */
function minuteTime(iso: string | null): string {
  return iso === null ? '' : iso.slice(0, 16).replace('T', ' ');
}

const OUTCOME_TEXT: Record<string, string> = {
  A: 'A — success',
  B: 'B — not found or corrupt',
  C: 'C — other failure',
  none: '— retrying at once',
};

function outcomeBadge(outcome: string | null): string {
  const o = outcome ?? 'none';
  return `<span class="badge o-${o}" title="${h(OUTCOME_TEXT[o])}">${o === 'none' ? '–' : o}</span>`;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--mute:#59636e;--line:#d1d9e0;--card:#f6f8fa;--a:#1a7f37;--b:#9a6700;--c:#cf222e;--n:#6e7781;--focus:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mute:#9198a1;--line:#3d444d;--card:#151b23;--a:#3fb950;--b:#d29922;--c:#f85149;--n:#9198a1;--focus:#4493f8}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;padding:1rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
h1{font-size:1.35rem;margin:0 0 .25rem}h2{font-size:1.05rem;margin:1.25rem 0 .5rem}
.meta{color:var(--mute);margin:0 0 1rem}
.cards{display:flex;flex-wrap:wrap;gap:.75rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem;min-width:12rem;flex:1 1 14rem}
.card table{width:100%}
table{border-collapse:collapse}
th,td{text-align:left;padding:.3rem .45rem;border-bottom:1px solid var(--line);vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.wrap{overflow-x:auto}
table.phones{width:100%;font-size:.93rem}
small{color:var(--mute)}
table.phones thead th{position:sticky;top:0;background:var(--bg);white-space:nowrap}
table.phones th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer}
table.phones th[aria-sort=ascending] button::after{content:" ▲"}
table.phones th[aria-sort=descending] button::after{content:" ▼"}
button.toggle{font:inherit;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;color:var(--focus);background:none;border:0;padding:0;cursor:pointer;text-align:left}
button.toggle::before{content:"▸ "}button.toggle[aria-expanded=true]::before{content:"▾ "}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em;overflow-wrap:anywhere}
table.phones tr.phone>td{white-space:nowrap}table.phones tr.phone>td.path>span{display:inline-block;max-width:15rem;overflow:hidden;text-overflow:ellipsis;vertical-align:bottom}table.phones tr.phone>td.due{white-space:normal;min-width:9.5rem}
.card h3{margin:0 0 .25rem;font-size:.95rem}
.badge{display:inline-block;min-width:1.6em;text-align:center;border-radius:4px;padding:0 .3em;font-weight:700;color:#fff;background:var(--n)}
.o-A{background:var(--a)}.o-B{background:var(--b)}.o-C{background:var(--c)}
.late{color:var(--c);font-weight:600}.drift{color:var(--b);font-weight:600}
tr.details>td{background:var(--card);padding:.5rem .75rem 1rem}
tr.details h3{font-size:.95rem;margin:.5rem 0 .25rem}
.controls{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}
.controls input[type=search]{font:inherit;padding:.3rem .5rem;min-width:14rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
.controls select{font:inherit;padding:.25rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
svg text{fill:var(--fg);font-size:12px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:720px){
 body{padding:.5rem}
 table.phones thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.phones,table.phones tbody,table.phones tr.phone,table.phones tr.phone>td{display:block;width:100%}
 table.phones tr.phone{border:1px solid var(--line);border-radius:8px;margin:.5rem 0 0;padding:.25rem .5rem}
 table.phones tr.phone>td.path>span{max-width:none;white-space:normal}
 table.phones tr.phone>td{white-space:normal;border:0;padding:.15rem 0;display:grid;grid-template-columns:8.5rem 1fr;gap:.5rem;text-align:left}
 table.phones tr.phone>td::before{content:attr(data-label);color:var(--mute)}
 table.phones tr.details,table.phones tr.details>td{display:block}
}
`;

function chart(data: FleetData): string {
  const bars: [string, string, number][] = [
    ['A', 'A success', data.outcomes.A],
    ['B', 'B not found / corrupt', data.outcomes.B],
    ['C', 'C other failure', data.outcomes.C],
    ['none', 'retrying at once', data.outcomes.none],
    ['late', 'late for resync', data.late],
  ];
  const max = Math.max(1, ...bars.map((b) => b[2]));
  const rowHeight = 22;
  const width = 320;
  const labelWidth = 150;
  const barSpace = width - labelWidth - 40;
  const colors: Record<string, string> = {
    A: '#1a7f37',
    B: '#9a6700',
    C: '#cf222e',
    none: '#6e7781',
    late: '#8250df',
  };
  const rows = bars
    .map(([key, label, n], i) => {
      const y = i * rowHeight;
      const w = Math.round((n / max) * barSpace);
      return (
        `<text x="0" y="${y + 15}">${h(label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${Math.max(w, n > 0 ? 2 : 0)}" height="14" rx="2" fill="${colors[key]}"/>` +
        `<text x="${labelWidth + w + 6}" y="${y + 15}">${n}</text>`
      );
    })
    .join('');
  const description = bars.map(([, label, n]) => `${label}: ${n}`).join(', ');
  return `<svg role="img" aria-labelledby="chart-title" width="${width}" height="${bars.length * rowHeight}" viewBox="0 0 ${width} ${bars.length * rowHeight}" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">Phones by outcome of their last request: ${h(description)}</title>${rows}</svg>`;
}

function smallTable(caption: string, head: string[], rows: (string | number)[][]): string {
  const body = rows.length
    ? rows
        .map(
          (r) =>
            `<tr>${r.map((c, i) => `<td${i === r.length - 1 ? ' class="num"' : ''}>${h(c)}</td>`).join('')}</tr>`,
        )
        .join('')
    : `<tr><td colspan="${head.length}">none</td></tr>`;
  return `<table><caption class="visually-hidden">${h(caption)}</caption><thead><tr>${head
    .map((c, i) => `<th scope="col"${i === head.length - 1 ? ' class="num"' : ''}>${h(c)}</th>`)
    .join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

function historyTable(history: readonly FleetRequest[]): string {
  if (history.length === 0) return '<p>No requests.</p>';
  const rows = history
    .map(
      (r) =>
        `<tr><td>${h(shortTime(r.time))}</td><td>${h(r.method)}</td><td class="mono">${h(r.path)}</td><td class="num">${h(r.status ?? '-')}</td><td>${outcomeBadge(r.outcome)}</td><td>${h(r.address)}</td><td>${h(r.firmware)}</td></tr>`,
    )
    .join('');
  return `<div class="wrap"><table><thead><tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col" class="num">Status</th><th scope="col">Outcome</th><th scope="col">Address</th><th scope="col">Firmware</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function driftSection(p: FleetPhone): string {
  const d = p.drift;
  if (!d) return '';
  const head = `<h3>Drift (report of ${h(shortTime(d.reportTime))})</h3>`;
  if (d.status === 'error')
    return `${head}<p class="late">Report unreadable: ${hMessage(d.error)}</p>`;
  if (d.status === 'unknown') return `${head}<p>Not in the inventory: not compared.</p>`;
  if (d.changes.length === 0) return `${head}<p>In sync with its profile.</p>`;
  const rows = d.changes
    .map(
      (c) =>
        `<tr><td class="mono">${h(c.name)}</td><td>${h(c.change)}</td><td class="mono">${h(c.expected)}</td><td class="mono">${c.reported === null ? '<em>not reported</em>' : h(c.reported)}</td></tr>`,
    )
    .join('');
  return `${head}<div class="wrap"><table><thead><tr><th scope="col">Parameter</th><th scope="col">Change</th><th scope="col">Expected</th><th scope="col">Reported</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

const COLUMNS: { label: string; numeric?: boolean }[] = [
  { label: 'Phone' },
  { label: 'Model' },
  { label: 'Firmware' },
  { label: 'Last request (UTC)' },
  { label: 'Path' },
  { label: 'Outcome' },
  { label: 'Next resync (UTC)' },
  { label: 'Drift', numeric: true },
  { label: 'Requests', numeric: true },
];

/**
 * One phone of the table without JavaScript: its row, and its requests and drift open below.
 * (With JavaScript the script draws the rows from the page's data instead.)
 */
function phoneBody(p: FleetPhone, index: number, showDrift: boolean): string {
  const s = p.summary;
  const id = `d${index}`;
  const drifts = driftCount(p);
  const due = p.resync.due
    ? `<time datetime="${h(p.resync.due)}">${h(minuteTime(p.resync.due))}</time>${p.resync.late ? ` <span class="late">late ${h(duration(p.resync.lateBySeconds))}</span>` : ''}`
    : '';
  // [the cell's sort key (as the column sorts it), its markup]
  const cells: [string, string][] = [
    [
      phoneLabel(p),
      `<span class="mono">${h(phoneLabel(p))}</span><br><small>${s.serial && s.serial !== s.key ? `serial ${h(s.serial)} · ` : ''}${h(s.address)}</small>`,
    ],
    [s.model ?? '', h(s.model ?? '?')],
    [firmwareText(p) ?? '', h(firmwareText(p))],
    [s.lastSeen ?? '', `<time datetime="${h(s.lastSeen)}">${h(minuteTime(s.lastSeen))}</time>`],
    [
      s.lastPath ?? '',
      `<span class="mono" title="${h(s.lastPath)}">${h(s.lastPath === null ? '' : maskPath(s.lastPath))}</span>`,
    ],
    [s.outcome ?? 'none', `${outcomeBadge(s.outcome)} <small>${h(s.lastStatus ?? '-')}</small>`],
    [p.resync.due ?? '', due],
    [
      String(drifts),
      drifts > 0 ? `<span class="drift">${h(driftText(p))}</span>` : h(driftText(p)),
    ],
    [String(s.requests), h(s.requests)],
  ];
  const tds = cells
    .map(
      ([sort, html], i) =>
        `<td data-label="${h(COLUMNS[i]!.label)}" data-sort="${h(sort)}"${COLUMNS[i]!.numeric ? ' class="num"' : COLUMNS[i]!.label === 'Path' ? ' class="path"' : COLUMNS[i]!.label.startsWith('Next') ? ' class="due"' : ''}><span>${html}</span></td>`,
    )
    .join('');
  const details = `<tr class="details" id="${id}"><td colspan="${COLUMNS.length}"><h3>Latest requests, newest first${p.consecutiveFailures > 0 ? ` — ${p.consecutiveFailures} failed in a row` : ''}</h3>${historyTable(p.history)}${showDrift ? driftSection(p) : ''}<p class="meta">${h(metaText(p))} User-Agent: <span class="mono">${h(s.userAgent)}</span></p></td></tr>`;
  return `<tbody><tr class="phone">${tds}</tr>${details}</tbody>`;
}

/**
 * Phones listed without JavaScript: every phone up to this many; beyond, this many, those that
 * need a look first (failing or retrying, late, drifted or unreadable report).
 */
const STATIC_PHONES = 200;

function needsLook(p: FleetPhone): boolean {
  return (
    p.summary.outcome !== 'A' || p.resync.late || driftCount(p) > 0 || p.drift?.status === 'error'
  );
}

/** The phones of the table without JavaScript, with their index in the data. */
function staticPhones(phones: readonly FleetPhone[]): [FleetPhone, number][] {
  const all = phones.map((p, i): [FleetPhone, number] => [p, i]);
  if (all.length <= STATIC_PHONES) return all;
  return all
    .filter(([p]) => needsLook(p))
    .concat(all.filter(([p]) => !needsLook(p)))
    .slice(0, STATIC_PHONES);
}

/** Paths come masked from the tracker; this only shortens absurdly long ones. */
function maskPath(path: string): string {
  return path.length > 200 ? `${path.slice(0, 199)}…` : path;
}

/**
 * Renders the fleet page.
 * @example renderFleetPage(tracker.snapshot({ now: new Date(), source: 'access.log' })).html
 */
export function renderFleetPage(data: FleetData, options: { title?: string } = {}): FleetPage {
  const title = options.title ?? 'Cisco phone fleet';
  const showDrift = data.drifted !== null;
  const script = `${SCRIPT_CODE}(${fleetPageJson(
    data,
    COLUMNS.map((c) => c.label),
    showDrift,
  )});`;
  const csp = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(script)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
  const phones = data.phones;
  const o = data.outcomes;
  const summaryLine = `${phones.length} phone${phones.length === 1 ? '' : 's'} · outcome A ${o.A}, B ${o.B}, C ${o.C}, retrying ${o.none} · ${data.late} late${showDrift ? ` · ${data.drifted} with drift` : ''}`;
  const head = COLUMNS.map(
    (c) =>
      `<th scope="col"${c.numeric ? ' class="num"' : ''}><button type="button">${h(c.label)}</button></th>`,
  ).join('');
  const settings = data.settings;
  const listed = staticPhones(phones);
  const caption = `the first cell of a row opens its requests${showDrift ? ' and drift' : ''}`;
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="referrer" content="no-referrer">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${h(title)}</h1>
<p class="meta">From ${h(data.source)} · as of ${h(shortTime(data.now))} · ${h(summaryLine)}</p>
</header>
<main>
<section aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
<div class="cards">
<div class="card"><h3 class="visually-hidden">By outcome</h3>${chart(data)}</div>
<div class="card"><h3>By model</h3>${smallTable(
    'Phones by model',
    ['Model', 'Product', 'Phones'],
    data.byModel.map((m) => [m.model, m.productName ?? '', m.phones]),
  )}</div>
<div class="card"><h3>By firmware</h3>${smallTable(
    'Phones by firmware',
    ['Model', 'Firmware', 'Phones'],
    data.byFirmware.map((f) => [f.model, f.firmware, f.phones]),
  )}</div>
</div>
<p class="meta">Outcomes as Cisco documents them: A success (next resync after Resync_Periodic), B file not found or corrupt profile, C any other failure (both retry after Resync_Error_Retry_Delay). Late: no request ${h(duration(settings.graceSeconds))} after it was due, assuming Resync_Periodic ${h(settings.resyncPeriodic)} and Resync_Error_Retry_Delay ${h(settings.errorRetryDelay)}.</p>
</section>
<section aria-labelledby="phones-h">
<h2 id="phones-h">Phones</h2>
<div class="controls" id="controls" hidden>
<label>Filter <input type="search" id="q" placeholder="MAC, model, address, path…" autocomplete="off"></label>
<label>Outcome <select id="outcome"><option value="">any</option><option value="A">A success</option><option value="B">B not found / corrupt</option><option value="C">C failure</option><option value="none">retrying</option></select></label>
<label><input type="checkbox" id="late"> late only</label>
<label${showDrift ? '' : ' hidden'}><input type="checkbox" id="drifted"> with drift only</label>
<label>Per page <select id="size"><option>50</option><option selected>100</option><option>250</option><option>1000</option></select></label>
<span id="shown" role="status" aria-live="polite"></span>
</div>
<div class="wrap" id="live" hidden>
<table class="phones" id="phones">
<caption class="visually-hidden">Every phone seen, a page at a time; ${caption}</caption>
<thead><tr>${head}</tr></thead>
</table>
</div>
<nav class="controls" id="pager" aria-label="Pages of phones" hidden>
<button type="button" id="first">« First</button>
<button type="button" id="prev">‹ Previous</button>
<span id="where"></span>
<button type="button" id="next">Next ›</button>
<button type="button" id="last">Last »</button>
</nav>
<noscript>
${
  listed.length < phones.length
    ? `<p class="notice">Without JavaScript this list shows ${listed.length} of the ${phones.length} phones, those that need a look first (failing or retrying, late, drifted); with JavaScript the page shows them all, to sort and filter.</p>\n`
    : ''
}<div class="wrap">
<table class="phones">
<caption class="visually-hidden">${listed.length < phones.length ? `${listed.length} of the phones seen` : 'Every phone seen'}, each with its requests${showDrift ? ' and drift' : ''}</caption>
<thead><tr>${COLUMNS.map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}>${h(c.label)}</th>`).join('')}</tr></thead>
${listed.map(([p, i]) => phoneBody(p, i, showDrift)).join('\n')}
</table>
</div>
</noscript>
${phones.length === 0 ? '<p>No phone has asked yet.</p>' : ''}
</section>
</main>
<script>${script}</script>
</body>
</html>
`;
  return { html, csp };
}
