/** The `inspect` and `models` commands in process: options in, data out, CliError for mistakes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { inspect, type InspectResult } from '../../src/commands/inspect.js';
import { models } from '../../src/commands/models.js';
import { CliError } from '../../src/errors.js';
import { summarizeAccessLog } from '../../src/device/access-log.js';

const LOG = new URL('../fixtures/logs/combined.log', import.meta.url);

function userAgents(result: InspectResult) {
  assert.equal(result.kind, 'user-agents');
  return result.kind === 'user-agents' ? result.results : [];
}

function summaryOf(result: InspectResult) {
  assert.equal(result.kind, 'log');
  if (result.kind !== 'log') throw new Error('not a log result');
  return result.summary;
}

async function rejectsWith(promise: Promise<unknown>, exitCode: number, message: RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof CliError, String(err));
    assert.equal(err.exitCode, exitCode);
    assert.match(err.message, message);
    return true;
  });
}

test('stdin lines are split across chunk boundaries, CRLF and UTF-8 included', async () => {
  const text =
    'Cisco-CP-8841-3PCC/11.0 (00562b043615)\r\nnaïve é\n\nCisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)';
  const bytes = Buffer.from(text, 'utf8');
  // Cut every 5 bytes: splits the MAC, the CRLF pair and the two-byte UTF-8 characters.
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 5) chunks.push(bytes.subarray(i, i + 5));
  const result = await inspect({ stdin: Readable.from(chunks) });
  const parsed = userAgents(result);
  assert.deepEqual(
    parsed.map((r) => [r.userAgent, r.model]),
    [
      ['Cisco-CP-8841-3PCC/11.0 (00562b043615)', '8841'],
      ['naïve é', null],
      ['Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)', 'ATA191'],
    ],
  );
});

test('a terminal on stdin with nothing to read is a usage error', async () => {
  const tty = Object.assign(Readable.from([]), { isTTY: true });
  await rejectsWith(inspect({ stdin: tty }), 2, /no User-Agent given and stdin is a terminal/);
  await rejectsWith(inspect({ log: '-', stdin: tty }), 2, /no log given and stdin is a terminal/);
});

test('empty stdin is nothing to inspect: exit 1, one line', async () => {
  await rejectsWith(inspect({ stdin: Readable.from([]) }), 1, /^<stdin>: no User-Agent to inspect/);
  // Blank lines only are as empty.
  await rejectsWith(inspect({ stdin: Readable.from(['\n  \r\n\n']) }), 1, /no User-Agent/);
});

test('an empty log, a blank one and one with no access-log line are exit 1, not an empty table', async () => {
  await rejectsWith(
    inspect({ log: '-', stdin: Readable.from([]) }),
    1,
    /^<stdin>: the log is empty/,
  );
  await rejectsWith(inspect({ log: '-', stdin: Readable.from(['\n\r\n']) }), 1, /log is empty/);
  await rejectsWith(
    inspect({ log: '-', stdin: Readable.from(['PHP Warning: x in y.php on line 3\n']) }),
    1,
    /^<stdin>: no line is in the common or combined log format$/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-inspect-'));
  try {
    writeFileSync(join(dir, 'access.log'), '');
    writeFileSync(join(dir, 'access.log.1.gz'), gzipSync(''));
    await rejectsWith(
      inspect({ log: 'access.log', cwd: dir }),
      1,
      /^access\.log: the log is empty/,
    );
    await rejectsWith(inspect({ log: 'access.log.1.gz', cwd: dir }), 1, /log is empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a relative --log is resolved against cwd; a gzipped log is read as is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-inspect-'));
  try {
    const plainText = readFileSync(LOG);
    writeFileSync(join(dir, 'access.log'), plainText);
    writeFileSync(join(dir, 'access.log.1.gz'), gzipSync(plainText));
    const plain = summaryOf(await inspect({ log: 'access.log', cwd: dir }));
    const gz = summaryOf(await inspect({ log: 'access.log.1.gz', cwd: dir }));
    assert.equal(plain.phones.length, 6);
    assert.deepEqual(gz, plain);

    writeFileSync(join(dir, 'broken.gz'), gzipSync(plainText).subarray(0, 200));
    await rejectsWith(
      inspect({ log: 'broken.gz', cwd: dir }),
      3,
      /^cannot read broken\.gz: corrupt gzip data \(unexpected end of file\)$/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('option mistakes are usage errors (exit 2)', async () => {
  await rejectsWith(inspect({ userAgents: ['x'], log: 'a.log' }), 2, /not both/);
  await rejectsWith(
    inspect({ userAgents: ['x'], allClients: true }),
    2,
    /--all-clients only applies with --log/,
  );
  await rejectsWith(
    inspect({ userAgents: ['x'], json: true, format: 'table' }),
    2,
    /--json conflicts/,
  );
  await rejectsWith(
    inspect({ userAgents: ['x'], format: 'yaml' as never }),
    2,
    /--format expected table, csv or json, got "yaml"/,
  );
});

test('models: all rows, one row by any spelling, unknown is a usage error', () => {
  assert.equal(models().models.length, 24);
  assert.equal(models({ model: 'CP-8865' }).models[0]?.model, '8865');
  assert.equal(models({ json: true }).format, 'json');
  assert.throws(
    () => models({ model: '7960' }),
    (err: unknown) =>
      err instanceof CliError && err.exitCode === 2 && /unknown model "7960"/.test(err.message),
  );
  assert.throws(() => models({ json: true, format: 'csv' }), /--json conflicts/);
});

test('a huge line without newlines is read in linear time, not re-split per chunk', async () => {
  const chunk = 'x'.repeat(64 * 1024);
  const chunks = [...Array.from({ length: 400 }, () => chunk), '\nCisco-CP-8841-3PCC/11.0\n'];
  const start = performance.now();
  const parsed = userAgents(await inspect({ stdin: Readable.from(chunks) }));
  assert.ok(performance.now() - start < 3000, 'took too long');
  assert.equal(parsed.length, 2);
  assert.equal(parsed[0]?.userAgent.length, 400 * 64 * 1024);
  assert.equal(parsed[0]?.isCisco, false);
  assert.equal(parsed[1]?.model, '8841');
});

test('--log: UTF-8 across the 1 MiB read boundary, between ASCII-only chunks, reads as UTF-8', async () => {
  // The reader copies ASCII-only chunks as Latin-1 and decodes the others as UTF-8: a
  // character split by the chunk boundary must still come out whole, and an ASCII-only chunk
  // after a dangling lead byte must not be read before the decoder has replaced that byte.
  const line = (i: number) =>
    `10.0.${i >> 8}.${i & 255} - - [25/Nov/2026:10:00:00 +0000] "GET /cfg/${i}.xml HTTP/1.1" 200 1 "-" "curl/8.5.0"\n`;
  const MiB = 1 << 20;
  const parts: Buffer[] = [];
  let size = 0;
  let i = 0;
  const push = (bytes: Buffer) => {
    parts.push(bytes);
    size += bytes.length;
  };
  /** Lines, then one line whose User-Agent puts `bytes` at the end of the chunk `chunkEnd`. */
  const fillTo = (chunkEnd: number, address: string, bytes: Buffer, tail: string) => {
    while (size < chunkEnd - 300) push(Buffer.from(line(i++)));
    const head = `${address} - - [25/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1" 200 1 "-" "`;
    const pad = chunkEnd - size - head.length - 1;
    push(Buffer.from(head + 'a'.repeat(pad)));
    push(bytes);
    push(Buffer.from(`${tail}"\n`));
  };
  fillTo(MiB, '10.0.9.9', Buffer.from('é'), ' naïve'); // é's two bytes straddle 1 MiB
  fillTo(2 * MiB, '10.0.9.8', Buffer.from([0xc3]), ''); // a lone lead byte ends chunk 2
  while (size < 3 * MiB + 5000) push(Buffer.from(line(i++))); // ASCII only from here
  const bytes = Buffer.concat(parts);
  assert.equal(bytes.subarray(MiB - 1, MiB + 1).toString(), 'é');
  assert.equal(bytes[2 * MiB - 1], 0xc3);
  const text = bytes.toString('utf8');
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-inspect-'));
  try {
    writeFileSync(join(dir, 'access.log'), bytes);
    const summary = summaryOf(await inspect({ log: 'access.log', cwd: dir, allClients: true }));
    assert.match(summary.phones.find((p) => p.key === '10.0.9.9')?.userAgent ?? '', /aé naïve$/);
    assert.match(summary.phones.find((p) => p.key === '10.0.9.8')?.userAgent ?? '', /a\ufffd$/);
    const lines = text.split('\n').slice(0, -1);
    assert.deepEqual(summary, summarizeAccessLog(lines, { allClients: true }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("'-' as the only User-Agent argument reads stdin, as every other command reads '-'", async () => {
  const stdin = Readable.from([Buffer.from('Cisco-CP-8841-3PCC/11.0 (00562b043615)\n')]);
  const parsed = userAgents(await inspect({ userAgents: ['-'], stdin }));
  assert.deepEqual(
    parsed.map((r) => [r.userAgent, r.mac]),
    [['Cisco-CP-8841-3PCC/11.0 (00562b043615)', '00562b043615']],
  );
  await rejectsWith(
    inspect({ userAgents: ['-', 'Cisco-CP-8841-3PCC/11.0'], stdin: Readable.from([]) }),
    2,
    /'-' \(read User-Agents from stdin\) cannot be mixed/,
  );
  // Beside --log, '-' is a second input, as any User-Agent argument is.
  await rejectsWith(
    inspect({ userAgents: ['-'], log: '-', stdin: Readable.from([]) }),
    2,
    /give User-Agents or --log, not both/,
  );
});
