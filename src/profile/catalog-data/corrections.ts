/**
 * Corrections the phones' own exports forced on guide (or generated) entries: wider types
 * where an export holds a value the guide's type refused, the ATA's numeric codes, secrets the
 * name patterns miss or misread. Keyed by the entry's name (the guide's spelling or the
 * export's); each carries the export or guide that shows it.
 */
import { CATALOG_FAMILIES, type CatalogEntry } from '../catalog.js';
import { cite } from './sources.js';

/** A change to one entry: the fields given replace the entry's; `source` is appended. */
export type Correction = Partial<Omit<CatalogEntry, 'name' | 'source'>> & {
  name: string;
  source: string;
};

/** The proxy fields also take Cisco's static DNS SRV list. */
const PROXY_WITH_SRV = { kind: 'host', srv: true } as const;
const SRV_SOURCE =
  'Cisco MPP admin guides, Ext(n) > Proxy and Registration: a static SRV list <proxy>:SRV=<host>:<port>:p=<priority>[:w=<weight>]|… longer than 63 characters [doc, recalled; issue 9]';

const ATA_VOICE =
  'Cisco ATA 191 and ATA 192 Analog Telephone Adapter Provisioning Guide for Multiplatform Firmware, Voice Parameters';

/**
 * The 8865 export's video and camera settings (fifth round). The catalog's families are
 * series-wide, so they are put on the 8800 family, as the guide's H264_BP0_Enable_n_ and
 * H264_HP_Enable_n_ (Video Configuration) are.
 */
const VIDEO_8800 =
  'families: 8800 — the export is an 8865 (camera, video), the 8845/8865 being the 88xx video phones; [open] whether the other 88xx (no camera) export these names too';
const VIDEO_NAMES = [
  'Video',
  'Video_Serv',
  'Camera_Exposure',
  'Bandwidth_Allowance',
  'Connected_Video_Key_List',
  'H264_BP1_Dynamic_Payload',
  'H264_BP1_Enable_{n}_',
  'Video_Encryption_Method_{n}_',
  'Video_RTP_TOS_DiffServ_Value_{n}_',
];

/**
 * GPP_SA..GPP_SD (the special-purpose parameters that hold a profile key for `[--key $SA]`)
 * exist on every MPP phone and the ATA: the provisioning guide's macro table gives $SA..$SD
 * for the desk phones and the conference guide for the 7832/8832. Only the ATA exports list
 * them — an 8832's own export (jthop-8832-export) omits them while its guide documents them —
 * so the export evidence's ATA-only families are too narrow.
 */
const SPECIAL_GPP_SOURCE = `${cite('prov6800', 'Macro Expansion Variables: SA through SD, the contents of GPP_SA..GPP_SD')}; families: every MPP family and the ATA (the desk and conference phones' exports omit these secret-holding fields)`;

export const CORRECTIONS: readonly Correction[] = [
  ...['GPP_SA', 'GPP_SB', 'GPP_SC', 'GPP_SD'].map((name): Correction => ({
    name,
    families: [...CATALOG_FAMILIES],
    source: SPECIAL_GPP_SOURCE,
  })),
  ...VIDEO_NAMES.map((name): Correction => ({ name, families: ['8800'], source: VIDEO_8800 })),
  { name: 'Proxy_{n}_', type: PROXY_WITH_SRV, source: SRV_SOURCE },
  { name: 'Outbound_Proxy_{n}_', type: PROXY_WITH_SRV, source: SRV_SOURCE },
  { name: 'Alternate_Proxy_{n}_', type: PROXY_WITH_SRV, source: SRV_SOURCE },
  { name: 'Alternate_Outbound_Proxy_{n}_', type: PROXY_WITH_SRV, source: SRV_SOURCE },
  {
    // PSK_<n> are the programmable softkeys (beside Programmable_Softkey_Enable), not keys.
    name: 'PSK_{n}',
    secret: false,
    source: 'exports fusionpbx-8851, fusionpbx-9861: PSK_1..16 next to Programmable_Softkey_Enable',
  },
  {
    // The ATA export's spelling (fusionpbx-ata191); the ATA guide spells it Gateway.
    name: 'WAN_Static_IP6_Gatway',
    aliases: ['WAN_Static_IP6_Gateway'],
    source:
      'Cisco ATA 191 and ATA 192 Analog Telephone Adapter Provisioning Guide for Multiplatform Firmware, Router Configuration Parameters > WAN_IP6_Setting Parameters: WAN_Static_IP6_Gateway',
  },
  // The ATA guide's spellings of names the ATA191 export spells otherwise (accepted, warned).
  {
    name: 'IVR_Admin_Passwd',
    aliases: ['IVR_Admin_Password'],
    source: `${ATA_VOICE}: <IVR_Admin_Password>`,
  },
  {
    name: 'Resync_At__HHmm_',
    aliases: ['Resync_At_HHmm'],
    source: `${ATA_VOICE}: <Resync_At_HHmm>`,
  },
  {
    name: 'Mark_All_AVT_Packets',
    aliases: ['Mark_all_AVT_Packets'],
    source: `${ATA_VOICE}: <Mark_all_AVT_Packets>`,
  },
  {
    // The guide's 0–2; the exports write the syslog level by name.
    name: 'Debug_Level',
    type: {
      kind: 'enum',
      values: [
        '0',
        '1',
        '2',
        'EMERGENCY',
        'ALERT',
        'CRITICAL',
        'ERROR',
        'WARNING',
        'NOTICE',
        'INFO',
        'DEBUG',
      ],
    },
    source:
      'export fusionpbx-9861 available options EMERGENCY|ALERT|CRITICAL|ERROR|WARNING|NOTICE|INFO|DEBUG; export fusionpbx-8851 value NOTICE',
  },
];
