// What an admin runs by hand that the README's examples do not show: each test here is a defect
// found by trying the CLI as its users would (a shell loop, a cron job, a typo), fixed, and
// kept from coming back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { BIN, runCli } from '../helpers/run-cli.js';

test('cisco-prov with no command prints the usage on stderr and exits 2, as a missing argument', async () => {
  const run = await runCli([]);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^Usage: cisco-prov \[options\] \[command\]/);
});

test('cisco-prov help <unknown command> exits 2; help and help <command> exit 0', async () => {
  const unknown = await runCli(['help', 'nosuch']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, '');
  const help = await runCli(['help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: cisco-prov/);
  const helpRule = await runCli(['help', 'rule']);
  assert.equal(helpRule.code, 0);
  assert.match(helpRule.stdout, /^Usage: cisco-prov rule/);
  const rule = await runCli(['rule']);
  assert.equal(rule.code, 2);
});

test('fleet on an empty file or on a file that is not an access log: exit 1, the page in place kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-usertrial-fleet-'));
  try {
    const page = join(dir, 'fleet.html');
    writeFileSync(page, 'yesterday’s page');
    const empty = await runCli(['fleet', '--log', '-', '-o', page], { input: '' });
    assert.equal(empty.code, 1, empty.stderr);
    assert.match(empty.stderr, /^cisco-prov: <stdin>: the log is empty/);
    const notALog = join(dir, 'error.log');
    writeFileSync(notALog, '2026/11/25 09:00:00 [error] 12#12: *1 open() failed\n\n');
    const wrong = await runCli(['fleet', '--log', notALog, '-o', page]);
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /error\.log: no line is in the common or combined log format/);
    assert.equal(readFileSync(page, 'utf8'), 'yesterday’s page');
    assert.deepEqual(readdirSync(dir).sort(), ['error.log', 'fleet.html']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('decrypt --json without --info or --out-dir, encrypt --json without --out-dir: usage, no profile on stdout', async () => {
  const env = { PROV_KEY: 'usertrial-key' };
  const cfg = await runCli(['encrypt', '--key-env', 'PROV_KEY', 'test/fixtures/diff/old.xml'], {
    env,
  });
  assert.equal(cfg.code, 0, cfg.stderr);
  // A script asking for JSON must not get the plaintext profile, passwords and all, instead.
  const dec = await runCli(['decrypt', '--key-env', 'PROV_KEY', '--json', '-'], {
    env,
    input: cfg.stdoutBytes,
  });
  assert.equal(dec.code, 2);
  assert.equal(dec.stdout, '');
  assert.match(dec.stderr, /^cisco-prov: --json needs --info or --out-dir/);
  const info = await runCli(['decrypt', '--key-env', 'PROV_KEY', '--json', '--info', '-'], {
    env,
    input: cfg.stdoutBytes,
  });
  assert.equal(info.code, 0, info.stderr);
  assert.equal((JSON.parse(info.stdout) as { container: string }).container, 'openssl-enc');
  const enc = await runCli(
    ['encrypt', '--key-env', 'PROV_KEY', '--json', 'test/fixtures/diff/old.xml'],
    {
      env,
    },
  );
  assert.equal(enc.code, 2);
  assert.equal(enc.stdout, '');
  assert.match(enc.stderr, /^cisco-prov: --json needs --out-dir/);
});

test('a system error the CLI has no words of its own for is the OS reason, without Node’s code and a second copy of the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-usertrial-loop-'));
  try {
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    const run = await runCli(['validate', join(dir, 'loop-a')]);
    assert.equal(run.code, 3);
    assert.equal(
      run.stderr,
      `cisco-prov: cannot read ${join(dir, 'loop-a')}: too many symbolic links encountered\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keygen --encoding hex without --ikm is a usage error, not a base64url passphrase printed anyway', async () => {
  const run = await runCli(['keygen', '--encoding', 'hex']);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^cisco-prov: --encoding hex is for an IKM \(--ikm\)/);
  const ikm = await runCli(['keygen', '--ikm', '--encoding', 'hex']);
  assert.equal(ikm.code, 0);
  assert.match(ikm.stdout, /^hex:[0-9a-f]{32}\n$/);
  const pass = await runCli(['keygen']);
  assert.match(pass.stdout, /^[A-Za-z0-9_-]{32}\n$/);
});

test('a file name the terminal would act on is escaped in error lines, single and batch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-usertrial-names-'));
  try {
    // Anyone who can drop a file into a directory an admin walks names it.
    const evil = 'x\u001b]0;pwned\u0007\u001b[2J\u202ey';
    const shown = 'x\\x1b]0;pwned\\x07\\x1b[2J\\u202ey';
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', `${evil}.cfg`), Buffer.from('Salted__12345678garbagegarbage!!'));
    const env = { PROV_KEY: 'usertrial-key' };
    const one = await runCli(['decrypt', '--key-env', 'PROV_KEY', join(dir, 'in', `${evil}.cfg`)], {
      env,
    });
    assert.equal(one.code, 1);
    assert.equal(one.stderr, `cisco-prov: bad decrypt: ${join(dir, 'in', shown)}.cfg\n`);
    const batch = await runCli(
      ['decrypt', '--key-env', 'PROV_KEY', join(dir, 'in'), '--out-dir', join(dir, 'out')],
      { env },
    );
    assert.equal(batch.code, 1);
    assert.ok(batch.stderr.includes(`${shown}.cfg: bad decrypt\n`), batch.stderr);
    for (const run of [one, batch]) {
      assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f\u202e]/); // eslint-disable-line no-control-regex
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('convert and diff read a JSON profile saved with a UTF-8 BOM, as they read XML and YAML with one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-usertrial-bom-'));
  try {
    const json = await runCli(['convert', 'test/fixtures/diff/old.xml', '--to', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const file = join(dir, 'notepad.json');
    writeFileSync(file, `\uFEFF${json.stdout}`);
    const xml = await runCli(['convert', file, '--to', 'xml']);
    assert.equal(xml.code, 0, xml.stderr);
    assert.match(xml.stdout, /<Station_Name ua="na">Front desk<\/Station_Name>/);
    const same = await runCli(['diff', file, 'test/fixtures/diff/old.xml']);
    assert.equal(same.code, 0, same.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validate - on a terminal is exit 2 at once, as encrypt, render -i - and inspect are', async (t) => {
  // script(1) gives the CLI a pseudo-terminal as stdin.
  const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (script.status !== 0) return t.skip('script(1) is not installed');
  const run = spawnSync(
    'script',
    ['-qec', `"${process.execPath}" "${BIN}" validate -`, '/dev/null'],
    {
      encoding: 'utf8',
      input: '',
      timeout: 20_000,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  assert.equal(run.status, 2, run.stdout);
  assert.match(run.stdout, /cisco-prov: stdin \(-\) is a terminal/);
});

test('serve on a port already taken says so in words, exit 3', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const port = (taken.address() as AddressInfo).port;
    const run = await runCli([
      'serve',
      '-i',
      'examples/inventory.csv',
      '--vars',
      'examples/site.yaml',
      '--port',
      String(port),
      '--no-watch',
    ]);
    assert.equal(run.code, 3);
    assert.match(
      run.stderr,
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE \\(the port is in use`),
    );
  } finally {
    taken.close();
  }
});

test('encrypt --keys: a header without a file or mac column is named as the header (line 1)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-usertrial-keys-'));
  try {
    const keys = join(dir, 'keys.csv');
    writeFileSync(keys, 'name,key\nlobby,k1\n');
    const run = await runCli([
      'encrypt',
      '--keys',
      keys,
      'test/fixtures/diff/old.xml',
      '--out-dir',
      join(dir, 'out'),
    ]);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      `cisco-prov: --keys ${keys}:1: the header has no file or mac column: expected file and/or mac, and key and/or ikm; found name, key (did you mean file for name?)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('render reads a YAML inventory saved with a UTF-8 BOM, from a file and from stdin, as a CSV with one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-usertrial-yamlbom-'));
  try {
    const yaml =
      '\uFEFF- mac: "00562b043615"\n  model: "8841"\n  lines:\n    - extension: "201"\n  sip:\n    proxy: pbx.example.com\n';
    writeFileSync(join(dir, 'inv.yaml'), yaml);
    const file = await runCli(['render', '-i', 'inv.yaml', '-o', 'out'], { cwd: dir });
    assert.equal(file.code, 0, file.stderr);
    assert.match(
      readFileSync(join(dir, 'out', '00562b043615.xml'), 'utf8'),
      /<User_ID_1_ ua="na">201<\/User_ID_1_>/,
    );
    const stdin = await runCli(['render', '-i', '-', '--inventory-format', 'yaml'], {
      cwd: dir,
      input: yaml,
    });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.match(stdin.stdout, /<Proxy_1_ ua="na">pbx\.example\.com<\/Proxy_1_>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
