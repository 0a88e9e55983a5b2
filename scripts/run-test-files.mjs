// The test run proper, started by scripts/run-tests.mjs with the loader's flags (the test files'
// processes get this process's execArgv): node:test's run() over the files named on the command
// line, in that order. `node --test <files>` would sort them by name (Node 20 globs and sorts its
// arguments), which undid run-tests.mjs's longest-first order.
// Environment: TEST_CONCURRENCY (files at a time), TEST_FILE_TIMEOUT_MS (a file still running
// then fails, and node:test ends its process), TEST_TIMES (where to write each file's seconds).
import { writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';

const files = process.argv.slice(2);
const root = process.cwd();
// A file run from scripts/run-tests.mjs's compiled tree is reported under its source's name.
const tree = process.env.CISCO_PROV_TEST_TREE;
/** A test file's source: <tree>/test/x.test.js → <root>/test/x.test.ts. */
const source = (file) =>
  tree !== undefined && file?.startsWith(tree + sep)
    ? join(root, relative(tree, file)).replace(/\.js$/, '.ts')
    : file;
/** The event with its file named by its source (the file's own test is named after it). */
function named(event) {
  const data = event.data;
  if (data?.file === undefined || source(data.file) === data.file) return event;
  const file = source(data.file);
  return { ...event, data: { ...data, file, name: data.name === data.file ? file : data.name } };
}
const stream = run({
  files,
  concurrency: Number(process.env.TEST_CONCURRENCY ?? 2),
  timeout: Number(process.env.TEST_FILE_TIMEOUT_MS ?? Infinity),
});
/** Each file's wall time in seconds, from its process's start to its end. */
const seconds = {};
stream.on('test:complete', ({ file, name, nesting, details }) => {
  // A file's own entry: the top-level test named after the file.
  if (nesting === 0 && file !== undefined && name === file) {
    seconds[relative(root, source(file))] = Math.round(details.duration_ms / 100) / 10;
  }
});
stream.on('test:fail', ({ todo }) => {
  if (todo === undefined || todo === false) process.exitCode = 1;
});
// node --test's own default reporter: spec on a terminal, else TAP.
stream
  .map(named)
  .compose(process.stdout.isTTY ? new spec() : tap)
  .pipe(process.stdout);
process.on('exit', () => {
  if (process.env.TEST_TIMES) writeFileSync(process.env.TEST_TIMES, JSON.stringify(seconds));
});
