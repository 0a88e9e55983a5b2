// describeJsonSyntaxError: JSON.parse's errors with a line and column and without the input V8
// quotes (Node 20 writes "at position N", Node 22 adds "(line L column C)"; both are read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeJsonSyntaxError } from '../../src/profile/json-syntax-error.js';

function errorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`parsed: ${text}`);
}

test('a syntax error is placed by line and column, counted from 1', () => {
  const text = '{\n  "a": 1\n  "b": 2\n}';
  assert.equal(
    describeJsonSyntaxError(errorOf(text), text),
    "line 3, col 3: not valid JSON (expected ',' or '}' after property value)",
  );
  assert.equal(
    describeJsonSyntaxError(
      "Expected ',' or '}' after property value in JSON at position 8",
      '{"a": 1\n"b"}',
    ),
    "line 2, col 1: not valid JSON (expected ',' or '}' after property value)",
  );
  assert.equal(
    describeJsonSyntaxError(
      "Expected ',' or '}' after property value in JSON at position 8 (line 2 column 1)",
      '{"a": 1\n"b"}',
    ),
    "line 2, col 1: not valid JSON (expected ',' or '}' after property value)",
  );
});

test('an empty or cut text ends at its last character', () => {
  assert.equal(
    describeJsonSyntaxError(errorOf(''), ''),
    'line 1, col 1: not valid JSON (unexpected end of JSON input)',
  );
  assert.match(describeJsonSyntaxError(errorOf('[\n'), '[\n'), /^line 2, col 1: not valid JSON/);
});

test('the input V8 quotes never comes back', () => {
  const text = '{"Password_1_": SuperSecret1}';
  const message = describeJsonSyntaxError(errorOf(text), text);
  assert.doesNotMatch(message, /SuperSecret|uperSecre/);
  assert.match(message, /not valid JSON \(unexpected/);
  assert.equal(
    describeJsonSyntaxError(`Unexpected token 'S', "SuperSecre"... is not valid JSON`, ''),
    'not valid JSON (unexpected character)',
  );
});
