/**
 * The entry of validate's worker started by the CLI before the command's chunks are loaded
 * (dist/worker.cjs, see early-workers.ts): the worker side of worker-pool.ts runs when the
 * bundle is evaluated in a worker. warmValidate is what the build runs once before it takes the
 * bundle's code cache (scripts/code-cache.mjs), so the cache holds the checks compiled.
 */
export { warmValidate } from './worker-pool.js';
