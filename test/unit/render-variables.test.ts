import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isSecretVariablePath } from '../../src/profile/secrets.js';
import { findModel } from '../../src/device/models.js';
import { parseInventory } from '../../src/render/inventory.js';
import {
  SECRET_MASK,
  VariableMerger,
  builtinVariables,
  checkGroups,
  collectGroups,
  deviceLayers,
  explainLayers,
  isSecretName,
  mergeLayers,
  mergeValues,
  parseVarsFile,
  secretValuesOf,
  type LayerSources,
  type VarsFile,
} from '../../src/render/variables.js';

function varsFile(text: string, file: string): VarsFile {
  const parsed = parseVarsFile(text, file);
  assert.ok(!Array.isArray(parsed), JSON.stringify(parsed));
  return parsed;
}

const INVENTORY = [
  'defaults: { who: defaults, tz: inventory-default }',
  'groups: { hq: { who: group, proxy: group-proxy } }',
  'devices:',
  '  - { mac: 00562b043615, model: 8841, group: hq, who: device, lines: [ { extension: "201" } ] }',
  '  - { mac: 00562b043616, model: 7832 }',
].join('\n');

function sources(varsTexts: string[] = []): {
  sources: LayerSources;
  inventory: ReturnType<typeof parseInventory>;
} {
  const inventory = parseInventory(INVENTORY, 'inv.yaml');
  const varsFiles = varsTexts.map((t, i) => varsFile(t, `v${i + 1}.yaml`));
  return {
    inventory,
    sources: {
      varsFiles,
      inventoryFile: 'inv.yaml',
      defaults: inventory.defaults,
      groups: collectGroups(varsFiles, inventory.groups),
    },
  };
}

/** The same data with ordinary prototypes, to compare with object literals. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

test('layer precedence: built-ins → --vars in order → defaults → group → device', () => {
  const { inventory, sources: s } = sources([
    'who: vars1\nline_count: 99\nonly1: a\ntz: vars1\nproxy: vars1',
    'who: vars2\nonly2: b',
  ]);
  const layers = deviceLayers(inventory.devices[0]!, s);
  assert.deepEqual(
    layers.map((l) => l.name),
    [
      'model 8841 built-ins',
      '--vars v1.yaml',
      '--vars v2.yaml',
      'inv.yaml defaults',
      'group hq',
      'inv.yaml line 4 (device 1)',
    ],
  );
  const merged = mergeLayers(layers);
  assert.equal(merged.who, 'device');
  assert.equal(merged.proxy, 'group-proxy', 'the group beats --vars');
  assert.equal(merged.tz, 'inventory-default', 'inventory defaults beat --vars');
  assert.equal(merged.line_count, 99, '--vars beat the built-ins');
  assert.equal(merged.only1, 'a');
  assert.equal(merged.only2, 'b');
  assert.equal(merged.product_name, 'CP-8841-3PCC');

  // A device with no group and no own value for "who" sees the defaults layer.
  const other = mergeLayers(deviceLayers(inventory.devices[1]!, s));
  assert.equal(other.who, 'defaults');
  assert.equal(other.family, 'mpp-conference');
});

test('VariableMerger gives the same result as merging every layer', () => {
  const { inventory, sources: s } = sources(['who: vars1\nsip: { proxy: a, transport: udp }']);
  const merger = new VariableMerger(s);
  for (const d of inventory.devices) {
    assert.deepEqual(merger.merge(d), mergeLayers(deviceLayers(d, s)));
  }
});

test('maps merge key by key and lists position by position', () => {
  assert.deepEqual(plain(mergeValues({ sip: { proxy: 'a', port: 1 } }, { sip: { proxy: 'b' } })), {
    sip: { proxy: 'b', port: 1 },
  });
  assert.deepEqual(
    plain(
      mergeValues({ lines: [{ proxy: 'p' }, { proxy: 'q' }] }, { lines: [{ extension: '1' }] }),
    ),
    { lines: [{ proxy: 'p', extension: '1' }, { proxy: 'q' }] },
  );
  assert.deepEqual(plain(mergeValues({ a: { b: 1 } }, { a: 'scalar' })), { a: 'scalar' });
});

test('--explain: each final value with the layer that set it, secrets masked', () => {
  const { inventory, sources: s } = sources([
    'sip: { password: hunter2, proxy: x }\nprofile_key: k3y\nadmin_password: p\nikm: i',
  ]);
  const explained = explainLayers(deviceLayers(inventory.devices[0]!, s));
  const byPath = new Map(explained.map((e) => [e.path, e]));
  assert.equal(byPath.get('who')?.layer, 'inv.yaml line 4 (device 1)');
  assert.equal(byPath.get('lines.1.extension')?.value, '201');
  assert.equal(byPath.get('model')?.layer, 'inv.yaml line 4 (device 1)');
  assert.equal(byPath.get('line_key_count')?.layer, 'model 8841 built-ins');
  for (const p of ['sip.password', 'profile_key', 'admin_password', 'ikm']) {
    assert.equal(byPath.get(p)?.value, SECRET_MASK, p);
    assert.equal(byPath.get(p)?.secret, true, p);
  }
  assert.ok(!JSON.stringify(explained).includes('hunter2'));
  assert.equal(byPath.get('sip.proxy')?.value, 'x');
});

test('secret names: password, secret, key, IKM, token — but not line keys', () => {
  for (const n of [
    'password',
    'sip.password',
    'admin_passwd',
    'pwd',
    'client_secret',
    'key',
    'profile_key',
    'key_file',
    'ikm',
    'profile_ikm',
    'api_token',
  ]) {
    assert.ok(isSecretName(n), n);
  }
  for (const n of ['keys.1.type', 'line_key_count', 'monkey', 'extension', 'display_name']) {
    assert.ok(!isSecretName(n), n);
  }
});

test('built-in variables come from the model table', () => {
  const v = builtinVariables(findModel('ATA191')!);
  assert.equal(v.family, 'ata');
  assert.equal(v.product_name, 'ATA191-MPP');
  assert.equal(v.model, 'ATA191');
  assert.equal(v.psn, '191'); // $PSN keeps the bare number (ata$PSN.cfg)
  assert.equal(typeof v.line_count, 'number');
});

test('an unknown group is an error naming file, row and field', () => {
  const inventory = parseInventory('mac,model,group\n00562b043615,8841,nowhere\n', 'inv.csv');
  const problems = checkGroups(inventory.devices, { hq: {} }, 'inv.csv');
  assert.equal(problems.length, 1);
  assert.deepEqual(
    { ...problems[0] },
    {
      file: 'inv.csv',
      where: 'row 2',
      field: 'group',
      message: 'unknown group "nowhere" (known: hq)',
    },
  );
});

test('vars files: groups are not variables; the inventory groups win over them', () => {
  const v = varsFile('a: 1\ngroups: { hq: { x: vars } , branch: { x: b } }', 'site.yaml');
  assert.deepEqual(plain(v.values), { a: 1 });
  const groups = collectGroups([v], { hq: { x: 'inventory' } });
  assert.deepEqual(plain(groups), { hq: { x: 'inventory' }, branch: { x: 'b' } });
  const bad = parseVarsFile('- 1\n- 2\n', 'list.yaml');
  assert.ok(Array.isArray(bad));
  assert.match(bad[0]!.message, /expected a map of variables/);
});

/** secretValuesOf as first written: every leaf's dotted path through isSecretVariablePath. */
function secretValuesByPath(vars: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown, prefix: string): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${prefix}.${i + 1}`));
    } else if (
      (typeof value === 'string' || typeof value === 'number') &&
      isSecretVariablePath(prefix)
    ) {
      out.push(String(value));
    }
  };
  walk(vars, '');
  return out;
}

test('secretValuesOf: the values of secret paths, as a walk of dotted paths finds them', () => {
  assert.deepEqual(
    secretValuesOf({
      sip: { password: 'hunter22', proxy: 'pbx' },
      lines: [
        { extension: '2000', password: 'pw-1' },
        { extension: 7000, pin: 1234 },
      ],
      credentials: { user: 'u', list: ['a', 'b'] },
      'ldap.pw': 'dotted',
      name: 'x',
    }),
    ['hunter22', 'pw-1', '1234', 'u', 'a', 'b', 'dotted'],
  );
  const key = fc.constantFrom(
    'password',
    'pw',
    'x_pw',
    'pin',
    'key',
    'profile_key',
    'token',
    'sip',
    'name',
    'lines',
    '',
    'a.b',
    'ldap.pw',
    '1',
    'PassWord',
    'gpp_sa',
  );
  const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
  const { tree } = fc.letrec((t) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(t('tree'), { maxLength: 4 }),
      fc.dictionary(key, t('tree'), { maxKeys: 5 }),
    ),
  }));
  fc.assert(
    fc.property(fc.dictionary(key, tree, { maxKeys: 6 }), (vars) => {
      const v = Object.assign(Object.create(null) as Record<string, unknown>, vars);
      assert.deepEqual(secretValuesOf(v as never), secretValuesByPath(v));
    }),
    { numRuns: 500 },
  );
});
