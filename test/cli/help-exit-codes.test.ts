// Every command's --help ends with its exit codes (0 ok, 1 input found bad, 2 usage, 3 I/O or
// unexpected), as the command returns them (issue 12). The list of commands is read from the
// CLI's own --help, so a command added without an entry in COMMAND_EXIT_CODES fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_EXIT_CODES } from '../../src/cli.js';
import { closedPort } from '../helpers/http-server.js';
import { ROOT, runCli, runCliShared, type CliRun } from '../helpers/run-cli.js';

/** Command names from the "Commands:" section of a help text (without `help`). */
function commandsIn(help: string): string[] {
  const section = help.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z][a-z-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
}

const EXIT_LINES = /\nExit codes:\n {2}0 {2}\S.*\n {2}1 {2}\S.*\n {2}2 {2}\S.*\n {2}3 {2}\S.*\n$/;

test('every command and subcommand ends its --help with its own four exit-code lines', async () => {
  const top = await runCliShared(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, EXIT_LINES, 'cisco-prov --help');
  const paths: string[] = [];
  // Each command's --help, run once: read here for its subcommands, checked below.
  const helps = new Map<string, CliRun>();
  for (const name of commandsIn(top.stdout)) {
    paths.push(name);
    const help = await runCliShared([name, '--help']);
    helps.set(name, help);
    for (const sub of commandsIn(help.stdout)) paths.push(`${name} ${sub}`);
  }
  assert.ok(paths.includes('encrypt') && paths.includes('rule check'), paths.join(', '));
  assert.deepEqual([...paths].sort(), Object.keys(COMMAND_EXIT_CODES).sort());
  for (const path of paths) {
    const help = helps.get(path) ?? (await runCliShared([...path.split(' '), '--help']));
    assert.equal(help.code, 0, path);
    assert.match(help.stdout, EXIT_LINES, `${path} --help`);
    const [ok, bad, usage, failure] = COMMAND_EXIT_CODES[path]!;
    assert.ok(
      help.stdout.endsWith(
        `\nExit codes:\n  0  ${ok}\n  1  ${bad}\n  2  ${usage}\n  3  ${failure}\n`,
      ),
      `${path}: its own lines, last`,
    );
  }
});

// Each exit code a command's --help documents is the one a run of that kind gets: one run per
// documented code (0 is every other test's; "not used" codes have none).
test('the documented exit codes are the ones the commands return', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-exit-codes-'));
  try {
    const f = (name: string): string => join(dir, name);
    writeFileSync(f('good.xml'), '<flat-profile><Station_Name>a</Station_Name></flat-profile>\n');
    writeFileSync(
      f('bad.xml'),
      '<flat-profile><Station_Name ua="RW">a</Station_Name></flat-profile>\n',
    );
    writeFileSync(f('empty.xml'), '');
    writeFileSync(f('k.txt'), 'Example-Key-1\n', { mode: 0o600 });
    writeFileSync(f('bad-inventory.csv'), 'mac,model\nzz,8841\n');
    const sealed = await runCli([
      'encrypt',
      '--key-file',
      f('k.txt'),
      f('good.xml'),
      '-o',
      f('good.cfg'),
    ]);
    assert.equal(sealed.code, 0, sealed.stderr);
    const ua = ['--ua', 'Cisco-CP-8841-3PCC/11.0 (00562b043615)'];
    const inventory = join(ROOT, 'examples/inventory.csv');
    const log = join(ROOT, 'test/fixtures/logs/combined.log');
    const port = await closedPort();
    const runs: [path: string, code: number, args: string[]][] = [
      ['encrypt', 1, ['--key-file', f('k.txt'), f('empty.xml')]],
      ['encrypt', 2, [f('good.xml')]],
      ['encrypt', 3, ['--key-file', f('k.txt'), f('missing.xml')]],
      ['decrypt', 1, ['--key', 'wrong', f('good.cfg')]],
      ['decrypt', 2, [f('good.cfg')]],
      ['decrypt', 3, ['--key-file', f('k.txt'), f('missing.cfg')]],
      ['keygen', 2, ['-o', f('k.txt')]],
      ['render', 1, ['-i', inventory, '-t', f('bad.xml'), '--out', f('out')]],
      ['render', 2, ['-i', inventory, '--device', '00:11:22:33:44:99']],
      ['render', 3, ['-i', inventory, '-t', f('missing/'), '--device', '0056.2b04.3615']],
      ['validate', 1, [f('bad.xml')]],
      ['validate', 2, ['--model', '9999', f('good.xml')]],
      ['validate', 3, [f('missing.xml')]],
      ['inspect', 1, []],
      ['inspect', 2, ['--format', 'xml', 'x']],
      ['inspect', 3, ['--log', f('missing.log')]],
      ['models', 2, ['1234']],
      ['param', 1, ['Zzzzzz_Nothing']],
      ['param', 2, ['']],
      ['rule expand', 1, ['ftp://x/a', ...ua]],
      ['rule expand', 2, ['($PRVTMR gt 5)? http://x/a', ...ua]],
      ['rule check', 1, ['ftp://x/a']],
      ['serve', 2, ['-i', f('bad-inventory.csv'), '--port', '0']],
      ['serve', 3, ['-i', f('missing.csv'), '--port', '0']],
      ['diff', 1, [f('good.xml'), f('bad.xml')]],
      ['diff', 2, ['--key', 'wrong', f('good.cfg'), f('good.xml')]],
      ['diff', 3, [f('missing.xml'), f('good.xml')]],
      ['convert', 1, [f('empty.xml'), '--to', 'json']],
      ['convert', 2, [f('good.xml')]],
      ['convert', 3, [f('missing.xml'), '--to', 'json']],
      ['drift', 1, ['--reports', dir, '-i', inventory]],
      ['drift', 3, ['--reports', f('missing'), '-i', inventory]],
      ['fleet', 1, ['--log', f('empty.xml')]],
      ['fleet', 2, ['--log', log, '--now', 'yesterday']],
      ['fleet', 3, ['--log', f('missing.log')]],
      ['fetch', 1, [`http://127.0.0.1:${port}/a.xml`, ...ua]],
      ['fetch', 2, ['tftp://x/a.xml', ...ua]],
    ];
    const wrong: string[] = [];
    for (const [path, code, args] of runs) {
      assert.ok(COMMAND_EXIT_CODES[path], path);
      const run = await runCli([...path.split(' '), ...args], { cwd: dir, stopAfterMs: 20_000 });
      if (run.code !== code) {
        wrong.push(
          `${path} ${args.join(' ')}: exit ${run.code}, --help says ${code} (${COMMAND_EXIT_CODES[path]![code]}): ${run.stderr}`,
        );
      }
    }
    assert.deepEqual(wrong, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
