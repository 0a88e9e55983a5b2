/** The golden helper itself: a golden file that is missing fails the test instead of being written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-cli.js';
import { UPDATE_SNAPSHOTS, assertGoldenText } from '../helpers/golden.js';

test('a missing golden file fails (unless UPDATE_SNAPSHOTS=1)', { skip: UPDATE_SNAPSHOTS }, () => {
  const name = 'no-such-golden-file.txt';
  assert.throws(() => assertGoldenText(name, 'text\n'), /no-such-golden-file\.txt is missing/);
  assert.ok(!existsSync(join(ROOT, 'test/golden', name)), 'and is not written');
});

test('a golden file that differs fails', { skip: UPDATE_SNAPSHOTS }, () => {
  assert.throws(() => assertGoldenText('models.md', 'not the models table\n'), /models\.md/);
});
