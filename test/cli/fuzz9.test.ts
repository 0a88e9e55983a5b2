// Regression tests for what the fuzz drivers (test/fuzz/) found, each with its minimised input,
// through the built CLI (and the core where the CLI cannot show it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InventoryError, parseInventory } from '../../src/render/inventory.js';
import { parseVarsFile } from '../../src/render/variables.js';
import { runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-fuzz9-');

/** Stderr of a clean failure: every line a message or a hint, no stack frame. */
function assertCleanStderr(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, stderr);
  assert.doesNotMatch(stderr, /unexpected failure|RangeError|Maximum call stack/i, stderr);
}

// `{ a: b: b: b: …` — a few thousand implicit keys in one flow map (12 KB on one line) — makes
// the yaml library's parser (not its composer, which reports an overflow as a document error)
// throw RangeError out of parseDocument: render said "unexpected failure: Maximum call stack
// size exceeded" and exited 3.
const DEEP_FLOW = `{ password: ${'b: '.repeat(6000)}}`;

test('render: a YAML inventory, vars file or streamed inventory whose parser overflows the stack is a clean exit 1', async () => {
  const root = dir.fresh('yaml-overflow');
  const inventory = join(root, 'inv.yaml');
  writeFileSync(
    inventory,
    `devices:\n  - mac: 00562b043615\n    model: 8841\n    lines: ${DEEP_FLOW}\n`,
  );
  const vars = join(root, 'site.yaml');
  writeFileSync(vars, `sip: ${DEEP_FLOW}\n`);
  // Above 1 MiB a YAML inventory is read a device at a time (another parser loop).
  const big = join(root, 'big.yaml');
  let devices = '';
  for (let i = 0; i < 24_000; i++) {
    devices += `  - mac: 0056${i.toString(16).padStart(8, '0')}\n    model: "8841"\n`;
  }
  writeFileSync(big, `devices:\n${devices}  - mac: 00562bffffff\n    lines: ${DEEP_FLOW}\n`);
  const cases: [string[], string, string][] = [
    [['render', '-i', inventory], inventory, 'not valid YAML (nested too deeply)'],
    [
      ['render', '-i', 'examples/inventory.csv', '--vars', vars, '-d', '00562b043615'],
      vars,
      'not valid YAML or JSON (nested too deeply)',
    ],
    [['render', '-i', big, '-o', join(root, 'out')], big, 'not valid YAML (nested too deeply)'],
  ];
  for (const [args, file, message] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 1, run.stderr);
    assertCleanStderr(run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`^cisco-prov: ${file}: file: ${message.replace(/[()]/g, '\\$&')}$`, 'm'),
    );
  }
  // The core, as a library user calls it: typed errors, not a RangeError.
  assert.throws(
    () =>
      parseInventory(`devices:\n  - mac: 00562b043615\n    x: ${DEEP_FLOW}\n`, 'i.yaml', 'yaml'),
    InventoryError,
  );
  const problems = parseVarsFile(`x: ${DEEP_FLOW}\n`, 'v.yaml');
  assert.ok(Array.isArray(problems));
});
