/**
 * File names that are not UTF-8 (a Latin-1 `café.xml`), for the tests of what lists directories
 * by bytes (names6, gaps6).
 */
import { rmSync, writeFileSync } from 'node:fs';

/** `dir/name` as bytes: `name` is given in Latin-1 (one byte a character). */
export function bytePath(dir: string, latin1Name: string): Buffer {
  return Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(latin1Name, 'latin1')]);
}

/**
 * Whether the file system under `dir` takes a name that is not UTF-8 (some refuse it: EILSEQ):
 * false when it does, else the reason to skip.
 */
export function refusesByteNames(dir: string): string | false {
  try {
    writeFileSync(bytePath(dir, 'probe\xe9'), '');
    rmSync(bytePath(dir, 'probe\xe9'));
    return false;
  } catch (err) {
    return `this file system refuses a file name that is not UTF-8 (${(err as Error).message})`;
  }
}
