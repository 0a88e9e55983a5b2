// Peak RSS and CPU of `render` from a YAML inventory against the same devices as CSV (issue 12,
// "render peak RSS ≤ 300 MB at any fleet size"). Run by hand after a build (it is not a
// *.bench.ts, so `npm run bench` leaves it out: 100,000 devices take minutes):
//   node scripts/build.mjs --no-types && node bench/inventory-yaml-rss.mjs [sizes] [runs]
// e.g. `node bench/inventory-yaml-rss.mjs 10000,50000,100000 3`. The devices are the render
// bench's (bench/render.bench.ts: mixed models, two lines, a BLF key, a key per device), as CSV
// and as a YAML list (dotted headers nested; cells stay strings). The job is the bench's:
// render + check + gzip + AES-256-CBC with a key per device, --vars examples/site.yaml, --json
// to /dev/null, default --jobs, into a fresh directory; `/usr/bin/time -f '%M %U %S %e'`,
// NODE_EXTRA_CA_CERTS unset; runs interleaved (csv, yaml, csv, yaml…); load average with each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sizes = (process.argv[2] ?? '10000,50000,100000').split(',').map(Number);
const runs = Number(process.argv[3] ?? 3);
/** `csv,yaml` (default) or one of them: BENCH_KINDS=yaml. */
const kinds = (process.env.BENCH_KINDS ?? 'csv,yaml').split(',');
const work = mkdtempSync(join(tmpdir(), 'cisco-prov-yaml-rss-'));
const MIX = [
  '8841',
  '8851',
  '8861',
  '6841',
  '7841',
  '7861',
  '8845',
  '7832',
  '8832',
  'ATA191',
  'ATA192',
];
const HEADER =
  'mac,model,display_name,lines.1.extension,lines.1.password,lines.2.extension,lines.2.password,keys.1.type,keys.2.type,keys.2.target,keys.2.label,profile_key';

function writeInventories(n) {
  const rows = [HEADER];
  const devices = [];
  for (let i = 0; i < n; i++) {
    const mac = (0x00562b000000 + i).toString(16).padStart(12, '0');
    const model = MIX[i % MIX.length];
    const desk = !['7832', '8832', 'ATA191', 'ATA192'].includes(model);
    const twoLines = model !== '7832' && model !== '8832';
    const peer = 2000 + ((i + 1) % n);
    rows.push(
      [
        mac,
        model,
        `User ${i}`,
        2000 + i,
        `sip-pw-${i}`,
        twoLines ? 7000 + i : '',
        twoLines ? `sip-pw2-${i}` : '',
        desk ? 'line' : '',
        desk ? 'blf' : '',
        desk ? peer : '',
        desk ? `Peer ${i + 1}` : '',
        `device-key-${i}-${mac}`,
      ].join(','),
    );
    const lines = [{ extension: String(2000 + i), password: `sip-pw-${i}` }];
    if (twoLines) lines.push({ extension: String(7000 + i), password: `sip-pw2-${i}` });
    const device = { mac, model, display_name: `User ${i}`, lines };
    if (desk) {
      device.keys = [
        { type: 'line' },
        { type: 'blf', target: String(peer), label: `Peer ${i + 1}` },
      ];
    }
    device.profile_key = `device-key-${i}-${mac}`;
    devices.push(device);
  }
  writeFileSync(join(work, `inv${n}.csv`), `${rows.join('\n')}\n`);
  writeFileSync(join(work, `inv${n}.yaml`), stringify(devices, { lineWidth: 0 }));
}

function run(inventory) {
  const out = join(work, 'out');
  rmSync(out, { recursive: true, force: true });
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const load = loadavg()[0];
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M %U %S %e',
      process.execPath,
      join(ROOT, 'bin', 'cisco-prov.cjs'),
      'render',
      '-i',
      inventory,
      '--vars',
      join(ROOT, 'examples', 'site.yaml'),
      '-o',
      out,
      '--gzip',
      '--encrypt',
      'aes-256-cbc',
      '--key-field',
      'profile_key',
      '--json',
    ],
    { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 },
  );
  const last = r.stderr.trim().split('\n').pop();
  const [kb, user, sys, wall] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`render failed (${r.status}): ${r.stderr.slice(0, 400)}`);
  return { mb: kb / 1024, cpu: user + sys, wall, load };
}

const fmt = (xs, f) => xs.map(f).join(' / ');
console.log(
  `| devices | inventory | peak RSS (MB), ${runs} runs | best–worst | CPU user+sys (s) | wall (s) | load |`,
);
console.log('|---:|---|---:|---:|---:|---:|---:|');
for (const n of sizes) {
  writeInventories(n);
  const results = { csv: [], yaml: [] };
  for (let i = 0; i < runs; i++) {
    for (const kind of kinds) results[kind].push(run(join(work, `inv${n}.${kind}`)));
  }
  for (const kind of kinds) {
    const rs = results[kind];
    const mbs = rs.map((r) => r.mb);
    console.log(
      `| ${n.toLocaleString('en')} | ${kind} | ${fmt(rs, (r) => r.mb.toFixed(0))} | ${Math.min(...mbs).toFixed(0)}–${Math.max(...mbs).toFixed(0)} | ${fmt(rs, (r) => r.cpu.toFixed(1))} | ${fmt(rs, (r) => r.wall.toFixed(1))} | ${fmt(rs, (r) => r.load.toFixed(1))} |`,
    );
  }
}
rmSync(work, { recursive: true, force: true });
