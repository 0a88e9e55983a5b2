/**
 * One HTTP(S) request the way a phone makes it: no connection reuse, no content negotiation,
 * the body read with a size limit, the whole exchange under one timeout. node:http handles
 * HTTP/1.0 and 1.1 answers and chunked bodies.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpRequestOptions {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array | undefined;
  /** Milliseconds for the whole exchange: connect, answer and body. */
  timeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Accept any server certificate (self-signed test servers). */
  insecure?: boolean;
  /** Extra CA certificates (PEM) to trust. */
  ca?: string | undefined;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  /** Header values by lower-case name; repeated headers keep every line. */
  headers: Record<string, string[]>;
  body: Uint8Array;
}

/** Why a request got no (complete) answer. */
export type HttpFailureKind =
  'refused' | 'timeout' | 'dns' | 'tls' | 'too-large' | 'connection' | 'protocol';

export class HttpFailure extends Error {
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME|ALTNAME/;

/** What the certificate error means, and what to do about it. */
function tlsFailure(
  err: NodeJS.ErrnoException & { cert?: { subjectaltname?: unknown } },
  where: string,
  url: URL,
  caGiven: boolean,
): HttpFailure {
  const code = err.code ?? '';
  const trust = (what: string): string =>
    caGiven
      ? `the --ca file does not hold ${what}: give it with --ca <file> (PEM)`
      : `trust it with --ca <file> holding ${what} (PEM), or --insecure for a test server`;
  let why: string;
  let hint: string;
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      why = "the server's certificate is self-signed";
      hint = trust("the server's own certificate");
      break;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      why = "the server's certificate is signed by a CA not trusted here";
      hint = trust("the CA's certificate");
      break;
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      // The names are the server's text: printable ASCII only, and not all of a long list.
      const raw = err.cert?.subjectaltname;
      const names =
        typeof raw === 'string' && raw !== ''
          ? raw.replace(/[^ -~]/g, '?').slice(0, 200)
          : 'no subjectAltName';
      why = `the server's certificate is not for ${url.hostname} (it names ${names})`;
      hint = `use a URL with a name the certificate holds, or reissue it for ${url.hostname} (--ca does not change the name check)`;
      break;
    }
    case 'CERT_HAS_EXPIRED':
      why = "the server's certificate has expired";
      hint = "renew it, or check this machine's clock";
      break;
    case 'CERT_NOT_YET_VALID':
      why = "the server's certificate is not valid yet";
      hint = "check this machine's clock";
      break;
    default:
      return new HttpFailure(
        'tls',
        `TLS with ${where} failed: ${code} (a private CA: --ca <file>; a self-signed test server: --insecure)`,
      );
  }
  return new HttpFailure('tls', `TLS with ${where} failed: ${why} (${code}): ${hint}`);
}

/** Describes a socket error in one line, without echoing anything the server sent. */
function failureOf(err: NodeJS.ErrnoException, url: URL, caGiven = false): HttpFailure {
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return new HttpFailure('refused', `connection refused by ${where}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HttpFailure('dns', `cannot resolve ${url.hostname}`);
    case 'ECONNRESET':
    case 'EPIPE':
      // Node's "socket hang up": closed before any answer began, which is what an http:// URL at
      // a port that speaks TLS gets from many servers (serve --tls-cert, Node, Go).
      if (url.protocol === 'http:' && err.message === 'socket hang up') {
        return new HttpFailure(
          'connection',
          `connection to ${where} closed before any answer: is the port HTTPS? check the URL's scheme and port`,
        );
      }
      return new HttpFailure('connection', `connection to ${where} closed before a full answer`);
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_STATUS':
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return new HttpFailure('protocol', `${where} answered with malformed HTTP (${err.code})`);
    case 'EPROTO':
      // OpenSSL's "wrong version number": the first bytes back were not a TLS record, which is
      // what an https:// URL at a plain-HTTP port gets (Node names only the OpenSSL routine).
      if (url.protocol === 'https:' && /wrong version number/i.test(err.message)) {
        return new HttpFailure(
          'tls',
          `TLS with ${where} failed: the server did not answer in TLS (EPROTO): is it plain HTTP? check the URL's scheme and port`,
        );
      }
      return new HttpFailure('tls', `TLS with ${where} failed: a TLS protocol error (EPROTO)`);
    default:
      if (err.code && TLS_CODES.test(err.code)) return tlsFailure(err, where, url, caGiven);
      return new HttpFailure(
        'connection',
        `connection to ${where} failed: ${err.code ?? err.message}`,
      );
  }
}

/** Collects header lines by lower-case name from the raw [name, value, …] list. */
function headerLines(raw: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    (headers[name] ??= []).push(raw[i + 1] ?? '');
  }
  return headers;
}

/**
 * Makes one request.
 * @throws HttpFailure when there is no complete answer (refused, timeout, TLS, too large…)
 */
export function httpExchange(options: HttpRequestOptions): Promise<HttpResponse> {
  const { url } = options;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const finish = (err: HttpFailure | undefined, response?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(response!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new HttpFailure(
            'timeout',
            `no complete answer from ${url.host} within ${options.timeoutMs / 1000} s`,
          ),
        ),
      options.timeoutMs,
    );
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = String(options.body.length);
    const req = request(url, {
      method: options.method,
      headers,
      agent: false,
      ...(url.protocol === 'https:'
        ? {
            rejectUnauthorized: options.insecure !== true,
            ...(options.ca !== undefined ? { ca: options.ca } : {}),
            servername: /^[0-9.]+$|^\[/.test(url.hostname) ? '' : url.hostname,
          }
        : {}),
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish(failureOf(err, url, options.ca !== undefined)),
    );
    req.on('response', (res: IncomingMessage) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        finish(tooLarge(options.maxBytes));
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          finish(tooLarge(options.maxBytes));
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err: NodeJS.ErrnoException) => finish(failureOf(err, url)));
      res.on('aborted', () =>
        finish(new HttpFailure('connection', `connection to ${url.host} closed mid-body`)),
      );
      res.on('end', () => {
        if (!res.complete) {
          finish(new HttpFailure('connection', `connection to ${url.host} closed mid-body`));
          return;
        }
        finish(undefined, {
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          httpVersion: res.httpVersion,
          headers: headerLines(res.rawHeaders),
          body: new Uint8Array(Buffer.concat(chunks)),
        });
      });
    });
    req.end(options.body === undefined ? undefined : Buffer.from(options.body));
  });
}

function tooLarge(maxBytes: number): HttpFailure {
  return new HttpFailure('too-large', `the body is larger than --max-size (${maxBytes} bytes)`);
}
