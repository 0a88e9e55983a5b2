// ProvisioningServer in-process: what Node's HTTP parser refuses, and a request whose headers do
// not arrive in time, become one RequestRecord (kind `malformed`) for the access log and the
// fleet hook, with a short reason and never the bytes received.
import { connect } from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FleetTracker } from '../../src/device/fleet.js';
import { formatCombined, formatJsonRecord, formatReason } from '../../src/serve/log-format.js';
import { ProvisioningServer, type RequestRecord } from '../../src/serve/server.js';
import { oneDeviceSite } from '../helpers/serve-site.js';

/** Writes the payload, then `next` once the first answer arrives; resolves when closed. */
function exchange(port: number, payload: string, next?: string): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(payload));
    socket.on('data', (c: Buffer) => {
      if (data === '' && next !== undefined) socket.write(next);
      data += c.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
  });
}

test('parser errors and partial requests are records; silent connections are not', async () => {
  const { config } = oneDeviceSite('serve-client-error-');
  const server = new ProvisioningServer({
    ...config,
    timeouts: { headersMs: 600, requestMs: 5000, keepAliveMs: 1000, idleMs: 10_000 },
  });
  const records: RequestRecord[] = [];
  server.onRequest((r) => records.push(r));
  const { port } = await server.listen(0, '127.0.0.1');
  try {
    const bad = await exchange(port, 'BREW /pot?secret=s3cr3t HTTP/1.1\u0007\r\n\r\n');
    assert.match(bad, /^HTTP\/1\.1 400 Bad Request\r\n/);
    const [partial, silent] = await Promise.all([
      exchange(port, 'GET /00562b043615.xml HTTP/1.1\r\nHost: x\r\n'),
      exchange(port, ''),
    ]);
    assert.match(partial, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(silent, /^HTTP\/1\.1 408 /); // as Node answers it, but not logged
    // A keep-alive connection whose second request stalls: logged; its first request too.
    const keepAlive = await exchange(
      port,
      'GET /00562b043615.xml HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /00562b043615.xml HTTP/1.1\r\n',
    );
    assert.match(keepAlive, /^HTTP\/1\.1 200 OK\r\n[\s\S]*HTTP\/1\.1 408 /);
  } finally {
    await server.close(100);
  }
  const malformed = records.filter((r) => r.kind === 'malformed');
  assert.deepEqual(
    malformed.map((r) => [r.status, r.reason]),
    [
      [400, 'malformed request: Invalid method encountered (HPE_INVALID_METHOD)'],
      [408, 'malformed request: request headers not complete within 0.6 s'],
      [408, 'malformed request: request headers not complete within 0.6 s'],
    ].sort(),
    JSON.stringify(records),
  );
  assert.equal(records.filter((r) => r.kind === 'profile' && r.status === 200).length, 1);
  const first = malformed[0]!;
  assert.equal(first.address, '127.0.0.1');
  assert.match(formatCombined(first), /^127\.0\.0\.1 - - \[[^\]]+\] "-" 400 16 "-" "-"$/);
  assert.equal(
    formatReason(first),
    'serve: 400 from 127.0.0.1: malformed request: Invalid method encountered (HPE_INVALID_METHOD)',
  );
  const json = JSON.parse(formatJsonRecord(first)) as Record<string, unknown>;
  assert.equal(json.kind, 'malformed');
  assert.equal(json.status, 400);
  for (const r of malformed) {
    assert.equal(JSON.stringify(r).includes('s3cr3t'), false);
    assert.equal(JSON.stringify(r).includes('BREW'), false);
  }
  // The fleet hook reads it as a line with no phone: counted, nothing thrown.
  const tracker = new FleetTracker();
  for (const r of records) tracker.addLine(formatCombined(r));
  assert.equal(tracker.lineCounts.total, records.length);
});
