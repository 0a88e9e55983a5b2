/**
 * Optional HTTP authentication for `serve --auth-file`: Basic (RFC 7617) and Digest (RFC 7616,
 * MD5, qop=auth) — what a phone answers a 401 with, from the `--uid`/`--pwd` of its rule
 * (reference §2, §5: at most two retries, then outcome C).
 *
 * The file holds `user:password` lines (`#` comments). Digest nonces carry their own proof — a
 * time stamp and an HMAC over it keyed by a hash of the auth file — so every instance behind a
 * load balancer that reads the same file accepts the others' nonces. They expire after five
 * minutes. Each process also tracks the nonce count (`nc`) of every nonce it has accepted
 * (NonceCounts): an answer whose count is not higher than the last one accepted for that nonce
 * (a replay, or a client that lost count) is refused with a fresh challenge marked stale, and
 * so is a nonce without qop (no count) used twice. With --workers the counts live in the primary
 * process and every worker asks it (nonce-ledger.ts), so a replay to another worker is refused
 * too. Behind a load balancer in front of several instances each instance counts for itself: an
 * answer captured on the wire could still be replayed once to each other instance within the
 * nonce's five minutes — HTTPS closes that.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { originFormOf } from './request-target.js';

const AUTH_REALM = 'cisco-prov';
/** How long a Digest nonce is accepted after it was issued. */
const NONCE_LIFETIME_MS = 5 * 60_000;
/** Nonces tracked at once per process; past that the oldest are dropped (and refused, stale). */
const MAX_TRACKED_NONCES = 100_000;

export interface AuthConfig {
  users: ReadonlyMap<string, string>;
  /** HMAC key for nonces: derived from the file's content. */
  nonceKey: Buffer;
}

/**
 * Parses an auth file.
 * @example parseAuthFile('phone:s3cret\n', 'auth.txt').users.get('phone') // 's3cret'
 * @returns the config, or an error line naming the file and line (never the password)
 */
export function parseAuthFile(text: string, file: string): AuthConfig | { error: string } {
  const users = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0 || colon === line.length - 1) {
      return { error: `${file}: line ${i + 1}: expected user:password` };
    }
    users.set(line.slice(0, colon), line.slice(colon + 1));
  }
  if (users.size === 0) return { error: `${file}: no user:password line` };
  return {
    users,
    nonceKey: createHash('sha256').update('cisco-prov nonce\0').update(text).digest(),
  };
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/**
 * Whether a Digest `uri` names the request target. RFC 7616 §3.4 makes it the effective request
 * URI; clients send the request target as they wrote it, so an absolute-form request (through
 * a proxy) may carry either the URL or its path: both are accepted, nothing else.
 */
function sameTarget(uri: string, target: string): boolean {
  if (uri === target) return true;
  if (target.startsWith('/')) return false;
  const origin = originFormOf(target);
  return !('refused' in origin) && uri === origin.target;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A fresh nonce: `<ms>.<hmac>`. */
export function makeNonce(config: AuthConfig, now = Date.now()): string {
  const ts = now.toString(36);
  const mac = createHmac('sha256', config.nonceKey).update(ts).digest('base64url').slice(0, 22);
  return `${ts}.${mac}`;
}

/** When a nonce was issued, if it is one of ours (its HMAC checks) and still fresh. */
function freshNonceTime(config: AuthConfig, nonce: string, now: number): number | undefined {
  const [ts, mac] = nonce.split('.');
  if (!ts || !mac) return undefined;
  const expected = createHmac('sha256', config.nonceKey)
    .update(ts)
    .digest('base64url')
    .slice(0, 22);
  if (!safeEqual(mac, expected)) return undefined;
  const t = parseInt(ts, 36);
  return Number.isFinite(t) && now - t <= NONCE_LIFETIME_MS && t - now <= 60_000 ? t : undefined;
}

/**
 * The highest nonce count accepted for each nonce, in one process: a Digest answer is accepted
 * once per count, counts only go up. Entries go when their nonce expires; when more than
 * `limit` are tracked the oldest go early, and every nonce issued before the newest one dropped
 * is refused from then on (it may have been counted).
 */
/** Where nonce counts are kept: this process (NonceCounts) or one shared by several. */
export interface NonceLedger {
  /** Whether `nc` is higher than any count accepted before for this nonce (and records it). */
  accept(nonce: string, issued: number, nc: number, now: number): boolean | Promise<boolean>;
}

export class NonceCounts implements NonceLedger {
  private readonly counts = new Map<string, { issued: number; nc: number }>();
  /** Nonces issued at or before this time are no longer tracked: refused (stale). */
  private floor = -Infinity;
  private lastSweep = 0;

  constructor(
    private readonly limit = MAX_TRACKED_NONCES,
    private readonly lifetimeMs = NONCE_LIFETIME_MS,
  ) {}

  /** Nonces tracked now. */
  get size(): number {
    return this.counts.size;
  }

  /**
   * Records `nc` for a nonce issued at `issued` if it is higher than any accepted before.
   * @returns whether the answer is accepted
   */
  accept(nonce: string, issued: number, nc: number, now: number): boolean {
    this.sweep(now);
    const seen = this.counts.get(nonce);
    if (nc < 1) return false; // counts start at 00000001
    if (seen === undefined) {
      if (issued <= this.floor) return false;
      this.counts.set(nonce, { issued, nc });
      if (this.counts.size > this.limit) this.dropOldest();
      return true;
    }
    if (nc <= seen.nc) return false;
    seen.nc = nc;
    return true;
  }

  /** Drops the entries of expired nonces (at most once a second). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [nonce, entry] of this.counts) {
      if (now - entry.issued > this.lifetimeMs) this.counts.delete(nonce);
    }
  }

  private dropOldest(): void {
    let oldest: [string, { issued: number }] | undefined;
    for (const entry of this.counts)
      if (!oldest || entry[1].issued < oldest[1].issued) oldest = entry;
    if (!oldest) return;
    // Everything issued up to the dropped nonce's time is refused from now on (it is not known
    // which of those were counted), so several of the same millisecond go together.
    this.floor = Math.max(this.floor, oldest[1].issued);
    for (const [nonce, entry] of this.counts)
      if (entry.issued <= this.floor) this.counts.delete(nonce);
  }
}

/** The `WWW-Authenticate` challenges of a 401: Digest first, then Basic. */
export function challenges(config: AuthConfig, stale = false): string[] {
  return [
    `Digest realm="${AUTH_REALM}", qop="auth", algorithm=MD5, nonce="${makeNonce(config)}"${stale ? ', stale=true' : ''}`,
    `Basic realm="${AUTH_REALM}", charset="UTF-8"`,
  ];
}

/** Splits `k=v, k2="v 2"` (a Digest credential's parameters). */
function parseParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const m of text.matchAll(re)) {
    out.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  return out;
}

/** The outcome of checking an Authorization header. */
export type AuthResult =
  | { ok: true; user: string }
  | {
      ok: false;
      /** A right answer to a nonce that is too old or used up: challenge again, `stale=true`. */
      stale: boolean;
      user?: string;
      /** Why, for the log (never a password). */
      reason?: string;
    };

const NC = /^[0-9A-Fa-f]{8}$/;

/**
 * Checks a request's Authorization header.
 * @param method the request method (Digest hashes it)
 * @param target the request target as sent (a Digest answer must be for this URI)
 * @param counts the nonce counts, kept in this process (an answer at once) or shared with other
 *   processes (a promise); without it counts are not checked (a unit test)
 */
export function checkAuthorization(
  config: AuthConfig,
  header: string | undefined,
  method: string,
  target: string,
  now?: number,
  counts?: NonceCounts,
): AuthResult;
export function checkAuthorization(
  config: AuthConfig,
  header: string | undefined,
  method: string,
  target: string,
  now: number,
  counts: NonceLedger | undefined,
): AuthResult | Promise<AuthResult>;
export function checkAuthorization(
  config: AuthConfig,
  header: string | undefined,
  method: string,
  target: string,
  now = Date.now(),
  counts?: NonceLedger,
): AuthResult | Promise<AuthResult> {
  if (!header) return { ok: false, stale: false };
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(rest, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false, stale: false };
    const user = decoded.slice(0, colon);
    const expected = config.users.get(user);
    if (expected !== undefined && safeEqual(decoded.slice(colon + 1), expected)) {
      return { ok: true, user };
    }
    // A name not in the file is not logged: it may be the password typed in the wrong field.
    return expected === undefined
      ? { ok: false, stale: false, reason: 'unknown user' }
      : { ok: false, stale: false, user };
  }
  if (scheme === 'digest') {
    const p = parseParams(rest);
    const user = p.get('username') ?? '';
    const password = config.users.get(user);
    const nonce = p.get('nonce') ?? '';
    const uri = p.get('uri') ?? '';
    const response = p.get('response') ?? '';
    if (password === undefined) return { ok: false, stale: false, reason: 'unknown user' };
    if (p.get('realm') !== AUTH_REALM || !sameTarget(uri, target)) {
      return { ok: false, stale: false, user };
    }
    const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
    if (algorithm !== 'MD5') return { ok: false, stale: false, user };
    const ha1 = md5(`${user}:${AUTH_REALM}:${password}`);
    const ha2 = md5(`${method}:${uri}`);
    const qop = p.get('qop');
    const ncText = p.get('nc') ?? '';
    if (qop !== undefined && qop !== 'auth') return { ok: false, stale: false, user };
    if (qop === 'auth' && !NC.test(ncText)) {
      return { ok: false, stale: false, user, reason: 'Digest nc is not 8 hex digits' };
    }
    const expected =
      qop === 'auth'
        ? md5(`${ha1}:${nonce}:${ncText}:${p.get('cnonce') ?? ''}:auth:${ha2}`)
        : md5(`${ha1}:${nonce}:${ha2}`);
    if (!safeEqual(response, expected)) return { ok: false, stale: false, user };
    const issued = freshNonceTime(config, nonce, now);
    if (issued === undefined) {
      return { ok: false, stale: true, user, reason: 'Digest nonce expired or not ours' };
    }
    // Without qop there is no count: such a nonce is good for one request.
    const nc = qop === 'auth' ? parseInt(ncText, 16) : 1;
    const accepted: AuthResult = { ok: true, user };
    const replay: AuthResult = {
      ok: false,
      stale: true,
      user,
      reason: `Digest nonce count ${qop === 'auth' ? ncText : '(none)'} already used for this nonce (a replay?)`,
    };
    const verdict = counts ? counts.accept(nonce, issued, nc, now) : true;
    if (typeof verdict === 'boolean') return verdict ? accepted : replay;
    return verdict.then((ok) => (ok ? accepted : replay));
  }
  return { ok: false, stale: false };
}
