// ProvisioningServer in-process, as a hostile or broken client drives it (trial4).
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fleetFeed } from '../../src/commands/serve.js';
import { FleetTracker } from '../../src/device/fleet.js';
import { parseUserAgent } from '../../src/device/user-agent.js';
import { parseAuthFile } from '../../src/serve/auth.js';
import { formatCombined } from '../../src/serve/log-format.js';
import { ProvisioningServer, type RequestRecord } from '../../src/serve/server.js';
import { oneDeviceSite } from '../helpers/serve-site.js';

/** Writes the payload in one write; resolves with all that came back once closed. */
function exchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.setNoDelay(true);
      socket.write(payload);
    });
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
  });
}

test('a stalled keep-alive request sent in the same segment as the previous one is logged', async () => {
  const { config } = oneDeviceSite('serve-trial4-');
  const server = new ProvisioningServer({
    ...config,
    timeouts: { headersMs: 600, requestMs: 5000, keepAliveMs: 2000, idleMs: 10_000 },
  });
  const records: RequestRecord[] = [];
  server.onRequest((r) => records.push(r));
  const { port } = await server.listen(0, '127.0.0.1');
  try {
    const [stalled, idle] = await Promise.all([
      exchange(
        port,
        'GET /00562b043615.xml HTTP/1.1\r\nHost: x\r\n\r\nGET /00562b043615.xml HTTP/1.1\r\n',
      ),
      // One whole request, then silence past the header timeout: an idle keep-alive connection,
      // closed at the keep-alive timeout without a record.
      exchange(port, 'GET /00562b043615.xml HTTP/1.1\r\nHost: x\r\n\r\n'),
    ]);
    assert.match(stalled, /^HTTP\/1\.1 200 OK\r\n[\s\S]*HTTP\/1\.1 408 /);
    assert.match(idle, /^HTTP\/1\.1 200 OK\r\n/);
    assert.doesNotMatch(idle, /408/);
  } finally {
    await server.close(100);
  }
  assert.deepEqual(records.map((r) => [r.kind, r.status, r.reason ?? null]).sort(), [
    ['malformed', 408, 'malformed request: request headers not complete within 0.6 s'],
    ['profile', 200, null],
    ['profile', 200, null],
  ]);
});

test('a report upload whose body stalls is logged as 408 (the request timeout), not 499', async () => {
  const { dir, config } = oneDeviceSite('serve-trial4-');
  const server = new ProvisioningServer({
    ...config,
    reports: { dir: join(dir, 'reports'), keep: 5 },
    timeouts: { headersMs: 400, requestMs: 800, keepAliveMs: 2000, idleMs: 10_000 },
  });
  const records: RequestRecord[] = [];
  server.onRequest((r) => records.push(r));
  const { port } = await server.listen(0, '127.0.0.1');
  try {
    await exchange(
      port,
      'POST /00562b043615.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc',
    );
    // The record follows the close by a tick or two.
    for (let i = 0; i < 100 && records.length === 0; i++) await delay(20);
  } finally {
    await server.close(100);
  }
  assert.deepEqual(
    records.map((r) => [r.kind, r.status, r.reason ?? null]),
    [['report', 408, 'request body not complete within 0.8 s']],
  );
});

test('a failed login with a user name not in the auth file does not log that name', async () => {
  const { config } = oneDeviceSite('serve-trial4-');
  const auth = parseAuthFile('phone:pr0v-pass\n', 'auth');
  assert.ok(!('error' in auth));
  const server = new ProvisioningServer({
    ...config,
    auth,
    timeouts: { headersMs: 2000, requestMs: 5000, keepAliveMs: 100, idleMs: 10_000 },
  });
  const records: RequestRecord[] = [];
  server.onRequest((r) => records.push(r));
  const { port } = await server.listen(0, '127.0.0.1');
  const basic = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;
  try {
    for (const authorization of [
      basic('pr0v-pass:phone'), // the fields swapped
      'Digest username="pr0v-pass", realm="cisco-prov", nonce="x", uri="/00562b043615.xml", response="0"',
      basic('phone:wrong'),
    ]) {
      const answer = await exchange(
        port,
        `GET /00562b043615.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: ${authorization}\r\n\r\n`,
      );
      assert.match(answer, /^HTTP\/1\.1 401 /);
    }
    for (let i = 0; i < 100 && records.length < 3; i++) await delay(20);
  } finally {
    await server.close(100);
  }
  assert.deepEqual(
    records.map((r) => [r.status, r.user, r.reason]),
    [
      [401, null, 'authentication failed: unknown user'],
      [401, null, 'authentication failed: unknown user'],
      [401, 'phone', 'authentication failed'],
    ],
  );
  assert.doesNotMatch(JSON.stringify(records), /pr0v-pass/);
});

test('CONNECT (serve taken for a proxy) gets 405 and an access-log record', async () => {
  const { config } = oneDeviceSite('serve-trial4-');
  const server = new ProvisioningServer({
    ...config,
    timeouts: { headersMs: 2000, requestMs: 5000, keepAliveMs: 100, idleMs: 10_000 },
  });
  const records: RequestRecord[] = [];
  server.onRequest((r) => records.push(r));
  const { port } = await server.listen(0, '127.0.0.1');
  try {
    const answer = await exchange(
      port,
      'CONNECT u:hunter2@127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\nUser-Agent: scanner\r\n\r\n',
    );
    assert.match(answer, /^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    assert.match(answer, /\r\nAllow: GET, HEAD\r\n/);
  } finally {
    await server.close(100);
  }
  assert.deepEqual(
    records.map((r) => [r.method, r.status, r.userAgent, r.reason]),
    [['CONNECT', 405, 'scanner', 'method CONNECT not allowed']],
  );
  assert.equal(formatCombined(records[0]!).includes('hunter2'), false);
});

test('serve --fleet keeps at most the limit of phones not in the inventory', () => {
  const tracker = new FleetTracker();
  const site = { byMac: new Map([['00562b043615', {} as never]]), bySerial: new Map() };
  const warnings: string[] = [];
  const feed = fleetFeed(
    tracker,
    () => site,
    2,
    (m) => warnings.push(m),
  );
  const request = (mac: string): RequestRecord => {
    const userAgent = `Cisco-CP-8841-3PCC/11.0 (${mac})`;
    return {
      time: new Date('2026-12-01T03:00:00Z'),
      address: '10.0.0.9',
      user: null,
      method: 'GET',
      target: `/${mac}.xml`,
      protocol: 'HTTP/1.1',
      status: 401,
      bytes: 17,
      referer: null,
      userAgent,
      ua: parseUserAgent(userAgent),
      kind: 'other',
      device: null,
      outcome: null,
      durationMs: 1,
    };
  };
  // A client making MACs up, before authentication: three new ones, the known phone after them.
  for (const mac of [
    'aaaaaaaaaa01',
    'aaaaaaaaaa02',
    'aaaaaaaaaa03',
    'aaaaaaaaaa01',
    '00562b043615',
  ]) {
    feed(request(mac));
  }
  const phones = tracker
    .snapshot({ now: new Date('2026-12-01T03:01:00Z'), source: 'test' })
    .phones.map((p) => [p.summary.key, p.summary.requests]);
  assert.deepEqual(phones.sort(), [
    ['00562b043615', 1],
    ['aaaaaaaaaa01', 2],
    ['aaaaaaaaaa02', 1],
  ]);
  assert.deepEqual(warnings, [
    '/fleet: more than 2 phones not in the inventory have asked; further ones are not shown',
  ]);
});
