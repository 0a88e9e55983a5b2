/**
 * A test file's own temp directory: made before its tests, removed after them, with fresh
 * subdirectories for tests that must not see each other's files.
 */
import { after, before } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestDirectory {
  /** The path of `name` inside the directory (nothing is created). */
  path(name: string): string;
  /** A directory `name` inside it, created (with its parents) if missing. */
  fresh(name: string): string;
}

/**
 * Registers the hooks that make and remove the directory; call at the top of a test file.
 * @example const dir = testDirectory('cisco-prov-gaps5-'); … dir.fresh('case-1')
 */
export function testDirectory(prefix: string): TestDirectory {
  let root: string | undefined;
  before(() => {
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });
  const rootPath = (): string => {
    if (root === undefined) throw new Error('testDirectory: used before its tests started');
    return root;
  };
  return {
    path: (name) => join(rootPath(), name),
    fresh: (name) => {
      const path = join(rootPath(), name);
      mkdirSync(path, { recursive: true });
      return path;
    },
  };
}
