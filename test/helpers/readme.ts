/**
 * The README's examples, read from README.md at test time so that a test breaks when the README
 * and the behaviour part: fenced blocks, `$ cisco-prov …` runs with the output shown under them,
 * the shell lines of ```sh blocks, and a matcher for shown output (`…` as a wildcard).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run-cli.js';

export const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

export interface FencedBlock {
  /** What follows the opening ``` (`sh`, `console`, '' …). */
  lang: string;
  /** README line of the first line inside the block. */
  line: number;
  lines: string[];
  /** The nearest heading above the block. */
  heading: string;
}

/** Every fenced block of a Markdown text, with the heading it sits under. */
export function fencedBlocks(text: string = README): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let heading = '';
  let open: FencedBlock | undefined;
  text.split('\n').forEach((line, index) => {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push(open);
        open = undefined;
      } else {
        open.lines.push(line);
      }
    } else if (line.startsWith('```')) {
      open = { lang: line.slice(3).trim(), line: index + 2, lines: [], heading };
    } else if (/^#{1,6} /.test(line)) {
      heading = line;
    }
  });
  return blocks;
}

/** The blocks under a heading (exactly as written, e.g. `## Get started`). */
export function blocksUnder(heading: string, lang?: string): FencedBlock[] {
  const found = fencedBlocks().filter(
    (b) => b.heading === heading && (lang === undefined || b.lang === lang),
  );
  if (found.length === 0) throw new Error(`README: no ${lang ?? ''} block under ${heading}`);
  return found;
}

/**
 * The commands of a shell block: continuation lines joined, comment lines dropped, a trailing
 * `# comment` kept apart (it often states what the command does).
 */
export function shellLines(block: FencedBlock): { command: string; comment: string }[] {
  const joined: string[] = [];
  let pending = '';
  for (const raw of block.lines) {
    const line = pending + (pending ? raw.trimStart() : raw);
    if (line.endsWith('\\')) {
      pending = `${line.slice(0, -1).trimEnd()} `;
      continue;
    }
    pending = '';
    joined.push(line);
  }
  return joined
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) => {
      // A ' #' outside single quotes starts the comment.
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === "'") quoted = !quoted;
        else if (!quoted && line[i] === '#' && line[i - 1] === ' ') {
          return { command: line.slice(0, i).trim(), comment: line.slice(i + 1).trim() };
        }
      }
      return { command: line.trim(), comment: '' };
    });
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

export interface ShownRun {
  /** README line of the command. */
  line: number;
  command: string;
  /** The words after `cisco-prov`; undefined when the line is shell syntax (a pipe, `$(…)`). */
  args: string[] | undefined;
  /** The output lines shown under it. */
  expected: string[];
}

/** Every `$ cisco-prov …` line of a fenced block with the output lines after it. */
export function shownRuns(text: string = README): ShownRun[] {
  const runs: ShownRun[] = [];
  for (const block of fencedBlocks(text)) {
    let current: ShownRun | undefined;
    block.lines.forEach((line, i) => {
      if (line.startsWith('$ ')) {
        current = undefined;
        const command = line.slice(2);
        if (!command.startsWith('cisco-prov ') && command !== 'cisco-prov') return;
        const words = shellWords(command);
        current = { line: block.line + i, command, args: words?.slice(1), expected: [] };
        runs.push(current);
      } else if (current) {
        current.expected.push(line.trimEnd());
      }
    });
  }
  for (const run of runs) while (run.expected.at(-1) === '') run.expected.pop();
  return runs;
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

/** A command's stdout as lines to match: the last line end dropped, trailing blanks trimmed. */
export function outputLines(stdout: string): string[] {
  return stdout
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => l.trimEnd());
}
