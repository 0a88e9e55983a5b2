/**
 * The provisioning server behind `cisco-prov serve`: node:http / node:https, no framework.
 *
 * Each request: the path is checked (no traversal), the client authenticated when --auth-file is
 * given, the route matched (a device's own profile, a bootstrap name, a report upload), the
 * device cross-checked against its User-Agent (reference §6), and its profile rendered, checked
 * by the validator and sealed for that request (profiles.ts). Every request ends in one
 * RequestRecord, handed to each `onRequest` listener: the CLI turns it into an access-log line,
 * a fleet page can keep the last one per phone.
 *
 * Stateless but for --reports: several instances behind a load balancer serve the same fleet.
 */
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import { asTemplateText } from '../render/engine.js';
import { outcomeForStatus, type Outcome } from '../device/access-log.js';
import { parseUserAgent, type UserAgentInfo } from '../device/user-agent.js';
import { SECRET_MASK, maskSecretQuery } from '../profile/secrets.js';
import {
  NonceCounts,
  challenges,
  checkAuthorization,
  type AuthConfig,
  type AuthResult,
  type NonceLedger,
} from './auth.js';
import {
  ProfileService,
  bootstrapVars,
  chooseForm,
  type ProfileForm,
  type RenderSubject,
  type ServeKeys,
} from './profiles.js';
import { clientAddress, type TrustedProxies } from './client-address.js';
import { ReportStore, openReport, reportKeysOf } from './reports.js';
import { checkRequestPath, compileRoute, matchRoute, type Route } from './routes.js';
import {
  SiteLoadError,
  commonVars,
  loadSite,
  linksOutsideWarnings,
  partialsReadAtUse,
  skippedTemplatesWarning,
  type Site,
  type SiteDevice,
  type SiteSources,
} from './site.js';

/** Everything a server instance needs. */
export interface ServeConfig {
  sources: SiteSources;
  /** Per-device route patterns (render's --name macros); default DEFAULT_ROUTES. */
  routes: readonly string[];
  keys: ServeKeys;
  gzip: boolean;
  /** Cached renders per instance; 0 turns the cache off. */
  cacheSize: number;
  reports?: { dir: string; keep: number } | undefined;
  auth?: AuthConfig | undefined;
  /** Largest request body (report upload) accepted. */
  maxBodyBytes: number;
  /** Refuse (403) a device request whose User-Agent names no MAC or serial. */
  strictUserAgent: boolean;
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number; idleMs: number };
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /**
   * `--fleet`: the fleet page at `/fleet` (GET/HEAD), behind the same auth as the profiles.
   * The page (HTML and its Content-Security-Policy) comes from the caller, built per request.
   */
  fleet?: { page(): Promise<{ html: string; csp: string }> } | undefined;
  /** Where Digest nonce counts are kept; default this process's own (NonceCounts). */
  nonceLedger?: NonceLedger | undefined;
  /** `--trust-proxy`: peers whose `X-Forwarded-For` names the client (its address is logged). */
  trustedProxies?: TrustedProxies | undefined;
}

/**
 * What kind of request it was. `malformed`: refused by Node's HTTP parser before it became a
 * request (method, target and protocol are then `-`). `health` (`/healthz`) and `page` (`/fleet`,
 * an addPage page) are the server's own endpoints: no phone's provisioning request, whatever
 * User-Agent asks for them.
 */
export type RequestKind =
  'profile' | 'bootstrap' | 'report' | 'health' | 'page' | 'other' | 'malformed';

/**
 * One request, as it ended: what a log line or a fleet tracker needs. Never holds a secret:
 * query values whose names look secret are masked, and `reason` is masked too.
 */
export interface RequestRecord {
  time: Date;
  /** Client address. */
  address: string;
  /** The authenticated user (Basic/Digest), or null. */
  user: string | null;
  method: string;
  /** The request target as logged (secret query values masked). */
  target: string;
  protocol: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  referer: string | null;
  userAgent: string | null;
  /** The parsed User-Agent (model, firmware, MAC or serial). */
  ua: UserAgentInfo | null;
  kind: RequestKind;
  /** The inventory device the request was for, when known. */
  device: { id: string; mac?: string; serial?: string; model: string } | null;
  /** What the phone does next (reference §5): A, B, C, or null (retries at once). */
  outcome: Outcome | null;
  /** Why it was not a plain success: one line, masked. */
  reason?: string;
  /** How a profile was sealed, and whether it came from the cache. */
  form?: ProfileForm;
  cached?: boolean;
  /** Where a report was stored. */
  reportFile?: string;
  durationMs: number;
}

/** A server-level event for the operator's log (reloads, warnings, failures). */
export interface ServerEvent {
  time: Date;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** An extra page: what to answer a GET for its path. */
export type ServerPage = (request: IncomingMessage) => {
  status?: number;
  contentType: string;
  body: string | Uint8Array;
};

/**
 * The request target with the values of secret-looking query parameters masked, and the
 * userinfo of an absolute-form target (`http://user:password@host/…`, refused but logged).
 */
export function maskTarget(target: string): string {
  return maskSecretQuery(target);
}

/**
 * Parsed User-Agents by string: a phone sends the same one at every resync, so each is parsed
 * once. Bounded — at most UA_CACHE_LIMIT strings of at most UA_CACHE_MAX_LENGTH characters (a
 * Cisco User-Agent has about 50), emptied when full — so a client sending endless long ones
 * cannot grow it; the parsed objects are frozen: records share them.
 */
const UA_CACHE_LIMIT = 20_000;
const UA_CACHE_MAX_LENGTH = 160;
const uaCache = new Map<string, UserAgentInfo>();

function cachedUserAgent(header: string): UserAgentInfo {
  if (header.length > UA_CACHE_MAX_LENGTH) return parseUserAgent(header);
  let info = uaCache.get(header);
  if (info === undefined) {
    if (uaCache.size >= UA_CACHE_LIMIT) uaCache.clear();
    info = Object.freeze(parseUserAgent(header));
    uaCache.set(header, info);
  }
  return info;
}

/** Response headers as writeHead's flat list: name, value, name, value… (with Content-Type). */
type HeaderList = readonly string[];

/** Sends an answer (status, body, headers). Returns undefined so a handler can `return send(…)`. */
type Send = (
  status: number,
  body: Uint8Array | string,
  headers?: Record<string, string | string[]> | HeaderList,
) => undefined;
/** Sends a plain-text error answer and keeps the reason for the log. */
type Fail = (
  status: number,
  reason: string,
  headers?: Record<string, string | string[]>,
) => undefined;

/** Headers every answer carries. */
const COMMON_HEADERS: readonly string[] = [
  'Cache-Control',
  'no-store',
  'X-Content-Type-Options',
  'nosniff',
];

function isHeaderList(h: Record<string, string | string[]> | HeaderList): h is HeaderList {
  return Array.isArray(h);
}

function headerList(headers: Record<string, string | string[]>): string[] {
  const out: string[] = [];
  for (const k in headers) {
    const v = headers[k]!;
    if (typeof v === 'string') out.push(k, v);
    else for (const one of v) out.push(k, one);
  }
  return out;
}

function deviceInfo(device: SiteDevice): NonNullable<RequestRecord['device']> {
  const d = device.inventory;
  return {
    id: d.mac ?? d.serial ?? '',
    ...(d.mac ? { mac: d.mac } : {}),
    ...(d.serial ? { serial: d.serial } : {}),
    model: d.phone.model,
  };
}

/** Whether the User-Agent contradicts the device the path names (reference §6). */
function userAgentMismatch(ua: UserAgentInfo, device: SiteDevice): string | undefined {
  const d = device.inventory;
  if (ua.mac !== null && d.mac !== undefined && ua.mac !== d.mac) {
    return `User-Agent MAC ${ua.mac} is not the MAC of ${d.mac}`;
  }
  if (
    ua.serial !== null &&
    d.serial !== undefined &&
    ua.serial.toUpperCase() !== d.serial.toUpperCase()
  ) {
    return `User-Agent serial ${ua.serial} is not the serial of ${d.mac ?? d.serial}`;
  }
  if (ua.mac !== null && d.mac === undefined && ua.serial === null) {
    return `User-Agent MAC ${ua.mac} but ${d.serial} has no MAC in the inventory`;
  }
  return undefined;
}

class BodyTooLarge extends Error {}

/** Drains a body nobody reads; past the limit (a chunked flood) the connection is cut. */
function discardBody(req: IncomingMessage, limit: number): void {
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) req.socket.destroy();
  });
  req.resume();
}

/** Reads a request body up to a limit. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        // Keep draining (discarding) so the client reads the 413; far beyond the limit, cut.
        if (size > limit * 16) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (over ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
    req.on('close', () => {
      if (over) reject(new BodyTooLarge());
    });
  });
}

/**
 * A provisioning server instance.
 * @example
 * const server = new ProvisioningServer(config);
 * server.onRequest((r) => console.log(r.status, r.target));
 * await server.listen(8080, '127.0.0.1');
 */
/** What watchSources watches for a site: files by name in their directories, whole trees. */
interface WatchPlan {
  /** Directory → the names in it that matter (an editor's save replaces a file: a new inode). */
  byDir: Map<string, Set<string>>;
  /** Template directories, watched recursively. */
  trees: string[];
  /** Every directory watched, looked up again by path once a second. */
  dirs: string[];
  /** Equal for equal plans. */
  key: string;
}

function watchPlan(site: Site): WatchPlan {
  const templateDir = site.templates.file ? undefined : site.templates.root;
  const byDir = new Map<string, Set<string>>();
  const addName = (path: string): void => {
    const dir = dirname(path);
    (byDir.get(dir) ?? (byDir.set(dir, new Set()).get(dir) as Set<string>)).add(basename(path));
  };
  // A template file named through a link is watched by its real path and by the link's name.
  for (const path of site.watched) if (path !== templateDir) addName(path);
  // A partial named by a variable, once a render has read it (a directory's are in its tree).
  for (const { path } of partialsReadAtUse(site)) {
    if (templateDir === undefined || !within(templateDir, path)) addName(path);
  }
  // The template directory's own name, in its parent: it may be renamed away and back.
  if (templateDir) addName(templateDir);
  const trees = templateDir ? [templateDir] : [];
  const dirs = [...byDir.keys(), ...trees];
  const key = JSON.stringify([[...byDir].map(([d, n]) => [d, [...n].sort()]), trees]);
  return { byDir, trees, dirs, key };
}

/** Whether `path` is in the same directory as `root` or below it, by name. */
function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Whether a template file holds `text` now (as an engine reads it); false when it is gone. */
function sameText(path: string, text: string): boolean {
  try {
    return asTemplateText(readFileSync(path)) === text;
  } catch {
    return false;
  }
}

export class ProvisioningServer {
  private siteRef: Site;
  private readonly routes: Route[];
  private readonly profiles: ProfileService;
  private readonly reportStore: ReportStore | undefined;
  readonly server: Server;
  private readonly requestListeners = new Set<(r: RequestRecord) => void>();
  private readonly eventListeners = new Set<(e: ServerEvent) => void>();
  private watchers: FSWatcher[] = [];
  private reloadTimer: NodeJS.Timeout | undefined;
  /** The once-a-second look-up of the watched directories (watchSources). */
  private watchPoll: NodeJS.Timeout | undefined;
  /** Re-arms the watches when the site now served watches other paths (set by watchSources). */
  private rewatch: (() => void) | undefined;
  private shuttingDown = false;
  private inFlight = 0;
  /** Called when the last request in flight has ended (allRecorded). */
  private readonly idleWaiters: (() => void)[] = [];
  /** Every TCP connection open now (for TLS, the socket under the TLS one). */
  private readonly connections = new Set<Socket>();
  /**
   * The connections HTTP reads requests from (for TLS, those past the handshake), each with
   * the number of its requests being answered now: stopping closes those at 0 at once.
   */
  private readonly requestSockets = new Map<Socket, number>();
  /** Bytes read from each request connection when its last request began (or it opened). */
  private readonly bytesAtRequest = new WeakMap<Socket, number>();
  /**
   * Connections that have carried a request. On one of them Node times out only a next request
   * that has begun (an idle keep-alive connection is not on its timer), so such a timeout is
   * always a stalled request, even when its bytes came in the same read as the previous one.
   */
  private readonly answeredSockets = new WeakSet<Socket>();
  /** Connections Node cut at the request timeout while their body was still awaited. */
  private readonly timedOutSockets = new WeakSet<Socket>();
  /** --tls-cert: connections whose first byte has not come yet (sortConnection). */
  private readonly unsorted = new Set<Socket>();
  /** Connections already answered for a parser error: closing, nothing more is said on them. */
  private readonly refusedSockets = new WeakSet<Socket>();
  private readonly pages = new Map<string, ServerPage>();
  /** Digest nonce counts accepted so far (replays are refused). */
  private readonly nonceCounts: NonceLedger;

  /** Loads the site; throws SiteLoadError (every problem) or an Error for a bad route. */
  constructor(readonly config: ServeConfig) {
    this.routes = config.routes.map((p) => {
      const r = compileRoute(p);
      if ('error' in r) throw new SiteLoadError([r.error]);
      return r;
    });
    this.siteRef = loadSite(config.sources, 1);
    this.nonceCounts = config.nonceLedger ?? new NonceCounts();
    this.profiles = new ProfileService({
      keys: config.keys,
      gzip: config.gzip,
      cacheSize: config.cacheSize,
    });
    this.reportStore = config.reports
      ? new ReportStore({
          dir: config.reports.dir,
          keep: config.reports.keep,
          maxPlaintextBytes: config.maxBodyBytes * 8,
        })
      : undefined;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void this.handle(req, res);
    };
    const t = config.timeouts;
    const serverOptions = {
      maxHeaderSize: 16 * 1024,
      // Node checks headersTimeout/requestTimeout only this often (default every 30 s): a
      // slow-headers client would otherwise hold a socket up to 30 s longer than told.
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(t.headersMs / 2))),
    };
    this.server = config.tls
      ? createHttpsServer(
          {
            ...serverOptions,
            cert: config.tls.cert,
            key: config.tls.key,
            // A handshake gets the time the headers get (Node's default is 120 s): a client that
            // stalls in it holds a socket no longer than one that stalls in its headers.
            handshakeTimeout: t.headersMs,
          },
          handler,
        )
      : createHttpServer(serverOptions, handler);
    if (config.tls) {
      // What the TLS server does with a new connection (Node's handshake), done only once its
      // first byte shows it is TLS: see sortConnection.
      const tlsListeners = this.server.listeners('connection') as ((socket: Socket) => void)[];
      this.server.removeAllListeners('connection');
      const plain = createHttpServer(serverOptions, (req, res) => this.plainAtTlsPort(req, res));
      plain.on('connection', (socket: Socket) => {
        this.requestSockets.set(socket, 0);
        socket.once('close', () => this.requestSockets.delete(socket));
      });
      plain.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) =>
        this.plainClientError(err, socket),
      );
      plain.setTimeout(t.headersMs, (socket) => socket.destroy());
      this.server.on('connection', (socket: Socket) =>
        this.sortConnection(socket, tlsListeners, plain),
      );
    }
    // Tracked so that stopping need not wait for a client that is not asking anything:
    // Node's server.close() waits for every connection, and closeIdleConnections() leaves one
    // that has sent nothing, half a request, or (TLS) not finished its handshake.
    this.server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
    this.server.on(config.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.requestSockets.set(socket, 0);
      this.bytesAtRequest.set(socket, socket.bytesRead);
      socket.once('close', () => this.requestSockets.delete(socket));
    });
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) =>
      this.clientError(err, socket),
    );
    // Node hands CONNECT to this event only (without a listener it drops the connection unlogged).
    this.server.on('connect', (req: IncomingMessage, socket: Socket) =>
      this.refuseConnect(req, socket),
    );
    this.server.headersTimeout = t.headersMs;
    this.server.requestTimeout = t.requestMs;
    this.server.keepAliveTimeout = t.keepAliveMs;
    this.server.setTimeout(t.idleMs, (socket) => socket.destroy());
    this.server.maxHeadersCount = 100;
  }

  /** The site being served now. */
  get site(): Site {
    return this.siteRef;
  }

  /** Subscribes to one record per finished request (the fleet hook). Returns an unsubscribe. */
  onRequest(listener: (r: RequestRecord) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  /**
   * Adds a read-only page (GET/HEAD) at a fixed path, e.g. a fleet overview at `/fleet` built
   * from the records `onRequest` hands out. Pages are served after authentication and before
   * the device routes; a page path shadows a device route of the same name.
   */
  addPage(path: string, page: ServerPage): void {
    this.pages.set(path.replace(/^\/+/, ''), page);
  }

  /** Subscribes to server events (reloads, failures). Returns an unsubscribe. */
  onEvent(listener: (e: ServerEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  private emitEvent(level: ServerEvent['level'], message: string): void {
    const event = { time: new Date(), level, message };
    for (const l of this.eventListeners) l(event);
  }

  /** Starts listening; resolves with the bound address. */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Loads the inventory, vars and templates again and swaps them in. A request in flight
   * finishes on the site it started with. On a problem the old site stays and an error event
   * names it.
   * @returns whether the new site is now served
   */
  reload(why = 'reload'): boolean {
    let next: Site;
    try {
      // The partials named by a variable that the served site read are read with the next one.
      const carried = new Set(this.siteRef.carriedPartials);
      for (const { path } of partialsReadAtUse(this.siteRef)) carried.add(path);
      next = loadSite(this.config.sources, this.siteRef.generation + 1, [...carried]);
    } catch (err) {
      const lines = err instanceof SiteLoadError ? err.lines : [(err as Error).message];
      this.emitEvent(
        'error',
        `${why}: kept the previous site (generation ${this.siteRef.generation}): ${lines.join('; ')}`,
      );
      return false;
    }
    if (next.devices.length === 0 && this.siteRef.devices.length > 0) {
      // A file caught half-written (an editor saving in place) reads as an empty inventory.
      this.emitEvent(
        'error',
        `${why}: kept the previous site (generation ${this.siteRef.generation}): the inventory has no devices now`,
      );
      return false;
    }
    const cut = next.unterminated.find((path) => !this.siteRef.unterminated.includes(path));
    if (cut !== undefined) {
      // An editor or a script writing the file in place, caught half-way: the rest is coming
      // (a watch reloads again when it is written).
      this.emitEvent(
        'error',
        `${why}: kept the previous site (generation ${this.siteRef.generation}): ${cut} ends in the middle of a line now (caught half-written? if it is whole, end it with a line break)`,
      );
      return false;
    }
    const templatesChanged = next.templatesHash !== this.siteRef.templatesHash;
    const broken = templatesChanged ? newlyBrokenTemplate(this.siteRef, next) : undefined;
    if (broken !== undefined) {
      // A template caught half-written (an editor saving in place) rarely parses.
      this.emitEvent(
        'error',
        `${why}: kept the previous site (generation ${this.siteRef.generation}): ${broken}`,
      );
      return false;
    }
    const skippedBefore = this.siteRef.skippedTemplates.join('\0');
    const linksBefore = linksOutsideWarnings(this.siteRef).join('\n');
    this.siteRef = next;
    if (templatesChanged) this.profiles.clearCache();
    this.rewatch?.();
    // Once per change of the templates left out by name, not at every reload.
    const skipped = skippedTemplatesWarning(next);
    if (skipped !== undefined && next.skippedTemplates.join('\0') !== skippedBefore) {
      this.emitEvent('warn', `${why}: ${skipped}`);
    }
    // Links out of the template directory: again only when they change.
    const links = linksOutsideWarnings(next);
    if (links.join('\n') !== linksBefore)
      for (const w of links) this.emitEvent('warn', `${why}: ${w}`);
    this.emitEvent(
      'info',
      `${why}: serving ${next.devices.length} device${next.devices.length === 1 ? '' : 's'} (generation ${next.generation}${templatesChanged ? ', templates changed' : ''})`,
    );
    return true;
  }

  /**
   * Reloads when the inventory, a vars file or a template changes (debounced). A watch follows
   * the directory it was set on, so once a second the watched directories are looked up again
   * by path: one replaced (a deploy's `mv templates.new templates`, a `current` symlink moved to
   * another release) is watched anew and the site reloaded.
   */
  watchSources(debounceMs = 200): void {
    const schedule = (): void => {
      if (this.shuttingDown) return;
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => this.reload('change'), debounceMs);
    };
    const identity = (dir: string): string => {
      try {
        const st = statSync(dir);
        return `${st.dev}:${st.ino}`;
      } catch {
        return '';
      }
    };
    // What is watched comes from the site served now: a reload that changes it (a `-t` link
    // re-pointed to a file in another directory) re-arms the watches (see reload).
    let plan = watchPlan(this.siteRef);
    const seen = new Map<string, string>();
    const add = (dir: string, recursive: boolean, names?: Set<string>): void => {
      try {
        const w = watch(dir, { recursive, persistent: false }, (_event, name) => {
          if (!names || (name !== null && names.has(basename(String(name))))) schedule();
        });
        w.on('error', () => {});
        this.watchers.push(w);
      } catch (err) {
        this.emitEvent(
          'warn',
          `cannot watch ${dir} (${(err as Error).message}): reload with SIGHUP`,
        );
      }
    };
    const arm = (): void => {
      for (const w of this.watchers) w.close();
      this.watchers = [];
      seen.clear();
      for (const dir of plan.dirs) seen.set(dir, identity(dir));
      for (const [dir, names] of plan.byDir) if (seen.get(dir) !== '') add(dir, false, names);
      for (const dir of plan.trees) if (seen.get(dir) !== '') add(dir, true);
    };
    arm();
    this.rewatch = (): void => {
      const next = watchPlan(this.siteRef);
      if (next.key === plan.key) return;
      plan = next;
      arm();
    };
    clearInterval(this.watchPoll);
    // The partials named by a variable that the site served has read (see partialsReadAtUse).
    let atUse = { site: this.siteRef, seen: new Set<string>() };
    this.watchPoll = setInterval(() => {
      if (this.shuttingDown) return;
      if (plan.dirs.some((dir) => identity(dir) !== seen.get(dir))) {
        arm();
        schedule();
        return;
      }
      if (atUse.site !== this.siteRef) atUse = { site: this.siteRef, seen: new Set() };
      const fresh = partialsReadAtUse(this.siteRef).filter(({ path }) => !atUse.seen.has(path));
      if (fresh.length === 0) return;
      // New ones: watched from now on; one edited since its render read it reloads now.
      for (const { path } of fresh) atUse.seen.add(path);
      this.rewatch?.();
      if (fresh.some(({ path, text }) => !sameText(path, text))) schedule();
    }, 1000);
    this.watchPoll.unref();
  }

  /**
   * Stops accepting connections, lets requests in flight finish (keep-alive connections are
   * closed after their current response), and after `graceMs` closes whatever is left.
   * @returns how many requests were still in flight at `graceMs`, and cut off (0: none)
   */
  close(graceMs = 10_000): Promise<number> {
    this.shuttingDown = true;
    clearTimeout(this.reloadTimer);
    clearInterval(this.watchPoll);
    for (const w of this.watchers) w.close();
    this.watchers = [];
    let cut = 0;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        cut = this.inFlight;
        this.server.closeAllConnections();
        // A TLS client still in its handshake is no HTTP connection yet.
        for (const socket of this.connections) socket.destroy();
      }, graceMs);
      timer.unref();
      this.server.close(() => {
        clearTimeout(timer);
        // Once every request's record is out: no access-log line after the caller's "stopped".
        void this.allRecorded().then(() => resolve(cut));
      });
      this.server.closeIdleConnections();
      // A connection with no request being answered (silent, or half a request sent) is no
      // request in flight: closed now, as an idle keep-alive one is.
      for (const [socket, answering] of this.requestSockets) if (answering === 0) socket.destroy();
      for (const socket of this.unsorted) socket.destroy();
    });
  }

  /**
   * Stops now (a second stop signal): every connection is cut, requests in flight included.
   * The promise of close(), when it was called, resolves once they are gone.
   * @returns a promise resolved once the requests cut off have had their records (their 499)
   */
  closeNow(): Promise<void> {
    this.shuttingDown = true;
    clearTimeout(this.reloadTimer);
    clearInterval(this.watchPoll);
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.server.listening) this.server.close();
    this.server.closeAllConnections();
    for (const socket of this.connections) socket.destroy();
    return this.allRecorded();
  }

  /** One request fewer in flight, its record handed out. */
  private requestEnded(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * Resolves once no request is in flight, each having handed its record to the onRequest
   * listeners (a request cut off gets it a few ticks after its connection closes). At most
   * RECORD_WAIT_MS: a stop never hangs on a request that never ends.
   */
  private allRecorded(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, RECORD_WAIT_MS);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Requests being answered now. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /**
   * --tls-cert: each connection is sorted by its first byte. 0x16 opens a TLS handshake record:
   * the connection goes to Node's TLS server as it would have without this step (the byte is
   * put back first). Anything else is plain text at the HTTPS port — a phone's rule with
   * http:// for it — and goes to a plain node:http server that answers 400 "the plain HTTP
   * request was sent to the HTTPS port", as nginx does, and logs the request (plainAtTlsPort).
   * A connection that sends nothing within --header-timeout is closed unlogged, as before (the
   * TLS handshake had that time).
   */
  private sortConnection(
    socket: Socket,
    tlsListeners: readonly ((socket: Socket) => void)[],
    plain: Server,
  ): void {
    this.unsorted.add(socket);
    const timer = setTimeout(() => socket.destroy(), this.config.timeouts.headersMs);
    const ignore = (): void => {}; // a reset before the first byte: nothing to say
    const done = (): void => {
      clearTimeout(timer);
      this.unsorted.delete(socket);
      socket.off('error', ignore);
      socket.off('close', done);
    };
    socket.on('error', ignore);
    socket.once('close', done);
    socket.once('data', (chunk: Buffer) => {
      done();
      socket.pause();
      socket.unshift(chunk);
      if (chunk[0] === 0x16) {
        for (const listener of tlsListeners) listener.call(this.server, socket);
        return;
      }
      // A plain exchange is one request, answered at once: all of it within the header timeout.
      const cut = setTimeout(() => socket.destroy(), this.config.timeouts.headersMs);
      socket.once('close', () => clearTimeout(cut));
      plain.emit('connection', socket);
      // node:http reads on once the socket flows again; the chunk put back is read first.
      process.nextTick(() => socket.resume());
    });
  }

  /** Counts a request in flight, and on its connection; its socket. */
  private beginRequest(req: IncomingMessage): Socket {
    this.inFlight++;
    const socket = req.socket;
    const answering = this.requestSockets.get(socket);
    if (answering !== undefined) this.requestSockets.set(socket, answering + 1);
    return socket;
  }

  /** A request in plain HTTP at the --tls-cert port: 400, Connection: close, one record. */
  private plainAtTlsPort(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    const socket = this.beginRequest(req);
    discardBody(req, this.config.maxBodyBytes);
    const status = 400;
    const body = PLAIN_AT_TLS_PORT_BODY;
    const record = unservedRecord(req, {
      address: clientAddress(
        socket.remoteAddress ?? '-',
        req.headers['x-forwarded-for'],
        this.config.trustedProxies,
      ),
      method: req.method ?? '-',
      target: maskTarget(req.url ?? ''),
      status,
      bytes: req.method === 'HEAD' ? 0 : Buffer.byteLength(body),
      reason: PLAIN_AT_TLS_PORT_REASON,
    });
    res.writeHead(status, [
      ...COMMON_HEADERS,
      'Content-Type',
      'text/plain; charset=utf-8',
      'Content-Length',
      String(Buffer.byteLength(body)),
      'Connection',
      'close',
    ]);
    res.end(req.method === 'HEAD' ? undefined : body);
    res.once('close', () => {
      const answering = this.requestSockets.get(socket);
      if (answering !== undefined) this.requestSockets.set(socket, answering - 1);
      record.durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      for (const l of this.requestListeners) l(record);
      this.requestEnded();
    });
  }

  /** The access-log record of a request that could not be read as one (kind malformed). */
  private logMalformed(socket: Socket, status: number, bytes: number, why: string): void {
    const record: RequestRecord = {
      time: new Date(),
      address: socket.remoteAddress ?? '-',
      user: null,
      method: '-',
      target: '-',
      protocol: '-',
      status,
      bytes,
      referer: null,
      userAgent: null,
      ua: null,
      kind: 'malformed',
      device: null,
      outcome: outcomeForStatus(status).outcome,
      reason: `malformed request: ${why}`,
      durationMs: 0,
    };
    for (const l of this.requestListeners) l(record);
  }

  /** Plain bytes at the --tls-cert port that are no HTTP request either: the same 400. */
  private plainClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    const code = typeof err.code === 'string' ? err.code : '';
    if (!code.startsWith('HPE_') || !socket.writable || this.refusedSockets.has(socket)) {
      socket.destroy();
      return;
    }
    this.refusedSockets.add(socket);
    const status = 400;
    this.logMalformed(
      socket,
      status,
      Buffer.byteLength(PLAIN_AT_TLS_PORT_BODY),
      `neither TLS nor HTTP at this HTTPS port (${code})`,
    );
    endWithAnswer(socket, status, PLAIN_AT_TLS_PORT_BODY);
  }

  /**
   * A CONNECT request (a client taking serve for a proxy): 405 like any other method not served,
   * one access-log record, and the connection closed.
   */
  private refuseConnect(req: IncomingMessage, socket: Socket): void {
    const status = 405;
    const body = `${status} ${reasonPhrase(status)}\n`;
    // The authority form (host:port); a user:password@ before it is masked.
    const raw = req.url ?? '';
    const at = raw.lastIndexOf('@');
    const record = unservedRecord(req, {
      address: socket.remoteAddress ?? '-',
      method: 'CONNECT',
      target: at < 0 ? maskTarget(raw) : `${SECRET_MASK}@${maskTarget(raw.slice(at + 1))}`,
      status,
      bytes: socket.writable ? Buffer.byteLength(body) : 0,
      reason: 'method CONNECT not allowed',
    });
    for (const l of this.requestListeners) l(record);
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    endWithAnswer(socket, status, body, [
      `Allow: ${this.reportStore ? 'GET, HEAD, POST, PUT' : 'GET, HEAD'}`,
    ]);
  }

  /**
   * What Node's HTTP parser refused before it became a request (a bad request line, headers over
   * 16 KiB, Content-Length with Transfer-Encoding…), or a request whose headers did not arrive in
   * time. Node would answer 400/431/408 and log nothing; here the answer is a whole response
   * (Connection: close) and the access log gets one record: the address, the status and llhttp's
   * reason with its code — never the bytes received, which may hold a secret or a terminal
   * escape. A client gone, or one that never sent a byte before the header timeout (a browser's
   * preconnect), gets no record; a connection whose response is already under way is closed.
   */
  private clientError(err: NodeJS.ErrnoException, socket: Socket): void {
    if (this.refusedSockets.has(socket)) return;
    const code = typeof err.code === 'string' ? err.code : '';
    const timeout = code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const answering = this.requestSockets.get(socket) ?? 0;
    const parseError = code.startsWith('HPE_') && code !== 'HPE_INVALID_EOF_STATE';
    // Bytes since the last request began, or a timeout after a request: part of a next request
    // (one sent in the same segment as the previous one reads no bytes after it began).
    const partial =
      socket.bytesRead > (this.bytesAtRequest.get(socket) ?? 0) ||
      (timeout && this.answeredSockets.has(socket));
    if ((!parseError && !timeout) || answering > 0 || socket.destroyed) {
      // A request being answered whose body stalled: its record says so (408), not 499.
      if (timeout && answering > 0) this.timedOutSockets.add(socket);
      socket.destroy();
      return;
    }
    const status = CLIENT_ERROR_STATUS[code] ?? 400;
    const body = `${status} ${reasonPhrase(status)}\n`;
    if (parseError || partial) {
      const llhttpReason = (err as { reason?: unknown }).reason;
      const why =
        code === 'HPE_HEADER_OVERFLOW'
          ? 'request headers larger than 16 KiB'
          : timeout
            ? `request headers not complete within ${this.config.timeouts.headersMs / 1000} s`
            : typeof llhttpReason === 'string'
              ? llhttpReason.slice(0, 100)
              : 'unreadable request';
      this.logMalformed(
        socket,
        status,
        socket.writable ? Buffer.byteLength(body) : 0,
        `${why}${timeout ? '' : ` (${code})`}`,
      );
    }
    this.refusedSockets.add(socket);
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    endWithAnswer(socket, status, body);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    const socket = this.beginRequest(req);
    this.bytesAtRequest.set(socket, socket.bytesRead);
    this.answeredSockets.add(socket);
    const site = this.siteRef; // one site for the whole request, whatever a reload does
    const uaHeader = req.headers['user-agent'];
    const ua = uaHeader !== undefined ? cachedUserAgent(uaHeader) : null;
    const target = req.url ?? '';
    const record: RequestRecord = {
      time: new Date(),
      address: clientAddress(
        req.socket.remoteAddress ?? '-',
        req.headers['x-forwarded-for'],
        this.config.trustedProxies,
      ),
      user: null,
      method: req.method ?? '-',
      target: maskTarget(target),
      protocol: `HTTP/${req.httpVersion}`,
      status: 500,
      bytes: 0,
      referer: typeof req.headers.referer === 'string' ? req.headers.referer : null,
      userAgent: uaHeader ?? null,
      ua,
      kind: 'other',
      device: null,
      outcome: null,
      durationMs: 0,
    };
    const send: Send = (status, body, headers = {}) => {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      record.status = status;
      // One flat header list for writeHead: no per-header setHeader bookkeeping.
      const list = [...COMMON_HEADERS];
      if (isHeaderList(headers)) for (const h of headers) list.push(h);
      else {
        if (!('Content-Type' in headers)) list.push('Content-Type', 'text/plain; charset=utf-8');
        for (const h of headerList(headers)) list.push(h);
      }
      list.push('Content-Length', String(bytes.length));
      // Stopping (now, not only when the request came in): this is the connection's last answer.
      if (this.shuttingDown && !list.includes('Connection')) list.push('Connection', 'close');
      res.writeHead(status, list);
      if (req.method === 'HEAD') res.end();
      else {
        record.bytes = bytes.length;
        res.end(bytes);
      }
      return undefined;
    };
    const fail: Fail = (status, reason, headers = {}) => {
      record.reason = reason;
      return send(status, `${status} ${reasonPhrase(status)}\n`, headers);
    };
    const onError = (err: unknown): void => {
      if (err instanceof BodyTooLarge) {
        fail(413, `request body larger than ${this.config.maxBodyBytes} bytes`, {
          Connection: 'close',
        });
      } else if (
        (err as NodeJS.ErrnoException).code === 'ECONNRESET' &&
        this.timedOutSockets.has(socket)
      ) {
        // Cut by Node's request timeout (as nginx logs it: 408, nothing sent).
        record.status = 408;
        record.reason = `request body not complete within ${this.config.timeouts.requestMs / 1000} s`;
        res.destroy();
      } else if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') {
        // The client went away (or a second stop signal cut it off) before its body arrived:
        // no one to answer, nothing wrong here. Logged with nginx's 499 "client closed request".
        record.status = 499;
        record.reason = 'connection closed before the request body arrived';
        res.destroy();
      } else if (!res.headersSent) {
        fail(500, `internal error: ${(err as Error).message.split('\n')[0]}`);
        this.emitEvent('error', `${record.method} ${record.target}: ${(err as Error).message}`);
      } else {
        res.destroy();
      }
    };
    const finish = (): void => {
      const answering = this.requestSockets.get(socket);
      if (answering !== undefined) this.requestSockets.set(socket, answering - 1);
      record.durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      record.outcome = record.kind === 'report' ? null : outcomeForStatus(record.status).outcome;
      for (const l of this.requestListeners) l(record);
      this.requestEnded();
    };
    const done = (): void => {
      if (res.writableFinished || res.closed) finish();
      else res.once('close', finish);
    };
    // A profile request is answered synchronously (no promise, no microtask); only report
    // uploads and the fleet page wait for something.
    let pending: Promise<void> | undefined;
    try {
      pending = this.dispatch(req, site, record, ua, send, fail);
    } catch (err) {
      onError(err);
    }
    if (pending === undefined) return done();
    pending.then(done, (err: unknown) => {
      onError(err);
      done();
    });
  }

  /** Answers a request; returns a promise only when it has to wait (a report, the fleet page). */
  private dispatch(
    req: IncomingMessage,
    site: Site,
    record: RequestRecord,
    ua: UserAgentInfo | null,
    send: Send,
    fail: Fail,
  ): Promise<void> | undefined {
    const method = req.method ?? '';
    const checked = checkRequestPath(req.url ?? '');
    if ('refused' in checked) return fail(400, `refused: ${checked.refused}`);
    const path = checked.path;
    const isRead = method === 'GET' || method === 'HEAD';
    const isWrite = method === 'POST' || method === 'PUT';
    // A declared body over the limit is refused before anything reads (or drains) it, whatever
    // the method and before authentication.
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > this.config.maxBodyBytes) {
      return fail(
        413,
        `request body of ${declared} bytes is larger than ${this.config.maxBodyBytes}`,
        {
          Connection: 'close',
        },
      );
    }

    if (path === 'healthz' && isRead) {
      record.kind = 'health';
      return send(
        200,
        `ok ${site.devices.length} device${site.devices.length === 1 ? '' : 's'}, generation ${site.generation}\n`,
      );
    }
    if (!isRead && !(isWrite && this.reportStore)) {
      discardBody(req, this.config.maxBodyBytes);
      return fail(405, `method ${method} not allowed`, {
        Allow: this.reportStore ? 'GET, HEAD, POST, PUT' : 'GET, HEAD',
      });
    }
    // Known before authentication: a refused /fleet is no phone's request either.
    if (isRead && ((path === 'fleet' && this.config.fleet) || this.pages.has(path))) {
      record.kind = 'page';
    }
    const auth = this.config.auth;
    if (auth === undefined) return this.answer(req, site, path, record, ua, send, fail);
    const verdict = checkAuthorization(
      auth,
      req.headers.authorization,
      method,
      req.url ?? '',
      Date.now(),
      this.nonceCounts,
    );
    const then = (result: AuthResult): Promise<void> | undefined => {
      if (!result.ok) {
        discardBody(req, this.config.maxBodyBytes);
        if (result.user !== undefined) record.user = result.user;
        const why = req.headers.authorization ? 'authentication failed' : 'authentication required';
        return fail(401, result.reason !== undefined ? `${why}: ${result.reason}` : why, {
          'WWW-Authenticate': challenges(auth, result.stale),
        });
      }
      record.user = result.user;
      return this.answer(req, site, path, record, ua, send, fail);
    };
    // With --workers the primary keeps the nonce counts: the request waits for its answer.
    return verdict instanceof Promise ? verdict.then(then) : then(verdict);
  }

  /** Answers a request that passed the method, size and authentication checks. */
  private answer(
    req: IncomingMessage,
    site: Site,
    path: string,
    record: RequestRecord,
    ua: UserAgentInfo | null,
    send: Send,
    fail: Fail,
  ): Promise<void> | undefined {
    const method = req.method ?? '';
    const isRead = method === 'GET' || method === 'HEAD';
    const isWrite = method === 'POST' || method === 'PUT';
    if (isWrite) return this.handleReport(req, site, path, record, ua, send, fail);
    if (path === 'fleet' && this.config.fleet) {
      req.resume();
      return this.config.fleet.page().then((page) => {
        send(200, page.html, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': `${page.csp}; frame-ancestors 'none'`,
          'Referrer-Policy': 'no-referrer',
          'X-Frame-Options': 'DENY',
        });
      });
    }
    if (!isRead) return undefined;
    discardBody(req, this.config.maxBodyBytes); // a GET body is not read
    const page = this.pages.get(path);
    if (page) {
      const answer = page(req);
      return send(answer.status ?? 200, answer.body, { 'Content-Type': answer.contentType });
    }

    const match = matchRoute(site, this.routes, path, site.bootstrap !== undefined);
    switch (match.kind) {
      case 'none':
        return fail(404, `no route for /${path}`);
      case 'unknown-device':
        record.kind = 'profile';
        return fail(
          404,
          `unknown device ${match.id}: not in ${this.config.sources.inventoryName} (the phone's outcome B)`,
        );
      case 'bootstrap':
        return this.serveBootstrap(site, match.phone, record, ua, send, fail);
      case 'device':
        break;
    }
    const device = match.device;
    record.kind = 'profile';
    record.device = deviceInfo(device);
    if (ua && ua.isCisco) {
      const mismatch = userAgentMismatch(ua, device);
      if (mismatch) return fail(403, `refused: ${mismatch}`);
    }
    if (this.config.strictUserAgent && (ua === null || (ua.mac === null && ua.serial === null))) {
      return fail(403, 'refused: the User-Agent names no MAC or serial (--strict-user-agent)');
    }
    if ('error' in device.template) return fail(500, `no template: ${device.template.error}`);
    const choice = chooseForm(device, match.extension, this.config.keys);
    if ('error' in choice) return fail(500, choice.error);
    const result = this.profiles.profile(
      site,
      ProfileService.deviceSubject(device, device.template.path, path),
      choice,
    );
    record.cached = result.cached;
    if (!result.ok) return fail(500, `not served: ${result.reason}`);
    record.form = result.form;
    if (result.warnings.length > 0 && !result.cached) {
      const w = result.warnings[0]!;
      this.emitEvent(
        'warn',
        `${record.device.id}: ${w.message} [${w.ruleId}]${result.warnings.length > 1 ? ` (+${result.warnings.length - 1} more)` : ''}`,
      );
    }
    return send(200, result.body, profileHeaders(result.form, result.gzip));
  }

  /**
   * A bootstrap name (`/$PSN.xml` and its spellings). When the User-Agent names a device of the
   * inventory, that device's own bootstrap profile: the bootstrap template rendered with its
   * variables and its key (bootstrapVars), so the Profile_Rule it sets leads the phone to its
   * own profile, which it can then open. Otherwise the common profile of the model (built-ins,
   * --vars, inventory defaults). A device whose inventory model is not the model the path names,
   * or whose MAC and serial in the User-Agent disagree with the inventory, is refused (403).
   */
  private serveBootstrap(
    site: Site,
    phone: SiteDevice['inventory']['phone'],
    record: RequestRecord,
    ua: UserAgentInfo | null,
    send: Send,
    fail: Fail,
  ): undefined {
    record.kind = 'bootstrap';
    const bootstrap = site.bootstrap!;
    const device =
      ua && ua.isCisco
        ? ((ua.mac !== null ? site.byMac.get(ua.mac) : undefined) ??
          (ua.serial !== null ? site.bySerial.get(ua.serial.toUpperCase()) : undefined))
        : undefined;
    let subject: RenderSubject;
    if (device) {
      record.device = deviceInfo(device);
      const mismatch = userAgentMismatch(ua!, device);
      if (mismatch) return fail(403, `refused: ${mismatch}`);
      const model = device.inventory.phone.model;
      if (model !== phone.model) {
        return fail(
          403,
          `refused: the User-Agent names ${record.device.id}, a ${model} in ${this.config.sources.inventoryName}, but the path asks for the ${phone.model} bootstrap profile`,
        );
      }
      const own = bootstrapVars(device, this.config.keys);
      const d = device.inventory;
      subject = {
        id: `bootstrap-device:${d.mac ?? ''}:${d.serial ?? ''}`,
        vars: own.vars,
        varsHash: device.varsHash,
        templatePath: bootstrap.path,
        model,
        file: `${phone.model}.xml`,
        secretValues: own.secretValues,
      };
    } else {
      subject = {
        id: `bootstrap:${phone.model}`,
        vars: commonVars(site, phone),
        varsHash: `common-${site.generation}`,
        templatePath: bootstrap.path,
        model: phone.model,
        file: `${phone.model}.xml`,
        secretValues: [],
      };
    }
    const result = this.profiles.profile(site, subject, { form: 'plain' }, bootstrap.chooser);
    record.cached = result.cached;
    if (!result.ok) {
      const whose = device ? `${record.device!.id} (${phone.model})` : phone.model;
      return fail(500, `bootstrap profile for ${whose} not served: ${result.reason}`);
    }
    record.form = 'plain';
    return send(200, result.body, profileHeaders('plain', result.gzip));
  }

  private async handleReport(
    req: IncomingMessage,
    site: Site,
    path: string,
    record: RequestRecord,
    ua: UserAgentInfo | null,
    send: Send,
    fail: Fail,
  ): Promise<void> {
    record.kind = 'report';
    const body = await readBody(req, this.config.maxBodyBytes);
    // The device: by path (any profile route), else by its User-Agent.
    const match = matchRoute(site, this.routes, path, false);
    let device: SiteDevice | undefined;
    if (match.kind === 'device') device = match.device;
    else if (match.kind === 'unknown-device') {
      const unknown = `report from unknown device ${match.id}: not in ${this.config.sources.inventoryName}`;
      // `$SN.xml` has the shape of any `<word>.xml`: a Report_Rule such as /report.xml names no
      // serial, so the User-Agent decides (as for /upload); a MAC in the path names a device.
      const byUserAgent =
        match.route.idKind === 'serial' && ua
          ? ((ua.mac !== null ? site.byMac.get(ua.mac) : undefined) ??
            (ua.serial !== null ? site.bySerial.get(ua.serial.toUpperCase()) : undefined))
          : undefined;
      if (!byUserAgent) return fail(404, unknown);
      device = byUserAgent;
    }
    if (ua && ua.isCisco && device) {
      const mismatch = userAgentMismatch(ua, device);
      if (mismatch) return fail(403, `refused: ${mismatch}`);
    }
    if (!device && ua) {
      device =
        (ua.mac !== null ? site.byMac.get(ua.mac) : undefined) ??
        (ua.serial !== null ? site.bySerial.get(ua.serial.toUpperCase()) : undefined);
      if (!device) {
        const id = ua.mac ?? ua.serial;
        return fail(
          404,
          id
            ? `report from unknown device ${id}: not in ${this.config.sources.inventoryName}`
            : 'report from an unidentified device (no MAC or serial in path or User-Agent)',
        );
      }
    }
    if (!device)
      return fail(
        404,
        'report from an unidentified device (no MAC or serial in path or User-Agent)',
      );
    record.device = deviceInfo(device);
    const keys = reportKeysOf([
      chooseForm(device, '.cfg', { ...this.config.keys, require: 'aes-256-cbc' }),
      chooseForm(device, '.cfg', { ...this.config.keys, require: 'aes128gcm' }),
    ]);
    const opened = openReport(
      body,
      req.headers['content-encoding'],
      keys,
      this.reportStore!.options.maxPlaintextBytes,
    );
    if ('status' in opened) return fail(opened.status, `report not stored: ${opened.reason}`);
    const file = this.reportStore!.save(record.device.id, opened.plaintext);
    record.reportFile = file;
    send(200, 'stored\n');
  }
}

const HEADERS_AES128GCM: HeaderList = [
  'Content-Type',
  'application/xml',
  'Content-Encoding',
  'aes128gcm',
];
const HEADERS_AES128GCM_GZIP: HeaderList = [
  'Content-Type',
  'application/gzip',
  'Content-Encoding',
  'aes128gcm',
];
const HEADERS_BINARY: HeaderList = ['Content-Type', 'application/octet-stream'];
const HEADERS_XML: HeaderList = ['Content-Type', 'application/xml; charset=utf-8'];

/** Response headers of a profile: RFC 8188 is a content coding (reference §4). */
function profileHeaders(form: ProfileForm, gzip: boolean): HeaderList {
  if (form === 'aes128gcm') return gzip ? HEADERS_AES128GCM_GZIP : HEADERS_AES128GCM;
  if (form === 'aes-256-cbc' || gzip) return HEADERS_BINARY;
  return HEADERS_XML;
}

/** How long stopping waits for the records of requests cut off (allRecorded). */
const RECORD_WAIT_MS = 2000;

/** The answer to plain HTTP at the --tls-cert port, with nginx's words. */
const PLAIN_AT_TLS_PORT_BODY =
  '400 Bad Request: the plain HTTP request was sent to HTTPS port (use https://)\n';
const PLAIN_AT_TLS_PORT_REASON =
  "plain HTTP request sent to this HTTPS port: a phone's rule with http:// for it? (https://, or another port for plain HTTP)";

const PHRASES: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/** The answer to a parser error or timeout, as Node's default handler gives it. */
const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

function reasonPhrase(status: number): string {
  return PHRASES[status] ?? '';
}

/**
 * Answers on a raw socket Node's HTTP layer has let go of (a refused CONNECT, a request its
 * parser rejected) and closes it: the status line, `extra` headers, the common ones, the body.
 * End, not destroy: closing with unread bytes would send a reset that can overtake the answer;
 * a client that neither reads nor closes is cut off shortly after.
 */
function endWithAnswer(socket: Socket, status: number, body: string, extra: string[] = []): void {
  const head = [
    `HTTP/1.1 ${status} ${reasonPhrase(status)}`,
    ...extra,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  for (let i = 0; i < COMMON_HEADERS.length; i += 2) {
    head.push(`${COMMON_HEADERS[i]}: ${COMMON_HEADERS[i + 1]}`);
  }
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  const timer = setTimeout(() => socket.destroy(), 2000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * The first template file of `next` that does not parse while it parsed (or was not there) in
 * `previous`, as a message; undefined when there is none. A file already broken before does not
 * hold up a reload that fixes something else.
 */
function newlyBrokenTemplate(previous: Site, next: Site): string | undefined {
  const parses = (site: Site, path: string): string | undefined => {
    if (!site.templateTexts.has(path)) return undefined;
    try {
      site.chooser.parse(path);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };
  for (const path of next.templateTexts.keys()) {
    const error = parses(next, path);
    if (error !== undefined && parses(previous, path) === undefined) {
      return `template ${path} does not parse: ${error}`;
    }
  }
  return undefined;
}

/**
 * The access-log record of a request serve answers without its handler (plain HTTP at the TLS
 * port, CONNECT): no device, kind other, its duration filled in when it ends.
 */
function unservedRecord(
  req: IncomingMessage,
  fields: Pick<RequestRecord, 'address' | 'method' | 'target' | 'status' | 'bytes' | 'reason'>,
): RequestRecord {
  const uaHeader = req.headers['user-agent'];
  return {
    time: new Date(),
    address: fields.address,
    user: null,
    method: fields.method,
    target: fields.target,
    protocol: `HTTP/${req.httpVersion}`,
    status: fields.status,
    bytes: fields.bytes,
    referer: typeof req.headers.referer === 'string' ? req.headers.referer : null,
    userAgent: uaHeader ?? null,
    ua: uaHeader !== undefined ? cachedUserAgent(uaHeader) : null,
    kind: 'other',
    device: null,
    outcome: outcomeForStatus(fields.status).outcome,
    reason: fields.reason,
    durationMs: 0,
  };
}
