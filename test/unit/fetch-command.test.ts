/**
 * `fetch` in-process against real local HTTP(S) servers: every row of the status table in
 * reference §5, redirects, Basic and Digest, both ciphers with and without the header, gzip,
 * corrupt bodies, refused connections, timeouts. Encrypted bodies come from real peers: the
 * openssl CLI (AES-256-CBC) and http_ece (RFC 8188).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as ece from 'http_ece';
import { fetchProfile, type FetchOptions, type FetchResult } from '../../src/commands/fetch.js';
import { authorize, parseChallenges } from '../../src/io/http-auth.js';
import {
  checkDigest,
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
  <Resync_Periodic ua="na">7200</Resync_Periodic>
</flat-profile>
`;
const PROFILE_NO_TIMERS = '<flat-profile><Station_Name>Lobby</Station_Name></flat-profile>\n';
const PASS = 'SecretPhrase1234';
const IKM = Buffer.from('yqdlZ-tYemfogSmv7Ws5PQ', 'base64url');
const execFileAsync = promisify(execFile);
const IKM_OPTION = 'base64url:yqdlZ-tYemfogSmv7Ws5PQ';

/** `openssl enc -aes-256-cbc -md <md> -k <pass>` of the data (the phone's format, reference §3). */
function opensslEnc(data: string | Buffer, md = 'md5', pass = PASS): Buffer {
  return execFileSync('openssl', ['enc', '-aes-256-cbc', '-md', md, '-k', pass], {
    input: data,
  });
}

function rfc8188(data: string | Buffer, ikm = IKM): Buffer {
  return ece.encrypt(Buffer.from(data), { version: 'aes128gcm', key: ikm, rs: 4096 });
}

let server: TestServer;
let handler: Handler = (_req, res) => res.end();

before(async () => {
  server = await startServer((req, res, body) => handler(req, res, body));
});
after(async () => {
  await server.close();
});

/** Serves with `h` and fetches `path` (a rule or URL relative to the server). */
async function fetchWith(
  h: Handler,
  rule: string,
  options: Partial<FetchOptions> = {},
): Promise<FetchResult> {
  handler = h;
  server.requests.length = 0;
  const target = rule.replace('ORIGIN', server.origin);
  return fetchProfile(target, { ua: UA, timeout: 5, ...options });
}

const send =
  (status: number, body: string | Buffer = '', headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

describe('the status table (reference §5)', () => {
  test('200 → A; the profile is applied and the User-Agent was sent', async () => {
    const r = await fetchWith(send(200, PROFILE), 'ORIGIN/cfg/$MA.xml');
    assert.equal(r.outcome, 'A');
    assert.equal(r.status, 200);
    assert.equal(r.exitCode, 0);
    assert.equal(r.cipher, 'none');
    assert.equal(server.requests[0]?.url, '/cfg/00562b043615.xml');
    assert.equal(server.requests[0]?.headers['user-agent'], UA);
    assert.equal(server.requests[0]?.method, 'GET');
    assert.equal(Buffer.from(r.profile!).toString(), PROFILE);
  });

  for (const status of [301, 302]) {
    test(`${status} → retry at once at the Location`, async () => {
      const r = await fetchWith((req, res) => {
        if (req.url === '/old.xml') {
          res.writeHead(status, { Location: '/new.xml' });
          res.end();
        } else send(200, PROFILE)(req, res, '');
      }, 'ORIGIN/old.xml');
      assert.equal(r.outcome, 'A');
      assert.deepEqual(
        r.chain.map((h) => [new URL(h.url).pathname, h.status]),
        [
          ['/old.xml', status],
          ['/new.xml', 200],
        ],
      );
    });
  }

  for (const status of [300, 303, 304, 305, 307, 308]) {
    test(`${status} (other 3xx) → C`, async () => {
      const r = await fetchWith(send(status, '', { Location: '/x.xml' }), 'ORIGIN/a.xml');
      assert.equal(r.outcome, 'C');
      assert.equal(r.status, status);
      assert.equal(r.chain.length, 1, 'not followed');
      assert.equal(r.exitCode, 1);
    });
  }

  for (const status of [400, 403, 405, 408, 410, 418, 500, 501, 502, 503, 504, 505, 599]) {
    test(`${status} → C`, async () => {
      const r = await fetchWith(send(status, 'nope'), 'ORIGIN/a.xml');
      assert.equal(r.outcome, 'C');
      assert.equal(r.status, status);
      assert.equal(r.next.parameter, 'Resync_Error_Retry_Delay');
    });
  }

  test('404 → B; with --fnf-success (Resync_Fails_On_FNF=No) → A', async () => {
    const b = await fetchWith(send(404, 'not here'), 'ORIGIN/a.xml');
    assert.equal(b.outcome, 'B');
    assert.equal(b.exitCode, 1);
    const a = await fetchWith(send(404, 'not here'), 'ORIGIN/a.xml', { fnfSuccess: true });
    assert.equal(a.outcome, 'A');
    assert.equal(a.profile, undefined, 'nothing to save');
  });

  test('a 2xx other than 200 is not in the table: C', async () => {
    const r = await fetchWith(send(204), 'ORIGIN/a.xml');
    assert.equal(r.outcome, 'C');
    assert.match(r.reason, /not in Cisco's table/);
  });

  for (const status of [401, 407]) {
    test(`${status} → retry with --uid/--pwd (Basic), then A`, async () => {
      const expected = `Basic ${Buffer.from('admin:s3cret!').toString('base64')}`;
      const header = status === 401 ? 'authorization' : 'proxy-authorization';
      const challenge = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
      const r = await fetchWith((req, res) => {
        if (req.headers[header] === expected) send(200, PROFILE)(req, res, '');
        else send(status, '', { [challenge]: 'Basic realm="prov"' })(req, res, '');
      }, '[--uid admin --pwd "s3cret!"]ORIGIN/a.xml');
      assert.equal(r.outcome, 'A');
      assert.deepEqual(
        r.chain.map((h) => [h.status, h.auth]),
        [
          [status, 'Basic'],
          [200, undefined],
        ],
      );
    });

    test(`${status} with wrong credentials: at most 2 retries, then C`, async () => {
      const r = await fetchWith(
        send(status, '', {
          [status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate']: 'Basic realm="prov"',
        }),
        'ORIGIN/a.xml',
        { uid: 'admin', pwd: 'wrong' },
      );
      assert.equal(r.outcome, 'C');
      assert.equal(server.requests.length, 3, 'the first request and two retries');
      assert.match(r.reason, /after 2 retries/);
    });
  }

  test('401 without credentials → C at once', async () => {
    const r = await fetchWith(send(401, '', { 'WWW-Authenticate': 'Basic realm="x"' }), 'ORIGIN/a');
    assert.equal(r.outcome, 'C');
    assert.equal(server.requests.length, 1);
    assert.match(r.reason, /no --uid\/--pwd/);
  });
});

describe('Digest (RFC 7616)', () => {
  const digestHandler =
    (algorithm: string, qop: string | undefined, opaque = 'op4que'): Handler =>
    (req, res) => {
      const nonce = 'n0nce-1';
      const ok = checkDigest(req.headers.authorization, {
        user: 'admin',
        password: 'pa55',
        realm: 'prov@example.com',
        nonce,
        method: req.method ?? 'GET',
      });
      if (ok) return send(200, PROFILE)(req, res, '');
      const q = qop ? `, qop="${qop}"` : '';
      send(401, '', {
        'WWW-Authenticate': `Digest realm="prov@example.com", nonce="${nonce}", algorithm=${algorithm}${q}, opaque="${opaque}"`,
      })(req, res, '');
    };

  for (const [algorithm, qop] of [
    ['MD5', 'auth'],
    ['MD5', undefined],
    ['SHA-256', 'auth'],
    ['MD5-sess', 'auth'],
    ['SHA-256', 'auth,auth-int'],
  ] as const) {
    test(`Digest ${algorithm}${qop ? ` qop=${qop}` : ' (RFC 2069, no qop)'} → A`, async () => {
      const r = await fetchWith(digestHandler(algorithm, qop), 'ORIGIN/cfg/$MA.xml?x=1', {
        uid: 'admin',
        pwd: 'pa55',
      });
      assert.equal(r.outcome, 'A', r.reason);
      assert.equal(r.chain[0]?.auth, 'Digest');
      assert.match(
        String(server.requests[1]?.headers.authorization),
        /uri="\/cfg\/00562b043615\.xml\?x=1"/,
      );
      assert.match(String(server.requests[1]?.headers.authorization), /opaque="op4que"/);
    });
  }

  test('Digest is preferred when Basic is offered too (one header, two challenges)', async () => {
    const challenges = parseChallenges([
      'Basic realm="a", Digest realm="b", nonce="n", qop="auth"',
    ]);
    assert.deepEqual(
      challenges.map((c) => c.scheme),
      ['basic', 'digest'],
    );
    const answer = authorize(challenges, { uid: 'u', pwd: 'p' }, { method: 'GET', uri: '/' }, 'c');
    assert.equal(answer?.scheme, 'Digest');
  });

  test('the Digest check of the test server accepts curl --digest (an independent client)', async () => {
    // Guards the guard: the server's checker must agree with a real client. (Async: curl talks
    // to a server in this very process.)
    handler = digestHandler('MD5', 'auth');
    server.requests.length = 0;
    const args = ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--digest', '-u'];
    const run = async (credentials: string): Promise<string | undefined> => {
      try {
        const { stdout } = await execFileAsync('curl', [
          ...args,
          credentials,
          `${server.origin}/x.xml`,
        ]);
        return stdout;
      } catch {
        return undefined; // no curl on this machine
      }
    };
    const good = await run('admin:pa55');
    if (good === undefined) return;
    assert.equal(good, '200');
    assert.equal(await run('admin:wrong'), '401');
  });
});

describe('ciphers (reference §4)', () => {
  test('Content-Encoding: aes128gcm with the IKM → A (http_ece body)', async () => {
    const r = await fetchWith(
      send(200, rfc8188(PROFILE), { 'Content-Encoding': 'aes128gcm' }),
      'ORIGIN/a.xml',
      { ikm: IKM_OPTION },
    );
    assert.equal(r.outcome, 'A', r.reason);
    assert.equal(r.cipher, 'aes128gcm');
    assert.equal(Buffer.from(r.profile!).toString(), PROFILE);
  });

  test('Content-Encoding: aes128gcm without an IKM → B', async () => {
    const r = await fetchWith(
      send(200, rfc8188(PROFILE), { 'Content-Encoding': 'aes128gcm' }),
      'ORIGIN/a.xml',
    );
    assert.equal(r.outcome, 'B');
    assert.match(r.reason, /no IKM/);
  });

  test('Content-Encoding: aes128gcm on a plain body never falls back to plain → B', async () => {
    const r = await fetchWith(
      send(200, PROFILE, { 'Content-Encoding': 'aes128gcm' }),
      'ORIGIN/a.xml',
      { ikm: IKM_OPTION },
    );
    assert.equal(r.outcome, 'B');
    assert.match(r.reason, /bad decrypt/);
  });

  test('an aes128gcm body without the header is not decrypted → B (it is no XML)', async () => {
    const r = await fetchWith(send(200, rfc8188(PROFILE)), 'ORIGIN/a.xml', { ikm: IKM_OPTION });
    assert.equal(r.outcome, 'B');
    assert.equal(r.cipher, 'none');
  });

  test('aes128gcm with the wrong IKM → B "bad decrypt"', async () => {
    const r = await fetchWith(
      send(200, rfc8188(PROFILE, randomBytes(16)), { 'Content-Encoding': 'aes128gcm' }),
      'ORIGIN/a.xml',
      { ikm: IKM_OPTION },
    );
    assert.equal(r.outcome, 'B');
    assert.equal(r.reason, 'bad decrypt (aes128gcm)');
  });

  test('the header wins over --key: aes128gcm with a rule [--key] still needs the IKM', async () => {
    const r = await fetchWith(
      send(200, rfc8188(PROFILE), { 'Content-Encoding': 'aes128gcm' }),
      `[--key ${PASS}]ORIGIN/a.cfg`,
      { ikm: IKM_OPTION },
    );
    assert.equal(r.outcome, 'A', r.reason);
    assert.equal(r.cipher, 'aes128gcm');
  });

  test('rule [--key $SA] with GPP_SA: AES-256-CBC from openssl enc -md md5 → A', async () => {
    const r = await fetchWith(send(200, opensslEnc(PROFILE)), '[--key $SA]ORIGIN/$MA.cfg', {
      gpp: [`SA=${PASS}`],
    });
    assert.equal(r.outcome, 'A', r.reason);
    assert.equal(r.cipher, 'aes-256-cbc');
    assert.equal(r.digest, 'md5');
    assert.equal(Buffer.from(r.profile!).toString(), PROFILE);
  });

  test('--key-env supplies the passphrase for a plain URL; sha256 files open with a warning', async () => {
    process.env.CISCO_PROV_TEST_KEY = PASS;
    const r = await fetchWith(send(200, opensslEnc(PROFILE, 'sha256')), 'ORIGIN/a.cfg', {
      keyEnv: 'CISCO_PROV_TEST_KEY',
    });
    assert.equal(r.outcome, 'A', r.reason);
    assert.equal(r.digest, 'sha256');
    assert.match(r.warnings.join('\n'), /sha256 key derivation/);
    const md5Only = await fetchWith(send(200, opensslEnc(PROFILE, 'sha256')), 'ORIGIN/a.cfg', {
      keyEnv: 'CISCO_PROV_TEST_KEY',
      md: 'md5',
    });
    assert.equal(md5Only.outcome, 'B');
  });

  test('AES-256-CBC with the wrong passphrase → B', async () => {
    const r = await fetchWith(
      send(200, opensslEnc(PROFILE, 'md5', 'other')),
      '[--key $SA]ORIGIN/a.cfg',
      {
        gpp: [`SA=${PASS}`],
      },
    );
    assert.equal(r.outcome, 'B');
    assert.equal(r.reason, 'bad decrypt (aes-256-cbc)');
  });

  test('an AES-256-CBC body and a rule without --key → B', async () => {
    const r = await fetchWith(send(200, opensslEnc(PROFILE)), 'ORIGIN/a.cfg');
    assert.equal(r.outcome, 'B');
    assert.match(r.reason, /no --key/);
  });

  test('a rule with --key and a plain body → B (the phone expects Salted__)', async () => {
    const r = await fetchWith(send(200, PROFILE), `[--key ${PASS}]ORIGIN/a.cfg`);
    assert.equal(r.outcome, 'B');
    assert.match(r.reason, /no Salted__ header/);
  });
});

describe('gzip and corrupt bodies', () => {
  test('gzip inside AES-256-CBC (openssl-enc(gzip(xml))) → A', async () => {
    const r = await fetchWith(send(200, opensslEnc(gzipSync(PROFILE))), '[--key $SA]ORIGIN/a.cfg', {
      gpp: [`SA=${PASS}`],
    });
    assert.equal(r.outcome, 'A', r.reason);
    assert.equal(r.gzip, true);
    assert.equal(Buffer.from(r.profile!).toString(), PROFILE);
  });

  test('gzip inside aes128gcm, and plain gzip with Content-Encoding: gzip → A', async () => {
    const gcm = await fetchWith(
      send(200, rfc8188(gzipSync(PROFILE)), { 'Content-Encoding': 'aes128gcm' }),
      'ORIGIN/a.xml',
      { ikm: IKM_OPTION },
    );
    assert.equal(gcm.outcome, 'A', gcm.reason);
    assert.equal(gcm.gzip, true);
    const plain = await fetchWith(
      send(200, gzipSync(PROFILE), { 'Content-Encoding': 'gzip' }),
      'ORIGIN/a.xml.gz',
    );
    assert.equal(plain.outcome, 'A', plain.reason);
    assert.equal(plain.gzip, true);
  });

  test('corrupt bodies are B: truncated CBC, corrupt gzip, not XML, no flat-profile, br', async () => {
    const cbc = opensslEnc(PROFILE);
    const gz = gzipSync(PROFILE);
    const cases: [Buffer | string, string, Record<string, string>][] = [
      [cbc.subarray(0, cbc.length - 5), '[--key $SA]ORIGIN/a.cfg', {}],
      [Buffer.concat([gz.subarray(0, 20), Buffer.alloc(20, 1)]), 'ORIGIN/a.xml', {}],
      ['this is not a profile', 'ORIGIN/a.xml', {}],
      ['<flat-profile><Station_Name>x</Station_Name>', 'ORIGIN/a.xml', {}],
      ['<device><other/></device>', 'ORIGIN/a.xml', {}],
      [PROFILE, 'ORIGIN/a.xml', { 'Content-Encoding': 'br' }],
    ];
    for (const [body, rule, headers] of cases) {
      const r = await fetchWith(send(200, body, headers), rule, { gpp: [`SA=${PASS}`] });
      assert.equal(r.outcome, 'B', `${rule} ${JSON.stringify(headers)}: ${r.reason}`);
      assert.equal(r.profile, undefined);
    }
  });

  test('a body larger than --max-size → B, also when it arrives chunked', async () => {
    const big = Buffer.alloc(70_000, 0x41);
    const declared = await fetchWith(send(200, big), 'ORIGIN/a.xml', { maxSize: 64 * 1024 });
    assert.equal(declared.outcome, 'B');
    assert.match(declared.reason, /--max-size/);
    const chunked = await fetchWith(
      (_req, res) => {
        res.writeHead(200);
        res.write(big.subarray(0, 40_000));
        res.end(big.subarray(40_000));
      },
      'ORIGIN/a.xml',
      { maxSize: 64 * 1024 },
    );
    assert.equal(chunked.outcome, 'B');
    const bomb = await fetchWith(send(200, gzipSync(Buffer.alloc(200_000, 0x20))), 'ORIGIN/a', {
      maxSize: 64 * 1024,
    });
    assert.equal(bomb.outcome, 'B');
    assert.match(bomb.reason, /gunzipped profile is larger/);
  });

  test('validation errors the phone ignores still give A; --strict makes it exit 1', async () => {
    const profile = '<flat-profile><Station_Nmae>x</Station_Nmae></flat-profile>';
    const r = await fetchWith(send(200, profile), 'ORIGIN/a.xml');
    assert.equal(r.outcome, 'A');
    assert.equal(r.exitCode, 0);
    assert.equal(r.diagnostics[0]?.ruleId, 'unknown-parameter');
    const strict = await fetchWith(send(200, profile), 'ORIGIN/a.xml', { strict: true });
    assert.equal(strict.exitCode, 1);
  });
});

describe('transport', () => {
  test('HTTP/1.0 answer without Content-Length (body ends at close) → A', async () => {
    const raw = await startRawServer((socket) => {
      socket.end(`HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n${PROFILE}`);
    });
    try {
      const r = await fetchProfile(`http://127.0.0.1:${raw.port}/a.xml`, { ua: UA, timeout: 5 });
      assert.equal(r.outcome, 'A', r.reason);
      assert.equal(r.chain[0]?.httpVersion, '1.0');
      assert.equal(Buffer.from(r.profile!).toString(), PROFILE);
    } finally {
      await raw.close();
    }
  });

  test('HTTP/1.1 chunked body → A', async () => {
    const raw = await startRawServer((socket) => {
      const a = PROFILE.slice(0, 30);
      const b = PROFILE.slice(30);
      socket.end(
        `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
          `${a.length.toString(16)}\r\n${a}\r\n${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`,
      );
    });
    try {
      const r = await fetchProfile(`http://127.0.0.1:${raw.port}/a.xml`, { ua: UA, timeout: 5 });
      assert.equal(r.outcome, 'A', r.reason);
      assert.equal(Buffer.from(r.profile!).toString(), PROFILE);
    } finally {
      await raw.close();
    }
  });

  test('a body cut short (Content-Length not reached) → C', async () => {
    const raw = await startRawServer((socket) => {
      socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n${PROFILE}`);
    });
    try {
      const r = await fetchProfile(`http://127.0.0.1:${raw.port}/a.xml`, { ua: UA, timeout: 5 });
      assert.equal(r.outcome, 'C');
      assert.equal(r.status, null);
    } finally {
      await raw.close();
    }
  });

  test('connection refused → C', async () => {
    const port = await closedPort();
    const r = await fetchProfile(`http://127.0.0.1:${port}/a.xml`, { ua: UA, timeout: 5 });
    assert.equal(r.outcome, 'C');
    assert.equal(r.status, null);
    assert.match(r.reason, /connection refused/);
    assert.equal(r.next.parameter, 'Resync_Error_Retry_Delay');
  });

  test('a server that never answers → C after --timeout', async () => {
    const raw = await startRawServer(() => {});
    try {
      const r = await fetchProfile(`http://127.0.0.1:${raw.port}/a.xml`, { ua: UA, timeout: 1 });
      assert.equal(r.outcome, 'C');
      assert.match(r.reason, /within 1 s/);
    } finally {
      await raw.close();
    }
  });

  test('redirects: relative and absolute, a loop stops after --max-redirects → C', async () => {
    const r = await fetchWith((req, res) => {
      if (req.url === '/a') send(301, '', { Location: `${server.origin}/b` })(req, res, '');
      else if (req.url === '/b') send(302, '', { Location: 'c' })(req, res, '');
      else send(200, PROFILE)(req, res, '');
    }, 'ORIGIN/a');
    assert.equal(r.outcome, 'A');
    assert.deepEqual(
      r.chain.map((h) => new URL(h.url).pathname),
      ['/a', '/b', '/c'],
    );
    const loop = await fetchWith(send(302, '', { Location: '/a' }), 'ORIGIN/a', {
      maxRedirects: 3,
    });
    assert.equal(loop.outcome, 'C');
    assert.equal(loop.chain.length, 4);
    const noLocation = await fetchWith(send(301), 'ORIGIN/a');
    assert.equal(noLocation.outcome, 'C');
  });

  test('[--post a] sends a POST with the expanded GPP_A', async () => {
    const r = await fetchWith(send(200, PROFILE), '[--post a]ORIGIN/report', {
      gpp: ['A=mac=$MA&pn=$PN'],
    });
    assert.equal(r.outcome, 'A');
    assert.equal(server.requests[0]?.method, 'POST');
    assert.equal(server.requests[0]?.body, 'mac=00562b043615&pn=CP-8841-3PCC');
  });
});

describe('https', () => {
  let cert: Certificate;
  let tlsServer: TestServer;
  before(async () => {
    cert = selfSignedCertificate();
    tlsServer = await startServer(send(200, PROFILE), cert);
  });
  after(async () => {
    await tlsServer.close();
    cert.cleanup();
  });

  test('a self-signed server is C without --insecure, A with it or with --ca', async () => {
    const url = `${tlsServer.origin}/$MA.xml`;
    const refused = await fetchProfile(url, { ua: UA, timeout: 5 });
    assert.equal(refused.outcome, 'C');
    assert.match(refused.reason, /TLS/);
    const insecure = await fetchProfile(url, { ua: UA, timeout: 5, insecure: true });
    assert.equal(insecure.outcome, 'A', insecure.reason);
    const ca = await fetchProfile(url, { ua: UA, timeout: 5, ca: cert.certPath });
    assert.equal(ca.outcome, 'A', ca.reason);
    assert.equal(tlsServer.requests.at(-1)?.headers['user-agent'], UA);
  });
});

describe('next attempt (Resync_Periodic / Resync_Error_Retry_Delay)', () => {
  test('A: from the profile, else the option, else 3600 (Cisco default)', async () => {
    const fromProfile = await fetchWith(send(200, PROFILE), 'ORIGIN/a.xml');
    assert.deepEqual(
      [fromProfile.next.seconds, fromProfile.next.source, fromProfile.next.randomUpTo],
      [7200, 'profile', 40],
    );
    const fromDefault = await fetchWith(send(200, PROFILE_NO_TIMERS), 'ORIGIN/a.xml');
    assert.deepEqual([fromDefault.next.seconds, fromDefault.next.source], [3600, 'default']);
    const fromOption = await fetchWith(send(200, PROFILE_NO_TIMERS), 'ORIGIN/a.xml', {
      resyncPeriodic: '600',
      resyncRandomDelay: '0',
    });
    assert.deepEqual([fromOption.next.seconds, fromOption.next.randomUpTo], [600, 0]);
  });

  test('B and C: Resync_Error_Retry_Delay, first step of the schedule', async () => {
    const b = await fetchWith(send(404), 'ORIGIN/a.xml');
    assert.deepEqual([b.next.seconds, b.next.source, b.next.failure], [60, 'default', 1]);
    const c = await fetchWith(send(500), 'ORIGIN/a.xml', { errorRetryDelay: '3600' });
    assert.deepEqual([c.next.seconds, c.next.source], [3600, 'option']);
  });
});

describe('rule options', () => {
  test('[--alias b]: foreign XML only has to be well-formed', async () => {
    const foreign = '<config><line1><name>Lobby</name></line1></config>';
    const plain = await fetchWith(send(200, foreign), 'ORIGIN/a.xml');
    assert.equal(plain.outcome, 'B', 'without --alias it is no flat-profile');
    const aliased = await fetchWith(send(200, foreign), '[--alias b]ORIGIN/a.xml');
    assert.equal(aliased.outcome, 'A', aliased.reason);
    const broken = await fetchWith(send(200, '<config>'), '[--alias b]ORIGIN/a.xml');
    assert.equal(broken.outcome, 'B');
  });

  test('[--srv] is refused: fetch does not resolve DNS SRV', async () => {
    await assert.rejects(fetchProfile('[--srv]http://prov.example.com/a.xml', { ua: UA }), {
      exitCode: 2,
      message: /DNS SRV/,
    });
  });
});

describe('usage errors', () => {
  test('TFTP, no --ua, a bad schedule, no alternative: exit 2', async () => {
    await assert.rejects(fetchProfile('/$PSN.xml', { ua: UA }), { exitCode: 2, message: /TFTP/ });
    await assert.rejects(fetchProfile('tftp://10.0.0.1/a.cfg', { ua: UA }), { exitCode: 2 });
    await assert.rejects(fetchProfile('http://127.0.0.1/a', {}), { exitCode: 2, message: /--ua/ });
    await assert.rejects(fetchProfile('http://127.0.0.1/a', { ua: 'x\r\nX-Evil: 1' }), {
      exitCode: 2,
      message: /--ua expected printable ASCII/,
    });
    await assert.rejects(fetchProfile('http://127.0.0.1/a', { ua: UA, errorRetryDelay: 'soon' }), {
      exitCode: 2,
      message: /--error-retry-delay expected seconds/,
    });
    await assert.rejects(fetchProfile('($PN eq "CP-6841-3PCC")? http://127.0.0.1/a', { ua: UA }), {
      exitCode: 2,
      message: /no alternative/,
    });
    await assert.rejects(fetchProfile('ftp://x/a', { ua: UA }), {
      exitCode: 2,
      message: /does not parse: column 1/,
    });
  });
});
