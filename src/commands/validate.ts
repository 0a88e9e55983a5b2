/**
 * `cisco-prov validate`: typed options in, typed result out. Reads files, directories and
 * stdin; opens gzip'd and encrypted profiles with the key given; runs the rules. No printing,
 * no process.exit: usage and I/O problems are thrown as CliError.
 */
import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { findModel, MODELS } from '../device/models.js';
import { CliError, ExitCode, describeSystemError, type ExitCodeValue } from '../errors.js';
import { joinFsPath, listDirectorySync, type FsPath, type ListedEntry } from '../io/dir-names.js';
import { followsLink, skippedLinkWarning, walkLinks, type WalkLinks } from '../io/walk-links.js';
import { readStdinUpTo } from '../io/input.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { resolveKeys } from '../io/keys.js';
import type { SecretSources } from '../io/secrets.js';
import type { FileDiagnostics } from '../validate/diagnostic.js';
import type { ReportFormat } from '../output/diagnostics-format.js';
import type { Catalog } from '../profile/catalog.js';
import type { RuleId } from '../validate/rule-ids.js';
import type { EmptyValueMode } from '../validate/define-rule.js';
import type { Digest } from '../crypto/index.js';
import type { FileCheckSettings } from '../validate/file.js';
import { unreadableFile } from '../validate/unreadable.js';
import { validateThreads, WORKER_THRESHOLD } from '../io/early-workers.js';
import { workersFor } from './validate-workers.js';

export interface ValidateCommandOptions {
  /** Files, directories, or `-` for stdin. */
  inputs: readonly string[];
  /** Phone model for model-capacity (`8841`, `CP-8841-3PCC`). */
  model?: string | undefined;
  /** AES-256-CBC passphrase sources (`--key`, `--key-file`, `--key-env`). */
  key?: SecretSources;
  /** RFC 8188 IKM sources (`--ikm`, `--ikm-file`, `--ikm-env`). */
  ikm?: SecretSources;
  /** A catalog file that extends or overrides the built-in catalog. */
  catalog?: string | undefined;
  /** Warnings count as failure (exit 1). */
  strict?: boolean;
  /** Rule ids not to run. */
  ignoreRules?: readonly RuleId[];
  /** What an empty value is taken for: `accept` (default) or `warn` (reference §1, [open]). */
  emptyValues?: EmptyValueMode;
  /** Only this EVP_BytesToKey digest for AES-256-CBC profiles (default: md5, then sha256). */
  md?: Digest;
  /** Directory relative paths are resolved against (default: process.cwd()). */
  cwd?: string;
  /**
   * Threads for many files (this one and `jobs` − 1 workers): a number, or undefined for
   * automatic.
   */
  jobs?: number | undefined;
  /** Reads stdin (injectable for tests). */
  readStdin?: () => Promise<Uint8Array>;
  /**
   * Takes each file's result in input order as soon as it is known; then none is kept (the
   * result's `files` is empty), so memory does not grow with the number of files.
   */
  onFile?: (result: CheckedFile) => void;
  /**
   * With `onFile`: files checked on worker threads come with their report text already
   * rendered in this format and encoded as UTF-8 (`bytes`), and without their diagnostics,
   * which then never cross to the main thread. Files checked in this thread come as they are.
   */
  renderWith?: ReportFormat;
  /**
   * Takes the line for each file or directory that cannot be read (`cannot read <path>:
   * permission denied`); the run goes on without it and ends with exit 3.
   */
  onReadError?: (message: string) => void;
  /** Takes the notes (see ValidateResult) before the first file is checked. */
  onNotes?: (notes: readonly string[]) => void;
  /** `--follow-links`: follow symbolic links met in an input directory (src/io/walk-links.ts). */
  followLinks?: boolean;
}

/**
 * A file's result; with `renderWith`, perhaps rendered: its report text as UTF-8 in `bytes`
 * (see RenderedBytes in src/output/diagnostics-format.ts), `diagnostics` empty.
 */
export interface CheckedFile extends FileDiagnostics {
  bytes?: Uint8Array;
}

export interface ValidateResult {
  /** Every file's result in input order; empty when `onFile` took them. */
  files: FileDiagnostics[];
  errorCount: number;
  warningCount: number;
  /** Files and directories that could not be read (each went to onReadError): exit 3. */
  unreadableCount: number;
  exitCode: ExitCodeValue;
  /** Warnings for stderr (a secret typed on the command line). */
  notes: string[];
}

/** File names a directory walk takes as profiles. */
const PROFILE_FILE = /\.(xml|cfg|gz|enc|ece|aes|bin)$/i;

/**
 * Exit code from the counts: 1 on errors, or on warnings with --strict; else 0.
 * @example exitCodeFor(0, 2, true) // 1
 */
function exitCodeFor(errors: number, warnings: number, strict: boolean): ExitCodeValue {
  return errors > 0 || (strict && warnings > 0) ? ExitCode.Bad : ExitCode.Ok;
}

/** Reads the user's catalog file and merges it over the built-in one. */
async function loadCatalog(path: string | undefined, cwd: string): Promise<Catalog> {
  const { DEFAULT_CATALOG } = await import('../profile/catalog-data/index.js');
  if (path === undefined) return DEFAULT_CATALOG;
  const [{ mergeCatalog }, { parseCatalogJson }] = await Promise.all([
    import('../profile/catalog.js'),
    import('../profile/catalog-json.js'),
  ]);
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    throw new CliError(ExitCode.Failure, `cannot read --catalog ${describeSystemError(err, path)}`);
  }
  try {
    return mergeCatalog(DEFAULT_CATALOG, parseCatalogJson(text, path));
  } catch (err) {
    throw new CliError(ExitCode.Usage, `--catalog ${(err as Error).message}`);
  }
}

/**
 * Collects profile files under `dir` (shown as given, read relative to `cwd`), sorted, hidden
 * entries skipped. A symbolic link is skipped unless --follow-links (src/io/walk-links.ts); then
 * symlinked directories are followed once (a loop is not walked twice). A name
 * that is not UTF-8 is read by its bytes and shown escaped (src/io/dir-names.ts).
 * @param fsDir `dir` for node:fs: the bytes, once a name on the way is not UTF-8
 */
function walkDirectory(
  dir: string,
  cwd: string,
  out: Input[],
  seen: Set<string>,
  links: WalkLinks,
  fsDir: FsPath = dir,
): void {
  const absolute = absoluteFsPath(cwd, fsDir);
  let entries: ListedEntry[];
  try {
    // realpathSync itself decodes a path of bytes as UTF-8 first; its native form does not.
    const real =
      typeof absolute === 'string'
        ? realpathSync(absolute)
        : realpathSync.native(absolute, { encoding: 'buffer' }).toString('latin1');
    if (seen.has(real)) return;
    seen.add(real);
    entries = listDirectorySync(absolute);
  } catch (err) {
    // One directory it cannot read stops no run: it is reported, the rest is walked.
    out.push(unreadableFile(dir, err));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, fsName, entry } of entries) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const fsPath =
      typeof fsDir === 'string' && typeof fsName === 'string' ? path : joinFsPath(fsDir, fsName);
    // The listing gives each entry's type: a stat per file (10,000 of them ahead of the
    // workers' start) only for what it does not settle, a symbolic link, which is followed.
    let kind: { isDirectory(): boolean; isFile(): boolean } = entry;
    if (entry.isSymbolicLink() && !followsLink(links, path)) continue;
    if (entry.isSymbolicLink() || !(entry.isFile() || entry.isDirectory())) {
      try {
        kind = statSync(absoluteFsPath(cwd, fsPath));
      } catch (err) {
        out.push(unreadableFile(path, err));
        continue;
      }
    }
    if (kind.isDirectory()) walkDirectory(path, cwd, out, seen, links, fsPath);
    else if (kind.isFile() && PROFILE_FILE.test(name)) {
      out.push(typeof fsPath === 'string' ? path : { shown: path, fsPath });
    }
  }
}

/** `path` resolved against `cwd`, bytes kept bytes. */
function absoluteFsPath(cwd: string, path: FsPath): FsPath {
  if (typeof path === 'string')
    return isPlainName(path) ? inDirectory(cwd, path) : resolve(cwd, path);
  return path[0] === sep.charCodeAt(0) ? path : joinFsPath(resolve(cwd), path);
}

/**
 * Whether `name` is one name with nothing for path.resolve to do (no separator, not `.` or `..`,
 * not empty): a shell's `*.xml` gives 10,000 of them, and path.resolve's scan of each (with its
 * dirname and basename) took ≈ 100 ms of the main thread before the first file could be checked
 * (issue 12). POSIX only: on Windows, path.resolve decides (drive letters, both separators).
 */
function isPlainName(name: string): boolean {
  return sep === '/' && name !== '' && name !== '.' && name !== '..' && !name.includes('/');
}

/** A plain name (see isPlainName) in `dir`, as path.resolve(dir, name) would give it. */
function inDirectory(dir: string, name: string): string {
  const base = absoluteDirectory(dir);
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

/**
 * path.resolve(dir); once per directory when `dir` is absolute (a relative one depends on the
 * process's working directory, which may change between calls).
 */
function absoluteDirectory(dir: string): string {
  if (!dir.startsWith('/')) return resolve(dir);
  let base = absoluteDirectories.get(dir);
  if (base === undefined) {
    base = resolve(dir);
    absoluteDirectories.set(dir, base);
  }
  return base;
}
const absoluteDirectories = new Map<string, string>();

/**
 * A file found by a walk whose path is not UTF-8: shown escaped, read by its bytes; or a file
 * named on the command line that is not a regular file (`special`: a FIFO, a device), which the
 * pool reads by its size (see checkProfileFiles), as it always was.
 */
interface BytePathFile {
  shown: string;
  fsPath: Buffer | string;
  special?: true;
}

/** A file to check, or the result for one (or a directory) that cannot be read. */
type Input = string | BytePathFile | FileDiagnostics;

/**
 * Expands the inputs: a directory means every profile file in it, recursively. What cannot be
 * read inside a directory is an unreadableFile result in its place.
 */
function expandInputs(inputs: readonly string[], cwd: string, links: WalkLinks): Input[] {
  const files: Input[] = [];
  const listed = listedKinds(inputs, cwd);
  for (const [index, input] of inputs.entries()) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    let stats: { isDirectory(): boolean; isFile(): boolean } | undefined = listed(index);
    try {
      stats ??= statSync(resolve(cwd, input));
    } catch (err) {
      throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, input)}`);
    }
    if (stats.isDirectory()) {
      const found: Input[] = [];
      walkDirectory(input, cwd, found, new Set(), links);
      if (found.length === 0) {
        throw new CliError(
          ExitCode.Usage,
          `${input}: no profiles in this directory`,
          links.skipped.length > 0
            ? `its symbolic links were skipped (${links.skipped.length}): give --follow-links to follow them`
            : 'profiles end in .xml, .cfg, .gz, .enc, .ece, .aes or .bin',
        );
      }
      for (const f of found) files.push(f); // no spread: 150,000 files overflow the stack
    } else files.push(stats.isFile() ? input : { shown: input, fsPath: input, special: true });
  }
  return files;
}

/**
 * The type of named inputs from one listing of their directory, where many are named in one (a
 * shell's `*.xml`): 10,000 stats took ≈ 100 ms before the first file could be checked, and the
 * listing of their directory takes ≈ 25 ms. Undefined where the listing does not settle it (a
 * name not in it as given, a symbolic link — named links are followed —, another type, a
 * directory that cannot be listed): a stat decides, and reports, as for any other input.
 */
function listedKinds(
  inputs: readonly string[],
  cwd: string,
): (index: number) => Dirent | undefined {
  if (inputs.length < LISTED_INPUTS) return () => undefined;
  // Each input's directory and name; a plain name's without path.resolve (see isPlainName).
  const dirs: string[] = [];
  const names: string[] = [];
  let base: string | undefined;
  for (const input of inputs) {
    if (isPlainName(input)) {
      dirs.push((base ??= absoluteDirectory(cwd)));
      names.push(input);
    } else {
      const path = resolve(cwd, input);
      dirs.push(dirname(path));
      names.push(basename(path));
    }
  }
  const perDirectory = new Map<string, number>();
  for (const dir of dirs) perDirectory.set(dir, (perDirectory.get(dir) ?? 0) + 1);
  const listings = new Map<string, Map<string, Dirent> | null>();
  return (index) => {
    const dir = dirs[index]!;
    if ((perDirectory.get(dir) ?? 0) < LISTED_INPUTS) return undefined;
    let listing = listings.get(dir);
    if (listing === undefined) {
      try {
        listing = new Map();
        for (const entry of readdirSync(dir, { withFileTypes: true }))
          listing.set(entry.name, entry);
      } catch {
        listing = null;
      }
      listings.set(dir, listing);
    }
    const entry = listing?.get(names[index]!);
    return entry !== undefined && (entry.isFile() || entry.isDirectory()) ? entry : undefined;
  };
}

/** Named inputs in one directory from which its listing is cheaper than a stat of each. */
const LISTED_INPUTS = 64;

/**
 * Validates every input and returns the diagnostics per file, the counts and the exit code.
 * @example await validate({ inputs: ['profiles/'], model: '8841', strict: true })
 */
export async function validate(options: ValidateCommandOptions): Promise<ValidateResult> {
  const cwd = options.cwd ?? process.cwd();
  if (options.inputs.length === 0) {
    throw new CliError(ExitCode.Usage, 'no input given', 'pass files, directories, or - for stdin');
  }
  // An input or --catalog given as '' ("$DIR" with DIR unset) would be the current directory.
  refuseEmptyPaths({
    'an input': options.inputs.includes('') ? '' : undefined,
    '--catalog': options.catalog,
  });
  if (options.inputs.filter((i) => i === '-').length > 1) {
    throw new CliError(ExitCode.Usage, 'stdin (-) can be given only once');
  }
  const ignoreRules = options.ignoreRules ?? [];
  if (options.model !== undefined && !findModel(options.model)) {
    throw new CliError(
      ExitCode.Usage,
      `--model: unknown model '${options.model}'`,
      `known models: ${MODELS.map((m) => m.model).join(', ')}`,
    );
  }
  // A secret typed on the command line is noted (the CLI prints notes on stderr).
  const keys = resolveKeys({
    key: options.key?.value,
    keyFile: options.key?.file,
    keyEnv: options.key?.env,
    ikm: options.ikm?.value,
    ikmFile: options.ikm?.file,
    ikmEnv: options.ikm?.env,
  });
  const notes = keys.warnings;
  options.onNotes?.(notes);
  const settings: FileCheckSettings = {
    model: options.model,
    passphrase: keys.passphrase,
    ikm: keys.ikm,
    ignoreRules: [...ignoreRules],
    ...(options.emptyValues !== undefined ? { emptyValues: options.emptyValues } : {}),
    ...(options.md !== undefined ? { md: options.md } : {}),
  };
  const jobs = validateThreads(options.jobs);
  // Workers are likely (a directory, or many files): start them now (the CLI may have already),
  // so that their start-up overlaps this thread's listing of the inputs and loading of the
  // checks (≈ 300 KB of JavaScript with the built-in catalog); the run takes them, or they are
  // ended. Not waited for here: the pool's module loads while the inputs are listed.
  const starting = workersFor(options.inputs, cwd, jobs);
  starting.catch(() => {});
  // The checks and the catalog load while the inputs are listed and the workers fed: the
  // workers need neither from this thread (unless --catalog), and this thread's own share of the
  // files waits for them. Awaited on every path below; the empty catch only keeps a rejection
  // from counting as unhandled before then.
  const loading = Promise.all([loadCatalog(options.catalog, cwd), import('../validate/file.js')]);
  loading.catch(() => {});
  try {
    // A --catalog that cannot be read or used is reported first, before any input.
    if (options.catalog !== undefined) await loading;
    const links = walkLinks(options.followLinks);
    const files = expandInputs(options.inputs, cwd, links);
    const skippedLinks = links.skipped.map(skippedLinkWarning);
    if (skippedLinks.length > 0) {
      notes.push(...skippedLinks);
      options.onNotes?.(skippedLinks);
    }

    const results: FileDiagnostics[] = [];
    let errorCount = 0;
    let warningCount = 0;
    let unreadableCount = 0;
    const take = (result: CheckedFile): void => {
      if (result.readError !== undefined) {
        // Not in the report (it was not checked): one line on stderr, exit 3 at the end.
        unreadableCount++;
        options.onReadError?.(result.readError);
        return;
      }
      errorCount += result.errorCount;
      warningCount += result.warningCount;
      if (options.onFile) options.onFile(result);
      else results.push(result);
    };
    const readStdin = async (): Promise<Uint8Array> =>
      options.readStdin
        ? options.readStdin()
        : readLimitedStdin((await loading)[1].MAX_PROFILE_BYTES);
    const onDisk = files.filter(
      (f): f is string | BytePathFile => (typeof f === 'string' && f !== '-') || isBytePath(f),
    );
    if (onDisk.length >= WORKER_THRESHOLD && jobs > 1) {
      // What could not be listed is reported first; the files then come in input order.
      for (const f of files) if (typeof f !== 'string' && !isBytePath(f)) take(f);
      // stdin is checked first, so that its result can take its place among the workers' ones.
      const stdinAt = files.indexOf('-');
      let fromStdin: CheckedFile | undefined;
      if (stdinAt >= 0) {
        const [catalog, { checkProfileFile }] = await loading;
        fromStdin = checkProfileFile('<stdin>', await readStdin(), catalog, settings);
      }
      let at = 0;
      // The workers started ahead are in the pool's list before it looks for them.
      await starting;
      const { checkFilesInWorkers } = await import('../io/worker-pool.js');
      await checkFilesInWorkers(
        onDisk.map((f) => absoluteFsPath(cwd, typeof f === 'string' ? f : f.fsPath)),
        onDisk.map((f) => (typeof f === 'string' ? f : f.shown)),
        {
          ...settings,
          // The built-in catalog is each thread's own; a --catalog's, merged here, goes along.
          catalog: options.catalog === undefined ? undefined : (await loading)[0],
          renderWith: options.onFile ? options.renderWith : undefined,
        },
        jobs,
        (result) => {
          if (at++ === stdinAt && fromStdin) {
            take(fromStdin);
            at++;
          }
          take(result);
        },
        specialIndexes(onDisk),
      );
      if (at === stdinAt && fromStdin) take(fromStdin);
    } else {
      const [catalog, { checkProfileFile, readFileUpTo }] = await loading;
      for (const input of files) {
        const file = isBytePath(input) ? input.shown : input;
        if (typeof file !== 'string') take(file);
        else if (file === '-')
          take(checkProfileFile('<stdin>', await readStdin(), catalog, settings));
        else {
          let bytes: Uint8Array;
          try {
            bytes = readFileUpTo(absoluteFsPath(cwd, isBytePath(input) ? input.fsPath : file));
          } catch (err) {
            take(unreadableFile(file, err));
            continue;
          }
          take(checkProfileFile(file, bytes, catalog, settings));
        }
      }
    }
    return {
      files: results,
      errorCount,
      warningCount,
      unreadableCount,
      exitCode:
        unreadableCount > 0
          ? ExitCode.Failure
          : exitCodeFor(errorCount, warningCount, options.strict === true),
      notes,
    };
  } finally {
    // Those no run took (too few files, or a failure before the run): ended, not left waiting.
    (await starting.catch(() => undefined))?.();
  }
}

/** The indexes of the special files (see BytePathFile) among `files`. */
function specialIndexes(files: readonly (string | BytePathFile)[]): Set<number> {
  const special = new Set<number>();
  files.forEach((f, i) => {
    if (typeof f !== 'string' && f.special === true) special.add(i);
  });
  return special;
}

function isBytePath(input: Input): input is BytePathFile {
  return typeof input !== 'string' && 'fsPath' in input;
}

/** stdin, at most one byte over the profile limit (checkProfileFile reports a larger one). */
function readLimitedStdin(maxProfileBytes: number): Promise<Uint8Array> {
  // As every other command: `-` on a terminal waits for typing nobody means to do.
  if (process.stdin.isTTY) {
    return Promise.reject(
      new CliError(ExitCode.Usage, 'stdin (-) is a terminal', 'pipe a profile in, or give a file'),
    );
  }
  return readStdinUpTo(maxProfileBytes + 1);
}
