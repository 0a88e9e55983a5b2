// Runs every test/**/*.test.ts with Node's own test runner. The TypeScript (src, test, bench,
// scripts) is compiled once before the run, with esbuild, into a temporary directory, and each
// test process loads it through scripts/load-tests.mjs under its own .ts URL; tsx, which the
// tests ran under before, cost ~0.45 s of CPU at every test process's start (its own code and
// esbuild's, in the main thread and in its hooks thread), ~70 s of CPU in all.
// Usage: node scripts/run-tests.mjs [filter…] — a filter keeps files whose path contains it.
// TEST_LOADER=tsx runs the tests under tsx instead (no compile step).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

/**
 * Seconds each slow file took (the sum of its top-level tests' duration_ms in the TAP of a quiet
 * clean-clone CI run; files under 3 s are not listed and count as 2). Only the order depends on
 * it: a missing, renamed or new file still runs, in the order of its estimate. Refresh it from a
 * run's TAP (sum the `duration_ms` of each file's top-level tests) when files change much.
 */
const SECONDS = {
  'test/cli/help-defaults-run.test.ts': 27, // 29.5 before 8 runs were shared
  'test/cli/gaps6.test.ts': 21, // 26.8 before one validate run for the gate
  'test/unit/timing-helper.test.ts': 8, // 23.4 before its quadratic case ran 2 rounds
  'test/cli/gaps9.test.ts': 22.3,
  'test/cli/ops9.test.ts': 20.8,
  'test/cli/usertrial3.test.ts': 19.6,
  'test/cli/gaps4.test.ts': 17.1,
  'test/unit/inventory-yaml-memory.test.ts': 16.8,
  'test/browser/fleet-page.test.ts': 16.1,
  'test/cli/diff-convert.test.ts': 15.9,
  'test/cli/validate.test.ts': 15.2,
  'test/cli/crypto-stream.test.ts': 14.6,
  'test/cli/help-exit-codes.test.ts': 12, // 14.0 before one --help a command
  'test/cli/trial5.test.ts': 13.7,
  'test/cli/render.test.ts': 13.6,
  'test/unit/render-rerender.test.ts': 13.5,
  'test/cli/hostile-limits.test.ts': 11.4,
  'test/cli/startup-oneshot.test.ts': 11.2,
  'test/cli/gaps8.test.ts': 11.1,
  'test/library/packed.test.ts': 11.0,
  'test/unit/render-inventory-json-memory.test.ts': 11.0,
  'test/cli/serve-lifecycle.test.ts': 10.4,
  'test/unit/render-inventory-json-stream.test.ts': 10.2,
  'test/unit/render-batch.test.ts': 10.2,
  'test/cli/fuzz9.test.ts': 10.1,
  'test/cli/hostile-inventory.test.ts': 9.9,
  'test/cli/render-json-stream.test.ts': 9.7,
  'test/cli/readme5.test.ts': 9.6,
  'test/cli/nonroot4.test.ts': 9.0,
  'test/cli/crypto.test.ts': 8.9,
  'test/cli/serve.test.ts': 8.7,
  'test/cli/trial4.test.ts': 8.6,
  'test/cli/crypto-trial3.test.ts': 8.6,
  'test/unit/boundary.test.ts': 8.3,
  'test/cli/hostile-files.test.ts': 7.5,
  'test/unit/validate-linear.test.ts': 7.3,
  'test/library/consumer.test.ts': 7.3,
  'test/cli/inspect.test.ts': 7.2,
  'test/cli/trial6.test.ts': 6.9,
  'test/cli/usertrial2.test.ts': 6.8,
  'test/cli/trial8.test.ts': 6.7,
  'test/cli/fetch.test.ts': 6.6,
  'test/cli/validate-workers.test.ts': 6.3,
  'test/cli/gaps5.test.ts': 6.3,
  'test/cli/usertrial.test.ts': 6.3,
  'test/cli/perf10.test.ts': 6.2,
  'test/cli/help-examples.test.ts': 6.2,
  'test/unit/crypto-interop.test.ts': 6.1,
  'test/cli/render-stdin.test.ts': 5.9,
  'test/cli/rule.test.ts': 5.7,
  'test/unit/catalog-loo.test.ts': 5.6,
  'test/unit/inventory-yaml-stream.test.ts': 5.6,
  'test/cli/qa-walkthrough.test.ts': 5.5,
  'test/cli/crypto-batch-threads.test.ts': 5.5,
  'test/browser/serve-fleet.test.ts': 5.4,
  'test/unit/render-inventory-stream.test.ts': 5.4,
  'test/cli/follow4b.test.ts': 5.0,
  'test/cli/serve-protocol.test.ts': 4.8,
  'test/cli/crypto-hardening.test.ts': 4.7,
  'test/cli/render-yaml-stream.test.ts': 4.3,
  'test/cli/follow4a.test.ts': 4.2,
  'test/unit/serve-trial4.test.ts': 4.1,
  'test/cli/help-readme-examples.test.ts': 3.9,
  'test/cli/fleet.test.ts': 3.8,
  'test/cli/names6.test.ts': 3.7,
  'test/cli/drift.test.ts': 3.6,
  'test/unit/worker-pool.test.ts': 3.4,
  'test/cli/hostile-output.test.ts': 3.4,
  'test/cli/gaps7.test.ts': 3.3,
  'test/library/library-entry.test.ts': 3.1,
  'test/unit/crypto-hardening.test.ts': 3.1,
  'test/unit/crypto-stream.test.ts': 3.0,
  'test/unit/render-cwd.test.ts': 3.0,
  'test/cli/hostile-secrets.test.ts': 3.0,
};
const seconds = (file) => SECONDS[file] ?? 2;

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
  .sort()
  // Longest first, so the two lanes end together: a long file started last keeps one core busy
  // alone at the end (alphabetical order started test/unit/timing-helper, 23 s, near the end).
  .sort((a, b) => seconds(b) - seconds(a));

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

let loader = ['--import', 'tsx'];
let compiled;
if (process.env.TEST_LOADER !== 'tsx') {
  compiled = mkdtempSync(join(tmpdir(), 'cisco-prov-tests-'));
  env.CISCO_PROV_TEST_MANIFEST = await compile(compiled);
  loader = [
    // Stack traces name the .ts line (esbuild's inline source maps), as under tsx.
    '--enable-source-maps',
    '--import',
    pathToFileURL(join(root, 'scripts/load-tests.mjs')).href,
  ];
}
let status;
try {
  const result = spawnSync(
    process.execPath,
    [...loader, '--test', `--test-concurrency=${concurrency}`, ...files],
    { cwd: root, stdio: 'inherit', env },
  );
  status = result.status ?? 1;
} finally {
  if (compiled) rmSync(compiled, { recursive: true, force: true });
}
process.exit(status);

/**
 * Compiles every .ts of src, test, bench and scripts (not .d.ts) to ESM in `dir`, one file each
 * (no bundling: a module keeps its own URL, so import.meta.url and the paths built from it are
 * those of the source), with tsconfig.json's compiler options, as tsx would. Returns the path of
 * the manifest scripts/load-tests-hooks.mjs reads: each .ts file's URL → its compiled file, and
 * the options (for a .ts file a test writes during the run).
 */
async function compile(dir) {
  const { stop, transform } = await import('esbuild');
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  const sources = ['src', 'test', 'bench', 'scripts']
    .flatMap((d) => walk(join(root, d)))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('/.work/'));
  const options = {
    loader: 'ts',
    format: 'esm',
    platform: 'node',
    // The running Node's own version, as tsx does: for 'node20' esbuild drops import attributes
    // (`with { type: 'json' }`, src/version.ts), which Node 20.19 requires.
    target: `node${process.versions.node}`,
    // Inline source maps whose source is the file's own name (`sourcefile`, set per file): Node
    // resolves it against the module's URL, the .ts file's.
    sourcemap: 'inline',
    tsconfigRaw: { compilerOptions },
  };
  const files = {};
  await Promise.all(
    sources.map(async (source, i) => {
      const code = readFileSync(source, 'utf8');
      const out = join(dir, `${i}.js`);
      let compiled;
      try {
        compiled = await transform(code, { ...options, sourcefile: basename(source) });
      } catch {
        // Left to the hook, which compiles it when a test imports it: that test fails with
        // esbuild's message, the others run (as under tsx).
        return;
      }
      writeFileSync(out, compiled.code);
      files[pathToFileURL(source).href] = out;
    }),
  );
  const path = join(dir, 'manifest.json');
  writeFileSync(path, JSON.stringify({ options, files }));
  // esbuild's service process would otherwise wait beside the whole run.
  await stop();
  return path;
}
