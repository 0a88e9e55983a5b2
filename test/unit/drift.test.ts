// The drift core: which parameters count, how values compare, and report file names.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reportIdOf } from '../../src/io/report-dir.js';
import { lookupParameter } from '../../src/profile/catalog.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diff } from '../../src/commands/diff.js';
import { compareWithReport, isStatusParameter, sameSetting } from '../../src/profile/drift.js';
import { parseProfileXml } from '../../src/profile/profile-map.js';

const map = (body: string) => parseProfileXml(`<flat-profile>${body}</flat-profile>`).parameters;
const typeOf = (name: string) => lookupParameter(DEFAULT_CATALOG, name)?.entry.type;

describe('sameSetting', () => {
  const CASES: [string, string, string, boolean][] = [
    ['Resync_On_Reset', 'Yes', 'yes', true], // Bool: any case (catalog)
    ['Resync_On_Reset', 'Yes', 'No', false],
    ['Resync_Periodic', '86400', ' 86400\n', true], // trimmed as the phone does (reference §1)
    ['Resync_Periodic', '3600', '86400', false],
    ['SIP_Port_1_', '5060', '0x13C4', true], // integers by number, hex allowed (guides' data types)
    ['SIP_Port_1_', '5060', '5061', false],
    ['Station_Name', 'Lobby', 'lobby', false], // free text: case counts
    ['Station_Name', 'Front\ndesk', 'Front desk', true], // a newline is read as a space
    ['Resync_On_Reset', 'Yes', 'YES', true], // reference §1 value types: Bool case-insensitive
    ['SIP_Port_1_', '0x13c4', '0X13C4', true], // reference §1: decimal or 0x hex integer
    ['Subscribe_Expires', '30', '30.0', true], // reference §1: Time, seconds, optional decimals
    ['Subscribe_Expires', '30', '30.5', false],
    ['Subscribe_Expires', '30', '0x1e', false], // Time is not an integer type: no hex
    // A schedule is decimal only (reference §1 "schedule"; guides: Configurable Schedules):
    // 0x15180 is not 86400 there.
    ['Resync_Periodic', '86400', '0x15180', false],
  ];
  for (const [name, a, b, same] of CASES) {
    test(`${name}: ${JSON.stringify(a)} ${same ? '=' : '≠'} ${JSON.stringify(b)}`, () => {
      assert.ok(typeOf(name), `${name} is in the catalog`);
      assert.equal(sameSetting(typeOf(name), a, b), same);
    });
  }
});

describe('isStatusParameter', () => {
  test('status fields of the Info tab are status; settings are not', () => {
    for (const name of [
      'Product_Name',
      'Software_Version',
      'Serial_Number',
      'Current_Time',
      'Registration_State_1_',
      'Last_Registration_At_2_',
      'Message_Waiting_1_',
      'Call_1_State_',
    ]) {
      assert.equal(isStatusParameter(name), true, name);
    }
    for (const name of [
      'Station_Name',
      'Host_Name',
      'Primary_DNS',
      'Line_Enable_1_',
      'Profile_Rule',
    ]) {
      assert.equal(isStatusParameter(name), false, name);
    }
  });

  test("a catalog entry's readOnly flag decides when present", () => {
    assert.equal(isStatusParameter('Station_Name', { readOnly: true }), true);
    assert.equal(isStatusParameter('Product_Name', { readOnly: false }), false);
  });
});

describe('compareWithReport', () => {
  test('checks only what the profile sets; status and hidden secrets are left out', () => {
    const expected = map(
      '<Station_Name ua="na">Lobby</Station_Name><Product_Name>CP-8841-3PCC</Product_Name>' +
        '<Password_1_>s3cret-pw</Password_1_><Admin_Passwd>adm1n-pw</Admin_Passwd>' +
        '<Line_Enable_2_>Yes</Line_Enable_2_>',
    );
    const reported = map(
      '<Station_Name>Lobby</Station_Name><Product_Name>CP-8851-3PCC</Product_Name>' +
        '<Password_1_>*************</Password_1_><GPP_A>extra</GPP_A>',
    );
    const result = compareWithReport(expected, reported, { catalog: DEFAULT_CATALOG });
    assert.deepEqual(result.ignored, { status: 1, hiddenSecret: 2 });
    assert.equal(result.checked, 2);
    assert.deepEqual(
      result.changes.map((c) => [c.change, c.name, c.expected, c.reported]),
      [['missing', 'Line_Enable_2_', 'Yes', null]],
    );
  });

  test('a secret the report shows is compared and masked; ua counts when both sides carry one', () => {
    const expected = map(
      '<Password_1_ ua="na">s3cret-pw</Password_1_><Station_Name ua="na">A</Station_Name>',
    );
    const reported = map(
      '<Password_1_ ua="na">other-pw</Password_1_><Station_Name ua="rw">A</Station_Name>',
    );
    const result = compareWithReport(expected, reported, { catalog: DEFAULT_CATALOG });
    assert.deepEqual(
      result.changes.map((c) => [c.name, c.expected, c.reported, c.ua]),
      [
        ['Password_1_', '********', '********', undefined],
        ['Station_Name', 'A', 'A', { expected: 'na', reported: 'rw' }],
      ],
    );
    const shown = compareWithReport(expected, reported, {
      catalog: DEFAULT_CATALOG,
      showSecrets: true,
    });
    assert.equal(shown.changes[0]?.reported, 'other-pw');
    const noUa = compareWithReport(
      map('<Station_Name ua="na">A</Station_Name>'),
      map('<Station_Name>A</Station_Name>'),
      {
        catalog: DEFAULT_CATALOG,
      },
    );
    assert.deepEqual(noUa.changes, []);
  });
});

describe('reportIdOf', () => {
  const CASES: [string, string | undefined, string | null][] = [
    ['00562b043615.xml', '00562b043615', '00562b043615'],
    ['00562B043615.cfg', '00562b043615', '00562b043615'],
    ['00:56:2b:04:36:15.xml', '00562b043615', '00562b043615'],
    ['00562b043615-20261125T090000Z.xml', '00562b043615', '00562b043615'],
    ['00562b043615.xml.gz', '00562b043615', '00562b043615'],
    ['FCH2443D9R5.xml', 'FCH2443D9R5', null],
    ['00562b0436150.xml', '00562b0436150', null], // 13 hex digits: not a MAC
  ];
  for (const [name, id, mac] of CASES) {
    test(`${name} → ${id} (${mac ? 'MAC' : 'serial'})`, () => {
      assert.deepEqual(reportIdOf(name), id === undefined ? undefined : { id, mac });
    });
  }
  test('names that are no phone id are skipped', () => {
    assert.equal(reportIdOf('.xml'), undefined);
    assert.equal(reportIdOf('notes about phones.txt'), undefined);
  });
});

describe('diff compares values as drift does (by catalog type), or as text with exact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-diff-types-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, body: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `<flat-profile>\n${body}\n</flat-profile>\n`);
    return path;
  };
  const a = write(
    'a.xml',
    '<Resync_On_Reset>Yes</Resync_On_Reset><SIP_Port_1_>5060</SIP_Port_1_><Station_Name>A</Station_Name>',
  );
  const b = write(
    'b.xml',
    '<Resync_On_Reset>YES</Resync_On_Reset><SIP_Port_1_>0x13C4</SIP_Port_1_><Station_Name>a</Station_Name>',
  );

  test('Bool in any case and hex integers are the same setting; text keeps its case', async () => {
    const result = await diff(a, b, {});
    assert.deepEqual(
      result.changes.map((c) => c.name),
      ['Station_Name'],
    );
    assert.equal(result.exitCode, 1);
  });

  test('exact: every textual difference', async () => {
    const result = await diff(a, b, { exact: true });
    assert.deepEqual(
      result.changes.map((c) => c.name),
      ['Resync_On_Reset', 'SIP_Port_1_', 'Station_Name'],
    );
  });
});
