/**
 * parseUserAgent against every User-Agent in docs/cisco-mpp-reference.md §6 (doc and field
 * examples) with the whole expected object, then wrong inputs, then fuzz properties.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_USER_AGENT_LENGTH,
  parseUserAgent,
  type UserAgentInfo,
} from '../../src/device/user-agent.js';

type Expected = Omit<UserAgentInfo, 'userAgent'>;

const NOT_CISCO: Expected = {
  isCisco: false,
  vendor: null,
  family: 'unknown',
  productName: null,
  model: null,
  series: null,
  firmware: null,
  mac: null,
  serial: null,
};

const mpp = (
  productName: string,
  model: string,
  series: string,
  firmware: string,
  mac: string | null,
): Expected => ({
  isCisco: true,
  vendor: 'Cisco',
  family: 'mpp',
  productName,
  model,
  series,
  firmware,
  mac,
  serial: null,
});

/** [source mark, User-Agent, expected] — every example of reference §6, in table order. */
const REFERENCE_EXAMPLES: [string, string, Expected][] = [
  [
    'doc',
    'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
    mpp('CP-8841-3PCC', '8841', '8800', '11.0', '00562b043615'),
  ],
  [
    'doc',
    'Cisco-CP-7832-3PCC/11.0.1 (00562b043615)',
    mpp('CP-7832-3PCC', '7832', '7800', '11.0.1', '00562b043615'),
  ],
  [
    'field',
    'Cisco-CP-6841-3PCC/12.0.1 (001122334455)',
    mpp('CP-6841-3PCC', '6841', '6800', '12.0.1', '001122334455'),
  ],
  [
    'field',
    'Cisco-CP-8851-3PCC/11.3.7_MPP_0001',
    mpp('CP-8851-3PCC', '8851', '8800', '11.3.7_MPP_0001', null),
  ],
  // The guide elides the SIP instance id with "…"; the MAC is the 12-hex segment after the version.
  [
    'doc',
    'Cisco-CP-8865-3PCC/12.0.3_dcf719f39350_…',
    mpp('CP-8865-3PCC', '8865', '8800', '12.0.3', 'dcf719f39350'),
  ],
  [
    'field',
    'Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)',
    {
      isCisco: true,
      vendor: 'Cisco',
      family: 'ata',
      productName: 'ATA191-MPP',
      model: 'ATA191',
      series: 'ATA190',
      firmware: '11-1-0-MSR4',
      mac: null,
      serial: 'FCH2443D9R4',
    },
  ],
  [
    'field',
    'Cisco/SPA508G-7.4.8a (0002FDFF2103)(CBT141400UK)',
    {
      isCisco: true,
      vendor: 'Cisco',
      family: 'spa',
      productName: 'SPA508G',
      model: 'SPA508G',
      series: 'SPA500',
      firmware: '7.4.8a',
      mac: '0002fdff2103',
      serial: 'CBT141400UK',
    },
  ],
  [
    'field',
    'Cisco/SPA525G-7.4.7 (CBT141900G7)',
    {
      isCisco: true,
      vendor: 'Cisco',
      family: 'spa',
      productName: 'SPA525G',
      model: 'SPA525G',
      series: 'SPA500',
      firmware: '7.4.7',
      mac: null,
      serial: 'CBT141900G7',
    },
  ],
  [
    'field',
    'Linksys/SPA-942-6.1.5(a) (88019FA42805)',
    {
      isCisco: true,
      vendor: 'Linksys',
      family: 'spa',
      productName: 'SPA-942',
      model: 'SPA942',
      series: 'SPA900',
      firmware: '6.1.5(a)',
      mac: '88019fa42805',
      serial: null,
    },
  ],
  [
    'field',
    'Sipura/SPA-2000-3.1.15',
    {
      isCisco: true,
      vendor: 'Sipura',
      family: 'spa',
      productName: 'SPA-2000',
      model: 'SPA2000',
      series: 'SPA2000',
      firmware: '3.1.15',
      mac: null,
      serial: null,
    },
  ],
];

for (const [mark, ua, expected] of REFERENCE_EXAMPLES) {
  test(`reference §6 [${mark}]: ${ua}`, () => {
    assert.deepEqual(parseUserAgent(ua), { userAgent: ua, ...expected });
  });
}

test('the MPP form without an identifier, and with a SIP instance id after the MAC', () => {
  assert.deepEqual(parseUserAgent('Cisco-CP-8832-3PCC/12.0.5'), {
    userAgent: 'Cisco-CP-8832-3PCC/12.0.5',
    ...mpp('CP-8832-3PCC', '8832', '8800', '12.0.5', null),
  });
  const sip = 'Cisco-CP-8865-3PCC/12.0.3_dcf719f39350_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  assert.deepEqual(parseUserAgent(sip), {
    userAgent: sip,
    ...mpp('CP-8865-3PCC', '8865', '8800', '12.0.3', 'dcf719f39350'),
  });
});

test('a bracketed value that is not exactly 12 hex digits is a serial, never a MAC', () => {
  const cases: [string, string | null, string | null][] = [
    ['Cisco-CP-8841-3PCC/11.0 (00562B043615)', '00562b043615', null],
    ['Cisco-CP-8841-3PCC/11.0 (00:56:2b:04:36:15)', null, '00:56:2b:04:36:15'],
    ['Cisco-CP-8841-3PCC/11.0 (00562b04361)', null, '00562b04361'],
    ['Cisco-CP-8841-3PCC/11.0 (00562b0436155)', null, '00562b0436155'],
    ['Cisco-CP-8841-3PCC/11.0 (FCH2443D9R4)', null, 'FCH2443D9R4'],
    ['Cisco-CP-8841-3PCC/11.0 (00562g043615)', null, '00562g043615'],
    ['Cisco/ATA192-MPP-12-0-1 (0056 2b04 3615)', null, '0056 2b04 3615'],
    ['Cisco/ATA192-MPP-12-0-1 (aabbccddeeff)', 'aabbccddeeff', null],
  ];
  for (const [ua, mac, serial] of cases) {
    const r = parseUserAgent(ua);
    assert.equal(r.isCisco, true, ua);
    assert.equal(r.mac, mac, ua);
    assert.equal(r.serial, serial, ua);
  }
});

test('models outside the table still get their family and series; unknown series stay null', () => {
  const r = parseUserAgent('Cisco-CP-9861-3PCC/2.1.1 (aabbccddeeff)');
  assert.equal(r.family, 'mpp');
  assert.equal(r.model, '9861');
  assert.equal(r.series, '9800');
  assert.equal(parseUserAgent('Cisco-CP-8875-3PCC/2.0 (aabbccddeeff)').series, '8875');
  assert.equal(parseUserAgent('Cisco-CP-5555-3PCC/1.0').series, null);
  assert.equal(parseUserAgent('Cisco/ATA193-MPP-1-0-0 (X)').model, 'ATA193');
});

test('issue 9: the ATA SIP form, CP-<model> without -3PCC, other Cisco devices, SPA series', () => {
  const ata = parseUserAgent('Cisco-ATA191-MPP/11-1-0-MSR4');
  assert.deepEqual(
    [ata.family, ata.productName, ata.model, ata.series, ata.firmware],
    ['ata', 'ATA191-MPP', 'ATA191', 'ATA190', '11-1-0-MSR4'],
  );
  const bare = parseUserAgent('Cisco-CP-8841/11.0 (00562b043615)');
  assert.deepEqual(
    [bare.family, bare.productName, bare.model, bare.series, bare.mac],
    ['mpp', 'CP-8841', '8841', '8800', '00562b043615'],
  );
  for (const [ua, product, firmware] of [
    ['Cisco-ATA187/9.2.3', 'ATA187', '9.2.3'],
    ['Cisco-CP7960G/8.0', 'CP7960G', '8.0'],
    ['Cisco-CP8841/12.8.1', 'CP8841', '12.8.1'],
    ['Linksys/RT31P2-3.1.6(LS)', 'RT31P2', '3.1.6(LS)'],
  ] as const) {
    const r = parseUserAgent(ua);
    assert.deepEqual(
      [r.isCisco, r.family, r.productName, r.series, r.firmware],
      [true, 'unknown', product, null, firmware],
      ua,
    );
  }
  for (const [model, series] of [
    ['SPA525G2', 'SPA500'],
    ['SPA112', 'SPA100'],
    ['SPA303', 'SPA300'],
    ['SPA8000', 'SPA8000'],
    ['SPA2102', 'SPA2000'],
  ] as const) {
    assert.equal(parseUserAgent(`Cisco/${model}-7.6.2 (CBT1)`).series, series, model);
  }
});

test('strings that are not a Cisco User-Agent are results with every field null', () => {
  const notCisco = [
    '',
    ' ',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
    'curl/8.5.0',
    'Cisco',
    'Cisco-',
    'Cisco-CP-8841-3PCC',
    'Cisco-CP-8841-3PCC/',
    'Cisco-CP-8841-3PCC/11.0 (00562b043615) trailing',
    'Cisco-CP-8841-3PCC/11.0\u001b[31m (00562b043615)',
    'Cisco/ATA191-MPP- (X)',
    'Cisco/SPA508G-beta (X)',
    'Polycom/5.9.0 SPA-942',
    'Yealink SIP-T46S 66.86.0.15',
    'x'.repeat(5000),
    `Cisco-CP-8841-3PCC/11.0 (${'0'.repeat(2000)})`,
  ];
  for (const ua of notCisco) {
    assert.deepEqual(
      parseUserAgent(ua),
      { userAgent: ua, ...NOT_CISCO },
      JSON.stringify(ua.slice(0, 60)),
    );
  }
});

test('surrounding white space is ignored; userAgent keeps the string as given', () => {
  const ua = '  Cisco-CP-8841-3PCC/11.0 (00562b043615)\t';
  const r = parseUserAgent(ua);
  assert.equal(r.userAgent, ua);
  assert.equal(r.model, '8841');
});

// ---------------------------------------------------------------- fuzz

// eslint-disable-next-line no-control-regex -- looking for control characters is the test
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Random strings, plus mutations of real User-Agents: the inputs most likely to get close. */
const userAgentish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({
    unit: fc.constantFrom(...'Cisco-CP/ATA()_0123456789abcdefMPP3PC .-\u001b\u009b\n'),
    maxLength: 80,
  }),
  fc
    .tuple(
      fc.constantFrom(...REFERENCE_EXAMPLES.map(([, ua]) => ua)),
      fc.nat({ max: 60 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
    )
    .map(([ua, at, insert]) => ua.slice(0, at) + insert + ua.slice(at)),
);

test('fuzz: parseUserAgent never throws and always returns the same shape', () => {
  fc.assert(
    fc.property(userAgentish, (ua) => {
      const r = parseUserAgent(ua);
      assert.equal(r.userAgent, ua);
      if (r.family !== 'unknown') assert.equal(r.isCisco, true);
      if (!r.isCisco)
        assert.deepEqual({ ...r, userAgent: undefined }, { ...NOT_CISCO, userAgent: undefined });
    }),
    { numRuns: 3000 },
  );
});

test('fuzz: every extracted field is printable ASCII; mac is 12 lower-case hex or null', () => {
  fc.assert(
    fc.property(userAgentish, (ua) => {
      const r = parseUserAgent(ua);
      for (const field of [
        'vendor',
        'productName',
        'model',
        'series',
        'firmware',
        'serial',
      ] as const) {
        const v = r[field];
        if (v !== null) {
          assert.ok(!RAW_CONTROL.test(v), `${field} has a control character`);
          assert.match(v, PRINTABLE_ASCII);
        }
      }
      if (r.mac !== null) assert.match(r.mac, /^[0-9a-f]{12}$/);
    }),
    { numRuns: 3000 },
  );
});

test('fuzz: adversarial inputs, no catastrophic backtracking (doubling: CPU time(2n) ≤ 8 × time(n), best of 5, up to 3 measures)', () => {
  // Inputs up to MAX_USER_AGENT_LENGTH are parsed (longer ones are refused at once), so the
  // doubling goes from ~480 to ~960 characters. A doubling ratio is robust to a loaded machine
  // where a wall-clock limit is not. The bound is 8, not 3: MPP_FORM's lazy firmware token
  // before the `( … )` groups is quadratic on `()()()…` (≈4x per doubling, ~3 ms a call at
  // 1 KB, bounded by the length cap); exponential backtracking would be far steeper, and 8 leaves room for a loaded machine.
  const shapes: ((n: number) => string)[] = [
    (n) => `Cisco-CP-8841-3PCC/${'()'.repeat(n / 2)}x`,
    (n) => `Cisco-CP-8841-3PCC/${'('.repeat(n)}`,
    (n) => `Linksys/SPA-942-1${' ()'.repeat(n / 3)}x`,
    (n) => `Cisco/ATA191-MPP-${'_'.repeat(n)}`,
    (n) => `Cisco-CP-8841-3PCC/${'1_'.repeat(n / 2)}`,
  ];
  /** CPU time of this process in ms (a preempted thread's wait is not counted, as wall time is). */
  const cpuMs = (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  /** CPU time per call: calls repeated for at least 20 ms, best of 5 rounds. */
  const perCall = (ua: string): number => {
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      let calls = 0;
      const start = cpuMs();
      let elapsed = 0;
      while (elapsed < 20) {
        for (let i = 0; i < 20; i++) parseUserAgent(ua);
        calls += 20;
        elapsed = cpuMs() - start;
      }
      best = Math.min(best, elapsed / calls);
    }
    return best;
  };
  for (const shape of shapes) {
    const small = shape(480);
    const large = shape(960);
    assert.ok(large.length <= MAX_USER_AGENT_LENGTH, 'the large input is still parsed');
    perCall(small); // warm up: the regexes tier up to native code
    // Up to three measures: one taken while the machine stalls the process (a full CI box) can
    // exceed the bound; exponential backtracking exceeds it every time.
    const ratios: number[] = [];
    for (let attempt = 0; attempt < 3 && !(ratios.at(-1)! <= 8); attempt++) {
      ratios.push(perCall(large) / perCall(small));
    }
    assert.ok(
      ratios.at(-1)! <= 8,
      `${ratios.map((r) => r.toFixed(2)).join(', ')}x for twice the input: ${large.slice(0, 40)}…`,
    );
  }
});
