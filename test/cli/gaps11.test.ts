// Operator gaps in fetch, serve and fleet: a plain-HTTP fetch of an HTTPS port says what happened;
// health checks and the fleet page are no phone's resync in any log fleet reads; serve names a
// template link out of its directory at start; the serve test helper kills a server that never
// says it listens.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { httpRequest, startListening, startServe } from '../helpers/serve.js';
import { FleetTracker } from '../../src/device/fleet.js';
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
    // Writes its pid and a child's, then says something else and waits forever. A shell, not
    // Node: it must have written its pids before the 4 s below run out, and a Node process took
    // longer than that to start in a full run at load 13 (the pid file was never written).
    const script =
      'sleep 1000 </dev/null >/dev/null 2>&1 & echo "$$ $!" > "$1"; echo starting… >&2; exec sleep 1000';
    const pids: number[] = [];
    try {
      for (const detached of [false, true]) {
        const file = join(root, `pids-${detached}`);
        const started = Date.now();
        await assert.rejects(
          startListening('sh', ['-c', script, 'sh', file], {
            listenTimeoutMs: 4000,
            detached,
          }),
          /timed out waiting for .*listening.* in stderr/,
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

describe('fleet: /healthz and /fleet are no resync, whoever logged them', () => {
  // One request each: a health check and the page with a phone's User-Agent (01, 02, 03), a
  // phone's resync (15), and a phone whose 404 is followed by a health check in its name (16).
  const requests: [string, string, number][] = [
    ['/healthz', '00562b043601', 200],
    ['/cisco/healthz?probe=lb1', '00562b043602', 200],
    ['/fleet', '00562b043603', 200],
    ['/cfg/00562b043615.xml', '00562b043615', 200],
    ['/cfg/00562b043616.xml', '00562b043616', 404],
    ['/healthz', '00562b043616', 200],
  ];
  const combined = requests
    .map(
      ([path, mac, status], i) =>
        `10.0.0.${i + 1} - - [01/Dec/2026:10:00:0${i} +0000] "GET ${path} HTTP/1.1" ${status} 12 "-" "${UA(mac)}"\n`,
    )
    .join('');
  // Caddy's JSON access-log shape (caddyserver.com/docs/logging).
  const caddy = requests
    .map(
      ([uri, mac, status], i) =>
        JSON.stringify({
          level: 'info',
          ts: Date.UTC(2026, 11, 1, 10, 0, i) / 1000,
          logger: 'http.log.access',
          msg: 'handled request',
          request: {
            remote_ip: `10.0.0.${i + 1}`,
            client_ip: `10.0.0.${i + 1}`,
            proto: 'HTTP/1.1',
            method: 'GET',
            host: 'prov.example.com',
            uri,
            headers: { 'User-Agent': [UA(mac)] },
          },
          size: 12,
          status,
        }) + '\n',
    )
    .join('');
  const onPage = (html: string): string[] =>
    [...new Set(html.match(/00562b0436\d\d/g) ?? [])].sort();

  test('fleet --log: a combined and a JSON log show only the phones that asked for a profile', async () => {
    const root = dir.fresh('fleet-endpoints');
    for (const [name, text] of [
      ['nginx.log', combined],
      ['caddy.log', caddy],
    ] as const) {
      writeFileSync(join(root, name), text);
      const page = join(root, `${name}.html`);
      const r = await runCli(['fleet', '--log', join(root, name), '-o', page]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(onPage(readFileSync(page, 'utf8')), ['00562b043615', '00562b043616'], name);
    }
  });

  test("a health check after a phone's 404 leaves its outcome B (the library's FleetTracker)", () => {
    const fleet = new FleetTracker();
    for (const line of combined.trimEnd().split('\n')) fleet.addLine(line);
    const data = fleet.snapshot({ now: new Date('2026-12-01T10:05:00Z'), source: 'test' });
    const rows = new Map(data.phones.map((p) => [p.summary.mac, p]));
    assert.deepEqual([...rows.keys()].sort(), ['00562b043615', '00562b043616']);
    assert.equal(rows.get('00562b043616')!.summary.outcome, 'B');
    assert.deepEqual(
      rows.get('00562b043616')!.history.map((h) => h.path),
      ['/cfg/00562b043616.xml'],
    );
    assert.equal(data.outcomes.B, 1);
  });

  test("serve's own logs, combined and JSON, read by fleet --log: as its live page", async () => {
    const root = dir.fresh('fleet-serve-logs');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    for (const format of ['combined', 'json']) {
      const log = join(root, `access-${format}.log`);
      const server = await startServe([
        ...['-i', join(root, 'inventory.csv'), '--fleet'],
        ...['--access-log', log, '--log-format', format],
      ]);
      try {
        const ask = (path: string, mac: string) =>
          httpRequest(server.port, path, { userAgent: UA(mac) });
        assert.equal((await ask('/healthz', '00562b043601')).status, 200);
        assert.equal((await ask('/fleet', '00562b043602')).status, 200);
        assert.equal((await ask('/00562b043615.xml', '00562b043615')).status, 200);
        const live = (await httpRequest(server.port, '/fleet')).body.toString('utf8');
        assert.deepEqual(onPage(live), ['00562b043615'], format);
      } finally {
        await server.stop();
      }
      const page = join(root, `${format}.html`);
      const r = await runCli(['fleet', '--log', log, '-o', page]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(onPage(readFileSync(page, 'utf8')), ['00562b043615'], format);
    }
  });
});

describe('serve: template links out of the template directory are named at start', () => {
  /** The bundled templates copied to `root/templates`, and a directory `root/elsewhere`. */
  function templatesWithLinks(root: string): { templates: string; elsewhere: string } {
    const templates = join(root, 'templates');
    cpSync(join(ROOT, 'templates'), templates, { recursive: true });
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    return { templates, elsewhere };
  }

  test('one line per link (a template, a partials directory), naming link and target, not content; none for a link inside', async () => {
    const root = dir.fresh('links-start');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const { templates, elsewhere } = templatesWithLinks(root);
    // Out: the desk template and the partials, moved elsewhere and linked from where they were.
    renameSync(join(templates, 'mpp-desk.liquid'), join(elsewhere, 'desk.liquid'));
    writeFileSync(
      join(elsewhere, 'desk.liquid'),
      '{% comment %}SECRET-CONTENT{% endcomment %}' +
        readFileSync(join(elsewhere, 'desk.liquid'), 'utf8'),
    );
    symlinkSync(join(elsewhere, 'desk.liquid'), join(templates, 'mpp-desk.liquid'));
    renameSync(join(templates, 'partials'), join(elsewhere, 'partials'));
    symlinkSync(join(elsewhere, 'partials'), join(templates, 'partials'));
    // In: a link to a template of the same directory, and one to a file that is no template.
    mkdirSync(join(templates, 'more'));
    symlinkSync('../mpp-conference.liquid', join(templates, 'more', '7832.liquid'));
    symlinkSync(join(elsewhere, 'desk.liquid'), join(templates, 'notes.txt'));
    const server = await startServe(['-i', join(root, 'inventory.csv'), '-t', templates]);
    try {
      const warned = server
        .stderr()
        .split('\n')
        .filter((l) => /symbolic link/.test(l));
      assert.equal(warned.length, 2, server.stderr());
      const esc = (p: string): string => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.match(
        warned[0]!,
        new RegExp(
          `^cisco-prov: warning: --template ${esc(templates)}: mpp-desk\\.liquid is a symbolic link out of the template directory \\(to ${esc(join(elsewhere, 'desk.liquid'))}\\), which LiquidJS does not read through: the devices that need it get 500; copy it in, or link the whole directory$`,
        ),
      );
      assert.match(
        warned[1]!,
        /: partials\/ is a symbolic link out of the template directory \(to .*elsewhere\/partials\)/,
      );
      assert.doesNotMatch(server.stderr(), /SECRET-CONTENT|7832|notes\.txt/);
      // Before "listening": an operator reads it before any phone asks.
      assert.ok(server.stderr().indexOf('symbolic link') < server.stderr().indexOf('listening on'));
      // What the warning announces: that device's profile is refused.
      const res = await httpRequest(server.port, '/00562b043615.xml', {
        userAgent: UA('00562b043615'),
      });
      assert.equal(res.status, 500);
    } finally {
      await server.stop();
    }
  });

  test('many links: one summary line, again at a reload that changes them (only then); -t naming a link', async () => {
    const root = dir.fresh('links-many');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const { templates, elsewhere } = templatesWithLinks(root);
    for (let i = 1; i <= 6; i++) {
      writeFileSync(join(elsewhere, `x${i}.liquid`), 'x');
      symlinkSync(join(elsewhere, `x${i}.liquid`), join(templates, `x${i}.liquid`));
    }
    const server = await startServe([
      ...['-i', join(root, 'inventory.csv'), '-t', templates, '--no-watch'],
    ]);
    try {
      const warned = (): string[] =>
        server
          .stderr()
          .split('\n')
          .filter((l) => /symbolic link/.test(l));
      assert.equal(warned().length, 1, server.stderr());
      assert.match(
        warned()[0]!,
        /^cisco-prov: warning: --template .*templates: 6 symbolic links out of the template directory, .*: x1\.liquid, x2\.liquid, x3\.liquid, x4\.liquid, x5\.liquid, … \(1 more\); copy them in/,
      );
      // A reload that changes nothing says nothing more.
      server.child.kill('SIGHUP');
      await server.waitForStderr(/generation 2/);
      assert.equal(warned().length, 1, server.stderr());
      // One more, a directory linked from elsewhere: the reload names them again.
      symlinkSync(elsewhere, join(templates, 'shared'));
      server.child.kill('SIGHUP');
      await server.waitForStderr(/generation 3/);
      assert.equal(warned().length, 2, server.stderr());
      assert.match(
        warned()[1]!,
        /serve: warn: SIGHUP: .*: 7 symbolic links .*: shared\/, x1\.liquid, .*\(2 more\)/,
      );
    } finally {
      await server.stop();
    }
    // -t naming a file that is a link out of its directory: the file it leads to, rendered with
    // the partials beside it (gaps12), so no warning.
    const link = join(dir.fresh('links-many/named'), 'desk-link.liquid');
    symlinkSync(join(templates, 'mpp-desk.liquid'), link);
    const single = await startServe(['-i', join(root, 'inventory.csv'), '-t', link]);
    try {
      assert.doesNotMatch(single.stderr(), /symbolic link/, single.stderr());
      const res = await httpRequest(single.port, '/00562b043615.xml', {
        userAgent: UA('00562b043615'),
      });
      assert.equal(res.status, 200);
    } finally {
      await single.stop();
    }
  });
});
