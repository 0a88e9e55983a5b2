/**
 * The Cisco guides the catalog data is taken from. Each entry's `source` is one of these
 * titles plus the section or table, built with {@link cite}.
 */
export const GUIDES = {
  admin6800: 'Cisco IP Phone 6800 Series Multiplatform Phones Administration Guide',
  admin7800: 'Cisco IP Phone 7800 Series Multiplatform Phones Administration Guide',
  admin8800: 'Cisco IP Phone 8800 Series Multiplatform Phone Administration Guide',
  prov6800: 'Cisco IP Phone 6800 Series Multiplatform Phones Provisioning Guide',
  prov8800: 'Cisco IP Phone 8800 Series Multiplatform Phones Provisioning Guide',
} as const;

/** `"<guide>, <section>"`: the citation format of every catalog entry. */
export function cite(guide: keyof typeof GUIDES, section: string): string {
  return `${GUIDES[guide]}, ${section}`;
}
