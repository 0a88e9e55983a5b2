// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [filter…] — a filter keeps files whose path contains it.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(join(root, 'test'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
// Test files run two at a time (node --test's default on a 2-core machine is one): most of a
// test's time is spent waiting for the CLI it spawned, so a second file uses the core the first
// leaves idle. TEST_CONCURRENCY overrides it (1 to run them one by one).
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
// Without NODE_EXTRA_CA_CERTS: Node parses that CA bundle at every start (~43 ms of CPU on this
// machine), and the suite starts a few thousand Node processes (the CLI it spawns, tsx, workers).
// No test reaches a public TLS server: the HTTPS tests bring their own certificates.
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
  { cwd: root, stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
