/**
 * CLI adapter for `render`: commander's options → RenderOptions, secrets resolved, progress on a
 * terminal, the report formatted and written. Returns the exit code.
 */
import { ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import { commandLineSecretWarning, resolveSecret } from '../io/secrets.js';
import { renderInWorkers, writeRenderedProfile } from '../io/worker-pool.js';
import {
  formatExplain,
  formatExplainJson,
  formatRenderFailures,
  formatRenderJson,
  formatRenderSummary,
} from '../output/render-format.js';
import {
  assertStdoutAcceptsBinary,
  sweepTempFilesOnSignal,
  warn,
  writeStderrLine,
  writeStdout,
} from '../io/writer.js';
import {
  explainRender,
  render,
  type RenderEncryption,
  type RenderOptions,
  type RenderReport,
} from '../render/batch.js';

/** The options commander hands over (see the render block of cli.ts). */
export interface RenderCliOptions {
  inventory: string;
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

function encryptionOf(opts: RenderCliOptions): RenderEncryption | undefined {
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
  if (key?.fromCommandLine) warn(commandLineSecretWarning('key'));
  if (ikm?.fromCommandLine) warn(commandLineSecretWarning('ikm'));
  return {
    cipher: opts.encrypt,
    md: opts.md ?? 'md5',
    ...(key ? { passphrase: key.value } : {}),
    ...(ikm ? { ikm: ikm.value } : {}),
    ...(opts.keyField ? { keyField: opts.keyField } : {}),
    ...(opts.ikmField ? { ikmField: opts.ikmField } : {}),
  };
}

interface Spinner {
  text: string;
  start(): Spinner;
  stop(): Spinner;
}

export async function runRenderCli(opts: RenderCliOptions): Promise<ExitCodeValue> {
  const base: RenderOptions = {
    inventory: opts.inventory,
    ...(opts.template !== undefined ? { template: opts.template } : {}),
    ...(opts.vars ? { vars: opts.vars } : {}),
  };
  if (opts.explain !== undefined) {
    const result = explainRender({ ...base, explain: opts.explain });
    await writeStdout(opts.json ? formatExplainJson(result) : formatExplain(result));
    return ExitCode.Ok;
  }
  if (opts.json && opts.out === undefined) {
    throw usageError('--json reports on files written to --out: give --out <dir>');
  }
  const encryption = encryptionOf(opts);
  const jobs = opts.jobs;
  const mode = opts.mode;

  // ora needs the terminal's width to redraw its line; a pty that reports 0 columns makes it
  // clear lines forever, so no spinner there.
  const showProgress =
    process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0 && !opts.quiet;
  let spinner: Spinner | undefined;
  let makeSpinner: ((text: string) => Spinner) | undefined;
  if (showProgress) {
    const { default: ora } = await import('ora');
    makeSpinner = (text) => ora({ text, stream: process.stderr }) as unknown as Spinner;
  }
  const options: RenderOptions = {
    ...base,
    ...(opts.out !== undefined ? { out: opts.out } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.device ? { devices: opts.device } : {}),
    ...(encryption ? { encryption } : {}),
    gzip: opts.gzip === true,
    ...(jobs !== undefined ? { jobs } : {}),
    ...(mode !== undefined ? { mode } : {}),
    dryRun: opts.dryRun === true,
    writeFile: writeRenderedProfile,
    onOutputDirectory: sweepTempFilesOnSignal,
    runInWorkers: renderInWorkers,
    onProgress: (done, total) => {
      if (!makeSpinner || total < 2) return;
      spinner ??= makeSpinner('rendering').start();
      if (done % 50 === 0 || done === total) spinner.text = `rendering ${done}/${total}`;
    },
  };
  let result;
  try {
    result = await render(options);
  } finally {
    spinner?.stop();
  }
  const { report } = result;
  for (const line of formatRenderFailures(report)) writeStderrLine(`cisco-prov: ${line}`);
  if (result.stdout) {
    assertStdoutAcceptsBinary(encryption !== undefined || opts.gzip === true, false);
    await writeStdout(result.stdout);
  } else if (opts.json) {
    await writeStdout(formatRenderJson(report));
  }
  if (showProgress && report.out !== undefined)
    writeStderrLine(`cisco-prov: ${formatRenderSummary(report)}`);
  return renderExitCode(report);
}

/** Exit code of a render: 3 when a write failed, 1 when a device failed, else 0. */
export function renderExitCode(report: RenderReport): ExitCodeValue {
  if (report.devices.some((d) => d.failure === 'io')) return ExitCode.Failure;
  if (report.summary.failed > 0) return ExitCode.Bad;
  return ExitCode.Ok;
}
