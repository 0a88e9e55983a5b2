/**
 * The render batch: one checked profile per phone, from templates and an inventory — the
 * inventory and vars loaded and checked, a job per device, run in this thread or on workers.
 * Typed options in, typed result out; no printing, no process.exit (style.md).
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cipher, Digest } from '../crypto/index.js';
import { normalizeMac } from '../device/mac.js';
import { DomainError, describeSystemError } from '../domain-errors.js';
import type { RenderDiagnostic } from './check.js';
import {
  DeviceRenderer,
  ListedDirectories,
  type FailureKind,
  type RenderJob,
  type RenderJobResult,
  type RenderStatus,
  type RendererSettings,
  type WriteFile,
} from './device-renderer.js';
import {
  TEMPLATE_EXTENSION,
  TemplateChooser,
  templateSourceOf,
  type TemplateSource,
} from './engine.js';
import {
  InventoryError,
  InventoryReader,
  JSON_WHOLE_PARSE_BYTES,
  formatInventoryProblem,
  inventoryFormatOf,
  noDevicesProblem,
  sniffInventoryFormat,
  type InventoryDevice,
  type InventoryFormat,
  type InventoryProblem,
  type Vars,
} from './inventory.js';
import { YAML_WHOLE_PARSE_CHARS } from './inventory-yaml.js';
import { decodeTextFile } from './decode-text.js';
import { NameTable } from './name-table.js';
import { defaultNamePattern, fileNameFor } from './naming.js';
import {
  VariableMerger,
  checkGroups,
  collectGroups,
  deviceLayers,
  explainLayers,
  getPath,
  parseVarsFile,
  type ExplainedVariable,
  type LayerSources,
  type VarsFile,
} from './variables.js';

/**
 * How render encrypts each profile: the cipher, and one secret or an inventory field per device.
 * @example const encryption: RenderEncryption = { cipher: 'aes-256-cbc', keyField: 'profile_key' };
 * render({ ...options, out: 'out', encryption })
 */
export interface RenderEncryption {
  cipher: Cipher;
  /** EVP_BytesToKey digest for AES-256-CBC (default md5, reference §3). */
  md?: Digest;
  /** One passphrase for every device. */
  passphrase?: string;
  /** One IKM (text, hex:…, base64url:…) for every device. */
  ikm?: string;
  /** Take each device's passphrase from this inventory field instead. */
  keyField?: string;
  /** Take each device's IKM from this inventory field instead. */
  ikmField?: string;
}

/**
 * What render and explainRender read: the inventory, templates and vars, where to write, how.
 * @example await render({ inventory: 'inventory.csv', vars: ['site.yaml'], out: 'out', writeFile })
 */
export interface RenderOptions {
  /**
   * Base for relative paths. Without it a relative path is taken as node:path takes it: from
   * the process's working directory (the core itself reads no process state; the CLI passes
   * its directory).
   */
  cwd?: string;
  /** The inventory file; with `inventoryText`, only its name in messages (`<stdin>`). */
  inventory: string;
  /** The inventory's text, when it does not come from the file `inventory` (stdin). */
  inventoryText?: string;
  /**
   * The inventory's bytes (UTF-8), instead of `inventoryText`: stdin as read. A JSON inventory
   * above JSON_WHOLE_PARSE_BYTES is read from them a device at a time, never copied into a
   * string (off V8's heap: ≈ 45 MB less peak for 100,000 devices); any other is decoded.
   */
  inventoryBytes?: Uint8Array;
  /**
   * csv, json or yaml; default: by the file's extension, or — for `inventoryText` without
   * one — sniffed from the text (sniffInventoryFormat).
   */
  inventoryFormat?: InventoryFormat;
  /** Template file or directory (default: the bundled templates/); with `templateText`, its name. */
  template?: string;
  /**
   * The template's text, when it does not come from a file (a service's template from its
   * database): every device uses it. `template` names it in messages (default
   * `template.liquid`); its `{% include %}`s are read from files beside that name, under `cwd`.
   */
  templateText?: string;
  /** `--vars` files, layered in order over the model's built-ins. */
  vars?: readonly string[];
  /**
   * Variables given as data, layered after `vars` as if they were more files (`file` names
   * the layer in `explainRender`; `groups` as a vars file's).
   * @example varsFiles: [{ file: 'request', values: { sip: { proxy: 'pbx' } }, groups: {} }]
   */
  varsFiles?: readonly VarsFile[];
  /** Output directory; absent with one device → the profile is returned for stdout. */
  out?: string;
  /** File name pattern with Cisco macros (default `$MA.xml`, `$MA.cfg` when encrypting). */
  name?: string;
  /** Render only these devices (MAC in any notation, or serial). */
  devices?: readonly string[];
  encryption?: RenderEncryption;
  gzip?: boolean;
  /**
   * Threads that render, this one included (default: one per core, up to 4, for batches of 1000
   * or more).
   */
  jobs?: number;
  dryRun?: boolean;
  /** Permission bits of every file written (`--mode`); default: the writer's choice. */
  mode?: number;
  /**
   * Called once for each output directory before anything is written into it (the CLI sweeps
   * it for its temp files on SIGINT/SIGTERM: worker threads write there, signals reach only the
   * main thread).
   */
  onOutputDirectory?: (dir: string) => void;
  /** Called as devices finish, for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Each device's report, in inventory order, as soon as it and every device before it are
   * done. Given this, the result's `report.devices` stays empty: a caller that streams the
   * report (the CLI's --json) keeps no per-device data, so memory does not grow with the fleet.
   */
  onDevice?: (device: RenderDeviceReport) => void;
  /** How a profile reaches the disk (the CLI passes its atomic writer). Needed with `out`. */
  writeFile?: WriteFile;
  /**
   * Runs the jobs on worker threads (the CLI's pool, src/io/worker-pool.ts). Absent: every
   * device renders in this thread, whatever `jobs` says.
   */
  runInWorkers?: RunInWorkers;
  /**
   * Starts the workers of a run on that many threads ahead, while the inventory is checked (the
   * CLI's pool: one fewer than the threads, as this thread renders too); called
   * once, before the checking pass, when a CSV inventory's line count says workers will be used.
   * Returns what ends those of them no run took.
   */
  prestartWorkers?: (count: number) => () => void;
}

/**
 * Renders jobs on `workerCount` threads (the CLI's pool: this one and `workerCount` − 1 workers),
 * each result to `onResult` in completion order.
 * @example render({ ...options, out: 'out', jobs: 4, runInWorkers }) // the CLI passes its pool
 */
export type RunInWorkers = (
  jobs: Iterable<RenderJob | RenderJobResult>,
  settings: RendererSettings,
  workerCount: number,
  onResult: (result: RenderJobResult) => void,
) => Promise<void>;

/**
 * One device of a render: which, from where, to which file, and how it went.
 * @example (await render(options)).report.devices.filter((d) => d.status === 'failed')
 */
export interface RenderDeviceReport {
  /** MAC (12 hex digits) or, without one, the serial. */
  device: string;
  mac?: string;
  serial?: string;
  model: string;
  /** `inventory.csv row 4` */
  source: string;
  template?: string;
  file?: string;
  status: RenderStatus;
  failure?: FailureKind;
  error?: string;
  diagnostics?: RenderDiagnostic[];
  bytes?: number;
}

/**
 * What a render did: one entry per device and the totals.
 * @example (await render(options)).report.summary
 * // { total, written, unchanged, 'would-write', failed }: counts of devices
 */
export interface RenderReport {
  inventory: string;
  out?: string;
  dryRun: boolean;
  encrypted: boolean;
  gzip: boolean;
  summary: Record<RenderStatus, number> & { total: number };
  /** One entry per device, in inventory order; empty when they went to `onDevice`. */
  devices: RenderDeviceReport[];
}

/**
 * What render returns: the report, and the profile's bytes when no `out` was given.
 * @example const { stdout } = await render({ inventory: 'inv.csv', devices: ['00562b043615'] });
 */
export interface RenderResult {
  report: RenderReport;
  /** Devices whose file could not be written (failure `io`: exit 3 in the CLI). */
  ioFailures: number;
  /** The one profile, when no --out was given. */
  stdout?: Uint8Array;
}

/**
 * The templates shipped with cisco-prov: `<package>/templates`.
 * @example bundledTemplatesDir() // '<package>/templates'
 * render({ inventory: 'inv.csv', template: bundledTemplatesDir(), devices: ['00562b043615'] })
 */
export function bundledTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) {
      return join(dir, 'templates');
    }
    dir = dirname(dir);
  }
  throw new DomainError('io', 'templates-missing', 'cannot find the bundled templates directory');
}

/** Reads a file as text (see {@link textOf}); the message names it as the user wrote it. */
function readText(path: string, what: string, shownAs: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new DomainError(
      'io',
      'read-failed',
      `cannot read ${what} ${describeSystemError(err, shownAs)}`,
      {
        file: shownAs,
      },
    );
  }
  return decodedText(bytes, shownAs);
}

/** Text of an inventory or `--vars` file (see decodeTextFile); bytes that are not text: exit 1. */
function decodedText(bytes: Uint8Array, shownAs: string): string {
  const text = decodeTextFile(bytes);
  if (typeof text === 'string') return text;
  throw inventoryFailure([{ file: shownAs, where: text.where, message: text.message }]);
}

/** How much of an inventory given as bytes is decoded to sniff its format. */
const SNIFF_BYTES = 4096;

/** UTF-8 bytes as text (no copy of the bytes). */
function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * The text of the first SNIFF_BYTES (a character cut at the end is harmless to sniffing), or of
 * all the bytes when those are blank.
 */
function utf8Head(bytes: Uint8Array): string {
  const head = utf8(bytes.subarray(0, SNIFF_BYTES));
  return head.trim() === '' ? utf8(bytes) : head;
}

/** A file's size in bytes; 0 when it cannot be stat'ed (reading it says why). */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The inventory's problems, the first 20 shown, as one error (exit 1 in the CLI). */
function inventoryFailure(problems: readonly InventoryProblem[]): DomainError {
  const shown = problems.slice(0, 20).map(formatInventoryProblem);
  if (problems.length > 20) shown.push(`… and ${problems.length - 20} more problems`);
  const first = problems[0];
  return new DomainError('bad-input', 'inventory-invalid', shown.join('\ncisco-prov: '), {
    hint: 'nothing was written: fix the file named above and run again',
    file: first?.file,
    where: first?.where,
    field: first?.field,
  });
}

/**
 * A path as reports show it: relative to the working directory when it lies under it, else
 * absolute (the bundled templates seen from elsewhere were `../../usr/lib/…/templates/x.liquid`).
 */
function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '..' || rel.startsWith(`..${sep}`) ? resolve(cwd, path) : rel;
}

/** Everything render and explain share: the checked inventory, vars and layers. */
interface Loaded {
  cwd: string;
  /** How many devices will be rendered. */
  count: number;
  /** The devices, one at a time (a new pass over the inventory each call). */
  devices: () => Iterable<InventoryDevice>;
  sources: LayerSources;
  templates: TemplateSource;
  /** Ends the workers started ahead that no run took (none: does nothing). */
  discardPrestarted: () => void;
  /**
   * Each output name → the device it is for, filled by the checking pass when rendering the
   * whole inventory to --out (two devices given one name stop the run before anything is
   * written); absent with --device or without --out.
   */
  names?: NameTable;
}

/**
 * Reads the inventory and vars and checks every device before anything is written: a first
 * pass over the inventory keeps nothing per device but its MAC and serial (duplicates) and the
 * devices `--device` selects; `devices()` makes a second pass for rendering.
 */
function load(options: RenderOptions): Loaded {
  // An empty --vars ("$VARS" unset) would name the working directory and fail, after the
  // inventory was read, as `cannot read --vars is a directory` (exit 3): a usage error at the door,
  // as for every other path option (src/io/empty-path.ts).
  if (options.vars?.includes('')) {
    throw new DomainError('usage', 'path-empty', '--vars is empty: give a path', {
      // The wording of emptyPathHint (src/io/empty-path.ts, which the core may not import).
      hint: "--vars was given as '' (a quoted shell variable that is not set expands to nothing)",
    });
  }
  // '.': path.resolve starts a relative path from the working directory, as it always did.
  const cwd = options.cwd ?? '.';
  const inventoryPath = resolve(cwd, options.inventory);
  const bytes = options.inventoryText === undefined ? options.inventoryBytes : undefined;
  const given = options.inventoryText !== undefined || bytes !== undefined;
  // A JSON file above JSON_WHOLE_PARSE_BYTES is read from disk at each pass, not kept as text.
  const streamedJson =
    !given &&
    (options.inventoryFormat ?? inventoryFormatOf(options.inventory)) === 'json' &&
    fileSize(inventoryPath) > JSON_WHOLE_PARSE_BYTES;
  const format =
    options.inventoryFormat ??
    inventoryFormatOf(options.inventory) ??
    (given ? sniffInventoryFormat(options.inventoryText ?? utf8Head(bytes!)) : undefined);
  // JSON bytes stay bytes (the reader decodes a small inventory itself); anything else is text.
  const inventoryText =
    streamedJson || (bytes && format === 'json')
      ? ''
      : (options.inventoryText ??
        (bytes
          ? decodedText(bytes, options.inventory)
          : readText(inventoryPath, 'inventory', options.inventory)));
  let inventory: InventoryReader;
  try {
    inventory = new InventoryReader(
      streamedJson ? { path: inventoryPath } : bytes && format === 'json' ? bytes : inventoryText,
      options.inventory,
      format,
    );
  } catch (err) {
    if (err instanceof InventoryError) throw inventoryFailure(err.problems);
    throw err;
  }
  const varsFiles: VarsFile[] = [];
  const problems: InventoryProblem[] = [];
  for (const v of options.vars ?? []) {
    const parsed = parseVarsFile(readText(resolve(cwd, v), '--vars', v), v);
    if (Array.isArray(parsed)) for (const p of parsed) problems.push(p);
    else varsFiles.push(parsed);
  }
  varsFiles.push(...(options.varsFiles ?? []));
  const discardPrestarted = prestartFor(options, format, inventoryText);
  try {
    return checked(options, cwd, inventory, varsFiles, problems, discardPrestarted);
  } catch (err) {
    discardPrestarted();
    throw err;
  }
}

/** load()'s checking pass and the rest of what it returns. */
function checked(
  options: RenderOptions,
  cwd: string,
  inventory: InventoryReader,
  varsFiles: VarsFile[],
  problems: InventoryProblem[],
  discardPrestarted: () => void,
): Loaded {
  const groups = collectGroups(varsFiles, inventory.groups);
  const sources: LayerSources = {
    varsFiles,
    inventoryFile: options.inventory,
    defaults: inventory.defaults,
    groups,
  };

  // The checking pass. Devices are checked one at a time (groups too) and not kept.
  const wanted = options.devices ?? [];
  const selected = new Map<string, InventoryDevice>();
  // Output names are taken here, so that two devices given one name stop the run before
  // anything is written. A device whose name cannot be made is left to the rendering pass,
  // which reports it as that device's failure.
  const names = options.out !== undefined && wanted.length === 0 ? new NameTable() : undefined;
  const namesNeedVars = names !== undefined && namePatternOf(options).includes('$(');
  const merger = namesNeedVars ? new VariableMerger(sources) : undefined;
  let count = 0;
  for (const device of inventory.devices(problems)) {
    count++;
    const before = problems.length;
    for (const p of checkGroups([device], groups, options.inventory)) problems.push(p);
    for (const w of wanted) {
      if (!selected.has(w) && matchesDevice(device, w)) selected.set(w, device);
    }
    if (names && problems.length === before) {
      const named = outputNameOf(options, device, merger ? merger.merge(device) : {});
      if ('name' in named) {
        const key = nameKey(named.name);
        if (!names.add(key, nameOwner(device.where, named.name, key))) {
          problems.push({
            file: options.inventory,
            where: device.where,
            field: '--name',
            message: nameClash(named.name, names.get(key)!, key, options.inventory),
          });
        }
      }
    }
  }
  if (problems.length === 0 && inventory.lastPassRows === 0) {
    problems.push(noDevicesProblem(options.inventory));
  }
  if (problems.length > 0) throw inventoryFailure(problems);

  // The rendering pass: already checked, so no duplicate maps (its only per-device memory).
  let devices: () => Iterable<InventoryDevice> = () => inventory.devices([], { duplicates: false });
  if (wanted.length > 0) {
    // One device named twice (`--device 0056.2b04.3615 --device 00:56:2B:04:36:15`, or by its MAC
    // and its serial) is rendered once.
    const list = [
      ...new Set(
        wanted.map((w) => {
          const found = selected.get(w);
          if (!found) throw deviceNotFound(w, options.inventory);
          return found;
        }),
      ),
    ];
    devices = () => list;
    count = list.length;
  }

  return {
    cwd,
    count,
    devices,
    sources,
    templates: templatesOf(options, cwd),
    discardPrestarted,
    ...(names ? { names } : {}),
  };
}

/** The templates: `templateText` (a service's template, no file), or read from `--template`. */
function templatesOf(options: RenderOptions, cwd: string): TemplateSource {
  if (options.templateText !== undefined) {
    const file = resolve(cwd, options.template ?? 'template.liquid');
    return { root: dirname(file), file, texts: { [file]: options.templateText } };
  }
  const templatePath =
    options.template !== undefined ? resolve(cwd, options.template) : bundledTemplatesDir();
  try {
    return templateSourceOf(templatePath);
  } catch (err) {
    const shownAs = options.template ?? templatePath;
    throw new DomainError(
      'io',
      'read-failed',
      `cannot read --template ${describeSystemError(err, shownAs)}`,
      { file: shownAs, field: '--template' },
    );
  }
}

/** The `--name` pattern: the user's, or the default (`$MA.xml`, `$MA.cfg` when encrypting). */
function namePatternOf(options: RenderOptions): string {
  return options.name ?? defaultNamePattern(options.encryption !== undefined);
}

/**
 * A device's output file name, or why it has none. A device known only by its serial
 * (ATA191/192) gets `$SN…` unless --name says otherwise.
 */
function outputNameOf(
  options: RenderOptions,
  device: InventoryDevice,
  vars: Vars,
): { name: string } | { error: string } {
  const pattern = namePatternOf(options);
  const devicePattern =
    options.name === undefined && device.mac === undefined
      ? pattern.replace('$MA', '$SN')
      : pattern;
  return fileNameFor(devicePattern, { ...device, vars });
}

/**
 * Starts the workers a render will use while its inventory is checked, when it is large enough
 * for workers, written to --out, and no --device selection: a CSV inventory (its lines count
 * the devices, at most one too many: the header), or a YAML one read a device at a time (above
 * {@link YAML_WHOLE_PARSE_CHARS}; counted as one device per KiB, fewer than any real inventory
 * has — a worker started for too few devices is discarded). Started early, a worker's heap
 * stays small: started after the reading, it grew to twice the size (100,000 YAML devices:
 * peak RSS 300 MB, 277 MB with it prestarted).
 */
function prestartFor(options: RenderOptions, format: string | undefined, text: string): () => void {
  const none = (): void => {};
  if (!options.prestartWorkers || options.out === undefined || options.devices?.length) return none;
  let devices: number;
  if (format === 'csv') {
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    devices = Math.max(0, lines - 1);
  } else if (format === 'yaml' && text.length > YAML_WHOLE_PARSE_CHARS) {
    devices = Math.floor(text.length / 1024);
  } else return none;
  const count = chooseWorkerCount(options.jobs, devices);
  return count > 1 ? options.prestartWorkers(count) : none;
}

/** Whether a device is the one `wanted` names: its MAC in any notation, or its serial. */
function matchesDevice(device: InventoryDevice, wanted: string): boolean {
  const mac = normalizeMac(wanted);
  return (
    (mac !== undefined && device.mac === mac) ||
    (device.serial !== undefined && device.serial.toUpperCase() === wanted.trim().toUpperCase())
  );
}

function deviceNotFound(wanted: string, file: string): DomainError {
  return new DomainError(
    'usage',
    'device-not-found',
    `no device ${wanted} in ${file} (give a MAC or a serial number)`,
    { file },
  );
}

/**
 * A device by MAC (any notation) or serial; a usage error when the inventory has none.
 * @example const { devices } = parseInventory(text, 'inventory.csv');
 * findDevice(devices, '0056.2b04.3615', 'inventory.csv').where // 'row 2'
 */
export function findDevice(
  devices: readonly InventoryDevice[],
  wanted: string,
  file: string,
): InventoryDevice {
  const found = devices.find((d) => matchesDevice(d, wanted));
  if (!found) throw deviceNotFound(wanted, file);
  return found;
}

/**
 * What explainRender returns: the device, its template, its layers and every final variable.
 * @example explainRender({ ...options, explain: '00562b043615' }).layers
 * // ['model 8841 built-ins', …]
 */
export interface ExplainResult {
  device: string;
  source: string;
  template: string;
  layers: string[];
  variables: ExplainedVariable[];
}

/**
 * The key of an output name among the names taken: its lower case (and, beyond ASCII, its NFC
 * form), so that two names differing only in case or in Unicode normalization clash. They are
 * one file on a case-insensitive file system — macOS and Windows by default, many SMB shares
 * and the TFTP servers on them — where the second device's profile (and its passwords) would
 * silently replace the first's.
 */
function nameKey(name: string): string {
  const lower = name.toLowerCase();
  return /[^ -~]/.test(lower) ? lower.normalize('NFC') : lower;
}

/** What the table of names keeps for a name: where its device is, and the name unless it is its key. */
function nameOwner(where: string, name: string, key: string): string {
  return name === key ? where : `${where}\u0000${name}`;
}

/** The message for a name already taken (by its key), naming the other device and its name. */
function nameClash(name: string, owner: string, key: string, inventory: string): string {
  const cut = owner.indexOf('\u0000');
  const where = cut === -1 ? owner : owner.slice(0, cut);
  const other = cut === -1 ? key : owner.slice(cut + 1);
  return other === name
    ? `file name ${name} is also the name of ${inventory} ${where} (make --name unique)`
    : `file name ${name} differs only in case from ${other}, the name of ${inventory} ${where}: one file on a case-insensitive file system (make --name unique)`;
}

/**
 * `render --explain <mac|serial>`: every variable's final value and the layer that set it,
 * secrets masked, and the template the device would use.
 * @example const options = { inventory: 'examples/inventory.csv', vars: ['examples/site.yaml'] };
 * explainRender({ ...options, explain: '00:56:2b:04:36:15' }).variables
 *   .find((v) => v.path === 'admin_password') // { value: '********', secret: true, … }
 */
export function explainRender(
  options: RenderOptions & {
    explain: string;
    /** Fields that hold a secret whatever their name (`--key-field pk`): masked too. */
    secretFields?: readonly string[];
  },
): ExplainResult {
  const loaded = load({ ...options, devices: [options.explain] });
  const [device] = loaded.devices() as InventoryDevice[];
  if (!device) throw deviceNotFound(options.explain, options.inventory);
  const layers = deviceLayers(device, loaded.sources);
  const chooser = new TemplateChooser(loaded.templates);
  const named = typeof device.fields.template === 'string' ? device.fields.template : undefined;
  const choice = chooser.choose(device.phone, named);
  return {
    device: device.mac ?? device.serial ?? '',
    source: `${options.inventory} ${device.where}`,
    template: 'path' in choice ? shownPath(loaded.cwd, choice.path) : `(none: ${choice.error})`,
    layers: layers.map((l) => l.name),
    variables: explainLayers(layers, options.secretFields),
  };
}

function secretField(vars: object, field: string): string | undefined {
  const v = getPath(vars as Record<string, unknown>, field);
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/**
 * Renders the inventory's devices.
 * @example await render({ inventory: 'examples/inventory.csv', template: 'templates', out: 'out' })
 */
export async function render(options: RenderOptions): Promise<RenderResult> {
  const loaded = load(options);
  try {
    return await renderLoaded(options, loaded);
  } finally {
    loaded.discardPrestarted();
  }
}

async function renderLoaded(options: RenderOptions, loaded: Loaded): Promise<RenderResult> {
  const enc = options.encryption;
  if (enc) {
    if (
      enc.cipher === 'aes-256-cbc' &&
      enc.passphrase === undefined &&
      enc.keyField === undefined
    ) {
      throw new DomainError(
        'usage',
        'key-missing',
        '--encrypt aes-256-cbc needs --key, --key-file, --key-env or --key-field',
      );
    }
    if (enc.cipher === 'aes128gcm' && enc.ikm === undefined && enc.ikmField === undefined) {
      throw new DomainError(
        'usage',
        'ikm-missing',
        '--encrypt aes128gcm needs --ikm, --ikm-file, --ikm-env or --ikm-field',
      );
    }
  }
  const outDir = options.out !== undefined ? resolve(loaded.cwd, options.out) : undefined;
  if (outDir === undefined && loaded.count !== 1) {
    throw new DomainError(
      'usage',
      'out-missing',
      `--out <dir> is needed to render ${loaded.count} devices`,
      { hint: 'without --out, select one device with --device and the profile goes to stdout' },
    );
  }
  const writeFile = options.writeFile;
  if (outDir !== undefined && writeFile === undefined) {
    throw new DomainError('usage', 'writer-missing', 'render to a directory needs a writeFile');
  }
  if (outDir !== undefined && existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new DomainError('usage', 'out-not-directory', `--out ${options.out}: not a directory`, {
      field: '--out',
    });
  }
  if (outDir !== undefined && options.dryRun !== true) {
    assertOutWritable(outDir, options.out!, !namePatternOf(options).includes('/'));
  }

  const settings: RendererSettings = {
    templates: loaded.templates,
    ...(outDir !== undefined ? { outDir } : {}),
    ...(enc
      ? {
          encryption: {
            cipher: enc.cipher,
            md: enc.md ?? 'md5',
            ...(enc.passphrase !== undefined ? { passphrase: enc.passphrase } : {}),
            ...(enc.ikm !== undefined ? { ikm: enc.ikm } : {}),
          },
        }
      : {}),
    gzip: options.gzip === true,
    dryRun: options.dryRun === true,
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
  };

  const total = loaded.count;
  /** Reports of devices started and not yet handed on, by id (at most the jobs in flight). */
  const pending = new Map<number, RenderDeviceReport>();
  /** Finished reports waiting for an earlier device (completion order is not inventory order). */
  const finished = new Map<number, RenderDeviceReport>();
  let nextToHand = 0;
  const kept: RenderDeviceReport[] = [];
  const handOn = options.onDevice ?? ((d: RenderDeviceReport) => kept.push(d));
  const summary = { total, written: 0, unchanged: 0, 'would-write': 0, failed: 0 };
  let ioFailures = 0;
  const chooser = new TemplateChooser(loaded.templates);
  const merger = new VariableMerger(loaded.sources);
  /**
   * Each output name → where its device is in the inventory (the one map that grows with the
   * fleet; off V8's heap, see name-table.ts).
   */
  const usedNames = loaded.names ?? new NameTable();
  const inputs = new InputFiles(loaded.cwd, options, loaded.templates);
  const outputDirs = new Set<string>();
  /** Each template's path as reports show it (a handful of templates for the whole run). */
  const shownTemplates = new Map<string, string>();

  /** Jobs, built one at a time as the renderer asks for them (streaming). */
  function* jobs(): Generator<RenderJob | RenderJobResult> {
    let id = -1;
    for (const device of loaded.devices()) {
      id++;
      const report: RenderDeviceReport = {
        device: device.mac ?? device.serial ?? '',
        ...(device.mac ? { mac: device.mac } : {}),
        ...(device.serial ? { serial: device.serial } : {}),
        model: device.phone.model,
        source: `${options.inventory} ${device.where}`,
        status: 'failed',
      };
      pending.set(id, report);
      const jobId = id;
      const fail = (failure: FailureKind, error: string): RenderJobResult => ({
        id: jobId,
        status: 'failed',
        failure,
        error,
      });
      const named = typeof device.fields.template === 'string' ? device.fields.template : undefined;
      const choice = chooser.choose(device.phone, named);
      if ('error' in choice) {
        const why = named ? `field template: ${choice.error}` : choice.error;
        yield fail(choice.io === true ? 'io' : 'template', why);
        continue;
      }
      let shown = shownTemplates.get(choice.path);
      if (shown === undefined) {
        shown = shownPath(loaded.cwd, choice.path);
        shownTemplates.set(choice.path, shown);
      }
      report.template = shown;
      const vars = merger.merge(device);
      let file: string | undefined;
      if (outDir !== undefined) {
        const named = outputNameOf(options, device, vars);
        if ('error' in named) {
          yield fail('input', named.error);
          continue;
        }
        file = named.name;
        // Taken by the checking pass already (the whole inventory), or here (a --device list).
        const key = nameKey(file);
        const owner = usedNames.get(key);
        if (owner !== undefined && owner !== nameOwner(device.where, file, key)) {
          yield fail('input', nameClash(file, owner, key, options.inventory));
          continue;
        }
        if (owner === undefined) usedNames.add(key, nameOwner(device.where, file, key));
        report.file = file;
        const input = inputs.overwrittenBy(join(outDir, file), choice.path);
        if (input) {
          yield fail('input', `file name ${file} would overwrite ${input}, an input of this run`);
          continue;
        }
        const dir = dirname(join(outDir, file));
        if (!outputDirs.has(dir)) {
          outputDirs.add(dir);
          options.onOutputDirectory?.(dir);
        }
      }
      const job: RenderJob = {
        id: jobId,
        templatePath: choice.path,
        vars,
        model: device.phone.model,
        ...(file !== undefined ? { file } : {}),
      };
      if (enc?.keyField !== undefined && enc.cipher === 'aes-256-cbc') {
        const passphrase = secretField(vars, enc.keyField);
        if (passphrase === undefined) {
          yield fail('input', `field ${enc.keyField}: missing or empty (--key-field)`);
          continue;
        }
        job.passphrase = passphrase;
      }
      if (enc?.ikmField !== undefined && enc.cipher === 'aes128gcm') {
        const ikm = secretField(vars, enc.ikmField);
        if (ikm === undefined) {
          yield fail('input', `field ${enc.ikmField}: missing or empty (--ikm-field)`);
          continue;
        }
        job.ikm = ikm;
      }
      yield job;
    }
  }

  let done = 0;
  let stdout: Uint8Array | undefined;
  const onResult = (r: RenderJobResult): void => {
    const report = pending.get(r.id)!;
    pending.delete(r.id);
    report.status = r.status;
    if (r.failure) report.failure = r.failure;
    if (r.error) report.error = r.error;
    if (r.diagnostics) report.diagnostics = r.diagnostics;
    if (r.bytes !== undefined) report.bytes = r.bytes;
    if (r.output) stdout = r.output;
    summary[r.status]++;
    if (r.failure === 'io') ioFailures++;
    finished.set(r.id, report);
    for (let next = finished.get(nextToHand); next; next = finished.get(nextToHand)) {
      finished.delete(nextToHand++);
      handOn(next);
    }
    done++;
    options.onProgress?.(done, total);
  };

  const workerCount = chooseWorkerCount(options.jobs, total);
  if (workerCount <= 1 || outDir === undefined || options.runInWorkers === undefined) {
    await renderInProcess(jobs(), settings, writeFile ?? refuseWrite, onResult);
  } else {
    await options.runInWorkers(jobs(), settings, workerCount, onResult);
  }

  return {
    report: {
      inventory: options.inventory,
      ...(options.out !== undefined ? { out: options.out } : {}),
      dryRun: settings.dryRun,
      encrypted: enc !== undefined,
      gzip: settings.gzip,
      summary,
      devices: kept,
    },
    ioFailures,
    ...(stdout ? { stdout } : {}),
  };
}

/**
 * Fails the run once, before any device is rendered, when --out cannot be written — as a user
 * other than root, a root-owned directory or parent — instead of one "cannot write" line per
 * device (10,000 of them for a fleet). A missing --out needs a writable parent to be made; an
 * existing one is checked only when every file goes straight into it (`flat`: a --name with
 * subdirectories may write into ones that are writable under a directory that is not).
 * Root passes (but a read-only file system does not).
 */
function assertOutWritable(outDir: string, shown: string, flat: boolean): void {
  let dir = outDir;
  while (!existsSync(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
  if (dir === outDir && !flat) return;
  try {
    if (!statSync(dir).isDirectory()) return; // "not a directory": said when it is written
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const where = dir === outDir ? shown : `${shown} (in ${dir})`;
    throw new DomainError(
      'io',
      'out-not-writable',
      `cannot write --out ${describeSystemError(err, where)}`,
      {
        field: '--out',
      },
    );
  }
}

/** A file's identity on disk (device and inode), or undefined when it does not exist. */
function identityOf(path: string): string | undefined {
  try {
    // throwIfNoEntry: most targets are new files, and an Error per device is measurable.
    const st = statSync(path, { throwIfNoEntry: false });
    return st ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The files a run reads — inventory, `--vars` files, templates — so that no output name replaces
 * one of them (`--name inv.csv` into the inventory's directory). Compared by device and inode, so
 * a symlink or a hard link to an input is caught too; any `.liquid` file under the template
 * directory counts as a template (partials and layouts).
 */
class InputFiles {
  private readonly byIdentity = new Map<string, string>();
  /** Each template's identity, looked up once. */
  private readonly templateIdentity = new Map<string, string>();
  private readonly templateRoot: string;

  constructor(cwd: string, options: RenderOptions, templates: TemplateSource) {
    if (options.inventoryText === undefined && options.inventoryBytes === undefined) {
      this.add(resolve(cwd, options.inventory), `the inventory ${options.inventory}`);
    }
    for (const v of options.vars ?? []) this.add(resolve(cwd, v), `the --vars file ${v}`);
    if (templates.file !== undefined) this.add(templates.file, `the template ${templates.file}`);
    this.templateRoot = templates.root;
  }

  private add(path: string, what: string): void {
    const id = identityOf(path);
    if (id !== undefined) this.byIdentity.set(id, what);
  }

  /**
   * An input exists before the run, so a name missing from its directory's first listing is no
   * input, and needs no stat (one fewer system call per device in the thread that feeds the
   * workers).
   */
  private readonly listed = new ListedDirectories();

  /** What input `target` is, or undefined when it is none. */
  overwrittenBy(target: string, templatePath: string): string | undefined {
    const id = this.listed.mayExist(target) ? identityOf(target) : undefined;
    if (id !== undefined) {
      const known = this.byIdentity.get(id);
      if (known) return known;
      let template = this.templateIdentity.get(templatePath);
      if (template === undefined) {
        template = identityOf(templatePath) ?? '';
        this.templateIdentity.set(templatePath, template);
      }
      if (id === template) return `the template ${templatePath}`;
    }
    if (target.endsWith(TEMPLATE_EXTENSION) && target.startsWith(this.templateRoot + sep)) {
      return `a template under ${this.templateRoot}`;
    }
    return undefined;
  }
}

/** Batches below this many devices render in this thread: a worker costs ~0.3 s of CPU to start. */
const MIN_DEVICES_FOR_WORKERS = 1000;

/** `--jobs`, or one thread per core (at most 4) for a batch large enough to gain from it. */
export function chooseWorkerCount(jobs: number | undefined, deviceCount: number): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, Math.ceil(deviceCount / 50)));
  if (deviceCount < MIN_DEVICES_FOR_WORKERS) return 1;
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** How many jobs go to a worker (or to this thread's renderer) in one batch. */
export const BATCH_SIZE = 50;

/** Without an output directory nothing is written: the profile comes back as bytes. */
const refuseWrite: WriteFile = (path) => {
  throw new Error(`cannot write ${path}: no writer given`);
};

/**
 * Renders every job in this thread, in batches; results to `onResult` in order. Between two
 * batches the event loop is let run (a macrotask, not only the microtasks an `await` of a
 * settled promise gives): a caller's SIGINT/SIGTERM handler runs only there — without it a
 * Ctrl-C of a one-thread `render -o dir` waited for every device to be written and the run could
 * then exit 0 (as crypto-batch.ts's one-thread batch did).
 */
async function renderInProcess(
  jobs: Iterable<RenderJob | RenderJobResult>,
  settings: RendererSettings,
  writeFile: WriteFile,
  onResult: (result: RenderJobResult) => void,
): Promise<void> {
  let renderer: DeviceRenderer | undefined;
  let batch: RenderJob[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    renderer ??= new DeviceRenderer(settings, writeFile);
    const results = await renderer.processBatch(batch);
    batch = [];
    for (const r of results) onResult(r);
    await new Promise((done) => setImmediate(done));
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
