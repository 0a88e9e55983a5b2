/**
 * Rendering on several cores: worker_threads, each with its own DeviceRenderer (templates parsed
 * once per worker). The main thread streams jobs in small batches and keeps at most two batches
 * in flight per worker, so memory stays flat however large the inventory: outputs go straight
 * to disk from the workers and only a small status comes back.
 *
 * The worker runs this same module: whatever file it is bundled into, `import.meta.url` names
 * it, and the check below starts the worker loop when it is loaded that way.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  DeviceRenderer,
  type RenderJob,
  type RenderJobResult,
  type RendererSettings,
} from './device-renderer.js';

const WORKER_KIND = 'cisco-prov-render-worker';

interface WorkerData {
  kind: typeof WORKER_KIND;
  settings: RendererSettings;
}

if (!isMainThread && parentPort && (workerData as WorkerData | undefined)?.kind === WORKER_KIND) {
  const port = parentPort;
  let renderer: DeviceRenderer | undefined;
  port.on('message', (batch: RenderJob[]) => {
    renderer ??= new DeviceRenderer((workerData as WorkerData).settings);
    // Batches may overlap: one renders while the previous one's writes finish.
    renderer.processBatch(batch).then(
      (results) => port.postMessage(results),
      (err: unknown) =>
        port.postMessage(
          batch.map((job): RenderJobResult => ({
            id: job.id,
            status: 'failed',
            failure: 'io',
            error: `worker failed: ${err instanceof Error ? err.message : String(err)}`,
          })),
        ),
    );
  });
}

/** How many jobs go to a worker in one message. */
export const BATCH_SIZE = 50;

/**
 * Renders every job and hands each result to `onResult`, in completion order.
 * @param jobs produced lazily; the pool pulls from it as workers free up
 */
export async function renderInWorkers(
  jobs: Iterable<RenderJob | RenderJobResult>,
  settings: RendererSettings,
  workerCount: number,
  onResult: (result: RenderJobResult) => void,
): Promise<void> {
  const iterator = jobs[Symbol.iterator]();
  let exhausted = false;
  /** Next batch of jobs; results that need no rendering (failed early) are reported at once. */
  const nextBatch = (): RenderJob[] => {
    const batch: RenderJob[] = [];
    while (!exhausted && batch.length < BATCH_SIZE) {
      const n = iterator.next();
      if (n.done) {
        exhausted = true;
        break;
      }
      if ('status' in n.value) onResult(n.value);
      else batch.push(n.value);
    }
    return batch;
  };

  const url = new URL(import.meta.url);
  const workerData: WorkerData = { kind: WORKER_KIND, settings };
  // From source (tests, bench under tsx) a worker needs tsx registered before it loads a .ts file.
  const fromSource = url.pathname.endsWith('.ts');
  const bootstrap = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`;
  const workers = Array.from({ length: workerCount }, () =>
    fromSource
      ? new Worker(bootstrap, { eval: true, workerData })
      : new Worker(url, { workerData }),
  );
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const feed = (): void => {
              while (inFlight < 2) {
                const batch = nextBatch();
                if (batch.length === 0) break;
                inFlight++;
                worker.postMessage(batch);
              }
              if (inFlight === 0) resolve();
            };
            worker.on('message', (results: RenderJobResult[]) => {
              inFlight--;
              for (const r of results) onResult(r);
              feed();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (inFlight > 0) reject(new Error(`render worker exited with code ${code}`));
            });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The same, in this thread (small batches, --jobs 1). */
export async function renderInProcess(
  jobs: Iterable<RenderJob | RenderJobResult>,
  settings: RendererSettings,
  onResult: (result: RenderJobResult) => void,
): Promise<void> {
  let renderer: DeviceRenderer | undefined;
  let batch: RenderJob[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    renderer ??= new DeviceRenderer(settings);
    const results = await renderer.processBatch(batch);
    batch = [];
    for (const r of results) onResult(r);
  };
  for (const job of jobs) {
    if ('status' in job) onResult(job);
    else {
      batch.push(job);
      if (batch.length >= BATCH_SIZE) await flush();
    }
  }
  await flush();
}
