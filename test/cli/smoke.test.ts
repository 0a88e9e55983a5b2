import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, runCliShared } from '../helpers/run-cli.js';

test('--version prints the package version and exits 0', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('an unknown command is a usage error (exit 2), no stack trace', async () => {
  const r = await runCli(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cisco-prov: unknown command 'frobnicate'/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('--help lists the exit codes', async () => {
  const r = await runCliShared(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Exit codes:/);
});
