/**
 * YAML inventories read a device at a time, for inventories too large to parse whole
 * (src/render/inventory.ts decides: YAML_WHOLE_PARSE_CHARS). `parseDocument` keeps the whole
 * concrete syntax tree, then the whole document of nodes, then the plain data: ≈ 75 times the
 * text (2 GB for 100,000 devices, 27 MB of YAML). Here the `yaml` package's own layers run in
 * the order `parseDocument` runs them — its `Lexer` hands lexemes to its `Parser`, whose tokens
 * go to its `Composer` — with one change: the items of the device list (the top-level block
 * sequence, or the block sequence under a top-level `devices:` key) are taken out of the
 * parser's tree as soon as the next item begins, and each is composed on its own as a
 * one-item document of the same kind of sequence. What stays is the document without its
 * devices (the "skeleton": `defaults`, `groups`, comments), composed as `parseDocument` would.
 *
 * The grammar, the node building and the error messages are the library's. What this module
 * adds is the bookkeeping: finding the device list on the parser's stack (`Parser.stack`, a
 * public field of yaml 2.x), cutting its finished items, and putting the errors of the
 * skeleton and of the devices back into document order, with the positions `parseDocument`
 * gives them (`at line L, column C`).
 *
 * Not streamed (the skeleton then holds the whole list, as parseDocument would): a device list
 * in flow style (`[ {…}, {…} ]`), one carrying an anchor or a tag, a list in any document
 * after the first.
 */
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type {
  CST,
  Composer,
  Document,
  DocumentOptions,
  ParseOptions,
  SchemaOptions,
  YAMLParseError,
} from 'yaml';
import { yaml } from '../lazy-deps.js';

/**
 * A YAML text longer than this (characters) is read a device at a time. Parsing whole peaks at
 * ≈ 75 times the text (1 MiB, ≈ 3,800 devices of the bench: ≈ 80 MB) and lets an alias in one
 * device name an anchor in another, which the streamed reader refuses (README, Inventory).
 */
export const YAML_WHOLE_PARSE_CHARS = 1024 * 1024;

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** Some finished items of the device list, composed as one document of a sequence. */
export interface YamlDeviceChunk {
  /** Its contents: a YAMLSeq of the items (empty when they were only comments). */
  doc: Document.Parsed;
  /** 0-based position of the chunk's first device in the whole list. */
  firstIndex: number;
  /** Lines and columns of the text's offsets. */
  lineCounter: TextLines;
  /** The device list's path from the top: `[]` or `['devices']`. */
  listPath: string[];
  /** Whether the chunk's text has an alias (`*name`); without one no device needs resolving. */
  hasAliases: boolean;
  /**
   * Each anchor name (`&name`) of the text read so far, with the offset of its first
   * occurrence: the anchors before a device, in it and in the skeleton before the list.
   */
  anchors: ReadonlyMap<string, number>;
}

export interface YamlStreamed {
  /**
   * The document without the streamed devices, its `errors` every error of the whole text in
   * the order and with the messages `parseDocument` would give (the devices' included).
   */
  doc: Document.Parsed;
  /** Lines and columns of the text's offsets (of the devices and of their problems). */
  lineCounter: TextLines;
  /**
   * The device list's path from the top when it was streamed: `[]` (the document is the list)
   * or `['devices']`; undefined when it was not (the skeleton then has it).
   */
  listPath: string[] | undefined;
  /** Items of the streamed list. */
  devices: number;
}

/** A CST token with the fields this module reads. */
type Token = CST.Token;

/** Whether a token is the key `devices` (plain or quoted). */
function isDevicesKey(key: Token | null | undefined): boolean {
  if (!key) return false;
  return yaml().CST.resolveAsScalar(key)?.value === 'devices';
}

function hasProps(tokens: readonly CST.SourceToken[] | undefined): boolean {
  return tokens?.some((t) => t.type === 'anchor' || t.type === 'tag') ?? false;
}

/**
 * Reads a YAML text as `parseDocument(text, { ...options, lineCounter })` would, handing the
 * device list's items to `onChunk` as they are finished instead of keeping them. A chunk with
 * errors, and every chunk after the first error, is not handed over (its errors are in the
 * result's `doc.errors`).
 * @example streamYamlDocument('- mac: 1\n- mac: 2\n', {}, (c) => console.log(c.doc.toJS()))
 */
export function streamYamlDocument(
  text: string,
  options: YamlOptions,
  onChunk: (chunk: YamlDeviceChunk) => void,
): YamlStreamed {
  const { Composer, Lexer, Parser, isSeq } = yaml();
  const lineCounter = new TextLines(text);
  const parser = new Parser();
  const directives: Token[] = [];
  /** Composes the device chunks; it sees the stream's directives first, as the document did. */
  let chunkComposer: Composer | undefined;
  let documents = 0;
  let list: CST.BlockSequence | undefined;
  let listDepth = 0;
  let listPath: string[] | undefined;
  let listDone = false;
  let documentToken: CST.Document | undefined;
  /** Where the next chunk's sequence starts (the end of the last device composed). */
  let nextOffset = 0;
  let index = 0;
  const chunkErrors: YAMLParseError[] = [];
  const anchors = new Map<string, number>();
  /** Alias lexemes so far, and as many when the last chunk was composed. */
  let aliases = 0;
  let aliasesComposed = 0;

  const composeChunk = (items: CST.BlockSequence['items']): void => {
    if (!list || !documentToken) return;
    if (!chunkComposer) {
      chunkComposer = new Composer(options);
      for (const d of directives) for (const _ of chunkComposer.next(d));
    }
    const token: CST.Document = {
      type: 'document',
      offset: documentToken.offset,
      start: documentToken.start,
      value: { type: 'block-seq', offset: nextOffset, indent: list.indent, items },
    };
    const docs = [...chunkComposer.next(token), ...chunkComposer.end()];
    const doc = docs[0] as Document.Parsed;
    const seq = doc.contents;
    if (isSeq(seq) && seq.range) nextOffset = seq.range[1];
    const devices = isSeq(seq) ? seq.items.length : 0;
    for (const e of doc.errors) chunkErrors.push(e);
    const hasAliases = aliases > aliasesComposed;
    aliasesComposed = aliases;
    if (chunkErrors.length === 0 && devices > 0) {
      onChunk({
        doc,
        firstIndex: index,
        lineCounter,
        listPath: listPath ?? [],
        hasAliases,
        anchors,
      });
    }
    index += devices;
  };

  /** The device list, once the parser has begun it in the first document. */
  const findList = (): void => {
    const stack = parser.stack;
    const doc = stack[0];
    if (doc?.type !== 'document' || hasProps(doc.start)) return;
    const top = stack[1];
    if (top?.type === 'block-seq') {
      list = top;
      listDepth = 1;
      listPath = [];
    } else if (top?.type === 'block-map' && stack[2]?.type === 'block-seq') {
      const item = top.items[top.items.length - 1];
      if (item && isDevicesKey(item.key) && !hasProps(item.sep) && !hasProps(item.start)) {
        list = stack[2];
        listDepth = 2;
        listPath = ['devices'];
      }
    }
    if (list) {
      documentToken = doc;
      nextOffset = list.offset;
    }
  };

  /** Composes the finished items: all but the last, once the last has its `-`. */
  const cutFinished = (): void => {
    if (!list || listDone) return;
    if (parser.stack[listDepth] !== list) {
      listDone = true;
      composeChunk(list.items.splice(0));
      return;
    }
    const items = list.items;
    if (items.length < 2) return;
    if (!items[items.length - 1]!.start.some((t) => t.type === 'seq-item-ind')) return;
    composeChunk(items.splice(0, items.length - 1));
  };

  function* tokens(): Generator<Token> {
    const lexemes = new Lexer().lex(text);
    for (;;) {
      const next = lexemes.next();
      if (!next.done) {
        // The lexer gives an alias or an anchor as one lexeme: `*name`, `&name`.
        const first = next.value.charCodeAt(0);
        if (first === 0x2a) aliases++;
        else if (first === 0x26 && !anchors.has(next.value.slice(1))) {
          anchors.set(next.value.slice(1), parser.offset);
        }
      }
      const out = next.done ? parser.end() : parser.next(next.value);
      for (const token of out) {
        if (token.type === 'directive' && documents === 0) directives.push(token);
        if (token.type === 'document') {
          documents++;
          if (list && !listDone) {
            listDone = true;
            composeChunk(list.items.splice(0));
          }
          if (list) list.items.push(placeHolder(nextOffset));
        }
        yield token;
      }
      if (next.done) return;
      if (documents === 0) {
        if (!list && parser.stack.length >= 2) findList();
        else cutFinished();
      }
    }
  }

  const composer = new Composer(options);
  let doc: Document.Parsed | undefined;
  for (const d of composer.compose(tokens(), true, text.length)) {
    if (!doc) doc = d as Document.Parsed;
    else {
      doc.errors.push(multipleDocuments(d.range));
      break;
    }
  }
  const skeleton = doc!;
  // The devices' errors where the composer met their list, in place of the place-holder's.
  const at = skeleton.errors.findIndex((e) => e.message === PLACE_HOLDER_ERROR);
  if (at !== -1) skeleton.errors.splice(at, 1, ...chunkErrors);
  for (const e of skeleton.errors) positionError(e, text, lineCounter);
  return { doc: skeleton, lineCounter, listPath, devices: index };
}

/**
 * What stands in the emptied device list when the skeleton is composed: an item holding only a
 * token the composer does not know, which it reports (PLACE_HOLDER_ERROR) where it meets it —
 * in document order, where the devices' own errors belong — and otherwise skips, as it skips
 * an item holding only comments. Placed at the end of the last device, where the list ended.
 */
function placeHolder(offset: number): CST.BlockSequence['items'][number] {
  const token = { type: PLACE_HOLDER_TYPE, offset, indent: 0, source: '' };
  return { start: [token as unknown as CST.SourceToken] };
}

const PLACE_HOLDER_TYPE = 'cisco-prov-device-list';
/** The composer's words for the place-holder (resolveProps: `Unexpected ${type} token`). */
const PLACE_HOLDER_ERROR = `Unexpected ${PLACE_HOLDER_TYPE} token`;

/** parseDocument's error for a second document (its wording). */
function multipleDocuments(range: readonly number[]): YAMLParseError {
  return new (yaml().YAMLParseError)(
    [range[0]!, range[1]!],
    'MULTIPLE_DOCS',
    'Source contains multiple documents; please use YAML.parseAllDocuments()',
  );
}

/**
 * An error's `linePos` and message as `parseDocument` leaves them with a line counter and
 * `prettyErrors` (its default): ` at line L, column C`, then — when that line has text — `:` and
 * the line with a caret. Only the first line of the message is ever shown (inventory.ts).
 */
function positionError(error: YAMLParseError, text: string, lc: TextLines): void {
  if (error.pos[0] === -1) return;
  const start = lc.linePos(error.pos[0]);
  error.linePos = [start, lc.linePos(error.pos[1])];
  error.message += ` at line ${start.line}, column ${start.col}`;
  const lineStart = error.pos[0] - (start.col - 1);
  const next = text.indexOf('\n', lineStart);
  let line = text.substring(lineStart, next === -1 ? text.length : next + 1);
  line = line.replace(/[\n\r]+$/, '');
  if (line.length > 80) line = `${line}…`; // the library trims a long line, marking it
  if (start.line > 1 && /^ *$/.test(line.substring(0, start.col - 1))) {
    line = text.substring(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart) + line;
  }
  if (/[^ ]/.test(line)) error.message += ':';
}

/**
 * The 1-based line and column of offsets in a text, as the library's LineCounter gives them
 * (lines end at `\n`; columns count UTF-16 units), without its array of every line's start
 * (1.4 million numbers, 11 MB and as much again in copies as it grows, for 100,000 devices):
 * counted forward from the last offset asked, as the devices come in order, or again from the
 * start for an earlier one (only on error paths).
 * @example new TextLines('a\nbc').linePos(3) // { line: 2, col: 2 }
 */
export class TextLines {
  private offset = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  linePos(offset: number): { line: number; col: number } {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    const { text } = this;
    for (let nl = text.indexOf('\n', this.offset); nl !== -1 && nl < offset;) {
      this.line++;
      this.lineStart = nl + 1;
      nl = text.indexOf('\n', nl + 1);
    }
    this.offset = offset;
    return { line: this.line, col: offset - this.lineStart + 1 };
  }
}

/** How many bytes of serialised devices one block of {@link SerializedValues} holds. */
const SERIALIZED_BLOCK_BYTES = 256 * 1024;

/**
 * Plain values kept between passes as V8's structured-clone bytes (`node:v8` serialize), packed
 * into blocks of 256 KiB, each deflated once full: devices repeat their keys and much of their
 * values, so 100,000 of the bench's take ≈ 4 MB instead of 26 MB serialised (≈ 15 times that
 * as objects), for ≈ 4 ms of CPU a block to deflate and 1 ms to inflate at each pass. Numbers
 * keep NaN, ±Infinity and -0, which JSON would not.
 * @example const kept = new SerializedValues(); kept.push({ mac: '1' }); [...kept.values()]
 */
export class SerializedValues {
  /** Full blocks, deflated, and the values in each. */
  private readonly blocks: { deflated: Buffer; count: number }[] = [];
  private block: Buffer = Buffer.allocUnsafe(SERIALIZED_BLOCK_BYTES);
  private used = 0;
  /** Where each value of the current block ends. */
  private ends: number[] = [];
  /** The end of each value in its block, block after block. */
  private readonly lengths: number[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(value: unknown): void {
    const bytes = serialize(value);
    if (bytes.length > this.block.length - this.used) {
      this.seal();
      if (bytes.length > this.block.length) this.block = Buffer.allocUnsafe(bytes.length);
    }
    bytes.copy(this.block, this.used);
    this.used += bytes.length;
    this.ends.push(this.used);
    this.count++;
  }

  /** Deflates the current block and starts an empty one. */
  private seal(): void {
    if (this.ends.length === 0) return;
    const deflated = deflateRawSync(this.block.subarray(0, this.used), { level: 1 });
    this.blocks.push({ deflated, count: this.ends.length });
    for (const end of this.ends) this.lengths.push(end);
    this.ends = [];
    this.used = 0;
    if (this.block.length > SERIALIZED_BLOCK_BYTES) {
      this.block = Buffer.allocUnsafe(SERIALIZED_BLOCK_BYTES);
    }
  }

  /** Each value again, as a new copy, in the order pushed (one block inflated at a time). */
  *values(): Generator<unknown> {
    this.seal();
    let k = 0;
    for (const { deflated, count } of this.blocks) {
      const bytes = inflateRawSync(deflated);
      let start = 0;
      for (let i = 0; i < count; i++) {
        const end = this.lengths[k++]!;
        yield deserialize(bytes.subarray(start, end));
        start = end;
      }
    }
  }
}
