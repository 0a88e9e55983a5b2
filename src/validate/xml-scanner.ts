/**
 * The XML position layer: a small well-formedness-checking scanner that gives every element,
 * attribute and value an offset in the source text (turned into line and column by
 * {@link LineIndex}).
 *
 * Why our own: fast-xml-parser 5 reports positions only for what its validator rejects, its
 * parsed nodes carry none, and its validator passes undefined entities (`&foo;`) and control
 * characters (docs/libraries.md). Profiles are small and flat, so a scanner that checks the
 * XML 1.0 rules a profile can break is short and fast.
 *
 * What it checks (XML 1.0 fifth edition): §2.2 Char (no C0 controls but TAB/LF/CR, no lone
 * surrogates, no U+FFFE/U+FFFF), §2.3 Name, §2.4 CharData (no `]]>`), §2.5 comments (no `--`),
 * §2.7 CDATA, §2.8 the XML declaration only at the very start, §3.1 tags and attributes (unique
 * names, quoted values without `<`), §4.1 character and entity references (only the five
 * predefined entities exist, as a profile has no DTD), §2.1 exactly one root element, §2.11
 * line ends (CRLF and CR read as LF). A DOCTYPE is refused: a phone does not read DTDs, and
 * entity expansion from a DTD is an attack surface.
 */
import { isSecretParameter } from '../profile/secrets.js';

/** An attribute with the offsets of its name and of the first character of its value. */
export interface XmlAttribute {
  name: string;
  nameOffset: number;
  /** Decoded value (entities replaced, white space normalised as XML §3.3.3 says). */
  value: string;
  /** Offset of the first character after the opening quote. */
  valueOffset: number;
}

/** Where an element's content lies in the source: what a value's offsets are counted in. */
export interface XmlContent {
  /** Offset just after the start tag's `>` (for `<x/>`, just after `/>`). */
  contentStart: number;
  /** Offset of the end tag's `<` (for `<x/>`, equal to contentStart). */
  contentEnd: number;
}

/** An element with its offsets (the tree {@link scanXml} builds). */
export interface XmlElement extends XmlContent {
  name: string;
  /** Offset of the `<` of the start tag. */
  offset: number;
  attributes: XmlAttribute[];
  children: XmlElement[];
  parent: XmlElement | undefined;
  /**
   * Decoded character data directly inside the element (children's text not included; white
   * space between child elements is dropped).
   */
  text: string;
  selfClosing: boolean;
}

/** The first well-formedness error: XML parsers stop at it, and so do we. */
export interface XmlScanError {
  message: string;
  offset: number;
  /**
   * The message without the text it quotes (a reference's body), for a finding that may not
   * quote values (ValidateOptions.quoteValues); absent when the message quotes none.
   */
  unquoted?: string;
}

export interface XmlScan {
  root: XmlElement | undefined;
  error: XmlScanError | undefined;
  /** [start, end) of every comment, so text checks can skip them. */
  comments: [number, number][];
}

class ScanFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** See XmlScanError.unquoted. */
    readonly unquoted?: string,
  ) {
    super(message);
  }
}

/** XML 1.0 §2.2 Char: the C0 controls but TAB, LF, CR, and the non-characters U+FFFE/U+FFFF. */
// eslint-disable-next-line no-control-regex -- these control characters are what we look for
const FORBIDDEN_CHAR = new RegExp('[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** XML 1.0 §2.3 NameStartChar and NameChar outside ASCII. */
const NAME_START_NON_ASCII =
  // eslint-disable-next-line no-misleading-character-class -- code-unit ranges of XML 1.0 §2.3, on purpose
  /[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDBFF]/;
// eslint-disable-next-line no-misleading-character-class -- combining marks of XML 1.0 §2.3 NameChar
const NAME_CHAR_NON_ASCII = /[\u00B7\u0300-\u036F\u203F\u2040]/;

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  apos: "'",
  quot: '"',
};

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_BANG = 33;
const CH_QUOTE = 34;
const CH_APOS = 39;
const CH_SLASH = 47;
const CH_EQUALS = 61;
const CH_GT = 62;
const CH_QUESTION = 63;

/** Up to this many attributes, a repeated name is found by scanning the list (no Set built). */
const MANY_ATTRIBUTES = 8;

function isWhiteSpace(code: number): boolean {
  return code === CH_SPACE || code === CH_LF || code === CH_TAB || code === CH_CR;
}

/** ASCII part of XML 1.0 §2.3: 1 = NameStartChar (and NameChar), 2 = NameChar only. */
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_:]/.test(ch)) ASCII_NAME[c] = 1;
  else if (/[0-9.-]/.test(ch)) ASCII_NAME[c] = 2;
}

/**
 * Element and attribute names, interned: a profile repeats the same few hundred names in every
 * file, so the scanner hashes a name while it reads it and takes the stored string instead of
 * slicing a new one. That saves an allocation per name, and the catalog look-up and the
 * duplicate check then hash a string whose hash V8 has already cached (validate of 10,000 ×
 * 30 KB profiles: the look-up fell from ≈ 7 % of a worker's time). Stored names are flat copies,
 * never slices of a document (a slice would keep its whole document alive). Bounded: past
 * {@link NAME_TABLE_LIMIT} names, or for long names, a name is sliced as before.
 */
const NAME_TABLE_SIZE = 1 << 14;
const NAME_TABLE_MASK = NAME_TABLE_SIZE - 1;
const NAME_TABLE_LIMIT = NAME_TABLE_SIZE >> 1;
const NAME_TABLE_MAX_LENGTH = 80;
const nameHashes = new Int32Array(NAME_TABLE_SIZE);
/** The id stored in each slot of the hash table, or -1 for an empty slot. */
const slotIds = new Int32Array(NAME_TABLE_SIZE).fill(-1);
/**
 * By name id: the string, and its length. Ids are handed out in the order names are first
 * seen (not the hash slot), so a template's few hundred names have neighbouring ids and every
 * per-name array (these, the catalog match, the secret memo, the duplicate stamps) is read in
 * a small, mostly sequential range: reads by hash slot were scattered over 16,384 entries of
 * each array, and the cache misses showed in the profile as ≈ 5 % of a worker's time.
 */
const nameStrings: string[] = [];
const nameLengths = new Int32Array(NAME_TABLE_SIZE);
let namesStored = 0;
/** The id of the name {@link internName} returned last, or -1 when it was not stored. */
let internedId = -1;

/**
 * Ids of names: a stored name keeps its id for the life of the process, so per-name facts (a
 * catalog entry, whether it names a secret, the duplicate check's stamp) can be kept in arrays
 * indexed by it instead of maps hashed by the string. An id is below this; -1 means none.
 */
export const NAME_ID_LIMIT = NAME_TABLE_SIZE;

/**
 * Facts by name id: an array read where a Map look-up by name was (the per-name look-ups were
 * ≈ 8 % of validate's time). Names without an id are not kept here: the caller falls back.
 */
export class NameMemo<T> {
  private readonly byId: (T | undefined)[] = new Array<T | undefined>(NAME_ID_LIMIT).fill(
    undefined,
  );

  get(id: number): T | undefined {
    return id >= 0 ? this.byId[id] : undefined;
  }

  set(id: number, value: T): void {
    if (id >= 0) this.byId[id] = value;
  }
}

/**
 * A flat copy of a string, for a long-lived key: a name sliced from a profile would keep the
 * whole profile alive (V8 internalises a property key, copying a slice).
 */
export function flatCopy(text: string): string {
  const holder: Record<string, true> = {};
  holder[text] = true;
  return Object.keys(holder)[0] ?? text;
}

/**
 * The characters of every stored name, one after the other (`nameStarts` says where each
 * begins): the scanner compares a name it reads with these, typed-array reads, rather than with
 * the stored string (`text.startsWith(stored, at)` was ≈ 20 % of the scan).
 */
let nameChars = new Uint16Array(1 << 15);
let nameCharsUsed = 0;
/** By name id: where its characters begin in nameChars. */
const nameStarts = new Int32Array(NAME_TABLE_SIZE);

/** Whether `text[start, start + length)` is the stored name whose characters begin at `from`. */
function storedNameAt(text: string, start: number, length: number, from: number): boolean {
  const chars = nameChars;
  for (let k = 0; k < length; k++) {
    if (text.charCodeAt(start + k) !== chars[from + k]) return false;
  }
  return true;
}

/** The interned string for `text[start, end)`, whose hash {@link Scanner.readName} computed. */
function internName(text: string, start: number, end: number, hash: number): string {
  const length = end - start;
  let slot = hash & NAME_TABLE_MASK;
  for (;;) {
    const id = slotIds[slot] as number;
    if (id < 0) break;
    if (
      nameHashes[slot] === hash &&
      nameLengths[id] === length &&
      storedNameAt(text, start, length, nameStarts[id] as number)
    ) {
      internedId = id;
      return nameStrings[id] as string;
    }
    slot = (slot + 1) & NAME_TABLE_MASK;
  }
  const name = text.slice(start, end);
  internedId = -1;
  if (namesStored >= NAME_TABLE_LIMIT || length > NAME_TABLE_MAX_LENGTH) return name;
  const copy = flatCopy(name);
  if (nameCharsUsed + length > nameChars.length) {
    const bigger = new Uint16Array(nameChars.length * 2);
    bigger.set(nameChars);
    nameChars = bigger;
  }
  for (let k = 0; k < length; k++) nameChars[nameCharsUsed + k] = copy.charCodeAt(k);
  const id = namesStored++;
  nameStarts[id] = nameCharsUsed;
  nameCharsUsed += length;
  nameStrings.push(copy);
  nameLengths[id] = length;
  nameHashes[slot] = hash;
  slotIds[slot] = id;
  internedId = id;
  return copy;
}

/** Element names predicted by place in the document (see Scanner.startTag), as name ids. */
const PREDICTED_ELEMENTS = 1 << 14;
const predictedNames = new Int32Array(PREDICTED_ELEMENTS).fill(-1);

/**
 * The end of the stored name `id` when `text` holds exactly that name at `at` (followed by a
 * character that cannot continue a name), else -1.
 */
function storedNameEnd(text: string, at: number, id: number): number {
  const length = nameLengths[id] as number;
  const end = at + length;
  if (end >= text.length) return -1;
  const next = text.charCodeAt(end);
  if (next >= 0x80 || ASCII_NAME[next] !== 0) return -1;
  return storedNameAt(text, at, length, nameStarts[id] as number) ? end : -1;
}

/**
 * {@link storedNameEnd} on the text's bytes, for an ASCII text (a byte per character, at the
 * same offsets): a typed-array read per character instead of charCodeAt, which TurboFan's code
 * makes look at the string's kind at each call.
 */
function storedNameEndIn(bytes: Uint8Array, at: number, id: number): number {
  const length = nameLengths[id] as number;
  const end = at + length;
  if (end >= bytes.length || ASCII_NAME[bytes[end] as number] !== 0) return -1;
  const chars = nameChars;
  const from = nameStarts[id] as number;
  for (let k = 0; k < length; k++) {
    if (bytes[at + k] !== chars[from + k]) return -1;
  }
  return end;
}

/*
 * Start-tag tails predicted by place, like names: what follows an element's name up to and
 * including its `>` (` ua="na">`), with the attributes it holds. A fleet's profiles repeat
 * these too; when the element at place k has the name and the tail the element at place k had
 * in the document scanned before, its attributes are recorded from the stored tail after one
 * comparison of its characters, instead of being read one by one (white space, name, `=`,
 * quotes, a search for the closing quote and for `<`, `&` and line ends in the value: ≈ 10 % of
 * validate's time). Only tails whose values read as their source (no reference, TAB, CR or LF)
 * and that end in `>` are stored: for those the same characters always read the same way.
 */
const TAIL_LIMIT = 4096;
const TAIL_MAX_LENGTH = 96;
const TAIL_MAX_ATTRIBUTES = 4;
const predictedTails = new Int32Array(PREDICTED_ELEMENTS).fill(-1);
/** By tail id: where its characters begin in tailChars, their count, its first attribute. */
const tailStarts = new Int32Array(TAIL_LIMIT);
const tailLengths = new Int32Array(TAIL_LIMIT);
const tailFirstAttribute = new Int32Array(TAIL_LIMIT);
const tailAttributeCount = new Int32Array(TAIL_LIMIT);
let tailChars = new Uint16Array(1 << 14);
let tailCharsUsed = 0;
/** Tail ids by their text (read only when a tail is stored). */
const tailIds = new Map<string, number>();
/**
 * The stored tails' attributes, ATTRIBUTE_FIELDS integers each, offsets relative to the end
 * of the element name (A_RAW unused), and their names.
 */
let tailAttributes: Int32Array = new Int32Array(1 << 12);
const tailAttributeNames: string[] = [];

/** Whether `text` holds the stored tail `tail` at `at`. */
function storedTailAt(text: string, at: number, tail: number): boolean {
  const length = tailLengths[tail] as number;
  if (at + length > text.length) return false;
  const chars = tailChars;
  const from = tailStarts[tail] as number;
  for (let k = 0; k < length; k++) {
    if (text.charCodeAt(at + k) !== chars[from + k]) return false;
  }
  return true;
}

/**
 * `text[at, at + 2)`: the values of `ua` (na, ro, rw) as the same three strings every time,
 * others sliced. Nearly every parameter of a profile carries a ua: ≈ 540 strings less per 30 KB
 * profile to allocate, and the checks compare strings whose hash V8 has already cached.
 */
function twoCharacters(text: string, at: number): string {
  const a = text.charCodeAt(at);
  const b = text.charCodeAt(at + 1);
  if (a === 110 /* n */ && b === 97 /* a */) return 'na';
  if (a === 114 /* r */) {
    if (b === 111 /* o */) return 'ro';
    if (b === 119 /* w */) return 'rw';
  }
  return text.slice(at, at + 2);
}

/** {@link storedTailAt} on an ASCII text's bytes (see storedNameEndIn). */
function storedTailIn(bytes: Uint8Array, at: number, tail: number): boolean {
  const length = tailLengths[tail] as number;
  if (at + length > bytes.length) return false;
  const chars = tailChars;
  const from = tailStarts[tail] as number;
  for (let k = 0; k < length; k++) {
    if (bytes[at + k] !== chars[from + k]) return false;
  }
  return true;
}

/**
 * The next `<` at or after `from` in an ASCII text's bytes, or -1: the first few bytes looked
 * at here (the usual distance, from an end tag to the next start tag or over a value), the rest
 * by the native search.
 */
function nextLessThanIn(bytes: Uint8Array, text: string, from: number): number {
  const near = Math.min(from + 16, bytes.length);
  for (let i = from; i < near; i++) if (bytes[i] === 60 /* < */) return i;
  return near < bytes.length ? text.indexOf('<', near) : -1;
}

/** Whether `text` holds the same characters at `a` and at `b`, `length` of them. */
function sameCharacters(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) {
    if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  }
  return true;
}

/** {@link isAllWhiteSpace} on an ASCII text's bytes (see storedNameEndIn). */
function isAllWhiteSpaceIn(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isWhiteSpace(bytes[i] as number)) return false;
  return true;
}

function isAllWhiteSpace(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isWhiteSpace(text.charCodeAt(i))) return false;
  return true;
}

function isNameStart(code: number, char: string): boolean {
  if (code < 0x80) return ASCII_NAME[code] === 1;
  return NAME_START_NON_ASCII.test(char);
}

function isNameChar(code: number, char: string): boolean {
  if (code < 0x80) return ASCII_NAME[code] !== 0;
  return (
    NAME_START_NON_ASCII.test(char) ||
    NAME_CHAR_NON_ASCII.test(char) ||
    (code >= 0xdc00 && code <= 0xdfff)
  );
}

/** XML 1.0 §2.2: whether a code point may appear in a document at all. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Whether `text[start, end)` holds a TAB, LF or CR (which an attribute value normalises). */
function hasTabOrLineEnd(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === CH_TAB || code === CH_LF || code === CH_CR) return true;
  }
  return false;
}

/** XML 1.0 §3.3.3: in an attribute value, TAB, LF, CR and CR LF each read as one space. */
function normaliseAttribute(raw: string): string {
  return raw.replace(/\r\n|[\t\n\r]/g, ' ');
}

/** Reads CR LF and lone CR as LF (XML 1.0 §2.11). */
function normaliseLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/*
 * One element of an {@link XmlIndex}: ELEMENT_FIELDS small integers in `elements`, elements in
 * the order of their start tags. A scan allocates no object per element or attribute: names are
 * interned strings, values and texts are offsets into the source, decoded only when asked for
 * (validate of 10,000 × 30 KB profiles: building a tree of objects was 35–40 % of the time).
 */
/** Offset of the `<` of the start tag. */
const F_OFFSET = 0;
/** Offset just after the start tag's `>` (`/>`); -1 while the start tag is not read to its end. */
const F_CONTENT_START = 1;
/** Offset of the end tag's `<`; for `<x/>` and an element never closed, the content start. */
const F_CONTENT_END = 2;
const F_PARENT = 3;
const F_FIRST_CHILD = 4;
const F_NEXT_SIBLING = 5;
/** Index (in attribute records) of the element's first attribute; the next element's ends them. */
const F_ATTRIBUTES = 6;
/** TEXT_EMPTY, TEXT_DECODED (in `decodedTexts`), or ≥ 0: the text is the source from F_CONTENT_START up to here. */
const F_TEXT = 7;
const F_SELF_CLOSING = 8;
/** The name's id (see {@link NAME_ID_LIMIT}), or -1. */
const F_NAME_ID = 9;
const ELEMENT_FIELDS = 10;
const TEXT_EMPTY = -1;
const TEXT_DECODED = -2;
const NONE = -1;

/** One attribute: ATTRIBUTE_FIELDS integers in `attributes`. */
const A_NAME_OFFSET = 0;
/** Offset of the first character after the opening quote. */
const A_VALUE_START = 1;
/** Offset of the closing quote. */
const A_VALUE_END = 2;
/** 1 when the value reads as its source (no reference, no TAB/LF/CR); else in decodedValues. */
const A_RAW = 3;
const ATTRIBUTE_FIELDS = 4;

const NO_RECORDS = new Int32Array(0);

/**
 * Where a scan writes its records, kept from scan to scan (a scan is synchronous, and each
 * worker thread has its own): growing a JavaScript array by a push per field was ≈ 10 % of the
 * scan. The index gets a copy of the part used.
 */
let elementScratch: Int32Array = new Int32Array(ELEMENT_FIELDS * 1024);
let attributeScratch: Int32Array = new Int32Array(ATTRIBUTE_FIELDS * 1024);

/** A scratch array of at least `needed` entries, the old one's contents kept. */
function grown(scratch: Int32Array, needed: number): Int32Array {
  let size = scratch.length * 2;
  while (size < needed) size *= 2;
  const bigger = new Int32Array(size);
  bigger.set(scratch);
  return bigger;
}

/**
 * An empty array whose elements kind is already that of an array of objects or strings. A
 * literal `[]` starts as one of small integers and changes its map at its first push: optimized
 * code compiled on arrays that held names or findings then meets a new document's empty one,
 * and is thrown away and compiled again, once in each thread. V8's --trace-deopt showed it for
 * the scanner's startTag and replayTail ("wrong map", "not a Smi": ≈ 45 ms of TurboFan per
 * startTag) and for a file's diagnostics (issue 12).
 * @example emptyList<string>().push('a') // 1
 */
export function emptyList<T>(): T[] {
  const list: T[] = [undefined as T];
  list.pop();
  return list;
}

/**
 * A scanned document as flat records: elements and attributes by index (0 is the root), their
 * offsets, names, values and texts. Texts and values are decoded when asked for.
 */
export class XmlIndex {
  /** The first well-formedness error, if any (the records then hold what was read before it). */
  error: XmlScanError | undefined = undefined;
  /** [start, end) of every comment, so text checks can skip them. */
  readonly comments: [number, number][] = [];
  /** @internal ELEMENT_FIELDS integers per element. */
  elements: Int32Array = NO_RECORDS;
  /** @internal Element names (interned), by element. */
  readonly names: string[] = emptyList();
  /** @internal ATTRIBUTE_FIELDS integers per attribute. */
  attributes: Int32Array = NO_RECORDS;
  /** @internal Attribute names (interned), by attribute. */
  readonly attributeNames: string[] = emptyList();
  /** @internal Texts that are not a plain stretch of the source. */
  readonly decodedTexts = new Map<number, string>();
  /** @internal Attribute values that are not their source. */
  readonly decodedValues = new Map<number, string>();

  constructor(readonly text: string) {}

  /** Elements recorded (one whose start tag failed included: see {@link isComplete}). */
  get count(): number {
    return this.names.length;
  }

  /** The root element's index, or -1 when no start tag was read to its end. */
  get root(): number {
    return this.names.length > 0 && this.isComplete(0) ? 0 : NONE;
  }

  /** Whether the element's start tag was read to its `>`. */
  isComplete(element: number): boolean {
    return (this.elements[element * ELEMENT_FIELDS + F_CONTENT_START] as number) >= 0;
  }

  nameOf(element: number): string {
    return this.names[element] as string;
  }

  /** The id of the element's name (see {@link NAME_ID_LIMIT}), or -1. */
  nameIdOf(element: number): number {
    return this.elements[element * ELEMENT_FIELDS + F_NAME_ID] as number;
  }

  /** Offset of the `<` of the start tag. */
  offsetOf(element: number): number {
    return this.elements[element * ELEMENT_FIELDS + F_OFFSET] as number;
  }

  contentStartOf(element: number): number {
    return this.elements[element * ELEMENT_FIELDS + F_CONTENT_START] as number;
  }

  contentEndOf(element: number): number {
    return this.elements[element * ELEMENT_FIELDS + F_CONTENT_END] as number;
  }

  selfClosing(element: number): boolean {
    return this.elements[element * ELEMENT_FIELDS + F_SELF_CLOSING] === 1;
  }

  /** The parent's index, or -1 for the root. */
  parentOf(element: number): number {
    return this.elements[element * ELEMENT_FIELDS + F_PARENT] as number;
  }

  /** The first child element's index, or -1. */
  firstChildOf(element: number): number {
    return this.elements[element * ELEMENT_FIELDS + F_FIRST_CHILD] as number;
  }

  /** The next sibling element's index, or -1. */
  nextSiblingOf(element: number): number {
    return this.elements[element * ELEMENT_FIELDS + F_NEXT_SIBLING] as number;
  }

  /**
   * Decoded character data directly inside the element (children's text not included; white
   * space between child elements is dropped).
   */
  textOf(element: number): string {
    const state = this.elements[element * ELEMENT_FIELDS + F_TEXT] as number;
    if (state === TEXT_EMPTY) return '';
    if (state === TEXT_DECODED) return this.decodedTexts.get(element) ?? '';
    return this.text.slice(this.elements[element * ELEMENT_FIELDS + F_CONTENT_START], state);
  }

  /** The element's attributes: indexes from `first` to `end` (exclusive). */
  attributesOf(element: number): { first: number; end: number } {
    const first = this.elements[element * ELEMENT_FIELDS + F_ATTRIBUTES] as number;
    const next = (element + 1) * ELEMENT_FIELDS + F_ATTRIBUTES;
    const end =
      next < this.elements.length ? (this.elements[next] as number) : this.attributeNames.length;
    return { first, end };
  }

  /** The index of the element's attribute of that name, or -1. */
  findAttribute(element: number, name: string): number {
    const { first, end } = this.attributesOf(element);
    for (let a = first; a < end; a++) if (this.attributeNames[a] === name) return a;
    return NONE;
  }

  attributeName(attribute: number): string {
    return this.attributeNames[attribute] as string;
  }

  attributeNameOffset(attribute: number): number {
    return this.attributes[attribute * ATTRIBUTE_FIELDS + A_NAME_OFFSET] as number;
  }

  /** Offset of the first character after the opening quote. */
  attributeValueOffset(attribute: number): number {
    return this.attributes[attribute * ATTRIBUTE_FIELDS + A_VALUE_START] as number;
  }

  /** Decoded value (entities replaced, white space normalised as XML §3.3.3 says). */
  attributeValue(attribute: number): string {
    const base = attribute * ATTRIBUTE_FIELDS;
    if (this.attributes[base + A_RAW] === 1) {
      const start = this.attributes[base + A_VALUE_START] as number;
      const end = this.attributes[base + A_VALUE_END] as number;
      return end - start === 2 ? twoCharacters(this.text, start) : this.text.slice(start, end);
    }
    return this.decodedValues.get(attribute) ?? '';
  }

  /** The attribute as an object. */
  attribute(attribute: number): XmlAttribute {
    return {
      name: this.attributeName(attribute),
      nameOffset: this.attributeNameOffset(attribute),
      value: this.attributeValue(attribute),
      valueOffset: this.attributeValueOffset(attribute),
    };
  }
}

/**
 * Scans a whole document into flat records. Never throws: a well-formedness error comes back
 * in `error` (with the elements read so far).
 * @example indexXml('<flat-profile><A ua="na">1</A></flat-profile>').textOf(1) // '1'
 */
export function indexXml(text: string, options: IndexOptions = {}): XmlIndex {
  const index = new XmlIndex(text);
  new Scanner(text, index, options.bytes).run(
    options.charactersChecked === true,
    options.transient === true,
  );
  return index;
}

export interface IndexOptions {
  /** The caller has checked the text for characters XML forbids (see checkXmlCharacters). */
  charactersChecked?: boolean;
  /**
   * The index is read before the next scan and dropped: its records then stay in the scan's
   * scratch space, not copied out (the next scan overwrites them).
   */
  transient?: boolean;
  /**
   * The text's own bytes, when it is ASCII (a byte per character, at the same offsets): the
   * scanner compares and searches in them where that is cheaper.
   */
  bytes?: Uint8Array | undefined;
}

/**
 * Scans a whole document into a tree of elements. Never throws: a well-formedness error comes
 * back in `error` (with the elements read so far in `root`).
 * @example scanXml('<flat-profile><A ua="na">1</A></flat-profile>').root?.children[0]?.text // '1'
 */
export function scanXml(text: string): XmlScan {
  const index = indexXml(text);
  const built: (XmlElement | undefined)[] = [];
  for (let i = 0; i < index.count; i++) {
    if (!index.isComplete(i)) {
      built.push(undefined);
      continue;
    }
    const { first, end } = index.attributesOf(i);
    const attributes: XmlAttribute[] = [];
    for (let a = first; a < end; a++) attributes.push(index.attribute(a));
    const parentIndex = index.parentOf(i);
    const parent = parentIndex === NONE ? undefined : built[parentIndex];
    const element: XmlElement = {
      name: index.nameOf(i),
      offset: index.offsetOf(i),
      attributes,
      children: [],
      parent,
      text: index.textOf(i),
      contentStart: index.contentStartOf(i),
      contentEnd: index.contentEndOf(i),
      selfClosing: index.selfClosing(i),
    };
    parent?.children.push(element);
    built.push(element);
  }
  return { root: built[0], error: index.error, comments: index.comments };
}

class Scanner {
  private pos = 0;
  /** Open elements (indexes), and the last child read of each. */
  private readonly stack: number[] = [];
  private readonly lastChild: number[] = [];
  /** The innermost open element, or -1. */
  private top = NONE;
  private elements: Int32Array;
  private readonly names: string[];
  private attributes: Int32Array;
  private attributeNames: string[];
  private readonly start: number;
  private ampersand: number;
  private cdataEnd: number;
  private lessThan: number;
  private carriageReturn: number;
  /** Hash of the name {@link readName} read last (for {@link internName}). */
  private nameHash = 0;
  /** The text's bytes when it is ASCII (see IndexOptions.bytes), else undefined. */
  private readonly bytes: Uint8Array | undefined;

  constructor(
    private readonly text: string,
    private readonly index: XmlIndex,
    bytes?: Uint8Array,
  ) {
    this.bytes = bytes !== undefined && bytes.length === text.length ? bytes : undefined;
    this.elements = elementScratch;
    this.names = index.names;
    this.attributes = attributeScratch;
    this.attributeNames = index.attributeNames;
    this.start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.ampersand = text.indexOf('&');
    this.cdataEnd = text.indexOf(']]>');
    this.lessThan = text.indexOf('<');
    this.carriageReturn = text.indexOf('\r');
  }

  run(charactersChecked: boolean, transient: boolean): void {
    try {
      if (!charactersChecked) this.checkCharacters();
      this.scanDocument();
    } catch (err) {
      if (!(err instanceof ScanFailure)) throw err;
      this.index.error =
        err.unquoted === undefined
          ? { message: err.message, offset: err.offset }
          : { message: err.message, offset: err.offset, unquoted: err.unquoted };
    } finally {
      const elements = this.names.length * ELEMENT_FIELDS;
      const attributes = this.attributeNames.length * ATTRIBUTE_FIELDS;
      this.index.elements = transient
        ? this.elements.subarray(0, elements)
        : this.elements.slice(0, elements);
      this.index.attributes = transient
        ? this.attributes.subarray(0, attributes)
        : this.attributes.slice(0, attributes);
    }
  }

  /** One native pass for forbidden characters and lone surrogates over the whole text. */
  private checkCharacters(): void {
    const bad = FORBIDDEN_CHAR.exec(this.text);
    if (bad) {
      const code = bad[0].charCodeAt(0);
      throw new ScanFailure(
        `character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`,
        bad.index,
        'a control character or non-character (not shown) is not allowed in XML',
      );
    }
    const wellFormed = (this.text as unknown as { isWellFormed?: () => boolean }).isWellFormed;
    if (wellFormed ? !wellFormed.call(this.text) : LONE_SURROGATE.test(this.text)) {
      const lone = LONE_SURROGATE.exec(this.text);
      throw new ScanFailure('unpaired UTF-16 surrogate is not allowed in XML', lone?.index ?? 0);
    }
  }

  private scanDocument(): void {
    const { text } = this;
    const length = text.length;
    this.pos = this.start;
    const bytes = this.bytes;
    while (this.pos < length) {
      const lt =
        bytes !== undefined ? nextLessThanIn(bytes, text, this.pos) : text.indexOf('<', this.pos);
      const end = lt < 0 ? length : lt;
      if (end > this.pos) this.characterData(this.pos, end);
      if (lt < 0) break;
      const next = text.charCodeAt(lt + 1);
      if (next === CH_QUESTION) this.processingInstruction(lt);
      else if (next === CH_BANG) this.markupDeclaration(lt);
      else if (next === CH_SLASH) this.endTag(lt);
      else this.startTag(lt);
    }
    if (this.top !== NONE) {
      throw new ScanFailure(
        `<${this.names[this.top] as string}> is never closed`,
        this.elements[this.top * ELEMENT_FIELDS + F_OFFSET] as number,
      );
    }
    if (this.names.length === 0) {
      // Nothing but white space (an empty upload, a truncated write): said as convert and diff say it.
      if (isAllWhiteSpace(text, this.start, length)) {
        throw new ScanFailure('the file is empty (no root element)', 0);
      }
      throw new ScanFailure('no root element', length);
    }
  }

  /** Text between markup: white space only outside the root; no `]]>` inside. */
  private characterData(start: number, end: number): void {
    const { text, top } = this;
    if (top === NONE) {
      for (let i = start; i < end; i++) {
        if (!isWhiteSpace(text.charCodeAt(i))) {
          throw new ScanFailure(
            this.names.length > 0 ? 'text after the root element' : 'text before the root element',
            i,
          );
        }
      }
      return;
    }
    const base = top * ELEMENT_FIELDS;
    const elements = this.elements;
    const bytes = this.bytes;
    if (
      elements[base + F_FIRST_CHILD] !== NONE &&
      (bytes !== undefined
        ? isAllWhiteSpaceIn(bytes, start, end)
        : isAllWhiteSpace(text, start, end))
    ) {
      return; // indentation between child elements: no one reads it, so nothing is kept
    }
    const cdataEnd = this.nextCdataEnd(start);
    if (cdataEnd >= 0 && cdataEnd + 3 <= end) {
      throw new ScanFailure("']]>' is not allowed in text (write ]]&gt;)", cdataEnd);
    }
    // The common case, a value: the first text right after the start tag, without references or
    // CR. It is kept as its end offset, and sliced from the source when asked for.
    if (elements[base + F_TEXT] === TEXT_EMPTY && start === elements[base + F_CONTENT_START]) {
      const amp = this.nextAmpersand(start);
      if (amp < 0 || amp >= end) {
        const cr = this.nextCarriageReturn(start);
        if (cr < 0 || cr >= end) {
          elements[base + F_TEXT] = end;
          return;
        }
      }
    }
    let decoded: string;
    try {
      decoded = this.decode(start, end, false);
    } catch (err) {
      // A reference error quotes the text; in a password's value that would be part of it.
      const name = this.names[top];
      if (err instanceof ScanFailure && name !== undefined && isSecretParameter(name)) {
        throw new ScanFailure(
          `bad '&' reference in the value of ${name} (not shown: a secret; write & as &amp;, only &lt; &gt; &amp; &apos; &quot; and &#…; exist)`,
          err.offset,
        );
      }
      throw err;
    }
    this.appendText(top, decoded);
  }

  /** Appends decoded text to an element's, which is then kept as a string. */
  private appendText(element: number, piece: string): void {
    const base = element * ELEMENT_FIELDS;
    const state = this.elements[base + F_TEXT] as number;
    const decoded = this.index.decodedTexts;
    const before =
      state === TEXT_EMPTY
        ? ''
        : state === TEXT_DECODED
          ? (decoded.get(element) ?? '')
          : this.text.slice(this.elements[base + F_CONTENT_START], state);
    decoded.set(element, before + piece);
    this.elements[base + F_TEXT] = TEXT_DECODED;
  }

  /** Replaces character and entity references (XML 1.0 §4.1, §4.6). */
  private decode(start: number, end: number, attribute: boolean): string {
    const { text } = this;
    let amp = this.nextAmpersand(start);
    if (amp < 0 || amp >= end) {
      const raw = text.slice(start, end);
      if (attribute) return hasTabOrLineEnd(text, start, end) ? normaliseAttribute(raw) : raw;
      return this.carriageReturn >= 0 ? normaliseLineEnds(raw) : raw;
    }
    let out = '';
    let from = start;
    while (amp >= 0 && amp < end) {
      const raw = text.slice(from, amp);
      out += attribute ? normaliseAttribute(raw) : normaliseLineEnds(raw);
      const semi = text.indexOf(';', amp + 1);
      if (semi < 0 || semi >= end || semi - amp > 32) {
        throw new ScanFailure(
          "'&' must start a reference such as &amp; (write &amp; for '&')",
          amp,
        );
      }
      out += this.reference(text.slice(amp + 1, semi), amp);
      from = semi + 1;
      amp = this.nextAmpersand(from);
    }
    const rest = text.slice(from, end);
    return out + (attribute ? normaliseAttribute(rest) : normaliseLineEnds(rest));
  }

  private reference(body: string, offset: number): string {
    if (body.charCodeAt(0) === 35 /* # */) {
      const hex = body[1] === 'x';
      const digits = hex ? body.slice(2) : body.slice(1);
      const valid = hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits);
      const cp = valid ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (!valid || !isXmlChar(cp)) {
        throw new ScanFailure(
          `&${body}; is not an allowed character reference`,
          offset,
          'a character reference that is not allowed (not shown)',
        );
      }
      return String.fromCodePoint(cp);
    }
    const value = PREDEFINED_ENTITIES[body];
    if (value === undefined) {
      throw new ScanFailure(
        `undefined entity &${body}; (only &lt; &gt; &amp; &apos; &quot; and &#…; exist)`,
        offset,
        'undefined entity (not shown; only &lt; &gt; &amp; &apos; &quot; and &#…; exist)',
      );
    }
    return value;
  }

  /** The end of the name at `at` (`at` when there is none); its hash goes to nameHash. */
  private readName(at: number): number {
    const { text } = this;
    const length = text.length;
    let i = at;
    if (i >= length) return at;
    const first = text.charCodeAt(i);
    if (first < 0x80 ? ASCII_NAME[first] !== 1 : !isNameStart(first, text.charAt(i))) return at;
    let hash = first;
    i++;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code < 0x80) {
        if (ASCII_NAME[code] === 0) break;
      } else if (!isNameChar(code, text.charAt(i))) break;
      hash = (Math.imul(hash, 31) + code) | 0;
      i++;
    }
    this.nameHash = hash;
    return i;
  }

  /**
   * The next `&` at or after `from`, or -1. The answer is kept, as the scan only moves
   * forward: without it, a search from every text node to the end of the document is quadratic.
   */
  private nextAmpersand(from: number): number {
    if (this.ampersand !== -1 && this.ampersand < from) {
      this.ampersand = this.text.indexOf('&', from);
    }
    return this.ampersand;
  }

  /** The next `<` at or after `from`, or -1; kept like nextAmpersand (attribute values ask). */
  private nextLessThan(from: number): number {
    if (this.lessThan !== -1 && this.lessThan < from) {
      this.lessThan = this.text.indexOf('<', from);
    }
    return this.lessThan;
  }

  private nextCdataEnd(from: number): number {
    if (this.cdataEnd !== -1 && this.cdataEnd < from) {
      this.cdataEnd = this.text.indexOf(']]>', from);
    }
    return this.cdataEnd;
  }

  private nextCarriageReturn(from: number): number {
    if (this.carriageReturn !== -1 && this.carriageReturn < from) {
      this.carriageReturn = this.text.indexOf('\r', from);
    }
    return this.carriageReturn;
  }

  private skipWhiteSpace(at: number): number {
    let i = at;
    while (i < this.text.length && isWhiteSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  private startTag(lt: number): void {
    const { text } = this;
    const element = this.names.length;
    // The name the element at this place had in the document scanned before: a fleet's
    // profiles come from one template, so it is usually the same, and one comparison with the
    // stored name replaces reading, hashing and comparing it.
    const predicted = element < PREDICTED_ELEMENTS ? (predictedNames[element] as number) : NONE;
    const bytes = this.bytes;
    let nameEnd =
      predicted < 0
        ? NONE
        : bytes !== undefined
          ? storedNameEndIn(bytes, lt + 1, predicted)
          : storedNameEnd(text, lt + 1, predicted);
    const hit = nameEnd >= 0;
    if (!hit) {
      nameEnd = this.readName(lt + 1);
      if (nameEnd === lt + 1) {
        throw new ScanFailure("expected an element name after '<' (write &lt; for '<')", lt);
      }
    }
    const parent = this.top;
    if (parent === NONE && this.names.length > 0) {
      throw new ScanFailure('only one root element is allowed', lt);
    }
    let name: string;
    if (hit) {
      name = nameStrings[predicted] as string;
      internedId = predicted;
    } else {
      name = internName(text, lt + 1, nameEnd, this.nameHash);
      if (element < PREDICTED_ELEMENTS) predictedNames[element] = internedId;
    }
    const base = element * ELEMENT_FIELDS;
    if (base + ELEMENT_FIELDS > this.elements.length) {
      elementScratch = this.elements = grown(this.elements, base + ELEMENT_FIELDS);
    }
    const elements = this.elements;
    const firstAttribute = this.attributeNames.length;
    this.names.push(name);
    elements[base + F_OFFSET] = lt;
    elements[base + F_CONTENT_START] = NONE;
    elements[base + F_CONTENT_END] = NONE;
    elements[base + F_PARENT] = parent;
    elements[base + F_FIRST_CHILD] = NONE;
    elements[base + F_NEXT_SIBLING] = NONE;
    elements[base + F_ATTRIBUTES] = firstAttribute;
    elements[base + F_TEXT] = TEXT_EMPTY;
    elements[base + F_SELF_CLOSING] = 0;
    elements[base + F_NAME_ID] = internedId;
    let i = nameEnd;
    // Names seen so far, once an element has many attributes: a scan of the list per attribute
    // made 60,000 attributes take 12 s (issue 10).
    let names: Set<string> | undefined;
    let selfClosing = false;
    const tail = hit && element < PREDICTED_ELEMENTS ? (predictedTails[element] as number) : NONE;
    if (
      tail >= 0 &&
      (bytes !== undefined ? storedTailIn(bytes, nameEnd, tail) : storedTailAt(text, nameEnd, tail))
    ) {
      this.replayTail(tail, nameEnd);
      i = nameEnd + (tailLengths[tail] as number);
    } else {
      try {
        for (;;) {
          const afterSpace = this.skipWhiteSpace(i);
          const code = text.charCodeAt(afterSpace);
          if (afterSpace >= text.length) {
            throw new ScanFailure(`start tag <${name} is not closed with '>'`, lt);
          }
          if (code === CH_GT) {
            i = afterSpace + 1;
            break;
          }
          if (code === CH_SLASH) {
            if (text.charCodeAt(afterSpace + 1) !== CH_GT) {
              throw new ScanFailure(
                `expected '>' right after '/' in start tag <${name}`,
                afterSpace + 1,
              );
            }
            selfClosing = true;
            i = afterSpace + 2;
            break;
          }
          if (code === 60 /* < */) {
            // The next tag begins: this one stops where its '>' is missing.
            throw new ScanFailure(`start tag <${name} is not closed with '>'`, i);
          }
          if (afterSpace === i) {
            throw new ScanFailure(
              `expected white space, '>' or '/>' in start tag <${name}`,
              afterSpace,
            );
          }
          if (
            names === undefined &&
            this.attributeNames.length - firstAttribute >= MANY_ATTRIBUTES
          ) {
            names = new Set(this.attributeNames.slice(firstAttribute));
          }
          i = this.attribute(name, firstAttribute, afterSpace, names);
        }
      } catch (err) {
        // Inside a password, the "tag" is likely a piece of its value after a raw '<'.
        const secret = parent === NONE ? undefined : this.openSecret();
        if (secret === undefined || !(err instanceof ScanFailure)) throw err;
        throw this.malformedInSecret(secret, 'start tag', lt);
      }
      if (element < PREDICTED_ELEMENTS) {
        predictedTails[element] = selfClosing ? NONE : this.storeTail(nameEnd, i, firstAttribute);
      }
    }
    elements[base + F_CONTENT_START] = i;
    elements[base + F_CONTENT_END] = i;
    if (parent !== NONE) {
      const depth = this.stack.length - 1;
      const previous = this.lastChild[depth] as number;
      if (previous === NONE) elements[parent * ELEMENT_FIELDS + F_FIRST_CHILD] = element;
      else elements[previous * ELEMENT_FIELDS + F_NEXT_SIBLING] = element;
      this.lastChild[depth] = element;
    }
    if (selfClosing) elements[base + F_SELF_CLOSING] = 1;
    else {
      const end = this.leafEnd(i, name);
      if (end >= 0) {
        // <Name …>value</Name>: text and end tag read at once, never on the stack.
        if (end > i) elements[base + F_TEXT] = end;
        elements[base + F_CONTENT_END] = end;
        this.pos = end + 3 + name.length;
        return;
      }
      this.stack.push(element);
      this.lastChild.push(NONE);
      this.top = element;
    }
    this.pos = i;
  }

  /**
   * The usual parameter, a leaf whose text needs no decoding, read in one step: when the content
   * from `start` is plain text (no reference, CR or `]]>`) followed directly by the matching
   * end tag `</name>`, the offset of that end tag's `<`; else -1, and the general path reads it
   * (and finds any error) as before.
   */
  private leafEnd(start: number, name: string): number {
    const { text, bytes } = this;
    const lt = bytes !== undefined ? nextLessThanIn(bytes, text, start) : text.indexOf('<', start);
    if (lt < 0 || text.charCodeAt(lt + 1) !== CH_SLASH) return NONE;
    const gt = lt + 2 + name.length;
    if (gt >= text.length || text.charCodeAt(gt) !== CH_GT) return NONE;
    // A native search, 2.4× faster than a loop here. It runs past this place only when the end
    // tag is another name, which is an error that ends the scan: once per document at most.
    if (text.indexOf(name, lt + 2) !== lt + 2) return NONE;
    if (lt > start) {
      const amp = this.nextAmpersand(start);
      if (amp >= 0 && amp < lt) return NONE;
      const cr = this.nextCarriageReturn(start);
      if (cr >= 0 && cr < lt) return NONE;
      const cdataEnd = this.nextCdataEnd(start);
      if (cdataEnd >= 0 && cdataEnd < lt) return NONE;
    }
    return lt;
  }

  /** Records the attributes of the stored tail `tail`, which follows an element name at `at`. */
  private replayTail(tail: number, at: number): void {
    const first = tailFirstAttribute[tail] as number;
    const count = tailAttributeCount[tail] as number;
    for (let k = 0; k < count; k++) {
      const attribute = this.attributeNames.length;
      this.attributeNames.push(tailAttributeNames[first + k] as string);
      const base = attribute * ATTRIBUTE_FIELDS;
      if (base + ATTRIBUTE_FIELDS > this.attributes.length) {
        attributeScratch = this.attributes = grown(this.attributes, base + ATTRIBUTE_FIELDS);
      }
      const stored = (first + k) * ATTRIBUTE_FIELDS;
      const attributes = this.attributes;
      attributes[base + A_NAME_OFFSET] = at + (tailAttributes[stored + A_NAME_OFFSET] as number);
      attributes[base + A_VALUE_START] = at + (tailAttributes[stored + A_VALUE_START] as number);
      attributes[base + A_VALUE_END] = at + (tailAttributes[stored + A_VALUE_END] as number);
      attributes[base + A_RAW] = 1;
    }
  }

  /**
   * Stores the tail `text[at, end)` of a start tag just read (its attributes from
   * `firstAttribute` on) for the next document's element at this place; its id, or -1 when it
   * cannot be replayed (a value that needed decoding, too long, too many attributes) or the
   * table is full.
   */
  private storeTail(at: number, end: number, firstAttribute: number): number {
    const length = end - at;
    const count = this.attributeNames.length - firstAttribute;
    if (length > TAIL_MAX_LENGTH || count > TAIL_MAX_ATTRIBUTES) return NONE;
    for (let a = firstAttribute; a < firstAttribute + count; a++) {
      if (this.attributes[a * ATTRIBUTE_FIELDS + A_RAW] !== 1) return NONE;
    }
    const { text } = this;
    const key = text.slice(at, end);
    const known = tailIds.get(key);
    if (known !== undefined) return known;
    const id = tailIds.size;
    if (id >= TAIL_LIMIT) return NONE;
    if (tailCharsUsed + length > tailChars.length) {
      const bigger = new Uint16Array(tailChars.length * 2);
      bigger.set(tailChars);
      tailChars = bigger;
    }
    for (let k = 0; k < length; k++) tailChars[tailCharsUsed + k] = text.charCodeAt(at + k);
    tailStarts[id] = tailCharsUsed;
    tailLengths[id] = length;
    tailCharsUsed += length;
    const stored = tailAttributeNames.length;
    if ((stored + count) * ATTRIBUTE_FIELDS > tailAttributes.length) {
      tailAttributes = grown(tailAttributes, (stored + count) * ATTRIBUTE_FIELDS);
    }
    for (let k = 0; k < count; k++) {
      const from = (firstAttribute + k) * ATTRIBUTE_FIELDS;
      const to = (stored + k) * ATTRIBUTE_FIELDS;
      const name = this.attributeNames[firstAttribute + k] as string;
      // A flat copy: an attribute name that was not interned is a slice of this document.
      tailAttributeNames.push(flatCopy(name));
      tailAttributes[to + A_NAME_OFFSET] = (this.attributes[from + A_NAME_OFFSET] as number) - at;
      tailAttributes[to + A_VALUE_START] = (this.attributes[from + A_VALUE_START] as number) - at;
      tailAttributes[to + A_VALUE_END] = (this.attributes[from + A_VALUE_END] as number) - at;
    }
    tailFirstAttribute[id] = stored;
    tailAttributeCount[id] = count;
    // A flat copy as the key: a slice would keep this document alive.
    tailIds.set(flatCopy(key), id);
    return id;
  }

  private attribute(
    elementName: string,
    firstAttribute: number,
    at: number,
    names: Set<string> | undefined,
  ): number {
    const { text } = this;
    const nameEnd = this.readName(at);
    if (nameEnd === at) {
      throw new ScanFailure(`expected an attribute name in start tag <${elementName}`, at);
    }
    const name = internName(text, at, nameEnd, this.nameHash);
    if (names ? names.has(name) : this.attributeNames.indexOf(name, firstAttribute) >= 0) {
      throw new ScanFailure(`attribute ${name} is repeated in <${elementName}>`, at);
    }
    names?.add(name);
    let i = this.skipWhiteSpace(nameEnd);
    if (text.charCodeAt(i) !== CH_EQUALS) {
      throw new ScanFailure(`expected '=' after attribute ${name}`, i);
    }
    i = this.skipWhiteSpace(i + 1);
    const quote = text.charCodeAt(i);
    if (quote !== CH_QUOTE && quote !== CH_APOS) {
      throw new ScanFailure(`the value of attribute ${name} must be in quotes`, i);
    }
    const close = text.indexOf(quote === CH_QUOTE ? '"' : "'", i + 1);
    if (close < 0) throw new ScanFailure(`the value of attribute ${name} is never closed`, i);
    const lt = this.nextLessThan(i + 1);
    if (lt >= 0 && lt < close) {
      throw new ScanFailure("'<' is not allowed in an attribute value (write &lt;)", lt);
    }
    const attribute = this.attributeNames.length;
    const amp = this.nextAmpersand(i + 1);
    const raw = (amp < 0 || amp >= close) && !hasTabOrLineEnd(text, i + 1, close);
    if (!raw) this.index.decodedValues.set(attribute, this.decode(i + 1, close, true));
    this.attributeNames.push(name);
    const base = attribute * ATTRIBUTE_FIELDS;
    if (base + ATTRIBUTE_FIELDS > this.attributes.length) {
      attributeScratch = this.attributes = grown(this.attributes, base + ATTRIBUTE_FIELDS);
    }
    const attributes = this.attributes;
    attributes[base + A_NAME_OFFSET] = at;
    attributes[base + A_VALUE_START] = i + 1;
    attributes[base + A_VALUE_END] = close;
    attributes[base + A_RAW] = raw ? 1 : 0;
    return close + 1;
  }

  private endTag(lt: number): void {
    const { text, top } = this;
    // Fast path: the end tag of the open element, compared in place (no string built).
    if (top !== NONE) {
      // Compared with the start tag's name in the same text (monomorphic character reads).
      const length = (this.names[top] as string).length;
      const startTag = this.elements[top * ELEMENT_FIELDS + F_OFFSET] as number;
      if (lt + 2 + length <= text.length && sameCharacters(text, lt + 2, startTag + 1, length)) {
        let i = lt + 2 + length;
        const after = text.charCodeAt(i);
        if (after < 0x80 && ASCII_NAME[after] === 0) {
          i = this.skipWhiteSpace(i);
          if (text.charCodeAt(i) === CH_GT) {
            this.close(lt);
            this.pos = i + 1;
            return;
          }
        }
      }
    }
    // Anything else: read it again the slow way, which finds the error.
    const nameEnd = this.readName(lt + 2);
    if (nameEnd === lt + 2) {
      throw new ScanFailure("expected an element name right after '</'", lt + 2);
    }
    const name = text.slice(lt + 2, nameEnd);
    const openName = top === NONE ? undefined : (this.names[top] as string);
    // Inside a password, a name that is not the open element's may be a piece of its value (a
    // raw '<'): it is not shown.
    const secret = openName === name ? undefined : this.openSecret();
    const gt = this.skipWhiteSpace(nameEnd);
    if (text.charCodeAt(gt) !== CH_GT) {
      if (secret !== undefined) throw this.malformedInSecret(secret, 'end tag', lt);
      // Where the '>' is missing: right after the name when the tag just stops (a line end or
      // the next tag follows), else at the character that does not belong in an end tag.
      const next = text.charCodeAt(gt);
      const stops = gt >= text.length || next === 60; /* < */
      throw new ScanFailure(
        stops
          ? `end tag </${name} is not closed with '>'`
          : `end tag </${name} is not closed with '>' (an end tag holds only its name)`,
        stops ? nameEnd : gt,
      );
    }
    if (top === NONE) throw new ScanFailure(`end tag </${name}> without a start tag`, lt);
    if (openName !== name) {
      const openOffset = this.elements[top * ELEMENT_FIELDS + F_OFFSET] as number;
      if (secret !== undefined) {
        throw new ScanFailure(
          `an end tag does not match inside the value of ${secret} (not shown: a secret; a '<' in a value is written &lt;)`,
          lt,
        );
      }
      throw new ScanFailure(
        `end tag </${name}> does not match <${openName}> (line ${lineOf(text, openOffset)})`,
        lt,
      );
    }
    this.close(lt);
    this.pos = gt + 1;
  }

  /**
   * The outermost open element that is a secret parameter (its value is not shown), if any: the
   * outermost, as anything opened inside it is a piece of its value (`<Password_1_>a<bsecret>`
   * names Password_1_, not the piece "bsecret").
   */
  private openSecret(): string | undefined {
    for (let k = 0; k < this.stack.length; k++) {
      const name = this.names[this.stack[k] as number] as string;
      if (isSecretParameter(name)) return name;
    }
    return undefined;
  }

  /**
   * The error for a malformed tag inside a secret's value: what looks like a tag there is more
   * likely a piece of the password after a raw '<', so neither its name nor its attributes are
   * shown.
   */
  private malformedInSecret(secret: string, what: string, offset: number): ScanFailure {
    return new ScanFailure(
      `a malformed ${what} inside the value of ${secret} (not shown: a secret; a '<' in a value is written &lt;)`,
      offset,
    );
  }

  /** Closes the innermost open element at its end tag's `<`. */
  private close(lt: number): void {
    this.elements[this.top * ELEMENT_FIELDS + F_CONTENT_END] = lt;
    this.stack.pop();
    this.lastChild.pop();
    this.top = this.stack.length > 0 ? (this.stack[this.stack.length - 1] as number) : NONE;
  }

  private processingInstruction(lt: number): void {
    const { text } = this;
    const end = text.indexOf('?>', lt + 2);
    if (end < 0) throw new ScanFailure("processing instruction is never closed with '?>'", lt);
    const nameEnd = this.readName(lt + 2);
    if (nameEnd === lt + 2) throw new ScanFailure("expected a name after '<?'", lt);
    const target = text.slice(lt + 2, nameEnd);
    if (target.toLowerCase() === 'xml' && lt !== this.start) {
      throw new ScanFailure('the XML declaration is allowed only at the very start', lt);
    }
    this.pos = end + 2;
  }

  private markupDeclaration(lt: number): void {
    const { text } = this;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw new ScanFailure("comment is never closed with '-->'", lt);
      const dashes = text.indexOf('--', lt + 4);
      if (dashes < end) throw new ScanFailure("'--' is not allowed inside a comment", dashes);
      this.index.comments.push([lt, end + 3]);
      this.pos = end + 3;
      return;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const top = this.top;
      if (top === NONE) throw new ScanFailure('CDATA section outside the root element', lt);
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) throw new ScanFailure("CDATA section is never closed with ']]>'", lt);
      this.appendText(top, normaliseLineEnds(text.slice(lt + 9, end)));
      this.pos = end + 3;
      return;
    }
    if (text.startsWith('<!DOCTYPE', lt)) {
      throw new ScanFailure('a DOCTYPE is not allowed in a profile (phones do not read DTDs)', lt);
    }
    throw new ScanFailure(
      "'<!' starts neither a comment (<!--) nor a CDATA section (<![CDATA[)",
      lt,
    );
  }
}

function lineOf(text: string, offset: number): number {
  return new LineIndex(text).position(offset).line;
}

/** Offsets → 1-based line and column (UTF-16 code units, as ESLint counts). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    // LF, CR LF and lone CR each end a line (XML 1.0 §2.11).
    if (!text.includes('\r')) {
      for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', lf + 1)) {
        this.starts.push(lf + 1);
      }
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === CH_LF) this.starts.push(i + 1);
      else if (code === CH_CR) {
        if (text.charCodeAt(i + 1) === CH_LF) i++;
        this.starts.push(i + 1);
      }
    }
  }

  position(offset: number): { line: number; column: number } {
    const { starts } = this;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  }
}

/**
 * Where a walk of {@link sourceOffsetOfText} stopped, so the next query on the same element
 * with an index at least as large goes on from there: a rule reports many findings in one
 * value in order, and walking from the start for each was quadratic (issue 10: a 2 MB
 * Resync_Trigger_1 took 16 s).
 */
export interface TextOffsetCursor {
  element: XmlContent | undefined;
  /** The index asked for, and the walk's state at the start of the step that answered it. */
  index: number;
  offset: number;
  decoded: number;
}

/** A cursor that has walked nothing yet. */
export function newTextOffsetCursor(): TextOffsetCursor {
  return { element: undefined, index: 0, offset: 0, decoded: 0 };
}

/**
 * Maps an index in a leaf element's decoded text back to an offset in the source: walks the
 * raw content the way {@link scanXml} decoded it (references, CDATA, comments, CR LF).
 * An index at or past the end maps to the end of the content. With a cursor, a query for the
 * same element and an index not smaller than the last goes on from where the last stopped.
 */
export function sourceOffsetOfText(
  text: string,
  element: XmlContent,
  index: number,
  cursor?: TextOffsetCursor,
): number {
  let decoded = 0;
  let i = element.contentStart;
  if (cursor !== undefined && cursor.element === element && cursor.index <= index) {
    i = cursor.offset;
    decoded = cursor.decoded;
  }
  const end = element.contentEnd;
  const answer = (offset: number, stepStart: number, stepDecoded: number): number => {
    if (cursor !== undefined) {
      cursor.element = element;
      cursor.index = index;
      cursor.offset = stepStart;
      cursor.decoded = stepDecoded;
    }
    return offset;
  };
  while (i < end) {
    if (decoded >= index) return answer(i, i, decoded);
    const stepStart = i;
    const stepDecoded = decoded;
    const code = text.charCodeAt(i);
    if (code === 60 /* < */) {
      if (text.startsWith('<!--', i)) {
        i = text.indexOf('-->', i) + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        const close = text.indexOf(']]>', i);
        const body = close - (i + 9);
        if (decoded + body > index) {
          return answer(i + 9 + (index - decoded), stepStart, stepDecoded);
        }
        decoded += body;
        i = close + 3;
        continue;
      }
      return answer(i, stepStart, stepDecoded); // a child element: not a leaf
    }
    if (code === 38 /* & */) {
      const semi = text.indexOf(';', i);
      const body = text.slice(i + 1, semi);
      const cp = body.startsWith('#x')
        ? parseInt(body.slice(2), 16)
        : body.startsWith('#')
          ? parseInt(body.slice(1), 10)
          : 0;
      decoded += cp > 0xffff ? 2 : 1;
      if (decoded > index) return answer(i, stepStart, stepDecoded);
      i = semi + 1;
      continue;
    }
    if (code === CH_CR && text.charCodeAt(i + 1) === CH_LF) {
      i += 2;
      decoded++;
      continue;
    }
    i++;
    decoded++;
  }
  return answer(end, i, decoded);
}
