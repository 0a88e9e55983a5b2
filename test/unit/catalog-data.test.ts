// The built-in catalog: coverage, uniqueness, sources, self-consistency of types and defaults,
// and the parameters validate depends on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogNames, lookupParameter } from '../../src/profile/catalog.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';
import { checkValue } from '../../src/profile/catalog-values.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assembleCatalog } from '../../src/profile/catalog-data/index.js';
import * as exported from '../../src/profile/catalog-data/exported.js';
import { GUIDE_PARAMETERS } from '../../src/profile/catalog-data/guide.js';
import { GUIDES } from '../../src/profile/catalog-data/sources.js';
import { TS_IMPORT } from '../helpers/ts-import.js';

const names = catalogNames(DEFAULT_CATALOG);

describe('DEFAULT_CATALOG', () => {
  it('has at least 400 names with patterns expanded (issue 4)', () => {
    assert.ok(names.length >= 400, `only ${names.length} names`);
  });

  it('has no duplicate entry names', () => {
    const seen = new Set<string>();
    for (const entry of DEFAULT_CATALOG) {
      const key = `${entry.section ?? ''}:${entry.name}`;
      assert.ok(!seen.has(key), `duplicate entry ${key}`);
      seen.add(key);
    }
  });

  it('has no duplicate concrete names once patterns are expanded', () => {
    const seen = new Set<string>();
    const duplicates = names.filter((name) => (seen.has(name) ? true : (seen.add(name), false)));
    assert.deepEqual(duplicates, []);
  });

  it('cites a Cisco guide or a tuning export on every entry', () => {
    const titles = Object.values(GUIDES);
    const exportIds = Object.keys(exported.EXPORT_SOURCES);
    for (const entry of DEFAULT_CATALOG) {
      assert.ok(
        titles.some((title) => entry.source.includes(title)) ||
          exportIds.some((id) => entry.source.includes(id)),
        `${entry.name}: source names neither a guide nor an export: ${entry.source}`,
      );
    }
  });

  it('gives an index range exactly when the name has {n}, and a sub-index exactly for {m}', () => {
    for (const entry of DEFAULT_CATALOG) {
      assert.equal(entry.index !== undefined, entry.name.includes('{n}'), entry.name);
      assert.equal(entry.subIndex !== undefined, entry.name.includes('{m}'), entry.name);
    }
  });

  it('uses element names the XML can carry', () => {
    for (const name of names) assert.match(name, /^[A-Za-z][A-Za-z0-9_.-]*$/, name);
  });

  it('has defaults that pass their own type', () => {
    for (const entry of DEFAULT_CATALOG) {
      if (entry.default === undefined) continue;
      assert.equal(
        checkValue(entry.type, entry.default),
        undefined,
        `${entry.name} default ${entry.default}`,
      );
    }
  });

  it('is expressible in the user catalog format (JSON round trip)', () => {
    const parsed = parseCatalogJson(
      JSON.stringify({ parameters: DEFAULT_CATALOG }),
      'builtin.json',
    );
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(DEFAULT_CATALOG)));
  });

  it('marks passwords, GPP_SA..SD and the IKM as secret', () => {
    for (const name of [
      'Admin_Passwd',
      'User_Password',
      'Password_1_',
      'Password_16_',
      'GPP_SA',
      'GPP_SB',
      'GPP_SC',
      'GPP_SD',
      'IKM_HTTP_Encrypt_Content',
    ]) {
      assert.equal(lookupParameter(DEFAULT_CATALOG, name)?.entry.secret, true, name);
    }
    for (const name of ['GPP_A', 'User_ID_1_', 'Station_Name', 'Profile_Rule']) {
      assert.notEqual(lookupParameter(DEFAULT_CATALOG, name)?.entry.secret, true, name);
    }
  });

  it('marks Profile_Rule..D, Upgrade_Rule and Report_Rule as rules of their kind', () => {
    const rules: [string, string][] = [
      ['Profile_Rule', 'profile'],
      ['Profile_Rule_B', 'profile'],
      ['Profile_Rule_C', 'profile'],
      ['Profile_Rule_D', 'profile'],
      ['Upgrade_Rule', 'upgrade'],
      ['Report_Rule', 'report'],
    ];
    for (const [name, kind] of rules) {
      assert.deepEqual(
        lookupParameter(DEFAULT_CATALOG, name)?.entry.type,
        { kind: 'rule', rule: kind },
        name,
      );
    }
  });

  it('knows the parameters a profile almost always sets (reference §1)', () => {
    for (const name of [
      'Resync_Periodic',
      'Resync_Random_Delay',
      'Resync_Error_Retry_Delay',
      'Resync_On_Reset',
      'Resync_Fails_On_FNF',
      'Upgrade_Enable',
      'Station_Name',
      'Primary_NTP_Server',
      'Time_Zone',
      'HTTP_Report_Method',
      'GPP_P',
      ...[1, 10, 16].flatMap((n) =>
        [
          'Line_Enable',
          'Proxy',
          'Display_Name',
          'User_ID',
          'Auth_ID',
          'Use_OB_Proxy_In_Dialog',
          'Register_Expires',
          'SIP_Port',
          'Outbound_Proxy',
          'Dial_Plan',
        ].map((stem) => `${stem}_${n}_`),
      ),
      'Extension_1_',
      'Short_Name_16_',
      'Extended_Function_5_',
      'Unit_3_Key_28_',
    ]) {
      assert.ok(lookupParameter(DEFAULT_CATALOG, name), `${name} is missing`);
    }
  });

  it('extracts line, key and expansion-module indexes with their kinds', () => {
    const line = lookupParameter(DEFAULT_CATALOG, 'Line_Enable_7_');
    assert.deepEqual([line?.index, line?.entry.index?.kind], [7, 'line']);
    const key = lookupParameter(DEFAULT_CATALOG, 'Extended_Function_12_');
    assert.deepEqual([key?.index, key?.entry.index?.kind], [12, 'key']);
    const kem = lookupParameter(DEFAULT_CATALOG, 'Unit_2_Key_14_');
    assert.deepEqual(
      [kem?.index, kem?.entry.index?.kind, kem?.subIndex, kem?.entry.subIndex?.kind],
      [2, 'kem-unit', 14, 'kem-key'],
    );
    assert.equal(lookupParameter(DEFAULT_CATALOG, 'Line_Enable_17_'), undefined);
    assert.equal(lookupParameter(DEFAULT_CATALOG, 'Unit_4_Key_1_'), undefined);
  });

  it('checks values of well-known parameters as the guides say', () => {
    const check = (name: string, value: string): string | undefined => {
      const match = lookupParameter(DEFAULT_CATALOG, name);
      assert.ok(match, name);
      return checkValue(match.entry.type, value);
    };
    assert.equal(check('Resync_Periodic', '7200'), undefined);
    assert.equal(check('Resync_Error_Retry_Delay', '1800+300,3600+600,7200+900'), undefined);
    assert.match(check('Resync_Periodic', 'hourly') ?? '', /expected seconds/);
    assert.equal(check('Line_Enable_2_', 'no'), undefined);
    assert.match(check('Line_Enable_2_', 'off') ?? '', /Yes or No/);
    assert.match(check('SIP_Port_1_', '70000') ?? '', /port/);
    assert.match(check('HTTP_Report_Method', 'GET') ?? '', /"POST", "PUT"/);
    assert.equal(check('Time_Zone', 'GMT+05:30'), undefined);
    assert.match(check('Time_Zone', 'CET') ?? '', /GMT/);
    assert.match(check('Resync_At__HHmm_', '25:00') ?? '', /HHmm/);
    assert.match(check('Extension_3_', '17') ?? '', /expected one of/);
    assert.equal(check('Extension_3_', 'Disabled'), undefined);
    assert.match(check('Primary_NTP_Server', 'ntp server') ?? '', /host name/);
  });
});

describe('the catalog built from exports', () => {
  it('is what scripts/catalog-from-exports.ts makes of the tuning exports (data and script agree)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-catalog-'));
    try {
      const out = join(dir, 'exported.ts');
      const r = spawnSync(
        process.execPath,
        [...TS_IMPORT, 'scripts/catalog-from-exports.ts', out],
        {
          encoding: 'utf8',
        },
      );
      assert.equal(r.status, 0, r.stderr);
      const fresh = (await import(pathToFileURL(out).href)) as typeof exported;
      assert.deepEqual(fresh.EXPORTED_PARAMETERS, exported.EXPORTED_PARAMETERS);
      assert.deepEqual(fresh.EXPORT_EVIDENCE, exported.EXPORT_EVIDENCE);
      assert.deepEqual(fresh.EXPORT_SOURCES, exported.EXPORT_SOURCES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a correction that names no entry (a stale one is caught at once)', () => {
    assert.throws(
      () => assembleCatalog(GUIDE_PARAMETERS, [], [{ name: 'No_Such_Name', source: 'x' }], []),
      /catalog corrections name no entry: No_Such_Name/,
    );
  });

  it('gives the export spelling as the name and keeps the guide spelling as an alias', () => {
    const entry = DEFAULT_CATALOG.find((e) => e.name === 'Report_To_Server');
    assert.deepEqual(entry?.aliases, ['Report_to_Server']);
    assert.equal(
      DEFAULT_CATALOG.find((e) => e.name === 'Report_to_Server'),
      undefined,
    );
    assert.ok(!names.includes('Report_to_Server'));
  });
});
