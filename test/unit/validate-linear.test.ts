/**
 * Issue 10 item 7: every parser and rule of `validate` (also run by render's check) is linear in
 * its input. Each hostile shape that was quadratic or worse is a doubling test here (CPU time at
 * 2n ≤ 3 × at n, best of 3; test/helpers/timing.ts), plus a check that the findings are still
 * reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateProfileText, type Diagnostic } from '../../src/validate/index.js';
import { levenshtein, suggestNames } from '../../src/validate/suggest.js';
import { SUGGESTIONS_PER_FILE } from '../../src/validate/rules/unknown-parameter.js';
import {
  newTextOffsetCursor,
  scanXml,
  sourceOffsetOfText,
  type XmlElement,
} from '../../src/validate/xml-scanner.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { assertLinear } from '../helpers/timing.js';

const profile = (body: string): string => `<flat-profile>\n${body}\n</flat-profile>\n`;
const validate = (text: string): Diagnostic[] => validateProfileText(text, { file: 'p.xml' });
const ruleIds = (diagnostics: Diagnostic[]): Set<string> =>
  new Set(diagnostics.map((d) => d.ruleId));

test('many attributes on one element (duplicate-attribute check)', () => {
  const make = (n: number) => {
    let attributes = '';
    for (let i = 0; i < n; i++) attributes += ` a${i}="1"`;
    return profile(`<Station_Name${attributes}>x</Station_Name>`);
  };
  assertLinear('attributes', make, validate, 30_000);
  // A repeat is still found, also after thousands of attributes.
  const repeated = make(5_000).replace('a4999="1"', 'a4999="1" a17="2"');
  const [first] = validate(repeated);
  assert.equal(first?.ruleId, 'xml-well-formed');
  assert.match(first?.message ?? '', /attribute a17 is repeated in <Station_Name>/);
});

test("many '{#' in a value (template-leftover)", () => {
  const make = (n: number) => profile(`<Station_Name>${'{#'.repeat(n)}</Station_Name>`);
  assertLinear('{#', make, validate, 100_000);
  const leftovers = validate(profile('<Station_Name>{# a #} {#</Station_Name>'));
  assert.equal(leftovers.filter((d) => d.ruleId === 'template-leftover').length, 1);
});

test("many '{{' and '{%' in a value (template-leftover)", () => {
  const make = (n: number) => profile(`<Station_Name>${'{{ x {% '.repeat(n)}</Station_Name>`);
  assertLinear('{{', make, validate, 100_000);
  // One finding for the line, at its first leftover, counting the rest.
  const [first, ...rest] = validate(make(1_000)).filter((d) => d.ruleId === 'template-leftover');
  assert.equal(rest.length, 0);
  assert.equal(first?.message, "leftover template syntax '{{' (and 1999 more on this line)");
  assert.equal(first?.column, 15);
});

test('a long Resync_Trigger_1 (rule grammar, macros)', () => {
  const shapes: [string, string][] = [
    ['comparisons', '$A eq 1 and '],
    ['comparisons without macros', 'a eq b and '],
    ['unknown macros (one finding each)', '$ZZZ eq 1 and '],
    ['unknown parenthesised macros', '$(ZZ) eq 1 and '],
    ['parenthesised macros', '$(A:1:2) eq "$(B)" and '],
    ['unclosed $(', '$( $( $( $( '],
    ['$$', '$$$$ $$$$ $$$$ '],
  ];
  for (const [name, unit] of shapes) {
    const make = (n: number) =>
      profile(`<Resync_Trigger_1>${unit.repeat(n)}$A eq 1</Resync_Trigger_1>`);
    assertLinear(`Resync_Trigger_1 of ${name}`, make, validate, 8_000);
  }
  const unknown = validate(
    profile('<Resync_Trigger_1>$ZZZ eq 1 and $A eq 2 and $QQQ eq 3</Resync_Trigger_1>'),
  );
  assert.equal(unknown.filter((d) => /unknown macro/.test(d.message)).length, 2);
});

test('a long Profile_Rule (alternatives, options, URL macros)', () => {
  const shapes: [string, string][] = [
    ['alternatives', '($A eq 1)? [--key $SA] http://example.com/$MA.xml | '],
    ['unknown macros in the URL', '($A eq 1)? http://example.com/$ZZZ$QQQ.xml | '],
    ['assignments', '(A = "$MA"; B = "x";)! ($A eq 1)? http://h/$MA.xml | '],
  ];
  for (const [name, unit] of shapes) {
    const make = (n: number) =>
      profile(`<Profile_Rule>${unit.repeat(n)}http://example.com/$MA.xml</Profile_Rule>`);
    assertLinear(`Profile_Rule of ${name}`, make, validate, 3_000);
  }
});

test('white space in values (whitespace-value)', () => {
  const make = (n: number) => profile(`<Station_Name>${' '.repeat(n)}x</Station_Name>`);
  assertLinear('leading spaces', make, validate, 50_000);
  const trailing = validate(profile('<Station_Name> x \n y  </Station_Name>'));
  assert.deepEqual(
    trailing.filter((d) => d.ruleId === 'whitespace-value').map((d) => d.column),
    [15, 18, 3],
  );
});

test('many unknown parameter names (did-you-mean)', () => {
  // Suggestions are memoised across a batch: every run gets names never seen before, so best
  // of 3 cannot time memo hits. Each name costs distances to a few hundred catalog names —
  // linear, but minutes for 300,000 names — so suggestions stop after the first 100 per file.
  let run = 0;
  const make = (n: number) => n;
  const validateFresh = (n: number) => {
    run++;
    let body = '';
    for (let i = 0; i < n; i++)
      body += `<Statoin_${run}_${i.toString(36)}>x</Statoin_${run}_${i.toString(36)}>\n`;
    validate(profile(body));
  };
  assertLinear('unknown names', make, validateFresh, 4_000);
  let body = '';
  for (let i = 0; i < SUGGESTIONS_PER_FILE; i++) body += `<Q${i}/>`;
  const unknown = validate(profile(`${body}<Staton_Name>x</Staton_Name>`));
  assert.equal(unknown.length, SUGGESTIONS_PER_FILE + 1);
  assert.equal(unknown.at(-1)?.message, 'unknown parameter Staton_Name', 'no suggestion after 100');
  const [typo] = validate(profile('<Staton_Name>x</Staton_Name>'));
  assert.equal(typo?.ruleId, 'unknown-parameter');
  assert.match(typo?.message ?? '', /did you mean Station_Name\?/);
  assert.ok(ruleIds(validate(profile('<Q/>'))).has('unknown-parameter'));
});

test('sourceOffsetOfText: going on from a cursor gives the offsets a walk from the start gives', () => {
  const value = 'a&amp;b<!-- c -->d<![CDATA[e<f]]>g&#x1F600;h\r\ni&lt;j';
  const text = `<flat-profile><A>${value}</A><B>xy</B></flat-profile>`;
  const scan = scanXml(text);
  const [a, b] = scan.root?.children ?? [];
  assert.ok(a && b);
  const fresh = (element: XmlElement, index: number) => sourceOffsetOfText(text, element, index);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.nat({ max: a.text.length + 2 })), { maxLength: 20 }),
      (queries) => {
        const cursor = newTextOffsetCursor();
        for (const [onA, index] of queries) {
          const element: XmlElement = onA ? a : b;
          assert.equal(sourceOffsetOfText(text, element, index, cursor), fresh(element, index));
        }
      },
    ),
    { numRuns: 500 },
  );
});

/** The textbook dynamic programme, every cell. */
function fullLevenshtein(x: string, y: string): number {
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
    }
    row = next;
  }
  return row[y.length] ?? 0;
}

test('levenshtein (banded, bounded) agrees with the full table up to its limit', () => {
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_'), maxLength: 14 });
  fc.assert(
    fc.property(word, word, fc.integer({ min: 0, max: 5 }), (x, y, limit) => {
      const exact = fullLevenshtein(x, y);
      assert.equal(levenshtein(x, y, limit), exact <= limit ? exact : limit + 1);
      assert.equal(levenshtein(x, y), exact);
    }),
    { numRuns: 3000 },
  );
  assert.deepEqual(suggestNames(DEFAULT_CATALOG, 'Staton_Name'), ['Station_Name']);
});
