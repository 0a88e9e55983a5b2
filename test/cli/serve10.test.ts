// What an operator running `cisco-prov serve` in production meets: plain HTTP at the HTTPS port,
// a health check with a phone's User-Agent on the fleet page, the order of the last log lines at
// shutdown, and symbolic links in the directories serve, drift and fleet read.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { httpRequest, startServe } from '../helpers/serve.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-serve10-');
const UA = (mac: string): string => `Cisco-CP-8841-3PCC/11.0 (${mac})`;
const INVENTORY =
  'mac,model,display_name,sip.proxy,lines.1.extension\n' +
  '00562b043615,8841,Reception,pbx.example.com,201\n' +
  '00562b043616,8841,Sales,pbx.example.com,202\n';

describe('serve --fleet: only provisioning requests are a phone’s', () => {
  test('/healthz and /fleet asked with a phone’s User-Agent do not put it on the page', async () => {
    const root = dir.fresh('fleet-healthz');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const server = await startServe(['-i', join(root, 'inventory.csv'), '--fleet']);
    try {
      const health = await httpRequest(server.port, '/healthz', {
        userAgent: UA('00562b043615'),
      });
      assert.equal(health.status, 200);
      const own = await httpRequest(server.port, '/fleet', { userAgent: UA('00562b043616') });
      assert.equal(own.status, 200);
      let page = (await httpRequest(server.port, '/fleet')).body.toString('utf8');
      assert.doesNotMatch(page, /00562b043615|00562b043616/, 'no phone has asked for a profile');
      // A profile request does count (the page does show phones).
      const profile = await httpRequest(server.port, '/00562b043615.xml', {
        userAgent: UA('00562b043615'),
      });
      assert.equal(profile.status, 200);
      page = (await httpRequest(server.port, '/fleet')).body.toString('utf8');
      assert.match(page, /00562b043615/);
      assert.doesNotMatch(page, /healthz/);
      assert.doesNotMatch(page, /00562b043616/);
    } finally {
      await server.stop();
    }
  });
});

/** A self-signed certificate for 127.0.0.1 in `root`: [cert, key] paths. */
function certificate(root: string): [string, string] {
  const cert = join(root, 'cert.pem');
  const key = join(root, 'key.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', key, '-out', cert, '-days', '2'],
      ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    ],
    { stdio: 'ignore' },
  );
  return [cert, key];
}

type Got = { status: number; body: string; headers: Record<string, unknown> };

function fetchOnce(
  get: typeof httpGet | typeof httpsGet,
  port: number,
  path: string,
  headers: Record<string, string>,
  ca?: Buffer,
): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = get(
      { host: '127.0.0.1', port, path, headers, agent: false, ...(ca ? { ca } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
  });
}

/** Resolves with the milliseconds until the server closes a connection that sends nothing. */
function silentConnection(port: number): { closed: Promise<number> } {
  const opened = Date.now();
  const socket = netConnect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.resume();
  return {
    closed: new Promise((resolve) => socket.on('close', () => resolve(Date.now() - opened))),
  };
}

describe('serve --tls-cert: plain HTTP at the HTTPS port', () => {
  test('gets 400 saying the port speaks HTTPS, logged; TLS on the same port is served', async () => {
    const root = dir.fresh('plain-at-tls');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const [cert, key] = certificate(root);
    const server = await startServe([
      ...['-i', join(root, 'inventory.csv'), '--tls-cert', cert, '--tls-key', key],
      ...['--trust-proxy', '127.0.0.1', '--header-timeout', '2'],
    ]);
    try {
      const ca = readFileSync(cert);
      const ua = { 'User-Agent': UA('00562b043615') };
      const tls = await fetchOnce(httpsGet, server.port, '/00562b043615.xml', ua, ca);
      assert.equal(tls.status, 200, tls.body);
      assert.match(tls.body, /<flat-profile>/);

      const plain = await fetchOnce(httpGet, server.port, '/00562b043615.xml?pwd=hunter2', {
        ...ua,
        'X-Forwarded-For': '10.1.2.3',
      });
      assert.equal(plain.status, 400);
      assert.match(plain.body, /the plain HTTP request was sent to HTTPS port/);
      assert.equal(plain.headers.connection, 'close');
      assert.doesNotMatch(plain.body, /flat-profile/);
      // The access log has the request (the phone's address, behind a trusted proxy; the
      // secret query value masked), stderr says why.
      await server.waitForStdout(/"GET \/00562b043615\.xml\?pwd=\*+ HTTP\/1\.1" 400 /);
      assert.match(server.stdout(), /^10\.1\.2\.3 - - .*" 400 /m);
      await server.waitForStderr(
        /serve: 400 GET \/00562b043615\.xml\?pwd=\*+: plain HTTP request sent to this HTTPS port/,
      );
      assert.doesNotMatch(server.stdout() + server.stderr(), /hunter2/);

      // Bytes that are neither TLS nor HTTP: the same answer, one malformed record.
      const junk = await new Promise<string>((resolve) => {
        const socket = netConnect(server.port, '127.0.0.1', () =>
          socket.write('\x01\x02 hello\r\n\r\n'),
        );
        let got = '';
        socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
        socket.on('close', () => resolve(got));
        socket.on('error', () => {});
      });
      assert.match(
        junk,
        /^HTTP\/1\.1 400 Bad Request\r\n[^]*plain HTTP request was sent to HTTPS port/,
      );
      await server.waitForStderr(/neither TLS nor HTTP at this HTTPS port/);

      // Still cut off: a connection that sends nothing, and TLS headers that stop half-way
      // (408 after --header-timeout, as without the sorting).
      const silent = silentConnection(server.port);
      const slow = await new Promise<string>((resolve, reject) => {
        const socket = tlsConnect(
          { host: '127.0.0.1', port: server.port, ca, servername: '' },
          () => socket.write('GET /00562b043615.xml HTTP/1.1\r\nHost: x\r\n'),
        );
        let got = '';
        socket.on('data', (c: Buffer) => (got += c.toString('utf8')));
        socket.on('close', () => resolve(got));
        socket.on('error', reject);
      });
      assert.match(slow, /^HTTP\/1\.1 408 /);
      const silentMs = await silent.closed;
      assert.ok(silentMs >= 1500 && silentMs < 6000, `closed after ${silentMs} ms`);
    } finally {
      await server.stop();
    }
  });

  test('stopping does not wait for a connection that has sent nothing', async () => {
    const root = dir.fresh('plain-at-tls-stop');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const [cert, key] = certificate(root);
    const server = await startServe([
      ...['-i', join(root, 'inventory.csv'), '--tls-cert', cert, '--tls-key', key],
    ]);
    const silent = silentConnection(server.port);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    assert.equal(await server.stop(), 0, server.stderr());
    const ms = Date.now() - started;
    assert.ok(ms < 5000, `stopped after ${ms} ms`);
    assert.ok((await silent.closed) < 6000);
    assert.match(server.stderr(), /serve: stopped\n/);
  });
});

/** Starts a report upload that sends a tenth of its body and then nothing more. */
function stalledUpload(port: number): { socket: import('node:net').Socket } {
  const socket = netConnect(port, '127.0.0.1', () =>
    socket.write(
      'POST /00562b043615.xml HTTP/1.1\r\nHost: x\r\nUser-Agent: ' +
        UA('00562b043615') +
        '\r\nContent-Type: application/xml\r\nContent-Length: 1000\r\n\r\n<flat-profile>',
    ),
  );
  socket.on('error', () => {});
  socket.resume();
  return { socket };
}

describe('serve: stopping with requests in flight', () => {
  test('a request cut off by a second SIGTERM is logged (499) before the stop line', async () => {
    const root = dir.fresh('stop-order');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const server = await startServe([
      ...['-i', join(root, 'inventory.csv'), '--reports', join(root, 'reports')],
    ]);
    const upload = stalledUpload(server.port);
    try {
      // In flight: serve says so at the first signal (a second later, time for it to begin).
      await new Promise((r) => setTimeout(r, 1000));
      server.child.kill('SIGTERM');
      await server.waitForStderr(/finishing \d+ request/);
      assert.match(server.stderr(), /finishing 1 request/);
      const code = await server.stop('SIGTERM');
      assert.equal(code, 3, server.stderr());
      const err = server.stderr();
      const cut = err.indexOf('serve: 499 POST /00562b043615.xml');
      const stop = err.indexOf('SIGTERM again: stopped at once, 1 request(s) in flight cut off');
      assert.ok(cut >= 0 && stop >= 0, err);
      assert.ok(cut < stop, `the 499 line comes after the stop line:\n${err}`);
      assert.match(server.stdout(), /"POST \/00562b043615\.xml HTTP\/1\.1" 499 /);
    } finally {
      upload.socket.destroy();
      await server.stop();
    }
  });
});

describe('drift and fleet --reports: symbolic links in the reports directory', () => {
  test('skipped with a warning each, unless --follow-links (as the other directory walks)', async () => {
    const root = dir.fresh('report-links');
    const inventory = join(root, 'inventory.csv');
    writeFileSync(inventory, INVENTORY);
    const rendered = join(root, 'rendered');
    const made = await runCli(['render', '-i', inventory, '-o', rendered]);
    assert.equal(made.code, 0, made.stderr);
    // One phone's report in place, one linked from elsewhere (a file), and a phone's directory
    // linked from elsewhere.
    const reports = dir.fresh('report-links/reports');
    renameSync(join(rendered, '00562b043615.xml'), join(reports, '00562b043615.xml'));
    const elsewhere = dir.fresh('report-links/elsewhere/00562b043616');
    renameSync(join(rendered, '00562b043616.xml'), join(elsewhere, '20261201-1.xml'));
    symlinkSync(elsewhere, join(reports, '00562b043616'));
    mkdirSync(join(root, 'other'));
    writeFileSync(join(root, 'other', '00562b043699.xml'), '<flat-profile/>\n');
    symlinkSync(join(root, 'other', '00562b043699.xml'), join(reports, '00562b043699.xml'));

    const skipped = await runCli(['drift', '--reports', reports, '-i', inventory, '--json']);
    assert.equal(skipped.code, 0, skipped.stderr);
    const shown = JSON.parse(skipped.stdout) as { phones: { device: string }[] };
    assert.deepEqual(
      shown.phones.map((p) => p.device),
      ['00562b043615'],
    );
    const warned = skipped.stderr.split('\n').filter((l) => /symbolic link/.test(l));
    assert.equal(warned.length, 2, skipped.stderr);
    assert.match(
      skipped.stderr,
      /00562b043616: a symbolic link in an input directory: skipped \(--follow-links follows it\)/,
    );
    assert.match(
      skipped.stderr,
      /00562b043699\.xml: a symbolic link in an input directory: skipped/,
    );

    const followed = await runCli([
      ...['drift', '--reports', reports, '-i', inventory, '--json', '--follow-links'],
    ]);
    assert.equal(followed.code, 0, followed.stderr);
    assert.match(followed.stderr, /00562b043699 is not in .*\(not compared\)/);
    assert.doesNotMatch(followed.stderr, /symbolic link/);
    const all = JSON.parse(followed.stdout) as { phones: { device: string; status: string }[] };
    assert.deepEqual(
      all.phones.map((p) => `${p.device} ${p.status}`),
      ['00562b043615 in-sync', '00562b043616 in-sync', '00562b043699 unknown'],
    );

    // The directory named by --reports is read wherever it leads (a link named by the user).
    symlinkSync(reports, join(root, 'reports-link'));
    const named = await runCli(['drift', '--reports', join(root, 'reports-link'), '-i', inventory]);
    assert.equal(named.code, 0, named.stderr);

    // fleet --reports alike; --follow-links without --reports is a usage error.
    const log = join(root, 'access.log');
    writeFileSync(
      log,
      `127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /00562b043616.xml HTTP/1.1" 200 10 "-" "${UA('00562b043616')}"\n`,
    );
    const page = await runCli([...['fleet', '--log', log, '--reports', reports, '-i', inventory]]);
    assert.equal(page.code, 0, page.stderr);
    assert.match(page.stderr, /00562b043616: a symbolic link in an input directory: skipped/);
    const usage = await runCli(['fleet', '--log', log, '--follow-links']);
    assert.equal(usage.code, 2, usage.stderr);
    assert.match(usage.stderr, /--follow-links only applies with --reports/);
  });
});

describe('serve and render: symbolic links among the templates', () => {
  test('followed inside the template directory, refused by both when they lead out of it', async () => {
    const root = dir.fresh('template-links');
    const inventory = join(root, 'inventory.csv');
    writeFileSync(inventory, INVENTORY);
    const templates = join(root, 'templates');
    cpSync(join(ROOT, 'templates'), templates, { recursive: true });
    // Inside: the desk template and the partials moved to real/, linked from where they were.
    mkdirSync(join(templates, 'real'));
    renameSync(join(templates, 'mpp-desk.liquid'), join(templates, 'real', 'desk.liquid'));
    symlinkSync('real/desk.liquid', join(templates, 'mpp-desk.liquid'));
    renameSync(join(templates, 'partials'), join(templates, 'real', 'partials'));
    symlinkSync('real/partials', join(templates, 'partials'));
    const rendered = await runCli([
      'render',
      '-i',
      inventory,
      '-t',
      templates,
      '-o',
      join(root, 'out'),
    ]);
    assert.equal(rendered.code, 0, rendered.stderr);
    const server = await startServe(['-i', inventory, '-t', templates]);
    try {
      const res = await httpRequest(server.port, '/00562b043615.xml', {
        userAgent: UA('00562b043615'),
      });
      assert.equal(res.status, 200, server.stderr());
      assert.equal(
        res.body.toString('utf8'),
        readFileSync(join(root, 'out', '00562b043615.xml'), 'utf8'),
      );
    } finally {
      await server.stop();
    }
    // Out of it: both refuse that device's template.
    const outside = dir.fresh('template-links/outside');
    renameSync(join(templates, 'real', 'desk.liquid'), join(outside, 'desk.liquid'));
    renameSync(join(templates, 'mpp-desk.liquid'), join(root, 'old-link'));
    symlinkSync(join(outside, 'desk.liquid'), join(templates, 'mpp-desk.liquid'));
    const refused = await runCli([
      'render',
      '-i',
      inventory,
      '-t',
      templates,
      '-o',
      join(root, 'out2'),
    ]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Failed to lookup/);
    const again = await startServe(['-i', inventory, '-t', templates]);
    try {
      const res = await httpRequest(again.port, '/00562b043615.xml', {
        userAgent: UA('00562b043615'),
      });
      assert.equal(res.status, 500);
      await again.waitForStderr(/500 GET \/00562b043615\.xml: not served: .*Failed to lookup/);
    } finally {
      await again.stop();
    }
  });
});
