/**
 * The Cisco MPP model table: one row per model, with a source for each fact.
 * Used by `inspect` (User-Agent → model), `render` (built-in template variables) and
 * `validate` (line/key capacity). Data, not code: extend the table, not the branches.
 *
 * Marks in `sources` follow docs/cisco-mpp-reference.md: [doc] stated by Cisco, [field] seen in
 * third-party provisioning code, [open] sources disagree or are silent (the figure used is named).
 * Every [doc] mark names the document and the place in it that states the figure, as read in a
 * stored copy; test/unit/models-sources.test.ts holds each figure against the quoted text.
 * 9800-series and 8875 rows run a newer platform (PhoneOS) with the same MPP parameter profile;
 * their line counts come from Cisco's PhoneOS release notes and a 9861's own export.
 */

/**
 * Product series as Cisco names them.
 * @example findModel('8841')?.series // '8800'
 */
export type Series = '6800' | '7800' | '8800' | 'ATA190' | '9800' | '8875';

/**
 * Which template family a model belongs to.
 * @example findModel('7832')?.templateFamily // 'mpp-conference'
 */
export type TemplateFamily = 'mpp-desk' | 'mpp-conference' | 'ata';

/**
 * One row of the model table (`cisco-prov models`), each fact with its source.
 * @example findModel('CP-8841-3PCC')?.templateFamily // 'mpp-desk'
 */
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
  /** Line keys the firmware addresses (`Extension_<n>_`): buttons, or virtual keys on a touchscreen. */
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

// Citations shared by several rows. Each names the document, where in it, and what it states.
// Documents were read in stored copies (cisco.com and help.webex.com pages) on 2026-11-30.
const AG_6800 = 'Cisco IP Phone 6800 Series Multiplatform Phones Administration Guide [doc]';
const AG_7800 =
  'Cisco IP Phone 7800 Series Multiplatform Phones Administration Guide for Release 11.3(1) and Later [doc]';
/** The 7800 hardware is the same under both firmwares; the CUCM guide is the one that tabulates the keys. */
const AG_7800_KEYS =
  'Cisco IP Phone 7800 Series Administration Guide for Cisco Unified Communications Manager, chapter "Cisco IP Phone Hardware" (updated 2025-05-29), table "Phone / Supported Line Keys": 7811 0, 7821 2, 7841 4, 7861 16; "The Cisco IP Phone 7811 does not have programmable feature buttons or line buttons" (cisco.com/c/en/us/td/docs/voice_ip_comm/cuipph/7800-series/english/admin-guide/pa2d_b_7800-series-admin-guide-cucm/pa2d_b_7800-series-admin-guide-cucm_chapter_011.html) [doc]';
/** 8800 MPP 11.0(0): the session buttons became line keys, on by default. */
const RN_8800_ELM =
  'Cisco IP Phone 8800 Series Multiplatform Phones Release Notes for Firmware Release 11.0(0), "Enhanced Line Mode": "The buttons on the left and right of the phone screen can be set up as line buttons, giving up to five more line keys", "Enhanced line mode is enabled by default" (cisco.com/c/en/us/td/docs/voice_ip_comm/cuipph/8800-series/3pcc/11-0-0/english/release-notes/p881_b_8800-mpp-1101.html) [doc]';
const AG_8800_CUCM_KEYS =
  'Cisco IP Phone 8800 Series Administration Guide for Cisco Unified Communications Manager, chapter "Cisco IP Phone Hardware" (updated 2025-11-06): "Programmable feature buttons that support up to 5 lines in Session Line Mode or up to 10 lines with Enhanced Line Mode" [doc]';
/** Cisco's XML reference: parameter-level facts for every MPP model. */
const XML_REF =
  'XML Reference Guide for Cisco IP Phone Multiplatform Phones (updated 2025-11-19, cisco.com/c/en/us/td/docs/voice_ip_comm/cuipph/MPP/common/xml_ref_guide/tpcc_b_xml-command-ref.html) [doc]';
const XML_REF_KEYS = `${XML_REF}: Extension_n_ "n is the extension (1-10) assigned to a line key"`;
const XML_REF_NO_PLK = `${XML_REF}: Enable_Direct_PLK_Configuration (label "Line Key") applies to "All MPP phones except 7811, 7832, and 8832"; ACD_Logged-off_LED (line-key LED) to "All MPP phones except 7832 and 8832"`;
const EXPORT_8851 =
  'an 8851\'s own cfg.xml after factory default (fusionpbx/fusionpbx commit c36f1c3968, resources/templates/provision/cisco/8851/{$mac}.xml): Extension_1_ … Extension_10_, "available options: 1|2|…|10|Disabled" [field]';
const EXPORT_8861 =
  "an 8861's own cfg.xml (fusionpbx/fusionpbx commit 9425225820, resources/templates/provision/cisco/8861/{$mac}.xml): Extension_1_ … Extension_10_ [field]";
const AG_8800 =
  'Cisco IP Phone 8800 Series Multiplatform Phone Administration Guide for Release 11.3(1) and Later [doc]';
const AG_7832 = 'Cisco IP Conference Phone 7832 Multiplatform Phones Administration Guide [doc]';
const AG_8832 =
  'Cisco IP Conference Phone 8832 Multiplatform Phones Administration Guide for Release 11.3(1) and Later [doc]';
const PG_ATA =
  'Cisco ATA 191 and ATA 192 Multiplatform Analog Telephone Adapter Provisioning Guide [doc]';
const ATA_PORTS =
  'Cisco ATA 191 Analog Telephone Adapter Administration Guide for Cisco Unified Communications Manager, chapter "Voice Menu Codes": "the phone connected to PHONE1 or PHONE2" [doc]; the ATA191/ATA192 MPP exports (fusionpbx/fusionpbx spa191, spa192 templates) have Line_Enable_1_ and Line_Enable_2_ only [field]';
const FN_PIDS =
  'Cisco Field Notice FN72302 (rev. 1.3, 2023-06-07), "Products Affected": CP-68x1/78xx/88xx-3PCC-K9, CP-6861-3PW-K9, ATA191-3PW-K9, ATA192-3PW-K9, CP-8875-K9 (cisco.com/c/en/us/support/docs/field-notices/723/fn72302.html) [doc]';
const REF_6 = 'docs/cisco-mpp-reference.md §6: model → family table [doc/field]';
const REF_6_PN = 'docs/cisco-mpp-reference.md §6 User-Agent examples `Cisco-<PN>/<fw>` [doc]';
const FIELD_KEYS =
  'third-party MPP provisioning UI (QuickConfig PHONE_MODELS): firmware-addressable keys per model [field]';
const FW_88XX =
  '8800 MPP admin guide Upgrade_Rule examples: sip88xx.<ver>.loads for 8811/8841/8851/8861, sip8845_65.<ver>.loads for 8845/8865 [doc]';
const FW_78XX =
  '7800 MPP admin guide Upgrade_Rule example tftp://…/sip78xx.11-0-1MPP-BN.loads [doc]';
/** 6800 MPP 12.0(7)SR3 release notes: the 6821 has its own load, the others share sip68xx. */
const RN_6800_LOADS =
  'Cisco IP Phone 6800 Series Multiplatform Phones Release Notes for Firmware Release 12.0(7)SR3 (2025-11-19), "Upgrade Firmware": "6821: …/sip6821.12-0-7MPP0301-92.loads", "Other phones in 6800 series: …/sip68xx.12-0-7MPP0301-92.loads" [doc]';
const FW_68XX = `${RN_6800_LOADS}; docs/cisco-mpp-reference.md §7 example sip68xx.11-2-1MPP-630.loads [doc]`;
const RN_6861 =
  'Cisco IP Phone 6861 Multiplatform Phones Release Notes for Firmware Release 11.2(4) (cisco.com/c/en/us/td/docs/voice_ip_comm/cuipph/MPP/6800/firmware/11-2-4/ip66_b_release-notes-6861mpp-1124.html) [doc]';
const RN_6871 =
  'Cisco IP Phone 6871 Multiplatform Phones Release Notes for Firmware Release 11.3(1) (cisco.com/c/en/us/td/docs/voice_ip_comm/cuipph/MPP/6800/firmware/11-3-1_6871/ip67_b_6871-rn-1131.html) [doc]';
/** What was searched for the 6800 figures no Cisco text in reach states. */
const OPEN_6800 =
  '[open: no Cisco text found stating it — searched the 6800 MPP data sheet (not stored), the 6800 MPP admin and user guides and the 6800 release notes for "line keys", "lines"; the figure of the third-party table is used]';
const KEM_CHAPTER =
  'Cisco IP Desk Phone with Multiplatform Firmware (MPP) Administration Guide, chapter "Cisco IP Phone Key Expansion Module (8800 and 6800)", updated 2025-11-19 [doc]';
const WEBEX_LAYOUTS =
  'Webex help "Configure layouts for Cisco phones in Control Hub" (article nb0brcp, updated 2025-12-04): "Supported on Cisco Video Phone 8875 and Cisco 6800, 7800, 8800, and 9800 Series phones"; KEMs "for Cisco Desk Phones 9851, 9861, and 9871, Cisco 6800 and 8800 Series phones" [doc]';
/** Webex help, Cisco Desk Phone 9800 Key Expansion Module: KEMs and lines per 9800 model. */
const WEBEX_9800_KEM =
  'Webex help "Cisco Desk Phone 9800 Key Expansion Module" (article ngr795j, updated 2025-04-22), Table 1: 9851 "Supports 1 KEM and 46 lines (6 lines on phone)", 9861 "Supports up to 3 KEMs and 130 lines (10 lines on phone)", 9871 "Supports up to 3 KEMs and 124-128 lines … (4 or 8 lines on phone screen)"; the 9841 is not listed [doc]';
/** PhoneOS 5.0(1): 9871 and 8875 virtual line keys 16 → 32, SIP lines stay 16. */
const RN_PHONEOS_KEYS =
  'Webex help "Release Notes for Cisco PhoneOS Phones 9800 and 8875" (article n1trwjh), PhoneOS 5.0(1) (2026-08-19), "Support more line keys on 8875 and 9871": "the number of programmable virtual line keys has increased from 16 to 32", "the maximum number of extension SIP line remains 16" [doc]';
const LAYOUT_9871 = `${WEBEX_LAYOUTS}: the 9871 "supports a total of 16 programmable virtual line keys"`;
/** Why 16, not 32: the catalog indexes line keys 1–16; the later firmware's 32 is open. */
const KEYS_16_OF_32 =
  '[open: PhoneOS 5.0(1) raises it to 32; the line-key parameters (Extension_n_ …) are known for n = 1–16, so 16 is used until an export shows keys 17–32]';
const DEV_NOTES_MODEL =
  'Cisco Unified IP Phone Services Application Development Notes for Cisco Unified Communications Manager and Multiplatform Phones, chapter "HTTP Requests and Header Settings" (updated 2026-08-06), x-CiscoIPPhoneModelName: "Some examples of manufacturing Model Names are CP-7861, CP-8875, CP-8845, and DP-9841" [doc]';
const PN_OPEN =
  'the $PN it reports is not printed in any Cisco text found (searched: PhoneOS release notes, XML reference, 9800 KEM and layout articles; a 9861 export uses $PN and $PSN without showing their values) [open]';
const EXPORT_9861 =
  "a 9861's cfg.xml export (fusionpbx/fusionpbx resources/templates/provision/cisco/9861, commit 94f787a068): Line_Enable_1_ … _16_, Extension_1_ … Extension_10_, Unit_1..3_ keys (KEM_Type DP-9800-KEM) [field]";
const PHONEOS =
  'Webex help "Configure phone features on the phone administration page": Cisco Desk Phone 9800 Series run PhoneOS firmware (PhoneOS 3.0.1 and later) [doc]';
const LINES_88XX = `${KEM_CHAPTER}: "Phone line keys also support 16 extensions", "the status of all 16 extensions" [open: the 8851 and 8861 exports enable lines 1–10 (${EXPORT_8851}); a third-party MPP tool addresses 10 [field]; the documented 16 is used]`;
const KEYS_88XX = `10: ${RN_8800_ELM}; ${XML_REF_KEYS}; ${AG_8800_CUCM_KEYS}`;

/**
 * Every supported model, one row each, with the source of each fact (`cisco-prov models`).
 * @example MODELS.find((m) => m.model === '8841')?.lineKeys // 10
 */
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
    firmwarePrefix: 'sip6821',
    displayName: 'Cisco IP Phone 6821',
    sources: {
      row: AG_6800,
      productName: FN_PIDS,
      series: REF_6,
      lines: `2 ${OPEN_6800}; ${FIELD_KEYS}: 2`,
      lineKeys: `2 ${OPEN_6800}; ${FIELD_KEYS}: 2`,
      maxExpansionModules: `${KEM_CHAPTER} names only the 6851 as taking a KEM among 6800s; ${FIELD_KEYS}: no KEM`,
      firmwarePrefix: RN_6800_LOADS,
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
      lines: `4 ${OPEN_6800}; ${FIELD_KEYS}: 4`,
      lineKeys: `4 ${OPEN_6800}; ${FIELD_KEYS}: 4`,
      maxExpansionModules: `${KEM_CHAPTER} names only the 6851 as taking a KEM among 6800s; ${FIELD_KEYS}: no KEM`,
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
      lines: `4 ${OPEN_6800}; ${FIELD_KEYS}: 4`,
      lineKeys: `4 ${OPEN_6800}; ${FIELD_KEYS}: 4`,
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
      lines: `${RN_6861}, "Cisco IP Phone 6861 Multiplatform Phones": "Supports for four lines"; ${FIELD_KEYS}: 4`,
      lineKeys: `4 ${OPEN_6800}; ${FIELD_KEYS}: 4`,
      maxExpansionModules: `${KEM_CHAPTER} names only the 6851 as taking a KEM among 6800s; ${FIELD_KEYS}: no KEM`,
      firmwarePrefix: `${RN_6800_LOADS} (the 6861's first release, 11.2(4), had its own sip6861.11-2-4MPP-395.loads: ${RN_6861})`,
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
      lines: `${RN_6871}, "Cisco IP Phone 6871 Multiplatform Phones": "Support for six lines"; reference §6 "6871: 6" [field]; ${FIELD_KEYS}: 6`,
      lineKeys: `6 ${OPEN_6800}; reference §6 "6871: 6" [field]; ${FIELD_KEYS}: 6`,
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
      lines: `one line, no line key [open: no Cisco text gives the line count of the keyless 7811; ${FIELD_KEYS}: 1]`,
      lineKeys: `${AG_7800_KEYS}; ${XML_REF_NO_PLK} [open: ${FIELD_KEYS} counts 1 addressable key; the documented 0 is used]`,
      maxExpansionModules: `${KEM_CHAPTER} and ${WEBEX_LAYOUTS} name KEMs for the 6800, 8800 and 9800 only: none on the 7800`,
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
      lines: `${AG_7800_KEYS}: one line per line key, 2; ${FIELD_KEYS}: 2`,
      lineKeys: `${AG_7800_KEYS}; ${FIELD_KEYS}: 2`,
      maxExpansionModules: `${KEM_CHAPTER} and ${WEBEX_LAYOUTS} name KEMs for the 6800, 8800 and 9800 only: none on the 7800`,
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
      lines: `${AG_7800_KEYS}: one line per line key, 4; ${FIELD_KEYS}: 4`,
      lineKeys: `${AG_7800_KEYS}; ${FIELD_KEYS}: 4`,
      maxExpansionModules: `${KEM_CHAPTER} and ${WEBEX_LAYOUTS} name KEMs for the 6800, 8800 and 9800 only: none on the 7800`,
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
      lines: `${AG_7800_KEYS}: one line per line key, 16; reference §6 "7861: 16" [field]; ${FIELD_KEYS}: 16`,
      lineKeys: `${AG_7800_KEYS}; ${FIELD_KEYS}: 16`,
      maxExpansionModules: `${KEM_CHAPTER} and ${WEBEX_LAYOUTS} name KEMs for the 6800, 8800 and 9800 only: none on the 7800`,
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
      lineKeys: `${XML_REF_NO_PLK}`,
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
    lineKeys: 10,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip88xx',
    displayName: 'Cisco IP Phone 8811',
    sources: {
      row: AG_8800,
      productName: FN_PIDS,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: `${KEYS_88XX}; ${FIELD_KEYS}: 10`,
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
    lineKeys: 10,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip88xx',
    displayName: 'Cisco IP Phone 8841',
    sources: {
      row: AG_8800,
      productName: 'seed excerpt of the 8800 admin guide: User-Agent Cisco-CP-8841-3PCC/11.0 [doc]',
      series: REF_6,
      lines: `${LINES_88XX}; that tool marks its 10 for the 8841 as seen on hardware, still below the documented 16 used here`,
      lineKeys: `${KEYS_88XX}; ${FIELD_KEYS}: 10 (marked as seen on an 8841)`,
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
    lineKeys: 10,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip8845_65',
    displayName: 'Cisco IP Phone 8845',
    sources: {
      row: AG_8800,
      productName: FN_PIDS,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: KEYS_88XX,
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
    lineKeys: 10,
    maxExpansionModules: 2,
    firmwarePrefix: 'sip88xx',
    displayName: 'Cisco IP Phone 8851',
    sources: {
      row: AG_8800,
      productName: `${REF_6_PN}: Cisco-CP-8851-3PCC/11.3.7_MPP_0001 [field]`,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: `${KEYS_88XX}; ${EXPORT_8851}`,
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
    lineKeys: 10,
    maxExpansionModules: 3,
    firmwarePrefix: 'sip88xx',
    displayName: 'Cisco IP Phone 8861',
    sources: {
      row: AG_8800,
      productName: FN_PIDS,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: `${KEYS_88XX}; ${EXPORT_8861}`,
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
    lineKeys: 10,
    maxExpansionModules: 3,
    firmwarePrefix: 'sip8845_65',
    displayName: 'Cisco IP Phone 8865',
    sources: {
      row: AG_8800,
      productName: `${REF_6_PN}: SIP UA Cisco-CP-8865-3PCC/12.0.3_…`,
      series: REF_6,
      lines: LINES_88XX,
      lineKeys: KEYS_88XX,
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
    lineKeys: 1,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip8832',
    displayName: 'Cisco IP Conference Phone 8832',
    sources: {
      row: AG_8832,
      productName: FN_PIDS,
      series: `${REF_6}: 8832 → 8800 conference`,
      templateFamily: 'conference phone: one line, no line keys [doc]',
      lines: `${AG_8832}: a single line [open: no line count stated; 1 used]`,
      lineKeys: `1: the phone's single line (${AG_8832}) is configured as line key 1 of Voice > Phone (Extension_1_, Short_Name_1_, Share_Call_Appearance_1_); no programmable line keys beyond it: ${XML_REF_NO_PLK} [open: no Cisco text found that prints the 8832's line-key-1 fields; 0 was used until a held-out 8832 export showed them — bench/RESULTS-catalog.md, fourth round]`,
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
      row: `${WEBEX_LAYOUTS}; ${WEBEX_9800_KEM}`,
      productName: `${DEV_NOTES_MODEL}; PID DP-9841-K9 (KEM_Type DP-9800-KEM in ${EXPORT_9861}); ${PN_OPEN}`,
      series: REF_6,
      lines: `16 as in a 9861's export [open] (${EXPORT_9861}); the PhoneOS release notes give 16 SIP lines for the 9871 and 8875 (${RN_PHONEOS_KEYS})`,
      lineKeys:
        "4 [open: no Cisco text found stating the 9841's line keys — searched the 9800 KEM and layout articles (which list the 9851, 9861 and 9871 only), the PhoneOS release notes and the Services Development Notes; the 9800 data sheet is not stored; the earlier figure is kept]",
      maxExpansionModules: `0: ${WEBEX_9800_KEM}; ${WEBEX_LAYOUTS}`,
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
    maxExpansionModules: 1,
    firmwarePrefix: 'PhoneOS',
    displayName: 'Cisco Desk Phone 9851',
    sources: {
      row: `${WEBEX_LAYOUTS}; ${WEBEX_9800_KEM}`,
      productName: `${DEV_NOTES_MODEL}; PID DP-9851-K9 (KEM_Type DP-9800-KEM in ${EXPORT_9861}); ${PN_OPEN}`,
      series: REF_6,
      lines: `16 as in a 9861's export [open] (${EXPORT_9861}); the PhoneOS release notes give 16 SIP lines for the 9871 and 8875 (${RN_PHONEOS_KEYS})`,
      lineKeys: WEBEX_9800_KEM,
      maxExpansionModules: `1: ${WEBEX_9800_KEM}`,
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
      row: `${WEBEX_LAYOUTS}; ${WEBEX_9800_KEM}`,
      productName: `${DEV_NOTES_MODEL}; PID DP-9861-K9 (KEM_Type DP-9800-KEM in ${EXPORT_9861}); ${PN_OPEN}`,
      series: REF_6,
      lines: `${EXPORT_9861}; ${RN_PHONEOS_KEYS}`,
      lineKeys: `${WEBEX_9800_KEM}; ${EXPORT_9861}`,
      maxExpansionModules: `${WEBEX_9800_KEM}; ${EXPORT_9861}`,
      firmwarePrefix: `${PHONEOS}; load file names not documented [open]`,
    },
  },
  {
    model: '9871',
    productName: 'DP-9871',
    series: '9800',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 16,
    maxExpansionModules: 3,
    firmwarePrefix: 'PhoneOS',
    displayName: 'Cisco Desk Phone 9871',
    sources: {
      row: `${WEBEX_LAYOUTS}; ${WEBEX_9800_KEM}`,
      productName: `${DEV_NOTES_MODEL}; PID DP-9871-K9 (KEM_Type DP-9800-KEM in ${EXPORT_9861}); ${PN_OPEN}`,
      series: REF_6,
      lines: RN_PHONEOS_KEYS,
      lineKeys: `16: ${LAYOUT_9871}; ${RN_PHONEOS_KEYS} ${KEYS_16_OF_32}`,
      maxExpansionModules: WEBEX_9800_KEM,
      firmwarePrefix: `${PHONEOS}; load file names not documented [open]`,
    },
  },
  {
    model: '8875',
    productName: 'CP-8875',
    series: '8875',
    templateFamily: 'mpp-desk',
    lines: 16,
    lineKeys: 16,
    maxExpansionModules: 0,
    firmwarePrefix: 'PhoneOS',
    displayName: 'Cisco Video Phone 8875',
    sources: {
      row: `${WEBEX_LAYOUTS}; ${RN_PHONEOS_KEYS} (the 8875 runs PhoneOS with the 9800 series and is provisioned from Webex Calling or BroadWorks like them)`,
      productName: `${DEV_NOTES_MODEL}; PID CP-8875-K9: ${FN_PIDS}; ${PN_OPEN}`,
      series: REF_6,
      lines: RN_PHONEOS_KEYS,
      lineKeys: `16 virtual line keys on the touchscreen: ${RN_PHONEOS_KEYS} ${KEYS_16_OF_32}`,
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
      lines: `${ATA_PORTS}: two FXS ports, one line each`,
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
      lines: `${ATA_PORTS}: two FXS ports, one line each`,
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
 * Finds a model by model number (`8841`), product name (`CP-8841-3PCC`), order number
 * (`CP-8841-3PCC-K9=`) or a loose spelling (`cp-8841`, `ATA191`, `191`). Returns undefined when
 * unknown.
 * @example findModel('cp-8841-3pcc')?.lineKeys // 10
 */
export function findModel(name: string): PhoneModel | undefined {
  const key = name.trim().toUpperCase();
  return MODEL_INDEX.get(key) ?? MODEL_INDEX.get(withoutOrderSuffixes(key));
}

/**
 * A Cisco order number (SKU, as on a purchase order or an asset list) without what it adds to
 * the product name: `=` (a spare), `-K9` (export class), `++` (TAA), and a hardware variant
 * that is the same phone to provision — `-W` white, `-A` Arabic keypad, `-R` made in Russia,
 * `-NC`, `NR` no radio. `CP-8851-3PCC-K9=` → `CP-8851-3PCC`, `CP-8851-W-K9=` → `CP-8851`.
 * Source: the affected-SKU table of Cisco field notice FN74296 (CP-8851-A-K9=, CP-8851-K9++=,
 * CP-8851NR-K9=, CP-8841-W-K9=, …) [field].
 */
function withoutOrderSuffixes(key: string): string {
  return key
    .replace(/=$/, '')
    .replace(/-K9(\+\+)?$/, '')
    .replace(/-(W|A|R|NC)$/, '')
    .replace(/^(CP-[0-9]{4})NR(?=$|-)/, '$1');
}
