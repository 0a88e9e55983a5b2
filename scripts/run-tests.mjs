// Runs every test/**/*.test.ts with Node's own test runner. The TypeScript (src, test, bench,
// scripts) is compiled once before the run, with esbuild, into a temporary directory, and each
// test process loads it through scripts/load-tests.mjs under its own .ts URL; tsx, which the
// tests ran under before, cost ~0.45 s of CPU at every test process's start (its own code and
// esbuild's, in the main thread and in its hooks thread), ~70 s of CPU in all.
// Usage: node scripts/run-tests.mjs [--timings] [filter…] — a filter keeps files whose path
// contains it; --timings writes the files' measured times to test/timings.json (below).
// TEST_LOADER=tsx runs the tests under tsx instead (no compile step).
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
// --timings: after the run, the measured wall time of every file that ran goes into TIMINGS.
const writeTimings = args.includes('--timings');
const filters = args.filter((arg) => arg !== '--timings');

/**
 * Seconds each file took, from its process's start to its end, two files at a time (what
 * scripts/run-test-files.mjs measures; `node scripts/run-tests.mjs --timings` rewrites the
 * entries of the files it ran: do it on the quiet box after adding or growing test files). The
 * files start longest first, so the two lanes end together: a long file started last keeps one
 * core busy alone at the end. A file it does not list (a new one) starts before all of them. The
 * table is committed, not rewritten by every run, so that a clean clone's order is always the
 * same. (Before this table, a list in this file gave the order, but `node --test <files>` sorts
 * its files by name: it never applied.)
 */
const TIMINGS = join(root, 'test/timings.json');
const recorded = existsSync(TIMINGS) ? JSON.parse(readFileSync(TIMINGS, 'utf8')) : {};
const seconds = (file) => recorded[file] ?? Infinity;

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
  // Longest first. Array.prototype.sort is stable: ties (new files among them) stay by name.
  .sort((a, b) => (seconds(a) === seconds(b) ? 0 : seconds(b) - seconds(a)));

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
let paths = files.map((f) => join(root, f));
let compiled;
if (process.env.TEST_LOADER !== 'tsx') {
  compiled = mkdtempSync(join(tmpdir(), 'cisco-prov-tests-'));
  const { manifest, tree, hooked, mirrored } = await compile(compiled);
  env.CISCO_PROV_TEST_MANIFEST = manifest;
  // Each test file runs from the tree (scripts/load-tests.mjs registers no hooks there) unless it
  // needs the hooks in its own process.
  env.CISCO_PROV_TEST_TREE = tree;
  paths = paths.map((path) => (hooked.has(path) ? path : mirrored(path)));
  loader = [
    // Stack traces name the .ts line (esbuild's inline source maps), as under tsx.
    '--enable-source-maps',
    '--import',
    pathToFileURL(join(root, 'scripts/load-tests.mjs')).href,
  ];
}
// A file still running after TEST_FILE_TIMEOUT_MS fails, and node:test ends its process
// (SIGTERM; test/helpers/children.ts then kills the servers and CLI runs it started): a test that
// hangs costs that much, not the whole CI job. The slowest file takes ~30 s on the quiet box.
env.TEST_CONCURRENCY = concurrency;
env.TEST_FILE_TIMEOUT_MS = process.env.TEST_FILE_TIMEOUT_MS ?? '300000';
const times = mkdtempSync(join(tmpdir(), 'cisco-prov-times-'));
env.TEST_TIMES = join(times, 'times.json');
// Where test/helpers/run-cli.ts's runCliShared leaves the runs every file may share (--help).
env.CISCO_PROV_TEST_SHARED = join(times, 'shared');
mkdirSync(env.CISCO_PROV_TEST_SHARED);
let status;
try {
  // scripts/run-test-files.mjs runs them in this order (node --test would sort them by name).
  const result = spawnSync(
    process.execPath,
    [...loader, join(root, 'scripts/run-test-files.mjs'), ...paths],
    { cwd: root, stdio: 'inherit', env },
  );
  status = result.status ?? 1;
  // Only from a run that passed: a failing file's time (a timeout, a crash) says little.
  if (writeTimings && status === 0) saveTimings(JSON.parse(readFileSync(env.TEST_TIMES, 'utf8')));
  else if (writeTimings)
    console.error('run-tests: a test failed: test/timings.json left as it was');
} finally {
  if (compiled) rmSync(compiled, { recursive: true, force: true });
  rmSync(times, { recursive: true, force: true });
}
process.exit(status);

/** Merges `measured` into TIMINGS (files that no longer exist dropped), sorted by name. */
function saveTimings(measured) {
  const merged = { ...recorded, ...measured };
  const sorted = Object.fromEntries(
    Object.keys(merged)
      .filter((file) => existsSync(join(root, file)))
      .sort()
      .map((file) => [file, merged[file]]),
  );
  writeFileSync(TIMINGS, `${JSON.stringify(sorted, null, 2)}\n`);
  console.error(
    `run-tests: the times of ${Object.keys(measured).length} files written to test/timings.json`,
  );
}

/**
 * Compiles every .ts of src, test, bench and scripts (not .d.ts) to ESM, one file each (no
 * bundling), with tsconfig.json's compiler options, as tsx would, into a copy of the repository's
 * tree under `dir`/tree: each x.ts as x.js beside it, every other file and directory a symbolic
 * link to the original (package.json, node_modules, dist, fixtures, .mjs helpers…). The tests'
 * own processes load their file from there with no module hooks at all: its relative imports
 * (`./x.js`, as TypeScript's NodeNext imports name them) find the compiled neighbours, anything
 * else the links. In each compiled file import.meta.url, .dirname and .filename are the source's
 * (esbuild's `define`), so the paths a test builds from them (its fixtures, the CLI's bin) are
 * what they were. Module hooks (scripts/load-tests-hooks.mjs: its own thread in each process,
 * and a message to it for every module loaded) cost ~0.17 s of CPU per test process.
 *
 * Returns the path of the manifest scripts/load-tests.mjs and its hooks read: each .ts file's URL
 * → its compiled file (the hooks serve it under its .ts URL, to a child a test starts with
 * TS_IMPORT and to a worker thread started from a .ts module), the options (for a .ts file a test
 * writes during the run), the tree, and the test files that still need the hooks in their own
 * process (below).
 */
async function compile(dir) {
  const { stop, transform } = await import('esbuild');
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  const MIRRORED = ['src', 'test', 'bench', 'scripts'];
  const sources = MIRRORED.flatMap((d) => walk(join(root, d))).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('/.work/'),
  );
  const options = {
    loader: 'ts',
    format: 'esm',
    platform: 'node',
    // The running Node's own version, as tsx does: for 'node20' esbuild drops import attributes
    // (`with { type: 'json' }`, src/version.ts), which Node 20.19 requires.
    target: `node${process.versions.node}`,
    // Inline source maps whose source is the .ts file's absolute path (`sourcefile`, set per
    // file): a stack trace names the .ts file and line, wherever the compiled copy is.
    sourcemap: 'inline',
    // Without a copy of the source in each map: under --enable-source-maps Node decodes and
    // parses every module's map as it loads it, and the copies were half the compiled bytes
    // (11 MB -> 5.8 MB). A stack trace still names the .ts file and line (the mappings), and
    // Node reads a source line it shows from the .ts file itself. A test process that imports
    // src/index.ts, commands/render.ts and commands/validate.ts: 0.99 -> 0.87 s of CPU
    // (medians of 3 × 3 runs, interleaved, load 12-16).
    sourcesContent: false,
    tsconfigRaw: { compilerOptions },
  };
  const tree = join(dir, 'tree');
  const files = {};
  let failed = 0;
  await Promise.all(
    sources.map(async (source) => {
      const code = readFileSync(source, 'utf8');
      const out = join(tree, relative(root, source).replace(/\.ts$/, '.js'));
      const url = pathToFileURL(source).href;
      let compiled;
      try {
        compiled = await transform(code, {
          ...options,
          sourcefile: source,
          define: {
            'import.meta.url': JSON.stringify(url),
            'import.meta.filename': JSON.stringify(source),
            'import.meta.dirname': JSON.stringify(dirname(source)),
          },
        });
      } catch {
        // Left to the hook, which compiles it when a test imports it: that test fails with
        // esbuild's message, the others run (as under tsx).
        failed++;
        return;
      }
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, compiled.code);
      files[url] = out;
    }),
  );
  // The rest of the tree: links to the originals, a directory that holds a compiled file made.
  const holds = new Set(Object.values(files).flatMap((f) => ancestors(relative(tree, f))));
  const link = (rel) => {
    for (const name of readdirSync(join(root, rel))) {
      const path = join(rel, name);
      if (path === '.git') continue;
      if (holds.has(path)) link(path);
      else if (!existsSync(join(tree, path)) && !(name.endsWith('.ts') && !name.endsWith('.d.ts')))
        symlinkSync(join(root, path), join(tree, path));
    }
  };
  link('');
  // Test files whose own process needs the hooks: one that imports a module by a computed
  // specifier (a .ts file by its URL) or registers hooks of its own. A file that failed to
  // compile: all of them (a test importing it fails with esbuild's message, as before).
  const hooked = new Set(failed > 0 ? sources : sources.filter((f) => needsHooks(f)));
  const manifest = join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ options, files }));
  // esbuild's service process would otherwise wait beside the whole run.
  await stop();
  return { manifest, tree, hooked, mirrored };

  /** A source file's compiled copy in the tree. */
  function mirrored(source) {
    return join(tree, relative(root, source).replace(/\.ts$/, '.js'));
  }
}

/** `a/b/c.js` → ['a', 'a/b']. */
function ancestors(rel) {
  const parts = rel.split(sep).slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join(sep));
}

/**
 * Whether a test file, or a module of test/ it imports, imports by a specifier computed at run
 * time or registers module hooks (a .ts file by its URL needs the run's hooks). src/ is left out:
 * its dynamic imports name their module literally (a source worker thread gets the hooks anyway).
 */
function needsHooks(file, seen = new Set()) {
  if (!file.endsWith('.test.ts') && seen.size === 0) return false;
  if (seen.has(file)) return false;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  if (/\bimport\(\s*[^'"\s)]/.test(code) || /\bregister\(/.test(code)) return true;
  for (const [, specifier] of code.matchAll(/(?:from|import)\s*\(?\s*'(\.\.?\/[^']+)'/g)) {
    const target = join(dirname(file), specifier.replace(/\.js$/, '.ts'));
    if (target.startsWith(join(root, 'test')) && existsSync(target) && needsHooks(target, seen))
      return true;
  }
  return false;
}
