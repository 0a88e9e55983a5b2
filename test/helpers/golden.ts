/**
 * Golden Markdown files of whole CLI runs (command, exit code, stdout, stderr) in test/golden/.
 * UPDATE_SNAPSHOTS=1 rewrites them; review the diff before committing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, type CliRun } from './run-cli.js';

/** Compares a run with test/golden/<name>, writing it when absent or asked to. */
export function assertGolden(name: string, args: readonly string[], run: CliRun): void {
  const text =
    `# cisco-prov ${args.join(' ')}\n\nexit code: ${run.code}\n\n## stdout\n\n\`\`\`\n${run.stdout}\`\`\`\n\n` +
    `## stderr\n\n\`\`\`\n${run.stderr}\`\`\`\n`;
  const path = join(ROOT, 'test/golden', name);
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  assert.equal(text, readFileSync(path, 'utf8'), `${name} (UPDATE_SNAPSHOTS=1 to refresh)`);
}
