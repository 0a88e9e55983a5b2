/**
 * trial6: cisco-prov as a telephony admin uses it day to day — inventories saved by
 * spreadsheets and YAML editors, MAC notations across commands, serve and fetch against what
 * the reference says a phone does — spawned as a user runs it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
