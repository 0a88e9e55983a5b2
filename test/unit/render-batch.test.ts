import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProfile } from '../../src/crypto/index.js';
import { renderExitCode } from '../../src/commands/render.js';
import { DomainError } from '../../src/domain-errors.js';
import { renderInWorkers, writeRenderedProfile } from '../../src/io/worker-pool.js';
import {
  chooseWorkerCount,
  explainRender,
  render,
  type RenderDeviceReport,
  type RenderOptions,
} from '../../src/render/batch.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cp-render-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const TEMPLATE = `<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
  <Station_Name ua="na">{{ display_name }}</Station_Name>
  <User_ID_1_ ua="na">{{ extension }}</User_ID_1_>
</flat-profile>
`;

const CSV = `mac,model,display_name,extension,key
00:56:2B:04:36:15,8841,Reception,201,k-15
00:56:2B:04:36:16,8841,Sales,202,k-16
`;

function options(dir: string, extra: Partial<RenderOptions> = {}): RenderOptions {
  return {
    cwd: dir,
    inventory: 'inv.csv',
    template: 'default.liquid',
    out: 'out',
    writeFile: writeRenderedProfile,
    runInWorkers: renderInWorkers,
    ...extra,
  };
}

test('renders one file per device, named $MA.xml, and reports each as written', async () => {
  const dir = workspace({ 'inv.csv': CSV, 'default.liquid': TEMPLATE });
  const { report } = await render(options(dir));
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['00562b043615.xml', '00562b043616.xml']);
  assert.deepEqual(report.summary, {
    total: 2,
    written: 2,
    unchanged: 0,
    'would-write': 0,
    failed: 0,
  });
  assert.match(
    readFileSync(join(dir, 'out', '00562b043616.xml'), 'utf8'),
    /<Station_Name ua="na">Sales</,
  );
  assert.equal(renderExitCode(report), 0);
});

test('idempotent: a re-run rewrites nothing and keeps the mtime; a change rewrites only that file', async () => {
  const dir = workspace({ 'inv.csv': CSV, 'default.liquid': TEMPLATE });
  await render(options(dir));
  const a = join(dir, 'out', '00562b043615.xml');
  const b = join(dir, 'out', '00562b043616.xml');
  const past = new Date('2020-01-01T00:00:00Z');
  utimesSync(a, past, past);
  utimesSync(b, past, past);
  const again = await render(options(dir));
  assert.deepEqual(again.report.summary, {
    total: 2,
    written: 0,
    unchanged: 2,
    'would-write': 0,
    failed: 0,
  });
  assert.equal(statSync(a).mtimeMs, past.getTime());
  writeFileSync(join(dir, 'inv.csv'), CSV.replace('Sales', 'Sales & Support'));
  const changed = await render(options(dir));
  assert.equal(changed.report.devices[0]!.status, 'unchanged');
  assert.equal(changed.report.devices[1]!.status, 'written');
  assert.equal(statSync(a).mtimeMs, past.getTime());
  assert.notEqual(statSync(b).mtimeMs, past.getTime());
});

test('idempotent with encryption: the plaintext is compared, the old ciphertext stays', async () => {
  const dir = workspace({ 'inv.csv': CSV, 'default.liquid': TEMPLATE });
  const enc = { encryption: { cipher: 'aes-256-cbc' as const, keyField: 'key' }, gzip: true };
  await render(options(dir, enc));
  const file = join(dir, 'out', '00562b043615.cfg');
  const first = readFileSync(file);
  const opened = openProfile(first, { passphrase: 'k-15' });
  assert.equal(opened.container, 'openssl-enc');
  assert.equal(opened.gzip, true);
  assert.match(Buffer.from(opened.plaintext).toString(), /Reception/);
  const again = await render(options(dir, enc));
  assert.equal(again.report.summary.unchanged, 2);
  assert.deepEqual(readFileSync(file), first, 'same salt, same bytes: not rewritten');
  // A new key for one device: its file no longer opens with it, so it is rewritten.
  writeFileSync(join(dir, 'inv.csv'), CSV.replace('k-15', 'k-15-rotated'));
  const rotated = await render(options(dir, enc));
  assert.equal(rotated.report.devices[0]!.status, 'written');
  assert.equal(rotated.report.devices[1]!.status, 'unchanged');
  // Without gzip the stored form differs: rewritten.
  const plainForm = await render(options(dir, { encryption: enc.encryption }));
  assert.equal(plainForm.report.summary.written, 2);
});

test('aes128gcm with one shared IKM', async () => {
  const dir = workspace({ 'inv.csv': CSV, 'default.liquid': TEMPLATE });
  const ikm = 'base64url:yqdlZ-tYemfogSmv7Ws5PQ';
  await render(options(dir, { encryption: { cipher: 'aes128gcm', ikm }, name: '$MA.xml.ece' }));
  const { parseIkm } = await import('../../src/crypto/index.js');
  const opened = openProfile(readFileSync(join(dir, 'out', '00562b043615.xml.ece')), {
    ikm: parseIkm(ikm),
  });
  assert.equal(opened.container, 'aes128gcm');
  const again = await render(
    options(dir, { encryption: { cipher: 'aes128gcm', ikm }, name: '$MA.xml.ece' }),
  );
  assert.equal(again.report.summary.unchanged, 2);
});

test('a failing device is reported with its row; the others are still written; exit 1', async () => {
  const dir = workspace({
    'inv.csv':
      'mac,model,display_name,extension\n00562b043615,8841,Ok,201\n00562b043616,8841,Missing extension,\n',
    'default.liquid': TEMPLATE,
  });
  const { report } = await render(options(dir));
  assert.equal(report.devices[0]!.status, 'written');
  const failed = report.devices[1]!;
  assert.equal(failed.status, 'failed');
  assert.equal(failed.source, 'inv.csv row 3');
  assert.match(failed.error!, /default\.liquid line 4, col \d+: undefined variable: extension/);
  assert.ok(!existsSync(join(dir, 'out', '00562b043616.xml')), 'no file for a failed device');
  assert.equal(renderExitCode(report), 1);
});

test('a profile failing the check is not written', async () => {
  const dir = workspace({
    'inv.csv': 'mac,model,display_name\n00562b043615,8841,Caf\u00e9\n',
    'default.liquid':
      '<flat-profile><Station_Name ua="na">{{ display_name }}</Station_Name></flat-profile>\n',
  });
  const { report } = await render(options(dir));
  assert.equal(report.devices[0]!.status, 'failed');
  assert.equal(report.devices[0]!.failure, 'check');
  assert.match(report.devices[0]!.error!, /non-ascii-value/);
  assert.ok(!existsSync(join(dir, 'out', '00562b043615.xml')));
});

test('two devices given one file name stop the run before anything is written, naming both', async () => {
  const dir = workspace({ 'inv.csv': CSV, 'default.liquid': TEMPLATE });
  await assert.rejects(render(options(dir, { name: '$PSN.xml' })), (err: unknown) => {
    assert.ok(err instanceof DomainError);
    assert.equal(err.kind, 'bad-input');
    assert.equal(err.where, 'row 3');
    assert.match(
      err.message,
      /^inv\.csv: row 3, field --name: file name 8841\.xml is also the name of inv\.csv row 2 \(make --name unique\)$/,
    );
    return true;
  });
  assert.ok(!existsSync(join(dir, 'out')), 'nothing written, not even the first device');
});

test('a name clash through a field of a group or default ($(field)) is found before writing', async () => {
  const dir = workspace({
    'inv.json': JSON.stringify({
      defaults: { site: 'hq' },
      groups: { branch: { site: 'b1' } },
      devices: [
        {
          mac: '00562b043615',
          model: '8841',
          display_name: 'P15',
          extension: '215',
          group: 'branch',
        },
        { mac: '00562b043616', model: '8841', display_name: 'P16', extension: '216' },
        {
          mac: '00562b043617',
          model: '8841',
          display_name: 'P17',
          extension: '217',
          group: 'branch',
        },
      ],
    }),
    'default.liquid': TEMPLATE,
  });
  await assert.rejects(
    render(options(dir, { inventory: 'inv.json', name: '$(site)-$PSN.xml' })),
    (err: unknown) => {
      assert.ok(err instanceof DomainError);
      assert.match(err.message, /file name b1-8841\.xml is also the name of inv\.json device 1/);
      assert.doesNotMatch(
        err.message,
        /hq-8841/,
        'the device on the default site has its own name',
      );
      return true;
    },
  );
  assert.ok(!existsSync(join(dir, 'out')));
  // The same names given unique: every device written.
  const { report } = await render(options(dir, { inventory: 'inv.json', name: '$(site)-$MA.xml' }));
  assert.equal(report.summary.written, 3);
});

test('with --device, a clash between the selected devices fails the second one only', async () => {
  const dir = workspace({ 'inv.csv': CSV, 'default.liquid': TEMPLATE });
  const { report } = await render(
    options(dir, { name: '$PSN.xml', devices: ['00562b043615', '00562b043616'] }),
  );
  assert.equal(report.devices[0]!.status, 'written');
  assert.match(report.devices[1]!.error!, /file name 8841\.xml is also the name of inv\.csv row 2/);
});

test('inventory errors stop the run before anything is written (exit 1, every problem listed)', async () => {
  const dir = workspace({
    'inv.csv': 'mac,model\nnot-a-mac,8841\n00562b043615,nope\n',
    'default.liquid': TEMPLATE,
  });
  await assert.rejects(render(options(dir)), (err: unknown) => {
    assert.ok(err instanceof DomainError);
    assert.equal(err.kind, 'bad-input');
    assert.equal(err.code, 'inventory-invalid');
    assert.equal(err.file, 'inv.csv');
    assert.equal(err.where, 'row 2');
    assert.equal(err.field, 'mac');
    assert.match(err.message, /inv\.csv: row 2, field mac: "not-a-mac" is not a MAC address/);
    assert.match(err.message, /inv\.csv: row 3, field model: unknown model "nope"/);
    return true;
  });
  assert.ok(!existsSync(join(dir, 'out')));
});

test('dry run: reports what would be written, writes nothing', async () => {
  const dir = workspace({ 'inv.csv': CSV, 'default.liquid': TEMPLATE });
  const { report } = await render(options(dir, { dryRun: true }));
  assert.equal(report.summary['would-write'], 2);
  assert.ok(!existsSync(join(dir, 'out', '00562b043615.xml')));
});

test('one device and no --out: the profile is returned for stdout; several need --out', async () => {
  const dir = workspace({ 'inv.csv': CSV, 'default.liquid': TEMPLATE });
  const one = await render(options(dir, { out: undefined, devices: ['0056.2b04.3616'] }));
  assert.match(Buffer.from(one.stdout!).toString(), /Sales/);
  await assert.rejects(
    render(options(dir, { out: undefined })),
    /--out <dir> is needed to render 2 devices/,
  );
  await assert.rejects(
    render(options(dir, { devices: ['00:00:00:00:00:01'] })),
    /no device 00:00:00:00:00:01 in inv\.csv/,
  );
});

test('a device known only by its serial is named $SN by default', async () => {
  const dir = workspace({
    'inv.csv': 'serial,model,display_name,extension\nFCH2443D9R4,ATA191,Fax,220\n',
    'default.liquid': TEMPLATE,
  });
  await render(options(dir));
  assert.deepEqual(readdirSync(join(dir, 'out')), ['FCH2443D9R4.xml']);
});

test('per-device key missing: that device fails, naming the field, never the value', async () => {
  const dir = workspace({
    'inv.csv':
      'mac,model,display_name,extension,key\n00562b043615,8841,A,1,secret-a\n00562b043616,8841,B,2,\n',
    'default.liquid': TEMPLATE,
  });
  const { report } = await render(
    options(dir, { encryption: { cipher: 'aes-256-cbc', keyField: 'key' } }),
  );
  assert.equal(report.devices[1]!.error, 'field key: missing or empty (--key-field)');
  assert.ok(!JSON.stringify(report).includes('secret-a'));
});

test('--explain shows the layers and masks secrets', () => {
  const dir = workspace({
    'inv.csv': CSV,
    'default.liquid': TEMPLATE,
    'site.yaml': 'display_name: from-vars\nadmin_password: s3cret\n',
  });
  const r = explainRender({
    ...options(dir, { vars: ['site.yaml'] }),
    explain: '00-56-2b-04-36-15',
  });
  assert.equal(r.device, '00562b043615');
  assert.deepEqual(r.layers, ['model 8841 built-ins', '--vars site.yaml', 'inv.csv row 2']);
  const name = r.variables.find((v) => v.path === 'display_name')!;
  assert.deepEqual([name.value, name.layer], ['Reception', 'inv.csv row 2']);
  assert.equal(r.variables.find((v) => v.path === 'admin_password')!.value, '********');
  assert.equal(r.variables.find((v) => v.path === 'key')!.value, '********');
  assert.ok(!JSON.stringify(r).includes('s3cret'));
});

test('worker count: --jobs wins; small batches stay in this thread', () => {
  assert.equal(chooseWorkerCount(undefined, 10), 1);
  assert.ok(chooseWorkerCount(undefined, 10_000) >= 1);
  assert.equal(chooseWorkerCount(2, 10_000), 2);
  assert.equal(chooseWorkerCount(8, 60), 2, 'no more workers than batches of 50');
});

test('worker threads produce the same files as the main thread', async () => {
  const rows = ['mac,model,display_name,extension'];
  for (let i = 0; i < 300; i++)
    rows.push(`${(0x00562b000000 + i).toString(16).padStart(12, '0')},8841,User ${i},${1000 + i}`);
  const dir = workspace({ 'inv.csv': `${rows.join('\n')}\n`, 'default.liquid': TEMPLATE });
  const inline = await render(options(dir, { jobs: 1, out: 'inline' }));
  assert.equal(inline.report.summary.written, 300);
  // 2 threads: the worker renders and checks, this thread seals and writes; 3: whole devices
  // on every thread.
  for (const jobs of [2, 3]) {
    const out = `threads-${jobs}`;
    const threaded = await render(options(dir, { jobs, out }));
    assert.equal(threaded.report.summary.written, 300, `--jobs ${jobs}`);
    for (const f of readdirSync(join(dir, 'inline'))) {
      assert.deepEqual(
        readFileSync(join(dir, out, f)),
        readFileSync(join(dir, 'inline', f)),
        `--jobs ${jobs}: ${f}`,
      );
    }
    const again = await render(options(dir, { jobs, out }));
    assert.equal(again.report.summary.unchanged, 300, `--jobs ${jobs}, run again`);
  }
});

test('on worker threads a device whose template fails is reported, the others written', async () => {
  const rows = ['mac,model,display_name,extension'];
  for (let i = 0; i < 120; i++) {
    const name = i === 77 ? 'Broken' : `User ${i}`;
    rows.push(`${(0x00562b000000 + i).toString(16).padStart(12, '0')},8841,${name},${1000 + i}`);
  }
  const failing = `{% if display_name == "Broken" %}{% raise "device 77 is broken" %}{% endif %}${TEMPLATE}`;
  const dir = workspace({ 'inv.csv': `${rows.join('\n')}\n`, 'default.liquid': failing });
  for (const jobs of [2, 3]) {
    const devices: RenderDeviceReport[] = [];
    const { report } = await render(
      options(dir, { jobs, out: `out-${jobs}`, onDevice: (d) => devices.push(d) }),
    );
    assert.equal(report.summary.written, 119, `--jobs ${jobs}`);
    assert.equal(report.summary.failed, 1, `--jobs ${jobs}`);
    assert.deepEqual(
      devices.map((d) => d.source),
      rows.slice(1).map((_, i) => `inv.csv row ${i + 2}`),
      'in inventory order',
    );
    assert.equal(devices[77]!.failure, 'template');
    assert.match(devices[77]!.error ?? '', /device 77 is broken/);
    assert.equal(readdirSync(join(dir, `out-${jobs}`)).length, 119);
  }
});

test('workers are started while a large YAML inventory is read a device at a time, as for CSV', async () => {
  // 8,000 devices: 1.25 MB of YAML, above the size read a device at a time; a small one is not.
  const yaml = (n: number): string =>
    Array.from({ length: n }, (_, i) => {
      const mac = (0x00562b000000 + i).toString(16).padStart(12, '0');
      return `- mac: "${mac}"\n  model: "8841"\n  display_name: "Desk ${i} of the third floor, east wing"\n  extension: "${1000 + i}"\n  key: "k-${i}-a-passphrase-long-enough"\n`;
    }).join('');
  const big = yaml(8000);
  assert.ok(big.length > 1024 * 1024, `${big.length}`);
  for (const [text, expected] of [
    [big, [2]],
    [yaml(3), []],
  ] as const) {
    const dir = workspace({ 'inv.yaml': text, 'default.liquid': TEMPLATE });
    const started: number[] = [];
    const { report } = await render(
      options(dir, {
        inventory: 'inv.yaml',
        jobs: 2,
        runInWorkers: undefined,
        prestartWorkers: (count) => {
          started.push(count);
          return () => {};
        },
      }),
    );
    assert.deepEqual(started, expected);
    assert.equal(
      report.devices.filter((d) => d.status === 'written').length,
      text === big ? 8000 : 3,
    );
  }
});
