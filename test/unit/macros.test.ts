import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KNOWN_MACROS,
  expandMacros,
  isKnownMacro,
  tokenizeMacros,
} from '../../src/profile/macros.js';

const MAC = { MA: '000e08012345', MAU: '000E08012345', MAC: '00:0e:08:01:23:45' };

// Worked examples of Cisco's "Macro Expansion" section (reference §2).
const CISCO_EXAMPLES: ReadonlyArray<[string, Record<string, string>, string]> = [
  ['spa$(MAU)config.cfg', MAC, 'spa000E08012345config.cfg'],
  ['$(MAU)config.cfg', MAC, '000E08012345config.cfg'],
  ['spa$STRANGE$MAU.cfg', MAC, 'spa$STRANGE000E08012345.cfg'],
  ['$STRANGE$MAU.cfg', MAC, '$STRANGE000E08012345.cfg'],
  ['$$MAU', MAC, '$MAU'],
  ['$(A:2)', { A: 'ABCDEF' }, 'CDEF'],
  ['$(A:2:3)', { A: 'ABCDEF' }, 'CDE'],
];

for (const [input, values, expected] of CISCO_EXAMPLES) {
  test(`Cisco example: ${input} → ${expected}`, () => {
    assert.equal(expandMacros(input, values), expected);
  });
}

test('the longest known name wins: $MAC before $MA, $MAU before $MA', () => {
  assert.equal(expandMacros('$MAC', MAC), '00:0e:08:01:23:45');
  assert.equal(expandMacros('$MAU', MAC), '000E08012345');
  assert.equal(expandMacros('$MA.xml', MAC), '000e08012345.xml');
  assert.equal(expandMacros('$PSN/$PN', { PSN: '8841', PN: 'CP-8841-3PCC' }), '8841/CP-8841-3PCC');
});

test('expansion is not recursive: a value that contains a macro stays as it is', () => {
  assert.equal(expandMacros('$A', { A: '$MA', MA: 'x' }), '$MA');
  assert.equal(expandMacros('$$$MA', MAC), '$000e08012345');
});

test('unknown names and known names without a value are left as written', () => {
  assert.equal(expandMacros('$(STRANGE)/$(STRANGE:1:2)', MAC), '$(STRANGE)/$(STRANGE:1:2)');
  assert.equal(expandMacros('$SN.xml', MAC), '$SN.xml');
  assert.equal(expandMacros('cost: 5$', MAC), 'cost: 5$');
  assert.equal(expandMacros('$(MA', MAC), '$(MA');
  assert.equal(expandMacros('$ma', MAC), '$ma', 'names are upper case');
});

test('$SA..$SD expand only when asked (the phone does so inside --key/--uid/--pwd)', () => {
  assert.equal(expandMacros('[--key $SA]', { SA: 'secret' }), '[--key $SA]');
  assert.equal(
    expandMacros('[--key $SA]', { SA: 'secret' }, { secretMacros: true }),
    '[--key secret]',
  );
});

test('$(field) names outside the table expand only with extraNames', () => {
  assert.equal(expandMacros('$(site).xml', { site: 'hq' }), '$(site).xml');
  assert.equal(expandMacros('$(site).xml', { site: 'hq' }, { extraNames: true }), 'hq.xml');
  assert.equal(expandMacros('$(site:0:1)', { site: 'hq' }, { extraNames: true }), 'h');
});

test('UID<n> is a known family of names', () => {
  assert.ok(isKnownMacro('UID1'));
  assert.ok(isKnownMacro('UID12'));
  assert.ok(!isKnownMacro('UID'));
  assert.equal(expandMacros('$UID2@x', { UID2: '202' }), '202@x');
});

test('substring offsets past the end give an empty string, as String.slice does', () => {
  assert.equal(expandMacros('[$(A:9)]', { A: 'ABCDEF' }), '[]');
  assert.equal(expandMacros('[$(A:4:9)]', { A: 'ABCDEF' }), '[EF]');
});

test('tokenizeMacros reports name, substring and form', () => {
  assert.deepEqual(tokenizeMacros('x$(A:2:3)y$PN'), [
    { kind: 'text', text: 'x' },
    {
      kind: 'macro',
      name: 'A',
      offset: 2,
      length: 3,
      raw: '$(A:2:3)',
      parenthesized: true,
      known: true,
    },
    { kind: 'text', text: 'y' },
    { kind: 'macro', name: 'PN', raw: '$PN', parenthesized: false, known: true },
  ]);
});

test('the table has the reference §2 names and no duplicates', () => {
  const names = KNOWN_MACROS.map((m) => m.name);
  assert.equal(new Set(names).size, names.length);
  for (const n of [
    'MA',
    'MAU',
    'MAC',
    'PN',
    'PSN',
    'SN',
    'SWVER',
    'HWVER',
    'EXTIP',
    'CCERT',
    'A',
    'P',
    'SD',
    'REGTMR2',
    'SERVIP',
    'ERR',
  ]) {
    assert.ok(names.includes(n), n);
  }
});
