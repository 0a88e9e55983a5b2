#!/usr/bin/env node
// The executable shim: CommonJS for start-up speed (see scripts/build.mjs). Each bundle in dist/
// is written as a function expression (CommonJS's module wrapper, applied by the build) and
// compiled here with V8's code cache (<bundle>.cache, made by the build after a warm-up run), so
// its functions are not parsed and compiled again at every start; without the cache, or with a
// cache another Node version made (V8 rejects it), it is compiled as usual.
'use strict';

/**
 * Node's built-in modules, for this file and the bundles (which require only those: everything
 * else is bundled), through process.getBuiltinModule (Node >= 20.16), not `require`: its first
 * call compiles the CommonJS loader's require path (the `require` closure,
 * Module.prototype.require, the built-in branch of Module._load), which nothing else on the
 * one-shot path runs, while getBuiltinModule is what the bundle's node:crypto look-up compiles
 * anyway. Callgrind, medians of 5: a one-shot `encrypt -o` over an existing file 102.65 ->
 * 102.24 M instructions (issue 12). Anything else still goes to `require`.
 */
const builtin = (id) => process.getBuiltinModule?.(id) ?? require(id);
const fs = builtin('node:fs');
const vm = builtin('node:vm');

// dist/ beside bin/, joined by hand: not require.resolve (it reads package.json files), nor
// path.join (it and path.normalize would be compiled for these joins alone; the writer joins its
// temp names by hand too: ~0.3 M instructions of a one-shot start). __dirname is absolute,
// normalized and ends in `bin`; the character before that is the separator.
const sep = __dirname[__dirname.length - 4];
const dist = `${__dirname.slice(0, -3)}dist`;

/**
 * A code cache file's bytes, or undefined when there is none (or it cannot be read: the bundle
 * is then compiled from its text alone). Read with open, read and close into a buffer of
 * CACHE_LIMIT, not readFileSync: those three are the calls the one-shot path reads its input
 * with, while readFileSync's binary path (its fstat, buffer and read helpers) would be compiled
 * for this one read (callgrind, interleaved medians of 10: a one-shot `encrypt -o` over an
 * existing file 102.37 -> 102.25 M instructions, issue 12). A cache that fills the buffer (the
 * full CLI's) is read on from there by readFileSync of the descriptor.
 *
 * CACHE_LIMIT is 64 KiB, room for the one-shot bundle's cache (≈ 48 KB), not 1 MiB: a buffer of
 * 1 MiB is mapped afresh, and each page the read fills is a page fault, which costs 5–20 µs on
 * this project's VMs (Firecracker, free pages handed back to the host) and which instruction
 * counts do not show; 64 KiB comes from memory the process has touched already. /usr/bin/time,
 * a one-shot `encrypt -o`: 2,140 -> 2,129 minor faults; callgrind unchanged (issue 12).
 */
function readCache(path) {
  let fd;
  try {
    fd = fs.openSync(path, 'r');
    const buffer = Buffer.allocUnsafe(CACHE_LIMIT);
    let length = 0;
    for (let n; length < CACHE_LIMIT; length += n) {
      n = fs.readSync(fd, buffer, length, CACHE_LIMIT - length, null);
      if (n === 0) return buffer.subarray(0, length);
    }
    return Buffer.concat([buffer, fs.readFileSync(fd)]);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
const CACHE_LIMIT = 1 << 16;

/** The exports of dist/<name>, compiled from its code cache when there is one. */
function load(name) {
  const file = `${dist}${sep}${name}`;
  const cachedData = readCache(`${file}.cache`);
  // Where the bundles are, for a worker the CLI starts early (src/io/early-workers.ts).
  globalThis.__ciscoProvDist ??= dist;
  // The bundle's chunks (see scripts/build.mjs): imported from here, where import() works.
  globalThis.__ciscoProvImport ??= (specifier) =>
    import(require('node:url').pathToFileURL(require('node:path').join(dist, specifier)).href);
  // 'utf8': Node reads it in one native call (no Buffer, no encoding look-up in JS: ~0.15 ms
  // less than 'latin1' for the one-shot bundle); the build writes ASCII, so the text is a
  // one-byte string either way.
  const script = new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file, cachedData });
  const bundle = { exports: {} };
  // This file's look-up of built-in modules as the bundles' require: they require Node's
  // built-in modules only, and createRequire would load node:module and the ESM loader.
  script.runInThisContext()(bundle.exports, builtin, bundle, file, dist);
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
  const cli = load('cli.cjs');
  cli.exitWith(await cli.main(argv));
}

run(process.argv.slice(2));
