/**
 * Inventory readers: CSV (header row, dotted headers build nested values, empty cells are
 * absent), JSON and YAML (a list of devices, or `{ defaults, groups, devices }`). Every device is
 * checked at the door — MAC notation, unique MAC and serial, known model — and every problem is
 * reported with the file, the row and the field.
 */
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { csvParseSync, yaml } from '../lazy-deps.js';
import { findModel, type PhoneModel } from '../device/models.js';
import { normalizeMac } from '../device/mac.js';
import { keepNumberText } from './yaml-numbers.js';
import {
  JsonFileSource,
  MAX_JSON_DEPTH,
  jsonBytesSource,
  jsonDeviceItems,
  jsonPositions,
  jsonTextSource,
  scanJson,
  type JsonScan,
  type JsonSource,
} from './inventory-json.js';
import {
  SerializedValues,
  YAML_WHOLE_PARSE_CHARS,
  type TextLines,
  streamYamlDocument,
  type YamlDeviceChunk,
} from './inventory-yaml.js';

/**
 * Plain variables: what a template sees. Values are strings, numbers, booleans, lists, maps.
 * @example const vars: Vars = { sip: { proxy: 'pbx.example.com' }, lines: [{ extension: '201' }] };
 */
export type Vars = { [name: string]: unknown };

/**
 * One device of the inventory, checked.
 * @example parseInventory('mac,model\n00:56:2b:04:36:15,8841\n', 'inv.csv').devices[0]
 * // { where: 'row 2', index: 1, mac: '00562b043615', … }
 */
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

/**
 * A parsed inventory: its devices, and the defaults and groups of a YAML/JSON one.
 * @example parseInventory('mac,model\n00:56:2b:04:36:15,8841\n', 'inv.csv').devices[0]?.mac
 * // '00562b043615'
 */
export interface Inventory {
  file: string;
  /** `defaults` of a `{ defaults, groups, devices }` inventory (empty for CSV and lists). */
  defaults: Vars;
  /** `groups` of a `{ defaults, groups, devices }` inventory, by name. */
  groups: Record<string, Vars>;
  devices: InventoryDevice[];
}

/**
 * One problem found in an inventory.
 * @example formatInventoryProblem({ file: 'a.csv', where: 'row 4', field: 'mac', message: 'bad' })
 */
export interface InventoryProblem {
  file: string;
  where: string;
  field?: string;
  message: string;
}

/**
 * Thrown with every problem an inventory has; the CLI prints one line per problem (exit 1).
 * @example try { parseInventory('mac,model\n00:11,8841\n', 'inventory.csv') } catch (err) {
 *   (err as InventoryError).problems.map(formatInventoryProblem)
 *   // ['inventory.csv: row 2, field mac: "00:11" is not a MAC address (…)']
 * }
 */
export class InventoryError extends Error {
  readonly problems: readonly InventoryProblem[];
  constructor(problems: readonly InventoryProblem[]) {
    super(problems.map(formatInventoryProblem).join('\n'));
    this.name = 'InventoryError';
    this.problems = problems;
  }
}

// C0 and C1 controls, DEL, and the format characters that reorder or hide text: an inventory is
// untrusted text, and a problem is printed on one line of a terminal.
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Text with control and format characters shown as `\n`, `\x1b`, `\u202e`. */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => {
    const code = ch.charCodeAt(0);
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Headers a spreadsheet's author gives the fields a device must have, spaces and case aside. */
const FIELD_SPELLINGS: Readonly<Record<string, string>> = {
  macaddress: 'mac',
  serialnumber: 'serial',
  serialno: 'serial',
  modelnumber: 'model',
  phonemodel: 'model',
};

/**
 * When a device lacks a field it must have but holds one of that name in other letters (a
 * spreadsheet's `MAC`, `Model` header) or spelt out (`MAC Address`, `Serial Number`): the
 * hint to write the field's name.
 */
function otherCase(fields: Vars, ...names: string[]): string {
  const meant = (k: string): string | undefined => {
    const lower = k.toLowerCase();
    if (names.includes(lower)) return lower;
    const spelt = FIELD_SPELLINGS[lower.replace(/[\s_.-]+/g, '')];
    return spelt !== undefined && names.includes(spelt) ? spelt : undefined;
  };
  const found = Object.keys(fields).find((k) => !names.includes(k) && meant(k) !== undefined);
  if (found === undefined) return '';
  const name = meant(found)!;
  return found.toLowerCase() === name
    ? `; it has ${found}: field names are case-sensitive, write ${name}`
    : `; it has ${found}: write ${name}`;
}

/**
 * A cell as Excel (`1.55512E+11`, `1,55512E+11` with a decimal comma) or LibreOffice
 * (`1.55512E+011`) saves a number of 12 digits or more — a phone number, an extension, a MAC —
 * from a column it read as numbers: six significant digits, the rest gone. No value a phone
 * takes is written so (reference §1: integers are decimal or 0x hex), so it is never rendered.
 */
const SPREADSHEET_EXPONENT = /^[1-9](?:[.,][0-9]+)?E\+[0-9]{2,3}$/;

/**
 * Why a MAC may have become what it is: a spreadsheet that read the column as numbers writes
 * `001122334455` as `1122334455` and `112233445566` as `1.12233E+11` when it saves the CSV.
 */
function numberedMacHint(text: string | undefined): string {
  if (text === undefined) return '';
  if (/^[0-9]+(?:[.,][0-9]+)?E\+?[0-9]+$/i.test(text)) {
    return '; a spreadsheet wrote it as a number in scientific notation: format the column as Text and export again';
  }
  if (/^[0-9]{1,11}$/.test(text)) {
    return '; leading zeros lost? a spreadsheet read it as a number: format the column as Text and export again';
  }
  return '';
}

/**
 * `inventory.csv: row 4, field mac: "00:11" is not a MAC address` — always one line.
 * @example const problem = { file: 'inventory.csv', where: 'row 4', field: 'mac', message: 'bad' };
 * formatInventoryProblem(problem) // 'inventory.csv: row 4, field mac: bad'
 */
export function formatInventoryProblem(p: InventoryProblem): string {
  // A field name is echoed up to 80 characters: a header of thousands stays a short line.
  const field = p.field && p.field.length > 80 ? `${p.field.slice(0, 79)}…` : p.field;
  return printable(`${p.file}: ${p.where}${field ? `, field ${field}` : ''}: ${p.message}`);
}

/**
 * The inventory formats, chosen by file extension.
 * @example parseInventory(text, '<stdin>', 'yaml')
 */
export type InventoryFormat = 'csv' | 'json' | 'yaml';

/**
 * `.csv` → csv, `.json` → json, `.yaml`/`.yml` → yaml.
 * @example inventoryFormatOf('fleet.YML') // 'yaml'; inventoryFormatOf('fleet.txt') // undefined
 */
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
  /**
   * `fields` is JSON.parse's own object (already checked for forbidden keys): copied into
   * prototype-less maps when a pass reaches it, so the whole inventory is never held twice.
   */
  parsed?: true;
}

interface RawInventory {
  defaults: Vars;
  groups: Record<string, Vars>;
  devices: RawDevice[];
}

/**
 * Parses and checks an inventory, keeping every device (see {@link InventoryReader} for one
 * device at a time).
 * @example parseInventory('mac,model,display_name\n0056.2b04.3615,8841,Reception\n', 'inv.csv')
 * @throws InventoryError listing every problem (file, row, field)
 */
export function parseInventory(text: string, file: string, format?: InventoryFormat): Inventory {
  const reader = new InventoryReader(text, file, format);
  const problems: InventoryProblem[] = [];
  const devices = [...reader.devices(problems)];
  if (problems.length === 0 && reader.lastPassRows === 0) problems.push(noDevicesProblem(file));
  if (problems.length > 0) throw new InventoryError(problems);
  return { file, defaults: reader.defaults, groups: reader.groups, devices };
}

/** The problem of an inventory with no device rows at all. */
export function noDevicesProblem(file: string): InventoryProblem {
  return {
    file,
    where: 'file',
    message: 'no devices (the inventory is empty, or has a header row only)',
  };
}

/**
 * The format of an inventory read from stdin, from its first characters: `{` or `[` → json; a
 * first line that is `---`, a `- ` list item, a comment or a `key:` → yaml; anything else csv
 * (a header row such as `mac,model`).
 * @example sniffInventoryFormat('mac,model\n…') // 'csv'
 */
export function sniffInventoryFormat(text: string): InventoryFormat {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{') || body.startsWith('[')) return 'json';
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  if (csvPreamble(firstLine)) return 'csv'; // PowerShell's `#TYPE …` line is no YAML comment
  if (/^(---|#|- |-$|[A-Za-z_][\w.-]*\s*:(\s|$))/.test(firstLine)) return 'yaml';
  return 'csv';
}

/**
 * A JSON inventory larger than this (bytes of a file, characters of a text) is read a device at
 * a time at each pass (src/render/inventory-json.ts) instead of `JSON.parse`d whole. Parsing
 * whole is the faster of the two (V8's parser is native; the streaming tokenizer is JavaScript:
 * ≈ 0.45 s against ≈ 0.7 s a pass for 100,000 devices, 41 MB), but holds every device's objects
 * at once, about four times the text: 8 MiB (≈ 20,000 pretty-printed devices) costs ≈ 35 MB.
 */
export const JSON_WHOLE_PARSE_BYTES = 8 * 1024 * 1024;

/**
 * An inventory read from its file at every pass instead of from a text in memory: a JSON
 * inventory above JSON_WHOLE_PARSE_BYTES (render stats the file to decide).
 */
export interface InventoryFile {
  path: string;
}

export interface InventoryReaderOptions {
  /**
   * A JSON text longer than this many characters is read a device at a time rather than parsed
   * whole (default JSON_WHOLE_PARSE_BYTES; 0 streams every JSON text — the tests compare both).
   */
  jsonWholeParseMax?: number;
  /**
   * A YAML text longer than this many characters is read a device at a time rather than parsed
   * whole (default YAML_WHOLE_PARSE_CHARS; 0 streams every YAML text — the tests compare both).
   */
  yamlWholeParseMax?: number;
}

/**
 * An inventory read one device at a time: the text is parsed once up front for its shape (the
 * CSV header; the whole JSON or YAML document), and each call of {@link devices} checks and
 * yields the devices again without keeping them — a CSV's rows are parsed piece by piece from
 * the text, so a pass over 100,000 devices holds one piece's records, not 100,000 objects.
 * `render` makes two passes: one to check everything before anything is written, one to
 * render. A JSON inventory above JSON_WHOLE_PARSE_BYTES is streamed too: a scan when the
 * reader is made (syntax, forbidden keys, the top level, `defaults` and `groups`), then one
 * device at a time at each pass, from the file on disk (checked to be the same file, unchanged)
 * or from the text. A YAML document, and a smaller JSON one, are parsed whole and kept.
 * @throws InventoryError (from the constructor) when the format is unknown, the JSON or YAML
 *   does not parse, or the CSV header is wrong
 */
export class InventoryReader {
  readonly defaults: Vars;
  readonly groups: Record<string, Vars>;
  /** Device rows (or list items) seen by the last finished pass, good or bad. */
  lastPassRows = 0;
  private readonly csv: CsvShape | undefined;
  /**
   * A CSV's rows as the first clean pass read them, when its text is at most CSV_KEPT_CHARS: the
   * next pass (render's, after the check) walks them instead of parsing the text again.
   */
  private csvRows: RawDevice[] | undefined;
  private readonly raw: RawInventory | undefined;
  /** A YAML inventory read a device at a time: its devices, kept serialised, and their places. */
  private readonly yamlStream: YamlKeptDevices | undefined;
  /** A JSON inventory read a device at a time: its bytes and what the scan learned. */
  private readonly jsonStream: { source: JsonSource; scan: JsonScan } | undefined;
  /** JSON/YAML problems of the document's shape, reported with every pass's device problems. */
  private readonly shapeProblems: InventoryProblem[] = [];

  /** A CSV's text, read again by each pass; a JSON or YAML text is not kept once parsed. */
  private readonly text: string = '';

  /**
   * @param input the inventory's text, its bytes (UTF-8: stdin; a large JSON inventory is read
   *   from them without a copy as text), or — a JSON inventory only — its file, read at each pass
   * @param file its name in messages
   */
  constructor(
    input: string | Uint8Array | InventoryFile,
    readonly file: string,
    format?: InventoryFormat,
    options: InventoryReaderOptions = {},
  ) {
    const kind = format ?? inventoryFormatOf(file);
    if (!kind) {
      throw new InventoryError([
        { file, where: 'file name', message: 'expected a .csv, .json, .yaml or .yml inventory' },
      ]);
    }
    const max = options.jsonWholeParseMax ?? JSON_WHOLE_PARSE_BYTES;
    let source: JsonSource | undefined;
    let text = '';
    if (typeof input === 'string') {
      if (kind === 'json' && input.length > max) source = jsonTextSource(input);
      else text = input;
    } else if (input instanceof Uint8Array) {
      if (kind === 'json' && input.length > max) source = jsonBytesSource(input);
      else text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
    } else if (kind === 'json') {
      source = new JsonFileSource(input.path, file);
    } else {
      throw new TypeError(`a ${kind} inventory is read from its text, not from its file`);
    }
    // A byte order mark some editors save: the yaml library takes one before a mapping but
    // not before a list of devices ("Unexpected scalar at node end"). CSV and JSON skip it too.
    if (kind === 'yaml' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const problems: InventoryProblem[] = [];
    if (kind === 'csv') {
      this.text = text;
      this.csv = readCsvHeader(text, file, problems);
      if (problems.length > 0) throw new InventoryError(problems);
      this.defaults = {};
      this.groups = {};
    } else if (source) {
      const streamed = readJsonStreamed(source, file, problems);
      if (problems.length > 0 && streamed.devices === 0) throw new InventoryError(problems);
      this.shapeProblems = problems;
      this.jsonStream = { source, scan: streamed.scan };
      this.defaults = streamed.defaults;
      this.groups = streamed.groups;
    } else if (
      kind === 'yaml' &&
      text.length > (options.yamlWholeParseMax ?? YAML_WHOLE_PARSE_CHARS)
    ) {
      const read = readYamlStreamed(text, file, problems);
      if ('kept' in read) {
        if (problems.length > 0 && read.kept.length === 0) throw new InventoryError(problems);
        this.shapeProblems = problems;
        this.yamlStream = read;
        this.defaults = read.defaults;
        this.groups = read.groups;
      } else {
        if (problems.length > 0 && read.devices.length === 0) throw new InventoryError(problems);
        this.raw = read;
        this.shapeProblems = problems;
        this.defaults = read.defaults;
        this.groups = read.groups;
      }
    } else {
      this.raw =
        kind === 'json'
          ? readJsonInventory(text, file, problems)
          : readYamlInventory(text, file, problems);
      // A document that does not parse has no devices to check: its problem alone is reported.
      if (problems.length > 0 && this.raw.devices.length === 0) throw new InventoryError(problems);
      this.shapeProblems = problems;
      this.defaults = this.raw.defaults;
      this.groups = this.raw.groups;
    }
  }

  /**
   * Every device that passes the checks, in inventory order; each problem goes to `problems`.
   * Each call is a new pass (duplicates are found within a pass).
   * @param options.duplicates false: skip the duplicate MAC/serial check (a pass over an
   *   inventory already checked: its two maps are the pass's only per-device memory)
   */
  *devices(
    problems: InventoryProblem[],
    options: { duplicates?: boolean } = {},
  ): Generator<InventoryDevice> {
    const checker = new DeviceChecker(this.file, problems, options.duplicates !== false);
    let rows = 0;
    if (this.jsonStream) {
      for (const p of this.shapeProblems) problems.push(p);
      const { source, scan } = this.jsonStream;
      for (const item of jsonDeviceItems(source, scan, isForbiddenKey)) {
        const fields = toVars(item.value) as Vars;
        const device = checker.check({ where: `device ${item.index + 1}`, fields }, rows++);
        if (device) yield device;
      }
    } else if (this.yamlStream) {
      for (const p of this.shapeProblems) problems.push(p);
      const { kept, places } = this.yamlStream;
      let k = 0;
      for (const value of kept.values()) {
        const index = places[k++]!;
        const line = places[k++]!;
        const where = line ? `line ${line} (device ${index + 1})` : `device ${index + 1}`;
        const device = checker.check({ where, fields: toVars(value) as Vars }, rows++);
        if (device) yield device;
      }
    } else if (this.raw) {
      for (const p of this.shapeProblems) problems.push(p);
      for (const raw of this.raw.devices) {
        const fields = raw.parsed ? (toVars(raw.fields) as Vars) : raw.fields;
        const device = checker.check({ where: raw.where, fields }, rows++);
        if (device) yield device;
      }
    } else if (this.csvRows) {
      for (const raw of this.csvRows) {
        const device = checker.check(raw, rows++);
        if (device) yield device;
      }
    } else if (this.csv) {
      const problemsBefore = problems.length;
      const kept: RawDevice[] | undefined = this.text.length <= CSV_KEPT_CHARS ? [] : undefined;
      for (const raw of readCsvRows(this.text, this.file, this.csv, problems)) {
        kept?.push(raw);
        const device = checker.check(raw, rows++);
        if (device) yield device;
      }
      // Kept only from a whole pass without problems: a later pass then sees the same rows.
      if (kept && problems.length === problemsBefore) this.csvRows = kept;
    }
    this.lastPassRows = rows;
  }
}

// ---- names that would reach JavaScript's Object prototype ----

/**
 * Field names refused everywhere (CSV headers, JSON and YAML keys at any depth, `--vars` files):
 * `obj.__proto__ = …` replaces an object's prototype, and `prototype` / `constructor` lead to
 * functions. Refusing them at the door keeps every later lookup an own-property lookup.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** Whether a field name is one of `__proto__`, `prototype`, `constructor`. */
export function isForbiddenKey(name: string): boolean {
  return FORBIDDEN_KEYS.has(name);
}

function forbiddenKeyMessage(name: string): string {
  return `"${name}" is not allowed as a field name (it would reach JavaScript's Object prototype)`;
}

/** A map without a prototype: a key like `toString` is just a key. */
export function emptyVars(): Vars {
  return Object.create(null) as Vars;
}

/**
 * The highest 1-based list position a field path may use. Cisco's models have at most 16 lines
 * and a few hundred keys; anything above is a typo that would make a huge sparse list.
 */
const MAX_LIST_POSITION = 1000;

// ---- CSV ----

/** Splits a dotted header into path segments; numbers are 1-based list positions. */
function parseFieldPath(header: string): (string | number)[] | string {
  const segments = header.split('.');
  if (segments.length > MAX_JSON_DEPTH) {
    return `"${header.slice(0, 40)}…" nests deeper than ${MAX_JSON_DEPTH} levels`;
  }
  const path: (string | number)[] = [];
  for (const s of segments) {
    if (s === '') return `"${header}" has an empty segment`;
    if (FORBIDDEN_KEYS.has(s)) return forbiddenKeyMessage(s);
    if (/^[0-9]+$/.test(s)) {
      const n = Number(s);
      if (n < 1) return `"${header}": list positions start at 1, got ${s}`;
      if (n > MAX_LIST_POSITION) {
        return `"${header}": list position ${s} is beyond ${MAX_LIST_POSITION}`;
      }
      path.push(n);
    } else {
      path.push(s);
    }
  }
  return path;
}

/** One place in the tree of CSV headers: a value, a map of names or a list of positions. */
interface HeaderNode {
  kind: 'value' | 'map' | 'list' | 'unknown';
  header?: string;
  children: Map<string | number, HeaderNode>;
}

/**
 * Finds the header that conflicts with `path` among those seen before (`sip` and `sip.proxy`:
 * a value and a nested field; `lines.1.x` and `lines.a`: a list and a map), so a conflict is
 * reported whatever the order of the columns.
 */
function addHeaderPath(
  root: HeaderNode,
  path: readonly (string | number)[],
  header: string,
): string | undefined {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const kind = typeof seg === 'number' ? 'list' : 'map';
    if (node.kind === 'value') {
      return `conflicts with column ${node.header}: a value and a nested field of the same name`;
    }
    if (node.kind !== 'unknown' && node.kind !== kind) {
      return `conflicts with column ${firstHeader(node)}: a list and a map at the same place`;
    }
    node.kind = kind;
    let child = node.children.get(seg);
    if (!child) {
      child = { kind: 'unknown', children: new Map() };
      node.children.set(seg, child);
    }
    node = child;
  }
  if (node.kind !== 'unknown') {
    return `conflicts with column ${firstHeader(node)}: a value and a nested field of the same name`;
  }
  node.kind = 'value';
  node.header = header;
  return undefined;
}

function firstHeader(node: HeaderNode): string {
  if (node.header !== undefined) return node.header;
  for (const child of node.children.values()) return firstHeader(child);
  return '?';
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
      node[seg - 1] ??= nextIsList ? [] : emptyVars();
      node = node[seg - 1] as Vars | unknown[];
    } else {
      if (Array.isArray(node)) return 'a name under a list';
      if (last) {
        node[seg] = value;
        return undefined;
      }
      if (FORBIDDEN_KEYS.has(seg)) return forbiddenKeyMessage(seg);
      const existing = Object.hasOwn(node, seg) ? node[seg] : undefined;
      if (existing === undefined) node[seg] = nextIsList ? [] : emptyVars();
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

/** A CSV inventory's header: each column's field path, and the separator of its cells. */
interface CsvShape {
  header: string[];
  paths: (string | number)[][];
  delimiter: CsvDelimiter;
  /** Records before the header: 1 for a `sep=;` or `#TYPE …` line, else 0. */
  preamble: number;
}

/**
 * A line some tools write before a CSV's header: Excel's `sep=;` (the separator, which Excel
 * honours when it opens the file) and Windows PowerShell's `Export-Csv` type line
 * (`#TYPE System.Management.Automation.PSCustomObject`, written unless -NoTypeInformation).
 * @returns whether there is one, and the separator a `sep=` line names
 */
function csvPreamble(text: string): { delimiter?: CsvDelimiter } | undefined {
  const m = /^\ufeff?(?:sep=(.)|#TYPE [^\r\n]*)\r?(?:\n|$)/.exec(text);
  if (!m) return undefined;
  const named = CSV_DELIMITERS.find((d) => d === m[1]);
  return named ? { delimiter: named } : {};
}

/** The cell separators a CSV inventory may use, as spreadsheets save them. */
const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/**
 * The cell separator of a CSV inventory, read from its header row: whichever of `,`, `;` and
 * tab occurs most there outside quotes, `,` on a tie or when none does. Excel saves "CSV" with
 * `;` where the decimal separator is a comma (German, French, Dutch… locales), and "Unicode
 * text" with tabs; field names hold none of the three.
 * @example sniffCsvDelimiter('mac;model;display_name\r\n…') // ';'
 */
export function sniffCsvDelimiter(text: string): CsvDelimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of CSV_DELIMITERS) {
    if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  }
  return best;
}

/** csv-parse's options for inventories (shared by the header and the rows). */
const CSV_OPTIONS = {
  delimiter: ',' as CsvDelimiter,
  bom: true,
  info: true,
  skip_empty_lines: true,
  relax_column_count: true,
  trim: true,
} as const;

type CsvRecord = { record: string[]; info: { lines: number } };

/**
 * A CSV of at most this many characters has its rows kept after the first pass (≈ 14 times the
 * text in memory; about 20,000 devices of ≈ 100 characters): parsing them again cost render's
 * main thread ≈ 0.2 s of CPU per 10,000 devices, a tenth of the wall time with two workers on two
 * cores. A larger inventory is parsed again at each pass, so memory stays flat at any size.
 */
export const CSV_KEPT_CHARS = 2 * 1024 * 1024;

/** How much CSV text is parsed at once (characters; a piece ends at a record boundary). */
const CSV_PIECE_SIZE = 64 * 1024;

/**
 * Splits CSV text into pieces that end at record boundaries, each with the number of lines
 * before it. A newline ends a record when an even number of `"` came before it in the piece
 * (RFC 4180: a quote inside a quoted field is doubled); up to the first misplaced quote this
 * is exact, and csv-parse reports that quote as an error in whichever piece holds it. A text
 * without `\n` (old Mac `\r` line ends) is one piece.
 */
export function* csvPieces(
  text: string,
  size = CSV_PIECE_SIZE,
): Generator<{ piece: string; linesBefore: number }> {
  let start = 0;
  let linesBefore = 0;
  let nextQuote = text.indexOf('"');
  while (start < text.length) {
    let quoted = false;
    let i = start;
    let lines = 0;
    let cut = text.length;
    for (;;) {
      const newline = text.indexOf('\n', i);
      if (newline === -1) break;
      while (nextQuote !== -1 && nextQuote < newline) {
        if (nextQuote >= i) quoted = !quoted;
        nextQuote = text.indexOf('"', nextQuote + 1);
      }
      lines++;
      i = newline + 1;
      if (!quoted && i - start >= size) {
        cut = i;
        break;
      }
    }
    if (cut === text.length) lines = countLines(text, start);
    yield { piece: text.slice(start, cut), linesBefore };
    linesBefore += lines;
    start = cut;
  }
}

function countLines(text: string, from: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** One piece parsed, or its syntax error as a problem (row numbers of the whole file). */
function parseCsvPiece(
  piece: string,
  linesBefore: number,
  file: string,
  delimiter: CsvDelimiter,
): CsvRecord[] | InventoryProblem {
  try {
    const options = delimiter === ',' ? CSV_OPTIONS : { ...CSV_OPTIONS, delimiter };
    const records = csvParseSync().parse(piece, options) as unknown as CsvRecord[];
    // csv-parse's `info.lines` is the line a record ends on, and counts every CR in a quoted
    // cell as a line of its own (a CR LF as two). A record is named by the line it starts on
    // (the line an editor or a spreadsheet shows for it), lines counted at LF as csvPieces does.
    let carriageReturns = 0;
    let previousEnd = 0;
    for (const r of records) {
      let lineFeeds = 0;
      // A record one line after the last holds no line break: its cells are not searched.
      const multiline = r.info.lines - previousEnd > 1;
      previousEnd = r.info.lines;
      if (multiline) {
        for (const cell of r.record) {
          if (cell.length === 0) continue;
          for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) lineFeeds++;
          for (let i = cell.indexOf('\r'); i !== -1; i = cell.indexOf('\r', i + 1)) {
            carriageReturns++;
          }
        }
      }
      r.info = { lines: r.info.lines - carriageReturns - lineFeeds + linesBefore };
    }
    return records;
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    return {
      file,
      where: `row ${e.lines !== undefined ? e.lines + linesBefore : '?'}`,
      message: `not valid CSV (${withoutQuotedText((e.message ?? '').replace(/^Invalid [^:]*: /, ''))})`,
    };
  }
}

/** The header row of a CSV inventory; every problem goes to `problems`. */
function readCsvHeader(text: string, file: string, problems: InventoryProblem[]): CsvShape {
  const preamble = csvPreamble(text);
  const shape: CsvShape = {
    header: [],
    paths: [],
    delimiter:
      preamble?.delimiter ??
      sniffCsvDelimiter(preamble ? text.slice(text.indexOf('\n') + 1) : text),
    preamble: preamble ? 1 : 0,
  };
  const first = csvPieces(text).next();
  if (first.done) return shape;
  const records = parseCsvPiece(first.value.piece, 0, file, shape.delimiter);
  if (!Array.isArray(records)) {
    problems.push(records);
    return shape;
  }
  const header = records[shape.preamble];
  if (!header) return shape;
  shape.header = header.record;
  const seen = new Set<string>();
  const tree: HeaderNode = { kind: 'unknown', children: new Map() };
  header.record.forEach((name, col) => {
    const where = `row ${header.info.lines}, column ${col + 1}`;
    if (name === '') {
      // Excel saves the empty columns of its used range (`mac,model,,`): a column without a
      // header is fine while its cells are empty; a value in one is the row's problem.
      shape.paths.push([]);
      return;
    }
    if (seen.has(name)) {
      problems.push({ file, where, field: name, message: 'the header appears twice' });
      shape.paths.push([]);
      return;
    }
    seen.add(name);
    const path = parseFieldPath(name);
    if (typeof path === 'string') {
      problems.push({ file, where, field: name, message: path });
      shape.paths.push([]);
      return;
    }
    const conflict = addHeaderPath(tree, path, name);
    if (conflict) problems.push({ file, where, field: name, message: conflict });
    shape.paths.push(path);
  });
  return shape;
}

/**
 * The data rows of a CSV inventory, one at a time, parsed a piece at a time. A syntax error
 * anywhere replaces every problem this pass found before it (the file is reported as not CSV,
 * as a whole-file parse would) and ends the pass.
 */
function* readCsvRows(
  text: string,
  file: string,
  shape: CsvShape,
  problems: InventoryProblem[],
): Generator<RawDevice> {
  const { header, paths, delimiter } = shape;
  if (header.length === 0) return;
  const passStart = problems.length;
  let first = true;
  for (const { piece, linesBefore } of csvPieces(text)) {
    const records = parseCsvPiece(piece, linesBefore, file, delimiter);
    if (!Array.isArray(records)) {
      problems.splice(passStart, problems.length - passStart, records);
      return;
    }
    for (let r = first ? shape.preamble + 1 : 0; r < records.length; r++) {
      const { record, info } = records[r]!;
      // A row of empty cells (`;;;;` — Excel saves rows it once formatted or whose cells were
      // cleared as separators only) is no device, as a blank line is not.
      if (record.every((c) => c === '')) continue;
      const where = `row ${info.lines}`;
      if (record.length > header.length && record.slice(header.length).some((c) => c !== '')) {
        problems.push({
          file,
          where,
          message: `${record.length} cells but the header has ${header.length} columns`,
        });
        continue;
      }
      const fields: Vars = emptyVars();
      record.forEach((cell, col) => {
        if (cell === '') return; // empty cells are absent, not empty strings
        if (col >= header.length) return; // an empty cell past the header (checked above)
        if (header[col] === '') {
          problems.push({
            file,
            where: `${where}, column ${col + 1}`,
            message: 'a value in a column without a header',
          });
          return;
        }
        // The mac field has its own message (checked with the device), saying the same.
        if (header[col] !== 'mac' && SPREADSHEET_EXPONENT.test(cell)) {
          problems.push({
            file,
            where,
            field: header[col],
            // Not the value: the column may hold passwords.
            message:
              'a number a spreadsheet saved in scientific notation (its last digits are lost): format the column as Text, type the values again and export',
          });
          return;
        }
        const conflict = setPath(fields, paths[col]!, cell);
        if (conflict) {
          problems.push({ file, where, field: header[col], message: `header makes ${conflict}` });
        }
      });
      // A row whose cells conflict is still checked: its other problems are shown too.
      yield { where, fields };
    }
    first = false;
  }
}

// ---- JSON and YAML ----

/** What to write instead of a map of devices keyed by MAC (its first key as the example). */
function keyedMapShape(macs: readonly string[]): string {
  const first = macs[0]!;
  return `a map of devices keyed by MAC (${JSON.stringify(first)}${macs.length > 1 ? ', …' : ''}): write a list, each device with its mac — JSON [{"mac": ${JSON.stringify(first)}, …}], YAML "- mac: ${first}"`;
}

function isPlainObject(v: unknown): v is Vars {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A dotted name nests only as a CSV header (`sip.proxy`, split before a device is checked). As a
 * JSON or YAML key — of a device (a CSV flattened to JSON by a converter), of `defaults`, of a
 * group or of a `--vars` file — it is a variable of that literal name that no template reads
 * (`{{ sip.proxy }}` reads `sip` → `proxy`): its value would be dropped without a word.
 */
function dottedKeyMessage(key: string): string {
  return `a dotted name nests only in a CSV header: in JSON or YAML write it nested (${key.split('.').join(' → ')})`;
}

/** The layers below a device's own fields whose keys are checked by sharedLayerKeyProblems. */
export type SharedLayer = 'defaults' | 'group' | '--vars';

/** What a shared layer is called in a message. */
const LAYER_NAMES: Readonly<Record<SharedLayer, string>> = {
  defaults: 'defaults',
  group: 'a group',
  '--vars': 'a --vars file',
};

/**
 * Why a key at the top of a shared layer would be dropped without a word (undefined: it is a
 * variable like any other). The fields that pick or identify a device are read from the device
 * alone; the inventory's own keys have their place at its top level.
 */
function sharedLayerKeyMessage(key: string, layer: SharedLayer): string | undefined {
  const where = LAYER_NAMES[layer];
  switch (key) {
    case 'group':
      return layer === 'group'
        ? "groups do not nest: a device's group is read from the device alone (build one group on another with a YAML merge key, <<: *name, or repeat its variables)"
        : `a device's group is read from the device alone: in ${where} it would choose no group (put here the variables it should give every device)`;
    case 'template':
      return `a device's template is read from the device alone: in ${where} it would choose none (give each device its template, or --template <file> for all)`;
    case 'model':
      return `a device's model is read from the device alone: in ${where} it would give none its model (give each device its model)`;
    case 'mac':
    case 'serial':
      return `identifies one device and is read from the device alone: in ${where} it would be the ${key} of every device that has none (give each device its own)`;
    case 'defaults':
      return layer === '--vars'
        ? 'the top level of a --vars file is what every device gets: write these variables there'
        : 'belongs at the top level of the inventory, beside groups and devices: here it would be a variable no template reads';
    case 'devices':
      return layer === '--vars'
        ? 'a --vars file holds variables, not devices: give devices in the --inventory'
        : 'belongs at the top level of the inventory, beside defaults and groups: here it would be a variable no template reads';
    case 'groups':
      return 'belongs at the top level of the inventory (or of a --vars file), beside defaults and devices: here it would be a variable no template reads';
    default:
      return key.includes('.') ? dottedKeyMessage(key) : undefined;
  }
}

/**
 * Reports each key at the top of a map of variables (`defaults`, a group, a `--vars` file) whose
 * value would be dropped, or land where it does not belong, without a word: a dotted one (as the
 * device checker reports one of a device); `group`, `template`, `model`, `mac` and `serial`,
 * which are read from each device alone — `defaults: { group: hq }` applied no group, a group's
 * `template` chose no template, a `mac` in `--vars` became a serial-only ATA's `{{ mac }}`, all
 * rendered, exit 0 —; and an inventory's own keys (`devices` in a `--vars` file). One problem
 * each: the file, where, and the key.
 * @example sharedLayerKeyProblems({ 'sip.proxy': 'pbx' }, 'inv.json', 'defaults', 'defaults', problems)
 * // problems: [{ file: 'inv.json', where: 'defaults', field: 'sip.proxy', message: 'a dotted name…' }]
 */
export function sharedLayerKeyProblems(
  vars: Vars,
  file: string,
  where: string,
  layer: SharedLayer,
  problems: InventoryProblem[],
): void {
  for (const key of Object.keys(vars)) {
    const message = sharedLayerKeyMessage(key, layer);
    if (message !== undefined) problems.push({ file, where, field: key, message });
  }
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
    const keyedByMac = Object.keys(data).filter((k) => normalizeMac(k) !== undefined);
    if (keyedByMac.length > 0) {
      // `{ "00:56:2b:04:36:15": { … }, … }`: one line for the shape, not one per device.
      problems.push({
        file,
        where: 'top level',
        message: `${keyedMapShape(keyedByMac)}; or put defaults, groups and devices at the top`,
      });
      return empty;
    }
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
      } else {
        defaults = data.defaults;
        sharedLayerKeyProblems(defaults, file, 'defaults', 'defaults', problems);
      }
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
    // The first two keys decide (all a large JSON file's scan keeps): the same message either way.
    const keys = isPlainObject(list) ? Object.keys(list).slice(0, 2) : [];
    const keyedByMac = normalizeMac(keys[0] ?? '') !== undefined ? keys : [];
    problems.push({
      file,
      where: 'top level',
      field: 'devices',
      message:
        keyedByMac.length > 0
          ? `expected a list of devices, not ${keyedMapShape(keyedByMac)}`
          : 'expected a list of devices',
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
  const groups = emptyVars() as Record<string, Vars>;
  for (const [name, vars] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(name)) {
      problems.push({
        file,
        where: 'top level',
        field: `groups.${name}`,
        message: forbiddenKeyMessage(name),
      });
      continue;
    }
    if (!isPlainObject(vars)) {
      problems.push({
        file,
        where: 'top level',
        field: `groups.${name}`,
        message: 'expected a map of variables',
      });
    } else {
      groups[name] = vars;
      sharedLayerKeyProblems(vars, file, `group ${name}`, 'group', problems);
    }
  }
  return groups;
}

/**
 * A parser's message without any quoted text: V8's JSON errors and csv-parse's quote errors
 * quote the input around the mistake, and that may be a password.
 */
function withoutQuotedText(message: string): string {
  return message
    .replace(/^Unexpected token .* is not valid JSON$/s, 'unexpected character')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/"[^"]{2,}"/g, '"…"')
    .split('\n')[0]!;
}

/**
 * Copies parsed JSON into null-prototype maps, reporting every forbidden key (`__proto__`…)
 * with its place: the key's line and column in the text, the path from the device (or from the
 * top level, outside the device list).
 */
/**
 * Parsed JSON or YAML data with every object copied into a prototype-less map (see emptyVars).
 * Callers report forbidden keys first (findForbiddenKeys, forbiddenYamlKeys); any left are dropped.
 */
function toVars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toVars);
  if (typeof value === 'object' && value !== null) {
    const out = emptyVars();
    for (const key of Object.keys(value)) {
      if (!FORBIDDEN_KEYS.has(key)) out[key] = toVars((value as Vars)[key]);
    }
    return out;
  }
  return value;
}

/**
 * Reports every forbidden key of a parsed JSON value, without copying it.
 * @returns false, searching no deeper, where the value nests deeper than MAX_JSON_DEPTH (the
 * streaming scan then says where)
 */
function findForbiddenKeys(
  value: unknown,
  path: (string | number)[],
  report: (path: readonly (string | number)[]) => void,
  keys: { count: number },
): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (path.length === MAX_JSON_DEPTH) return false;
  let shallow = true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      shallow = findForbiddenKeys(value[i], [...path, i], report, keys) && shallow;
    }
  } else {
    const names = Object.keys(value);
    keys.count += names.length;
    for (const key of names) {
      if (FORBIDDEN_KEYS.has(key)) report([...path, key]);
      else
        shallow = findForbiddenKeys((value as Vars)[key], [...path, key], report, keys) && shallow;
    }
  }
  return shallow;
}

/** The field path of a JSON/YAML place for messages: relative to its device, 1-based lists. */
function fieldOfPath(path: readonly (string | number)[]): string {
  let rest = path;
  if (typeof rest[0] === 'number') rest = rest.slice(1);
  else if (rest[0] === 'devices' && typeof rest[1] === 'number') rest = rest.slice(2);
  return rest.map((s) => (typeof s === 'number' ? String(s + 1) : s)).join('.');
}

/**
 * A JSON document's syntax error or forbidden keys as problems, from its scan: the position of
 * each (line and column) read from the source again; empty when it has neither.
 */
function jsonScanProblems(source: JsonSource, scan: JsonScan, file: string): InventoryProblem[] {
  if (scan.syntaxError) {
    const [where] = jsonPositions(source, [scan.syntaxError.offset]);
    const { message, depth } = scan.syntaxError;
    return [{ file, where: where!, message: depth ? message : `not valid JSON (${message})` }];
  }
  const { forbidden, duplicates } = scan;
  const wheres = jsonPositions(source, [
    ...forbidden.map((f) => f.offset),
    ...duplicates.flatMap((d) => [d.offset, d.firstOffset]),
  ]);
  const found = forbidden.map((f, i) => ({
    offset: f.offset,
    problem: {
      file,
      where: wheres[i]!,
      field: fieldOfPath(f.path),
      message: forbiddenKeyMessage(f.key),
    },
  }));
  duplicates.forEach((d, i) => {
    const at = forbidden.length + 2 * i;
    found.push({
      offset: d.offset,
      problem: {
        file,
        where: wheres[at]!,
        field: fieldOfPath(d.path),
        message: duplicateKeyMessage(d.key, wheres[at + 1]!),
      },
    });
  });
  return found.sort((a, b) => a.offset - b.offset).map((f) => f.problem);
}

/**
 * A key given twice in one JSON map: refused, as the YAML reader refuses it. Names the key and
 * where it first was, never a value (it may be a password).
 */
function duplicateKeyMessage(key: string, first: string): string {
  return `"${key}" is given twice in one map (first at ${first}): JSON would silently keep the last; give it once`;
}

/**
 * Whether a text JSON.parse read into `parsedKeys` keys could hold a key twice: it has more
 * places a key can end (`"` then `:`, with any whitespace between) than the parsed maps have
 * keys. A string value that holds `":` counts too — the scan then decides. Pretty-printed and
 * compact JSON write `":`, counted with indexOf (≈ 4 ms for 5 MB, against ≈ 80 ms of
 * JSON.parse); the regular expression runs only for a text with whitespace before a colon.
 */
function mayHaveDuplicateKeys(text: string, parsedKeys: number): boolean {
  let places = 0;
  if (/"[ \t\n\r]+:/.test(text)) {
    const end = /"[ \t\n\r]*:/g;
    while (end.exec(text)) places++;
  } else {
    for (let i = text.indexOf('":'); i !== -1; i = text.indexOf('":', i + 2)) places++;
  }
  return places > parsedKeys;
}

/** Text in which a JSON key could be `__proto__`, `prototype` or `constructor`. */
const MAY_SPELL_FORBIDDEN_KEY = /proto|constructor|\\u/;

/**
 * A JSON inventory parsed whole (JSON.parse, the fast path). A document that does not parse or
 * has a forbidden key is scanned again by the streaming reader, whose problems say where: the
 * same messages and positions as a streamed inventory's, whatever the size.
 */
function readJsonInventory(text: string, file: string, problems: InventoryProblem[]): RawInventory {
  const source = text.replace(/^\uFEFF/, '');
  const empty: RawInventory = { defaults: {}, groups: {}, devices: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (err) {
    const scanned = jsonScanProblems(
      jsonTextSource(source),
      scanJson(jsonTextSource(source), isForbiddenKey),
      file,
    );
    if (scanned.length > 0) {
      for (const p of scanned) problems.push(p);
    } else {
      problems.push({
        file,
        where: 'file',
        message: `not valid JSON (${withoutQuotedText((err as Error).message)})`,
      });
    }
    return empty;
  }
  // A forbidden key is refused wherever the text has it, even in a value that a later
  // duplicate key replaces (JSON.parse keeps the last; the streaming reader sees both): the
  // scan decides, and runs only for a text that could spell one — its letters, or a \u escape.
  // A key given twice is refused too: JSON.parse kept the last, so the scan finds it when the
  // text has more key ends than the parsed maps have keys.
  const forbidden: (string | number)[][] = [];
  const keys = { count: 0 };
  const shallow = findForbiddenKeys(parsed, [], (path) => forbidden.push([...path]), keys);
  if (
    forbidden.length > 0 ||
    !shallow ||
    MAY_SPELL_FORBIDDEN_KEY.test(source) ||
    mayHaveDuplicateKeys(source, keys.count)
  ) {
    const scan = scanJson(jsonTextSource(source), isForbiddenKey);
    const scanned = jsonScanProblems(jsonTextSource(source), scan, file);
    for (const p of scanned) problems.push(p);
    if (scanned.length === 0) {
      for (const path of forbidden) {
        const key = String(path[path.length - 1]);
        problems.push({
          file,
          where: 'file',
          field: fieldOfPath(path),
          message: forbiddenKeyMessage(key),
        });
      }
    }
    if (problems.length > 0) return empty;
  }
  // The devices stay JSON.parse's objects until a pass copies each (memory flat at any size);
  // the defaults and groups, read by every device, are copied once.
  const shaped = shapeInventory(parsed, file, problems, (i) => `device ${i + 1}`);
  const groups = emptyVars() as Record<string, Vars>;
  for (const [name, vars] of Object.entries(shaped.groups)) groups[name] = toVars(vars) as Vars;
  return {
    defaults: toVars(shaped.defaults) as Vars,
    groups,
    devices: shaped.devices.map((d) => ({ ...d, parsed: true })),
  };
}

/**
 * A JSON inventory read a device at a time: the scan's problems (syntax, forbidden keys, then
 * the top level's shape and the items that are not maps, in the order readJsonInventory gives
 * them) into `problems`, and the `defaults` and `groups`.
 * @returns how many of the device list's items are maps (the devices each pass will check)
 */
function readJsonStreamed(
  source: JsonSource,
  file: string,
  problems: InventoryProblem[],
): { scan: JsonScan; defaults: Vars; groups: Record<string, Vars>; devices: number } {
  const scan = scanJson(source, isForbiddenKey);
  const invalid = jsonScanProblems(source, scan, file);
  if (invalid.length > 0) {
    for (const p of invalid) problems.push(p);
    return { scan, defaults: {}, groups: {}, devices: 0 };
  }
  // The top level as shapeInventory knows it: a list (its items come in each pass), a map of
  // the keys the scan saw (`devices` an empty list or not a list), or something else.
  const top = scan.root === 'list' ? [] : scan.root === 'map' ? scan.top : null;
  const before = problems.length;
  const shaped = shapeInventory(top, file, problems, (i) => `device ${i + 1}`);
  const devicesIsList = scan.root === 'list' || Array.isArray(scan.top.devices);
  if (problems.length > before && !devicesIsList) {
    return { scan, defaults: {}, groups: {}, devices: 0 };
  }
  for (const i of scan.notMaps) {
    problems.push({ file, where: `device ${i + 1}`, message: 'expected a map of fields' });
  }
  const groups = emptyVars() as Record<string, Vars>;
  for (const [name, vars] of Object.entries(shaped.groups)) groups[name] = toVars(vars) as Vars;
  return {
    scan,
    defaults: toVars(shaped.defaults) as Vars,
    groups,
    devices: scan.items - scan.notMaps.length,
  };
}

/**
 * Every forbidden key (`__proto__`…) under a YAML node, in document order: its key's offset
 * and its path from the top (`path` is the node's own).
 */
function walkForbiddenYamlKeys(
  node: unknown,
  path: (string | number)[],
  found: (key: string, offset: number | undefined, path: (string | number)[]) => void,
): void {
  const { isMap, isScalar, isSeq } = yaml();
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined && FORBIDDEN_KEYS.has(key)) {
        found(key, isScalar(pair.key) ? pair.key.range?.[0] : undefined, [...path, key]);
        continue;
      }
      walkForbiddenYamlKeys(pair.value, [...path, key ?? '?'], found);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walkForbiddenYamlKeys(item, [...path, i], found));
  }
}

/** Line and column of a text's offsets: the library's LineCounter, or TextLines. */
type LinePositions = Pick<LineCounter | TextLines, 'linePos'>;

/** The problem of a forbidden YAML key, placed by its key's offset. */
function forbiddenYamlKeyProblem(
  key: string,
  offset: number | undefined,
  path: (string | number)[],
  lineCounter: LinePositions,
  file: string,
): InventoryProblem {
  const pos = offset !== undefined ? lineCounter.linePos(offset) : undefined;
  return {
    file,
    where: pos ? `line ${pos.line}, col ${pos.col}` : 'file',
    field: fieldOfPath(path),
    message: forbiddenKeyMessage(key),
  };
}

/**
 * Every forbidden key (`__proto__`…) of a parsed YAML document, with the key's line and
 * column. Checked on the syntax tree, before `toJS` builds any object.
 */
export function forbiddenYamlKeys(
  doc: Document,
  lineCounter: Pick<LineCounter, 'linePos'>,
  file: string,
): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  walkForbiddenYamlKeys(doc.contents, [], (key, offset, path) => {
    problems.push(forbiddenYamlKeyProblem(key, offset, path, lineCounter, file));
  });
  return problems;
}

/** The problem of a YAML document or node that `toJS` refused. */
function yamlConversionProblem(err: unknown, file: string, what: string): InventoryProblem {
  const text = (err as Error).message;
  const unresolved = /^Unresolved alias \(the anchor must be set before the alias\): (.*)$/s.exec(
    text,
  );
  const message = unresolved
    ? `alias *${unresolved[1]} has no anchor before it`
    : /^Excessive alias count/.test(text)
      ? 'too many alias expansions (an alias bomb?)'
      : withoutQuotedText(text);
  return { file, where: 'file', message: `not valid ${what} (${message})` };
}

/**
 * A YAML document as plain data in null-prototype maps; an alias bomb (more than 1,000 alias
 * expansions) or any other failure of the conversion is a problem, not an exception.
 */
export function yamlToData(
  doc: Document,
  file: string,
  what: string,
): { data: unknown } | InventoryProblem {
  try {
    return { data: toVars(doc.toJS({ maxAliasCount: 1000 })) };
  } catch (err) {
    return yamlConversionProblem(err, file, what);
  }
}

/** The first error of a parsed YAML document as a problem (the only one reported). */
function firstYamlError(doc: Document, file: string): InventoryProblem | undefined {
  const e = doc.errors[0];
  return e ? yamlErrorProblem(e, file, 'YAML') : undefined;
}

/**
 * A YAML parse error as one clean line: placed by `line L, col C`, and the yaml library's
 * message without what follows its first line (the file's text around the mistake, where a
 * password may be) nor the ` at line L, column C:` that first line ends with (the place is
 * said already; the colon introduced the text not shown).
 * @example yamlErrorProblem(err, 'inv.yaml', 'YAML')
 * // { where: 'line 3, col 5', message: 'not valid YAML (map keys must be unique)' }
 */
export function yamlErrorProblem(
  e: { message: string; linePos?: readonly { line: number; col: number }[] | undefined },
  file: string,
  what: string,
): InventoryProblem {
  const pos = e.linePos?.[0];
  return {
    file,
    where: pos ? `line ${pos.line}, col ${pos.col}` : 'file',
    message: `not valid ${what} (${yamlErrorReason(e.message)})`,
  };
}

/**
 * The yaml library's message as a reason: its first line, without ` at line L, column C:` at
 * its end, the first letter lower-cased as the other readers' reasons are
 * (`Map keys must be unique at line 3, column 5:` → `map keys must be unique`).
 */
function yamlErrorReason(message: string): string {
  const first = (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').trim();
  return /^[A-Z][a-z]/.test(first) ? first.charAt(0).toLowerCase() + first.slice(1) : first;
}

/**
 * The yaml library's log level for every document read: `error`, not its default `warn`, which
 * hands warnings to process.emitWarning — Node printed `Warning: Keys with collection values
 * will be stringified …: "{ admin_password: s3cret }"` on stderr, the key's text with it, for
 * `? { admin_password: s3cret } : x` in an inventory or vars file (fuzz9).
 */
const YAML_LOG_LEVEL = 'error';

/**
 * The problem of a YAML text whose parsing overflowed the call stack. The yaml library's
 * composer turns a stack overflow into a document error, its parser does not: a few thousand
 * `b: ` after `{ a: ` (a 12 KB line) threw RangeError out of parseDocument, which render
 * reported as "unexpected failure" (fuzz9). Any other exception is rethrown.
 */
function yamlOverflowProblem(err: unknown, file: string, what: string): InventoryProblem {
  if (!(err instanceof RangeError)) throw err;
  return { file, where: 'file', message: `not valid ${what} (nested too deeply)` };
}

/**
 * An inventory's or a vars file's YAML text as a document, read the one way both are read
 * (unique keys, merge keys, numbers kept as written, no warnings printed), or the one problem
 * of a document nested too deeply for the parser.
 * @example parseInventoryYaml('mac: 001122334455', 'inv.yaml', 'YAML').doc?.toJS()
 * // { mac: '001122334455' }
 */
export function parseInventoryYaml(
  text: string,
  file: string,
  what: string,
): { doc: Document; lineCounter: LineCounter } | { problem: InventoryProblem } {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  try {
    const doc = parseDocument(text, {
      lineCounter,
      uniqueKeys: true,
      merge: true,
      customTags: keepNumberText,
      logLevel: YAML_LOG_LEVEL,
    });
    return { doc, lineCounter };
  } catch (err) {
    return { problem: yamlOverflowProblem(err, file, what) };
  }
}

function readYamlInventory(text: string, file: string, problems: InventoryProblem[]): RawInventory {
  const parsed = parseInventoryYaml(text, file, 'YAML');
  if ('problem' in parsed) {
    problems.push(parsed.problem);
    return { defaults: {}, groups: {}, devices: [] };
  }
  return yamlDocumentInventory(parsed.doc, parsed.lineCounter, file, problems);
}

/** A YAML inventory from its whole document (parsed whole, or streamed with nothing to stream). */
function yamlDocumentInventory(
  doc: Document,
  lineCounter: LinePositions,
  file: string,
  problems: InventoryProblem[],
): RawInventory {
  const error = firstYamlError(doc, file);
  if (error) {
    problems.push(error);
    return { defaults: {}, groups: {}, devices: [] };
  }
  // Line of each device, for messages: the list itself, or the `devices` list of a map.
  const { isMap, isSeq } = yaml();
  const root = doc.contents;
  const seq = isSeq(root) ? root : isMap(root) ? root.get('devices', true) : undefined;
  const lines: number[] = [];
  if (isSeq(seq)) {
    for (const item of seq.items) {
      const offset = (item as { range?: [number, number, number] } | null)?.range?.[0];
      lines.push(offset !== undefined ? lineCounter.linePos(offset).line : 0);
    }
  }
  const forbidden = forbiddenYamlKeys(doc, lineCounter, file);
  if (forbidden.length > 0) {
    for (const p of forbidden) problems.push(p);
    return { defaults: {}, groups: {}, devices: [] };
  }
  const converted = yamlToData(doc, file, 'YAML');
  if (!('data' in converted)) {
    problems.push(converted);
    return { defaults: {}, groups: {}, devices: [] };
  }
  return shapeInventory(converted.data ?? [], file, problems, (i) =>
    lines[i] ? `line ${lines[i]} (device ${i + 1})` : `device ${i + 1}`,
  );
}

/** A streamed YAML inventory's devices, kept between passes. */
interface YamlKeptDevices {
  defaults: Vars;
  groups: Record<string, Vars>;
  /** Each map of the device list, toVars'd, serialised. */
  kept: SerializedValues;
  /** For each kept device: its 0-based position in the list and its line (two numbers). */
  places: number[];
}

/** Why the streamed reader stopped converting devices: the first one `toJS` refused. */
interface YamlDeviceFailure {
  problem: InventoryProblem;
}

/**
 * A YAML inventory read a device at a time (src/render/inventory-yaml.ts): the problems in the
 * order and wording of readYamlInventory — the first syntax error alone; else every forbidden
 * key; else the first value `toJS` refuses; else the shape's — and the devices kept serialised.
 * A device whose alias names an anchor outside it (in another device, in `defaults`) is refused
 * with its line: streamed, each device is converted on its own.
 * @returns the kept devices, or — when the document has no block list of devices to stream —
 *   the inventory readYamlInventory would give
 */
function readYamlStreamed(
  text: string,
  file: string,
  problems: InventoryProblem[],
): YamlKeptDevices | RawInventory {
  const forbidden: { offset: number; problem: InventoryProblem }[] = [];
  let failure: YamlDeviceFailure | undefined;
  const kept = new SerializedValues();
  const places: number[] = [];
  const notMaps: string[] = [];
  const { isNode, isSeq } = yaml();

  const onChunk = (chunk: YamlDeviceChunk): void => {
    const { doc, firstIndex, lineCounter, listPath, hasAliases, anchors } = chunk;
    const seq = doc.contents;
    if (!isSeq(seq)) return;
    seq.items.forEach((node, k) => {
      const index = firstIndex + k;
      walkForbiddenYamlKeys(node, [...listPath, index], (key, offset, path) => {
        forbidden.push({
          offset: offset ?? 0,
          problem: forbiddenYamlKeyProblem(key, offset, path, lineCounter, file),
        });
      });
      if (forbidden.length > 0 || failure || !isNode(node)) return;
      const foreign = hasAliases ? aliasOutside(node, anchors) : undefined;
      if (foreign?.elsewhere) {
        failure = { problem: aliasOutsideProblem(foreign, lineCounter, file) };
        return;
      }
      let data: unknown;
      try {
        data = toVars(node.toJS(doc, { maxAliasCount: 1000 }));
      } catch (err) {
        failure = { problem: yamlConversionProblem(err, file, 'YAML') };
        return;
      }
      const line = node.range ? lineCounter.linePos(node.range[0]).line : 0;
      if (isPlainObject(data)) {
        kept.push(data);
        places.push(index, line);
      } else notMaps.push(line ? `line ${line} (device ${index + 1})` : `device ${index + 1}`);
    });
  };

  const empty: RawInventory = { defaults: {}, groups: {}, devices: [] };
  let streamed: ReturnType<typeof streamYamlDocument>;
  try {
    streamed = streamYamlDocument(
      text,
      { uniqueKeys: true, merge: true, customTags: keepNumberText, logLevel: YAML_LOG_LEVEL },
      onChunk,
    );
  } catch (err) {
    problems.push(yamlOverflowProblem(err, file, 'YAML'));
    return empty;
  }
  const { doc, lineCounter } = streamed;
  if (streamed.listPath === undefined)
    return yamlDocumentInventory(doc, lineCounter, file, problems);
  const error = firstYamlError(doc, file);
  if (error) {
    problems.push(error);
    return empty;
  }
  walkForbiddenYamlKeys(doc.contents, [], (key, offset, path) => {
    forbidden.push({
      offset: offset ?? 0,
      problem: forbiddenYamlKeyProblem(key, offset, path, lineCounter, file),
    });
  });
  if (forbidden.length > 0) {
    forbidden.sort((a, b) => a.offset - b.offset);
    for (const f of forbidden) problems.push(f.problem);
    return empty;
  }
  if (failure) {
    problems.push(failure.problem);
    return empty;
  }
  const converted = yamlToData(doc, file, 'YAML');
  if (!('data' in converted)) {
    problems.push(converted);
    return empty;
  }
  const shaped = shapeInventory(converted.data ?? [], file, problems, (i) => `device ${i + 1}`);
  for (const where of notMaps) problems.push({ file, where, message: 'expected a map of fields' });
  return { defaults: shaped.defaults, groups: shaped.groups, kept, places };
}

/**
 * The first alias under a device's node whose anchor is not before it in the same device (in
 * the order the library resolves aliases: `visit`'s); `elsewhere` when the text has that anchor
 * before the alias all the same (`anchors`: each name's first offset), in another device or
 * before the list — which parsing whole would resolve.
 */
function aliasOutside(
  node: YamlNode,
  anchors: ReadonlyMap<string, number>,
): { name: string; offset: number; elsewhere: boolean } | undefined {
  const own = new Set<string>();
  let found: { name: string; offset: number; elsewhere: boolean } | undefined;
  const { isAlias, visit } = yaml();
  visit(node, {
    Node: (_key, n) => {
      if (isAlias(n)) {
        if (!found && !own.has(n.source)) {
          // elsewhere: an earlier device has the anchor (the whole document would resolve it).
          const offset = n.range?.[0] ?? 0;
          found = { name: n.source, offset, elsewhere: (anchors.get(n.source) ?? offset) < offset };
        }
      } else if (n.anchor) own.add(n.anchor);
    },
  });
  return found;
}

function aliasOutsideProblem(
  alias: { name: string; offset: number },
  lineCounter: TextLines,
  file: string,
): InventoryProblem {
  const pos = lineCounter.linePos(alias.offset);
  return {
    file,
    where: `line ${pos.line}, col ${pos.col}`,
    message: `alias *${alias.name} names an anchor outside its device, which a YAML inventory above ${YAML_WHOLE_PARSE_CHARS / 1024 / 1024} MiB cannot use (it is read a device at a time): repeat the values, or put them in defaults or a group`,
  };
}

// ---- checks shared by every format ----

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** Checks devices one at a time: MAC, serial, model; duplicates within one pass. */
class DeviceChecker {
  private readonly byMac = new Map<string, string>();
  private readonly bySerial = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly problems: InventoryProblem[],
    private readonly trackDuplicates = true,
  ) {}

  /** The checked device, or undefined when it has a problem (reported). */
  check({ where, fields }: RawDevice, i: number): InventoryDevice | undefined {
    const { file, problems, byMac, bySerial } = this;
    const before = problems.length;
    const add = (field: string, message: string): void => {
      problems.push({ file, where, field, message });
    };
    const fieldsOut: Vars = Object.assign(emptyVars(), fields);
    // `mac: null`, `mac: ""` or a bare `mac:` (an ATA known by its serial, exported from a
    // database or a YAML skeleton) is no MAC, as an empty CSV cell is none.
    for (const id of ['mac', 'serial'] as const) {
      if (fields[id] === null || fields[id] === '') {
        fields = Object.assign(emptyVars(), fields);
        delete fields[id];
        delete fieldsOut[id];
      }
    }

    let mac: string | undefined;
    if (fields.mac !== undefined) {
      const text = asText(fields.mac);
      mac = text === undefined ? undefined : normalizeMac(text);
      if (!mac) {
        add(
          'mac',
          `${JSON.stringify(fields.mac)} is not a MAC address (expected 12 hex digits, e.g. 00:56:2B:04:36:15, 0056.2b04.3615)${numberedMacHint(text)}`,
        );
      } else if (byMac.has(mac)) {
        add('mac', `duplicate MAC ${mac} (also ${byMac.get(mac)})`);
      } else {
        if (this.trackDuplicates) byMac.set(mac, where);
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
        // Upper case, as the phone reports it (`(FCH2443D9R4)` in an ATA's User-Agent,
        // reference §6) and as `$SN` names the file it asks for.
        serial = serial.toUpperCase();
        if (this.trackDuplicates) bySerial.set(serial, where);
        fieldsOut.serial = serial;
      }
    }
    if (fields.mac === undefined && fields.serial === undefined) {
      add(
        'mac',
        `a device needs a mac (or, for an ATA191/192, a serial)${otherCase(fields, 'mac', 'serial')}`,
      );
    }

    let phone: PhoneModel | undefined;
    const modelText = asText(fields.model);
    if (modelText === undefined || modelText === '') {
      add(
        'model',
        `missing (expected a model such as 8841, CP-7832-3PCC, ATA191)${otherCase(fields, 'model')}`,
      );
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
    for (const key of Object.keys(fields)) {
      if (key.includes('.')) add(key, dottedKeyMessage(key));
      else if ((key.length === 5 || key.length === 8) && fields[key.toLowerCase()] === undefined) {
        // A spreadsheet's `Group` or `Template` header: a variable of that name chose no group
        // or template, and the device rendered without them, exit 0.
        const chooser = key.toLowerCase();
        if (chooser === 'group' || chooser === 'template') {
          add(chooser, `not given${otherCase(fields, chooser)}`);
        }
      }
    }
    if (problems.length !== before || !phone) return undefined;
    return {
      where,
      index: i + 1,
      ...(mac ? { mac } : {}),
      ...(serial ? { serial } : {}),
      phone,
      fields: fieldsOut,
    };
  }
}
