/**
 * The macro values of one device, as the phone would fill them in: from its User-Agent and from
 * facts given one by one (MAC, model, serial, firmware, GPP_* contents, any other macro).
 *
 * Sources: docs/cisco-mpp-reference.md §2 (macro table) and §6 (User-Agent forms). `$PSN` is
 * [open] — the guides show `8841`, `V03`, `6841-3PCC` and `191` — so it defaults to the model
 * number (as `render --name` does) and `vars.PSN` overrides it.
 */
import { formatMac, normalizeMac } from '../device/mac.js';
import { DomainError } from '../domain-errors.js';
import { findModel, productSeriesNumber } from '../device/models.js';
import { parseUserAgent, type UserAgentInfo } from '../device/user-agent.js';
import { isKnownMacro } from './macros.js';

/**
 * What is known about the device. Single facts override what the User-Agent says.
 * @example deviceMacroValues({ mac: '00:56:2b:04:36:15', model: '8841', firmware: '11.3.7' })
 */
export interface DeviceFactsInput {
  /** A provisioning User-Agent: `Cisco-CP-8841-3PCC/11.0 (00562b043615)`. */
  userAgent?: string | undefined;
  /** MAC in any common notation. */
  mac?: string | undefined;
  /** Model number or product name: `8841`, `CP-8841-3PCC`, `ATA191`. */
  model?: string | undefined;
  serial?: string | undefined;
  /** `$SWVER`, as the phone reports it (`sip88xx.11-3-2MPP0001-609`, `11.3.7_MPP_0001`). */
  firmware?: string | undefined;
  /** GPP_A..GPP_P and GPP_SA..GPP_SD contents, keyed `A`, `SA`, `GPP_A`, `gpp_sa`… */
  gpp?: Readonly<Record<string, string>> | undefined;
  /** Any macro by name (`HWVER`, `IP`, `PRVTMR`, `UID1`, `PSN`…); wins over everything else. */
  vars?: Readonly<Record<string, string>> | undefined;
}

/**
 * Macro values and where each came from.
 * @example const userAgent = 'Cisco-CP-8841-3PCC/11.3.7 (00562b043615)';
 * const facts = deviceMacroValues({ userAgent });
 * facts.values.PN // 'CP-8841-3PCC'; facts.sources.MA // 'user-agent'
 */
export interface DeviceFacts {
  values: Record<string, string>;
  /** Name → `user-agent`, `mac`, `model`, `serial`, `firmware`, `gpp`, `var`. */
  sources: Record<string, string>;
  /** The parsed User-Agent, when one was given. */
  userAgent: UserAgentInfo | null;
  /** Things worth telling the user that are not errors. */
  notes: string[];
}

/**
 * A device fact that can't be used (a malformed MAC, an unknown GPP letter): a usage error.
 * @example deviceMacroValues({ mac: '00:11' })
 * // throws DeviceFactError: --mac expected 12 hex digits (…), got "00:11"
 */
export class DeviceFactError extends DomainError {
  constructor(message: string) {
    super('usage', 'device-fact', message);
    this.name = 'DeviceFactError';
  }
}

const MACRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Builds the macro values for a device.
 * @throws DeviceFactError for a MAC that is not one, a model that is not known, a GPP letter
 *   outside A..P / SA..SD or a name that is not a macro name
 * @example
 * deviceMacroValues({ userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)' }).values
 * // { MA: '00562b043615', MAU: '00562B043615', MAC: '00:56:2b:04:36:15', PN: 'CP-8841-3PCC',
 * //   PSN: '8841', SWVER: '11.0' }
 */
export function deviceMacroValues(input: DeviceFactsInput): DeviceFacts {
  const values: Record<string, string> = {};
  const sources: Record<string, string> = {};
  const notes: string[] = [];
  const set = (name: string, value: string | null | undefined, source: string): void => {
    if (value === null || value === undefined) return;
    values[name] = value;
    sources[name] = source;
  };
  const setMac = (mac: string, source: string): void => {
    set('MA', mac, source);
    set('MAU', formatMac(mac, 'upper'), source);
    set('MAC', formatMac(mac, 'colon'), source);
  };

  let userAgent: UserAgentInfo | null = null;
  if (input.userAgent !== undefined) {
    userAgent = parseUserAgent(input.userAgent);
    if (!userAgent.isCisco) {
      notes.push('the User-Agent is not one a Cisco phone sends: no device facts taken from it');
    } else {
      if (userAgent.mac) setMac(userAgent.mac, 'user-agent');
      else notes.push('the User-Agent carries no MAC: $MA, $MAU and $MAC need --mac');
      set('PN', userAgent.productName, 'user-agent');
      set('PSN', userAgent.model && productSeriesNumber(userAgent.model), 'user-agent');
      set('SN', userAgent.serial, 'user-agent');
      set('SWVER', userAgent.firmware, 'user-agent');
    }
  }
  if (input.mac !== undefined) {
    const mac = normalizeMac(input.mac);
    if (!mac) {
      throw new DeviceFactError(
        `--mac expected 12 hex digits (00562b043615, 00:56:2b:04:36:15, 0056.2b04.3615), got ${JSON.stringify(input.mac)}`,
      );
    }
    setMac(mac, 'mac');
  }
  if (input.model !== undefined) {
    const model = findModel(input.model);
    if (!model) {
      throw new DeviceFactError(
        `--model: unknown model ${JSON.stringify(input.model)} (see cisco-prov models)`,
      );
    }
    set('PN', model.productName, 'model');
    set('PSN', productSeriesNumber(model.model), 'model');
  }
  if (input.serial !== undefined) set('SN', input.serial, 'serial');
  if (input.firmware !== undefined) set('SWVER', input.firmware, 'firmware');
  for (const [key, value] of Object.entries(input.gpp ?? {})) {
    const letter = /^(?:GPP_)?(S?[A-P])$/i.exec(key)?.[1]?.toUpperCase();
    if (!letter || (letter.length === 2 && !/^S[A-D]$/.test(letter))) {
      throw new DeviceFactError(
        `--gpp expected a letter A..P or SA..SD, got ${JSON.stringify(key)}`,
      );
    }
    set(letter, value, 'gpp');
  }
  for (const [name, value] of Object.entries(input.vars ?? {})) {
    if (!MACRO_NAME.test(name)) {
      throw new DeviceFactError(
        `--var expected NAME=value with a macro name, got ${JSON.stringify(name)}`,
      );
    }
    if (!isKnownMacro(name)) {
      notes.push(`$${name} is not a macro the phone knows: it stays as written`);
    }
    set(name, value, 'var');
  }
  return { values, sources, userAgent, notes };
}
