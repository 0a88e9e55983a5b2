import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { MODELS, type PhoneModel } from '../../src/device/models.js';
import { checkRenderedProfile } from '../../src/render/check.js';
import { TemplateChooser, describeTemplateError } from '../../src/render/engine.js';
import { builtinVariables, mergeValues } from '../../src/render/variables.js';
import type { Vars } from '../../src/render/inventory.js';

const TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));
const chooser = new TemplateChooser({ root: TEMPLATES });

const SITE: Vars = {
  sip: {
    proxy: 'pbx.example.com',
    outbound_proxy: 'sbc.example.com',
    transport: 'tls',
    register_expires: 600,
  },
  ntp: { primary: '0.pool.ntp.org', secondary: '1.pool.ntp.org' },
  time_zone: 'GMT+01:00',
  dst_rule: 'start=3/-1/7/2:0:0;end=10/-1/7/3:0:0;save=1',
  dial_plan: '(*xx|[3469]11|0|00|[2-9]xxxxxx|xxxxxxxxxxxx.)',
  admin_password: 'admin-secret',
  user_password: 'user-secret',
  voice_mail_number: '*97',
  provisioning: {
    server: 'https://prov.example.com/cisco',
    resync_periodic: 86400,
    resync_at: '0230',
  },
  firmware: {
    server: 'https://fw.example.com',
    ...Object.fromEntries(MODELS.map((m) => [m.firmwarePrefix, '12-0-1MPP0001-15'])),
  },
};

/** A device using everything its model offers: every line, every key, every expansion module. */
function fullDevice(m: PhoneModel): Vars {
  const lines = Array.from({ length: m.lines }, (_, i) => ({
    extension: String(200 + i),
    password: `pw-${i}`,
    auth_id: `auth-${i}`,
    display_name: `Line ${i + 1} <&>`,
  }));
  const keyTypes = ['line', 'blf', 'speed_dial', 'disabled'];
  const keys =
    m.templateFamily === 'mpp-desk'
      ? Array.from({ length: m.lineKeys }, (_, i) => ({
          type: keyTypes[i % 4],
          line: 1,
          target: String(300 + i),
          label: `Key ${i + 1}`,
        }))
      : undefined;
  const expansion_keys =
    m.maxExpansionModules > 0
      ? Array.from({ length: m.maxExpansionModules }, (_, u) => ({
          unit: u + 1,
          button: 1,
          type: 'blf',
          target: '400',
          label: 'KEM',
        }))
      : undefined;
  return mergeValues(mergeValues(builtinVariables(m), SITE), {
    mac: '00562b043615',
    serial: 'FCH2443D9R4',
    display_name: 'Front "desk"',
    station_name: 'Front desk',
    lines,
    ...(keys ? { keys } : {}),
    ...(expansion_keys ? { expansion_keys } : {}),
  }) as Vars;
}

function renderChecked(path: string, vars: Vars, model: string, encrypted = false): string {
  let text: string;
  try {
    text = chooser.render(path, vars);
  } catch (err) {
    assert.fail(describeTemplateError(err, TEMPLATES, chooser.engine));
  }
  // Warnings too: a bundled template writes no parameter its model's family lacks
  // (model-family), nothing deprecated, no alias — only what `validate --strict` passes.
  const problems = checkRenderedProfile(text, { file: 'x.xml', model, encrypted }).map(
    (d) => `${d.severity} ${d.ruleId}: ${d.message}`,
  );
  assert.deepEqual(problems, [], text);
  return text;
}

for (const m of MODELS) {
  test(`${m.templateFamily}.liquid renders a valid profile for ${m.productName} (all lines, keys, modules)`, () => {
    const choice = chooser.choose(m);
    assert.ok('path' in choice, JSON.stringify(choice));
    assert.ok(choice.path.endsWith(`${m.templateFamily}.liquid`));
    const text = renderChecked(choice.path, fullDevice(m), m.model, true);
    assert.match(text, new RegExp(`<User_ID_${m.lines}_ ua="na">`));
    assert.match(text, /<Upgrade_Rule ua="na">\(\$SWVER ne /);
    assert.match(text, new RegExp(`${m.firmwarePrefix}\\.12-0-1MPP0001-15`));
    if (m.templateFamily === 'mpp-desk' && m.lineKeys > 0) {
      assert.match(text, new RegExp(`<Extension_${m.lineKeys}_ `));
    }
    assert.doesNotMatch(text, new RegExp(`<Extension_${m.lineKeys + 1}_ `));
    if (m.maxExpansionModules > 0)
      assert.match(text, new RegExp(`<Unit_${m.maxExpansionModules}_Key_1_ `));
    if (m.templateFamily === 'ata') {
      // the ATA191 export's clock: <router-configuration><Time_Setup>, no phone time fields
      assert.match(
        text,
        /<router-configuration>\s*<Time_Setup>\s*<Time_Zone>GMT\+01:00<\/Time_Zone>\s*<Time_Server_Mode>manual<\/Time_Server_Mode>\s*<Time_Server>0\.pool\.ntp\.org<\/Time_Server>/,
      );
      assert.doesNotMatch(text, /Primary_NTP_Server|Daylight_Saving|Station_Name|User_Password/);
    } else {
      assert.match(text, /<Time_Zone ua="na">GMT\+01:00<\/Time_Zone>/);
    }
  });

  test(`${m.templateFamily}.liquid renders a minimal profile for ${m.productName} (one line, nothing optional)`, () => {
    const choice = chooser.choose(m);
    assert.ok('path' in choice);
    const vars = {
      ...builtinVariables(m),
      mac: '00562b043615',
      lines: [{ extension: '201' }],
      sip: { proxy: 'p.example.com' },
    };
    renderChecked(choice.path, vars, m.model);
  });

  test(`${m.templateFamily}.liquid refuses more lines than ${m.productName} has`, () => {
    const choice = chooser.choose(m);
    assert.ok('path' in choice);
    const vars = fullDevice(m);
    vars.lines = [...(vars.lines as unknown[]), { extension: '999' }];
    assert.throws(() => chooser.render(choice.path, vars), new RegExp(`has ${m.lines}`));
  });

  for (const variant of ['plain', 'key', 'ikm'] as const) {
    test(`bootstrap.liquid (${variant}) renders a valid profile for ${m.productName}`, () => {
      const vars: Vars = {
        ...builtinVariables(m),
        mac: '00562b043615',
        provisioning: { server: 'https://prov.example.com/c$sco' },
        ...(variant === 'key'
          ? { profile_key: 'k3y' }
          : variant === 'ikm'
            ? { profile_ikm: 'base64url:yqdlZ-tYemfogSmv7Ws5PQ' }
            : {}),
      };
      const text = renderChecked(`${TEMPLATES}/bootstrap.liquid`, vars, m.model, true);
      const rule = /<Profile_Rule ua="na">(.*)<\/Profile_Rule>/.exec(text)?.[1];
      const expected = {
        plain: 'https://prov.example.com/c$$sco/$MA.xml',
        key: '[--key $SA]https://prov.example.com/c$$sco/$MA.cfg',
        ikm: 'https://prov.example.com/c$$sco/$MA.cfg',
      }[variant];
      assert.equal(rule, expected);
    });
  }
}

test('mpp-desk.liquid refuses expansion keys on a model without a module', () => {
  const m = MODELS.find((x) => x.templateFamily === 'mpp-desk' && x.maxExpansionModules === 0)!;
  const vars = {
    ...fullDevice(m),
    expansion_keys: [{ unit: 1, button: 1, type: 'blf', target: '1' }],
  };
  assert.throws(
    () => chooser.render(`${TEMPLATES}/mpp-desk.liquid`, vars),
    /takes no key expansion module/,
  );
});

test('mpp-desk.liquid refuses more line keys than the model has, and unknown key types', () => {
  const m = MODELS.find((x) => x.templateFamily === 'mpp-desk')!;
  const vars = fullDevice(m);
  const tooMany = {
    ...vars,
    keys: Array.from({ length: m.lineKeys + 1 }, () => ({ type: 'disabled' })),
  };
  assert.throws(() => chooser.render(`${TEMPLATES}/mpp-desk.liquid`, tooMany), /line keys; model/);
  const badType = { ...vars, keys: [{ type: 'park', target: '1' }] };
  assert.throws(
    () => chooser.render(`${TEMPLATES}/mpp-desk.liquid`, badType),
    /key type must be line, blf, speed_dial or disabled, got park/,
  );
});

test('a line without extension names the missing variable', () => {
  const m = MODELS.find((x) => x.templateFamily === 'ata')!;
  const vars = {
    ...builtinVariables(m),
    mac: '00562b043615',
    lines: [{ password: 'x' }],
    sip: { proxy: 'p' },
  };
  assert.throws(
    () => chooser.render(`${TEMPLATES}/ata.liquid`, vars),
    /undefined variable: line\.extension/,
  );
});

test('the bootstrap refuses a key and an IKM together, and needs provisioning.server', () => {
  const m = MODELS[0]!;
  const base = { ...builtinVariables(m), mac: '00562b043615' };
  assert.throws(
    () =>
      chooser.render(`${TEMPLATES}/bootstrap.liquid`, {
        ...base,
        provisioning: { server: 'x' },
        profile_key: 'a',
        profile_ikm: 'b',
      }),
    /not both/,
  );
  assert.throws(
    () => chooser.render(`${TEMPLATES}/bootstrap.liquid`, base),
    /undefined variable: provisioning/,
  );
});
