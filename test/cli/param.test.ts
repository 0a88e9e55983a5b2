// `cisco-prov param`: a name, an alias, a pattern, --json, nothing found; facts from real material.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';
import { param } from '../../src/commands/param.js';
import { searchParameters, searchWords } from '../../src/profile/catalog-search.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';

test('param <name>: canonical name, type, default, families, secret, source', async () => {
  const r = await runCli(['param', 'Debug_Level']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Debug_Level\n/);
  // 9861 export's available options: the log levels by name
  assert.match(
    r.stdout,
    /type +one of: 0, 1, 2, EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG/,
  );
  assert.match(r.stdout, /secret +no/);
  assert.match(
    r.stdout,
    /fusionpbx-9861 = fusionpbx\/fusionpbx resources\/templates\/provision\/cisco\/9861/,
  );
});

test("param <guide spelling>: finds the export's spelling and lists the alias", async () => {
  const r = await runCli(['param', 'Report_to_Server']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Report_To_Server\n {2}aliases +Report_to_Server/);
});

test('param <pattern>: case-insensitive glob over names and aliases; secrets marked', async () => {
  const r = await runCli(['param', '*ADMIN*PASS*']);
  assert.equal(r.code, 0);
  for (const name of [
    'Admin_Passwd',
    'Admin_Password',
    'IVR_Admin_Passwd',
    'Web_Login_Admin_Password',
  ]) {
    assert.match(r.stdout, new RegExp(`^${name}\\b`, 'm'), name);
  }
  assert.doesNotMatch(r.stdout, /secret +no/);
  const names = searchParameters(DEFAULT_CATALOG, 'Line_Enable_*').map((e) => e.name);
  assert.deepEqual(names, ['Line_Enable_{n}_']);
  assert.ok(searchParameters(DEFAULT_CATALOG, 'line_enable_?_').length === 1);
});

test('param --json: the fields of each match, router-section leaves included', async () => {
  const r = await runCli(['param', 'WAN_Stack_Mode', '--json']);
  assert.equal(r.code, 0);
  const out = JSON.parse(r.stdout) as { matches: Record<string, unknown>[] };
  assert.equal(out.matches.length, 1);
  const [m] = out.matches;
  assert.equal(m?.section, 'router-configuration');
  assert.deepEqual(m?.families, ['ATA190']);
  assert.deepEqual(m?.type, { kind: 'enum', values: ['0', '1', '2'] });
  // an indexed name finds its pattern entry
  assert.equal(param({ query: 'Line_Enable_3_' }).matches[0]?.name, 'Line_Enable_{n}_');
});

test('param: nothing found is exit 1 with "did you mean"; an empty name is a usage error', async () => {
  const typo = await runCli(['param', 'Staton_Name']);
  assert.equal(typo.code, 1);
  assert.equal(typo.stdout, '');
  assert.match(typo.stderr, /unknown parameter Staton_Name/);
  assert.match(typo.stderr, /did you mean Station_Name\?/);
  const none = await runCli(['param', '*no_such_thing*']);
  assert.equal(none.code, 1);
  assert.throws(() => param({ query: ' ' }), /expected a name or a pattern/);
});

test('ATA191/ATA192 by name, 191 accepted wherever a model is read (models, validate --model)', async () => {
  const row = await runCli(['models', '191', '--json']);
  assert.equal(row.code, 0);
  assert.equal((JSON.parse(row.stdout) as { model: string }[])[0]?.model, 'ATA191');
  const r = await runCli(['validate', '--model', '191', '-'], {
    input:
      '<flat-profile><router-configuration><WAN_Basic_Setting><WAN_Stack_Mode>Dual</WAN_Stack_Mode></WAN_Basic_Setting></router-configuration></flat-profile>\n',
  });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /WAN_Stack_Mode: expected one of "0", "1", "2", got "Dual"/);
  assert.doesNotMatch(r.stdout, /nested-parameter/);
});

test('param: an unknown name with control characters is echoed escaped, never raw', async () => {
  const r = await runCli(['param', '\u001b]0;owned\u0007Station']);
  assert.equal(r.code, 1);
  assert.ok(!r.stderr.includes('\u001b') && !r.stderr.includes('\u0007'), 'no raw ESC or BEL');
  assert.match(r.stderr, /^cisco-prov: unknown parameter "\\u001b\]0;owned\\u0007Station"\n/);
});

test("param 'Video*': the 8865 export's video names, with the export cited and the dev build said", async () => {
  const r = await runCli(['param', 'Video*']);
  assert.equal(r.code, 0);
  for (const name of [
    'Video',
    'Video_Serv',
    'Video_Encryption_Method_{n}_',
    'Video_RTP_TOS_DiffServ_Value_{n}_',
  ]) {
    assert.match(r.stdout, new RegExp(`^${name.replace(/[{}]/g, '\\$&')}$`, 'm'), name);
  }
  assert.match(
    r.stdout,
    /jthop-8865-export = jthop\/voip app\/templates\/examples\/8800-full\.xml @ 64c2408/,
  );
  assert.match(r.stdout, /development build only/);
  assert.match(r.stdout, /families +8800\b/);
  const json = await runCli(['param', 'PSK_Passphrase_2_', '--json']);
  const out = JSON.parse(json.stdout) as { matches: { name: string; secret?: boolean }[] };
  assert.deepEqual(
    out.matches.map((m) => [m.name, m.secret]),
    [['PSK_Passphrase_{n}_', true]],
  );
});

test('param <words>: a name not found lists the parameters holding every word, as admins ask', async () => {
  // "what's the XML name for the admin password": Admin_Password is the spelling the phones'
  // exports use (fusionpbx-8851, fusionpbx-9861); Web_Login_Admin_Password the ATA191 export's
  // <router-configuration> leaf (fusionpbx-ata191).
  const r = await runCli(['param', 'admin', 'password']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+ parameters match admin password\n/);
  assert.match(r.stdout, /^Admin_Password\n/m);
  assert.match(r.stdout, /^Web_Login_Admin_Password {2}\(in <router-configuration>\)\n/m);
  // every word must appear: Admin_Passwd holds "admin" but not "password"
  assert.doesNotMatch(r.stdout, /^Admin_Passwd\n/m);
  // one quoted argument is the same query; hyphens are ignored (the 8865 export's Wi-Fi names)
  assert.deepEqual(
    searchWords(DEFAULT_CATALOG, 'wifi password').map((e) => e.name),
    ['Wi-Fi_Password_{n}_'],
  );
  // the README's second example of words (it once read `param wifi psk`, which nothing holds)
  const wifi = await runCli(['param', 'wifi', 'password']);
  assert.equal(wifi.code, 0, wifi.stderr);
  assert.match(wifi.stdout, /^1 parameter matches wifi password\n\nWi-Fi_Password_\{n\}_\n/);
  assert.equal(param({ query: 'line enable' }).matches[0]?.name, 'Line_Enable_{n}_');
  assert.equal(param({ query: 'line enable' }).pattern, true);
  // a name that is found is still shown alone, not as a list
  assert.equal(param({ query: 'Admin_Password' }).pattern, false);
  const none = await runCli(['param', 'admin', 'pasword']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /unknown parameter admin pasword/);
  assert.match(none.stderr, /try words \(admin password\)/);
});
