/**
 * `cisco-prov serve`: the provisioning server. This file turns commander's options into a
 * ServeConfig (secrets resolved, files read), starts the server (src/serve/server.ts), writes
 * one access-log line per request, reloads on SIGHUP and shuts down gracefully on SIGTERM/SIGINT.
 * It resolves with the exit code once the server has stopped.
 */
import cluster from 'node:cluster';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, ioError, usageError, type ExitCodeValue } from '../errors.js';
import { describeSystemError } from '../domain-errors.js';
import { AccessLogFile } from '../io/access-log-file.js';
import { BoundedWriter, type BacklogStream } from '../io/bounded-writer.js';
import { commandLineSecretWarning, resolveSecret } from '../io/secrets.js';
import { refuseEmptyPaths, refuseUndecodableOutput } from '../io/empty-path.js';
import { parseAuthFile } from '../serve/auth.js';
import { trustedProxies, type TrustedProxies } from '../serve/client-address.js';
import {
  formatCombined,
  formatEvent,
  formatJsonRecord,
  formatReason,
} from '../serve/log-format.js';
import { LineBuffer } from '../serve/line-buffer.js';
import { SharedNonceLedger, nonceLedgerHost } from '../serve/nonce-ledger.js';
import { DEFAULT_ROUTES } from '../serve/routes.js';
import { ProvisioningServer, type RequestRecord, type ServeConfig } from '../serve/server.js';
import {
  SiteLoadError,
  linksOutsideWarnings,
  skippedTemplatesWarning,
  type Site,
} from '../serve/site.js';
import { bundledTemplatesDir } from '../render/batch.js';
import { FleetTracker } from '../device/fleet.js';
import { renderFleetPage } from '../output/fleet-page.js';
import { fleetDrift, fleetSettings } from './fleet.js';

/** The options commander hands over (see the serve block of cli.ts). */
/** What the usual listen errors mean to an admin (the code stays, for searching). */
const LISTEN_REASON: Readonly<Record<string, string>> = {
  EADDRINUSE: ' (the port is in use: another server, or a serve still running?)',
  EACCES: ' (permission denied: a port below 1024 needs privileges)',
  EADDRNOTAVAIL: ' (no such address on this machine: check --host)',
};

export interface ServeCliOptions {
  inventory: string;
  template?: string;
  vars?: string[];
  host: string;
  port: number;
  route?: string[];
  bootstrapTemplate?: string;
  bootstrap?: boolean;
  encrypt?: 'aes-256-cbc' | 'aes128gcm';
  key?: string;
  keyFile?: string;
  keyEnv?: string;
  keyField?: string;
  ikm?: string;
  ikmFile?: string;
  ikmEnv?: string;
  ikmField?: string;
  md?: 'md5' | 'sha256';
  gzip?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  authFile?: string;
  reports?: string;
  reportsKeep: number;
  maxBody: number;
  logFormat: 'combined' | 'json';
  accessLog?: string;
  cache?: boolean;
  cacheSize: number;
  strictUserAgent?: boolean;
  watch?: boolean;
  workers?: number;
  fleet?: boolean;
  headerTimeout?: number;
  idleTimeout?: number;
  trustProxy?: string[];
  /** --fleet: the phones' timers, for telling a late phone (as `fleet`). */
  resyncPeriodic?: string;
  errorRetryDelay?: string;
  grace?: number;
}

function readOptionFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw ioError(`cannot read ${flag} ${describeSystemError(err, path)}`);
  }
}

/** Builds the server configuration from the command line; throws usage errors. */
export function serveConfigOf(
  opts: ServeCliOptions,
  cwd = process.cwd(),
  warn: (m: string) => void = () => {},
): {
  config: ServeConfig;
  host: string;
  port: number;
} {
  // A path given as '' ("$DIR" with DIR unset) would be the current directory (-t '' served it
  // as the templates).
  refuseEmptyPaths({
    '--inventory': opts.inventory,
    '--template': opts.template,
    '--tls-cert': opts.tlsCert,
    '--tls-key': opts.tlsKey,
    '--auth-file': opts.authFile,
    '--access-log': opts.accessLog,
    '--bootstrap-template': opts.bootstrapTemplate,
    // --reports '' stored every phone's report in the current directory.
    '--reports': opts.reports,
    '--vars': (opts.vars ?? []).includes('') ? '' : undefined,
  });
  // The reports are written there: a name that was not UTF-8 would be another directory.
  if (opts.reports?.includes('\uFFFD')) refuseUndecodableOutput('--reports', opts.reports);
  const key = resolveSecret('key', { value: opts.key, file: opts.keyFile, env: opts.keyEnv });
  const ikm = resolveSecret('ikm', { value: opts.ikm, file: opts.ikmFile, env: opts.ikmEnv });
  if (key?.fromCommandLine) warn(commandLineSecretWarning('key'));
  if (ikm?.fromCommandLine) warn(commandLineSecretWarning('ikm'));
  // A key file other users can read, as every other command says.
  if (key?.exposedWarning) warn(key.exposedWarning);
  if (ikm?.exposedWarning) warn(ikm.exposedWarning);
  if ((key && opts.keyField) || (ikm && opts.ikmField)) {
    throw usageError('give one shared secret or a per-device field, not both');
  }
  if (opts.encrypt === 'aes-256-cbc' && !key && !opts.keyField) {
    throw usageError('--encrypt aes-256-cbc needs --key, --key-file, --key-env or --key-field');
  }
  if (opts.encrypt === 'aes128gcm' && !ikm && !opts.ikmField) {
    throw usageError('--encrypt aes128gcm needs --ikm, --ikm-file, --ikm-env or --ikm-field');
  }
  if ((key || opts.keyField !== undefined) && opts.encrypt === undefined) {
    // The response table: a passphrase encrypts a .cfg request only; /<mac>.xml is plain.
    warn(
      `a device with a passphrase (${key ? '--key' : `--key-field ${opts.keyField}`}) is still served in clear when /<mac>.xml is asked for (only .cfg is encrypted): add --encrypt aes-256-cbc to serve nothing in clear`,
    );
  }
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    throw usageError('--tls-cert and --tls-key go together');
  }
  const port = opts.port;
  const template =
    opts.template !== undefined ? resolve(cwd, opts.template) : bundledTemplatesDir();
  let bootstrapTemplate: string | undefined;
  if (opts.bootstrap !== false) {
    if (opts.bootstrapTemplate !== undefined)
      bootstrapTemplate = resolve(cwd, opts.bootstrapTemplate);
    else {
      const dir = existsSync(template) && statSync(template).isDirectory() ? template : undefined;
      const candidate = dir ? join(dir, 'bootstrap.liquid') : undefined;
      if (candidate && existsSync(candidate)) bootstrapTemplate = candidate;
    }
  }
  if (
    bootstrapTemplate !== undefined &&
    opts.tlsCert === undefined &&
    (key || ikm || opts.keyField !== undefined || opts.ikmField !== undefined)
  ) {
    warn(
      'a phone the inventory names gets its key in its bootstrap profile (/$PSN.xml), in clear over plain HTTP: use --tls-cert/--tls-key or a TLS proxy in front, or --no-bootstrap',
    );
  }
  let auth: ServeConfig['auth'];
  if (opts.authFile !== undefined) {
    const st = existsSync(opts.authFile) ? statSync(opts.authFile) : undefined;
    if (st && (st.mode & 0o004) !== 0) {
      warn(`--auth-file ${opts.authFile} is readable by every user: chmod 600 it`);
    }
    const parsed = parseAuthFile(
      readOptionFile('--auth-file', opts.authFile).toString('utf8'),
      opts.authFile,
    );
    if ('error' in parsed) throw usageError(`--auth-file ${parsed.error}`);
    auth = parsed;
  }
  const routes = opts.route && opts.route.length > 0 ? opts.route : [...DEFAULT_ROUTES];
  let proxies: TrustedProxies | undefined;
  if (opts.trustProxy !== undefined && opts.trustProxy.length > 0) {
    const parsed = trustedProxies(opts.trustProxy);
    if ('error' in parsed) {
      throw usageError(
        `--trust-proxy ${JSON.stringify(parsed.error)}: expected an IP address or a network (10.0.0.5, 10.0.0.0/8, fd00::/8)`,
      );
    }
    proxies = parsed;
  }
  const config: ServeConfig = {
    sources: {
      inventory: resolve(cwd, opts.inventory),
      inventoryName: opts.inventory,
      vars: (opts.vars ?? []).map((v) => ({ path: resolve(cwd, v), name: v })),
      template,
      bootstrapTemplate,
    },
    routes,
    keys: {
      passphrase: key?.value,
      ikm: ikm?.value,
      keyField: opts.keyField,
      ikmField: opts.ikmField,
      md: opts.md ?? 'md5',
      require: opts.encrypt,
    },
    gzip: opts.gzip === true,
    cacheSize: opts.cache === false ? 0 : opts.cacheSize,
    reports:
      opts.reports !== undefined
        ? {
            dir: resolve(cwd, opts.reports),
            keep: opts.reportsKeep,
          }
        : undefined,
    auth,
    maxBodyBytes: opts.maxBody,
    trustedProxies: proxies,
    strictUserAgent: opts.strictUserAgent === true,
    timeouts: {
      headersMs: (opts.headerTimeout ?? 10) * 1000,
      requestMs: Math.max(30, Number(opts.headerTimeout ?? '10')) * 1000,
      keepAliveMs: 5_000,
      idleMs: (opts.idleTimeout ?? 30) * 1000,
    },
    tls:
      opts.tlsCert !== undefined && opts.tlsKey !== undefined
        ? {
            cert: readOptionFile('--tls-cert', opts.tlsCert),
            key: readOptionFile('--tls-key', opts.tlsKey),
          }
        : undefined,
  };
  return { config, host: opts.host, port };
}

/** Phones not in the inventory the live fleet page keeps at most (a bound on its memory). */
const FLEET_UNKNOWN_LIMIT = 10_000;

/**
 * The --fleet listener: each request becomes a line of the fleet tracker. Phones of the
 * inventory are always kept; others (any MAC, serial or address a client claims, before
 * authentication) only up to `limit`, so a client sending endless made-up User-Agents cannot
 * grow the tracker, or the page, without end. `warn` is told once when the limit is reached.
 */
export function fleetFeed(
  tracker: FleetTracker,
  site: () => Pick<Site, 'byMac' | 'bySerial'>,
  limit: number,
  warn: (message: string) => void,
): (r: RequestRecord) => void {
  const unknown = new Set<string>();
  let warned = false;
  return (r) => {
    // The server's own endpoints (/healthz for a load balancer, /fleet itself) are no resync,
    // even asked with a phone's User-Agent (a health check copying it, a phone's browser).
    if (r.kind === 'health' || r.kind === 'page') return;
    const ua = r.ua;
    if (ua?.isCisco) {
      const { byMac, bySerial } = site();
      const known =
        (ua.mac !== null && byMac.has(ua.mac)) ||
        (ua.serial !== null && bySerial.has(ua.serial.toUpperCase()));
      if (!known) {
        const key = ua.mac ?? (ua.serial !== null ? `serial:${ua.serial}` : `address:${r.address}`);
        if (!unknown.has(key)) {
          if (unknown.size >= limit) {
            if (!warned) {
              warned = true;
              warn(
                `/fleet: more than ${limit} phones not in the inventory have asked; further ones are not shown`,
              );
            }
            return;
          }
          unknown.add(key);
        }
      }
    }
    tracker.addLine(formatCombined(r));
  };
}

/** Runs the server until SIGTERM or SIGINT; resolves with the exit code. */
export async function runServe(opts: ServeCliOptions, out: ServeOutput): Promise<ExitCodeValue> {
  // stdout and stderr may be pipes no one reads for a while: bounded (src/io/bounded-writer.ts).
  const errorOut = new BoundedWriter(out.stderr, (m) => out.warn(`stderr ${m}`));
  const exitIfOutputUnread = (code: ExitCodeValue): void => out.exitIfOutputUnread(code);
  const stderr = (line: string): void => {
    errorOut.write(`cisco-prov: ${line}\n`);
  };
  const workers = opts.workers ?? 1;
  const startedAt = new Date().toISOString().slice(0, 19).replace('T', ' ') + 'Z';
  const { config, host, port } = serveConfigOf(
    opts,
    process.cwd(),
    // A worker's warnings were already given by the primary.
    cluster.isWorker ? () => {} : (m) => stderr(`warning: ${m}`),
  );
  // --fleet: every request feeds the tracker (as a log line, so the page reads serve's requests
  // as `fleet --log` reads any server's); /fleet renders the page, with drift from --reports.
  const fleetTracker = opts.fleet ? new FleetTracker() : undefined;
  const timers = (['resyncPeriodic', 'errorRetryDelay', 'grace'] as const).find(
    (k) => opts[k] !== undefined,
  );
  if (timers !== undefined && !fleetTracker) {
    const flag = `--${timers.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw usageError(`${flag} is for the --fleet page: add --fleet, or leave it out`);
  }
  // The page's "late" needs the phones' own timers: a fleet on Resync_Periodic 86400 would
  // otherwise be all late an hour after its resync, measured against Cisco's default 3600.
  const settings = fleetSettings(opts);
  if (fleetTracker) {
    const tracker = fleetTracker;
    config.fleet = {
      page: async () => {
        let drift;
        if (opts.reports !== undefined) {
          try {
            drift = await fleetDrift(
              {
                log: '-',
                reports: opts.reports,
                inventory: opts.inventory,
                ...(opts.template !== undefined ? { template: opts.template } : {}),
                ...(opts.vars ? { vars: opts.vars } : {}),
              },
              [],
            );
          } catch (err) {
            stderr(`warning: /fleet: drift not shown: ${(err as Error).message}`);
          }
        }
        const data = tracker.snapshot({
          now: new Date(),
          source: `cisco-prov serve (live, since ${startedAt})`,
          settings,
          ...(drift ? { drift } : {}),
        });
        return renderFleetPage(data, { title: 'Cisco phone fleet (live)' });
      },
    };
  }
  if (cluster.isWorker && config.auth) {
    // Digest nonce counts are the primary's: a replay to any worker is refused.
    const ledger = new SharedNonceLedger((message) => process.send?.(message));
    process.on('message', (message) => ledger.receive(message));
    config.nonceLedger = ledger;
  }
  let server: ProvisioningServer;
  try {
    server = new ProvisioningServer(config);
  } catch (err) {
    const hint = 'the server did not start: fix the input and run again';
    if (err instanceof SiteLoadError) {
      throw (err.io ? ioError : usageError)(err.lines.join('\ncisco-prov: '), hint);
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('ERR_OSSL')) {
      // A PEM that does not parse: OpenSSL's message names neither file.
      throw usageError(
        `--tls-cert ${opts.tlsCert} / --tls-key ${opts.tlsKey}: not a PEM certificate and its private key (${(err as Error).message.replace(/^error:[0-9A-F]+:/, '')})`,
        hint,
      );
    }
    if (opts.reports !== undefined && (code === 'EEXIST' || code === 'ENOTDIR')) {
      throw ioError(`cannot use --reports ${opts.reports}: not a directory`, hint);
    }
    if (opts.reports !== undefined && (code === 'EACCES' || code === 'EPERM')) {
      throw ioError(`cannot use --reports ${describeSystemError(err, opts.reports)}`, hint);
    }
    throw err;
  }
  // Templates whose names are not UTF-8, left out (src/serve/site.ts): said once, not per worker.
  const skipped = skippedTemplatesWarning(server.site);
  if (skipped !== undefined && !cluster.isWorker) stderr(`warning: ${skipped}`);
  // Template links LiquidJS will refuse: said at start, before a phone gets a 500 for them.
  if (!cluster.isWorker) for (const w of linksOutsideWarnings(server.site)) stderr(`warning: ${w}`);
  if (workers > 1 && cluster.isPrimary) {
    // The primary only checks the input (above), forks and supervises.
    return superviseWorkers(
      workers,
      server.site.devices.length,
      config.tls ? 'https' : 'http',
      stderr,
    );
  }
  const json = opts.logFormat === 'json';
  let file: AccessLogFile | undefined;
  if (opts.accessLog !== undefined) {
    try {
      // Opened again on SIGHUP, or when rotated away (src/io/access-log-file.ts).
      file = new AccessLogFile(opts.accessLog, (m) => stderr(`warning: ${m}`));
    } catch (err) {
      throw ioError(`cannot open --access-log ${describeSystemError(err, opts.accessLog)}`);
    }
  }
  const accessFile = file;
  // One write per turn of the event loop for all the lines of that turn, not one per request.
  let lastWriteError: string | undefined;
  const logWriteFailed = (err: Error): void => {
    const what = (err as NodeJS.ErrnoException).code ?? err.message;
    if (what === lastWriteError) return;
    lastWriteError = what;
    stderr(`warning: cannot write the access log (${what}): lines are lost until it works again`);
  };
  // stdout's reader gone (`serve | tee log` and tee killed): EPIPE comes to the write's callback
  // only; said once — the stream stays closed, and its later writes fail as "destroyed".
  let stdoutFailed = false;
  const accessOut = new BoundedWriter(out.stdout, (m) =>
    stderr(`warning: the access log on stdout is ${m}`),
  );
  const accessLog = new LineBuffer(
    accessFile !== undefined
      ? (text) => accessFile.write(text)
      : (text) =>
          void accessOut.write(text, (err) => {
            if (!err || stdoutFailed) return;
            stdoutFailed = true;
            logWriteFailed(err);
          }),
    logWriteFailed,
    64 * 1024,
    // stdout may be a pipe shared by several --workers: writes of at most PIPE_BUF stay whole.
    accessFile === undefined ? 4096 : undefined,
  );
  const writeAccess = (line: string): void => accessLog.write(line);
  process.on('exit', () => accessLog.flush());
  if (fleetTracker) {
    server.onRequest(
      fleetFeed(
        fleetTracker,
        () => server.site,
        FLEET_UNKNOWN_LIMIT,
        (m) => stderr(`warning: ${m}`),
      ),
    );
  }
  server.onRequest((r) => {
    writeAccess(json ? formatJsonRecord(r) : formatCombined(r));
    if (!json) {
      const reason = formatReason(r);
      if (reason) stderr(reason);
    }
  });
  server.onEvent((e) => {
    if (json) errorOut.write(`${formatEvent(e, true)}\n`);
    else stderr(formatEvent(e, false));
  });

  // Signal handlers first: whoever reads the "listening" line may signal at once.
  let stopping = false;
  let exited = false;
  let exitCode: ExitCodeValue = ExitCode.Ok;
  let resolveExit: (code: ExitCodeValue) => void = () => {};
  const stopped = new Promise<ExitCodeValue>((r) => (resolveExit = r));
  const exit = (code: ExitCodeValue, line: string): void => {
    if (exited) return;
    exited = true;
    accessLog.flush();
    process.off('SIGHUP', onHup);
    stderr(line);
    // A worker's IPC channel to the primary would keep it alive.
    if (cluster.isWorker && cluster.worker?.isConnected()) cluster.worker.disconnect();
    // Node writes all of stdout and stderr before it exits: a reader that stopped reading
    // (`serve | logger`, the logger stuck) held the process for ever after "stopped", deaf to
    // SIGTERM. What it has not read a few seconds on is dropped (at once on another signal).
    exitCode = code;
    setTimeout(() => exitIfOutputUnread(code), STOP_OUTPUT_GRACE_MS).unref();
    resolveExit(code);
  };
  const onHup = (): void => {
    // logrotate's postrotate: the lines so far go to the old file, the next to a new one.
    accessLog.flush();
    accessFile?.reopen();
    server.reload('SIGHUP');
  };
  const stop = (signal: string): void => {
    if (exited) return exitIfOutputUnread(exitCode);
    if (stopping) {
      // A second signal while requests finish: stop now, as most servers do (Ctrl-C twice).
      // Requests cut off are answers lost: exit 3; none in flight, nothing lost: exit 0.
      const cut = server.requestsInFlight;
      // The lines of the requests cut off (499) come before the stop line.
      void server
        .closeNow()
        .then(() =>
          exit(
            cut > 0 ? ExitCode.Failure : ExitCode.Ok,
            `serve: ${signal} again: stopped at once${cut > 0 ? `, ${cut} request(s) in flight cut off` : ''}`,
          ),
        );
      return;
    }
    stopping = true;
    const closing = server.close(STOP_GRACE_MS); // stops listening at once
    stderr(
      `serve: ${signal}: finishing ${server.requestsInFlight} request(s) in flight, then stopping (${signal} again: at once)`,
    );
    // Requests still in flight when the grace time ends are cut off, as at a second signal.
    void closing.then((cut) =>
      exit(
        cut > 0 ? ExitCode.Failure : ExitCode.Ok,
        cut > 0
          ? `serve: stopped: ${cut} request${cut === 1 ? '' : 's'} still in flight after ${STOP_GRACE_MS / 1000} s cut off`
          : 'serve: stopped',
      ),
    );
  };
  process.on('SIGHUP', onHup);
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Ctrl-C reaches every process of the terminal's group: a worker leaves SIGINT to the primary,
  // which stops the workers with SIGTERM (a second Ctrl-C: a second SIGTERM, at once).
  process.on('SIGINT', () => {
    if (!cluster.isWorker) stop('SIGINT');
  });

  let address;
  try {
    address = await server.listen(port, host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === undefined ? (err as Error).message : `${code}${LISTEN_REASON[code] ?? ''}`;
    throw ioError(`cannot listen on ${host}:${port}: ${why}`);
  }
  if (opts.watch !== false) server.watchSources();
  const scheme = config.tls ? 'https' : 'http';
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const site = server.site;
  if (cluster.isWorker) return stopped; // the primary says where it listens
  stderr(
    `serve: listening on ${scheme}://${shownHost}:${address.port} (${site.devices.length} device${site.devices.length === 1 ? '' : 's'}` +
      `${site.bootstrap ? ', bootstrap profiles' : ''}${config.reports ? `, reports to ${opts.reports}` : ''})`,
  );

  return stopped;
}

/** How long a stopping serve lets requests in flight finish before it cuts them off. */
const STOP_GRACE_MS = 10_000;

/** How long a stopped serve waits for stdout and stderr to be read before dropping the rest. */
const STOP_OUTPUT_GRACE_MS = 5000;

/**
 * Where serve writes and how a stopped serve ends: given by the CLI (src/cli.ts), so the command
 * itself neither prints nor exits (style.md habit 1).
 */
export interface ServeOutput {
  /** The access log, when there is no --access-log file. */
  stdout: BacklogStream;
  /** Status lines, request reasons and warnings. */
  stderr: BacklogStream;
  /** A warning that cannot wait in stderr's bound: stderr itself is not read. */
  warn(message: string): void;
  /**
   * Called STOP_OUTPUT_GRACE_MS after serve stopped, or at a signal after that: ends the process
   * with `code` when stdout or stderr still holds what its reader has not taken — Node cannot
   * close them (their destroy() does nothing), so the rest is dropped by exiting.
   */
  exitIfOutputUnread(code: ExitCodeValue): void;
}

/** Young-generation semi-space (MB) for serve's worker processes; see the README's serve speed. */
const SERVE_SEMI_SPACE_MB = 64;

/**
 * `--workers <n>`: node:cluster forks n server processes that share the listening socket
 * (the kernel spreads the connections). The service is stateless but for --reports and the
 * Digest nonce counts, which the primary keeps and answers for (nonce-ledger.ts); each worker has
 * its own render cache and watches the files itself. The primary forwards SIGHUP, replaces a worker that dies, and on SIGTERM/SIGINT
 * lets every worker finish its requests before exiting 0.
 */
function superviseWorkers(
  count: number,
  devices: number,
  scheme: string,
  stderr: (line: string) => void,
): Promise<ExitCodeValue> {
  return new Promise((resolveExit) => {
    let stopping = false;
    let listening = 0;
    let alive = 0;
    const fork = (): void => {
      alive++;
      cluster.fork().on('listening', (address) => {
        listening++;
        if (listening === count) {
          const host = address.addressType === 6 ? `[${address.address}]` : address.address;
          stderr(
            `serve: listening on ${scheme}://${host ?? '127.0.0.1'}:${address.port} (${devices} device${devices === 1 ? '' : 's'}, ${count} workers)`,
          );
        }
      });
    };
    let cutOff = false;
    cluster.on('exit', (worker, code, signal) => {
      alive--;
      if (stopping) {
        // A worker stopped at once with requests in flight exits 3: so does the whole.
        if (code !== 0) cutOff = true;
        if (alive === 0) {
          stderr('serve: stopped');
          resolveExit(cutOff ? ExitCode.Failure : ExitCode.Ok);
        }
        return;
      }
      stderr(`serve: worker ${worker.process.pid} exited (${signal ?? code}): starting another`);
      fork();
    });
    const ledger = nonceLedgerHost();
    cluster.on('message', (worker, message) => {
      const answer = ledger(message);
      if (answer !== undefined && worker.isConnected()) worker.send(answer);
    });
    const each = (signal: NodeJS.Signals): void => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    };
    process.on('SIGHUP', () => each('SIGHUP'));
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // A second signal: a second SIGTERM makes each worker stop at once.
        stderr(`serve: ${signal} again: stopping ${alive} worker(s) at once`);
        each('SIGTERM');
        return;
      }
      stopping = true;
      stderr(
        `serve: ${signal}: stopping ${count} workers after their requests in flight (${signal} again: at once)`,
      );
      each('SIGTERM');
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // Each worker accepts its own connections (the kernel spreads them): no hop through the
    // primary, which round-robin scheduling would add to every new connection.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    // A rendered profile leaves a lot of short-lived garbage: a larger young generation halves
    // the scavenges (about 9 % less CPU per uncached request, bench/RESULTS.md). A flag the
    // operator gave (node options or NODE_OPTIONS) wins.
    const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) =>
      a.includes('--max-semi-space-size'),
    );
    cluster.setupPrimary({
      execArgv: given
        ? process.execArgv
        : [...process.execArgv, `--max-semi-space-size=${SERVE_SEMI_SPACE_MB}`],
    });
    for (let i = 0; i < count; i++) fork();
  });
}
