/**
 * trial6: cisco-prov as a telephony admin uses it day to day — inventories saved by
 * spreadsheets and YAML editors, MAC notations across commands, serve and fetch against what
 * the reference says a phone does — spawned as a user runs it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-trial6-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('render: a %YAML 1.1 inventory keeps NO, y and off as written (the Norway problem), in --vars too', async () => {
  const inventory = join(dir, 'norway.yaml');
  writeFileSync(
    inventory,
    [
      '%YAML 1.1',
      '---',
      'devices:',
      '  - mac: 00:56:2b:04:36:15',
      '    model: 8841',
      '    display_name: NO',
      '    lines:',
      '      - extension: 0123',
      '        password: y',
      '',
    ].join('\n'),
  );
  const vars = join(dir, 'norway-vars.yaml');
  writeFileSync(vars, '%YAML 1.1\n---\nsip:\n  proxy: pbx.example.com\nvoice_mail_number: Off\n');
  const r = await runCli(['render', '-i', inventory, '--vars', vars, '--device', '00562b043615']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /<Station_Name ua="na">NO<\/Station_Name>/);
  assert.match(r.stdout, /<Display_Name_1_ ua="na">NO<\/Display_Name_1_>/);
  assert.match(r.stdout, /<Password_1_ ua="na">y<\/Password_1_>/);
  assert.match(r.stdout, /<Voice_Mail_Number ua="na">Off<\/Voice_Mail_Number>/);
  assert.match(r.stdout, /<User_ID_1_ ua="na">0123<\/User_ID_1_>/);
});

test('encrypt/decrypt --keys: a key table Excel saved with `;` (BOM, CRLF, MAC;Key) is read as render reads a `;` inventory', async () => {
  const profiles = join(dir, 'keys-semicolon');
  mkdirSync(profiles);
  const profile = (mac: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Station_Name>${mac}</Station_Name>\n</flat-profile>\n`;
  writeFileSync(join(profiles, '00562b043615.xml'), profile('a'));
  writeFileSync(join(profiles, '00562b043616.xml'), profile('b'));
  const keys = join(dir, 'keys-semicolon.csv');
  writeFileSync(
    keys,
    '\ufeffMAC;Key\r\n00:56:2B:04:36:15;trial6-one\r\n0056.2b04.3616;trial6-two\r\n',
    { mode: 0o600 },
  );
  const out = join(dir, 'keys-semicolon-out');
  const enc = await runCli(['encrypt', '--keys', keys, profiles, '--out-dir', out]);
  assert.equal(enc.code, 0, enc.stderr);
  for (const [mac, key, name] of [
    ['00562b043615', 'trial6-one', 'a'],
    ['00562b043616', 'trial6-two', 'b'],
  ] as const) {
    const dec = await runCli(['decrypt', '--key-env', 'K', join(out, `${mac}.cfg`)], {
      env: { K: key },
    });
    assert.equal(dec.code, 0, dec.stderr);
    assert.match(dec.stdout, new RegExp(`<Station_Name>${name}</Station_Name>`));
  }
  const back = await runCli(['decrypt', '--keys', keys, join(out, '00562b043616.cfg')]);
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout, /<Station_Name>b<\/Station_Name>/);
});

test('render: rows of empty cells Excel saves (;;;;, and between devices) are no devices; a bad row is still named by its line', async () => {
  const header = 'mac;model;display_name;sip.proxy;lines.1.extension;lines.1.password;;';
  const row = (mac: string, ext: string) =>
    `${mac};8841;Desk ${ext};pbx.example.com;${ext};pw-${ext};;`;
  const inventory = join(dir, 'excel-empty-rows.csv');
  writeFileSync(
    inventory,
    `\ufeff${[header, row('0056.2b04.3615', '201'), ';;;;;;;', row('0056.2b04.3616', '202'), ';;;;;;;', ' ; ;;;;;;', ''].join('\r\n')}`,
  );
  const out = join(dir, 'excel-empty-rows-out');
  const r = await runCli(['render', '-i', inventory, '-o', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { summary: { total: number; written: number } };
  assert.deepEqual([report.summary.total, report.summary.written], [2, 2]);
  assert.deepEqual(readdirSync(out).sort(), ['00562b043615.xml', '00562b043616.xml']);

  writeFileSync(inventory, [header, ';;;;;;;', row('bad', '203'), ''].join('\r\n'));
  const bad = await runCli(['render', '-i', inventory, '-o', out]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /excel-empty-rows\.csv: row 3, field mac: "bad" is not a MAC address/);

  writeFileSync(inventory, [header, ';;;;;;;', ';;;;;;;', ''].join('\r\n'));
  const none = await runCli(['render', '-i', inventory, '-o', out]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no devices/);
});

test('encrypt --keys: rows of empty cells after the keys (Excel’s `,,`) are no rows; a row with a key and no file or mac still fails', async () => {
  const profile = join(dir, '00562b043617.xml');
  writeFileSync(
    profile,
    '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Station_Name>c</Station_Name>\n</flat-profile>\n',
  );
  const keys = join(dir, 'keys-empty-rows.csv');
  writeFileSync(keys, 'mac,key\r\n0056.2b04.3617,trial6-three\r\n,\r\n , \r\n', { mode: 0o600 });
  const out = join(dir, 'keys-empty-rows-out');
  const enc = await runCli(['encrypt', '--keys', keys, profile, '--out-dir', out]);
  assert.equal(enc.code, 0, enc.stderr);
  const dec = await runCli(['decrypt', '--key-env', 'K', join(out, '00562b043617.cfg')], {
    env: { K: 'trial6-three' },
  });
  assert.equal(dec.code, 0, dec.stderr);
  assert.match(dec.stdout, /<Station_Name>c<\/Station_Name>/);

  writeFileSync(keys, 'mac,key\r\n0056.2b04.3617,trial6-three\r\n,\r\n,orphan-key\r\n', {
    mode: 0o600,
  });
  const bad = await runCli(['encrypt', '--keys', keys, profile, '--out-dir', out]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /keys-empty-rows\.csv:4: expected a file or mac column/);
  assert.doesNotMatch(bad.stderr, /orphan-key/);
});

test('render: a spreadsheet’s spelt-out header (MAC Address, Serial_Number, Phone Model) is named in the error with the field to write', async () => {
  const inventory = join(dir, 'spelt-headers.csv');
  writeFileSync(
    inventory,
    'MAC Address,Phone Model,display_name\r\n00:56:2B:04:36:15,8841,Lobby\r\n',
  );
  const r = await runCli(['render', '-i', inventory, '-o', join(dir, 'spelt-out')]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /row 2, field mac: a device needs a mac .*; it has MAC Address: write mac$/m,
  );
  assert.match(r.stderr, /row 2, field model: missing .*; it has Phone Model: write model$/m);

  writeFileSync(inventory, 'Serial_Number,model\r\nFCH2443D9R5,ATA192\r\n');
  const ata = await runCli(['render', '-i', inventory, '-o', join(dir, 'spelt-out')]);
  assert.equal(ata.code, 1);
  assert.match(
    ata.stderr,
    /field mac: a device needs a mac .*; it has Serial_Number: write serial$/m,
  );
});

test('encrypt/decrypt --keys find the MAC in names render --name gives ($MAC.xml, dotted), not only $MA', async () => {
  const inventory = join(dir, 'mac-names.csv');
  writeFileSync(
    inventory,
    'mac,model,display_name,sip.proxy,lines.1.extension,lines.1.password\n' +
      '00:56:2b:04:36:21,8841,A,pbx.example.com,221,pw-221\n' +
      '00:56:2b:04:36:22,8841,B,pbx.example.com,222,pw-222\n',
  );
  const profiles = join(dir, 'mac-names');
  const colon = await runCli(['render', '-i', inventory, '-o', profiles, '--name', '$MAC.xml']);
  assert.equal(colon.code, 0, colon.stderr);
  const dotted = join(profiles, '0056.2b04.3623.xml');
  writeFileSync(
    dotted,
    '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Station_Name>C</Station_Name>\n</flat-profile>\n',
  );
  const keys = join(dir, 'mac-names-keys.csv');
  writeFileSync(
    keys,
    'mac,key\n00562b043621,trial6-21\n00562B043622,trial6-22\n0056.2b04.3623,trial6-23\n',
    { mode: 0o600 },
  );
  const out = join(dir, 'mac-names-out');
  const enc = await runCli(['encrypt', '--keys', keys, profiles, '--out-dir', out]);
  assert.equal(enc.code, 0, enc.stderr);
  for (const [name, key, station] of [
    ['00:56:2b:04:36:21.cfg', 'trial6-21', 'A'],
    ['00:56:2b:04:36:22.cfg', 'trial6-22', 'B'],
    ['0056.2b04.3623.cfg', 'trial6-23', 'C'],
  ] as const) {
    const dec = await runCli(['decrypt', '--key-env', 'K', join(out, name)], { env: { K: key } });
    assert.equal(dec.code, 0, `${name}: ${dec.stderr}`);
    assert.match(dec.stdout, new RegExp(`<Station_Name ?[^>]*>${station}</Station_Name>`));
    const back = await runCli(['decrypt', '--keys', keys, join(out, name)]);
    assert.equal(back.code, 0, `${name}: ${back.stderr}`);
  }
});

test('render: a phone number Excel saved in scientific notation (1.55512E+11, 1,55512E+11) is the row’s error, never a speed dial', async () => {
  const inventory = join(dir, 'excel-exponent.csv');
  writeFileSync(
    inventory,
    'mac;model;display_name;sip.proxy;lines.1.extension;lines.1.password;keys.1.type;keys.2.type;keys.2.target;keys.2.label;voice_mail_number\r\n' +
      '00:56:2b:04:36:15;8841;Lobby;pbx.example.com;201;1,2E+11;line;speed_dial;1,55512E+11;Mum;1.55512E+011\r\n',
  );
  const out = join(dir, 'excel-exponent-out');
  const r = await runCli(['render', '-i', inventory, '-o', out]);
  assert.equal(r.code, 1, r.stdout);
  for (const field of ['keys.2.target', 'voice_mail_number', 'lines.1.password']) {
    assert.match(
      r.stderr,
      new RegExp(
        `excel-exponent\\.csv: row 2, field ${field.replace(/\./g, '\\.')}: a number a spreadsheet saved in scientific notation`,
      ),
    );
  }
  assert.doesNotMatch(r.stderr, /1,2E\+11/);
  assert.equal(existsSync(out), false);
});

test('render: a YAML merge key (<<: *desk) without %YAML 1.1 merges, in the inventory and --vars; a merge of a scalar is named', async () => {
  const inventory = join(dir, 'merge.yaml');
  writeFileSync(
    inventory,
    [
      'devices:',
      '  - &desk',
      '    mac: 00:56:2b:04:36:31',
      '    model: 8841',
      '    voice_mail_number: "*97"',
      '    lines: [{ extension: 231, password: pw-231 }]',
      '  - <<: *desk',
      '    mac: 00:56:2b:04:36:32',
      '    lines: [{ extension: 232, password: pw-232 }]',
      '',
    ].join('\n'),
  );
  const vars = join(dir, 'merge-vars.yaml');
  writeFileSync(vars, 'base: &base\n  proxy: pbx.example.com\nsip:\n  <<: *base\n');
  const r = await runCli(['render', '-i', inventory, '--vars', vars, '--device', '00562b043632']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /<Voice_Mail_Number ua="na">\*97<\/Voice_Mail_Number>/);
  assert.match(r.stdout, /<Proxy_1_ ua="na">pbx\.example\.com<\/Proxy_1_>/);
  assert.match(r.stdout, /<User_ID_1_ ua="na">232<\/User_ID_1_>/);

  writeFileSync(inventory, 'devices:\n  - mac: 00:56:2b:04:36:31\n    model: 8841\n    <<: 5\n');
  const bad = await runCli(['render', '-i', inventory, '-o', join(dir, 'merge-out')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /merge\.yaml: file: not valid YAML \(Merge sources must be maps/);
  assert.doesNotMatch(bad.stderr, /alias bomb/);
});

test('render: a dotted key in a JSON or YAML device (a CSV flattened by a converter) is named, not silently dropped', async () => {
  const json = join(dir, 'flat.json');
  writeFileSync(
    json,
    JSON.stringify([
      {
        mac: '00562b043641',
        model: '8841',
        sip: { proxy: 'pbx.example.com' },
        lines: [{ extension: '241', password: 'pw-241' }],
        'provisioning.resync_periodic': '600',
      },
    ]),
  );
  const yaml = join(dir, 'flat.yaml');
  writeFileSync(
    yaml,
    '- mac: 00562b043641\n  model: 8841\n  sip: { proxy: pbx.example.com }\n  lines: [{ extension: "241", password: pw-241 }]\n  provisioning.resync_periodic: 600\n',
  );
  for (const [file, where] of [
    [json, 'flat\\.json: device 1'],
    [yaml, 'flat\\.yaml: line 1 \\(device 1\\)'],
  ] as const) {
    const r = await runCli(['render', '-i', file, '--device', '00562b043641']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(
      r.stderr,
      new RegExp(
        `${where}, field provisioning\\.resync_periodic: a dotted name nests only in a CSV header: in JSON or YAML write it nested \\(provisioning → resync_periodic\\)`,
      ),
    );
    assert.equal(r.stdout, '');
  }
});
