/**
 * The pieces of `fetch` that need no network: resync schedules and the next attempt
 * (src/profile/resync.ts), and HTTP authentication answers (src/io/http-auth.ts) checked against
 * the RFC 2617 and RFC 7616 worked examples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ScheduleError,
  defaultTimer,
  nextAttempt,
  parseSchedule,
  scheduleStep,
} from '../../src/profile/resync.js';
import { authorize, digestAuthorization, parseChallenges } from '../../src/io/http-auth.js';

test('schedules: seconds, lists (the last repeats) and random spreads', () => {
  assert.deepEqual(parseSchedule('3600'), [{ seconds: 3600, randomUpTo: 0 }]);
  assert.deepEqual(parseSchedule('1800+300'), [{ seconds: 1800, randomUpTo: 300 }]);
  const list = parseSchedule('60, 120,240+30');
  assert.deepEqual(list, [
    { seconds: 60, randomUpTo: 0 },
    { seconds: 120, randomUpTo: 0 },
    { seconds: 240, randomUpTo: 30 },
  ]);
  assert.equal(scheduleStep(list, 1).seconds, 60);
  assert.equal(scheduleStep(list, 3).seconds, 240);
  assert.equal(scheduleStep(list, 9).seconds, 240, 'the last step repeats');
});

test('schedules: wrong inputs name what was expected and what arrived', () => {
  for (const bad of ['', 'soon', '60,,120', '-5', '1e3', '60+', '+60', '1.5']) {
    assert.throws(
      () => parseSchedule(bad, '--error-retry-delay'),
      (err: unknown) =>
        err instanceof ScheduleError &&
        err.message.startsWith('--error-retry-delay expected seconds (3600)') &&
        err.message.endsWith(`got ${JSON.stringify(bad)}`),
    );
  }
});

test("Cisco's defaults come from the catalog: 3600, the 2025 backoff list, 2 × 20 s", () => {
  assert.equal(defaultTimer('Resync_Periodic'), '3600');
  assert.match(defaultTimer('Resync_Error_Retry_Delay'), /^60,120,240,.*,86400$/);
  assert.equal(defaultTimer('Resync_Random_Delay'), '2');
});

test('next attempt: A waits Resync_Periodic plus the random delay; 0 turns it off', () => {
  const timers = {
    periodic: { value: '3600', source: 'default' as const },
    randomDelay: { value: '2', source: 'default' as const },
    errorRetry: { value: '60,120', source: 'default' as const },
  };
  assert.deepEqual(nextAttempt('A', timers), {
    seconds: 3600,
    randomUpTo: 40,
    parameter: 'Resync_Periodic',
    value: '3600',
    source: 'default',
  });
  const off = nextAttempt('A', { ...timers, periodic: { value: '0', source: 'profile' } });
  assert.equal(off.seconds, null);
  assert.equal(nextAttempt('B', timers).seconds, 60);
  assert.equal(nextAttempt('C', timers, 2).seconds, 120);
  assert.equal(nextAttempt('C', timers, 5).seconds, 120);
});

test('challenges: several per line, several lines, quoted commas, unknown schemes', () => {
  const parsed = parseChallenges([
    'Negotiate, Basic realm="a, b", charset="UTF-8"',
    'Digest realm="r", nonce="n\\"x", qop="auth,auth-int", algorithm=SHA-256',
  ]);
  assert.deepEqual(parsed, [
    { scheme: 'negotiate', params: {} },
    { scheme: 'basic', params: { realm: 'a, b', charset: 'UTF-8' } },
    {
      scheme: 'digest',
      params: { realm: 'r', nonce: 'n"x', qop: 'auth,auth-int', algorithm: 'SHA-256' },
    },
  ]);
  assert.equal(
    authorize(
      parseChallenges(['Negotiate abc==']),
      { uid: 'u', pwd: 'p' },
      { method: 'GET', uri: '/' },
    ),
    undefined,
    'nothing we can answer',
  );
  assert.equal(
    authorize(
      parseChallenges(['Digest realm="r", nonce="n", algorithm=SHA-512-256']),
      { uid: 'u', pwd: 'p' },
      { method: 'GET', uri: '/' },
    ),
    undefined,
    'an unknown Digest algorithm is not answered',
  );
});

// RFC 7617 §2: user "Aladdin", password "open sesame" → "QWxhZGRpbjpvcGVuIHNlc2FtZQ==".
test('Basic: the RFC 7617 example', () => {
  const answer = authorize(
    [{ scheme: 'basic', params: { realm: 'WallyWorld' } }],
    { uid: 'Aladdin', pwd: 'open sesame' },
    { method: 'GET', uri: '/' },
  );
  assert.deepEqual(answer, { scheme: 'Basic', header: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' });
});

// RFC 2617 §3.5: Mufasa / "Circle Of Life", realm testrealm@host.com, nonce
// dcd98b7102dd2f0e8b11d0f600bfb0c093, GET /dir/index.html, qop=auth, nc=00000001,
// cnonce 0a4f113b → response 6629fae49393a05397450978507c4ef1.
test('Digest: the RFC 2617 §3.5 example', () => {
  const header = digestAuthorization(
    {
      scheme: 'digest',
      params: {
        realm: 'testrealm@host.com',
        qop: 'auth,auth-int',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      },
    },
    { uid: 'Mufasa', pwd: 'Circle Of Life' },
    { method: 'GET', uri: '/dir/index.html' },
    '0a4f113b',
  );
  assert.match(header, /response="6629fae49393a05397450978507c4ef1"/);
  assert.match(header, /qop=auth, nc=00000001, cnonce="0a4f113b"/);
  assert.match(header, /opaque="5ccc069c403ebaf9f0171e9517f40e41"/);
});

// RFC 7616 §3.9.1: Mufasa / "Circle of Life", realm http-auth@example.org, GET /dir/index.html,
// nonce 7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v, cnonce
// f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ, nc 00000001, qop auth → MD5 response
// 8ca523f5e9506fed4657c9700eebdbec, SHA-256 response
// 753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1.
for (const [algorithm, response] of [
  ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
  ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
] as const) {
  test(`Digest: the RFC 7616 §3.9.1 example (${algorithm})`, () => {
    const header = digestAuthorization(
      {
        scheme: 'digest',
        params: {
          realm: 'http-auth@example.org',
          qop: 'auth, auth-int',
          algorithm,
          nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
          opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
        },
      },
      { uid: 'Mufasa', pwd: 'Circle of Life' },
      { method: 'GET', uri: '/dir/index.html' },
      'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    );
    assert.match(header, new RegExp(`response="${response}"`));
    assert.match(header, new RegExp(`algorithm=${algorithm},`));
  });
}
