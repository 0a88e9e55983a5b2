/**
 * RenderJsonStream writes render's --json report a device at a time; joined, its text must be
 * exactly JSON.stringify(report, null, 2) of the same report with `summary` after `devices`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderJsonStream } from '../../src/output/render-format.js';
import type { RenderDeviceReport, RenderReport } from '../../src/render/batch.js';

const head = {
  inventory: 'inv.csv',
  out: 'out',
  dryRun: false,
  encrypted: true,
  gzip: true,
} satisfies Omit<RenderReport, 'summary' | 'devices'>;

function device(i: number, failed = false): RenderDeviceReport {
  return {
    device: `00562b0000${String(i).padStart(2, '0')}`,
    mac: `00562b0000${String(i).padStart(2, '0')}`,
    model: '8841',
    source: `inv.csv row ${i + 2}`,
    template: 'templates/mpp-desk.liquid',
    file: `00562b0000${String(i).padStart(2, '0')}.cfg`,
    status: failed ? 'failed' : 'written',
    ...(failed
      ? {
          failure: 'check' as const,
          error: 'rendered profile line 3, col 1: "quoted" \\ text [x]',
          diagnostics: [
            {
              ruleId: 'unknown-parameter',
              severity: 'warning' as const,
              message: 'a\nb',
              file: 'x',
              line: 1,
              column: 2,
            },
          ],
        }
      : { bytes: 896 }),
  };
}

for (const count of [0, 1, 3]) {
  test(`RenderJsonStream: ${count} devices give JSON.stringify's text, summary last`, () => {
    const devices = Array.from({ length: count }, (_, i) => device(i, i === 1));
    const summary = {
      total: count,
      written: count - (count > 1 ? 1 : 0),
      unchanged: 0,
      'would-write': 0,
      failed: count > 1 ? 1 : 0,
    };
    const stream = new RenderJsonStream(head);
    const text = devices.map((d) => stream.device(d)).join('') + stream.end(summary);
    assert.equal(text, `${JSON.stringify({ ...head, devices, summary }, null, 2)}\n`);
    assert.deepEqual(JSON.parse(text), { ...head, devices, summary });
  });
}
