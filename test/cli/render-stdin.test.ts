/**
 * `render -i -` (the inventory on stdin, its format from --inventory-format or sniffed) and the
 * streamed --json report, through the spawned CLI. The profiles from stdin must be the very
 * files rendered from the same inventory given by name (the golden sets of render.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cp-render-stdin-'));
}

function sameFiles(a: string, b: string): void {
  const names = readdirSync(a).sort();
  assert.deepEqual(names, readdirSync(b).sort());
  assert.ok(names.length > 0);
  for (const n of names)
    assert.equal(readFileSync(join(a, n), 'utf8'), readFileSync(join(b, n), 'utf8'), n);
}

const csv = readFileSync(join(ROOT, 'examples', 'inventory.csv'), 'utf8');
const yaml = readFileSync(join(ROOT, 'examples', 'inventory.yaml'), 'utf8');

test('render -i - reads a CSV inventory from stdin (sniffed) and writes what -i inventory.csv writes', async () => {
  const dir = tempDir();
  const r = await runCli(['render', '-i', '-', '-o', join(dir, 'stdin')], { input: csv });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const f = await runCli(['render', '-i', 'examples/inventory.csv', '-o', join(dir, 'file')]);
  assert.equal(f.code, 0, f.stderr);
  sameFiles(join(dir, 'stdin'), join(dir, 'file'));
  assert.equal(readdirSync(join(dir, 'stdin')).length, 8);
  sameFiles(join(dir, 'stdin'), join(ROOT, 'test', 'golden', 'render', 'csv'));
});

test('render -i - with YAML on stdin: sniffed, or named by --inventory-format yaml', async () => {
  const dir = tempDir();
  for (const [name, extra] of [
    ['sniffed', []],
    ['named', ['--inventory-format', 'yaml']],
  ] as const) {
    const r = await runCli(
      ['render', '-i', '-', ...extra, '--vars', 'examples/site.yaml', '-o', join(dir, name)],
      { input: yaml },
    );
    assert.equal(r.code, 0, r.stderr);
    sameFiles(join(dir, name), join(ROOT, 'test', 'golden', 'render', 'yaml'));
  }
});

test('render -i - with JSON on stdin; --inventory-format wins over sniffing; problems name <stdin>', async () => {
  const dir = tempDir();
  const devices = [
    {
      mac: '00:56:2B:04:36:15',
      model: '8841',
      display_name: 'Reception',
      lines: [{ extension: '2001', password: 'sip-pw-1' }],
    },
    {
      mac: '0056.2b04.3616',
      model: '7832',
      display_name: 'Lobby',
      lines: [{ extension: '2002', password: 'sip-pw-2' }],
    },
  ];
  const site = ['--vars', 'examples/site.yaml'];
  const r = await runCli(['render', '-i', '-', ...site, '-o', join(dir, 'json'), '--json'], {
    input: JSON.stringify(devices),
  });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { inventory: string; summary: { written: number } };
  assert.equal(report.inventory, '<stdin>');
  assert.equal(report.summary.written, 2);
  assert.deepEqual(readdirSync(join(dir, 'json')).sort(), ['00562b043615.xml', '00562b043616.xml']);

  // The same JSON text declared CSV is read as CSV (and is not a valid inventory as such).
  const asCsv = await runCli(
    ['render', '-i', '-', '--inventory-format', 'csv', '-o', join(dir, 'x')],
    { input: JSON.stringify(devices) },
  );
  assert.equal(asCsv.code, 1);
  assert.match(asCsv.stderr, /^cisco-prov: <stdin>: /);

  const bad = await runCli(['render', '-i', '-', '-o', join(dir, 'y')], {
    input: 'mac,model\n00562b043615,8841\n00562b043615,8851\n',
  });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /<stdin>: row 3, field mac: duplicate MAC 00562b043615 \(also row 2\)/);
  assert.deepEqual(readdirSync(dir).sort(), ['json'], 'nothing written for a bad inventory');

  const wrong = await runCli(['render', '-i', '-', '--inventory-format', 'xml'], { input: '' });
  assert.equal(wrong.code, 2);
});

test('--json is streamed but is the same report: summary, then every device in inventory order', async () => {
  const dir = tempDir();
  const rows = ['mac,model,display_name,lines.1.extension,lines.1.password'];
  for (let i = 0; i < 1200; i++) {
    const mac = (0x00562b100000 + i).toString(16).padStart(12, '0');
    // Every 100th device names an unknown template: it fails, the others are written.
    const cells = [mac, i % 3 ? '8841' : '7832', `User ${i}`, 3000 + i, `pw-${i}`];
    rows.push([...cells, i % 100 === 7 ? 'x' : ''].join(','));
  }
  rows[0] += ',template';
  const r = await runCli(
    [
      'render',
      '-i',
      '-',
      '--vars',
      'examples/site.yaml',
      '-o',
      join(dir, 'out'),
      '--json',
      '--jobs',
      '2',
      '--quiet',
    ],
    { input: `${rows.join('\n')}\n` },
  );
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as {
    inventory: string;
    out: string;
    dryRun: boolean;
    encrypted: boolean;
    gzip: boolean;
    summary: Record<string, number>;
    devices: { mac: string; status: string; source: string }[];
  };
  assert.deepEqual(Object.keys(report), [
    'inventory',
    'out',
    'dryRun',
    'encrypted',
    'gzip',
    'devices',
    'summary',
  ]);
  assert.deepEqual(report.summary, {
    total: 1200,
    written: 1188,
    unchanged: 0,
    'would-write': 0,
    failed: 12,
  });
  assert.equal(report.devices.length, 1200);
  report.devices.forEach((d, i) => {
    assert.equal(d.source, `<stdin> row ${i + 2}`);
    assert.equal(d.status, i % 100 === 7 ? 'failed' : 'written');
  });
  assert.equal(r.stdout, `${JSON.stringify(report, null, 2)}\n`, 'JSON.stringify layout');
  assert.equal(r.stderr.trim().split('\n').length, 12, 'one stderr line per failed device');
});
