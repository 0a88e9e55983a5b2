/**
 * ProfileGzip drives node:zlib's private handle (writeSync / _writeState / reset) to reuse one
 * deflate state. These tests fail when Node drops that surface (reusesState) or when the output
 * drifts from zlib.gzipSync's, and check it against the gzip CLI.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { ProfileGzip } from '../../src/render/profile-gzip.js';

test('ProfileGzip reuses one deflate state on this Node (the private handle is still there)', () => {
  assert.equal(new ProfileGzip().reusesState, true);
});

test('ProfileGzip output is byte for byte zlib.gzipSync, call after call, for small and large inputs', () => {
  const gz = new ProfileGzip();
  const xml = Buffer.from(
    `<flat-profile>\n${Array.from({ length: 400 }, (_, i) => `  <Display_Name_${(i % 16) + 1}_ ua="na">User ${i}</Display_Name_${(i % 16) + 1}_>`).join('\n')}\n</flat-profile>\n`,
  );
  const inputs = [
    Buffer.alloc(0),
    Buffer.from('<flat-profile/>'),
    xml,
    randomBytes(200_000), // incompressible, larger than the 64 KB output chunk: several rounds
    Buffer.concat(Array.from({ length: 40 }, () => xml)), // ~1 MB of text
    xml,
  ];
  for (const input of inputs) {
    assert.deepEqual(Buffer.from(gz.gzip(input)), zlib.gzipSync(input), `${input.length} bytes`);
  }
});

test('ProfileGzip output is read back by the gzip CLI', (t) => {
  const probe = spawnSync('gzip', ['--version']);
  if (probe.status !== 0) return t.skip('no gzip CLI');
  const gz = new ProfileGzip();
  gz.gzip(Buffer.from('a first profile, to leave state behind'));
  const text =
    '<flat-profile>\n  <Station_Name ua="na">Reception</Station_Name>\n</flat-profile>\n';
  const r = spawnSync('gzip', ['-dc'], { input: gz.gzip(Buffer.from(text)) });
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(r.stdout.toString(), text);
});
