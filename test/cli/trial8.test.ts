/**
 * trial8: a telephony admin who just found cisco-prov tries it from the README — inspect,
 * models, param, keygen, rule, fetch against a local server, diff, convert, drift, fleet and the
 * output formatters — spawned as a user runs it. Each test is a defect found on that trial.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { startServer } from '../helpers/http-server.js';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-trial8-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const UA = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';

test('fetch: an https:// URL at a plain-HTTP port says so, not only "failed: EPROTO"', async () => {
  const server = await startServer((_req, res) => {
    res.end('<flat-profile/>');
  });
  try {
    const r = await runCli(['fetch', `https://127.0.0.1:${server.port}/$MA.xml`, '--ua', UA]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /outcome {2}C /);
    assert.match(r.stdout, /did not answer in TLS \(EPROTO\): is it plain HTTP\?/);
    assert.doesNotMatch(r.stdout + r.stderr, /ssl3_get_record|\.c:\d+/);
  } finally {
    await server.close();
  }
});
