/**
 * The JSDoc examples on the library's exports run as written: every one-line example of the form
 * `expression // expected` (the expected value a JavaScript literal, `…` for "and more") on an
 * export of dist/index.js is evaluated against the built library, with its exports in scope,
 * and compared with what the comment says: a literal object or array lists what the result has
 * (an object may have more keys; `…` in an array allows more elements).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import ts from 'typescript';
import { ROOT } from '../helpers/run-cli.js';

const TYPES = join(ROOT, 'dist', 'types', 'src', 'index.d.ts');

interface Example {
  on: string;
  expression: string;
  expected: string;
}

/** Every `@example` text of the exports of the shipped index.d.ts. */
function exampleTexts(): { on: string; text: string }[] {
  const program = ts.createProgram([TYPES], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(TYPES)!)!;
  const found: { on: string; text: string }[] = [];
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    for (const tag of target.getJsDocTags(checker)) {
      if (tag.name === 'example') {
        found.push({ on: symbol.name, text: ts.displayPartsToString(tag.text) });
      }
    }
  }
  return found;
}

/** A literal as a value, `…` (more of the same) kept as a marker; undefined if it is not one. */
const MORE = Symbol('…');
function literal(text: string): { value: unknown } | undefined {
  const source = text.replace(/…/g, '__more__');
  try {
    const value = new Function('__more__', `"use strict"; return (${source});`)(MORE) as unknown;
    return { value };
  } catch {
    return undefined;
  }
}

/** Whether `actual` has what `expected` (a documented literal) shows. */
function matches(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    const open = expected.at(-1) === MORE;
    const items = open ? expected.slice(0, -1) : expected;
    if (open ? actual.length < items.length : actual.length !== items.length) return false;
    return items.every((item, i) => matches(actual[i], item));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(expected).every(
      ([key, value]) => value === MORE || matches((actual as Record<string, unknown>)[key], value),
    );
  }
  if (typeof expected === 'string' && expected.includes('__more__')) {
    // 'must be …': the text so far, then anything.
    const parts = expected.split('__more__').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return typeof actual === 'string' && new RegExp(`^${parts.join('[^]*')}$`).test(actual);
  }
  return isDeepStrictEqual(actual, expected);
}

/** Whether a comment's text is a value: a literal, not prose or a placeholder. */
function isLiteral(text: string): boolean {
  if (/^(?:true|false|null|undefined)$/.test(text)) return true;
  if (!/^['"[{\d-]/.test(text) || /^'<\w+>/.test(text)) return false;
  return literal(text) !== undefined;
}

/**
 * The runnable examples: `expression // literal` on one line, or an expression on one line and
 * the literal in the comment lines that follow it.
 */
function checkable(): Example[] {
  const out: Example[] = [];
  for (const { on, text } of exampleTexts()) {
    const lines = text.split('\n').map((l) => l.trim());
    lines.forEach((line, i) => {
      const m = /^(.+?);?\s+\/\/ (.+)$/.exec(line);
      if (m && !m[1]!.includes('//')) {
        // `// 'x'; other(…) // 'y'` and `// 971211336000 (2000-10-10T20:55:36Z)`: the literal is
        // the comment's start; a comment that does not start with one is prose.
        const expected = m[2]!.replace(/(?:;| \(|: ).*$/, '').trim();
        if (isLiteral(expected)) out.push({ on, expression: m[1]!, expected });
        return;
      }
      if (line.startsWith('//') || !lines[i + 1]?.startsWith('// ')) return;
      const comments: string[] = [];
      for (let j = i + 1; lines[j]?.startsWith('// '); j++) comments.push(lines[j]!.slice(3));
      const expected = comments.join(' ').trim();
      if (isLiteral(expected)) out.push({ on, expression: line.replace(/;$/, ''), expected });
    });
  }
  return out;
}

test('the JSDoc examples of the exports give what they say', async (t) => {
  const lib = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as Record<
    string,
    unknown
  >;
  const names = Object.keys(lib);
  const examples = checkable();
  const failures: string[] = [];
  let evaluated = 0;
  for (const { on, expression, expected } of examples) {
    let actual: unknown;
    try {
      actual = new Function(...names, `"use strict"; return (${expression});`)(
        ...names.map((n) => lib[n]),
      );
    } catch (err) {
      // An example that needs a value the reader supplies (`xml`, `ikm`) is not run.
      if (err instanceof ReferenceError || err instanceof SyntaxError) continue;
      actual = `throws ${(err as Error).message}`;
    }
    evaluated++;
    if (!matches(actual, literal(expected)!.value)) {
      failures.push(`${on}: ${expression} // ${expected}\n  gives ${JSON.stringify(actual)}`);
    }
  }
  t.diagnostic(`${evaluated} of ${examples.length} examples run`);
  assert.ok(evaluated >= 40, `only ${evaluated} examples could be run`);
  assert.deepEqual(failures, [], failures.join('\n'));
});
