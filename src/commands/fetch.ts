/**
 * `cisco-prov fetch`: one resync the way the phone performs it (docs/cisco-mpp-reference.md §2,
 * §4, §5): expand the rule for the device, request the URL with its User-Agent, follow 301/302,
 * answer 401/407 with `--uid`/`--pwd` (Basic or Digest, at most two retries), decrypt (RFC 8188
 * when the answer says `Content-Encoding: aes128gcm`, else AES-256-CBC when the rule has `--key`,
 * else plain), gunzip, validate, and report the outcome — A applied, B not found or corrupt, C any
 * other failure — with the next attempt time.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { decryptAes128gcm } from '../crypto/aes128gcm.js';
import { isGzip, looksLikeProfilePlaintext, type Digest } from '../crypto/envelope.js';
import { DEFAULT_MAX_SIZE, DecryptError, SizeLimitError } from '../crypto/errors.js';
import { gunzip } from '../crypto/gzip.js';
import {
  SALTED_MAGIC,
  decryptOpensslEnc,
  type KeyDerivation,
  DEFAULT_DERIVATIONS,
} from '../crypto/openssl-enc.js';
import { startsWith } from '../crypto/bytes.js';
import { outcomeForStatus } from '../device/access-log.js';
import { maskSecretQuery } from '../profile/secrets.js';
import { CliError, ExitCode, describeSystemError, usageError } from '../errors.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { authorize, parseChallenges } from '../io/http-auth.js';
import { HttpFailure, httpExchange, type HttpResponse } from '../io/http-request.js';
import { resolveKeys, type KeyOptions } from '../io/keys.js';
import { commandLineSecretWarning, resolveSecret } from '../io/secrets.js';
import { DEFAULT_CATALOG } from '../profile/catalog-data/index.js';
import {
  ScheduleError,
  defaultTimer,
  nextAttempt,
  parseSchedule,
  type NextAttempt,
  type ResyncOutcome,
  type TimerValue,
} from '../profile/resync.js';
import { RULE_IDS, validateProfileBytes } from '../validate/index.js';
import { readProfileDocument } from '../validate/profile-document.js';
import type {
  FetchCipher,
  FetchHop,
  FetchResult,
  ProfileRuleName,
  RuleFetch,
} from '../output/fetch-format.js';
import {
  ProfileFormatError,
  buildProfileXml,
  parseProfileXml,
  phoneValue,
  type ProfileMap,
} from '../profile/profile-map.js';
import type { ExpandedAssignment, MacroValues, RuleExpansion } from '../profile/rule-expand.js';
import { RuleCheckFailed, ruleExpand, type DeviceOptions } from './rule.js';

export type { FetchResult };

/** [open] Cisco documents no timeout; 30 s. */
const DEFAULT_TIMEOUT_SECONDS = 30;
/** [open] Cisco documents no redirect limit; 5. */
const DEFAULT_MAX_REDIRECTS = 5;
/** Reference §5: "at most 2 retries" on 401/407. */
const AUTH_RETRIES = 2;

export interface FetchOptions extends DeviceOptions, KeyOptions {
  md?: Digest;
  uid?: string;
  pwd?: string;
  pwdFile?: string;
  pwdEnv?: string;
  insecure?: boolean;
  ca?: string;
  /** `-o`: checked here (an empty path is refused before any request); the CLI writes it. */
  output?: string;
  timeout?: number;
  maxSize?: number;
  maxRedirects?: number;
  fnfSuccess?: boolean;
  resyncPeriodic?: string;
  resyncRandomDelay?: string;
  errorRetryDelay?: string;
  strict?: boolean;
  /** Profile_Rule_B..D as the phone holds them (the target is Profile_Rule). */
  ruleB?: string;
  ruleC?: string;
  ruleD?: string;
  /** Run this rule only: no other rule, none a profile sets. */
  only?: ProfileRuleName;
  /** [open] After a rule fails: go on with the next (default) or end the resync. */
  afterFailure?: AfterFailure;
}

function checkSchedule(flag: string, value: string | undefined): TimerValue | undefined {
  if (value === undefined) return undefined;
  try {
    parseSchedule(value, flag);
  } catch (err) {
    if (err instanceof ScheduleError) throw usageError(err.message);
    throw err;
  }
  return { value, source: 'option' };
}

/**
 * The four profile rules, in the order the phone runs them at every resync (reference §1: "The
 * phone fetches Profile_Rule, Profile_Rule_B, _C, _D in that order; later files override earlier
 * ones"). Cisco's guides: B..D "are executed sequentially after the primary Profile Rule resync
 * operation has completed. If a resync is triggered and Profile Rule is blank, Profile Rule B,
 * C, and D are still evaluated and executed."
 */
const PROFILE_RULES = [
  'Profile_Rule',
  'Profile_Rule_B',
  'Profile_Rule_C',
  'Profile_Rule_D',
] as const;
export type { ProfileRuleName };

/**
 * [open] What the phone does with the rules after one that failed: the guides say B..D run after
 * the primary rule "has completed" (not "succeeded") and even when it is blank, and never that a
 * failure stops them. Default: go on; `stop` ends the resync at the first failure.
 */
export type AfterFailure = 'continue' | 'stop';
const DEFAULT_AFTER_FAILURE: AfterFailure = 'continue';

/** What is shared by every rule of one resync: the device, secrets, limits, notes. */
interface Session {
  opts: FetchOptions;
  ua: string;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  ca: string | undefined;
  passphrase: string | undefined;
  ikm: Uint8Array | undefined;
  pwd: string | undefined;
  /** Resync_Fails_On_FNF=No: a 404 counts as success. The option, then what profiles set. */
  fnfSuccess: boolean;
  warnings: string[];
}

/**
 * A rule made ready to fetch, or why the phone (or fetch) does not fetch it — with what the
 * alternative taken assigns, which the phone applies whether or not it then fetches anything.
 */
type PreparedRule = RuleVerdict & { assignments: readonly ExpandedAssignment[] };
type RuleVerdict =
  | {
      kind: 'fetch';
      url: URL;
      expansion: RuleExpansion;
      values: MacroValues;
      warnings: string[];
    }
  /** The phone fetches nothing for this rule: no alternative applies, or it only assigns. */
  | { kind: 'skip'; reason: string }
  /** The phone cannot use the rule (it does not parse, a bad URL): outcome C. */
  | { kind: 'unusable'; reason: string; hint?: string }
  /** The phone would fetch it, fetch can't: TFTP, DNS SRV. */
  | { kind: 'not-replayed'; reason: string; hint?: string };

/** Expands one rule for the device (with the GPP values applied profiles set) and checks it. */
function prepareRule(
  text: string,
  session: Session,
  profileGpp: Readonly<Record<string, string>>,
): PreparedRule {
  let expanded;
  try {
    expanded = ruleExpand(text, { ...session.opts, profileGpp });
  } catch (err) {
    if (err instanceof RuleCheckFailed) {
      const first = err.diagnostics[0];
      return {
        kind: 'unusable',
        reason: `the rule does not parse: column ${first?.column ?? 1}: ${first?.message ?? ''}`,
        hint: "see every error with: cisco-prov rule check '<rule>'",
        assignments: [],
      };
    }
    throw err;
  }
  return { ...judgeRule(expanded, session), assignments: expanded.expansion.assignments };
}

/** Whether fetch can replay an expanded rule, and the URL if so. */
function judgeRule(expanded: ReturnType<typeof ruleExpand>, session: Session): RuleVerdict {
  // A secret given on the command line (or set by a profile) stands in for $SA..$SD.
  const secretsGiven = session.passphrase !== undefined || session.pwd !== undefined;
  const warnings = expanded.warnings.filter(
    (w) => !(secretsGiven && /^\$S[A-D] has no value/.test(w)),
  );
  const { expansion, values } = expanded;
  if (expansion.alternative === null) {
    return {
      kind: 'skip',
      reason: 'no alternative of the rule applies to this device: the phone skips the rule',
    };
  }
  if (expansion.url === null || expansion.scheme === null) {
    return {
      kind: 'skip',
      reason: 'the alternative that applies has no URL: the phone only assigns',
    };
  }
  if (expansion.scheme === 'tftp') {
    return {
      kind: 'not-replayed',
      reason: `fetch does not support TFTP (the rule expands to ${maskSecretQuery(expansion.url)})`,
      hint: 'cisco-prov rule expand shows the URL; fetch it with a TFTP client',
    };
  }
  if (expansion.problems.some((p) => /port|scheme|path|white space/.test(p))) {
    return {
      kind: 'unusable',
      reason: `the expanded URL is not usable: ${expansion.problems.join('; ')}`,
    };
  }
  if (expansion.options.srv) {
    return {
      kind: 'not-replayed',
      reason: 'fetch does not resolve DNS SRV records (the rule has --srv)',
      hint: 'fetch the host the SRV record names: give the URL with that host and port',
    };
  }
  let url: URL;
  try {
    url = new URL(expansion.url);
  } catch {
    return {
      kind: 'unusable',
      reason: `the expanded URL is not usable: ${maskSecretQuery(expansion.url)}`,
    };
  }
  return { kind: 'fetch', url, expansion, values, warnings };
}

/**
 * Refuses (exit 3), before any request, an `-o` that no profile could be written to: a
 * directory (or a link to one), or a new file whose directory is missing or is a file. Before,
 * fetch made its requests (a phone's resync in a server's log, a profile decrypted) and failed
 * only at the write, `cannot write out: is a directory`. Same words as the write's own failure.
 */
function refuseUnwritableOutput(output: string): void {
  const cannotWrite = (err: unknown): CliError =>
    new CliError(ExitCode.Failure, `cannot write ${describeSystemError(err, output)}`);
  let stats;
  try {
    stats = statSync(output, { throwIfNoEntry: false });
  } catch (err) {
    throw cannotWrite(err); // a file on the way (ENOTDIR), a loop of links, no search permission
  }
  if (stats?.isDirectory()) throw cannotWrite({ code: 'EISDIR' });
  if (stats !== undefined) return;
  let parent;
  try {
    parent = statSync(dirname(resolve(output)));
  } catch (err) {
    throw cannotWrite(err);
  }
  if (!parent.isDirectory()) throw cannotWrite({ code: 'ENOTDIR' });
}

/** `Profile_Rule_B: ` before a message about a rule other than the argument. */
function about(name: ProfileRuleName, message: string): string {
  return name === 'Profile_Rule' ? message : `${name}: ${message}`;
}

/**
 * Performs one resync as the phone does: Profile_Rule (the target), then Profile_Rule_B, _C and
 * _D (`--rule-b…`, or as a profile applied earlier in the same resync sets them), each fetched,
 * decrypted and validated on its own; the resync succeeds (A) when every rule fetched did, else it
 * takes the outcome of the first rule that failed. `only` runs one rule.
 * @throws CliError (exit 2) for usage errors: no User-Agent, a rule given on the command line
 *   that does not parse or cannot be fetched (TFTP, --srv), nothing to fetch; (exit 3) an `-o`
 *   that cannot be written (a directory, a missing directory), before any request
 */
export async function fetchProfile(target: string, opts: FetchOptions): Promise<FetchResult> {
  if (opts.ua === undefined) throw usageError('fetch needs --ua <User-Agent>: the phone sends one');
  if (!/^[\x20-\x7e]+$/.test(opts.ua)) {
    // A header value with control characters would be refused by node:http, or split a header.
    throw usageError('--ua expected printable ASCII (a User-Agent header value)');
  }
  const timerOptions = {
    periodic: checkSchedule('--resync-periodic', opts.resyncPeriodic),
    randomDelay: checkSchedule('--resync-random-delay', opts.resyncRandomDelay),
    errorRetry: checkSchedule('--error-retry-delay', opts.errorRetryDelay),
  };
  refuseEmptyPaths({ '--ca': opts.ca, '-o': opts.output });
  if (opts.output !== undefined) refuseUnwritableOutput(opts.output);
  let ca: string | undefined;
  if (opts.ca !== undefined) {
    try {
      ca = readFileSync(opts.ca, 'utf8');
    } catch (err) {
      throw new CliError(ExitCode.Failure, `cannot read --ca ${describeSystemError(err, opts.ca)}`);
    }
    // Node ignores what is not a certificate in `ca`: a wrong file would end as a TLS failure
    // whose hint says to give --ca. Say so at the door instead (the file's text is not echoed).
    if (!/-----BEGIN CERTIFICATE-----/.test(ca)) {
      throw usageError(
        `--ca ${opts.ca}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the file`,
        /PRIVATE KEY-----/.test(ca)
          ? 'this is a private key: give the CA certificate, and keep the key private'
          : 'give the CA certificate(s) in PEM form',
      );
    }
  }
  const warnings: string[] = [];
  const keys = resolveKeys(opts);
  warnings.push(...keys.warnings);
  const pwdSecret = resolveSecret('pwd', { value: opts.pwd, file: opts.pwdFile, env: opts.pwdEnv });
  if (pwdSecret?.fromCommandLine) warnings.push(commandLineSecretWarning('pwd'));
  // A password file other users can read, as every other command says.
  if (pwdSecret?.exposedWarning) warnings.push(pwdSecret.exposedWarning);
  const session: Session = {
    opts,
    ua: opts.ua,
    timeoutMs: (opts.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    maxBytes: opts.maxSize ?? DEFAULT_MAX_SIZE,
    maxRedirects: opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    ca,
    passphrase: keys.passphrase,
    ikm: keys.ikm,
    pwd: pwdSecret?.value,
    fnfSuccess: opts.fnfSuccess === true,
    warnings,
  };

  // The rules as the phone holds them before this resync.
  const given: Record<ProfileRuleName, string> = {
    Profile_Rule: target,
    Profile_Rule_B: opts.ruleB ?? '',
    Profile_Rule_C: opts.ruleC ?? '',
    Profile_Rule_D: opts.ruleD ?? '',
  };
  const optionOf: Record<ProfileRuleName, string> = {
    Profile_Rule: 'the argument',
    Profile_Rule_B: '--rule-b',
    Profile_Rule_C: '--rule-c',
    Profile_Rule_D: '--rule-d',
  };
  const order: readonly ProfileRuleName[] = opts.only ? [opts.only] : PROFILE_RULES;
  if (opts.only !== undefined && given[opts.only].trim() === '') {
    throw usageError(
      `--only ${opts.only}: ${optionOf[opts.only]} is blank`,
      opts.only === 'Profile_Rule' ? undefined : `give ${optionOf[opts.only]} '<rule>'`,
    );
  }
  const present = order.filter((name) => given[name].trim() !== '');
  if (present.length === 0) {
    throw usageError(
      'nothing to fetch: Profile_Rule is blank and no --rule-b, --rule-c or --rule-d is given',
    );
  }
  // What the command line gives is checked before any request: a mistake there is exit 2.
  for (const name of present) {
    const prepared = prepareRule(given[name], session, {});
    if (prepared.kind === 'unusable' || prepared.kind === 'not-replayed') {
      throw usageError(about(name, prepared.reason), prepared.hint);
    }
    if (prepared.kind === 'skip' && present.length === 1) {
      throw usageError(about(name, prepared.reason));
    }
  }

  const rules: RuleFetch[] = [];
  const applied: { url: string; profile: Uint8Array; parameters: ProfileMap | undefined }[] = [];
  const current: Record<ProfileRuleName, { text: string; setBy: string | null }> = {
    Profile_Rule: { text: given.Profile_Rule, setBy: null },
    Profile_Rule_B: { text: given.Profile_Rule_B, setBy: null },
    Profile_Rule_C: { text: given.Profile_Rule_C, setBy: null },
    Profile_Rule_D: { text: given.Profile_Rule_D, setBy: null },
  };
  const profileGpp: Record<string, string> = {};
  let notReplayed = 0;
  for (const name of order) {
    const { text, setBy } = current[name];
    if (text.trim() === '') continue;
    const source = setBy !== null ? 'profile' : name === 'Profile_Rule' ? 'argument' : 'option';
    const base = { rule: name, source, setBy } as const;
    const prepared = prepareRule(text, session, profileGpp);
    // `(a = "…";)!` sets GPP_A on the phone before it fetches: later rules expand $A with it.
    for (const { parameter, value } of prepared.assignments) {
      const letter = /^GPP_(S?[A-P])$/.exec(parameter)?.[1];
      if (letter !== undefined) profileGpp[letter] = value;
    }
    if (prepared.kind !== 'fetch') {
      // Only a rule a profile set gets here with `unusable` or `not-replayed` (checked above).
      const outcome = prepared.kind === 'unusable' ? 'C' : null;
      if (prepared.kind === 'not-replayed') {
        notReplayed++;
        warnings.push(about(name, `not replayed: ${prepared.reason}`));
      }
      rules.push({ ...base, ...emptyFetch(), outcome, reason: prepared.reason });
      if (outcome === 'C' && (opts.afterFailure ?? DEFAULT_AFTER_FAILURE) === 'stop') break;
      continue;
    }
    // Notes about the device (a --gpp secret in ps…) are the same for every rule: said once.
    for (const w of prepared.warnings) if (!warnings.includes(w)) warnings.push(about(name, w));
    const result = await fetchRule(prepared, session);
    rules.push({ ...base, ...result });
    if (result.outcome !== 'A') {
      if ((opts.afterFailure ?? DEFAULT_AFTER_FAILURE) === 'stop') break;
      continue;
    }
    if (result.profile === undefined) continue;
    // The phone applies the profile before the next rule: later rules see what it set.
    const parameters = readParameters(result.profile);
    applied.push({ url: result.url ?? '', profile: result.profile, parameters });
    if (!parameters || opts.only !== undefined) continue;
    for (const [parameter, entry] of parameters) {
      // Resync_Fails_On_FNF decides how the next rules' 404 counts (Bool, any case).
      if (parameter === 'Resync_Fails_On_FNF') {
        const fails = phoneValue(entry.value).toLowerCase();
        if (fails === 'no' || fails === 'yes') session.fnfSuccess = fails === 'no';
      }
      const letter = /^GPP_(S?[A-P])$/.exec(parameter)?.[1];
      if (letter !== undefined) profileGpp[letter] = phoneValue(entry.value);
      const rule = PROFILE_RULES.find((r) => r === parameter);
      if (rule === undefined) continue;
      const value = phoneValue(entry.value);
      if (PROFILE_RULES.indexOf(rule) > PROFILE_RULES.indexOf(name)) {
        current[rule] = { text: value, setBy: result.url ?? '' };
      } else if (value !== current[rule].text.trim()) {
        warnings.push(
          `${result.url ?? ''} sets ${rule}: the phone runs it from the next resync on, not in this one`,
        );
      }
    }
  }

  const failed = rules.find((r) => r.outcome === 'B' || r.outcome === 'C');
  const fetched = rules.filter((r) => r.outcome !== null);
  const deciding = failed ?? fetched[fetched.length - 1] ?? rules[rules.length - 1];
  if (deciding === undefined || fetched.length === 0) {
    // Nothing was fetched at all: every rule was skipped, or could not be replayed.
    const first = rules[0];
    throw usageError(first ? about(first.rule, first.reason) : 'nothing to fetch');
  }
  const outcome: ResyncOutcome = failed?.outcome ?? 'A';
  const several = rules.length > 1;
  const reason = several
    ? `${deciding.rule}: ${deciding.reason}`
    : about(deciding.rule, deciding.reason);
  const profile = outcome === 'A' ? appliedProfile(applied, warnings) : undefined;
  const errors = rules.flatMap((r) => r.diagnostics).filter((d) => d.severity === 'error');
  let exitCode: 0 | 1 | 2 = outcome === 'A' ? 0 : 1;
  if (outcome === 'A' && errors.length > 0 && opts.strict === true) exitCode = 1;
  // A resync fetch could not replay in full can't be called an A.
  if (outcome === 'A' && notReplayed > 0) exitCode = 2;
  return {
    outcome,
    reason,
    status: deciding.status,
    url: deciding.url,
    chain: deciding.chain,
    cipher: deciding.cipher,
    digest: deciding.digest,
    gzip: deciding.gzip,
    diagnostics: deciding.diagnostics,
    profile,
    next: timerNext(
      outcome,
      applied.map((a) => a.profile),
      timerOptions,
      warnings,
    ),
    rules,
    warnings: [...new Set(warnings)],
    exitCode,
  };
}

/** The fields of a rule that fetched nothing. */
function emptyFetch(): Omit<RuleFetch, 'rule' | 'source' | 'setBy' | 'outcome' | 'reason'> {
  return {
    status: null,
    url: null,
    chain: [],
    cipher: null,
    digest: null,
    gzip: null,
    diagnostics: [],
    profile: undefined,
  };
}

/** A profile's parameters, or undefined when it is not an XML profile (`--alias` foreign XML). */
function readParameters(profile: Uint8Array): ProfileMap | undefined {
  try {
    const text = Buffer.from(profile.buffer, profile.byteOffset, profile.length).toString('utf8');
    return parseProfileXml(text).parameters;
  } catch (err) {
    if (err instanceof ProfileFormatError) return undefined;
    throw err;
  }
}

/**
 * What `-o` saves: the one profile applied, as downloaded; after several, one profile with the
 * parameters they set together, the later file's value winning (reference §1).
 */
function appliedProfile(
  applied: readonly { profile: Uint8Array; parameters: ProfileMap | undefined }[],
  warnings: string[],
): Uint8Array | undefined {
  if (applied.length <= 1) return applied[0]?.profile;
  const merged: ProfileMap = new Map();
  for (const { parameters } of applied) {
    if (!parameters) {
      warnings.push('a profile of this resync is not a flat profile: -o cannot combine them');
      return undefined;
    }
    for (const [name, entry] of parameters) {
      const before = merged.get(name);
      merged.delete(name);
      // An absent `ua` keeps the access set before (reference §1).
      merged.set(name, entry.ua === undefined && before?.ua ? { ...entry, ua: before.ua } : entry);
    }
  }
  return new TextEncoder().encode(buildProfileXml(merged));
}

/**
 * One rule's download: the request chain, decryption, validation and its outcome. Every URL
 * reported has the values of secret-looking query parameters (`?pwd=…`) masked.
 */
async function fetchRule(
  prepared: Extract<PreparedRule, { kind: 'fetch' }>,
  session: Session,
): Promise<Omit<RuleFetch, 'rule' | 'source' | 'setBy'>> {
  const { expansion, values } = prepared;
  const { opts, warnings } = session;
  let url = prepared.url;
  // Secrets: the command line wins over the rule's own (expanded) --key/--uid/--pwd.
  const ruleKey = expansion.options.key;
  const passphrase =
    session.passphrase ?? (ruleKey !== null && !/\$/.test(ruleKey) ? ruleKey : undefined);
  const hasKeyOption = ruleKey !== null || session.passphrase !== undefined;
  if (ruleKey !== null && passphrase === undefined) {
    warnings.push(
      'the rule has --key, but its value did not expand: give --gpp SA=… (GPP_SA) or --key-file/--key-env',
    );
  }
  const uid = opts.uid ?? expansion.options.uid ?? undefined;
  const pwd = session.pwd ?? expansion.options.pwd ?? undefined;
  const credentials = uid !== undefined && pwd !== undefined ? { uid, pwd } : undefined;

  const method = expansion.options.post !== null ? 'POST' : 'GET';
  const body = method === 'POST' ? new TextEncoder().encode(expansion.postBody ?? '') : undefined;

  const chain: FetchHop[] = [];
  let authHeader: { name: string; value: string } | undefined;
  let authRetries = 0;
  let redirects = 0;
  const nothingRead = {
    cipher: null,
    digest: null,
    gzip: null,
    diagnostics: [],
    profile: undefined,
  };
  const failure = (outcome: 'B' | 'C', reason: string, status: number | null) => ({
    ...nothingRead,
    outcome,
    reason,
    status,
    url: maskSecretQuery(url.href),
    chain,
  });

  for (;;) {
    const hop: FetchHop = { method, url: maskSecretQuery(url.href), status: null };
    chain.push(hop);
    const headers: Record<string, string> = { 'User-Agent': session.ua, Accept: '*/*' };
    if (method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
    if (authHeader) headers[authHeader.name] = authHeader.value;
    let response: HttpResponse;
    try {
      response = await httpExchange({
        method,
        url,
        headers,
        body,
        timeoutMs: session.timeoutMs,
        maxBytes: session.maxBytes,
        insecure: opts.insecure === true,
        ca: session.ca,
      });
    } catch (err) {
      if (!(err instanceof HttpFailure)) throw err;
      hop.error = err.message;
      // A body too large to take is a download the phone can't use: B. No answer at all: C.
      if (err.kind === 'too-large') return failure('B', err.message, null);
      return failure('C', err.message, null);
    }
    hop.status = response.status;
    hop.statusText = response.statusText;
    hop.httpVersion = response.httpVersion;
    const status = response.status;

    if (status === 301 || status === 302) {
      const location = response.headers.location?.[0];
      let next: URL | undefined;
      try {
        next = location === undefined ? undefined : new URL(location, url);
      } catch {
        next = undefined;
      }
      if (!next) return failure('C', `${status} without a usable Location`, status);
      hop.location = maskSecretQuery(next.href);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return failure('C', `${status} to ${next.protocol} (only http and https)`, status);
      }
      if (redirects >= session.maxRedirects) {
        return failure(
          'C',
          `more than ${session.maxRedirects} redirects (--max-redirects)`,
          status,
        );
      }
      redirects++;
      url = next;
      authHeader = undefined; // a Digest answer is bound to its URI; the new one challenges anew
      continue;
    }
    if (status === 401 || status === 407) {
      if (authRetries >= AUTH_RETRIES) {
        return failure('C', `${status} after ${AUTH_RETRIES} retries with credentials`, status);
      }
      if (!credentials) {
        return failure(
          'C',
          `${status}: the server asks for credentials and the rule has no --uid/--pwd (give --uid and --pwd-file)`,
          status,
        );
      }
      const lines =
        (status === 401
          ? response.headers['www-authenticate']
          : response.headers['proxy-authenticate']) ?? [];
      const answer = authorize(parseChallenges(lines), credentials, {
        method,
        uri: `${url.pathname}${url.search}`,
        body,
      });
      if (!answer) return failure('C', `${status} without a Basic or Digest challenge`, status);
      hop.auth = answer.scheme;
      authHeader = {
        name: status === 401 ? 'Authorization' : 'Proxy-Authorization',
        value: answer.header,
      };
      authRetries++;
      continue;
    }
    if (status !== 200) {
      const verdict = outcomeForStatus(status, { fnfIsSuccess: session.fnfSuccess });
      if (verdict.outcome === 'A') {
        return {
          ...nothingRead,
          outcome: 'A',
          reason: verdict.meaning,
          status,
          url: maskSecretQuery(url.href),
          chain,
        };
      }
      const reason =
        verdict.outcome === null
          ? `status ${status} is not in Cisco's table: a failure`
          : verdict.meaning;
      const tls = status === 400 ? plainHttpAtTlsPort(response, url) : undefined;
      return failure(
        verdict.outcome ?? 'C',
        `${status} ${response.statusText}: ${reason}`.trim() + (tls ? `; ${tls}` : ''),
        status,
      );
    }

    // 200: decrypt, gunzip, validate.
    const decoded = decodeBody(response, {
      passphrase,
      hasKeyOption,
      ikm: session.ikm,
      md: opts.md,
      maxBytes: session.maxBytes,
    });
    if ('failure' in decoded) return failure('B', decoded.failure, status);
    if (decoded.digest === 'sha256') {
      warnings.push(
        'opened with the sha256 key derivation (the OpenSSL 1.1+ default); Cisco documents openssl 0.9.7c, whose digest is md5 [open]: check that your phones read it',
      );
    }
    // With --alias the file is foreign XML that GPP_<alias> maps to parameters (reference §2):
    // it only has to be well-formed.
    const alias = expansion.options.alias !== null;
    const diagnostics = validateProfileBytes(decoded.plaintext, {
      file: maskSecretQuery(url.href),
      ...(alias ? { ignoreRules: RULE_IDS.filter((id) => id !== 'xml-well-formed') } : {}),
      // Over HTTPS or encrypted, secrets in the profile are not exposed (reference §1).
      encrypted: decoded.cipher !== 'none' || url.protocol === 'https:',
      ...(values.PSN !== undefined ? { model: values.PSN } : {}),
    });
    const unparsable = diagnostics.find(
      (d) =>
        d.severity === 'error' &&
        (d.ruleId === 'xml-well-formed' || d.ruleId === 'flat-profile-missing'),
    );
    const common = {
      status,
      url: maskSecretQuery(url.href),
      chain,
      cipher: decoded.cipher,
      digest: decoded.digest,
      gzip: decoded.gzip,
      diagnostics,
    };
    if (unparsable) {
      return {
        ...common,
        outcome: 'B',
        reason: `200, but the profile does not parse (${unparsable.ruleId}, line ${unparsable.line}): the phone counts it as corrupt`,
        profile: undefined,
      };
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    return {
      ...common,
      outcome: 'A',
      reason:
        errors > 0
          ? `200: the profile is applied (${errors} validation error${errors === 1 ? '' : 's'}: the phone silently ignores what it does not understand)`
          : '200: the profile is applied',
      profile: decoded.plaintext,
    };
  }
}

/**
 * What servers answer plain HTTP sent to their HTTPS port with (a 400 whose body says so): nginx
 * and `serve --tls-cert` ("The plain HTTP request was sent to HTTPS port"), Apache ("You're
 * speaking plain HTTP to an SSL-enabled server port"), Go's net/http as in Caddy and Traefik
 * ("Client sent an HTTP request to an HTTPS server").
 */
const PLAIN_AT_TLS_PORT =
  /plain HTTP request was sent to HTTPS port|speaking plain HTTP to an SSL-enabled server port|sent an HTTP request to an HTTPS server/i;

/**
 * The hint for a 400 to an http:// URL whose body says the port speaks TLS: most likely the rule
 * names http:// for an HTTPS port. Undefined when the answer does not say so (a 400 stays as it is).
 */
function plainHttpAtTlsPort(response: HttpResponse, url: URL): string | undefined {
  if (url.protocol !== 'http:') return undefined;
  // The words are near the start of a short body: the first 2 KiB, as Latin-1 (no decoding error).
  const head = Buffer.from(response.body.subarray(0, 2048)).toString('latin1');
  if (!PLAIN_AT_TLS_PORT.test(head)) return undefined;
  const tls = new URL(url.href);
  tls.protocol = 'https:';
  // An http:// URL without a port is port 80: https:// would go to 443, so the port is kept.
  if (url.port === '') tls.port = '80';
  return `the server says this port speaks HTTPS (plain HTTP was sent to its HTTPS port): use https:// for it, ${maskSecretQuery(tls.href)}`;
}

type Decoded =
  | { plaintext: Uint8Array; cipher: FetchCipher; digest: string | null; gzip: boolean }
  | { failure: string };

/** Reference §4: aes128gcm when the answer says so, else AES-256-CBC with --key, else plain. */
function decodeBody(
  response: HttpResponse,
  keys: {
    passphrase: string | undefined;
    hasKeyOption: boolean;
    ikm: Uint8Array | undefined;
    md: Digest | undefined;
    maxBytes: number;
  },
): Decoded {
  const body = response.body;
  const codings = (response.headers['content-encoding'] ?? [])
    .flatMap((line) => line.split(','))
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  const unknown = codings.filter((c) => c !== 'aes128gcm' && c !== 'gzip' && c !== 'x-gzip');
  if (unknown.length > 0) {
    return {
      failure: `200, but Content-Encoding: ${unknown.join(', ')} is not one the phone reads`,
    };
  }
  let payload: Uint8Array;
  let cipher: FetchCipher;
  let digest: string | null = null;
  if (codings.includes('aes128gcm')) {
    // RFC 8188 is an HTTP content coding: the header decides, never the body's look.
    cipher = 'aes128gcm';
    if (!keys.ikm) {
      return {
        failure:
          '200 with Content-Encoding: aes128gcm, but no IKM (the phone’s IKM_HTTP_Encrypt_Content) was given: --ikm-file/--ikm-env',
      };
    }
    try {
      payload = decryptAes128gcm(body, keys.ikm).plaintext;
    } catch (err) {
      if (err instanceof DecryptError) return { failure: 'bad decrypt (aes128gcm)' };
      throw err;
    }
    if (!looksLikeProfilePlaintext(payload)) return { failure: 'bad decrypt (aes128gcm)' };
  } else if (keys.hasKeyOption) {
    cipher = 'aes-256-cbc';
    if (!startsWith(body, SALTED_MAGIC)) {
      return {
        failure:
          '200, but the rule has --key and the body is not AES-256-CBC (no Salted__ header): the phone cannot decrypt it',
      };
    }
    if (keys.passphrase === undefined) {
      return {
        failure: 'the body is AES-256-CBC and no passphrase was given (--key-file/--key-env)',
      };
    }
    const derivations: readonly KeyDerivation[] = keys.md
      ? [{ kind: 'evp', md: keys.md }]
      : DEFAULT_DERIVATIONS;
    try {
      const r = decryptOpensslEnc(body, keys.passphrase, {
        derivations,
        accept: looksLikeProfilePlaintext,
      });
      payload = r.plaintext;
      digest = r.derivation.md;
    } catch (err) {
      if (err instanceof DecryptError) return { failure: 'bad decrypt (aes-256-cbc)' };
      throw err;
    }
  } else {
    cipher = 'none';
    payload = body;
    if (startsWith(body, SALTED_MAGIC)) {
      return {
        failure:
          '200, but the body is AES-256-CBC and the rule has no --key: the phone cannot read it',
      };
    }
  }
  let plaintext = payload;
  const gzip = isGzip(payload);
  if (gzip) {
    try {
      plaintext = gunzip(payload, keys.maxBytes);
    } catch (err) {
      return {
        failure:
          err instanceof SizeLimitError
            ? `the gunzipped profile is larger than --max-size (${keys.maxBytes} bytes)`
            : 'corrupt gzip',
      };
    }
  }
  return { plaintext, cipher, digest, gzip };
}

/** The last value of a parameter in a profile (the phone keeps the last). */
function profileValue(profile: Uint8Array, name: string): string | undefined {
  const text = Buffer.from(profile.buffer, profile.byteOffset, profile.length).toString('utf8');
  const doc = readProfileDocument(text, DEFAULT_CATALOG);
  let value: string | undefined;
  for (const p of doc.parameters) if (p.name === name && !p.nested) value = p.value.trim();
  return value === '' ? undefined : value;
}

/**
 * Timers from the profiles applied in this resync (a later file overrides an earlier one), else
 * the options, else Cisco's defaults (the catalog's).
 */
function timerNext(
  outcome: ResyncOutcome,
  profiles: readonly Uint8Array[],
  options: {
    periodic: TimerValue | undefined;
    randomDelay: TimerValue | undefined;
    errorRetry: TimerValue | undefined;
  },
  warnings: string[],
): NextAttempt {
  const pick = (
    name: 'Resync_Periodic' | 'Resync_Random_Delay' | 'Resync_Error_Retry_Delay',
    option: TimerValue | undefined,
  ): TimerValue => {
    let fromProfile: string | undefined;
    for (const profile of profiles) fromProfile = profileValue(profile, name) ?? fromProfile;
    if (fromProfile !== undefined) {
      try {
        parseSchedule(fromProfile, name);
        return { value: fromProfile, source: 'profile' };
      } catch {
        warnings.push(`${name} in the profile is not a schedule: using the option or the default`);
      }
    }
    return option ?? { value: defaultTimer(name), source: 'default' };
  };
  return nextAttempt(outcome, {
    periodic: pick('Resync_Periodic', options.periodic),
    randomDelay: pick('Resync_Random_Delay', options.randomDelay),
    errorRetry: pick('Resync_Error_Retry_Delay', options.errorRetry),
  });
}
