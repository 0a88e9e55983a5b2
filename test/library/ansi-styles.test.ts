// The formatters colour with src/output/ansi.ts instead of chalk, whose import reads the
// environment and probes stdout/stderr (the library reads neither). The bytes must stay chalk's:
// every style against chalk 5 at level 1, on plain text, line breaks and text already coloured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Chalk } from 'chalk';
import { styles, type Styles } from '../../src/output/ansi.js';

const chalk = new Chalk({ level: 1 });
const SAME: [keyof Styles, (text: string) => string][] = [
  ['bold', chalk.bold],
  ['dim', chalk.dim],
  ['underline', chalk.underline],
  ['red', chalk.red],
  ['green', chalk.green],
  ['yellow', chalk.yellow],
  ['redBold', chalk.red.bold],
  ['yellowBold', chalk.yellow.bold],
];

const TEXTS = [
  '',
  'error',
  '✖ 3 problems (3 errors, 0 warnings)',
  'two\nlines',
  'crlf\r\nline\n',
  '\n',
  `a ${chalk.red('red')} b`,
  `a ${chalk.bold('bold')} ${chalk.dim('dim')} c`,
  `${chalk.yellow.bold('x')}\n${chalk.underline('y')}`,
  '\u001b[39m\u001b[22m\u001b[24m',
];

test('each style writes the bytes chalk 5 writes at level 1', () => {
  const on = styles(true);
  for (const [name, theirs] of SAME) {
    for (const text of TEXTS) {
      assert.equal(on[name](text), theirs(text), `${name}(${JSON.stringify(text)})`);
    }
  }
});

test('colour off: every style returns the text as it is', () => {
  for (const off of [styles(false), styles(undefined)]) {
    for (const [name] of SAME) for (const text of TEXTS) assert.equal(off[name](text), text);
  }
});
