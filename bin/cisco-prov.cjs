#!/usr/bin/env node
// The executable shim: CommonJS for start-up speed (see scripts/build.mjs). dist/cli.cjs is the
// bundle as a function expression (CommonJS's module wrapper, applied by the build), compiled
// here with V8's code cache (dist/cli.cjs.cache, made by the build after a warm-up run), so its
// functions are not parsed and compiled again at every start; without the cache, or with a
// cache another Node version made (V8 rejects it), it is compiled as usual.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const vm = require('node:vm');

// A plain join, not require.resolve: resolving reads package.json files (start-up).
const file = path.join(__dirname, '..', 'dist', 'cli.cjs');

/** The bundle's exports, compiled from the code cache when there is one. */
function loadCli() {
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    // No cache: compiled from the text alone.
  }
  // The bundle's chunks (see scripts/build.mjs): imported from here, where import() works.
  globalThis.__ciscoProvImport = (specifier) =>
    import(require('node:url').pathToFileURL(path.join(path.dirname(file), specifier)).href);
  // The build writes the bundle in ASCII, so latin1 reads it as UTF-8 would, without UTF-8
  // decoding (start-up), into a one-byte string.
  const script = new vm.Script(fs.readFileSync(file, 'latin1'), { filename: file, cachedData });
  const cliModule = { exports: {} };
  script.runInThisContext()(
    cliModule.exports,
    require('node:module').createRequire(file),
    cliModule,
    file,
    path.dirname(file),
  );
  return cliModule.exports;
}

loadCli()
  .main(process.argv.slice(2))
  .then((code) => (process.exitCode = code));
