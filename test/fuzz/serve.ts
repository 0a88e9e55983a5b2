/**
 * serve fuzz driver: one `cisco-prov serve` (built CLI) with an inventory holding planted
 * secrets, per-device keys, an auth file, report uploads and the fleet page, and mutated raw
 * HTTP/1.1 requests sent over TCP. Oracles: the server stays up; every response it writes
 * starts with an HTTP/1.1 status line; no error response (4xx/5xx) and no line of its access
 * log or stderr carries a planted password, key or IKM; stderr has no stack frame or
 * "unexpected failure"; no temp file is left in the reports directory.
 * Usage: node --import tsx test/fuzz/serve.ts   Env: FUZZ_SEED (9), FUZZ_EXECS (300).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../helpers/serve.js';
import { PLANTED } from './core-targets.js';
import { Rng, mutate, show, tokens, utf8 } from './lib.js';

const seed = Number(process.env.FUZZ_SEED ?? 9);
const execs = Number(process.env.FUZZ_EXECS ?? 300);
delete process.env.NODE_EXTRA_CA_CERTS;
const SECRETS = Object.values(PLANTED);

const work = mkdtempSync(join(tmpdir(), 'cisco-prov-fuzz-serve-'));
const inventory = join(work, 'inv.csv');
writeFileSync(
  inventory,
  `mac,serial,model,display_name,sip.proxy,admin_password,lines.1.extension,lines.1.password,profile_key,profile_ikm,provisioning.server\n` +
    `00562b043615,FCH2147ABCD,CP-8841-3PCC,Rec,pbx.example.com,${PLANTED.password},201,${PLANTED.sip},${PLANTED.key},,https://prov.example.com\n` +
    `00562b043616,,8851,Sales,pbx.example.com,${PLANTED.password},202,${PLANTED.sip},,${PLANTED.ikm},https://prov.example.com\n`,
);
const auth = join(work, 'auth.txt');
writeFileSync(auth, `phone:${PLANTED.sip}\n`, { mode: 0o600 });
const reports = join(work, 'reports');

const UA = 'Cisco/CP-8841-3PCC-11.3.7 (00562b043615)(FCH2147ABCD)';
const basic = Buffer.from(`phone:${PLANTED.sip}`).toString('base64');
const report = `<flat-profile><Admin_Passwd>${PLANTED.password}</Admin_Passwd></flat-profile>`;
const seeds = [
  `GET /00562b043615.xml HTTP/1.1\r\nHost: prov\r\nUser-Agent: ${UA}\r\nAuthorization: Basic ${basic}\r\n\r\n`,
  `GET /00562b043615.cfg?key=${PLANTED.key} HTTP/1.1\r\nHost: prov\r\nUser-Agent: ${UA}\r\nAuthorization: Basic ${basic}\r\n\r\n`,
  `GET http://prov:80/FCH2147ABCD.xml HTTP/1.1\r\nHost: x\r\nUser-Agent: ${UA}\r\n\r\n`,
  `GET /CP-8841-3PCC.xml HTTP/1.1\r\nHost: prov\r\nUser-Agent: ${UA}\r\n\r\n`,
  `PUT /00562b043615.xml HTTP/1.1\r\nHost: prov\r\nUser-Agent: ${UA}\r\nAuthorization: Basic ${basic}\r\nContent-Length: ${report.length}\r\n\r\n${report}`,
  `POST /00562b043615.xml HTTP/1.1\r\nHost: prov\r\nUser-Agent: ${UA}\r\nAuthorization: Basic ${basic}\r\nTransfer-Encoding: chunked\r\n\r\n${report.length.toString(16)}\r\n${report}\r\n0\r\n\r\n`,
  `GET /fleet HTTP/1.1\r\nHost: prov\r\nAuthorization: Digest username="phone", realm="cisco-prov", nonce="x", uri="/fleet", response="00", qop=auth, nc=00000001, cnonce="c"\r\n\r\n`,
  `GET /00562b043616.xml HTTP/1.1\r\nHost: prov\r\nUser-Agent: Cisco/CP-8851-3PCC-11.3.7 (00562b043616)\r\nAuthorization: Basic ${basic}\r\nConnection: close\r\n\r\n`,
].map(utf8);
const dict = tokens([
  '\r\n',
  '\n',
  ' ',
  ':',
  '%2e%2e/',
  '../',
  '%00',
  '%',
  '?',
  '#',
  '//',
  'Content-Length: 99999999999\r\n',
  'Content-Length: -1\r\n',
  'Transfer-Encoding: chunked\r\n',
  'Expect: 100-continue\r\n',
  'Host: \r\n',
  'HTTP/1.0',
  'HTTP/9.9',
  'OPTIONS * ',
  'CONNECT ',
  'Authorization: Basic !!!\r\n',
  'Authorization: Digest username="\\"", nonce=""\r\n',
  'User-Agent: \r\n',
  'Content-Encoding: aes128gcm\r\n',
  'Content-Encoding: gzip\r\n',
]);

function send(port: number, data: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.end(data);
  });
}

const rng = new Rng(seed);
let findings = 0;
const seen = new Set<string>();
function finding(what: string, input: Uint8Array, extra = ''): void {
  if (seen.has(what)) return;
  seen.add(what);
  findings++;
  console.log(`  FINDING ${what}\n    input: ${show(input)}${extra ? `\n    ${extra}` : ''}`);
}

const server = await startServe([
  '-i',
  inventory,
  '--key-field',
  'profile_key',
  '--ikm-field',
  'profile_ikm',
  '--auth-file',
  auth,
  '--reports',
  reports,
  '--fleet',
  '--max-body',
  '65536',
  '--header-timeout',
  '5',
]);
const statuses: Record<string, number> = {};
try {
  for (let i = 0; i < execs; i++) {
    const input =
      i < seeds.length
        ? (seeds[i] as Uint8Array)
        : mutate(rng, rng.pick(seeds), seeds, dict, [['/', '']], 16 * 1024);
    const before = { out: server.stdout().length, err: server.stderr().length };
    const response = await send(server.port, input);
    const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? (response === '' ? 'none' : 'bad');
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 'bad')
      finding(`response not HTTP/1.1: ${JSON.stringify(response.slice(0, 60))}`, input);
    // Responses are pipelined: judge each status line's part.
    for (const part of response.split(/(?=HTTP\/1\.1 \d{3} )/)) {
      const code = /^HTTP\/1\.1 (\d{3})/.exec(part)?.[1];
      if (code !== undefined && Number(code) >= 400) {
        for (const s of SECRETS) {
          if (part.includes(s)) finding(`secret in a ${code} response`, input);
        }
      }
    }
    if (server.child.exitCode !== null) {
      finding(`server exited ${server.child.exitCode}`, input, server.stderr().slice(-400));
      break;
    }
    // The access line is written once the response has gone: give it a moment.
    await new Promise((r) => setTimeout(r, 5));
    const out = server.stdout().slice(before.out);
    const err = server.stderr().slice(before.err);
    // The request line of each access-log line (`"GET /x?key=… HTTP/1.1"`): a query secret
    // must be masked there. (A secret spliced into the User-Agent is logged as sent.)
    const requestLines = [...out.matchAll(/\] "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('\n');
    if (status === '500') console.log(`  note: 500: ${err.trim().split('\n')[0]?.slice(0, 200)}`);
    // Only a value under a secret's name is masked (`?key=…`, `&pwd=…`); one under another
    // name, or spliced into the path, is logged as sent.
    const sent = new TextDecoder().decode(input).split('\n')[0] ?? '';
    for (const s of SECRETS) {
      const named = new RegExp(`[?&](key|pwd|password|ikm|secret|token)=${s}`, 'i').test(sent);
      if (named && requestLines.includes(s)) {
        finding(`secret in the access log`, input, out.slice(0, 300));
      }
      if (err.includes(s)) finding(`secret on stderr`, input, err.slice(0, 300));
    }
    if (/^\s+at /m.test(err) || /unexpected failure/.test(err)) {
      finding(`stack or unexpected failure on stderr`, input, err.slice(0, 400));
    }
  }
  const leftovers = (() => {
    try {
      return readdirSync(reports, { recursive: true })
        .map(String)
        .filter((n) => /tmp/.test(n));
    } catch {
      return [];
    }
  })();
  if (leftovers.length > 0)
    finding(`temp files left in reports: ${leftovers.join(', ')}`, new Uint8Array());
} finally {
  const code = await server.stop();
  console.log(
    `serve: ${execs} requests, statuses ${JSON.stringify(statuses)}, stopped with ${code}, ${findings} finding(s)`,
  );
  rmSync(work, { recursive: true, force: true });
}
process.exit(findings > 0 ? 1 : 0);
