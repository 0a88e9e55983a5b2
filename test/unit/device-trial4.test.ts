/**
 * trial4: the User-Agent parser agrees with the model table. Every product name the table holds
 * (CP-8841-3PCC, DP-9841 — Cisco's model-name example, CP-8875…), sent in the MPP form
 * `Cisco-<PN>/<fw> (<mac>)` (reference §6), is read as that model of that series.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODELS } from '../../src/device/models.js';
import { parseUserAgent } from '../../src/device/user-agent.js';

test('every MPP product name of the model table is read back from a User-Agent', () => {
  const mpp = MODELS.filter((m) => !m.productName.startsWith('ATA'));
  assert.ok(mpp.some((m) => m.productName.startsWith('DP-')));
  for (const m of mpp) {
    const info = parseUserAgent(`Cisco-${m.productName}/3.0.1 (00562b043615)`);
    assert.deepEqual(
      [info.family, info.model, info.series, info.mac],
      ['mpp', m.model, m.series, '00562b043615'],
      m.productName,
    );
  }
});
