/**
 * The entry of a worker started by the CLI before the command's chunks are loaded
 * (dist/esm/worker.js, see early-workers.ts): the worker side of worker-pool.ts runs when the
 * module is evaluated in a worker.
 */
import './worker-pool.js';
