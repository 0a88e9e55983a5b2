/**
 * The phone's address behind a reverse proxy (`serve --trust-proxy`): when the connection comes
 * from a trusted proxy, its `X-Forwarded-For` names the client. Read from the right, as nginx's
 * `real_ip_recursive on` does: each address a trusted proxy appended is taken, until one that
 * is not trusted — the client, or whoever claims to be; what stands left of it was sent by the
 * client and is not believed. A connection from any other address keeps its own address, so a
 * phone cannot forge its logged address by sending the header itself.
 */
import { BlockList, isIP } from 'node:net';

/** The trusted proxies: addresses and networks (`10.0.0.5`, `10.0.0.0/8`, `fd00::/8`). */
export type TrustedProxies = BlockList;

/**
 * Parses `--trust-proxy` values.
 * @returns the list, or the first value that is not an address or a network
 * @example trustedProxies(['127.0.0.1', '10.0.0.0/8'])
 */
export function trustedProxies(values: readonly string[]): TrustedProxies | { error: string } {
  const list = new BlockList();
  for (const value of values) {
    const [address = '', prefix, ...rest] = value.trim().split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (family === 0 || rest.length > 0) return { error: value };
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else {
      if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return { error: value };
      list.addSubnet(address, Number(prefix), type);
    }
  }
  return list;
}

/** An address as a peer or a header gives it, checked against the list; IPv4-mapped as IPv4. */
function plainAddress(text: string): { address: string; type: 'ipv4' | 'ipv6' } | undefined {
  let a = text.trim();
  // `[2001:db8::1]:443` and `192.0.2.1:5060`, as some proxies write them.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.indexOf(':'));
  if (/^::ffff:[\d.]+$/i.test(a) && isIP(a.slice(7)) === 4) a = a.slice(7);
  const family = isIP(a);
  if (family === 0) return undefined;
  return { address: a, type: family === 4 ? 'ipv4' : 'ipv6' };
}

function trusted(list: TrustedProxies, text: string): boolean {
  const a = plainAddress(text);
  return a !== undefined && list.check(a.address, a.type);
}

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the rightmost address
 * of `X-Forwarded-For` that is not itself a trusted proxy (a value that is not an address ends
 * the walk: the last trusted hop is then the address).
 * @example clientAddress('10.0.0.2', '192.0.2.7, 10.0.0.3', list) // '192.0.2.7' when both 10.x are trusted
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | string[] | undefined,
  list: TrustedProxies | undefined,
): string {
  if (list === undefined || forwardedFor === undefined || !trusted(list, peer)) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  let address = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    if (hop === undefined) break;
    address = hop.address;
    if (!list.check(hop.address, hop.type)) break;
  }
  return address;
}
