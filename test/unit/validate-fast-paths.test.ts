/**
 * The validator's shortcuts hold what they promise: the byte-level control-character check
 * finds exactly what a byte-by-byte loop finds (at any alignment, in any position of a word,
 * next to multi-byte UTF-8), and validating bytes — which takes those shortcuts — reports
 * exactly what validating the decoded text without them reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatJson } from '../../src/output/diagnostics-format.js';
import type { FileDiagnostics } from '../../src/validate/diagnostic.js';
import { RULE_IDS } from '../../src/validate/rule-ids.js';
import { indexXml, scanXml, type XmlIndex } from '../../src/validate/xml-scanner.js';
import {
  hasForbiddenControl,
  validateProfileBytes,
  validateProfileText,
} from '../../src/validate/index.js';

const naive = (bytes: Uint8Array): boolean =>
  bytes.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);

test('hasForbiddenControl agrees with a byte-by-byte loop, at every alignment', () => {
  const byte = fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.constantFrom(0x09, 0x0a, 0x0d, 0x20, 0x1f, 0x00, 0x80, 0xff, 0x41),
  );
  fc.assert(
    fc.property(fc.array(byte, { maxLength: 64 }), fc.nat({ max: 7 }), (values, shift) => {
      const backing = new Uint8Array(values.length + shift);
      backing.set(values, shift);
      const bytes = backing.subarray(shift);
      assert.equal(hasForbiddenControl(bytes), naive(bytes));
    }),
    { numRuns: 3000 },
  );
  // Each forbidden control at each position of an aligned word, among harmless bytes.
  for (let control = 0; control < 0x20; control++) {
    for (let at = 0; at < 12; at++) {
      const bytes = new Uint8Array(12).fill(0x0a);
      bytes[at] = control;
      assert.equal(hasForbiddenControl(bytes), naive(bytes), `0x${control.toString(16)} at ${at}`);
    }
  }
});

test('validateProfileBytes reports what validateProfileText reports on the decoded text', () => {
  const piece = fc.constantFrom(
    '<flat-profile>',
    '</flat-profile>',
    '<Station_Name ua="na">',
    '</Station_Name>',
    'x',
    ' ',
    '\n',
    '\r\n',
    '\t',
    '\u0001',
    '\u001f',
    '\u000b',
    'é',
    '\ufffe',
    '&#233;',
    '&amp;',
    '{{ v }}',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
      const text = pieces.join('');
      const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
      assert.deepEqual(
        validateProfileBytes(bytes, { file: 'p.xml' }),
        validateProfileText(text, { file: 'p.xml' }),
      );
    }),
    { numRuns: 2000 },
  );
});

/** The JSON report as it was made before: one JSON.stringify of each entry, then escaped. */
function referenceJson(results: readonly FileDiagnostics[]): string {
  const unsafe = /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
  const entries = results.map((r) =>
    JSON.stringify(
      {
        file: r.file,
        errorCount: r.errorCount,
        warningCount: r.warningCount,
        diagnostics: r.diagnostics.map((d) => ({
          ruleId: d.ruleId,
          severity: d.severity,
          message: d.message,
          line: d.line,
          column: d.column,
        })),
      },
      null,
      2,
    )
      .replace(unsafe, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replace(/\n/g, '\n  '),
  );
  return entries.length === 0 ? '[]\n' : `[\n  ${entries.join(',\n  ')}\n]\n`;
}

test('the JSON report is byte for byte what one JSON.stringify per file made', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const diagnostic = fc.record({
    ruleId: fc.constantFrom(...RULE_IDS),
    severity: fc.constantFrom('error' as const, 'warning' as const),
    message: fc.oneof(text, fc.constantFrom('a\u202eb', '\u0085', 'x\n"y"\\', '\ufeff')),
    file: fc.constant('f'),
    line: fc.nat(),
    column: fc.nat(),
  });
  const result = fc
    .record({ file: text, diagnostics: fc.array(diagnostic, { maxLength: 4 }) })
    .map(({ file, diagnostics }) => ({
      file,
      diagnostics,
      errorCount: diagnostics.filter((d) => d.severity === 'error').length,
      warningCount: diagnostics.filter((d) => d.severity === 'warning').length,
    }));
  fc.assert(
    fc.property(fc.array(result, { maxLength: 4 }), (results) => {
      assert.equal(formatJson(results), referenceJson(results));
    }),
    { numRuns: 2000 },
  );
});

test('element names predicted from the document before are taken only when they match', () => {
  const names = (text: string): string[] =>
    scanXml(text).root?.children.map((c) => `${c.name}=${c.text}`) ?? [];
  const before =
    '<flat-profile><Line_1>a</Line_1><AB>b</AB><X/><Long_Name>c</Long_Name></flat-profile>';
  assert.deepEqual(names(before), ['Line_1=a', 'AB=b', 'X=', 'Long_Name=c']);
  // Same places, other names: a prefix, an extension, the same length, a non-ASCII follower.
  const after =
    '<flat-profile><Line_12>a</Line_12><A>b</A><Y/><Long_Namé>c</Long_Namé></flat-profile>';
  assert.deepEqual(names(after), ['Line_12=a', 'A=b', 'Y=', 'Long_Namé=c']);
  assert.deepEqual(names(before), ['Line_1=a', 'AB=b', 'X=', 'Long_Name=c']);
  // A prediction never hides an error at its place.
  assert.match(
    scanXml('<flat-profile><Line_1.>a</Line_1></flat-profile>').error?.message ?? '',
    /does not match/,
  );
  assert.match(scanXml('<flat-profile><Line_1').error?.message ?? '', /not closed/);
});

test('start-tag tails predicted from the document before are taken only when they match', () => {
  const attributes = (text: string): string[] =>
    scanXml(text).root?.children.map(
      (c) =>
        `${c.name}[${c.attributes.map((a) => `${a.name}@${a.nameOffset}=${a.value}@${a.valueOffset}`).join(' ')}]${c.text}`,
    ) ?? [];
  const before =
    '<flat-profile><A ua="na">1</A><B ua="rw" x=\'2\'>2</B><C ua="na">3</C><D>4</D></flat-profile>';
  const fresh = attributes(before);
  assert.deepEqual(attributes(before), fresh, 'the same document again: tails replayed');
  assert.deepEqual(fresh, [
    'A[ua@17=na@21]1',
    'B[ua@33=rw@37 x@41=2@44]2',
    'C[ua@55=na@59]3',
    'D[]4',
  ]);
  // Same names at the same places, other tails: another value, an extra attribute, a value that
  // needs decoding, a TAB to normalise, white space before '>', an attribute where there was none.
  const after =
    '<flat-profile><A ua="ro">1</A><B ua="rw" x=\'2\' y="3">2</B><C ua="&amp;">3</C><D ua="a\tb" >4</D></flat-profile>';
  const afterFresh = [
    'A[ua@17=ro@21]1',
    'B[ua@33=rw@37 x@41=2@44 y@47=3@50]2',
    'C[ua@61=&@65]3',
    'D[ua@80=a b@84]4',
  ];
  assert.deepEqual(attributes(after), afterFresh);
  assert.deepEqual(attributes(after), afterFresh, 'and again, from the tails just stored');
  assert.deepEqual(attributes(before), fresh);
  // A replayed tail never hides an error after it, nor one in place of it.
  assert.match(
    scanXml('<flat-profile><A ua="na">1</B><B ua="rw" x=\'2\'>2</B></flat-profile>').error
      ?.message ?? '',
    /does not match/,
  );
  assert.match(
    scanXml('<flat-profile><A ua="na" ua="na">1</A></flat-profile>').error?.message ?? '',
    /repeated/,
  );
  assert.match(scanXml('<flat-profile><A ua="na"').error?.message ?? '', /not closed/);
});

test('two-character attribute values read as their source (the ua values come from a table)', () => {
  const letters = ['n', 'a', 'r', 'o', 'w', 'N', 'A', 'R', 'O', 'W', 'x', '1', 'é', ' '];
  for (const a of letters) {
    for (const b of letters) {
      const value = a + b;
      const root = scanXml(
        `<flat-profile><A ua="${value}">1</A><B x='${value}'/><C ua="${value}z">2</C></flat-profile>`,
      ).root;
      assert.deepEqual(
        root?.children.map((c) => c.attributes.map((at) => at.value)),
        [[value], [value], [`${value}z`]],
        value,
      );
    }
  }
});

/** Everything an index holds, element by element. */
function indexDump(index: XmlIndex): string[] {
  const out = [
    `error ${JSON.stringify(index.error)}`,
    `comments ${JSON.stringify(index.comments)}`,
  ];
  for (let e = 0; e < index.count; e++) {
    const { first, end } = index.attributesOf(e);
    const attributes: string[] = [];
    for (let a = first; a < end; a++) {
      attributes.push(
        `${index.attributeName(a)}@${index.attributeNameOffset(a)}=${index.attributeValue(a)}@${index.attributeValueOffset(a)}`,
      );
    }
    out.push(
      `${index.nameOf(e)}#${index.nameIdOf(e) >= 0} @${index.offsetOf(e)} [${index.contentStartOf(e)},${index.contentEndOf(e)}) ` +
        `parent ${index.parentOf(e)} self ${index.selfClosing(e)} (${attributes.join(' ')}) ${JSON.stringify(index.textOf(e))}`,
    );
  }
  return out;
}

test('an ASCII text scanned on its bytes is indexed exactly as on its characters', () => {
  const documents = [
    '<flat-profile>\n  <A ua="na">1</A>\n  <Bb ua="rw">two words here, and more than sixteen</Bb>\n  <C/>\n</flat-profile>\n',
    // Near misses of the names, tails and values predicted from the document before.
    '<flat-profile>\n  <A\tua="na">1</A>\n  <Bb ua="rw">2</Bb>\n  <C/>\n</flat-profile>\n',
    '<flat-profile>\n  <A ua="na">1</A>\n  <Bb/ua="rw">2</Bb>\n</flat-profile>\n',
    '<flat-profile>\n  <Ab ua="na">1</Ab>\n  <B ua="rw" x="1">2</B>\n  <C ua="na"/>\n</flat-profile>\n',
    '<flat-profile>\n  <A  ua="na">1</A>\n  <Bb ua="ro">&amp;x</Bb>\n  <C>3</C>\n</flat-profile>\n',
    '<flat-profile>\r\n  <A ua="na">a\r\nb</A>\r\n  <Bb ua="rw"><![CDATA[x<y]]></Bb><!-- c -->\n</flat-profile>',
    '<flat-profile>\n  <A ua="na">1</A>\n  <Bb ua="rw">2</B>\n</flat-profile>\n',
    '<flat-profile>\n  <A ua="na">1</A>\n  <Bb ua="rw">2</Bb>\n  <A ua="na">\n    <D>4</D>\n  </A>\n</flat-profile>\n',
    '<flat-profile>\n  <A ua="na">1</A\n  <Bb ua="rw">                                   </Bb>\n</flat-profile>\n',
    '<flat-profile><A ua="na">1</A><Bb ua="rw">2</Bb></flat-profile>',
    `<flat-profile>${'\n  <A ua="na">1</A>'.repeat(3)}${' '.repeat(40)}\n</flat-profile>`,
  ];
  for (let round = 0; round < 2; round++) {
    for (const text of documents) {
      const onBytes = indexDump(indexXml(text, { bytes: Buffer.from(text, 'latin1') }));
      assert.deepEqual(onBytes, indexDump(indexXml(text)), text);
      assert.deepEqual(indexDump(indexXml(text)), onBytes, text);
    }
  }
});
