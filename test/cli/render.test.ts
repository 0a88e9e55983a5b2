/**
 * `cisco-prov render`, spawned the way a user runs it. Golden renders of the bundled examples
 * live in test/golden/render/ (UPDATE_SNAPSHOTS=1 to refresh them after a deliberate change).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, runCliShared } from '../helpers/run-cli.js';

const GOLDEN = join(ROOT, 'test', 'golden', 'render');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cp-render-cli-'));
}

/** Compares every rendered file with its golden copy (or writes the goldens). */
function compareWithGolden(outDir: string, goldenName: string): void {
  const goldenDir = join(GOLDEN, goldenName);
  const files = readdirSync(outDir).sort();
  if (UPDATE) {
    rmSync(goldenDir, { recursive: true, force: true });
    mkdirSync(goldenDir, { recursive: true });
    for (const f of files) writeFileSync(join(goldenDir, f), readFileSync(join(outDir, f)));
    return;
  }
  assert.deepEqual(files, readdirSync(goldenDir).sort(), 'the same files as the golden set');
  for (const f of files) {
    assert.equal(
      readFileSync(join(outDir, f), 'utf8'),
      readFileSync(join(goldenDir, f), 'utf8'),
      f,
    );
  }
}

test('the README main job: examples/inventory.csv with the bundled templates (golden)', async () => {
  const out = join(tempDir(), 'out');
  const r = await runCli([
    'render',
    '--inventory',
    'examples/inventory.csv',
    '--template',
    'templates',
    '--out',
    out,
  ]);
  assert.equal(r.stderr, '', 'nothing on stderr when piped and all went well');
  assert.equal(r.stdout, '');
  assert.equal(r.code, 0);
  assert.equal(readdirSync(out).length, 8);
  compareWithGolden(out, 'csv');
});

test('examples/inventory.yaml with examples/site.yaml (golden)', async () => {
  const out = join(tempDir(), 'out');
  const r = await runCli([
    'render',
    '-i',
    'examples/inventory.yaml',
    '--vars',
    'examples/site.yaml',
    '-o',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  compareWithGolden(out, 'yaml');
});

test('re-running is idempotent: --json says unchanged and every mtime stays', async () => {
  const out = join(tempDir(), 'out');
  const args = ['render', '-i', 'examples/inventory.csv', '-o', out];
  assert.equal((await runCli(args)).code, 0);
  const past = new Date('2021-06-01T00:00:00Z');
  for (const f of readdirSync(out)) utimesSync(join(out, f), past, past);
  const r = await runCli([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    summary: Record<string, number>;
    devices: { status: string }[];
  };
  assert.deepEqual(report.summary, {
    total: 8,
    written: 0,
    unchanged: 8,
    'would-write': 0,
    failed: 0,
  });
  for (const f of readdirSync(out)) assert.equal(statSync(join(out, f)).mtimeMs, past.getTime(), f);
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

test(
  'per-device keys: every file decrypts with `openssl enc -d -aes-256-cbc -md md5` and its own key',
  { skip: !hasOpenssl && 'openssl not installed' },
  async () => {
    const out = join(tempDir(), 'out');
    const r = await runCli([
      'render',
      '-i',
      'examples/inventory.csv',
      '-o',
      out,
      '--encrypt',
      'aes-256-cbc',
      '--key-field',
      'profile_key',
      '--gzip',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('example-key-'), 'no key in the --json report');
    const csv = readFileSync(join(ROOT, 'examples', 'inventory.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const report = JSON.parse(r.stdout) as { devices: { file: string }[] };
    assert.equal(report.devices.length, csv.length);
    report.devices.forEach((d, i) => {
      const key = csv[i]!.split(',').at(-1)!;
      const dec = spawnSync('openssl', [
        'enc',
        '-d',
        '-aes-256-cbc',
        '-md',
        'md5',
        '-pass',
        `pass:${key}`,
        '-in',
        join(out, d.file),
      ]);
      assert.equal(dec.status, 0, `${d.file}: ${dec.stderr.toString()}`);
      const xml = spawnSync('gunzip', ['-c'], { input: dec.stdout }).stdout.toString();
      assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
      assert.match(xml, /<\/flat-profile>\n$/);
      // Another device's key must not open it.
      const other = csv[(i + 1) % csv.length]!.split(',').at(-1)!;
      const wrong = spawnSync('openssl', [
        'enc',
        '-d',
        '-aes-256-cbc',
        '-md',
        'md5',
        '-pass',
        `pass:${other}`,
        '-in',
        join(out, d.file),
      ]);
      const wrongText = spawnSync('gunzip', ['-c'], { input: wrong.stdout }).stdout.toString();
      assert.ok(
        !wrongText.includes('<flat-profile>'),
        `${d.file} opened with another device's key`,
      );
    });
  },
);

test('one device without --out: the profile on stdout', async () => {
  const r = await runCli([
    'render',
    '-i',
    'examples/inventory.csv',
    '--device',
    '00:56:2B:04:36:15',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(join(GOLDEN, 'csv', '00562b043615.xml'), 'utf8'));
});

test('--explain prints each variable with its layer, secrets masked (golden)', async () => {
  const r = await runCli([
    'render',
    '-i',
    'examples/inventory.yaml',
    '--vars',
    'examples/site.yaml',
    '--explain',
    '0056.2b04.3701',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes('example-sip-301'), 'SIP password masked');
  assert.ok(!r.stdout.includes('Adm1n-Example'), 'admin password masked');
  assert.match(r.stdout, /^sip\.proxy +"pbx\.example\.com" +← --vars examples\/site\.yaml$/m);
  assert.match(r.stdout, /^voice_mail_number +"\*98" +← group hq$/m);
  const golden = join(GOLDEN, 'explain-00562b043701.txt');
  if (UPDATE) writeFileSync(golden, r.stdout);
  else assert.equal(r.stdout, readFileSync(golden, 'utf8'));
});

// Bad input: one clear line per problem naming file, row and field; the right exit code; no stack.
const BAD: ReadonlyArray<{
  name: string;
  csv: string;
  args?: string[];
  code: number;
  stderr: RegExp;
}> = [
  {
    name: 'bad MAC',
    csv: 'mac,model\n00:56:2B,8841\n',
    code: 1,
    stderr: /^cisco-prov: inv\.csv: row 2, field mac: "00:56:2B" is not a MAC address/,
  },
  {
    name: 'duplicate MAC',
    csv: 'mac,model\n00562b043615,8841\n00:56:2b:04:36:15,8841\n',
    code: 1,
    stderr: /row 3, field mac: duplicate MAC 00562b043615 \(also row 2\)/,
  },
  {
    name: 'duplicate serial',
    csv: 'serial,model\nFCH1,ATA191\nFCH1,ATA192\n',
    code: 1,
    stderr: /row 3, field serial: duplicate serial FCH1 \(also row 2\)/,
  },
  {
    name: 'unknown model',
    csv: 'mac,model\n00562b043615,1234\n',
    code: 1,
    stderr: /row 2, field model: unknown model "1234"/,
  },
  {
    name: 'undefined variable',
    csv: 'mac,model,sip.proxy\n00562b043615,8841,pbx\n',
    code: 1,
    stderr:
      /^cisco-prov: inv\.csv row 2 \(mac 00562b043615\): mpp-desk\.liquid line \d+, col \d+: no lines: give lines\.1\.extension/,
  },
  {
    name: 'undefined field inside a line',
    csv: 'mac,model,sip.proxy,lines.1.password\n00562b043615,8841,pbx,pw\n',
    code: 1,
    stderr:
      /^cisco-prov: inv\.csv row 2 \(mac 00562b043615\): partials\/line\.liquid line \d+, col \d+: undefined variable: line\.extension/,
  },
  {
    name: 'unknown group',
    csv: 'mac,model,group\n00562b043615,8841,nope\n',
    code: 1,
    stderr: /row 2, field group: unknown group "nope"/,
  },
  {
    name: 'missing inventory',
    csv: '',
    args: ['-i', 'missing.csv'],
    code: 3,
    stderr: /cannot read inventory missing\.csv: no such file or directory/,
  },
  {
    name: 'no --out for many devices',
    csv: 'mac,model\n00562b043615,8841\n00562b043616,8841\n',
    args: ['-i', 'inv.csv'],
    code: 2,
    stderr: /--out <dir> is needed to render 2 devices/,
  },
  {
    name: 'key without --encrypt',
    csv: 'mac,model\n00562b043615,8841\n',
    args: ['-i', 'inv.csv', '--key-env', 'HOME'],
    code: 2,
    stderr: /without --encrypt/,
  },
  {
    name: 'bad --jobs',
    csv: 'mac,model\n00562b043615,8841\n',
    args: ['-i', 'inv.csv', '-o', 'o', '--jobs', 'many'],
    code: 2,
    stderr: /--jobs expected an integer 1\.\.64, got "many"/,
  },
];
for (const c of BAD) {
  test(`bad input: ${c.name} → exit ${c.code}, one clear message, no stack trace, no file`, async () => {
    const dir = tempDir();
    if (c.csv) writeFileSync(join(dir, 'inv.csv'), c.csv);
    const r = await runCli(
      ['render', ...(c.args ?? ['-i', 'inv.csv', '-o', 'out']), '-t', join(ROOT, 'templates')],
      { cwd: dir },
    );
    assert.equal(r.code, c.code, r.stderr);
    assert.match(r.stderr, c.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const out = join(dir, 'out');
    assert.ok(!existsSync(out) || readdirSync(out).length === 0, 'nothing written');
  });
}

test('a secret given with --key is never echoed, and --quiet keeps the ps warning (issue 10)', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'inv.csv'),
    'mac,model,lines.1.extension,sip.proxy\n00562b043615,8841,201,pbx\n',
  );
  const loud = await runCli(
    [
      'render',
      '-i',
      'inv.csv',
      '-o',
      'out',
      '--encrypt',
      'aes-256-cbc',
      '--key',
      'TopSecret99',
      '--json',
    ],
    { cwd: dir },
  );
  assert.equal(loud.code, 0, loud.stderr);
  assert.match(loud.stderr, /visible to other users in 'ps'/);
  assert.ok(!loud.stderr.includes('TopSecret99') && !loud.stdout.includes('TopSecret99'));
  const quiet = await runCli(
    [
      'render',
      '-i',
      'inv.csv',
      '-o',
      'out2',
      '--encrypt',
      'aes-256-cbc',
      '--key',
      'TopSecret99',
      '-q',
    ],
    { cwd: dir },
  );
  assert.equal(quiet.code, 0);
  // --quiet silences progress and notes, not the one warning that the key is already exposed.
  assert.match(
    quiet.stderr,
    /^cisco-prov: warning: --key on the command line is visible to other users in 'ps'; prefer --key-file or --key-env\n$/,
  );
  assert.ok(!quiet.stderr.includes('TopSecret99'));
});

test('--help shows the options and examples', async () => {
  const r = await runCliShared(['render', '--help']);
  assert.equal(r.code, 0);
  for (const o of [
    '--inventory',
    '--template',
    '--vars',
    '--out',
    '--name',
    '--device',
    '--explain',
    '--encrypt',
    '--key-field',
    '--ikm-field',
    '--gzip',
    '--jobs',
    '--dry-run',
    '--json',
    '--quiet',
  ]) {
    assert.ok(r.stdout.includes(o), o);
  }
  assert.match(r.stdout, /Examples:/);
});

test('--jobs 2 (worker threads of the built bundle) writes the same files as --jobs 1', async () => {
  const dir = tempDir();
  const rows = ['mac,model,display_name,sip.proxy,lines.1.extension,lines.1.password'];
  for (let i = 0; i < 150; i++) {
    rows.push(
      `${(0x00562b100000 + i).toString(16).padStart(12, '0')},${i % 3 ? '8841' : 'ATA191'},User ${i},pbx,${3000 + i},pw${i}`,
    );
  }
  writeFileSync(join(dir, 'inv.csv'), `${rows.join('\n')}\n`);
  const two = await runCli(['render', '-i', 'inv.csv', '-o', 'two', '--jobs', '2', '--json'], {
    cwd: dir,
  });
  const one = await runCli(['render', '-i', 'inv.csv', '-o', 'one', '--jobs', '1'], { cwd: dir });
  assert.equal(two.code, 0, two.stderr);
  assert.equal(one.code, 0, one.stderr);
  assert.equal((JSON.parse(two.stdout) as { summary: { written: number } }).summary.written, 150);
  const files = readdirSync(join(dir, 'one')).sort();
  assert.equal(files.length, 150);
  assert.deepEqual(readdirSync(join(dir, 'two')).sort(), files);
  for (const f of files) {
    assert.equal(
      readFileSync(join(dir, 'two', f), 'utf8'),
      readFileSync(join(dir, 'one', f), 'utf8'),
      f,
    );
  }
});

test('--jobs 2 with a bad row at the end: the workers started ahead are let go, exit 1 at once', async () => {
  const dir = tempDir();
  const rows = ['mac,model,display_name,sip.proxy,lines.1.extension'];
  for (let i = 0; i < 1200; i++) {
    rows.push(
      `${(0x00562b100000 + i).toString(16).padStart(12, '0')},8841,User ${i},pbx,${3000 + i}`,
    );
  }
  rows.push('not-a-mac,8841,Last,pbx,9999');
  writeFileSync(join(dir, 'inv.csv'), `${rows.join('\n')}\n`);
  const r = await runCli(['render', '-i', 'inv.csv', '-o', 'out', '--jobs', '2'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /row 1202, field mac/);
  assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
});

test('per-device IKM (aes128gcm, --ikm-field): each body opens with its own IKM only', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'inv.csv'),
    'mac,model,sip.proxy,lines.1.extension,profile_ikm\n00562b043615,8841,pbx,201,ikm-one\n00562b043616,8841,pbx,202,hex:00112233445566778899aabbccddeeff\n',
  );
  const r = await runCli(
    [
      'render',
      '-i',
      'inv.csv',
      '-o',
      'out',
      '--encrypt',
      'aes128gcm',
      '--ikm-field',
      'profile_ikm',
      '--name',
      '$MA.xml.ece',
    ],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  const { openProfile, parseIkm } = await import('../../src/crypto/index.js');
  const one = readFileSync(join(dir, 'out', '00562b043615.xml.ece'));
  const two = readFileSync(join(dir, 'out', '00562b043616.xml.ece'));
  assert.match(
    Buffer.from(openProfile(one, { ikm: parseIkm('ikm-one') }).plaintext).toString(),
    /<User_ID_1_ ua="na">201</,
  );
  assert.match(
    Buffer.from(
      openProfile(two, { ikm: parseIkm('hex:00112233445566778899aabbccddeeff') }).plaintext,
    ).toString(),
    /<User_ID_1_ ua="na">202</,
  );
  assert.throws(() => openProfile(two, { ikm: parseIkm('ikm-one') }), /bad decrypt/);
});

test('--explain --json: the same facts as data, secrets masked', async () => {
  const r = await runCli([
    'render',
    '-i',
    'examples/inventory.csv',
    '--explain',
    'FCH2443D9R5',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as {
    device: string;
    template: string;
    variables: { path: string; value: unknown; layer: string }[];
  };
  assert.equal(result.device, 'FCH2443D9R5');
  assert.equal(result.template, 'templates/ata.liquid');
  const byPath = new Map(result.variables.map((v) => [v.path, v]));
  assert.equal(byPath.get('profile_key')?.value, '********');
  assert.equal(byPath.get('lines.1.password')?.value, '********');
  assert.equal(byPath.get('family')?.value, 'ata');
  assert.ok(!r.stdout.includes('example-key-9r5'));
});

test('--explain run outside the project names the bundled template by its absolute path', async () => {
  const cwd = tempDir();
  try {
    const r = await runCli(
      ['render', '-i', join(ROOT, 'examples/inventory.csv'), '--explain', 'FCH2443D9R5', '--json'],
      { cwd },
    );
    assert.equal(r.code, 0, r.stderr);
    const { template } = JSON.parse(r.stdout) as { template: string };
    assert.equal(template, join(ROOT, 'templates/ata.liquid'));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('a write that fails: one line naming the device and file, exit 3, the others written, no temp file', async () => {
  const out = tempDir();
  try {
    // A directory where one profile should go: that write fails, the rest succeed.
    mkdirSync(join(out, '00562b043615.xml'));
    const r = await runCli(['render', '-i', 'examples/inventory.csv', '-o', out]);
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      /row 2 \(mac 00562b043615\): cannot write .*00562b043615\.xml: is a directory/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const files = readdirSync(out);
    assert.ok(files.includes('00562b043616.xml'), 'the other devices are written');
    assert.deepEqual(
      files.filter((f) => f.endsWith('.tmp')),
      [],
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('two devices given one --name: one line naming both rows, exit 1, nothing written', async () => {
  const dir = tempDir();
  const inventory = join(dir, 'inv.csv');
  writeFileSync(inventory, 'mac,model\n00562b043615,8841\n00562b043616,8841\n');
  const out = join(dir, 'out');
  const r = await runCli(['render', '-i', inventory, '-o', out, '--name', '$PSN.xml']);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /inv\.csv: row 3, field --name: file name 8841\.xml is also the name of \S*inv\.csv row 2 \(make --name unique\)/,
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(!existsSync(out), 'not even the first device is written');
});
