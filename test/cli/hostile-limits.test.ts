/**
 * Limits and hostile text (issue 10, items 8, 11, 16 and the caps): control characters in
 * validate's output, 120,000+ findings or rows (no spread stack overflow), a profile or a
 * gzip bomb beyond validate's size cap, an endless log line, a template loop over a huge range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../helpers/run-cli.js';
import { assertOneLineError, workDir } from '../helpers/hostile.js';

const MAC = '00562b043615';

test('validate shows C0, C1 (U+009B) and bidi (U+202E) characters escaped, never raw', async () => {
  const dir = workDir();
  // A file name with ESC, a value with C1 CSI and a right-to-left override.
  const name = 'ctl\u001b[2J.xml';
  writeFileSync(
    join(dir, name),
    '<flat-profile>\n<Time_Zone>GMT\u202e+1\u009b31m</Time_Zone>\n</flat-profile>\n',
  );
  for (const format of ['stylish', 'json']) {
    const r = await runCli(['validate', '-f', format, name], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stdout, /[\u001b\u009b\u202e]/, `${format}: no raw control character`);
    assert.match(r.stdout, /\\u202e/, `${format}: shown as an escape`);
  }
});

test('validate with 130,000 findings prints them all (no call-stack overflow)', async () => {
  const dir = workDir();
  let xml = '<flat-profile>\n';
  for (let i = 0; i < 130_000; i++) xml += '<Station_Name>a</Station_Name>\n';
  writeFileSync(join(dir, 'dup.xml'), `${xml}</flat-profile>\n`);
  const r = await runCli(['validate', 'dup.xml'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /✖ 129999 problems \(129999 errors, 0 warnings\)\n$/);
});

test('inspect prints a table of 130,000 rows (no call-stack overflow)', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 130_000; i++) {
    lines.push(`Cisco-CP-8841-3PCC/11.0 (${(0x00562b000000 + i).toString(16).padStart(12, '0')})`);
  }
  const r = await runCli(['inspect'], { input: `${lines.join('\n')}\n` });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').length, 130_001);
});

test('validate: a profile beyond 16 MiB is an error finding (exit 1), not read whole', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'big.xml'), Buffer.alloc(17 * 1024 * 1024, 0x20));
  const r = await runCli(['validate', 'big.xml'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stdout,
    /larger than 16777216 bytes \(the limit for a profile\)\s+unreadable-profile/,
  );
  const s = await runCli(['validate', '-'], { input: Buffer.alloc(17 * 1024 * 1024, 0x20) });
  assert.equal(s.code, 1, s.stderr);
  assert.match(s.stdout, /<stdin>[\s\S]*larger than 16777216 bytes/);
});

test('validate: a gzip bomb is a finding (exit 1), not gigabytes of memory', async () => {
  const dir = workDir();
  const chunk = gzipSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 });
  writeFileSync(join(dir, 'bomb.xml.gz'), Buffer.concat(Array(16).fill(chunk)));
  const r = await runCli(['validate', 'bomb.xml.gz'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /gunzips to more than 16777216 bytes/);
});

test('inspect --log: a line longer than 1 MiB is an input error naming the line (exit 1)', async () => {
  const dir = workDir();
  const ok = '10.0.0.1 - - [25/Nov/2026:09:00:00 +0000] "GET /a HTTP/1.1" 200 1 "-" "x"\n';
  writeFileSync(join(dir, 'long.log'), ok + ok + 'x'.repeat(3 * 1024 * 1024));
  const r = await runCli(['inspect', '--log', 'long.log'], { cwd: dir });
  assertOneLineError(r, 1, /long\.log: line 3 is longer than 1048576 characters/);
  // A gzip'd log that inflates to 64 MB without a newline: stopped at the cap, not held.
  writeFileSync(join(dir, 'zeros.log.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024)));
  const gz = await runCli(['inspect', '--log', 'zeros.log.gz'], { cwd: dir });
  assertOneLineError(gz, 1, /zeros\.log\.gz: line 1 is longer than 1048576 characters/);
});

test('fleet --log: the same 1 MiB line cap — a gzip bomb without a newline is exit 1, not 800 MB', async () => {
  const dir = workDir();
  const ok = '10.0.0.1 - - [25/Nov/2026:09:00:00 +0000] "GET /a HTTP/1.1" 200 1 "-" "x"\n';
  writeFileSync(join(dir, 'long.log'), ok + ok + 'x'.repeat(3 * 1024 * 1024));
  const r = await runCli(['fleet', '--log', 'long.log', '-o', 'fleet.html'], { cwd: dir });
  assertOneLineError(r, 1, /long\.log: line 3 is longer than 1048576 characters/);
  assert.equal(existsSync(join(dir, 'fleet.html')), false, 'no page written');
  writeFileSync(join(dir, 'zeros.log.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024)));
  const gz = await runCli(['fleet', '--log', 'zeros.log.gz'], { cwd: dir });
  assertOneLineError(gz, 1, /zeros\.log\.gz: line 1 is longer than 1048576 characters/);
});

test('a template loop over (1..100000000) fails at once with the render memory limit', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'inv.csv'), `mac,model,display_name\n${MAC},8841,A\n`);
  writeFileSync(
    join(dir, 'loop.liquid'),
    '<flat-profile>\n{% for i in (1..100000000) %}<Station_Name>{{ i }}</Station_Name>{% endfor %}\n</flat-profile>\n',
  );
  const started = process.hrtime.bigint();
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 'loop.liquid', '-o', 'out'], {
    cwd: dir,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  assertOneLineError(r, 1, /loop\.liquid line 2, col \d+: .*render memory limit/);
  assert.ok(seconds < 60, `took ${seconds} s`);
});
