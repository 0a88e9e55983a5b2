/**
 * The Cisco MPP model table: one row per model, with a source for each fact.
 * Used by `inspect` (User-Agent → model), `render` (built-in template variables) and
 * `validate` (line/key capacity). Data, not code: extend the table, not the branches.
 *
 * Marks in `sources` follow docs/cisco-mpp-reference.md: [doc] stated by Cisco, [field] seen in
 * third-party provisioning code, [open] sources disagree or are silent (the figure used is named).
 * "[doc, recalled]" marks a figure attributed to the named Cisco document from memory, not
 * re-read in a stored copy while this table was written: the first thing to re-check.
 * 9800-series and 8875 rows run a newer platform (PhoneOS) with the same MPP parameter profile;
 * their line counts come from a 9861's own export and are marked [open] for the other models.
 */

/** Product series as Cisco names them. */
export type Series = '6800' | '7800' | '8800' | 'ATA190' | '9800' | '8875';

/** Which template family a model belongs to. */
export type TemplateFamily = 'mpp-desk' | 'mpp-conference' | 'ata';

export interface PhoneModel {
  /** Model as `cisco-prov models` names it: `8841`, `7832`, `ATA191` (`191` is accepted too). */
  model: string;
  /** Product name as the phone reports it in $PN and the User-Agent: `CP-8841-3PCC`. */
  productName: string;
  series: Series;
  /** `mpp-desk`, `mpp-conference` or `ata`: picks the bundled template. */
  templateFamily: TemplateFamily;
  /** Number of lines (extensions, `_<n>_` indexes of line parameters) the firmware offers. */
  lines: number;
  /** Physical line keys on the phone. */
  lineKeys: number;
  /** Key expansion modules the model accepts (0 = none). */
  maxExpansionModules: number;
  /** Firmware load prefix used in Upgrade_Rule file names: `sip88xx`. */
  firmwarePrefix: string;
  /** Marketing name: `Cisco IP Phone 8841` (display only). */
  displayName: string;
  /** Where the facts came from: field name → citation. */
  sources: Partial<Record<keyof Omit<PhoneModel, 'sources'> | 'row', string>>;
}

// Citations shared by several rows. Each names the document and what it states.
const AG_6800 = 'Cisco IP Phone 6800 Series Multiplatform Phones Administration Guide [doc]';
const AG_7800 =
  'Cisco IP Phone 7800 Series Multiplatform Phones Administration Guide for Release 11.3(1) and Later [doc]';
const DS_7800 =
  'Cisco IP Phone 7800 Series with Multiplatform Phone Firmware Data Sheet (c78-738031) [doc, recalled]';
const DS_6800 =
  'Cisco IP Phone 6800 Series with Multiplatform Phone Firmware Data Sheet [doc, recalled]';
const AG_8800 =
  'Cisco IP Phone 8800 Series Multiplatform Phone Administration Guide for Release 11.3(1) and Later [doc]';
const AG_7832 = 'Cisco IP Conference Phone 7832 Multiplatform Phones Administration Guide [doc]';
const AG_8832 =
  'Cisco IP Conference Phone 8832 Multiplatform Phones Administration Guide for Release 11.3(1) and Later [doc]';
const PG_ATA =
  'Cisco ATA 191 and ATA 192 Multiplatform Analog Telephone Adapter Provisioning Guide [doc]';
const FN_PIDS =
  'Cisco field notices (2022, 2023) list the PIDs CP-68x1/78xx/88xx-3PCC-K9, ATA191-3PW-K9, ATA192-3PW-K9 [doc]';
const REF_6 = 'docs/cisco-mpp-reference.md §6: model → family table [doc/field]';
const REF_6_PN = 'docs/cisco-mpp-reference.md §6 User-Agent examples `Cisco-<PN>/<fw>` [doc]';
const FIELD_KEYS =
  'third-party MPP provisioning UI (QuickConfig PHONE_MODELS): firmware-addressable keys per model [field]';
const FW_88XX =
  '8800 MPP admin guide Upgrade_Rule examples: sip88xx.<ver>.loads for 8811/8841/8851/8861, sip8845_65.<ver>.loads for 8845/8865 [doc]';
const FW_78XX =
  '7800 MPP admin guide Upgrade_Rule example tftp://…/sip78xx.11-0-1MPP-BN.loads [doc]';
const FW_68XX = 'docs/cisco-mpp-reference.md §7 example sip68xx.11-2-1MPP-630.loads [doc]';
const KEM_CHAPTER =
  'Cisco IP Desk Phone with Multiplatform Firmware (MPP) Administration Guide, chapter "Cisco IP Phone Key Expansion Module (8800 and 6800)", updated 2025-11-19 [doc]';
const WEBEX_LAYOUTS =
  'Webex help "Configure Layouts for Cisco MPP Devices in Control Hub": supported on Cisco Video Phone 8875 and Cisco 6800, 7800, 8800 and 9800 Series phones; KEMs for the Cisco Desk Phone 9851 [doc]';
const EXPORT_9861 =
  "a 9861's cfg.xml export (fusionpbx/fusionpbx resources/templates/provision/cisco/9861) [field]";
const PHONEOS =
  'Webex help "Configure phone features on the phone administration page": Cisco Desk Phone 9800 Series run PhoneOS firmware (PhoneOS 3.0.1 and later) [doc]';
const LINES_88XX = `${KEM_CHAPTER}: "Phone line keys also support 16 extensions", "the status of all 16 extensions" [open: a third-party MPP tool addresses 10 [field]; the documented 16 is used]`;

export const MODELS: readonly PhoneModel[] = [
  // ---- 6800 series (sip68xx) ----
  {
    model: '6821',
    productName: 'CP-6821-3PCC',
    series: '6800',
    templateFamily: 'mpp-desk',
    lines: 2,
    lineKeys: 2,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip68xx',
    displayName: 'Cisco IP Phone 6821',
    sources: {
      row: AG_6800,
      productName: FN_PIDS,
      series: REF_6,
      lines: `${DS_6800}: 2 lines; ${FIELD_KEYS}: 2`,
      lineKeys: `${DS_6800}: 2 line keys; ${FIELD_KEYS}: 2`,
      maxExpansionModules: `${FIELD_KEYS}: no KEM`,
      firmwarePrefix: FW_68XX,
    },
  },
  {
    model: '6841',
    productName: 'CP-6841-3PCC',
    series: '6800',
    templateFamily: 'mpp-desk',
    lines: 4,
    lineKeys: 4,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip68xx',
    displayName: 'Cisco IP Phone 6841',
    sources: {
      row: AG_6800,
      productName: `${REF_6_PN}: Cisco-CP-6841-3PCC/12.0.1 [field]`,
      series: REF_6,
      lines: `${DS_6800}: 4 lines; ${FIELD_KEYS}: 4`,
      lineKeys: `${FIELD_KEYS}: 4`,
      maxExpansionModules: `${FIELD_KEYS}: no KEM`,
      firmwarePrefix: FW_68XX,
    },
  },
  {
    model: '6851',
    productName: 'CP-6851-3PCC',
    series: '6800',
    templateFamily: 'mpp-desk',
    lines: 4,
    lineKeys: 4,
    maxExpansionModules: 1,
    firmwarePrefix: 'sip68xx',
    displayName: 'Cisco IP Phone 6851',
    sources: {
      row: AG_6800,
      productName: FN_PIDS,
      series: REF_6,
      lines: `${FIELD_KEYS}: 4`,
      lineKeys: `${FIELD_KEYS}: 4`,
      maxExpansionModules: `${KEM_CHAPTER}: "The Cisco IP Phone 6851 Multiplatform Phone supports only one key expansion module" (14 keys × 2 pages); ${FIELD_KEYS}: 1`,
      firmwarePrefix: FW_68XX,
    },
  },
  {
    model: '6861',
    productName: 'CP-6861-3PCC',
    series: '6800',
    templateFamily: 'mpp-desk',
    lines: 4,
    lineKeys: 4,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip68xx',
    displayName: 'Cisco IP Phone 6861',
    sources: {
      row: AG_6800,
      productName:
        'third-party device tables use CP-6861-3PCC [field]; the orderable PID is CP-6861-3PW-K9 [doc] [open: $PN assumed CP-6861-3PCC like its siblings]',
      series: REF_6,
      lines: `${FIELD_KEYS}: 4`,
      lineKeys: `${FIELD_KEYS}: 4`,
      maxExpansionModules: `${FIELD_KEYS}: no KEM`,
      firmwarePrefix: FW_68XX,
    },
  },
  {
    model: '6871',
    productName: 'CP-6871-3PCC',
    series: '6800',
    templateFamily: 'mpp-desk',
    lines: 6,
    lineKeys: 6,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip68xx',
    displayName: 'Cisco IP Phone 6871',
    sources: {
      row: AG_6800,
      productName: FN_PIDS,
      series: REF_6,
      lines: `reference §6 "6871: 6" [field]; ${FIELD_KEYS}: 6`,
      lineKeys: `reference §6 "6871: 6" [field]; ${FIELD_KEYS}: 6`,
      maxExpansionModules: `${KEM_CHAPTER} names only the 6851 as taking a KEM among 6800s [open: ${FIELD_KEYS} lists one 14-key KEM for the 6871; the documented 0 is used]`,
      firmwarePrefix: FW_68XX,
    },
  },
  // ---- 7800 series (sip78xx) ----
  {
    model: '7811',
    productName: 'CP-7811-3PCC',
    series: '7800',
    templateFamily: 'mpp-desk',
    lines: 1,
    lineKeys: 0,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip78xx',
    displayName: 'Cisco IP Phone 7811',
    sources: {
      row: AG_7800,
      productName: FN_PIDS,
      series: REF_6,
      lines: `${DS_7800}: single line; ${FIELD_KEYS}: 1`,
      lineKeys: `${DS_7800}: the 7811 has no line keys [open: ${FIELD_KEYS} counts 1 addressable key; physical keys = 0]`,
      maxExpansionModules: `${DS_7800}: no KEM on 7800`,
      firmwarePrefix: FW_78XX,
    },
  },
  {
    model: '7821',
    productName: 'CP-7821-3PCC',
    series: '7800',
    templateFamily: 'mpp-desk',
    lines: 2,
    lineKeys: 2,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip78xx',
    displayName: 'Cisco IP Phone 7821',
    sources: {
      row: AG_7800,
      productName: FN_PIDS,
      series: REF_6,
      lines: `${DS_7800}: 2 lines; ${FIELD_KEYS}: 2`,
      lineKeys: `${DS_7800}; ${FIELD_KEYS}: 2`,
      maxExpansionModules: `${DS_7800}: no KEM on 7800`,
      firmwarePrefix: FW_78XX,
    },
  },
  {
    model: '7841',
    productName: 'CP-7841-3PCC',
    series: '7800',
    templateFamily: 'mpp-desk',
    lines: 4,
    lineKeys: 4,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip78xx',
    displayName: 'Cisco IP Phone 7841',
    sources: {
      row: AG_7800,
      productName: FN_PIDS,
      series: REF_6,
      lines: `${DS_7800}: 4 lines; ${FIELD_KEYS}: 4`,
      lineKeys: `${DS_7800}; ${FIELD_KEYS}: 4`,
      maxExpansionModules: `${DS_7800}: no KEM on 7800`,
      firmwarePrefix: FW_78XX,
    },
  },
  {
    model: '7861',
    productName: 'CP-7861-3PCC',
    series: '7800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 16,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip78xx',
    displayName: 'Cisco IP Phone 7861',
    sources: {
      row: AG_7800,
      productName: FN_PIDS,
      series: REF_6,
      lines: `${DS_7800}: 16 lines; reference §6 "7861: 16" [field]; ${FIELD_KEYS}: 16`,
      lineKeys: `${DS_7800}; ${FIELD_KEYS}: 16`,
      maxExpansionModules: `${DS_7800}: no KEM on 7800`,
      firmwarePrefix: FW_78XX,
    },
  },
  {
    model: '7832',
    productName: 'CP-7832-3PCC',
    series: '7800',
    templateFamily: 'mpp-conference',
    lines: 1,
    lineKeys: 0,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip7832',
    displayName: 'Cisco IP Conference Phone 7832',
    sources: {
      row: AG_7832,
      productName: `${REF_6_PN}: Cisco-CP-7832-3PCC/11.0.1`,
      series: `${REF_6}: 7832 → 7800 conference`,
      templateFamily: 'conference phone: one line, no line keys [doc]',
      lines: `${AG_7832}: a single line [open: no line count stated; 1 used]`,
      lineKeys: `${AG_7832} [recalled]: no line keys`,
      maxExpansionModules: 'conference phone: no KEM [doc]',
      firmwarePrefix: `${AG_7832}: Upgrade_Rule example …/sip7832.12-0-7MPP0001-46.loads`,
    },
  },
  // ---- 8800 series (sip88xx, sip8845_65) ----
  {
    model: '8811',
    productName: 'CP-8811-3PCC',
    series: '8800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 5,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip88xx',
    displayName: 'Cisco IP Phone 8811',
    sources: {
      row: AG_8800,
      productName: FN_PIDS,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: `${AG_8800} [recalled]: 5 line keys; ${FIELD_KEYS} counts 10 addressable`,
      maxExpansionModules: `${KEM_CHAPTER}: KEMs on 8851/8861/8865 only`,
      firmwarePrefix: FW_88XX,
    },
  },
  {
    model: '8841',
    productName: 'CP-8841-3PCC',
    series: '8800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 5,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip88xx',
    displayName: 'Cisco IP Phone 8841',
    sources: {
      row: AG_8800,
      productName: 'seed excerpt of the 8800 admin guide: User-Agent Cisco-CP-8841-3PCC/11.0 [doc]',
      series: REF_6,
      lines: `${LINES_88XX}; that tool marks its 10 for the 8841 as seen on hardware, still below the documented 16 used here`,
      lineKeys: `${AG_8800} [recalled]: 5 line keys (session keys on the other side not counted)`,
      maxExpansionModules: `${KEM_CHAPTER}: KEMs on 8851/8861/8865 only`,
      firmwarePrefix: FW_88XX,
    },
  },
  {
    model: '8845',
    productName: 'CP-8845-3PCC',
    series: '8800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 5,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip8845_65',
    displayName: 'Cisco IP Phone 8845',
    sources: {
      row: AG_8800,
      productName: FN_PIDS,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: `${AG_8800} [recalled]: 5 line keys (session keys on the other side not counted)`,
      maxExpansionModules: `${KEM_CHAPTER}: KEMs on 8851/8861/8865 only`,
      firmwarePrefix: FW_88XX,
    },
  },
  {
    model: '8851',
    productName: 'CP-8851-3PCC',
    series: '8800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 5,
    maxExpansionModules: 2,
    firmwarePrefix: 'sip88xx',
    displayName: 'Cisco IP Phone 8851',
    sources: {
      row: AG_8800,
      productName: `${REF_6_PN}: Cisco-CP-8851-3PCC/11.3.7_MPP_0001 [field]`,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: `${AG_8800} [recalled]: 5 line keys (session keys on the other side not counted)`,
      maxExpansionModules: `${KEM_CHAPTER}: 8851 takes 2 KEMs; ${FIELD_KEYS}: 2`,
      firmwarePrefix: FW_88XX,
    },
  },
  {
    model: '8861',
    productName: 'CP-8861-3PCC',
    series: '8800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 5,
    maxExpansionModules: 3,
    firmwarePrefix: 'sip88xx',
    displayName: 'Cisco IP Phone 8861',
    sources: {
      row: AG_8800,
      productName: FN_PIDS,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: `${AG_8800} [recalled]: 5 line keys (session keys on the other side not counted)`,
      maxExpansionModules: `${KEM_CHAPTER}: 8861 and 8865 take 3 KEMs; ${FIELD_KEYS}: 3`,
      firmwarePrefix: FW_88XX,
    },
  },
  {
    model: '8865',
    productName: 'CP-8865-3PCC',
    series: '8800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 5,
    maxExpansionModules: 3,
    firmwarePrefix: 'sip8845_65',
    displayName: 'Cisco IP Phone 8865',
    sources: {
      row: AG_8800,
      productName: `${REF_6_PN}: SIP UA Cisco-CP-8865-3PCC/12.0.3_…`,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: `${AG_8800} [recalled]: 5 line keys (session keys on the other side not counted)`,
      maxExpansionModules: `${KEM_CHAPTER}: 8861 and 8865 take 3 KEMs; ${FIELD_KEYS}: 3`,
      firmwarePrefix: FW_88XX,
    },
  },
  {
    model: '8832',
    productName: 'CP-8832-3PCC',
    series: '8800',
    templateFamily: 'mpp-conference',
    lines: 1,
    lineKeys: 0,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip8832',
    displayName: 'Cisco IP Conference Phone 8832',
    sources: {
      row: AG_8832,
      productName: FN_PIDS,
      series: `${REF_6}: 8832 → 8800 conference`,
      templateFamily: 'conference phone: one line, no line keys [doc]',
      lines: `${AG_8832}: a single line [open: no line count stated; 1 used]`,
      lineKeys: `${AG_8832} [recalled]: no line keys`,
      maxExpansionModules: 'conference phone: no KEM [doc]',
      firmwarePrefix: `${AG_8832}: Upgrade_Rule example http://…/sip8832.12-0-3MPP0001-87.loads`,
    },
  },
  // ---- 9800 series and 8875 (PhoneOS, MPP parameter profile) ----
  {
    model: '9841',
    productName: 'DP-9841',
    series: '9800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 4,
    maxExpansionModules: 0,
    firmwarePrefix: 'PhoneOS',
    displayName: 'Cisco Desk Phone 9841',
    sources: {
      row: WEBEX_LAYOUTS,
      productName: `PID DP-9841-K9 (KEM_Type DP-9800-KEM in ${EXPORT_9861}); the $PN it reports is not documented [open]`,
      series: REF_6,
      lines: `16 as in a 9861's export [open]`,
      lineKeys: 'Cisco Desk Phone 9800 Series data sheet [doc, recalled]',
      maxExpansionModules: 'no KEM named for the 9841 [open]',
      firmwarePrefix: `${PHONEOS}; load file names not documented [open]`,
    },
  },
  {
    model: '9851',
    productName: 'DP-9851',
    series: '9800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 6,
    maxExpansionModules: 3,
    firmwarePrefix: 'PhoneOS',
    displayName: 'Cisco Desk Phone 9851',
    sources: {
      row: WEBEX_LAYOUTS,
      productName: `PID DP-9851-K9 (KEM_Type DP-9800-KEM in ${EXPORT_9861}); the $PN it reports is not documented [open]`,
      series: REF_6,
      lines: `16 as in a 9861's export [open]`,
      lineKeys: 'Cisco Desk Phone 9800 Series data sheet [doc, recalled]',
      maxExpansionModules: `${WEBEX_LAYOUTS}; 3 units as on the 9861 [open]`,
      firmwarePrefix: `${PHONEOS}; load file names not documented [open]`,
    },
  },
  {
    model: '9861',
    productName: 'DP-9861',
    series: '9800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 10,
    maxExpansionModules: 3,
    firmwarePrefix: 'PhoneOS',
    displayName: 'Cisco Desk Phone 9861',
    sources: {
      row: WEBEX_LAYOUTS,
      productName: `PID DP-9861-K9 (KEM_Type DP-9800-KEM in ${EXPORT_9861}); the $PN it reports is not documented [open]`,
      series: REF_6,
      lines: `${EXPORT_9861}: extensions 1–16`,
      lineKeys: 'Cisco Desk Phone 9800 Series data sheet [doc, recalled]',
      maxExpansionModules: `${EXPORT_9861}: Unit_1..3_ keys (KEM_Type DP-9800-KEM)`,
      firmwarePrefix: `${PHONEOS}; load file names not documented [open]`,
    },
  },
  {
    model: '9871',
    productName: 'DP-9871',
    series: '9800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 10,
    maxExpansionModules: 3,
    firmwarePrefix: 'PhoneOS',
    displayName: 'Cisco Desk Phone 9871',
    sources: {
      row: WEBEX_LAYOUTS,
      productName: `PID DP-9871-K9 (KEM_Type DP-9800-KEM in ${EXPORT_9861}); the $PN it reports is not documented [open]`,
      series: REF_6,
      lines: `16 as in a 9861's export [open]`,
      lineKeys: 'Cisco Desk Phone 9800 Series data sheet [doc, recalled]',
      maxExpansionModules: `3 units as on the 9861 [open]`,
      firmwarePrefix: `${PHONEOS}; load file names not documented [open]`,
    },
  },
  {
    model: '8875',
    productName: 'CP-8875',
    series: '8875',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 0,
    maxExpansionModules: 0,
    firmwarePrefix: 'PhoneOS',
    displayName: 'Cisco Video Phone 8875',
    sources: {
      row: WEBEX_LAYOUTS,
      productName: 'PID CP-8875-K9 [doc, recalled]; the $PN it reports is not documented [open]',
      series: REF_6,
      lines: '16 as on the 9800 series [open]',
      lineKeys: 'touch-screen video phone: no physical line keys [doc, recalled]',
      maxExpansionModules: `${WEBEX_LAYOUTS}: KEMs named for the 9851 and 6800/8800 only`,
      firmwarePrefix: `${PHONEOS} (the 8875 runs PhoneOS as the 9800 series) [open]`,
    },
  },
  // ---- ATA 190 series (MPP) ----
  {
    model: 'ATA191',
    productName: 'ATA191-MPP',
    series: 'ATA190',
    templateFamily: 'ata',
    lines: 2,
    lineKeys: 0,
    maxExpansionModules: 0,
    firmwarePrefix: 'ATA19x',
    displayName: 'Cisco ATA 191 Multiplatform Analog Telephone Adapter',
    sources: {
      row: PG_ATA,
      productName:
        'User-Agent Cisco/ATA191-MPP-11-1-0-MSR4 (reference §6) [field]; DHCP option 60 "CISCO ATA191-MPP" [field]',
      series: REF_6,
      lines: `${PG_ATA} [recalled]: two FXS ports, one line each (Line 1, Line 2)`,
      lineKeys: 'analog adapter: no keys [doc]',
      maxExpansionModules: 'analog adapter: no KEM [doc]',
      firmwarePrefix:
        'ATA 191/192 MPP release notes: ATA19x.11-2-2MPP0101-013.zip, Upgrade_Rule …/ATA19x.<ver>.img [doc]',
    },
  },
  {
    model: 'ATA192',
    productName: 'ATA192-MPP',
    series: 'ATA190',
    templateFamily: 'ata',
    lines: 2,
    lineKeys: 0,
    maxExpansionModules: 0,
    firmwarePrefix: 'ATA19x',
    displayName: 'Cisco ATA 192 Multiplatform Analog Telephone Adapter',
    sources: {
      row: PG_ATA,
      productName:
        'DHCP option 60 "CISCO ATA192-MPP" [field]; third-party device tables ATA192-MPP [field]',
      series: REF_6,
      lines: `${PG_ATA} [recalled]: two FXS ports, one line each (Line 1, Line 2)`,
      lineKeys: 'analog adapter: no keys [doc]',
      maxExpansionModules: 'analog adapter: no KEM [doc]',
      firmwarePrefix:
        'ATA 191/192 MPP release notes: ATA19x.11-2-2MPP0101-013.zip, Upgrade_Rule …/ATA19x.<ver>.img [doc]',
    },
  },
];

/**
 * `$PSN` of a model by default: the model number, the ATAs' without their `ATA` prefix (`191`,
 * as in their default Profile_Rule `/ata$PSN.cfg`). [open]: the guides disagree (reference §2).
 * @example productSeriesNumber('ATA191') // '191'
 * @example productSeriesNumber('8841') // '8841'
 */
export function productSeriesNumber(model: string): string {
  return model.replace(/^ATA(?=[0-9]{3}$)/, '');
}

/** Every spelling findModel accepts, upper-cased, mapped to its row. Built once. */
const MODEL_INDEX: ReadonlyMap<string, PhoneModel> = buildModelIndex(MODELS);

function buildModelIndex(models: readonly PhoneModel[]): Map<string, PhoneModel> {
  const index = new Map<string, PhoneModel>();
  for (const m of models) {
    const pn = m.productName.toUpperCase();
    const bare = pn.replace(/-3PCC$|-MPP$/, '');
    // `191`/`192`: the ATAs' bare numbers, as $PSN and older tables write them.
    const number = m.model.replace(/^ATA/, '');
    for (const key of [m.model.toUpperCase(), pn, bare, number]) {
      if (!index.has(key)) index.set(key, m);
    }
  }
  return index;
}

/**
 * Finds a model by model number (`8841`), product name (`CP-8841-3PCC`) or a loose spelling
 * (`cp-8841`, `ATA191`, `191`). Returns undefined when unknown.
 * @example findModel('cp-8841-3pcc')?.lines // 10
 */
export function findModel(name: string): PhoneModel | undefined {
  return MODEL_INDEX.get(name.trim().toUpperCase());
}
