/**
 * Checks of a whole decrypted plaintext, for AES-256-CBC, which has no MAC: a wrong key, a
 * flipped byte or a cut file still decrypt to *something* whenever the PKCS#7 padding happens to
 * be valid. Flipping a ciphertext byte garbles its whole 16-byte plaintext block (and flips one
 * bit of the next); 16 random bytes pass as UTF-8 text without control characters about once in
 * 285,000 (3.5e-6; printable ASCII alone would be 1.8e-7, multi-byte characters make up the rest),
 * so a flipped bit that garbles a block of text content goes through about that often, and a file
 * cut at a block boundary leaves an element open. So the plaintext must be
 * - UTF-8 (RFC 3629 §4: no overlong forms, no surrogates, nothing above U+10FFFF), with no
 *   character XML 1.0 forbids (§2.2 Char: C0 controls other than TAB, LF, CR; U+FFFE, U+FFFF);
 * - and structured as one XML element (§2.1 document, §3.1 tags): start and end tags match and
 *   nest, attributes are quoted, comments, PIs, CDATA and a DOCTYPE end, nothing but white space,
 *   comments and PIs outside the root element.
 * A gzip payload is checked by its own CRC-32 and length instead (RFC 1952 §2.3.1), when it is
 * gunzipped. This is not a full XML parser (entities are not resolved, names are not checked
 * against the Name production): the validator does that; this only tells a profile from noise.
 *
 * Incremental: feed the plaintext in chunks of any size, then call finish().
 */

const enum State {
  Text,
  Lt,
  Bang,
  Comment,
  Cdata,
  Pi,
  Doctype,
  StartName,
  InTag,
  AttrName,
  AfterAttrName,
  BeforeValue,
  Value,
  AfterValue,
  EmptyClose,
  EndName,
  AfterEndName,
  Reference,
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const EQUALS = 0x3d;
const SEMICOLON = 0x3b;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const MINUS = 0x2d;
const RBRACKET = 0x5d;
const LBRACKET = 0x5b;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d;
}

/** A name's first byte: a letter, `_`, `:` or any non-ASCII byte (checked as UTF-8 apart). */
function isNameStart(b: number): boolean {
  return (
    (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b === 0x5f || b === 0x3a || b >= 0x80
  );
}

function isNameByte(b: number): boolean {
  return isNameStart(b) || (b >= 0x30 && b <= 0x39) || b === MINUS || b === 0x2e;
}

/** Longest element name kept for matching end tags; longer names are refused. */
const MAX_NAME = 1024;

/**
 * The incremental check. `update` returns false as soon as the plaintext is known to be bad;
 * `finish` returns whether the whole of it was good.
 * @example const check = new XmlPlaintextCheck();
 * check.update(new TextEncoder().encode('<flat-profile>')); // true
 * check.update(new TextEncoder().encode('</flat-profile>')) && check.finish(); // true
 */
export class XmlPlaintextCheck {
  private state = State.Text;
  private ok = true;
  private atStart = true;
  // UTF-8 decoder state: continuation bytes still expected, and the allowed range of the next.
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private codePoint = 0;
  // Markup state.
  private readonly stack: string[] = [];
  private name = '';
  private quote = 0;
  private tail = 0; // comment: dashes seen; CDATA: ']' seen; PI: '?' seen
  private bangText = '';
  private bracketDepth = 0;
  private rootDone = false;
  private refLength = 0;
  private readonly structure: boolean;

  /** @param options.structure check the XML structure too (default); false: characters only */
  constructor(options: { structure?: boolean } = {}) {
    this.structure = options.structure ?? true;
  }

  /** Feeds the next chunk. Returns false once the plaintext is known to be bad. */
  update(chunk: Uint8Array): boolean {
    if (!this.ok) return false;
    let i = 0;
    if (this.atStart) {
      if (chunk.length === 0) return true;
      this.atStart = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (!this.structure) {
        if (b < 0x80 && b >= 0x20 && this.need === 0) continue;
        if (!this.checkUtf8(b)) return (this.ok = false);
        continue;
      }
      if (b >= 0x80 || b < 0x20) {
        const continuation = this.need > 0;
        if (!this.checkUtf8(b)) return (this.ok = false);
        if (b >= 0x80) {
          // Markup sees a character's lead byte; names keep every byte, to match end tags.
          if (!continuation && !this.markupAcceptsNonAscii()) return (this.ok = false);
          if (this.state === State.StartName || this.state === State.EndName) {
            this.name += String.fromCharCode(b);
            if (this.name.length > MAX_NAME) return (this.ok = false);
          }
          continue;
        }
      } else if (this.need > 0) {
        return (this.ok = false); // an ASCII byte where a continuation byte was due
      }
      if (!this.step(b)) return (this.ok = false);
    }
    return true;
  }

  /** Whether everything fed so far forms one complete document. */
  finish(): boolean {
    if (!this.structure) return this.ok && this.need === 0;
    return (
      this.ok &&
      this.need === 0 &&
      this.state === State.Text &&
      this.stack.length === 0 &&
      this.rootDone
    );
  }

  /** UTF-8 (RFC 3629) byte by byte, plus XML 1.0's Char production. */
  private checkUtf8(b: number): boolean {
    if (this.need > 0) {
      if (b < this.lower || b > this.upper) return false;
      this.lower = 0x80;
      this.upper = 0xbf;
      this.codePoint = (this.codePoint << 6) | (b & 0x3f);
      this.need--;
      // U+FFFE and U+FFFF are not XML characters.
      return !(this.need === 0 && (this.codePoint === 0xfffe || this.codePoint === 0xffff));
    }
    if (b < 0x20) return b === 0x09 || b === 0x0a || b === 0x0d;
    if (b < 0x80) return true;
    if (b >= 0xc2 && b <= 0xdf) {
      this.need = 1;
      this.codePoint = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      this.need = 2;
      this.codePoint = b & 0x0f;
      if (b === 0xe0) this.lower = 0xa0; // no overlong forms
      if (b === 0xed) this.upper = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      this.need = 3;
      this.codePoint = b & 0x07;
      if (b === 0xf0) this.lower = 0x90;
      if (b === 0xf4) this.upper = 0x8f; // nothing above U+10FFFF
    } else {
      return false;
    }
    return true;
  }

  /** Non-ASCII characters are allowed in text, names, values, comments, PIs, CDATA. */
  private markupAcceptsNonAscii(): boolean {
    switch (this.state) {
      case State.Text:
        return this.stack.length > 0;
      case State.Lt:
        this.state = State.StartName;
        this.name = '';
        return this.checkRoot();
      case State.StartName:
      case State.EndName:
      case State.AttrName:
        return true;
      case State.InTag:
        this.state = State.AttrName;
        return true;
      case State.Comment:
        if (this.tail === 2) return false;
        this.tail = 0;
        return true;
      case State.Cdata:
      case State.Pi:
      case State.Doctype:
      case State.Value:
        this.tail = 0;
        return true;
      default:
        return false;
    }
  }

  private checkRoot(): boolean {
    return !(this.stack.length === 0 && this.rootDone);
  }

  private step(b: number): boolean {
    switch (this.state) {
      case State.Text:
        if (b === LT) this.state = State.Lt;
        else if (b === AMP) {
          if (this.stack.length === 0) return false;
          this.state = State.Reference;
          this.refLength = 0;
        } else if (b === GT) return this.stack.length > 0;
        else if (this.stack.length === 0) return isSpace(b);
        return true;
      case State.Reference:
        if (b === SEMICOLON) {
          this.state = State.Text;
          return this.refLength > 0;
        }
        this.refLength++;
        return this.refLength <= 32 && (isNameByte(b) || b === 0x23);
      case State.Lt:
        if (b === SLASH) {
          this.state = State.EndName;
          this.name = '';
          return this.stack.length > 0;
        }
        if (b === QUESTION) {
          this.state = State.Pi;
          this.tail = 0;
          return true;
        }
        if (b === BANG) {
          this.state = State.Bang;
          this.bangText = '';
          return true;
        }
        if (!isNameStart(b)) return false;
        this.state = State.StartName;
        this.name = String.fromCharCode(b);
        return this.checkRoot();
      case State.Bang:
        return this.stepBang(b);
      case State.Comment:
        // Ends at "-->"; "--" inside a comment is not allowed (§2.5).
        if (b === MINUS) {
          this.tail++;
          return this.tail <= 2;
        }
        if (b === GT && this.tail === 2) this.state = State.Text;
        else if (this.tail === 2) return false;
        this.tail = 0;
        return true;
      case State.Cdata:
        if (b === RBRACKET) this.tail = Math.min(this.tail + 1, 2);
        else if (b === GT && this.tail === 2) this.state = State.Text;
        else this.tail = 0;
        return true;
      case State.Pi:
        if (b === GT && this.tail === 1) this.state = State.Text;
        else this.tail = b === QUESTION ? 1 : 0;
        return true;
      case State.Doctype:
        if (this.quote !== 0) {
          if (b === this.quote) this.quote = 0;
        } else if (b === DQUOTE || b === SQUOTE) this.quote = b;
        else if (b === LBRACKET) this.bracketDepth++;
        else if (b === RBRACKET) this.bracketDepth--;
        else if (b === GT && this.bracketDepth <= 0) this.state = State.Text;
        return this.bracketDepth >= 0;
      case State.StartName:
        if (isNameByte(b)) {
          this.name += String.fromCharCode(b);
          return this.name.length <= MAX_NAME;
        }
        this.stack.push(this.name);
        return this.stepInTag(b);
      case State.InTag:
        return this.stepInTag(b);
      case State.AttrName:
        if (isNameByte(b)) return true;
        if (b === EQUALS) {
          this.state = State.BeforeValue;
          return true;
        }
        this.state = State.AfterAttrName;
        return isSpace(b);
      case State.AfterAttrName:
        if (b === EQUALS) this.state = State.BeforeValue;
        return b === EQUALS || isSpace(b);
      case State.BeforeValue:
        if (b === DQUOTE || b === SQUOTE) {
          this.quote = b;
          this.state = State.Value;
          return true;
        }
        return isSpace(b);
      case State.Value:
        if (b === this.quote) {
          this.quote = 0;
          this.state = State.AfterValue;
        }
        return b !== LT;
      case State.AfterValue:
        if (b === GT || b === SLASH) return this.stepInTag(b);
        this.state = State.InTag;
        return isSpace(b);
      case State.EmptyClose:
        if (b !== GT) return false;
        this.stack.pop();
        this.closeElement();
        return true;
      case State.EndName:
        if (isNameByte(b) && (this.name.length > 0 || isNameStart(b))) {
          this.name += String.fromCharCode(b);
          return this.name.length <= MAX_NAME;
        }
        this.state = State.AfterEndName;
        return this.stepAfterEndName(b);
      case State.AfterEndName:
        return this.stepAfterEndName(b);
    }
  }

  private stepInTag(b: number): boolean {
    if (b === GT) {
      this.state = State.Text;
      return true;
    }
    if (b === SLASH) {
      this.state = State.EmptyClose;
      return true;
    }
    if (isSpace(b)) {
      this.state = State.InTag;
      return true;
    }
    // An attribute must follow white space, which InTag means.
    if (this.state !== State.InTag || !isNameStart(b)) return false;
    this.state = State.AttrName;
    return true;
  }

  private stepAfterEndName(b: number): boolean {
    if (isSpace(b)) return true;
    if (b !== GT) return false;
    if (this.stack.pop() !== this.name) return false;
    this.closeElement();
    return true;
  }

  private closeElement(): void {
    this.state = State.Text;
    if (this.stack.length === 0) this.rootDone = true;
  }

  /** `<!--`, `<![CDATA[` (inside the root) or `<!DOCTYPE` (before it). */
  private stepBang(b: number): boolean {
    this.bangText += String.fromCharCode(b);
    const t = this.bangText;
    if (t === '--') {
      this.state = State.Comment;
      this.tail = 0;
      return true;
    }
    if (t === '[CDATA[') {
      this.state = State.Cdata;
      this.tail = 0;
      return this.stack.length > 0;
    }
    if (t === 'DOCTYPE') {
      this.state = State.Doctype;
      this.bracketDepth = 0;
      this.quote = 0;
      return this.stack.length === 0 && !this.rootDone;
    }
    return '--'.startsWith(t) || '[CDATA['.startsWith(t) || 'DOCTYPE'.startsWith(t);
  }
}

/**
 * Whether a whole plaintext is UTF-8 text structured as one XML element (see the module).
 * @example const bytes = (text: string) => new TextEncoder().encode(text);
 * isWellFormedXmlText(bytes('<flat-profile><A>1</A></flat-profile>')) // true
 * isWellFormedXmlText(bytes('<flat-profile><A>1</flat-profile>')) // false
 */
export function isWellFormedXmlText(data: Uint8Array): boolean {
  const check = new XmlPlaintextCheck();
  return check.update(data) && check.finish();
}

/**
 * Whether bytes are UTF-8 text with no character XML 1.0 forbids — a weaker check than
 * {@link isWellFormedXmlText}, for telling a plain profile (perhaps with mistakes the validator
 * should report) from binary data that merely starts with `<` and a letter.
 * @example const bytes = (text: string) => new TextEncoder().encode(text);
 * isXmlCharacterText(bytes('<flat-profile><A>1</flat-profile>')) // true: not well-formed, but text
 * isXmlCharacterText(Uint8Array.of(0x3c, 0x61, 0x00)) // false: U+0000
 */
export function isXmlCharacterText(data: Uint8Array): boolean {
  let i = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  for (; i < data.length; i++) {
    const b = data[i] as number;
    if (b >= 0x20 && b < 0x80) continue;
    if (b < 0x20) {
      if (b === 0x09 || b === 0x0a || b === 0x0d) continue;
      return false;
    }
    break;
  }
  if (i === data.length) return true;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(i));
    // eslint-disable-next-line no-control-regex
    return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text);
  } catch {
    return false;
  }
}
