// The static checks of `npm test`, two at a time: each is one single-threaded Node process, so
// run one after another they leave the second core idle (on the 2-core CI machine, ~half of
// their wall time). Each check's output is printed whole when it ends, under its name; the exit
// code is 1 when any check failed (every check still runs, so one run names every failure).
// Usage: node scripts/check.mjs [--tests [run-tests arguments…]] — CHECK_CONCURRENCY overrides
// the 2; with --tests (what npm test runs) the tests run beside the checks (below).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/${name}`, import.meta.url));

// The type-check and the library's .d.ts files (dist/types, which `node scripts/build.mjs` writes
// unless given --no-types, as npm test builds) are one tsc run: tsconfig.json's whole program,
// declarations emitted to a temporary directory, then its src/ copied to dist/types/src — the
// files `tsc -p tsconfig.types.json` writes, byte for byte (compared at 22:55 UTC). Two runs
// type-checked src twice: 17 + 15 s of CPU against 24 s for the one.
const declarations = mkdtempSync(join(tmpdir(), 'cisco-prov-types-'));

// eslint's results go to a file as JSON (printed here in its stylish format when it found
// anything), so that test/unit/boundary.test.ts, with --tests, reads the lint of src/'s core from
// them instead of linting those 94 files a second time (~7-10 s of CPU): LINT_DONE is written
// once eslint has ended, whatever its outcome, and the test lints for itself when the results
// are not there.
const lint = mkdtempSync(join(tmpdir(), 'cisco-prov-lint-'));
const LINT_RESULTS = join(lint, 'eslint.json');
const LINT_DONE = join(lint, 'done');

/**
 * Longest first (CPU seconds measured on the shared machine at 20:15 UTC, so the two lanes end
 * together): tsc 24 (22:55), prettier 22, eslint 19, knip 6. tsc comes first also because with
 * --tests the tests wait for it (the first check here).
 */
const CHECKS = [
  [
    'typecheck and types (tsc --emitDeclarationOnly)',
    [
      bin('typescript/bin/tsc'),
      '--noEmit',
      'false',
      '--emitDeclarationOnly',
      '--outDir',
      declarations,
    ],
    () => cpSync(join(declarations, 'src'), join(root, 'dist/types/src'), { recursive: true }),
  ],
  ['format:check (prettier --check .)', [bin('prettier/bin/prettier.cjs'), '--check', '.']],
  [
    'lint (eslint .)',
    [bin('eslint/bin/eslint.js'), '.', '--format', 'json', '--output-file', LINT_RESULTS],
    undefined,
    lintReport,
    () => writeFileSync(LINT_DONE, ''),
  ],
  ['lint:dead (knip)', [bin('knip/bin/knip.js')]],
];

/** eslint's results in its default (stylish) format: '' when it found nothing. */
async function lintReport() {
  if (!existsSync(LINT_RESULTS)) return '';
  const results = JSON.parse(readFileSync(LINT_RESULTS, 'utf8'));
  if (!results.some((r) => r.messages.length > 0)) return '';
  const { ESLint } = await import(pathToFileURL(bin('eslint/lib/api.js')).href);
  const formatter = await new ESLint({ cwd: root }).loadFormatter('stylish');
  return formatter.format(results);
}

/**
 * Runs one check: `after` when it passed (its failure fails the check), `report` (text added to
 * its output) and `ended` whatever the outcome.
 */
function run([name, args, after, report, ended]) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
    });
    const output = [];
    child.stdout.on('data', (c) => output.push(c));
    child.stderr.on('data', (c) => output.push(c));
    child.on('error', (error) => {
      output.push(Buffer.from(`${error.message}\n`));
    });
    child.on('close', async (code, signal) => {
      ended?.();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      let ok = code === 0;
      if (report) {
        try {
          output.push(Buffer.from(await report()));
        } catch (error) {
          output.push(Buffer.from(`${error.message}\n`));
          ok = false;
        }
      }
      if (ok && after) {
        try {
          after();
        } catch (error) {
          output.push(Buffer.from(`${error.message}\n`));
          ok = false;
        }
      }
      say(`\n> ${name}: ${ok ? 'ok' : `FAILED (${signal ?? code})`}, ${seconds} s\n`);
      say(Buffer.concat(output));
      resolve(ok);
    });
  });
}

const concurrency = Number(process.env.CHECK_CONCURRENCY ?? 2);
// --tests (npm test): once tsc has written dist/types (test/library/ checks the shipped .d.ts),
// scripts/run-tests.mjs starts, with what follows --tests as its arguments, and the checks left
// go on one at a time beside its two test files: the tests spend part of their time waiting (for
// servers, timers, the CLI's output), and the checks fill those gaps instead of running first,
// alone. The tests' output streams as it comes; the checks' reports then wait for the tests' end.
const testsAt = process.argv.indexOf('--tests');
const withTests = testsAt !== -1;
const testArgs = withTests ? process.argv.slice(testsAt + 1) : [];
const queue = [...CHECKS];
const failed = [];
let limit = concurrency;
let active = 0;
/** null until the tests start; then their exit code, once they end. */
let tests = null;
const deferred = [];
const say = (text) => (tests === null ? process.stdout.write(text) : deferred.push(text));

await new Promise((resolve) => {
  const pump = () => {
    while (active < limit && queue.length > 0) {
      const check = queue.shift();
      active++;
      run(check).then((ok) => {
        active--;
        if (!ok) failed.push(check[0]);
        if (withTests && tests === null && check === CHECKS[0]) startTests();
        pump();
        if (active === 0 && queue.length === 0) resolve();
      });
    }
  };
  pump();
});
if (tests !== null) {
  const code = await tests;
  for (const text of deferred) process.stdout.write(text);
  if (code !== 0) failed.push(`tests (run-tests.mjs: ${code})`);
}
rmSync(declarations, { recursive: true, force: true });
rmSync(lint, { recursive: true, force: true });
if (failed.length > 0) {
  console.error(`\ncheck: ${failed.length} failed: ${failed.join('; ')}`);
  process.exit(1);
}

function startTests() {
  limit = Number(process.env.CHECK_CONCURRENCY_WITH_TESTS ?? 1);
  const child = spawn(process.execPath, [join(root, 'scripts/run-tests.mjs'), ...testArgs], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      CISCO_PROV_TEST_LINT: LINT_RESULTS,
      CISCO_PROV_TEST_LINT_DONE: LINT_DONE,
    },
  });
  tests = new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? signal));
  });
}
