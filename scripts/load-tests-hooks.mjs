// Module hooks for the test run (registered by scripts/load-tests.mjs). A .ts module that
// scripts/run-tests.mjs compiled before the run loads from its compiled copy, under its own .ts
// URL (so import.meta.url, the fixtures beside it and stack traces name the source); a .ts or
// .mts file that was not there then (one a test writes) is compiled here, with the same options.
// Everything else goes to the next hooks (Node's own, or tsx's when a test registers it).
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The .ts file's URL → its compiled file's path. */
let compiled = new Map();
/** esbuild's transform options, as run-tests.mjs compiled with them. */
let options;

export function initialize(data) {
  const manifest = JSON.parse(readFileSync(data.manifest, 'utf8'));
  compiled = new Map(Object.entries(manifest.files));
  options = manifest.options;
}

const TS = /\.m?ts$/;

export async function resolve(specifier, context, next) {
  // TypeScript's NodeNext imports name the .js the file compiles to: `./x.js` for `./x.ts`.
  const relativeJs =
    context.parentURL !== undefined &&
    /\.m?js$/.test(specifier) &&
    (specifier.startsWith('./') || specifier.startsWith('../'));
  if (relativeJs) {
    const url = new URL(specifier.replace(/js$/, 'ts'), context.parentURL).href;
    if (compiled.has(url)) return { url, format: 'module', shortCircuit: true };
  }
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!relativeJs || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    const url = new URL(specifier.replace(/js$/, 'ts'), context.parentURL);
    if (!existsSync(url)) throw error;
    return { url: url.href, format: 'module', shortCircuit: true };
  }
}

export async function load(url, context, next) {
  const file = compiled.get(url);
  if (file !== undefined) {
    return { format: 'module', source: await readFile(file), shortCircuit: true };
  }
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return next(url, context);
  const path = fileURLToPath(url);
  const { transform } = await import('esbuild');
  const { code } = await transform(await readFile(path, 'utf8'), {
    ...options,
    sourcefile: path.slice(path.lastIndexOf('/') + 1),
  });
  return { format: 'module', source: code, shortCircuit: true };
}
