// Gaps of careless and hostile use: the empty-path hint names the option at fault; a file name
// that is not UTF-8; fetch -o <directory> refused before the request; serve's partials.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, ROOT } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { render as renderBatch } from '../../src/render/batch.js';

const dir = testDirectory('cisco-prov-gaps15-');
const PROFILE = '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n</flat-profile>\n';

describe("an empty path's hint names what was empty, not a made-up $OUT", () => {
  const inventory = join(ROOT, 'examples', 'inventory.csv');
  const templates = join(ROOT, 'templates');
  // Before: every one of these said `("$OUT" with OUT unset)`, whatever was empty.
  const cases: [string, string[]][] = [
    ['--inventory', ['render', '--inventory', '', '-t', templates, '--out', 'o']],
    ['--keys', ['encrypt', '--keys', '', 'in', '--out-dir', 'out']],
    ['--vars', ['render', '-i', inventory, '-t', templates, '--vars', '', '--out', 'o']],
    ['the first profile (<a>)', ['diff', '', 'p.xml']],
    ['-o', ['keygen', '-o', '']],
  ];
  for (const [what, args] of cases) {
    test(`${args.join(' ')}`, async () => {
      const cwd = dir.fresh(`empty-${what.replace(/\W/g, '')}`);
      writeFileSync(join(cwd, 'p.xml'), PROFILE);
      mkdirSync(join(cwd, 'in'), { recursive: true });
      const before = readdirSync(cwd).sort();
      const run = await runCli(args, { cwd });
      assert.equal(run.code, 2, run.stderr);
      assert.equal(
        run.stderr,
        `cisco-prov: ${what} is empty: give a path\n` +
          `  hint: ${what} was given as '' (a quoted shell variable that is not set expands to nothing)\n`,
      );
      assert.doesNotMatch(run.stderr, /\$OUT/);
      assert.deepEqual(readdirSync(cwd).sort(), before);
    });
  }

  test('the core: renderBatch with vars [""] names --vars', async () => {
    await assert.rejects(
      renderBatch({ inventory: join(ROOT, 'examples', 'inventory.csv'), vars: [''] }),
      (error: Error & { hint?: string }) => {
        assert.match(error.message, /^--vars is empty/);
        assert.match(error.hint ?? '', /^--vars was given as ''/);
        return true;
      },
    );
  });
});
