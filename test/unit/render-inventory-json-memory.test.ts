/**
 * A JSON inventory read from its file a device at a time holds one device, not the fleet: the
 * peak RSS of a process that scans an inventory and makes render's two passes over it stays
 * nearly the same when the inventory doubles (25,000 → 50,000 devices, 7 → 14 MB of JSON).
 * Peak RSS does not depend on the machine's load; the best of three runs absorbs the garbage
 * collector's timing. The control — the same texts parsed whole — must grow by more than the
 * bound, or the measurement could not tell the two apart.
 */
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertRssGrowthFlat } from '../helpers/inventory-rss.js';

const CHILD = fileURLToPath(new URL('../helpers/inventory-passes.mjs', import.meta.url));
/** How much more the peak may be at twice the devices (the whole parse grows by ≈ 50 MB). */
const BOUND_MB = 16;

function writeInventory(path: string, count: number): void {
  const devices: string[] = [];
  for (let i = 0; i < count; i++) {
    const mac = (0x00562b000000 + i).toString(16).padStart(12, '0');
    devices.push(
      `  {"mac":"${mac}","model":"8841","display_name":"User ${i}","lines":[{"extension":"${2000 + i}","password":"sip-pw-${i}"},{"extension":"${7000 + i}","password":"sip-pw2-${i}"}],"keys":[{"type":"line"},{"type":"blf","target":"${2001 + i}","label":"Peer ${i + 1}"}],"profile_key":"device-key-${i}"}`,
    );
  }
  writeFileSync(path, `[\n${devices.join(',\n')}\n]\n`);
}

test('streamed JSON inventory: peak RSS at 2n devices is within 16 MB of n (parsed whole: it is not)', () => {
  assertRssGrowthFlat({
    ext: 'json',
    child: CHILD,
    devices: 25_000,
    boundMb: BOUND_MB,
    writeInventory,
  });
});
