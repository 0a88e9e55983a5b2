import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findModel } from '../../src/device/models.js';
import { defaultNamePattern, fileNameFor } from '../../src/render/naming.js';

const phone = findModel('8841')!;
const subject = {
  mac: '00562b043615',
  serial: 'FCH2443D9R4',
  phone,
  vars: {
    site: { code: 'hq' },
    room: 'B 12',
    path: 'a/b',
    evil: 'x\u001b[2Jy',
    lines: [{ extension: '201' }],
  },
};

const NAMES: ReadonlyArray<[string, string]> = [
  ['$MA.xml', '00562b043615.xml'],
  ['$MAU.cfg', '00562B043615.cfg'],
  ['$MAC.xml', '00:56:2b:04:36:15.xml'],
  ['$SN.xml', 'FCH2443D9R4.xml'],
  ['$PN-$MA.xml', 'CP-8841-3PCC-00562b043615.xml'],
  ['$PSN/$MA.xml', '8841/00562b043615.xml'],
  ['$(site.code)/$MA.xml', 'hq/00562b043615.xml'],
  ['$(lines.1.extension).xml', '201.xml'],
  ['$(MA:0:6)/$MA.xml', '00562b/00562b043615.xml'],
  ['cisco$$$MA.xml', 'cisco$00562b043615.xml'],
  ['$(room).xml', 'B 12.xml'],
];
for (const [pattern, expected] of NAMES) {
  test(`--name ${pattern} → ${expected}`, () => {
    assert.deepEqual(fileNameFor(pattern, subject), { name: expected });
  });
}

test("--name $PSN takes the device's psn field when it has one (README: a psn inventory field overrides $PSN)", () => {
  assert.deepEqual(fileNameFor('$PSN.xml', { ...subject, vars: { psn: '8841-3PCC' } }), {
    name: '8841-3PCC.xml',
  });
  assert.deepEqual(fileNameFor('$PSN.xml', { ...subject, vars: { psn: '' } }), {
    name: '8841.xml',
  });
});

const BAD: ReadonlyArray<[string, object, RegExp]> = [
  ['$SN.xml', { ...subject, serial: undefined }, /uses \$SN but the device has no serial/],
  ['$MA.xml', { ...subject, mac: undefined }, /uses \$MA but the device has no mac/],
  ['$IP.xml', subject, /\$IP, which only the phone knows/],
  ['$(nope).xml', subject, /no field nope/],
  ['$(site).xml', subject, /no field site/],
  ['$(path).xml', subject, /would make a path/],
  ['../$MA.xml', subject, /leaves --out/],
  [
    '$(evil)/$MA.xml',
    subject,
    /file name "x\\u001b\[2Jy\/00562b043615\.xml" holds a control character/,
  ],
  ['$MA\n.xml', subject, /holds a control character/],
  ['/etc/$MA', subject, /absolute/],
];
for (const [pattern, s, expected] of BAD) {
  test(`--name ${pattern} is refused`, () => {
    const r = fileNameFor(pattern, s as typeof subject);
    assert.ok('error' in r, JSON.stringify(r));
    assert.match(r.error, expected);
  });
}

test('default names: $MA.xml, $MA.cfg when encrypting', () => {
  assert.equal(defaultNamePattern(false), '$MA.xml');
  assert.equal(defaultNamePattern(true), '$MA.cfg');
});
