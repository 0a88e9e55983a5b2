import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, symlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSystemError } from '../../src/domain-errors.js';

/** The error Node throws for `fn`, whatever it is. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected a throw');
}

test('describeSystemError: codes with words of their own', () => {
  const enoent = thrown(() => lstatSync('/nonexistent/usertrial'));
  assert.equal(describeSystemError(enoent, 'x.csv'), 'x.csv: no such file or directory');
});

test('describeSystemError: any other system error is the OS reason, once, without code or path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-describe-'));
  try {
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    const eloop = thrown(() => lstatSync(join(dir, 'a', 'x')));
    assert.equal((eloop as NodeJS.ErrnoException).code, 'ELOOP');
    assert.equal(describeSystemError(eloop, 'a'), 'a: too many symbolic links encountered');
    const long = thrown(() => lstatSync('n'.repeat(5000)));
    assert.equal(describeSystemError(long, 'n…'), 'n…: name too long');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Not a system error: its message as it is.
  assert.equal(describeSystemError(new Error('odd'), 'f'), 'f: odd');
});
