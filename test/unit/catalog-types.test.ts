// checkValue: every ParameterType accepts what the guides allow and rejects the rest, with a
// message that says what was expected (MPP provisioning guides, "Data Types").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParameterType } from '../../src/profile/catalog.js';
import { checkValue } from '../../src/profile/catalog-values.js';

interface Case {
  type: ParameterType;
  good: string[];
  bad: [value: string, message: RegExp][];
}

const CASES: Record<string, Case> = {
  bool: {
    type: { kind: 'bool' },
    good: ['Yes', 'No', 'yes', 'NO', ' Yes ', ''],
    bad: [
      ['yes please', /^expected Yes or No, got "yes please"$/],
      ['true', /expected Yes or No/],
      ['1', /expected Yes or No/],
      ['Y', /expected Yes or No/],
    ],
  },
  enum: {
    type: { kind: 'enum', values: ['On Request', 'On Local Change', 'Periodically'] },
    good: ['On Request', 'periodically', 'ON LOCAL CHANGE'],
    bad: [
      ['Daily', /^expected one of "On Request", "On Local Change", "Periodically", got "Daily"$/],
      ['OnRequest', /expected one of/],
    ],
  },
  'enum (case-sensitive)': {
    type: { kind: 'enum', values: ['PUT', 'POST'], caseSensitive: true },
    good: ['PUT', 'POST'],
    bad: [['put', /expected one of "PUT", "POST", got "put"/]],
  },
  integer: {
    type: { kind: 'integer', min: 0, max: 255 },
    good: ['0', '255', '0x68', '0XFF', '+7', '007'],
    bad: [
      ['256', /^expected an integer from 0 to 255, got "256"$/],
      ['0x100', /from 0 to 255/],
      ['-1', /from 0 to 255/],
      ['1.5', /from 0 to 255/],
      ['12abc', /from 0 to 255/],
      ['0x', /from 0 to 255/],
      ['ten', /from 0 to 255/],
    ],
  },
  'integer (signed)': {
    type: { kind: 'integer', min: -128, max: 127 },
    good: ['-128', '127', '-0x10'],
    bad: [['-129', /from -128 to 127/]],
  },
  port: {
    type: { kind: 'port' },
    good: ['0', '5060', '65535', '0x13c4'],
    bad: [
      ['65536', /^expected a port from 0 to 65535, got "65536"$/],
      ['-1', /port/],
      ['http', /port/],
    ],
  },
  time: {
    type: { kind: 'time', min: 0, max: 64 },
    good: ['0', '.5', '0.5', '16', '64', '4.'],
    bad: [
      ['65', /^expected a time in seconds from 0 to 64 \(decimals allowed\), got "65"$/],
      ['-1', /time in seconds/],
      ['1s', /time in seconds/],
      ['1e2', /time in seconds/],
      ['.', /time in seconds/],
    ],
  },
  'time (unbounded)': {
    type: { kind: 'time', min: 0 },
    good: ['86400', '0.02'],
    bad: [['soon', /^expected a time in seconds \(decimals allowed\)/]],
  },
  ip: {
    type: { kind: 'ip' },
    good: [
      '10.1.2.100',
      '0.0.0.0',
      '255.255.255.255',
      '2001:db8::1',
      '::1',
      'fe80::1:2:3:4',
      '::ffff:192.0.2.1',
    ],
    bad: [
      ['256.1.1.1', /^expected an IP address, got "256.1.1.1"$/],
      ['10.1.2', /IP address/],
      ['10.1.2.3.4', /IP address/],
      ['01.2.3.4', /IP address/],
      ['2001:db8::1::2', /IP address/],
      ['1:2:3:4:5:6:7:8:9', /IP address/],
      ['pool.ntp.org', /IP address/],
    ],
  },
  host: {
    type: { kind: 'host' },
    good: [
      'sip.cisco.com',
      'sip.cisco.com:5060',
      '109.12.14.12:12345',
      'pbx',
      'a-b.example.com.',
      '[2001:db8::1]:5061',
      '2001:db8::1',
      `${'a'.repeat(63)}`,
    ],
    bad: [
      [
        'sip.cisco.com:99999',
        /^expected an IP address or host name \(optional :port\) of at most 63 characters, got "sip.cisco.com:99999"$/,
      ],
      ['sip..cisco.com', /host name/],
      ['-sip.cisco.com', /host name/],
      ['sip cisco', /host name/],
      ['http://sip.cisco.com', /host name/],
      ['sip.cisco.com:', /host name/],
      [`${'a'.repeat(64)}`, /host name/],
      ['[2001:db8::1', /host name/],
    ],
  },
  'host (no port)': {
    type: { kind: 'host', port: false },
    good: ['ntp.example.com'],
    bad: [['ntp.example.com:123', /expected an IP address or host name of at most 63/]],
  },
  string: {
    type: { kind: 'string', maxLength: 7 },
    good: ['*69', '*017110', 'abcdefg'],
    bad: [['*0171100', /^expected at most 7 characters, got 8$/]],
  },
  schedule: {
    type: { kind: 'schedule' },
    good: [
      '3600',
      '60,120,240',
      '1800+300',
      '60,120+30',
      '1800+300,3600+600,7200+900',
      '0',
      '600, 1200',
    ],
    bad: [
      [
        '1h',
        /^expected seconds \(3600\), a list \(60,120,240\) or a random spread \(1800\+300\), got "1h"$/,
      ],
      ['60,,120', /random spread/],
      ['60,', /random spread/],
      ['+30', /random spread/],
      ['1800+', /random spread/],
      ['-60', /random spread/],
      ['60;120', /random spread/],
    ],
  },
  dialplan: {
    type: { kind: 'dialplan' },
    good: [
      '(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)',
      '(S0 <:18005551212>)',
      'x.',
    ],
    bad: [
      [
        '(*xx|[3469]11',
        /^expected a dial plan with balanced \( \), \[ \] and < >, got an unclosed "\(" in/,
      ],
      ['(*xx])', /unmatched "\]"/],
      ['S0 <:1800>)', /unmatched "\)"/],
    ],
  },
  password: {
    type: { kind: 'password', maxLength: 4 },
    good: ['abcd', 'a b'],
    bad: [['secret', /^expected at most 4 characters, got 6 \(value not shown\)$/]],
  },
  pattern: {
    type: {
      kind: 'pattern',
      regex: '([01][0-9]|2[0-3])[0-5][0-9]|2400',
      expected: 'a time HHmm from 0000 to 2400',
    },
    good: ['0000', '0959', '2359', '2400'],
    bad: [
      ['2401', /^expected a time HHmm from 0000 to 2400, got "2401"$/],
      ['959', /HHmm/],
      ['09590', /HHmm/],
      ['x0959', /HHmm/],
    ],
  },
  rule: {
    type: { kind: 'rule', rule: 'profile' },
    good: [
      '[--key $SA]https://prov.example.com/$MA.cfg',
      'anything at all: the rule grammar is checked elsewhere',
    ],
    bad: [],
  },
  free: {
    type: { kind: 'free' },
    good: ['anything', '<>[]()'],
    bad: [],
  },
};

describe('checkValue', () => {
  for (const [name, { type, good, bad }] of Object.entries(CASES)) {
    describe(name, () => {
      for (const value of good) {
        it(`accepts ${JSON.stringify(value)}`, () => {
          assert.equal(checkValue(type, value), undefined);
        });
      }
      for (const [value, message] of bad) {
        it(`rejects ${JSON.stringify(value)}`, () => {
          const result = checkValue(type, value);
          assert.ok(result !== undefined, `expected a message for ${JSON.stringify(value)}`);
          assert.match(result, message);
        });
      }
    });
  }

  it('accepts an empty value for every kind (the guides: empty resets or empties)', () => {
    for (const { type } of Object.values(CASES)) assert.equal(checkValue(type, '   '), undefined);
  });

  it('never repeats a password in its message', () => {
    const message = checkValue({ kind: 'password', maxLength: 3 }, 'hunter2');
    assert.ok(message !== undefined && !message.includes('hunter2'));
  });

  it('shortens long values in messages', () => {
    const message = checkValue({ kind: 'bool' }, 'x'.repeat(200));
    assert.ok(message !== undefined && message.length < 80, message);
  });
});
