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
import { originFormOf } from './request-target.js';
import { findSiteDevice, modelOfBootstrapName, type Site, type SiteDevice } from './site.js';

/** The default per-device routes: what render names files by default, plain and encrypted. */
export const DEFAULT_ROUTES = ['$MA.xml', '$MA.cfg', '$SN.xml', '$SN.cfg'] as const;

/**
 * One step of a route, in order: literal text, a fixed-shape token (a whole MAC), or a run of
 * characters of one class (a field, a serial, part of a MAC), shortest first as `+?` takes it.
 */
export type RouteStep =
  | { kind: 'text'; text: string }
  | { kind: 'fixed'; sticky: RegExp; id: boolean }
  | { kind: 'run'; char: RegExp; min: 0 | 1; id: boolean };

/** A compiled route pattern. */
export interface Route {
  /** As given, without a leading `/`. */
  pattern: string;
  /** The pattern as a regular expression (documentation and tests; matching uses `steps`). */
  regex: RegExp;
  /** The same pattern as steps, matched by {@link execRoute} in bounded time. */
  steps: RouteStep[];
  /** How many of the steps are runs (fields): with two or more, the regex could backtrack. */
  runs: number;
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
  const steps: RouteStep[] = [];
  for (const token of tokenizeMacros(clean)) {
    if (token.kind === 'text') {
      source += escapeRegex(token.text);
      steps.push({ kind: 'text', text: token.text });
      continue;
    }
    group++;
    const whole = token.offset === undefined && token.length === undefined;
    const id = idGroup === 0 && whole && ['MA', 'MAU', 'MAC', 'SN'].includes(token.name);
    switch (token.name) {
      case 'MA':
      case 'MAU':
        source += whole ? `(${MAC_BARE})` : '([0-9A-Fa-f]*?)';
        steps.push(
          whole
            ? { kind: 'fixed', sticky: new RegExp(MAC_BARE, 'y'), id }
            : { kind: 'run', char: /[0-9A-Fa-f]/, min: 0, id },
        );
        break;
      case 'MAC':
        source += whole ? `(${MAC_COLON})` : '([0-9A-Fa-f:]*?)';
        steps.push(
          whole
            ? { kind: 'fixed', sticky: new RegExp(MAC_COLON, 'y'), id }
            : { kind: 'run', char: /[0-9A-Fa-f:]/, min: 0, id },
        );
        break;
      case 'SN':
        source += '([A-Za-z0-9._-]+?)';
        steps.push({ kind: 'run', char: /[A-Za-z0-9._-]/, min: 1, id });
        break;
      default:
        source += '([^/]+?)';
        steps.push({ kind: 'run', char: /[^/]/, min: 1, id });
    }
    if (id) {
      idGroup = group;
      idKind = token.name === 'SN' ? 'serial' : 'mac';
    }
  }
  if (idGroup === 0) {
    return { error: `--route "${pattern}" must name the device by $MA, $MAU, $MAC or $SN` };
  }
  const runs = steps.filter((s) => s.kind === 'run').length;
  return { pattern: clean, regex: new RegExp(`${source}$`), steps, runs, idGroup, idKind };
}

/**
 * The MAC or serial a path names under a route (what `route.regex` captures in its id group),
 * or undefined when the path does not have the route's shape.
 *
 * Not the regular expression: a path is the attacker's, and several fields in one segment
 * (`$(region)-$(site)-$(floor)-$(room)-$MA.xml`) backtrack in n^fields steps — one 1,000-
 * character path of dashes held the event loop for minutes. This tries the same alternatives in
 * the same order (so it finds the same id) but remembers where a step already failed: at most
 * steps × n positions, each trying at most n ends.
 * @example execRoute(compileRoute('$(site)/$MA.xml') as Route, 'hq/00562b043615.xml') // '00562b043615'
 */
export function execRoute(route: Route, path: string): string | undefined {
  const { steps } = route;
  // One run or none cannot backtrack more than n steps: the regular expression is then the
  // faster way (0.1 µs against 0.7 µs for `$MA.xml`, on every request).
  if (route.runs <= 1) {
    const m = route.regex.exec(path);
    return m ? m[route.idGroup] : undefined;
  }
  const n = path.length;
  const failed = new Uint8Array((steps.length + 1) * (n + 1));
  let id: string | undefined;
  const matchFrom = (i: number, p: number): boolean => {
    const step = steps[i];
    if (step === undefined) return p === n;
    const key = i * (n + 1) + p;
    if (failed[key] === 1) return false;
    let ok = false;
    if (step.kind === 'text') {
      ok = path.startsWith(step.text, p) && matchFrom(i + 1, p + step.text.length);
    } else if (step.kind === 'fixed') {
      step.sticky.lastIndex = p;
      const m = step.sticky.exec(path);
      if (m && matchFrom(i + 1, p + m[0].length)) {
        ok = true;
        if (step.id) id = m[0];
      }
    } else {
      for (let end = p; end <= n; end++) {
        if (end > p && !step.char.test(path[end - 1]!)) break;
        if (end - p >= step.min && matchFrom(i + 1, end)) {
          ok = true;
          if (step.id) id = path.slice(p, end);
          break;
        }
      }
    }
    if (!ok) failed[key] = 1;
    return ok;
  };
  return matchFrom(0, 0) ? id : undefined;
}

/** A request path after the safety checks: its segments, decoded. */
export type CheckedPath = { path: string } | { refused: string };

/**
 * Checks and decodes a request target's path (the query is dropped). An absolute-form target
 * (an http or https URL) is checked by its path (originFormOf).
 * @example checkRequestPath('/00562b043615.xml?x=1') // { path: '00562b043615.xml' }
 * @example checkRequestPath('http://h/00562b043615.xml') // { path: '00562b043615.xml' }
 * @example checkRequestPath('/../etc/passwd') // { refused: 'path has a ".." segment' }
 */
export function checkRequestPath(requestTarget: string): CheckedPath {
  let target = requestTarget;
  if (!target.startsWith('/')) {
    const origin = originFormOf(target);
    if ('refused' in origin) return origin;
    target = origin.target;
  }
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
    const id = execRoute(route, path);
    if (id === undefined) continue;
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
