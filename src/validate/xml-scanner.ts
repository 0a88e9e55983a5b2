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

/** An attribute with the offsets of its name and of the first character of its value. */
export interface XmlAttribute {
  name: string;
  nameOffset: number;
  /** Decoded value (entities replaced, white space normalised as XML §3.3.3 says). */
  value: string;
  /** Offset of the first character after the opening quote. */
  valueOffset: number;
}

/** An element with its offsets. Text is the decoded character data directly inside it. */
export interface XmlElement {
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
  /** Offset just after the start tag's `>` (for `<x/>`, just after `/>`). */
  contentStart: number;
  /** Offset of the end tag's `<` (for `<x/>`, equal to contentStart). */
  contentEnd: number;
  selfClosing: boolean;
}

/** The first well-formedness error: XML parsers stop at it, and so do we. */
export interface XmlScanError {
  message: string;
  offset: number;
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
const nameStrings: (string | undefined)[] = new Array<string | undefined>(NAME_TABLE_SIZE).fill(
  undefined,
);
let namesStored = 0;

/**
 * A flat copy of a string, for a long-lived key: a name sliced from a profile would keep the
 * whole profile alive (V8 internalises a property key, copying a slice).
 */
export function flatCopy(text: string): string {
  const holder: Record<string, true> = {};
  holder[text] = true;
  return Object.keys(holder)[0] ?? text;
}

/** The interned string for `text[start, end)`, whose hash {@link Scanner.readName} computed. */
function internName(text: string, start: number, end: number, hash: number): string {
  const length = end - start;
  let slot = hash & NAME_TABLE_MASK;
  for (;;) {
    const stored = nameStrings[slot];
    if (stored === undefined) break;
    if (nameHashes[slot] === hash && stored.length === length && text.startsWith(stored, start)) {
      return stored;
    }
    slot = (slot + 1) & NAME_TABLE_MASK;
  }
  const name = text.slice(start, end);
  if (namesStored >= NAME_TABLE_LIMIT || length > NAME_TABLE_MAX_LENGTH) return name;
  const copy = flatCopy(name);
  nameStrings[slot] = copy;
  nameHashes[slot] = hash;
  namesStored++;
  return copy;
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

function hasAttribute(element: XmlElement, name: string): boolean {
  for (const attribute of element.attributes) if (attribute.name === name) return true;
  return false;
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

/**
 * Scans a whole document. Never throws: a well-formedness error comes back in `error` (with
 * the elements read so far in `root`).
 * @example scanXml('<flat-profile><A ua="na">1</A></flat-profile>').root?.children[0]?.text // '1'
 */
export function scanXml(text: string): XmlScan {
  const scanner = new Scanner(text);
  return scanner.run();
}

class Scanner {
  private pos = 0;
  private readonly stack: XmlElement[] = [];
  private root: XmlElement | undefined;
  private readonly comments: [number, number][] = [];
  private readonly start: number;
  private ampersand: number;
  private cdataEnd: number;
  private lessThan: number;
  /** Hash of the name {@link readName} read last (for {@link internName}). */
  private nameHash = 0;
  /** Whether the document holds a CR at all: without one, no text needs its line ends read. */
  private readonly hasCarriageReturn: boolean;

  constructor(private readonly text: string) {
    this.start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.ampersand = text.indexOf('&');
    this.cdataEnd = text.indexOf(']]>');
    this.lessThan = text.indexOf('<');
    this.hasCarriageReturn = text.includes('\r');
  }

  run(): XmlScan {
    try {
      this.checkCharacters();
      this.scanDocument();
      return { root: this.root, error: undefined, comments: this.comments };
    } catch (err) {
      if (!(err instanceof ScanFailure)) throw err;
      return {
        root: this.root ?? this.stack[0],
        error: { message: err.message, offset: err.offset },
        comments: this.comments,
      };
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
    while (this.pos < length) {
      const lt = text.indexOf('<', this.pos);
      const end = lt < 0 ? length : lt;
      if (end > this.pos) this.characterData(this.pos, end);
      if (lt < 0) break;
      const next = text.charCodeAt(lt + 1);
      if (next === CH_QUESTION) this.processingInstruction(lt);
      else if (next === CH_BANG) this.markupDeclaration(lt);
      else if (next === CH_SLASH) this.endTag(lt);
      else this.startTag(lt);
    }
    const open = this.stack[this.stack.length - 1];
    if (open) throw new ScanFailure(`<${open.name}> is never closed`, open.offset);
    if (!this.root) throw new ScanFailure('no root element', length);
  }

  /** Text between markup: white space only outside the root; no `]]>` inside. */
  private characterData(start: number, end: number): void {
    const { text } = this;
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      for (let i = start; i < end; i++) {
        if (!isWhiteSpace(text.charCodeAt(i))) {
          throw new ScanFailure(
            this.root ? 'text after the root element' : 'text before the root element',
            i,
          );
        }
      }
      return;
    }
    if (top.children.length > 0 && isAllWhiteSpace(text, start, end)) {
      return; // indentation between child elements: no one reads it, so no string is built
    }
    const cdataEnd = this.nextCdataEnd(start);
    if (cdataEnd >= 0 && cdataEnd + 3 <= end) {
      throw new ScanFailure("']]>' is not allowed in text (write ]]&gt;)", cdataEnd);
    }
    top.text += this.decode(start, end, false);
  }

  /** Replaces character and entity references (XML 1.0 §4.1, §4.6). */
  private decode(start: number, end: number, attribute: boolean): string {
    const { text } = this;
    let amp = this.nextAmpersand(start);
    if (amp < 0 || amp >= end) {
      const raw = text.slice(start, end);
      if (attribute) return hasTabOrLineEnd(text, start, end) ? normaliseAttribute(raw) : raw;
      return this.hasCarriageReturn ? normaliseLineEnds(raw) : raw;
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
        throw new ScanFailure(`&${body}; is not an allowed character reference`, offset);
      }
      return String.fromCodePoint(cp);
    }
    const value = PREDEFINED_ENTITIES[body];
    if (value === undefined) {
      throw new ScanFailure(
        `undefined entity &${body}; (only &lt; &gt; &amp; &apos; &quot; and &#…; exist)`,
        offset,
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
   * The next `&` (or `]]>`) at or after `from`, or -1. The answer is kept, as the scan only moves
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

  private skipWhiteSpace(at: number): number {
    let i = at;
    while (i < this.text.length && isWhiteSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  private startTag(lt: number): void {
    const { text } = this;
    const nameEnd = this.readName(lt + 1);
    if (nameEnd === lt + 1) {
      throw new ScanFailure("expected an element name after '<' (write &lt; for '<')", lt);
    }
    const parent = this.stack[this.stack.length - 1];
    if (!parent && this.root) {
      throw new ScanFailure('only one root element is allowed', lt);
    }
    const element: XmlElement = {
      name: internName(text, lt + 1, nameEnd, this.nameHash),
      offset: lt,
      attributes: [],
      children: [],
      parent,
      text: '',
      contentStart: 0,
      contentEnd: 0,
      selfClosing: false,
    };
    let i = nameEnd;
    // Names seen so far, once an element has many attributes: a scan of the list per attribute
    // made 60,000 attributes take 12 s (issue 10).
    let names: Set<string> | undefined;
    for (;;) {
      const afterSpace = this.skipWhiteSpace(i);
      const code = text.charCodeAt(afterSpace);
      if (afterSpace >= text.length) {
        throw new ScanFailure(`start tag <${element.name}> is not closed with '>'`, lt);
      }
      if (code === CH_GT) {
        i = afterSpace + 1;
        break;
      }
      if (code === CH_SLASH) {
        if (text.charCodeAt(afterSpace + 1) !== CH_GT) {
          throw new ScanFailure("expected '/>'", afterSpace);
        }
        element.selfClosing = true;
        i = afterSpace + 2;
        break;
      }
      if (afterSpace === i) {
        throw new ScanFailure("expected white space, '>' or '/>'", afterSpace);
      }
      if (names === undefined && element.attributes.length >= MANY_ATTRIBUTES) {
        names = new Set(element.attributes.map((a) => a.name));
      }
      i = this.attribute(element, afterSpace, names);
    }
    element.contentStart = i;
    element.contentEnd = i;
    if (parent) parent.children.push(element);
    else this.root = element;
    if (!element.selfClosing) this.stack.push(element);
    this.pos = i;
  }

  private attribute(element: XmlElement, at: number, names: Set<string> | undefined): number {
    const { text } = this;
    const nameEnd = this.readName(at);
    if (nameEnd === at) throw new ScanFailure('expected an attribute name', at);
    const name = internName(text, at, nameEnd, this.nameHash);
    if (names ? names.has(name) : hasAttribute(element, name)) {
      throw new ScanFailure(`attribute ${name} is repeated in <${element.name}>`, at);
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
    element.attributes.push({
      name,
      nameOffset: at,
      value: this.decode(i + 1, close, true),
      valueOffset: i + 1,
    });
    return close + 1;
  }

  private endTag(lt: number): void {
    const { text } = this;
    // Fast path: the end tag of the open element, compared in place (no string built).
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined && text.startsWith(top.name, lt + 2)) {
      let i = lt + 2 + top.name.length;
      const after = text.charCodeAt(i);
      if (after < 0x80 && ASCII_NAME[after] === 0) {
        i = this.skipWhiteSpace(i);
        if (text.charCodeAt(i) === CH_GT) {
          this.stack.pop();
          top.contentEnd = lt;
          this.pos = i + 1;
          return;
        }
      }
    }
    // Anything else: read it again the slow way, which finds the error.
    const nameEnd = this.readName(lt + 2);
    const name = text.slice(lt + 2, nameEnd);
    const gt = this.skipWhiteSpace(nameEnd);
    if (nameEnd === lt + 2 || text.charCodeAt(gt) !== CH_GT) {
      throw new ScanFailure(`malformed end tag (expected </name>)`, lt);
    }
    const open = this.stack.pop();
    if (!open) throw new ScanFailure(`end tag </${name}> without a start tag`, lt);
    if (open.name !== name) {
      throw new ScanFailure(
        `end tag </${name}> does not match <${open.name}> (line ${lineOf(text, open.offset)})`,
        lt,
      );
    }
    open.contentEnd = lt;
    this.pos = gt + 1;
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
      this.comments.push([lt, end + 3]);
      this.pos = end + 3;
      return;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const top = this.stack[this.stack.length - 1];
      if (!top) throw new ScanFailure('CDATA section outside the root element', lt);
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) throw new ScanFailure("CDATA section is never closed with ']]>'", lt);
      top.text += normaliseLineEnds(text.slice(lt + 9, end));
      this.pos = end + 3;
      return;
    }
    if (text.startsWith('<!DOCTYPE', lt)) {
      throw new ScanFailure('a DOCTYPE is not allowed in a profile (phones do not read DTDs)', lt);
    }
    throw new ScanFailure("expected '<!--', '<![CDATA[' after '<!'", lt);
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
  element: XmlElement | undefined;
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
  element: XmlElement,
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
