// `cisco-prov serve` at the edges of HTTP/1.1, through the spawned CLI: absolute-form request
// targets (RFC 9112 §3.2.2, a phone behind an HTTP proxy), requests Node's parser refuses (logged,
// answered), and a second stop signal while stopping.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';
import { startServe, type ServeProcess } from '../helpers/serve.js';

const UA = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';

function fixture(): { dir: string; inventory: string } {
  const dir = mkdtempSync(join(tmpdir(), 'serve-protocol-'));
  const inventory = join(dir, 'inventory.csv');
  writeFileSync(
    inventory,
    'mac,model,display_name,sip.proxy,lines.1.extension,lines.1.password\n' +
      '00562b043615,8841,Reception,pbx.example.com,201,sip-secret-201\n',
  );
  return { dir, inventory };
}

/** Sends raw bytes on one connection; resolves with everything read until the server closes. */
function rawExchange(port: number, payload: string | Buffer, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(payload));
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection still open after ${timeoutMs} ms; read so far:\n${data}`));
    }, timeoutMs).unref();
  });
}

/** One request with a given request line on a fresh connection (Connection: close). */
function requestLine(port: number, line: string, headers = `User-Agent: ${UA}\r\n`) {
  return rawExchange(port, `${line}\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`);
}

describe('serve: absolute-form request targets (RFC 9112 §3.2.2)', () => {
  const fx = fixture();
  let server: ServeProcess;
  before(async () => {
    server = await startServe(['-i', fx.inventory]);
  });
  after(async () => {
    await server.stop();
  });

  test('GET http://host:port/path is the profile render writes, logged as sent', async () => {
    const render = await runCli(['render', '-i', fx.inventory, '--device', '00562b043615']);
    assert.equal(render.code, 0, render.stderr);
    // The Host header names another server: the URL's authority is the one that counts, and
    // serve answers for any (it is no proxy and forwards nothing).
    const raw = await requestLine(
      server.port,
      `GET http://prov.example.com:${server.port}/00562b043615.xml?x=1 HTTP/1.1`,
    );
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    assert.equal(raw.slice(raw.indexOf('\r\n\r\n') + 4), render.stdout);
    await server.waitForStdout(
      /"GET http:\/\/prov\.example\.com:\d+\/00562b043615\.xml\?x=1 HTTP\/1\.1" 200 \d+ "-" "Cisco-CP-8841-3PCC/,
    );
  });

  test('every path check still applies: traversal, encoded slash, unknown device, userinfo', async () => {
    const cases: [string, RegExp, RegExp][] = [
      [
        'http://h/../etc/passwd',
        /^HTTP\/1\.1 400 /,
        /400 GET http:\/\/h\/\.\.\/etc\/passwd: refused: path has a "\.\." segment/,
      ],
      [
        'http://h/a%2f..%2fb.xml',
        /^HTTP\/1\.1 400 /,
        /refused: path has an encoded "\/"|"\.\." segment/,
      ],
      [
        'HTTP://h/00562b043699.xml',
        /^HTTP\/1\.1 404 /,
        /404 GET HTTP:\/\/h\/00562b043699\.xml: unknown device 00562b043699/,
      ],
      ['ftp://h/00562b043615.xml', /^HTTP\/1\.1 400 /, /refused: request target is a ftp: URL/],
      [
        'http://admin:Secret99@h/00562b043615.xml',
        /^HTTP\/1\.1 400 /,
        /400 GET http:\/\/\*{8}@h\/00562b043615\.xml: refused: request target URL has userinfo/,
      ],
    ];
    for (const [target, status, logged] of cases) {
      const raw = await requestLine(server.port, `GET ${target} HTTP/1.1`);
      assert.match(raw, status, target);
      await server.waitForStderr(logged);
    }
    await server.waitForStdout(/"GET http:\/\/\*{8}@h\/00562b043615\.xml HTTP\/1\.1" 400 /);
    assert.equal(server.stdout().includes('Secret99'), false);
    assert.equal(server.stderr().includes('Secret99'), false);
  });
});

describe("serve: requests Node's HTTP parser refuses are answered and logged", () => {
  const fx = fixture();
  let server: ServeProcess;
  before(async () => {
    server = await startServe(['-i', fx.inventory]);
  });
  after(async () => {
    await server.stop();
  });

  test('a bad request line: 400 with a body, one access-log line and a reason, no byte of it echoed', async () => {
    // A request line with a secret in its query and a terminal escape after the version.
    const raw = await rawExchange(
      server.port,
      'GET /00562b043615.xml?password=hunter22 HTTP/1.1\x1b[2J\r\nHost: x\r\n\r\n',
    );
    assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(raw, /\r\nConnection: close\r\n/);
    assert.match(raw, /\r\nContent-Length: 16\r\n/);
    assert.match(raw, /\r\n\r\n400 Bad Request\n$/);
    await server.waitForStdout(/^127\.0\.0\.1 - - \[[^\]]+\] "-" 400 16 "-" "-"$/m);
    await server.waitForStderr(
      /serve: 400 from 127\.0\.0\.1: malformed request: Expected CRLF after version \(HPE_INVALID_VERSION\)/,
    );
    for (const text of [server.stdout(), server.stderr()]) {
      assert.equal(text.includes('hunter22'), false);
      assert.equal(text.includes('\x1b'), false);
    }
  });

  test('headers over 16 KiB: 431, logged; a TLS hello on the plain port: 400, logged', async () => {
    const big = await rawExchange(
      server.port,
      `GET /00562b043615.xml HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    assert.match(big, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    await server.waitForStderr(
      /serve: 431 from 127\.0\.0\.1: malformed request: request headers larger than 16 KiB \(HPE_HEADER_OVERFLOW\)/,
    );
    await server.waitForStdout(/"-" 431 /);
    const hello = await rawExchange(server.port, Buffer.from('16030100a5010000a10303', 'hex'));
    assert.match(hello, /^HTTP\/1\.1 400 /);
    await server.waitForStderr(/serve: 400 from 127\.0\.0\.1: malformed request: Invalid method/);
  });

  test('a client that sends garbage and goes away at once does not stop the server', async () => {
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          socket.write('\x00\x01garbage\r\n\r\n');
          socket.destroy();
          resolve();
        });
        socket.on('error', () => resolve());
      });
    }
    const raw = await requestLine(server.port, 'GET /00562b043615.xml HTTP/1.1');
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    assert.equal(server.child.exitCode, null);
  });
});

describe('serve: a second stop signal while stopping stops at once', () => {
  /** Starts an upload and sends half its body: a request in flight until the body is done. */
  function uploadInFlight(port: number): Promise<string> {
    return new Promise((resolve) => {
      const body = Buffer.from('<flat-profile><Station_Name>R</Station_Name></flat-profile>\n');
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/reports/00562b043615.xml',
          headers: { 'User-Agent': UA, 'Content-Length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(`answered ${res.statusCode}`));
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => resolve(`cut: ${err.code}`));
      req.write(body.subarray(0, 10));
    });
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} twice: the request in flight is cut off, exit 3, the log says so`, async () => {
      const fx = fixture();
      const server = await startServe(['-i', fx.inventory, '--reports', join(fx.dir, 'reports')]);
      const upload = uploadInFlight(server.port);
      // The first signal: stopping, waiting for the upload (for up to 10 s).
      await new Promise((r) => setTimeout(r, 200));
      server.child.kill(signal);
      await server.waitForStderr(
        new RegExp(`serve: ${signal}: finishing 1 request\\(s\\) in flight, then stopping`),
      );
      server.child.kill(signal);
      assert.equal(await server.exited(), 3, server.stderr());
      assert.match(
        server.stderr(),
        new RegExp(`serve: ${signal} again: stopped at once, 1 request\\(s\\) in flight cut off`),
      );
      assert.doesNotMatch(server.stderr(), /serve: stopped\n/);
      // The request cut off is logged as nginx logs a client gone (499), not as our failure.
      await server.waitForStdout(/"POST \/reports\/00562b043615\.xml HTTP\/1\.1" 499 /);
      assert.doesNotMatch(server.stderr(), /internal error|serve: error:/);
      assert.match(await upload, /^cut: /);
    });
  }

  test('--workers 2, SIGTERM twice: the primary forwards it, the busy worker stops at once, exit 3', async () => {
    const fx = fixture();
    const server = await startServe([
      '-i',
      fx.inventory,
      '--reports',
      join(fx.dir, 'reports'),
      '--workers',
      '2',
    ]);
    const upload = uploadInFlight(server.port);
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await server.waitForStderr(/serve: SIGTERM: finishing 1 request\(s\) in flight/);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited(), 3, server.stderr());
    // The idle worker may have gone already, or take both signals as one.
    assert.match(server.stderr(), /serve: SIGTERM again: stopping [12] worker\(s\) at once/);
    assert.match(
      server.stderr(),
      /serve: SIGTERM again: stopped at once, 1 request\(s\) in flight cut off/,
    );
    assert.match(await upload, /^cut: /);
  });
});
