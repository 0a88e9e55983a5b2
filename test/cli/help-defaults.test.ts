// Every command's --help states each option's default once: commander's "(default: …)" or the
// option's own words, not both ("default 1) (default: 1)" said it twice); where a default is an
// [open] choice the bracket may repeat it. Options whose absence means something say what.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCliShared } from '../helpers/run-cli.js';

const COMMANDS = [
  'encrypt',
  'decrypt',
  'keygen',
  'render',
  'validate',
  'inspect',
  'models',
  'param',
  'rule expand',
  'rule check',
  'serve',
  'diff',
  'convert',
  'drift',
  'fleet',
  'fetch',
];

/** Each option of a help text with its wrapped lines joined: `--flag <arg> help…`. */
function options(help: string): string[] {
  const section = help.split('\nOptions:\n')[1]?.split('\n\n')[0] ?? '';
  const joined: string[] = [];
  for (const line of section.split('\n')) {
    if (/^ {2}-/.test(line)) joined.push(line.trim());
    else if (joined.length > 0) joined[joined.length - 1] += ` ${line.trim()}`;
  }
  return joined;
}

const helps = new Map<string, Promise<string>>();
function helpOf(command: string): Promise<string> {
  let help = helps.get(command);
  if (!help) {
    help = runCliShared([...command.split(' '), '--help']).then((r) => {
      assert.equal(r.code, 0, command);
      return r.stdout;
    });
    helps.set(command, help);
  }
  return help;
}

function optionOf(all: string[], flag: string): string {
  const found = all.find((o) => new RegExp(`^(-\\w, )?${flag}(?= |,|$)`).test(o));
  assert.ok(found, `${flag} in ${all.join('\n')}`);
  return found;
}

test('no option states its default twice (outside an [open: …] note)', async () => {
  for (const command of COMMANDS) {
    for (const option of options(await helpOf(command))) {
      const outside = option.replace(/\[open[^\]]*\]/g, '').replace(/default\.liquid/g, '');
      const count = outside.match(/\bdefault\b/g)?.length ?? 0;
      assert.ok(count <= 1, `${command}: ${option}`);
    }
  }
});

test('options whose default is not shown by commander say it in words', async () => {
  const expectations: [string, string, RegExp][] = [
    ['inspect', '--format', /\(default: table; --json is json\)/],
    ['models', '--format', /\(default: table; --json is json\)/],
    ['validate', '--model', /without it every family's parameters and values pass/],
    ['encrypt', '--salt', /default: a random salt per file/],
    ['serve', '--host', /loopback only .*\(default: "127\.0\.0\.1"\)/],
    ['serve', '--workers', /\(node:cluster\) \(default: 1\)$/],
    ['decrypt', '--iter', /\(default: 10000\)$/],
  ];
  for (const [command, flag, says] of expectations) {
    assert.match(optionOf(options(await helpOf(command)), flag), says, `${command} ${flag}`);
  }
});

test('the option reader joins wrapped lines', () => {
  const help =
    'Usage: x\n\nOptions:\n  --a <n>  one\n           two\n  -b, --bee  three\n\nExamples:\n';
  assert.deepEqual(options(help), ['--a <n>  one two', '-b, --bee  three']);
  assert.equal(optionOf(options(help), '--bee'), '-b, --bee  three');
});
