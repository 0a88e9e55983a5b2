/**
 * trial4: what the rule grammar's error messages may echo. A rule holds passphrases; a typo in
 * one (`--pwd=…`, `--keySecret`) must not put the passphrase in `validate`'s or `rule check`'s
 * output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRule } from '../../src/profile/rule.js';

test('an unknown option never echoes what may be a secret glued to it', () => {
  const cases: [string, RegExp, number][] = [
    ['[--pwd=topkey99]http://h/a', /--pwd takes its value after a space/, 1],
    ['[--key=topkey99]http://h/a', /--key takes its value after a space/, 1],
    ['[--keytopkey99]http://h/a', /--key takes its value after a space/, 1],
    [
      '[--key my --topkey99]http://h/a',
      /^unknown option \(not shown: part of a value with spaces\? It needs double quotes; known/,
      10,
    ],
    ['[--bogus]http://h/a', /unknown option --bogus \(known: --key/, 1],
  ];
  for (const [rule, message, offset] of cases) {
    const errors = parseRule(rule, 'profile').errors;
    assert.equal(errors.length, 1, rule);
    assert.match(errors[0]!.message, message, rule);
    assert.doesNotMatch(errors[0]!.message, /topkey99/, rule);
    assert.equal(errors[0]!.offset, offset, rule);
  }
});
