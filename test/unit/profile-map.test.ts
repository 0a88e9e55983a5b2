// The parameter map under diff, convert and drift: reading XML as the phone does (reference §1),
// writing it back, the JSON/YAML form, and comparing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ProfileFormatError,
  buildProfileXml,
  compareProfiles,
  parseProfileXml,
  phoneValue,
  profileFromObject,
  profileToObject,
  type ProfileEntry,
} from '../../src/profile/profile-map.js';

/** The example profile of reference §1 (Cisco's provisioning guide, "open" XML format). */
const REFERENCE_PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
  <!-- comments are allowed -->
  <Station_Name ua="na">Front desk</Station_Name>
  <Line_Enable_1_ ua="na">Yes</Line_Enable_1_>
  <Dial_Plan_1_ ua="na">(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)</Dial_Plan_1_>
  <Profile_Rule ua="na">[--key $SA]https://prov.example.com/cfg/$MA.cfg</Profile_Rule>
</flat-profile>
`;

const entries = (xml: string): [string, ProfileEntry][] => [...parseProfileXml(xml).parameters];

describe('parseProfileXml', () => {
  test('the reference profile: names, values and ua in document order, comment ignored', () => {
    assert.deepEqual(entries(REFERENCE_PROFILE), [
      ['Station_Name', { value: 'Front desk', ua: 'na' }],
      ['Line_Enable_1_', { value: 'Yes', ua: 'na' }],
      [
        'Dial_Plan_1_',
        { value: '(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)', ua: 'na' },
      ],
      ['Profile_Rule', { value: '[--key $SA]https://prov.example.com/cfg/$MA.cfg', ua: 'na' }],
    ]);
  });

  test("Cisco's <device><flat-profile> wrapper reads the same as a bare flat-profile", () => {
    const wrapped = REFERENCE_PROFILE.replace('<flat-profile>', '<device>\n<flat-profile>').replace(
      '</flat-profile>',
      '</flat-profile>\n</device>',
    );
    assert.deepEqual(entries(wrapped), entries(REFERENCE_PROFILE));
  });

  test('a repeated parameter takes its last value (Cisco: last occurrence wins)', () => {
    const parsed = parseProfileXml(
      '<flat-profile><GPP_A>1</GPP_A><GPP_B>x</GPP_B><GPP_A>2</GPP_A></flat-profile>',
    );
    assert.deepEqual(
      [...parsed.parameters],
      [
        ['GPP_B', { value: 'x' }],
        ['GPP_A', { value: '2' }],
      ],
    );
    assert.deepEqual(parsed.duplicates, ['GPP_A']);
  });

  test('values stay text: 0012, 1e3, yes and 0x10 are not turned into numbers or booleans', () => {
    const parsed = parseProfileXml(
      '<flat-profile><A>0012</A><B>1e3</B><C>yes</C><D>0x10</D><E>-0</E></flat-profile>',
    );
    assert.deepEqual(
      [...parsed.parameters.values()].map((e) => e.value),
      ['0012', '1e3', 'yes', '0x10', '-0'],
    );
  });

  test('the five XML entities and numeric references are decoded once; CDATA stays raw', () => {
    const parsed = parseProfileXml(
      '<flat-profile><A>&lt;&gt;&amp;&quot;&apos;</A><B>&#40;&#x2e;</B><C>&amp;#40;</C><D><![CDATA[&amp;<x>]]></D></flat-profile>',
    );
    assert.deepEqual(
      [...parsed.parameters.values()].map((e) => e.value),
      ['<>&"\'', '(.', '&#40;', '&amp;<x>'],
    );
  });

  test('empty values: <X/>, <X></X> and <X ua="rw"/> (access only)', () => {
    assert.deepEqual(entries('<flat-profile><A/><B></B><C ua="rw"/></flat-profile>'), [
      ['A', { value: '' }],
      ['B', { value: '' }],
      ['C', { value: '', ua: 'rw' }],
    ]);
  });

  test('names are case-sensitive and hyphens are kept (Phone-UI-User-Mode)', () => {
    assert.deepEqual(
      entries(
        '<flat-profile><Station_Name>a</Station_Name><station_name>b</station_name><Phone-UI-User-Mode>No</Phone-UI-User-Mode></flat-profile>',
      ).map(([n]) => n),
      ['Station_Name', 'station_name', 'Phone-UI-User-Mode'],
    );
  });

  test('nested elements and other attributes are read past with a warning, not a value', () => {
    const parsed = parseProfileXml(
      '<flat-profile><N><x>1</x></N><P preserve-value="y" colour="red">v</P></flat-profile>',
    );
    // preserve-value is read by the phone (reference §1): kept, as ua and group are.
    assert.deepEqual([...parsed.parameters], [['P', { value: 'v', 'preserve-value': 'y' }]]);
    assert.equal(parsed.warnings.length, 2);
    assert.match(parsed.warnings[0]!, /^N has child elements/);
    assert.match(parsed.warnings[1]!, /^P: attribute colour is not kept/);
  });

  const BAD: [string, string, RegExp, number | undefined][] = [
    // Worded as validate words it (its scanner): the same file gets the same message everywhere.
    [
      'not well-formed',
      '<flat-profile>\n<a></b></flat-profile>',
      /^end tag <\/b> does not match <a> \(line 2\)$/,
      2,
    ],
    [
      'a truncated file',
      '<flat-profile>\n  <Time_Zone>GMT-05:',
      /^<Time_Zone> is never closed$/,
      2,
    ],
    ['no flat-profile', '<device><x>1</x></device>', /no <flat-profile>/, undefined],
    [
      'a flat-profile in the wrong case',
      '<Flat-Profile><A>1</A></Flat-Profile>',
      /^no <flat-profile> element: <Flat-Profile> is not <flat-profile> \(element names are case-sensitive\)$/,
      undefined,
    ],
    [
      'a wrapped flat_profile',
      '<device><flat_profile><A>1</A></flat_profile></device>',
      /^no <flat-profile> element: <flat_profile> is not <flat-profile>$/,
      undefined,
    ],
    [
      'undefined entity',
      '<flat-profile><a>&nbsp;</a></flat-profile>',
      /^undefined entity &nbsp; \(only &lt; &gt; &amp; &apos; &quot; and &#…; exist\)$/,
      1,
    ],
    ['bare ampersand', '<flat-profile><a>x & y</a></flat-profile>', /&/, 1],
    ['DOCTYPE', '<!DOCTYPE x [<!ENTITY a "b">]><flat-profile/>', /DOCTYPE/, 1],
    ['control character', '<flat-profile>\n<a>\u0001</a></flat-profile>', /U\+0001/, 2],
    [
      'reference to a control character',
      '<flat-profile><a>&#1;</a></flat-profile>',
      /^&#1; is not an allowed character reference$/,
      1,
    ],
    ['not XML at all', 'Station_Name=Lobby', /^text before the root element$/, 1],
    // A raw '<' inside a password: the "tag" it seems to open is a piece of the password.
    [
      'a malformed tag inside a password',
      '<flat-profile>\n<Password_1_>ab<cd ef</Password_1_>\n</flat-profile>',
      /^a malformed start tag inside the value of Password_1_ \(not shown: a secret/,
      2,
    ],
    [
      'a malformed end tag inside a password',
      '<flat-profile>\n<Admin_Passwd>ab</cdef\n</flat-profile>',
      /^a malformed end tag inside the value of Admin_Passwd \(not shown: a secret/,
      2,
    ],
  ];
  for (const [what, xml, message, line] of BAD) {
    test(`refuses ${what} with a ProfileFormatError`, () => {
      assert.throws(
        () => parseProfileXml(xml),
        (err: unknown) =>
          err instanceof ProfileFormatError && message.test(err.message) && err.line === line,
      );
    });
  }
});

describe('buildProfileXml', () => {
  test('writes the declaration, a bare flat-profile and one parameter per line, escaped', () => {
    const xml = buildProfileXml(
      new Map<string, ProfileEntry>([
        ['Station_Name', { value: 'A & B <C>', ua: 'na' }],
        ['GPP_A', { value: '' }],
      ]),
    );
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Station_Name ua="na">A &amp; B &lt;C&gt;</Station_Name>\n  <GPP_A></GPP_A>\n</flat-profile>\n',
    );
  });

  test('an empty map is an empty flat-profile', () => {
    assert.deepEqual([...parseProfileXml(buildProfileXml(new Map())).parameters], []);
  });

  test('refuses names XML cannot carry and control characters', () => {
    assert.throws(() => buildProfileXml(new Map([['a b', { value: '' }]])), ProfileFormatError);
    assert.throws(() => buildProfileXml(new Map([['A', { value: '\u0007' }]])), ProfileFormatError);
  });

  test('property: parse(build(map)) gives the map back, values byte for byte', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,20}$/);
    const text = fc
      .string({ unit: 'grapheme', maxLength: 40 })
      // XML 1.0 carries no C0 control but tab and LF (a CR is read as LF).
      .filter((s) => [...s].every((c) => c >= ' ' || c === '\t' || c === '\n'));
    const entry = fc.record(
      { value: text, ua: fc.option(fc.constantFrom('na', 'ro', 'rw'), { nil: undefined }) },
      { requiredKeys: ['value'] },
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, entry), { selector: ([n]) => n, maxLength: 12 }),
        (pairs) => {
          const map = new Map<string, ProfileEntry>(
            pairs.map(([n, e]) => [
              n,
              e.ua === undefined ? { value: e.value } : { value: e.value, ua: e.ua },
            ]),
          );
          assert.deepEqual([...parseProfileXml(buildProfileXml(map)).parameters], [...map]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the JSON/YAML form', () => {
  test('profileToObject → JSON → profileFromObject keeps names, values, ua and order', () => {
    const map = parseProfileXml(REFERENCE_PROFILE).parameters;
    const back = profileFromObject(JSON.parse(JSON.stringify(profileToObject(map))));
    assert.deepEqual([...back], [...map]);
  });

  test('a bare string is a value without ua; a parameter named __proto__ is data', () => {
    const map = profileFromObject(JSON.parse('{"Station_Name":"Lobby","__proto__":{"value":"x"}}'));
    assert.deepEqual(
      [...map],
      [
        ['Station_Name', { value: 'Lobby' }],
        ['__proto__', { value: 'x' }],
      ],
    );
    assert.equal(profileToObject(map)['__proto__']?.value, 'x');
  });

  const WRONG: [string, unknown, RegExp][] = [
    ['an array', [], /expected an object of parameters/],
    ['null', null, /got null/],
    [
      'a number value',
      { Line_Enable_1_: 1 },
      /Line_Enable_1_: expected a string or \{ value, ua \}, got a number/,
    ],
    ['a boolean value field', { A: { value: true } }, /A: value expected a string, got a boolean/],
    ['an unknown field', { A: { value: 'x', access: 'na' } }, /unknown field "access"/],
    ['a name with a space', { 'Station Name': 'x' }, /not an XML element name/],
    // A PIN written unquoted is still the secret: the message says what it is, not its value.
    [
      'a password given as a number',
      { Password_1_: { value: 4711 } },
      /^Password_1_: value expected a string, got a number \(not shown: a secret\) \(quote it\)$/,
    ],
    [
      'a password given bare as a number',
      { Admin_Passwd: 4711 },
      /^Admin_Passwd: expected a string or \{ value, ua \}, got a number \(not shown: a secret\)/,
    ],
  ];
  for (const [what, data, message] of WRONG) {
    test(`profileFromObject refuses ${what}`, () => {
      assert.throws(
        () => profileFromObject(data),
        (err: unknown) => err instanceof ProfileFormatError && message.test(err.message),
      );
    });
  }
});

describe('compareProfiles', () => {
  const a = parseProfileXml(REFERENCE_PROFILE).parameters;

  test('identical profiles in another order have no changes', () => {
    assert.deepEqual(compareProfiles(a, new Map([...a].reverse())), []);
  });

  test('removed, changed (value, ua) and added, in a order then b additions', () => {
    const b = new Map(a);
    b.delete('Dial_Plan_1_');
    b.set('Station_Name', { value: 'Lobby', ua: 'na' });
    b.set('Line_Enable_1_', { value: 'Yes', ua: 'rw' });
    b.set('GPP_A', { value: '1' });
    assert.deepEqual(
      compareProfiles(a, b).map((c) => [c.name, c.change, c.valueChanged, c.uaChanged]),
      [
        ['Station_Name', 'changed', true, false],
        ['Line_Enable_1_', 'changed', false, true],
        ['Dial_Plan_1_', 'removed', true, false],
        ['GPP_A', 'added', true, false],
      ],
    );
  });

  test('values are compared as the phone reads them: white space trimmed, newline = space', () => {
    const x = new Map([['A', { value: ' Front\ndesk ' }]]);
    const y = new Map([['A', { value: 'Front desk' }]]);
    assert.deepEqual(compareProfiles(x, y), []);
    assert.equal(phoneValue('  a\r\nb  '), 'a b');
    assert.equal(compareProfiles(x, y, { sameValue: (_n, l, r) => l === r }).length, 1);
  });
});
