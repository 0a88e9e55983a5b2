/**
 * Corrections the phones' own exports forced on guide (or generated) entries: wider types
 * where an export holds a value the guide's type refused, the ATA's numeric codes, secrets the
 * name patterns miss or misread. Keyed by the entry's name (the guide's spelling or the
 * export's); each carries the export or guide that shows it.
 */
import type { CatalogEntry } from '../catalog.js';

/** A change to one entry: the fields given replace the entry's; `source` is appended. */
export type Correction = Partial<Omit<CatalogEntry, 'name' | 'source'>> & {
  name: string;
  source: string;
};

export const CORRECTIONS: readonly Correction[] = [
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
