// The examples each command's --help shows run: every one that needs no shell (no pipe, no
// redirection), no placeholder (`…` standing for a User-Agent) and no file of the user's own
// (only the bundled examples/ and templates/, or none) exits 0 in a fresh directory. Nothing
// here reaches the network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_EXIT_CODES } from '../../src/cli.js';
import { shellWords } from '../helpers/readme.js';
import { ROOT, runCli, runCliShared } from '../helpers/run-cli.js';

/** The example lines of a help text, continuation lines joined. */
function examples(help: string): string[] {
  const section = help.split('\nExamples:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .replace(/ \\\n\s+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('cisco-prov '));
}

/** A word that names a file or directory (`profile.xml`, `out/`, `/var/log/…`). */
const PATH = /^[\w./-]*(\/|\.(xml|cfg|csv|json|ya?ml|log|gz|txt|pem|ece|auth|liquid))$/;

test("the runnable examples of every command's --help exit 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-help-examples-'));
  try {
    for (const d of ['examples', 'templates'])
      cpSync(join(ROOT, d), join(dir, d), { recursive: true });
    const ran: string[] = [];
    const wrong: string[] = [];
    for (const path of Object.keys(COMMAND_EXIT_CODES)) {
      // serve runs until stopped (test/cli/readme5.test.ts starts its example); fetch's examples
      // name servers on the Internet (readme5 replays the README's against a local one)
      if (path === 'serve' || path === 'fetch') continue;
      const help = (await runCliShared([...path.split(' '), '--help'])).stdout;
      for (const example of examples(help)) {
        const words = shellWords(example);
        if (words === undefined || words.includes('…')) continue;
        const files = words
          .slice(1)
          .filter(
            (w, i, all) =>
              PATH.test(w) &&
              !/^-/.test(w) &&
              !/^--(out|o)$/.test(all[i - 1] ?? '') &&
              all[i - 1] !== '-o',
          );
        if (!files.every((f) => existsSync(join(dir, f)))) continue;
        ran.push(example);
        const run = await runCli(words.slice(1), { cwd: dir });
        if (run.code !== 0) wrong.push(`${example}: exit ${run.code}: ${run.stderr}`);
      }
    }
    assert.deepEqual(wrong, []);
    for (const command of ['render', 'param', 'models', 'rule expand', 'rule check', 'inspect']) {
      assert.ok(
        ran.some((e) => e.startsWith(`cisco-prov ${command} `) || e === `cisco-prov ${command}`),
        `an example of ${command} ran: ${ran.join('\n')}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
