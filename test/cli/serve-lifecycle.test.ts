// `cisco-prov serve` over its lifetime: reload on change and on SIGHUP while requests keep
// coming (none may fail), a bad edit keeps the previous site, SIGTERM lets a request in flight
// finish, Basic and Digest auth, HTTPS.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNonce, parseAuthFile } from '../../src/serve/auth.js';
import { runCli } from '../helpers/run-cli.js';
import { httpRequest, startServe } from '../helpers/serve.js';

const UA = (mac: string): string => `Cisco-CP-8841-3PCC/11.0 (${mac})`;
const HEADER = 'mac,model,display_name,sip.proxy,lines.1.extension,provisioning.server';

function row(mac: string, name: string): string {
  return `${mac},8841,${name},pbx.example.com,201,https://prov.example.com`;
}

function fixture(rows: string[]): { dir: string; inventory: string } {
  const dir = mkdtempSync(join(tmpdir(), 'serve-life-'));
  const inventory = join(dir, 'inventory.csv');
  writeFileSync(inventory, `${HEADER}\n${rows.join('\n')}\n`);
  return { dir, inventory };
}

/** Replaces a file the way careful tools do: write beside it, rename over it. */
function replaceFile(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

describe('serve: reload', () => {
  test('under load: no request fails while the inventory changes and SIGHUP arrives', async () => {
    const fx = fixture([row('00562b043615', 'Reception')]);
    const server = await startServe(['-i', fx.inventory]);
    // Stopped whatever fails below: a failed assertion must not leave the server running (one
    // did, and held a full `npm test` up for 17 minutes at load 12).
    try {
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      const statuses = new Map<number, number>();
      let errors = 0;
      let total = 0;
      let reloading = true;
      // The requests go on until the reloads are done and at least 60 were made (a loaded box
      // makes fewer in the same time), at most 30 s: the point is that requests overlap reloads.
      const deadline = Date.now() + 30_000;
      const loop = async (): Promise<void> => {
        while ((reloading || total < 60) && Date.now() < deadline) {
          try {
            const res = await httpRequest(server.port, '/00562b043615.xml', {
              userAgent: UA('00562b043615'),
              agent,
            });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          } catch {
            errors++;
          }
          total++;
        }
      };
      const loops = Array.from({ length: 6 }, loop);
      let duringReloads = 0;
      try {
        for (let i = 0; i < 8; i++) {
          await new Promise((r) => setTimeout(r, 60));
          const text = `${HEADER}\n${row('00562b043615', `Reception ${i}`)}\n${row('00562b043620', 'New')}\n`;
          // Alternate: rename over (editors, config management) and rewrite in place.
          if (i % 2 === 0) replaceFile(fx.inventory, text);
          else writeFileSync(fx.inventory, text);
          if (i % 3 === 0) server.child.kill('SIGHUP');
        }
        await server.waitForStderr(/SIGHUP: serving 2 devices/);
        await server.waitForStderr(/change: serving 2 devices/);
        duringReloads = total;
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        reloading = false;
        await Promise.all(loops);
        agent.destroy();
      }
      assert.ok(duringReloads > 8, `only ${duringReloads} requests were made during the reloads`);
      assert.ok(total >= 60, `only ${total} requests were made`);
      assert.equal(errors, 0);
      assert.deepEqual([...statuses.keys()], [200], JSON.stringify([...statuses]));
      const added = await httpRequest(server.port, '/00562b043620.xml', {
        userAgent: UA('00562b043620'),
      });
      assert.equal(added.status, 200);
      const latest = await httpRequest(server.port, '/00562b043615.xml', {
        userAgent: UA('00562b043615'),
      });
      assert.match(latest.body.toString(), /<Station_Name ua="na">Reception 7<\/Station_Name>/);
      assert.equal(await server.stop(), 0);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  test('a broken edit keeps the previous site and says why', async () => {
    const fx = fixture([row('00562b043615', 'Reception')]);
    const server = await startServe(['-i', fx.inventory]);
    try {
      replaceFile(fx.inventory, `${HEADER}\n${row('00:11', 'Broken')}\n`);
      await server.waitForStderr(/kept the previous site \(generation 1\): .*row 2, field mac/);
      const res = await httpRequest(server.port, '/00562b043615.xml', {
        userAgent: UA('00562b043615'),
      });
      assert.equal(res.status, 200);
    } finally {
      await server.stop();
    }
  });

  test('a template edit is served at once (the cache is keyed by the templates)', async () => {
    const fx = fixture([row('00562b043615', 'Reception')]);
    const tpl = join(fx.dir, 'phone.liquid');
    writeFileSync(
      tpl,
      '<flat-profile><Station_Name>{{ display_name }}</Station_Name></flat-profile>\n',
    );
    const server = await startServe(['-i', fx.inventory, '-t', tpl, '--no-watch']);
    try {
      const first = await httpRequest(server.port, '/00562b043615.xml', {
        userAgent: UA('00562b043615'),
      });
      assert.match(first.body.toString(), /<Station_Name>Reception</);
      writeFileSync(
        tpl,
        '<flat-profile><Station_Name>{{ display_name }} (v2)</Station_Name></flat-profile>\n',
      );
      server.child.kill('SIGHUP');
      await server.waitForStderr(/SIGHUP: serving 1 device \(generation 2, templates changed\)/);
      const second = await httpRequest(server.port, '/00562b043615.xml', {
        userAgent: UA('00562b043615'),
      });
      assert.match(second.body.toString(), /<Station_Name>Reception \(v2\)</);
    } finally {
      await server.stop();
    }
  });
});

describe('serve: SIGTERM', () => {
  test('a request in flight finishes, new connections are refused, exit 0', async () => {
    const fx = fixture([row('00562b043615', 'Reception')]);
    const server = await startServe(['-i', fx.inventory, '--reports', join(fx.dir, 'reports')]);
    const body = Buffer.from('<flat-profile><Station_Name>R</Station_Name></flat-profile>\n');
    const response = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/reports/00562b043615.xml',
          headers: { 'User-Agent': UA('00562b043615'), 'Content-Length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, 10));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        void server.waitForStderr(/SIGTERM: finishing 1 request/).then(async () => {
          // Now closed for new connections…
          const refused = await new Promise<boolean>((r) => {
            const s = connect(server.port, '127.0.0.1');
            s.on('connect', () => {
              s.destroy();
              r(false);
            });
            s.on('error', () => r(true));
          });
          assert.equal(refused, true, 'a new connection was accepted after SIGTERM');
          // …while the request in flight gets its answer.
          req.end(body.subarray(10));
        }, reject);
      }, 200);
    });
    assert.equal(await response, 200);
    // The one SIGTERM stops it as soon as the answer is out: a second one would race its exit.
    assert.equal(await server.exited(), 0);
    assert.match(server.stderr(), /serve: stopped/);
  });
});

describe('serve: timeouts', () => {
  test('a client that never finishes its headers, or never speaks, is cut off', async () => {
    const fx = fixture([row('00562b043615', 'Reception')]);
    const server = await startServe([
      '-i',
      fx.inventory,
      '--header-timeout',
      '1',
      '--idle-timeout',
      '2',
    ]);
    try {
      const closedAfter = (payload: string): Promise<{ ms: number; data: string }> =>
        new Promise((resolve, reject) => {
          const started = Date.now();
          let data = '';
          const socket = connect(server.port, '127.0.0.1', () => socket.write(payload));
          socket.on('data', (c) => (data += c.toString()));
          socket.on('error', () => {});
          socket.on('close', () => resolve({ ms: Date.now() - started, data }));
          setTimeout(() => reject(new Error('still open after 15 s')), 15_000).unref();
        });
      const [slowHeaders, silent] = await Promise.all([
        closedAfter('GET /00562b043615.xml HTTP/1.1\r\nHost: x\r\n'),
        closedAfter(''),
      ]);
      assert.match(slowHeaders.data, /^HTTP\/1\.1 408 /);
      assert.ok(slowHeaders.ms >= 900, `closed after ${slowHeaders.ms} ms`);
      // A silent client never starts its headers: the header timeout cuts it off too.
      assert.ok(silent.ms >= 900, `closed after ${silent.ms} ms`);
    } finally {
      await server.stop();
    }
  });
});

describe('serve: --workers', () => {
  test('two processes share the port, both reload on SIGHUP, SIGTERM stops all, exit 0', async () => {
    const fx = fixture([row('00562b043615', 'Reception')]);
    const server = await startServe(['-i', fx.inventory, '--workers', '2', '--no-watch']);
    try {
      assert.match(
        server.stderr(),
        /listening on http:\/\/127\.0\.0\.1:\d+ \(1 device, 2 workers\)/,
      );
      const before = await Promise.all(
        Array.from({ length: 8 }, () =>
          httpRequest(server.port, '/00562b043615.xml', { userAgent: UA('00562b043615') }),
        ),
      );
      assert.deepEqual(new Set(before.map((r) => r.status)), new Set([200]));
      // The workers run with a larger young generation (fewer scavenges per rendered profile).
      const workers = (existsSync('/proc/self/cmdline') ? readdirSync('/proc') : [])
        .filter((e) => /^\d+$/.test(e))
        .filter((pid) => {
          try {
            const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
            return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === server.child.pid;
          } catch {
            return false;
          }
        });
      assert.equal(workers.length, existsSync('/proc/self/cmdline') ? 2 : 0);
      for (const pid of workers) {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        assert.ok(argv.includes('--max-semi-space-size=64'), argv.join(' '));
      }
      replaceFile(
        fx.inventory,
        `${HEADER}\n${row('00562b043615', 'Reception')}\n${row('00562b043620', 'New')}\n`,
      );
      server.child.kill('SIGHUP');
      await server.waitForStderr(
        /SIGHUP: serving 2 devices[^\n]*\n(?:.*\n)*.*SIGHUP: serving 2 devices/,
      );
      const after = await Promise.all(
        Array.from({ length: 8 }, () =>
          httpRequest(server.port, '/00562b043620.xml', { userAgent: UA('00562b043620') }),
        ),
      );
      assert.deepEqual(new Set(after.map((r) => r.status)), new Set([200]));
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.match(server.stderr(), /SIGTERM: stopping 2 workers/);
  });

  test('Digest nonce counts are shared: a replay is refused by every worker, a rising count accepted', async () => {
    const fx = fixture([row('00562b043615', 'Reception')]);
    const authFile = join(fx.dir, 'phones.auth');
    writeFileSync(authFile, 'phone:pr0v-pass\n', { mode: 0o600 });
    const server = await startServe([
      '-i',
      fx.inventory,
      '--auth-file',
      authFile,
      '--workers',
      '2',
      '--no-watch',
    ]);
    try {
      const path = '/00562b043615.xml';
      const ua = UA('00562b043615');
      const challenge = await httpRequest(server.port, path, { userAgent: ua });
      const nonce = /nonce="([^"]+)"/.exec(challenge.rawHeaders.join('\n'))![1]!;
      const md5 = (t: string): string => createHash('md5').update(t).digest('hex');
      const answer = (nc: string): string => {
        const ha1 = md5('phone:cisco-prov:pr0v-pass');
        const response = md5(`${ha1}:${nonce}:${nc}:c0ffee:auth:${md5(`GET:${path}`)}`);
        return `Digest username="phone", realm="cisco-prov", nonce="${nonce}", uri="${path}", qop=auth, nc=${nc}, cnonce="c0ffee", response="${response}", algorithm=MD5`;
      };
      // The same answer on 12 new connections at once, spread over both workers by the kernel:
      // one is accepted, every other is a replay, whichever worker it reaches.
      const statuses = await Promise.all(
        Array.from({ length: 12 }, () =>
          httpRequest(server.port, path, {
            userAgent: ua,
            headers: { Authorization: answer('00000001') },
          }).then((r) => r.status),
        ),
      );
      assert.deepEqual(
        statuses.sort(),
        [200, ...Array.from({ length: 11 }, () => 401)],
        `statuses: ${statuses.join(' ')}`,
      );
      const next = await httpRequest(server.port, path, {
        userAgent: ua,
        headers: { Authorization: answer('00000002') },
      });
      assert.equal(next.status, 200);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});

describe('serve: auth and TLS', () => {
  test('--auth-file: 401 with Digest and Basic challenges; both schemes let the phone in', async () => {
    const fx = fixture([row('00562b043615', 'Reception')]);
    const authFile = join(fx.dir, 'phones.auth');
    writeFileSync(authFile, '# user:password\nphone:pr0v-pass\n', { mode: 0o600 });
    const server = await startServe(['-i', fx.inventory, '--auth-file', authFile]);
    try {
      const path = '/00562b043615.xml';
      const challenge = await httpRequest(server.port, path, { userAgent: UA('00562b043615') });
      assert.equal(challenge.status, 401);
      const offers = challenge.rawHeaders.filter(
        (_, i, all) => i % 2 === 1 && all[i - 1]!.toLowerCase() === 'www-authenticate',
      );
      assert.equal(offers.length, 2);
      assert.match(
        offers.join('\n'),
        /^Digest realm="cisco-prov", qop="auth", algorithm=MD5, nonce="[^"]+"$/m,
      );
      assert.match(offers.join('\n'), /^Basic realm="cisco-prov"/m);

      const basic = await httpRequest(server.port, path, {
        userAgent: UA('00562b043615'),
        headers: { Authorization: `Basic ${Buffer.from('phone:pr0v-pass').toString('base64')}` },
      });
      assert.equal(basic.status, 200);
      const wrong = await httpRequest(server.port, path, {
        userAgent: UA('00562b043615'),
        headers: { Authorization: `Basic ${Buffer.from('phone:guess').toString('base64')}` },
      });
      assert.equal(wrong.status, 401);

      // Digest (RFC 7616, MD5, qop=auth), computed here as a phone would.
      const nonce = /nonce="([^"]+)"/.exec(offers.join('\n'))![1]!;
      const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
      const ha1 = md5('phone:cisco-prov:pr0v-pass');
      const ha2 = md5(`GET:${path}`);
      const response = md5(`${ha1}:${nonce}:00000001:0a4f113b:auth:${ha2}`);
      const digest = await httpRequest(server.port, path, {
        userAgent: UA('00562b043615'),
        headers: {
          Authorization: `Digest username="phone", realm="cisco-prov", nonce="${nonce}", uri="${path}", qop=auth, nc=00000001, cnonce="0a4f113b", response="${response}", algorithm=MD5`,
        },
      });
      assert.equal(digest.status, 200);
      // `cisco-prov fetch` answers the challenge as the phone would (its own Digest code).
      const fetched = await runCli([
        'fetch',
        `[--uid phone --pwd pr0v-pass]http://127.0.0.1:${server.port}/$MA.xml`,
        '--ua',
        UA('00562b043615'),
        '--json',
      ]);
      assert.equal(fetched.code, 0, fetched.stderr);
      const chain = (JSON.parse(fetched.stdout) as { chain: { status: number; auth?: string }[] })
        .chain;
      assert.deepEqual(
        chain.map((c) => [c.status, c.auth ?? null]),
        [
          [401, 'Digest'],
          [200, null],
        ],
      );
      await server.waitForStdout(/"GET \/00562b043615\.xml HTTP\/1\.1" 200 \d+/);
      assert.match(server.stdout(), /^127\.0\.0\.1 - phone \[/m);
      assert.equal(server.stdout().includes('pr0v-pass'), false);
      assert.equal(server.stderr().includes('pr0v-pass'), false);
    } finally {
      await server.stop();
    }
  });

  test(
    'Digest nonce counts: a replayed answer (captured from curl) gets a fresh stale challenge; counts must rise; an expired nonce is stale',
    { skip: spawnSync('curl', ['--version']).status !== 0 && 'no curl' },
    async () => {
      const fx = fixture([row('00562b043615', 'Reception')]);
      const authFile = join(fx.dir, 'phones.auth');
      const authText = 'phone:pr0v-pass\n';
      writeFileSync(authFile, authText, { mode: 0o600 });
      const server = await startServe(['-i', fx.inventory, '--auth-file', authFile]);
      try {
        const path = '/00562b043615.xml';
        const ua = UA('00562b043615');
        // curl answers the challenge with its own Digest code; its Authorization is captured.
        const curl = await new Promise<{ out: string; err: string }>((resolve, reject) =>
          execFile(
            'curl',
            [
              '-sv',
              '-o',
              '/dev/null',
              '-w',
              '%{http_code}',
              '--digest',
              '-u',
              'phone:pr0v-pass',
            ].concat(['-A', ua, `http://127.0.0.1:${server.port}${path}`]),
            (err, out, errText) => (err ? reject(err) : resolve({ out, err: errText })),
          ),
        );
        assert.equal(curl.out, '200');
        const captured = /^> Authorization: (Digest .*?)\r?$/m.exec(curl.err)![1]!;
        assert.match(captured, /nc=00000001/);
        const challengeOf = (r: { rawHeaders: string[] }): string =>
          r.rawHeaders.find(
            (v, i, all) =>
              i % 2 === 1 && /^www-authenticate$/i.test(all[i - 1]!) && v.startsWith('Digest'),
          ) ?? '';

        // The same answer again: a replay. Refused, with a new nonce marked stale.
        const replay = await httpRequest(server.port, path, {
          userAgent: ua,
          headers: { Authorization: captured },
        });
        assert.equal(replay.status, 401);
        const nonce = /nonce="([^"]+)"/.exec(captured)![1]!;
        const fresh = /nonce="([^"]+)"/.exec(challengeOf(replay))![1]!;
        assert.match(challengeOf(replay), /stale=true/);
        assert.notEqual(fresh, nonce);
        await server.waitForStderr(
          /401 GET \/00562b043615\.xml: authentication failed: Digest nonce count 00000001 already used/,
        );

        // A phone that reuses the nonce counts up: 2 passes, 2 again and 1 do not.
        const md5 = (t: string): string => createHash('md5').update(t).digest('hex');
        const answer = (n: string, nc: string): string => {
          const ha1 = md5('phone:cisco-prov:pr0v-pass');
          const response = md5(`${ha1}:${n}:${nc}:c0ffee:auth:${md5(`GET:${path}`)}`);
          return `Digest username="phone", realm="cisco-prov", nonce="${n}", uri="${path}", qop=auth, nc=${nc}, cnonce="c0ffee", response="${response}", algorithm=MD5`;
        };
        const status = async (authorization: string): Promise<number> =>
          (
            await httpRequest(server.port, path, {
              userAgent: ua,
              headers: { Authorization: authorization },
            })
          ).status;
        assert.equal(await status(answer(nonce, '00000002')), 200);
        assert.equal(await status(answer(nonce, '00000002')), 401);
        assert.equal(await status(answer(nonce, '00000001')), 401);
        assert.equal(await status(answer(nonce, '0000000a')), 200);
        // The fresh nonce from the stale challenge works from 1.
        assert.equal(await status(answer(fresh, '00000001')), 200);
        // A nonce older than five minutes (made with the same file's key) is stale.
        const config = parseAuthFile(authText, 'phones.auth');
        assert.ok(!('error' in config));
        const old = makeNonce(config, Date.now() - 6 * 60_000);
        const expired = await httpRequest(server.port, path, {
          userAgent: ua,
          headers: { Authorization: answer(old, '00000001') },
        });
        assert.equal(expired.status, 401);
        assert.match(challengeOf(expired), /stale=true/);
        await server.waitForStderr(/Digest nonce expired or not ours/);
        assert.equal(server.stdout().includes('pr0v-pass'), false);
        assert.equal(server.stderr().includes('pr0v-pass'), false);
      } finally {
        await server.stop();
      }
    },
  );

  test('--tls-cert/--tls-key: HTTPS on loopback', async () => {
    const fx = fixture([row('00562b043615', 'Reception')]);
    const cert = join(fx.dir, 'cert.pem');
    const key = join(fx.dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const server = await startServe(['-i', fx.inventory, '--tls-cert', cert, '--tls-key', key]);
    try {
      assert.match(server.stderr(), /listening on https:\/\/127\.0\.0\.1:/);
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/00562b043615.xml',
            rejectUnauthorized: false,
            headers: { 'User-Agent': UA('00562b043615') },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 200);
    } finally {
      await server.stop();
    }
  });
});
