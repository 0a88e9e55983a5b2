// Interleaved A/B of whole processes, as a user times them: each command in turn, run after
// run, under /usr/bin/time (wall measured here; user+sys and peak RSS from time). Medians.
// Usage: node bench/ab.mjs <runs> 'label: shell command' 'label: shell command' …
// NODE_EXTRA_CA_CERTS is removed from every command's environment (it adds ~45 ms to a Node start).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const [runsArg, ...specs] = process.argv.slice(2);
const runs = Number(runsArg);
if (!(runs > 0) || specs.length === 0) {
  console.error("usage: node bench/ab.mjs <runs> 'label: command' …");
  process.exit(2);
}
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const commands = specs.map((spec) => {
  const colon = spec.indexOf(': ');
  return {
    label: spec.slice(0, colon),
    command: spec.slice(colon + 2),
    wall: [],
    cpu: [],
    user: [],
    rss: [],
    sys: [],
    faults: [],
  };
});
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const load0 = loadavg()[0];
for (let i = 0; i < runs; i++) {
  for (const c of commands) {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M %R', 'sh', '-c', `exec ${c.command}`], {
      encoding: 'utf8',
      env,
      maxBuffer: 1 << 28,
    });
    const wall = performance.now() - t0;
    if (r.status !== 0 && r.status !== 1) {
      console.error(`${c.label}: exit ${r.status}\n${r.stderr}`);
      process.exit(1);
    }
    const [user, sys, rss, faults] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    c.wall.push(wall);
    c.cpu.push((user + sys) * 1000);
    c.user.push(user * 1000);
    c.rss.push(rss / 1024);
    c.sys.push(sys * 1000);
    c.faults.push(faults);
  }
}
const load1 = loadavg()[0];
const lines = Number(process.env.AB_LINES ?? 0);
console.log(
  `${new Date().toISOString()}  ${runs} interleaved runs each, medians; load ${load0.toFixed(2)} → ${load1.toFixed(2)}\n`,
);
console.log(
  `| command | wall ms | user+sys ms | user ms | sys ms | minor faults | peak RSS MB |${lines ? ' lines/s (wall) |' : ''}`,
);
console.log(`|---|---:|---:|---:|---:|---:|---:|${lines ? '---:|' : ''}`);
for (const c of commands) {
  const wall = median(c.wall);
  const rate = lines ? ` ${Math.round((lines / wall) * 1000).toLocaleString('en')} |` : '';
  console.log(
    `| ${c.label} | ${wall.toFixed(0)} | ${median(c.cpu).toFixed(0)} | ${median(c.user).toFixed(0)} | ${median(c.sys).toFixed(0)} | ${median(c.faults).toFixed(0)} | ${median(c.rss).toFixed(0)} |${rate}`,
  );
}
if (process.env.AB_ALL)
  for (const c of commands) {
    console.log(c.label, 'wall', c.wall.map((w) => w.toFixed(0)).join(' '));
    console.log(c.label, 'cpu ', c.cpu.map((w) => w.toFixed(0)).join(' '));
  }
