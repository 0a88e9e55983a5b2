/**
 * Request paths → what is asked for. A per-device route is a pattern with the macros of
 * `render --name` (`$MA.xml`, `cfg/$MAU.cfg`, `$(site)/$SN.xml`): the MAC or serial in the path
 * finds the device, and the path must be exactly the name render would give it. Bootstrap names
 * (`/CP-8841-3PCC.xml`, `/8841.xml`, `/spa8841.cfg`, `/ata191.cfg`: Cisco's default
 * Profile_Rule `/$PSN.xml` and its spellings, reference §2) ask for the common profile.
 *
 * Paths are checked before anything else: no `..` or `.` segment, no empty segment, no
 * backslash, no control character or NUL, valid percent-encoding — a refused path never reaches
 * a lookup. Nothing is ever read from disk by request path, so traversal has nowhere to go anyway.
 */
import type { PhoneModel } from '../device/models.js';
import { tokenizeMacros } from '../profile/macros.js';
import { fileNameFor } from '../render/naming.js';
import { findSiteDevice, modelOfBootstrapName, type Site, type SiteDevice } from './site.js';

/** The default per-device routes: what render names files by default, plain and encrypted. */
export const DEFAULT_ROUTES = ['$MA.xml', '$MA.cfg', '$SN.xml', '$SN.cfg'] as const;

/** A compiled route pattern. */
export interface Route {
  /** As given, without a leading `/`. */
  pattern: string;
  regex: RegExp;
  /** Which capture group holds the device's identity, and what kind. */
  idGroup: number;
  idKind: 'mac' | 'serial';
}

const MAC_BARE = '[0-9A-Fa-f]{12}';
const MAC_COLON = '(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiles a route pattern. It must name the device by a whole `$MA`, `$MAU`, `$MAC` or `$SN`.
 * @example compileRoute('/cfg/$MA.xml').regex.test('cfg/00562b043615.xml') // true
 * @returns the route, or an error text for --route
 */
export function compileRoute(pattern: string): Route | { error: string } {
  const clean = pattern.replace(/^\/+/, '');
  if (clean === '') return { error: `--route "${pattern}" is empty` };
  let source = '^';
  let group = 0;
  let idGroup = 0;
  let idKind: 'mac' | 'serial' = 'mac';
  for (const token of tokenizeMacros(clean)) {
    if (token.kind === 'text') {
      source += escapeRegex(token.text);
      continue;
    }
    group++;
    const whole = token.offset === undefined && token.length === undefined;
    switch (token.name) {
      case 'MA':
      case 'MAU':
        source += whole ? `(${MAC_BARE})` : '([0-9A-Fa-f]*?)';
        break;
      case 'MAC':
        source += whole ? `(${MAC_COLON})` : '([0-9A-Fa-f:]*?)';
        break;
      case 'SN':
        source += '([A-Za-z0-9._-]+?)';
        break;
      default:
        source += '([^/]+?)';
    }
    if (idGroup === 0 && whole && ['MA', 'MAU', 'MAC', 'SN'].includes(token.name)) {
      idGroup = group;
      idKind = token.name === 'SN' ? 'serial' : 'mac';
    }
  }
  if (idGroup === 0) {
    return { error: `--route "${pattern}" must name the device by $MA, $MAU, $MAC or $SN` };
  }
  return { pattern: clean, regex: new RegExp(`${source}$`), idGroup, idKind };
}

/** A request path after the safety checks: its segments, decoded. */
export type CheckedPath = { path: string } | { refused: string };

/**
 * Checks and decodes a request target's path (the query is dropped).
 * @example checkRequestPath('/00562b043615.xml?x=1') // { path: '00562b043615.xml' }
 * @example checkRequestPath('/../etc/passwd') // { refused: 'path has a ".." segment' }
 */
export function checkRequestPath(target: string): CheckedPath {
  if (!target.startsWith('/')) return { refused: 'request target is not an absolute path' };
  const raw = target.split('?', 1)[0]!.split('#', 1)[0]!;
  if (raw.length > 1024) return { refused: 'path longer than 1024 characters' };
  if (raw.includes('\\')) return { refused: 'path has a backslash' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { refused: 'path has invalid percent-encoding' };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(decoded)) return { refused: 'path has a control character' };
  if (decoded.includes('\\')) return { refused: 'path has a backslash' };
  const inner = decoded.slice(1);
  if (inner === '') return { path: '' };
  const segments = inner.split('/');
  if (segments.some((s) => s === '..')) return { refused: 'path has a ".." segment' };
  if (segments.some((s) => s === '.' || s === '')) {
    return { refused: 'path has an empty or "." segment' };
  }
  // An encoded slash (%2F) would make one segment look like two after decoding.
  if (raw.slice(1).split('/').length !== segments.length) {
    return { refused: 'path has an encoded "/"' };
  }
  return { path: inner };
}

/** What a path asks for. */
export type RouteMatch =
  | {
      kind: 'device';
      device: SiteDevice;
      route: Route;
      /** `.xml`, `.cfg`, or '' */
      extension: string;
    }
  | {
      kind: 'unknown-device';
      /** The MAC or serial the path names. */
      id: string;
      route: Route;
    }
  | { kind: 'bootstrap'; phone: PhoneModel; extension: string }
  | { kind: 'none' };

function extensionOf(path: string): string {
  const m = /\.[A-Za-z0-9]+$/.exec(path);
  return m ? m[0].toLowerCase() : '';
}

/** Each device's name under each route (lower case), computed once per site. */
const expectedNames = new WeakMap<SiteDevice, Map<string, string | undefined>>();

function expectedName(device: SiteDevice, route: Route): string | undefined {
  let names = expectedNames.get(device);
  if (!names) expectedNames.set(device, (names = new Map()));
  if (!names.has(route.pattern)) {
    const r = fileNameFor(route.pattern, { ...device.inventory, vars: device.vars });
    names.set(route.pattern, 'name' in r ? r.name.toLowerCase() : undefined);
  }
  return names.get(route.pattern);
}

/**
 * Finds what a checked path asks for. A device route matches when the path has its shape; the
 * device found by its MAC or serial must then have exactly that name (render's naming), compared
 * without regard to case (a phone may ask for `$MAU`).
 */
export function matchRoute(
  site: Site,
  routes: readonly Route[],
  path: string,
  bootstrap: boolean,
): RouteMatch {
  let unknown: RouteMatch | undefined;
  for (const route of routes) {
    const m = route.regex.exec(path);
    if (!m) continue;
    const id = m[route.idGroup]!;
    const device = findSiteDevice(site, id);
    if (!device) {
      unknown ??= { kind: 'unknown-device', id, route };
      continue;
    }
    const expected = expectedName(device, route);
    if (expected !== undefined && expected === path.toLowerCase()) {
      return { kind: 'device', device, route, extension: extensionOf(path) };
    }
  }
  // A bootstrap name wins over an unknown serial: `8841.xml` also has the shape of `$SN.xml`.
  if (bootstrap && !path.includes('/')) {
    const m = /^(.+)\.(xml|cfg)$/i.exec(path);
    const phone = m ? modelOfBootstrapName(m[1]!) : undefined;
    if (phone) return { kind: 'bootstrap', phone, extension: `.${m![2]!.toLowerCase()}` };
  }
  return unknown ?? { kind: 'none' };
}
