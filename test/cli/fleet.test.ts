// `fleet` end to end: the built CLI writes the page from a log file, stdin or gzip, and refuses
// bad options with one line and exit 2 (a missing log: exit 3).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';

const LOG = 'test/fixtures/fleet/access.log';
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-fleet-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('fleet', () => {
  test('-o writes one HTML page; stdin and a gzipped log give the same page', async () => {
    const out = join(dir, 'fleet.html');
    const args = ['fleet', '--log', LOG, '--now', '2026-11-25T10:00:00Z'];
    const run = await runCli([...args, '-o', out]);
    assert.deepEqual([run.code, run.stdout, run.stderr], [0, '', '']);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.equal((html.match(/<tr class="phone">/g) ?? []).length, 7);
    assert.ok(statSync(out).size < 100_000);
    const piped = await runCli(['fleet', '--log', '-', '--now', '2026-11-25T10:00:00Z'], {
      input: readFileSync(join(ROOT, LOG)),
    });
    assert.equal(piped.stdout, html.replace(`From ${LOG}`, 'From &lt;stdin&gt;'));
    const gz = join(dir, 'access.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(ROOT, LOG))));
    const zipped = await runCli(['fleet', '--log', gz, '--now', '2026-11-25T10:00:00Z']);
    assert.equal(zipped.code, 0, zipped.stderr);
    assert.equal((zipped.stdout.match(/<tr class="phone">/g) ?? []).length, 7);
  });

  test('--history limits the requests shown per phone', async () => {
    const run = await runCli(['fleet', '--log', LOG, '--history', '1']);
    assert.equal(run.code, 0, run.stderr);
    // 00562b043616 made three requests; only the latest (08:11, 404) is listed.
    const details =
      /<tr class="details" id="d4">([\s\S]*?)<\/tr>\s*<\/tbody>/.exec(run.stdout)?.[1] ?? '';
    assert.equal((details.match(/<tr><td>2026-11-25/g) ?? []).length, 1);
    assert.match(details, /2026-11-25 08:11:00Z/);
  });

  test('a log without phones: the page says so, a warning too', async () => {
    const run = await runCli(['fleet', '--log', '-'], {
      input: '192.0.2.7 - - [25/Nov/2026:09:33:00 +0000] "GET / HTTP/1.1" 200 612\n',
    });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /No phone has asked yet/);
    assert.match(run.stderr, /no request from a Cisco phone/);
  });

  test('--reports before the first phone reported: the page still, a note (unlike drift)', async () => {
    const reports = mkdtempSync(join(dir, 'reports-'));
    const run = await runCli([
      'fleet',
      '--log',
      LOG,
      '--reports',
      reports,
      '-i',
      'test/fixtures/drift/inventory.csv',
      '-t',
      'test/fixtures/drift/templates',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^<!DOCTYPE html>/);
    assert.match(run.stderr, /no report files found\n/);
  });

  const BAD: [string, string[], number, RegExp][] = [
    ['a missing log', ['--log', 'absent.log'], 3, /cannot read absent\.log: no such file/],
    [
      '--reports without --inventory',
      ['--log', LOG, '--reports', 'x'],
      2,
      /--reports needs --inventory/,
    ],
    ['a bad --now', ['--log', LOG, '--now', 'yesterday'], 2, /--now expected an ISO 8601 time/],
    [
      'a bad --resync-periodic',
      ['--log', LOG, '--resync-periodic', 'hourly'],
      2,
      /--resync-periodic expected seconds/,
    ],
    ['a bad --grace', ['--log', LOG, '--grace', '-1'], 2, /--grace expected an integer/],
  ];
  for (const [what, args, code, message] of BAD) {
    test(`${what}: exit ${code}, one line`, async () => {
      const run = await runCli(['fleet', ...args]);
      assert.equal(run.code, code, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }
});

test('serve without --fleet has no /fleet (404)', async () => {
  const server = spawn(
    process.execPath,
    [BIN, 'serve', '-i', 'test/fixtures/drift/inventory.csv', '--port', '0', '--no-watch'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let err = '';
      server.stderr.on('data', (c: Buffer) => {
        err += c.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    const status = await new Promise<number>((resolve, reject) => {
      get(`${base}/fleet`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(status, 404);
  } finally {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
});
