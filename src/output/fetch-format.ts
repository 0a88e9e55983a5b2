/**
 * `fetch` output: the request chain, the cipher, the outcome and the next attempt for people;
 * the same as JSON for scripts. Never a key, password, IKM or the profile itself.
 */
import type { NextAttempt, ResyncOutcome } from '../profile/resync.js';
import type { Diagnostic } from '../validate/diagnostic.js';

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

export interface FetchResult {
  outcome: ResyncOutcome;
  /** Why, in one line. */
  reason: string;
  /** The last HTTP status, or null when the last request got no answer. */
  status: number | null;
  /** The last URL requested. */
  url: string;
  chain: FetchHop[];
  /** How the body was encrypted; null when no body was read. */
  cipher: FetchCipher | null;
  /** AES-256-CBC: the key derivation digest that opened it. */
  digest: string | null;
  gzip: boolean | null;
  next: NextAttempt;
  diagnostics: Diagnostic[];
  /** The decrypted, gunzipped profile (outcome A with a body). Never printed. */
  profile: Uint8Array | undefined;
  /** Notes and warnings for stderr; never a secret. */
  warnings: string[];
  /** Exit code: 0 for A (1 with --strict and validation errors), 1 for B and C. */
  exitCode: 0 | 1;
}

/** The JSON document of `fetch --json`. */
export interface FetchJson {
  outcome: 'A' | 'B' | 'C';
  status: number | null;
  url: string;
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
}

/** The result as data (no profile bytes, no secrets). */
export function fetchJson(r: FetchResult): FetchJson {
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
  };
}

const OUTCOME_TEXT = {
  A: 'A (success)',
  B: 'B (file not found or corrupt profile)',
  C: 'C (other failure)',
} as const;

/** The report for people; validation diagnostics are added by the caller (stylish). */
export function formatFetch(r: FetchResult): string {
  const lines: string[] = [];
  for (const hop of r.chain) {
    const answer =
      hop.status === null
        ? `no answer: ${hop.error ?? ''}`
        : `${hop.status} ${hop.statusText ?? ''}`.trim() +
          (hop.httpVersion && hop.httpVersion !== '1.1' ? ` (HTTP/${hop.httpVersion})` : '') +
          (hop.location ? ` → ${hop.location}` : '') +
          (hop.auth ? ` → retry with ${hop.auth} credentials` : '');
    lines.push(`${hop.method} ${hop.url}  ${answer}`);
  }
  if (r.cipher !== null) {
    const cipher = r.cipher === 'none' ? 'none (plain)' : r.cipher;
    const digest = r.digest ? ` (${r.digest})` : '';
    lines.push(`cipher   ${cipher}${digest}${r.gzip ? ', gzip' : ''}`);
  }
  lines.push(`outcome  ${OUTCOME_TEXT[r.outcome]}: ${r.reason}`);
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
