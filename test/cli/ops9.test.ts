// An operator's trial of `serve`, `fetch` and `fleet` as run behind a provisioning web server:
// what a deploy does to the files serve watches, the client address behind a reverse proxy.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clientAddress, trustedProxies } from '../../src/serve/client-address.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { httpRequest, startServe, type ServeProcess } from '../helpers/serve.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-ops9-');
const UA = (mac: string): string => `Cisco-CP-8841-3PCC/11.0 (${mac})`;
const INVENTORY =
  'mac,model,display_name,sip.proxy,lines.1.extension,provisioning.server\n' +
  '00562b043615,8841,Reception,pbx.example.com,201,https://prov.example.com\n';

/** Polls `/healthz` until its generation reaches `generation` (or gives up after `ms`). */
async function generation(server: ServeProcess, atLeast: number, ms = 8000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const body = (await httpRequest(server.port, '/healthz')).body.toString('utf8');
    const n = Number(/generation (\d+)/.exec(body)?.[1]);
    if (n >= atLeast || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A template directory as a deploy writes it: the bundled one, with a marker in the desk phone's. */
function templates(path: string, marker: string): string {
  cpSync(join(ROOT, 'templates'), path, { recursive: true });
  const desk = join(path, 'mpp-desk.liquid');
  writeFileSync(
    desk,
    readFileSync(desk, 'utf8').replace(
      '<flat-profile>',
      `<flat-profile>\n  <Station_Display_Name ua="na">${marker}</Station_Display_Name>`,
    ),
  );
  return path;
}

async function profile(server: ServeProcess): Promise<string> {
  const res = await httpRequest(server.port, '/00562b043615.xml', {
    userAgent: UA('00562b043615'),
  });
  assert.equal(res.status, 200, res.body.toString('utf8'));
  return res.body.toString('utf8');
}

describe('serve: a deploy that replaces the template directory is watched', () => {
  test('mv templates.new templates: the new templates are served, and so are later edits', async () => {
    const root = dir.fresh('swap');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const tpl = templates(join(root, 'templates'), 'release-1');
    const server = await startServe(['-i', join(root, 'inventory.csv'), '-t', tpl]);
    try {
      assert.match(await profile(server), /release-1/);
      templates(join(root, 'templates.new'), 'release-2');
      renameSync(tpl, join(root, 'templates.old'));
      renameSync(join(root, 'templates.new'), tpl);
      await generation(server, 2);
      assert.match(await profile(server), /release-2/, server.stderr());
      // The directory now in place is the one watched: an edit in it is seen too (the old one
      // is left alone: deleting it would wake a watch still set on it).
      const desk = join(tpl, 'mpp-desk.liquid');
      writeFileSync(desk, readFileSync(desk, 'utf8').replace('release-2', 'release-2b'));
      const before = await generation(server, 0, 0);
      await generation(server, before + 1);
      assert.match(await profile(server), /release-2b/, server.stderr());
    } finally {
      await server.stop();
    }
  });

  test('a `current` symlink moved to another release: its templates are served', async () => {
    const root = dir.fresh('symlink');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    templates(join(root, 'release-1'), 'release-1');
    templates(join(root, 'release-2'), 'release-2');
    symlinkSync('release-1', join(root, 'current'));
    const server = await startServe([
      '-i',
      join(root, 'inventory.csv'),
      '-t',
      join(root, 'current'),
    ]);
    try {
      assert.match(await profile(server), /release-1/);
      symlinkSync('release-2', join(root, 'current.tmp'));
      renameSync(join(root, 'current.tmp'), join(root, 'current'));
      await generation(server, 2);
      assert.match(await profile(server), /release-2/, server.stderr());
    } finally {
      await server.stop();
    }
  });
});

describe('serve --trust-proxy: the phone’s address behind a reverse proxy', () => {
  const inventory = (): string => {
    const path = join(dir.fresh('proxy'), 'inventory.csv');
    writeFileSync(path, INVENTORY);
    return path;
  };
  const asked = (server: ServeProcess, forwardedFor: string): Promise<unknown> =>
    httpRequest(server.port, '/00562b043615.xml', {
      userAgent: UA('00562b043615'),
      headers: { 'X-Forwarded-For': forwardedFor },
    });

  test('from a trusted proxy, the rightmost untrusted X-Forwarded-For address is logged', async () => {
    const server = await startServe([
      '-i',
      inventory(),
      '--trust-proxy',
      '127.0.0.1',
      '--trust-proxy',
      '10.0.0.0/8',
      '--fleet',
      '--log-format',
      'json',
    ]);
    try {
      // A value that is no address: the proxy's own is logged.
      await asked(server, '<script>');
      await asked(server, '[2001:db8::1]:443');
      // What the phone wrote itself (1.2.3.4) is not believed; 10.1.1.1 is a trusted proxy.
      await asked(server, '1.2.3.4, 192.0.2.7, 10.1.1.1');
      await server.waitForStdout(/(?:.*\n){3}/);
      const addresses = server
        .stdout()
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { address: string }).address);
      assert.deepEqual(addresses, ['127.0.0.1', '2001:db8::1', '192.0.2.7']);
      // The fleet page shows the phone where it is, not the proxy.
      const page = (await httpRequest(server.port, '/fleet')).body.toString('utf8');
      assert.match(page, /<td>192\.0\.2\.7<\/td>/);
    } finally {
      await server.stop();
    }
  });

  test('from any other peer, or without the option, the header is ignored', async () => {
    for (const args of [[], ['--trust-proxy', '10.0.0.0/8']]) {
      const server = await startServe(['-i', inventory(), ...args]);
      try {
        await asked(server, '192.0.2.7');
        await server.waitForStdout(/\n/);
        assert.match(server.stdout(), /^127\.0\.0\.1 - - \[/, args.join(' '));
      } finally {
        await server.stop();
      }
    }
  });

  test('a value that is no address or network is a usage error, exit 2', async () => {
    for (const bad of ['10.0.0.300', 'proxy.example.com', '10.0.0.0/33', '10.0.0.0/8/1']) {
      const r = await runCli(['serve', '-i', inventory(), '--port', '0', '--trust-proxy', bad], {
        stopAfterMs: 30_000,
      });
      assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
      assert.match(r.stderr, /--trust-proxy .*expected an IP address or a network/);
    }
  });

  test('clientAddress: IPv4-mapped peers, ports, a value that is no address', () => {
    const list = trustedProxies(['10.0.0.0/8', 'fd00::/8']);
    assert.ok(!('error' in list));
    assert.equal(clientAddress('::ffff:10.0.0.2', '192.0.2.7', list), '192.0.2.7');
    assert.equal(clientAddress('10.0.0.2', '192.0.2.7:5060', list), '192.0.2.7');
    assert.equal(clientAddress('fd00::1', '10.9.9.9, 192.0.2.8 , 10.0.0.3', list), '192.0.2.8');
    // Every hop trusted: the leftmost; a hop that is no address: the last trusted one.
    assert.equal(clientAddress('10.0.0.2', '10.0.0.4, 10.0.0.3', list), '10.0.0.4');
    assert.equal(clientAddress('10.0.0.2', 'unknown, 10.0.0.3', list), '10.0.0.3');
    assert.equal(clientAddress('192.0.2.1', '10.0.0.3', list), '192.0.2.1');
    assert.equal(clientAddress('10.0.0.2', undefined, list), '10.0.0.2');
  });
});

describe('serve: stopping with a request still in flight', () => {
  test('a report upload still arriving 10 s after SIGTERM is cut off: stderr says so, exit 3', async () => {
    const root = dir.fresh('stop');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const server = await startServe([
      '-i',
      join(root, 'inventory.csv'),
      '--reports',
      join(root, 'reports'),
    ]);
    // A phone uploading its report slowly: 2,000 bytes announced, 50 every half second.
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      path: '/00562b043615.xml',
      method: 'POST',
      headers: { 'User-Agent': UA('00562b043615'), 'Content-Length': 2000 },
    });
    req.on('error', () => {});
    req.write('x'.repeat(50));
    const drip = setInterval(() => req.write('x'.repeat(50)), 500);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const code = await server.stop('SIGTERM');
      assert.equal(code, 3, server.stderr());
      assert.match(server.stderr(), /serve: stopped: 1 request still in flight after 10 s cut off/);
      assert.match(server.stdout(), /"POST \/00562b043615\.xml HTTP\/1\.1" 499 /);
    } finally {
      clearInterval(drip);
      req.destroy();
      await server.stop();
    }
  });

  test('nothing in flight: "stopped", exit 0', async () => {
    const root = dir.fresh('stop-idle');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const server = await startServe(['-i', join(root, 'inventory.csv')]);
    await httpRequest(server.port, '/healthz');
    assert.equal(await server.stop('SIGINT'), 0, server.stderr());
    assert.match(server.stderr(), /serve: stopped\n/);
  });
});

describe('serve --fleet: the phones’ own resync timers', () => {
  /** The "Next resync" cell's time of the one phone on the page, in ms. */
  const nextResync = (page: string): number =>
    Date.parse(/data-label="Next resync \(UTC\)" data-sort="([^"]+)"/.exec(page)![1]!);

  test('--resync-periodic 86400: a phone is next due a day after its resync, not an hour', async () => {
    const root = dir.fresh('fleet-timers');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const server = await startServe([
      '-i',
      join(root, 'inventory.csv'),
      '--fleet',
      '--resync-periodic',
      '86400',
      '--error-retry-delay',
      '60,120,240',
      '--grace',
      '900',
    ]);
    try {
      const asked = Date.now();
      await profile(server);
      const page = (await httpRequest(server.port, '/fleet')).body.toString('utf8');
      const due = nextResync(page) - asked;
      assert.ok(due > 86_000_000 && due < 86_500_000, `due in ${due} ms`);
      assert.match(
        page,
        /15 min after it was due, assuming Resync_Periodic 86400 and Resync_Error_Retry_Delay 60,120,240/,
      );
    } finally {
      await server.stop();
    }
  });

  test('without --fleet, or a schedule that is none, is a usage error (exit 2)', async () => {
    const root = dir.fresh('fleet-timers-bad');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    for (const args of [
      ['--resync-periodic', '86400'],
      ['--grace', '60'],
      ['--fleet', '--resync-periodic', 'often'],
      ['--fleet', '--error-retry-delay', '60,,120'],
    ]) {
      const r = await runCli(['serve', '-i', join(root, 'inventory.csv'), '--port', '0', ...args], {
        stopAfterMs: 30_000,
      });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /listening/);
    }
  });
});

describe('plain HTTP at the HTTPS port (a rule with http:// for it)', () => {
  test('serve answers 400 and says so on stderr; fetch reports the 400', async () => {
    const root = dir.fresh('http-at-https');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', join(root, 'key.pem'), '-out', join(root, 'cert.pem'), '-days', '2'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    const server = await startServe([
      '-i',
      join(root, 'inventory.csv'),
      '--tls-cert',
      join(root, 'cert.pem'),
      '--tls-key',
      join(root, 'key.pem'),
    ]);
    try {
      const r = await runCli([
        'fetch',
        `http://127.0.0.1:${server.port}/$MA.xml`,
        '--ua',
        UA('00562b043615'),
      ]);
      assert.equal(r.code, 1, r.stderr);
      // Answered in plain HTTP since serve10 (as nginx does), no longer closed unanswered.
      assert.match(r.stdout, /outcome {2}C \(other failure\): 400 Bad Request/);
      await server.waitForStderr(
        /serve: 400 GET \/00562b043615\.xml: plain HTTP request sent to this HTTPS port/,
      );
    } finally {
      await server.stop();
    }
  });
});

describe('fleet --log on serve’s own JSON log', () => {
  test('reads it (JSON lines are told by their first line); as a text log it says what they are', async () => {
    const root = dir.fresh('fleet-json');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const server = await startServe(['-i', join(root, 'inventory.csv'), '--log-format', 'json']);
    try {
      await profile(server);
      await server.waitForStdout(/\n/);
    } finally {
      await server.stop();
    }
    writeFileSync(join(root, 'access.json'), server.stdout());
    const read = await runCli([
      'fleet',
      '--log',
      join(root, 'access.json'),
      '-o',
      join(root, 'read.html'),
    ]);
    assert.equal(read.code, 0, read.stderr);
    assert.match(readFileSync(join(root, 'read.html'), 'utf8'), /00562b043615/);
    const r = await runCli([
      'fleet',
      '--log',
      join(root, 'access.json'),
      '--log-format',
      'text',
      '-o',
      join(root, 'fleet.html'),
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /no line is in the common or combined log format \(these are JSON lines\)/,
    );
    assert.match(r.stderr, /reads JSON lines unless given --log-format text/);
    assert.equal(existsSync(join(root, 'fleet.html')), false);
  });
});
