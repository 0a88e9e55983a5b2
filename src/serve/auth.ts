/**
 * Optional HTTP authentication for `serve --auth-file`: Basic (RFC 7617) and Digest (RFC 7616,
 * MD5, qop=auth) — what a phone answers a 401 with, from the `--uid`/`--pwd` of its rule
 * (reference §2, §5: at most two retries, then outcome C).
 *
 * The file holds `user:password` lines (`#` comments). Digest nonces are stateless — a time
 * stamp and an HMAC over it keyed by a hash of the auth file — so every instance behind a load
 * balancer that reads the same file accepts the others' nonces. They expire after five minutes;
 * nonce counts are not tracked (no shared state), so a captured Digest answer can be replayed
 * within that window: use HTTPS.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const AUTH_REALM = 'cisco-prov';
const NONCE_LIFETIME_MS = 5 * 60_000;

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

function nonceIsFresh(config: AuthConfig, nonce: string, now: number): boolean {
  const [ts, mac] = nonce.split('.');
  if (!ts || !mac) return false;
  const expected = createHmac('sha256', config.nonceKey)
    .update(ts)
    .digest('base64url')
    .slice(0, 22);
  if (!safeEqual(mac, expected)) return false;
  const t = parseInt(ts, 36);
  return Number.isFinite(t) && now - t <= NONCE_LIFETIME_MS && t - now <= 60_000;
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
export type AuthResult = { ok: true; user: string } | { ok: false; stale: boolean; user?: string };

/**
 * Checks a request's Authorization header.
 * @param method the request method (Digest hashes it)
 * @param target the request target as sent (a Digest answer must be for this URI)
 */
export function checkAuthorization(
  config: AuthConfig,
  header: string | undefined,
  method: string,
  target: string,
  now = Date.now(),
): AuthResult {
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
    return { ok: false, stale: false, user };
  }
  if (scheme === 'digest') {
    const p = parseParams(rest);
    const user = p.get('username') ?? '';
    const password = config.users.get(user);
    const nonce = p.get('nonce') ?? '';
    const uri = p.get('uri') ?? '';
    const response = p.get('response') ?? '';
    if (password === undefined || p.get('realm') !== AUTH_REALM || uri !== target) {
      return { ok: false, stale: false, user };
    }
    const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
    if (algorithm !== 'MD5') return { ok: false, stale: false, user };
    const ha1 = md5(`${user}:${AUTH_REALM}:${password}`);
    const ha2 = md5(`${method}:${uri}`);
    const qop = p.get('qop');
    const expected =
      qop === 'auth'
        ? md5(`${ha1}:${nonce}:${p.get('nc') ?? ''}:${p.get('cnonce') ?? ''}:auth:${ha2}`)
        : md5(`${ha1}:${nonce}:${ha2}`);
    if (!safeEqual(response, expected)) return { ok: false, stale: false, user };
    if (!nonceIsFresh(config, nonce, now)) return { ok: false, stale: true, user };
    return { ok: true, user };
  }
  return { ok: false, stale: false };
}
