/**
 * Worker threads for `validate` over many files: each worker reads and checks a batch, asks
 * for the next, and posts the diagnostics back. The same module is the worker's entry point
 * (it starts itself when loaded with our workerData), so the bundle needs no extra file.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { FileDiagnostics } from '../output/diagnostics-format.js';
import { DEFAULT_CATALOG, type Catalog } from '../profile/catalog.js';
import { CliError, ExitCode, describeSystemError } from '../errors.js';
import { checkProfileFile, readProfileFile, type FileCheckSettings } from './validate-file.js';

const WORKER_TAG = 'cisco-prov:validate-worker';
const BATCH = 32;

export interface WorkerSettings extends FileCheckSettings {
  /** A user catalog (merged); undefined means the built-in one. */
  catalog: Catalog | undefined;
}

type ToWorker = { paths: string[]; names: string[] } | { done: true };
type FromWorker = { results: FileDiagnostics[] } | { ioError: string };

/**
 * Checks files on `jobs` worker threads; results come back in input order.
 * @param paths absolute paths to read
 * @param names the names to show in diagnostics (as the user gave them)
 */
export function checkFilesInWorkers(
  paths: readonly string[],
  names: readonly string[],
  settings: WorkerSettings,
  jobs: number,
): Promise<FileDiagnostics[]> {
  return new Promise((resolvePromise, reject) => {
    const results: FileDiagnostics[] = [];
    let next = 0;
    let running = 0;
    let failed = false;
    const workers: Worker[] = [];
    const count = Math.max(1, Math.min(jobs, Math.ceil(paths.length / BATCH)));
    const feed = (worker: Worker): void => {
      if (next >= paths.length) {
        worker.postMessage({ done: true } satisfies ToWorker);
        return;
      }
      const end = Math.min(paths.length, next + BATCH);
      worker.postMessage({
        paths: paths.slice(next, end),
        names: names.slice(next, end),
      } satisfies ToWorker);
      next = end;
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { tag: WORKER_TAG, settings },
      });
      workers.push(worker);
      running++;
      worker.on('message', (message: FromWorker) => {
        if ('ioError' in message) {
          failed = true;
          for (const w of workers) void w.terminate();
          reject(new CliError(ExitCode.Failure, message.ioError));
          return;
        }
        for (const r of message.results) results.push(r);
        feed(worker);
      });
      worker.on('error', (err) => {
        if (failed) return;
        failed = true;
        for (const w of workers) void w.terminate();
        reject(err);
      });
      worker.on('exit', () => {
        running--;
        if (running === 0 && !failed) {
          if (results.length !== paths.length) {
            reject(
              new Error(`worker threads returned ${results.length} of ${paths.length} results`),
            );
            return;
          }
          const order = new Map(names.map((n, index) => [n, index]));
          results.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
          resolvePromise(results);
        }
      });
      feed(worker);
    }
  });
}

function runWorker(settings: WorkerSettings): void {
  const catalog = settings.catalog ?? DEFAULT_CATALOG;
  parentPort?.on('message', (message: ToWorker) => {
    if ('done' in message) {
      parentPort?.close();
      return;
    }
    const results: FileDiagnostics[] = [];
    for (let i = 0; i < message.paths.length; i++) {
      const path = message.paths[i] as string;
      const name = message.names[i] as string;
      let bytes: Uint8Array;
      try {
        bytes = readProfileFile(path);
      } catch (err) {
        parentPort?.postMessage({
          ioError: `cannot read ${describeSystemError(err, name)}`,
        } satisfies FromWorker);
        return;
      }
      results.push(checkProfileFile(name, bytes, catalog, settings));
    }
    parentPort?.postMessage({ results } satisfies FromWorker);
  });
}

if (!isMainThread && (workerData as { tag?: string } | null)?.tag === WORKER_TAG) {
  runWorker((workerData as { settings: WorkerSettings }).settings);
}
