/**
 * The fuzz drivers' shared parts: a seeded PRNG, byte mutators tuned to the formats the tool
 * reads (XML, Liquid, CSV/JSON/YAML, ciphertexts, log lines, rules), seeds from the repository,
 * and a runner that applies the oracles (only typed errors, a time bound per input) and keeps
 * the first input of each distinct failure, minimised, for a regression test.
 *
 * Every run is reproducible: `FUZZ_SEED` picks the PRNG's seed, `FUZZ_EXECS` the number of inputs
 * per target (see test/fuzz/core.ts).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** mulberry32: small, fast, seeded; good enough to pick mutations. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const enc = new TextEncoder();
export const utf8 = (s: string): Uint8Array => enc.encode(s);
export const latin = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** Byte strings that break parsers: encodings, controls, separators, entity tricks. */
const GENERIC_TOKENS: readonly Uint8Array[] = [
  Uint8Array.of(0),
  Uint8Array.of(0xef, 0xbb, 0xbf),
  Uint8Array.of(0xff, 0xfe),
  Uint8Array.of(0xfe, 0xff),
  Uint8Array.of(0xc0, 0x80),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xf4, 0x90, 0x80, 0x80),
  Uint8Array.of(0xff),
  Uint8Array.of(0x80),
  Uint8Array.of(0xe2, 0x80, 0xa8),
  Uint8Array.of(0xef, 0xbf, 0xbf),
  Uint8Array.of(0x1b, 0x5b, 0x33, 0x31, 0x6d),
  utf8('\r\n'),
  utf8('\r'),
  utf8('\n'),
  utf8('\t'),
  utf8('\u0085'),
  utf8('\u2028'),
  utf8('\ud800'.replace(/./, 'x')),
  utf8('"'),
  utf8("'"),
  utf8('\\'),
  utf8('%00'),
  utf8('%'),
  utf8('$'),
  utf8('{{'),
  utf8('}}'),
  utf8('{%'),
  utf8('%}'),
  utf8('__proto__'),
  utf8('constructor'),
  utf8('-1'),
  utf8('4294967296'),
  utf8('1e999'),
  utf8('NaN'),
  utf8('9'.repeat(400)),
];

/** Format-specific tokens (a target passes its own). */
export const XML_TOKENS: readonly string[] = [
  '<',
  '>',
  '</',
  '/>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?xml version="1.0"?>',
  '<?xml version="1.0" encoding="ISO-8859-1"?>',
  '<?pi x?>',
  '<!DOCTYPE x [<!ENTITY a "&b;&b;"><!ENTITY b "xxxxxxxx">]>',
  '<!DOCTYPE flat-profile SYSTEM "file:///etc/passwd">',
  '<!ENTITY x SYSTEM "file:///etc/passwd">',
  '&a;',
  '&amp;',
  '&lt;',
  '&#0;',
  '&#x0;',
  '&#xD800;',
  '&#1114112;',
  '&#x110000;',
  '&#65;',
  '&#99999999999999999999;',
  '&',
  ';',
  'ua="na"',
  'ua="rw"',
  'ua=na',
  ' ua="na" ua="ro"',
  'xmlns="x"',
  'xmlns:a="b"',
  '<flat-profile>',
  '</flat-profile>',
  '<device>',
  '</device>',
  '<Station_Name>',
  '</Station_Name>',
  '<Admin_Passwd ua="na">',
  '</Admin_Passwd>',
  '<Profile_Rule>',
  '</Profile_Rule>',
  '<Extension_1_>',
  '<Line_Enable_1_ ua="na">Yes</Line_Enable_1_>',
  '<a:b>',
  '<__proto__>x</__proto__>',
  '<constructor>x</constructor>',
  '<toString>1</toString>',
  '<hasOwnProperty ua="na">1</hasOwnProperty>',
  '<#text>',
  '<:@>',
  '$MA',
  '$(MA:3)',
  '$(',
  '$$',
  '{{ mac }}',
];

export const LIQUID_TOKENS: readonly string[] = [
  '{{',
  '}}',
  '{%',
  '%}',
  '{%-',
  '-%}',
  '{{ mac }}',
  '{{ device.mac }}',
  '{{ x | yesno }}',
  '{{ x | xml }}',
  '{{ x | append: y }}',
  '{% if x %}',
  '{% endif %}',
  '{% for i in (1..100000000) %}{{ i }}',
  '{% for i in (1..10) %}',
  '{% endfor %}',
  '{% render "header" %}',
  '{% include "header" %}',
  '{% include "../../../etc/passwd" %}',
  '{% render "/etc/passwd" %}',
  '{% layout "x" %}',
  '{% raw %}',
  '{% endraw %}',
  '{% comment %}',
  '{% endcomment %}',
  '{% assign x = "a" %}',
  '{% capture c %}',
  '{% endcapture %}',
  '{% cycle "a","b" %}',
  '{% tablerow i in (1..3) %}',
  '{% case x %}{% when 1 %}',
  '{% endcase %}',
  '{% liquid assign x = 1 %}',
  '{{ "x" | repeat: 999999999 }}',
  '{{ x.__proto__ }}',
  '{{ x.constructor.constructor }}',
  '{{ 1 | divided_by: 0 }}',
  '{{ "a" | date: "%Y" }}',
  '{{ admin_password }}',
];

export const CSV_TOKENS: readonly string[] = [
  ',',
  ';',
  '\t',
  '"',
  '""',
  '\n',
  '\r\n',
  'mac',
  'model',
  'template',
  'group',
  '00562b043615',
  '0056.2b04.3615',
  '8841',
  'ATA191',
  '__proto__',
  'lines.1.extension',
  'lines.99999999999.x',
  'a..b',
  '=cmd|/c calc',
];

export const YAML_TOKENS: readonly string[] = [
  ': ',
  '- ',
  '&a ',
  '*a',
  '!!python/object',
  '!!binary',
  '<<: *a',
  '? ',
  '|',
  '>',
  '---',
  '...',
  '%YAML 1.2',
  '%TAG ! x',
  '{',
  '}',
  '[',
  ']',
  'devices:',
  'mac: ',
  '__proto__: ',
  '  ',
  '0x1F',
  '0o17',
  '.inf',
  '~',
  'null',
  '1_000',
  '12:30:00',
];

export const JSON_TOKENS: readonly string[] = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '"__proto__"',
  '"devices"',
  '"mac"',
  '"defaults"',
  '"groups"',
  'null',
  'true',
  '1e309',
  '-0',
  '"\\u0000"',
  '"\\ud800"',
  '\\',
];

/** Wraps a format's tokens as bytes once. */
export function tokens(list: readonly string[]): Uint8Array[] {
  return list.map(utf8);
}

/** The parts joined: the platform's Buffer.concat (a Buffer is a Uint8Array). */
function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** The names of the mutations, for the stats of a run. */
export type MutationName =
  | 'flip'
  | 'byte'
  | 'insert-token'
  | 'delete'
  | 'duplicate'
  | 'truncate'
  | 'splice'
  | 'repeat-huge'
  | 'nest'
  | 'long-run'
  | 'crlf'
  | 'random-insert';

/**
 * One to four mutations of `seed` (another seed from `pool` for splices; `dict` the format's
 * tokens; `nest` how to open and close a nesting level for deep nesting). Output is capped at
 * `maxLength` bytes so one input stays fast.
 */
export function mutate(
  rng: Rng,
  seed: Uint8Array,
  pool: readonly Uint8Array[],
  dict: readonly Uint8Array[],
  nest: readonly [string, string][],
  maxLength = 256 * 1024,
): Uint8Array {
  let data = seed;
  const rounds = 1 + rng.int(4);
  const all = [...dict, ...GENERIC_TOKENS];
  for (let r = 0; r < rounds; r++) {
    const at = rng.int(data.length + 1);
    switch (rng.int(12)) {
      case 0: {
        if (data.length === 0) break;
        const out = new Uint8Array(data);
        const i = rng.int(out.length);
        out[i] = (out[i] as number) ^ (1 << rng.int(8));
        data = out;
        break;
      }
      case 1: {
        if (data.length === 0) break;
        const out = new Uint8Array(data);
        out[rng.int(out.length)] = rng.pick([0, 0x7f, 0x80, 0xff, 0x3c, 0x3e, 0x26, 0x22, 0x0a]);
        data = out;
        break;
      }
      case 2:
      case 3:
        data = concat(data.subarray(0, at), rng.pick(all), data.subarray(at));
        break;
      case 4: {
        const len = rng.int(Math.min(64, data.length - at) + 1);
        data = concat(data.subarray(0, at), data.subarray(at + len));
        break;
      }
      case 5: {
        const len = rng.int(Math.min(256, data.length - at) + 1);
        const piece = data.subarray(at, at + len);
        data = concat(data.subarray(0, at + len), piece, data.subarray(at + len));
        break;
      }
      case 6:
        data = data.subarray(0, at);
        break;
      case 7: {
        const other = rng.pick(pool);
        const from = rng.int(other.length + 1);
        data = concat(data.subarray(0, at), other.subarray(from));
        break;
      }
      case 8: {
        // A huge count of one piece: a token or a slice of the input.
        const piece =
          rng.chance(0.5) || data.length === 0
            ? rng.pick(all)
            : data.subarray(at, at + 1 + rng.int(32));
        const times = 1 + rng.int(Math.max(1, Math.floor(maxLength / 4 / (piece.length + 1))));
        const reps = new Uint8Array(piece.length * times);
        for (let i = 0; i < times; i++) reps.set(piece, i * piece.length);
        data = concat(data.subarray(0, at), reps, data.subarray(at));
        break;
      }
      case 9: {
        if (nest.length === 0) break;
        const [open, close] = rng.pick(nest);
        const depth = rng.pick([50, 500, 5000, 20000]);
        data = concat(
          data.subarray(0, at),
          utf8(open.repeat(depth)),
          rng.chance(0.5) ? utf8(close.repeat(depth)) : new Uint8Array(),
          data.subarray(at),
        );
        break;
      }
      case 10: {
        // A very long line, name or attribute value.
        const ch = rng.pick(['a', 'A', ' ', '_', '0', '\u00e9', '&amp;', 'x"']);
        const len = rng.pick([1000, 10000, 70000]);
        data = concat(data.subarray(0, at), utf8(ch.repeat(len)), data.subarray(at));
        break;
      }
      case 11:
        if (rng.chance(0.5)) {
          data = utf8(latin(data).replace(/\r?\n/g, '\r\n'));
        } else {
          data = concat(data.subarray(0, at), rng.bytes(1 + rng.int(16)), data.subarray(at));
        }
        break;
    }
    if (data.length > maxLength) data = data.subarray(0, maxLength);
  }
  return data;
}

/** Files under `dir` (recursively) whose name passes `keep`. */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir)).sort()) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...filesUnder(rel, keep));
    else if (keep(name)) out.push(rel);
  }
  return out;
}

export function readSeed(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(ROOT, rel)));
}

/** The corpus exports (test/corpus/exports) as flat-profile XML. */
export function corpusProfiles(): Uint8Array[] {
  return filesUnder('test/corpus/exports', (n) => n.endsWith('.json')).map((rel) => {
    const data = JSON.parse(readFileSync(join(ROOT, rel), 'utf8')) as {
      parameters?: { name: string; value: string }[];
    };
    const esc = (s: string) =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const body = (data.parameters ?? [])
      .map((p) => `  <${p.name} ua="na">${esc(String(p.value))}</${p.name}>`)
      .join('\n');
    return utf8(`<flat-profile>\n${body}\n</flat-profile>\n`);
  });
}

/** What a target does with one input; it throws only what the target says is expected. */
export interface Target {
  name: string;
  seeds: Uint8Array[];
  dict: readonly Uint8Array[];
  nest: readonly [string, string][];
  /** Runs the code under test. */
  run(input: Uint8Array): void | Promise<void>;
  /** Whether a thrown value is one of the documented errors for this target. */
  expected(err: unknown): boolean;
  /**
   * Where an expected error carries a planted secret (a field name, a rule id), or undefined:
   * the finding's signature, so that minimising keeps the same leak.
   */
  leak?(err: unknown): string | undefined;
  /** Further checks on a thrown error's message or on the result (planted secrets…). */
  maxLength?: number;
  /** Per-input CPU time bound in ms (default FUZZ_TIME_LIMIT, else 3000). */
  timeLimitMs?: number;
}

export interface Finding {
  target: string;
  kind: 'unexpected-error' | 'slow';
  signature: string;
  detail: string;
  input: Uint8Array;
  ms: number;
}

/** The message, hint and any listed problems of an error. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { hint?: unknown; problems?: unknown; errors?: unknown };
  return [e.message, String(e.hint ?? ''), JSON.stringify(e.problems ?? e.errors ?? '')].join('\n');
}

function signatureOf(err: unknown): string {
  if (err instanceof Error) {
    const frame = (err.stack ?? '').split('\n').find((l) => /^\s+at /.test(l)) ?? '';
    return `${err.name}: ${err.message.slice(0, 80)} @ ${frame.trim().slice(0, 120)}`;
  }
  return `non-Error thrown: ${String(err).slice(0, 80)}`;
}

async function classify(
  target: Target,
  input: Uint8Array,
): Promise<
  { ok: true; ms: number; threw: boolean } | { ok: false; ms: number; sig: string; detail: string }
> {
  // CPU time, not wall time: on a shared machine being descheduled is not slowness.
  const t0 = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(t0);
    return (used.user + used.system) / 1000;
  };
  try {
    await target.run(input);
    return { ok: true, ms: cpuMs(), threw: false };
  } catch (err) {
    const ms = cpuMs();
    if (target.expected(err)) {
      const leak = target.leak?.(err);
      if (leak === undefined) return { ok: true, ms, threw: true };
      return { ok: false, ms, sig: `secret in message: ${leak}`, detail: errorText(err) };
    }
    return {
      ok: false,
      ms,
      sig: signatureOf(err),
      detail: err instanceof Error ? (err.stack ?? String(err)) : String(err),
    };
  }
}

/** Shrinks an input that fails with `sig`: cut halves, then chunks, then single bytes. */
export async function minimise(
  target: Target,
  input: Uint8Array,
  sig: string,
  budget = 400,
): Promise<Uint8Array> {
  let best = input;
  let tries = 0;
  const stillFails = async (candidate: Uint8Array): Promise<boolean> => {
    tries++;
    const r = await classify(target, candidate);
    return !r.ok && r.sig === sig;
  };
  for (let chunk = Math.max(1, best.length >> 1); chunk >= 1 && tries < budget;) {
    let progressed = false;
    for (let at = 0; at < best.length && tries < budget;) {
      const candidate = concat(best.subarray(0, at), best.subarray(at + chunk));
      if (await stillFails(candidate)) {
        best = candidate;
        progressed = true;
      } else {
        at += chunk;
      }
    }
    if (!progressed) chunk >>= 1;
  }
  return best;
}

export interface RunStats {
  target: string;
  execs: number;
  expectedErrors: number;
  findings: Finding[];
  maxMs: number;
  totalMs: number;
}

/** Runs `execs` mutated inputs through a target (the seeds first, unchanged). */
export async function fuzzTarget(target: Target, seed: number, execs: number): Promise<RunStats> {
  const rng = new Rng(seed);
  const limit = target.timeLimitMs ?? Number(process.env.FUZZ_TIME_LIMIT ?? 3000);
  const stats: RunStats = {
    target: target.name,
    execs: 0,
    expectedErrors: 0,
    findings: [],
    maxMs: 0,
    totalMs: 0,
  };
  const seen = new Set<string>();
  for (let i = 0; i < execs; i++) {
    const input =
      i < target.seeds.length
        ? (target.seeds[i] as Uint8Array)
        : mutate(
            rng,
            rng.pick(target.seeds),
            target.seeds,
            target.dict,
            target.nest,
            target.maxLength,
          );
    const r = await classify(target, input);
    stats.execs++;
    stats.totalMs += r.ms;
    stats.maxMs = Math.max(stats.maxMs, r.ms);
    if (!r.ok) {
      if (!seen.has(r.sig)) {
        seen.add(r.sig);
        const small = await minimise(target, input, r.sig);
        stats.findings.push({
          target: target.name,
          kind: 'unexpected-error',
          signature: r.sig,
          detail: r.detail,
          input: small,
          ms: r.ms,
        });
      }
    } else if (r.threw) {
      stats.expectedErrors++;
    }
    if (r.ok && r.ms > limit) {
      const sig = `slow > ${limit} ms`;
      if (!seen.has(sig)) {
        seen.add(sig);
        stats.findings.push({
          target: target.name,
          kind: 'slow',
          signature: sig,
          detail: `${r.ms.toFixed(0)} ms on ${input.length} bytes`,
          input,
          ms: r.ms,
        });
      }
    }
  }
  return stats;
}

/** A printable excerpt of an input for the report. */
export function show(input: Uint8Array, max = 300): string {
  const s = JSON.stringify(latin(input.subarray(0, max)));
  return input.length > max ? `${s}… (${input.length} bytes)` : `${s} (${input.length} bytes)`;
}
