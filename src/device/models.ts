/**
 * The Cisco MPP model table: one row per model, with a source for each fact.
 * Used by `inspect` (User-Agent → model), `render` (built-in template variables) and
 * `validate` (line/key capacity). Data, not code: extend the table, not the branches.
 *
 * NOTE: first cut with the shape fixed; the inspect work (issue 5) completes the rows and sources.
 */

/** Product series as Cisco names them. */
export type Series = '6800' | '7800' | '8800' | 'ATA190' | '9800' | '8875';

/** Which template family a model belongs to. */
export type TemplateFamily = 'mpp-desk' | 'mpp-conference' | 'ata';

export interface PhoneModel {
  /** Short model number as written in product names: `8841`, `7832`, `191`. */
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
  /** Where the facts came from: field name → citation. */
  sources: Partial<Record<keyof Omit<PhoneModel, 'sources'> | 'row', string>>;
}

export const MODELS: readonly PhoneModel[] = [
  {
    model: '8841',
    productName: 'CP-8841-3PCC',
    series: '8800',
    templateFamily: 'mpp-desk',
    lines: 10,
    lineKeys: 5,
    maxExpansionModules: 0,
    firmwarePrefix: 'sip88xx',
    sources: { row: 'Cisco IP Phone 8800 Series Multiplatform Phone Administration Guide' },
  },
];

/**
 * Finds a model by model number (`8841`), product name (`CP-8841-3PCC`) or a loose spelling
 * (`cp-8841`, `ATA191`). Returns undefined when unknown.
 */
export function findModel(name: string): PhoneModel | undefined {
  const key = name.trim().toUpperCase();
  return MODELS.find(
    (m) =>
      m.model.toUpperCase() === key ||
      m.productName.toUpperCase() === key ||
      m.productName.toUpperCase().replace(/-3PCC$|-MPP$/, '') === key,
  );
}
