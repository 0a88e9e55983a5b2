// JSON access logs for `inspect --log` and `fleet --log`, and small inspect and render gaps.
//
// The JSON lines below follow the servers' own documentation:
// - Caddy: the access-log entry shown in caddyserver.com/docs/logging ("Structured logs":
//   `ts` float seconds, `request.remote_ip`/`client_ip`, `request.uri`, `request.headers` with
//   arrays of values, `status`, `size`); `time_format` choices in
//   caddyserver.com/docs/caddyfile/directives/log.
// - Traefik: doc.traefik.io/traefik/observability/access-logs ("Available Fields": `StartUTC`,
//   `ClientHost`, `RequestMethod`, `RequestPath`, `RequestProtocol`, `DownstreamStatus`,
//   `DownstreamContentSize`; headers dropped by default, kept ones as `request_User-Agent`).
// - nginx: `log_format … escape=json` (nginx.org/en/docs/http/ngx_http_log_module.html), fields
//   named as the format says; values written as the format quotes them (`"$status"` is text).
// - serve: `cisco-prov serve --log-format json` (formatJsonRecord).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { JsonLogReader, parseJsonLogTime } from '../../src/device/access-log-json.js';
import { summarizeAccessLog } from '../../src/device/access-log.js';
import { formatJsonRecord } from '../../src/serve/log-format.js';
import { parseUserAgent } from '../../src/device/user-agent.js';

const dir = testDirectory('cisco-prov-logs10-');
const UA_8841 = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';
const UA_6841 = 'Cisco-CP-6841-3PCC/12.0.1 (aabbccddeeff)';
const noStack = (stderr: string): void => assert.doesNotMatch(stderr, /\n\s+at /);

/** A Caddy access-log line in the shape of caddyserver.com/docs/logging's example. */
function caddyLine(o: {
  ts: number;
  ip: string;
  uri: string;
  ua?: string;
  status: number;
}): string {
  return JSON.stringify({
    level: 'info',
    ts: o.ts,
    logger: 'http.log.access',
    msg: 'handled request',
    request: {
      remote_ip: o.ip,
      remote_port: '41342',
      client_ip: o.ip,
      proto: 'HTTP/1.1',
      method: 'GET',
      host: 'prov.example.com',
      uri: o.uri,
      headers: { ...(o.ua ? { 'User-Agent': [o.ua] } : {}), Accept: ['*/*'] },
    },
    bytes_read: 0,
    user_id: '',
    duration: 0.000929675,
    size: 5120,
    status: o.status,
    resp_headers: { Server: ['Caddy'] },
  });
}

const CADDY_LOG =
  [
    caddyLine({
      ts: 1764583200.5241024,
      ip: '10.0.0.5',
      uri: '/cfg/00562b043615.xml',
      ua: UA_8841,
      status: 200,
    }),
    caddyLine({
      ts: 1764583260.25,
      ip: '10.0.0.6',
      uri: '/cfg/aabbccddeeff.xml?pwd=hunter22',
      ua: UA_6841,
      status: 404,
    }),
    '{"level":"info","ts":1764583270,"logger":"http","msg":"server running"}',
    '',
    caddyLine({
      ts: 1764583320,
      ip: '10.0.0.5',
      uri: '/cfg/00562b043615.xml',
      ua: UA_8841,
      status: 403,
    }),
    caddyLine({ ts: 1764583330, ip: '192.0.2.7', uri: '/', ua: 'curl/8.4.0', status: 200 }),
  ].join('\n') + '\n';

test('inspect --log reads a Caddy JSON access log by itself: rows, times from ts, masked query', async () => {
  const log = join(dir.fresh('caddy'), 'access.log');
  writeFileSync(log, CADDY_LOG);
  const r = await runCli(['inspect', '--log', log, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    lines: Record<string, number>;
    phones: Array<Record<string, unknown>>;
  };
  assert.deepEqual(out.lines, {
    total: 6,
    blank: 1,
    malformed: 1,
    phone: 3,
    other: 1,
    combined: 0,
    common: 0,
    json: 4,
  });
  const byKey = new Map(out.phones.map((p) => [p.key, p]));
  const p8841 = byKey.get('00562b043615')!;
  assert.equal(p8841.model, '8841');
  assert.equal(p8841.address, '10.0.0.5');
  assert.equal(p8841.requests, 2);
  // ts 1764583200.5241024 s, Caddy's default unix_seconds_float: 2025-12-01T10:00:00.524Z.
  assert.equal(p8841.firstSeen, '2025-12-01T10:00:00.524Z');
  assert.equal(p8841.lastSeen, '2025-12-01T10:02:00.000Z');
  assert.equal(p8841.lastStatus, 403);
  assert.equal(p8841.lastMethod, 'GET');
  const p6841 = byKey.get('aabbccddeeff')!;
  assert.equal(p6841.lastPath, '/cfg/aabbccddeeff.xml?pwd=********');
  assert.equal(p6841.outcome, 'B');
  assert.doesNotMatch(r.stdout + r.stderr, /hunter22/);
  // The line that is no access record is counted, and named by file and line.
  assert.match(
    r.stderr,
    new RegExp(
      `1 of 6 lines is not a JSON access-log record \\(counted, skipped; the first: ${log.replace(/[.]/g, '\\.')}:3: no status field \\(status, DownstreamStatus\\)\\)`,
    ),
  );
});

test('fleet --log reads the same Caddy log, plain or gzipped', async () => {
  const root = dir.fresh('caddy-fleet');
  writeFileSync(join(root, 'access.log.1.gz'), gzipSync(CADDY_LOG));
  const page = join(root, 'fleet.html');
  const r = await runCli([
    'fleet',
    '--log',
    join(root, 'access.log.1.gz'),
    '-o',
    page,
    '--now',
    '2025-12-01T10:05:00Z',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(page, 'utf8');
  assert.match(html, /00562b043615/);
  assert.match(html, /aabbccddeeff/);
  assert.doesNotMatch(html, /hunter22/);
});

test('nginx escape=json: the default names, status as text, $time_local and $time_iso8601', async () => {
  const root = dir.fresh('nginx');
  const line = (time: Record<string, string>, status: string, ua: string, mac: string): string =>
    JSON.stringify({
      ...time,
      remote_addr: '10.0.0.9',
      remote_user: '',
      request: `GET /cfg/${mac}.xml HTTP/1.1`,
      status,
      body_bytes_sent: 0,
      http_referer: '',
      http_user_agent: ua,
    });
  writeFileSync(
    join(root, 'access.json'),
    [
      line({ time_local: '01/Dec/2025:11:00:00 +0100' }, '200', UA_8841, '00562b043615'),
      line({ time_iso8601: '2025-12-01T10:30:00+00:00' }, '404', UA_6841, 'aabbccddeeff'),
    ].join('\n'),
  );
  const r = await runCli(['inspect', '--log', join(root, 'access.json'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { phones: Array<Record<string, unknown>> };
  const byKey = new Map(out.phones.map((p) => [p.key, p]));
  assert.equal(byKey.get('00562b043615')!.firstSeen, '2025-12-01T10:00:00.000Z');
  assert.equal(byKey.get('00562b043615')!.lastPath, '/cfg/00562b043615.xml');
  assert.equal(byKey.get('aabbccddeeff')!.firstSeen, '2025-12-01T10:30:00.000Z');
  assert.equal(byKey.get('aabbccddeeff')!.lastStatus, 404);
  assert.equal(r.stderr, '');
});

test('nginx escape=json with names of its own: an error naming file:line, then --log-field', async () => {
  const root = dir.fresh('nginx-own');
  const log = join(root, 'access.json');
  // A format like `log_format w3c escape=json '{"Date":"$time_iso8601","Client":"$remote_addr",…}'`.
  writeFileSync(
    log,
    JSON.stringify({
      Date: '2025-12-01T10:00:00+00:00',
      Client: '10.0.0.9',
      Method: 'GET',
      URI: '/cfg/00562b043615.xml',
      Status: 200,
      Agent: UA_8841,
    }) + '\n',
  );
  const bad = await runCli(['inspect', '--log', log]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(
    bad.stderr,
    /: no line is a JSON access-log record; .*access\.json:1: no status field \(status, DownstreamStatus\)\n/,
  );
  assert.match(bad.stderr, /hint: .*--log-field <field>=<key>/);
  noStack(bad.stderr);
  const fields = ['time=Date', 'address=Client', 'method=Method', 'path=URI', 'status=Status'];
  const r = await runCli([
    'inspect',
    '--log',
    log,
    '--json',
    ...fields.flatMap((f) => ['--log-field', f]),
    '--log-field',
    'userAgent=Agent',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const phone = (JSON.parse(r.stdout) as { phones: Array<Record<string, unknown>> }).phones[0]!;
  assert.equal(phone.key, '00562b043615');
  assert.equal(phone.address, '10.0.0.9');
  assert.equal(phone.firstSeen, '2025-12-01T10:00:00.000Z');
  assert.equal(phone.lastPath, '/cfg/00562b043615.xml');
  // Without the User-Agent's name: no phone, and a note saying which names were looked for.
  const noUa = await runCli([
    'inspect',
    '--log',
    log,
    ...fields.flatMap((f) => ['--log-field', f]),
  ]);
  assert.equal(noUa.code, 0, noUa.stderr);
  assert.match(
    noUa.stderr,
    /no line has a User-Agent field \(request>headers>User-Agent, request_User-Agent, http_user_agent, userAgent\)/,
  );
});

test('Traefik JSON: StartUTC with nanoseconds, DownstreamStatus, request_User-Agent kept', async () => {
  const root = dir.fresh('traefik');
  const record = (ua: boolean): string =>
    JSON.stringify({
      ClientAddr: '10.0.0.7:51234',
      ClientHost: '10.0.0.7',
      ClientPort: '51234',
      ClientUsername: '-',
      DownstreamContentSize: 5120,
      DownstreamStatus: 200,
      Duration: 1234567,
      RequestMethod: 'GET',
      RequestPath: '/cfg/00562b043615.xml',
      RequestProtocol: 'HTTP/1.1',
      StartUTC: '2025-12-01T10:00:00.123456789Z',
      ...(ua ? { 'request_User-Agent': UA_8841 } : {}),
      level: 'info',
      msg: '',
      time: '2025-12-01T10:00:00Z',
    });
  writeFileSync(join(root, 'kept.json'), record(true) + '\n');
  const r = await runCli(['inspect', '--log', join(root, 'kept.json'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const phone = (JSON.parse(r.stdout) as { phones: Array<Record<string, unknown>> }).phones[0]!;
  assert.equal(phone.key, '00562b043615');
  assert.equal(phone.address, '10.0.0.7');
  assert.equal(phone.firstSeen, '2025-12-01T10:00:00.123Z');
  assert.equal(phone.outcome, 'A');
  // Traefik's default drops headers: no User-Agent to tell a phone by, and the note says so.
  writeFileSync(join(root, 'dropped.json'), record(false) + '\n');
  const dropped = await runCli(['inspect', '--log', join(root, 'dropped.json')]);
  assert.equal(dropped.code, 0, dropped.stderr);
  assert.match(dropped.stderr, /no line has a User-Agent field .*Traefik drops headers/);
});

test("serve --log-format json's own log is read by inspect --log and fleet --log", async () => {
  const root = dir.fresh('serve-json');
  const record = {
    time: new Date('2025-12-01T10:00:00Z'),
    address: '10.0.0.5',
    user: null,
    method: 'GET',
    target: '/00562b043615.xml?password=********',
    protocol: 'HTTP/1.1',
    status: 200,
    bytes: 1234,
    referer: null,
    userAgent: UA_8841,
    ua: parseUserAgent(UA_8841),
    kind: 'profile' as const,
    device: { id: '00562b043615', model: '8841' },
    outcome: 'A' as const,
    durationMs: 1.5,
  };
  writeFileSync(join(root, 'serve.json'), formatJsonRecord(record) + '\n');
  const r = await runCli(['inspect', '--log', join(root, 'serve.json'), '--format', 'csv']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^00562b043615,mac,00562b043615,,10\.0\.0\.5,Cisco,mpp,CP-8841-3PCC,8841,.*,A,/m,
  );
  const f = await runCli(['fleet', '--log', join(root, 'serve.json'), '-o', join(root, 'f.html')]);
  assert.equal(f.code, 0, f.stderr);
});

test('--log-format text on a JSON log, --log-format json on a text log: the errors say what to do', async () => {
  const root = dir.fresh('forced');
  writeFileSync(join(root, 'caddy.log'), CADDY_LOG.split('\n').slice(0, 2).join('\n') + '\n');
  const text = await runCli(['inspect', '--log', join(root, 'caddy.log'), '--log-format', 'text']);
  assert.equal(text.code, 1);
  assert.match(
    text.stderr,
    /no line is in the common or combined log format \(these are JSON lines\)/,
  );
  assert.match(text.stderr, /hint: inspect --log reads JSON lines unless given --log-format text/);
  writeFileSync(
    join(root, 'combined.log'),
    `10.0.0.5 - - [25/Nov/2026:10:00:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 5120 "-" "${UA_8841}"\n`,
  );
  const json = await runCli(['fleet', '--log', join(root, 'combined.log'), '--log-format', 'json']);
  assert.equal(json.code, 1);
  assert.match(json.stderr, /no line is a JSON access-log record; .*combined\.log:1: not JSON\n/);
  noStack(json.stderr);
});

test('--log-format and --log-field are checked at the door (exit 2)', async () => {
  const cases: Array<[string[], RegExp]> = [
    [
      ['inspect', '--log', '-', '--log-field', 'agent=ua'],
      /--log-field expected <field>=<key> with a field of address, user, time/,
    ],
    [['inspect', '--log', '-', '--log-field', 'userAgent='], /--log-field userAgent needs a key/],
    [['inspect', '--log', '-', '--log-field', 'userAgent=a>'], /--log-field userAgent needs a key/],
    [
      ['inspect', '--log', '-', '--log-field', 'status=s', '--log-field', 'status=t'],
      /--log-field status is given twice/,
    ],
    [
      ['inspect', '--log', '-', '--log-format', 'text', '--log-field', 'status=s'],
      /not with --log-format text/,
    ],
    [['inspect', '--log', '-', '--log-format', 'xml'], /argument 'xml' is invalid/],
    [
      ['inspect', '--log-format', 'json', 'Cisco-CP-8841-3PCC/11.0'],
      /--log-format only applies with --log/,
    ],
    [['fleet', '--log', '-', '--log-field', 'nope=x'], /--log-field expected <field>=<key>/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args, { input: CADDY_LOG });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
});

test('parseJsonLogTime: Unix time in s/ms/µs/ns by size, CLF, RFC 3339, a zoneless time is UTC', () => {
  const at = Date.UTC(2025, 11, 1, 10, 0, 0, 500);
  assert.equal(parseJsonLogTime(1764583200.5), at); // unix_seconds_float, nginx $msec
  assert.equal(parseJsonLogTime('1764583200.500'), at); // $msec as nginx writes it, quoted
  assert.equal(parseJsonLogTime(1764583200500.0), at); // unix_milli_float
  assert.equal(parseJsonLogTime(1764583200500000), at); // microseconds
  assert.equal(parseJsonLogTime(1764583200500000000), at); // unix_nano
  assert.equal(parseJsonLogTime('01/Dec/2025:11:00:00 +0100'), at - 500); // common_log, $time_local
  assert.equal(parseJsonLogTime('2025-12-01T10:00:00.5Z'), at); // rfc3339
  assert.equal(parseJsonLogTime('2025-12-01T11:00:00.500+0100'), at); // Caddy iso8601
  assert.equal(parseJsonLogTime('2025/12/01 10:00:00.500'), at); // Caddy wall_milli: UTC
  assert.equal(parseJsonLogTime('2025-12-01 10:00:00.500'), at);
  for (const bad of [
    'yesterday',
    '',
    true,
    null,
    {},
    -5,
    Number.NaN,
    1e30,
    '32/Dec/2025:11:00:00 +0100',
  ]) {
    assert.equal(parseJsonLogTime(bad), null, String(bad));
  }
});

test('JsonLogReader: why a line is no record, never quoting it; header arrays; a key holding >', () => {
  const reader = new JsonLogReader();
  assert.equal(reader.read('{"status":200,"uri":"/x?pwd=hunter22"'), 'not JSON');
  assert.equal(reader.read('[1,2]'), 'not a JSON object');
  assert.equal(reader.read('"hunter22"'), 'not a JSON object');
  assert.equal(reader.read('{"pwd":"hunter22"}'), 'no status field (status, DownstreamStatus)');
  assert.equal(reader.read('{"status":"ok"}'), 'its status is not an HTTP status');
  assert.equal(reader.read('{"status":42}'), 'its status is not an HTTP status');
  const minimal = reader.read('{"status":"304"}');
  assert.ok(typeof minimal !== 'string');
  assert.equal(minimal.status, 304);
  assert.equal(minimal.address, '-');
  assert.equal(minimal.request, '-');
  assert.equal(minimal.timestamp, null);
  const own = new JsonLogReader({ userAgent: 'h>ua', status: 'a>b' });
  const record = own.read('{"a>b":200,"h":{"ua":["Cisco-CP-8841-3PCC/11.0 (00562b043615)","x"]}}');
  assert.ok(typeof record !== 'string');
  assert.equal(record.status, 200);
  assert.equal(record.userAgent, UA_8841);
});

test('summarizeAccessLog: logFormat text keeps JSON lines malformed; auto decides on the first line', () => {
  const lines = CADDY_LOG.split('\n');
  assert.equal(summarizeAccessLog(lines).lines.json, 4);
  const text = summarizeAccessLog(lines, { logFormat: 'text' }).lines;
  assert.equal(text.json, 0);
  assert.equal(text.malformed, 5);
  // A text log whose later line starts with `{` stays a text log.
  const mixed = summarizeAccessLog([
    `10.0.0.5 - - [25/Nov/2026:10:00:00 +0000] "GET /a.xml HTTP/1.1" 200 1 "-" "${UA_8841}"`,
    '{"status":200}',
  ]).lines;
  assert.equal(mixed.combined, 1);
  assert.equal(mixed.malformed, 1);
});

test('inspect --log: the malformed-line note agrees in number (1 of 2 lines is, 2 of 3 lines are)', async () => {
  const root = dir.fresh('plural');
  const good = `10.0.0.5 - - [25/Nov/2026:10:00:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 5120 "-" "${UA_8841}"`;
  writeFileSync(join(root, 'one.log'), `${good}\nnot a log line\n`);
  const one = await runCli(['inspect', '--log', join(root, 'one.log')]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(
    one.stderr,
    /: 1 of 2 lines is not in the common or combined log format \(counted, skipped; the first: .*one\.log:2\)\n/,
  );
  writeFileSync(join(root, 'two.log'), `junk\n${good}\nmore junk\n`);
  const two = await runCli(['inspect', '--log', join(root, 'two.log')]);
  assert.match(
    two.stderr,
    /: 2 of 3 lines are not in the common or combined log format \(counted, skipped; the first: .*two\.log:1\)\n/,
  );
  assert.doesNotMatch(one.stderr + two.stderr, /\b1 lines\b|\b1 of \d+ lines are\b/);
});

test('render -i <a name without an extension>: the format cannot be told from the name; --inventory-format (exit 2)', async () => {
  const root = dir.fresh('render-fd');
  // What `-i <(…)` hands over: /dev/fd/63, a name that says nothing of the format.
  const inventory = join(root, '63');
  writeFileSync(inventory, readFileSync(join(ROOT, 'examples/inventory.csv')));
  const r = await runCli(['render', '-i', inventory, '-t', 'templates', '-o', join(root, 'out')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /63: the inventory format cannot be told from the name \(no \.csv, \.json, \.yaml or \.yml\)\n/,
  );
  assert.match(r.stderr, /hint: give --inventory-format csv\|json\|yaml\n/);
  assert.doesNotMatch(r.stderr, /fix the file/);
  noStack(r.stderr);
  const ok = await runCli([
    'render',
    '-i',
    inventory,
    '--inventory-format',
    'csv',
    '-t',
    'templates',
    '-o',
    join(root, 'out'),
  ]);
  assert.equal(ok.code, 0, ok.stderr);
});

test('a file that is no access log: the hint names the JSON logs read too, for inspect and fleet', async () => {
  const root = dir.fresh('not-a-log');
  const file = join(root, 'profile.xml');
  writeFileSync(
    file,
    '<flat-profile>\n  <Station_Name ua="na">x</Station_Name>\n</flat-profile>\n',
  );
  for (const command of ['inspect', 'fleet']) {
    const run = await runCli([command, '--log', file]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /common or combined/);
    assert.match(run.stderr, /JSON lines \(Caddy, Traefik, nginx escape=json\)/);
    assert.equal(run.stderr.trim().split('\n').length, 2, run.stderr);
  }
});
