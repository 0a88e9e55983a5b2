// What an admin runs by hand that the README's examples do not show: each test here is a defect
// found by trying the CLI as its users would (a shell loop, a cron job, a typo), fixed, and
// kept from coming back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';

test('cisco-prov with no command prints the usage on stderr and exits 2, as a missing argument', async () => {
  const run = await runCli([]);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^Usage: cisco-prov \[options\] \[command\]/);
});

test('cisco-prov help <unknown command> exits 2; help and help <command> exit 0', async () => {
  const unknown = await runCli(['help', 'nosuch']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, '');
  const help = await runCli(['help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: cisco-prov/);
  const helpRule = await runCli(['help', 'rule']);
  assert.equal(helpRule.code, 0);
  assert.match(helpRule.stdout, /^Usage: cisco-prov rule/);
  const rule = await runCli(['rule']);
  assert.equal(rule.code, 2);
});
