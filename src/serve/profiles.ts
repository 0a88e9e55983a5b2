/**
 * One profile per request: render the device's template with its variables, check it with the
 * validator (the same check `render` makes before writing), then gzip and encrypt it in the form
 * the request asks for. A profile that fails the check is never served: the caller answers 500
 * and logs the rule. Unchanged renders are cached per instance, keyed by the device's variables,
 * the templates' content hash and the form — so a reload that changes nothing keeps the cache.
 */
import {
  parseIkm,
  sealProfile,
  gzip as gzipBytes,
  type Cipher,
  type Digest,
} from '../crypto/index.js';
import { describeRenderFailure, maskSecretForms } from '../render/template-failure.js';
import { checkRenderedProfile, type RenderDiagnostic } from '../render/check.js';
import type { Vars } from '../render/inventory.js';
import { maskSecretValues } from '../profile/secrets.js';
import { deviceSecretField, type Site, type SiteDevice } from './site.js';

/** Where keys come from: one for every device, or an inventory field per device. */
export interface ServeKeys {
  /** AES-256-CBC passphrase for every device. */
  passphrase?: string | undefined;
  /** RFC 8188 IKM text (text, hex:…, base64url:…) for every device. */
  ikm?: string | undefined;
  keyField?: string | undefined;
  ikmField?: string | undefined;
  /** EVP_BytesToKey digest for AES-256-CBC (default md5, reference §3). */
  md: Digest;
  /** Every per-device profile must be encrypted with this cipher (no plaintext fallback). */
  require?: Cipher | undefined;
}

/** How a response body is sealed. */
export type ProfileForm = 'plain' | Cipher;

/** The form chosen for one request and the key it needs. */
export interface FormChoice {
  form: ProfileForm;
  passphrase?: string;
  ikm?: Uint8Array;
}

/**
 * Chooses the form of a device's profile (README "serve"): an IKM → RFC 8188 aes128gcm (served
 * with Content-Encoding: aes128gcm, any file name); else a passphrase and a `.cfg` name →
 * AES-256-CBC; else plain. With `require`, a device lacking that cipher's key is an error, never
 * a plaintext profile.
 */
export function chooseForm(
  device: SiteDevice,
  extension: string,
  keys: ServeKeys,
): FormChoice | { error: string } {
  const ikmText = keys.ikmField !== undefined ? deviceSecretField(device, keys.ikmField) : keys.ikm;
  const passphrase =
    keys.keyField !== undefined ? deviceSecretField(device, keys.keyField) : keys.passphrase;
  if (keys.require !== 'aes-256-cbc' && ikmText !== undefined) {
    try {
      return { form: 'aes128gcm', ikm: parseIkm(ikmText) };
    } catch {
      return { error: 'the device IKM is not valid (expected text, hex:<hex> or base64url:<b64>)' };
    }
  }
  if (keys.require === 'aes128gcm') {
    return {
      error: `no IKM for this device (field ${keys.ikmField ?? '--ikm'} is missing or empty)`,
    };
  }
  if (passphrase !== undefined && (extension === '.cfg' || keys.require === 'aes-256-cbc')) {
    return { form: 'aes-256-cbc', passphrase };
  }
  if (keys.require === 'aes-256-cbc') {
    return {
      error: `no passphrase for this device (field ${keys.keyField ?? '--key'} is missing or empty)`,
    };
  }
  return { form: 'plain' };
}

/**
 * The variables of a device's own bootstrap profile: its merged variables, with the key the
 * bundled `bootstrap.liquid` hands the phone set to the one serve seals that device's `.cfg`
 * with — `profile_ikm` (RFC 8188 IKM text) or `profile_key` (AES-256-CBC passphrase), the other
 * one removed — so the Profile_Rule the phone receives leads to a profile it can open.
 * A device without a key keeps its variables as they are (its rule points at `$MA.xml`).
 * @returns the variables and the secret values they hold (for masking messages)
 */
export function bootstrapVars(
  device: SiteDevice,
  keys: ServeKeys,
): { vars: Vars; secretValues: readonly string[] } {
  const choice = chooseForm(device, '.cfg', keys);
  if ('error' in choice || choice.form === 'plain') {
    return { vars: device.vars, secretValues: device.secretValues };
  }
  const vars: Vars = { ...device.vars };
  let secret: string | undefined;
  if (choice.form === 'aes128gcm') {
    secret = keys.ikmField !== undefined ? deviceSecretField(device, keys.ikmField) : keys.ikm;
    vars.profile_ikm = secret;
    delete vars.profile_key;
  } else {
    secret = choice.passphrase;
    vars.profile_key = secret;
    delete vars.profile_ikm;
  }
  return {
    vars,
    secretValues: secret !== undefined ? [...device.secretValues, secret] : device.secretValues,
  };
}

/** A rendered, checked and sealed profile, or why there is none. */
export type ProfileResult =
  | {
      ok: true;
      body: Uint8Array;
      form: ProfileForm;
      gzip: boolean;
      /** Validator warnings (e.g. plaintext-secret), already masked. */
      warnings: readonly RenderDiagnostic[];
      cached: boolean;
    }
  | {
      ok: false;
      /** `template`: the template failed; `check`: the validator found an error. */
      failure: 'template' | 'check' | 'input';
      /** One line naming the rule (or template line); never a secret. */
      reason: string;
      ruleId?: string;
      cached: boolean;
    };

type CacheEntry = Exclude<ProfileResult, { cached: boolean }> | Omit<ProfileResult, 'cached'>;

/** Least-recently-used map: a Map keeps insertion order, so re-inserting marks use. */
class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly limit: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
  }
  clear(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
}

export interface ProfileServiceOptions {
  keys: ServeKeys;
  /** gzip the profile before encrypting (or as the body of a plain profile). */
  gzip: boolean;
  /** Cached renders (0: no cache). */
  cacheSize: number;
}

/** What one render needs: the variables, the template and names for messages. */
export interface RenderSubject {
  /** Cache identity: `device:<mac|serial>` or `bootstrap:<model>`. */
  id: string;
  vars: Vars;
  varsHash: string;
  templatePath: string;
  model: string;
  file: string;
  secretValues: readonly string[];
}

/** Renders, checks and seals profiles; one per server instance. */
export class ProfileService {
  private readonly cache: LruCache<Omit<CacheEntry, never>> | undefined;
  private cachedTemplatesHash: string | undefined;
  private readonly sharedSecrets: string[];

  constructor(private readonly options: ProfileServiceOptions) {
    this.cache = options.cacheSize > 0 ? new LruCache(options.cacheSize) : undefined;
    this.sharedSecrets = [options.keys.passphrase, options.keys.ikm].filter(
      (s): s is string => s !== undefined,
    );
  }

  /** Cached renders held now. */
  get cacheSize(): number {
    return this.cache?.size ?? 0;
  }

  /** Drops every cached render (a reload whose templates changed). */
  clearCache(): void {
    this.cache?.clear();
  }

  /** The subject of a device's own profile. */
  static deviceSubject(device: SiteDevice, templatePath: string, file: string): RenderSubject {
    const d = device.inventory;
    return {
      id: `device:${d.mac ?? ''}:${d.serial ?? ''}`,
      vars: device.vars,
      varsHash: device.varsHash,
      templatePath,
      model: d.phone.model,
      file,
      secretValues: device.secretValues,
    };
  }

  /**
   * The profile of a subject in a form. Never throws for a bad template or profile: the result
   * says why (masked).
   */
  profile(
    site: Site,
    subject: RenderSubject,
    choice: FormChoice,
    chooser = site.chooser,
  ): ProfileResult {
    if (this.cachedTemplatesHash !== site.templatesHash) {
      // The templates changed (a reload): no cached render is reachable any more.
      this.cache?.clear();
      this.cachedTemplatesHash = site.templatesHash;
    }
    if (!this.cache) return this.renderUncached(subject, choice, chooser);
    const key = `${subject.id}\0${subject.varsHash}\0${subject.templatePath}\0${choice.form}`;
    const hit = this.cache.get(key);
    if (hit) return { ...(hit as ProfileResult), cached: true };
    const result = this.renderUncached(subject, choice, chooser);
    this.cache.set(key, result);
    return result;
  }

  private mask(text: string, subject: RenderSubject): string {
    return maskSecretValues(text, [...subject.secretValues, ...this.sharedSecrets]);
  }

  private renderUncached(
    subject: RenderSubject,
    choice: FormChoice,
    chooser: Site['chooser'],
  ): ProfileResult {
    let text: string;
    try {
      text = chooser.render(subject.templatePath, subject.vars);
    } catch (err) {
      // No secret in any form, a filter's output of one included (render/template-failure.ts).
      const reason = describeRenderFailure(err, {
        chooser,
        templatePath: subject.templatePath,
        vars: subject.vars,
        keys: [...subject.secretValues, ...this.sharedSecrets],
      });
      return { ok: false, failure: 'template', reason: this.mask(reason, subject), cached: false };
    }
    const hasSecrets = this.sharedSecrets.length > 0 || subject.secretValues.some((s) => s !== '');
    const diagnostics = checkRenderedProfile(text, {
      file: subject.file,
      model: subject.model,
      encrypted: choice.form !== 'plain',
      // As render: no value quoted for a device with secrets (a template may transform one).
      hasSecrets,
    });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      // As render: an element named by a secret (`<{{ sip.password | upcase }}>`) is masked too.
      if (hasSecrets) {
        maskSecretForms(diagnostics, text, {
          chooser,
          templatePath: subject.templatePath,
          vars: subject.vars,
          keys: [...subject.secretValues, ...this.sharedSecrets],
        });
      }
      const first = errors[0]!;
      const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
      return {
        ok: false,
        failure: 'check',
        ruleId: first.ruleId,
        reason: this.mask(
          `rendered profile line ${first.line}, col ${first.column}: ${first.message} [${first.ruleId}]${more}`,
          subject,
        ),
        cached: false,
      };
    }
    const warnings = diagnostics.map((d) => ({ ...d, message: this.mask(d.message, subject) }));
    const plaintext = Buffer.from(text, 'utf8');
    let body: Uint8Array;
    if (choice.form === 'plain') {
      body = this.options.gzip ? gzipBytes(plaintext) : plaintext;
    } else {
      body = sealProfile(plaintext, {
        cipher: choice.form,
        gzip: this.options.gzip,
        md: this.options.keys.md,
        ...(choice.passphrase !== undefined ? { passphrase: choice.passphrase } : {}),
        ...(choice.ikm !== undefined ? { ikm: choice.ikm } : {}),
      });
    }
    return { ok: true, body, form: choice.form, gzip: this.options.gzip, warnings, cached: false };
  }
}
