/**
 * Golden files in test/golden/: whole CLI runs as Markdown (command, exit code, stdout,
 * stderr), or any text. UPDATE_SNAPSHOTS=1 writes them; review the diff before committing.
 * Without it a missing golden file fails the test: a golden that writes itself cannot fail.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, type CliRun } from './run-cli.js';

/** Whether this run writes golden files instead of comparing with them. */
export const UPDATE_SNAPSHOTS = process.env.UPDATE_SNAPSHOTS === '1';

/** Compares text with test/golden/<name> (written only with UPDATE_SNAPSHOTS=1). */
export function assertGoldenText(name: string, actual: string): void {
  const path = join(ROOT, 'test/golden', name);
  if (UPDATE_SNAPSHOTS) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  } else if (!existsSync(path)) {
    assert.fail(`test/golden/${name} is missing: run with UPDATE_SNAPSHOTS=1, then review it`);
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} (UPDATE_SNAPSHOTS=1 to refresh)`);
}

/** A whole CLI run as the Markdown kept in a golden file. */
export function goldenRun(args: readonly string[], run: CliRun): string {
  return (
    `# cisco-prov ${args.join(' ')}\n\nexit code: ${run.code}\n\n## stdout\n\n\`\`\`\n${run.stdout}\`\`\`\n\n` +
    `## stderr\n\n\`\`\`\n${run.stderr}\`\`\`\n`
  );
}

/** Compares a CLI run with test/golden/<name>. */
export function assertGolden(name: string, args: readonly string[], run: CliRun): void {
  assertGoldenText(name, goldenRun(args, run));
}
