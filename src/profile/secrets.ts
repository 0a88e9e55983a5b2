/**
 * The one secret classifier. Every place that decides whether a value may be shown — the
 * `plaintext-secret` rule, `render --explain`, error messages, `--json` output — asks here, so
 * a password field is treated as one everywhere or nowhere.
 *
 * Two name spaces are classified:
 * - Cisco parameter names (`Admin_Password`, `GPP_SA`, `Wi-Fi_PSK_1_`): the catalog's `secret`
 *   flag when the entry says so, else the name patterns below, so that a new or unknown password
 *   field is still a secret.
 * - inventory variable paths (`sip.password`, `lines.1.auth.pw`): any path segment that names a
 *   secret.
 */

/**
 * The mask shown instead of a secret value.
 * @example maskSecretValues('auth failed for hunter22', ['hunter22']) // 'auth failed for ********'
 */
export const SECRET_MASK = '********';

/**
 * Cisco parameter names that hold secrets. Spellings seen in the phones' own `cfg.xml` exports:
 * `Password_1_`, `Admin_Password`, `User_Password`, `Admin_Passwd`, `LDAP_Password`,
 * `XMPP_Password`, `IVR_Admin_Passwd`, `GPP_SA`..`GPP_SD` (hold `--key`/`--pwd` values for
 * rules), `IKM_HTTP_Encrypt_Content`, Wi-Fi `*_PSK*`, `passphrase_<n>_`, `PSK_Passphrase_<n>_` and
 * WEP keys (`wepKey1_1_` of the 9861 export, `WEP_Key_<n>_` of an 8865's, which the phone comments
 * out as it does its passwords; `wepKeyLen_<n>_` is a length, not a key), `*Secret*`, PIN fields.
 */
const SECRET_PARAMETER =
  /passw|passwd|(^|_)psk(_|$)|psk_|secret|^gpp_s[a-d]$|(^|_)ikm(_|$)|(^|_)pin(_|$)|passphrase|^wepkey[0-9]|(^|_)wep_key(_[0-9]+_?)?$/i;

/**
 * Parameter names the patterns above would catch that hold no secret: prompts and switches
 * about a password, not the password. Checked before the patterns.
 */
const NOT_SECRET_PARAMETER =
  /(_prompt|_enable|_required|_length|_type|_policy|_expir\w*|_change|_complexity|_mode|_warnings?)_?$/i;

/**
 * The part of a catalog entry the classifier reads.
 * @example isSecretParameter('X_Site_Token', { secret: true }) // true: the entry says so
 */
export interface SecretFlag {
  secret?: boolean | undefined;
}

/**
 * Whether a Cisco parameter holds a secret. The catalog entry decides when it carries a `secret`
 * flag; otherwise the name does.
 * @example isSecretParameter('Admin_Password') // true
 * @example isSecretParameter('User_Password_Prompt') // false
 * @example isSecretParameter('Display_Name_1_', { secret: false }) // false
 */
export function isSecretParameter(name: string, entry?: SecretFlag): boolean {
  if (entry && entry.secret !== undefined) return entry.secret;
  if (NOT_SECRET_PARAMETER.test(name)) return false;
  return SECRET_PARAMETER.test(name);
}

/** One segment of an inventory path that names a secret. */
const SECRET_SEGMENT =
  /pass|pwd|^pw$|_pw$|^pw_|secret|ikm|psk|^pin$|_pin$|^pin_|gpp_?s[a-d]$|^key$|_key$|^key_|-key$|token|credential/i;

/**
 * Whether an inventory variable path names a secret (any segment does).
 * @example isSecretVariablePath('sip.password') // true
 * @example isSecretVariablePath('ldap.pw') // true
 * @example isSecretVariablePath('lines.1.extension') // false
 */
export function isSecretVariablePath(path: string): boolean {
  return path.split('.').some((segment) => SECRET_SEGMENT.test(segment));
}

/**
 * Replaces every occurrence of each secret value in a message with the mask, longest first so a
 * secret that contains another is masked whole. Values shorter than 3 characters are left alone:
 * masking `1` or `no` would garble messages without protecting anything.
 * @example maskSecretValues('bad value "hunter22"', ['hunter22']) // 'bad value "********"'
 */
export function maskSecretValues(message: string, secrets: Iterable<string>): string {
  const values = [...new Set(secrets)]
    .filter((s) => s.length >= 3)
    .sort((a, b) => b.length - a.length);
  let out = message;
  for (const value of values) out = out.split(value).join(SECRET_MASK);
  return out;
}

/** The userinfo (`user:password@`) of an absolute URL. */
const URL_USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/;

/**
 * A request target (`/path?query`) with the values of secret-looking query parameters masked,
 * for access logs and the fleet page. Names are classified as inventory paths
 * (`isSecretVariablePath`), after percent-decoding when that succeeds. An absolute-form target
 * (`http://user:password@host/…`, as a proxy is asked, or a redirect's Location) has its
 * userinfo masked too.
 * @example maskSecretQuery('/a.xml?mac=1&pwd=x') // '/a.xml?mac=1&pwd=********'
 * @example maskSecretQuery('http://u:pw@h/a.xml') // 'http://********@h/a.xml'
 */
export function maskSecretQuery(target: string): string {
  if (!target.startsWith('/')) target = target.replace(URL_USERINFO, `$1${SECRET_MASK}@`);
  const q = target.indexOf('?');
  if (q < 0) return target;
  const query = target
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // leave it as sent
      }
      return isSecretVariablePath(name.toLowerCase())
        ? `${pair.slice(0, eq)}=${SECRET_MASK}`
        : pair;
    })
    .join('&');
  return `${target.slice(0, q)}?${query}`;
}
