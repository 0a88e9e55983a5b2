/**
 * Request targets (RFC 9112 §3.2): the origin form a client talking to the server sends
 * (`/cfg/x.xml`) and the absolute form one talking through a proxy sends (`http://host/cfg/x.xml`).
 * Kept apart from the routes so that auth.ts reads it without loading the site.
 */
/** A request target in origin form (path and query), and the authority an absolute-form one named. */
export type OriginForm = { target: string; authority: string | null } | { refused: string };

const ABSOLUTE_FORM = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;

/**
 * The origin form of a request target. RFC 9112 §3.2.2: a server MUST accept the absolute form
 * (`GET http://prov.example.com:8080/cfg/x.xml HTTP/1.1`), which a client configured with an
 * HTTP proxy, or a proxy in front of the server, sends; its path and query are what is asked
 * for and its authority replaces the Host header. Split by hand, not with `new URL()`, which
 * would resolve `..` segments away before the path checks could refuse them.
 * Refused: another scheme than http(s), an empty host (RFC 9110 §4.2.1), and userinfo
 * (`user:password@`, RFC 9110 §4.2.4: to be treated as an error).
 * @example originFormOf('http://h:8080/cfg/x.xml?a=1') // { target: '/cfg/x.xml?a=1', authority: 'h:8080' }
 */
export function originFormOf(target: string): OriginForm {
  if (target.startsWith('/')) return { target, authority: null };
  const m = ABSOLUTE_FORM.exec(target);
  if (!m) return { refused: 'request target is neither an absolute path nor an absolute URL' };
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    return { refused: `request target is a ${scheme}: URL, not http or https` };
  }
  const authority = m[2]!;
  if (authority.includes('@')) return { refused: 'request target URL has userinfo (user@)' };
  if (authority === '' || authority.startsWith(':')) {
    return { refused: 'request target URL has no host' };
  }
  const rest = m[3]!;
  return { target: rest.startsWith('/') ? rest : `/${rest}`, authority };
}
