#!/usr/bin/env node
// The executable shim: CommonJS for start-up speed (see scripts/build.mjs).
require('../dist/cli.cjs')
  .main(process.argv.slice(2))
  .then((code) => (process.exitCode = code));
