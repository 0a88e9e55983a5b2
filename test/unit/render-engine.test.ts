import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModel } from '../../src/device/models.js';
import {
  TemplateChooser,
  createEngine,
  describeTemplateError,
  templateCandidates,
  toYesNo,
} from '../../src/render/engine.js';

const engine = createEngine(tmpdir());
const renderText = (template: string, vars: object = {}): string =>
  engine.parseAndRenderSync(template, vars) as string;

test('output is XML-escaped; `| raw` is the one explicit way out', () => {
  assert.equal(renderText('{{ v }}', { v: `<a & "b">` }), '&lt;a &amp; &#34;b&#34;&gt;');
  assert.equal(renderText('{{ v | raw }}', { v: '<x/>' }), '<x/>');
});

test('Cisco macros in template text pass through untouched', () => {
  const text = '<Profile_Rule>[--key $SA]https://p/$MA.cfg $(A:2:3) $PSN $$</Profile_Rule>';
  assert.equal(renderText(text), text);
});

test('an undefined variable is an error with line and column', () => {
  try {
    renderText('line one\n{{ sip.user }}', { sip: {} });
    assert.fail('expected an error');
  } catch (err) {
    assert.equal(
      describeTemplateError(err, '/x'),
      'template line 2, col 4: undefined variable: sip.user',
    );
  }
});

test('an unknown filter is an error', () => {
  assert.throws(() => renderText('{{ "a" | nope }}'), /undefined filter: nope/);
});

test('optional values: `if` may test an undefined variable, `default` fills one in', () => {
  assert.equal(renderText('{% if x %}y{% else %}n{% endif %}'), 'n');
  assert.equal(renderText('{{ p.q | default: 5 }}'), '5');
});

test('mac filter: every notation', () => {
  const v = { mac: '00562b043615' };
  assert.equal(renderText('{{ mac | mac }}', v), '00562b043615');
  assert.equal(renderText("{{ mac | mac: 'upper' }}", v), '00562B043615');
  assert.equal(renderText("{{ mac | mac: 'colon' }}", v), '00:56:2b:04:36:15');
  assert.equal(renderText("{{ mac | mac: 'colon-upper' }}", v), '00:56:2B:04:36:15');
  assert.equal(renderText("{{ mac | mac: 'dash' }}", v), '00-56-2b-04-36-15');
  assert.equal(renderText("{{ mac | mac: 'dot' }}", v), '0056.2b04.3615');
  assert.throws(() => renderText("{{ mac | mac: 'weird' }}", v), /format expected one of/);
  assert.throws(() => renderText('{{ m | mac }}', { m: 'zz' }), /not a MAC address/);
});

test('yes_no filter: spreadsheet truth to Cisco Bool, anything else is an error', () => {
  for (const yes of [true, 1, 'yes', 'Y', 'TRUE', 'on', '1'])
    assert.equal(toYesNo(yes), 'Yes', String(yes));
  for (const no of [false, 0, 'no', 'N', 'false', 'off', '0', '', null])
    assert.equal(toYesNo(no), 'No', String(no));
  assert.throws(() => toYesNo('maybe'), /yes_no: expected/);
  assert.equal(renderText('{{ v | yes_no }}', { v: 'true' }), 'Yes');
});

test('macro_escape doubles $ for macro-expanded parameters', () => {
  assert.equal(renderText('{{ v | macro_escape }}', { v: 'pa$$w$MA' }), 'pa$$$$w$$MA');
});

test('raise: a template check fails the device with its own message', () => {
  assert.throws(
    () => renderText('{% raise "too many keys: " | append: n %}', { n: 7 }),
    /too many keys: 7/,
  );
});

test('template choice: row template → model → family → default', () => {
  const root = mkdtempSync(join(tmpdir(), 'cp-tpl-'));
  const phone = findModel('8841')!;
  const chooser = () => new TemplateChooser({ root });
  writeFileSync(join(root, 'default.liquid'), 'default');
  assert.equal(
    chooser().choose(phone).toString(),
    { path: join(root, 'default.liquid') }.toString(),
  );
  assert.deepEqual(chooser().choose(phone), { path: join(root, 'default.liquid') });
  writeFileSync(join(root, 'mpp-desk.liquid'), 'family');
  assert.deepEqual(chooser().choose(phone), { path: join(root, 'mpp-desk.liquid') });
  writeFileSync(join(root, '8841.liquid'), 'model');
  assert.deepEqual(chooser().choose(phone), { path: join(root, '8841.liquid') });
  mkdirSync(join(root, 'custom'));
  writeFileSync(join(root, 'custom', 'lobby.liquid'), 'row');
  assert.deepEqual(chooser().choose(phone, 'custom/lobby'), {
    path: join(root, 'custom', 'lobby.liquid'),
  });
  const missing = chooser().choose(phone, 'nope');
  assert.ok('error' in missing && /template "nope" not found/.test(missing.error));
  const ata = chooser().choose(findModel('ATA191')!);
  assert.deepEqual(ata, { path: join(root, 'default.liquid') });
});

test('no template at all: the error lists what was looked for', () => {
  const root = mkdtempSync(join(tmpdir(), 'cp-tpl-'));
  const r = new TemplateChooser({ root }).choose(findModel('7832')!);
  assert.ok('error' in r);
  assert.match(
    r.error,
    /no template for model 7832 .*7832\.liquid, mpp-conference\.liquid, default\.liquid/,
  );
});

test('a --template file is used for every device', () => {
  assert.deepEqual(
    templateCandidates({ root: '/t', file: '/t/one.liquid' }, findModel('8841')!, 'other'),
    ['/t/one.liquid'],
  );
});
