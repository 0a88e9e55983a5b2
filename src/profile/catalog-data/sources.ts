/**
 * The Cisco guides the catalog data is taken from. Every entry's `source` is one of these
 * titles plus the tab, section or table, built with {@link cite}. Parameter names follow the
 * guides' naming rule (web-UI label with spaces and `[ ] ( ) /` turned into `_`, `_<n>_` for
 * per-extension fields; 6800 Provisioning Guide, "Element Tag Properties") unless the guide
 * prints the XML element itself, which then wins.
 */
export const GUIDES = {
  /** Parameter-by-parameter XML reference (tag, default, allowed values, models). */
  xmlRef: 'XML Reference Guide for Cisco IP Phone Multiplatform Phones (updated 2025-11-19)',
  /** The web-page field reference of the 11.x guide (chapter "Monitoring Phone Systems"). */
  admin7800: 'Cisco IP Phone 7800 Series Multiplatform Phones Administration Guide (2019-04-29)',
  admin8800:
    'Cisco IP Phone 8800 Series Multiplatform Phone Administration Guide for Release 11.3(1) and Later',
  admin6800:
    'Cisco IP Phone 6800 Series Multiplatform Phones Administration Guide for Release 11.3(1) and Later',
  adminConference:
    'Cisco IP Conference Phone Multiplatform Phone Administration Guide (2025-11-19)',
  prov6800: 'Cisco IP Phone 6800 Series Multiplatform Phones Provisioning Guide',
  notes6800_1123:
    'Cisco IP Phone 6800 Series Multiplatform Phones Release Notes for Firmware Release 11.2(3)',
  admin8832:
    'Cisco IP Conference Phone 8832 Multiplatform Phones Administration Guide for Release 11.3(1) and Later',
  /** The 11.1 guide (chapter "Cisco IP Phone Customization"). */
  admin8800_111:
    'Cisco IP Phone 8800 Series Multiplatform Phone Administration Guide, Release 11.1',
  notes6800_1111sr3:
    'Cisco IP Phone 6800 Series Multiplatform Phones Release Notes for Firmware Release 11.1(1)SR3',
  notes8800_1132:
    'Cisco IP Phone 8800 Series Multiplatform Phones Release Notes for Firmware Release 11.3(2)',
  notes8800_1133:
    'Cisco IP Phone 8800 Series Multiplatform Phones Release Notes for Firmware Release 11.3(3)',
  notes8800_1201:
    'Cisco IP Phone 8800 Series Multiplatform Phones Release Notes for Firmware Release 12.0(1)',
  /** The common 6800/7800/8800 guide (per-parameter tables with the cfg.xml syntax). */
  adminDesk:
    'Cisco IP Desk Phone with Multiplatform Firmware (MPP) Administration Guide (6800/7800/8800, updated 2025-11-19)',
  /**
   * The SPA500 guide: the MPP firmware's predecessor, whose Line Key LED Pattern table the MPP
   * phones kept (the 8800 MPP guide and 11.3(2) release notes name the same section).
   */
  spa500:
    'Cisco Small Business SPA300 Series, SPA500 Series, and WIP310 IP Phone Administration Guide',
  /**
   * A Cisco MPP phone administration guide as copied page by page at
   * https://www.easymanua.ls/cisco/calnet-3/manual/1560225 (the copy's listing does not give the
   * guide's title; the pages are Cisco's executive-assistant and vertical-service-code text).
   */
  /** The ATA's guide: chapter "Router Configuration Parameters" (the <router-configuration> leaves). */
  provAta:
    'Cisco ATA 191 and ATA 192 Analog Telephone Adapter Provisioning Guide for Multiplatform Firmware (updated 2026-01-30)',
  adminMppCopy: 'Cisco MPP phone administration guide (page copy at easymanua.ls, manual 1560225)',
} as const;

export type GuideKey = keyof typeof GUIDES;

/** `"<guide>, <section>"`: the citation format of every catalog entry. */
export function cite(guide: GuideKey, section: string): string {
  return `${GUIDES[guide]}, ${section}`;
}

/** Shorthand for the 7800 guide's web-page reference: `webPage('Voice > SIP > SIP Parameters')`. */
export function webPage(path: string): string {
  return cite('admin7800', `Monitoring Phone Systems > Cisco IP Phone Web Page > ${path}`);
}

/** Shorthand for an XML Reference Guide entry: `xmlRef('Register_Expires_n_')`. */
export function xmlRef(tag: string): string {
  return cite('xmlRef', `entry ${tag}`);
}
