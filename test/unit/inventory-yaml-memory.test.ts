/**
 * A YAML inventory read a device at a time holds its devices serialised (≈ the size of their
 * text), not the parser's tree and documents of nodes (≈ 75 times the text): the peak RSS of a
 * process that reads an inventory and makes render's two passes over it grows by little when
 * the inventory doubles (10,000 → 20,000 devices, 2.7 → 5.4 MB of YAML; the text itself and the
 * kept devices add ≈ 0.5 KB a device). Peak RSS does not depend on the machine's load; the best
 * of three runs absorbs the garbage collector's timing. The control — the same texts parsed
 * whole — must grow by more than the bound, or the measurement could not tell them apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAX_RSS_HOOK = new URL('../helpers/max-rss.mjs', import.meta.url).href;
const CHILD = fileURLToPath(new URL('../helpers/inventory-yaml-passes.mjs', import.meta.url));
/** How much more the peak may be at twice the devices (parsed whole it grows by ≈ 100 MB). */
const BOUND_MB = 16;

function writeInventory(path: string, count: number): void {
  let text = '';
  for (let i = 0; i < count; i++) {
    const mac = (0x00562b000000 + i).toString(16).padStart(12, '0');
    text += `- mac: ${mac}\n  model: "8841"\n  display_name: User ${i}\n  lines:\n    - extension: "${2000 + i}"\n      password: sip-pw-${i}\n    - extension: "${7000 + i}"\n      password: sip-pw2-${i}\n  keys:\n    - type: line\n    - type: blf\n      target: "${2001 + i}"\n      label: Peer ${i + 1}\n  profile_key: device-key-${i}\n`;
  }
  writeFileSync(path, text);
}

/** Peak RSS in MB of a child that reads `path` (streamed, or whole) and makes two passes. */
function peakRssMb(dir: string, path: string, count: number, mode: 'stream' | 'whole'): number {
  const rssFile = join(dir, 'rss');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', MAX_RSS_HOOK, CHILD, path, mode],
    { cwd: ROOT, env: { ...process.env, MAX_RSS_FILE: rssFile }, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), JSON.stringify([count, count]), 'every device, both passes');
  return Number(readFileSync(rssFile, 'utf8')) / 1e6;
}

test(`streamed YAML inventory: peak RSS at 2n devices is within ${BOUND_MB} MB of n (parsed whole: it is not)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-yaml-rss-'));
  try {
    const n = 10_000;
    const small = join(dir, 'small.yaml');
    const large = join(dir, 'large.yaml');
    writeInventory(small, n);
    writeInventory(large, 2 * n);
    const growth = (mode: 'stream' | 'whole'): number =>
      peakRssMb(dir, large, 2 * n, mode) - peakRssMb(dir, small, n, mode);
    const streamed: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      streamed.push(growth('stream'));
      if (streamed[streamed.length - 1]! <= BOUND_MB) break;
    }
    const best = Math.min(...streamed);
    assert.ok(best <= BOUND_MB, `streamed: +${best.toFixed(1)} MB at 2n (runs: ${streamed})`);
    const whole = growth('whole');
    assert.ok(whole > BOUND_MB, `control, parsed whole: only +${whole.toFixed(1)} MB at 2n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
