/**
 * The user catalog file (`--catalog <file>`): JSON in, checked {@link CatalogEntry} list out.
 */
import {
  CATALOG_FAMILIES,
  type CatalogEntry,
  type CatalogFamily,
  type IndexKind,
  type IndexRange,
  type ParameterKind,
  type ParameterType,
} from './catalog.js';
import { DomainError } from '../domain-errors.js';
import { describeJsonSyntaxError } from './json-syntax-error.js';

/*
 * User catalog format (`--catalog <file>`), JSON:
 *
 *   { "parameters": [ Entry, … ] }        or a bare array [ Entry, … ]
 *
 *   Entry = {
 *     "name":     string,   exact XML element name, or pattern with {n} (and {m}); required
 *     "type":     Type,     required
 *     "index":    { "min": int ≥ 0, "max": int ≥ min, "kind": "line"|"key"|"kem-unit"|"kem-key"|"other" }
 *                           required when name has {n}, forbidden otherwise
 *     "subIndex": same as index, for {m}
 *     "default":  string
 *     "secret":   boolean
 *     "families": [ "6800" | "7800" | "7832" | "8800" | "8832" | "9800" | "8875" | "ATA190", … ]
 *     "aliases":  [ string, … ]  other spellings, accepted with a warning naming "name"
 *     "familyTypes": { "<family>": Type, … }  the type on a family where it differs
 *     "section":  "router-configuration"     a leaf of the ATA's <router-configuration>
 *     "source":   string    optional; defaults to the file name
 *   }
 *
 *   Type = "bool" | "port" | "ip" | "schedule" | "dialplan" | "free"     (shorthand)
 *        | { "kind": "bool" | "port" | "ip" | "schedule" | "dialplan" | "free" }
 *        | { "kind": "enum", "values": [string, …] (non-empty), "caseSensitive"?: boolean }
 *        | { "kind": "integer", "min": integer, "max": integer ≥ min }
 *        | { "kind": "time", "min"?: number, "max"?: number }
 *        | { "kind": "host", "port"?: boolean, "maxLength"?: integer > 0, "srv"?: boolean }
 *        | { "kind": "string", "maxLength": integer > 0 }
 *        | { "kind": "rule", "rule": "profile" | "upgrade" | "report" }
 *        | { "kind": "password", "maxLength"?: integer > 0 }
 *        | { "kind": "pattern", "regex": string (JavaScript, anchored), "expected": string }
 */

const SIMPLE_KINDS = ['bool', 'port', 'ip', 'schedule', 'dialplan', 'free'] as const;
const ALL_KINDS: readonly ParameterKind[] = [
  'bool',
  'enum',
  'integer',
  'port',
  'time',
  'ip',
  'host',
  'string',
  'schedule',
  'rule',
  'dialplan',
  'password',
  'pattern',
  'free',
];
const INDEX_KINDS: readonly IndexKind[] = ['line', 'key', 'kem-unit', 'kem-key', 'other'];
const FAMILIES: readonly CatalogFamily[] = CATALOG_FAMILIES;
const ENTRY_KEYS = [
  'name',
  'type',
  'index',
  'subIndex',
  'default',
  'secret',
  'families',
  'aliases',
  'familyTypes',
  'section',
  'source',
];

type Json = unknown;

function isObject(x: Json): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: Json): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return JSON.stringify(x.length > 30 ? `${x.slice(0, 27)}...` : x);
  if (typeof x === 'object') return 'an object';
  return `${typeof x} ${String(x)}`;
}

function isInt(x: Json): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}

function parseType(
  raw: Json,
  fail: (field: string, expected: string, got: Json) => never,
): ParameterType {
  if (typeof raw === 'string') {
    if ((SIMPLE_KINDS as readonly string[]).includes(raw)) return { kind: raw } as ParameterType;
    return fail('type', `one of ${SIMPLE_KINDS.join(', ')} or a type object`, raw);
  }
  if (!isObject(raw)) return fail('type', 'a type name or an object with "kind"', raw);
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(ALL_KINDS as readonly string[]).includes(kind)) {
    return fail('type.kind', `one of ${ALL_KINDS.join(', ')}`, kind);
  }
  const optionalPositiveInt = (key: string): number | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (!isInt(v) || v <= 0) return fail(`type.${key}`, 'a positive integer', v);
    return v;
  };
  switch (kind as ParameterKind) {
    case 'enum': {
      const values = raw.values;
      if (
        !Array.isArray(values) ||
        values.length === 0 ||
        !values.every((v) => typeof v === 'string')
      ) {
        return fail('type.values', 'a non-empty array of strings', values);
      }
      const caseSensitive = raw.caseSensitive;
      if (caseSensitive !== undefined && typeof caseSensitive !== 'boolean') {
        return fail('type.caseSensitive', 'true or false', caseSensitive);
      }
      return caseSensitive === undefined
        ? { kind: 'enum', values: values as string[] }
        : { kind: 'enum', values: values as string[], caseSensitive };
    }
    case 'integer': {
      const { min, max } = raw;
      if (!isInt(min)) return fail('type.min', 'an integer', min);
      if (!isInt(max) || max < min) return fail('type.max', `an integer ≥ ${min}`, max);
      return { kind: 'integer', min, max };
    }
    case 'time': {
      const { min, max } = raw;
      if (min !== undefined && (typeof min !== 'number' || min < 0)) {
        return fail('type.min', 'a number ≥ 0', min);
      }
      if (max !== undefined && (typeof max !== 'number' || max < (min ?? 0))) {
        return fail('type.max', `a number ≥ ${String(min ?? 0)}`, max);
      }
      const t: ParameterType = { kind: 'time' };
      if (min !== undefined) t.min = min;
      if (max !== undefined) t.max = max;
      return t;
    }
    case 'host': {
      const port = raw.port;
      if (port !== undefined && typeof port !== 'boolean')
        return fail('type.port', 'true or false', port);
      const t: ParameterType = { kind: 'host' };
      if (port !== undefined) t.port = port;
      const srv = raw.srv;
      if (srv !== undefined && typeof srv !== 'boolean')
        return fail('type.srv', 'true or false', srv);
      if (srv !== undefined) t.srv = srv;
      const maxLength = optionalPositiveInt('maxLength');
      if (maxLength !== undefined) t.maxLength = maxLength;
      return t;
    }
    case 'string': {
      const maxLength = optionalPositiveInt('maxLength');
      if (maxLength === undefined) return fail('type.maxLength', 'a positive integer', undefined);
      return { kind: 'string', maxLength };
    }
    case 'rule': {
      const rule = raw.rule;
      if (rule !== 'profile' && rule !== 'upgrade' && rule !== 'report') {
        return fail('type.rule', '"profile", "upgrade" or "report"', rule);
      }
      return { kind: 'rule', rule };
    }
    case 'password': {
      const maxLength = optionalPositiveInt('maxLength');
      return maxLength === undefined ? { kind: 'password' } : { kind: 'password', maxLength };
    }
    case 'pattern': {
      const { regex, expected } = raw;
      if (typeof regex !== 'string' || regex === '') {
        return fail('type.regex', 'a non-empty regular expression string', regex);
      }
      try {
        new RegExp(regex);
      } catch (error) {
        return fail(
          'type.regex',
          `a valid regular expression (${(error as Error).message})`,
          regex,
        );
      }
      if (typeof expected !== 'string' || expected === '') {
        return fail('type.expected', 'a short description of the format', expected);
      }
      return { kind: 'pattern', regex, expected };
    }
    default:
      return { kind } as ParameterType;
  }
}

function parseIndex(
  raw: Json,
  field: string,
  fail: (field: string, expected: string, got: Json) => never,
): IndexRange {
  if (!isObject(raw)) return fail(field, 'an object { min, max, kind }', raw);
  const { min, max, kind } = raw;
  if (!isInt(min) || min < 0) return fail(`${field}.min`, 'an integer ≥ 0', min);
  if (!isInt(max) || max < min) return fail(`${field}.max`, `an integer ≥ ${min}`, max);
  if (typeof kind !== 'string' || !(INDEX_KINDS as readonly string[]).includes(kind)) {
    return fail(`${field}.kind`, `one of ${INDEX_KINDS.join(', ')}`, kind);
  }
  return { min, max, kind: kind as IndexKind };
}

/** A problem of a catalog file: bad input (`catalog-invalid`), its message one line. */
function catalogInvalid(fileName: string, message: string): DomainError {
  return new DomainError('bad-input', 'catalog-invalid', message, { file: fileName });
}

/**
 * Parses and checks a user catalog file (format in the comment above). Throws a DomainError
 * (`bad-input`, code `catalog-invalid`) whose message names the file, the entry (by position and
 * name) and the field, and says what was expected and what arrived.
 *
 * @example
 * parseCatalogJson('{"parameters":[{"name":"X_Custom","type":"bool"}]}', 'site.json');
 * // [{ name: 'X_Custom', type: { kind: 'bool' }, source: 'site.json' }]
 * parseCatalogJson('[{"name":"X","type":"number"}]', 'site.json');
 * // throws: site.json: entry 0 ("X"): "type" expected one of bool, port, …, got "number"
 */
export function parseCatalogJson(text: string, fileName: string): CatalogEntry[] {
  let doc: Json;
  // A BOM is no part of JSON (RFC 8259 §8.1), but Windows editors save one: read past it.
  const source = text.replace(/^\uFEFF/, '');
  try {
    doc = JSON.parse(source);
  } catch (error) {
    // Where, and never the text V8 quotes around the mistake (a catalog may hold a default).
    throw catalogInvalid(
      fileName,
      `${fileName}: ${describeJsonSyntaxError((error as Error).message, source)}`,
    );
  }
  let list: Json;
  if (Array.isArray(doc)) list = doc;
  else if (isObject(doc) && Array.isArray(doc.parameters)) list = doc.parameters;
  else
    throw catalogInvalid(
      fileName,
      `${fileName}: expected an array of entries or { "parameters": [...] }, got ${describe(doc)}`,
    );

  const entries: CatalogEntry[] = [];
  const seen = new Map<string, number>();
  (list as Json[]).forEach((raw, position) => {
    const label = (): string =>
      isObject(raw) && typeof raw.name === 'string'
        ? `entry ${position} (${JSON.stringify(raw.name)})`
        : `entry ${position}`;
    const fail = (field: string, expected: string, got: Json): never => {
      throw catalogInvalid(
        fileName,
        `${fileName}: ${label()}: "${field}" expected ${expected}, got ${got === undefined ? 'nothing' : describe(got)}`,
      );
    };
    if (!isObject(raw)) {
      throw catalogInvalid(
        fileName,
        `${fileName}: ${label()}: expected an object, got ${describe(raw)}`,
      );
    }
    for (const key of Object.keys(raw)) {
      if (!ENTRY_KEYS.includes(key)) {
        throw catalogInvalid(
          fileName,
          `${fileName}: ${label()}: unknown field "${key}" (expected ${ENTRY_KEYS.join(', ')})`,
        );
      }
    }
    const name = raw.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.{}-]+$/.test(name.replace(/\{[nm]\}/g, '0'))) {
      return fail(
        'name',
        'an XML element name (letters, digits, _ - .), {n}/{m} for indexes',
        name,
      );
    }
    if (/\{(?![nm]\})/.test(name)) {
      return fail('name', 'only {n} and {m} as index placeholders', name);
    }
    const placeholders = name.match(/\{[nm]\}/g) ?? [];
    if (new Set(placeholders).size !== placeholders.length) {
      return fail('name', 'each of {n} and {m} at most once', name);
    }
    if (name.includes('{m}') && !name.includes('{n}')) {
      return fail('name', '{n} before a second index {m}', name);
    }
    // A router-configuration leaf may share a flat parameter's name (the ATA's PRT_Upload_Method).
    const key = `${raw.section === 'router-configuration' ? 'router:' : ''}${name}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw catalogInvalid(
        fileName,
        `${fileName}: ${label()}: duplicate name, already defined by entry ${previous}`,
      );
    }
    seen.set(key, position);
    const entry: CatalogEntry = { name, type: parseType(raw.type, fail), source: fileName };
    const hasN = name.includes('{n}');
    const hasM = name.includes('{m}');
    if (hasN) entry.index = parseIndex(raw.index, 'index', fail);
    else if (raw.index !== undefined) fail('index', 'nothing, as the name has no {n}', raw.index);
    if (hasM) entry.subIndex = parseIndex(raw.subIndex, 'subIndex', fail);
    else if (raw.subIndex !== undefined)
      fail('subIndex', 'nothing, as the name has no {m}', raw.subIndex);
    if (raw.default !== undefined) {
      if (typeof raw.default !== 'string') fail('default', 'a string', raw.default);
      else entry.default = raw.default;
    }
    if (raw.secret !== undefined) {
      if (typeof raw.secret !== 'boolean') fail('secret', 'true or false', raw.secret);
      else entry.secret = raw.secret;
    }
    if (raw.families !== undefined) {
      const fams = raw.families;
      if (!Array.isArray(fams) || !fams.every((f) => (FAMILIES as readonly Json[]).includes(f))) {
        fail('families', `an array of ${FAMILIES.join(', ')}`, fams);
      } else entry.families = fams as CatalogFamily[];
    }
    if (raw.aliases !== undefined) {
      const aliases = raw.aliases;
      if (
        !Array.isArray(aliases) ||
        !aliases.every((a) => typeof a === 'string' && /^[A-Za-z0-9_.-]+$/.test(a))
      ) {
        fail('aliases', 'an array of XML element names', aliases);
      } else entry.aliases = aliases as string[];
    }
    if (raw.familyTypes !== undefined) {
      const types = raw.familyTypes;
      if (!isObject(types)) {
        fail('familyTypes', 'an object of family -> type', types);
      } else {
        const familyTypes: Partial<Record<CatalogFamily, ParameterType>> = {};
        for (const [family, type] of Object.entries(types)) {
          if (!(FAMILIES as readonly string[]).includes(family)) {
            fail('familyTypes', `families among ${FAMILIES.join(', ')}`, family);
          }
          familyTypes[family as CatalogFamily] = parseType(type, fail);
        }
        entry.familyTypes = familyTypes;
      }
    }
    if (raw.section !== undefined) {
      if (raw.section !== 'router-configuration') {
        fail('section', '"router-configuration"', raw.section);
      } else entry.section = raw.section;
    }
    if (raw.source !== undefined) {
      if (typeof raw.source !== 'string' || raw.source.trim() === '')
        fail('source', 'a non-empty string', raw.source);
      else entry.source = raw.source;
    }
    entries.push(entry);
  });
  return entries;
}
