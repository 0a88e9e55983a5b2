#!/usr/bin/env node
// The executable shim: CommonJS for start-up speed (see scripts/build.mjs). Each bundle in dist/
// is written as a function expression (CommonJS's module wrapper, applied by the build) and
// compiled here with V8's code cache (<bundle>.cache, made by the build after a warm-up run), so
// its functions are not parsed and compiled again at every start; without the cache, or with a
// cache another Node version made (V8 rejects it), it is compiled as usual.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const vm = require('node:vm');

// Plain joins, not require.resolve: resolving reads package.json files (start-up).
const dist = path.join(__dirname, '..', 'dist');

/** The exports of dist/<name>, compiled from its code cache when there is one. */
function load(name) {
  const file = path.join(dist, name);
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    // No cache: compiled from the text alone.
  }
  // The bundle's chunks (see scripts/build.mjs): imported from here, where import() works.
  globalThis.__ciscoProvImport ??= (specifier) =>
    import(require('node:url').pathToFileURL(path.join(dist, specifier)).href);
  // 'utf8': Node reads it in one native call (no Buffer, no encoding look-up in JS: ~0.15 ms
  // less than 'latin1' for the one-shot bundle); the build writes ASCII, so the text is a
  // one-byte string either way.
  const script = new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file, cachedData });
  const bundle = { exports: {} };
  // This file's own require: the bundles require Node's built-in modules only (everything else
  // is bundled), and createRequire would load node:module and the ESM loader (start-up).
  script.runInThisContext()(bundle.exports, require, bundle, file, dist);
  return bundle.exports;
}

/**
 * `encrypt` in its plainest forms runs without commander (dist/oneshot.cjs; src/cli-oneshot.ts
 * says which argv it takes), streaming from dist/oneshot-stream.cjs only when it must (stdin, a
 * large or non-regular file); every other argv, and those it declines, run in the full CLI.
 */
async function run(argv) {
  if (argv[0] === 'encrypt') {
    const oneShot = load('oneshot.cjs');
    const code = await oneShot.main(argv, () => load('oneshot-stream.cjs'));
    if (code !== undefined) return oneShot.exitWith(code);
  }
  process.exitCode = await load('cli.cjs').main(argv);
}

run(process.argv.slice(2));
