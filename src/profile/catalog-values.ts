/**
 * Value checks of the parameter catalog: does a value fit a {@link ParameterType}? Pure
 * functions; IP addresses are checked with node:net's isIPv4/isIPv6 (a pure check, no I/O).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { ParameterType } from './catalog.js';

/**
 * How a message shows the value it got: quoted (at most 40 characters), or — when values may
 * not be quoted (`quoteValues: false`: `render` of a device with secrets, whose values a
 * template may have transformed) — only what kind of value it was, as the template filters say.
 */
function quote(value: string, quoteValues: boolean): string {
  if (!quoteValues) return describeUnquoted(value);
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return JSON.stringify(shown);
}

/**
 * A value described without showing any of it: `a string of 19 characters`.
 * @example describeUnquoted('hunter22') // 'a string of 8 characters'
 */
export function describeUnquoted(value: string): string {
  return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
}

/**
 * Parses a guide integer: decimal or `0x` hex, optional sign. NaN when malformed.
 * @example parseGuideInteger('0x1F') // 31
 */
export function parseGuideInteger(text: string): number {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|([0-9]+))$/.exec(text);
  if (!m) return Number.NaN;
  const magnitude = m[2] !== undefined ? parseInt(m[2], 16) : parseInt(m[3] ?? '', 10);
  return m[1] === '-' ? -magnitude : magnitude;
}

function isIp(text: string): boolean {
  return isIPv4(text) || isIPv6Address(text);
}

/**
 * node:net's isIPv6, asked only of text with a colon (every IPv6 address has one): its regular
 * expression is large, and compiling it (V8 does so on first use, in each thread) was ≈ 18 ms
 * of a thread's first profile, asked of every host name in it (issue 12).
 */
function isIPv6Address(text: string): boolean {
  return text.includes(':') && isIPv6(text);
}

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function isHostName(text: string): boolean {
  const labels = (text.endsWith('.') ? text.slice(0, -1) : text).split('.');
  return labels.length > 0 && labels.every((label) => LABEL.test(label));
}

/** One entry of a static SRV list: `host:port`, then `:p=<priority>` and/or `:w=<weight>`. */
const SRV_ENTRY = /^([^:|]+):([0-9]{1,5})((?::[pw]=[0-9]{1,5}){0,2})$/;

function checkSrvList(value: string, quoteValues: boolean): string | undefined {
  const at = value.indexOf(':SRV=');
  const host = value.slice(0, at);
  const entries = value.slice(at + ':SRV='.length).split('|');
  const bad = `expected <host>:SRV=<host>:<port>:p=<priority>[:w=<weight>]|…, got ${quote(value, quoteValues)}`;
  if (!isHostName(host) && !isIPv4(host)) return bad;
  for (const entry of entries) {
    const m = SRV_ENTRY.exec(entry);
    if (!m || (!isHostName(m[1] ?? '') && !isIPv4(m[1] ?? '')) || Number(m[2]) > 65535) return bad;
  }
  return undefined;
}

function checkHost(
  type: { port?: boolean; maxLength?: number; srv?: boolean },
  value: string,
  quoteValues: boolean,
): string | undefined {
  if (type.srv === true && value.includes(':SRV=')) return checkSrvList(value, quoteValues);
  const max = type.maxLength ?? 63;
  const allowPort = type.port !== false;
  // Built only for a bad value: a message per good host name was garbage to collect.
  const expected = (): string =>
    `expected an IP address or host name${allowPort ? ' (optional :port)' : ''} of at most ${max} characters, got ${quote(value, quoteValues)}`;
  if (value.length > max) return expected();
  let host = value;
  let port: string | undefined;
  const bracketed = value.startsWith('[') ? /^\[([^\]]+)\](?::(.*))?$/.exec(value) : null;
  if (bracketed) {
    host = bracketed[1] ?? '';
    port = bracketed[2];
    if (!isIPv6Address(host)) return expected();
  } else if (isIPv6Address(value)) {
    return undefined;
  } else {
    const colon = value.lastIndexOf(':');
    if (colon >= 0) {
      host = value.slice(0, colon);
      port = value.slice(colon + 1);
    }
    if (!isIPv4(host) && !isHostName(host)) return expected();
  }
  if (port !== undefined) {
    if (!allowPort) return expected();
    const p = parseGuideInteger(port);
    if (!/^[0-9]+$/.test(port) || p > 65535) return expected();
  }
  return undefined;
}

function checkSchedule(value: string, quoteValues: boolean): string | undefined {
  const item = /^[0-9]+(\+[0-9]+)?$/;
  const items = value.split(',').map((s) => s.trim());
  if (items.every((s) => item.test(s))) return undefined;
  return `expected seconds (3600), a list (60,120,240) or a random spread (1800+300), got ${quote(value, quoteValues)}`;
}

function checkDialPlan(value: string, quoteValues: boolean): string | undefined {
  const closers: Record<string, string> = { ')': '(', ']': '[', '>': '<' };
  const stack: string[] = [];
  for (const ch of value) {
    if (ch === '(' || ch === '[' || ch === '<') stack.push(ch);
    else if (ch in closers) {
      if (stack.pop() !== closers[ch]) {
        return `expected a dial plan with balanced ( ), [ ] and < >, got an unmatched "${ch}" in ${quote(value, quoteValues)}`;
      }
    }
  }
  if (stack.length > 0) {
    return `expected a dial plan with balanced ( ), [ ] and < >, got an unclosed "${stack[stack.length - 1]}" in ${quote(value, quoteValues)}`;
  }
  return undefined;
}

function describeRange(min: number, max: number): string {
  return `an integer from ${min} to ${max}`;
}

/**
 * Checks a value against a parameter type. Returns undefined when the value is acceptable,
 * otherwise a short message saying what was expected and what arrived. The value is trimmed
 * first and an empty value is always accepted (see the module comment). Messages for
 * `password` never repeat the value; with `quoteValues` false no message does (it says what
 * kind of value arrived: `got a string of 8 characters`).
 *
 * @example
 * checkValue({ kind: 'bool' }, 'yes');        // undefined
 * checkValue({ kind: 'bool' }, 'yes please'); // 'expected Yes or No, got "yes please"'
 * checkValue({ kind: 'integer', min: 0, max: 255 }, '0x100'); // 'expected an integer from 0 to 255, got "0x100"'
 * checkValue({ kind: 'bool' }, 'HUNTER22', false); // 'expected Yes or No, got a string of 8 characters'
 */
export function checkValue(
  type: ParameterType,
  rawValue: string,
  quoteValues = true,
): string | undefined {
  const value = rawValue.trim();
  if (value === '') return undefined;
  switch (type.kind) {
    case 'bool':
      return /^(yes|no)$/i.test(value)
        ? undefined
        : `expected Yes or No, got ${quote(value, quoteValues)}`;
    case 'enum': {
      const ok = type.caseSensitive
        ? type.values.includes(value)
        : type.values.some((v) => v.toLowerCase() === value.toLowerCase());
      if (ok) return undefined;
      const list = type.values.map((v) => JSON.stringify(v));
      const shown = list.length > 8 ? [...list.slice(0, 8), '…'] : list;
      return `expected one of ${shown.join(', ')}, got ${quote(value, quoteValues)}`;
    }
    case 'integer': {
      const n = parseGuideInteger(value);
      return Number.isFinite(n) && n >= type.min && n <= type.max
        ? undefined
        : `expected ${describeRange(type.min, type.max)}, got ${quote(value, quoteValues)}`;
    }
    case 'port': {
      const n = parseGuideInteger(value);
      return Number.isFinite(n) && n >= 0 && n <= 65535
        ? undefined
        : `expected a port from 0 to 65535, got ${quote(value, quoteValues)}`;
    }
    case 'time': {
      const ok = /^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$/.test(value);
      const n = Number(value);
      const min = type.min ?? 0;
      const max = type.max ?? Number.POSITIVE_INFINITY;
      if (ok && n >= min && n <= max) return undefined;
      const bounds = Number.isFinite(max) ? ` from ${min} to ${max}` : '';
      return `expected a time in seconds${bounds} (decimals allowed), got ${quote(value, quoteValues)}`;
    }
    case 'ip':
      return isIp(value) ? undefined : `expected an IP address, got ${quote(value, quoteValues)}`;
    case 'host':
      return checkHost(type, value, quoteValues);
    case 'string':
      return value.length <= type.maxLength
        ? undefined
        : `expected at most ${type.maxLength} characters, got ${value.length}`;
    case 'schedule':
      return checkSchedule(value, quoteValues);
    case 'dialplan':
      return checkDialPlan(value, quoteValues);
    case 'password':
      return type.maxLength === undefined || value.length <= type.maxLength
        ? undefined
        : `expected at most ${type.maxLength} characters, got ${value.length} (value not shown)`;
    case 'pattern':
      return compilePattern(type.regex).test(value)
        ? undefined
        : `expected ${type.expected}, got ${quote(value, quoteValues)}`;
    case 'rule':
    case 'free':
      return undefined;
  }
}

const patternCache = new Map<string, RegExp>();

function compilePattern(source: string): RegExp {
  let regex = patternCache.get(source);
  if (!regex) {
    regex = new RegExp(`^(?:${source})$`);
    patternCache.set(source, regex);
  }
  return regex;
}
