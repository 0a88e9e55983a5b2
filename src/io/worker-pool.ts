/**
 * The one worker pool: `render`, `validate` and batch `encrypt`/`decrypt` spread their batches
 * over worker_threads here.
 * The main thread streams batches from a lazy iterator and keeps at most two in flight per
 * worker, so memory stays flat however large the input: a render worker writes its profiles
 * straight to disk and only a small status comes back.
 *
 * A worker runs this same module: whatever file it is bundled into, `import.meta.url` names it,
 * and the check at the bottom starts the worker loop when it is loaded that way. The module
 * lives in the CLI layer because a render worker needs the CLI's writer.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { defaultBackendName, setDefaultBackend, type BackendName } from '../crypto/backend.js';
import { DomainError, isDomainError, type DomainErrorKind } from '../domain-errors.js';
import { dirname } from 'node:path';
import { makeDirectoryWithin, stopBeforeSignalSweep, writeOutputFile } from './writer.js';
import type { Catalog } from '../profile/catalog.js';
import type { RunInWorkers } from '../render/batch.js';
import type {
  DeviceRenderer,
  RenderedText,
  RenderJob,
  RenderJobResult,
  RendererSettings,
  WriteFile,
} from '../render/device-renderer.js';
import type { FileDiagnostics } from '../validate/diagnostic.js';
import type {
  CryptoBatchItem,
  CryptoBatchResult,
  CryptoWorkerSettings,
} from '../commands/crypto-batch.js';
import type { RenderedBytes, RenderedFile, ReportFormat } from '../output/diagnostics-format.js';
import type { FileCheckSettings } from '../validate/file.js';
import {
  addWaiting,
  VALIDATE_YOUNG_GENERATION_MB,
  serialScavenges,
  validateWorkerLoader,
  waitingWorkers,
  WORKER_KIND,
} from './early-workers.js';

/** Settings of a validate worker: the file checks plus the catalog. */
export interface ValidateWorkerSettings extends FileCheckSettings {
  /** A user catalog (merged); undefined means the built-in one. */
  catalog: Catalog | undefined;
  /**
   * Render each file's report text in the worker and send that instead of the diagnostics:
   * passing 170,000 diagnostic objects between threads cost more CPU than checking the files'
   * values (validate of 10,000 × 30 KB profiles, main thread ≈ 1.5 s of deserialising and GC).
   */
  renderWith?: ReportFormat | undefined;
}

/** The kinds of work a worker does, each with its settings, batch item and result. */
interface Tasks {
  render: { settings: RendererSettings; item: RenderJob; result: RenderJobResult };
  /** Render and check only: the texts come back to be sealed and written by the feeding thread. */
  'render-text': {
    settings: RendererSettings;
    item: StagedJob;
    result: RenderedText | RenderJobResult;
  };
  validate: {
    settings: ValidateWorkerSettings;
    /**
     * `index`: the file's place in the input, so results can be put back in order; `special`:
     * it may be other than a regular file (see checkProfileFiles).
     */
    item: { path: string | Uint8Array; name: string; index: number; special?: true };
    result: { index: number; result: FileDiagnostics & { bytes?: Uint8Array } };
  };
  crypto: { settings: CryptoWorkerSettings; item: CryptoBatchItem; result: CryptoBatchResult };
}
type TaskName = keyof Tasks;

interface WorkerData<T extends TaskName = TaskName> {
  kind: typeof WORKER_KIND;
  task: T;
  /** Undefined for a worker started ahead of its run: the settings come as its first message. */
  settings: Tasks[T]['settings'] | undefined;
  /** The main thread's default crypto backend (CISCO_PROV_CRYPTO), chosen again in the worker. */
  cryptoBackend: BackendName;
}

/** A failure of a whole batch, as it crosses the thread boundary. */
interface BatchFailure {
  message: string;
  domain?: { kind: DomainErrorKind; code: string; hint?: string | undefined };
}
type FromWorker = { results: unknown[] } | { failure: BatchFailure };

/** Output directories this thread has made (and checked to lie inside the output directory). */
const madeDirectories = new Set<string>();

/**
 * How `render` writes a profile, in this thread and in every worker: atomically, without
 * fsync (10,000 fsyncs cost more than rendering the batch; a re-run rewrites a lost file); the
 * directory made with its real path inside --out; a device, FIFO or socket at the target name
 * refused (never written through, never replaced), a symlink there replaced by the file; a new
 * file with a plaintext password 0600.
 */
export const writeRenderedProfile: WriteFile = (path, data, hints) => {
  const dir = dirname(path);
  if (!madeDirectories.has(dir)) {
    makeDirectoryWithin(dir, hints.within);
    madeDirectories.add(dir);
  }
  writeOutputFile(path, data, {
    fsync: false,
    secret: hints.secret,
    ...(hints.mode !== undefined ? { mode: hints.mode } : {}),
    nonRegular: 'refuse',
    symlink: 'replace',
    // Many files into one directory: listed once per thread, not one marker per file.
    staleTemps: 'sweep',
    ...(hints.absent === true ? { absent: true } : {}),
  });
};

/**
 * What a validate worker runs, loaded by validate workers only, not at the top: a worker of
 * another task need not load the catalog and the checks (≈ 20 ms of CPU and 12 MB per thread).
 */
const validateModules = () =>
  Promise.all([
    import('../validate/file.js'),
    import('../output/diagnostics-format.js'),
    import('../profile/catalog-data/index.js'),
  ]);

/**
 * What a validate worker started ahead does while it waits for its settings: loads the checks,
 * and checks one small profile of the built-in catalog's names (rendered in both layouts), so that
 * what a thread does once, before its first file is through — compiling the catalog's look-up
 * and the checks' regular expressions, compiling the functions the first file calls — is done
 * in time it would otherwise wait. Its result is dropped.
 */
export async function warmValidate(): Promise<void> {
  const [{ checkProfileFile }, { renderFile }, { DEFAULT_CATALOG }] = await validateModules();
  const { catalogNames } = await import('../profile/catalog.js');
  let body = '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n';
  for (const name of catalogNames(DEFAULT_CATALOG).slice(0, WARM_UP_NAMES)) {
    body += `  <${name} ua="na">1</${name}>\n`;
  }
  const result = checkProfileFile(
    'warm-up.xml',
    Buffer.from(`${body}</flat-profile>\n`),
    DEFAULT_CATALOG,
    {
      model: undefined,
      passphrase: undefined,
      ikm: undefined,
      ignoreRules: [],
    },
  );
  // Both layouts: the first stylish report also loads chalk.
  renderFile(result, { format: 'json' });
  renderFile(result, { format: 'stylish', color: false });
}

/** Parameters in warmValidate's profile. */
const WARM_UP_NAMES = 300;

/**
 * One render batch, in a worker or in the thread that feeds them: an unexpected failure fails
 * the batch's devices (failure io), not the run.
 */
function renderBatch(renderer: DeviceRenderer, jobs: RenderJob[]): RenderJobResult[] {
  try {
    return renderer.processBatchSync(jobs);
  } catch (err) {
    return failedBatch(jobs, 'worker failed', err);
  }
}

/** Every device of a batch failed (failure io) by one unexpected error. */
function failedBatch(jobs: RenderJob[], what: string, err: unknown): RenderJobResult[] {
  return jobs.map((job): RenderJobResult => ({
    id: job.id,
    status: 'failed',
    failure: 'io',
    error: `${what}: ${err instanceof Error ? err.message : String(err)}`,
  }));
}

/**
 * A job for a render-text worker: rendered and checked there, or with `whole`, also sealed and
 * written there (the feeding thread hands some over when it is the busier of the two).
 */
type StagedJob = RenderJob & { whole?: true };

/** The worker side: one handler per task, built once per worker. */
async function handlerFor(data: WorkerData): Promise<(batch: unknown[]) => Promise<unknown[]>> {
  if (data.task === 'render') {
    // Loaded here, not at the top: a validate worker never needs LiquidJS and the renderer
    // (≈ 50–100 ms of module loading per worker).
    const { DeviceRenderer } = await import('../render/device-renderer.js');
    const renderer = new DeviceRenderer(data.settings as RendererSettings, writeRenderedProfile);
    return async (batch) => renderBatch(renderer, batch as RenderJob[]);
  }
  if (data.task === 'render-text') {
    const { DeviceRenderer } = await import('../render/device-renderer.js');
    const renderer = new DeviceRenderer(data.settings as RendererSettings, writeRenderedProfile);
    return async (batch) => {
      const jobs = batch as StagedJob[];
      const results: (RenderedText | RenderJobResult)[] = renderer.renderTextBatch(
        jobs.filter((job) => !job.whole),
      );
      const whole = jobs.filter((job) => job.whole);
      if (whole.length > 0) results.push(...renderBatch(renderer, whole));
      return results;
    };
  }
  if (data.task === 'crypto') {
    // The batch's own per-file work (src/commands/crypto-batch.ts), loaded only by its workers.
    const { cryptoBatchRunner } = await import('../commands/crypto-batch.js');
    const run = cryptoBatchRunner(data.settings as CryptoWorkerSettings);
    return async (batch) => run(batch as CryptoBatchItem[]);
  }
  const run = await validateRunner(data.settings as ValidateWorkerSettings);
  return async (batch) => run(batch as Tasks['validate']['item'][]);
}

/**
 * A validate batch's check, in a worker or in the thread that feeds them: each file read and
 * checked, and with `renderWith`, its report rendered as UTF-8 bytes in place of diagnostics.
 */
async function validateRunner(
  settings: ValidateWorkerSettings,
): Promise<(items: Tasks['validate']['item'][]) => Tasks['validate']['result'][]> {
  const [{ checkProfileFiles }, { renderFile }, { DEFAULT_CATALOG }] = await validateModules();
  const catalog = settings.catalog ?? DEFAULT_CATALOG;
  return (items) => {
    const results = checkProfileFiles(
      items.map((i) => i.path),
      items.map((i) => i.name),
      catalog,
      settings,
      (i) => items[i]!.special === true,
    );
    const format = settings.renderWith;
    if (!format) return results.map((result, i) => ({ index: items[i]!.index, result }));
    // A file that could not be read goes back as it is (readError), never rendered.
    const rendered = encodeRendered(
      results.filter((r) => r.readError === undefined).map((r) => renderFile(r, format)),
    );
    let at = 0;
    return results.map((result, i) => ({
      index: items[i]!.index,
      result: result.readError !== undefined ? result : { ...rendered[at++]!, diagnostics: [] },
    }));
  };
}

/**
 * A batch's rendered files as UTF-8, each a view of one buffer (copied once when posted): the
 * main thread then writes the bytes as they are. Sent as text, each file's report crossed as a
 * UTF-16 string (its messages hold '…' and '–'), was copied into the main thread's heap, joined
 * and encoded there — 10,000 files, 190,000 findings: 4.65–4.88 s of CPU against 4.29–4.52 s
 * with nothing sent (interleaved, load 11–12).
 */
function encodeRendered(files: RenderedFile[]): RenderedBytes[] {
  let size = 0;
  for (const file of files) size += Buffer.byteLength(file.text);
  // Its own memory, not a slice of Node's shared pool (which posting would copy whole): moved
  // to the main thread with the batch's results (see movedBuffers).
  const buffer = Buffer.allocUnsafeSlow(size);
  movable.add(buffer.buffer);
  let offset = 0;
  return files.map(({ file, errorCount, warningCount, text }) => {
    const length = text === '' ? 0 : buffer.write(text, offset);
    const bytes = buffer.subarray(offset, offset + length);
    offset += length;
    return { file, errorCount, warningCount, bytes };
  });
}

/** The buffers encodeRendered made, which no one else holds a view of. */
const movable = new WeakSet<ArrayBufferLike>();

/**
 * The buffers a batch's results are views of that can be moved to the main thread rather
 * than copied (encodeRendered's, one per batch): a copy was a new allocation of the batch's
 * whole report on the receiving side, ≈ 170 KB for 32 files with findings, each page of it a
 * page fault (issue 12).
 */
function movedBuffers(results: unknown[]): ArrayBuffer[] {
  const moved = new Set<ArrayBuffer>();
  for (const item of results) {
    const bytes = (item as { result?: { bytes?: Uint8Array } }).result?.bytes;
    if (bytes !== undefined && movable.has(bytes.buffer)) moved.add(bytes.buffer as ArrayBuffer);
  }
  return [...moved];
}

function failureOf(err: unknown): BatchFailure {
  if (isDomainError(err)) {
    return {
      message: err.message,
      domain: { kind: err.kind, code: err.code, hint: err.hint },
    };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

function errorOf(failure: BatchFailure): Error {
  const d = failure.domain;
  return d
    ? new DomainError(d.kind, d.code, failure.message, { hint: d.hint })
    : new Error(failure.message);
}

/** The message that gives a worker started ahead of its run its settings. */
interface SettingsMessage {
  settings: unknown;
}

/**
 * Gives up this isolate's ArrayBuffer-detaching protector now, before any code is optimized: a
 * validate worker moves each batch's report to the main thread (movedBuffers), and the first
 * move detaches a buffer, which tells V8 that typed-array code can no longer assume no buffer is
 * ever detached. Every optimized function that read a typed array (the scanner's, the index's:
 * ≈ 20 of them, compiled during the warm-up and the first batch) was then thrown away and
 * compiled again by TurboFan, on cores both threads keep busy (V8's --trace-deopt:
 * "code dependencies" right after --trace-protector-invalidation's "ArrayBufferDetaching").
 */
function detachBeforeOptimizing(): void {
  const scratch = new ArrayBuffer(8);
  structuredClone(scratch, { transfer: [scratch] });
}

if (!isMainThread && parentPort && (workerData as WorkerData | undefined)?.kind === WORKER_KIND) {
  const port = parentPort;
  const data = workerData as WorkerData;
  if (data.task === 'validate') detachBeforeOptimizing();
  const ready =
    data.cryptoBackend === 'noble'
      ? import('../crypto/backend-noble.js').then(() => setDefaultBackend('noble'))
      : Promise.resolve(setDefaultBackend(data.cryptoBackend));
  let giveSettings: (settings: unknown) => void = () => {};
  const handle =
    data.settings !== undefined
      ? ready.then(() => handlerFor(data))
      : // Started ahead: load the renderer now, build the handler when the settings arrive.
        Promise.all([
          data.task === 'render' || data.task === 'render-text'
            ? import('../render/device-renderer.js')
            : data.task === 'validate'
              ? warmValidate()
              : undefined,
          new Promise<unknown>((resolve) => (giveSettings = resolve)),
          ready,
        ]).then(([, settings]) => handlerFor({ ...data, settings } as WorkerData));
  port.on('message', (batch: unknown[] | SettingsMessage) => {
    if (!Array.isArray(batch)) {
      giveSettings(batch.settings);
      return;
    }
    // Batches may overlap: one runs while the previous one's writes finish.
    handle
      .then((run) => run(batch))
      .then(
        (results) => port.postMessage({ results } satisfies FromWorker, movedBuffers(results)),
        (err: unknown) => port.postMessage({ failure: failureOf(err) } satisfies FromWorker),
      );
  });
}

/**
 * Runs `task` over every item on `workerCount` threads; each batch's results go to
 * `onResults` in completion order. A failed batch rejects the whole run.
 * @param items produced lazily; the pool pulls from it as workers free up
 * @param skip items that need no worker (already decided) go to `onSkipped` at once
 */
export async function runInWorkers<T extends TaskName>(
  task: T,
  settings: Tasks[T]['settings'],
  items: Iterable<Tasks[T]['item'] | Tasks[T]['result']>,
  options: {
    workerCount: number;
    batchSize: number;
    isItem: (value: Tasks[T]['item'] | Tasks[T]['result']) => value is Tasks[T]['item'];
    onResults: (results: Tasks[T]['result'][]) => void;
    /** Each worker's young generation (V8's default is larger; see RENDER_YOUNG_GENERATION_MB). */
    youngGenerationMb?: number;
    /**
     * This thread works through batches too, with this function, between feeding the workers
     * (each has a second batch queued meanwhile): one thread more without a worker's start-up.
     * A promise of it: the workers are fed first, this thread starts once it settles.
     */
    here?:
      | ((batch: Tasks[T]['item'][]) => Tasks[T]['result'][])
      | Promise<(batch: Tasks[T]['item'][]) => Tasks[T]['result'][]>;
    /** The workers write files: a signal terminates them before its sweep of temp files. */
    stopOnSignal?: boolean;
    /** Batches each worker has at once (default 2: one runs while the next waits). */
    inFlight?: number;
    /**
     * With `here` and `total` (the items' count): the last this many items are left to this
     * thread, the workers get no more, and each is ended as soon as it has returned its last
     * batch, so that its ending (its heap torn down: 50–90 ms) overlaps this thread's work
     * rather than follows it.
     */
    hereTail?: { total: number; items: number };
  },
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let exhausted = false;
  let taken = 0;
  const tail = options.here ? options.hereTail : undefined;
  const nextBatch = (): Tasks[T]['item'][] => {
    const batch: Tasks[T]['item'][] = [];
    while (!exhausted && batch.length < options.batchSize) {
      const n = iterator.next();
      if (n.done) {
        exhausted = true;
        break;
      }
      taken++;
      if (options.isItem(n.value)) batch.push(n.value);
      else options.onResults([n.value as Tasks[T]['result']]);
    }
    return batch;
  };

  const url = new URL(import.meta.url);
  const data: WorkerData<T> = {
    kind: WORKER_KIND,
    task,
    settings,
    cryptoBackend: defaultBackendName(),
  };
  const fromSource = url.pathname.endsWith('.ts');
  const bootstrap = sourceBootstrap(url.href);
  const limits = options.youngGenerationMb
    ? { resourceLimits: { maxYoungGenerationSizeMb: options.youngGenerationMb } }
    : {};
  const workers = Array.from({ length: Math.max(1, options.workerCount) }, () => {
    const early = takePrestarted(task);
    if (early) {
      early.postMessage({ settings } satisfies SettingsMessage);
      early.ref();
      return early;
    }
    const loader = task === 'validate' ? validateWorkerLoader() : undefined;
    return fromSource
      ? new Worker(bootstrap, { eval: true, workerData: data, ...limits })
      : loader !== undefined
        ? new Worker(loader, { eval: true, workerData: data, ...limits })
        : new Worker(url, { workerData: data, ...limits });
  });
  discardPrestarted();
  const release = options.stopOnSignal
    ? stopBeforeSignalSweep(() => Promise.all(workers.map((w) => w.terminate())))
    : undefined;
  const here = options.here;
  const inFlightPerWorker = options.inFlight ?? 2;
  try {
    await Promise.all([
      ...workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const feed = (): void => {
              while (inFlight < inFlightPerWorker) {
                if (tail && tail.total - taken <= tail.items) break;
                const batch = nextBatch();
                if (batch.length === 0) break;
                inFlight++;
                worker.postMessage(batch);
              }
              if (inFlight === 0) {
                // Nothing more for it: ended now (awaited below), while this thread works on.
                if (tail) void worker.terminate();
                resolve();
              }
            };
            worker.on('message', (message: FromWorker) => {
              inFlight--;
              if ('failure' in message) {
                exhausted = true;
                reject(errorOf(message.failure));
                return;
              }
              options.onResults(message.results as Tasks[T]['result'][]);
              feed();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (inFlight > 0) reject(new Error(`worker exited with code ${code}`));
            });
            feed();
          }),
      ),
      here &&
        (async () => {
          const check = await here;
          for (let batch = nextBatch(); batch.length > 0; batch = nextBatch()) {
            let results: Tasks[T]['result'][];
            try {
              results = check(batch);
            } catch (err) {
              exhausted = true;
              throw err;
            }
            options.onResults(results);
            // Let the workers' results in and feed them.
            await new Promise((resolveTurn) => setImmediate(resolveTurn));
          }
        })(),
    ]);
  } finally {
    release?.();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Workers started ahead of their run (render's checking pass runs meanwhile; the CLI's early
 * start of validate's), not yet taken: shared with the CLI bundle (see early-workers.ts).
 */
const prestarted = waitingWorkers();

/** A live worker started ahead for `task`, taken out of the waiting list; or undefined. */
function takePrestarted(task: TaskName): Worker | undefined {
  for (let i = 0; i < prestarted.length; i++) {
    const p = prestarted[i]!;
    if (p.task === task && p.alive) {
      prestarted.splice(i, 1);
      return p.worker;
    }
  }
  return undefined;
}

/** Ends the workers started ahead that no run took. */
function discardPrestarted(): void {
  for (const p of prestarted.splice(0)) void p.worker.terminate();
}

/**
 * What a worker runs to load this module from source (tests, bench): .ts needs the TypeScript
 * loader this thread was started with, which Node 20 gives a worker neither as module hooks nor
 * by running the `--import` modules of its execArgv. So the worker imports those first: under
 * scripts/run-tests.mjs that is scripts/load-tests.mjs (the run's compiled copies, ~0.1 s of CPU),
 * under `node --import tsx`, tsx. With none given, tsx's API registers it (~0.5 s of CPU).
 * @example sourceBootstrap('file:///repo/src/io/worker-pool.ts') // code for new Worker(…, { eval: true })
 */
function sourceBootstrap(moduleUrl: string): string {
  const preloads: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--import' && i + 1 < argv.length) preloads.push(argv[++i] as string);
    else if (arg.startsWith('--import=')) preloads.push(arg.slice('--import='.length));
  }
  const target = JSON.stringify(moduleUrl);
  if (preloads.length === 0) {
    return `import('tsx/esm/api').then((api) => { api.register(); return import(${target}); })`;
  }
  // One after another, in their order, as Node runs them at a start.
  return `${JSON.stringify(preloads)}.reduce((p, m) => p.then(() => import(m)), Promise.resolve()).then(() => import(${target}))`;
}

/**
 * Starts `count` workers for `task` before their settings are known, so their start-up (Node,
 * the bundle, LiquidJS and the validator: ~0.1–0.3 s each) overlaps the caller's own work —
 * render's checking pass over the inventory. The next runInWorkers for that task takes them
 * and sends the settings first. Unreferenced while they wait: an unused one never keeps the
 * process alive; one that fails to start is not taken (a fresh worker is started instead).
 */
function prestartWorkers(task: TaskName, count: number, youngGenerationMb?: number): void {
  const url = new URL(import.meta.url);
  // From source (tests under tsx) a bootstrap would be needed: start nothing ahead there.
  if (url.pathname.endsWith('.ts')) return;
  const data: WorkerData = {
    kind: WORKER_KIND,
    task,
    settings: undefined,
    cryptoBackend: defaultBackendName(),
  };
  const limits = youngGenerationMb
    ? { resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } }
    : {};
  // Those already waiting for this task count (the CLI starts validate's before the command
  // has loaded, and the command asks again).
  const waiting = prestarted.filter((p) => p.task === task && p.alive).length;
  // validate's workers run dist/worker.cjs (as the CLI's early one: see early-workers.ts).
  const loader = task === 'validate' ? validateWorkerLoader() : undefined;
  for (let i = waiting; i < count; i++) {
    const worker =
      loader !== undefined
        ? new Worker(loader, { eval: true, workerData: data, ...limits })
        : new Worker(url, { workerData: data, ...limits });
    addWaiting(worker, task);
  }
}

/**
 * `render`'s early start of its workers (RenderOptions.prestartWorkers) for a run on `threads`
 * threads: the workers renderInWorkers will use, one fewer than the threads.
 */
export const prestartRenderWorkers = (threads: number): (() => void) => {
  if (threads === 2) prestartWorkers('render-text', 1, RENDER_YOUNG_GENERATION_MB);
  else prestartWorkers('render', threads - 1, RENDER_YOUNG_GENERATION_MB);
  return discardPrestarted;
};

/**
 * A render worker's young generation. A device's garbage (template output, its gzip and
 * ciphertext, the check's tokens) dies young; V8's default lets each worker's nursery grow to
 * tens of MB anyway. Measured on 10,000 devices, 2 workers: peak RSS 253 → 218–225 MB with 8 MB
 * (4 MB: 210 MB), CPU time unchanged within noise (7.4–7.5 s vs 7.7–8.2 s).
 */
export const RENDER_YOUNG_GENERATION_MB = 8;

/**
 * `render`'s use of the pool (RenderOptions.runInWorkers) on `threads` threads: this one, which
 * also builds the jobs, and `threads` − 1 workers.
 *
 * On two threads the work is split by stage: the worker renders and checks (LiquidJS and the
 * validator: most of the JavaScript), this thread builds the jobs and compares, seals and writes
 * what comes back (zlib, the cipher, the file system: mostly native code). Each stage's code is
 * then compiled and warmed up in one thread only — TurboFan alone was ≈ 18 % of the CPU of a
 * 10,000-device run when both threads ran everything — and the two stages take about the same
 * time. On more threads this one could not keep up with sealing and writing for all of them:
 * every thread renders whole devices there, this one between feeding the workers.
 * render/batch.js is imported here, not at the top: its imports (LiquidJS, csv-parse, yaml, the
 * renderer: ≈ 500 KB of bundle) would otherwise be compiled and run by validate's main thread and
 * by every validate worker, which load this module too (render has them loaded already).
 */
export const renderInWorkers: RunInWorkers = async (jobs, settings, threads, onResult) => {
  const [{ BATCH_SIZE }, { DeviceRenderer }] = await Promise.all([
    import('../render/batch.js'),
    import('../render/device-renderer.js'),
  ]);
  const renderer = new DeviceRenderer(settings, writeRenderedProfile);
  const isItem = (value: RenderJob | RenderJobResult): value is RenderJob => !('status' in value);
  if (threads !== 2) {
    return runInWorkers('render', settings, jobs, {
      workerCount: threads - 1,
      youngGenerationMb: RENDER_YOUNG_GENERATION_MB,
      batchSize: BATCH_SIZE,
      isItem,
      onResults: (results) => results.forEach(onResult),
      here: (batch) => renderBatch(renderer, batch),
      stopOnSignal: true,
    });
  }
  /** The jobs handed to the worker for their text and not yet back, by id. */
  const sent = new Map<number, RenderJob>();
  /**
   * The share of devices the worker does whole (render to write), raised while this thread is
   * the busier one — its event loop never idle between the worker's batches — and lowered while
   * it waits for the worker: the two stages take about the same time on a quiet machine, but
   * file creation costs more when the disk or the CPU is busy.
   */
  let wholeShare = 0;
  let credit = 0;
  let utilization = performance.eventLoopUtilization();
  function* tracked(): Generator<StagedJob | RenderJobResult> {
    for (const job of jobs) {
      if (isItem(job)) {
        credit += wholeShare;
        if (credit >= 1) {
          credit -= 1;
          yield { ...job, whole: true };
          continue;
        }
        sent.set(job.id, job);
      }
      yield job;
    }
  }
  return runInWorkers('render-text', settings, tracked(), {
    workerCount: 1,
    youngGenerationMb: RENDER_YOUNG_GENERATION_MB,
    batchSize: BATCH_SIZE,
    stopOnSignal: true,
    // This thread seals and writes a batch when it comes back: the worker has the next ones.
    inFlight: 3,
    isItem: (value): value is RenderJob => 'templatePath' in value,
    onResults: (results) => {
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, utilization).utilization > BUSY_LOOP;
      utilization = now;
      wholeShare = busy
        ? Math.min(MAX_WHOLE_SHARE, wholeShare + WHOLE_SHARE_STEP)
        : Math.max(0, wholeShare - WHOLE_SHARE_STEP);
      const texts: RenderedText[] = [];
      const textJobs: RenderJob[] = [];
      for (const r of results) {
        const job = sent.get(r.id);
        sent.delete(r.id);
        if ('status' in r) onResult(r);
        else {
          texts.push(r);
          textJobs.push(job!);
        }
      }
      if (texts.length > 0) finishBatch(renderer, textJobs, texts).forEach(onResult);
    },
  });
};

/** Event-loop utilization above which the feeding thread counts as the busier one. */
const BUSY_LOOP = 0.95;
/** The most the render-text worker does whole, and the change per batch back. */
const MAX_WHOLE_SHARE = 0.5;
const WHOLE_SHARE_STEP = 0.02;

/** renderBatch's second half (sealing and writing what a render-text worker sent back). */
function finishBatch(
  renderer: DeviceRenderer,
  jobs: RenderJob[],
  texts: RenderedText[],
): RenderJobResult[] {
  try {
    return renderer.finishBatchSync(jobs, texts);
  } catch (err) {
    return failedBatch(jobs, 'render failed', err);
  }
}

/** Files per validate batch: small files, so a batch is cheap; 32 keeps the workers even. */
const VALIDATE_BATCH = 32;

/**
 * Validate batches each worker has at once. This thread checks its own batch between feeding
 * the workers, and its turn (its batch, its share of the report, the workers' results) is
 * longer than a worker's batch: with two queued, a worker waited for its next batch ≈ 100–500 ms
 * of a 10,000-file run (its event loop's idle time), with four ≈ 10–60 ms.
 */
const VALIDATE_IN_FLIGHT = 4;

/**
 * `validate`'s early start of its workers for a run on `threads` threads (this one and
 * `threads` − 1 workers, see checkFilesInWorkers): their start-up (Node, the bundle, the
 * catalog: ≈ 50–100 ms each) overlaps the main thread's listing of the inputs. Returns what ends
 * those no run took (too few files for workers after all).
 */
export const prestartValidateWorkers = (threads: number): (() => void) => {
  serialScavenges(threads);
  prestartWorkers('validate', Math.max(1, threads - 1), VALIDATE_YOUNG_GENERATION_MB);
  return discardPrestarted;
};

/**
 * Checks files on `jobs` threads: this one, between feeding the workers, and `jobs` − 1 worker
 * threads (at least one). Results come back in input order. With `onResult`, each result goes
 * there as soon as those before it are in (at most the batches in flight wait), and none is
 * kept: memory does not grow with the number of files.
 *
 * This thread checks files too, rather than only pass on the workers' reports: on 2 cores a
 * second worker was a whole isolate more to start, to compile the checks for and to give a
 * young generation. 10,000 × 30 KB profiles, 9 interleaved runs: minor page faults 57,600 →
 * 48,100 (≈ 15 µs each on this VM), CPU −4 % (lower in each of the 9 pairs), peak RSS 208 →
 * 174 MB.
 * @param paths absolute paths to read (bytes for a path that is not UTF-8)
 * @param names the names to show in diagnostics (as the user gave them)
 * @param special indexes of files that may be other than regular files (named on the command
 *   line: a FIFO, a device), read by their size as before; the others are read without a stat
 */
export async function checkFilesInWorkers(
  paths: readonly (string | Uint8Array)[],
  names: readonly string[],
  settings: ValidateWorkerSettings,
  jobs: number,
  onResult?: (result: FileDiagnostics & { bytes?: Uint8Array }) => void,
  special: ReadonlySet<number> = new Set(),
): Promise<FileDiagnostics[]> {
  const collected: FileDiagnostics[] = [];
  const emit = onResult ?? ((result: FileDiagnostics) => collected.push(result));
  const waiting = new Map<number, FileDiagnostics & { bytes?: Uint8Array }>();
  let next = 0;
  function* items(): Generator<Tasks['validate']['item']> {
    for (let index = 0; index < paths.length; index++) {
      yield special.has(index)
        ? { path: paths[index]!, name: names[index]!, index, special: true }
        : { path: paths[index]!, name: names[index]!, index };
    }
  }
  serialScavenges(jobs);
  // The workers are fed while this thread loads the checks for its own share.
  const here = validateRunner(settings);
  await runInWorkers('validate', settings, items(), {
    // ≈ 90 ms of this thread's work at the end (8 batches), not more than an eighth of the run.
    hereTail: {
      total: paths.length,
      items: Math.min(8 * VALIDATE_BATCH, Math.floor(paths.length / 8)),
    },
    workerCount: Math.max(1, Math.min(jobs - 1, Math.ceil(paths.length / VALIDATE_BATCH) - 1)),
    here,
    batchSize: VALIDATE_BATCH,
    youngGenerationMb: VALIDATE_YOUNG_GENERATION_MB,
    inFlight: VALIDATE_IN_FLIGHT,
    isItem: (value): value is Tasks['validate']['item'] => 'path' in value,
    onResults: (batch) => {
      for (const { index, result } of batch) waiting.set(index, result);
      for (let result = waiting.get(next); result !== undefined; result = waiting.get(next)) {
        waiting.delete(next++);
        emit(result);
      }
    },
  });
  return collected;
}
