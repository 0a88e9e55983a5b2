/**
 * `encrypt --out-dir` and `decrypt --out-dir`: many profiles in one process. Each input file is
 * read, sealed or opened with its own key (one for all, or a row of a `--keys` CSV matched by
 * file name or by the MAC in the name) and written atomically into the output directory. A file
 * that fails is reported and the batch goes on. Keys never appear in the report.
 */
import { isUtf8 } from 'node:buffer';
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import {
  closeSync,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  parseIkm,
  sealProfileParts,
  openProfile,
  type Cipher,
  type Digest,
  type SealOptions,
} from '../crypto/envelope.js';
import { DEFAULT_RS } from '../crypto/aes128gcm.js';
import { DEFAULT_MAX_SIZE, DecryptError, SizeLimitError } from '../crypto/errors.js';
import { DEFAULT_PBKDF2_ITERATIONS } from '../crypto/openssl-enc.js';
import { normalizeMac } from '../device/mac.js';
import { sniffCsvDelimiter } from '../render/inventory.js';
import { escapeControls } from '../output/terminal-text.js';
import { safeJson } from '../output/inspect-format.js';
import {
  CliError,
  ExitCode,
  describeSystemError,
  ioError,
  usageError,
  type ExitCodeValue,
} from '../errors.js';
import { joinFsPath, listDirectory } from '../io/dir-names.js';
import { followsLink, skippedLinkWarning, walkLinks, type WalkLinks } from '../io/walk-links.js';
import { resolveKeys, type KeyOptions, type ResolvedKeys } from '../io/keys.js';
import { describeSize } from '../io/options.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { exposedFileWarning } from '../io/secrets.js';
import {
  makeDirectoryWithin,
  removeStaleTempFiles,
  sweepTempFilesOnSignal,
  writeFileReplacing,
} from '../io/writer.js';

/** One file's outcome. `error` is one line naming what went wrong, never a key. */
export interface BatchFileResult {
  input: string;
  output: string | null;
  status: 'written' | 'failed';
  cipher?: Cipher;
  error?: string;
  /** The exit code this failure stands for: 1 bad input (bad decrypt, no key), 3 I/O. */
  exitCode?: ExitCodeValue;
  /**
   * Only for a path that is not UTF-8 (`input` and `output` show each such byte as `\xNN`):
   * the path's bytes in hex, as a script needs them to open the file.
   */
  inputBytes?: string;
  outputBytes?: string;
}

export interface BatchReport {
  command: 'encrypt' | 'decrypt';
  outDir: string;
  files: BatchFileResult[];
  written: number;
  failed: number;
  /** Symbolic links met in an input directory and skipped (no --follow-links), as shown. */
  skippedLinks: string[];
}

/** A key row of a `--keys` CSV: by `file` name or by `mac`, a `key` and/or an `ikm`. */
interface KeyRow {
  passphrase?: string;
  ikm?: Uint8Array;
}

export interface KeyTable {
  byFile: Map<string, KeyRow>;
  byMac: Map<string, KeyRow>;
  /** The line each `file` row is on, for a row that names no input. */
  fileLines: Map<string, number>;
}

/** 64 MiB: a `--keys` CSV of a million phones is a tenth of that. */
const KEY_TABLE_LIMIT = 64 * 1024 * 1024;

/**
 * A file's text, read no further than `limit` bytes: `--keys /dev/zero` or a mistyped large
 * file must not read forever or fill memory (a device or pipe has no size to check first).
 * @returns undefined when the file holds more than `limit` bytes
 */
function readUpTo(path: string, limit: number, warnings: string[]): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const exposed = exposedFileWarning('--keys', path, fstatSync(fd));
    if (exposed !== undefined) warnings.push(exposed);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return Buffer.concat(chunks, total).toString('utf8');
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}

/** The columns of a `--keys` CSV. */
const KEY_TABLE_COLUMNS = new Set(['file', 'mac', 'key', 'ikm']);

/**
 * Reads a `--keys` CSV: a header row naming `file` and/or `mac`, and `key` and/or `ikm`.
 * Errors name the file and line, never a value.
 * @param warnings gets the warning for a file other users can read
 */
function readKeyTable(path: string, warnings: string[]): KeyTable {
  let text: string | undefined;
  try {
    text = readUpTo(path, KEY_TABLE_LIMIT, warnings);
  } catch (err) {
    throw new CliError(ExitCode.Failure, `cannot read --keys ${describeSystemError(err, path)}`);
  }
  if (text === undefined) {
    throw usageError(
      `--keys ${path}: larger than ${describeSize(KEY_TABLE_LIMIT)}: not a key table`,
    );
  }
  // A key is UTF-8 text (see src/io/secrets.ts): a byte that is no UTF-8 reads as U+FFFD.
  const notUtf8 = text.indexOf('\uFFFD');
  if (notUtf8 >= 0) {
    const line = text.slice(0, notUtf8).split('\n').length;
    throw usageError(`--keys ${path}:${line}: not UTF-8 text (save the file as UTF-8)`);
  }
  let header: string[] = [];
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parseCsv(text, {
      // Excel saves "CSV" with `;` in locales with a decimal comma, as render's inventory reads.
      delimiter: sniffCsvDelimiter(text),
      columns: (names: string[]) => (header = names.map((h) => h.trim().toLowerCase())),
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
  } catch (err) {
    // A wrong header says so first: its rows' mistakes may follow from it.
    checkKeyTableHeader(path, header);
    const line = (err as { lines?: number }).lines;
    throw usageError(`--keys ${path}${line ? `:${line}` : ''}: not a valid CSV file`);
  }
  checkKeyTableHeader(path, header);
  const table: KeyTable = { byFile: new Map(), byMac: new Map(), fileLines: new Map() };
  // Where each file name and MAC was first given, for a row that gives it again.
  const firstLine = new Map<string, number>();
  /** Adds a row under a name; the same name again with other keys is an error (which wins?). */
  const add = (map: Map<string, KeyRow>, id: string, entry: KeyRow, line: number, what: string) => {
    const earlier = map.get(id);
    if (earlier !== undefined && !sameKeys(earlier, entry)) {
      throw usageError(
        `--keys ${path}:${line}: ${what} is also on line ${firstLine.get(what)} with another key or ikm: give each one row`,
      );
    }
    if (earlier === undefined) firstLine.set(what, line);
    map.set(id, entry);
  };
  for (const { record: row, info } of rows) {
    // The line the row ends on (csv-parse counts lines, blank ones and quoted line breaks too).
    const line = info.lines;
    const where = `--keys ${path}:${line}`;
    // A row of empty cells (`;` — Excel saves rows once formatted or cleared) is no key, as
    // render's inventory reads it.
    if (Object.values(row).every((cell) => cell === '')) continue;
    const file = row.file ?? '';
    const macText = row.mac ?? '';
    if (!file && !macText) throw usageError(`${where}: expected a file or mac column`);
    const entry: KeyRow = {};
    if (row.key) entry.passphrase = row.key;
    if (row.ikm) {
      try {
        entry.ikm = parseIkm(row.ikm);
      } catch (err) {
        throw usageError(`${where}: ikm: ${(err as Error).message}`);
      }
    }
    if (!entry.passphrase && !entry.ikm) throw usageError(`${where}: expected a key or an ikm`);
    if (row.key?.includes('\0') || row.ikm?.includes('\0')) {
      throw usageError(`${where}: a key or ikm contains a NUL byte`);
    }
    if (file) {
      add(table.byFile, file, entry, line, `file ${file}`);
      if (!table.fileLines.has(file)) table.fileLines.set(file, line);
    }
    if (macText) {
      const mac = normalizeMac(macText);
      if (!mac) throw usageError(`${where}: mac expected 12 hex digits (any notation)`);
      add(table.byMac, mac, entry, line, `mac ${mac}`);
    }
  }
  // A table with no key in it would fail every input, one line each, for one cause: say it once.
  if (table.byFile.size === 0 && table.byMac.size === 0) {
    throw usageError(
      `--keys ${path}: no key rows (${header.length === 0 ? 'the file is empty' : 'a header only'}): give a row of file or mac, and key or ikm, per phone`,
    );
  }
  return table;
}

/** The columns a `--keys` header must name. */
const KEY_TABLE_EXPECTED = 'expected file and/or mac, and key and/or ikm';

/** Names people give the columns, and the column each means. */
const KEY_TABLE_ALIASES: Readonly<Record<string, string>> = {
  filename: 'file',
  'file name': 'file',
  file_name: 'file',
  name: 'file',
  path: 'file',
  'mac address': 'mac',
  macaddress: 'mac',
  mac_address: 'mac',
  'mac-address': 'mac',
  // Not `password` or `secret`: a CSV without its header row could have such a word as a key.
  passphrase: 'key',
};

/**
 * The column a header cell was probably meant to be: a known alias, or a known name one edit
 * away (two for `file`: `fiel`, `flie`, `keyy`, `ikms`).
 */
function meantColumn(cell: string): string | undefined {
  const alias = KEY_TABLE_ALIASES[cell];
  if (alias) return alias;
  for (const name of KEY_TABLE_COLUMNS) {
    if (editDistance(cell, name) <= (name.length >= 4 ? 2 : 1)) return name;
  }
  return undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * A `--keys` header must name `file` and/or `mac`, and `key` and/or `ikm` (every row needs
 * both). A first line with one of those names, or a near miss (`keyy`), is a header: the message
 * shows it — column names are no secret — with what each near miss was probably meant to be. A
 * first line with none is a data row of a CSV without its header row: it holds a key, so none
 * of it is shown.
 */
function checkKeyTableHeader(path: string, header: readonly string[]): void {
  if (header.length === 0) return;
  const hasId = header.includes('file') || header.includes('mac');
  const hasKey = header.includes('key') || header.includes('ikm');
  if (hasId && hasKey) return;
  const isHeader = header.some((h) => KEY_TABLE_COLUMNS.has(h) || meantColumn(h) !== undefined);
  if (!isHeader) {
    throw usageError(
      `--keys ${path}:1: no header row: ${KEY_TABLE_EXPECTED}; the first line names none of them (its ${header.length} cell(s) are not shown: a data row holds a key)`,
    );
  }
  // A line with a column name as it is spelt is surely the header: all of it is shown. One with
  // near misses only could be a data row whose key is a word (`lobby.xml,password`): only the
  // near misses are.
  const surely = header.some((h) => KEY_TABLE_COLUMNS.has(h));
  const cells = surely ? header : header.filter((h) => meantColumn(h) !== undefined);
  const hidden = header.length - cells.length;
  // At most 20 names of 40 characters: a header of thousands of columns is not one line.
  const listed = cells.slice(0, 20);
  const shown = [
    ...listed.map((h) => escapeControls(h.length > 40 ? `${h.slice(0, 40)}…` : h)),
    ...(cells.length > listed.length ? [`${cells.length - listed.length} more`] : []),
    ...(hidden > 0 ? [`${hidden} other cell(s), not shown`] : []),
  ];
  const guesses = listed
    .filter((h) => !KEY_TABLE_COLUMNS.has(h))
    .flatMap((h) => {
      const meant = meantColumn(h);
      return meant === undefined ? [] : [`${meant} for ${escapeControls(h)}`];
    });
  const missing = hasId ? 'key or ikm' : 'file or mac';
  throw usageError(
    `--keys ${path}:1: the header has no ${missing} column: ${KEY_TABLE_EXPECTED}; found ${shown.join(', ')}${guesses.length > 0 ? ` (did you mean ${guesses.join(', ')}?)` : ''}`,
  );
}

/** Whether two rows hold the same passphrase and IKM. */
function sameKeys(a: KeyRow, b: KeyRow): boolean {
  const ikm = (r: KeyRow) => (r.ikm === undefined ? undefined : Buffer.from(r.ikm).toString('hex'));
  return a.passphrase === b.passphrase && ikm(a) === ikm(b);
}

/**
 * A MAC in a file name, in the notations render's `--name` writes: `$MA`/`$MAU` (12 hex
 * digits), `$MAC` (`00:56:2b:04:36:15`), dashes, or Cisco's dotted form.
 */
const MAC_IN_NAME =
  /(?:^|[^0-9a-f])([0-9a-f]{2}([:-])[0-9a-f]{2}(?:\2[0-9a-f]{2}){4}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|[0-9a-f]{12})(?![0-9a-f])/i;

/**
 * The key for a file: its row by name (the input's, or the other side's: `lobby.xml` also finds
 * `lobby.cfg`), else by the MAC in its name, else the one for all.
 */
function keysFor(file: string, table: KeyTable | undefined, all: ResolvedKeys): KeyRow | undefined {
  const byName = table && fileRowOf(file, table);
  if (byName !== undefined) return table!.byFile.get(byName);
  const inName = MAC_IN_NAME.exec(basename(file))?.[1];
  const mac = inName === undefined ? undefined : normalizeMac(inName);
  const byMac = mac ? table?.byMac.get(mac) : undefined;
  if (byMac) return byMac;
  if (all.passphrase === undefined && all.ikm === undefined) return undefined;
  return {
    ...(all.passphrase !== undefined ? { passphrase: all.passphrase } : {}),
    ...(all.ikm !== undefined ? { ikm: all.ikm } : {}),
  };
}

/** The `file` cell of the row that names `file` (see keysFor), if one does. */
function fileRowOf(file: string, table: KeyTable): string | undefined {
  if (table.byFile.size === 0) return undefined;
  const name = basename(file);
  const stem = name.replace(/\.[^.]*$/, '');
  return [name, file, `${stem}.xml`, `${stem}.cfg`].find((id) => table.byFile.has(id));
}

/**
 * A warning when a run with a key for all has files that fell back to it while `file` rows of
 * `--keys` name no input: a row written as a path (`in/lobby.xml` for the `lobby.xml` of `in`)
 * matches nothing, and that profile is sealed with the key every phone may hold, exit 0.
 */
function unmatchedRowsWarning(
  files: readonly BatchFile[],
  settings: BatchSettings,
  keysPath: string | undefined,
): string | undefined {
  const table = settings.table;
  if (!table || table.byFile.size === 0) return undefined;
  if (settings.keys.passphrase === undefined && settings.keys.ikm === undefined) return undefined;
  const used = new Set<string>();
  const fellBack: string[] = [];
  for (const f of files) {
    if (f.error !== undefined) continue;
    const row = fileRowOf(f.rel, table);
    if (row !== undefined) used.add(row);
    else if (!keysFor(f.rel, table, { warnings: [] })) fellBack.push(f.rel);
  }
  const unused = [...table.fileLines].filter(([file]) => !used.has(file));
  if (unused.length === 0 || fellBack.length === 0) return undefined;
  const list = (names: string[]) =>
    names
      .slice(0, 3)
      .map((n) => escapeControls(n))
      .join(', ') + (names.length > 3 ? `, … (${names.length} in all)` : '');
  return (
    `--keys ${escapeControls(keysPath ?? '')}: ${fellBack.length} file(s) had no row and were given the key for all (${list(fellBack)}), ` +
    `while ${unused.length} file row(s) name no input (${list(unused.map(([f, line]) => `line ${line} ${f}`))}): ` +
    'a row names a file by its name, or its path under the directory given'
  );
}

/**
 * The key of the one file an `encrypt`/`decrypt` without --out-dir works on when `--keys` is
 * given: its row found as the batch finds it (by its name, `.xml`/`.cfg` counterpart included,
 * else by the MAC in its name), else the key or IKM given for all. stdin has no name to look
 * up (exit 2); a file with no key for it fails as it does in a batch (exit 1).
 */
export function keysForOneFile(
  command: 'encrypt' | 'decrypt',
  input: string | undefined,
  opts: KeyOptions & { keys: string },
): ResolvedKeys {
  refuseEmptyPaths({ '--keys': opts.keys });
  if (input === undefined || input === '-') {
    throw usageError(
      `--keys finds a key by the input's file name: give ${command} a file, not stdin`,
    );
  }
  const all = resolveKeys(opts);
  const warnings = [...all.warnings];
  const row = keysFor(basename(input), readKeyTable(opts.keys, warnings), all);
  const table = statSync(opts.keys, { throwIfNoEntry: false });
  const secretFiles = [
    ...(all.secretFiles ?? []),
    ...(table?.isFile() ? [{ option: '--keys CSV', id: `${table.dev}:${table.ino}` }] : []),
  ];
  // As in a batch: the run's CSV (or key file) given as the input — by any name or link — is
  // not sealed, with the key for all or its own row, for the phones holding that key to read
  // every phone's own key.
  const given = statSync(input, { throwIfNoEntry: false });
  const secret = secretFiles.find(
    (f) => given !== undefined && f.id === `${given.dev}:${given.ino}`,
  );
  if (secret !== undefined) {
    throw usageError(
      `${escapeControls(input)}: the ${secret.option} of this run, a file of secrets: not ${command}ed`,
    );
  }
  if (!row) {
    throw new CliError(
      ExitCode.Bad,
      // Escaped here (a newline too): the failure line keeps a message's own line breaks.
      `${escapeControls(input)}: no key for this file (no row of --keys ${escapeControls(opts.keys)} by its name or the MAC in it, and no --key*/--ikm* for all)`,
    );
  }
  return {
    ...row,
    warnings,
    // The CSV is a file of secrets too: `-o` must not replace it (see refuseOutputOverSecretFile).
    secretFiles,
  };
}

/**
 * Input files: files as given, directories walked (hidden entries skipped), in order. A symlink
 * met in the walk is skipped (recorded in `links.skipped`) unless `links.follow`
 * (src/io/walk-links.ts); followed, to a file it is an input like any other, to a directory it
 * is walked (a link back to a directory being walked is not: it would never end); a dangling one
 * is listed, so it fails with its own line instead of vanishing. The `--out-dir`, when it lies
 * inside an input directory (`skipDir`), is not walked: a re-run would otherwise encrypt the last
 * run's output into `out/out/`.
 */
async function listInputs(
  inputs: readonly string[],
  links: WalkLinks,
  skipDir?: string,
): Promise<BatchFile[]> {
  const out: BatchFile[] = [];
  const skip = skipDir === undefined ? undefined : await stat(skipDir).catch(() => undefined);
  const idOf = (s: { dev: number; ino: number }): string => `${s.dev}:${s.ino}`;
  const skipId = skip?.isDirectory() ? idOf(skip) : undefined;
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (err) {
      throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, input)}`);
    }
    if (!info.isDirectory()) {
      out.push({ path: input, rel: basename(input) });
      continue;
    }
    // `rel` is built as the walk goes down (path.relative per file costs more than the rest).
    // `above`: the directories being walked (device:inode), against a symlink loop.
    // A directory it cannot list (EACCES as a user other than root) is listed as a failure of
    // its own: the rest of the batch goes on, as it does past a file it cannot read.
    // A name that is not UTF-8 (see src/io/dir-names.ts): `path` and `rel` show it escaped,
    // `fsPath` and `fsRel` hold its bytes, by which it is read and its output written.
    const walk = async (
      dir: string,
      relDir: string,
      above: Set<string>,
      bytes?: { dir: Buffer; rel: Buffer },
    ): Promise<void> => {
      let listed;
      try {
        listed = await listDirectory(bytes?.dir ?? dir);
      } catch (err) {
        const why = describeSystemError(err, '').replace(/^: /, '');
        out.push({ path: dir, rel: relDir, error: `cannot read the directory: ${why}` });
        return;
      }
      const entries = listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const { name, fsName, entry: e } of entries) {
        if (name.startsWith('.')) continue;
        const path = join(dir, name);
        const rel = relDir === '' ? name : `${relDir}${sep}${name}`;
        const inBytes =
          bytes !== undefined || typeof fsName !== 'string'
            ? {
                dir: joinFsPath(bytes?.dir ?? dir, fsName) as Buffer,
                rel: (relDir === ''
                  ? toBytes(fsName)
                  : joinFsPath(bytes?.rel ?? relDir, fsName)) as Buffer,
              }
            : undefined;
        const file: BatchFile = inBytes
          ? { path, rel, fsPath: inBytes.dir, fsRel: inBytes.rel }
          : { path, rel };
        let isDirectory = e.isDirectory();
        if (e.isSymbolicLink()) {
          if (!followsLink(links, path)) continue;
          const target = await stat(inBytes?.dir ?? path).catch(() => undefined);
          if (target === undefined || target.isFile()) {
            out.push(file);
            continue;
          }
          isDirectory = target.isDirectory();
        }
        if (isDirectory) {
          const found = await stat(inBytes?.dir ?? path).catch(() => undefined);
          const id = found === undefined ? '' : idOf(found);
          if (id !== '' && (id === skipId || above.has(id))) continue;
          await walk(path, rel, new Set([...above, id]), inBytes);
        } else if (e.isFile()) out.push(file);
      }
    };
    await walk(input, '', new Set([idOf(info)]));
  }
  return out;
}

function toBytes(name: string | Buffer): Buffer {
  return typeof name === 'string' ? Buffer.from(name) : name;
}

/** As encryptedName, for a name in bytes (not UTF-8): the same bytes, the extension replaced. */
function encryptedNameBytes(rel: Buffer, cipher: Cipher): Buffer {
  if (cipher === 'aes128gcm') return rel;
  const start = rel.lastIndexOf(sep.charCodeAt(0)) + 1;
  const dot = rel.lastIndexOf(0x2e);
  const stemEnd = dot > start ? dot : rel.length;
  return Buffer.concat([rel.subarray(0, stemEnd), Buffer.from('.cfg')]);
}

/** As decryptedName, for a name in bytes (not UTF-8). */
function decryptedNameBytes(rel: Buffer): Buffer {
  const cfg = Buffer.from('.cfg');
  return rel.length > cfg.length && rel.subarray(rel.length - cfg.length).equals(cfg)
    ? Buffer.concat([rel.subarray(0, rel.length - cfg.length), Buffer.from('.xml')])
    : rel;
}

/** AES-256-CBC output is `<name>.cfg` (extension replaced), aes128gcm keeps the name. */
function encryptedName(rel: string, cipher: Cipher): string {
  if (cipher === 'aes128gcm') return rel;
  const base = basename(rel);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return join(dirname(rel), `${stem}.cfg`);
}

/** Decrypted output: `.cfg` becomes `.xml`; any other name is kept. */
function decryptedName(rel: string): string {
  return rel.endsWith('.cfg') ? `${rel.slice(0, -4)}.xml` : rel;
}

export interface BatchOptions {
  outDir: string;
  /** `--follow-links`: follow symbolic links met in an input directory (see walk-links.ts). */
  followLinks?: boolean;
  /** Threads encrypting or decrypting at once (default 1: this thread). */
  jobs?: number;
  keys?: string;
}

/** Files per message to a worker thread: enough to make a message cheap, few enough to even out. */
const FILES_PER_MESSAGE = 32;
/** Fewer files than this per thread are not worth a worker's start-up (~50 ms of CPU, cold JIT). */
const FILES_PER_THREAD_AT_LEAST = 64;

export interface BatchSettings {
  command: 'encrypt' | 'decrypt';
  keys: ResolvedKeys;
  table: KeyTable | undefined;
  /** encrypt: fixed options besides the key; the cipher may come from the key row. */
  seal?: Omit<SealOptions, 'cipher' | 'passphrase' | 'ikm'> & { cipher?: Cipher };
  /** decrypt: options for openProfile besides the key. */
  open?: Parameters<typeof openProfile>[1];
  /** encrypt: an empty (0-byte) file is encrypted instead of failing (exit 1). */
  allowEmpty?: boolean;
  /** The files the keys came from (`device:inode`): an input that is one of them fails. */
  secretFiles?: { option: string; id: string }[];
}

/** One input of the batch: its path, its name under --out-dir, and its output path. */
interface BatchFile {
  path: string;
  rel: string;
  /** Set for a directory of the walk it could not list: failed before the batch runs. */
  error?: string;
  /** A path that is not UTF-8 (`path` and `rel` show it escaped): its bytes, for node:fs. */
  fsPath?: Buffer;
  fsRel?: Buffer;
}

/**
 * How many threads: `--jobs` (default one per core, at most 4, as render), never more than the
 * files keep busy (64 each). Measured on the 2-core build box, 2,000 profiles of 30 KB: two
 * threads finish first in every run (0.35 against 0.45 s, 1.22 against 1.28 s after a mass
 * delete slowed the file system; 2026-11-30), for ≈ 15 % more CPU; `--jobs 1` keeps to one.
 */
export function batchThreads(
  jobs: number | undefined,
  files: number,
  cores = availableParallelism(),
): number {
  const wanted = jobs ?? Math.min(cores, 4);
  return Math.max(1, Math.min(wanted, Math.floor(files / FILES_PER_THREAD_AT_LEAST)));
}

/**
 * Encrypts or decrypts every input into `outDir`; never stops at a failing file. With more than
 * one thread (see {@link batchThreads}) the files go to worker threads in messages of
 * FILES_PER_MESSAGE, each worker doing the same synchronous work as this thread would.
 */
export async function runBatch(
  inputs: readonly string[],
  options: BatchOptions,
  settings: BatchSettings,
  warnings: string[] = [],
): Promise<BatchReport> {
  const outDir = options.outDir;
  // The same file named twice (in a directory given and by its own name, or one directory given
  // as `in` and `./in`) is one input, not a clash with itself.
  const links = walkLinks(options.followLinks);
  const listed = dropRepeatedFiles(await listInputs(inputs, links, outDir), settings);
  for (const link of links.skipped) warnings.push(skippedLinkWarning(link));
  // Two inputs with one output name (`a.xml` and `a.txt` both make `a.cfg`; the same name from
  // two directories): the first is written, each later one fails — never two "written" files of
  // which one silently replaced the other.
  const clashes = findOutputClashes(listed, settings);
  const files = clashes.size === 0 ? listed : listed.filter((_, i) => !clashes.has(i));
  const unmatched = unmatchedRowsWarning(files, settings, options.keys);
  if (unmatched !== undefined) warnings.push(unmatched);
  const inputEntries = entriesOf(listed);
  // A file in the way: one line, not mkdir's EEXIST once per input.
  const outStat = await stat(outDir).catch(() => undefined);
  if (outStat !== undefined && !outStat.isDirectory()) {
    throw ioError(`cannot write --out-dir ${outDir}: not a directory`);
  }
  // A signal reaches this thread only: it sweeps every output directory of the temp files of
  // this process, the workers' included (the directory does not depend on the cipher).
  for (const dir of new Set(files.map((f) => dirname(join(outDir, f.rel))))) {
    sweepTempFilesOnSignal(dir);
  }
  // Those whose names are not UTF-8 by their bytes (the writer sets them apart by their bytes).
  for (const f of files) {
    if (f.fsRel) sweepTempFilesOnSignal(bytesDirname(joinFsPath(outDir, f.fsRel) as Buffer));
  }
  const threads = batchThreads(options.jobs, files.length);
  const ran =
    threads > 1
      ? await runOnThreads(files, { outDir, settings, inputEntries }, threads)
      : await runHere(files, { outDir, settings, inputEntries });
  const results = clashes.size === 0 ? ran : mergeClashes(listed, ran, clashes);
  const written = results.filter((r) => r.status === 'written').length;
  return {
    command: settings.command,
    outDir,
    files: results,
    written,
    failed: results.length - written,
    skippedLinks: links.skipped,
  };
}

/** The cipher a file is sealed with: `--cipher`, else the kind of secret its key row holds. */
function cipherFor(key: KeyRow, seal: NonNullable<BatchSettings['seal']>): Cipher | undefined {
  return (
    seal.cipher ??
    (key.ikm && !key.passphrase
      ? 'aes128gcm'
      : key.passphrase && !key.ikm
        ? 'aes-256-cbc'
        : undefined)
  );
}

/** The name under --out-dir a file would be written to; undefined when it will fail before. */
function outputName(file: BatchFile, settings: BatchSettings): string | undefined {
  if (settings.command === 'decrypt') return decryptedName(file.rel);
  const key = keysFor(file.rel, settings.table, settings.keys);
  const cipher = key && cipherFor(key, settings.seal ?? {});
  return cipher && encryptedName(file.rel, cipher);
}

/**
 * The files without each one that repeats an earlier one: the same directory entry (see
 * {@link entryOf}) under the same output name.
 */
function dropRepeatedFiles(files: BatchFile[], settings: BatchSettings): BatchFile[] {
  const first = new Map<string, BatchFile>();
  const real = new Map<string, string>();
  const repeated = new Set<BatchFile>();
  for (const file of files) {
    if (file.error !== undefined) continue;
    const name = outputName(file, settings) ?? `\0${file.rel}`;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, file);
    else {
      const entry = entryOf(file.fsPath ?? file.path, real);
      if (entry !== undefined && entry === entryOf(earlier.fsPath ?? earlier.path, real)) {
        repeated.add(file);
      }
    }
  }
  return repeated.size === 0 ? files : files.filter((f) => !repeated.has(f));
}

/**
 * Index of each file whose output name an earlier file already has → that earlier input; of a
 * directory it could not list → '' (it fails too, with its own error).
 */
function findOutputClashes(
  files: readonly BatchFile[],
  settings: BatchSettings,
): Map<number, string> {
  const first = new Map<string, string>();
  const clashes = new Map<number, string>();
  files.forEach((file, i) => {
    // A directory it could not list fails as it is (see listInputs): no output name.
    if (file.error !== undefined) {
      clashes.set(i, '');
      return;
    }
    const name = outputName(file, settings);
    if (name === undefined) return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, file.path);
    else clashes.set(i, earlier);
  });
  return clashes;
}

/** The results of the files that ran, with a failure for each clash and unlisted directory, in input order. */
function mergeClashes(
  listed: readonly BatchFile[],
  ran: readonly BatchFileResult[],
  clashes: ReadonlyMap<number, string>,
): BatchFileResult[] {
  let next = 0;
  return listed.map((file, i) => {
    const earlier = clashes.get(i);
    if (earlier === undefined) return ran[next++]!;
    if (file.error !== undefined) {
      return {
        input: file.path,
        output: null,
        status: 'failed',
        error: file.error,
        exitCode: ExitCode.Failure,
      };
    }
    return {
      input: file.path,
      output: null,
      status: 'failed',
      error: `its output name is ${earlier}'s too (not written): rename one, or give them to separate runs`,
      exitCode: ExitCode.Usage,
    };
  });
}

/** What one thread keeps across files: the directories it has made (and set up for temps). */
interface ThreadState {
  made: Set<string>;
  /** Directories resolved to absolute paths (one path.resolve per directory, not per file). */
  resolved: Map<string, string>;
  /** Directories' real paths, their links followed (one realpath per directory). */
  real: Map<string, string>;
}

function newThreadState(): ThreadState {
  return { made: new Set(), resolved: new Map(), real: new Map() };
}

/**
 * A file's directory entry, the same whatever path names it: the real path of its directory (its
 * symbolic links followed, as the kernel follows them) and its own name, in Latin-1 text of its
 * bytes (a name that is not UTF-8 keeps them). Undefined when the directory cannot be resolved.
 */
function entryOf(path: string | Buffer, real: Map<string, string>): string | undefined {
  const bytes = typeof path === 'string' ? Buffer.from(path) : path;
  const cut = bytes.lastIndexOf(sep.charCodeAt(0));
  const dir = cut === -1 ? Buffer.from('.') : cut === 0 ? Buffer.from(sep) : bytes.subarray(0, cut);
  const key = dir.toString('latin1');
  let realDir = real.get(key);
  if (realDir === undefined) {
    try {
      realDir = realpathSync(dir, { encoding: 'buffer' }).toString('latin1');
    } catch {
      return undefined;
    }
    real.set(key, realDir);
  }
  return `${realDir}${realDir.endsWith(sep) ? '' : sep}${bytes.subarray(cut + 1).toString('latin1')}`;
}

/** The directory entries of a batch's inputs (see {@link entryOf}): no output may replace one. */
function entriesOf(files: readonly BatchFile[]): string[] {
  const real = new Map<string, string>();
  const entries: string[] = [];
  for (const f of files) {
    if (f.error !== undefined) continue;
    const entry = entryOf(f.fsPath ?? f.path, real);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

/** The absolute path of a file, its directory resolved once per thread. */
function absolutePath(path: string, state: ThreadState): string {
  const dir = dirname(path);
  let absolute = state.resolved.get(dir);
  if (absolute === undefined) {
    absolute = resolve(dir);
    state.resolved.set(dir, absolute);
  }
  return join(absolute, basename(path));
}

/**
 * The batch on this thread alone. Each file's work is synchronous, so the event loop is let run
 * between every FILES_PER_MESSAGE files: a SIGINT/SIGTERM handler (src/io/writer.ts: sweep the
 * temp files, exit 130/143) only runs there — without it a Ctrl-C waited for the whole batch
 * and the run then exited 0. No temp file is open between two files.
 */
async function runHere(
  files: readonly BatchFile[],
  run: CryptoWorkerSettings,
): Promise<BatchFileResult[]> {
  const runFile = cryptoBatchFileRunner(run);
  const results: BatchFileResult[] = [];
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && i % FILES_PER_MESSAGE === 0) await new Promise((done) => setImmediate(done));
    results.push(runFile(files[i]!));
  }
  return results;
}

/**
 * What a worker thread of the batch is given once: the output directory, the settings and the
 * directory entries of every input of the run ({@link entryOf}).
 */
export interface CryptoWorkerSettings {
  outDir: string;
  settings: BatchSettings;
  inputEntries: readonly string[];
}

/** One thread's per-file work, its state kept across files. */
function cryptoBatchFileRunner({
  outDir,
  settings,
  inputEntries,
}: CryptoWorkerSettings): (file: BatchFile) => BatchFileResult {
  const state = newThreadState();
  const inputs = new Set(inputEntries);
  return (file) => runOne(file, outDir, settings, state, inputs);
}

/** One file as it goes to a thread; `index`, its place in the input, puts its result back. */
export interface CryptoBatchItem extends BatchFile {
  index: number;
}

export interface CryptoBatchResult {
  index: number;
  result: BatchFileResult;
}

/**
 * One thread's side of the batch (this thread's, or a worker's of src/io/worker-pool.ts): runs
 * a message of files, keeping the thread's state (directories made and resolved) across them.
 */
export function cryptoBatchRunner(
  run: CryptoWorkerSettings,
): (items: readonly CryptoBatchItem[]) => CryptoBatchResult[] {
  const runFile = cryptoBatchFileRunner(run);
  return (items) => items.map((item) => ({ index: item.index, result: runFile(item) }));
}

/**
 * Runs the batch on `threads` threads of the shared pool — this one and `threads - 1` workers —
 * each pulling messages of FILES_PER_MESSAGE files, results placed back in input order. Temp
 * files: the workers name theirs like this thread's (the process id in the name), so a signal
 * here, once the pool has stopped the workers, sweeps every output directory of them (see
 * src/io/writer.ts).
 */
async function runOnThreads(
  files: readonly BatchFile[],
  run: CryptoWorkerSettings,
  threads: number,
): Promise<BatchFileResult[]> {
  // Loaded only here: a one-thread batch never needs the pool.
  const { runInWorkers } = await import('../io/worker-pool.js');
  const results = new Array<BatchFileResult>(files.length);
  function* items(): Generator<CryptoBatchItem> {
    for (let index = 0; index < files.length; index++) {
      const { path, rel, fsPath, fsRel } = files[index]!;
      yield fsPath && fsRel ? { path, rel, fsPath, fsRel, index } : { path, rel, index };
    }
  }
  await runInWorkers('crypto', run, items(), {
    workerCount: threads - 1,
    batchSize: FILES_PER_MESSAGE,
    isItem: (value): value is CryptoBatchItem => 'path' in value,
    here: cryptoBatchRunner(run),
    stopOnSignal: true,
    onResults: (batch) => {
      for (const { index, result } of batch) results[index] = result;
    },
  });
  return results;
}

/** Permission bits of a new output file: decrypted profiles hold secrets (0600). */
const CIPHERTEXT_MODE = 0o666;
const PLAINTEXT_MODE = 0o600;

function runOne(
  file: BatchFile,
  outDir: string,
  settings: BatchSettings,
  state: ThreadState,
  inputs: ReadonlySet<string>,
): BatchFileResult {
  const { path, rel } = file;
  const fail = (
    error: string,
    exitCode: ExitCodeValue,
    output: string | null = null,
  ): BatchFileResult => ({
    input: path,
    output,
    status: 'failed',
    error,
    exitCode,
    ...(file.fsPath ? { inputBytes: hex(file.fsPath) } : {}),
  });
  const key = keysFor(rel, settings.table, settings.keys);
  if (!key)
    return fail('no key for this file (not in --keys, and no --key*/--ikm* for all)', ExitCode.Bad);
  // A batch holds each file whole (the one-file decrypt streams): an input larger than what it
  // may open to is refused unread, so a directory of hostile uploads (a 1.5 GB "report") cannot
  // take gigabytes a thread. A profile's ciphertext is about its size; the cap is --max-size.
  if (settings.command === 'decrypt') {
    const limit = settings.open?.maxSize ?? DEFAULT_MAX_SIZE;
    const size = statSizeOf(fsPathOf(file.fsPath) ?? path);
    if (size !== undefined && size > limit) {
      return fail(
        `the file exceeds --max-size ${describeSize(limit)}: a batch holds each file whole — decrypt it on its own (-o streams it) or raise --max-size`,
        ExitCode.Bad,
      );
    }
  }
  let data: Uint8Array;
  let secret: string | undefined;
  try {
    data = readInput(fsPathOf(file.fsPath) ?? path, settings.secretFiles, (option) => {
      secret = option;
    });
  } catch (err) {
    return fail(
      `cannot read: ${describeSystemError(err, '').replace(/^: /, '')}`,
      ExitCode.Failure,
    );
  }
  if (secret !== undefined) {
    return fail(
      `the ${secret} of this run, a file of secrets: not ${settings.command}ed (keep it out of the input directories)`,
      ExitCode.Usage,
    );
  }
  if (data.length === 0 && !(settings.command === 'encrypt' && settings.allowEmpty)) {
    return fail(
      settings.command === 'encrypt'
        ? 'empty input (0 bytes): nothing to encrypt (--allow-empty encrypts it anyway)'
        : 'empty input (0 bytes): nothing to decrypt',
      ExitCode.Bad,
    );
  }
  let parts: Uint8Array[];
  let name: string;
  let cipher: Cipher | undefined;
  if (settings.command === 'encrypt') {
    const seal = settings.seal ?? {};
    cipher = cipherFor(key, seal);
    if (!cipher) return fail('both a key and an IKM for this file: give --cipher', ExitCode.Usage);
    if (cipher === 'aes-256-cbc' && !key.passphrase)
      return fail('no passphrase for this file', ExitCode.Bad);
    if (cipher === 'aes128gcm' && !key.ikm) return fail('no IKM for this file', ExitCode.Bad);
    parts = sealProfileParts(data, {
      ...seal,
      cipher,
      ...(key.passphrase !== undefined ? { passphrase: key.passphrase } : {}),
      ...(key.ikm !== undefined ? { ikm: key.ikm } : {}),
    });
    name = encryptedName(rel, cipher);
  } else {
    try {
      parts = [
        openProfile(data, {
          ...settings.open,
          ...(key.passphrase !== undefined ? { passphrase: key.passphrase } : {}),
          ...(key.ikm !== undefined ? { ikm: key.ikm } : {}),
        }).plaintext,
      ];
    } catch (err) {
      if (err instanceof DecryptError) return fail('bad decrypt', ExitCode.Bad);
      if (err instanceof SizeLimitError) {
        return fail(`${err.what} exceeds --max-size ${describeSize(err.limit)}`, ExitCode.Bad);
      }
      if (err instanceof TypeError)
        return fail('encrypted, and no suitable key for it', ExitCode.Bad);
      throw err;
    }
    name = decryptedName(rel);
  }
  const output = join(outDir, name);
  if (absolutePath(output, state) === absolutePath(path, state)) {
    return fail('the output would replace the input: choose another --out-dir', ExitCode.Usage);
  }
  // A name that is not UTF-8: the output keeps its bytes (`output` shows it escaped).
  const fsRel = fsPathOf(file.fsRel);
  const fsOutput =
    fsRel === undefined
      ? output
      : (joinFsPath(outDir, fsOutputName(fsRel, settings, cipher)) as Buffer);
  try {
    const dir = dirname(output);
    if (!state.made.has(dir)) {
      // As render --out: a symlinked subdirectory of --out-dir that leads elsewhere is refused
      // before anything is written through it (the names come from the inputs' directories).
      const fsDir = fsRel === undefined ? dir : bytesDirname(fsOutput as Buffer);
      makeDirectoryWithin(fsDir, outDir, dir);
      // Temp files a run killed before left there: gone (a signal to this one: see runBatch).
      removeStaleTempFiles(fsDir);
      state.made.add(dir);
    }
    // By any path: an --out-dir that is a symbolic link to an input directory made every output
    // that keeps its name (aes128gcm, decrypt of a .xml) replace its own input, and
    // `decrypt d --out-dir d` wrote lobby.cfg's plaintext over the lobby.xml beside it.
    const entry = entryOf(fsOutput, state.real);
    if (entry !== undefined && inputs.has(entry)) {
      const own = entry === entryOf(fsPathOf(file.fsPath) ?? path, state.real);
      return fail(
        own
          ? 'the output would replace the input: choose another --out-dir'
          : `the output ${output} would replace an input of this run: choose another --out-dir`,
        ExitCode.Usage,
      );
    }
    // Nor the file a key came from (`--keys out/keys.csv` and an aes128gcm keys.csv among the
    // inputs): as `-o` refuses it (a symbolic link there is replaced, not followed: lstat).
    const secretThere = secretFileAt(fsOutput, settings.secretFiles);
    if (secretThere !== undefined) {
      return fail(
        `the output ${output} would replace the ${secretThere} of this run: choose another --out-dir`,
        ExitCode.Usage,
      );
    }
    // A file already there keeps its mode and group, as with -o (plaintext: none for others).
    const plain = settings.command === 'decrypt';
    writeFileReplacing(fsOutput, parts, plain ? PLAINTEXT_MODE : CIPHERTEXT_MODE, plain);
  } catch (err) {
    if (err instanceof CliError) return fail(err.message, err.exitCode, output);
    return fail(`cannot write ${describeSystemError(err, output)}`, ExitCode.Failure, output);
  }
  return {
    input: path,
    output,
    status: 'written',
    ...(cipher ? { cipher } : {}),
    ...(file.fsPath && typeof fsOutput !== 'string'
      ? { inputBytes: hex(file.fsPath), outputBytes: hex(fsOutput) }
      : {}),
  };
}

/** Bytes as hex (Buffer's own encoder: it takes a Uint8Array from a worker's message too). */
function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A path of bytes as node:fs takes it: from a worker's message it arrives as a Uint8Array. */
function fsPathOf(bytes: Uint8Array | undefined): Buffer | undefined {
  if (bytes === undefined || Buffer.isBuffer(bytes)) return bytes;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The output name under --out-dir, in bytes, of an input named by bytes. */
function fsOutputName(rel: Buffer, settings: BatchSettings, cipher: Cipher | undefined): Buffer {
  return settings.command === 'decrypt' || cipher === undefined
    ? decryptedNameBytes(rel)
    : encryptedNameBytes(rel, cipher);
}

/**
 * The directory of a path in bytes (always below --out-dir here: a separator is in it); a string
 * when it is UTF-8, as the directories of every other output are.
 */
function bytesDirname(path: Buffer): string | Buffer {
  const dir = path.subarray(0, path.lastIndexOf(sep.charCodeAt(0)));
  return isUtf8(dir) ? dir.toString('utf8') : dir;
}

/**
 * A batch input's bytes; with `secretFiles`, read through a descriptor whose fstat is checked
 * first: a file of secrets of the run (by device and inode: also through a link) is not read,
 * `onSecret` is told which option named it and the result is empty.
 */
function readInput(
  path: string | Buffer,
  secretFiles: BatchSettings['secretFiles'],
  onSecret: (option: string) => void,
): Uint8Array {
  if (secretFiles === undefined) return readFileSync(path);
  const fd = openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    const secret = secretFiles.find((f) => f.id === `${stats.dev}:${stats.ino}`);
    if (secret !== undefined) {
      onSecret(secret.option);
      return new Uint8Array(0);
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The option that named the file of secrets at `path` (not followed), if it is one. */
function secretFileAt(
  path: string | Buffer,
  secretFiles: BatchSettings['secretFiles'],
): string | undefined {
  if (secretFiles === undefined) return undefined;
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (stats === undefined) return undefined;
  return secretFiles.find((f) => f.id === `${stats.dev}:${stats.ino}`)?.option;
}

/** A file's size, or undefined when it cannot be stat'ed (the read that follows says why). */
function statSizeOf(path: string | Buffer): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** The batch's exit code: 0 if all were written, else the worst failure's. */
export function batchExitCode(report: BatchReport): ExitCodeValue {
  let code: ExitCodeValue = ExitCode.Ok;
  for (const f of report.files)
    if (f.exitCode !== undefined && f.exitCode > code) code = f.exitCode;
  return code;
}

/** One line per failure and a summary, for stderr. */
export function formatBatchText(report: BatchReport): string {
  const lines = report.files
    .filter((f) => f.status === 'failed')
    .map((f) => `cisco-prov: ${escapeControls(`${f.input}: ${f.error}`)}\n`);
  const verb = report.command === 'encrypt' ? 'encrypted' : 'decrypted';
  lines.push(
    `cisco-prov: ${verb} ${report.written} of ${report.files.length} file(s) into ${escapeControls(report.outDir)}${report.failed ? `, ${report.failed} failed` : ''}\n`,
  );
  return lines.join('');
}

/** The report as JSON for stdout (no keys in it: only names, status and the error line). */
export function formatBatchJson(report: BatchReport): string {
  // safeJson: a name's C1 controls and bidi overrides as \uHHHH, as every other --json.
  return `${safeJson({
    ...report,
    files: report.files.map(({ exitCode: _exitCode, ...f }) => f),
  })}\n`;
}

/** The options of `encrypt`/`decrypt` that the batch reads (besides the keys). */
export interface BatchCommandOptions extends BatchOptions, KeyOptions {
  cipher?: Cipher;
  gzip?: boolean;
  md?: Digest;
  base64?: boolean;
  rs?: number;
  keyid?: string;
  pad?: number;
  salt?: string;
  pbkdf2?: boolean;
  iter?: number;
  gunzip?: boolean;
  raw?: boolean;
  maxSize?: number;
  allowEmpty?: boolean;
}

/** `encrypt --out-dir` / `decrypt --out-dir`: options checked at the door, then the batch. */
export async function cryptoBatch(
  command: 'encrypt' | 'decrypt',
  inputs: readonly string[],
  opts: BatchCommandOptions,
): Promise<{ report: BatchReport; warnings: string[] }> {
  refuseEmptyPaths({
    '--out-dir': opts.outDir,
    '--keys': opts.keys,
    [`input ${inputs.indexOf('') + 1}`]: inputs.includes('') ? '' : undefined,
  });
  if (inputs.length === 0) throw usageError('--out-dir needs input files or directories');
  if (inputs.includes('-')) {
    throw usageError(
      `--out-dir ${command}s files and directories, not stdin (-): give files, or drop --out-dir to ${command} stdin`,
    );
  }
  const keys = resolveKeys(opts);
  const warnings = [...keys.warnings];
  const table = opts.keys !== undefined ? readKeyTable(opts.keys, warnings) : undefined;
  if (!table && keys.passphrase === undefined && keys.ikm === undefined) {
    throw usageError(
      'no key given',
      'one for all: --key-file/--key-env/--ikm-file/--ikm-env; per file: --keys <csv>',
    );
  }
  const settings: BatchSettings = { command, keys, table, allowEmpty: opts.allowEmpty === true };
  // The files the keys came from are no inputs: a --keys CSV in the profiles directory was
  // encrypted with the key for all, every phone's own key then open to any phone that has it.
  const keysFile =
    opts.keys !== undefined ? statSync(opts.keys, { throwIfNoEntry: false }) : undefined;
  const secretFiles = [
    ...(keys.secretFiles ?? []),
    ...(keysFile?.isFile()
      ? [{ option: '--keys CSV', id: `${keysFile.dev}:${keysFile.ino}` }]
      : []),
  ];
  if (secretFiles.length > 0) settings.secretFiles = secretFiles;
  if (command === 'encrypt') {
    if (opts.salt !== undefined) {
      throw usageError('--salt with --out-dir would give every file the same salt');
    }
    if (opts.base64 && opts.cipher === 'aes128gcm') {
      throw usageError('--base64 is for aes-256-cbc (aes128gcm is an HTTP content coding: binary)');
    }
    const keyid = new TextEncoder().encode(opts.keyid ?? '');
    if (keyid.length > 255)
      throw usageError(`--keyid expected at most 255 bytes, got ${keyid.length}`);
    settings.seal = {
      ...(opts.cipher ? { cipher: opts.cipher } : {}),
      gzip: opts.gzip ?? false,
      md: opts.md ?? 'md5',
      base64: opts.base64 ?? false,
      rs: opts.rs ?? DEFAULT_RS,
      pad: opts.pad ?? 0,
      keyid,
    };
  } else {
    const iterations = opts.iter ?? DEFAULT_PBKDF2_ITERATIONS;
    settings.open = {
      ...(opts.md ? { md: opts.md } : {}),
      ...(opts.pbkdf2 ? { pbkdf2: { iterations } } : {}),
      gunzip: opts.gunzip !== false,
      raw: opts.raw ?? false,
      maxSize: opts.maxSize ?? DEFAULT_MAX_SIZE,
    };
  }
  return { report: await runBatch(inputs, opts, settings, warnings), warnings };
}
