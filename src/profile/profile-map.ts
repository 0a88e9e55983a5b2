/**
 * A profile as data: an ordered map from parameter name to `{ value, ua, preserve-value, group }`
 * (the attributes only when written), read from the XML
 * ("open") profile of reference §1 with fast-xml-parser and written back with its builder.
 * `diff`, `convert` and `drift` work on this map.
 *
 * Reading follows the phone (reference §1): the parameters are the child elements of every
 * `<flat-profile>` element, the root or wrapped (`<device><flat-profile>…`); a parameter set twice
 * keeps its **last** value; comments are ignored; the five XML entities and numeric character
 * references are decoded. Values are kept as written (white space included): `phoneValue`
 * gives what the phone makes of one (trimmed, a newline read as a space).
 */
import type { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { fastXmlParser } from '../lazy-deps.js';
import { isMistypedFlatProfile } from '../validate/suggest.js';
import { LineIndex, indexXml } from '../validate/xml-scanner.js';
import { isSecretParameter } from './secrets.js';

/**
 * The attributes of a parameter that are kept, in the order they are written back (reference
 * §1; validate's unknown-attribute reads the same list): `ua`, the user access; `preserve-value`
 * (newer guides: `preserve-value="y"`), which the phone reads; `group`, the web-UI tab and
 * section of an SPA/MPP export (`group="System/System_Configuration"`), kept so a round trip
 * gives back the file it read. Any other attribute is read past with a warning.
 */
const PARAMETER_ATTRIBUTES = ['ua', 'preserve-value', 'group'] as const;
type ParameterAttribute = (typeof PARAMETER_ATTRIBUTES)[number];

/**
 * One parameter: its value as decoded from the file, and its attributes when present.
 * @example parseProfileXml('<flat-profile><A ua="na">1</A></flat-profile>').parameters.get('A')
 * // { value: '1', ua: 'na' }
 */
export interface ProfileEntry {
  value: string;
  /** User access: `na`, `ro` or `rw` (kept as written; absent = keep the phone's access). */
  ua?: string;
  /** `preserve-value="y"` of newer guides (kept as written). */
  'preserve-value'?: string;
  /** The web-UI tab/section of an export (kept as written). */
  group?: string;
}

/**
 * The attributes the phone reads, which a comparison counts: `group` is only where the web UI
 * shows the parameter — an export has it on every parameter and a rendered profile on none, so
 * comparing it would report every parameter of such a pair.
 */
export const COMPARED_ATTRIBUTES = [
  'ua',
  'preserve-value',
] as const satisfies readonly ParameterAttribute[];
export type ComparedAttribute = (typeof COMPARED_ATTRIBUTES)[number];

function isParameterAttribute(name: string): name is ParameterAttribute {
  return (PARAMETER_ATTRIBUTES as readonly string[]).includes(name);
}

/**
 * Parameter name → entry, in document order (a repeated name keeps its last place and value).
 * @example const profile: ProfileMap = new Map([['Station_Name', { value: 'Lobby' }]]);
 * buildProfileXml(profile)
 */
export type ProfileMap = Map<string, ProfileEntry>;

/**
 * What parseProfileXml returns: the parameters, and what it noticed on the way.
 * @example parseProfileXml('<flat-profile><A>1</A><A>2</A></flat-profile>').duplicates // ['A']
 */
export interface ParsedProfile {
  parameters: ProfileMap;
  /** Names set more than once (the phone keeps the last value). */
  duplicates: string[];
  /** Things read past: nested elements, attributes not kept, stray text. Never values. */
  warnings: string[];
}

/**
 * A profile that cannot be read: not well-formed XML, no `<flat-profile>`, bad JSON/YAML shape.
 * @example parseProfileXml('<flat-profile><A>1</flat-profile>')
 * // throws ProfileFormatError: end tag </flat-profile> does not match <A> (line 1)
 */
export class ProfileFormatError extends Error {
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, line?: number, column?: number) {
    super(message);
    this.name = 'ProfileFormatError';
    this.line = line;
    this.column = column;
  }
}

const FLAT_PROFILE = 'flat-profile';
const TEXT = '#text';
const CDATA = '#cdata';
const ATTRIBUTES = ':@';
/** Element names as the guides spell parameters: ASCII letters, digits, `_`, `-`, `.`. */
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** C0 controls XML 1.0 does not allow (tab, LF and CR are allowed). */
// eslint-disable-next-line no-control-regex -- these control characters are what we look for
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** A node of fast-xml-parser's `preserveOrder` output. */
type OrderedNode = Record<string, unknown> & { [ATTRIBUTES]?: Record<string, string> };

/**
 * The parser decodes nothing itself (`processEntities: false`): the XML entities and numeric
 * references are decoded here in one pass, so `&amp;#40;` stays `&#40;` and CDATA stays raw.
 * Values are strings as written: `parseTagValue: false` keeps `0012`, `Yes`, `1e3` intact.
 */
let parser: XMLParser | undefined;
let builder: XMLBuilder | undefined;

/** The parser, made on first use (fast-xml-parser loads then: lazy-deps.ts). */
function xmlParser(): XMLParser {
  return (parser ??= new (fastXmlParser().XMLParser)({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    cdataPropName: CDATA,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Its default renames `<toString>`, `<hasOwnProperty>`… to `__toString`…: a name is only
    // ever a key read by Object.keys here (fuzz9). `__proto__`, `constructor` and `prototype`
    // still throw (see parseOrdered).
    onDangerousProperty: (name: string) => name,
    // Deeper than this is an error (parseOrdered); the walks below recurse once per level.
    maxNestedTags: MAX_NESTED_TAGS,
  }));
}

const MAX_NESTED_TAGS = 100;

/**
 * A profile's text without its processing instructions (`<?xml …?>` included), outside comments
 * and CDATA sections, for fast-xml-parser: it reads a PI as a tag with quoted attributes and
 * fails on one with a lone quote (`<?note don't edit?>`: "Pi Tag is not closed.", fuzz9). It
 * ignores PIs anyway (`ignorePiTags`), so a value around one reads the same. The text passed
 * the scanner: a `<` is markup, never inside an attribute value.
 */
function withoutProcessingInstructions(xml: string): string {
  if (!xml.includes('<?')) return xml;
  let out = '';
  let copied = 0;
  let i = 0;
  for (let lt = xml.indexOf('<', i); lt !== -1; lt = xml.indexOf('<', i)) {
    const close = xml.startsWith('<!--', lt)
      ? '-->'
      : xml.startsWith('<![CDATA[', lt)
        ? ']]>'
        : xml.startsWith('<?', lt)
          ? '?>'
          : undefined;
    if (close === undefined) {
      i = lt + 1;
      continue;
    }
    const end = xml.indexOf(close, lt + 2);
    if (end === -1) break;
    i = end + close.length;
    if (close === '?>') {
      out += xml.slice(copied, lt);
      copied = i;
    }
  }
  return out + xml.slice(copied);
}

/**
 * fast-xml-parser's ordered tree of a text the scanner accepted. What it still refuses is a
 * ProfileFormatError with our own words (its messages can quote the text): a name it reserves
 * (`<__proto__>`, `constructor=`…), elements nested deeper than MAX_NESTED_TAGS.
 */
function parseOrdered(body: string): OrderedNode[] {
  try {
    return xmlParser().parse(withoutProcessingInstructions(body)) as OrderedNode[];
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    const reserved = /^\[SECURITY\] Invalid name: "(__proto__|constructor|prototype)"/.exec(
      message,
    );
    throw new ProfileFormatError(
      reserved
        ? `the name ${reserved[1]} (an element or attribute) cannot be read: it is reserved in JavaScript`
        : message === 'Maximum nested tags exceeded'
          ? `elements are nested more than ${MAX_NESTED_TAGS} deep`
          : 'the XML parser could not read the file',
    );
  }
}

/** The builder, made on first use. */
function xmlBuilder(): XMLBuilder {
  return (builder ??= new (fastXmlParser().XMLBuilder)({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: false,
    processEntities: true,
  }));
}

/** `&…;` and bare `&`: each must be one of the five XML entities or a character reference. */
const AMPERSAND = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z_][A-Za-z0-9_.-]{0,31})?(;)?/g;

function decodeEntities(text: string, where: string): string {
  if (!text.includes('&')) return text;
  return text.replace(AMPERSAND, (whole, body: string | undefined, semicolon: string) => {
    let decoded: string | undefined;
    if (body !== undefined && semicolon) {
      if (body.startsWith('#x')) decoded = codePoint(parseInt(body.slice(2), 16));
      else if (body.startsWith('#')) decoded = codePoint(Number(body.slice(1)));
      else decoded = NAMED_ENTITIES[body];
    }
    if (decoded === undefined) {
      // In a password's value the reference is part of the password: not quoted.
      throw new ProfileFormatError(
        isSecretParameter(where)
          ? `${where}: a '&' that starts no XML entity (not shown: a secret; write & as &amp;)`
          : `${where}: ${JSON.stringify(whole)} is not an XML entity (write & as &amp;)`,
      );
    }
    return decoded;
  });
}

function codePoint(code: number): string | undefined {
  const ok = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff);
  return ok && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : undefined;
}

function nameOf(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ATTRIBUTES) return key;
  return undefined;
}

function childrenOf(node: OrderedNode, name: string): OrderedNode[] {
  const children = node[name];
  return Array.isArray(children) ? (children as OrderedNode[]) : [];
}

function collectFlatProfiles(nodes: readonly OrderedNode[], found: OrderedNode[][]): void {
  for (const node of nodes) {
    const name = nameOf(node);
    if (name === undefined || name === TEXT || name === CDATA) continue;
    const children = childrenOf(node, name);
    // A flat-profile inside a flat-profile is a (nested) parameter, not a second profile.
    if (name === FLAT_PROFILE) found.push(children);
    else collectFlatProfiles(children, found);
  }
}

/**
 * The first element whose name is `flat-profile` mistyped (`Flat-Profile`, `flat_profile`), as
 * validate's flat-profile-missing names it; undefined if none.
 */
function findNearFlatProfile(nodes: readonly OrderedNode[]): string | undefined {
  for (const node of nodes) {
    const name = nameOf(node);
    if (name === undefined || name === TEXT || name === CDATA) continue;
    if (isMistypedFlatProfile(name)) return name;
    const inside = findNearFlatProfile(childrenOf(node, name));
    if (inside !== undefined) return inside;
  }
  return undefined;
}

/** The text of a parameter element: its text and CDATA children; `undefined` if it nests. */
function textOf(children: readonly OrderedNode[], parameter: string): string | undefined {
  let value = '';
  for (const child of children) {
    const name = nameOf(child);
    if (name === TEXT) value += decodeEntities(String(child[TEXT] ?? ''), parameter);
    else if (name === CDATA) {
      for (const part of childrenOf(child, CDATA)) value += String(part[TEXT] ?? '');
    } else return undefined;
  }
  return value;
}

/**
 * Reads an XML profile into its parameter map.
 * @example parseProfileXml('<flat-profile><Station_Name ua="na">Lobby</Station_Name></flat-profile>').parameters.get('Station_Name')
 * // { value: 'Lobby', ua: 'na' }
 * @throws ProfileFormatError when the text is not well-formed XML or has no `<flat-profile>`
 */
export function parseProfileXml(text: string): ParsedProfile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // validate's scanner is the gate (XML 1.0 as the phone needs it: one root, unique attributes,
  // only the five entities, no DOCTYPE, no `--` in a comment, no `]]>` in text, no control
  // character, no U+FFFF…): a file validate rejects is rejected here with the same message and
  // place, never compared half-read. fast-xml-parser's validator passed some of these (`]]>`,
  // `<` in an attribute value, `--` in a comment, a late `<?xml …?>`, U+FFFF), and where it
  // refused, its message differed and could quote a piece of a password. A password is never
  // quoted by the scanner (see its messages).
  const scanned = indexXml(body).error;
  if (scanned !== undefined) {
    const at = new LineIndex(body).position(scanned.offset);
    throw new ProfileFormatError(scanned.message, at.line, at.column);
  }
  // fast-xml-parser's own validator is not run as well: the scanner is the gate, and that
  // validator takes seconds and hundreds of MB on one long attribute value (2 MB: 4 s), where
  // the scanner takes milliseconds. 30,000 random mutations of a profile found no input one of
  // them accepted and the other refused.
  const flats: OrderedNode[][] = [];
  const tree = parseOrdered(body);
  collectFlatProfiles(tree, flats);
  if (flats.length === 0) {
    const near = findNearFlatProfile(tree);
    throw new ProfileFormatError(
      near === undefined
        ? 'no <flat-profile> element (as the root or wrapped)'
        : `no <flat-profile> element: <${near}> is not <flat-profile>` +
            (near.toLowerCase() === FLAT_PROFILE ? ' (element names are case-sensitive)' : ''),
    );
  }
  const parameters: ProfileMap = new Map();
  const duplicates = new Set<string>();
  const warnings: string[] = [];
  for (const flat of flats) {
    for (const node of flat) {
      const name = nameOf(node);
      if (name === undefined || name === CDATA) continue;
      if (name === TEXT) {
        if (String(node[TEXT] ?? '').trim() !== '') {
          warnings.push(`text directly inside <${FLAT_PROFILE}> is not a parameter (read past)`);
        }
        continue;
      }
      const value = textOf(childrenOf(node, name), name);
      if (value === undefined) {
        warnings.push(`${name} has child elements: not a parameter (read past)`);
        continue;
      }
      const entry: ProfileEntry = { value };
      const dropped: string[] = [];
      for (const [attribute, raw] of Object.entries(node[ATTRIBUTES] ?? {})) {
        if (isParameterAttribute(attribute)) {
          entry[attribute] = decodeEntities(String(raw), `${name} ${attribute}`);
        } else dropped.push(attribute);
      }
      if (dropped.length > 0) warnings.push(droppedAttributesWarning(name, dropped));
      if (parameters.has(name)) {
        duplicates.add(name);
        parameters.delete(name); // the last occurrence wins, in its own place
      }
      parameters.set(name, entry);
    }
  }
  return { parameters, duplicates: [...duplicates], warnings };
}

/**
 * Writes a parameter map as an XML profile: declaration, `<flat-profile>`, one element per line.
 * @example buildProfileXml(new Map([['Station_Name', { value: 'Lobby', ua: 'na' }]]))
 * // '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Station_Name ua="na">Lobby</Station_Name>\n</flat-profile>\n'
 */
export function buildProfileXml(parameters: ReadonlyMap<string, ProfileEntry>): string {
  const nodes: OrderedNode[] = [];
  for (const [name, entry] of parameters) {
    checkParameter(name, entry, 'parameter');
    const node: OrderedNode = { [name]: entry.value === '' ? [] : [{ [TEXT]: entry.value }] };
    const attributes = attributesOf(entry);
    if (Object.keys(attributes).length > 0) node[ATTRIBUTES] = attributes;
    nodes.push(node);
  }
  const xml =
    nodes.length === 0
      ? '<flat-profile></flat-profile>'
      : xmlBuilder().build([{ [FLAT_PROFILE]: nodes }]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${String(xml).trim()}\n`;
}

/**
 * One warning for the attributes of a parameter that are not kept, naming at most three (each
 * cut to 40 characters): a file with thousands of them on one element is one line, not thousands.
 */
function droppedAttributesWarning(parameter: string, dropped: readonly string[]): string {
  const shown = dropped
    .slice(0, 3)
    .map((a) => (a.length > 40 ? `${a.slice(0, 39)}…` : a))
    .join(', ');
  const more = dropped.length > 3 ? ` and ${dropped.length - 3} more` : '';
  const what = dropped.length === 1 ? `attribute ${shown} is` : `attributes ${shown}${more} are`;
  return `${parameter}: ${what} not kept (only ${PARAMETER_ATTRIBUTES.join(', ')} are)`;
}

/** The attributes an entry has, in PARAMETER_ATTRIBUTES order. */
function attributesOf(entry: ProfileEntry): Partial<Record<ParameterAttribute, string>> {
  const out: Partial<Record<ParameterAttribute, string>> = {};
  for (const attribute of PARAMETER_ATTRIBUTES) {
    const value = entry[attribute];
    if (value !== undefined) out[attribute] = value;
  }
  return out;
}

function checkParameter(name: string, entry: ProfileEntry, where: string): void {
  if (!PARAMETER_NAME.test(name)) {
    throw new ProfileFormatError(
      `${where} name ${JSON.stringify(name)} is not an XML element name Cisco uses (letters, digits, _ - .)`,
    );
  }
  if (FORBIDDEN_CONTROL.test(entry.value)) {
    throw new ProfileFormatError(`${name}: the value holds a control character XML cannot carry`);
  }
  for (const attribute of PARAMETER_ATTRIBUTES) {
    const value = entry[attribute];
    if (value !== undefined && FORBIDDEN_CONTROL.test(value)) {
      throw new ProfileFormatError(
        `${name}: ${attribute} holds a control character XML cannot carry`,
      );
    }
  }
}

/**
 * The JSON/YAML form of a profile: `{ "<name>": { "value": "…", "ua": "na" } }` in document
 * order (`ua`, `preserve-value`, `group` only when the XML has them, spelt as in the XML).
 * @example profileToObject(parseProfileXml(xml).parameters).Station_Name // { value: 'Lobby', ua: 'na' }
 */
export function profileToObject(
  parameters: ReadonlyMap<string, ProfileEntry>,
): Record<string, ProfileEntry> {
  // A null prototype: a parameter named `__proto__` is data, not the object's prototype.
  const out = Object.create(null) as Record<string, ProfileEntry>;
  for (const [name, entry] of parameters) {
    out[name] = { value: entry.value, ...attributesOf(entry) };
  }
  return out;
}

/**
 * Reads the JSON/YAML form back (see profileToObject). A parameter may also be given as a bare
 * string (its value, no `ua`); numbers and booleans are refused rather than guessed at
 * (YAML turns `yes` and `0012` into other things: quote them).
 * @throws ProfileFormatError naming the parameter and what was expected
 * @example profileFromObject({ Station_Name: { value: 'Lobby', ua: 'na' }, Display_Name: 'Desk' })
 * // Map { Station_Name → { value: 'Lobby', ua: 'na' }, Display_Name → { value: 'Desk' } }
 */
export function profileFromObject(data: unknown): ProfileMap {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ProfileFormatError(
      `expected an object of parameters ({ "Station_Name": { "value": "…", "ua": "na" } }), got ${describe(data)}`,
    );
  }
  const parameters: ProfileMap = new Map();
  for (const [name, raw] of Object.entries(data as Record<string, unknown>)) {
    let entry: ProfileEntry;
    if (typeof raw === 'string') entry = { value: raw };
    else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      const fields = raw as Record<string, unknown>;
      for (const key of Object.keys(fields)) {
        if (key !== 'value' && !isParameterAttribute(key)) {
          throw new ProfileFormatError(
            `${name}: unknown field ${JSON.stringify(key)} (expected value, ${PARAMETER_ATTRIBUTES.join(', ')})`,
          );
        }
      }
      const value = fields.value ?? '';
      if (typeof value !== 'string') {
        throw new ProfileFormatError(
          `${name}: value expected a string, got ${describe(value, isSecretParameter(name))} (quote it)`,
        );
      }
      entry = { value };
      for (const attribute of PARAMETER_ATTRIBUTES) {
        const given = fields[attribute];
        if (given === undefined) continue;
        if (typeof given !== 'string') {
          throw new ProfileFormatError(
            `${name}: ${attribute} expected a string, got ${describe(given)} (quote it)`,
          );
        }
        entry[attribute] = given;
      }
    } else {
      throw new ProfileFormatError(
        `${name}: expected a string or { value, ua }, got ${describe(raw, isSecretParameter(name))} (quote values such as Yes, 0012)`,
      );
    }
    checkParameter(name, entry, 'parameter');
    parameters.set(name, entry);
  }
  return parameters;
}

/** What a value is, for a message; a number or boolean is quoted unless it is a secret's. */
function describe(value: unknown, secret = false): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'object') return 'an object';
  // A PIN or password written unquoted (`"Password_1_": 1234`) is still the secret.
  return `a ${typeof value} (${secret ? 'not shown: a secret' : String(value)})`;
}

/**
 * What the phone makes of a value (reference §1): leading and trailing white space stripped,
 * a newline inside read as a space.
 * @example phoneValue('  Front\n desk ') // 'Front  desk'
 */
export function phoneValue(value: string): string {
  return value.replace(/\r\n|\r|\n/g, ' ').trim();
}

/**
 * How a parameter differs between two profiles.
 * @example compareProfiles(a, b).filter((c) => c.change === 'added')
 */
export type ChangeKind = 'added' | 'removed' | 'changed';

/**
 * One difference between two profiles. `a`/`b` are absent on the side that lacks the name.
 * @example compareProfiles(a, b)[0]
 * // { name: 'Station_Name', change: 'changed', a, b, valueChanged: true, uaChanged: false }
 */
export interface ParameterChange {
  name: string;
  change: ChangeKind;
  a?: ProfileEntry;
  b?: ProfileEntry;
  /** For `changed`: whether the value, the ua, or both differ. */
  valueChanged: boolean;
  uaChanged: boolean;
  /** For `changed`: the attributes the phone reads that differ (COMPARED_ATTRIBUTES, `ua` included). */
  attributesChanged: ComparedAttribute[];
}

/**
 * Options of compareProfiles.
 * @example compareProfiles(a, b, { sameValue: (_name, x, y) => x === y }) // byte for byte
 */
export interface CompareOptions {
  /** Whether two values are the same; default: equal as the phone reads them (phoneValue). */
  sameValue?: (name: string, a: string, b: string) => boolean;
}

const samePhoneValue = (_name: string, a: string, b: string): boolean =>
  a === b || phoneValue(a) === phoneValue(b);

/**
 * Compares two parameter maps, order ignored: removed (only in a), added (only in b), changed
 * (value or an attribute differ). Listed in a's order, then b's additions in b's order.
 * @example compareProfiles(a, b).map((c) => `${c.change} ${c.name}`) // ['changed Station_Name', 'added GPP_A']
 */
export function compareProfiles(
  a: ReadonlyMap<string, ProfileEntry>,
  b: ReadonlyMap<string, ProfileEntry>,
  options: CompareOptions = {},
): ParameterChange[] {
  const sameValue = options.sameValue ?? samePhoneValue;
  const changes: ParameterChange[] = [];
  for (const [name, left] of a) {
    const right = b.get(name);
    if (right === undefined) {
      changes.push({
        name,
        change: 'removed',
        a: left,
        valueChanged: true,
        uaChanged: false,
        attributesChanged: [],
      });
      continue;
    }
    const valueChanged = !sameValue(name, left.value, right.value);
    // An attribute added, removed or changed is a change: ua="na" → "rw" shows the parameter
    // to the user, preserve-value="y" added keeps the phone's value (reference §1).
    const attributesChanged = COMPARED_ATTRIBUTES.filter((at) => left[at] !== right[at]);
    const uaChanged = attributesChanged.includes('ua');
    if (valueChanged || attributesChanged.length > 0) {
      changes.push({
        name,
        change: 'changed',
        a: left,
        b: right,
        valueChanged,
        uaChanged,
        attributesChanged,
      });
    }
  }
  for (const [name, right] of b) {
    if (!a.has(name)) {
      changes.push({
        name,
        change: 'added',
        b: right,
        valueChanged: true,
        uaChanged: false,
        attributesChanged: [],
      });
    }
  }
  return changes;
}
