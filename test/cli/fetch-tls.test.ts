// `fetch` against HTTPS servers whose certificate this machine does not trust: the line says
// why (self-signed, unknown CA, a name the certificate does not hold) and what to do — `--ca
// <file>`, or for a name, which name. Certificates made by the openssl CLI; loopback only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpExchange, HttpFailure } from '../../src/io/http-request.js';
import { runCli } from '../helpers/run-cli.js';
import { startServer, type Certificate, type TestServer } from '../helpers/http-server.js';

const UA = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';
const PROFILE = '<flat-profile><Station_Name>Lobby</Station_Name></flat-profile>\n';

const dir = mkdtempSync(join(tmpdir(), 'fetch-tls-'));
const path = (name: string): string => join(dir, name);

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed certificate with the given subjectAltName. */
function selfSigned(name: string, san: string): Certificate {
  openssl(
    ['req', '-x509', ...EC, '-keyout', path(`${name}.key`), '-out', path(`${name}.pem`)].concat([
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=${san}`,
    ]),
  );
  return certificate(name);
}

function certificate(name: string): Certificate {
  return {
    key: readFileSync(path(`${name}.key`), 'utf8'),
    cert: readFileSync(path(`${name}.pem`), 'utf8'),
    certPath: path(`${name}.pem`),
    cleanup: () => {},
  };
}

/** A private CA and a server certificate for 127.0.0.1 it signed. */
function caSigned(): { ca: Certificate; leaf: Certificate } {
  openssl(
    ['req', '-x509', ...EC, '-keyout', path('ca.key'), '-out', path('ca.pem'), '-days', '2'].concat(
      ['-subj', '/CN=Test Provisioning CA', '-addext', 'basicConstraints=critical,CA:TRUE'],
    ),
  );
  openssl(
    ['req', '-new', ...EC, '-keyout', path('leaf.key'), '-out', path('leaf.csr')].concat([
      '-subj',
      '/CN=127.0.0.1',
    ]),
  );
  writeFileSync(path('leaf.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      path('leaf.csr'),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
    ].concat([
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      path('leaf.ext'),
      '-out',
      path('leaf.pem'),
    ]),
  );
  return { ca: certificate('ca'), leaf: certificate('leaf') };
}

describe('fetch: TLS verification failures say what to do', () => {
  let selfSignedServer: TestServer;
  let wrongNameServer: TestServer;
  let caServer: TestServer;
  let self: Certificate;
  let wrongName: Certificate;
  let ca: Certificate;
  before(async () => {
    self = selfSigned('self', 'IP:127.0.0.1,DNS:localhost');
    wrongName = selfSigned('wrong-name', 'DNS:prov.example.com');
    const signed = caSigned();
    ca = signed.ca;
    const serve = (_req: unknown, res: { end(b: string): void }): void => res.end(PROFILE);
    selfSignedServer = await startServer(serve, self);
    wrongNameServer = await startServer(serve, wrongName);
    caServer = await startServer(serve, signed.leaf);
  });
  after(async () => {
    await Promise.all([selfSignedServer.close(), wrongNameServer.close(), caServer.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const fetch = (origin: string, ...more: string[]) =>
    runCli(['fetch', `${origin}/$MA.xml`, '--ua', UA, '--timeout', '10', ...more]);

  test('self-signed: the hint is --ca <file> with the server certificate; with it, A', async () => {
    const run = await fetch(selfSignedServer.origin);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /TLS with 127\.0\.0\.1:\d+ failed: the server's certificate is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\): trust it with --ca <file> holding the server's own certificate \(PEM\), or --insecure for a test server/,
    );
    const ok = await fetch(selfSignedServer.origin, '--ca', self.certPath, '--json');
    assert.equal(ok.code, 0, ok.stdout);
  });

  test('an unknown CA: --ca with the CA certificate; a --ca that holds another: said so', async () => {
    const run = await fetch(caServer.origin);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /failed: the server's certificate is signed by a CA not trusted here \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): trust it with --ca <file> holding the CA's certificate/,
    );
    const other = await fetch(caServer.origin, '--ca', self.certPath);
    assert.equal(other.code, 1);
    assert.match(
      other.stdout,
      /\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): the --ca file does not hold the CA's certificate: give it with --ca <file>/,
    );
    const ok = await fetch(caServer.origin, '--ca', ca.certPath, '--json');
    assert.equal(ok.code, 0, ok.stdout);
    assert.equal((JSON.parse(ok.stdout) as { outcome: string }).outcome, 'A');
  });

  test('a certificate for another name: the host asked for and the names it holds', async () => {
    const run = await fetch(wrongNameServer.origin, '--ca', wrongName.certPath);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /failed: the server's certificate is not for 127\.0\.0\.1 \(it names DNS:prov\.example\.com\) \(ERR_TLS_CERT_ALTNAME_INVALID\): use a URL with a name the certificate holds, or reissue it for 127\.0\.0\.1/,
    );
  });

  test('in-process: httpExchange throws an HttpFailure of kind tls with the same line', async () => {
    await assert.rejects(
      httpExchange({
        method: 'GET',
        url: new URL(`${wrongNameServer.origin}/a.xml`),
        headers: {},
        timeoutMs: 10_000,
        maxBytes: 1 << 20,
        ca: wrongName.cert,
      }),
      (err: unknown) =>
        err instanceof HttpFailure &&
        err.kind === 'tls' &&
        /not for 127\.0\.0\.1 \(it names DNS:prov\.example\.com\)/.test(err.message),
    );
  });
});
