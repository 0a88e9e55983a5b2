/**
 * Inventory readers: CSV (header row, dotted headers build nested values, empty cells are
 * absent), JSON and YAML (a list of devices, or `{ defaults, groups, devices }`). Every device is
 * checked at the door — MAC notation, unique MAC and serial, known model — and every problem is
 * reported with the file, the row and the field.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { LineCounter, isMap, isSeq, parseDocument } from 'yaml';
import { findModel, type PhoneModel } from '../device/models.js';
import { normalizeMac } from '../device/mac.js';

/** Plain variables: what a template sees. Values are strings, numbers, booleans, lists, maps. */
export type Vars = { [name: string]: unknown };

/** One device of the inventory, checked. */
export interface InventoryDevice {
  /** Where it was written, for messages: `row 4` (CSV), `line 12` (YAML), `device 3` (JSON). */
  where: string;
  /** 1-based position among the inventory's devices. */
  index: number;
  /** 12 lower-case hex digits, when the inventory gives a MAC. */
  mac?: string;
  /** Serial number, when given (ATA191/192 identify themselves by it). */
  serial?: string;
  /** The model row the device's `model` field names. */
  phone: PhoneModel;
  /** The device's own fields, with `mac` normalised and `model` the model number. */
  fields: Vars;
}

export interface Inventory {
  file: string;
  /** `defaults` of a `{ defaults, groups, devices }` inventory (empty for CSV and lists). */
  defaults: Vars;
  /** `groups` of a `{ defaults, groups, devices }` inventory, by name. */
  groups: Record<string, Vars>;
  devices: InventoryDevice[];
}

/** One problem found in an inventory. */
export interface InventoryProblem {
  file: string;
  where: string;
  field?: string;
  message: string;
}

/** Thrown with every problem an inventory has; the CLI prints one line per problem (exit 1). */
export class InventoryError extends Error {
  readonly problems: readonly InventoryProblem[];
  constructor(problems: readonly InventoryProblem[]) {
    super(problems.map(formatInventoryProblem).join('\n'));
    this.name = 'InventoryError';
    this.problems = problems;
  }
}

/** `inventory.csv: row 4, field mac: "00:11" is not a MAC address` */
export function formatInventoryProblem(p: InventoryProblem): string {
  return `${p.file}: ${p.where}${p.field ? `, field ${p.field}` : ''}: ${p.message}`;
}

/** The inventory formats, chosen by file extension. */
export type InventoryFormat = 'csv' | 'json' | 'yaml';

/** `.csv` → csv, `.json` → json, `.yaml`/`.yml` → yaml. */
export function inventoryFormatOf(file: string): InventoryFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'json') return 'json';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  return undefined;
}

/** A raw device before checking: its fields and where it was written. */
interface RawDevice {
  where: string;
  fields: Vars;
}

interface RawInventory {
  defaults: Vars;
  groups: Record<string, Vars>;
  devices: RawDevice[];
}

/**
 * Parses and checks an inventory.
 * @example parseInventory('mac,model,display_name\n0056.2b04.3615,8841,Reception\n', 'inv.csv')
 * @throws InventoryError listing every problem (file, row, field)
 */
export function parseInventory(text: string, file: string, format?: InventoryFormat): Inventory {
  const kind = format ?? inventoryFormatOf(file);
  if (!kind) {
    throw new InventoryError([
      { file, where: 'file name', message: 'expected a .csv, .json, .yaml or .yml inventory' },
    ]);
  }
  const problems: InventoryProblem[] = [];
  const raw =
    kind === 'csv'
      ? readCsvInventory(text, file, problems)
      : kind === 'json'
        ? readJsonInventory(text, file, problems)
        : readYamlInventory(text, file, problems);
  const devices = checkDevices(raw.devices, file, problems);
  if (problems.length > 0) throw new InventoryError(problems);
  return { file, defaults: raw.defaults, groups: raw.groups, devices };
}

// ---- CSV ----

/** Splits a dotted header into path segments; numbers are 1-based list positions. */
export function parseFieldPath(header: string): (string | number)[] | string {
  const segments = header.split('.');
  const path: (string | number)[] = [];
  for (const s of segments) {
    if (s === '') return `"${header}" has an empty segment`;
    if (/^[0-9]+$/.test(s)) {
      const n = Number(s);
      if (n < 1) return `"${header}": list positions start at 1, got ${s}`;
      path.push(n);
    } else {
      path.push(s);
    }
  }
  return path;
}

/**
 * Sets a value at a dotted path, creating maps for names and lists for 1-based numbers.
 * @returns an error text when the path conflicts with a value already there
 */
export function setPath(
  target: Vars,
  path: readonly (string | number)[],
  value: unknown,
): string | undefined {
  let node: Vars | unknown[] = target;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    const nextIsList = typeof path[i + 1] === 'number';
    if (typeof seg === 'number') {
      if (!Array.isArray(node)) return 'a list position under a name';
      if (last) {
        node[seg - 1] = value;
        return undefined;
      }
      node[seg - 1] ??= nextIsList ? [] : {};
      node = node[seg - 1] as Vars | unknown[];
    } else {
      if (Array.isArray(node)) return 'a name under a list';
      if (last) {
        node[seg] = value;
        return undefined;
      }
      const existing = node[seg];
      if (existing === undefined) node[seg] = nextIsList ? [] : {};
      else if (typeof existing !== 'object' || existing === null)
        return 'a value and a nested field of the same name';
      node = node[seg] as Vars | unknown[];
    }
    if (typeof node !== 'object' || node === null) {
      return 'a value and a nested field of the same name';
    }
    if (nextIsList !== Array.isArray(node)) return 'a list and a map at the same place';
  }
  return undefined;
}

function readCsvInventory(text: string, file: string, problems: InventoryProblem[]): RawInventory {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    problems.push({
      file,
      where: `row ${e.lines ?? '?'}`,
      message: `not valid CSV (${(e.message ?? '').replace(/^Invalid [^:]*: /, '')})`,
    });
    return { defaults: {}, groups: {}, devices: [] };
  }
  const [header, ...rows] = records;
  if (!header) return { defaults: {}, groups: {}, devices: [] };
  const paths: (string | number)[][] = [];
  const seen = new Set<string>();
  header.record.forEach((name, col) => {
    const where = `row ${header.info.lines}`;
    if (name === '') {
      problems.push({ file, where, message: `column ${col + 1} has no header` });
    } else if (seen.has(name)) {
      problems.push({ file, where, field: name, message: 'the header appears twice' });
    }
    seen.add(name);
    const path = parseFieldPath(name);
    if (typeof path === 'string') {
      problems.push({ file, where, field: name, message: path });
      paths.push([]);
    } else paths.push(path);
  });
  if (problems.length > 0) return { defaults: {}, groups: {}, devices: [] };
  const devices: RawDevice[] = [];
  for (const { record, info } of rows) {
    const where = `row ${info.lines}`;
    if (record.length > header.record.length) {
      problems.push({
        file,
        where,
        message: `${record.length} cells but the header has ${header.record.length} columns`,
      });
      continue;
    }
    const fields: Vars = {};
    record.forEach((cell, col) => {
      if (cell === '') return; // empty cells are absent, not empty strings
      const conflict = setPath(fields, paths[col]!, cell);
      if (conflict) {
        problems.push({
          file,
          where,
          field: header.record[col],
          message: `header makes ${conflict}`,
        });
      }
    });
    devices.push({ where, fields });
  }
  return { defaults: {}, groups: {}, devices };
}

// ---- JSON and YAML ----

function isPlainObject(v: unknown): v is Vars {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shapeInventory(
  data: unknown,
  file: string,
  problems: InventoryProblem[],
  whereOf: (index: number) => string,
): RawInventory {
  const empty: RawInventory = { defaults: {}, groups: {}, devices: [] };
  let list: unknown;
  let defaults: Vars = {};
  let groups: Record<string, Vars> = {};
  if (Array.isArray(data)) {
    list = data;
  } else if (isPlainObject(data)) {
    for (const key of Object.keys(data)) {
      if (!['defaults', 'groups', 'devices'].includes(key)) {
        problems.push({
          file,
          where: 'top level',
          field: key,
          message: 'unknown key (expected defaults, groups, devices)',
        });
      }
    }
    list = data.devices;
    if (data.defaults !== undefined) {
      if (!isPlainObject(data.defaults)) {
        problems.push({ file, where: 'top level', field: 'defaults', message: 'expected a map' });
      } else defaults = data.defaults;
    }
    if (data.groups !== undefined) {
      const g = readGroups(data.groups, file, problems);
      if (g) groups = g;
    }
  } else {
    problems.push({
      file,
      where: 'top level',
      message: 'expected a list of devices or a map with defaults, groups, devices',
    });
    return empty;
  }
  if (!Array.isArray(list)) {
    problems.push({
      file,
      where: 'top level',
      field: 'devices',
      message: 'expected a list of devices',
    });
    return empty;
  }
  const devices: RawDevice[] = [];
  list.forEach((item, i) => {
    if (!isPlainObject(item)) {
      problems.push({ file, where: whereOf(i), message: 'expected a map of fields' });
      return;
    }
    devices.push({ where: whereOf(i), fields: item });
  });
  return { defaults, groups, devices };
}

/** Checks a `groups` map: group name → map of variables. */
export function readGroups(
  value: unknown,
  file: string,
  problems: InventoryProblem[],
): Record<string, Vars> | undefined {
  if (!isPlainObject(value)) {
    problems.push({
      file,
      where: 'top level',
      field: 'groups',
      message: 'expected a map of group name → variables',
    });
    return undefined;
  }
  const groups: Record<string, Vars> = {};
  for (const [name, vars] of Object.entries(value)) {
    if (!isPlainObject(vars)) {
      problems.push({
        file,
        where: 'top level',
        field: `groups.${name}`,
        message: 'expected a map of variables',
      });
    } else groups[name] = vars;
  }
  return groups;
}

function readJsonInventory(text: string, file: string, problems: InventoryProblem[]): RawInventory {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    problems.push({ file, where: 'file', message: `not valid JSON (${(err as Error).message})` });
    return { defaults: {}, groups: {}, devices: [] };
  }
  return shapeInventory(data, file, problems, (i) => `device ${i + 1}`);
}

function readYamlInventory(text: string, file: string, problems: InventoryProblem[]): RawInventory {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    problems.push({
      file,
      where: line ? `line ${line}` : 'file',
      message: `not valid YAML (${e.message.split('\n')[0]})`,
    });
    return { defaults: {}, groups: {}, devices: [] };
  }
  // Line of each device, for messages: the list itself, or the `devices` list of a map.
  const root = doc.contents;
  const seq = isSeq(root) ? root : isMap(root) ? root.get('devices', true) : undefined;
  const lines: number[] = [];
  if (isSeq(seq)) {
    for (const item of seq.items) {
      const offset = (item as { range?: [number, number, number] } | null)?.range?.[0];
      lines.push(offset !== undefined ? lineCounter.linePos(offset).line : 0);
    }
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  return shapeInventory(data, file, problems, (i) =>
    lines[i] ? `line ${lines[i]} (device ${i + 1})` : `device ${i + 1}`,
  );
}

// ---- checks shared by every format ----

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

function checkDevices(
  raw: readonly RawDevice[],
  file: string,
  problems: InventoryProblem[],
): InventoryDevice[] {
  const byMac = new Map<string, string>();
  const bySerial = new Map<string, string>();
  const devices: InventoryDevice[] = [];
  raw.forEach(({ where, fields }, i) => {
    const before = problems.length;
    const add = (field: string, message: string): void => {
      problems.push({ file, where, field, message });
    };
    const fieldsOut: Vars = { ...fields };

    let mac: string | undefined;
    if (fields.mac !== undefined) {
      const text = asText(fields.mac);
      mac = text === undefined ? undefined : normalizeMac(text);
      if (!mac) {
        add(
          'mac',
          `${JSON.stringify(fields.mac)} is not a MAC address (expected 12 hex digits, e.g. 00:56:2B:04:36:15, 0056.2b04.3615)`,
        );
      } else if (byMac.has(mac)) {
        add('mac', `duplicate MAC ${mac} (also ${byMac.get(mac)})`);
      } else {
        byMac.set(mac, where);
        fieldsOut.mac = mac;
      }
    }

    let serial: string | undefined;
    if (fields.serial !== undefined) {
      serial = asText(fields.serial);
      if (!serial || !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(serial)) {
        add(
          'serial',
          `${JSON.stringify(fields.serial)} is not a serial number (letters, digits, - and _)`,
        );
        serial = undefined;
      } else if (bySerial.has(serial.toUpperCase())) {
        add('serial', `duplicate serial ${serial} (also ${bySerial.get(serial.toUpperCase())})`);
      } else {
        bySerial.set(serial.toUpperCase(), where);
        fieldsOut.serial = serial;
      }
    }
    if (fields.mac === undefined && fields.serial === undefined) {
      add('mac', 'a device needs a mac (or, for an ATA191/192, a serial)');
    }

    let phone: PhoneModel | undefined;
    const modelText = asText(fields.model);
    if (modelText === undefined || modelText === '') {
      add('model', 'missing (expected a model such as 8841, CP-7832-3PCC, ATA191)');
    } else {
      phone = findModel(modelText);
      if (!phone)
        add('model', `unknown model "${modelText}" (run \`cisco-prov models\` for the list)`);
      else fieldsOut.model = phone.model;
    }
    if (fields.group !== undefined && typeof fields.group !== 'string') {
      add('group', 'expected a group name');
    }
    if (fields.template !== undefined && typeof fields.template !== 'string') {
      add('template', 'expected a template name');
    }
    if (problems.length === before && phone) {
      devices.push({
        where,
        index: i + 1,
        ...(mac ? { mac } : {}),
        ...(serial ? { serial } : {}),
        phone,
        fields: fieldsOut,
      });
    }
  });
  return devices;
}
