/**
 * A scanned profile seen as Cisco sees it: the `<flat-profile>` element(s) and their child
 * elements, the parameters (reference §1). Built once per file and shared by every rule.
 */
import {
  parameterLookup,
  type Catalog,
  type CatalogEntry,
  type ParameterMatch,
  type ParameterType,
} from '../profile/catalog.js';
import { isMistypedFlatProfile } from './suggest.js';
import {
  NameMemo,
  indexXml,
  type XmlContent,
  type XmlIndex,
  type XmlScanError,
} from './xml-scanner.js';

/** An element by its name and the offset of its `<`. */
export interface XmlNode {
  name: string;
  offset: number;
}

/** A child element of `<flat-profile>`; its content offsets locate findings in its value. */
export interface ProfileParameter extends XmlContent {
  name: string;
  /** The name's id, for per-name facts kept in a {@link NameMemo} (-1: none). */
  nameId: number;
  /** Offset of the `<` of the element's start tag. */
  offset: number;
  /** The value as decoded from the file, before the phone trims it. */
  value: string;
  /** The `ua` attribute's value, if present. */
  ua: string | undefined;
  /** Offset of the `ua` attribute's value (-1 when there is none). */
  uaOffset: number;
  /** True when the element has child elements (then it is no parameter: nested-parameter). */
  nested: boolean;
  /** The first element nested inside, when `nested`. */
  firstChild: XmlNode | undefined;
  /** The catalog entry, when the name is known. */
  match: ParameterMatch | undefined;
  /** Set for a leaf of the ATA's `<router-configuration>` section. */
  section?: 'router-configuration';
}

/**
 * An attribute other than a parameter's `ua`: the phone reads `ua` on a parameter (reference
 * §1), so each of these is checked by name (rules `invalid-ua`, `unknown-attribute`).
 */
export interface ProfileAttribute {
  name: string;
  /** Offset of the attribute's name. */
  offset: number;
  /** The decoded value. */
  value: string;
  /** The element it is on. */
  element: XmlNode;
  /** The parameter it is on; undefined on `<flat-profile>`, a wrapper or a group element. */
  parameter: ProfileParameter | undefined;
}

export interface ProfileDocument {
  text: string;
  /** Every character of the text is ASCII (then only a character reference can be another). */
  ascii: boolean;
  /** The scan's well-formedness error, and its comments. */
  scan: { error: XmlScanError | undefined; comments: [number, number][] };
  /** The root element, when its start tag was read. */
  root: XmlNode | undefined;
  /** Every `<flat-profile>` element: the root, or one wrapped in another element. */
  flatProfiles: XmlNode[];
  /**
   * When there is no `<flat-profile>`: the first element whose name is one mistyped
   * (`<Flat-Profile>`, `<flat_profile>`), which the phone does not read as one.
   */
  nearFlatProfile?: XmlNode;
  /**
   * Child elements of the flat-profile element(s), in document order; the ATA's
   * `<router-configuration>` section is not one of them.
   */
  parameters: ProfileParameter[];
  /** The `<router-configuration>` element(s) (ATA191/192 provisioning guide). */
  routerSections: XmlNode[];
  /** Leaf elements inside `<router-configuration>`, its group elements skipped. */
  routerParameters: ProfileParameter[];
  /**
   * `parameters` then `routerParameters`, built once (three rules walk both); the same array
   * as `parameters` when there are no router leaves.
   */
  everyParameter: readonly ProfileParameter[];
  /**
   * Every attribute but a parameter's `ua`: on parameters (router leaves included), on
   * `<flat-profile>`, the elements wrapping it, `<router-configuration>` and its groups; in
   * document order per element kind.
   */
  attributes: ProfileAttribute[];
}

/** The ATA191/192's router section: a child of `<flat-profile>` holding groups of leaves. */
const ROUTER_CONFIGURATION = 'router-configuration';

const FLAT_PROFILE = 'flat-profile';
const USER_ACCESS = 'ua';

/** A catalog look-up by name and name id. */
type Lookup = (name: string, id: number) => ParameterMatch | undefined;

/** Catalog matches by name id, per catalog and section (null: not in the catalog). */
const matchMemos = new WeakMap<Catalog, Map<string, NameMemo<ParameterMatch | null>>>();

function lookupOf(catalog: Catalog, section?: typeof ROUTER_CONFIGURATION): Lookup {
  const byName = parameterLookup(catalog, section);
  let memos = matchMemos.get(catalog);
  if (!memos) {
    memos = new Map();
    matchMemos.set(catalog, memos);
  }
  const key = section ?? '';
  let memo = memos.get(key);
  if (!memo) {
    memo = new NameMemo();
    memos.set(key, memo);
  }
  const byId = memo;
  return (name, id) => {
    const known = byId.get(id);
    if (known !== undefined) return known ?? undefined;
    const found = byName(name);
    const match = found && oneShapeMatch(found);
    byId.set(id, match ?? null);
    return match;
  };
}

/**
 * The catalog's entries, their types and the look-up's matches are object literals with
 * different sets of optional keys: the rules' reads of `match.entry`, `entry.type`, `type.kind`,
 * `entry.secret` and `match.alias`, once per parameter, each saw dozens of hidden classes
 * (megamorphic loads: 9 % of a checking thread's CPU, validate of 10,000 × 30 KB). The document
 * holds copies of one shape each instead, every key present (undefined where absent), made once
 * per entry. Only the validator reads them; nothing compares them or lists their keys.
 */
function oneShapeMatch(match: ParameterMatch): ParameterMatch {
  return {
    entry: oneShapeEntry(match.entry),
    index: match.index,
    subIndex: match.subIndex,
    alias: match.alias,
  };
}

const entryCopies = new WeakMap<CatalogEntry, CatalogEntry>();

function oneShapeEntry(entry: CatalogEntry): CatalogEntry {
  let copy = entryCopies.get(entry);
  if (copy === undefined) {
    copy = {
      name: entry.name,
      index: entry.index,
      subIndex: entry.subIndex,
      type: oneShapeType(entry.type),
      default: entry.default,
      secret: entry.secret,
      families: entry.families,
      familyTypes: entry.familyTypes,
      aliases: entry.aliases,
      section: entry.section,
      source: entry.source,
    };
    entryCopies.set(entry, copy);
  }
  return copy;
}

/** Every key any kind of ParameterType has, in one order (see oneShapeEntry). */
function oneShapeType(type: ParameterType): ParameterType {
  const t = type as Partial<Record<string, unknown>>;
  return {
    kind: type.kind,
    min: t.min,
    max: t.max,
    regex: t.regex,
    expected: t.expected,
    values: t.values,
    caseSensitive: t.caseSensitive,
    rule: t.rule,
    maxLength: t.maxLength,
    port: t.port,
    srv: t.srv,
  } as ParameterType;
}

function nodeOf(index: XmlIndex, element: number): XmlNode {
  return { name: index.nameOf(element), offset: index.offsetOf(element) };
}

/**
 * Adds the element's attributes to `out`, but for a parameter's `ua`; the index of that `ua`
 * (-1: none).
 */
function collectAttributes(
  index: XmlIndex,
  element: number,
  parameter: ProfileParameter | undefined,
  out: ProfileAttribute[],
): number {
  const { first, end } = index.attributesOf(element);
  let ua = -1;
  for (let a = first; a < end; a++) {
    const name = index.attributeName(a);
    if (parameter !== undefined && name === USER_ACCESS && ua < 0) {
      ua = a;
      continue;
    }
    out.push({
      name,
      offset: index.attributeNameOffset(a),
      value: index.attributeValue(a),
      element: parameter ?? nodeOf(index, element),
      parameter,
    });
  }
  return ua;
}

/** The parameter an element is (its name looked up in the catalog); its attributes to `out`. */
function parameterOf(
  index: XmlIndex,
  element: number,
  lookup: Lookup,
  out: ProfileAttribute[],
): ProfileParameter {
  const name = index.nameOf(element);
  const nameId = index.nameIdOf(element);
  const child = index.firstChildOf(element);
  const parameter: ProfileParameter = {
    name,
    nameId,
    offset: index.offsetOf(element),
    contentStart: index.contentStartOf(element),
    contentEnd: index.contentEndOf(element),
    value: index.textOf(element),
    ua: undefined,
    uaOffset: -1,
    nested: child >= 0,
    firstChild: child >= 0 ? nodeOf(index, child) : undefined,
    match: lookup(name, nameId),
  };
  // Most parameters carry `ua` alone, or nothing: no attribute list is walked for those.
  const { first, end } = index.attributesOf(element);
  if (end - first === 1 && index.attributeName(first) === USER_ACCESS) {
    parameter.ua = index.attributeValue(first);
    parameter.uaOffset = index.attributeValueOffset(first);
  } else if (end > first) {
    const ua = collectAttributes(index, element, parameter, out);
    if (ua >= 0) {
      parameter.ua = index.attributeValue(ua);
      parameter.uaOffset = index.attributeValueOffset(ua);
    }
  }
  return parameter;
}

function collectRouterLeaves(
  index: XmlIndex,
  element: number,
  lookup: Lookup,
  out: ProfileParameter[],
  attributes: ProfileAttribute[],
): void {
  for (let child = index.firstChildOf(element); child >= 0; child = index.nextSiblingOf(child)) {
    if (index.firstChildOf(child) >= 0) {
      collectAttributes(index, child, undefined, attributes);
      collectRouterLeaves(index, child, lookup, out, attributes);
      continue;
    }
    const leaf = parameterOf(index, child, lookup, attributes);
    leaf.section = ROUTER_CONFIGURATION;
    out.push(leaf);
  }
}

/** Finds the flat-profile elements; the attributes of the elements wrapping them go to `out`. */
function findFlatProfiles(
  index: XmlIndex,
  element: number,
  found: number[],
  out: ProfileAttribute[],
): void {
  if (index.nameOf(element) === FLAT_PROFILE) {
    found.push(element);
    return; // a flat-profile inside a flat-profile is a nested parameter, not a second profile
  }
  const before = found.length;
  const attributes: ProfileAttribute[] = [];
  collectAttributes(index, element, undefined, attributes);
  for (let child = index.firstChildOf(element); child >= 0; child = index.nextSiblingOf(child)) {
    findFlatProfiles(index, child, found, out);
  }
  // Only an element around a flat-profile: anything else in the file the phone does not read.
  if (found.length > before) out.push(...attributes);
}

/** The first element, in document order, whose name is `flat-profile` mistyped; -1 if none. */
function findNearFlatProfile(index: XmlIndex, element: number): number {
  if (isMistypedFlatProfile(index.nameOf(element))) return element;
  for (let child = index.firstChildOf(element); child >= 0; child = index.nextSiblingOf(child)) {
    const found = findNearFlatProfile(index, child);
    if (found >= 0) return found;
  }
  return -1;
}

/**
 * Scans the text and collects the parameters.
 * @param options.charactersChecked the caller has checked the text for characters XML forbids
 * @param options.ascii the caller knows every character of the text is ASCII
 * @param options.bytes the text's bytes, when it is ASCII (see IndexOptions.bytes)
 */
export function readProfileDocument(
  text: string,
  catalog: Catalog,
  options: { charactersChecked?: boolean; ascii?: boolean; bytes?: Uint8Array } = {},
): ProfileDocument {
  // Read here and dropped: the records stay in the scanner's scratch space.
  const scan = indexXml(text, {
    charactersChecked: options.charactersChecked === true,
    transient: true,
    bytes: options.bytes,
  });
  const flatProfiles: XmlNode[] = [];
  const parameters: ProfileParameter[] = [];
  const routerSections: XmlNode[] = [];
  const routerParameters: ProfileParameter[] = [];
  const attributes: ProfileAttribute[] = [];
  const rootIndex = scan.root;
  if (rootIndex >= 0 && !scan.error) {
    const flats: number[] = [];
    findFlatProfiles(scan, rootIndex, flats, attributes);
    const lookup = lookupOf(catalog);
    let routerLookup: Lookup | undefined;
    for (const flat of flats) {
      flatProfiles.push(nodeOf(scan, flat));
      collectAttributes(scan, flat, undefined, attributes);
      for (let element = scan.firstChildOf(flat); element >= 0;) {
        if (scan.nameOf(element) === ROUTER_CONFIGURATION) {
          routerSections.push(nodeOf(scan, element));
          collectAttributes(scan, element, undefined, attributes);
          routerLookup ??= lookupOf(catalog, ROUTER_CONFIGURATION);
          collectRouterLeaves(scan, element, routerLookup, routerParameters, attributes);
        } else parameters.push(parameterOf(scan, element, lookup, attributes));
        element = scan.nextSiblingOf(element);
      }
    }
  }
  const everyParameter =
    routerParameters.length === 0 ? parameters : [...parameters, ...routerParameters];
  const near =
    flatProfiles.length === 0 && rootIndex >= 0 && !scan.error
      ? findNearFlatProfile(scan, rootIndex)
      : -1;
  return {
    text,
    ascii: options.ascii === true,
    scan: { error: scan.error, comments: scan.comments },
    root: rootIndex >= 0 ? nodeOf(scan, rootIndex) : undefined,
    flatProfiles,
    ...(near >= 0 ? { nearFlatProfile: nodeOf(scan, near) } : {}),
    parameters,
    routerSections,
    routerParameters,
    everyParameter,
    attributes,
  };
}
