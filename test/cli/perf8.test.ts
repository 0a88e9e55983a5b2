/**
 * perf8 (issue 12): the faster paths of `inspect --log` and `validate` read the same as before.
 * - inspect --log reads a plain file 64 KiB at a time into one buffer: lines, CRLFs and UTF-8
 *   sequences cut by a chunk's end must give the summary the lines give one by one.
 * - validate's XML scanner checks an element's attributes for repeats in linear time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { summarizeAccessLog } from '../../src/device/access-log.js';
import { validateProfileText } from '../../src/validate/index.js';

const dir = testDirectory('cisco-prov-perf8-');
const CHUNK = 64 * 1024;

/** A combined-format line of `phone` (one of a few models; some with a non-ASCII User-Agent). */
function logLine(i: number): string {
  const phone = i % 37;
  const mac = `00562b04${phone.toString(16).padStart(4, '0')}`;
  const second = String(i % 60).padStart(2, '0');
  const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
  const status = [200, 200, 404, 401, 302, 500][i % 6];
  const ua =
    phone % 5 === 0
      ? `Cisco-CP-8851-3PCC/12.0.${phone % 3} (${mac})`
      : phone % 7 === 0
        ? 'Mozilla/5.0 (X11; Linux x86_64) naïve'
        : `Cisco-CP-${['8841', '7841', '6871'][phone % 3]}-3PCC/11.3.${i % 2} (${mac})`;
  const query = i % 11 === 0 ? '?mac=1&pwd=hunter2' : '';
  const folder = phone % 5 === 0 ? 'café-✓' : 'cfg';
  return `10.0.0.${phone} - - [25/Nov/2026:10:${minute}:${second} +0000] "GET /${folder}/${mac}.xml${query} HTTP/1.1" ${status} 512 "-" "${ua}"`;
}

/**
 * Lines (LF, every fourth CRLF), one of them padded before each chunk's end so that the cut
 * falls inside a 4-byte UTF-8 sequence (first chunk), between CR and LF (second) and just after
 * a line's LF (third).
 */
function makeLog(): { bytes: Buffer; lines: string[] } {
  const lines: string[] = [];
  const parts: Buffer[] = [];
  let size = 0;
  const push = (line: string, end: string): void => {
    const bytes = Buffer.from(line + end);
    parts.push(bytes);
    lines.push(line);
    size += bytes.length;
  };
  // Phones 00562b04f000…f002 (one per cut) ask for a path padded to put the cut in place.
  const padded = (pad: number, n: number): string =>
    `10.0.0.1 - - [25/Nov/2026:11:00:00 +0000] "GET /cfg/${'x'.repeat(pad)}𝄞/00562b04f00${n}.xml HTTP/1.1" 200 512 "-" "Cisco-CP-8851-3PCC/12.0.1 (00562b04f00${n})"`;
  const bytesTo = (line: string, what: string): number =>
    Buffer.byteLength(line.slice(0, line.indexOf(what)));
  const cuts: { boundary: number; end: string; at: (line: string) => number }[] = [
    // Where, in the line's bytes, the chunk's end must fall.
    { boundary: CHUNK, end: '\n', at: (line) => bytesTo(line, '𝄞') + 2 }, // inside 𝄞
    { boundary: 2 * CHUNK, end: '\r\n', at: (line) => Buffer.byteLength(line) + 1 }, // CR | LF
    { boundary: 3 * CHUNK, end: '\n', at: (line) => Buffer.byteLength(line) + 1 }, // after LF
  ];
  for (let i = 0; size < 5 * CHUNK; i++) {
    const cut = cuts[0];
    if (cut !== undefined && cut.boundary - size < 600) {
      const n = 3 - cuts.length;
      const pad = cut.boundary - size - cut.at(padded(0, n));
      push(padded(pad, n), cut.end);
      cuts.shift();
    } else push(logLine(i), i % 4 === 0 ? '\r\n' : '\n');
  }
  return { bytes: Buffer.concat(parts), lines };
}

test('inspect --log reads a file of many 64 KiB chunks as its lines one by one', async () => {
  const { bytes, lines } = makeLog();
  // The cuts the log was built for.
  assert.equal(bytes.subarray(CHUNK - 2, CHUNK + 2).toString('utf8'), '𝄞');
  assert.equal(bytes.subarray(2 * CHUNK - 1, 2 * CHUNK + 1).toString('latin1'), '\r\n');
  assert.equal(bytes[3 * CHUNK - 1], 0x0a);
  const path = dir.path('chunks.log');
  writeFileSync(path, bytes);
  const r = await runCli(['inspect', '--log', path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const expected = JSON.parse(JSON.stringify(summarizeAccessLog(lines)));
  assert.deepEqual(JSON.parse(r.stdout), expected);
  assert.ok(expected.lines.phone > 1000, String(expected.lines.phone));
  assert.ok(expected.phones.length > 20, String(expected.phones.length));
  // The cut sequences were read whole.
  const paths = new Map(
    expected.phones.map((p: { mac: string; lastPath: string }) => [p.mac, p.lastPath]),
  );
  for (const n of [0, 1, 2]) assert.match(String(paths.get(`00562b04f00${n}`)), /x𝄞\/00562b04f00/);
  assert.ok(expected.phones.some((p: { lastPath: string }) => p.lastPath.startsWith('/café-✓/')));
  assert.doesNotMatch(r.stdout, /\uFFFD|hunter2/);
});

test('300,000 attributes on one element: validated in linear time, a repeat at the end found', () => {
  // Linear: ≈ 1 s of CPU on the shared 2-core box (2026-12-01). A scan of the names read so far
  // per attribute (quadratic) took 26 s for 200,000 there and would take ≈ 60 s for 300,000: the
  // bound is 15 s of this process's CPU time, generous for a slow machine, far below quadratic.
  const n = 300_000;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(` a${i}="1"`);
  const text = `<flat-profile>\n<Station_Name${parts.join('')} a7="2">x</Station_Name>\n</flat-profile>\n`;
  const start = process.cpuUsage();
  const diagnostics = validateProfileText(text, { file: 'p.xml' });
  const used = process.cpuUsage(start);
  const seconds = (used.user + used.system) / 1e6;
  assert.equal(diagnostics[0]?.ruleId, 'xml-well-formed');
  assert.match(diagnostics[0]?.message ?? '', /attribute a7 is repeated in <Station_Name>/);
  assert.ok(seconds < 15, `${seconds.toFixed(1)} s of CPU for ${n} attributes`);
});
