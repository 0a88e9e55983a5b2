/**
 * A directory of reported profiles (`Report_Rule` uploads), the latest per phone. Two layouts:
 * - files named by the phone: `<dir>/00562b043615.xml`, `<dir>/00562B043615-20261125.xml`
 *   (a MAC in any notation, alone or leading the name; else the name is taken as a serial);
 * - a directory per phone, as `serve --reports` keeps them: `<dir>/00562b043615/<time>.xml`.
 * The latest file of a phone is the one modified last (ties: the greater name, which for
 * time-stamped names is the later one). Hidden and temporary files are skipped. A symbolic link
 * in the directory, or in a phone's, is skipped (named in `links.skipped`) unless --follow-links,
 * as every walk of an input directory does (src/io/walk-links.ts); the directory named by
 * --reports is read wherever it leads.
 */
import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { joinFsPath, listDirectorySync, type FsPath, type ListedEntry } from './dir-names.js';
import { normalizeMac } from '../device/mac.js';
import { CliError, ExitCode, describeSystemError } from '../errors.js';
import { followsLink, walkLinks, type WalkLinks } from './walk-links.js';

export interface ReportFile {
  /** The MAC (12 lower-case hex digits) when the name carries one, else the name as a serial. */
  id: string;
  mac: string | null;
  /** The path; a name in it that is not UTF-8 shown with each such byte as `\xNN`. */
  path: string;
  /** Only for a path that is not UTF-8: its bytes, to open it by (see src/io/dir-names.ts). */
  fsPath?: Buffer;
  /** Modification time, ms since the epoch. */
  mtime: number;
  /** Report files of this phone in the directory (the latest is `path`). */
  count: number;
  /**
   * Set when the phone's own directory cannot be read (`cannot read report <dir>: permission
   * denied`): `path` is that directory, `count` 0; the other phones are read as usual.
   */
  error?: string;
}

const LEADING_MAC = /^([0-9a-f]{12})(?![0-9a-f])/i;

/** The phone a name stands for: a MAC (any notation, or leading the name), else a serial. */
export function reportIdOf(name: string): { id: string; mac: string | null } | undefined {
  const stem = name.replace(/\.(xml|cfg|gz|enc|ece|bin)$/gi, '').replace(/\.(xml|cfg)$/i, '');
  if (stem === '') return undefined;
  const mac = normalizeMac(stem) ?? LEADING_MAC.exec(stem)?.[1]?.toLowerCase();
  if (mac) return { id: mac, mac };
  return /^[0-9A-Za-z_-]+$/.test(stem) ? { id: stem, mac: null } : undefined;
}

function skipped(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.tmp') || name.endsWith('~');
}

function list(dir: string, shown: string): ListedEntry[] {
  try {
    return listDirectorySync(dir);
  } catch (err) {
    throw new CliError(
      ExitCode.Failure,
      `cannot read --reports ${describeSystemError(err, shown)}`,
    );
  }
}

/**
 * What an entry is: a directory, a file or neither (undefined). A symbolic link is skipped
 * (recorded in `links`) unless followed; followed, it is what it leads to (a dangling one is
 * neither).
 */
function kindOf(
  entry: ListedEntry['entry'],
  fsPath: FsPath,
  shown: string,
  links: WalkLinks,
): 'directory' | 'file' | undefined {
  if (entry.isDirectory()) return 'directory';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink() || !followsLink(links, shown)) return undefined;
  let target: Stats;
  try {
    target = statSync(fsPath);
  } catch {
    return undefined;
  }
  return target.isDirectory() ? 'directory' : target.isFile() ? 'file' : undefined;
}

/**
 * The latest report per phone in a directory, sorted by id.
 * @param links --follow-links, and where the links skipped are recorded (default: skip them)
 * @throws CliError (exit 3) when the directory cannot be read (a phone's own directory that
 *   cannot be read is that phone's `error`)
 */
export function latestReports(
  dir: string,
  shown = dir,
  links: WalkLinks = walkLinks(false),
): ReportFile[] {
  const latest = new Map<string, ReportFile>();
  const consider = (id: { id: string; mac: string | null }, path: string, fsPath: FsPath): void => {
    let mtime: number;
    try {
      const stat = statSync(fsPath);
      if (!stat.isFile()) return;
      mtime = stat.mtimeMs;
    } catch {
      return; // removed while we looked (serve prunes old reports)
    }
    const known = latest.get(id.id);
    const count = (known?.count ?? 0) + 1;
    if (!known || mtime > known.mtime || (mtime === known.mtime && path > known.path)) {
      latest.set(id.id, {
        ...id,
        path,
        ...(typeof fsPath !== 'string' ? { fsPath } : {}),
        mtime,
        count,
      });
    } else known.count = count;
  };
  for (const { name, fsName, entry } of list(dir, shown)) {
    if (skipped(name)) continue;
    const path = join(dir, name);
    const fsPath = joinFsPath(dir, fsName);
    const kind = kindOf(entry, fsPath, join(shown, name), links);
    if (kind === 'directory') {
      const id = normalizeMac(name)
        ? { id: normalizeMac(name)!, mac: normalizeMac(name)! }
        : reportIdOf(name);
      if (!id) continue;
      let inside: ListedEntry[];
      try {
        inside = listDirectorySync(fsPath);
      } catch (err) {
        // One phone's directory it cannot read (another user's 0700) is that phone's error.
        const where = join(shown, name);
        let mtime = 0;
        try {
          mtime = statSync(fsPath).mtimeMs;
        } catch {
          // removed meanwhile: the time stays unknown
        }
        latest.set(id.id, {
          ...id,
          path,
          mtime,
          count: 0,
          error: `cannot read report ${describeSystemError(err, where)}`,
        });
        continue;
      }
      for (const inner of inside) {
        if (skipped(inner.name)) continue;
        const innerPath = joinFsPath(fsPath, inner.fsName);
        if (kindOf(inner.entry, innerPath, join(shown, name, inner.name), links) === 'file') {
          consider(id, join(path, inner.name), innerPath);
        }
      }
    } else if (kind === 'file') {
      const id = reportIdOf(name);
      if (id) consider(id, path, fsPath);
    }
  }
  return [...latest.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
