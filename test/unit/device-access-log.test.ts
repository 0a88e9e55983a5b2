/**
 * Access-log parsing (common and combined formats), the §5 status → outcome table, and the
 * per-phone summary over the fixtures in test/fixtures/logs/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { assertLinear } from '../helpers/timing.js';
import {
  AccessLogAggregator,
  outcomeForStatus,
  parseAccessLogLine,
  parseClfTime,
  summarizeAccessLog,
  type PhoneSummary,
} from '../../src/device/access-log.js';

const fixture = (name: string): string[] => {
  const text = readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url), 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

const byKey = (phones: PhoneSummary[], key: string): PhoneSummary => {
  const row = phones.find((p) => p.key === key);
  assert.ok(row, `no row for ${key}`);
  return row;
};

test('a combined-format line, field by field', () => {
  const line =
    '10.0.0.10 - prov [25/Nov/2026:10:00:00 +0100] "GET /cfg/00562b043615.xml HTTP/1.1" 200 8192 "http://x/" "Cisco-CP-8841-3PCC/11.0 (00562b043615)"';
  assert.deepEqual(parseAccessLogLine(line), {
    format: 'combined',
    address: '10.0.0.10',
    ident: null,
    user: 'prov',
    time: '25/Nov/2026:10:00:00 +0100',
    timestamp: Date.parse('2026-11-25T09:00:00Z'),
    request: 'GET /cfg/00562b043615.xml HTTP/1.1',
    method: 'GET',
    path: '/cfg/00562b043615.xml',
    protocol: 'HTTP/1.1',
    status: 200,
    bytes: 8192,
    referer: 'http://x/',
    userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
  });
});

test('a common-format line has no referer or User-Agent; "-" fields are null', () => {
  const e = parseAccessLogLine(
    '::1 ident - [01/Jan/2026:00:00:00 -0530] "POST /report HTTP/1.0" - -',
  );
  assert.ok(e);
  assert.equal(e.format, 'common');
  assert.equal(e.address, '::1');
  assert.equal(e.ident, 'ident');
  assert.equal(e.user, null);
  assert.equal(e.status, null);
  assert.equal(e.bytes, null);
  assert.equal(e.userAgent, null);
  assert.equal(e.timestamp, Date.parse('2026-01-01T05:30:00Z'));
});

test('escapes inside quoted fields are undone (Apache \\" \\\\ \\xhh, nginx \\xHH)', () => {
  const e = parseAccessLogLine(
    String.raw`1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] "GET /a\x22b HTTP/1.1" 200 1 "-" "say \"hi\" \\ \xe9"`,
  );
  assert.ok(e);
  assert.equal(e.path, '/a"b');
  // Bytes above 0x7f are halves of UTF-8 sequences: they stay escaped.
  assert.equal(e.userAgent, 'say "hi" \\ \\xe9');
});

test('a request line without a protocol, or without a method, keeps what it has', () => {
  const e1 = parseAccessLogLine('1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] "GET /x" 200 1');
  assert.equal(e1?.method, 'GET');
  assert.equal(e1?.path, '/x');
  assert.equal(e1?.protocol, null);
  const e2 = parseAccessLogLine('1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] "-" 400 0');
  assert.equal(e2?.method, null);
  assert.equal(e2?.path, null);
});

test('lines that are neither format give null', () => {
  const bad = [
    '',
    'garbage',
    '1.2.3.4',
    '1.2.3.4 - - 25/Nov/2026:10:00:00 +0000 "GET / HTTP/1.1" 200 1',
    '1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] GET / HTTP/1.1 200 1',
    '1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1 200 1',
    '1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" OK 1',
    '1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 2000 1',
    '1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200',
    '1.2.3.4 - - [25/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12k',
    '1.2.3.4 - - [25/Nov/2026:10:00:00 +0000 "GET / HTTP/1.1" 200 1',
  ];
  for (const line of bad) assert.equal(parseAccessLogLine(line), null, line);
});

test('CLF times: offsets applied, malformed or out-of-range times are null', () => {
  assert.equal(parseClfTime('10/Oct/2000:13:55:36 -0700'), Date.parse('2000-10-10T20:55:36Z'));
  assert.equal(parseClfTime('29/Feb/2024:00:00:00 +0000'), Date.parse('2024-02-29T00:00:00Z'));
  for (const t of [
    '',
    '10/Oct/2000:13:55:36',
    '10/Foo/2000:13:55:36 -0700',
    '32/Oct/2000:13:55:36 -0700',
    '10/Oct/2000:24:00:00 -0700',
    '10/Oct/2000:13:55:36 *0700',
    '1O/Oct/2000:13:55:36 -0700',
  ]) {
    assert.equal(parseClfTime(t), null, t);
  }
});

test('reference §5: what the phone does with each status', () => {
  const table: [number | null, string | null][] = [
    [200, 'A'],
    [301, null],
    [302, null],
    [303, 'C'],
    [304, 'C'],
    [400, 'C'],
    [401, null],
    [403, 'C'],
    [404, 'B'],
    [407, null],
    [410, 'C'],
    [500, 'C'],
    [503, 'C'],
    [599, 'C'],
    [204, null],
    [100, null],
    [null, null],
  ];
  for (const [status, outcome] of table) {
    assert.equal(outcomeForStatus(status).outcome, outcome, String(status));
  }
  assert.equal(outcomeForStatus(404, { fnfIsSuccess: true }).outcome, 'A');
});

test('combined.log: one row per phone, keyed by MAC, else serial, else address', () => {
  const s = summarizeAccessLog(fixture('combined.log'));
  assert.deepEqual(s.lines, {
    total: 17,
    blank: 1,
    malformed: 1,
    phone: 13,
    other: 2,
    combined: 15,
    common: 0,
    // JSON access-log records (none in a text log).
    json: 0,
  });
  assert.deepEqual(
    s.phones.map((p) => [p.model, p.keyKind, p.key, p.requests, p.outcome]),
    [
      ['6841', 'mac', 'aabbccddeeff', 2, 'A'],
      ['7832', 'mac', '001122334455', 3, 'C'],
      ['8841', 'mac', '00562b043615', 4, 'A'],
      ['8851', 'address', '10.0.0.30', 1, null],
      ['8865', 'mac', 'dcf719f39350', 2, 'B'],
      ['ATA191', 'serial', 'FCH2443D9R4', 1, 'C'],
    ],
  );
  assert.deepEqual(s.outcomes, { A: 2, B: 1, C: 2, none: 1 });
});

test('combined.log: the 8841 row in full (out-of-order line: last request is the latest in time)', () => {
  const s = summarizeAccessLog(fixture('combined.log'));
  assert.deepEqual(byKey(s.phones, '00562b043615'), {
    key: '00562b043615',
    keyKind: 'mac',
    mac: '00562b043615',
    serial: null,
    address: '10.0.0.10',
    vendor: 'Cisco',
    family: 'mpp',
    productName: 'CP-8841-3PCC',
    model: '8841',
    series: '8800',
    firmware: '11.0',
    firmwares: ['11.0'],
    userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
    requests: 4,
    firstSeen: '2026-11-25T08:59:59.000Z',
    lastSeen: '2026-11-25T10:00:00.000Z',
    lastMethod: 'GET',
    lastPath: '/cfg/00562b043615.xml',
    lastStatus: 200,
    statusCounts: { '200': 2, '403': 1, '404': 1 },
    outcome: 'A',
    outcomeReason: 'success: next resync after Resync_Periodic',
  });
});

test('combined.log: firmware change, exhausted auth retries, pending redirect', () => {
  const s = summarizeAccessLog(fixture('combined.log'));
  const upgraded = byKey(s.phones, 'dcf719f39350');
  assert.deepEqual(upgraded.firmwares, ['12.0.3', '12.0.4']);
  assert.equal(upgraded.firmware, '12.0.4');
  assert.match(byKey(s.phones, '001122334455').outcomeReason, /3 auth challenges/);
  assert.equal(byKey(s.phones, 'aabbccddeeff').outcome, 'A'); // 401 then 200: the retry worked
  assert.match(byKey(s.phones, '10.0.0.30').outcomeReason, /redirect/);
  assert.equal(s.byModel.length, 6);
  assert.ok(s.byModel.every((m) => m.phones === 1));
  assert.deepEqual(
    s.byFirmware.find((f) => f.model === '8865'),
    { model: '8865', firmware: '12.0.4', phones: 1 },
  );
});

test('--fnf-success turns a final 404 into A', () => {
  const s = summarizeAccessLog(fixture('combined.log'), { fnfIsSuccess: true });
  assert.equal(byKey(s.phones, 'dcf719f39350').outcome, 'A');
  assert.deepEqual(s.outcomes, { A: 3, B: 0, C: 2, none: 1 });
});

test('common.log: no User-Agent, so no phones; with allClients one row per address', () => {
  const s = summarizeAccessLog(fixture('common.log'));
  assert.equal(s.lines.common, 15);
  assert.equal(s.lines.phone, 0);
  assert.equal(s.phones.length, 0);
  const all = summarizeAccessLog(fixture('common.log'), { allClients: true });
  assert.deepEqual(
    all.phones.map((p) => p.key),
    [
      '10.0.0.10',
      '10.0.0.11',
      '10.0.0.12',
      '10.0.0.20',
      '10.0.0.30',
      '10.0.0.40',
      '192.0.2.7',
      '192.0.2.8',
    ],
  );
  const first = byKey(all.phones, '10.0.0.10');
  assert.equal(first.requests, 4);
  assert.equal(first.outcome, 'A');
  assert.equal(first.model, null);
  assert.equal(all.byModel.length, 0, 'clients without a User-Agent have no model');
});

test('hostile.log: escapes, CRLF, a 100 kB line, an unreadable time, non-phone UAs', () => {
  const s = summarizeAccessLog(fixture('hostile.log'));
  assert.deepEqual(s.lines, {
    total: 7,
    blank: 0,
    malformed: 0,
    phone: 2,
    other: 5,
    combined: 7,
    common: 0,
    json: 0,
  });
  assert.deepEqual(
    s.phones.map((p) => [p.model, p.key, p.outcome, p.firstSeen]),
    [
      ['7841', '001122aabb01', 'A', null],
      ['8861', 'aabbccddee01', 'A', '2026-11-25T11:00:03.000Z'],
    ],
  );
  const all = summarizeAccessLog(fixture('hostile.log'), { allClients: true });
  const scanner = byKey(all.phones, '198.51.100.1');
  assert.equal(scanner.lastPath, '/\u001b[2J\u001b[31mowned', 'Apache \\x escapes are decoded');
  assert.equal(scanner.userAgent, 'Mozilla/5.0 "quoted" \\ backslash');
});

test('fuzz: parseAccessLogLine and the aggregator never throw', () => {
  const logish = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc
      .tuple(
        fc.constantFrom(...fixture('combined.log'), ...fixture('hostile.log').slice(0, 4)),
        fc.nat(),
        fc.string({ unit: 'binary', maxLength: 8 }),
      )
      .map(
        ([line, at, insert]) =>
          line.slice(0, at % (line.length + 1)) + insert + line.slice(at % (line.length + 1)),
      ),
  );
  fc.assert(
    fc.property(fc.array(logish, { maxLength: 20 }), (lines) => {
      for (const line of lines) {
        const e = parseAccessLogLine(line);
        if (e) {
          assert.ok(e.status === null || (e.status >= 100 && e.status <= 999));
          assert.equal(typeof e.address, 'string');
        }
      }
      const s = summarizeAccessLog(lines, { allClients: true });
      assert.equal(s.lines.total, lines.length);
      assert.equal(
        s.lines.blank + s.lines.malformed + s.lines.phone + s.lines.other,
        s.lines.total,
      );
      assert.equal(
        s.phones.reduce((n, p) => n + p.requests, 0),
        s.lines.phone + s.lines.other,
      );
    }),
    { numRuns: 1000 },
  );
});

/** Lines of a stream as `inspect --log` reads them: split on LF, one trailing CR dropped. */
function streamLines(text: string): string[] {
  const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  const parts = text.split('\n');
  const last = stripCr(parts.pop() ?? '');
  const lines = parts.map(stripCr);
  if (last !== '') lines.push(last);
  return lines;
}

const anyFixtureLine = fc.constantFrom(
  ...fixture('combined.log'),
  ...fixture('common.log'),
  ...fixture('hostile.log').filter((line) => line.length < 1000),
  '',
  '   ',
  '\r',
);

test('addText: any cut of a log into chunks gives the summary of its lines', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(anyFixtureLine, fc.constantFrom('\n', '\r\n')), { maxLength: 30 }),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 8 }),
      (lines, finalNewline, cuts) => {
        let text = lines.map(([line, end]) => line + end).join('');
        if (!finalNewline && text.endsWith('\n')) text = text.slice(0, -1);
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const aggregator = new AccessLogAggregator({ allClients: true });
        let from = 0;
        for (const cut of [...at, text.length]) {
          aggregator.addText(text.slice(from, cut));
          from = cut;
        }
        aggregator.end();
        const expected = summarizeAccessLog(streamLines(text), { allClients: true });
        assert.deepEqual(aggregator.summary(), expected);
      },
    ),
    { numRuns: 500 },
  );
});

test('the row of one line holds what parseAccessLogLine reads from it', () => {
  const logish = fc.oneof(
    anyFixtureLine,
    fc
      .tuple(anyFixtureLine, fc.nat(), fc.constantFrom(' ', '"', '\\', '[', ']', '-', '\\x41'))
      .map(([line, at, insert]) => {
        const i = at % (line.length + 1);
        return line.slice(0, i) + insert + line.slice(i);
      }),
  );
  fc.assert(
    fc.property(logish, (line) => {
      const entry = parseAccessLogLine(line);
      const summary = summarizeAccessLog([line], { allClients: true });
      if (entry === null || line.trim() === '') {
        assert.equal(summary.phones.length, 0);
        return;
      }
      const row = summary.phones[0];
      assert.ok(row);
      assert.equal(row.address, entry.address);
      assert.equal(row.lastMethod, entry.method);
      assert.equal(row.lastPath, entry.path);
      assert.equal(row.lastStatus, entry.status);
      assert.equal(row.userAgent, entry.userAgent);
      assert.equal(
        row.firstSeen,
        entry.timestamp === null ? null : new Date(entry.timestamp).toISOString(),
      );
    }),
    { numRuns: 2000 },
  );
});

test('addText is linear on lines that lack what the scanner looks for', () => {
  // Each kind of line lacks a character the scanner searches for (space, " [", "]", the
  // closing quote); read in place from one string, a search for it must not run to the end
  // of the text for every line.
  const hostile = [
    'abcdefghijklmnop',
    '10.0.0.1 - - 25/Nov/2026:10:00:00 +0000',
    '10.0.0.1 - - [25/Nov/2026:10:00:00 +0000',
    '10.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1 200 1',
    '10.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1" 200 1 "-" "unterminated',
  ];
  const result = assertLinear(
    'AccessLogAggregator#addText',
    // In blocks: a search from a line of one kind runs on to the next block.
    (n) => hostile.map((line) => `${line}\n`.repeat(n / hostile.length)).join(''),
    (text) => {
      const aggregator = new AccessLogAggregator();
      aggregator.addText(text);
      aggregator.end();
      // Every line but the last kind (read as common format: the User-Agent never closes).
      assert.equal(aggregator.summary().lines.malformed, ((text.split('\n').length - 1) * 4) / 5);
    },
    40_000,
  );
  assert.ok(result.ratio <= 3);
});
