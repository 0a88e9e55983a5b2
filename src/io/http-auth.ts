/**
 * Answers to HTTP authentication challenges, as the phone gives them with `--uid`/`--pwd`:
 * Basic (RFC 7617) and Digest (RFC 7616, with the RFC 2617 forms: no qop, MD5).
 *
 * Challenges are parsed from each WWW-Authenticate / Proxy-Authenticate header line separately
 * (RFC 9110 §11.6.1: a line may hold several challenges, and a server may send several lines).
 */
import { createHash, randomBytes } from 'node:crypto';

/** One challenge: its scheme (lower-case) and auth-params (names lower-case). */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Splits header lines into challenges. Never throws; what it can't read it skips. */
export function parseChallenges(lines: readonly string[]): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const line of lines) {
    let i = 0;
    let current: AuthChallenge | undefined;
    const n = line.length;
    const skip = (): void => {
      while (i < n && (line[i] === ' ' || line[i] === '\t' || line[i] === ',')) i++;
    };
    while (i < n) {
      skip();
      const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(line.slice(i))?.[0];
      if (!token) {
        i++;
        continue;
      }
      let j = i + token.length;
      while (j < n && (line[j] === ' ' || line[j] === '\t')) j++;
      if (line[j] === '=' && current && line[j + 1] !== '=') {
        // auth-param: token = ( token / quoted-string )
        j++;
        while (j < n && (line[j] === ' ' || line[j] === '\t')) j++;
        let value = '';
        if (line[j] === '"') {
          j++;
          while (j < n && line[j] !== '"') {
            if (line[j] === '\\' && j + 1 < n) j++;
            value += line[j];
            j++;
          }
          j++;
        } else {
          const m = /^[^\s,]*/.exec(line.slice(j))?.[0] ?? '';
          value = m;
          j += m.length;
        }
        current.params[token.toLowerCase()] = value;
        i = j;
      } else if (line[j] === '=' && current) {
        // token68 (`Negotiate abc==`): not a scheme we answer.
        i = j + 2;
      } else {
        current = { scheme: token.toLowerCase(), params: {} };
        challenges.push(current);
        i = i + token.length;
      }
    }
  }
  return challenges;
}

export interface Credentials {
  uid: string;
  pwd: string;
}

export interface AuthRequest {
  method: string;
  /** request-target: the path and query sent on the request line. */
  uri: string;
  /** The request body (auth-int hashes it). */
  body?: Uint8Array | undefined;
}

const DIGEST_HASHES: Readonly<Record<string, string>> = {
  md5: 'md5',
  'md5-sess': 'md5',
  'sha-256': 'sha256',
  'sha-256-sess': 'sha256',
};

/**
 * Picks the challenge to answer (Digest with a known algorithm over Basic) and builds the
 * Authorization value, or undefined when no challenge is one we can answer.
 * @example authorize([{ scheme: 'basic', params: { realm: 'x' } }], { uid: 'a', pwd: 'b' }, req)
 * // { scheme: 'Basic', header: 'Basic YTpi' }
 */
export function authorize(
  challenges: readonly AuthChallenge[],
  credentials: Credentials,
  request: AuthRequest,
  cnonce: string = randomBytes(16).toString('hex'),
): { scheme: 'Basic' | 'Digest'; header: string } | undefined {
  const digest = challenges.find(
    (c) =>
      c.scheme === 'digest' &&
      c.params.nonce !== undefined &&
      (c.params.algorithm ?? 'MD5').toLowerCase() in DIGEST_HASHES,
  );
  if (digest) {
    return { scheme: 'Digest', header: digestAuthorization(digest, credentials, request, cnonce) };
  }
  if (challenges.some((c) => c.scheme === 'basic')) {
    const token = Buffer.from(`${credentials.uid}:${credentials.pwd}`, 'utf8').toString('base64');
    return { scheme: 'Basic', header: `Basic ${token}` };
  }
  return undefined;
}

/** RFC 7616 §3.4: the response to a Digest challenge. */
export function digestAuthorization(
  challenge: AuthChallenge,
  { uid, pwd }: Credentials,
  request: AuthRequest,
  cnonce: string,
): string {
  const p = challenge.params;
  const algorithm = p.algorithm ?? 'MD5';
  const hashName = DIGEST_HASHES[algorithm.toLowerCase()] ?? 'md5';
  const H = (text: string | Uint8Array): string => createHash(hashName).update(text).digest('hex');
  const realm = p.realm ?? '';
  const nonce = p.nonce ?? '';
  const offered = (p.qop ?? '').split(',').map((q) => q.trim().toLowerCase());
  const qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : '';
  const nc = '00000001';
  let ha1 = H(`${uid}:${realm}:${pwd}`);
  if (algorithm.toLowerCase().endsWith('-sess')) ha1 = H(`${ha1}:${nonce}:${cnonce}`);
  const ha2 =
    qop === 'auth-int'
      ? H(`${request.method}:${request.uri}:${H(request.body ?? new Uint8Array())}`)
      : H(`${request.method}:${request.uri}`);
  const response = qop
    ? H(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
    : H(`${ha1}:${nonce}:${ha2}`);
  const quote = (s: string): string => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const parts = [
    `username=${quote(uid)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(request.uri)}`,
    `algorithm=${algorithm}`,
    `response=${quote(response)}`,
  ];
  if (p.opaque !== undefined) parts.push(`opaque=${quote(p.opaque)}`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}
