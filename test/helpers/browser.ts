/**
 * A real browser for the page tests: Chromium from the system packages (Debian: `apt-get install
 * chromium`; .ci/run installs it), driven by playwright-core — never a browser download.
 * CHROMIUM_PATH names another executable.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium executable, or undefined when this machine has none. */
export function findChromium(): string | undefined {
  const named = process.env.CHROMIUM_PATH;
  if (named) return existsSync(named) ? named : undefined;
  for (const path of CANDIDATES) if (existsSync(path)) return path;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

export const NO_CHROMIUM =
  'no Chromium found (apt-get install chromium, or set CHROMIUM_PATH): browser tests skipped';
