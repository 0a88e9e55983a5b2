/**
 * perf15 (issue 12): validate's per-file and fixed costs. What each change keeps from file to
 * file, or hands between threads, must not change a single diagnostic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { validateProfileText } from '../../src/validate/index.js';

/** invalid-value's messages for one profile setting `Resync_On_Reset` (a Bool) to `value`. */
function invalidValues(value: string): string[] {
  const text = `<flat-profile>\n  <Resync_On_Reset ua="na">${value}</Resync_On_Reset>\n</flat-profile>\n`;
  return validateProfileText(text, { file: 'p.xml', catalog: DEFAULT_CATALOG })
    .filter((d) => d.ruleId === 'invalid-value')
    .map((d) => d.message);
}

test("invalid-value's verdicts kept from profile to profile are each value's own", () => {
  const good = ['Yes', 'No'];
  const bad = ['maybe', 'Yess', ...Array.from({ length: 20 }, (_, i) => `bad${i}`)];
  const expected = (value: string): string[] =>
    good.includes(value) ? [] : [`Resync_On_Reset: expected Yes or No, got "${value}"`];
  // Every value three times over, in three orders, past the number of values the memo keeps
  // for a name: each profile gets its own value's verdict.
  const values = [...good, ...bad];
  for (const value of [...values, ...[...values].reverse(), ...values]) {
    assert.deepEqual(invalidValues(value), expected(value), value);
  }
});

test('a catalog without the rule parameters: their names still hold rules (rule-syntax)', () => {
  const names = [
    'Profile_Rule',
    'Profile_Rule_B',
    'Profile_Rule_C',
    'Profile_Rule_D',
    'Upgrade_Rule',
    'Report_Rule',
  ];
  const catalog = DEFAULT_CATALOG.filter((entry) => !names.includes(entry.name));
  // Each of the names, and names like them that hold no rule (their lengths, their letters).
  for (const name of [...names, 'Profile_Rule_E', 'Report_Rules', 'Proxy_Rule', 'Upgrade_Rulex']) {
    const text = `<flat-profile>\n  <${name}>( $PN eq "x" ? http://a/b</${name}>\n</flat-profile>\n`;
    const found = validateProfileText(text, { file: 'p.xml', catalog })
      .filter((d) => d.ruleId === 'rule-syntax')
      .map((d) => d.message);
    assert.deepEqual(found, names.includes(name) ? [`${name}: '(' is never closed`] : [], name);
  }
});
