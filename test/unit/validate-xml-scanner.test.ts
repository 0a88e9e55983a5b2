/**
 * The XML position layer (src/validate/xml-scanner.ts): positions of elements, attributes and
 * values; a table of malformed documents with the error's line and column; and a differential
 * check against fast-xml-parser's validator, including the three things it lets through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { LineIndex, scanXml, sourceOffsetOfText } from '../../src/validate/xml-scanner.js';
import { validateProfileBytes, firstInvalidUtf8 } from '../../src/validate/index.js';

function at(text: string, offset: number): string {
  const { line, column } = new LineIndex(text).position(offset);
  return `${line}:${column}`;
}

test('gives elements, attributes and values their offsets', () => {
  const text =
    '<?xml version="1.0"?>\n<flat-profile>\n  <A ua="na">x &amp; y</A>\n</flat-profile>\n';
  const scan = scanXml(text);
  assert.equal(scan.error, undefined);
  const a = scan.root?.children[0];
  assert.equal(a?.name, 'A');
  assert.equal(at(text, a!.offset), '3:3');
  assert.equal(a?.attributes[0]?.value, 'na');
  assert.equal(at(text, a!.attributes[0]!.valueOffset), '3:10');
  assert.equal(a?.text, 'x & y');
  // index 4 of the decoded value ('y') sits after 'x ', the reference '&amp;' and ' '
  assert.equal(at(text, sourceOffsetOfText(text, a!, 4)), '3:22');
});

test('line ends: LF, CR LF and CR each end a line; values read CR LF as LF', () => {
  const text = '<r>\r\n<a>1\r\n2</a>\r<b/></r>';
  const scan = scanXml(text);
  assert.equal(scan.root?.children[0]?.text, '1\n2');
  assert.equal(at(text, text.indexOf('<b')), '4:1');
});

const MALFORMED: [string, string, RegExp, string][] = [
  ['mismatched end tag', '<a>\n<b></c></a>', /end tag <\/c> does not match <b>/, '2:4'],
  ['unclosed element', '<a>\n  <b>', /<b> is never closed/, '2:3'],
  ['undefined entity', '<a>x &nbsp; y</a>', /undefined entity &nbsp;/, '1:6'],
  ['bare ampersand', '<a>x & y</a>', /'&' must start a reference/, '1:6'],
  ['control character', '<a>x\u0007</a>', /U\+0007 is not allowed/, '1:5'],
  [
    'NUL by character reference',
    '<a>&#0;</a>',
    /&#0; is not an allowed character reference/,
    '1:4',
  ],
  ['lone surrogate', '<a>\uD800</a>', /unpaired UTF-16 surrogate/, '1:4'],
  ['U+FFFE', '<a>\uFFFE</a>', /U\+FFFE is not allowed/, '1:4'],
  ['two roots', '<a/><b/>', /only one root element/, '1:5'],
  ['text after root', '<a/>x', /text after the root/, '1:5'],
  ['text before root', 'x<a/>', /text before the root/, '1:1'],
  ['no root', '<?xml version="1.0"?>', /^no root element$/, '1:22'],
  // An empty upload, or white space only: said as convert and diff say it, at the start.
  ['an empty file', '', /^the file is empty \(no root element\)$/, '1:1'],
  ['white space only', '\n  \n', /^the file is empty \(no root element\)$/, '1:1'],
  [
    'late XML declaration',
    '<a/>\n<?xml version="1.0"?>',
    /XML declaration is allowed only at the very start/,
    '2:1',
  ],
  ['unquoted attribute', '<a ua=na/>', /must be in quotes/, '1:7'],
  ['repeated attribute', '<a ua="na" ua="ro"/>', /attribute ua is repeated/, '1:12'],
  ['< in attribute', '<a ua="<"/>', /'<' is not allowed in an attribute value/, '1:8'],
  ['missing space between attributes', '<a x="1"y="2"/>', /expected white space/, '1:9'],
  ['-- in comment', '<a><!-- a -- b --></a>', /'--' is not allowed inside a comment/, '1:11'],
  ['unclosed comment', '<a><!-- x</a>', /comment is never closed/, '1:4'],
  [']]> in text', '<a>x]]>y</a>', /']]>' is not allowed in text/, '1:5'],
  ['DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', /DOCTYPE is not allowed/, '1:1'],
  ['bad name', '<1a/>', /expected an element name/, '1:1'],
  ['stray end tag', '<a></a></b>', /text after the root|without a start tag|only one root/, '1:8'],
];

for (const [what, text, message, position] of MALFORMED) {
  test(`rejects ${what} at ${position}`, () => {
    const scan = scanXml(text);
    assert.ok(scan.error, 'an error is reported');
    assert.match(scan.error.message, message);
    assert.equal(at(text, scan.error.offset), position);
  });
}

/**
 * Malformed tags: the message names the element as written (no placeholder such as "</name>"),
 * and the position is where the '>' is missing or the character that does not belong.
 */
const MALFORMED_TAGS: [string, string, string, string][] = [
  [
    "end tag without '>' before a line end",
    '<flat-profile>\n<Station_Name>x</Station_Name\n</flat-profile>\n',
    "end tag </Station_Name is not closed with '>'",
    '2:30',
  ],
  [
    "end tag without '>' at the end of the file",
    '<flat-profile>\n<Station_Name>x</Station_Name',
    "end tag </Station_Name is not closed with '>'",
    '2:30',
  ],
  [
    'end tag holding more than its name',
    '<flat-profile>\n<Station_Name>x</Station_Name ua="na">\n</flat-profile>',
    "end tag </Station_Name is not closed with '>' (an end tag holds only its name)",
    '2:31',
  ],
  [
    "white space after '</'",
    '<flat-profile>\n<Station_Name>x</ Station_Name>\n</flat-profile>',
    "expected an element name right after '</'",
    '2:18',
  ],
  [
    "start tag without '>' before the next tag",
    '<flat-profile>\n<Station_Name</Station_Name>\n</flat-profile>',
    "start tag <Station_Name is not closed with '>'",
    '2:14',
  ],
  [
    "start tag without '>' after an attribute, before the next tag",
    '<flat-profile>\n<Station_Name ua="na"\n</flat-profile>',
    "start tag <Station_Name is not closed with '>'",
    '2:22',
  ],
  [
    "start tag without '>' at the end of the file",
    '<flat-profile>\n<Station_Name ua="na"',
    "start tag <Station_Name is not closed with '>'",
    '2:1',
  ],
  [
    "'/' not followed by '>'",
    '<flat-profile>\n<Station_Name /x>\n</flat-profile>',
    "expected '>' right after '/' in start tag <Station_Name",
    '2:16',
  ],
  [
    'no space between attributes',
    '<flat-profile>\n<Station_Name ua="na"x="y">a</Station_Name>\n</flat-profile>',
    "expected white space, '>' or '/>' in start tag <Station_Name",
    '2:22',
  ],
  [
    "'=' without a name",
    '<flat-profile>\n<Station_Name ="na">a</Station_Name>\n</flat-profile>',
    'expected an attribute name in start tag <Station_Name',
    '2:15',
  ],
  [
    "'<!' of neither comment nor CDATA",
    '<flat-profile><!x></flat-profile>',
    "'<!' starts neither a comment (<!--) nor a CDATA section (<![CDATA[)",
    '1:15',
  ],
];

for (const [what, text, message, position] of MALFORMED_TAGS) {
  test(`malformed tag: ${what} — named as written, at ${position}`, () => {
    const scan = scanXml(text);
    assert.equal(scan.error?.message, message);
    assert.equal(at(text, scan.error.offset), position);
  });
}

/*
 * A raw '<' inside a password makes the rest of the value look like a tag; whatever the scanner
 * then finds wrong with that "tag" must not quote it (its name and attributes are the password).
 */
const SECRET_PIECES: [string, string][] = [
  [
    'an attribute without =',
    '<flat-profile>\n<Password_1_>ab<cd ef</Password_1_>\n</flat-profile>',
  ],
  ['a start tag cut by the file end', '<flat-profile>\n<Password_1_>ab<cdef'],
  [
    'a repeated attribute',
    '<flat-profile>\n<Password_1_>ab<cd e="1" e="2"></Password_1_>\n</flat-profile>',
  ],
  ['a start tag cut by the next tag', '<flat-profile>\n<Admin_Passwd>ab<cdef</Admin_Passwd>'],
  ['an end tag without >', '<flat-profile>\n<Admin_Passwd>ab</cdef\n</flat-profile>'],
];

for (const [what, text] of SECRET_PIECES) {
  test(`a malformed tag inside a password's value (${what}) is not quoted`, () => {
    const scan = scanXml(text);
    assert.ok(scan.error);
    assert.match(
      scan.error.message,
      /^a malformed (start|end) tag inside the value of \w+ \(not shown: a secret/,
    );
    for (const piece of ['cd', 'ef', 'cdef']) assert.ok(!scan.error.message.includes(piece));
    assert.equal(
      at(text, scan.error.offset),
      '2:' + String(text.split('\n')[1]!.indexOf('<', 1) + 1),
    );
  });
}

test("a password's own end tag without '>' is named (its name is no secret)", () => {
  const text = '<flat-profile>\n<Password_1_>abc</Password_1_\n</flat-profile>';
  assert.equal(scanXml(text).error?.message, "end tag </Password_1_ is not closed with '>'");
});

test('fast-xml-parser passes what the scanner rejects (why the scanner exists)', () => {
  for (const text of ['<a>&foo;</a>', '<a>\u0001</a>']) {
    assert.equal(
      XMLValidator.validate(text),
      true,
      `fast-xml-parser accepts ${JSON.stringify(text)}`,
    );
    assert.ok(scanXml(text).error, `the scanner rejects ${JSON.stringify(text)}`);
  }
});

test('invalid UTF-8 is found at its byte, with line and column', () => {
  const bytes = Buffer.concat([
    Buffer.from('<a>\n  caf'),
    Buffer.from([0xe9]),
    Buffer.from('</a>'),
  ]);
  assert.equal(firstInvalidUtf8(bytes), 9);
  const [d] = validateProfileBytes(bytes, { file: 'x' });
  assert.equal(d?.ruleId, 'xml-well-formed');
  assert.equal(`${d?.line}:${d?.column}`, '2:6');
  assert.equal(firstInvalidUtf8(Buffer.from('caf\u00e9 \u{1F600}')), -1);
  for (const bad of [
    [0xc0, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xe2, 0x82],
  ]) {
    assert.equal(firstInvalidUtf8(Uint8Array.from(bad)), 0, `rejects ${bad}`);
  }
});

test('agrees with fast-xml-parser on generated well-formed documents', async () => {
  const fc = await import('fast-check');
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/);
  const value = fc.string({ unit: fc.constantFrom(...'ab 1_-()[]|$*.,&<>"\''.split('')) });
  const escape = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  fc.assert(
    fc.property(fc.array(fc.tuple(name, value), { maxLength: 8 }), (params) => {
      const body = params.map(([n, v]) => `  <${n} ua="na">${escape(v)}</${n}>`).join('\n');
      const text = `<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n${body}\n</flat-profile>\n`;
      assert.equal(XMLValidator.validate(text), true);
      const scan = scanXml(text);
      assert.equal(scan.error, undefined);
      assert.deepEqual(
        scan.root?.children.map((c) => [c.name, c.text]),
        params.map(([n, v]) => [n, v]),
      );
    }),
    { numRuns: 300 },
  );
});

test('a UTF-8 BOM does not shift columns on line 1', () => {
  const bytes = Buffer.from(
    '\uFEFF<flat-profile><Station_Name ua="x">a</Station_Name></flat-profile>',
  );
  const [d] = validateProfileBytes(bytes, { file: 'x' });
  assert.equal(`${d?.ruleId} ${d?.line}:${d?.column}`, 'invalid-ua 1:33');
});

test('inside a password, a malformed tag names the password, not an element opened in its value', () => {
  // "bsecret" is itself a secret-looking name: it is a piece of Password_1_'s value.
  const scan = scanXml('<flat-profile>\n<Password_1_>a<bsecret>c</Password_1_>\n</flat-profile>');
  assert.match(scan.error?.message ?? '', /inside the value of Password_1_ /);
  assert.ok(!scan.error?.message.includes('bsecret'));
  const cut = scanXml('<flat-profile>\n<Password_1_>a<bsecret>c<d e</Password_1_>');
  assert.match(cut.error?.message ?? '', /^a malformed start tag inside the value of Password_1_ /);
});
