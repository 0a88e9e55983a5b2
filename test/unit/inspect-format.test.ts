/** The inspect/models formatters: escaping, CSV quoting, JSON round trips, colour switch. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseUserAgent } from '../../src/device/user-agent.js';
import { summarizeAccessLog } from '../../src/device/access-log.js';
import {
  csvCell,
  escapeText,
  formatLogCsv,
  formatLogJson,
  formatLogTable,
  formatUserAgentsCsv,
  formatUserAgentsJson,
  formatUserAgentsTable,
  safeJson,
  shouldColor,
  truncate,
} from '../../src/output/inspect-format.js';

const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex -- looking for raw control characters is the test
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('escapeText: controls, DEL, C1, bidi and separators become visible escapes', () => {
  const cases: [string, string][] = [
    ['plain text é 日本', 'plain text é 日本'],
    ['\u001b[31mred', '\\x1b[31mred'],
    ['a\nb\rc\td', 'a\\nb\\rc\\td'],
    ['\u0000\u007f\u009b', '\\x00\\x7f\\x9b'],
    ['\u202eevil\u2028', '\\u202eevil\\u2028'],
    ['back\\slash', 'back\\\\slash'],
    ['\ud800lone', '\\ud800lone'],
    ['😀 pair', '😀 pair'],
  ];
  for (const [input, expected] of cases)
    assert.equal(escapeText(input), expected, JSON.stringify(input));
});

test('truncate marks the cut', () => {
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(truncate('abcd', 4), 'abcd');
});

test('csvCell: RFC 4180 quoting and formula guarding', () => {
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(12), '12');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('-2'), "'-2");
  assert.equal(csvCell('line\nbreak'), 'line\\nbreak');
});

test('safeJson escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
  const value = { s: 'a\u0085b\u009b\u2028\u202e\u001b' };
  const text = safeJson(value);
  assert.doesNotMatch(text, RAW_CONTROL);
  assert.deepEqual(JSON.parse(text), value);
});

test('shouldColor: TTY only, NO_COLOR (non-empty) and FORCE_COLOR=0 switch it off', () => {
  assert.equal(shouldColor(true, {}), true);
  assert.equal(shouldColor(false, {}), false);
  assert.equal(shouldColor(undefined, {}), false);
  assert.equal(shouldColor(true, { NO_COLOR: '1' }), false);
  assert.equal(shouldColor(true, { NO_COLOR: '' }), true);
  assert.equal(shouldColor(true, { FORCE_COLOR: '0' }), false);
  assert.equal(shouldColor(false, { FORCE_COLOR: '1' }), true);
  assert.equal(shouldColor(false, { FORCE_COLOR: '1', NO_COLOR: 'x' }), false);
  assert.equal(shouldColor(true, { TERM: 'dumb' }), false);
});

test('the table pads columns, cuts long values, and colours only when asked', () => {
  const results = ['Cisco-CP-8841-3PCC/11.0 (00562b043615)', `x${'y'.repeat(200)}`].map(
    parseUserAgent,
  );
  const plain = formatUserAgentsTable(results);
  assert.ok(!plain.includes('\u001b'));
  const rows = plain.trimEnd().split('\n');
  assert.equal(rows.length, 3);
  assert.ok((rows[2] ?? '').endsWith('…'));
  assert.equal(rows[1]?.indexOf('8841'), rows[0]?.indexOf('MODEL'), 'columns line up');
  assert.ok(formatUserAgentsTable(results, { color: true }).includes('\u001b['));
});

const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({
    unit: fc.constantFrom(
      '\u001b',
      '[',
      '3',
      '1',
      'm',
      '\u009b',
      '\u202e',
      '\u2028',
      '\n',
      '"',
      ',',
      '=',
      'a',
      '\ud800',
    ),
    maxLength: 40,
  }),
);

test('fuzz: no formatter output ever holds a raw control or bidi character', () => {
  fc.assert(
    fc.property(fc.array(anyString, { minLength: 1, maxLength: 5 }), (uas) => {
      const results = uas.map(parseUserAgent);
      for (const out of [
        formatUserAgentsTable(results),
        formatUserAgentsCsv(results),
        formatUserAgentsJson(results),
      ]) {
        assert.doesNotMatch(out, RAW_CONTROL);
      }
      const lines = uas.map(
        (ua) =>
          `1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] "GET /${ua.replaceAll('"', '')} HTTP/1.1" 200 1 "-" "${ua.replaceAll('"', '\\"')}"`,
      );
      const summary = summarizeAccessLog(lines, { allClients: true });
      for (const out of [formatLogTable(summary), formatLogCsv(summary), formatLogJson(summary)]) {
        assert.doesNotMatch(out, RAW_CONTROL);
      }
    }),
    { numRuns: 500 },
  );
});

test('fuzz: JSON Lines parse back to exactly the parsed objects', () => {
  fc.assert(
    fc.property(fc.array(anyString, { minLength: 1, maxLength: 5 }), (uas) => {
      const results = uas.map(parseUserAgent);
      const lines = formatUserAgentsJson(results).split('\n');
      assert.equal(lines.pop(), '');
      assert.deepEqual(
        lines.map((l) => JSON.parse(l)),
        JSON.parse(JSON.stringify(results)),
      );
    }),
    { numRuns: 500 },
  );
});
