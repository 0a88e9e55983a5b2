import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODELS, findModel } from '../../src/device/models.js';

const EXPECTED_MODELS = [
  '6821',
  '6841',
  '6851',
  '6861',
  '6871',
  '7811',
  '7821',
  '7841',
  '7861',
  '7832',
  '8811',
  '8841',
  '8845',
  '8851',
  '8861',
  '8865',
  '8832',
  '9841',
  '9851',
  '9861',
  '9871',
  '8875',
  'ATA191',
  'ATA192',
];

test('the table has every MPP model of the brief, once each', () => {
  assert.deepEqual(MODELS.map((m) => m.model).sort(), [...EXPECTED_MODELS].sort());
  assert.equal(new Set(MODELS.map((m) => m.productName)).size, MODELS.length);
});

test('every row is internally consistent and cites a source for every fact', () => {
  for (const m of MODELS) {
    const where = `row ${m.model}`;
    assert.ok(Number.isInteger(m.lines) && m.lines >= 1, `${where}: lines`);
    assert.ok(Number.isInteger(m.lineKeys) && m.lineKeys >= 0, `${where}: lineKeys`);
    assert.ok(m.lineKeys <= m.lines, `${where}: more keys than lines`);
    assert.ok(m.maxExpansionModules >= 0 && m.maxExpansionModules <= 3, `${where}: KEMs`);
    assert.ok(m.productName.includes(m.model), `${where}: productName contains model`);
    for (const field of [
      'row',
      'lines',
      'lineKeys',
      'maxExpansionModules',
      'firmwarePrefix',
      'productName',
      'series',
    ] as const) {
      assert.ok((m.sources[field] ?? '').length > 10, `${where}: no source for ${field}`);
    }
    if (m.templateFamily === 'ata') {
      assert.equal(m.series, 'ATA190', where);
      assert.match(m.productName, /^ATA\d{3}-MPP$/, where);
    } else if (m.firmwarePrefix === 'PhoneOS') {
      // 9800 series and 8875: PhoneOS, product names without -3PCC (reference §6)
      assert.match(m.productName, /^(DP|CP)-\d{4}$/, where);
      assert.ok(m.series === '9800' || m.series === '8875', where);
    } else {
      assert.match(m.productName, /^CP-\d{4}-3PCC$/, where);
      assert.equal(m.series, `${m.model.slice(0, 2)}00`, where);
      assert.match(m.firmwarePrefix, /^sip/, where);
    }
  }
});

test('conference phones and ATAs have their template family', () => {
  assert.equal(findModel('7832')?.templateFamily, 'mpp-conference');
  assert.equal(findModel('8832')?.templateFamily, 'mpp-conference');
  assert.equal(findModel('ATA191')?.templateFamily, 'ata');
  assert.equal(findModel('8841')?.templateFamily, 'mpp-desk');
});

test('findModel accepts model numbers, product names and loose spellings', () => {
  for (const spelling of ['8841', 'CP-8841-3PCC', 'CP-8841', 'cp-8841-3pcc', ' 8841 ']) {
    assert.equal(findModel(spelling)?.productName, 'CP-8841-3PCC', spelling);
  }
  for (const spelling of ['ATA191', 'ATA191-MPP', 'ata191-mpp', '191']) {
    assert.equal(findModel(spelling)?.productName, 'ATA191-MPP', spelling);
  }
  assert.equal(findModel('ATA192')?.model, 'ATA192');
  assert.equal(findModel('192')?.model, 'ATA192');
  assert.equal(findModel('9861')?.series, '9800');
});

test('findModel returns undefined for unknown names', () => {
  for (const name of ['', '8842', 'CP-8841-3PCC-X', 'SPA508G', '3PCC', 'MPP', 'CP-']) {
    assert.equal(findModel(name), undefined, JSON.stringify(name));
  }
});

test('firmware prefixes follow the documented load names', () => {
  assert.equal(findModel('8845')?.firmwarePrefix, 'sip8845_65');
  assert.equal(findModel('8865')?.firmwarePrefix, 'sip8845_65');
  assert.equal(findModel('8861')?.firmwarePrefix, 'sip88xx');
  assert.equal(findModel('6871')?.firmwarePrefix, 'sip68xx');
  assert.equal(findModel('7861')?.firmwarePrefix, 'sip78xx');
  assert.equal(findModel('7832')?.firmwarePrefix, 'sip7832');
  assert.equal(findModel('8832')?.firmwarePrefix, 'sip8832');
});
