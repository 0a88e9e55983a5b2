/**
 * `cisco-prov render`: commander's options → RenderOptions (secrets resolved, combinations
 * checked) → the render batch (src/render/batch.ts) with the CLI's writer and worker pool →
 * a typed result. No printing: cli.ts hands the result to the formatters in
 * src/output/render-format.ts, and `onProgress` is the caller's.
 */
import { ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import { inputName, readStdin } from '../io/input.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { commandLineSecretWarning, resolveSecret } from '../io/secrets.js';
import { prestartRenderWorkers, renderInWorkers, writeRenderedProfile } from '../io/worker-pool.js';
import { sweepTempFilesOnSignal } from '../io/writer.js';
import {
  explainRender,
  render,
  type ExplainResult,
  type RenderDeviceReport,
  type RenderEncryption,
  type RenderOptions,
  type RenderReport,
} from '../render/batch.js';
import { inventoryFormatOf, type InventoryFormat } from '../render/inventory.js';

/** The options commander hands over (see the render block of cli.ts). */
export interface RenderCliOptions {
  /** A file, or `-` for stdin. */
  inventory: string;
  /** `--inventory-format`: csv, json or yaml (default: by extension; sniffed on stdin). */
  inventoryFormat?: InventoryFormat;
  template?: string;
  vars?: string[];
  out?: string;
  name?: string;
  device?: string[];
  encrypt?: 'aes-256-cbc' | 'aes128gcm';
  key?: string;
  keyFile?: string;
  keyEnv?: string;
  keyField?: string;
  ikm?: string;
  ikmFile?: string;
  ikmEnv?: string;
  ikmField?: string;
  md?: 'md5' | 'sha256';
  gzip?: boolean;
  jobs?: number;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
  explain?: string;
  /** `--mode`, parsed by commander (modeArg). */
  mode?: number;
}

/** The encryption settings, and a warning for each secret typed on the command line. */
function encryptionOf(opts: RenderCliOptions, warnings: string[]): RenderEncryption | undefined {
  const key = resolveSecret('key', { value: opts.key, file: opts.keyFile, env: opts.keyEnv });
  const ikm = resolveSecret('ikm', { value: opts.ikm, file: opts.ikmFile, env: opts.ikmEnv });
  if (!opts.encrypt) {
    if (key || ikm || opts.keyField || opts.ikmField) {
      throw usageError('a key or IKM was given without --encrypt aes-256-cbc|aes128gcm');
    }
    return undefined;
  }
  if (opts.encrypt === 'aes-256-cbc' && (ikm || opts.ikmField)) {
    throw usageError('--encrypt aes-256-cbc takes --key…, not --ikm…');
  }
  if (opts.encrypt === 'aes128gcm' && (key || opts.keyField)) {
    throw usageError('--encrypt aes128gcm takes --ikm…, not --key…');
  }
  if ((key && opts.keyField) || (ikm && opts.ikmField)) {
    throw usageError('give one shared secret or a per-device field, not both');
  }
  // Even with --quiet: the secret is already in every user's `ps`, and only this says so.
  if (key?.fromCommandLine) warnings.push(commandLineSecretWarning('key'));
  if (ikm?.fromCommandLine) warnings.push(commandLineSecretWarning('ikm'));
  // A key file others can read: a warning --quiet silences (the user chose the file's mode).
  for (const secret of [key, ikm]) {
    if (secret?.exposedWarning && opts.quiet !== true) warnings.push(secret.exposedWarning);
  }
  return {
    cipher: opts.encrypt,
    md: opts.md ?? 'md5',
    ...(key ? { passphrase: key.value } : {}),
    ...(ikm ? { ikm: ikm.value } : {}),
    ...(opts.keyField ? { keyField: opts.keyField } : {}),
    ...(opts.ikmField ? { ikmField: opts.ikmField } : {}),
  };
}

/** The --json report's fields before its device list. */
export type RenderReportHead = Omit<RenderReport, 'summary' | 'devices'>;

export type RenderCommandResult =
  | { kind: 'explain'; explain: ExplainResult; json: boolean }
  | {
      kind: 'render';
      report: RenderReport;
      /** The one profile, when there is no --out. */
      stdout?: Uint8Array;
      /** Whether `stdout` would garble a terminal (encrypted or gzip'd). */
      binary: boolean;
      json: boolean;
      /** What the --json report says before its devices (they went to `onDevice`). */
      head: RenderReportHead;
      /** For stderr, before anything else. */
      warnings: string[];
      exitCode: ExitCodeValue;
    };

/**
 * The bytes of `-i -`, read from stdin (a terminal there is a usage error). Stdin cannot be read
 * twice: render keeps them, and reads a large JSON inventory from them a device at a time.
 */
async function stdinInventory(): Promise<Uint8Array> {
  if (process.stdin.isTTY) {
    throw usageError('-i - reads the inventory from stdin, which is a terminal: pipe it in');
  }
  return readStdin();
}

/**
 * Runs `render` (or `--explain`) for the CLI.
 * @param onProgress called as devices finish (the CLI draws a spinner with it)
 * @param onDevice each device's report in inventory order, as it is done (the CLI streams
 *   --json and its failure lines from it); given it, `report.devices` is left empty
 */
export async function renderCommand(
  opts: RenderCliOptions,
  onProgress?: (done: number, total: number) => void,
  onDevice?: (device: RenderDeviceReport, head: RenderReportHead) => void,
): Promise<RenderCommandResult> {
  // A path given as '' ("$OUT" with OUT unset) would be the current directory: `--out ''` wrote
  // every profile there, `-t ''` took it for the templates.
  refuseEmptyPaths({
    '--inventory': opts.inventory,
    '--template': opts.template,
    '--out': opts.out,
    '--vars': (opts.vars ?? []).includes('') ? '' : undefined,
  });
  const fromStdin = opts.inventory === '-';
  // A name without .csv/.json/.yaml/.yml (`-i <(…)` is /dev/fd/63) says nothing of the format:
  // the file is not at fault, the command line lacks --inventory-format (exit 2, nothing read).
  if (!fromStdin && opts.inventoryFormat === undefined && !inventoryFormatOf(opts.inventory)) {
    throw usageError(
      `${opts.inventory}: the inventory format cannot be told from the name (no .csv, .json, .yaml or .yml)`,
      'give --inventory-format csv|json|yaml',
    );
  }
  const base: RenderOptions = {
    // The core reads no process state: the directory relative paths start from is given.
    cwd: process.cwd(),
    inventory: fromStdin ? inputName('-') : opts.inventory,
    ...(fromStdin ? { inventoryBytes: await stdinInventory() } : {}),
    ...(opts.inventoryFormat !== undefined ? { inventoryFormat: opts.inventoryFormat } : {}),
    ...(opts.template !== undefined ? { template: opts.template } : {}),
    ...(opts.vars ? { vars: opts.vars } : {}),
  };
  if (opts.explain !== undefined) {
    // --explain prints one device's variables and writes nothing: an option that selects or
    // writes would be silently ignored (`-o out --explain X` rendered nothing, exit 0).
    const ignored = [
      opts.out !== undefined && '--out',
      (opts.device?.length ?? 0) > 0 && '--device',
      opts.dryRun === true && '--dry-run',
    ].filter((o): o is string => typeof o === 'string');
    if (ignored.length > 0) {
      throw usageError(
        `--explain prints one device's variables and writes nothing: drop ${ignored.join(', ')}`,
      );
    }
    // The fields --key-field and --ikm-field name hold a passphrase or IKM whatever they are
    // called (`pk`): masked as the classifier's secrets are.
    const secretFields = [opts.keyField, opts.ikmField].filter(
      (f): f is string => typeof f === 'string',
    );
    const explain = explainRender({ ...base, explain: opts.explain, secretFields });
    return { kind: 'explain', explain, json: opts.json === true };
  }
  if (opts.json && opts.out === undefined) {
    throw usageError('--json reports on files written to --out: give --out <dir>');
  }
  const warnings: string[] = [];
  const encryption = encryptionOf(opts, warnings);
  const head: RenderReportHead = {
    inventory: base.inventory,
    ...(opts.out !== undefined ? { out: opts.out } : {}),
    dryRun: opts.dryRun === true,
    encrypted: encryption !== undefined,
    gzip: opts.gzip === true,
  };
  const result = await render({
    ...base,
    ...(opts.out !== undefined ? { out: opts.out } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.device ? { devices: opts.device } : {}),
    ...(encryption ? { encryption } : {}),
    gzip: opts.gzip === true,
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    dryRun: opts.dryRun === true,
    ...(opts.mode !== undefined ? { mode: opts.mode } : {}),
    writeFile: writeRenderedProfile,
    onOutputDirectory: sweepTempFilesOnSignal,
    runInWorkers: renderInWorkers,
    prestartWorkers: prestartRenderWorkers,
    ...(onProgress ? { onProgress } : {}),
    ...(onDevice ? { onDevice: (device) => onDevice(device, head) } : {}),
  });
  return {
    kind: 'render',
    report: result.report,
    head,
    ...(result.stdout ? { stdout: result.stdout } : {}),
    binary: encryption !== undefined || opts.gzip === true,
    json: opts.json === true,
    warnings,
    exitCode: renderExitCode(result.report, result.ioFailures),
  };
}

/**
 * Exit code of a render: 3 when a write failed, 1 when a device failed, else 0.
 * @param ioFailures devices whose write failed (default: counted in `report.devices`)
 */
export function renderExitCode(
  report: RenderReport,
  ioFailures = report.devices.filter((d) => d.failure === 'io').length,
): ExitCodeValue {
  if (ioFailures > 0) return ExitCode.Failure;
  if (report.summary.failed > 0) return ExitCode.Bad;
  return ExitCode.Ok;
}
