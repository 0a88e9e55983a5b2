/**
 * A YAML inventory read a device at a time holds its devices serialised (≈ the size of their
 * text), not the parser's tree and documents of nodes (≈ 75 times the text): the peak RSS of a
 * process that reads an inventory and makes render's two passes over it grows by little when
 * the inventory doubles (5,000 → 10,000 devices, 1.35 → 2.7 MB of YAML; the text itself and the
 * kept devices add ≈ 0.5 KB a device). Peak RSS does not depend on the machine's load; the best
 * of three runs absorbs the garbage collector's timing. The control — the same texts parsed
 * whole — must grow by more than the bound, or the measurement could not tell them apart.
 */
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertRssGrowthFlat } from '../helpers/inventory-rss.js';

const CHILD = fileURLToPath(new URL('../helpers/inventory-yaml-passes.mjs', import.meta.url));
/** How much more the peak may be at twice the devices (parsed whole it grows by ≈ 130 MB). */
const BOUND_MB = 16;

function writeInventory(path: string, count: number): void {
  let text = '';
  for (let i = 0; i < count; i++) {
    const mac = (0x00562b000000 + i).toString(16).padStart(12, '0');
    text += `- mac: ${mac}\n  model: "8841"\n  display_name: User ${i}\n  lines:\n    - extension: "${2000 + i}"\n      password: sip-pw-${i}\n    - extension: "${7000 + i}"\n      password: sip-pw2-${i}\n  keys:\n    - type: line\n    - type: blf\n      target: "${2001 + i}"\n      label: Peer ${i + 1}\n  profile_key: device-key-${i}\n`;
  }
  writeFileSync(path, text);
}

test(`streamed YAML inventory: peak RSS at 2n devices is within ${BOUND_MB} MB of n (parsed whole: it is not)`, () => {
  assertRssGrowthFlat({
    ext: 'yaml',
    child: CHILD,
    devices: 5_000,
    boundMb: BOUND_MB,
    writeInventory,
  });
});
