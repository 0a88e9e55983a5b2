// `cisco-prov serve` end to end: the built CLI on an ephemeral loopback port, real HTTP requests
// with Cisco User-Agents (reference §6), responses decrypted by independent peers (the openssl
// CLI for AES-256-CBC, http_ece for RFC 8188), and its access log read back by `inspect --log`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ece from 'http_ece';
import { runCli } from '../helpers/run-cli.js';
import { httpRequest, startServe, type ServeProcess } from '../helpers/serve.js';

const UA_8841 = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';
const UA_8851 = 'Cisco-CP-8851-3PCC/11.3.7_MPP_0001 (00562b043616)';
const UA_6841 = 'Cisco-CP-6841-3PCC/12.0.1 (00562b043617)';
const UA_ATA = 'Cisco/ATA192-MPP-11-1-0-MSR4 (FCH2443D9R5)';
const KEY_3615 = 'key-3615-passphrase';
const IKM_3616 = 'ikm3616-secret-x'; // 16 bytes: http_ece takes a 16-byte key

const INVENTORY = [
  'mac,serial,model,display_name,sip.proxy,lines.1.extension,lines.1.password,profile_key,profile_ikm,provisioning.resync_periodic',
  `00:56:2B:04:36:15,,8841,Reception,pbx.example.com,201,sip-secret-201,${KEY_3615},,`,
  `0056.2b04.3616,,8851,Sales,pbx.example.com,202,sip-secret-202,,${IKM_3616},`,
  '00562b043617,,6841,Broken,pbx.example.com,203,sip-secret-203,,,often',
  ',FCH2443D9R5,ATA192,Door,pbx.example.com,222,sip-secret-222,,,',
  '',
].join('\n');
const SITE = 'provisioning:\n  server: https://prov.example.com/cisco\n';

function fixture(): { dir: string; inventory: string; site: string; reports: string } {
  const dir = mkdtempSync(join(tmpdir(), 'serve-test-'));
  const inventory = join(dir, 'inventory.csv');
  const site = join(dir, 'site.yaml');
  writeFileSync(inventory, INVENTORY);
  writeFileSync(site, SITE);
  return { dir, inventory, site, reports: join(dir, 'reports') };
}

function openssl(args: string[], input?: Uint8Array): Buffer {
  return execFileSync('openssl', args, {
    input: input ?? Buffer.alloc(0),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** What `cisco-prov render` writes for one device (plain), to compare with what serve sends. */
async function rendered(inventory: string, site: string, device: string): Promise<string> {
  const r = await runCli(['render', '-i', inventory, '--vars', site, '--device', device]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

describe('serve: devices, ciphers, logs', () => {
  const fx = fixture();
  let server: ServeProcess;

  before(async () => {
    server = await startServe([
      '-i',
      fx.inventory,
      '--vars',
      fx.site,
      '--key-field',
      'profile_key',
      '--ikm-field',
      'profile_ikm',
      '--reports',
      fx.reports,
      '--max-body',
      '65536',
    ]);
  });
  after(async () => {
    await server.stop();
  });

  test('a known device gets its own profile, exactly what render writes', async () => {
    const res = await httpRequest(server.port, '/00562b043615.xml', { userAgent: UA_8841 });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /application\/xml/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.body.toString('utf8'), await rendered(fx.inventory, fx.site, '00562b043615'));
  });

  test('a device known by its serial (ATA192) is found by $SN', async () => {
    const res = await httpRequest(server.port, '/FCH2443D9R5.xml', { userAgent: UA_ATA });
    assert.equal(res.status, 200);
    assert.match(res.body.toString(), /<flat-profile>/);
  });

  test('an unknown device gets 404 and a log line that says so (outcome B)', async () => {
    const res = await httpRequest(server.port, '/00562b043699.xml', {
      userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043699)',
    });
    assert.equal(res.status, 404);
    await server.waitForStderr(
      /404 GET \/00562b043699\.xml: unknown device 00562b043699.*outcome B/,
    );
  });

  test("a User-Agent naming another phone's MAC is refused with 403 and logged", async () => {
    const res = await httpRequest(server.port, '/00562b043615.cfg', { userAgent: UA_8851 });
    assert.equal(res.status, 403);
    assert.equal(res.body.includes(Buffer.from('flat-profile')), false);
    await server.waitForStderr(
      /403 GET \/00562b043615\.cfg: refused: User-Agent MAC 00562b043616 is not the MAC of 00562b043615/,
    );
  });

  test('a serial mismatch is refused too', async () => {
    const res = await httpRequest(server.port, '/FCH2443D9R5.xml', {
      userAgent: 'Cisco/ATA192-MPP-11-1-0-MSR4 (FCH0000XXXX)',
    });
    assert.equal(res.status, 403);
  });

  test('.cfg with a key: AES-256-CBC that `openssl enc -d -md md5` opens', async () => {
    const res = await httpRequest(server.port, '/00562b043615.cfg', { userAgent: UA_8841 });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.body.subarray(0, 8).toString('latin1'), 'Salted__');
    const plain = openssl(['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', KEY_3615], res.body);
    assert.equal(plain.toString('utf8'), await rendered(fx.inventory, fx.site, '00562b043615'));
  });

  test('a device with an IKM: Content-Encoding aes128gcm that http_ece decrypts', async () => {
    const res = await httpRequest(server.port, '/00562b043616.xml', { userAgent: UA_8851 });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'aes128gcm');
    const plain = ece.decrypt(res.body, { version: 'aes128gcm', key: Buffer.from(IKM_3616) });
    assert.equal(plain.toString('utf8'), await rendered(fx.inventory, fx.site, '00562b043616'));
  });

  test('`cisco-prov fetch` as the phone: A for both ciphers, B for an unknown device', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const cbc = await runCli([
      'fetch',
      `[--key $SA]${base}/$MA.cfg`,
      '--ua',
      UA_8841,
      '--gpp',
      `SA=${KEY_3615}`,
      '--json',
    ]);
    assert.equal(cbc.code, 0, cbc.stderr);
    const cbcJson = JSON.parse(cbc.stdout) as {
      outcome: string;
      cipher: string;
      diagnostics: unknown[];
    };
    assert.equal(cbcJson.outcome, 'A');
    assert.equal(cbcJson.cipher, 'aes-256-cbc');
    const gcm = await runCli(
      ['fetch', `${base}/$MA.xml`, '--ua', UA_8851, '--ikm-env', 'IKM', '--json'],
      {
        env: { IKM: IKM_3616 },
      },
    );
    assert.equal(gcm.code, 0, gcm.stderr);
    const gcmJson = JSON.parse(gcm.stdout) as { outcome: string; cipher: string };
    assert.equal(gcmJson.outcome, 'A');
    assert.equal(gcmJson.cipher, 'aes128gcm');
    const unknown = await runCli([
      'fetch',
      `${base}/$MA.xml`,
      '--ua',
      'Cisco-CP-8841-3PCC/11.0 (00562b0436ff)',
      '--json',
    ]);
    assert.equal(unknown.code, 1);
    assert.equal((JSON.parse(unknown.stdout) as { outcome: string }).outcome, 'B');
  });

  test('a profile failing validation gets 500 and a log line naming the rule, never the profile', async () => {
    const res = await httpRequest(server.port, '/00562b043617.xml', { userAgent: UA_6841 });
    assert.equal(res.status, 500);
    assert.equal(res.body.includes(Buffer.from('flat-profile')), false);
    await server.waitForStderr(
      /500 GET \/00562b043617\.xml: not served: .*Resync_Periodic.*\[invalid-value\]/,
    );
  });

  test('a bootstrap name serves the common profile to a phone the inventory does not name', async () => {
    for (const [name, ua] of [
      ['/CP-8841-3PCC.xml', 'Cisco-CP-8841-3PCC/11.0 (00562b0436ff)'],
      ['/8841.xml', 'Cisco-CP-8841-3PCC/11.3.7_MPP_0001'],
      ['/8841.xml', 'curl/8.0'],
    ] as const) {
      const res = await httpRequest(server.port, name, { userAgent: ua });
      assert.equal(res.status, 200, name);
      const text = res.body.toString();
      assert.match(
        text,
        /<Profile_Rule ua="na">https:\/\/prov\.example\.com\/cisco\/\$MA\.xml<\/Profile_Rule>/,
      );
      assert.equal(text.includes('GPP_SA'), false);
      assert.match(text, /common profile/);
    }
  });

  test('a bootstrap name asked by a known phone: its own bootstrap, whose rule and key lead it to its encrypted profile', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const value = (text: string, name: string): string =>
      new RegExp(`<${name} ua="na">([^<]*)</${name}>`).exec(text)?.[1] ?? '';
    // AES-256-CBC: the passphrase goes into GPP_SA, the rule reads [--key $SA] …/$MA.cfg.
    const boot = await httpRequest(server.port, '/8841.xml', { userAgent: UA_8841 });
    assert.equal(boot.status, 200);
    const text = boot.body.toString();
    assert.match(text, /00562b043615/);
    assert.equal(value(text, 'GPP_SA'), KEY_3615);
    const rule = value(text, 'Profile_Rule');
    assert.equal(rule, '[--key $SA]https://prov.example.com/cisco/$MA.cfg');
    // The phone follows it (`cisco-prov fetch` as the phone, GPP_SA as the bootstrap set it): A.
    const cbc = await runCli([
      'fetch',
      rule.replace('https://prov.example.com/cisco', base),
      '--ua',
      UA_8841,
      '--gpp',
      `SA=${value(text, 'GPP_SA')}`,
      '--json',
    ]);
    assert.equal(cbc.code, 0, cbc.stderr);
    const cbcJson = JSON.parse(cbc.stdout) as { outcome: string; cipher: string };
    assert.deepEqual([cbcJson.outcome, cbcJson.cipher], ['A', 'aes-256-cbc']);
    // RFC 8188: the IKM goes into IKM_HTTP_Encrypt_Content (--ikm-field profile_ikm).
    const gcmBoot = await httpRequest(server.port, '/CP-8851-3PCC.xml', { userAgent: UA_8851 });
    assert.equal(gcmBoot.status, 200);
    const gcmText = gcmBoot.body.toString();
    assert.equal(value(gcmText, 'IKM_HTTP_Encrypt_Content'), IKM_3616);
    assert.equal(gcmText.includes('GPP_SA'), false);
    const gcmRule = value(gcmText, 'Profile_Rule');
    assert.equal(gcmRule, 'https://prov.example.com/cisco/$MA.cfg');
    const gcm = await runCli(
      [
        'fetch',
        gcmRule.replace('https://prov.example.com/cisco', base),
        '--ua',
        UA_8851,
        '--ikm-env',
        'IKM',
        '--json',
      ],
      { env: { IKM: value(gcmText, 'IKM_HTTP_Encrypt_Content') } },
    );
    assert.equal(gcm.code, 0, gcm.stderr);
    const gcmJson = JSON.parse(gcm.stdout) as { outcome: string; cipher: string };
    assert.deepEqual([gcmJson.outcome, gcmJson.cipher], ['A', 'aes128gcm']);
    // A phone known as an 8841 asking for another model's bootstrap name is refused and logged.
    const wrong = await httpRequest(server.port, '/8861.xml', { userAgent: UA_8841 });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.includes(Buffer.from(KEY_3615)), false);
    await server.waitForStderr(
      /403 GET \/8861\.xml: refused: the User-Agent names 00562b043615, a 8841 in .*inventory\.csv, but the path asks for the 8861 bootstrap profile/,
    );
    assert.equal(server.stderr().includes(KEY_3615), false);
    assert.equal(server.stdout().includes(KEY_3615), false);
  });

  test('traversal and malformed paths are refused with 400', async () => {
    for (const path of [
      '/../etc/passwd',
      '/%2e%2e/etc/passwd',
      '/a%2f..%2fb.xml',
      '/x%00.xml',
      '/a//b.xml',
      '/%zz.xml',
    ]) {
      const res = await httpRequest(server.port, path, { userAgent: UA_8841 });
      assert.equal(res.status, 400, path);
    }
  });

  test('an HTTP/1.0 request (phones speak 1.0 and 1.1) gets its profile and a closed connection', async () => {
    const { connect } = await import('node:net');
    const raw = await new Promise<string>((resolve, reject) => {
      let data = '';
      const socket = connect(server.port, '127.0.0.1', () =>
        socket.write(`GET /00562b043615.xml HTTP/1.0\r\nUser-Agent: ${UA_8841}\r\n\r\n`),
      );
      socket.on('data', (c) => (data += c.toString('latin1')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(raw, /\r\nConnection: close\r\n/i);
    assert.match(raw, /<flat-profile>/);
    await server.waitForStdout(/"GET \/00562b043615\.xml HTTP\/1\.0" 200 /);
  });

  test('only GET and HEAD for profiles; HEAD has no body', async () => {
    const head = await httpRequest(server.port, '/00562b043615.xml', {
      method: 'HEAD',
      userAgent: UA_8841,
    });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.ok(Number(head.headers['content-length']) > 0);
    const del = await httpRequest(server.port, '/00562b043615.xml', {
      method: 'DELETE',
      userAgent: UA_8841,
    });
    assert.equal(del.status, 405);
  });

  test('reports: a CBC upload (openssl) and an aes128gcm upload (http_ece) are decrypted and kept, mode 0600', async () => {
    const report = '<flat-profile><Station_Name>Reception</Station_Name></flat-profile>\n';
    const cbc = openssl(
      ['enc', '-e', '-aes-256-cbc', '-md', 'md5', '-k', KEY_3615],
      Buffer.from(report),
    );
    const r1 = await httpRequest(server.port, '/reports/00562b043615.xml', {
      method: 'POST',
      userAgent: UA_8841,
      body: cbc,
    });
    assert.equal(r1.status, 200, r1.body.toString());
    const gcm = ece.encrypt(Buffer.from(report.replace('Reception', 'Sales')), {
      version: 'aes128gcm',
      key: Buffer.from(IKM_3616),
      rs: 4096,
    });
    const r2 = await httpRequest(server.port, '/reports/00562b043616.xml', {
      method: 'PUT',
      userAgent: UA_8851,
      headers: { 'Content-Encoding': 'aes128gcm' },
      body: gcm,
    });
    assert.equal(r2.status, 200, r2.body.toString());
    for (const [mac, name] of [
      ['00562b043615', 'Reception'],
      ['00562b043616', 'Sales'],
    ] as const) {
      const files = readdirSync(join(fx.reports, mac)).filter((f) => f.endsWith('.xml'));
      assert.equal(files.length, 1);
      const file = join(fx.reports, mac, files[0]!);
      assert.match(readFileSync(file, 'utf8'), new RegExp(`<Station_Name>${name}</Station_Name>`));
      assert.equal(statSync(file).mode & 0o777, 0o600);
    }
  });

  test('reports: a wrong key is refused (bad decrypt), nothing stored', async () => {
    const cbc = openssl(
      ['enc', '-e', '-aes-256-cbc', '-md', 'md5', '-k', 'not-the-key'],
      Buffer.from('<x/>'),
    );
    const res = await httpRequest(server.port, '/reports/00562b043617.xml', {
      method: 'POST',
      userAgent: UA_6841,
      body: cbc,
    });
    assert.equal(res.status, 400);
    await server.waitForStderr(
      /report not stored: encrypted report but the device has no key|bad decrypt/,
    );
  });

  test('an oversized body is refused with 413 (declared and chunked)', async () => {
    const big = Buffer.alloc(70_000, 0x41);
    const declared = await httpRequest(server.port, '/reports/00562b043615.xml', {
      method: 'POST',
      userAgent: UA_8841,
      body: big,
    });
    assert.equal(declared.status, 413);
    const chunked = await httpRequest(server.port, '/reports/00562b043615.xml', {
      method: 'POST',
      userAgent: UA_8841,
      headers: { 'Transfer-Encoding': 'chunked' },
      body: big,
    });
    assert.equal(chunked.status, 413);
  });

  test('the access log is combined format that `inspect --log` reads, with no secret in it', async () => {
    await httpRequest(server.port, '/00562b043615.xml?pwd=hunter22&x=1', { userAgent: UA_8841 });
    await server.waitForStderr(/plaintext-secret/);
    await server.waitForStdout(/pwd=\*{8}&x=1 HTTP/);
    const log = server.stdout();
    assert.match(
      log,
      /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/00562b043615\.xml HTTP\/1\.1" 200 \d+ "-" "Cisco-CP-8841-3PCC\/11\.0 \(00562b043615\)"$/m,
    );
    for (const secret of [KEY_3615, IKM_3616, 'sip-secret-201', 'hunter22']) {
      assert.equal(log.includes(secret), false, secret);
      assert.equal(server.stderr().includes(secret), false, secret);
    }
    const file = join(fx.dir, 'access.log');
    writeFileSync(file, log);
    const r = await runCli(['inspect', '--log', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { phones: { mac: string | null; outcome: string }[] };
    const phone = (mac: string) => summary.phones.find((p) => p.mac === mac);
    assert.equal(phone('00562b043615')?.outcome, 'A', log);
    assert.equal(phone('00562b043699')?.outcome, 'B');
  });
});

describe('serve: options', () => {
  test('--log-format json: one JSON object per request with device, outcome and reason', async () => {
    const fx = fixture();
    const server = await startServe([
      '-i',
      fx.inventory,
      '--vars',
      fx.site,
      '--log-format',
      'json',
    ]);
    try {
      await httpRequest(server.port, '/00562b043615.xml', { userAgent: UA_8841 });
      await httpRequest(server.port, '/00562b043699.xml', { userAgent: UA_8841 });
      await server.waitForStdout(/00562b043699[^\n]*\n/);
    } finally {
      await server.stop();
    }
    const lines = server
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.device, '00562b043615');
    assert.equal(lines[0]!.outcome, 'A');
    assert.equal(lines[0]!.uaMac, '00562b043615');
    assert.equal(lines[1]!.status, 404);
    assert.equal(lines[1]!.outcome, 'B');
    assert.match(String(lines[1]!.reason), /unknown device 00562b043699/);
  });

  test('--encrypt aes-256-cbc: a device without its key gets 500, never plaintext; --gzip inside', async () => {
    const fx = fixture();
    const server = await startServe([
      '-i',
      fx.inventory,
      '--vars',
      fx.site,
      '--encrypt',
      'aes-256-cbc',
      '--key-field',
      'profile_key',
      '--gzip',
    ]);
    try {
      const ok = await httpRequest(server.port, '/00562b043615.xml', { userAgent: UA_8841 });
      assert.equal(ok.status, 200);
      const plain = gunzipSync(
        openssl(['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', KEY_3615], ok.body),
      );
      assert.match(plain.toString(), /<flat-profile>/);
      const missing = await httpRequest(server.port, '/00562b043616.xml', { userAgent: UA_8851 });
      assert.equal(missing.status, 500);
      assert.equal(missing.body.includes(Buffer.from('flat-profile')), false);
      await server.waitForStderr(/no passphrase for this device/);
    } finally {
      await server.stop();
    }
  });

  test('binds 127.0.0.1 by default; a bad inventory stops start-up with exit 2 naming the row', async () => {
    const fx = fixture();
    const server = await startServe(['-i', fx.inventory, '--vars', fx.site]);
    assert.match(server.stderr(), /listening on http:\/\/127\.0\.0\.1:/);
    assert.equal(await server.stop(), 0, server.stderr());
    writeFileSync(fx.inventory, 'mac,model\n00:11,8841\n');
    const r = await runCli(['serve', '-i', fx.inventory, '--port', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /inventory\.csv: row 2, field mac/);
  });

  test('a port already in use is exit 3 naming it; an over-long declared body is 413 for any method', async () => {
    const fx = fixture();
    const server = await startServe(['-i', fx.inventory, '--vars', fx.site, '--max-body', '2048']);
    try {
      const second = await runCli(['serve', '-i', fx.inventory, '--port', String(server.port)]);
      assert.equal(second.code, 3);
      assert.match(
        second.stderr,
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${server.port}: EADDRINUSE`),
      );
      const get = await httpRequest(server.port, '/00562b043615.xml', {
        userAgent: UA_8841,
        headers: { 'Content-Length': 4096 },
        body: Buffer.alloc(4096, 0x41),
      });
      assert.equal(get.status, 413);
      assert.equal(get.headers.connection, 'close');
    } finally {
      await server.stop();
    }
  });

  test('--route with macros: the path must be the name render would give the device', async () => {
    const fx = fixture();
    const server = await startServe([
      '-i',
      fx.inventory,
      '--vars',
      fx.site,
      '--route',
      '/cfg/$(model)/$MAU.xml',
    ]);
    try {
      const ok = await httpRequest(server.port, '/cfg/8841/00562B043615.xml', {
        userAgent: UA_8841,
      });
      assert.equal(ok.status, 200);
      const wrongModel = await httpRequest(server.port, '/cfg/6841/00562B043615.xml', {
        userAgent: UA_8841,
      });
      assert.equal(wrongModel.status, 404);
      const defaultRoute = await httpRequest(server.port, '/00562b043615.xml', {
        userAgent: UA_8841,
      });
      assert.equal(defaultRoute.status, 404);
    } finally {
      await server.stop();
    }
  });
});
