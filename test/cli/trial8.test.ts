/**
 * trial8: a telephony admin who just found cisco-prov tries it from the README — inspect,
 * models, param, keygen, rule, fetch against a local server, diff, convert, drift, fleet and the
 * output formatters — spawned as a user runs it. Each test is a defect found on that trial.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { startServer } from '../helpers/http-server.js';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-trial8-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const UA = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';

test('fetch: an https:// URL at a plain-HTTP port says so, not only "failed: EPROTO"', async () => {
  const server = await startServer((_req, res) => {
    res.end('<flat-profile/>');
  });
  try {
    const r = await runCli(['fetch', `https://127.0.0.1:${server.port}/$MA.xml`, '--ua', UA]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /outcome {2}C /);
    assert.match(r.stdout, /did not answer in TLS \(EPROTO\): is it plain HTTP\?/);
    assert.doesNotMatch(r.stdout + r.stderr, /ssl3_get_record|\.c:\d+/);
  } finally {
    await server.close();
  }
});

test('fleet: --inventory, --template or a --key… without --reports is a usage error (was ignored: a page without drift, exit 0)', async () => {
  const log = join(dir, 'fleet-access.log');
  writeFileSync(
    log,
    `10.0.0.10 - - [25/Nov/2026:09:00:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 2048 "-" "${UA}"\n`,
  );
  const page = join(dir, 'fleet.html');
  const r = await runCli([
    'fleet',
    '--log',
    log,
    '-i',
    'examples/inventory.csv',
    '-t',
    'templates',
    '-o',
    page,
  ]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^cisco-prov: --inventory, --template only apply with --reports/);
  assert.equal(existsSync(page), false);
  const k = await runCli(['fleet', '--log', log, '--key-env', 'PROV_KEY', '-o', page]);
  assert.equal(k.code, 2, k.stderr);
  assert.match(k.stderr, /--key-env only applies with --reports/);
  // Without the drift options the page is written, as before.
  const ok = await runCli(['fleet', '--log', log, '-o', page]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(existsSync(page), true);
});

test('fleet: --reports without --inventory is refused before the log is read (a usage error, not the log’s I/O error)', async () => {
  const r = await runCli([
    'fleet',
    '--log',
    join(dir, 'no-such-access.log'),
    '--reports',
    dir,
    '-o',
    join(dir, 'never.html'),
  ]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--reports needs --inventory/);
});

test('models: --sources with --format csv is a usage error (the sources were silently dropped, exit 0)', async () => {
  const r = await runCli(['models', '8851', '--format', 'csv', '--sources']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^cisco-prov: --sources lists the sources under the table; CSV has no place for them\n {2}hint: --json/,
  );
  // The table and JSON keep them; plain CSV still works.
  const table = await runCli(['models', '8851', '--sources']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /\n8851 \(CP-8851-3PCC\)\n {2}row: /);
  const json = await runCli(['models', '8851', '--json', '--sources']);
  assert.equal(json.code, 0, json.stderr);
  assert.ok((JSON.parse(json.stdout) as { sources: object }[])[0]!.sources);
  const csv = await runCli(['models', '8851', '--format', 'csv']);
  assert.equal(csv.code, 0, csv.stderr);
  assert.match(csv.stdout, /^model,productName,/);
});

test('diff: one difference is "1 parameter differs", not "1 parameter differ"', async () => {
  const a = join(dir, 'one-a.xml');
  const b = join(dir, 'one-b.xml');
  writeFileSync(a, '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n</flat-profile>\n');
  writeFileSync(b, '<flat-profile>\n  <Station_Name>Front desk</Station_Name>\n</flat-profile>\n');
  const r = await runCli(['diff', a, b]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /\n1 parameter differs: 0 removed, 0 added, 1 changed\n$/);
});

test('rule check: coloured as validate colours the same layout (FORCE_COLOR), plain with NO_COLOR', async () => {
  const rule = '/cfg/$ZZZ.cfg | ftp://x/a';
  const colour = await runCli(['rule', 'check', rule], {
    env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
  });
  assert.equal(colour.code, 1, colour.stderr);
  assert.ok(colour.stdout.includes('\u001b[31merror\u001b[39m'), colour.stdout);
  const expand = await runCli(['rule', 'expand', rule], {
    env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
  });
  assert.equal(expand.code, 1);
  assert.ok(expand.stderr.includes('\u001b[31merror\u001b[39m'), expand.stderr);
  const plain = await runCli(['rule', 'check', rule], {
    env: { NO_COLOR: '1', FORCE_COLOR: '1' },
  });
  assert.equal(plain.code, 1);
  assert.ok(!plain.stdout.includes('\u001b'), plain.stdout);
  assert.match(plain.stdout, /^ {2}1:17 {2}error {2}unsupported scheme 'ftp'/m);
});

test('inspect --log - and fleet --log -: a gzipped log piped in is read as the log (as a .gz file is), not as text that matches no line', async () => {
  const log = [
    `10.0.0.10 - - [25/Nov/2026:09:00:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 2048 "-" "${UA}"`,
    '10.0.0.20 - - [25/Nov/2026:09:07:00 +0000] "GET /ata191.cfg HTTP/1.1" 404 0 "-" "Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)"',
    '',
  ].join('\n');
  const gz = gzipSync(log);
  const r = await runCli(['inspect', '--log', '-', '--json'], { input: gz });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { lines: { phone: number }; outcomes: object };
  assert.equal(doc.lines.phone, 2);
  assert.deepEqual(doc.outcomes, { A: 1, B: 1, C: 0, none: 0 });
  const page = join(dir, 'fleet-gz.html');
  const f = await runCli(['fleet', '--log', '-', '-o', page], { input: gz });
  assert.equal(f.code, 0, f.stderr);
  assert.match(readFileSync(page, 'utf8'), /FCH2443D9R4/);
  // A damaged one is the .gz file's error (exit 3), and plain text still passes as before.
  const cut = await runCli(['inspect', '--log', '-'], { input: gz.subarray(0, 40) });
  assert.equal(cut.code, 3);
  assert.match(cut.stderr, /^cisco-prov: cannot read <stdin>: corrupt gzip data/);
  const plain = await runCli(['inspect', '--log', '-', '--json'], { input: log });
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(JSON.parse(plain.stdout), doc);
});

test('inspect --log / fleet --log: a named pipe or <(zcat …) is read in order, gzip or not (was "unexpected failure: ESPIPE", exit 3)', async () => {
  const log = join(dir, 'pipe-access.log');
  writeFileSync(
    log,
    `10.0.0.10 - - [25/Nov/2026:09:00:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 2048 "-" "${UA}"\n`,
  );
  writeFileSync(`${log}.gz`, gzipSync(readFileSync(log)));
  const feed = (file: string, fifo: string): Promise<void> => {
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', file, fifo], { stdio: 'ignore' });
    return new Promise((done) => writer.on('close', () => done()));
  };
  for (const [file, name] of [
    [log, 'plain'],
    [`${log}.gz`, 'gzip'],
  ] as const) {
    const fifo = join(dir, `inspect-${name}.fifo`);
    const fed = feed(file, fifo);
    const r = await runCli(['inspect', '--log', fifo, '--json']);
    await fed;
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.equal((JSON.parse(r.stdout) as { lines: { phone: number } }).lines.phone, 1);
    const ffifo = join(dir, `fleet-${name}.fifo`);
    const ffed = feed(file, ffifo);
    const page = join(dir, `fleet-${name}.html`);
    const f = await runCli(['fleet', '--log', ffifo, '-o', page]);
    await ffed;
    assert.equal(f.code, 0, `${name}: ${f.stderr}`);
    assert.match(readFileSync(page, 'utf8'), /00562b043615/);
  }
});
