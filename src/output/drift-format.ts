/**
 * `drift` output: a block per phone (its changes, one per line) and a fleet summary, or the whole
 * report as JSON. Secret values are masked by the core before they get here.
 */
import type { DriftChange } from '../profile/drift.js';
import { escapeText, safeJson } from './inspect-format.js';
import { escapeControls } from './terminal-text.js';

/** One phone that has a report. */
export interface PhoneDrift {
  /** The MAC (12 lower-case hex digits) or serial the report is filed under. */
  device: string;
  mac: string | null;
  model: string | null;
  /** Where it is in the inventory: `inventory.csv row 4`; null when it is not there. */
  source: string | null;
  /** The report file compared (the latest of `reports` files). */
  report: string;
  /** The report's modification time, ISO 8601 UTC. */
  reportTime: string;
  reports: number;
  /** `in-sync`, `drift`, `error` (report or profile unreadable), `unknown` (not in the inventory). */
  status: 'in-sync' | 'drift' | 'error' | 'unknown';
  error?: string;
  changes: DriftChange[];
  /** Parameters of the expected profile compared / left out (read-only, hidden secrets). */
  checked: number;
  ignored: { status: number; hiddenSecret: number };
}

export interface DriftReport {
  reports: string;
  inventory: string;
  phones: PhoneDrift[];
  /** Inventory devices with no report (MAC or serial). */
  withoutReport: string[];
  summary: {
    phones: number;
    inSync: number;
    drift: number;
    error: number;
    unknown: number;
    withoutReport: number;
    changes: number;
    /** Parameters that differ, with how many phones they differ on; most first. */
    byParameter: { name: string; phones: number }[];
  };
}

function quote(value: string | null): string {
  return value === null ? '(not reported)' : `"${escapeText(value).replace(/"/g, '\\"')}"`;
}

function changeLine(c: DriftChange): string {
  const name = escapeText(c.name);
  if (c.change === 'missing') return `  ? ${name}: expected ${quote(c.expected)}, not reported`;
  const parts: string[] = [];
  if (c.expected !== c.reported || !c.ua)
    parts.push(`expected ${quote(c.expected)}, reported ${quote(c.reported)}`);
  if (c.ua)
    parts.push(`ua expected ${escapeText(c.ua.expected)}, reported ${escapeText(c.ua.reported)}`);
  return `  ~ ${name}: ${parts.join('; ')}`;
}

const STATUS_TEXT: Record<PhoneDrift['status'], string> = {
  'in-sync': 'in sync',
  drift: 'DRIFT',
  error: 'ERROR',
  unknown: 'not in inventory',
};

/** The human report: a table of phones, each followed by its changes, then the fleet summary. */
export function formatDrift(report: DriftReport): string {
  const rows = report.phones.map((p) => [
    escapeText(p.device),
    escapeText(p.model ?? '?'),
    STATUS_TEXT[p.status],
    p.status === 'error' || p.status === 'unknown' ? '-' : String(p.checked),
    p.status === 'error' || p.status === 'unknown' ? '-' : String(p.changes.length),
    p.reportTime.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    // A path is display text already: a name that is not UTF-8 comes escaped (`caf\xe9.xml`,
    // src/io/dir-names.ts). Only what a terminal would act on is escaped here, as validate shows
    // a file name; escapeText would double that backslash (`caf\\xe9.xml`).
    escapeControls(p.report),
  ]);
  const header = ['PHONE', 'MODEL', 'STATUS', 'CHECKED', 'DIFFER', 'REPORTED', 'REPORT FILE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = new Set([3, 4]);
  const pad = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [pad(header)];
  report.phones.forEach((p, i) => {
    lines.push(pad(rows[i]!));
    // A message naming the report by its display name (see the REPORT FILE column).
    if (p.error) lines.push(`  ! ${escapeControls(p.error)}`);
    for (const c of p.changes) lines.push(changeLine(c));
  });
  const s = report.summary;
  lines.push('');
  lines.push(
    `Fleet: ${s.phones} phone${s.phones === 1 ? '' : 's'} with a report: ${s.inSync} in sync, ${s.drift} drifted, ${s.error} unreadable, ${s.unknown} not in the inventory; ${s.withoutReport} inventory device${s.withoutReport === 1 ? '' : 's'} without a report`,
  );
  if (s.byParameter.length > 0) {
    const top = s.byParameter
      .slice(0, 10)
      .map((p) => `${escapeText(p.name)} (${p.phones})`)
      .join(', ');
    lines.push(`Differing parameters (phones): ${top}${s.byParameter.length > 10 ? ', …' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--json`: the whole report. */
export function formatDriftJson(report: DriftReport): string {
  return `${safeJson(report, 2)}\n`;
}
