/**
 * Real local HTTP(S) servers for the `fetch` tests: 127.0.0.1, an ephemeral port, a handler per
 * test, every request recorded. The TLS certificate is made by the openssl CLI in a temp dir.
 * The Digest check here is written from RFC 7616 §3.4 on its own (it shares no code with
 * src/io/http-auth.ts), and a test checks it against curl.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface TestServer {
  port: number;
  /** `http://127.0.0.1:<port>` (or https). */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface Certificate {
  key: string;
  cert: string;
  /** Path of the certificate (PEM), for --ca. */
  certPath: string;
  cleanup(): void;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made by the openssl CLI. */
export function selfSignedCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(keyPath, 'utf8'),
    cert: readFileSync(certPath, 'utf8'),
    certPath,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Starts an HTTP (or, with a certificate, HTTPS) server on 127.0.0.1. */
export async function startServer(handler: Handler, tls?: Certificate): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  };
  const server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A raw TCP server that answers with exactly the bytes given (HTTP/1.0, hangs, garbage). */
export async function startRawServer(
  answer: (socket: Socket, request: string) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let request = '';
    let answered = false;
    socket.on('data', (chunk) => {
      request += chunk.toString('latin1');
      if (!answered && request.includes('\r\n\r\n')) {
        answered = true;
        answer(socket, request);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Parses `Digest a="b", c=d` into its parameters (server side, RFC 7616 §3.4). */
function digestParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /([a-zA-Z-]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const m of header.replace(/^Digest\s+/i, '').matchAll(re)) {
    params[(m[1] ?? '').toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return params;
}

/**
 * Checks a Digest Authorization header against a user, password and nonce, from RFC 7616 §3.4.1
 * (response = KD(H(A1), nonce:nc:cnonce:qop:H(A2)); without qop, RFC 2069's H(A1):nonce:H(A2)).
 */
export function checkDigest(
  header: string | undefined,
  expected: { user: string; password: string; realm: string; nonce: string; method: string },
): boolean {
  if (!header || !/^Digest /i.test(header)) return false;
  const p = digestParams(header);
  const algorithm = (p.algorithm ?? 'MD5').toUpperCase();
  const hash = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  const h = (s: string): string => createHash(hash).update(s).digest('hex');
  if (p.username !== expected.user || p.realm !== expected.realm || p.nonce !== expected.nonce) {
    return false;
  }
  let a1 = h(`${expected.user}:${expected.realm}:${expected.password}`);
  if (algorithm.endsWith('-SESS')) a1 = h(`${a1}:${p.nonce}:${p.cnonce}`);
  const a2 = h(`${expected.method}:${p.uri}`);
  const want = p.qop
    ? h(`${a1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${a2}`)
    : h(`${a1}:${p.nonce}:${a2}`);
  return p.response === want;
}
