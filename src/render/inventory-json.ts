/**
 * JSON inventories read a device at a time, for inventories too large to `JSON.parse` whole
 * (src/render/inventory.ts decides; JSON_WHOLE_PARSE_BYTES). @streamparser/json tokenizes the
 * bytes 64 KiB at a time and builds one item of the device list at a time; each item is handed
 * on and dropped, so a pass over 100,000 devices holds one chunk and one device, not the
 * document. What this module adds around the library:
 *
 * - a **scan** (the first pass): the syntax checked to the end, every forbidden key (`__proto__`…)
 *   found with its byte offset and path, the top level's keys, `defaults` and `groups` (small;
 *   they may come after `devices`, so they are known only once the whole text has been read),
 *   which items of the device list are not maps, and where a syntax error is;
 * - **device passes**: the maps of the device list, in order, each as its own object;
 * - **sources**: the bytes again at each pass, from a text in memory or from the file — a file
 *   is read from disk at every pass, and a pass that finds it replaced or changed since the
 *   first one stops (RFC-free bookkeeping: device and inode, and a SHA-256 per 64 KiB block);
 * - **positions**: byte offsets turned into the `line L, col C` of messages (columns in UTF-16
 *   units from the line's start, as `JSON.parse`'s positions were counted), only on error paths.
 *
 * Which string is a key, and the path of every value, are followed from the library's tokens
 * (a stack of open maps and lists); the grammar itself is the library's, and a document it
 * rejects stops the pass.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type {
  ParsedElementInfo,
  ParsedTokenInfo,
  TokenParser,
  TokenType,
} from '@streamparser/json';
import { streamparserJson } from '../lazy-deps.js';
import { DomainError, describeSystemError } from '../domain-errors.js';

/** How many bytes a pass hands the tokenizer at once, and the block of a file's digests. */
const JSON_CHUNK_BYTES = 64 * 1024;

/**
 * The deepest nesting of lists and maps a JSON inventory may have, the top level counted: a
 * device's fields need a few levels (`{ devices: [ { lines: [ { … } ] } ] }` is four). Deeper
 * text is refused where it goes deeper, before any pass or walk over the values could exhaust
 * the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** The bytes of a JSON document, from the start, each time `chunks()` is called. */
export interface JsonSource {
  /** The document a chunk at a time; a chunk is valid until the next one is asked for. */
  chunks(): Iterable<Uint8Array>;
}

/**
 * A JSON text in memory (an inventory read from stdin), encoded to UTF-8 a slice at a time.
 * @example [...jsonTextSource('[1]').chunks()] // [<Buffer 5b 31 5d>]
 */
export function jsonTextSource(text: string, chunkChars = JSON_CHUNK_BYTES): JsonSource {
  return {
    *chunks() {
      let start = 0;
      while (start < text.length) {
        let end = Math.min(text.length, start + Math.max(2, chunkChars));
        // Never between the two halves of a surrogate pair: each would become U+FFFD.
        const last = text.charCodeAt(end - 1);
        if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
        yield Buffer.from(text.slice(start, end), 'utf8');
        start = end;
      }
    },
  };
}

/**
 * A JSON document's bytes in memory (an inventory read from stdin), handed over a chunk at a
 * time without a copy.
 */
export function jsonBytesSource(bytes: Uint8Array, chunkBytes = JSON_CHUNK_BYTES): JsonSource {
  return {
    *chunks() {
      for (let start = 0; start < bytes.length; start += chunkBytes) {
        yield bytes.subarray(start, start + chunkBytes);
      }
    },
  };
}

/**
 * A JSON file read from disk at every pass. The first complete read records the file's device
 * and inode and a SHA-256 of each 64 KiB block; a later read of another file at that path
 * (replaced) or of a changed block stops with a DomainError (`inventory-changed`, exit 3)
 * before the changed block is parsed, so a later pass never yields a device the first pass did
 * not check. I/O errors are DomainErrors too (`read-failed`).
 */
export class JsonFileSource implements JsonSource {
  private identity: string | undefined;
  private digests: Buffer[] | undefined;

  /**
   * @param path the file
   * @param shownAs its name in messages, as the user wrote it
   */
  constructor(
    readonly path: string,
    readonly shownAs: string,
    private readonly blockBytes = JSON_CHUNK_BYTES,
  ) {}

  *chunks(): Generator<Uint8Array> {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (err) {
      throw this.readFailed(err);
    }
    try {
      const st = fstatSync(fd);
      const identity = `${st.dev}:${st.ino}`;
      if (this.identity !== undefined && identity !== this.identity) throw this.changed();
      const block = Buffer.allocUnsafe(this.blockBytes);
      const seen: Buffer[] = [];
      let position = 0;
      let blocks = 0;
      for (;;) {
        const length = this.fill(fd, block, position);
        if (length === 0) break;
        const chunk = block.subarray(0, length);
        const digest = createHash('sha256').update(chunk).digest();
        if (this.digests) {
          if (!this.digests[blocks]?.equals(digest)) throw this.changed();
        } else seen.push(digest);
        blocks++;
        position += length;
        yield chunk;
      }
      if (!this.digests) {
        this.digests = seen;
        this.identity = identity;
      } else if (blocks !== this.digests.length) throw this.changed();
    } finally {
      closeSync(fd);
    }
  }

  /** Reads a whole block (short reads retried), so that blocks fall alike at every pass. */
  private fill(fd: number, block: Buffer, position: number): number {
    let length = 0;
    while (length < block.length) {
      let n: number;
      try {
        n = readSync(fd, block, length, block.length - length, position + length);
      } catch (err) {
        throw this.readFailed(err);
      }
      if (n === 0) break;
      length += n;
    }
    return length;
  }

  private changed(): DomainError {
    return new DomainError(
      'io',
      'inventory-changed',
      `${this.shownAs}: the file changed while it was being read (it is read once to check every device, then again to render)`,
      {
        file: this.shownAs,
        hint: 'profiles already written are complete; run again once the inventory is no longer being written',
      },
    );
  }

  private readFailed(err: unknown): DomainError {
    return new DomainError(
      'io',
      'read-failed',
      `cannot read inventory ${describeSystemError(err, this.shownAs)}`,
      { file: this.shownAs },
    );
  }
}

/** A forbidden key (`__proto__`…) where the scan found it. */
export interface JsonForbiddenKey {
  key: string;
  /** Byte offset of the key's opening quote, after any byte order mark. */
  offset: number;
  /** From the top level: keys, and 0-based list positions. */
  path: (string | number)[];
}

/**
 * A key given twice in one map, where the scan found it again. JSON.parse keeps the last value
 * silently (RFC 8259 §4: names SHOULD be unique, and a parser's choice is not interoperable); a
 * second `mac` or `sip_password` is a typo that would configure the wrong phone, so the reader
 * refuses it, as the YAML reader does (`uniqueKeys`).
 */
export interface JsonDuplicateKey {
  key: string;
  /** Byte offset of the second key's opening quote, after any byte order mark. */
  offset: number;
  /** Byte offset of the first one's. */
  firstOffset: number;
  /** From the top level: keys, and 0-based list positions; the key itself last. */
  path: (string | number)[];
}

/** What the scan (the first pass) learned about a document. */
export interface JsonScan {
  /** The top-level value's kind (`none`: no value at all). */
  root: 'list' | 'map' | 'other' | 'none';
  /**
   * A map's top-level keys in the order `JSON.parse` would give them, each once; `devices`
   * with `[]` when its (last) value is a list, a map of its first two keys when it is a map,
   * else `null`; `defaults` and `groups` with their
   * (last) values; any other key with `true`.
   */
  top: Record<string, unknown>;
  /** How many `devices` keys the top-level map has: the last one's list is the device list. */
  deviceLists: number;
  /** 0-based positions of the device list's items that are not maps. */
  notMaps: number[];
  /** Items of the device list. */
  items: number;
  /**
   * The first syntax error: its byte offset (after any byte order mark) and what was found;
   * `depth` when the text nests deeper than MAX_JSON_DEPTH there (valid JSON, refused).
   */
  syntaxError?: { offset: number; message: string; depth?: true };
  /** Every forbidden key outside the value of another (JSON.parse order is not kept). */
  forbidden: JsonForbiddenKey[];
  /** Every key given again in its map (outside a forbidden key's value), in text order. */
  duplicates: JsonDuplicateKey[];
}

/** One item of the device list. */
export interface JsonItem {
  /** 0-based position in the list. */
  index: number;
  value: unknown;
}

interface Frame {
  list: boolean;
  /** A list: the position of its current item (-1 before the first). */
  index: number;
  /** A map: its current key. */
  key: string | undefined;
  /** A map: whether its current key is forbidden (its value is not searched further). */
  keyForbidden: boolean;
  /** Inside the value of a forbidden key. */
  inForbidden: boolean;
  /**
   * A map: its keys so far and the byte offset of each, side by side (searched in order: a
   * device has a dozen keys, where an array beats a Map's set-up), and past MANY_KEYS a Map.
   */
  keyNames: string[] | undefined;
  keyOffsets: number[] | undefined;
  keyMap: Map<string, number> | undefined;
}

/** Keys of one map searched in order; a map with more gets a Map. */
const MANY_KEYS = 32;

let TOKEN_NAMES: Record<TokenType, string> | undefined;

/** Each token's name in a message (made on first use: the parser loads then, lazy-deps.ts). */
function tokenNames(): Record<TokenType, string> {
  const { TokenType } = streamparserJson();
  return (TOKEN_NAMES ??= {
    [TokenType.LEFT_BRACE]: "'{'",
    [TokenType.RIGHT_BRACE]: "'}'",
    [TokenType.LEFT_BRACKET]: "'['",
    [TokenType.RIGHT_BRACKET]: "']'",
    [TokenType.COLON]: "':'",
    [TokenType.COMMA]: "','",
    [TokenType.TRUE]: 'true',
    [TokenType.FALSE]: 'false',
    [TokenType.NULL]: 'null',
    [TokenType.STRING]: 'string',
    [TokenType.NUMBER]: 'number',
    [TokenType.SEPARATOR]: 'separator',
  });
}

/** Whitespace and the structural characters of JSON (RFC 8259 §2), as bytes. */
const STRUCTURE_BYTES: ReadonlySet<number> = new Set(
  [...' \t\r\n[]{},:'].map((c) => c.charCodeAt(0)),
);

/** The library's error for a byte it cannot tokenize names its position in the stream. */
const TOKENIZER_POSITION = /absolute position "(\d+)"/;

/**
 * One pass over a document: the device list's items to `onItem` (maps and anything else, in
 * order), what the scan learns into `scan`. Returns normally after a syntax error, which is
 * then in `scan.syntaxError`.
 */
function walk(
  source: JsonSource,
  isForbiddenKey: (key: string) => boolean,
  scan: JsonScan,
  onItem: (item: JsonItem, list: number) => void,
): Generator<void> {
  const { TokenParser, TokenParserError, TokenType, Tokenizer, TokenizerError } =
    streamparserJson();
  const frames: Frame[] = [];
  let expectKey = false;
  let parser: TokenParser | undefined;
  let tokenOffset = 0;
  let lastToken: TokenType | undefined;
  let bom = 0;
  let bytes = 0;
  /** The `devices` key being read (1-based; 0 before the first). */
  let deviceList = 0;
  let devicesIsList = false;

  /**
   * Until the first string, number or literal the library's tokenizer takes the bytes of a
   * byte order mark for one wherever they are (`[\uFEFF1]`, `\n\uFEFF[]`), which JSON.parse
   * rejects: up to there, only whitespace and `[]{},:` can come, so any 0xEF byte is refused here.
   */
  let beforeFirstValue = true;
  const findMisplacedBom = (chunk: Uint8Array, from: number): number => {
    for (let i = from; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === 0xef) return i;
      if (!STRUCTURE_BYTES.has(byte)) {
        beforeFirstValue = false;
        return -1;
      }
    }
    return -1;
  };

  const startValue = (token: TokenType): void => {
    const top = frames[frames.length - 1];
    if (!top) return;
    if (top.list) top.index++;
    else if (frames.length === 1 && top.key === 'devices') {
      devicesIsList = token === TokenType.LEFT_BRACKET;
      // A map of devices keeps its first two keys, for the message naming that shape.
      scan.top.devices = devicesIsList
        ? []
        : token === TokenType.LEFT_BRACE
          ? Object.create(null)
          : null;
    }
  };

  /** Records the key's offset in its map; a key already there is a duplicate. */
  const noteKey = (top: Frame, key: string, offset: number): void => {
    let first: number | undefined;
    if (top.keyMap !== undefined) {
      first = top.keyMap.get(key);
      if (first === undefined) top.keyMap.set(key, offset);
    } else if (top.keyNames === undefined) {
      top.keyNames = [key];
      top.keyOffsets = [offset];
      return;
    } else {
      const names = top.keyNames;
      const at = names.indexOf(key);
      if (at !== -1) first = top.keyOffsets![at];
      else if (names.length < MANY_KEYS) {
        names.push(key);
        top.keyOffsets!.push(offset);
      } else {
        top.keyMap = new Map(names.map((name, i) => [name, top.keyOffsets![i]!]));
        top.keyMap.set(key, offset);
        top.keyNames = top.keyOffsets = undefined;
      }
    }
    if (first === undefined) return;
    // A forbidden key given twice is reported as forbidden (twice), not again as a duplicate.
    if (top.inForbidden || top.keyForbidden) return;
    scan.duplicates.push({
      key,
      offset,
      firstOffset: first,
      path: frames.map((f) => (f.list ? f.index : (f.key as string))),
    });
  };

  const onKey = (top: Frame, key: string, offset: number): void => {
    top.key = key;
    top.keyForbidden = isForbiddenKey(key);
    if (top.keyForbidden && !top.inForbidden) {
      scan.forbidden.push({
        key,
        offset,
        path: frames.map((f) => (f.list ? f.index : (f.key as string))),
      });
    }
    noteKey(top, key, offset);
    if (frames.length === 1) {
      if (!(key in scan.top)) scan.top[key] = true;
      if (key === 'devices') scan.deviceLists = ++deviceList;
    } else if (frames.length === 2 && !devicesIsList && frames[0]!.key === 'devices') {
      const keyed = scan.top.devices as Record<string, unknown> | null;
      if (keyed && Object.keys(keyed).length < 2 && !(key in keyed)) keyed[key] = true;
    }
  };

  const createParser = (first: TokenType): TokenParser => {
    scan.root =
      first === TokenType.LEFT_BRACKET ? 'list' : first === TokenType.LEFT_BRACE ? 'map' : 'other';
    const paths = scan.root === 'map' ? ['$.devices.*', '$.defaults', '$.groups'] : ['$.*'];
    const p = new TokenParser({ paths, keepStack: false });
    p.onValue = ({ value, key, stack }: ParsedElementInfo): void => {
      if (scan.root === 'list' && stack.length === 1) {
        onItem({ index: key as number, value }, 1);
      } else if (scan.root === 'map' && stack.length === 1) {
        if (key === 'defaults' || key === 'groups') scan.top[key] = value;
      } else if (scan.root === 'map' && stack.length === 2 && devicesIsList) {
        onItem({ index: key as number, value }, deviceList);
      }
    };
    return p;
  };

  /** Where the text first nests deeper than MAX_JSON_DEPTH: the walk stops there. */
  let tooDeep: number | undefined;
  const tokenizer = new Tokenizer({ stringBufferSize: JSON_CHUNK_BYTES });
  tokenizer.onToken = (t: ParsedTokenInfo): void => {
    if (tooDeep !== undefined) return;
    tokenOffset = t.offset;
    lastToken = t.token;
    const top = frames[frames.length - 1];
    switch (t.token) {
      case TokenType.STRING:
        if (expectKey && top && !top.list) {
          expectKey = false;
          onKey(top, t.value as string, t.offset);
        } else startValue(t.token);
        break;
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET:
        if (frames.length === MAX_JSON_DEPTH) {
          tooDeep ??= t.offset;
          return;
        }
        startValue(t.token);
        frames.push({
          list: t.token === TokenType.LEFT_BRACKET,
          index: -1,
          key: undefined,
          keyForbidden: false,
          inForbidden: top !== undefined && (top.inForbidden || (!top.list && top.keyForbidden)),
          keyNames: undefined,
          keyOffsets: undefined,
          keyMap: undefined,
        });
        expectKey = t.token === TokenType.LEFT_BRACE;
        break;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        frames.pop();
        expectKey = false;
        break;
      case TokenType.COMMA:
        expectKey = top !== undefined && !top.list;
        break;
      case TokenType.COLON:
        break;
      default:
        startValue(t.token);
    }
    parser ??= createParser(t.token);
    parser.write(t);
  };

  /** A syntax error into the scan; anything else (a bug) is thrown on. */
  const fail = (err: unknown, atEnd: boolean): void => {
    if (err instanceof TokenizerError) {
      const at = TOKENIZER_POSITION.exec(err.message)?.[1];
      scan.syntaxError =
        at !== undefined
          ? { offset: Math.max(0, Number(at) - bom), message: 'unexpected character' }
          : { offset: bytes - bom, message: 'unexpected end of input' };
    } else if (err instanceof TokenParserError && lastToken !== undefined) {
      scan.syntaxError = { offset: tokenOffset, message: `unexpected ${tokenNames()[lastToken]}` };
    } else if (atEnd && err instanceof Error && /ended in mid-parsing/.test(err.message)) {
      // The library's TokenParser.end(): the text stops inside a value.
      scan.syntaxError = { offset: bytes - bom, message: 'unexpected end of input' };
    } else throw err;
  };

  return (function* () {
    for (const chunk of source.chunks()) {
      const start = bytes;
      if (start === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) bom = 3;
      bytes += chunk.length;
      const misplacedBom = beforeFirstValue ? findMisplacedBom(chunk, start === 0 ? bom : 0) : -1;
      try {
        tokenizer.write(misplacedBom === -1 ? chunk : chunk.subarray(0, misplacedBom));
      } catch (err) {
        fail(err, false);
        return;
      }
      if (tooDeep !== undefined) {
        scan.syntaxError = {
          offset: tooDeep,
          message: `nested deeper than ${MAX_JSON_DEPTH} levels`,
          depth: true,
        };
        return;
      }
      if (misplacedBom !== -1) {
        scan.syntaxError = { offset: start + misplacedBom - bom, message: 'unexpected character' };
        return;
      }
      yield;
    }
    try {
      tokenizer.end();
      if (parser && !parser.isEnded) parser.end();
    } catch (err) {
      fail(err, true);
      return;
    }
    if (scan.root === 'none') {
      scan.syntaxError = { offset: bytes - bom, message: 'unexpected end of input' };
    }
  })();
}

function emptyScan(): JsonScan {
  return {
    root: 'none',
    top: Object.create(null) as Record<string, unknown>,
    deviceLists: 0,
    notMaps: [],
    items: 0,
    forbidden: [],
    duplicates: [],
  };
}

function isMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first pass over a JSON document: its syntax, forbidden keys, top level and device list
 * (see JsonScan). A file source records its identity here for the passes after.
 * @example scanJson(jsonTextSource('[{"mac":"1"},2]'), (k) => k === '__proto__').notMaps // [1]
 */
export function scanJson(source: JsonSource, isForbiddenKey: (key: string) => boolean): JsonScan {
  const scan = emptyScan();
  /** Items and non-maps of each `devices` list (JSON.parse keeps the last of two). */
  const lists: { items: number; notMaps: number[] }[] = [];
  const pass = walk(source, isForbiddenKey, scan, (item, list) => {
    const seen = (lists[list] ??= { items: 0, notMaps: [] });
    seen.items++;
    if (!isMap(item.value)) seen.notMaps.push(item.index);
  });
  for (const _ of pass);
  if (scan.root === 'list') scan.deviceLists = 1;
  const chosen = lists[scan.deviceLists];
  if (chosen) {
    scan.items = chosen.items;
    scan.notMaps = chosen.notMaps;
  }
  return scan;
}

/**
 * The maps of the device list, in order, one at a time (a new pass over the source each call);
 * items that are not maps are skipped (the scan reported them).
 * @param scan the document's scan, which says which `devices` list is the device list
 */
export function* jsonDeviceItems(
  source: JsonSource,
  scan: JsonScan,
  isForbiddenKey: (key: string) => boolean,
): Generator<JsonItem> {
  const pass = emptyScan();
  const queue: JsonItem[] = [];
  const chosen = scan.deviceLists;
  const steps = walk(source, isForbiddenKey, pass, (item, list) => {
    if (list === chosen && isMap(item.value)) queue.push(item);
  });
  for (const _ of steps) {
    for (const item of queue) yield item;
    queue.length = 0;
  }
  for (const item of queue) yield item;
  // The scan read the same bytes without a syntax error (a file that changed stops in its source).
  if (pass.syntaxError)
    throw new Error(`JSON pass: ${pass.syntaxError.message} after a clean scan`);
}

/**
 * `line L, col C` of byte offsets (after any byte order mark) of a document, in one read: lines
 * count `\n`, columns count UTF-16 units from the line's start, 1-based.
 * @example jsonPositions(jsonTextSource('[\n x]'), [3]) // ['line 2, col 2']
 */
export function jsonPositions(source: JsonSource, offsets: readonly number[]): string[] {
  const order = offsets.map((offset, i) => ({ offset, i })).sort((a, b) => a.offset - b.offset);
  const out = new Array<string>(offsets.length);
  let next = 0;
  let line = 1;
  let column = 0;
  let decoder = new TextDecoder('utf-8');
  /** Moves line and column over `bytes` from `from`. */
  const advance = (bytes: Uint8Array, from: number): void => {
    let start = from;
    for (let nl = bytes.indexOf(0x0a, start); nl !== -1; nl = bytes.indexOf(0x0a, nl + 1)) {
      line++;
      start = nl + 1;
    }
    if (start !== from) {
      column = 0;
      decoder = new TextDecoder('utf-8');
    }
    column += decoder.decode(bytes.subarray(start), { stream: true }).length;
  };
  let before = 0; // bytes of the chunks before this one, any byte order mark excluded
  let first = true;
  for (const whole of source.chunks()) {
    const bom = first && whole[0] === 0xef && whole[1] === 0xbb && whole[2] === 0xbf;
    const chunk = bom ? whole.subarray(3) : whole;
    first = false;
    let pos = 0;
    while (next < order.length && order[next]!.offset - before < chunk.length) {
      const target = Math.max(pos, order[next]!.offset - before);
      advance(chunk.subarray(0, target), pos);
      pos = target;
      out[order[next]!.i] = `line ${line}, col ${column + 1}`;
      next++;
    }
    if (next >= order.length) break;
    advance(chunk, pos);
    before += chunk.length;
  }
  for (; next < order.length; next++) out[order[next]!.i] = `line ${line}, col ${column + 1}`;
  return out;
}
