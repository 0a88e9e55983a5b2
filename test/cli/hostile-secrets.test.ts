/**
 * Secrets never reach a message (issue 10, item 10): filter errors, inventory parse errors,
 * `--explain`, `--json`, and the `ps` warning under `--quiet`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { assertNoSecret, assertOneLineError, workDir } from '../helpers/hostile.js';

const MAC = '00562b043615';
const SECRET = 'Zq7-Secret-Value-42';

for (const filter of ['yes_no', 'mac', "mac: 'colon'"]) {
  test(`a failing | ${filter} filter on a password does not echo it`, async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'inv.csv'), `mac,model,admin_password\n${MAC},8841,${SECRET}\n`);
    writeFileSync(
      join(dir, 't.liquid'),
      `<flat-profile>\n  <Station_Name ua="na">{{ admin_password | ${filter} }}</Station_Name>\n</flat-profile>\n`,
    );
    const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--json'], {
      cwd: dir,
    });
    assertOneLineError(r, 1, /t\.liquid line 2, col \d+: (yes_no|mac): /);
    assertNoSecret(r, SECRET, 'Zq7');
  });
}

test('a value of a secret field is masked in any render error, whatever echoes it', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'inv.csv'), `mac,model,sip.password\n${MAC},8841,${SECRET}\n`);
  writeFileSync(
    join(dir, 't.liquid'),
    '<flat-profile>\n  <Station_Name ua="na">x</Station_Name>\n</flat-profile>\n{% raise sip.password %}\n',
  );
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--json'], {
    cwd: dir,
  });
  assertOneLineError(r, 1, /\*{8}/);
  assertNoSecret(r, SECRET);
});

test('--explain masks gpp_sa, pin, psk and ldap.pw (the shared classifier)', async () => {
  const dir = workDir();
  writeFileSync(
    join(dir, 'inv.yaml'),
    `- mac: ${MAC}\n  model: "8841"\n  gpp_sa: gpp-${SECRET}\n  pin: "918273"\n  psk: psk-${SECRET}\n  ldap: { pw: ldap-${SECRET}, host: ldap.example.com }\n  display_name: Front\n`,
  );
  for (const json of [false, true]) {
    const r = await runCli(
      ['render', '-i', 'inv.yaml', '-t', 't.liquid', '--explain', MAC, ...(json ? ['--json'] : [])],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    assertNoSecret(r, SECRET, '918273');
    assert.match(r.stdout, /ldap\.example\.com/, 'other values shown');
  }
});

test('a JSON inventory that does not parse shows no snippet of the file', async () => {
  const dir = workDir();
  for (const text of [
    `[{"mac":"${MAC}","model":"8841","admin_password":"${SECRET}"]`,
    `[{"mac":"${MAC}","model":"8841","admin_password":"${SECRET}\u0001"}]`,
    `[{"mac":"${MAC}","model":"8841","admin_password":"${SECRET}"},]`,
    `[{"mac":"${MAC}","model":"8841","admin_password":${SECRET}}]`,
  ]) {
    writeFileSync(join(dir, 'inv.json'), text);
    const r = await runCli(['render', '-i', 'inv.json', '-t', 't.liquid', '-o', 'out'], {
      cwd: dir,
    });
    assertOneLineError(r, 1, /inv\.json: .*not valid JSON/);
    assertNoSecret(r, SECRET, 'Zq7', 'Value-42');
  }
});

test('a CSV quote error shows no cell of the file', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'inv.csv'), `mac,model,admin_password\n${MAC},8841,ab"${SECRET}"x\n`);
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], {
    cwd: dir,
  });
  assertOneLineError(r, 1, /inv\.csv: row \d+: not valid CSV/);
  assertNoSecret(r, SECRET);
});
