// audit12: the commands other than render/serve/validate, tried as a careless or hostile user
// would run them (by hand, in shell loops, in CI). Each test here failed before its fix.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { models } from '../../src/commands/models.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-audit12-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('models <pattern>', () => {
  test('a pattern of many stars answers at once (the RegExp it became backtracked exponentially)', () => {
    const started = performance.now();
    assert.throws(() => models({ model: `${'*'.repeat(40)}Z` }), /unknown model/);
    assert.deepEqual(
      models({ model: `${'*'.repeat(30)}8?41` }).models.map((m) => m.model),
      ['8841'],
    );
    // 10 stars took 7 s before (C(25, 10) ways per name); 40 would take years.
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  });

  test('patterns still match as documented', () => {
    const rows = (model: string): string[] => models({ model }).models.map((m) => m.model);
    assert.deepEqual(rows('8?41'), ['8841']);
    assert.deepEqual(rows('cp-78*'), ['7811', '7821', '7841', '7861', '7832']);
    assert.deepEqual(rows('*ata19?*'), ['ATA191', 'ATA192']);
    assert.deepEqual(rows('**8**41**'), ['6841', '7841', '8841', '9841']);
    assert.equal(rows('*').length, 24);
  });

  test('spawned: an unknown many-star pattern is exit 2 in well under the test timeout', async () => {
    const run = await runCli(['models', `${'*'.repeat(30)}Z`], { cwd: dir });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^cisco-prov: unknown model "\*{30}Z"\n/);
  });
});
