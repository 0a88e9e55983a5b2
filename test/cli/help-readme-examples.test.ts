// The README's example runs are true: every `$ cisco-prov …` line of a fenced block that shows
// its output, runs on files of this repository (no pipe, no redirection, no path that is only an
// illustration) and is run here; its stdout must be what the README shows. A line `…` stands for
// any number of lines, a `…` inside a line for any text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.js';

interface Example {
  /** README line of the command. */
  line: number;
  command: string;
  args: string[];
  expected: string[];
}

/** Splits a command line as sh does for the README's examples: words, '…' quoted. */
export function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (ch === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('|<>"\\$`;&'.includes(ch) && !(ch === '$' && word === undefined)) {
      return undefined; // shell syntax these examples never need: not replayed
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Every `$ cisco-prov …` with the output lines after it, from the README's fenced blocks. */
function readmeExamples(readme: string): Example[] {
  const lines = readme.split('\n');
  const examples: Example[] = [];
  let inBlock = false;
  let current: Example | undefined;
  lines.forEach((text, index) => {
    if (text.startsWith('```')) {
      inBlock = !inBlock;
      current = undefined;
      return;
    }
    if (!inBlock) return;
    if (text.startsWith('$ ')) {
      current = undefined;
      const command = text.slice(2);
      const words = shellWords(command);
      if (words?.[0] !== 'cisco-prov') return;
      current = { line: index + 1, command, args: words.slice(1), expected: [] };
      examples.push(current);
    } else if (current) {
      current.expected.push(text.trimEnd());
    }
  });
  return examples;
}

/** A file argument that does not exist here: an illustration (`profiles/`, `/var/log/…`). */
function namesMissingFile(args: string[]): boolean {
  return args.some(
    (a) =>
      !a.startsWith('-') &&
      /^[\w./-]+(\/|\.(xml|cfg|csv|json|ya?ml|log|gz))$/.test(a) &&
      !existsSync(join(ROOT, a)),
  );
}

/** Whether `actual` lines are what `expected` shows, `…` lines and inline `…` as wildcards. */
export function matchesShown(expected: string[], actual: string[]): boolean {
  const pattern = (line: string): RegExp =>
    new RegExp(
      `^${line
        .split('…')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
  const match = (e: number, a: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (expected[e] === '…') {
      for (let skip = a; skip <= actual.length; skip++) if (match(e + 1, skip)) return true;
      return false;
    }
    return a < actual.length && pattern(expected[e]!).test(actual[a]!) && match(e + 1, a + 1);
  };
  return match(0, 0);
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

test('the README example runs show what the commands print', async () => {
  const runnable = readmeExamples(README).filter(
    (e) => e.expected.some((l) => l !== '') && !namesMissingFile(e.args),
  );
  // the examples this replays (a new one is picked up by itself; these must stay runnable)
  for (const command of ['param Report_to_Server', 'inspect ', 'models', 'diff ', 'rule check']) {
    assert.ok(
      runnable.some((e) => e.command.startsWith(`cisco-prov ${command}`)),
      `an example of cisco-prov ${command} is replayed`,
    );
  }
  const wrong: string[] = [];
  for (const example of runnable) {
    const run = await runCli(example.args);
    const actual = run.stdout
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => l.trimEnd());
    const expected = [...example.expected];
    while (expected.at(-1) === '') expected.pop();
    if (!matchesShown(expected, actual)) {
      wrong.push(
        `README.md:${example.line}: ${example.command}\n--- README\n${expected.join('\n')}\n--- printed\n${actual.join('\n')}`,
      );
    }
  }
  assert.deepEqual(wrong, []);
});

test('the matcher: … lines skip, inline … is any text, everything else is exact', () => {
  assert.ok(matchesShown(['a', '…', 'z'], ['a', 'b', 'c', 'z']));
  assert.ok(matchesShown(['a', '…'], ['a']));
  assert.ok(matchesShown(['x … y'], ['x 1 2 y']));
  assert.ok(!matchesShown(['a', 'z'], ['a', 'b', 'z']));
  assert.ok(!matchesShown(['a'], ['a', 'b']));
  assert.ok(!matchesShown(['x (y)'], ['x y']));
  assert.deepEqual(shellWords("cisco-prov inspect 'Cisco-CP-8841-3PCC/11.0 (0056)' x"), [
    'cisco-prov',
    'inspect',
    'Cisco-CP-8841-3PCC/11.0 (0056)',
    'x',
  ]);
  assert.equal(shellWords('cisco-prov diff a b | jq'), undefined);
  assert.deepEqual(shellWords("cisco-prov rule check '/cfg/$ZZZ.cfg | ftp://x/a'"), [
    'cisco-prov',
    'rule',
    'check',
    '/cfg/$ZZZ.cfg | ftp://x/a',
  ]);
});
