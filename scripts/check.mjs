// The static checks of `npm test`, two at a time: each is one single-threaded Node process, so
// run one after another they leave the second core idle (on the 2-core CI machine, ~half of
// their wall time). Each check's output is printed whole when it ends, under its name; the exit
// code is 1 when any check failed (every check still runs, so one run names every failure).
// Usage: node scripts/check.mjs — CHECK_CONCURRENCY overrides the 2.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/${name}`, import.meta.url));

// The type-check and the library's .d.ts files (dist/types, which `node scripts/build.mjs` writes
// unless given --no-types, as npm test builds) are one tsc run: tsconfig.json's whole program,
// declarations emitted to a temporary directory, then its src/ copied to dist/types/src — the
// files `tsc -p tsconfig.types.json` writes, byte for byte (compared at 22:55 UTC). Two runs
// type-checked src twice: 17 + 15 s of CPU against 24 s for the one.
const declarations = mkdtempSync(join(tmpdir(), 'cisco-prov-types-'));

/**
 * Longest first (CPU seconds measured on the shared machine at 20:15 UTC, so the two lanes end
 * together): tsc 24 (22:55), prettier 22, eslint 19, knip 6.
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
  ['lint (eslint .)', [bin('eslint/bin/eslint.js'), '.']],
  ['lint:dead (knip)', [bin('knip/bin/knip.js')]],
];

function run([name, args, after]) {
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
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      let ok = code === 0;
      if (ok && after) {
        try {
          after();
        } catch (error) {
          output.push(Buffer.from(`${error.message}\n`));
          ok = false;
        }
      }
      process.stdout.write(
        `\n> ${name}: ${ok ? 'ok' : `FAILED (${signal ?? code})`}, ${seconds} s\n`,
      );
      process.stdout.write(Buffer.concat(output));
      resolve(ok);
    });
  });
}

const concurrency = Number(process.env.CHECK_CONCURRENCY ?? 2);
const queue = [...CHECKS];
const failed = [];
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      if (!(await run(check))) failed.push(check[0]);
    }
  }),
);
rmSync(declarations, { recursive: true, force: true });
if (failed.length > 0) {
  console.error(`\ncheck: ${failed.length} failed: ${failed.join('; ')}`);
  process.exit(1);
}
