/**
 * The third user trial of `render` (helper usertrial3), in-process: what admins' inventories
 * hold that the readers got wrong. Each test failed before its fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { outcome } from '../helpers/inventory-differential.js';
import { parseVarsFile } from '../../src/render/variables.js';
import { keepNumberText } from '../../src/render/yaml-numbers.js';
import { decodeTextFile } from '../../src/render/decode-text.js';
import { parseInventory, sniffCsvDelimiter } from '../../src/render/inventory.js';

/** A YAML inventory whose plain scalars YAML's schemas would read as numbers. */
const NUMBER_LOOKALIKES =
  '- mac: 001122334455\n  model: 8851\n  lines: [{extension: 0201}]\n' +
  '- mac: 001e13123456\n  model: 8851\n  code: 0x1F\n  exp: 1e3\n  time: 12:30\n' +
  '- mac: 112233445566\n  model: 8851\n  ring: 3\n  gain: -1.5\n  big: 12345678901234567890\n';

test('YAML: a MAC, an extension or a code that only looks like a number keeps its text, parsed whole or a device at a time', () => {
  for (const yaml11 of [false, true]) {
    const text = (yaml11 ? '%YAML 1.1\n---\n' : '') + NUMBER_LOOKALIKES;
    for (const streamed of [false, true]) {
      const got = outcome(text, 'yaml', streamed);
      assert.ok('passes' in got, JSON.stringify(got));
      const pass = got.passes[0]!;
      assert.deepEqual(pass.problems, [], `${yaml11 ? '1.1' : '1.2'} streamed=${streamed}`);
      const fields = pass.devices.map((d) => (d as { fields: Record<string, unknown> }).fields);
      assert.deepEqual(
        fields.map((f) => f.mac),
        ['001122334455', '001e13123456', '112233445566'],
      );
      assert.deepEqual(JSON.parse(JSON.stringify(fields[0]!.lines)), [{ extension: '0201' }]);
      assert.deepEqual(
        [fields[1]!.code, fields[1]!.exp, fields[1]!.time],
        ['0x1F', '1e3', '12:30'],
      );
      // What reads back as written stays a number: templates may count with it.
      assert.deepEqual(
        [fields[2]!.ring, fields[2]!.gain, fields[2]!.big],
        [3, -1.5, '12345678901234567890'],
      );
    }
  }
});

test('YAML --vars: leading zeros and 0x survive; keepNumberText keeps what reads back alike', () => {
  const vars = parseVarsFile('prefix: 0049\nvlan: 0x64\nport: 5060\n', 'site.yaml');
  assert.ok(!Array.isArray(vars));
  assert.deepEqual({ ...vars.values }, { prefix: '0049', vlan: '0x64', port: 5060 });
  const js = parseDocument('a: .inf\nb: 2024-01-05\nc: 0.5\nd: true\ne: no\n', {
    customTags: keepNumberText,
  }).toJS() as Record<string, unknown>;
  assert.deepEqual(js, { a: '.inf', b: '2024-01-05', c: 0.5, d: true, e: 'no' });
  const js11 = parseDocument('%YAML 1.1\n---\na: 2024-01-05\nb: 017\nc: no\nd: TRUE\n', {
    customTags: keepNumberText,
  }).toJS() as Record<string, unknown>;
  assert.deepEqual(js11, { a: '2024-01-05', b: '017', c: 'no', d: true });
});

test('sniffCsvDelimiter: the header row decides between `,`, `;` and tab, quotes respected', () => {
  assert.equal(sniffCsvDelimiter('mac,model\n1;2;3;4\n'), ',');
  assert.equal(sniffCsvDelimiter('\ufeffmac;model;display_name\r\na,b,c,d\r\n'), ';');
  assert.equal(sniffCsvDelimiter('mac\tmodel\tsite.code\n'), '\t');
  assert.equal(sniffCsvDelimiter('"a;b;c",mac,model\n'), ',');
  assert.equal(sniffCsvDelimiter('mac\n001122334455\n'), ',');
  assert.equal(sniffCsvDelimiter(''), ',');
});

test('CSV: a device is named by the line its row starts on, after cells with CR LF or LF inside quotes, across pieces', () => {
  for (const eol of ['\r\n', '\n']) {
    let text = `mac,model,display_name,note${eol}`;
    let line = 2;
    const expected: string[] = [];
    // 3,000 rows (past one 64 KiB piece), every third with a note of one to three lines.
    for (let n = 0; n < 3000; n++) {
      const mac = `0056${n.toString(16).padStart(8, '0')}`;
      const breaks = n % 3 === 0 ? 1 + (n % 3) + (n % 2) : 0;
      const note =
        breaks > 0 ? `"${Array.from({ length: breaks + 1 }, (_, i) => `l${i}`).join(eol)}"` : 'x';
      expected.push(`row ${line}`);
      text += `${mac},8841,Phone ${n},${note}${eol}`;
      line += 1 + breaks;
      if (n % 500 === 0) {
        text += eol; // an empty line: skipped, but still a line
        line++;
      }
    }
    const inventory = parseInventory(text, 'inv.csv');
    assert.deepEqual(
      inventory.devices.map((d) => d.where),
      expected,
    );
  }
});

test('decodeTextFile: UTF-8 (BOM kept for the readers), UTF-16 LE/BE by BOM; other bytes name the line and the first bad byte', () => {
  assert.equal(decodeTextFile(Buffer.from('\ufeffmac,model\nZoë\n')), '\ufeffmac,model\nZoë\n');
  const text = 'mac\tmodel\r\nZoë 𝄞\r\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  assert.equal(decodeTextFile(le), text);
  const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  assert.equal(decodeTextFile(be), text);
  const bad = (bytes: number[]) => decodeTextFile(Buffer.from(bytes));
  // 'a\n' then Windows-1252 ë; a UTF-8 sequence cut at the end; an overlong form; a surrogate.
  assert.deepEqual(bad([0x61, 0x0a, 0xc3, 0xab, 0x0a, 0xeb]), {
    where: 'line 3',
    message: decodeProblemMessage(0xeb),
  });
  assert.deepEqual(bad([0x61, 0xe2, 0x82]), {
    where: 'line 1',
    message: decodeProblemMessage(0xe2),
  });
  assert.deepEqual(bad([0x0a, 0xc0, 0xaf]), {
    where: 'line 2',
    message: decodeProblemMessage(0xc0),
  });
  assert.deepEqual(bad([0xc3, 0xab, 0xed, 0xa0, 0x80]), {
    where: 'line 1',
    message: decodeProblemMessage(0xed),
  });
});

function decodeProblemMessage(byte: number): string {
  return `not UTF-8 (byte 0x${byte.toString(16)}: saved as Windows-1252 or Latin-1? save it as UTF-8 — Excel: "CSV UTF-8" — or convert it: iconv -f windows-1252 -t utf-8)`;
}

test('JSON and YAML: mac null, "" or bare is no MAC (an ATA known by its serial), as an empty CSV cell, parsed whole or streamed', () => {
  const json =
    '[{"mac": null, "serial": "FCH2443D9R4", "model": "ATA191"},' +
    ' {"mac": "", "serial": "FCH2443D9R5", "model": "ATA192"}]';
  const yaml =
    '- mac:\n  serial: FCH2443D9R4\n  model: ATA191\n- mac: ~\n  serial: FCH2443D9R5\n  model: ATA192\n';
  for (const [text, format] of [
    [json, 'json'],
    [yaml, 'yaml'],
  ] as const) {
    for (const streamed of [false, true]) {
      const got = outcome(text, format, streamed);
      assert.ok('passes' in got, JSON.stringify(got));
      assert.deepEqual(got.passes[0]!.problems, []);
      const devices = got.passes[0]!.devices as { mac?: string; serial?: string; fields: object }[];
      assert.deepEqual(
        devices.map((d) => [d.mac, d.serial, 'mac' in d.fields]),
        [
          [undefined, 'FCH2443D9R4', false],
          [undefined, 'FCH2443D9R5', false],
        ],
      );
    }
  }
  // Neither a MAC nor a serial: still the one line saying so.
  const none = outcome('[{"mac": null, "model": "8841"}]', 'json', false);
  assert.ok('error' in none || none.passes[0]!.problems.length === 1, JSON.stringify(none));
});

test('JSON and YAML: a map of devices keyed by MAC is one line saying to write a list, parsed whole or streamed', () => {
  const top = '{"00:56:2b:04:36:15": {"model": "8841"}, "00:56:2b:04:36:16": {"model": "8841"}}';
  const under = '{"devices": {"00562b043615": {"model": "8841"}}}';
  const yaml = 'devices:\n  00562b043615:\n    model: 8841\n';
  const cases: [string, 'json' | 'yaml', RegExp][] = [
    [
      top,
      'json',
      /^inv\.json: top level: a map of devices keyed by MAC \("00:56:2b:04:36:15", …\): write a list/,
    ],
    [
      under,
      'json',
      /^inv\.json: top level, field devices: expected a list of devices, not a map of devices keyed by MAC \("00562b043615"\)/,
    ],
    [
      yaml,
      'yaml',
      /^inv\.yaml: top level, field devices: expected a list of devices, not a map of devices keyed by MAC \("00562b043615"\)/,
    ],
  ];
  for (const [text, format, expected] of cases) {
    for (const streamed of [false, true]) {
      const got = outcome(text, format, streamed);
      const problems = 'error' in got ? got.error : got.passes[0]!.problems;
      assert.equal(problems.length, 1, `${format} streamed=${streamed}: ${problems.join('\n')}`);
      assert.match(problems[0]!, expected);
    }
  }
});
