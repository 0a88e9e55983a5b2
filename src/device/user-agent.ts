/**
 * User-Agent parser for Cisco MPP phones, ATA 191/192 and the older SPA line (Cisco, Linksys,
 * Sipura brands). Forms and examples: docs/cisco-mpp-reference.md §6.
 *
 * The User-Agent is configurable on the phone and anybody can send anything to a provisioning
 * server, so this never throws: a string it does not recognise is a result (`isCisco: false`).
 * Every field it extracts is printable ASCII; only `userAgent` echoes the input as given.
 */
import { findModel } from './models.js';

/**
 * Which family the User-Agent belongs to. `unknown`: not a Cisco User-Agent, or a Cisco-made
 * device that is neither MPP, ATA191/192 nor SPA (`isCisco` tells them apart).
 * @example parseUserAgent('Cisco-ATA191-MPP/11.1.0 (00562b04361b)').family // 'ata'
 */
export type UserAgentFamily = 'mpp' | 'ata' | 'spa' | 'unknown';

/**
 * What a User-Agent says about the device. Fields it does not state are null.
 * @example parseUserAgent('Cisco-CP-8841-3PCC/11.3.7 (00562b043615)')
 * // { family: 'mpp', series: '8800', model: '8841', mac: '00562b043615', firmware: '11.3.7', … }
 */
export interface UserAgentInfo {
  /** The string as given. */
  userAgent: string;
  /**
   * True when the string has one of the forms of reference §6, or names another Cisco-made
   * device (Cisco, Linksys or Sipura brand).
   */
  isCisco: boolean;
  /** `Cisco`, `Linksys` or `Sipura` (the SPA line's earlier brands), as the string spells it. */
  vendor: string | null;
  family: UserAgentFamily;
  /** Product name as reported: `CP-8841-3PCC`, `ATA191-MPP`, `SPA508G`, `SPA-942`. */
  productName: string | null;
  /** Model as `cisco-prov models` spells it: `8841`, `ATA191`; for SPA the product without dash: `SPA942`. */
  model: string | null;
  /** `6800`, `7800`, `8800`, `9800`, `8875`, `ATA190`, `SPA500`…, or null. */
  series: string | null;
  /** Firmware version exactly as sent: `11.3.7_MPP_0001`, `11-1-0-MSR4`, `6.1.5(a)`. */
  firmware: string | null;
  /** 12 lower-case hex digits, only when the string carries exactly that (never guessed). */
  mac: string | null;
  /** The bracketed identifier when it is not a 12-hex-digit MAC. */
  serial: string | null;
}

/** Longer strings are not parsed (no Cisco User-Agent comes close); they are still returned. */
export const MAX_USER_AGENT_LENGTH = 1024;

const HEX12 = /^[0-9a-f]{12}$/i;

// Printable ASCII without space: the characters a product, firmware or id token may hold.
// MPP `Cisco-<PN>/<fw>` — PN is CP-<4 digits>[letters]-3PCC (reference §6); the SIP form and
// some firmware send the PN without `-3PCC` (`Cisco-CP-8845/12.0.1`). The 9800 series' product
// names are DP-98x1 (Cisco's model-name example "DP-9841"; see models.ts), read the same way.
// The tail after the slash may carry a SIP instance id after the MAC (any non-space text); the
// firmware part before it is checked to be printable ASCII.
const MPP_FORM =
  /^Cisco-((?:CP-(\d{4})[A-Z]{0,3}(?:-3PCC)?|DP-(98\d\d)))\/(\S+?)((?:\s*\([^()]*\))*)$/i;
const PRINTABLE = /^[\x21-\x7e]+$/;
// ATA `Cisco/ATA<nnn>-MPP-<fw> (<serial>)` (HTTP) and `Cisco-ATA<nnn>-MPP/<fw>` (its SIP form).
const ATA_FORM = /^Cisco\/(ATA(\d{3})-MPP)-([\x21-\x7e]+?)((?:\s*\([^()]*\))*)$/i;
const ATA_SIP_FORM = /^Cisco-(ATA(\d{3})-MPP)\/([\x21-\x7e]+?)((?:\s*\([^()]*\))*)$/i;
// Any other Cisco-made device (`Cisco-ATA187/9.2.3`, `Cisco-CP7960G/8.0`, `Linksys/RT31P2-…`):
// Cisco, but neither MPP, ATA191/192 nor SPA. The product runs to the `/` (Cisco-) or to the
// dash before a version (Vendor/…); the version starts with a digit.
const OTHER_CISCO_FORM =
  /^(Cisco|Linksys|Sipura)(?:-([A-Za-z][A-Za-z0-9._-]*?)\/|\/([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)*)(?:-|\/))(\d[\x21-\x7e]*?)((?:\s+\([^()]*\)(?:\s*\([^()]*\))*)?)$/i;
// SPA line `<Vendor>/<product>-<fw> [(<MAC>)](<serial>)`: product is letters, an optional dash,
// digits and letters (`SPA508G`, `SPA-942`, `PAP2T`); firmware starts with a digit and may hold
// parentheses without spaces (`6.1.5(a)`).
const SPA_FORM =
  /^(Cisco|Linksys|Sipura)\/((?:SPA|PAP|WRP|RTP)-?\d{1,4}[A-Z0-9]{0,4})-(\d[\x21-\x7e]*?)((?:\s+\([^()]*\)(?:\s*\([^()]*\))*)?)$/i;
const SPA_PARENS_ONLY = /\([^()]*\)/g;

/** Series of an MPP model number: from the table, else by Cisco's numbering. */
function mppSeries(model: string): string | null {
  const row = findModel(model);
  if (row) return row.series;
  if (model === '8875') return '8875';
  const prefix = model.slice(0, 2);
  return prefix === '68' || prefix === '78' || prefix === '88' || prefix === '98'
    ? `${prefix}00`
    : null;
}

/**
 * Series of an SPA product: its first digit, then zeros to the model number's length:
 * `SPA508G` → `SPA500`, `SPA525G2` → `SPA500`, `SPA942` → `SPA900`, `SPA2102` → `SPA2000`,
 * `SPA112` → `SPA100`; null for other products (PAP2T, WRP400).
 */
function spaSeries(model: string): string | null {
  const m = /^SPA(\d)(\d{2,3})[A-Z0-9]*$/.exec(model);
  return m ? `SPA${m[1]}${'0'.repeat((m[2] ?? '').length)}` : null;
}

/** Splits `(a)(b) (c)` into its bracketed values, trimmed; printable ASCII only, else dropped. */
function bracketValues(text: string): string[] {
  const values: string[] = [];
  for (const match of text.matchAll(SPA_PARENS_ONLY)) {
    const inner = match[0].slice(1, -1).trim();
    if (inner !== '' && /^[\x20-\x7e]+$/.test(inner)) values.push(inner);
  }
  return values;
}

/** Classifies identifiers: the first 12-hex value is the MAC, the first other one the serial. */
function classifyIds(ids: readonly string[]): { mac: string | null; serial: string | null } {
  let mac: string | null = null;
  let serial: string | null = null;
  for (const id of ids) {
    if (mac === null && HEX12.test(id)) mac = id.toLowerCase();
    else if (serial === null && !HEX12.test(id)) serial = id;
  }
  return { mac, serial };
}

function unknown(userAgent: string): UserAgentInfo {
  return {
    userAgent,
    isCisco: false,
    vendor: null,
    family: 'unknown',
    productName: null,
    model: null,
    series: null,
    firmware: null,
    mac: null,
    serial: null,
  };
}

/**
 * MPP: `Cisco-CP-8841-3PCC/11.0 (00562b043615)`, `Cisco-CP-8851-3PCC/11.3.7_MPP_0001`, and the
 * SIP form `Cisco-CP-8865-3PCC/12.0.3_dcf719f39350_<uuid>…` whose first 12-hex `_` segment after
 * the version is the MAC.
 */
function parseMpp(userAgent: string, m: RegExpExecArray): UserAgentInfo {
  const productName = (m[1] ?? '').toUpperCase();
  const model = m[2] ?? m[3] ?? '';
  const tail = m[4] ?? '';
  const ids = bracketValues(m[5] ?? '');
  let firmware = tail;
  let tailMac: string | null = null;
  const segments = tail.split('_');
  for (let i = 1; i < segments.length; i++) {
    if (HEX12.test(segments[i] ?? '')) {
      firmware = segments.slice(0, i).join('_');
      tailMac = (segments[i] ?? '').toLowerCase();
      break;
    }
  }
  if (!PRINTABLE.test(firmware)) return unknown(userAgent);
  const { mac, serial } = classifyIds(ids);
  return {
    userAgent,
    isCisco: true,
    vendor: 'Cisco',
    family: 'mpp',
    productName,
    model,
    series: mppSeries(model),
    firmware,
    mac: tailMac ?? mac,
    serial,
  };
}

/** ATA: `Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)`. */
function parseAta(userAgent: string, m: RegExpExecArray): UserAgentInfo {
  const digits = m[2] ?? '';
  const row = findModel(`ATA${digits}`);
  const { mac, serial } = classifyIds(bracketValues(m[4] ?? ''));
  return {
    userAgent,
    isCisco: true,
    vendor: 'Cisco',
    family: 'ata',
    productName: (m[1] ?? '').toUpperCase(),
    model: row?.model ?? `ATA${digits}`,
    series: 'ATA190',
    firmware: m[3] || null,
    mac,
    serial,
  };
}

/** SPA: `Cisco/SPA508G-7.4.8a (0002FDFF2103)(CBT141400UK)`, `Linksys/SPA-942-6.1.5(a) (…)`. */
function parseSpa(userAgent: string, m: RegExpExecArray): UserAgentInfo {
  const vendorRaw = (m[1] ?? '').toLowerCase();
  const vendor = vendorRaw === 'linksys' ? 'Linksys' : vendorRaw === 'sipura' ? 'Sipura' : 'Cisco';
  const productName = (m[2] ?? '').toUpperCase();
  const model = productName.replace('-', '');
  const { mac, serial } = classifyIds(bracketValues(m[4] ?? ''));
  return {
    userAgent,
    isCisco: true,
    vendor,
    family: 'spa',
    productName,
    model,
    series: spaSeries(model),
    firmware: m[3] || null,
    mac,
    serial,
  };
}

/** Another Cisco-made device: Cisco, family `unknown`, product and firmware as sent. */
function parseOtherCisco(userAgent: string, m: RegExpExecArray): UserAgentInfo {
  const vendorRaw = (m[1] ?? '').toLowerCase();
  const vendor = vendorRaw === 'linksys' ? 'Linksys' : vendorRaw === 'sipura' ? 'Sipura' : 'Cisco';
  const productName = (m[2] ?? m[3] ?? '').toUpperCase();
  const { mac, serial } = classifyIds(bracketValues(m[5] ?? ''));
  return {
    userAgent,
    isCisco: true,
    vendor,
    family: 'unknown',
    productName: productName || null,
    model: productName || null,
    series: null,
    firmware: m[4] || null,
    mac,
    serial,
  };
}

/**
 * Parses a provisioning User-Agent. Never throws; an unrecognised string gives
 * `{ isCisco: false, family: 'unknown' }` with every other field null.
 * @example
 * parseUserAgent('Cisco-CP-8841-3PCC/11.0 (00562b043615)')
 * // { isCisco: true, vendor: 'Cisco', family: 'mpp', productName: 'CP-8841-3PCC', model: '8841',
 * //   series: '8800', firmware: '11.0', mac: '00562b043615', serial: null, userAgent: … }
 */
export function parseUserAgent(userAgent: string): UserAgentInfo {
  if (typeof userAgent !== 'string') return unknown(String(userAgent));
  if (userAgent.length > MAX_USER_AGENT_LENGTH) return unknown(userAgent);
  const text = userAgent.trim();
  const first = text.charCodeAt(0);
  // Every known form starts with C, L or S (either case): skip the regexes for the rest.
  if (
    first !== 0x43 &&
    first !== 0x63 &&
    first !== 0x4c &&
    first !== 0x6c &&
    first !== 0x53 &&
    first !== 0x73
  ) {
    return unknown(userAgent);
  }
  let m = MPP_FORM.exec(text);
  if (m) return parseMpp(userAgent, m);
  m = ATA_FORM.exec(text) ?? ATA_SIP_FORM.exec(text);
  if (m) return parseAta(userAgent, m);
  m = SPA_FORM.exec(text);
  if (m) return parseSpa(userAgent, m);
  m = OTHER_CISCO_FORM.exec(text);
  if (m) return parseOtherCisco(userAgent, m);
  return unknown(userAgent);
}
