// `drift` end to end: reports with known differences against profiles rendered now from a small
// template; both report layouts (files named by MAC, serve's directory per phone), an RFC 8188
// report encrypted by http_ece, an unreadable one, and one from a phone not in the inventory.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ece from 'http_ece';
import { assertGolden } from '../helpers/golden.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const FIXTURES = join(ROOT, 'test/fixtures/drift');
const IKM = 'BO3ZVPxUlnLORbVGMpbT1Q';
const env = { PROV_IKM: `base64url:${IKM}` };
/** 2026-11-26 09:00:00Z: every report's time, so the output does not depend on the checkout. */
const T = Date.UTC(2026, 10, 26, 9, 0, 0) / 1000;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-drift-'));
  cpSync(FIXTURES, dir, { recursive: true });
  const reports = join(dir, 'reports');
  // The phone's RFC 8188 upload (a Report_Rule without --key, reference §4).
  writeFileSync(
    join(reports, '00562b043618.xml'),
    ece.encrypt(readFileSync(join(FIXTURES, '00562b043618.report.xml')), {
      version: 'aes128gcm',
      key: Buffer.from(IKM, 'base64url'),
      rs: 4096,
    }),
  );
  writeFileSync(join(reports, '.00562b043615.xml.1a2b.tmp'), 'half a file');
  for (const name of [
    '00562b043615.xml',
    '00562b043616.xml',
    '00562b043618.xml',
    '00562b043619.xml',
    'aabbccddeeff.xml',
    '00562b043617/20261126T090000000Z-4e5f6a7b.xml',
  ]) {
    utimesSync(join(reports, name), T, T);
  }
  // The older of two reports of one phone: a day earlier, and drifted — it must not count.
  utimesSync(join(reports, '00562b043617/20261125T090000000Z-0a1b2c3d.xml'), T - 86400, T - 86400);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const ARGS = ['drift', '--reports', 'reports', '-i', 'inventory.csv', '-t', 'templates'];

interface Phone {
  device: string;
  status: string;
  report: string;
  reports: number;
  checked: number;
  ignored: { status: number; hiddenSecret: number };
  changes: { name: string; change: string; expected: string; reported: string | null }[];
  error?: string;
}

describe('drift', () => {
  test('golden: a table per phone and the fleet summary', async () => {
    const args = [...ARGS, '--ikm-env', 'PROV_IKM'];
    const run = await runCli(args, { cwd: dir, env });
    assertGolden('drift.md', args, run);
    assert.equal(run.code, 1);
  });

  test('--json: the known differences, and nothing else', async () => {
    const run = await runCli([...ARGS, '--ikm-env', 'PROV_IKM', '--json'], { cwd: dir, env });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as {
      phones: Phone[];
      withoutReport: string[];
      summary: Record<string, unknown>;
    };
    const byDevice = new Map(report.phones.map((p) => [p.device, p]));
    const changes = (mac: string) => byDevice.get(mac)!.changes.map((c) => `${c.change} ${c.name}`);

    // In sync despite order, status parameters, `yes` for Yes, white space, masked secrets and
    // parameters the profile does not set.
    assert.equal(byDevice.get('00562b043615')!.status, 'in-sync');
    assert.deepEqual(byDevice.get('00562b043615')!.ignored, { status: 0, hiddenSecret: 2 });
    assert.deepEqual(changes('00562b043616'), [
      'changed Station_Name',
      'changed Time_Zone',
      'changed Resync_Periodic',
      'changed Password_1_',
      'changed Display_Name_1_',
      'missing Dial_Plan_1_',
    ]);
    // The latest of the phone's two reports (serve's layout) is the one compared.
    const warehouse = byDevice.get('00562b043617')!;
    assert.equal(warehouse.status, 'in-sync');
    assert.equal(warehouse.reports, 2);
    assert.match(warehouse.report, /20261126T090000000Z-4e5f6a7b\.xml$/);
    // The RFC 8188 report opens with the IKM and holds one difference.
    assert.deepEqual(changes('00562b043618'), ['changed SIP_Port_1_']);
    assert.equal(byDevice.get('00562b043619')!.status, 'error');
    assert.match(
      byDevice.get('00562b043619')!.error!,
      /line 5, col 3: <Time_Zone> is never closed$/,
    );
    assert.equal(byDevice.get('aabbccddeeff')!.status, 'unknown');
    assert.deepEqual(report.withoutReport, ['00562b04361a']);
    assert.deepEqual(
      [...byDevice.keys()],
      [
        '00562b043615',
        '00562b043616',
        '00562b043617',
        '00562b043618',
        '00562b043619',
        'aabbccddeeff',
      ],
    );
    // No secret reaches the output: the clear-text password in 16's report is masked.
    assert.ok(!run.stdout.includes('example-sip-202'), 'password shown');
    assert.ok(!run.stdout.includes('Adm1n-Example'), 'admin password shown');
  });

  test('--show-secrets shows a secret the report carries', async () => {
    const run = await runCli([...ARGS, '--json', '--show-secrets'], { cwd: dir });
    const phone = (JSON.parse(run.stdout) as { phones: Phone[] }).phones.find(
      (p) => p.device === '00562b043616',
    )!;
    const password = phone.changes.find((c) => c.name === 'Password_1_')!;
    assert.deepEqual(
      [password.expected, password.reported],
      ['example-sip-202', 'example-sip-202-old'],
    );
  });

  test('without the IKM the encrypted report is an error for that phone only', async () => {
    const run = await runCli([...ARGS, '--json'], { cwd: dir });
    assert.equal(run.code, 1);
    const phone = (JSON.parse(run.stdout) as { phones: Phone[] }).phones.find(
      (p) => p.device === '00562b043618',
    )!;
    assert.equal(phone.status, 'error');
    assert.match(phone.error!, /aes128gcm body has no magic bytes|not XML/);
  });

  test('every reported phone in sync: exit 0', async () => {
    const one = mkdtempSync(join(tmpdir(), 'cisco-prov-drift-one-'));
    try {
      cpSync(join(FIXTURES, 'reports/00562b043615.xml'), join(one, '00562B043615.xml'));
      const run = await runCli([
        'drift',
        '--reports',
        one,
        '-i',
        join(FIXTURES, 'inventory.csv'),
        '-t',
        join(FIXTURES, 'templates'),
      ]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /1 in sync, 0 drifted/);
    } finally {
      rmSync(one, { recursive: true, force: true });
    }
  });

  test('nothing compared is not "in sync": no report file, or no reporting phone in the inventory: exit 1', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cisco-prov-drift-empty-'));
    try {
      const inventory = join(FIXTURES, 'inventory.csv');
      const templates = join(FIXTURES, 'templates');
      writeFileSync(join(empty, 'README.txt'), 'not a report');
      const none = await runCli(['drift', '--reports', empty, '-i', inventory, '-t', templates]);
      assert.equal(none.code, 1);
      assert.equal(none.stdout, '', 'no empty table');
      assert.match(
        none.stderr,
        /^cisco-prov: \S+: no report files found: nothing to compare\n {2}hint: /,
      );
      cpSync(join(FIXTURES, 'reports/aabbccddeeff.xml'), join(empty, 'aabbccddeeff.xml'));
      const stranger = await runCli([
        'drift',
        '--reports',
        empty,
        '-i',
        inventory,
        '-t',
        templates,
      ]);
      assert.equal(stranger.code, 1);
      assert.match(stranger.stdout, /^aabbccddeeff +\? +not in inventory/m);
      assert.match(
        stranger.stderr,
        /no reporting phone is in \S+inventory\.csv: nothing was compared/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a missing reports directory or inventory: exit 3, one line', async () => {
    const noDir = await runCli(
      [...ARGS.slice(0, 1), '--reports', 'absent', '-i', 'inventory.csv'],
      {
        cwd: dir,
      },
    );
    assert.equal(noDir.code, 3);
    assert.match(
      noDir.stderr,
      /^cisco-prov: cannot read --reports absent: no such file or directory\n$/,
    );
    const noInventory = await runCli(['drift', '--reports', 'reports', '-i', 'absent.csv'], {
      cwd: dir,
    });
    assert.equal(noInventory.code, 3);
    assert.match(noInventory.stderr, /absent\.csv: no such file or directory/);
  });
});
