/**
 * `validate`'s pure entry points: text (or bytes) in, diagnostics out. No I/O. `render` calls
 * {@link validateProfileText} on what it produced; the command reads files and decrypts.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { findModel, type PhoneModel } from '../device/models.js';
import { catalogFamilyOf, type Catalog } from '../profile/catalog.js';
import { DEFAULT_CATALOG } from '../profile/catalog-data/index.js';
import {
  describeNotUtf8,
  firstInvalidUtf8,
  foreignUnicodeMessage,
  sniffUtf16Or32,
} from '../profile/text-encoding.js';
import type { EmptyValueMode, Finding, RuleContext } from './define-rule.js';
import { compareDiagnostics, type Diagnostic } from './diagnostic.js';
import { readProfileDocument, type ProfileParameter } from './profile-document.js';
import { RULE_LIST } from './registry.js';
import type { RuleId } from './rule-ids.js';
import { emptyList, LineIndex, newTextOffsetCursor, sourceOffsetOfText } from './xml-scanner.js';

export type { Diagnostic, Severity } from './diagnostic.js';
export type { EmptyValueMode } from './define-rule.js';
export { RULE_IDS, isRuleId, type RuleId } from './rule-ids.js';
export { RULES } from './registry.js';
export { firstInvalidUtf8 } from '../profile/text-encoding.js';

/**
 * Options of validateProfileText and validateProfileBytes.
 * @example validateProfileText(text, { file: 'p.xml', model: '8841', ignoreRules: ['empty-value'] })
 */
export interface ValidateOptions {
  /** Name shown in diagnostics. */
  file: string;
  /** The phone model (a PhoneModel, or a name for findModel); enables model-capacity. */
  model?: PhoneModel | string;
  /** Whether the profile will be (or was) encrypted: plaintext-secret stays silent then. */
  encrypted?: boolean;
  /** The parameter catalog (default: the built-in one). */
  catalog?: Catalog;
  /** Rule ids not to run. */
  ignoreRules?: readonly string[];
  /**
   * What an empty value is taken for: `accept` (the default: the guides contradict each other,
   * reference §1 [open]) or `warn` (an `empty-value` warning for each).
   */
  emptyValues?: EmptyValueMode;
  /**
   * Whether a finding may quote the value it is about (`got "yes please"`). Default true; a
   * secret parameter's value is never quoted either way. `render` turns it off for a device
   * with secrets (a secret variable, a key or an IKM): a template may have transformed a secret
   * (`| upcase`, `| base64_encode`) into any parameter, so every finding then says what kind
   * of value it got (`a string of 8 characters`) instead of quoting it.
   */
  quoteValues?: boolean;
}

/**
 * Validates one profile's text. Diagnostics come sorted by line and column.
 * @example
 * validateProfileText('<flat-profile><Station_Name ua="xx">A</Station_Name></flat-profile>', { file: 'a.xml' })
 * // [{ ruleId: 'invalid-ua', severity: 'error', message: 'ua="xx" on Station_Name must be …', file: 'a.xml', line: 1, column: 33 }]
 */
export function validateProfileText(text: string, options: ValidateOptions): Diagnostic[] {
  return validateText(text, options, NO_HINTS);
}

/** What the bytes showed before the text was decoded (validateProfileBytes). */
interface TextHints {
  /** No character XML forbids (checked on the bytes), so the scanner need not look again. */
  charactersChecked: boolean;
  /** Every character is ASCII (references aside). */
  ascii: boolean;
  /** The text's bytes, when it is ASCII: the scanner reads them where that is cheaper. */
  bytes?: Uint8Array;
}

const NO_HINTS: TextHints = { charactersChecked: false, ascii: false };

function validateText(text: string, options: ValidateOptions, hints: TextHints): Diagnostic[] {
  const catalog = options.catalog ?? DEFAULT_CATALOG;
  const model = typeof options.model === 'string' ? findModel(options.model) : options.model;
  const family = model ? catalogFamilyOf(model) : undefined;
  const ignored = options.ignoreRules ?? [];
  const document = readProfileDocument(text, catalog, {
    charactersChecked: hints.charactersChecked,
    ascii: hints.ascii,
    ...(hints.bytes !== undefined ? { bytes: hints.bytes } : {}),
  });
  const findings: { ruleId: RuleId; severity: Diagnostic['severity']; finding: Finding }[] = [];
  const malformed = document.scan.error !== undefined;
  const cursor = newTextOffsetCursor();
  for (const rule of RULE_LIST) {
    if (ignored.includes(rule.id) || (malformed && !rule.onMalformed)) continue;
    const context: RuleContext = {
      document,
      catalog,
      model,
      family,
      encrypted: options.encrypted === true,
      emptyValues: options.emptyValues ?? 'accept',
      quoteValues: options.quoteValues !== false,
      valueOffset: (parameter: ProfileParameter, index: number) =>
        sourceOffsetOfText(text, parameter, index, cursor),
      report(finding) {
        findings.push({ ruleId: rule.id, severity: rule.severity, finding });
      },
    };
    rule.check(context);
  }
  // One kind of array and two shapes of diagnostic, each made whole (see emptyList).
  const diagnostics = emptyList<Diagnostic>();
  if (findings.length === 0) return diagnostics;
  const lines = new LineIndex(text);
  for (const { ruleId, severity, finding } of findings) {
    const { line, column } = lines.position(finding.offset);
    const { message, hint } = finding;
    const { file } = options;
    diagnostics.push(
      hint === undefined
        ? { ruleId, severity, message, file, line, column }
        : { ruleId, severity, message, file, line, column, hint },
    );
  }
  return diagnostics.sort(compareDiagnostics);
}

/**
 * Validates a profile's bytes: checks the UTF-8 encoding first (fast-xml-parser does not), strips
 * a BOM, then runs {@link validateProfileText}.
 * @example const text = '<flat-profile><Station_Nme>x</Station_Nme></flat-profile>';
 * const bytes = new TextEncoder().encode(text);
 * validateProfileBytes(bytes, { file: 'p.xml' })
 * // [{ ruleId: 'unknown-parameter', severity: 'error', line: 1,
 * //    message: 'unknown parameter Station_Nme; did you mean Station_Name?', … }]
 */
export function validateProfileBytes(bytes: Uint8Array, options: ValidateOptions): Diagnostic[] {
  // UTF-16 of ASCII text is valid UTF-8 (its zero bytes are U+0000): told apart by its first
  // bytes, before the UTF-8 check, at the cost of two comparisons for a UTF-8 profile.
  const foreign = sniffUtf16Or32(bytes);
  // ASCII bytes (a native check) are UTF-8 already, and decode as Latin-1 does: the UTF-8 check
  // and decoder are for the rest. A 30 KB profile: ≈ 4 µs less for the check, ≈ 3 µs less
  // for the decoding, of ≈ 300 µs (issue 12).
  const ascii = foreign === undefined && isAscii(bytes);
  if (foreign !== undefined || (!ascii && !isUtf8(bytes))) {
    if (options.ignoreRules?.includes('xml-well-formed')) return [];
    const where = foreign ? { line: 1, column: 1 } : locateInvalidUtf8(bytes);
    return [
      {
        ruleId: 'xml-well-formed',
        severity: 'error',
        message: foreign
          ? foreignUnicodeMessage(foreign)
          : describeNotUtf8(bytes, (where as { offset: number }).offset),
        file: options.file,
        line: where.line,
        column: where.column,
        hint: 'save the file as UTF-8 (values must be ASCII anyway)',
      },
    ];
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(
    ascii ? 'latin1' : 'utf8',
  );
  // ASCII text has no U+FFFE/U+FFFF and no lone surrogate, so only the C0 controls are left to
  // look for — on the bytes, four at a time, in less than half the time of the scanner's
  // regular expression over the text. When one is there, the scanner looks again and reports it.
  const hints: TextHints = ascii
    ? { charactersChecked: !hasForbiddenControl(bytes), ascii, bytes }
    : { charactersChecked: false, ascii };
  // A UTF-8 BOM is no character of the document: columns on line 1 start after it.
  return validateText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, options, hints);
}

/** XML 1.0 §2.2: a C0 control other than TAB, LF and CR is no character of a document. */
function isForbiddenControl(byte: number): boolean {
  return byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d;
}

/**
 * Whether the bytes hold a C0 control other than TAB, LF or CR. Four bytes at a time where the
 * buffer is aligned: `(x - 0x20202020) & ~x & 0x80808080` is non-zero exactly when one of the
 * word's bytes is below 0x20 (a borrow only runs on from a byte that is); such a word, as
 * every line's LF makes some, is then checked byte by byte.
 *
 * The bytes after the last whole word are checked first, not last: V8 compiles the word loop
 * while it runs (on-stack replacement, in a profile's first call), and a byte access after it
 * that had not run yet had no type feedback, so the compiled loop was thrown away at the end of
 * each call — 1,342 times in the main thread of one 10,000-file run, 19 % of its CPU profile.
 */
export function hasForbiddenControl(bytes: Uint8Array): boolean {
  const wordsEnd = (bytes.byteOffset & 3) === 0 ? bytes.length & ~3 : 0;
  for (let i = wordsEnd; i < bytes.length; i++) {
    if (isForbiddenControl(bytes[i] as number)) return true;
  }
  if (wordsEnd === 0) return false; // unaligned (all checked above), or shorter than a word
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, wordsEnd >> 2);
  for (let w = 0; w < words.length; w++) {
    const x = words[w] as number;
    if (((x - 0x20202020) & ~x & 0x80808080) === 0) continue;
    const at = w << 2;
    for (let k = at; k < at + 4; k++) if (isForbiddenControl(bytes[k] as number)) return true;
  }
  return false;
}

/** Line and column of the first invalid UTF-8 sequence, counting the characters before it. */
function locateInvalidUtf8(bytes: Uint8Array): { line: number; column: number; offset: number } {
  const offset = Math.max(0, firstInvalidUtf8(bytes));
  const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8');
  const { line, column } = new LineIndex(before).position(before.length);
  return { line, column, offset };
}
