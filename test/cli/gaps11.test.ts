// Operator gaps in fetch, serve and fleet: a plain-HTTP fetch of an HTTPS port says what happened;
// the serve test helper kills a server that never says it listens.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';
import { startListening, startServe } from '../helpers/serve.js';
import { selfSignedCertificate, startServer } from '../helpers/http-server.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-gaps11-');
const UA = (mac: string): string => `Cisco-CP-8841-3PCC/11.0 (${mac})`;
const INVENTORY =
  'mac,model,display_name,sip.proxy,lines.1.extension\n' +
  '00562b043615,8841,Reception,pbx.example.com,201\n' +
  '00562b043616,8841,Sales,pbx.example.com,202\n';

describe('fetch: plain HTTP to an HTTPS port', () => {
  test('serve --tls-cert answers 400: fetch says the port speaks HTTPS and gives the https:// URL', async () => {
    const root = dir.fresh('plain-at-tls');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const cert = selfSignedCertificate();
    const server = await startServe([
      ...['-i', join(root, 'inventory.csv')],
      ...['--tls-cert', cert.certPath, '--tls-key', join(cert.certPath, '..', 'key.pem')],
    ]);
    try {
      const url = `http://127.0.0.1:${server.port}/$MA.xml?pwd=hunter2`;
      const r = await runCli(['fetch', url, '--ua', UA('00562b043615')]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /400 Bad Request/);
      assert.match(
        r.stdout,
        new RegExp(
          `outcome +C \\(other failure\\): 400 Bad Request: .*; the server says this port speaks HTTPS \\(plain HTTP was sent to its HTTPS port\\): use https:// for it, https://127\\.0\\.0\\.1:${server.port}/00562b043615\\.xml\\?pwd=\\*+\\n`,
        ),
      );
      assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
      const json = await runCli(['fetch', url, '--ua', UA('00562b043615'), '--json']);
      const doc = JSON.parse(json.stdout) as { outcome: string; status: number; reason: string };
      assert.equal(doc.outcome, 'C');
      assert.equal(doc.status, 400);
      assert.match(doc.reason, /speaks HTTPS.*https:\/\/127\.0\.0\.1:\d+\/00562b043615\.xml/);
      // Over https:// with the certificate, the same server serves the profile.
      const tls = await runCli([
        ...['fetch', url.replace('http:', 'https:'), '--ua', UA('00562b043615')],
        ...['--ca', cert.certPath],
      ]);
      assert.equal(tls.code, 0, tls.stdout + tls.stderr);
    } finally {
      await server.stop();
      cert.cleanup();
    }
  });

  test("nginx's, Apache's and Go's words get the hint; any other 400 stays as it was", async () => {
    const bodies: Record<string, string> = {
      '/nginx.xml':
        '<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n</body>\r\n</html>\r\n',
      '/apache.xml':
        "<p>Your browser sent a request that this server could not understand.<br />\nReason: You're speaking plain HTTP to an SSL-enabled server port.<br />\n Instead use the HTTPS scheme to access this URL, please.<br />\n</p>",
      '/go.xml': 'Client sent an HTTP request to an HTTPS server.\n',
      '/other.xml': '400 Bad Request: bad parameter\n',
    };
    const server = await startServer((req, res) => {
      res.writeHead(400, { 'Content-Type': 'text/html' });
      res.end(bodies[req.url ?? ''] ?? 'no');
    });
    try {
      for (const path of ['/nginx.xml', '/apache.xml', '/go.xml']) {
        const r = await runCli(['fetch', `${server.origin}${path}`, '--ua', UA('00562b043615')]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(
          r.stdout,
          new RegExp(
            `speaks HTTPS .*use https:// for it, https://127\\.0\\.0\\.1:${server.port}${path}`,
          ),
          path,
        );
      }
      const other = await runCli([
        ...['fetch', `${server.origin}/other.xml`, '--ua', UA('00562b043615')],
      ]);
      assert.equal(other.code, 1, other.stderr);
      assert.match(
        other.stdout,
        /outcome +C \(other failure\): 400 Bad Request: failure: retry after Resync_Error_Retry_Delay\n/,
      );
      assert.doesNotMatch(other.stdout, /HTTPS/);
    } finally {
      await server.close();
    }
  });
});

/** Whether a process is gone (a zombie waiting for its reaper counts as gone). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) && / Z /.test(readFileSync(stat, 'utf8'));
}

async function waitGone(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!gone(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('test helper startServe/startListening', () => {
  test('a process that never says "listening" is killed (its group too) before the promise rejects', async () => {
    const root = dir.fresh('never-listens');
    // Writes its pid and a child's, then says something else forever.
    const script = (file: string): string =>
      `const { spawn } = require('node:child_process');
       const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       require('node:fs').writeFileSync(${JSON.stringify(file)}, process.pid + ' ' + g.pid);
       process.stderr.write('starting…\\n');
       setInterval(() => {}, 1000);`;
    const pids: number[] = [];
    try {
      for (const detached of [false, true]) {
        const file = join(root, `pids-${detached}`);
        const started = Date.now();
        await assert.rejects(
          startListening(process.execPath, ['-e', script(file)], {
            listenTimeoutMs: 1500,
            detached,
          }),
          /timed out waiting for .*listening.* in stderr:\nstarting…/,
        );
        assert.ok(Date.now() - started < 10_000);
        const [pid, grandchild] = readFileSync(file, 'utf8').split(' ').map(Number);
        pids.push(pid!, grandchild!);
        // Killed, and reaped, before the promise rejected.
        assert.ok(gone(pid!), `detached ${detached}: the process ${pid} still runs`);
        // Its group (when it leads one) is killed too.
        if (detached) assert.ok(await waitGone(grandchild!), `its child ${grandchild} still runs`);
      }
    } finally {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  });
});
