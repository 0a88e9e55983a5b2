// Every command's --help ends with its exit codes (0 ok, 1 input found bad, 2 usage, 3 I/O or
// unexpected), as the command returns them (issue 12). The list of commands is read from the
// CLI's own --help, so a command added without an entry in COMMAND_EXIT_CODES fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_EXIT_CODES } from '../../src/cli.js';
import { runCli } from '../helpers/run-cli.js';

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
  const top = await runCli(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, EXIT_LINES, 'cisco-prov --help');
  const paths: string[] = [];
  for (const name of commandsIn(top.stdout)) {
    paths.push(name);
    const help = await runCli([name, '--help']);
    for (const sub of commandsIn(help.stdout)) paths.push(`${name} ${sub}`);
  }
  assert.ok(paths.includes('encrypt') && paths.includes('rule check'), paths.join(', '));
  assert.deepEqual([...paths].sort(), Object.keys(COMMAND_EXIT_CODES).sort());
  for (const path of paths) {
    const help = await runCli([...path.split(' '), '--help']);
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
