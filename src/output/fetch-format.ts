/**
 * `fetch` output: the request chain, the cipher, the outcome and the next attempt for people;
 * the same as JSON for scripts. Never a key, password, IKM or the profile itself.
 */
import type { NextAttempt, ResyncOutcome } from '../profile/resync.js';
import type { Diagnostic } from '../validate/diagnostic.js';
import { jsonForTerminal } from './terminal-text.js';

/** One request of the chain. */
export interface FetchHop {
  method: 'GET' | 'POST';
  url: string;
  /** null when no answer came (refused, timeout…). */
  status: number | null;
  statusText?: string;
  httpVersion?: string;
  /** The challenge answered on this request's retry. */
  auth?: 'Basic' | 'Digest';
  location?: string;
  error?: string;
}

export type FetchCipher = 'aes128gcm' | 'aes-256-cbc' | 'none';

/** The four profile rules a resync runs, in order. */
export type ProfileRuleName =
  'Profile_Rule' | 'Profile_Rule_B' | 'Profile_Rule_C' | 'Profile_Rule_D';

/** What a fetch found, for one rule or for the resync's deciding rule. */
interface FetchFindings<O> {
  outcome: O;
  /** Why, in one line. */
  reason: string;
  /** The last HTTP status, or null when the last request got no answer. */
  status: number | null;
  /** The last URL requested; null when nothing was requested. */
  url: string | null;
  chain: FetchHop[];
  /** How the body was encrypted; null when no body was read. */
  cipher: FetchCipher | null;
  /** AES-256-CBC: the key derivation digest that opened it. */
  digest: string | null;
  gzip: boolean | null;
  diagnostics: Diagnostic[];
}

/**
 * One rule of the resync: what was fetched for it and what the phone made of it. The outcome is
 * null when the phone fetched nothing for it (no alternative applies, it only assigns) or fetch
 * could not replay it (TFTP, DNS SRV).
 */
export interface RuleFetch extends FetchFindings<ResyncOutcome | null> {
  rule: ProfileRuleName;
  /** Where its text came from: the argument, `--rule-b…`, or a profile applied before it. */
  source: 'argument' | 'option' | 'profile';
  /** The URL of the profile that set it (source `profile`), else null. */
  setBy: string | null;
  /** The decrypted, gunzipped profile (outcome A with a body). Never printed. */
  profile: Uint8Array | undefined;
}

/**
 * A whole resync. The top-level fields describe the rule that decided the outcome: the first that
 * failed, else the last fetched; `rules` has every rule run.
 */
export interface FetchResult extends FetchFindings<ResyncOutcome> {
  next: NextAttempt;
  /**
   * On outcome A, what `-o` saves: the one profile applied, or the parameters of several
   * combined (a later file overriding an earlier one). Never printed.
   */
  profile: Uint8Array | undefined;
  rules: RuleFetch[];
  /** Notes and warnings for stderr; never a secret. */
  warnings: string[];
  /**
   * Exit code: 0 for A (1 with --strict and validation errors), 1 for B and C, 2 when a rule a
   * profile set could not be replayed (TFTP, DNS SRV) and the rest reached A.
   */
  exitCode: 0 | 1 | 2;
}

/** One rule in `fetch --json`: everything but the profile. */
export type RuleFetchJson = Omit<RuleFetch, 'profile'>;

/** The JSON document of `fetch --json`. */
export interface FetchJson {
  outcome: 'A' | 'B' | 'C';
  status: number | null;
  url: string | null;
  chain: {
    url: string;
    status: number | null;
    method: string;
    statusText?: string;
    httpVersion?: string;
    auth?: string;
    location?: string;
    error?: string;
  }[];
  cipher: string | null;
  nextAttemptSeconds: number | null;
  diagnostics: Diagnostic[];
  reason: string;
  digest: string | null;
  gzip: boolean | null;
  nextAttempt: {
    seconds: number | null;
    randomUpTo: number;
    parameter: string;
    value: string;
    source: string;
    failure?: number;
  };
  rules: RuleFetchJson[];
}

/**
 * `fetch --json`'s text: fetchJson's data as JSON, with what a server sent (a status line's C1
 * controls, a bidi override in a fetched profile) as `\uHHHH`, never raw on a terminal.
 */
export function formatFetchJson(r: FetchResult): string {
  return `${jsonForTerminal(fetchJson(r), 2)}\n`;
}

/** The result as data (no profile bytes, no secrets). */
function fetchJson(r: FetchResult): FetchJson {
  return {
    outcome: r.outcome,
    status: r.status,
    url: r.url,
    chain: r.chain.map((hop) => ({ ...hop })),
    cipher: r.cipher,
    nextAttemptSeconds: r.next.seconds,
    diagnostics: r.diagnostics,
    reason: r.reason,
    digest: r.digest,
    gzip: r.gzip,
    nextAttempt: { ...r.next },
    rules: r.rules.map((rule) => ({
      rule: rule.rule,
      source: rule.source,
      setBy: rule.setBy,
      outcome: rule.outcome,
      reason: rule.reason,
      status: rule.status,
      url: rule.url,
      chain: rule.chain.map((hop) => ({ ...hop })),
      cipher: rule.cipher,
      digest: rule.digest,
      gzip: rule.gzip,
      diagnostics: rule.diagnostics,
    })),
  };
}

/**
 * Text from the network (a status line, a URL a profile set) made safe for a terminal: control,
 * C1, line-separator and bidi-override characters become `\uXXXX`. A server answering
 * `404 Not\x1b[2J` must not clear the admin's screen.
 */
// eslint-disable-next-line no-control-regex -- these are the characters to neutralise
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const OUTCOME_TEXT = {
  A: 'A (success)',
  B: 'B (file not found or corrupt profile)',
  C: 'C (other failure)',
} as const;

function hopLines(rule: Pick<RuleFetch, 'chain' | 'cipher' | 'digest' | 'gzip'>): string[] {
  const lines: string[] = [];
  for (const hop of rule.chain) {
    const answer =
      hop.status === null
        ? `no answer: ${hop.error ?? ''}`
        : `${hop.status} ${hop.statusText ?? ''}`.trim() +
          (hop.httpVersion && hop.httpVersion !== '1.1' ? ` (HTTP/${hop.httpVersion})` : '') +
          (hop.location ? ` → ${hop.location}` : '') +
          (hop.auth ? ` → retry with ${hop.auth} credentials` : '');
    lines.push(`${hop.method} ${hop.url}  ${answer}`);
  }
  if (rule.cipher !== null) {
    const cipher = rule.cipher === 'none' ? 'none (plain)' : rule.cipher;
    const digest = rule.digest ? ` (${rule.digest})` : '';
    lines.push(`cipher   ${cipher}${digest}${rule.gzip ? ', gzip' : ''}`);
  }
  return lines;
}

/**
 * The report for people; validation diagnostics are added by the caller (stylish). One rule
 * reads as before the sequence existed; several get a heading each and `resync` sums them up.
 * Every line goes through `printable`: much of it comes from servers and fetched profiles.
 */
export function formatFetch(r: FetchResult): string {
  return formatFetchLines(r).split('\n').map(printable).join('\n');
}

function formatFetchLines(r: FetchResult): string {
  const lines: string[] = [];
  if (r.rules.length <= 1 && (r.rules[0]?.rule ?? 'Profile_Rule') === 'Profile_Rule') {
    lines.push(...hopLines(r));
    lines.push(`outcome  ${OUTCOME_TEXT[r.outcome]}: ${r.reason}`);
  } else {
    for (const rule of r.rules) {
      const from =
        rule.source === 'profile'
          ? `set by ${rule.setBy ?? ''}`
          : rule.source === 'option'
            ? `from --rule-${rule.rule.slice(-1).toLowerCase()}`
            : 'from the argument';
      lines.push(`${rule.rule} (${from})`);
      lines.push(...hopLines(rule).map((line) => `  ${line}`));
      const result = rule.outcome === null ? 'not fetched' : OUTCOME_TEXT[rule.outcome];
      lines.push(`  outcome  ${result}: ${rule.reason}`);
    }
    lines.push(`resync   ${OUTCOME_TEXT[r.outcome]}: ${r.reason}`);
  }
  const n = r.next;
  const from = `${n.parameter} = ${n.value}, ${n.source === 'profile' ? 'from the profile' : n.source === 'option' ? 'from the option' : "Cisco's default"}`;
  if (n.seconds === null) {
    lines.push(`next     no ${r.outcome === 'A' ? 'periodic resync' : 'retry'} (${from})`);
  } else {
    const random = n.randomUpTo > 0 ? ` + up to ${n.randomUpTo} s at random` : '';
    const failure = n.failure !== undefined ? `, failure ${n.failure} in a row` : '';
    lines.push(`next     in ${n.seconds} s${random} (${from}${failure})`);
  }
  return `${lines.join('\n')}\n`;
}
