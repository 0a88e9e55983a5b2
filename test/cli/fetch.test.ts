/** `cisco-prov fetch`, spawned as a user runs it, against real local HTTP(S) servers. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliShared } from '../helpers/run-cli.js';
import {
  closedPort,
  selfSignedCertificate,
  startRawServer,
  startServer,
  type Certificate,
  type Handler,
  type TestServer,
} from '../helpers/http-server.js';

// Seed excerpt: "User-Agent: Cisco-CP-8841-3PCC/11.0 (00562b043615)".
const UA = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';
const PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
  <Station_Name ua="na">Front desk</Station_Name>
  <Admin_Passwd ua="na">hunter22</Admin_Passwd>
</flat-profile>
`;
const PASS = 'SecretPhrase1234';

let server: TestServer;
let handler: Handler = (_req, res) => res.end();
let dir: string;
let cert: Certificate;
let tlsServer: TestServer;

before(async () => {
  server = await startServer((req, res, body) => handler(req, res, body));
  cert = selfSignedCertificate();
  tlsServer = await startServer((_req, res) => res.end(PROFILE), cert);
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-fetch-'));
});
after(async () => {
  await server.close();
  await tlsServer.close();
  cert.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('--json: outcome A, the documented shape, the profile saved 0600 with -o', async () => {
  const encrypted = execFileSync('openssl', ['enc', '-aes-256-cbc', '-md', 'md5', '-k', PASS], {
    input: PROFILE,
  });
  handler = (req, res) => {
    if (req.url === '/old/00562b043615.cfg') {
      res.writeHead(302, { Location: '/cfg/00562b043615.cfg' });
      res.end();
    } else res.end(encrypted);
  };
  const out = join(dir, 'profile.xml');
  const run = await runCli(
    [
      'fetch',
      `[--key $SA]${server.origin}/old/$MA.cfg`,
      '--ua',
      UA,
      '--key-env',
      'FETCH_TEST_KEY',
      '--json',
      '-o',
      out,
    ],
    { env: { FETCH_TEST_KEY: PASS } },
  );
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout);
  for (const key of [
    'outcome',
    'status',
    'url',
    'chain',
    'cipher',
    'nextAttemptSeconds',
    'diagnostics',
  ]) {
    assert.ok(key in json, key);
  }
  assert.equal(json.outcome, 'A');
  assert.equal(json.status, 200);
  assert.equal(json.url, `${server.origin}/cfg/00562b043615.cfg`);
  assert.deepEqual(
    json.chain.map((h: { url: string; status: number }) => [h.url, h.status]),
    [
      [`${server.origin}/old/00562b043615.cfg`, 302],
      [`${server.origin}/cfg/00562b043615.cfg`, 200],
    ],
  );
  assert.equal(json.cipher, 'aes-256-cbc');
  assert.equal(json.nextAttemptSeconds, 3600);
  assert.deepEqual(json.diagnostics, []);
  assert.equal(readFileSync(out, 'utf8'), PROFILE);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.doesNotMatch(run.stderr, /has no value/, '--key-env stands in for $SA');
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(`${PASS}|hunter22`));
});

test('outcome B: exit 1, a table on stdout, -o leaves the existing file alone', async () => {
  handler = (_req, res) => {
    res.writeHead(404);
    res.end();
  };
  const out = join(dir, 'keep.xml');
  writeFileSync(out, 'old');
  const run = await runCli(['fetch', `${server.origin}/$MA.xml`, '--ua', UA, '-o', out]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^GET http:\/\/127\.0\.0\.1:\d+\/00562b043615\.xml {2}404 Not Found$/m);
  assert.match(run.stdout, /^outcome +B \(file not found or corrupt profile\)/m);
  assert.match(run.stdout, /^next +in 60 s \(Resync_Error_Retry_Delay = 60,120,/m);
  assert.equal(readFileSync(out, 'utf8'), 'old');
  assert.match(
    run.stderr,
    /nothing written to \S+keep\.xml: outcome B \(an existing file is left as it was\)/,
  );
});

test('outcome C: connection refused, exit 1, --json status null', async () => {
  const port = await closedPort();
  const run = await runCli(['fetch', `http://127.0.0.1:${port}/a.xml`, '--ua', UA, '--json']);
  assert.equal(run.code, 1);
  const json = JSON.parse(run.stdout);
  assert.equal(json.outcome, 'C');
  assert.equal(json.status, null);
  assert.equal(json.nextAttemptSeconds, 60);
});

test('Digest with --pwd-env: the password never appears; a plaintext secret is a warning', async () => {
  handler = (req, res) => {
    if (req.headers.authorization?.startsWith('Digest ')) res.end(PROFILE);
    else {
      res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="r", nonce="abc", qop="auth"' });
      res.end();
    }
  };
  const run = await runCli(
    ['fetch', `[--uid admin]${server.origin}/a.xml`, '--ua', UA, '--pwd-env', 'FETCH_PWD'],
    { env: { FETCH_PWD: 'pa55word' } },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /401 Unauthorized → retry with Digest credentials/);
  assert.match(run.stdout, /plaintext-secret/);
  assert.doesNotMatch(run.stdout + run.stderr, /pa55word|hunter22/);
});

test('https: self-signed is C without --insecure and A with it', async () => {
  const url = `${tlsServer.origin}/$MA.xml`;
  const refused = await runCli(['fetch', url, '--ua', UA]);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /TLS .* failed/);
  const ok = await runCli(['fetch', url, '--ua', UA, '--insecure', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).outcome, 'A');
});

test('--ca: a file without a PEM certificate (a key, /etc/hostname) is exit 2 before any request', async () => {
  const url = `${tlsServer.origin}/$MA.xml`;
  const keyFile = join(dir, 'key.pem');
  writeFileSync(keyFile, cert.key);
  const key = await runCli(['fetch', url, '--ua', UA, '--ca', keyFile]);
  assert.equal(key.code, 2);
  assert.match(
    key.stderr,
    /--ca \S+key\.pem: no PEM certificate .*\n {2}hint: this is a private key/,
  );
  assert.doesNotMatch(key.stderr, /BEGIN (EC )?PRIVATE/);
  const text = join(dir, 'hostname');
  writeFileSync(text, 'prov\n');
  const other = await runCli(['fetch', url, '--ua', UA, '--ca', text]);
  assert.equal(other.code, 2);
  assert.equal(other.stdout, '');
  const ok = await runCli(['fetch', url, '--ua', UA, '--ca', cert.certPath, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
});

test('TFTP is not supported (exit 2); a missing --ua is exit 2', async () => {
  const tftp = await runCli(['fetch', '/$PSN.xml', '--ua', UA]);
  assert.equal(tftp.code, 2);
  assert.match(tftp.stderr, /does not support TFTP \(the rule expands to \/8841\.xml\)/);
  const noUa = await runCli(['fetch', 'http://127.0.0.1/a.xml']);
  assert.equal(noUa.code, 2);
});

test('--help names the [open] defaults', async () => {
  const run = await runCliShared(['fetch', '--help']);
  assert.equal(run.code, 0);
  const help = run.stdout.replace(/\s+/g, ' '); // commander wraps lines
  assert.match(
    help,
    /--timeout <seconds> for each request \[open: Cisco documents none; default 30\]/,
  );
  assert.match(
    help,
    /--max-redirects <n> 301\/302 to follow \[open: Cisco documents no limit; default 5\]/,
  );
  assert.match(
    help,
    /--error-retry-delay <schedule> Resync_Error_Retry_Delay for B and C \[open: older firmware 3600/,
  );
  assert.match(help, /--after-failure <what> .*\[open: .*default continue\]/);
});

test('the resync: Profile_Rule, then the Profile_Rule_B its profile sets; -o gets both combined', async () => {
  const common = `<flat-profile>
  <Station_Name ua="na">Common</Station_Name>
  <Resync_Periodic>600</Resync_Periodic>
  <Profile_Rule_B ua="na">${server.origin}/cfg/$MA.xml</Profile_Rule_B>
</flat-profile>
`;
  handler = (req, res) => {
    if (req.url === '/common.xml') res.end(common);
    else if (req.url === '/cfg/00562b043615.xml') res.end(PROFILE);
    else {
      res.writeHead(404);
      res.end();
    }
  };
  const out = join(dir, 'resync.xml');
  const human = await runCli(['fetch', `${server.origin}/common.xml`, '--ua', UA, '-o', out]);
  assert.equal(human.code, 0, human.stderr);
  const lines = human.stdout.split('\n');
  assert.equal(lines[0], 'Profile_Rule (from the argument)');
  assert.match(lines[1] ?? '', /^ {2}GET http:\/\/127\.0\.0\.1:\d+\/common\.xml {2}200 OK$/);
  assert.equal(
    lines[4],
    `Profile_Rule_B (set by ${server.origin}/common.xml)`,
    'B comes from the profile',
  );
  assert.match(
    human.stdout,
    /^resync +A \(success\): Profile_Rule_B: 200: the profile is applied$/m,
  );
  assert.match(human.stdout, /^next +in 600 s .*from the profile/m);
  const saved = readFileSync(out, 'utf8');
  assert.match(saved, /<Station_Name ua="na">Front desk<\/Station_Name>/, 'the later file wins');
  assert.match(saved, /<Resync_Periodic>600<\/Resync_Periodic>/);
  assert.match(saved, /<Admin_Passwd ua="na">hunter22<\/Admin_Passwd>/);
  assert.equal(statSync(out).mode & 0o777, 0o600);

  const json = await runCli([
    'fetch',
    `${server.origin}/common.xml`,
    '--ua',
    UA,
    '--rule-c',
    `${server.origin}/missing.xml`,
    '--json',
  ]);
  assert.equal(json.code, 1);
  const doc = JSON.parse(json.stdout);
  assert.equal(doc.outcome, 'B');
  assert.equal(doc.status, 404);
  assert.deepEqual(
    doc.rules.map((r: { rule: string; source: string; outcome: string }) => [
      r.rule,
      r.source,
      r.outcome,
    ]),
    [
      ['Profile_Rule', 'argument', 'A'],
      ['Profile_Rule_B', 'profile', 'A'],
      ['Profile_Rule_C', 'option', 'B'],
    ],
  );
  assert.doesNotMatch(json.stdout + json.stderr, /hunter22/);

  const only = await runCli([
    'fetch',
    `${server.origin}/common.xml`,
    '--ua',
    UA,
    '--only',
    'Profile_Rule',
    '--json',
  ]);
  assert.equal(only.code, 0, only.stderr);
  assert.deepEqual(
    JSON.parse(only.stdout).rules.map((r: { rule: string }) => r.rule),
    ['Profile_Rule'],
  );
  const wrong = await runCli(['fetch', 'http://127.0.0.1/a', '--ua', UA, '--only', 'B']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--only <rule>' argument 'B' is invalid/);
});

// Cisco, "Assignment Expressions": `(a = "…";)!` sets GPP_A before the URL is fetched; GPP_A is
// then the phone's own parameter, so a later rule's $A expands to it in the same resync.
test('an assignment in Profile_Rule reaches Profile_Rule_B: $B expands to what (b = …)! set', async () => {
  const seen: string[] = [];
  handler = (req, res) => {
    seen.push(req.url ?? '');
    if (req.url === '/common.xml')
      res.end('<flat-profile><Resync_Periodic>600</Resync_Periodic></flat-profile>');
    else if (req.url === '/site7/00562b043615.xml') res.end(PROFILE);
    else {
      res.writeHead(404);
      res.end();
    }
  };
  const run = await runCli([
    'fetch',
    `(b = "site7";)! ${server.origin}/common.xml`,
    '--ua',
    UA,
    '--rule-b',
    `${server.origin}/$B/$MA.xml`,
    '--json',
  ]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(seen, ['/common.xml', '/site7/00562b043615.xml']);
  assert.deepEqual(
    JSON.parse(run.stdout).rules.map((r: { rule: string; outcome: string }) => [r.rule, r.outcome]),
    [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', 'A'],
    ],
  );
});

test('a secret in the query (?pwd=…) is masked in the report, --json and -o notes', async () => {
  handler = (_req, res) => res.end(PROFILE.replace('hunter22', 'x'));
  const url = `${server.origin}/cfg/$MA.xml?mac=$MA&pwd=Qu3ry-Secret`;
  for (const extra of [[], ['--json']]) {
    const run = await runCli(['fetch', url, '--ua', UA, ...extra]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      server.requests.at(-1)?.url,
      '/cfg/00562b043615.xml?mac=00562b043615&pwd=Qu3ry-Secret',
    );
    assert.match(run.stdout, /\?mac=00562b043615&pwd=\*{8}/);
    assert.doesNotMatch(run.stdout + run.stderr, /Qu3ry-Secret/);
  }
});

test('a status line with escape sequences is shown escaped, never sent to the terminal raw', async () => {
  const raw = await startRawServer((socket) => {
    socket.end(
      'HTTP/1.1 404 Not\u001b[2J\u001b]0;owned\u0007Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    );
  });
  try {
    const run = await runCli(['fetch', `http://127.0.0.1:${raw.port}/a.xml`, '--ua', UA]);
    assert.equal(run.code, 1);
    const all = run.stdout + run.stderr;
    assert.ok(!all.includes('\u001b') && !all.includes('\u0007'), 'no raw ESC or BEL');
    assert.match(run.stdout, /404 Not\\u001b\[2J\\u001b\]0;owned\\u0007Found/);
  } finally {
    await raw.close();
  }
});

test('--json: what a server sends (its status line) reaches the terminal escaped, the JSON the same', async () => {
  const raw = await startRawServer((socket) => {
    // A C1 CSI (U+009B, a one-byte escape on some terminals) and a bidi override in the reason.
    socket.end(
      Buffer.concat([
        Buffer.from('HTTP/1.1 404 Not'),
        Buffer.from('\u009b2J\u202e', 'utf8'),
        Buffer.from('Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
      ]),
    );
  });
  try {
    const run = await runCli(['fetch', `http://127.0.0.1:${raw.port}/a.xml`, '--ua', UA, '--json']);
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stdout, /[\u0080-\u009f\u202a-\u202e]/);
    const json = JSON.parse(run.stdout);
    assert.equal(json.outcome, 'B');
    assert.match(JSON.stringify(json), /\\u009b|\u009b|Â/);
  } finally {
    await raw.close();
  }
});
