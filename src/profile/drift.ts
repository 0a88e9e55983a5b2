/**
 * Drift: what a phone reports (its `Report_Rule` upload, reference §1) against what it should
 * have (the profile rendered for it now). Profiles are partial — a parameter a profile does not
 * set keeps its value — so only the parameters of the expected profile are checked, and a
 * parameter the phone reports but the profile does not set is never drift.
 *
 * Not checked:
 * - read-only and status parameters (the phone's own facts: firmware, addresses, registration
 *   state, counters), which no profile sets: the catalog's `readOnly` flag where an entry has
 *   one, else the list below;
 * - secrets the report does not carry: phones leave passwords and the IKM out of their
 *   reports or show them as asterisks (reference §1: IKM_HTTP_Encrypt_Content is "never shown
 *   on the phone's web page or in its reports").
 */
import { lookupParameter, type Catalog, type ParameterType } from './catalog.js';
import { parseGuideInteger } from './catalog-values.js';
import { phoneValue, type ProfileMap } from './profile-map.js';
import { SECRET_MASK, isSecretParameter } from './secrets.js';

/**
 * Status and read-only fields as they appear in reports, by name. Source: the Info/Status tab
 * field references of Cisco's admin guides (SPA9x2 Administration Guide "Line and Call Status
 * Information"; SPA2102/SPA3102 "Info Tab"; MPP 6800/7800/8800 Administration Guides, Info >
 * Status: Product Information, Network Status, Phone Status, Line Status), with names formed by
 * the guides' label rule (spaces and `[ ] ( ) /` → `_`, reference §1). Kept here until the
 * catalog carries a `readOnly` flag for them; the catalog's flag wins when present. Fields the
 * guides also list as settings (Host Name, Domain, Primary DNS: Optional Network Configuration)
 * are not here.
 */
const STATUS_PARAMETERS: readonly RegExp[] = [
  // Product information
  /^(Product_Name|Serial_Number|MAC_Address|Software_Version|Hardware_Version|Boot_Version)$/,
  /^(Client_Certificate|Customization|Licensed_Features|Product_Identifier)$/,
  // System / network status
  /^(Current_Time|Elapsed_Time|Current_IP|Current_Netmask|Current_Gateway)$/,
  /^(IP_Status|IPv6_Status|Mapped_SIP_Port|Mapped_SIP_Port_\d+_)$/,
  /^(Broadcast_Pkts_Sent|Broadcast_Bytes_Sent|Broadcast_Pkts_Recv|Broadcast_Bytes_Recv)$/,
  /^(Broadcast_Pkts_Dropped|Broadcast_Bytes_Dropped|RTP_Packets_Sent|RTP_Bytes_Sent)$/,
  /^(RTP_Packets_Recv|RTP_Bytes_Recv|SIP_Messages_Sent|SIP_Bytes_Sent|SIP_Messages_Recv)$/,
  /^(SIP_Bytes_Recv|Operational_VLAN_ID|Phone_Status)$/,
  // Provisioning status
  /^(Provisioning_Status|Last_Resync_Status|Last_Upgrade_Status|Upgrade_Status)$/,
  // Per-line and per-call status: `Registration_State_1_`, `Call_1_State_`, …
  /^(Registration_State|Last_Registration_At|Next_Registration_In|Message_Waiting)_\d+_$/,
  /^(Hook_State|Call_State|Call_Type|Call_Duration|Call_Peer_Name|Call_Peer_Phone)_\d+_$/,
  /^Call_\d+_(State|Tone|Encoder|Decoder|FAX|Type|Remote_Hold|Callback|Peer_Name|Peer_Phone|Duration|Packets_Sent|Packets_Recv|Bytes_Sent|Bytes_Recv|Decode_Latency|Jitter|Round_Trip_Delay|Packets_Lost|Packet_Error|Mapped_RTP_Port)_$/,
];

/**
 * The part of a catalog entry drift reads (a `readOnly` flag, when the catalog has one).
 * @example isStatusParameter('Station_Name', { readOnly: true }) // true: the entry's flag wins
 */
export interface ReadOnlyFlag {
  readOnly?: boolean | undefined;
}

/**
 * Whether a parameter is read-only or status: the catalog entry's `readOnly` flag when it has
 * one, else the status list.
 * @example isStatusParameter('Registration_State_1_') // true
 * @example isStatusParameter('Station_Name') // false
 */
export function isStatusParameter(name: string, entry?: ReadOnlyFlag): boolean {
  if (entry && entry.readOnly !== undefined) return entry.readOnly;
  return STATUS_PARAMETERS.some((pattern) => pattern.test(name));
}

/** A phone's report shows a secret it does not disclose as asterisks (or leaves it empty). */
function isHiddenSecret(value: string): boolean {
  const v = phoneValue(value);
  return v === '' || /^\*+$/.test(v);
}

/** A `Time` value (reference §1 value types: seconds, optional decimals) as a number; NaN else. */
function guideSeconds(text: string): number {
  return /^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * Whether two values are the same setting for a parameter of this type, as the phone reads
 * them (reference §1): trimmed; Bool (`Yes`/`No`, case-insensitive) and enumerations
 * case-insensitive (the catalog's rules); Uns/Sig integers and ports by number (decimal or `0x`
 * hex: `0x10` = `16`); Time by number of seconds (`30` = `30.0`). Everything else as text —
 * a resync schedule too: the guides give it in decimal only (`3600`, `60,120,240`,
 * `1800+300`), so `0x15180` is not taken for `86400` there (validate reports it as invalid).
 * @example sameSetting({ kind: 'bool' }, 'yes', 'Yes') // true
 */
export function sameSetting(type: ParameterType | undefined, a: string, b: string): boolean {
  const x = phoneValue(a);
  const y = phoneValue(b);
  if (x === y) return true;
  switch (type?.kind) {
    case 'bool':
      return x.toLowerCase() === y.toLowerCase();
    case 'enum':
      return !type.caseSensitive && x.toLowerCase() === y.toLowerCase();
    case 'integer':
    case 'port': {
      const m = parseGuideInteger(x);
      return !Number.isNaN(m) && m === parseGuideInteger(y);
    }
    case 'time': {
      const seconds = guideSeconds(x);
      return !Number.isNaN(seconds) && seconds === guideSeconds(y);
    }
    default:
      return false;
  }
}

/**
 * One parameter that differs from what the phone should have.
 * @example compareWithReport(expected, reported, { catalog: DEFAULT_CATALOG }).changes[0]?.change
 * // 'missing'
 */
export interface DriftChange {
  name: string;
  /** `changed`: the phone has another value or ua; `missing`: its report lacks the parameter. */
  change: 'changed' | 'missing';
  expected: string;
  /** The reported value; null when missing. Secrets are masked unless asked. */
  reported: string | null;
  /** Present when both sides carry a ua and they differ. */
  ua?: { expected: string; reported: string };
  secret: boolean;
}

/**
 * What compareWithReport returns: the changes, and how many parameters were compared or left out.
 * @example compareWithReport(expected, reported, { catalog: DEFAULT_CATALOG }).ignored.status
 */
export interface DriftComparison {
  changes: DriftChange[];
  /** Parameters of the expected profile that were compared. */
  checked: number;
  /** Parameters left out: read-only/status, and secrets the report does not show. */
  ignored: { status: number; hiddenSecret: number };
}

/**
 * Options of compareWithReport.
 * @example compareWithReport(expected, reported, { catalog: DEFAULT_CATALOG, showSecrets: false })
 */
export interface DriftOptions {
  catalog: Catalog;
  /** Show secret values instead of the mask. */
  showSecrets?: boolean;
}

/**
 * Compares the profile a phone should have with the one it reports.
 * @example compareWithReport(expected, reported, { catalog: DEFAULT_CATALOG }).changes
 */
export function compareWithReport(
  expected: ProfileMap,
  reported: ProfileMap,
  options: DriftOptions,
): DriftComparison {
  const changes: DriftChange[] = [];
  const ignored = { status: 0, hiddenSecret: 0 };
  let checked = 0;
  for (const [name, want] of expected) {
    const entry = lookupParameter(options.catalog, name)?.entry;
    if (isStatusParameter(name, entry as ReadOnlyFlag | undefined)) {
      ignored.status++;
      continue;
    }
    const secret = isSecretParameter(name, entry);
    const have = reported.get(name);
    if (secret && (have === undefined || isHiddenSecret(have.value))) {
      ignored.hiddenSecret++;
      continue;
    }
    checked++;
    const mask = (value: string): string =>
      secret && !options.showSecrets && value !== '' ? SECRET_MASK : value;
    if (have === undefined) {
      changes.push({ name, change: 'missing', expected: mask(want.value), reported: null, secret });
      continue;
    }
    const valueDiffers = !sameSetting(entry?.type, want.value, have.value);
    const uaDiffers = want.ua !== undefined && have.ua !== undefined && want.ua !== have.ua;
    if (!valueDiffers && !uaDiffers) continue;
    const change: DriftChange = {
      name,
      change: 'changed',
      expected: mask(want.value),
      reported: mask(have.value),
      secret,
    };
    if (uaDiffers) change.ua = { expected: want.ua!, reported: have.ua! };
    changes.push(change);
  }
  return { changes, checked, ignored };
}
