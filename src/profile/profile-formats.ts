/**
 * A profile in three notations: the XML the phone reads, and JSON/YAML forms of the same
 * parameter map for pipelines (`jq`, `yq`). See profile-map.ts for the map and its rules.
 *
 * JSON/YAML form: `{ "<name>": { "value": "…", "ua": "na" } }`, document order kept.
 */
import { yaml } from '../lazy-deps.js';
import { describeJsonSyntaxError } from './json-syntax-error.js';
import { jsonPositions, jsonTextSource, scanJson } from '../render/inventory-json.js';
import {
  ProfileFormatError,
  buildProfileXml,
  parseProfileXml,
  profileFromObject,
  profileToObject,
  type ParsedProfile,
  type ProfileMap,
} from './profile-map.js';

/**
 * The notations a profile is read and written in: Cisco's XML, or JSON/YAML maps.
 * @example writeProfileText(profile, 'yaml')
 */
export type ProfileNotation = 'xml' | 'json' | 'yaml';

/**
 * The notation a file name says: `.json`, `.yaml`/`.yml`; anything else (`.xml`, `.cfg`) XML.
 * @example notationOfFileName('site.YAML') // 'yaml'; notationOfFileName('0056.cfg') // undefined
 */
export function notationOfFileName(name: string): ProfileNotation | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.xml')) return 'xml';
  return undefined;
}

/**
 * Guesses the notation of a text: `<` first is XML, `{` or `[` JSON (an array is then refused
 * as JSON that holds no parameter map); undefined otherwise (ask the user).
 * @example sniffNotation('  <flat-profile/>') // 'xml'
 */
export function sniffNotation(text: string): ProfileNotation | undefined {
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '<') return 'xml';
  if (first === '{' || first === '[') return 'json';
  return undefined;
}

/**
 * Reads a profile in any of the three notations. YAML is read with the failsafe schema, so
 * every scalar stays text: `Yes`, `0012` and `1e3` are values as written, never booleans or
 * numbers.
 * @example readProfileText('{"Station_Name":{"value":"Lobby"}}', 'json').parameters.get('Station_Name')
 * // { value: 'Lobby' }
 * @throws ProfileFormatError naming what is wrong (with line and column where known)
 */
export function readProfileText(text: string, notation: ProfileNotation): ParsedProfile {
  if (notation === 'xml') return parseProfileXml(text);
  let data: unknown;
  const yamlWarnings: string[] = [];
  if (notation === 'json') {
    // A BOM is no part of JSON (RFC 8259 §8.1), but Windows editors save one: read past it.
    const json = text.replace(/^\uFEFF/, '');
    try {
      data = JSON.parse(json);
    } catch (err) {
      // `line L, col C: not valid JSON (…)`, as `validate --catalog` says it; never the text.
      throw new ProfileFormatError(describeJsonSyntaxError((err as Error).message, json));
    }
    refuseDuplicateJsonKey(json);
  } else {
    try {
      // parseDocument, not parse: parse hands the document's warnings to process.emitWarning,
      // which printed them on stderr with the line they are on — `Admin_Passwd: !pw s3cret`
      // put the password on diff's stderr, masked values or not (fuzz9). They are the
      // profile's warnings now, one line each, without the text.
      // logLevel error: toJS warns through process.emitWarning too (a collection as a key).
      const doc = yaml().parseDocument(text, {
        schema: 'failsafe',
        uniqueKeys: true,
        logLevel: 'error',
      });
      if (doc.errors[0] !== undefined) throw doc.errors[0];
      data = doc.toJS({ maxAliasCount: 0 });
      for (const w of doc.warnings) {
        const pos = w.linePos?.[0];
        const where = pos ? `line ${pos.line}, col ${pos.col}: ` : '';
        yamlWarnings.push(`${where}${(w.message.split('\n')[0] ?? '').replace(YAML_AT, '')}`);
      }
    } catch (err) {
      const e = err as Error & { linePos?: { line: number; col: number }[] };
      const pos = e.linePos?.[0];
      // The first line only (the next ones quote the file), without the ` at line L, column
      // C:` it ends with: the place is said before the message.
      const reason = (e.message.split('\n')[0] ?? '').replace(YAML_AT, '');
      throw new ProfileFormatError(`not valid YAML: ${reason}`, pos?.line, pos?.col);
    }
  }
  return { parameters: profileFromObject(data), duplicates: [], warnings: yamlWarnings };
}

/** The ` at line L, column C:` the yaml library ends the first line of a message with. */
const YAML_AT = / at line \d+, column \d+:?$/;

/**
 * Writes a parameter map in a notation. JSON is indented by two spaces; YAML quotes every
 * value, so YAML 1.1 readers (PyYAML) do not turn `Yes` into a boolean.
 * @example writeProfileText(map, 'json')
 * // '{\n  "Station_Name": {\n    "value": "Lobby"\n  }\n}\n'
 */
export function writeProfileText(parameters: ProfileMap, notation: ProfileNotation): string {
  if (notation === 'xml') return buildProfileXml(parameters);
  const data = profileToObject(parameters);
  // The characters YAML is written with escapes for (below), as JSON's own `\u009b`: the value
  // read back (jq, JSON.parse, `convert --from json`) is the same, and the text shown on a
  // terminal cannot be driven or reordered by a value (JSON.stringify escapes only C0).
  if (notation === 'json')
    return `${JSON.stringify(data, null, 2).replace(YAML_ESCAPED, jsonEscape)}\n`;
  // A parameter name with such a character (XML allows U+200C in a name) is quoted too.
  const plainKeys = ![...parameters.keys()].some((name) => YAML_ESCAPED_ONE.test(name));
  const text = yaml().stringify(
    { ...data },
    { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: plainKeys ? 'PLAIN' : null, lineWidth: 0 },
  );
  return text.replace(YAML_ESCAPED, yamlEscape);
}

/**
 * What the YAML is written with escapes for, and the yaml library writes raw: DEL and the C1
 * controls (YAML 1.2 §5.1: outside the printable set, a stream must not carry them; PyYAML
 * refuses such a file), and the format characters that reorder or hide text on a screen (bidi
 * embeddings, overrides and isolates U+202A-E and U+2066-9, U+061C, zero-width U+200B-F, line
 * and paragraph separators, BOM). The library escapes only what JSON.stringify does (C0) and has
 * no option for more, so its output is escaped after: sound because every string it writes here
 * is double-quoted (defaultStringType, and keys that hold one), where `\xHH` and `\uHHHH` are
 * YAML 1.2 §5.7 escapes. A test reads the result back with the library and with PyYAML.
 */
const YAML_ESCAPED =
  /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const YAML_ESCAPED_ONE = new RegExp(YAML_ESCAPED.source);

function jsonEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function yamlEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
    : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A key given twice in one JSON map is refused, as the YAML reader refuses it (`uniqueKeys`):
 * JSON.parse keeps the last silently, so a second `Station_Name` or `value` would change the
 * profile unseen. Names the key (a parameter or field name, never a value) and both places.
 * @throws ProfileFormatError at the second key's line and column
 */
function refuseDuplicateJsonKey(json: string): void {
  const duplicate = scanJson(jsonTextSource(json), () => false).duplicates[0];
  if (!duplicate) return;
  const [at, first] = jsonPositions(jsonTextSource(json), [
    duplicate.offset,
    duplicate.firstOffset,
  ]);
  const place = /^line (\d+), col (\d+)$/.exec(at ?? '');
  throw new ProfileFormatError(
    `not valid as a profile: "${duplicate.key}" is given twice in one map (first at ${first}): JSON would silently keep the last; give it once`,
    place ? Number(place[1]) : undefined,
    place ? Number(place[2]) : undefined,
  );
}
