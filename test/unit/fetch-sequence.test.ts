/**
 * `fetch` replays the whole resync: Profile_Rule, then Profile_Rule_B, _C, _D, against a real
 * local HTTP server. Facts under test (docs/cisco-mpp-reference.md §1, §5; Cisco's admin guides):
 * the rules run "in that order; later files override earlier ones"; B..D "are executed
 * sequentially after the primary Profile Rule resync operation has completed. If a resync is
 * triggered and Profile Rule is blank, Profile Rule B, C, and D are still evaluated and
 * executed"; 404 is B (A with Resync_Fails_On_FNF=No), other failures C, and B or C wait
 * Resync_Error_Retry_Delay. A bootstrap file that sets Profile_Rule_B (and GPP_SA for its
 * `--key $SA`) is the common pattern of public provisioning setups.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fetchProfile, type FetchOptions, type FetchResult } from '../../src/commands/fetch.js';
import { formatFetch } from '../../src/output/fetch-format.js';
import { parseProfileXml } from '../../src/profile/profile-map.js';
import { startServer, type Handler, type TestServer } from '../helpers/http-server.js';

// Seed excerpt: "User-Agent: Cisco-CP-8841-3PCC/11.0 (00562b043615)".
const UA = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';
const PASS = 'SecretPhrase1234';

const flat = (body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n${body}\n</flat-profile>\n`;

let server: TestServer;
/** Path → [status, body]; anything else is 404. */
let files: Record<string, [number, string | Buffer]> = {};

before(async () => {
  const handler: Handler = (req, res) => {
    const [status, body] = files[req.url ?? ''] ?? [404, 'not here'];
    res.writeHead(status);
    res.end(body);
  };
  server = await startServer(handler);
});
after(async () => {
  await server.close();
});

async function resync(
  served: Record<string, [number, string | Buffer]>,
  rule: string,
  options: Partial<FetchOptions> = {},
): Promise<FetchResult> {
  files = served;
  server.requests.length = 0;
  const at = (text: string | undefined): string | undefined =>
    text?.replaceAll('ORIGIN', server.origin);
  return fetchProfile(at(rule) ?? '', {
    ua: UA,
    timeout: 5,
    ...options,
    ruleB: at(options.ruleB),
    ruleC: at(options.ruleC),
    ruleD: at(options.ruleD),
  });
}

const paths = (): string[] => server.requests.map((r) => r.url);
const summary = (r: FetchResult) => r.rules.map((x) => [x.rule, x.outcome]);

describe('the order and the combined result', () => {
  test('Profile_Rule, then B, C, D; every file A → A; later files override earlier ones', async () => {
    const r = await resync(
      {
        '/common.xml': [200, flat('<Station_Name>Common</Station_Name><GPP_A>1</GPP_A>')],
        '/model/8841.xml': [200, flat('<Station_Name>Model</Station_Name><GPP_B>2</GPP_B>')],
        '/00562b043615.xml': [200, flat('<Station_Name ua="rw">Front desk</Station_Name>')],
        '/site.xml': [200, flat('<GPP_A>4</GPP_A>')],
      },
      'ORIGIN/common.xml',
      {
        ruleB: 'ORIGIN/model/$PSN.xml',
        ruleC: 'ORIGIN/$MA.xml',
        ruleD: 'ORIGIN/site.xml',
      },
    );
    assert.deepEqual(paths(), ['/common.xml', '/model/8841.xml', '/00562b043615.xml', '/site.xml']);
    assert.deepEqual(summary(r), [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', 'A'],
      ['Profile_Rule_C', 'A'],
      ['Profile_Rule_D', 'A'],
    ]);
    assert.equal(r.outcome, 'A');
    assert.equal(r.exitCode, 0);
    assert.deepEqual(
      r.rules.map((x) => x.source),
      ['argument', 'option', 'option', 'option'],
    );
    assert.equal(new URL(r.url ?? '').pathname, '/site.xml', 'top level: the last rule fetched');
    const merged = parseProfileXml(Buffer.from(r.profile!).toString('utf8')).parameters;
    assert.deepEqual(Object.fromEntries(merged), {
      Station_Name: { value: 'Front desk', ua: 'rw' },
      GPP_A: { value: '4' },
      GPP_B: { value: '2' },
    });
  });

  test('one rule alone: -o gets the file as downloaded, byte for byte', async () => {
    const body = `${flat('<Station_Name>Lobby</Station_Name>')}<!-- kept -->\n`;
    const r = await resync({ '/a.xml': [200, body] }, 'ORIGIN/a.xml');
    assert.equal(r.rules.length, 1);
    assert.equal(Buffer.from(r.profile!).toString('utf8'), body);
  });

  test('a blank Profile_Rule: B, C and D still run (Cisco)', async () => {
    const r = await resync({ '/b.xml': [200, flat('<Station_Name>B</Station_Name>')] }, '  ', {
      ruleB: 'ORIGIN/b.xml',
    });
    assert.deepEqual(paths(), ['/b.xml']);
    assert.deepEqual(summary(r), [['Profile_Rule_B', 'A']]);
    assert.equal(r.outcome, 'A');
    assert.equal(r.reason, 'Profile_Rule_B: 200: the profile is applied');
    assert.match(formatFetch(r), /^Profile_Rule_B \(from --rule-b\)\n {2}GET /);
  });

  test('a rule whose condition does not hold is skipped (outcome null); the rest run', async () => {
    const r = await resync(
      { '/a.xml': [200, flat('<Station_Name>A</Station_Name>')] },
      'ORIGIN/a.xml',
      { ruleB: '($PN eq "CP-6841-3PCC")? ORIGIN/b.xml' },
    );
    assert.deepEqual(paths(), ['/a.xml']);
    assert.deepEqual(summary(r), [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', null],
    ]);
    assert.match(r.rules[1]!.reason, /no alternative of the rule applies/);
    assert.equal(r.outcome, 'A');
  });
});

describe('a profile applied earlier in the resync', () => {
  test('sets Profile_Rule_B and GPP_SA: B runs with them, its --key $SA opens the .cfg', async () => {
    const device = execFileSync('openssl', ['enc', '-aes-256-cbc', '-md', 'md5', '-k', PASS], {
      input: flat('<Station_Name>Front desk</Station_Name>'),
    });
    const bootstrap = flat(
      `<GPP_SA ua="na">${PASS}</GPP_SA>\n<Profile_Rule_B ua="na">[--key $SA]ORIGIN/cfg/$MA.cfg</Profile_Rule_B>`,
    );
    const r = await resync(
      {
        '/8841.xml': [200, bootstrap.replace('ORIGIN', server.origin)],
        '/cfg/00562b043615.cfg': [200, device],
      },
      'ORIGIN/$PSN.xml',
    );
    assert.deepEqual(paths(), ['/8841.xml', '/cfg/00562b043615.cfg']);
    assert.deepEqual(summary(r), [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', 'A'],
    ]);
    const b = r.rules[1]!;
    assert.equal(b.source, 'profile');
    assert.equal(b.setBy, `${server.origin}/8841.xml`);
    assert.equal(b.cipher, 'aes-256-cbc');
    assert.doesNotMatch(JSON.stringify(r.warnings) + r.reason, new RegExp(PASS));
  });

  test('a profile value of Profile_Rule_B replaces --rule-b; an empty one blanks it', async () => {
    const replaced = await resync(
      {
        '/a.xml': [200, flat(`<Profile_Rule_B>${server.origin}/new.xml</Profile_Rule_B>`)],
        '/new.xml': [200, flat('<Station_Name>new</Station_Name>')],
      },
      'ORIGIN/a.xml',
      { ruleB: 'ORIGIN/old.xml' },
    );
    assert.deepEqual(paths(), ['/a.xml', '/new.xml'], 'not /old.xml');
    assert.equal(replaced.outcome, 'A');
    const blanked = await resync(
      { '/a.xml': [200, flat('<Profile_Rule_B></Profile_Rule_B>')] },
      'ORIGIN/a.xml',
      { ruleB: 'ORIGIN/old.xml' },
    );
    assert.deepEqual(paths(), ['/a.xml']);
    assert.deepEqual(summary(blanked), [['Profile_Rule', 'A']]);
  });

  test('a Profile_Rule_B that does not parse (the phone cannot use it) is C for that rule', async () => {
    const r = await resync(
      { '/a.xml': [200, flat('<Profile_Rule_B>http://x/$(ZZ.xml</Profile_Rule_B>')] },
      'ORIGIN/a.xml',
    );
    assert.deepEqual(summary(r), [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', 'C'],
    ]);
    assert.equal(r.outcome, 'C');
    assert.equal(r.exitCode, 1);
    assert.match(r.reason, /^Profile_Rule_B: the rule does not parse: column 10: /);
    assert.deepEqual(paths(), ['/a.xml'], 'nothing requested for it');
    assert.equal(r.url, null, 'the deciding rule requested nothing');
  });

  test('a TFTP Profile_Rule_B from a profile is not replayed: reported, exit 2, not an A', async () => {
    const r = await resync(
      { '/a.xml': [200, flat('<Profile_Rule_B>tftp://10.0.0.1/$MA.cfg</Profile_Rule_B>')] },
      'ORIGIN/a.xml',
    );
    assert.deepEqual(summary(r), [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', null],
    ]);
    assert.equal(r.exitCode, 2);
    assert.ok(r.warnings.some((w) => /^Profile_Rule_B: not replayed: .*TFTP/.test(w)));
  });

  test('setting Profile_Rule itself takes effect at the next resync, with a note', async () => {
    const r = await resync(
      {
        '/8841.xml': [200, flat('<Profile_Rule>http://prov.example.com/$MA.xml</Profile_Rule>')],
      },
      'ORIGIN/$PSN.xml',
    );
    assert.deepEqual(paths(), ['/8841.xml']);
    assert.ok(
      r.warnings.some((w) => /sets Profile_Rule: the phone runs it from the next resync/.test(w)),
    );
  });

  test('the timers of the resync come from the profiles applied, the later one winning', async () => {
    const r = await resync(
      {
        '/a.xml': [200, flat('<Resync_Periodic>7200</Resync_Periodic>')],
        '/b.xml': [200, flat('<Resync_Periodic>600</Resync_Periodic>')],
      },
      'ORIGIN/a.xml',
      { ruleB: 'ORIGIN/b.xml' },
    );
    assert.equal(r.next.seconds, 600);
    assert.equal(r.next.source, 'profile');
  });
});

describe('failures (the status table, reference §5)', () => {
  test('404 on Profile_Rule: B for it, B still runs (default), the resync is B', async () => {
    const r = await resync(
      {
        '/b.xml': [200, flat('<Station_Name>B</Station_Name>')],
      },
      'ORIGIN/missing.xml',
      { ruleB: 'ORIGIN/b.xml' },
    );
    assert.deepEqual(paths(), ['/missing.xml', '/b.xml']);
    assert.deepEqual(summary(r), [
      ['Profile_Rule', 'B'],
      ['Profile_Rule_B', 'A'],
    ]);
    assert.equal(r.outcome, 'B');
    assert.equal(r.status, 404, 'top level: the rule that decided');
    assert.equal(r.exitCode, 1);
    assert.equal(r.next.parameter, 'Resync_Error_Retry_Delay');
    assert.equal(r.profile, undefined, 'no -o after a failed resync');
  });

  test('with --fnf-success (Resync_Fails_On_FNF=No) the missing file is A and so is the resync', async () => {
    const r = await resync(
      { '/b.xml': [200, flat('<Station_Name>B</Station_Name>')] },
      'ORIGIN/missing.xml',
      { ruleB: 'ORIGIN/b.xml', fnfSuccess: true },
    );
    assert.deepEqual(summary(r), [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', 'A'],
    ]);
    assert.equal(r.outcome, 'A');
  });

  test('Resync_Fails_On_FNF set by an applied profile decides how a later 404 counts', async () => {
    const lenient = await resync(
      { '/a.xml': [200, flat('<Resync_Fails_On_FNF>no</Resync_Fails_On_FNF>')] },
      'ORIGIN/a.xml',
      { ruleB: 'ORIGIN/missing.xml' },
    );
    assert.deepEqual(summary(lenient), [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', 'A'],
    ]);
    const strict = await resync(
      { '/a.xml': [200, flat('<Resync_Fails_On_FNF>Yes</Resync_Fails_On_FNF>')] },
      'ORIGIN/a.xml',
      { ruleB: 'ORIGIN/missing.xml', fnfSuccess: true },
    );
    assert.deepEqual(summary(strict), [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', 'B'],
    ]);
    assert.equal(strict.outcome, 'B');
  });

  test('the first failure decides: 404 (B) then 500 (C) is B; its error retry delay comes from an applied profile', async () => {
    const r = await resync(
      {
        '/a.xml': [200, flat('<Resync_Error_Retry_Delay>30</Resync_Error_Retry_Delay>')],
        '/c.xml': [500, 'oops'],
      },
      'ORIGIN/a.xml',
      { ruleB: 'ORIGIN/missing.xml', ruleC: 'ORIGIN/c.xml' },
    );
    assert.deepEqual(summary(r), [
      ['Profile_Rule', 'A'],
      ['Profile_Rule_B', 'B'],
      ['Profile_Rule_C', 'C'],
    ]);
    assert.equal(r.outcome, 'B');
    assert.match(r.reason, /^Profile_Rule_B: 404/);
    assert.equal(r.next.seconds, 30);
    assert.equal(r.next.source, 'profile');
  });

  test('--after-failure stop [open]: the resync ends at the first failure', async () => {
    const r = await resync({ '/a.xml': [500, 'oops'] }, 'ORIGIN/a.xml', {
      ruleB: 'ORIGIN/b.xml',
      afterFailure: 'stop',
    });
    assert.deepEqual(paths(), ['/a.xml']);
    assert.deepEqual(summary(r), [['Profile_Rule', 'C']]);
    assert.equal(r.outcome, 'C');
  });
});

describe('--only: one rule', () => {
  test('--only Profile_Rule_B fetches that rule alone', async () => {
    const r = await resync(
      { '/b.xml': [200, flat('<Station_Name>B</Station_Name>')] },
      'ORIGIN/a.xml',
      { ruleB: 'ORIGIN/b.xml', ruleC: 'ORIGIN/c.xml', only: 'Profile_Rule_B' },
    );
    assert.deepEqual(paths(), ['/b.xml']);
    assert.deepEqual(summary(r), [['Profile_Rule_B', 'A']]);
  });

  test('--only Profile_Rule does not follow the Profile_Rule_B its profile sets', async () => {
    const r = await resync(
      { '/a.xml': [200, flat(`<Profile_Rule_B>${server.origin}/b.xml</Profile_Rule_B>`)] },
      'ORIGIN/a.xml',
      { only: 'Profile_Rule' },
    );
    assert.deepEqual(paths(), ['/a.xml']);
    assert.equal(r.rules.length, 1);
  });

  test('--only a blank rule, nothing to fetch, a bad --rule-b: exit 2 before any request', async () => {
    files = {};
    server.requests.length = 0;
    await assert.rejects(fetchProfile('http://127.0.0.1:1/a', { ua: UA, only: 'Profile_Rule_C' }), {
      exitCode: 2,
      message: /^--only Profile_Rule_C: --rule-c is blank$/,
    });
    await assert.rejects(fetchProfile('', { ua: UA }), {
      exitCode: 2,
      message: /^nothing to fetch: Profile_Rule is blank/,
    });
    await assert.rejects(
      fetchProfile(`${server.origin}/a.xml`, { ua: UA, ruleB: 'tftp://10.0.0.1/$MA.cfg' }),
      { exitCode: 2, message: /^Profile_Rule_B: fetch does not support TFTP/ },
    );
    await assert.rejects(
      fetchProfile(`${server.origin}/a.xml`, { ua: UA, ruleC: 'http://x/$(ZZ.xml' }),
      { exitCode: 2, message: /^Profile_Rule_C: the rule does not parse: column/ },
    );
    assert.equal(server.requests.length, 0);
  });
});
