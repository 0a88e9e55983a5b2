/**
 * The fleet as the provisioning server sees it: every phone that asked, its last request and
 * what the phone does next (outcomes A/B/C, reference §5), when it should come back and whether
 * it is late, and its recent requests. Fed with access-log lines — from a web server's log or
 * from `serve`'s own records — through the `inspect --log` parser and aggregator, so both give
 * the same rows.
 *
 * When is a phone due (reference §5): after outcome A, `Resync_Periodic` seconds later (plus a
 * random delay); after B or C, `Resync_Error_Retry_Delay` later — on 2025 firmware a backoff
 * list (`60,120,240,…`: the n-th consecutive failure waits the n-th delay, the last repeats).
 * The server cannot see the phones' values, so they are options with the guides' defaults.
 * Schedules are read by src/profile/resync.ts, which `fetch` shares.
 */
import {
  AccessLogAggregator,
  outcomeForStatus,
  type AccessLogFormat,
  type AccessLogSummary,
  type Outcome,
  type PhoneSummary,
  type SummarizeOptions,
} from './access-log.js';
import { parseUserAgent, type UserAgentInfo } from './user-agent.js';
import { parseSchedule, scheduleStep, type ScheduleStep } from '../profile/resync.js';
import { maskSecretQuery } from '../profile/secrets.js';

/**
 * One request of a phone, as the page shows it (no secret: secret query values masked).
 * @example fleet.snapshot({ now, source }).phones[0]?.history[0]?.status // 200
 */
export interface FleetRequest {
  /** ISO 8601 UTC, or null when the log line's time did not parse. */
  time: string | null;
  method: string | null;
  path: string | null;
  status: number | null;
  outcome: Outcome | null;
  address: string;
  firmware: string | null;
}

/**
 * When the phone should come back, and whether it is late.
 * @example fleet.snapshot({ now, source }).phones.filter((p) => p.resync.late)
 */
export interface ResyncDue {
  /** ISO 8601 UTC; null when unknown (no outcome yet, or no readable time). */
  due: string | null;
  /** The delay used, in seconds, and which parameter it comes from. */
  delaySeconds: number | null;
  basis: 'Resync_Periodic' | 'Resync_Error_Retry_Delay' | null;
  late: boolean;
  /** How late, in seconds (0 when not late). */
  lateBySeconds: number;
}

/**
 * A phone's drift, from its last report (see `drift`).
 * @example fleet.snapshot({ now, source, drift: new Map([['00562b043615', fleetDrift]]) })
 */
export interface FleetDrift {
  status: 'in-sync' | 'drift' | 'error' | 'unknown';
  count: number;
  reportTime: string;
  /** The differing parameters: name, what it should be, what the phone has (secrets masked). */
  changes: { name: string; change: string; expected: string; reported: string | null }[];
  error?: string;
}

/**
 * One phone of the fleet page: its access-log row, resync due time, recent requests, drift.
 * @example fleet.snapshot({ now, source }).phones[0]?.resync // when the phone is next due
 */
export interface FleetPhone {
  summary: PhoneSummary;
  resync: ResyncDue;
  /** The latest requests, newest first (at most `historyLimit`). */
  history: FleetRequest[];
  /** Consecutive B/C outcomes at the end of the history. */
  consecutiveFailures: number;
  drift: FleetDrift | null;
}

/**
 * The fleet at one moment (FleetTracker#snapshot), what renderFleetPage draws.
 * @example renderFleetPage(fleet.snapshot({ now: new Date(), source: 'access.log' }))
 */
export interface FleetData {
  /** The time "late" is measured against, ISO 8601 UTC. */
  now: string;
  source: string;
  settings: FleetSettings;
  phones: FleetPhone[];
  lines: AccessLogSummary['lines'];
  byModel: AccessLogSummary['byModel'];
  byFirmware: AccessLogSummary['byFirmware'];
  outcomes: AccessLogSummary['outcomes'];
  late: number;
  /** Phones with drift counted (null: no reports were compared). */
  drifted: number | null;
}

/**
 * The phones' resync timers, as their profiles set them, for telling a late phone.
 * @example const settings: FleetSettings = {
 *   resyncPeriodic: '600',
 *   errorRetryDelay: '60',
 *   graceSeconds: 120,
 * };
 */
export interface FleetSettings {
  /** Resync_Periodic as the phones have it (default 3600 s). */
  resyncPeriodic: string;
  /** Resync_Error_Retry_Delay as the phones have it (default 3600 s; 2025 firmware: a list). */
  errorRetryDelay: string;
  /** Seconds of slack before a phone counts as late (covers Resync_Random_Delay and clocks). */
  graceSeconds: number;
}

/**
 * Cisco's defaults: Resync_Periodic and Resync_Error_Retry_Delay 3600 s, 600 s of grace.
 * @example const settings = { ...DEFAULT_FLEET_SETTINGS, resyncPeriodic: '600' };
 * tracker.snapshot({ now: new Date(), source: 'access.log', settings })
 */
export const DEFAULT_FLEET_SETTINGS: FleetSettings = {
  resyncPeriodic: '3600',
  errorRetryDelay: '3600',
  graceSeconds: 600,
};

export interface FleetTrackerOptions extends SummarizeOptions {
  /** Requests kept per phone (the latest); default 20. */
  historyLimit?: number;
}

/** Requests kept per phone: enough to see a failure streak, small enough for 10,000 phones. */
const DEFAULT_HISTORY_LIMIT = 20;

/** A request as held until snapshot(): raw time and path. */
interface HeldRequest {
  ms: number | null;
  method: string | null;
  path: string | null;
  status: number | null;
  address: string;
  firmware: string | null;
}

/**
 * The path with the values of secret-looking query parameters masked (the shared classifier).
 * @example maskQuery('/cfg.xml?mac=00562b043615&password=hunter22')
 * // '/cfg.xml?mac=00562b043615&password=********'
 */
export const maskQuery = maskSecretQuery;

const UA_CACHE_LIMIT = 10_000;

/** The last segments of serve's own endpoints: `/healthz` (a load balancer's) and `/fleet`. */
const SERVER_ENDPOINTS: ReadonlySet<string> = new Set(['healthz', 'fleet']);

/**
 * Whether a logged request target is a health check or the fleet page — `/healthz`, `/fleet`,
 * with a query, or under a proxy's prefix (`/cisco/healthz`, a `location /cisco/` in front of
 * serve) — and so no resync, whatever User-Agent asked (a health check copying a phone's, a
 * phone's browser).
 * @example isServerEndpoint('/healthz?probe=lb1') // true
 * isServerEndpoint('/cfg/00562b043615.xml') // false
 */
function isServerEndpoint(path: string | null): boolean {
  if (path === null) return false;
  let end = path.length;
  const query = path.indexOf('?');
  if (query !== -1) end = query;
  const hash = path.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  const slash = path.lastIndexOf('/', end - 1);
  return slash !== -1 && SERVER_ENDPOINTS.has(path.slice(slash + 1, end));
}

/**
 * Streams access-log lines into per-phone rows (the `inspect --log` aggregator) and each phone's
 * recent requests. Feed with addLine(); read with snapshot().
 * @example const fleet = new FleetTracker();
 * for (const line of accessLogLines) fleet.addLine(line);
 * renderFleetPage(fleet.snapshot({ now: new Date(), source: 'access.log' }))
 */
export class FleetTracker {
  private readonly aggregator: AccessLogAggregator;
  private readonly history = new Map<string, HeldRequest[]>();
  private readonly uaCache = new Map<string, UserAgentInfo>();
  private readonly historyLimit: number;
  private readonly counts = { total: 0, blank: 0, malformed: 0 };

  constructor(private readonly options: FleetTrackerOptions = {}) {
    this.aggregator = new AccessLogAggregator(options);
    this.historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  }

  private userAgentInfo(userAgent: string): UserAgentInfo {
    let info = this.uaCache.get(userAgent);
    if (info === undefined) {
      info = parseUserAgent(userAgent);
      if (this.uaCache.size >= UA_CACHE_LIMIT) this.uaCache.clear();
      this.uaCache.set(userAgent, info);
    }
    return info;
  }

  /** Adds one access-log line (common, combined or JSON, without its newline). */
  addLine(line: string): void {
    const entry = this.aggregator.parseLine(line);
    this.counts.total++;
    if (entry === null) {
      if (line.trim() === '') this.counts.blank++;
      else this.counts.malformed++;
    }
    // A health check or the fleet page itself is no phone's request, whoever logged it: as
    // serve's own --fleet page leaves them out, so does every log read here.
    if (entry !== null && isServerEndpoint(entry.path)) return;
    // A POST/PUT is a Report_Rule upload, not a resync: it joins the history, not the outcome.
    const upload = entry?.method === 'POST' || entry?.method === 'PUT';
    if (!upload) this.aggregator.addLine(line);
    if (!entry) return;
    const info = entry.userAgent === null ? null : this.userAgentInfo(entry.userAgent);
    if (!info?.isCisco && !this.options.allClients) return;
    const phone = info?.isCisco ? info : null;
    // The aggregator's key: MAC, else serial, else the client address.
    const key = phone?.mac
      ? `mac:${phone.mac}`
      : phone?.serial
        ? `serial:${phone.serial}`
        : `address:${entry.address}`;
    let list = this.history.get(key);
    if (!list) {
      list = [];
      this.history.set(key, list);
    }
    // Kept raw; times are formatted and queries masked for the few kept, at snapshot().
    list.push({
      ms: entry.timestamp,
      method: entry.method,
      path: entry.path,
      status: entry.status,
      address: entry.address,
      firmware: phone?.firmware ?? null,
    });
    // Keep twice the limit between trims: one splice per `limit` lines, not one per line.
    if (list.length > this.historyLimit * 2) list.splice(0, list.length - this.historyLimit);
  }

  /**
   * Every line added so far (uploads too): how many, how many blank, how many in neither the
   * common nor the combined format — whether the input was an access log at all.
   * @example tracker.lineCounts // { total: 17, blank: 1, malformed: 1 }
   */
  get lineCounts(): { total: number; blank: number; malformed: number } {
    return { ...this.counts };
  }

  /** How the lines are read (`auto` until a line that is not blank has been added). */
  get logFormat(): AccessLogFormat {
    return this.aggregator.logFormat;
  }

  /** The first malformed line's number, and why it is none in a JSON log. */
  get firstMalformedLine(): { line: number; reason: string | null } | null {
    return this.aggregator.firstMalformedLine;
  }

  /** How many of the lines in no access-log format start with `{` (JSON lines, such as `serve
   * --log-format json` writes). */
  get jsonLikeLines(): number {
    return this.aggregator.jsonLikeLines;
  }

  /**
   * The fleet now: rows, due times, history newest first, and drift joined by MAC or serial.
   * @param drift drift per phone id (MAC or serial), from `drift`
   */
  snapshot(options: {
    now: Date;
    source: string;
    settings?: FleetSettings;
    drift?: ReadonlyMap<string, FleetDrift>;
  }): FleetData {
    const settings = options.settings ?? DEFAULT_FLEET_SETTINGS;
    const summary = this.aggregator.summary();
    const periodic = parseSchedule(settings.resyncPeriodic, 'Resync_Periodic');
    const retry = parseSchedule(settings.errorRetryDelay, 'Resync_Error_Retry_Delay');
    const nowMs = options.now.getTime();
    let late = 0;
    let drifted: number | null = options.drift ? 0 : null;
    const phones = summary.phones.map((row): FleetPhone => {
      const key = `${row.keyKind}:${row.key}`;
      const requests = (this.history.get(key) ?? []).slice(-this.historyLimit);
      // Sort by time (stable: equal or unreadable times keep file order), newest first.
      const ordered = requests
        .map((r, i) => ({ r, i }))
        .sort((a, b) => {
          const ta = a.r.ms ?? -Infinity;
          const tb = b.r.ms ?? -Infinity;
          return ta < tb ? 1 : ta > tb ? -1 : b.i - a.i;
        })
        .map(({ r }): FleetRequest => ({
          time: r.ms === null ? null : new Date(r.ms).toISOString(),
          method: r.method,
          path: r.path === null ? null : maskQuery(r.path),
          status: r.status,
          outcome:
            r.method === 'POST' || r.method === 'PUT'
              ? null
              : outcomeForStatus(r.status, this.options).outcome,
          address: r.address,
          firmware: r.firmware,
        }));
      let consecutiveFailures = 0;
      for (const r of ordered) {
        if (r.outcome === 'A') break;
        if (r.outcome === 'B' || r.outcome === 'C') consecutiveFailures++;
      }
      const resync = dueOf(row, consecutiveFailures, periodic, retry, settings, nowMs);
      if (resync.late) late++;
      const drift = options.drift?.get(row.mac ?? row.serial ?? '') ?? null;
      if (drift && drift.status === 'drift' && drifted !== null) drifted++;
      return { summary: row, resync, history: ordered, consecutiveFailures, drift };
    });
    return {
      now: options.now.toISOString(),
      source: options.source,
      settings,
      phones,
      lines: summary.lines,
      byModel: summary.byModel,
      byFirmware: summary.byFirmware,
      outcomes: summary.outcomes,
      late,
      drifted,
    };
  }
}

function dueOf(
  row: PhoneSummary,
  consecutiveFailures: number,
  periodic: readonly ScheduleStep[],
  retry: readonly ScheduleStep[],
  settings: FleetSettings,
  nowMs: number,
): ResyncDue {
  const unknown: ResyncDue = {
    due: null,
    delaySeconds: null,
    basis: null,
    late: false,
    lateBySeconds: 0,
  };
  if (row.outcome === null || row.lastSeen === null) return unknown;
  const success = row.outcome === 'A';
  // The base delay: the random part (Resync_Random_Delay, `+spread`) is what --grace covers.
  const delaySeconds = success
    ? scheduleStep(periodic, 1).seconds
    : scheduleStep(retry, Math.max(consecutiveFailures, 1)).seconds;
  const dueMs = Date.parse(row.lastSeen) + delaySeconds * 1000;
  const lateByMs = nowMs - dueMs - settings.graceSeconds * 1000;
  return {
    due: new Date(dueMs).toISOString(),
    delaySeconds,
    basis: success ? 'Resync_Periodic' : 'Resync_Error_Retry_Delay',
    late: lateByMs > 0,
    lateBySeconds: lateByMs > 0 ? Math.round((nowMs - dueMs) / 1000) : 0,
  };
}
