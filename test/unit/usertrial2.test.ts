// Defects found by a second user trial of the later commands (serve, fetch, rule, inspect, fleet,
// convert…), checked in-process; test/cli/usertrial2.test.ts checks the same through the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { parseAccessLogLine, summarizeAccessLog } from '../../src/device/access-log.js';
import { PROFILE_REQUEST } from '../helpers/request-record.js';
import { oneDeviceSite } from '../helpers/serve-site.js';
import { formatCombined, formatJsonRecord, formatReason } from '../../src/serve/log-format.js';
import type { RequestRecord } from '../../src/serve/server.js';
import { deviceMacroValues } from '../../src/profile/device-facts.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { searchParameters } from '../../src/profile/catalog-search.js';
import { sniffNotation } from '../../src/profile/profile-formats.js';
import { parseRule, splitRuleUrl } from '../../src/profile/rule.js';
import { expandRule } from '../../src/profile/rule-expand.js';
import fc from 'fast-check';
import { compileRoute, execRoute, type Route } from '../../src/serve/routes.js';
import { ProvisioningServer } from '../../src/serve/index.js';
import { selfSignedCertificate, type Certificate } from '../helpers/http-server.js';

const SECRET_QUERY_LINE =
  '127.0.0.1 - - [30/Nov/2026:08:52:35 +0000] "GET /00562b043617.xml?Password_1_=s3cr3t-val&GPP_SA=sa-secret-val&site=hq HTTP/1.1" 200 14 "-" "Cisco-CP-8841-3PCC/11.0 (00562b043617)"';

test('access-log summary: a phone row’s last path has the values of secret-looking query parameters masked', () => {
  const [row] = summarizeAccessLog([SECRET_QUERY_LINE]).phones;
  assert.equal(row?.lastPath, '/00562b043617.xml?Password_1_=********&GPP_SA=********&site=hq');
});

// --- serve: stopping -------------------------------------------------------------------------

async function servingSite(
  tls?: Certificate,
  reports = false,
): Promise<{ server: ProvisioningServer; port: number; dir: string }> {
  const { dir, config } = oneDeviceSite('cp-usertrial2-serve-');
  const server = new ProvisioningServer({
    ...config,
    // Long timeouts: the point is that stopping does not wait for them.
    timeouts: { headersMs: 120_000, requestMs: 120_000, keepAliveMs: 120_000, idleMs: 120_000 },
    ...(tls ? { tls: { cert: Buffer.from(tls.cert), key: Buffer.from(tls.key) } } : {}),
    ...(reports ? { reports: { dir: join(dir, 'reports'), keep: 5 } } : {}),
  });
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, port, dir };
}

/** A client that connects and then sends `bytes` (maybe nothing, maybe half a request) and waits. */
async function silentClient(port: number, bytes: string | Buffer): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  if (bytes.length > 0) socket.write(bytes);
  // Let the server see the connection (and the bytes) before it is told to stop.
  await new Promise((r) => setTimeout(r, 100));
  return socket;
}

for (const [what, bytes] of [
  ['sends nothing', ''],
  ['sends half a request line', 'GET /00562b043615.xml HT'],
  ['sends headers without the blank line', 'GET /00562b043615.xml HTTP/1.1\r\nHost: x\r\n'],
] as const) {
  test(
    `serve stops at once when a client ${what}: it is not a request in flight`,
    { timeout: 30_000 },
    async () => {
      const { server, port, dir } = await servingSite();
      const client = await silentClient(port, bytes);
      try {
        // A grace far longer than the test's timeout: close() must not wait for this client.
        await server.close(10 * 60_000);
      } finally {
        client.destroy();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}

test(
  'serve over TLS stops within its grace time when a client stalls in the TLS handshake',
  { timeout: 30_000 },
  async () => {
    const certificate = selfSignedCertificate();
    const { server, port, dir } = await servingSite(certificate);
    // A ClientHello's record header and nothing more: the handshake never completes.
    const client = await silentClient(port, Buffer.from([0x16, 0x03, 0x01]));
    try {
      await server.close(200);
      // …and the stalled client was let go, not left holding a socket.
      if (!client.destroyed) await once(client, 'close');
    } finally {
      client.destroy();
      certificate.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'serve lets a request in flight finish when it stops (a report upload half sent)',
  { timeout: 30_000 },
  async () => {
    const { server, port, dir } = await servingSite(undefined, true);
    const body = '<flat-profile><Station_Name>A</Station_Name></flat-profile>\n';
    const client = await silentClient(
      port,
      `PUT /00562b043615.xml HTTP/1.1\r\nHost: x\r\nUser-Agent: Cisco-CP-8841-3PCC/11.0 (00562b043615)\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    let answer = '';
    client.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    try {
      const closed = server.close(10 * 60_000);
      await new Promise((r) => setTimeout(r, 100));
      client.write(body.slice(10));
      await closed;
      if (!client.destroyed) await once(client, 'close');
      assert.match(answer, /^HTTP\/1\.1 200 /);
      assert.match(answer, /\r\nConnection: close\r\n/i);
    } finally {
      client.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

// --- serve: log lines ------------------------------------------------------------------------

const RECORD: RequestRecord = PROFILE_REQUEST;

test('serve log: a User-Agent as Node hands it over (a character per byte) is escaped byte for byte, once', () => {
  const sent = 'Cisco-CP-8841-3PCC/11.0 (00562b043615) café';
  const asNodeHasIt = Buffer.from(sent, 'utf8').toString('latin1');
  const line = formatCombined({ ...RECORD, userAgent: asNodeHasIt, referer: asNodeHasIt });
  assert.match(line, /"Cisco-CP-8841-3PCC\/11\.0 \(00562b043615\) caf\\xC3\\xA9"$/);
  // The reader keeps bytes above 0x7f escaped, as nginx wrote them: the bytes sent, once.
  const parsed = parseAccessLogLine(line);
  assert.equal(parsed?.userAgent, 'Cisco-CP-8841-3PCC/11.0 (00562b043615) caf\\xC3\\xA9');
  assert.equal(parsed?.referer, parsed?.userAgent);
});

test('serve --log-format json: a UTF-8 User-Agent or Referer is the text sent, not read a byte per character', () => {
  const sent = 'Cisco-CP-8841-3PCC/11.0 (00562b043615) café';
  const asNodeHasIt = Buffer.from(sent, 'utf8').toString('latin1');
  const json = JSON.parse(
    formatJsonRecord({ ...RECORD, userAgent: asNodeHasIt, referer: asNodeHasIt }),
  ) as { userAgent: string; referer: string };
  assert.equal(json.userAgent, sent);
  assert.equal(json.referer, sent);
  const plain = JSON.parse(formatJsonRecord(RECORD)) as { userAgent: string; referer: null };
  assert.equal(plain.userAgent, RECORD.userAgent);
  assert.equal(plain.referer, null);
});

test('serve log: the operator’s line escapes C1 and bidi characters a reason quotes from the decoded path', () => {
  const line = formatReason({
    ...RECORD,
    status: 404,
    target: '/%C2%9B2J%E2%80%AE.xml',
    reason: 'no route for /\u009b2J\u202e.xml',
  });
  assert.equal(line, 'serve: 404 GET /%C2%9B2J%E2%80%AE.xml: no route for /\\x9b2J\\u202e.xml');
});

// --- rule ------------------------------------------------------------------------------------

test('rule: a substring macro in the server, $(A:0:4), is part of the host, not a port', () => {
  // Reference §2: "$(NAME:p:q) take a substring"; the URL is [scheme://][server[:port]]/path.
  assert.deepEqual(parseRule('http://$(A:0:4).example.com/$MA.cfg').errors, []);
  const parts = splitRuleUrl('http://$(A:0:4).example.com/x.cfg');
  assert.equal(parts.server, '$(A:0:4).example.com');
  assert.equal(parts.port, undefined);
  const withPort = splitRuleUrl('http://$(A:0:4).example.com:8080/x.cfg');
  assert.equal(withPort.server, '$(A:0:4).example.com');
  assert.equal(withPort.port, '8080');
  const values = deviceMacroValues({ mac: '000E08012345', gpp: { A: 'ABCDEF' } }).values;
  const r = expandRule('http://$(A:0:4).example.com/$MA.cfg', values);
  assert.equal(r.host, 'ABCD.example.com');
  assert.equal(r.port, 80);
  assert.equal(r.path, '/000e08012345.cfg');
});

test('rule: a control character in the URL is an error naming it, at its column', () => {
  for (const [rule, shown, offset] of [
    ['http://h/a\u001b[31m.cfg', 'U+001B', 10],
    ['/x\u007f.cfg', 'U+007F', 2],
    ['/x\u009b.cfg', 'U+009B', 2],
  ] as const) {
    const { errors } = parseRule(rule);
    assert.equal(errors.length, 1, `${JSON.stringify(rule)}: ${JSON.stringify(errors)}`);
    assert.equal(errors[0]?.message, `control character ${shown} inside the URL`);
    assert.equal(errors[0]?.offset, offset);
    assert.equal(errors[0]?.code, 'control-character');
  }
  // Tab and newline split the URL, as a space does: a grammar error for expand too.
  for (const rule of ['http://h/a b.cfg', 'http://h/a\nb.cfg', 'http://h/a\tb.cfg']) {
    assert.deepEqual(parseRule(rule).errors, [
      { message: 'white space inside the URL', offset: 10 },
    ]);
  }
  const values = deviceMacroValues({ mac: '000E08012345' }).values;
  assert.deepEqual(expandRule('http://h/a\u001b.cfg', values).problems, [
    'control character U+001B inside the URL: left as written',
  ]);
});

// --- convert ---------------------------------------------------------------------------------

test('convert: a text starting with [ is JSON (then refused as an array), not an unknown notation', () => {
  assert.equal(sniffNotation('[{"Station_Name":"x"}]'), 'json');
  assert.equal(sniffNotation('\uFEFF  [ ]'), 'json');
  assert.equal(sniffNotation('{}'), 'json');
  assert.equal(sniffNotation('Station_Name: x'), undefined);
});

// --- param -----------------------------------------------------------------------------------

// The pathological patterns (`${'*'.repeat(40)}zzzz`) are tried through the CLI
// (test/cli/usertrial2.test.ts), in a child that a time-out can kill: here, before the fix, the
// match ran synchronously for minutes and no test time-out could stop it.
test('param: stars in any number match any run, once', () => {
  assert.equal(searchParameters(DEFAULT_CATALOG, '********').length, DEFAULT_CATALOG.length);
  assert.equal(searchParameters(DEFAULT_CATALOG, '*?*').length, DEFAULT_CATALOG.length);
  assert.deepEqual(
    searchParameters(DEFAULT_CATALOG, '**Station**Name**').map((e) => e.name),
    ['Station_Display_Name', 'Station_Name'],
  );
});

test('param: patterns match as before — * any run, ? one character, case-insensitive, the rest literal', () => {
  const names = (glob: string) => searchParameters(DEFAULT_CATALOG, glob).map((e) => e.name);
  assert.ok(names('*admin*pass*').includes('Admin_Passwd'));
  assert.deepEqual(names('station_name'), ['Station_Name']);
  assert.deepEqual(names('Station_Nam?'), ['Station_Name']);
  assert.deepEqual(names('Station_Na?'), []);
  assert.ok(names('Line_Enable_*').includes('Line_Enable_{n}_'));
  assert.ok(names('*_1_').includes('Line_Enable_{n}_'));
  assert.deepEqual(names('Station.Name'), []);
  assert.deepEqual(names('*[*'), []);
});

// --- serve: routes ---------------------------------------------------------------------------

const ROUTE_PATTERNS = [
  '$MA.xml',
  '$SN.cfg',
  'cfg/$(site)/$MAU.xml',
  '$(site)-$MA.xml',
  '$(region)-$(site)-$(floor)-$(room)-$MA.xml',
  '$(MA:0:6)/$MAC.cfg',
  '$(site).$SN.$(model).xml',
  '$(a)$(b)$SN$(c).xml',
];

test('serve routes: execRoute finds the id the route’s regular expression captures, on any path', () => {
  const routes = ROUTE_PATTERNS.map((p) => compileRoute(p) as Route);
  // Short paths from the characters routes care about: the regex stays fast on them.
  const path = fc
    .array(fc.constantFrom(...'-./:aAf0912zxml'.split(''), '00562b043615', 'hq', '.xml'), {
      maxLength: 14,
    })
    .map((parts) => parts.join(''));
  fc.assert(
    fc.property(fc.constantFrom(...routes), path, (route, p) => {
      const m = route.regex.exec(p);
      assert.equal(execRoute(route, p), m ? m[route.idGroup] : undefined, `${route.pattern} ${p}`);
    }),
    { numRuns: 3000 },
  );
  const r = compileRoute('$(region)-$(site)-$(floor)-$(room)-$MA.xml') as Route;
  assert.equal(execRoute(r, 'eu-new-york-3-a-00562b043615.xml'), '00562b043615');
});
