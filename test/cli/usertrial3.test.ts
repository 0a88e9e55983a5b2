/**
 * The third user trial of `render` (helper usertrial3): what telephony admins bring — Excel's
 * CSV, YAML that reads MACs as numbers, profiles re-rendered over files an admin chmod'ed — and
 * what an attacker would try. Each test failed before its fix.
 */
import { test } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli } from '../helpers/run-cli.js';
import { assertNoTempFiles, listTree, modeOf, workDir } from '../helpers/hostile.js';

const MAC = '00562b043615';

/** A template that puts the inventory's `pw` into Admin_Passwd: a plaintext secret. */
const SECRET_TEMPLATE =
  '<flat-profile>\n  <Station_Name ua="na">{{ display_name }}</Station_Name>\n' +
  '  <Admin_Passwd ua="na">{{ pw }}</Admin_Passwd>\n</flat-profile>\n';

test('render over a world-readable profile that now holds a password: the file is no longer world-readable', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(join(dir, 'secret.liquid'), SECRET_TEMPLATE);
  writeFileSync(join(dir, 'inv.csv'), `mac,model,display_name,pw\n${MAC},8841,Hello,Pa55-w0rd-X\n`);
  const file = join(dir, 'out', `${MAC}.xml`);
  // Rendered first without a secret: 0666 minus the umask; the admin makes it 0644 to serve it.
  let r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  chmodSync(file, 0o664);
  // Now the template puts the admin password in: the group keeps reading it, the world does not.
  r = await runCli(['render', '-i', 'inv.csv', '-t', 'secret.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(modeOf(file), 0o660);
  // A profile left unchanged that holds a password loses the world's bits too.
  chmodSync(file, 0o644);
  r = await runCli(['render', '-i', 'inv.csv', '-t', 'secret.liquid', '-o', 'out', '--json'], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"status": "unchanged"/);
  assert.equal(modeOf(file), 0o640);
  // --mode still says exactly what the files get, as documented.
  r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 'secret.liquid', '-o', 'out', '--mode', '644'],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(modeOf(file), 0o644);
  // Without a secret, an existing file keeps its mode.
  r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(modeOf(file), 0o644);
  assertNoTempFiles(dir);
});

test('render a YAML inventory whose MACs are unquoted digits: 001122334455 and 001e13123456 are the MACs written', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'inv.yaml'),
    '- mac: 001122334455\n  model: 8851\n  display_name: 0201\n' +
      '- mac: 001e13123456\n  model: 8851\n  display_name: Lobby\n',
  );
  const r = await runCli(['render', '-i', 'inv.yaml', '-t', 't.liquid', '-o', 'out'], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(listTree(join(dir, 'out')), ['001122334455.xml', '001e13123456.xml']);
  assert.match(
    readFileSync(join(dir, 'out', '001122334455.xml'), 'utf8'),
    /<Station_Name ua="na">0201<\/Station_Name>/,
  );
});

test('render an Excel "CSV (semicolon)" (BOM, CRLF, `;`, a comma in a cell) and a tab-separated export', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'excel.csv'),
    '\ufeffmac;model;display_name\r\n00:56:2B:04:36:15;CP-8841-3PCC;Sales, 2nd floor\r\n' +
      '00-56-2b-04-36-16;8851;"Lobby; east"\r\n',
  );
  writeFileSync(
    join(dir, 'tabs.csv'),
    'mac\tmodel\tdisplay_name\n0056.2b04.3617\t7861\tFront Office\n',
  );
  let r = await runCli(['render', '-i', 'excel.csv', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(listTree(join(dir, 'out')), ['00562b043615.xml', '00562b043616.xml']);
  assert.match(readFileSync(join(dir, 'out', '00562b043615.xml'), 'utf8'), />Sales, 2nd floor</);
  assert.match(readFileSync(join(dir, 'out', '00562b043616.xml'), 'utf8'), />Lobby; east</);
  r = await runCli(['render', '-i', 'tabs.csv', '-t', 't.liquid', '--device', '0056.2b04.3617'], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, />Front Office</);
});

test('render a CSV with Excel’s empty trailing columns (no header, no value); a value under no header is the row’s error', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'inv.csv'),
    'mac,model,display_name,,\r\n00562b043615,8841,Lobby,,\r\n00562b043616,8841,Hall,,,,\r\n',
  );
  let r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(listTree(join(dir, 'out')), ['00562b043615.xml', '00562b043616.xml']);
  writeFileSync(
    join(dir, 'bad.csv'),
    'mac,model,,display_name\n00562b043615,8841,forgot,Lobby\n00562b043616,8841,,Hall,x\n',
  );
  r = await runCli(['render', '-i', 'bad.csv', '-t', 't.liquid', '-o', 'bad'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /^cisco-prov: bad\.csv: row 2, column 3: a value in a column without a header$/m,
  );
  assert.match(r.stderr, /^cisco-prov: bad\.csv: row 3: 5 cells but the header has 4 columns$/m);
  assert.equal(listTree(dir).filter((f) => f.startsWith('bad/')).length, 0);
});

test('render names the row a device starts on, after an Excel cell with a line break (CR LF inside quotes)', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'inv.csv'),
    'mac,model,display_name\r\n00562b043615,8841,"Reception\r\nDesk 1"\r\n' +
      '00562b043616,8841,"Sales\r\nDesk 2"\r\n00562b043615,8841,Hall\r\n',
  );
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /^cisco-prov: inv\.csv: row 6, field mac: duplicate MAC 00562b043615 \(also row 2\)$/m,
  );
});

test('render: two --name results that differ only in case clash (one file on macOS or Windows), checked and per --device', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'inv.csv'),
    'mac,model,display_name,room\n00562b043615,8841,A,Lobby\n00562b043616,8841,B,LOBBY\n00562b043617,8841,C,Hall\n',
  );
  let r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--name', '$(room).xml'],
    { cwd: dir },
  );
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /^cisco-prov: inv\.csv: row 3, field --name: file name LOBBY\.xml differs only in case from Lobby\.xml, the name of inv\.csv row 2: one file on a case-insensitive file system \(make --name unique\)$/m,
  );
  assert.equal(listTree(dir).filter((f) => f.startsWith('out/')).length, 0, 'nothing written');
  r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--name', '$(room).xml'].concat([
      '--device',
      '00562b043615',
      '--device',
      '00562b043616',
      '--device',
      '00562b043617',
    ]),
    { cwd: dir },
  );
  assert.equal(r.code, 1);
  assert.match(r.stderr, /row 3 \(mac 00562b043616\): file name LOBBY\.xml differs only in case/);
  assert.deepEqual(listTree(join(dir, 'out')), ['Hall.xml', 'Lobby.xml']);
});

test('render: a --name longer than a file system takes is the device’s input error (exit 1), not a write failure (exit 3)', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'inv.csv'),
    `mac,model,display_name,room\n${MAC},8841,A,${'é'.repeat(130)}\n`,
  );
  const r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--name', '$(room).xml'],
    { cwd: dir },
  );
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /^cisco-prov: inv\.csv row 2 \(mac 00562b043615\): file name "é{40}…" is 264 bytes long; file systems take at most 255 for a name$/m,
  );
  assert.doesNotMatch(r.stderr, /é{41}/, 'the name is shortened in the message');
});

test('render: a --name of 244 bytes of UTF-8 (120 é) is written; its temp name stays within 255 bytes', async () => {
  const dir = workDir('cp-ut3-');
  const room = 'é'.repeat(120);
  writeFileSync(join(dir, 'inv.csv'), `mac,model,display_name,room\n${MAC},8841,A,${room}\n`);
  const r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--name', '$(room).xml'],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(listTree(join(dir, 'out')), [`${room}.xml`]);
  assertNoTempFiles(dir);
});

test('render: templates saved with a BOM (Notepad) give profiles without U+FEFF, at the top or where a partial is included', async () => {
  const dir = workDir('cp-ut3-');
  mkdirSync(join(dir, 'tpl', 'partials'), { recursive: true });
  writeFileSync(
    join(dir, 'tpl', 'default.liquid'),
    '\ufeff<?xml version="1.0" encoding="UTF-8"?>\r\n<flat-profile>\r\n{% include "partials/name" %}\r\n</flat-profile>\r\n',
  );
  writeFileSync(
    join(dir, 'tpl', 'partials', 'name.liquid'),
    '\ufeff  <Station_Name ua="na">{{ display_name }}</Station_Name>\r\n',
  );
  writeFileSync(join(dir, 'inv.csv'), `mac,model,display_name\n${MAC},8841,Lobby\n`);
  let r = await runCli(['render', '-i', 'inv.csv', '-t', 'tpl', '--device', MAC], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('<?xml version="1.0"'), JSON.stringify(r.stdout.slice(0, 10)));
  assert.ok(!r.stdout.includes('\ufeff'), 'no U+FEFF in the profile');
  assert.match(r.stdout, /<flat-profile>\r\n {2}<Station_Name ua="na">Lobby<\/Station_Name>/);
  // An error in a partial saved with a BOM still names the partial, line and column.
  writeFileSync(
    join(dir, 'tpl', 'partials', 'name.liquid'),
    '\ufeff  <Station_Name ua="na">{{ room }}</Station_Name>\r\n',
  );
  r = await runCli(['render', '-i', 'inv.csv', '-t', 'tpl', '--device', MAC], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /partials\/name\.liquid line 1, col 2\d: undefined variable: room/);
});

test('models and render take a Cisco order number (CP-8851-3PCC-K9=, CP-8841-W-K9=) as the model it orders', async () => {
  let r = await runCli(['models', 'CP-8851-3PCC-K9=', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    (JSON.parse(r.stdout) as { model: string }[]).map((m) => m.model),
    ['8851'],
  );
  r = await runCli(['models', 'CP-8851-X']);
  assert.equal(r.code, 2, 'an unknown suffix is still unknown');
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'inv.csv'),
    `mac,model,display_name\n${MAC},CP-8841-W-K9=,Lobby\n00562b043616,CP-8851NR-K9++=,Hall\n`,
  );
  r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--json'], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { devices: { model: string }[] };
  assert.deepEqual(
    report.devices.map((d) => d.model),
    ['8841', '8851'],
  );
});

test('render: a MAC a spreadsheet turned into a number (leading zeros lost, 1.12233E+11) says so', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(join(dir, 'inv.csv'), 'mac,model\n1122334455,8841\n1.12233E+11,8841\n00:11,8841\n');
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /row 2, field mac: "1122334455" is not a MAC address .*; leading zeros lost\? a spreadsheet read it as a number: format the column as Text and export again$/m,
  );
  assert.match(
    r.stderr,
    /row 3, field mac: "1\.12233E\+11" is not a MAC address .*; a spreadsheet wrote it as a number in scientific notation/m,
  );
  assert.match(
    r.stderr,
    /row 4, field mac: "00:11" is not a MAC address \(expected 12 hex digits, e\.g\. 00:56:2B:04:36:15, 0056\.2b04\.3615\)$/m,
  );
});

test('render: an ATA’s serial typed in lower case is named and rendered as the phone reports it, upper case', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'sn.liquid'),
    '<flat-profile>\n  <Station_Name ua="na">{{ serial }}</Station_Name>\n</flat-profile>\n',
  );
  writeFileSync(join(dir, 'inv.csv'), 'serial,model\nfch2443d9r4,ATA191\n');
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 'sn.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(listTree(join(dir, 'out')), ['FCH2443D9R4.xml']);
  assert.match(readFileSync(join(dir, 'out', 'FCH2443D9R4.xml'), 'utf8'), />FCH2443D9R4</);
});

test('render --explain shows a field name or value that a terminal would act on (ESC, C1 CSI, bidi override) as escapes', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'inv.csv'),
    `mac,model,display_name,x\u001b]0;owned\u0007\n${MAC},8841,\u009b2J\u202eevil,v\n`,
  );
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '--explain', MAC], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(r.stdout, /[\u001b\u0007\u009b\u202e]/);
  assert.match(r.stdout, /^display_name {2,}"\\x9b2J\\u202eevil" {2}← inv\.csv row 2$/m);
  assert.match(r.stdout, /^x\\x1b\]0;owned\\x07 +"v"/m);
});

test('render: a MAC, Serial or Model header in capitals is named in the error (field names are case-sensitive)', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(join(dir, 'inv.csv'), `MAC,Model,display_name\n${MAC},8841,Lobby\n`);
  writeFileSync(join(dir, 'inv.yaml'), '- Serial: FCH2443D9R4\n  model: ATA191\n');
  let r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /^cisco-prov: inv\.csv: row 2, field mac: a device needs a mac \(or, for an ATA191\/192, a serial\); it has MAC: field names are case-sensitive, write mac$/m,
  );
  assert.match(
    r.stderr,
    /field model: missing .*; it has Model: field names are case-sensitive, write model$/m,
  );
  r = await runCli(['render', '-i', 'inv.yaml', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /field mac: a device needs a mac .*; it has Serial: field names are case-sensitive, write serial$/m,
  );
});

test('render reads Excel’s "Unicode Text" (UTF-16 with BOM, tabs), from a file and stdin; a Windows-1252 CSV is one line naming it', async () => {
  const dir = workDir('cp-ut3-');
  const text = `mac\tmodel\tdisplay_name\r\n${MAC}\t8841\tZoë\r\n`;
  writeFileSync(
    join(dir, 'le.csv'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
  );
  writeFileSync(
    join(dir, 'be.csv'),
    Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
  );
  for (const file of ['le.csv', 'be.csv']) {
    const r = await runCli(['render', '-i', file, '-t', 't.liquid', '--explain', MAC], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^display_name +"Zoë"/m);
  }
  const stdin = await runCli(['render', '-i', '-', '-t', 't.liquid', '--explain', MAC], {
    cwd: dir,
    input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
  });
  assert.equal(stdin.code, 0, stdin.stderr);
  writeFileSync(
    join(dir, 'cp1252.csv'),
    Buffer.from(`mac,model,display_name\r\n${MAC},8841,Zo\xeb\r\n`, 'latin1'),
  );
  const r = await runCli(['render', '-i', 'cp1252.csv', '-t', 't.liquid', '-o', 'out'], {
    cwd: dir,
  });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /^cisco-prov: cp1252\.csv: line 2: not UTF-8 \(byte 0xeb: saved as Windows-1252 or Latin-1\? .*iconv -f windows-1252 -t utf-8\)$/m,
  );
  assert.equal(listTree(dir).filter((f) => f.startsWith('out/')).length, 0);
});

test('render --explain with --out, --device or --dry-run is a usage error (exit 2), not a run that silently writes nothing', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(join(dir, 'inv.csv'), `mac,model,display_name\n${MAC},8841,Lobby\n`);
  for (const extra of [['-o', 'out'], ['--device', MAC], ['--dry-run']]) {
    const r = await runCli(
      ['render', '-i', 'inv.csv', '-t', 't.liquid', '--explain', MAC, ...extra],
      {
        cwd: dir,
      },
    );
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /--explain prints one device's variables and writes nothing: drop --/);
    assert.equal(r.stdout, '');
  }
});

test('render: an inventory’s template field cannot name a file outside --template <dir> (absolute or ../), existing or not', async () => {
  const dir = workDir('cp-ut3-');
  mkdirSync(join(dir, 'tpl'));
  writeFileSync(join(dir, 'tpl', 'default.liquid'), readFileSync(join(dir, 't.liquid')));
  writeFileSync(join(dir, 'outside.liquid'), '<flat-profile>TOPSECRET</flat-profile>\n');
  writeFileSync(
    join(dir, 'inv.csv'),
    `mac,model,display_name,template\n${MAC},8841,A,../outside.liquid\n` +
      `00562b043616,8841,B,${join(dir, 'outside.liquid')}\n00562b043617,8841,C,../missing\n00562b043618,8841,D,\n`,
  );
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 'tpl', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  for (const line of lines) {
    assert.match(line, /field template: template ".*" is outside the template directory /);
  }
  assert.deepEqual(listTree(join(dir, 'out')), ['00562b043618.xml']);
});

test('render --device naming one device twice (two notations, or MAC and serial) renders it once, also to stdout', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'inv.csv'),
    `mac,serial,model,display_name\n${MAC},FCH2443D9R4,ATA191,Fax\n00562b043616,,8841,Hall\n`,
  );
  let r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--json'].concat([
      '--device',
      '0056.2b04.3615',
      '--device',
      '00:56:2B:04:36:15',
      '--device',
      'fch2443d9r4',
    ]),
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { devices: unknown[]; summary: { total: number } };
  assert.equal(report.devices.length, 1);
  assert.equal(report.summary.total, 1);
  r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '--device', MAC, '--device', 'FCH2443D9R4'],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^<flat-profile>\n {2}<Station_Name ua="na">Fax<\/Station_Name>\n<\/flat-profile>\n$/,
  );
});

test('render --explain masks the fields --key-field and --ikm-field name, whatever they are called', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'inv.csv'),
    `mac,model,display_name,pk,site.gcm\n${MAC},8841,Lobby,Sup3r-Pass-Phrase,Ikm-Text-Value-77\n`,
  );
  for (const args of [
    ['--encrypt', 'aes-256-cbc', '--key-field', 'pk'],
    ['--encrypt', 'aes128gcm', '--ikm-field', 'site.gcm'],
  ]) {
    for (const json of [[], ['--json']]) {
      const r = await runCli(
        ['render', '-i', 'inv.csv', '-t', 't.liquid', '--explain', MAC, ...args, ...json],
        { cwd: dir },
      );
      assert.equal(r.code, 0, r.stderr);
      const secret = args[3] === 'pk' ? 'Sup3r-Pass-Phrase' : 'Ikm-Text-Value-77';
      assert.ok(!r.stdout.includes(secret), `${args.join(' ')} ${json.join('')}: ${r.stdout}`);
      assert.match(r.stdout, /\*{8}/);
    }
  }
});

test('render a CSV that starts with Excel’s sep=; line or PowerShell’s #TYPE line (Export-Csv), from a file or stdin', async () => {
  const dir = workDir('cp-ut3-');
  writeFileSync(
    join(dir, 'sep.csv'),
    `sep=;\r\nmac;model;display_name\r\n${MAC};8841;Lobby, east\r\n`,
  );
  writeFileSync(
    join(dir, 'ps.csv'),
    `#TYPE System.Management.Automation.PSCustomObject\r\n"mac","model","display_name"\r\n"${MAC}","8841","Lobby"\r\n` +
      `"${MAC}","8841","Hall"\r\n`,
  );
  let r = await runCli(['render', '-i', 'sep.csv', '-t', 't.liquid', '--device', MAC], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, />Lobby, east</);
  // Row numbers still count the preamble line: the duplicate is on line 4, its first on line 3.
  for (const input of [
    ['-i', 'ps.csv'],
    ['-i', '-'],
  ]) {
    r = await runCli(['render', ...input, '-t', 't.liquid', '-o', 'out'], {
      cwd: dir,
      ...(input[1] === '-' ? { input: readFileSync(join(dir, 'ps.csv')) } : {}),
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /: row 4, field mac: duplicate MAC 00562b043615 \(also row 3\)$/m);
  }
});

test(
  'render: a template error names the template rendered, without reading the other files beside it (a FIFO there hung it)',
  { skip: spawnSync('mkfifo', ['--version']).status !== 0 && 'needs mkfifo' },
  async () => {
    const dir = workDir('cp-ut3-');
    // A copy of the template elsewhere under the same directory, and a FIFO named like a template:
    // a walk of the directory to find the file by its text read the FIFO and never returned.
    mkdirSync(join(dir, 'old'));
    writeFileSync(join(dir, 'old', 'copy.liquid'), readFileSync(join(dir, 't.liquid')));
    assert.equal(spawnSync('mkfifo', [join(dir, 'zz-pipe.liquid')]).status, 0);
    writeFileSync(join(dir, 'inv.csv'), `mac,model\n${MAC},8841\n`);
    const child = spawn(
      process.execPath,
      [BIN, 'render', '-i', 'inv.csv', '-t', 't.liquid', '--device', MAC],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((done) => child.on('close', done));
    clearTimeout(timer);
    assert.equal(code, 1, `exit ${code} (killed after 20 s?), stderr: ${stderr}`);
    assert.match(
      stderr,
      /^cisco-prov: inv\.csv row 2 \(mac 00562b043615\): t\.liquid line 2, col \d+: undefined variable: display_name$/m,
    );
  },
);

test('models takes a series (8800, ata190) or a pattern (88*, cp-78*, 8?41) as an admin types them; no match is still exit 2', async () => {
  const modelsOf = async (query: string): Promise<string[]> => {
    const r = await runCli(['models', query, '--json']);
    assert.equal(r.code, 0, `${query}: ${r.stderr}`);
    return (JSON.parse(r.stdout) as { model: string }[]).map((m) => m.model);
  };
  assert.deepEqual(await modelsOf('8800'), [
    '8811',
    '8841',
    '8845',
    '8851',
    '8861',
    '8865',
    '8832',
  ]);
  assert.deepEqual(await modelsOf('ata190'), ['ATA191', 'ATA192']);
  assert.deepEqual(await modelsOf('88*'), [
    '8811',
    '8841',
    '8845',
    '8851',
    '8861',
    '8865',
    '8832',
    '8875',
  ]);
  assert.deepEqual(await modelsOf('cp-78*'), ['7811', '7821', '7841', '7861', '7832']);
  assert.deepEqual(await modelsOf('8?41'), ['8841']);
  for (const query of ['88', '(', 'x*']) {
    const r = await runCli(['models', query]);
    assert.equal(r.code, 2, query);
    assert.match(r.stderr, /unknown model/);
  }
});
