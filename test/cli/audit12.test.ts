// audit12: the commands other than render/serve/validate, tried as a careless or hostile user
// would run them (by hand, in shell loops, in CI). Each test here failed before its fix.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { formatProfileInfo } from '../../src/output/decrypt-format.js';
import type { ProfileInfo } from '../../src/crypto/profile-info.js';
import { models } from '../../src/commands/models.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-audit12-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('models <pattern>', () => {
  test('a pattern of many stars answers at once (the RegExp it became backtracked exponentially)', () => {
    const started = performance.now();
    assert.throws(() => models({ model: `${'*'.repeat(40)}Z` }), /unknown model/);
    assert.deepEqual(
      models({ model: `${'*'.repeat(30)}8?41` }).models.map((m) => m.model),
      ['8841'],
    );
    // 10 stars took 7 s before (C(25, 10) ways per name); 40 would take years.
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  });

  test('patterns still match as documented', () => {
    const rows = (model: string): string[] => models({ model }).models.map((m) => m.model);
    assert.deepEqual(rows('8?41'), ['8841']);
    assert.deepEqual(rows('cp-78*'), ['7811', '7821', '7841', '7861', '7832']);
    assert.deepEqual(rows('*ata19?*'), ['ATA191', 'ATA192']);
    assert.deepEqual(rows('**8**41**'), ['6841', '7841', '8841', '9841']);
    assert.equal(rows('*').length, 24);
  });

  test('spawned: an unknown many-star pattern is exit 2 in well under the test timeout', async () => {
    const run = await runCli(['models', `${'*'.repeat(30)}Z`], { cwd: dir });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^cisco-prov: unknown model "\*{30}Z"\n/);
  });
});

describe('an empty path ("$OUT" with OUT unset) is a usage error before any work', () => {
  const PROFILE = '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n</flat-profile>\n';
  const inventory = join(ROOT, 'examples', 'inventory.csv');
  const templates = join(ROOT, 'templates');
  // Each ran before: -o '' wrote nowhere and failed late with "cannot write is a directory"
  // (exit 3), --out-dir '' failed every file, --key-file/--keys/--log '' said "cannot read no
  // such file or directory" (exit 3), drift --reports '' read the current directory as the
  // reports (exit 1), fetch -o '' made its request first.
  const cases: [string, string[]][] = [
    ['-o', ['encrypt', '--key-env', 'K', 'p.xml', '-o', '']],
    ['-o', ['decrypt', '-o', '', 'p.xml']],
    ['-o', ['convert', 'p.xml', '--to', 'json', '-o', '']],
    ['-o', ['keygen', '-o', '']],
    ['--out-dir', ['encrypt', '--key-env', 'K', 'in', '--out-dir', '']],
    ['--out-dir', ['decrypt', '--key-env', 'K', 'in', '--out-dir', '']],
    ['--key-file', ['encrypt', '--key-file', '', 'p.xml']],
    ['--keys', ['encrypt', '--keys', '', 'in', '--out-dir', 'out']],
    ['--keys', ['decrypt', '--keys', '', 'p.xml']],
    ['--log', ['inspect', '--log', '']],
    ['--log', ['fleet', '--log', '']],
    ['--reports', ['drift', '--reports', '', '-i', inventory, '-t', templates]],
    ['--reports', ['fleet', '--log', 'p.xml', '--reports', '', '-i', inventory, '-t', templates]],
    ['--ca', ['fetch', 'http://127.0.0.1:9/x', '--ua', 'Cisco-CP-8841-3PCC/11.0', '--ca', '']],
    ['-o', ['fetch', 'http://127.0.0.1:9/x', '--ua', 'Cisco-CP-8841-3PCC/11.0', '-o', '']],
    // validate '' checked the whole current directory (exit 1); --catalog '' was exit 3.
    ['an input', ['validate', '']],
    ['an input', ['validate', 'p.xml', '']],
    ['--catalog', ['validate', '--catalog', '', 'p.xml']],
    // render --out '' wrote every profile into the current directory (exit 0); -t '' took it
    // for the templates. serve -t '' served it so.
    ['--out', ['render', '-i', inventory, '-t', templates, '--out', '']],
    ['--template', ['render', '-i', inventory, '-t', '', '--out', 'o']],
    ['--inventory', ['render', '-i', '', '--out', 'o']],
    ['--template', ['serve', '-i', inventory, '-t', '', '--port', '0']],
    ['--access-log', ['serve', '-i', inventory, '--access-log', '', '--port', '0']],
  ];
  for (const [flag, args] of cases) {
    test(`${args[0]} ${flag} ''`, async () => {
      const cwd = mkdtempSync(join(dir, 'empty-'));
      writeFileSync(join(cwd, 'p.xml'), PROFILE);
      mkdirSync(join(cwd, 'in'));
      writeFileSync(join(cwd, 'in', '00562b043615.xml'), PROFILE);
      // A report the current directory holds: `--reports ''` must not read it.
      writeFileSync(join(cwd, '00562b043615.xml'), PROFILE);
      const before = readdirSync(cwd).sort();
      const run = await runCli(args, { cwd, env: { K: 'a-common-key' } });
      assert.equal(run.code, 2, `${run.code}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, new RegExp(`^cisco-prov: ${flag} is empty: give a path\\n  hint: `));
      assert.equal(run.stderr.split('\n').length, 3, run.stderr);
      assert.deepEqual(readdirSync(cwd).sort(), before);
    });
  }
});

describe('encrypt --keys <csv> of one file: the CSV itself is not sealed (as in a batch)', () => {
  // Before: `encrypt --keys keys.csv --key-env K keys.csv -o keys.cfg` found no row for
  // keys.csv, sealed every phone's key with the key for all (exit 0), and any phone holding
  // that key could open it. The batch refused the same input (exit 2).
  for (const via of ['its name', 'a symbolic link']) {
    test(`by ${via}: exit 2, nothing written`, async () => {
      const cwd = mkdtempSync(join(dir, 'keys-input-'));
      writeFileSync(join(cwd, 'keys.csv'), 'mac,key\n00562b043615,the-phones-own-key\n', {
        mode: 0o600,
      });
      symlinkSync('keys.csv', join(cwd, 'link.csv'));
      const input = via === 'its name' ? 'keys.csv' : 'link.csv';
      const run = await runCli(
        ['encrypt', '--keys', 'keys.csv', '--key-env', 'K', input, '-o', 'keys.cfg'],
        { cwd, env: { K: 'a-common-key' } },
      );
      assert.equal(run.code, 2, run.stderr);
      assert.equal(
        run.stderr,
        `cisco-prov: ${input}: the --keys CSV of this run, a file of secrets: not encrypted\n`,
      );
      assert.equal(existsSync(join(cwd, 'keys.cfg')), false);
      assert.equal(run.stderr.includes('the-phones-own-key'), false);
    });
  }

  test('a profile beside it still encrypts with its row', async () => {
    const cwd = mkdtempSync(join(dir, 'keys-row-'));
    writeFileSync(join(cwd, 'keys.csv'), 'mac,key\n00562b043615,the-phones-own-key\n', {
      mode: 0o600,
    });
    writeFileSync(join(cwd, 'SEP00562b043615.xml'), '<flat-profile/>\n');
    const run = await runCli(
      ['encrypt', '--keys', 'keys.csv', 'SEP00562b043615.xml', '-o', 'p.cfg'],
      { cwd },
    );
    assert.equal(run.code, 0, run.stderr);
    const back = await runCli(['decrypt', '--key-env', 'K', 'p.cfg'], {
      cwd,
      env: { K: 'the-phones-own-key' },
    });
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, '<flat-profile/>\n');
  });
});

describe('decrypt --info: a hostile file name or key id cannot drive the terminal', () => {
  // Before: the name and the aes128gcm keyid were printed raw (the keyid through
  // JSON.stringify, which leaves C1 controls and bidi overrides): ESC ] 0 ; … BEL set the
  // terminal's title, U+009B is a one-byte CSI, U+202E reversed the rest of the line.
  const hostile = 'x\u001b]0;pwn\u0007\u009b\u202e.cfg';
  const info: ProfileInfo = {
    file: hostile,
    container: 'aes128gcm',
    decrypted: true,
    digest: null,
    salt: '00'.repeat(16),
    rs: 4096,
    keyid: '\u001b[2J\u009b31m\u202e',
    records: 1,
    gzip: false,
    sizes: { input: 150, payload: 101, plaintext: 101 },
  };
  // eslint-disable-next-line no-control-regex
  const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  test('the lines escape them', () => {
    const text = formatProfileInfo(info, false);
    assert.doesNotMatch(text, UNSAFE);
    assert.match(text, /^file: {11}x\\x1b\]0;pwn\\x07\\x9b\\u202e\.cfg\n/);
    assert.match(text, /\nkeyid: {10}"\\u001b\[2J\\x9b31m\\u202e"\n/);
  });

  test('the JSON escapes them and parses back to the same values', () => {
    const text = formatProfileInfo(info, true);
    assert.doesNotMatch(text, UNSAFE);
    const back = JSON.parse(text) as ProfileInfo;
    assert.equal(back.file, info.file);
    assert.equal(back.keyid, info.keyid);
  });

  test('spawned, on a file with such a name', async () => {
    const cwd = mkdtempSync(join(dir, 'info-'));
    writeFileSync(join(cwd, hostile), '<flat-profile/>\n');
    for (const args of [['--info'], ['--info', '--json']]) {
      const run = await runCli(['decrypt', ...args, hostile], { cwd });
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stdout, UNSAFE);
    }
  });
});

describe('encrypt --out-dir --json: a file name with C1 controls or bidi overrides', () => {
  // Before: the batch report went through JSON.stringify, which leaves U+009B (a one-byte CSI)
  // and U+202E raw on a terminal; validate, drift, inspect and diff --json escape them.
  test('is escaped as \\uHHHH and parses back to the name', async () => {
    const cwd = mkdtempSync(join(dir, 'batch-json-'));
    mkdirSync(join(cwd, 'in'));
    writeFileSync(join(cwd, 'in', 'x\u009b\u202e.xml'), '<flat-profile/>\n');
    const run = await runCli(['encrypt', '--key-env', 'K', 'in', '--out-dir', 'out', '--json'], {
      cwd,
      env: { K: 'a-common-key' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /[\u0080-\u009f\u202a-\u202e]/);
    assert.match(run.stdout, /"input":"in\/x\\u009b\\u202e\.xml"/);
    const report = JSON.parse(run.stdout) as { files: { input: string; output: string }[] };
    assert.equal(report.files[0]!.input, join('in', 'x\u009b\u202e.xml'));
    assert.equal(report.files[0]!.output, join('out', 'x\u009b\u202e.cfg'));
  });
});
