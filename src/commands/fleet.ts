/**
 * `cisco-prov fleet --log <access.log> [--reports <dir> -i …] -o fleet.html`: the fleet page as
 * one static file, from any web server's access log (the `inspect --log` reader and aggregator),
 * with each phone's drift when reports and an inventory are given (the `drift` command).
 */
import type { Readable } from 'node:stream';
import type { Digest } from '../crypto/index.js';
import type { KeyOptions } from '../io/keys.js';
import {
  DEFAULT_FLEET_SETTINGS,
  FleetTracker,
  type FleetDrift,
  type FleetSettings,
} from '../device/fleet.js';
import { ScheduleError, parseSchedule } from '../profile/resync.js';
import {
  CliError,
  ExitCode,
  badInput,
  describeSystemError,
  isCliError,
  usageError,
} from '../errors.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { refuseOutputOverInput } from '../io/writer.js';
import { renderFleetPage } from '../output/fleet-page.js';
import { drift } from './drift.js';
import {
  guardedLogText,
  jsonFieldNames,
  logChunksOf,
  notAJsonLogError,
  notALogError,
  openLog,
  readLineBatches,
} from './inspect.js';
import type { AccessLogFormat } from '../device/access-log.js';
import type { ForeignUnicode } from '../profile/text-encoding.js';
import type { InventoryFormat } from '../render/inventory.js';

export interface FleetOptions extends KeyOptions {
  log: string;
  /** --log-format: `auto` (JSON when the first line starts with `{`), `text` or `json`. */
  logFormat?: AccessLogFormat;
  /** --log-field `<field>=<key>` (repeatable): where a JSON log keeps a field. */
  logField?: readonly string[];
  reports?: string;
  /** A file, or `-` for stdin (then the log is a file). */
  inventory?: string;
  /** `--inventory-format`: csv, json or yaml (default: by extension; sniffed on stdin). */
  inventoryFormat?: InventoryFormat;
  template?: string;
  vars?: readonly string[];
  /** The time "late" is measured against (ISO 8601); default now. */
  now?: string;
  resyncPeriodic?: string;
  errorRetryDelay?: string;
  grace?: number;
  fnfSuccess?: boolean;
  /** Requests shown per phone (default 20). */
  history?: number;
  /** `-o`: where the page goes (stdout when absent); never the log or the inventory. */
  output?: string;
  title?: string;
  /** Encrypted reports: only this EVP_BytesToKey digest (default md5, then sha256), as drift. */
  md?: Digest;
  /** `--follow-links`: follow symbolic links in the reports directory, as drift. */
  followLinks?: boolean;
  cwd?: string;
  stdin?: Readable & { isTTY?: boolean };
}

export interface FleetResult {
  data: string;
  binary: false;
  warnings: string[];
}

/** Checks the resync options at the door (also serve --fleet's). */
export function fleetSettings(options: {
  resyncPeriodic?: string | undefined;
  errorRetryDelay?: string | undefined;
  grace?: number | undefined;
}): FleetSettings {
  const schedule = (flag: string, value: string | undefined, fallback: string): string => {
    if (value === undefined) return fallback;
    try {
      parseSchedule(value, flag);
    } catch (err) {
      if (err instanceof ScheduleError) throw usageError(err.message);
      throw err;
    }
    return value.trim();
  };
  return {
    resyncPeriodic: schedule(
      '--resync-periodic',
      options.resyncPeriodic,
      DEFAULT_FLEET_SETTINGS.resyncPeriodic,
    ),
    errorRetryDelay: schedule(
      '--error-retry-delay',
      options.errorRetryDelay,
      DEFAULT_FLEET_SETTINGS.errorRetryDelay,
    ),
    graceSeconds: options.grace === undefined ? DEFAULT_FLEET_SETTINGS.graceSeconds : options.grace,
  };
}

/** The options that only feed the drift column, by the flag a user typed. */
const DRIFT_ONLY_OPTIONS: ReadonlyArray<[keyof FleetOptions, string]> = [
  ['inventory', '--inventory'],
  ['inventoryFormat', '--inventory-format'],
  ['template', '--template'],
  ['vars', '--vars'],
  ['key', '--key'],
  ['keyFile', '--key-file'],
  ['keyEnv', '--key-env'],
  ['ikm', '--ikm'],
  ['ikmFile', '--ikm-file'],
  ['ikmEnv', '--ikm-env'],
  ['md', '--md'],
  ['followLinks', '--follow-links'],
];

/**
 * Checks the drift options at the door, before a long log is read: --reports needs an
 * inventory, and an inventory, template, vars or key without --reports would be ignored
 * (a page without the drift column the admin asked for), so it is a usage error, as
 * `inspect --fnf-success` without --log is.
 */
function checkDriftOptions(options: FleetOptions): void {
  if (options.reports === undefined) {
    const given = DRIFT_ONLY_OPTIONS.filter(([key]) => options[key] !== undefined).map(
      ([, flag]) => flag,
    );
    if (given.length > 0) {
      throw usageError(
        `${given.join(', ')} only ${given.length === 1 ? 'applies' : 'apply'} with --reports (each phone's drift)`,
        'give --reports <dir> with the inventory the phones should match, or leave them out',
      );
    }
    return;
  }
  if (options.inventory === undefined) {
    throw usageError(
      '--reports needs --inventory (and --template/--vars as for render)',
      'drift compares each report with the profile rendered for the phone',
    );
  }
  if (options.inventory === '-' && options.log === '-') {
    throw usageError('--log - and -i - both read stdin: give one of them as a file');
  }
}

/** Parses --now. */
function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw usageError(
      `--now expected an ISO 8601 time (2026-11-25T10:00:00Z), got ${JSON.stringify(text)}`,
    );
  }
  return new Date(ms);
}

/**
 * Drift per phone id (MAC or serial) from a reports directory, for the page.
 * @returns undefined when no --reports was given
 */
export async function fleetDrift(
  options: FleetOptions,
  warnings: string[],
): Promise<Map<string, FleetDrift> | undefined> {
  checkDriftOptions(options);
  if (options.reports === undefined || options.inventory === undefined) return undefined;
  const result = await drift({
    ...options,
    reports: options.reports,
    inventory: options.inventory,
    // The page is worth having before the first phone reports.
    noReportsIsError: false,
  });
  warnings.push(...result.warnings, ...result.notes);
  const map = new Map<string, FleetDrift>();
  for (const p of result.report.phones) {
    map.set(p.device, {
      status: p.status,
      count: p.changes.length,
      reportTime: p.reportTime,
      changes: p.changes.map((c) => ({
        name: c.name,
        change: c.change,
        expected: c.expected,
        reported: c.reported,
      })),
      ...(p.error !== undefined ? { error: p.error } : {}),
    });
  }
  return map;
}

/**
 * Writes the fleet page from an access log.
 * @example await fleet({ log: '/var/log/nginx/access.log' }) // { data: '<!DOCTYPE html>…' }
 */
export async function fleet(options: FleetOptions): Promise<FleetResult> {
  refuseEmptyPaths({
    '--log': options.log,
    '-o': options.output,
    '--reports': options.reports,
    '--inventory': options.inventory,
    '--template': options.template,
    '--vars': (options.vars ?? []).includes('') ? '' : undefined,
  });
  // `-o access.log` (the --log) replaced the log with the page; the inventory alike.
  refuseOutputOverInput(options.output, options.log === '-' ? 0 : options.log);
  if (options.inventory !== undefined) {
    refuseOutputOverInput(options.output, options.inventory === '-' ? 0 : options.inventory);
  }
  const settings = fleetSettings(options);
  const now = parseNow(options.now);
  checkDriftOptions(options);
  const jsonFields = jsonFieldNames(options.logField, options.logFormat);
  const warnings: string[] = [];
  const source = options.log === '-' ? '<stdin>' : options.log;
  let stream: AsyncIterable<unknown>;
  if (options.log === '-') {
    const stdin = options.stdin ?? process.stdin;
    if ((stdin as { isTTY?: boolean }).isTTY) {
      throw usageError('no log given and stdin is a terminal', 'give --log <file>, or pipe it in');
    }
    stream = logChunksOf(stdin);
  } else stream = openLog(options.log, options.cwd ?? process.cwd());
  const tracker = new FleetTracker({
    fnfIsSuccess: options.fnfSuccess === true,
    logFormat: options.logFormat ?? 'auto',
    jsonFields,
    ...(options.history !== undefined ? { historyLimit: options.history } : {}),
  });
  const found: { foreign?: ForeignUnicode } = {};
  try {
    for await (const batch of readLineBatches(guardedLogText(stream, source, found))) {
      for (const line of batch) tracker.addLine(line);
    }
  } catch (err) {
    if (isCliError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) {
      throw new CliError(ExitCode.Failure, `cannot read ${source}: corrupt gzip data`);
    }
    throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, source)}`);
  }
  // As `inspect --log`: nothing to show is an input found bad (exit 1), not a page of no phones
  // that replaces yesterday's from a cron job given the wrong file (an error log, a truncated one).
  const lines = tracker.lineCounts;
  if (lines.total === lines.blank) {
    throw badInput(`${source}: the log is empty: no request to show`);
  }
  if (lines.malformed === lines.total - lines.blank) {
    if (tracker.logFormat === 'json') {
      throw notAJsonLogError(source, 'fleet', tracker.firstMalformedLine);
    }
    // serve --log-format json's own log, most likely: notALogError says so, as inspect --log does.
    throw notALogError(source, 'fleet', found.foreign, tracker.jsonLikeLines === lines.malformed);
  }
  const driftByPhone = await fleetDrift(options, warnings);
  const data = tracker.snapshot({
    now,
    source,
    settings,
    ...(driftByPhone ? { drift: driftByPhone } : {}),
  });
  if (data.lines.phone === 0) {
    warnings.push(
      `${source}: no request from a Cisco phone (combined log format with User-Agents needed)`,
    );
  }
  const page = renderFleetPage(data, options.title !== undefined ? { title: options.title } : {});
  return { data: page.html, binary: false, warnings };
}
