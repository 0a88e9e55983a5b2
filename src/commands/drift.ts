/**
 * `cisco-prov drift --reports <dir> --inventory …`: for each phone with a report, render the
 * profile it should have now (the render pipeline, unchanged) and list the parameters whose
 * reported value differs, leaving out read-only/status parameters and secrets the report hides
 * (src/profile/drift.ts).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Digest } from '../crypto/index.js';
import {
  CliError,
  ExitCode,
  badInput,
  describeSystemError,
  ioError,
  usageError,
} from '../errors.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { inputName, readStdin } from '../io/input.js';
import { resolveKeys, type KeyOptions } from '../io/keys.js';
import { loadProfile } from '../io/profile-input.js';
import { latestReports, type ReportFile } from '../io/report-dir.js';
import { skippedLinkWarning, walkLinks } from '../io/walk-links.js';
import type { DriftReport, PhoneDrift } from '../output/drift-format.js';
import { DEFAULT_CATALOG } from '../profile/catalog-data/index.js';
import { compareWithReport } from '../profile/drift.js';
import { parseProfileXml } from '../profile/profile-map.js';
import { render } from '../render/batch.js';
import { decodeTextFile } from '../render/decode-text.js';
import {
  InventoryError,
  formatInventoryProblem,
  inventoryFormatOf,
  parseInventory,
  sniffInventoryFormat,
  type InventoryDevice,
  type InventoryFormat,
} from '../render/inventory.js';

export interface DriftOptions extends KeyOptions {
  reports: string;
  /** A file, or `-` for stdin. */
  inventory: string;
  /** `--inventory-format`: csv, json or yaml (default: by extension; sniffed on stdin). */
  inventoryFormat?: InventoryFormat;
  /** Where `-i -` reads (default process.stdin). */
  stdin?: AsyncIterable<unknown> & { isTTY?: boolean };
  template?: string;
  vars?: readonly string[];
  md?: Digest;
  showSecrets?: boolean;
  /** Base for relative paths (default process.cwd()). */
  cwd?: string;
  /** `--follow-links`: follow symbolic links in the reports directory (src/io/walk-links.ts). */
  followLinks?: boolean;
  /**
   * Whether a reports directory without a report is an error (exit 1, the `drift` command) or
   * a note and an empty report (the fleet page, serve before the first upload). Default true.
   */
  noReportsIsError?: boolean;
}

export interface DriftResult {
  report: DriftReport;
  notes: string[];
  /** For stderr: a secret typed on the command line. */
  warnings: string[];
  /** 0 every phone in sync; 1 drift, an unreadable report or a device that failed to render. */
  exitCode: 0 | 1;
}

/** The inventory as read once (a pipe or `<(…)` cannot be read twice): its text and format. */
interface ReadInventory {
  /** As messages name it: the path as given, or `<stdin>`. */
  shown: string;
  text: string;
  format: InventoryFormat;
  devices: InventoryDevice[];
}

/**
 * Reads the inventory (`-`: stdin) once. Its format is `--inventory-format`, else the file's
 * extension, else — on stdin only, as render does — sniffed from its first characters; a name
 * that tells nothing (`<(…)` is `/dev/fd/63`) without the option is a usage error.
 */
async function readInventory(options: DriftOptions, cwd: string): Promise<ReadInventory> {
  const fromStdin = options.inventory === '-';
  const shown = inputName(options.inventory);
  let bytes: Uint8Array;
  if (fromStdin) {
    const stdin = options.stdin ?? process.stdin;
    if (stdin.isTTY) {
      throw usageError('-i - reads the inventory from stdin, which is a terminal: pipe it in');
    }
    bytes = options.stdin ? await readAll(options.stdin) : await readStdin();
  } else {
    try {
      bytes = readFileSync(resolve(cwd, options.inventory));
    } catch (err) {
      throw ioError(`cannot read inventory ${describeSystemError(err, shown)}`);
    }
  }
  const text = decodeTextFile(bytes);
  if (typeof text !== 'string') throw badInput(formatInventoryProblem({ file: shown, ...text }));
  const format =
    options.inventoryFormat ??
    (fromStdin ? sniffInventoryFormat(text) : inventoryFormatOf(options.inventory));
  if (format === undefined) {
    throw usageError(
      `-i ${shown}: cannot tell the inventory's format from its name (expected .csv, .json, .yaml or .yml)`,
      'give --inventory-format csv|json|yaml',
    );
  }
  try {
    return { shown, text, format, devices: parseInventory(text, shown, format).devices };
  } catch (err) {
    if (err instanceof InventoryError) {
      throw badInput(err.problems.slice(0, 5).map(formatInventoryProblem).join('\ncisco-prov: '));
    }
    throw err;
  }
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

function findInInventory(
  devices: readonly InventoryDevice[],
  report: ReportFile,
): InventoryDevice | undefined {
  if (report.mac) return devices.find((d) => d.mac === report.mac);
  const serial = report.id.toUpperCase();
  return devices.find((d) => d.serial !== undefined && d.serial.toUpperCase() === serial);
}

/**
 * Compares every reported phone with the profile rendered for it now.
 * @example await drift({ reports: 'reports', inventory: 'inventory.csv', template: 'templates' })
 */
export async function drift(options: DriftOptions): Promise<DriftResult> {
  refuseEmptyPaths({
    '--reports': options.reports,
    '--inventory': options.inventory,
    '--template': options.template,
    '--vars': (options.vars ?? []).includes('') ? '' : undefined,
  });
  const cwd = options.cwd ?? process.cwd();
  const keys = resolveKeys(options);
  const reportsDir = resolve(cwd, options.reports);
  const links = walkLinks(options.followLinks);
  const reports = latestReports(reportsDir, options.reports, links);
  const inventory = await readInventory(options, cwd);
  const { devices } = inventory;
  const notes: string[] = [];
  const linkWarnings = links.skipped.map(skippedLinkWarning);
  // No report is nothing checked, not "every phone in sync": a wrong --reports path (or phones
  // whose Report_Rule uploads elsewhere) must not pass a cron job's exit-code check.
  if (reports.length === 0 && options.noReportsIsError === false) {
    notes.push(`${options.reports}: no report files found`);
  } else if (reports.length === 0) {
    throw badInput(
      `${options.reports}: no report files found: nothing to compare`,
      links.skipped.length > 0
        ? `its symbolic links were skipped (${links.skipped.length}): give --follow-links to follow them`
        : 'phones upload reports by Report_Rule; files are named by MAC (<mac>.xml) or kept per phone by serve --reports',
    );
  }

  const matched = reports.map((r) => ({ report: r, device: findInInventory(devices, r) }));
  const wanted = matched.flatMap((m) => (m.device ? [m.device.mac ?? m.device.serial!] : []));
  const expected = new Map<string, { file?: string; error?: string; source: string }>();
  if (wanted.length > 0) {
    // The render pipeline as `render -o` runs it (in this thread), its writes kept in memory:
    // the rendered profiles hold secrets and never touch the disk. The empty private directory
    // only stands in for `-o`.
    const out = mkdtempSync(join(tmpdir(), 'cisco-prov-drift-'));
    const written = new Map<string, Uint8Array>();
    try {
      const { report } = await render({
        cwd,
        inventory: inventory.shown,
        inventoryText: inventory.text,
        inventoryFormat: inventory.format,
        ...(options.template !== undefined ? { template: options.template } : {}),
        ...(options.vars ? { vars: options.vars } : {}),
        devices: wanted,
        out,
        writeFile: (path, data) => written.set(path, data),
      });
      for (const d of report.devices) {
        const id = d.mac ?? d.serial ?? d.device;
        if (d.status === 'failed' || d.file === undefined) {
          expected.set(id, { error: `cannot render: ${d.error ?? 'failed'}`, source: d.source });
          continue;
        }
        const bytes = written.get(join(out, d.file));
        expected.set(
          id,
          bytes
            ? { file: Buffer.from(bytes).toString('utf8'), source: d.source }
            : { error: 'cannot render: no profile produced', source: d.source },
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }

  const phones: PhoneDrift[] = [];
  for (const { report, device } of matched) {
    const phone: PhoneDrift = {
      device: report.id,
      mac: report.mac,
      model: device?.phone.model ?? null,
      source: null,
      // As the user named the directory: `/srv/reports/<mac>.xml`, not `../../srv/reports/…`.
      report: join(options.reports, relative(reportsDir, report.path)),
      reportTime: new Date(report.mtime).toISOString(),
      reports: report.count,
      status: 'unknown',
      changes: [],
      checked: 0,
      ignored: { status: 0, hiddenSecret: 0 },
    };
    phones.push(phone);
    if (!device) continue;
    if (report.error !== undefined) {
      phone.status = 'error';
      phone.error = report.error;
      continue;
    }
    const want = expected.get(device.mac ?? device.serial!);
    phone.source = want?.source ?? null;
    if (!want?.file) {
      phone.status = 'error';
      phone.error = want?.error ?? 'not rendered';
      continue;
    }
    // A report of another user (0600) is that phone's error, named as the user named it; the
    // other phones are compared.
    try {
      closeSync(openSync(report.fsPath ?? report.path, 'r'));
    } catch (err) {
      phone.status = 'error';
      phone.error = `cannot read report ${describeSystemError(err, phone.report)}`;
      continue;
    }
    let reported;
    try {
      reported = await loadProfile(report.fsPath ?? report.path, {
        keys,
        ...(options.md ? { md: options.md } : {}),
        from: 'xml',
        displayName: phone.report,
      });
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      phone.status = 'error';
      phone.error = err.message;
      continue;
    }
    const comparison = compareWithReport(
      parseProfileXml(want.file).parameters,
      reported.parameters,
      {
        catalog: DEFAULT_CATALOG,
        showSecrets: options.showSecrets === true,
      },
    );
    phone.changes = comparison.changes;
    phone.checked = comparison.checked;
    phone.ignored = comparison.ignored;
    phone.status = comparison.changes.length === 0 ? 'in-sync' : 'drift';
  }

  const reported = new Set(matched.flatMap((m) => (m.device ? [m.device.index] : [])));
  const withoutReport = devices
    .filter((d) => !reported.has(d.index))
    .map((d) => d.mac ?? d.serial ?? `${inventory.shown} ${d.where}`);
  const byParameter = new Map<string, number>();
  for (const p of phones) {
    for (const c of p.changes) byParameter.set(c.name, (byParameter.get(c.name) ?? 0) + 1);
  }
  const count = (status: PhoneDrift['status']) => phones.filter((p) => p.status === status).length;
  const summary: DriftReport['summary'] = {
    phones: phones.length,
    inSync: count('in-sync'),
    drift: count('drift'),
    error: count('error'),
    unknown: count('unknown'),
    withoutReport: withoutReport.length,
    changes: phones.reduce((n, p) => n + p.changes.length, 0),
    byParameter: [...byParameter]
      .map(([name, n]) => ({ name, phones: n }))
      .sort((a, b) => b.phones - a.phones || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  for (const p of phones) {
    if (p.status === 'unknown') {
      notes.push(`${p.report}: ${p.device} is not in ${inventory.shown} (not compared)`);
    }
  }
  if (summary.phones > 0 && summary.phones === summary.unknown) {
    notes.push(`no reporting phone is in ${inventory.shown}: nothing was compared`);
  }
  return {
    report: {
      reports: options.reports,
      inventory: inventory.shown,
      phones,
      withoutReport,
      summary,
    },
    notes,
    warnings: [...linkWarnings, ...keys.warnings],
    // Reports only from phones the inventory lacks: nothing was compared, so nothing is in sync.
    exitCode:
      summary.drift + summary.error > 0 || summary.inSync === 0 ? ExitCode.Bad : ExitCode.Ok,
  };
}
