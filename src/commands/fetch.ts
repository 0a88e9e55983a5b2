/**
 * `cisco-prov fetch`: one resync the way the phone performs it (docs/cisco-mpp-reference.md §2,
 * §4, §5): expand the rule for the device, request the URL with its User-Agent, follow 301/302,
 * answer 401/407 with `--uid`/`--pwd` (Basic or Digest, at most two retries), decrypt (RFC 8188
 * when the answer says `Content-Encoding: aes128gcm`, else AES-256-CBC when the rule has `--key`,
 * else plain), gunzip, validate, and report the outcome — A applied, B not found or corrupt, C any
 * other failure — with the next attempt time.
 */
import { readFileSync } from 'node:fs';
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
import { CliError, ExitCode, describeSystemError, usageError } from '../errors.js';
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
import { RULE_IDS, validateProfileBytes, type Diagnostic } from '../validate/index.js';
import { readProfileDocument } from '../validate/profile-document.js';
import type { FetchCipher, FetchHop, FetchResult } from '../output/fetch-format.js';
import { RuleCheckFailed, ruleExpand, type DeviceOptions } from './rule.js';

export type { FetchCipher, FetchHop, FetchResult };

/** [open] Cisco documents no timeout; 30 s. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
/** [open] Cisco documents no redirect limit; 5. */
export const DEFAULT_MAX_REDIRECTS = 5;
/** Reference §5: "at most 2 retries" on 401/407. */
export const AUTH_RETRIES = 2;

export interface FetchOptions extends DeviceOptions, KeyOptions {
  md?: Digest;
  uid?: string;
  pwd?: string;
  pwdFile?: string;
  pwdEnv?: string;
  insecure?: boolean;
  ca?: string;
  timeout?: number;
  maxSize?: number;
  maxRedirects?: number;
  fnfSuccess?: boolean;
  resyncPeriodic?: string;
  resyncRandomDelay?: string;
  errorRetryDelay?: string;
  strict?: boolean;
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

/** Performs one resync. */
export async function fetchProfile(target: string, opts: FetchOptions): Promise<FetchResult> {
  if (opts.ua === undefined) throw usageError('fetch needs --ua <User-Agent>: the phone sends one');
  if (!/^[\x20-\x7e]+$/.test(opts.ua)) {
    // A header value with control characters would be refused by node:http, or split a header.
    throw usageError('--ua expected printable ASCII (a User-Agent header value)');
  }
  const timeoutMs = (opts.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const maxBytes = opts.maxSize ?? DEFAULT_MAX_SIZE;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timerOptions = {
    periodic: checkSchedule('--resync-periodic', opts.resyncPeriodic),
    randomDelay: checkSchedule('--resync-random-delay', opts.resyncRandomDelay),
    errorRetry: checkSchedule('--error-retry-delay', opts.errorRetryDelay),
  };
  let ca: string | undefined;
  if (opts.ca !== undefined) {
    try {
      ca = readFileSync(opts.ca, 'utf8');
    } catch (err) {
      throw new CliError(ExitCode.Failure, `cannot read --ca ${describeSystemError(err, opts.ca)}`);
    }
  }

  const warnings: string[] = [];
  const keys = resolveKeys(opts);
  warnings.push(...keys.warnings);
  const pwdSecret = resolveSecret('pwd', { value: opts.pwd, file: opts.pwdFile, env: opts.pwdEnv });
  if (pwdSecret?.fromCommandLine) warnings.push(commandLineSecretWarning('pwd'));

  let expanded;
  try {
    expanded = ruleExpand(target, opts);
  } catch (err) {
    if (err instanceof RuleCheckFailed) {
      const first = err.diagnostics[0];
      throw new CliError(
        ExitCode.Usage,
        `the rule does not parse: column ${first?.column ?? 1}: ${first?.message ?? ''}`,
        "see every error with: cisco-prov rule check '<rule>'",
      );
    }
    throw err;
  }
  // A secret given on the command line stands in for the rule's unexpanded $SA..$SD.
  const secretsGiven = keys.passphrase !== undefined || pwdSecret !== undefined;
  warnings.push(
    ...expanded.warnings.filter((w) => !(secretsGiven && /^\$S[A-D] has no value/.test(w))),
  );
  const { expansion, values } = expanded;
  if (expansion.alternative === null) {
    throw usageError('no alternative of the rule applies to this device: the phone skips the rule');
  }
  if (expansion.url === null || expansion.scheme === null) {
    throw usageError('the alternative that applies has no URL: the phone only assigns');
  }
  if (expansion.scheme === 'tftp') {
    throw usageError(
      `fetch does not support TFTP (the rule expands to ${expansion.url})`,
      'cisco-prov rule expand shows the URL; fetch it with a TFTP client',
    );
  }
  if (expansion.problems.some((p) => /port|scheme|path|white space/.test(p))) {
    throw usageError(`the expanded URL is not usable: ${expansion.problems.join('; ')}`);
  }
  if (expansion.options.srv) {
    throw usageError(
      'fetch does not resolve DNS SRV records (the rule has --srv)',
      'fetch the host the SRV record names: give the URL with that host and port',
    );
  }
  let url: URL;
  try {
    url = new URL(expansion.url);
  } catch {
    throw usageError(`the expanded URL is not usable: ${expansion.url}`);
  }

  // Secrets: the command line wins over the rule's own (expanded) --key/--uid/--pwd.
  const ruleKey = expansion.options.key;
  const passphrase =
    keys.passphrase ?? (ruleKey !== null && !/\$/.test(ruleKey) ? ruleKey : undefined);
  const hasKeyOption = ruleKey !== null || keys.passphrase !== undefined;
  if (ruleKey !== null && passphrase === undefined) {
    warnings.push(
      'the rule has --key, but its value did not expand: give --gpp SA=… (GPP_SA) or --key-file/--key-env',
    );
  }
  const uid = opts.uid ?? expansion.options.uid ?? undefined;
  const pwd = pwdSecret?.value ?? expansion.options.pwd ?? undefined;
  const credentials = uid !== undefined && pwd !== undefined ? { uid, pwd } : undefined;

  const method = expansion.options.post !== null ? 'POST' : 'GET';
  const body = method === 'POST' ? new TextEncoder().encode(expansion.postBody ?? '') : undefined;

  const chain: FetchHop[] = [];
  let authHeader: { name: string; value: string } | undefined;
  let authRetries = 0;
  let redirects = 0;
  const base = {
    cipher: null,
    digest: null,
    gzip: null,
    diagnostics: [] as Diagnostic[],
    profile: undefined,
    warnings,
  };
  const finishFailure = (
    outcome: 'B' | 'C',
    reason: string,
    status: number | null,
  ): FetchResult => ({
    ...base,
    outcome,
    reason,
    status,
    url: url.href,
    chain,
    next: timerNext(outcome, undefined, timerOptions, warnings),
    exitCode: 1,
  });

  for (;;) {
    const hop: FetchHop = { method, url: url.href, status: null };
    chain.push(hop);
    const headers: Record<string, string> = { 'User-Agent': opts.ua, Accept: '*/*' };
    if (method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
    if (authHeader) headers[authHeader.name] = authHeader.value;
    let response: HttpResponse;
    try {
      response = await httpExchange({
        method,
        url,
        headers,
        body,
        timeoutMs,
        maxBytes,
        insecure: opts.insecure === true,
        ca,
      });
    } catch (err) {
      if (!(err instanceof HttpFailure)) throw err;
      hop.error = err.message;
      // A body too large to take is a download the phone can't use: B. No answer at all: C.
      if (err.kind === 'too-large') return finishFailure('B', err.message, null);
      return finishFailure('C', err.message, null);
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
      if (!next) return finishFailure('C', `${status} without a usable Location`, status);
      hop.location = next.href;
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return finishFailure('C', `${status} to ${next.protocol} (only http and https)`, status);
      }
      if (redirects >= maxRedirects) {
        return finishFailure('C', `more than ${maxRedirects} redirects (--max-redirects)`, status);
      }
      redirects++;
      url = next;
      authHeader = undefined; // a Digest answer is bound to its URI; the new one challenges anew
      continue;
    }
    if (status === 401 || status === 407) {
      if (authRetries >= AUTH_RETRIES) {
        return finishFailure(
          'C',
          `${status} after ${AUTH_RETRIES} retries with credentials`,
          status,
        );
      }
      if (!credentials) {
        return finishFailure(
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
      if (!answer) {
        return finishFailure('C', `${status} without a Basic or Digest challenge`, status);
      }
      hop.auth = answer.scheme;
      authHeader = {
        name: status === 401 ? 'Authorization' : 'Proxy-Authorization',
        value: answer.header,
      };
      authRetries++;
      continue;
    }
    if (status !== 200) {
      const verdict = outcomeForStatus(status, { fnfIsSuccess: opts.fnfSuccess === true });
      if (verdict.outcome === 'A') {
        return {
          ...base,
          outcome: 'A',
          reason: verdict.meaning,
          status,
          url: url.href,
          chain,
          next: timerNext('A', undefined, timerOptions, warnings),
          exitCode: 0,
        };
      }
      const outcome = verdict.outcome ?? 'C';
      const reason =
        verdict.outcome === null
          ? `status ${status} is not in Cisco's table: a failure`
          : verdict.meaning;
      return finishFailure(outcome, `${status} ${response.statusText}: ${reason}`.trim(), status);
    }

    // 200: decrypt, gunzip, validate.
    const decoded = decodeBody(response, {
      passphrase,
      hasKeyOption,
      ikm: keys.ikm,
      md: opts.md,
      maxBytes,
    });
    if ('failure' in decoded) return finishFailure('B', decoded.failure, status);
    if (decoded.digest === 'sha256') {
      warnings.push(
        'opened with the sha256 key derivation (the OpenSSL 1.1+ default); Cisco documents openssl 0.9.7c, whose digest is md5 [open]: check that your phones read it',
      );
    }
    const file = url.href;
    // With --alias the file is foreign XML that GPP_<alias> maps to parameters (reference §2):
    // it only has to be well-formed.
    const alias = expansion.options.alias !== null;
    const diagnostics = validateProfileBytes(decoded.plaintext, {
      file,
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
      url: url.href,
      chain,
      cipher: decoded.cipher,
      digest: decoded.digest,
      gzip: decoded.gzip,
      diagnostics,
      warnings,
    };
    if (unparsable) {
      return {
        ...common,
        outcome: 'B',
        reason: `200, but the profile does not parse (${unparsable.ruleId}, line ${unparsable.line}): the phone counts it as corrupt`,
        profile: undefined,
        next: timerNext('B', undefined, timerOptions, warnings),
        exitCode: 1,
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
      next: timerNext('A', decoded.plaintext, timerOptions, warnings),
      exitCode: errors > 0 && opts.strict === true ? 1 : 0,
    };
  }
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

/** Timers from the fetched profile, else the options, else Cisco's defaults (the catalog's). */
function timerNext(
  outcome: ResyncOutcome,
  profile: Uint8Array | undefined,
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
    const fromProfile = profile && profileValue(profile, name);
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
