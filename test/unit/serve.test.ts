// The pieces of `serve` in-process: path checks, route patterns, access-log lines (read back by
// the core's own combined-log parser), Digest auth, query masking, and the render cache.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAccessLogLine } from '../../src/device/access-log.js';
import { PROFILE_REQUEST } from '../helpers/request-record.js';
import { oneDeviceSite } from '../helpers/serve-site.js';
import { NonceCounts, checkAuthorization, makeNonce, parseAuthFile } from '../../src/serve/auth.js';
import { SharedNonceLedger, nonceLedgerHost } from '../../src/serve/nonce-ledger.js';
import { formatClfTime, formatCombined } from '../../src/serve/log-format.js';
import { LineBuffer } from '../../src/serve/line-buffer.js';
import { ProfileService, bootstrapVars, chooseForm } from '../../src/serve/profiles.js';
import {
  checkRequestPath,
  compileRoute,
  matchRoute,
  DEFAULT_ROUTES,
} from '../../src/serve/routes.js';
import { maskTarget, type RequestRecord } from '../../src/serve/server.js';
import { originFormOf } from '../../src/serve/request-target.js';
import { loadSite } from '../../src/serve/site.js';

function site(
  csv: string,
  template = '<flat-profile><Station_Name>{{ display_name }}</Station_Name></flat-profile>\n',
) {
  const dir = mkdtempSync(join(tmpdir(), 'serve-unit-'));
  writeFileSync(join(dir, 'inv.csv'), csv);
  writeFileSync(join(dir, 't.liquid'), template);
  return loadSite(
    {
      inventory: join(dir, 'inv.csv'),
      inventoryName: 'inv.csv',
      vars: [],
      template: join(dir, 't.liquid'),
    },
    1,
  );
}

describe('checkRequestPath', () => {
  const refused: [string, RegExp][] = [
    ['/../etc/passwd', /"\.\." segment/],
    ['/a/../b.xml', /"\.\." segment/],
    ['/%2e%2e/x', /"\.\." segment/],
    ['/%2E%2E%2Fx', /"\.\." segment|encoded "\/"/],
    ['/a%2fb.xml', /encoded "\/"/],
    ['/a%5cb.xml', /backslash/],
    ['/a\\b.xml', /backslash/],
    ['/x%00.xml', /control character/],
    ['/x%0a.xml', /control character/],
    ['/./x.xml', /"\." segment/],
    ['//x.xml', /empty/],
    ['/%zz', /percent-encoding/],
    ['x.xml', /absolute path/],
    // Absolute form (RFC 9112 §3.2.2) is accepted, but its path gets every check, and a URL
    // that is no http(s) URL, names no host or carries userinfo is refused.
    ['http://h/../etc/passwd', /"\.\." segment/],
    ['http://h/%2e%2e/x.xml', /"\.\." segment/],
    ['http://h//x.xml', /empty/],
    ['http://user:pw@h/x.xml', /userinfo/],
    ['ftp://h/x.xml', /ftp: URL/],
    ['http:///x.xml', /no host/],
    ['http://:8080/x.xml', /no host/],
    ['http:/x.xml', /absolute URL/],
    [`/${'a'.repeat(1100)}`, /longer than 1024/],
  ];
  for (const [target, why] of refused) {
    test(`refuses ${JSON.stringify(target.slice(0, 30))}`, () => {
      const r = checkRequestPath(target);
      assert.ok('refused' in r, JSON.stringify(r));
      assert.match(r.refused, why);
    });
  }
  test('accepts and decodes ordinary paths; drops the query', () => {
    assert.deepEqual(checkRequestPath('/00562b043615.xml?x=1'), { path: '00562b043615.xml' });
    assert.deepEqual(checkRequestPath('/cfg/CP-8841-3PCC.xml'), { path: 'cfg/CP-8841-3PCC.xml' });
    assert.deepEqual(checkRequestPath('/a%20b.xml'), { path: 'a b.xml' });
    assert.deepEqual(checkRequestPath('/'), { path: '' });
  });
  test('absolute form (RFC 9112 §3.2.2, a client behind a proxy): the path and query of the URL', () => {
    assert.deepEqual(checkRequestPath('http://evil/x.xml'), { path: 'x.xml' });
    assert.deepEqual(checkRequestPath('HTTP://prov.example.com:8080/cfg/x.xml?a=1'), {
      path: 'cfg/x.xml',
    });
    assert.deepEqual(checkRequestPath('https://[::1]:8443/a%20b.xml'), { path: 'a b.xml' });
    assert.deepEqual(checkRequestPath('http://h'), { path: '' });
    assert.deepEqual(originFormOf('http://h:8080/cfg/x.xml?a=1'), {
      target: '/cfg/x.xml?a=1',
      authority: 'h:8080',
    });
    assert.deepEqual(originFormOf('http://h?a=1'), { target: '/?a=1', authority: 'h' });
    assert.deepEqual(originFormOf('/x.xml'), { target: '/x.xml', authority: null });
  });
  test('a logged absolute-form target has its userinfo masked, as secret query values are', () => {
    assert.equal(
      maskTarget('http://admin:Secret99@h/x.xml?password=hunter2'),
      'http://********@h/x.xml?password=********',
    );
    assert.equal(maskTarget('http://a@b:c@h/x.xml'), 'http://********@h/x.xml');
    assert.equal(maskTarget('/a@b/x.xml'), '/a@b/x.xml');
  });
});

describe('routes', () => {
  const s = site(
    'mac,serial,model,display_name,site\n00:56:2B:04:36:15,,8841,A,hq\n,FCH2443D9R5,ATA192,B,hq\n',
  );
  const routes = DEFAULT_ROUTES.map((p) => compileRoute(p)).filter((r) => 'regex' in r);

  test('a route must name the device', () => {
    assert.match((compileRoute('/cfg/$PN.xml') as { error: string }).error, /must name the device/);
    assert.match(
      (compileRoute('$(MA:0:6).xml') as { error: string }).error,
      /must name the device/,
    );
    assert.ok('regex' in compileRoute('/$(site)/$MAC.xml'));
  });

  test('MAC in either case, serial, bootstrap names, unknown devices', () => {
    assert.equal(matchRoute(s, routes, '00562b043615.xml', true).kind, 'device');
    assert.equal(matchRoute(s, routes, '00562B043615.cfg', true).kind, 'device');
    assert.equal(matchRoute(s, routes, 'FCH2443D9R5.xml', true).kind, 'device');
    const unknown = matchRoute(s, routes, '00562b043699.xml', true);
    assert.equal(unknown.kind, 'unknown-device');
    assert.equal((unknown as { id: string }).id, '00562b043699');
    for (const name of [
      'CP-8841-3PCC.xml',
      '8841.xml',
      'spa8841.cfg',
      'ata191.cfg',
      'ATA192-MPP.xml',
    ]) {
      assert.equal(matchRoute(s, routes, name, true).kind, 'bootstrap', name);
    }
    assert.equal(matchRoute(s, routes, '8841.xml', false).kind, 'unknown-device');
    assert.equal(matchRoute(s, routes, 'index.html', true).kind, 'none');
  });

  test('a field in the pattern must match the device (render --name semantics)', () => {
    const r = compileRoute('/$(site)/$MAC.xml');
    assert.ok('regex' in r);
    assert.equal(matchRoute(s, [r], 'hq/00:56:2b:04:36:15.xml', false).kind, 'device');
    assert.equal(matchRoute(s, [r], 'branch/00:56:2b:04:36:15.xml', false).kind, 'none');
  });
});

describe('access-log lines', () => {
  const base: RequestRecord = PROFILE_REQUEST;

  test('combined format, read back by the core parser', () => {
    const line = formatCombined(base);
    assert.equal(
      line,
      '192.0.2.7 - - [30/Nov/2026:08:45:12 +0000] "GET /00562b043615.xml HTTP/1.1" 200 1234 "-" "Cisco-CP-8841-3PCC/11.0 (00562b043615)"',
    );
    const parsed = parseAccessLogLine(line);
    assert.equal(parsed?.format, 'combined');
    assert.equal(parsed?.status, 200);
    assert.equal(parsed?.timestamp, base.time.getTime());
    assert.equal(parsed?.userAgent, base.userAgent);
  });

  test('a hostile User-Agent cannot forge a second line or break the quoting', () => {
    const evil =
      'x" 200 1 "-" "y\n127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /forged HTTP/1.1" 200 1 "-" "z';
    const line = formatCombined({ ...base, userAgent: evil, user: 'a b' });
    assert.equal(line.includes('\n'), false);
    const parsed = parseAccessLogLine(line);
    assert.equal(parsed?.userAgent, evil);
    assert.equal(parsed?.status, 200);
  });

  test('secret query values are masked', () => {
    assert.equal(
      maskTarget('/a.xml?pwd=x&password=y&key=z&ikm=w&mode=1'),
      '/a.xml?pwd=********&password=********&key=********&ikm=********&mode=1',
    );
    assert.equal(maskTarget('/a.xml'), '/a.xml');
  });
});

describe('access-log buffering', () => {
  test('the lines of one event-loop turn go out in one write, in order', async () => {
    const writes: string[] = [];
    const buffer = new LineBuffer((t) => void writes.push(t), assert.fail);
    for (let i = 0; i < 5; i++) buffer.write(`line ${i}`);
    assert.equal(writes.length, 0, 'nothing is written before the turn ends');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writes, ['line 0\nline 1\nline 2\nline 3\nline 4\n']);
    buffer.write('line 5');
    buffer.flush();
    assert.deepEqual(writes.slice(1), ['line 5\n']);
    assert.deepEqual(buffer.stats, { lines: 6, writes: 2 });
  });

  test('past the size limit a batch is written at once; a failing write is reported, not thrown', () => {
    const writes: string[] = [];
    const errors: string[] = [];
    const buffer = new LineBuffer((t) => void writes.push(t), assert.fail, 100);
    for (let i = 0; i < 30; i++) buffer.write(`0123456789 ${i}`);
    assert.ok(writes.length >= 3, `written in ${writes.length} batches before the turn ended`);
    buffer.flush();
    assert.equal(writes.join('').split('\n').length - 1, 30);
    const failing = new LineBuffer(
      () => {
        throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      },
      (e) => void errors.push((e as NodeJS.ErrnoException).code ?? ''),
    );
    failing.write('x');
    failing.flush();
    assert.deepEqual(errors, ['ENOSPC']);
  });

  test('with an atomic size, each write holds whole lines within it (a pipe shared by workers)', () => {
    const writes: string[] = [];
    const buffer = new LineBuffer((t) => void writes.push(t), assert.fail, 64 * 1024, 100);
    const lines = Array.from({ length: 40 }, (_, i) => `${'é'.repeat(i % 7)} line ${i}`);
    lines.push('x'.repeat(250)); // longer than the limit: alone
    for (const l of lines) buffer.write(l);
    buffer.flush();
    assert.equal(writes.join(''), lines.map((l) => `${l}\n`).join(''));
    for (const w of writes) {
      assert.ok(w.endsWith('\n'));
      assert.ok(
        Buffer.byteLength(w) <= 100 || w.split('\n').length === 2,
        `${Buffer.byteLength(w)} bytes`,
      );
    }
    assert.ok(writes.length > 5);
  });

  test('CLF time is right across a second boundary (it is made once per second)', () => {
    assert.equal(formatClfTime(new Date('2026-11-30T08:45:12.100Z')), '30/Nov/2026:08:45:12 +0000');
    assert.equal(formatClfTime(new Date('2026-11-30T08:45:12.900Z')), '30/Nov/2026:08:45:12 +0000');
    assert.equal(formatClfTime(new Date('2026-11-30T08:45:13.000Z')), '30/Nov/2026:08:45:13 +0000');
    assert.equal(formatClfTime(new Date('2026-01-01T00:00:00.000Z')), '01/Jan/2026:00:00:00 +0000');
  });
});

describe('auth', () => {
  const config = parseAuthFile('# phones\nphone:pr0v-pass\n', 'auth');
  assert.ok('users' in config);

  test('auth file errors name the line, never the password', () => {
    assert.deepEqual(parseAuthFile('nocolon\n', 'a.auth'), {
      error: 'a.auth: line 1: expected user:password',
    });
    assert.deepEqual(parseAuthFile('# only comments\n', 'a.auth'), {
      error: 'a.auth: no user:password line',
    });
  });

  test('Digest: a right answer passes, a wrong URI, password or an old nonce does not', () => {
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const answer = (nonce: string, uri: string, password: string): string => {
      const ha1 = md5(`phone:cisco-prov:${password}`);
      const response = md5(`${ha1}:${nonce}:00000001:abc:auth:${md5(`GET:${uri}`)}`);
      return `Digest username="phone", realm="cisco-prov", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="abc", response="${response}"`;
    };
    const now = Date.now();
    const nonce = makeNonce(config, now);
    assert.deepEqual(
      checkAuthorization(config, answer(nonce, '/a.xml', 'pr0v-pass'), 'GET', '/a.xml', now),
      { ok: true, user: 'phone' },
    );
    assert.equal(
      checkAuthorization(config, answer(nonce, '/b.xml', 'pr0v-pass'), 'GET', '/a.xml', now).ok,
      false,
    );
    assert.equal(
      checkAuthorization(config, answer(nonce, '/a.xml', 'guess'), 'GET', '/a.xml', now).ok,
      false,
    );
    const old = makeNonce(config, now - 10 * 60_000);
    assert.deepEqual(
      checkAuthorization(config, answer(old, '/a.xml', 'pr0v-pass'), 'GET', '/a.xml', now),
      { ok: false, stale: true, user: 'phone', reason: 'Digest nonce expired or not ours' },
    );
    const forged = `${now.toString(36)}.AAAAAAAAAAAAAAAAAAAAAA`;
    assert.equal(
      checkAuthorization(config, answer(forged, '/a.xml', 'pr0v-pass'), 'GET', '/a.xml', now).ok,
      false,
    );
  });

  test('Digest through a proxy (absolute-form target): the uri may be the URL or its path, not another path', () => {
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const answer = (nonce: string, uri: string): string => {
      const ha1 = md5('phone:cisco-prov:pr0v-pass');
      const response = md5(`${ha1}:${nonce}:00000001:abc:auth:${md5(`GET:${uri}`)}`);
      return `Digest username="phone", realm="cisco-prov", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="abc", response="${response}"`;
    };
    const now = Date.now();
    const url = 'http://prov.example.com:8080/a.xml';
    for (const uri of [url, '/a.xml']) {
      const nonce = makeNonce(config, now);
      assert.deepEqual(checkAuthorization(config, answer(nonce, uri), 'GET', url, now), {
        ok: true,
        user: 'phone',
      });
    }
    for (const uri of ['/b.xml', 'http://prov.example.com:8080/b.xml']) {
      const nonce = makeNonce(config, now);
      assert.equal(checkAuthorization(config, answer(nonce, uri), 'GET', url, now).ok, false);
    }
  });
});

describe('Digest nonce counts', () => {
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
  const config = parseAuthFile('phone:pr0v-pass\n', 'a.auth');
  if ('error' in config) throw new Error(config.error);
  const answer = (nonce: string, nc: string | null): string => {
    const ha1 = md5('phone:cisco-prov:pr0v-pass');
    const ha2 = md5('GET:/a.xml');
    if (nc === null) {
      return `Digest username="phone", realm="cisco-prov", nonce="${nonce}", uri="/a.xml", response="${md5(`${ha1}:${nonce}:${ha2}`)}"`;
    }
    const response = md5(`${ha1}:${nonce}:${nc}:abc:auth:${ha2}`);
    return `Digest username="phone", realm="cisco-prov", nonce="${nonce}", uri="/a.xml", qop=auth, nc=${nc}, cnonce="abc", response="${response}"`;
  };

  test('each count once, counts only rise; a qop-less nonce is good once; nc must be 8 hex digits', () => {
    const counts = new NonceCounts();
    const now = Date.now();
    const nonce = makeNonce(config, now);
    const check = (header: string) =>
      checkAuthorization(config, header, 'GET', '/a.xml', now, counts);
    assert.equal(check(answer(nonce, '00000001')).ok, true);
    const replay = check(answer(nonce, '00000001'));
    assert.deepEqual(replay, {
      ok: false,
      stale: true,
      user: 'phone',
      reason: 'Digest nonce count 00000001 already used for this nonce (a replay?)',
    });
    assert.equal(check(answer(nonce, '00000003')).ok, true);
    assert.equal(check(answer(nonce, '00000002')).ok, false);
    assert.equal(check(answer(nonce, '00000004')).ok, true);
    assert.equal(check(answer(nonce, '00000000')).ok, false);
    const other = makeNonce(config, now + 1);
    assert.equal(check(answer(other, '00000000')).ok, false, 'counts start at 1');
    assert.equal(check(answer(other, '00000001')).ok, true, 'each nonce has its own count');
    const plain = makeNonce(config, now + 2);
    assert.equal(check(answer(plain, null)).ok, true);
    assert.equal(check(answer(plain, null)).ok, false);
    const bad = check(answer(makeNonce(config, now + 3), '1'));
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.stale, false);
  });

  test('entries expire with their nonce; past the limit the oldest go and older nonces are refused', () => {
    const counts = new NonceCounts(3, 1000);
    assert.equal(counts.accept('a', 1000, 1, 1000), true);
    assert.equal(counts.accept('b', 1500, 1, 1500), true);
    assert.equal(counts.size, 2);
    // 2.6 s later 'a' and 'b' have expired (1 s lifetime) and are swept.
    assert.equal(counts.accept('c', 4000, 1, 4100), true);
    assert.equal(counts.size, 1);
    assert.equal(counts.accept('d', 4100, 1, 4100), true);
    assert.equal(counts.accept('e', 4200, 1, 4200), true);
    assert.equal(counts.accept('f', 4300, 1, 4300), true); // over the limit: 'c' goes
    assert.equal(counts.size, 3);
    assert.equal(counts.accept('c', 4000, 2, 4300), false, 'a dropped nonce is refused');
    assert.equal(counts.accept('g', 3900, 1, 4300), false, 'so is any nonce issued before it');
    assert.equal(counts.accept('d', 4100, 2, 4300), true);
  });

  test('--workers: two workers asking one primary ledger refuse a replay to either of them', async () => {
    const host = nonceLedgerHost();
    // Two workers' ledgers, wired to the primary as cluster IPC would (asynchronously).
    const worker = (): SharedNonceLedger => {
      const ledger: SharedNonceLedger = new SharedNonceLedger((message) =>
        setImmediate(() => ledger.receive(host(message))),
      );
      return ledger;
    };
    const [one, two] = [worker(), worker()];
    const now = Date.now();
    const nonce = makeNonce(config, now);
    const check = (ledger: SharedNonceLedger, nc: string) =>
      checkAuthorization(config, answer(nonce, nc), 'GET', '/a.xml', now, ledger);
    const first = check(one, '00000001');
    assert.ok(first instanceof Promise, 'a shared ledger answers later');
    assert.equal((await first).ok, true);
    assert.equal((await check(two, '00000001')).ok, false, 'the replay to the other worker');
    assert.equal((await check(one, '00000001')).ok, false);
    assert.equal((await check(two, '00000002')).ok, true, 'the count rises across workers');
    assert.equal(host({ type: 'something else' }), undefined);
    assert.equal(one.receive({ type: 'something else' }), false);
    // A primary that never answers: refused (stale) after the timeout, never accepted.
    const silent = new SharedNonceLedger(() => {}, 20);
    assert.equal(await silent.accept(nonce, now, 9, now), false);
  });
});

describe('ProfileService', () => {
  const s = site(
    'mac,model,display_name,profile_key,profile_ikm\n00562b043615,8841,A,k-3615-pass,\n00562b043616,8841,B,,ikm-3616\n00562b043617,8841,C,,\n',
  );
  const keys = { md: 'md5' as const, keyField: 'profile_key', ikmField: 'profile_ikm' };
  const [a, b, c] = s.devices;

  test("a device's bootstrap variables carry the key serve seals its .cfg with, and only that one", () => {
    const own = bootstrapVars(a!, keys);
    assert.equal(own.vars.profile_key, 'k-3615-pass');
    assert.equal('profile_ikm' in own.vars, false);
    assert.ok(own.secretValues.includes('k-3615-pass'));
    const gcm = bootstrapVars(b!, keys);
    assert.equal(gcm.vars.profile_ikm, 'ikm-3616');
    assert.equal('profile_key' in gcm.vars, false);
    // No key: the device's own variables, untouched.
    assert.equal(bootstrapVars(c!, keys).vars, c!.vars);
    // One shared passphrase (--key): each known phone's bootstrap hands it over.
    const shared = bootstrapVars(c!, { md: 'md5', passphrase: 'shared-pass' });
    assert.equal(shared.vars.profile_key, 'shared-pass');
    assert.ok(shared.secretValues.includes('shared-pass'));
    assert.equal(c!.vars.profile_key, undefined, 'the site itself is not changed');
  });

  test('form: IKM → aes128gcm; key and .cfg → AES-256-CBC; else plain; --encrypt refuses plain', () => {
    assert.equal((chooseForm(a!, '.cfg', keys) as { form: string }).form, 'aes-256-cbc');
    assert.equal((chooseForm(a!, '.xml', keys) as { form: string }).form, 'plain');
    assert.equal((chooseForm(b!, '.xml', keys) as { form: string }).form, 'aes128gcm');
    assert.equal((chooseForm(c!, '.cfg', keys) as { form: string }).form, 'plain');
    assert.match(
      (chooseForm(c!, '.cfg', { ...keys, require: 'aes-256-cbc' }) as { error: string }).error,
      /no passphrase/,
    );
    assert.match(
      (chooseForm(c!, '.xml', { ...keys, require: 'aes128gcm' }) as { error: string }).error,
      /no IKM/,
    );
  });

  test('an unchanged render comes from the cache; another device or form does not', () => {
    const service = new ProfileService({ keys, gzip: false, cacheSize: 10 });
    const subject = (d: typeof a) =>
      ProfileService.deviceSubject(d!, (d!.template as { path: string }).path, 'x.xml');
    const first = service.profile(s, subject(a), { form: 'plain' });
    const again = service.profile(s, subject(a), { form: 'plain' });
    assert.equal(first.cached, false);
    assert.equal(again.cached, true);
    assert.deepEqual(again.ok && again.body, first.ok && first.body);
    assert.equal(service.profile(s, subject(c), { form: 'plain' }).cached, false);
    assert.equal(
      service.profile(s, subject(a), { form: 'aes-256-cbc', passphrase: 'k-3615-pass' }).cached,
      false,
    );
    const none = new ProfileService({ keys, gzip: false, cacheSize: 0 });
    none.profile(s, subject(a), { form: 'plain' });
    assert.equal(none.profile(s, subject(a), { form: 'plain' }).cached, false);
  });

  test('a failing profile names the rule and masks the device secrets', () => {
    const bad = site(
      'mac,model,sip.password\n00562b043615,8841,hunter2-secret\n',
      '<flat-profile><Resync_Periodic>{{ sip.password }}</Resync_Periodic></flat-profile>\n',
    );
    const d = bad.devices[0]!;
    const r = new ProfileService({ keys, gzip: false, cacheSize: 0 }).profile(
      bad,
      ProfileService.deviceSubject(d, (d.template as { path: string }).path, 'x.xml'),
      { form: 'plain' },
    );
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.ruleId, 'invalid-value');
    assert.equal(r.reason.includes('hunter2-secret'), false, r.reason);
  });
});

describe('ProvisioningServer in-process: the fleet hook', () => {
  test('onRequest hands one record per request; addPage serves a page built from them', async () => {
    const { config } = oneDeviceSite('serve-hook-');
    const { ProvisioningServer } = await import('../../src/serve/index.js');
    const server = new ProvisioningServer({
      ...config,
      timeouts: { headersMs: 5000, requestMs: 5000, keepAliveMs: 1000, idleMs: 5000 },
    });
    const records: RequestRecord[] = [];
    const lastSeen = new Map<string, RequestRecord>();
    server.onRequest((r) => {
      records.push(r);
      if (r.device) lastSeen.set(r.device.id, r);
    });
    server.addPage('/fleet', () => ({
      contentType: 'application/json',
      body: JSON.stringify(
        [...lastSeen.values()].map((r) => ({
          id: r.device!.id,
          status: r.status,
          outcome: r.outcome,
        })),
      ),
    }));
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      const get = async (path: string, ua: string) => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          headers: { 'User-Agent': ua },
        });
        return { status: res.status, text: await res.text() };
      };
      assert.equal(
        (await get('/00562b043615.xml', 'Cisco-CP-8841-3PCC/11.0 (00562b043615)')).status,
        200,
      );
      assert.equal(
        (await get('/00562b043615.xml', 'Cisco-CP-8841-3PCC/11.0 (00562b043616)')).status,
        403,
      );
      assert.equal((await get('/00562b043699.xml', 'curl/8')).status, 404);
      const fleet = await get('/fleet', 'browser');
      assert.deepEqual(JSON.parse(fleet.text), [{ id: '00562b043615', status: 403, outcome: 'C' }]);
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(
        records.map((r) => [r.status, r.kind, r.outcome, r.ua?.mac ?? null]),
        [
          [200, 'profile', 'A', '00562b043615'],
          [403, 'profile', 'C', '00562b043616'],
          [404, 'profile', 'B', null],
          [200, 'page', 'A', null], // an addPage page: the server's own (serve10)
        ],
      );
      assert.match(
        records[1]!.reason!,
        /User-Agent MAC 00562b043616 is not the MAC of 00562b043615/,
      );
      assert.equal(records[0]!.time instanceof Date, true);
    } finally {
      await server.close();
    }
  });
});

describe('reports', () => {
  test('the newest --reports-keep per device stay, mode 0600 in a 0700 directory', async () => {
    const { ReportStore } = await import('../../src/serve/reports.js');
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const dir = join(mkdtempSync(join(tmpdir(), 'serve-reports-')), 'reports');
    const store = new ReportStore({ dir, keep: 5, maxPlaintextBytes: 1 << 20 });
    for (let i = 0; i < 7; i++) {
      store.save(
        '00562b043615',
        Buffer.from(`<r n="${i}"/>`),
        new Date(Date.UTC(2026, 10, 30, 9, 0, i)),
      );
    }
    const files = readdirSync(join(dir, '00562b043615')).sort();
    assert.equal(files.length, 5);
    assert.deepEqual(
      files.map((f) => readFileSync(join(dir, '00562b043615', f), 'utf8')),
      [2, 3, 4, 5, 6].map((i) => `<r n="${i}"/>`),
    );
    assert.equal(statSync(join(dir, '00562b043615', files[0]!)).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, '00562b043615')).mode & 0o777, 0o700);
    assert.throws(() => store.save('../x', Buffer.from('<r/>')), /unsafe device id/);
  });

  test('a gzip bomb or an oversized report is refused (413), a non-XML one (400)', async () => {
    const { openReport } = await import('../../src/serve/reports.js');
    const { gzipSync } = await import('node:zlib');
    const bomb = gzipSync(Buffer.alloc(10_000_000, 0x20));
    const r1 = openReport(bomb, undefined, {}, 1 << 20);
    assert.ok('status' in r1);
    assert.equal(r1.status, 413);
    const r2 = openReport(Buffer.from('not xml at all'), undefined, {}, 1 << 20);
    assert.ok('status' in r2);
    assert.equal(r2.status, 400);
    const r3 = openReport(Buffer.from('<flat-profile/>'), 'br', {}, 1 << 20);
    assert.ok('status' in r3);
    assert.equal(r3.status, 415);
    const ok = openReport(gzipSync(Buffer.from('<flat-profile/>')), undefined, {}, 1 << 20);
    assert.ok('plaintext' in ok);
    assert.equal(Buffer.from(ok.plaintext).toString(), '<flat-profile/>');
  });
});
