// Build, shaped by start-up cost (shell loops run cisco-prov once per phone):
// - dist/cli.cjs: one CommonJS bundle with commander and the one-shot commands (encrypt,
//   decrypt, keygen) inlined, written inside CommonJS's module wrapper for bin/cisco-prov.cjs to
//   compile with its code cache (not for require()). CommonJS loads faster than ESM on Node 20,
//   and nothing else is parsed for those commands.
// - dist/esm/*.js + dist/chunks/: ESM with code splitting for the batch commands (render,
//   validate, inspect, models): cli.cjs import()s them only when asked. Their worker threads
//   start from their own chunk (import.meta.url), which needs ESM; but validate's early worker,
//   started before the command loads, runs dist/worker.cjs (CommonJS, with its code cache).
// - dist/index.js: the library entry (ESM, its npm dependencies left as imports), plus .d.ts
//   files. The CLI bundles everything it uses, so what only the CLI, the tests or the
//   benchmarks need is a devDependency.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Code-split output is named by hash and by entry: clear it, so no stale chunk or old entry
// (a renamed command) is left for a test or a user to load.
for (const dir of ['dist/esm', 'dist/chunks'])
  rmSync(join(root, dir), { recursive: true, force: true });

/** cli.ts imports these lazily; they are bundled into cli.cjs itself. */
const INLINE = new Set([
  './commands/encrypt.js',
  './commands/decrypt.js',
  './commands/keygen.js',
  './output/emit.js',
  './output/failure.js',
  './io/writer.js',
  './output/decrypt-format.js',
  './crypto/backend.js',
]);

/** cli.ts imports these lazily from the ESM build: dist/esm/<name>.js. */
const ESM_COMMANDS = {
  render: 'src/commands/render.ts',
  'render-format': 'src/output/render-format.ts',
  progress: 'src/output/progress.ts',
  validate: 'src/commands/validate.ts',
  'validate-workers': 'src/commands/validate-workers.ts',
  'diagnostics-format': 'src/output/diagnostics-format.ts',
  inspect: 'src/commands/inspect.ts',
  'inspect-format': 'src/output/inspect-format.ts',
  models: 'src/commands/models.ts',
  'crypto-batch': 'src/commands/crypto-batch.ts',
  serve: 'src/commands/serve.ts',
  diff: 'src/commands/diff.ts',
  'diff-format': 'src/output/diff-format.ts',
  convert: 'src/commands/convert.ts',
  drift: 'src/commands/drift.ts',
  'drift-format': 'src/output/drift-format.ts',
  fleet: 'src/commands/fleet.ts',
  'backend-noble': 'src/crypto/backend-noble.ts',
  rule: 'src/commands/rule.ts',
  'rule-format': 'src/output/rule-format.ts',
  fetch: 'src/commands/fetch.ts',
  'fetch-format': 'src/output/fetch-format.ts',
  param: 'src/commands/param.ts',
  'param-format': 'src/output/param-format.ts',
};

/**
 * The CLI bundles inline the packages src/lazy-deps.ts loads on first use: without its
 * createRequire line, each `require('…')` there is esbuild's own (the package bundled, evaluated
 * at the first call, as in the library).
 */
const bundledRequire = {
  name: 'bundled-require',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]lazy-deps\.ts$/ }, (args) => ({
      contents: lazyDepsWithoutCreateRequire(args.path),
      loader: 'ts',
    }));
  },
};

/** src/lazy-deps.ts without its createRequire line: its `require`s are then the bundle's own. */
function lazyDepsWithoutCreateRequire(path) {
  const text = readFileSync(path, 'utf8');
  const line = 'const require = createRequire(import.meta.url);';
  if (!text.includes(line)) throw new Error(`build: no "${line}" in ${path}`);
  return text.replace(line, '');
}

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // NO_MINIFY=1 keeps names readable for a CPU profile.
  minify: !process.env.NO_MINIFY,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

/** The CommonJS files of dist/: `<entry>.cjs`. */
const commonCjs = { ...common, outdir: 'dist', format: 'cjs', outExtension: { '.js': '.cjs' } };

/**
 * The built-in catalog as data: src/profile/catalog-data/index.ts assembles ≈ 1,200 entries from
 * ≈ 190 KB of object literals (guides, export evidence, corrections) at every load, in every
 * thread. The bundles get its result instead, as JSON.parse of one single-quoted string: V8
 * scans such a literal fast and parses JSON faster than it compiles and runs the same literals.
 * Importing the module, 5 runs each: the literals 38–58 ms, JSON in a single-quoted string
 * 24–26 ms (a template literal, which esbuild's minifier would choose for a string full of
 * double quotes, 30–53 ms: so the bundles hold a placeholder, replaced after the build; issue
 * 12). The source stays the truth: the data are what its own code assembles here, once per
 * build (test/cli/perf12.test.ts holds the library bundle's catalog equal to the source's).
 */
async function catalogAsJson() {
  const assembled = await build({
    ...common,
    entryPoints: ['src/profile/catalog-data/index.ts'],
    format: 'esm',
    write: false,
    minify: false,
  });
  const { DEFAULT_CATALOG } = await import(
    `data:text/javascript;base64,${Buffer.from(assembled.outputFiles[0].text).toString('base64')}`
  );
  // ASCII, with what a single-quoted literal must escape escaped (JSON escapes control
  // characters and '"' itself).
  const literal = `'${JSON.stringify(DEFAULT_CATALOG)
    .replace(/[\\']/g, (c) => `\\${c}`)
    .replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
  return {
    plugin: {
      name: 'catalog-as-json',
      setup(b) {
        b.onLoad({ filter: /[\\/]src[\\/]profile[\\/]catalog-data[\\/]index\.ts$/ }, () => ({
          contents:
            "import type { CatalogEntry } from '../catalog.js';\n" +
            `declare const ${CATALOG_PLACEHOLDER}: string;\n` +
            `export const DEFAULT_CATALOG: readonly CatalogEntry[] = JSON.parse(${CATALOG_PLACEHOLDER});\n`,
          loader: 'ts',
          resolveDir: join(root, 'src/profile/catalog-data'),
        }));
      },
    },
    /** Puts the catalog's literal in place of the placeholder in each built file holding it. */
    inject(files) {
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        const parts = text.split(CATALOG_PLACEHOLDER);
        if (parts.length === 1) continue;
        if (parts.length !== 2) throw new Error(`build: the catalog placeholder twice in ${file}`);
        writeFileSync(file, parts[0] + literal + parts[1]);
      }
    },
  };
}
const CATALOG_PLACEHOLDER = '__ciscoProvCatalogJson';
const REQUIRE_BANNER =
  "import { createRequire as __cpCreateRequire } from 'node:module'; const require = __cpCreateRequire(import.meta.url);";
const catalogData = await catalogAsJson();

// The library entry: one ESM file whose runtime dependencies stay external (they are the
// package's `dependencies`; test/unit/package-truth.test.ts holds the two lists equal).
const library = await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  format: 'esm',
  packages: 'external',
  plugins: [catalogData.plugin],
  metafile: true,
  // Readable, not minified: a library user's stack traces name our functions (`at openProfile`,
  // not `at Br`), Node shows the line that threw (not 8 KB of one minified line), and classes
  // keep their names (`err.constructor.name` is DecryptError, not `q`).
  minify: false,
  keepNames: true,
});

/** The packages src/lazy-deps.ts requires: the specifiers of its `require('…')` calls. */
const LAZY_DEPS = [
  ...readFileSync(join(root, 'src/lazy-deps.ts'), 'utf8').matchAll(/\brequire\('([^']+)'\)/g),
].map((m) => m[1]);
/** A package's own file among the ESM build's chunks: `@noble/hashes/sha2.js` → deps/noble-hashes-sha2.cjs. */
const depFile = (specifier) =>
  `deps/${specifier
    .replace(/^@/, '')
    .replace(/\.js$/, '')
    .replace(/[^a-z0-9]+/gi, '-')}.cjs`;

/**
 * The ESM build (the commands' chunks) gives each of those packages a file of its own,
 * dist/chunks/deps/<package>.cjs, required from there on first use: bundled into the chunk that
 * holds lazy-deps, they were 377 KB of JavaScript that every command importing it parsed —
 * ≈ 45 ms of CPU for a chalk that `validate` does not even call without colour, in each thread.
 * (The CommonJS bundles keep them inline: the shim compiles those from V8's code cache.)
 */
const depsOwnFiles = {
  name: 'deps-own-files',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]lazy-deps\.ts$/ }, (args) => {
      // The chunk's banner defines `require` (Node's, relative to the chunk).
      const contents = lazyDepsWithoutCreateRequire(args.path).replace(
        /\brequire\('([^']+)'\)/g,
        (_, specifier) => `require('./${depFile(specifier)}')`,
      );
      return { contents, loader: 'ts' };
    });
    b.onResolve({ filter: /^\.\/deps\// }, (args) => ({ path: args.path, external: true }));
  },
};

await build({
  ...commonCjs,
  entryPoints: Object.fromEntries(
    LAZY_DEPS.map((specifier) => [`chunks/${depFile(specifier).replace(/\.cjs$/, '')}`, specifier]),
  ),
});

await build({
  ...common,
  entryPoints: {
    ...Object.fromEntries(Object.entries(ESM_COMMANDS).map(([name, src]) => [`esm/${name}`, src])),
  },
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [depsOwnFiles, catalogData.plugin],
  // CommonJS dependencies inside an ESM bundle call require(): give them one.
  banner: { js: REQUIRE_BANNER },
});

// The banner only where `require` is used: elsewhere it was an import of node:module and a
// createRequire call (its path look-ups) per module, ≈ 20 in each thread of a validate run,
// for a function nothing calls (≈ 2–4 ms of start-up per thread, issue 12).
for (const dir of ['esm', 'chunks']) {
  for (const name of readdirSync(join(root, 'dist', dir))) {
    if (!name.endsWith('.js')) continue;
    const file = join(root, 'dist', dir, name);
    const text = readFileSync(file, 'utf8');
    if (!text.startsWith(REQUIRE_BANNER)) throw new Error(`build: no banner in ${file}`);
    if (!/\brequire\b/.test(text.slice(REQUIRE_BANNER.length))) {
      writeFileSync(file, text.slice(REQUIRE_BANNER.length).replace(/^\n/, ''));
    }
  }
}

await build({
  ...commonCjs,
  // oneshot: `encrypt` in its plainest forms, without commander (src/cli-oneshot.ts); the shim
  // runs it first for `encrypt` and falls back to cli.cjs for any other argv. oneshot-stream:
  // its streamed path (stdin, a large file), loaded by the shim only when oneshot asks for it.
  entryPoints: {
    cli: 'src/cli.ts',
    oneshot: 'src/cli-oneshot.ts',
    'oneshot-stream': 'src/cli-oneshot-stream.ts',
  },
  plugins: [
    bundledRequire,
    catalogData.plugin,
    {
      name: 'cli-split',
      setup(b) {
        // cli.ts's lazy imports: inline the one-shot commands, send the rest to dist/esm/.
        b.onResolve({ filter: /^\.\/(commands|output|crypto)\// }, (args) => {
          if (!args.importer.endsWith('cli.ts') || INLINE.has(args.path)) return undefined;
          const name = args.path.replace(/^.*\//, '').replace(/\.js$/, '');
          if (!(name in ESM_COMMANDS)) {
            throw new Error(`build: ${args.path} is neither inlined nor an ESM command entry`);
          }
          return { path: `./esm/${name}.js`, external: true };
        });
        // commander requires node:child_process (for executable subcommands, which we don't
        // use) at load time; that costs ~3 ms of start-up. Load it only if ever touched.
        b.onResolve({ filter: /^node:child_process$/ }, (args) =>
          args.importer.includes('commander')
            ? { path: 'lazy', namespace: 'child-process' }
            : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'child-process' }, () => ({
          contents:
            "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
          loader: 'js',
        }));
      },
    },
  ],
});

// validate's early worker (src/io/early-workers.ts): the worker side of the pool and the checks
// in one CommonJS bundle, compiled from its code cache in the worker as the shim compiles the
// CLI's, without Node's ESM loader. The pool's main-thread side (its import.meta.url, for
// starting workers) comes along unused.
await build({
  ...commonCjs,
  entryPoints: { worker: 'src/io/worker-entry.ts' },
  plugins: [
    bundledRequire,
    catalogData.plugin,
    {
      // A validate worker never renders nor runs a crypto batch: the pool's import()s of those
      // (never run here) get a module that says so, not the template engine and the batch.
      name: 'validate-worker-only',
      setup(b) {
        b.onResolve(
          { filter: /\/(render\/device-renderer|commands\/crypto-batch)\.js$/ },
          (args) => ({
            path: args.path,
            namespace: 'not-in-validate-worker',
          }),
        );
        b.onLoad({ filter: /.*/, namespace: 'not-in-validate-worker' }, (args) => ({
          contents: `throw new Error('the validate worker has no ${args.path}');`,
          loader: 'js',
        }));
      },
    },
  ],
  logOverride: { 'empty-import-meta': 'silent' },
});

// Every built JavaScript file: the catalog's literal where its placeholder is.
catalogData.inject(
  [
    ...readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(c?js)$/.test(f),
    ),
  ].map((f) => join(root, 'dist', f)),
);

// The bin shim compiles the three bundles through vm.Script with V8's code cache; on
// Node 20 a script compiled from a code cache loses its dynamic-import callback ("A dynamic
// import callback was not specified"). So the bundle's import()s of its ESM chunks go through a
// function the shim provides (a plain import() where none is given).
for (const name of ['cli.cjs', 'oneshot.cjs', 'oneshot-stream.cjs', 'worker.cjs']) {
  const cli = join(root, 'dist', name);
  const text = readFileSync(cli, 'utf8');
  const rewritten = text.replaceAll('import("./esm/', '__cpImport("./esm/');
  // The worker's bundle holds the pool's bootstrap for a worker from source as text (its
  // `import('tsx/esm/api')`, never run in the worker): only a call of import() counts there.
  const imports = name === 'worker.cjs' ? /\bimport\((?![`'$])/ : /\bimport\(/;
  if (imports.test(rewritten))
    throw new Error(`build: an import() in ${name} that the shim cannot serve`);
  const strict = '"use strict";';
  const body = rewritten.startsWith(strict) ? rewritten.slice(strict.length) : rewritten;
  // ASCII only: the text the shim reads is then a one-byte string for V8. esbuild
  // escapes non-ASCII in code (charset 'ascii'); what remains is in comments (NO_MINIFY), where
  // a \u escape changes nothing.
  const ascii = body.replace(
    /[^\0-\x7f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  // Written as the function expression the shim compiles (CommonJS's wrapper, applied here
  // once): the shim passes the file's text to V8 as it is read, with no copy into a wrapper
  // string at every start (a copy of the bundle is 100+ KB of young heap: start-up pays for it
  // in a scavenge).
  writeFileSync(
    cli,
    `(function (exports, require, module, __filename, __dirname) {${strict}var __cpImport=globalThis.__ciscoProvImport??(s=>import(s));${ascii}\n})`,
  );
}

// V8's code cache for both bundles, read by bin/cisco-prov.cjs (start-up: see the shim).
// Its stdout is /dev/null: the warm-up writes one-shot output there (see code-cache.mjs).
execFileSync(process.execPath, ['scripts/code-cache.mjs'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.types.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}

// What the library entry imports from npm: printed with --deps (see package-truth.test.ts).
if (process.argv.includes('--deps')) {
  const packages = new Set();
  for (const output of Object.values(library.metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && !imported.path.startsWith('node:')) {
        packages.add(
          imported.path
            .split('/')
            .slice(0, imported.path.startsWith('@') ? 2 : 1)
            .join('/'),
        );
      }
    }
  }
  console.log(JSON.stringify([...packages].sort()));
}
