/**
 * Regressions found by walking every command as a new admin would (bad files, wrong keys,
 * secrets on the command line): each case is one thing that once went wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../helpers/run-cli.js';
import { assertNoSecret, assertOneLineError, modeOf, workDir } from '../helpers/hostile.js';

const SECRET = 'Qa-Walk-Secret-91';
const INVENTORY = 'mac,model,display_name\n00562b043615,8841,Lobby\n';
const PROFILE_WITH_PASSWORD = `<flat-profile>
  <Station_Name ua="na">Lobby</Station_Name>
  <Password_1_ ua="na">${SECRET}</Password_1_>
</flat-profile>
`;

// V8's JSON.parse messages quote the input around the mistake ("…word_1_": Qa-Walk-S"…).
for (const [label, text] of [
  ['an unquoted password value', `{"Password_1_": ${SECRET}}`],
  ['a password as the first token', `${SECRET} {`],
] as const) {
  test(`convert --from json: ${label} is not echoed in the parse error`, async () => {
    const dir = workDir('cp-qa-');
    writeFileSync(join(dir, 'p.json'), text);
    const r = await runCli(['convert', 'p.json', '--from', 'json', '--to', 'xml'], { cwd: dir });
    assertOneLineError(r, 1, /p\.json: line 1, col \d+: not valid JSON/);
    assertNoSecret(r, SECRET, 'Qa-Walk');
  });
}

test('diff of a malformed JSON profile does not echo the password in it', async () => {
  const dir = workDir('cp-qa-');
  writeFileSync(join(dir, 'a.json'), `{"Password_1_": ${SECRET}}`);
  writeFileSync(join(dir, 'b.xml'), PROFILE_WITH_PASSWORD.replace(SECRET, 'x'));
  const r = await runCli(['diff', 'a.json', 'b.xml'], { cwd: dir });
  assertOneLineError(r, 2, /a\.json: line 1, col 17: not valid JSON/);
  assertNoSecret(r, SECRET, 'Qa-Walk');
});

test('convert -o writes the profile (secrets included) as a new 0600 file', async () => {
  const dir = workDir('cp-qa-');
  writeFileSync(join(dir, 'p.xml'), PROFILE_WITH_PASSWORD);
  const r = await runCli(['convert', 'p.xml', '--to', 'json', '-o', 'p.json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(modeOf(join(dir, 'p.json')), 0o600);
  assertNoSecret(r, SECRET);
});

test('serve with a missing inventory: exit 3, the path and "no such file", no errno code', async () => {
  const dir = workDir('cp-qa-');
  const r = await runCli(['serve', '-i', 'nope.csv', '-t', 't.liquid', '--port', '0'], {
    cwd: dir,
  });
  assertOneLineError(r, 3, /cannot read inventory .*nope\.csv: no such file or directory$/);
  assert.doesNotMatch(r.stderr, /ENOENT/);
});

test('serve with a missing --template: exit 3 naming --template', async () => {
  const dir = workDir('cp-qa-');
  writeFileSync(join(dir, 'inv.csv'), INVENTORY);
  const r = await runCli(['serve', '-i', 'inv.csv', '-t', 'missing', '--port', '0'], { cwd: dir });
  assertOneLineError(r, 3, /cannot read --template .*missing: no such file or directory$/);
});

test('serve with a --tls-cert that is not PEM: exit 2 naming the files, no OpenSSL dump', async () => {
  const dir = workDir('cp-qa-');
  writeFileSync(join(dir, 'inv.csv'), INVENTORY);
  writeFileSync(join(dir, 'cert.pem'), 'not a certificate\n');
  writeFileSync(join(dir, 'key.pem'), `${SECRET}\n`);
  const r = await runCli(
    [
      'serve',
      '-i',
      'inv.csv',
      '-t',
      't.liquid',
      '--port',
      '0',
      '--tls-cert',
      'cert.pem',
      '--tls-key',
      'key.pem',
    ],
    { cwd: dir },
  );
  assertOneLineError(r, 2, /--tls-cert cert\.pem \/ --tls-key key\.pem: not a PEM certificate/);
  assert.doesNotMatch(r.stderr, /error:[0-9A-F]{8}/);
  assertNoSecret(r, SECRET);
});

test('serve --reports naming a regular file: exit 3 naming --reports, file untouched', async () => {
  const dir = workDir('cp-qa-');
  writeFileSync(join(dir, 'inv.csv'), INVENTORY);
  writeFileSync(join(dir, 'reports'), 'keep me\n');
  const r = await runCli(
    ['serve', '-i', 'inv.csv', '-t', 't.liquid', '--port', '0', '--reports', 'reports'],
    { cwd: dir },
  );
  assertOneLineError(r, 3, /--reports reports: not a directory/);
  assert.doesNotMatch(r.stderr, /EEXIST|mkdir/);
  assert.ok(existsSync(join(dir, 'reports')));
});

test('encrypt --out-dir naming a regular file: one line, exit 3, the file untouched', async () => {
  const dir = workDir('cp-qa-');
  writeFileSync(join(dir, 'a.xml'), PROFILE_WITH_PASSWORD);
  writeFileSync(join(dir, 'b.xml'), PROFILE_WITH_PASSWORD);
  writeFileSync(join(dir, 'key.txt'), `${SECRET}\n`);
  writeFileSync(join(dir, 'taken'), 'keep me\n');
  const r = await runCli(
    ['encrypt', '--key-file', 'key.txt', 'a.xml', 'b.xml', '--out-dir', 'taken'],
    { cwd: dir },
  );
  assertOneLineError(r, 3, /cannot write --out-dir taken: not a directory$/);
  assert.doesNotMatch(r.stderr, /EEXIST|mkdir/);
  assert.equal(readFileSync(join(dir, 'taken'), 'utf8'), 'keep me\n');
  assertNoSecret(r, SECRET);
});

test('render with a malformed --vars file: the hint does not blame the inventory', async () => {
  const dir = workDir('cp-qa-');
  writeFileSync(join(dir, 'inv.csv'), INVENTORY);
  writeFileSync(join(dir, 'site.yaml'), '- a list, not a map\n');
  const r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '--vars', 'site.yaml', '-o', 'out'],
    { cwd: dir },
  );
  assertOneLineError(r, 1, /^cisco-prov: site\.yaml: /);
  assert.doesNotMatch(r.stderr, /fix the inventory/);
  assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
});

test('diff and convert of a gzip bomb: one line naming the file and the limit, not "unexpected failure"', async () => {
  const dir = workDir('cp-qa-');
  // 65 MiB of zeros: past the 64 MiB limit a profile may gunzip to.
  writeFileSync(join(dir, 'bomb.xml.gz'), gzipSync(Buffer.alloc(65 * 1024 * 1024)));
  writeFileSync(join(dir, 'p.xml'), PROFILE_WITH_PASSWORD);
  const limit =
    /^cisco-prov: bomb\.xml\.gz: gunzipped data is larger than 67108864 bytes \(the limit for a profile\)$/;
  assertOneLineError(await runCli(['diff', 'bomb.xml.gz', 'p.xml'], { cwd: dir }), 2, limit);
  assertOneLineError(
    await runCli(['convert', 'bomb.xml.gz', '--to', 'json'], { cwd: dir }),
    1,
    limit,
  );
});

test('drift names report files under --reports as given, not relative to the working directory', async () => {
  const dir = workDir('cp-qa-');
  const reports = workDir('cp-qa-reports-');
  writeFileSync(join(reports, '00562b043615.xml'), PROFILE_WITH_PASSWORD);
  writeFileSync(join(dir, 'inv.csv'), INVENTORY);
  writeFileSync(join(dir, 't.liquid'), PROFILE_WITH_PASSWORD);
  const r = await runCli(
    ['drift', '--reports', reports, '-i', 'inv.csv', '-t', 't.liquid', '--json'],
    {
      cwd: dir,
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).phones[0].report, join(reports, '00562b043615.xml'));
  assertNoSecret(r, SECRET);
});
