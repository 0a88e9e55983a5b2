/**
 * Directory listings that keep names which are not UTF-8. Node's default listing decodes each
 * name as UTF-8 and turns a byte that is no part of it into U+FFFD (`caf\xe9.xml`, a Latin-1
 * name copied from an old Windows or Samba share, comes back as `caf\ufffd.xml`, which names no
 * file). Listed as bytes, such a name keeps its bytes (a Buffer path, which node:fs takes), and
 * is shown escaped (`caf\xe9.xml`); every other name stays the string it always was.
 */
import { isUtf8 } from 'node:buffer';
import { readdirSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { escapeBytes } from '../output/terminal-text.js';

/** A path for node:fs: a string when it is UTF-8 throughout, else its bytes. */
export type FsPath = string | Buffer;

/** One entry of a listing: its type (from the listing), its name to show, its name for node:fs. */
export interface ListedEntry {
  /** The name as text: the name itself, or with each byte that is not UTF-8 as `\xNN`. */
  name: string;
  /** The name for node:fs: the string, or the bytes when they are not UTF-8. */
  fsName: FsPath;
  entry: Dirent<Buffer>;
}

function toEntries(listed: Dirent<Buffer>[]): ListedEntry[] {
  return listed.map((entry) => {
    const bytes = entry.name;
    if (isUtf8(bytes)) {
      const name = bytes.toString('utf8');
      return { name, fsName: name, entry };
    }
    return { name: escapeBytes(bytes), fsName: bytes, entry };
  });
}

/** Lists `dir` with each entry's type; throws the system error. */
export function listDirectorySync(dir: FsPath): ListedEntry[] {
  return toEntries(readdirSync(dir, { encoding: 'buffer', withFileTypes: true }));
}

/** As listDirectorySync, without blocking the thread. */
export async function listDirectory(dir: FsPath): Promise<ListedEntry[]> {
  return toEntries(await readdir(dir, { encoding: 'buffer', withFileTypes: true }));
}

/**
 * `dir` and `name` joined: path.join's string when both are strings, else their bytes joined
 * by the separator (not normalized: the file system takes `a//b` and `./b` as they are).
 * @example joinFsPath('in', Buffer.from([0xe9])) // <Buffer 69 6e 2f e9>
 */
export function joinFsPath(dir: FsPath, name: FsPath): FsPath {
  if (typeof dir === 'string' && typeof name === 'string') return join(dir, name);
  const head = typeof dir === 'string' ? Buffer.from(dir) : dir;
  const tail = typeof name === 'string' ? Buffer.from(name) : name;
  const needsSep = head.length > 0 && head[head.length - 1] !== sep.charCodeAt(0);
  return Buffer.concat(needsSep ? [head, Buffer.from(sep), tail] : [head, tail]);
}
