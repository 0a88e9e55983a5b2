/**
 * The export corpus: name/value lists taken from real phones' cfg.xml exports (see README.md
 * here for sources and the tuning/held-out split), built back into profiles and validated.
 */
import type { Catalog } from '../../src/profile/catalog.js';
import { validateProfileText, type Diagnostic } from '../../src/validate/index.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CorpusParameter {
  name: string;
  /** null where the published file holds a template placeholder instead of a value. */
  value: string | null;
  /** The export's own "available options" note for this parameter. */
  options?: string;
  section?: 'router-configuration';
  /** The phone exports the element commented out, value withheld (its password fields). */
  commented?: boolean;
  /** A real mistake in the published file: validate must report an error on it. */
  mistake?: string;
}

export interface CorpusExport {
  id: string;
  set: 'tuning' | 'held-out';
  family: string;
  model?: string;
  source: { repo: string; path: string; commit: string };
  note?: string;
  /**
   * Set when the export shows it was taken from a development firmware build: what shows it.
   * Catalog entries built from such exports alone say so in their source.
   */
  development?: string;
  parameters: CorpusParameter[];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The export as a profile: flat parameters, then the router section (ATA) if any. */
export function profileOf(corpus: CorpusExport): string {
  const element = (p: CorpusParameter): string =>
    p.value === null || p.value === ''
      ? `<${p.name}/>`
      : `<${p.name}>${escapeXml(p.value)}</${p.name}>`;
  const flat = corpus.parameters.filter((p) => p.section === undefined).map(element);
  const router = corpus.parameters.filter((p) => p.section === 'router-configuration').map(element);
  const routerBlock =
    router.length > 0 ? ['<router-configuration>', ...router, '</router-configuration>'] : [];
  return ['<flat-profile>', ...flat, ...routerBlock, '</flat-profile>', ''].join('\n');
}

/**
 * A held-out export's first measure (test/corpus/first-measures.json): taken when the file was
 * added, before any catalog change, and kept so that later catalog changes cannot hide it.
 * `round` is the search round that added the file; `catalog` the commit whose catalog measured
 * it (the first split's three files: the untainted re-measure of the third round, see README).
 * Value errors are counted as found, before any was marked a mistake.
 */
export interface FirstMeasure {
  round: number;
  catalog: string;
  /**
   * The round that moved the file from held-out to tuning after this measure (fifth round: the
   * 8865 export). The measure stays as history; the file no longer counts as held-out.
   */
  movedToTuning?: number;
  known: number;
  distinct: number;
  unknown: string[];
  /**
   * Names this measure knew only through catalog entries added while held-out gaps were in
   * view (the third round's executive-assistant codes and ATA guide entries, see README): not
   * independent, so counted as unknown in the untainted figures.
   */
  taintedKnown?: string[];
  valueErrors: { model: number; none: number; messages: string[] };
  otherErrors: { model: number; none: number };
}

export interface CorpusMeasure {
  distinct: number;
  known: number;
  unknown: string[];
  valueErrors: string[];
  otherErrors: string[];
  diagnostics: Diagnostic[];
}

/**
 * Validates the export as a profile and sorts the findings. `model` is explicit: `undefined`
 * means no --model (the union of families), not the export's own model. `catalog` defaults to
 * the built-in one (the leave-one-out measure passes a catalog built without the export).
 */
export function measureExport(
  corpus: CorpusExport,
  model: string | undefined,
  catalog?: Catalog,
): CorpusMeasure {
  const text = profileOf(corpus);
  const options: Parameters<typeof validateProfileText>[1] = { file: corpus.id, encrypted: true };
  if (model !== undefined) options.model = model;
  if (catalog !== undefined) options.catalog = catalog;
  const diagnostics = validateProfileText(text, options);
  const lines = text.split('\n');
  const nameAt = (line: number): string => /^<([^/> ]+)/.exec(lines[line - 1] ?? '')?.[1] ?? '?';
  const unknown = diagnostics
    .filter((d) => d.ruleId === 'unknown-parameter')
    .map((d) => nameAt(d.line));
  const mistakes = new Set(corpus.parameters.filter((p) => p.mistake).map((p) => p.name));
  const valueErrors = diagnostics
    .filter((d) => d.severity === 'error' && d.ruleId === 'invalid-value')
    .filter((d) => !mistakes.has(nameAt(d.line)))
    .map((d) => d.message);
  const otherErrors = diagnostics
    .filter(
      (d) =>
        d.severity === 'error' && d.ruleId !== 'invalid-value' && d.ruleId !== 'unknown-parameter',
    )
    .map((d) => `${d.ruleId}: ${d.message}`);
  const distinct = new Set(corpus.parameters.map((p) => p.name)).size;
  return {
    distinct,
    known: distinct - new Set(unknown).size,
    unknown,
    valueErrors,
    otherErrors,
    diagnostics,
  };
}

/** Every export of the corpus (test/corpus/exports), in file-name order. */
export function loadCorpus(): CorpusExport[] {
  const dir = fileURLToPath(new URL('./exports/', import.meta.url));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CorpusExport);
}

/** Each held-out file's first measure (test/corpus/first-measures.json), by corpus id. */
export function loadFirstMeasures(): Record<string, FirstMeasure> {
  const file = fileURLToPath(new URL('./first-measures.json', import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, FirstMeasure>;
}

/** A model of each family, for exports that name none (the Wazo template, the report). */
export const FAMILY_MODEL: Record<string, string> = {
  '6800': '6851',
  '7800': '7841',
  '8800': '8851',
  '9800': '9861',
  ATA190: 'ATA191',
};
