/**
 * Variable layers. A template sees one merged map; later layers win:
 *   model built-ins → --vars files in order → inventory defaults → the device's group → the device.
 * Maps merge key by key and lists position by position (so `lines.1.proxy` from a group and
 * `lines.1.extension` from the device both reach line 1); a map whose keys are all list positions
 * (`lines: { 1: { proxy: … } }`, YAML's spelling of a CSV's `lines.1.proxy`) merges with a list
 * position by position too; any other value replaces what was there.
 */
import { productSeriesNumber, type PhoneModel } from '../device/models.js';
import type { InventoryDevice, InventoryProblem, Vars } from './inventory.js';
import {
  emptyVars,
  forbiddenYamlKeys,
  isForbiddenKey,
  readGroups,
  sharedLayerKeyProblems,
  parseInventoryYaml,
  yamlErrorProblem,
  yamlToData,
} from './inventory.js';
import { SECRET_MASK, isSecretVariablePath } from '../profile/secrets.js';

/**
 * One layer of variables and the name `--explain` shows for it.
 * @example mergeLayers([{ name: 'a.yaml', values: { a: 1 } }, { name: 'row 2', values: { a: 2 } }])
 * // { a: 2 }
 */
export interface Layer {
  name: string;
  values: Vars;
}

/**
 * The facts of the model every template can use (the lowest layer).
 * @example builtinVariables(findModel('8841')!).line_key_count // 10 (five each side, Enhanced Line Mode)
 */
export function builtinVariables(phone: PhoneModel): Vars {
  return {
    model: phone.model,
    product_name: phone.productName,
    // $PSN: the guides disagree (reference §2); the model number is what most of them show.
    psn: productSeriesNumber(phone.model),
    series: phone.series,
    family: phone.templateFamily,
    line_count: phone.lines,
    line_key_count: phone.lineKeys,
    max_expansion_modules: phone.maxExpansionModules,
    firmware_prefix: phone.firmwarePrefix,
  };
}

function isPlainObject(v: unknown): v is Vars {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep-merges `over` onto `base` into a new value (inputs are not changed).
 * @example mergeValues({ sip: { proxy: 'a', port: 5060 } }, { sip: { proxy: 'b' } })
 * // { sip: { proxy: 'b', port: 5060 } }
 */
export function mergeValues(base: unknown, over: unknown): unknown {
  if (over === undefined || over === null) return base;
  if (isPlainObject(base) && isPlainObject(over)) {
    // Null-prototype maps and own-property reads: a key is only ever a key.
    const out: Vars = Object.assign(emptyVars(), base);
    for (const k of Object.keys(over)) {
      if (isForbiddenKey(k)) continue;
      out[k] = mergeValues(Object.hasOwn(base, k) ? base[k] : undefined, over[k]);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    const out = base.slice();
    for (let i = 0; i < over.length; i++) out[i] = mergeValues(base[i], over[i]);
    return out;
  }
  // A list meeting a map keyed by positions (`1`, `2`: README's 1-based paths) in another layer:
  // replaced whole, `defaults: { lines: { 1: { proxy: x } } }` lost every device's line 1 proxy
  // (and a device's such map lost the defaults' list) while `--explain` showed both.
  if (Array.isArray(base) && isPlainObject(over)) {
    const positions = listPositionsOf(over);
    if (positions) return mergeValues(base, positions);
  }
  if (isPlainObject(base) && Array.isArray(over)) {
    const positions = listPositionsOf(base);
    if (positions) return mergeValues(positions, over);
  }
  return listsOf(over);
}

/**
 * `value` with every map keyed by list positions turned into the list it stands for, at any
 * depth: a YAML or JSON `lines: { 1: {…}, 2: {…} }` with no list in another layer is a list too,
 * as a CSV's `lines.1.x` columns are, so a template's `for line in lines` sees lines. The same
 * object when nothing changes (the per-device merge allocates nothing for plain values).
 * @example listsOf({ lines: { 1: { extension: '201' } } }) // { lines: [{ extension: '201' }] }
 */
function listsOf(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = listsOf(value[i]);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (!isPlainObject(value)) return value;
  const positions = listPositionsOf(value);
  if (positions) return positions;
  let out: Vars | undefined;
  for (const k of Object.keys(value)) {
    const v = listsOf(value[k]);
    if (v !== value[k]) (out ??= Object.assign(emptyVars(), value))[k] = v;
  }
  return out ?? value;
}

/** The highest list position a map key may name, as in a CSV header (`lines.1000.x`). */
const MAX_MAP_LIST_POSITION = 1000;

/**
 * A map whose every key is a 1-based list position (`{ 1: a, 3: b }`) as the sparse list it
 * stands for (`[a, , b]`); undefined for any other map (an empty one, a name among the keys, `0`,
 * a position above 1000), which stays a map.
 */
function listPositionsOf(map: Vars): unknown[] | undefined {
  const keys = Object.keys(map);
  if (keys.length === 0) return undefined;
  const out: unknown[] = [];
  for (const k of keys) {
    if (!/^[0-9]+$/.test(k)) return undefined;
    const n = Number(k);
    if (n < 1 || n > MAX_MAP_LIST_POSITION) return undefined;
  }
  for (const k of keys) out[Number(k) - 1] = mergeValues(out[Number(k) - 1], map[k]);
  return out;
}

/**
 * Merges layers, lowest first.
 * @example mergeLayers([{ name: 'a', values: { x: 1 } }, { name: 'b', values: { x: 2 } }]) // { x: 2 }
 */
export function mergeLayers(layers: readonly Layer[]): Vars {
  let out: Vars = emptyVars();
  for (const layer of layers) out = mergeValues(out, layer.values) as Vars;
  return out;
}

/**
 * One leaf of the merged variables and the layer that set it.
 * @example explainLayers(layers).filter((v) => v.secret).map((v) => v.path)
 */
export interface ExplainedVariable {
  /** Dotted path with 1-based list positions, as a CSV header would write it: `lines.1.extension`. */
  path: string;
  /** The final value; `********` for secrets. */
  value: unknown;
  layer: string;
  secret: boolean;
}

/**
 * Whether a field's name says it holds a secret (password, secret, key, IKM, PSK, PIN…): the
 * shared classifier in `profile/secrets.ts`.
 * @example isSecretName('sip.password') // true
 */
export const isSecretName = isSecretVariablePath;

export { SECRET_MASK };

function collectLeaves(
  value: unknown,
  prefix: string,
  visit: (path: string, v: unknown) => void,
): void {
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value))
      collectLeaves(v, prefix ? `${prefix}.${k}` : k, visit);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => collectLeaves(v, `${prefix}.${i + 1}`, visit));
  } else if (value !== undefined && value !== null) {
    visit(prefix, value);
  }
}

/**
 * Every final variable, the layer that set it, secrets masked: what `render --explain` prints.
 * @example explainLayers([{ name: 'site.yaml', values: { sip: { password: 'x' } } }])
 * // [{ path: 'sip.password', value: '********', layer: 'site.yaml', secret: true }]
 */
export function explainLayers(
  layers: readonly Layer[],
  secretFields: readonly string[] = [],
): ExplainedVariable[] {
  const final = new Map<string, ExplainedVariable>();
  for (const layer of layers) {
    collectLeaves(layer.values, '', (path, v) => {
      const secret =
        isSecretName(path) || secretFields.some((f) => path === f || path.startsWith(`${f}.`));
      final.set(path, { path, value: secret ? SECRET_MASK : v, layer: layer.name, secret });
    });
  }
  return [...final.values()].sort((a, b) => comparePaths(a.path, b.path));
}

function comparePaths(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i]!;
    const y = bs[i]!;
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}

/**
 * Reads a dotted path (`sip.user`, `lines.1.extension`) from merged variables. Own properties
 * only: `constructor` or `toString` is a missing field, never a function of Object's prototype.
 */
export function getPath(vars: Vars, path: string): unknown {
  let node: unknown = vars;
  for (const seg of path.split('.')) {
    if (Array.isArray(node) && /^[1-9][0-9]*$/.test(seg)) node = node[Number(seg) - 1];
    else if (isPlainObject(node) && Object.hasOwn(node, seg)) node = node[seg];
    else return undefined;
  }
  return node;
}

/**
 * A `--vars` file: variables, plus an optional `groups` map (not a variable).
 * @example parseVarsFile('sip_proxy: pbx\n', 'site.yaml')
 * // { file: 'site.yaml', values: { sip_proxy: 'pbx' }, groups: {} }
 */
export interface VarsFile {
  file: string;
  values: Vars;
  groups: Record<string, Vars>;
}

/**
 * Parses a `--vars` file (YAML or JSON: a map of variables). A top-level `groups` key defines
 * groups as an inventory's `groups` does, so a CSV inventory can use groups too.
 * @throws InventoryProblem[] (as an array) on malformed input
 * @example parseVarsFile('sip_proxy: pbx\ngroups:\n  lobby:\n    station_name: Lobby\n', 'a.yaml')
 * // { file: 'a.yaml', values: { sip_proxy: 'pbx' },
 * //   groups: { lobby: { station_name: 'Lobby' } } }
 */
export function parseVarsFile(text: string, file: string): VarsFile | InventoryProblem[] {
  const parsed = parseInventoryYaml(text, file, 'YAML or JSON');
  if ('problem' in parsed) return [parsed.problem];
  const { doc, lineCounter } = parsed;
  if (doc.errors.length > 0) {
    return [yamlErrorProblem(doc.errors[0]!, file, 'YAML or JSON')];
  }
  const forbidden = forbiddenYamlKeys(doc, lineCounter, file);
  if (forbidden.length > 0) return forbidden;
  const converted = yamlToData(doc, file, 'YAML or JSON');
  if (!('data' in converted)) return [converted];
  const data = converted.data ?? emptyVars();
  if (!isPlainObject(data)) {
    return [{ file, where: 'top level', message: 'expected a map of variables' }];
  }
  const problems: InventoryProblem[] = [];
  const { groups: rawGroups, ...values } = data;
  sharedLayerKeyProblems(values, file, 'top level', '--vars', problems);
  const groups = rawGroups === undefined ? {} : readGroups(rawGroups, file, problems);
  if (problems.length > 0 || !groups) return problems;
  return { file, values, groups };
}

/**
 * Everything shared by all devices of one run, to build each device's layers.
 * @example const sources: LayerSources = {
 *   varsFiles: [site],
 *   inventoryFile: 'inv.csv',
 *   defaults: {},
 *   groups: {},
 * };
 */
export interface LayerSources {
  varsFiles: readonly VarsFile[];
  inventoryFile: string;
  defaults: Vars;
  /** Groups of the vars files and the inventory (the inventory's win). */
  groups: Readonly<Record<string, Vars>>;
}

/**
 * Groups from every vars file, then the inventory's. A group defined again is merged onto the
 * earlier definition as layers merge (key by key, the later winning): replaced whole, a site-wide
 * `hq` in `--vars` lost every value the inventory's `hq` did not repeat, without a word.
 * @example collectGroups([siteVars], inventory.groups) // site.yaml's groups, then the inventory's
 */
export function collectGroups(
  varsFiles: readonly VarsFile[],
  inventoryGroups: Readonly<Record<string, Vars>>,
): Record<string, Vars> {
  const groups = emptyVars() as Record<string, Vars>;
  const add = (defined: Readonly<Record<string, Vars>>): void => {
    for (const [name, vars] of Object.entries(defined)) {
      groups[name] = Object.hasOwn(groups, name) ? (mergeValues(groups[name], vars) as Vars) : vars;
    }
  };
  for (const v of varsFiles) add(v.groups);
  add(inventoryGroups);
  return groups;
}

/**
 * The layers of one device, lowest first. The device's group must exist (checked by
 * `checkGroups`).
 * @example deviceLayers(device, sources).map((layer) => layer.name)
 * // ['model 8841 built-ins', '--vars site.yaml', 'group lobby', 'inv.csv row 2']
 */
export function deviceLayers(device: InventoryDevice, sources: LayerSources): Layer[] {
  const layers: Layer[] = [
    { name: `model ${device.phone.model} built-ins`, values: builtinVariables(device.phone) },
  ];
  for (const v of sources.varsFiles) layers.push({ name: `--vars ${v.file}`, values: v.values });
  if (Object.keys(sources.defaults).length > 0) {
    layers.push({ name: `${sources.inventoryFile} defaults`, values: sources.defaults });
  }
  const group = typeof device.fields.group === 'string' ? device.fields.group : undefined;
  if (group !== undefined && Object.hasOwn(sources.groups, group)) {
    layers.push({ name: `group ${group}`, values: sources.groups[group]! });
  }
  layers.push({ name: `${sources.inventoryFile} ${device.where}`, values: device.fields });
  return layers;
}

/**
 * Every device whose `group` names no known group.
 * @example checkGroups(inventory.devices, {}, 'inv.csv')
 * // [{ where: 'row 2', field: 'group',
 * //    message: 'unknown group "lobby" (no groups are defined)', … }]
 */
export function checkGroups(
  devices: readonly InventoryDevice[],
  groups: Readonly<Record<string, Vars>>,
  file: string,
): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  for (const d of devices) {
    const g = d.fields.group;
    if (typeof g === 'string' && !Object.hasOwn(groups, g)) {
      const known = Object.keys(groups);
      problems.push({
        file,
        where: d.where,
        field: 'group',
        message: `unknown group "${g}" (${known.length ? `known: ${known.join(', ')}` : 'no groups are defined'})`,
      });
    }
  }
  return problems;
}

/**
 * Merges a device's layers, caching everything below the device layer per (model, group) so a
 * batch of 10,000 devices merges the shared layers a handful of times.
 * @example const merger = new VariableMerger(sources);
 * for (const device of inventory.devices) renderOne(device, merger.merge(device));
 */
export class VariableMerger {
  private readonly base = new Map<string, Vars>();
  constructor(private readonly sources: LayerSources) {}

  merge(device: InventoryDevice): Vars {
    const group = typeof device.fields.group === 'string' ? device.fields.group : '';
    const key = `${device.phone.model}\u0000${group}`;
    let base = this.base.get(key);
    if (!base) {
      base = mergeLayers(deviceLayers(device, this.sources).slice(0, -1));
      this.base.set(key, base);
    }
    return mergeValues(base, device.fields) as Vars;
  }
}

/**
 * The values of every secret variable (by the shared classifier's path rules), to mask them in
 * any message that might echo one: a template error, `{% raise %}`, a validator finding.
 * @example secretValuesOf({ sip: { password: 'hunter22' }, name: 'x' }) // ['hunter22']
 */
export function secretValuesOf(vars: Vars): string[] {
  const out: string[] = [];
  collectSecretValues(vars, false, out);
  return out;
}

/**
 * Whether any secret variable (by the shared classifier's path rules) holds a non-empty value:
 * then `render` quotes no value in its findings (see CheckContext.hasSecrets). Stops at the
 * first one; the keys are classified through the same memo as secretValuesOf.
 * @example hasSecretValue({ sip: { password: 'hunter22' } }) // true
 * @example hasSecretValue({ sip: { password: '' }, name: 'x' }) // false
 */
export function hasSecretValue(vars: Vars): boolean {
  return containsSecretValue(vars, false);
}

function containsSecretValue(value: unknown, secret: boolean): boolean {
  if (isPlainObject(value)) {
    for (const k in value) {
      if (containsSecretValue(value[k], secret || isSecretSegment(k))) return true;
    }
    return false;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (containsSecretValue(value[i], secret || isSecretSegment(String(i + 1)))) return true;
    }
    return false;
  }
  return secret && (typeof value === 'number' || (typeof value === 'string' && value !== ''));
}

/**
 * The leaves of `value` whose path names a secret, in collectLeaves' order. A path names a
 * secret when one of its segments does (isSecretVariablePath), so the walk classifies each key
 * once (memoised: a fleet repeats its keys) and builds no path strings — 2/11 of the bench's
 * devices have warnings to mask, and this walk was most of that cost.
 */
function collectSecretValues(value: unknown, secret: boolean, out: string[]): void {
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      collectSecretValues(v, secret || isSecretSegment(k), out);
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      collectSecretValues(value[i], secret || isSecretSegment(String(i + 1)), out);
    }
  } else if (secret && (typeof value === 'string' || typeof value === 'number')) {
    out.push(String(value));
  }
}

/** Keys already classified; cleared when it grows past SECRET_SEGMENT_MEMO (hostile input). */
const secretSegments = new Map<string, boolean>();
const SECRET_SEGMENT_MEMO = 4096;

/** Whether a key (or list position) names a secret, as a segment of isSecretVariablePath. */
function isSecretSegment(key: string): boolean {
  let secret = secretSegments.get(key);
  if (secret === undefined) {
    if (secretSegments.size >= SECRET_SEGMENT_MEMO) secretSegments.clear();
    secret = isSecretVariablePath(key);
    secretSegments.set(key, secret);
  }
  return secret;
}

/**
 * A copy of `vars` with every secret value replaced by as many `*` as it has characters: the
 * leaves whose path names a secret (the shared classifier, as secretValuesOf) and any leaf equal
 * to one of `secrets` (a key or IKM field the classifier does not name). A template rendered with
 * it can show no secret in any form — upcased, sliced, base64-encoded — while what depends on a
 * secret's length (`{% if sip.password.size < 8 %}`) goes the same way. Undefined when nothing
 * was replaced.
 * @example maskSecretVariables({ sip: { password: 'hunter22' }, name: 'x' }, []) // { sip: { password: '********' }, name: 'x' }
 */
export function maskSecretVariables(vars: Vars, secrets: readonly string[]): Vars | undefined {
  const exact = new Set(secrets.filter((s) => s !== ''));
  let masked = 0;
  const mask = (value: unknown, secret: boolean): unknown => {
    if (isPlainObject(value)) {
      const out: Vars = emptyVars();
      for (const [k, v] of Object.entries(value)) out[k] = mask(v, secret || isSecretSegment(k));
      return out;
    }
    if (Array.isArray(value)) {
      return value.map((v, i) => mask(v, secret || isSecretSegment(String(i + 1))));
    }
    if (typeof value !== 'string' && typeof value !== 'number') return value;
    const text = String(value);
    if (text === '' || (!secret && !exact.has(text))) return value;
    masked++;
    return '*'.repeat(text.length);
  };
  const out = mask(vars, false) as Vars;
  return masked > 0 ? out : undefined;
}
