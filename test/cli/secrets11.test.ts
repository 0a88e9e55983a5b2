/**
 * Findings never show a secret, even a transformed one (secrets11). `render` masks a device's
 * secret values by their exact text; a template that writes `{{ password | upcase }}` (or a
 * slice, base64, an appended suffix) into a typed parameter made a check quote the transformed
 * text (`got "ZQ7HUNTER22"`). Now `render` of a device with secrets quotes no value at all
 * (`quoteValues: false`: `got a string of 11 characters`), and a secret parameter's value is
 * never quoted, in `validate` as in `render`. `validate` still quotes other values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';
import { checkRenderedProfile } from '../../src/render/check.js';
import { hasSecretValue } from '../../src/render/variables.js';
import { ProfileService } from '../../src/serve/profiles.js';
import { loadSite } from '../../src/serve/site.js';
import { validateProfileText } from '../../src/validate/index.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-secrets11-');
const MAC = '00562b043615';
const SECRET = 'Zq7hunter22';

/** The secret and what the templates below make of it. */
const FORMS = {
  plain: SECRET,
  upcased: SECRET.toUpperCase(),
  downcased: SECRET.toLowerCase(),
  sliced: SECRET.slice(0, 4),
  base64: Buffer.from(SECRET).toString('base64'),
  'base64 (no padding)': Buffer.from(SECRET).toString('base64').replace(/=+$/, ''),
};

function assertNoForm(r: CliRun, what: string): void {
  for (const [name, form] of Object.entries(FORMS)) {
    assert.ok(!r.stdout.includes(form), `${what}: the ${name} secret ${form} in stdout`);
    assert.ok(!r.stderr.includes(form), `${what}: the ${name} secret ${form} in stderr`);
  }
}

/**
 * A template writing a transformed secret into a Bool (invalid-value), the ua attribute
 * (invalid-ua) and a Profile_Rule's port (rule-syntax): each of those checks quoted its value.
 */
function template(filter: string): string {
  const value = `{{ sip.password | ${filter} }}`;
  return [
    '<flat-profile>',
    `  <Station_Name ua="${value}">front</Station_Name>`,
    `  <Line_Enable_1_>${value}</Line_Enable_1_>`,
    `  <Profile_Rule>https://prov.example.com:${value}/$MA.xml</Profile_Rule>`,
    '</flat-profile>',
    '',
  ].join('\n');
}

const TRANSFORMATIONS: [string, string][] = [
  ['upcase', 'upcase'],
  ['slice', 'slice: 0, 4'],
  ['base64_encode', 'base64_encode'],
  ['append', 'append: "x"'],
];

for (const [label, filter] of TRANSFORMATIONS) {
  test(`render: ${label} of a secret in typed parameters shows no form of it, text or --json`, async () => {
    const cwd = dir.fresh(`render-${label}`);
    writeFileSync(`${cwd}/inv.csv`, `mac,model,sip.password\n${MAC},8841,${SECRET}\n`);
    writeFileSync(`${cwd}/t.liquid`, template(filter));
    const args = ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'];
    const text = await runCli(args, { cwd });
    assert.equal(text.code, 1, text.stderr);
    assertNoForm(text, `${label}, text`);
    // Still useful: the parameter, the line, the rule and what was expected.
    assert.match(
      text.stderr,
      /rendered profile line 2, col \d+: ua on Station_Name must be "na", "ro" or "rw", got a string of \d+ characters \[invalid-ua\] \(\+2 more\)/,
    );

    const json = await runCli([...args, '--json'], { cwd });
    assert.equal(json.code, 1, json.stderr);
    assertNoForm(json, `${label}, --json`);
    const report = JSON.parse(json.stdout) as {
      devices: { diagnostics: { ruleId: string; message: string; line: number }[] }[];
    };
    const found = report.devices[0]!.diagnostics.map((d) => `${d.ruleId} ${d.line} ${d.message}`);
    assert.deepEqual(
      found.map((f) => f.replace(/\d+ characters?/, 'N characters')),
      [
        'invalid-ua 2 ua on Station_Name must be "na", "ro" or "rw", got a string of N characters',
        'invalid-value 3 Line_Enable_1_: expected Yes or No, got a string of N characters',
        'rule-syntax 4 Profile_Rule: the port (not shown) is not a number from 1 to 65535',
      ],
    );
  });
}

test('render: a device without secrets still has its values quoted', async () => {
  const cwd = dir.fresh('render-no-secret');
  writeFileSync(`${cwd}/inv.csv`, `mac,model,label\n${MAC},8841,maybe\n`);
  writeFileSync(
    `${cwd}/t.liquid`,
    '<flat-profile>\n  <Line_Enable_1_>{{ label }}</Line_Enable_1_>\n</flat-profile>\n',
  );
  const r = await runCli(['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out'], { cwd });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Line_Enable_1_: expected Yes or No, got "maybe" \[invalid-value\]/);
});

test('validate: a value that is no secret is still quoted, text and --json', async () => {
  const cwd = dir.fresh('validate-plain');
  writeFileSync(
    `${cwd}/p.xml`,
    '<flat-profile>\n  <Line_Enable_1_>maybe</Line_Enable_1_>\n</flat-profile>\n',
  );
  const text = await runCli(['validate', 'p.xml'], { cwd });
  assert.equal(text.code, 1, text.stderr);
  assert.match(text.stdout + text.stderr, /Line_Enable_1_: expected Yes or No, got "maybe"/);
  const json = await runCli(['validate', 'p.xml', '--format', 'json'], { cwd });
  assert.equal(json.code, 1, json.stderr);
  assert.match(json.stdout, /Line_Enable_1_: expected Yes or No, got \\"maybe\\"/);
});

test('validate: a secret parameter (by the classifier) never has its value quoted', async () => {
  const cwd = dir.fresh('validate-secret');
  // Door_PIN and Site_Password carry no `secret` flag: the shared classifier makes them secrets.
  writeFileSync(
    `${cwd}/catalog.json`,
    JSON.stringify({
      parameters: [
        { name: 'Door_PIN', type: { kind: 'integer', min: 0, max: 9999 } },
        { name: 'Site_Password', type: 'bool' },
      ],
    }),
  );
  writeFileSync(
    `${cwd}/p.xml`,
    [
      '<flat-profile>',
      `  <Door_PIN>${SECRET}</Door_PIN>`,
      `  <Site_Password>${SECRET.toUpperCase()}</Site_Password>`,
      // Unknown to the catalog: the name alone makes it a secret; not even one character shown.
      '  <Backup_Password>h\u00e4mmer22</Backup_Password>',
      '</flat-profile>',
      '',
    ].join('\n'),
  );
  for (const json of [false, true]) {
    const r = await runCli(
      ['validate', 'p.xml', '--catalog', 'catalog.json', ...(json ? ['--format', 'json'] : [])],
      { cwd },
    );
    assert.equal(r.code, 1, r.stderr);
    assertNoForm(r, json ? '--json' : 'text');
    const out = r.stdout + r.stderr;
    assert.doesNotMatch(out, /\u00e4|U\+00E4|mmer22/, 'no character of the unknown secret');
    assert.match(
      out,
      /Door_PIN: expected an integer from 0 to 9999, got a string of 11 characters \(value not shown\)/,
    );
    assert.match(out, /Site_Password: expected Yes or No, got a string of 11 characters/);
    assert.match(out, /Backup_Password contains a non-ASCII character \(value not shown\)/);
  }
});

test('in process: quoteValues false quotes no value in any rule that quoted one', () => {
  const catalog = parseCatalogJson(
    JSON.stringify({
      parameters: [
        { name: 'Line_Enable_{n}_', type: 'bool', index: { min: 1, max: 10, kind: 'line' } },
        { name: 'Station_Name', type: { kind: 'string', maxLength: 63 } },
        { name: 'Proxy_{n}_', type: { kind: 'host' }, index: { min: 1, max: 10, kind: 'line' } },
        { name: 'Dial_Plan_{n}_', type: 'dialplan', index: { min: 1, max: 10, kind: 'line' } },
        { name: 'Resync_Periodic', type: 'schedule' },
        { name: 'Mode', type: { kind: 'enum', values: ['A', 'B'] } },
        { name: 'Profile_Rule', type: { kind: 'rule', rule: 'profile' } },
        { name: 'Upgrade_Rule', type: { kind: 'rule', rule: 'upgrade' } },
        { name: 'Report_Rule', type: { kind: 'rule', rule: 'report' } },
      ],
    }),
    'catalog.json',
  );
  const v = 'QXSECRETZ';
  const cases = [
    `<Line_Enable_1_>${v}</Line_Enable_1_>`,
    `<Proxy_1_>${v}!</Proxy_1_>`,
    `<Dial_Plan_1_>(${v}</Dial_Plan_1_>`,
    `<Resync_Periodic>${v}</Resync_Periodic>`,
    `<Mode>${v}</Mode>`,
    `<Station_Name ua="${v}">x</Station_Name>`,
    `<Station_Name>\u00e9${v}</Station_Name>`,
    `<Profile_Rule>${v}://h/a.xml</Profile_Rule>`,
    `<Profile_Rule>${v}:///a.xml</Profile_Rule>`,
    `<Profile_Rule>https://h:${v}/a.xml</Profile_Rule>`,
    `<Profile_Rule>https://h/$(${v})/a.xml</Profile_Rule>`,
    `<Profile_Rule>https://h/$${v}/a.xml</Profile_Rule>`,
    `<Profile_Rule>https://h/$(${v}-x)/a.xml</Profile_Rule>`,
    `<Report_Rule>[--${v.toLowerCase()} x]https://h/a.xml</Report_Rule>`,
    `<Station_Name>&${v};</Station_Name>`,
    `<Station_Name>&#x${v};</Station_Name>`,
  ];
  for (const body of cases) {
    const text = `<flat-profile>\n${body}\n</flat-profile>\n`;
    const quoted = validateProfileText(text, { file: 'x', catalog });
    const unquoted = validateProfileText(text, { file: 'x', catalog, quoteValues: false });
    const shown = (ds: typeof quoted): string => ds.map((d) => `${d.message} ${d.hint}`).join();
    // Quoting on, the finding shows the value (or its first character): the case is real.
    assert.ok(quoted.length > 0, body);
    assert.match(shown(quoted), /qxsecret|\u00e9/i, `quoted: ${body}`);
    // Off: the same findings (rule, line, column), none of the value.
    assert.deepEqual(
      unquoted.map((d) => `${d.ruleId} ${d.line}:${d.column}`),
      quoted.map((d) => `${d.ruleId} ${d.line}:${d.column}`),
      body,
    );
    assert.doesNotMatch(shown(unquoted), /qxsecret|\u00e9|U\+00E9/i, `unquoted: ${body}`);
  }
});

test('in process: render checks quote no value for a device with secrets', () => {
  const text = '<flat-profile>\n<Line_Enable_1_>maybe</Line_Enable_1_>\n</flat-profile>\n';
  const [quoted] = checkRenderedProfile(text, { file: 'x' });
  assert.match(quoted!.message, /got "maybe"/);
  const [unquoted] = checkRenderedProfile(text, { file: 'x', hasSecrets: true });
  assert.equal(
    unquoted!.message,
    'Line_Enable_1_: expected Yes or No, got a string of 5 characters',
  );
  assert.equal(hasSecretValue({ sip: { password: SECRET }, name: 'x' }), true);
  assert.equal(hasSecretValue({ lines: [{ pin: 1234 }] }), true);
  assert.equal(hasSecretValue({ sip: { password: '' }, name: 'x' }), false);
  assert.equal(hasSecretValue({ name: 'x', list: [1, 'a'] }), false);
});

test('in process: serve checks a device with secrets as render does (no value quoted)', () => {
  const cwd = dir.fresh('serve');
  writeFileSync(`${cwd}/inv.csv`, `mac,model,sip.password\n${MAC},8841,${SECRET}\n`);
  writeFileSync(
    `${cwd}/t.liquid`,
    '<flat-profile><Line_Enable_1_>{{ sip.password | upcase }}</Line_Enable_1_></flat-profile>\n',
  );
  const site = loadSite(
    {
      inventory: `${cwd}/inv.csv`,
      inventoryName: 'inv.csv',
      vars: [],
      template: `${cwd}/t.liquid`,
    },
    1,
  );
  const device = site.devices[0]!;
  const keys = { md: 'md5' as const, keyField: 'profile_key', ikmField: 'profile_ikm' };
  const r = new ProfileService({ keys, gzip: false, cacheSize: 0 }).profile(
    site,
    ProfileService.deviceSubject(device, (device.template as { path: string }).path, 'x.xml'),
    { form: 'plain' },
  );
  assert.ok(!r.ok);
  assert.equal(r.ruleId, 'invalid-value');
  assert.match(r.reason, /Line_Enable_1_: expected Yes or No, got a string of 11 characters/);
  assert.ok(!r.reason.includes(SECRET.toUpperCase()), r.reason);
});

test('in process: quoteValues false names no control character of a value by its code', () => {
  for (const body of [
    '<Station_Name>ab\u0001cd</Station_Name>',
    '<Profile_Rule>https://h/a\u001bb.xml</Profile_Rule>',
  ]) {
    const text = `<flat-profile>\n${body}\n</flat-profile>\n`;
    const quoted = validateProfileText(text, { file: 'x' });
    const unquoted = validateProfileText(text, { file: 'x', quoteValues: false });
    assert.match(quoted.map((d) => d.message).join(), /U\+00(01|1B)/, body);
    assert.deepEqual(
      unquoted.map((d) => `${d.ruleId} ${d.line}:${d.column}`),
      quoted.map((d) => `${d.ruleId} ${d.line}:${d.column}`),
    );
    assert.doesNotMatch(unquoted.map((d) => d.message).join(), /U\+/, body);
    assert.match(unquoted.map((d) => d.message).join(), /control character.*\(not shown\)/);
  }
});
