// The fast path for simple values (src/render/fast-values.ts) against LiquidJS's own evaluator:
// the same bytes out, the same errors (message, line, column), for the bundled templates and for
// every kind of value the fast path takes or declines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Output } from 'liquidjs';
import { MODELS } from '../../src/device/models.js';
import { TemplateChooser } from '../../src/render/engine.js';
import { builtinVariables, mergeValues } from '../../src/render/variables.js';
import type { Vars } from '../../src/render/inventory.js';
import { bothEngines, outcome } from '../helpers/fast-render.js';

const { dir, fast, reference, both } = bothEngines('cisco-prov-fast-values-');
writeFileSync(join(dir, 'partials', 'item.liquid'), '[{{ n }}:{{ item.name | upcase }}]');
writeFileSync(join(dir, 'partials', 'missing.liquid'), 'x {{ item.nope }}');

const VARS = {
  a: { b: { c: 'deep' } },
  v: `<a & "b" 'c'>`,
  n: 5,
  nil: null,
  zero: 0,
  no: false,
  list: ['x', 'y', 'z'],
  items: [{ name: 'one' }, { name: 'two' }],
  obj: { 'key with space': 'spaced', k: 'kay' },
  keyName: 'k',
  mac: '00:56:2B:04:36:15',
  sip: { proxy: 'pbx.example.com' },
  t: 'b',
  fn: () => 'called',
  enabled: 'true',
};

test('the fast path is engaged: a parsed `{{ a.b }}` has its own render', () => {
  const path = join(dir, 'engaged.liquid');
  writeFileSync(path, '{{ a.b.c }}{{ (1..2) | join }}');
  const [simple, range] = fast.parse(path);
  assert.ok(simple instanceof Output && Object.hasOwn(simple, 'render'));
  assert.ok(range instanceof Output && !Object.hasOwn(range, 'render'), 'a range is declined');
  const [plain] = reference.parse(path);
  assert.ok(plain instanceof Output && !Object.hasOwn(plain, 'render'), 'reference untouched');
  assert.equal(fast.render(path, VARS), 'deep1 2');
});

test('plain paths, escaping, raw, literals and whitespace control match LiquidJS', () => {
  assert.deepEqual(both('{{ a.b.c }}|{{ a["b"].c }}|{{ obj["key with space"] }}', VARS), {
    text: 'deep|deep|spaced',
  });
  assert.deepEqual(both('{{ v }}|{{ v | raw }}', VARS), {
    text: `&lt;a &amp; &#34;b&#34; &#39;c&#39;&gt;|<a & "b" 'c'>`,
  });
  assert.deepEqual(both("{{ 'lit' }}|{{ 3 }}|{{ true }}|{{ nil }}|{{ zero }}|{{ no }}", VARS), {
    text: 'lit|3|true||0|false',
  });
  assert.deepEqual(both('a  {{- n -}}  b', VARS), { text: 'a5b' });
  assert.deepEqual(both('{{ fn }}', VARS), { text: 'called' });
});

test('arrays: index, size, first, last, and a[b] with a variable b', () => {
  assert.deepEqual(
    both('{{ list[0] }}{{ list[2] }}|{{ list.size }}|{{ list.first }}{{ list.last }}', VARS),
    { text: 'xz|3|xz' },
  );
  assert.deepEqual(both('{{ obj[keyName] }}', VARS), { text: 'kay' });
});

test('filters with literal and variable arguments, in a chain', () => {
  assert.deepEqual(both("{{ mac | mac: 'colon-upper' }}|{{ mac | mac }}", VARS), {
    text: '00:56:2B:04:36:15|00562b043615',
  });
  assert.deepEqual(both("{{ n | plus: 1 | append: '-' | append: sip.proxy }}", VARS), {
    text: '6-pbx.example.com',
  });
  assert.deepEqual(both('{{ enabled | yes_no }}|{{ sip.proxy | upcase }}', VARS), {
    text: 'Yes|PBX.EXAMPLE.COM',
  });
  // Keyword arguments are declined; LiquidJS's own path gives the answer.
  assert.deepEqual(both("{{ no | default: 'd', allow_false: true }}", VARS), { text: 'false' });
});

test('undefined variables: the same error, line and column, in outputs and filter arguments', () => {
  const e1 = both('one\n  {{ sip.user }}', VARS);
  assert.ok('error' in e1);
  assert.match(e1.error, /line 2, col 6: undefined variable: sip\.user$/);
  assert.equal(e1.name, 'UndefinedVariableError');
  const e2 = both('{{ nope }}', VARS);
  assert.ok('error' in e2 && /undefined variable: nope$/.test(e2.error));
  const e3 = both("{{ n | append: '-' | append: sip.user }}", VARS);
  assert.ok('error' in e3 && /undefined variable: sip\.user$/.test(e3.error));
  const e4 = both('{{ a.b.c.d.e }}', VARS);
  assert.ok('error' in e4 && /undefined variable: a\.b\.c\.d$/.test(e4.error), JSON.stringify(e4));
  // ownPropertyOnly: an inherited property is not a variable
  const e5 = both('{{ obj.toString }}', VARS);
  assert.ok('error' in e5 && /undefined variable: obj\.toString$/.test(e5.error));
});

test('conditions are lenient about a missing variable; `| default` first makes a lookup lenient', () => {
  assert.deepEqual(
    both('{% if missing %}A{% elsif a.missing %}B{% elsif nil %}N{% else %}C{% endif %}', VARS),
    { text: 'C' },
  );
  assert.deepEqual(both('{% unless missing.deeper %}U{% endunless %}', VARS), { text: 'U' });
  assert.deepEqual(both("{{ missing | default: 'd' }}|{{ missing | default: n }}", VARS), {
    text: 'd|5',
  });
  // The default's own argument is not lenient.
  const e = both('{{ missing | default: other_missing }}', VARS);
  assert.ok('error' in e && /undefined variable: other_missing$/.test(e.error));
  // A variable that is there but nil or false is not an error anywhere.
  assert.deepEqual(both('[{{ nil }}]{% if no %}x{% endif %}', VARS), { text: '[]' });
});

test('loops, case, assign, capture and include with arguments', () => {
  assert.deepEqual(
    both('{% for x in list %}{{ forloop.index }}{{ x }}{{ forloop.last }};{% endfor %}', VARS),
    { text: '1xfalse;2yfalse;3ztrue;' },
  );
  assert.deepEqual(
    both("{% case t %}{% when 'a' %}A{% when 'b' %}B{% else %}E{% endcase %}", VARS),
    { text: 'B' },
  );
  assert.deepEqual(
    both(
      '{% assign m = n | plus: 2 %}{% capture c %}<{{ m }}>{% endcapture %}{{ m }}{{ c }}',
      VARS,
    ),
    { text: '7&lt;7&gt;' },
  );
  assert.deepEqual(
    both(
      "{% for item in items %}{% include 'partials/item', n: forloop.index %}{% endfor %}",
      VARS,
    ),
    { text: '[1:ONE][2:TWO]' },
  );
  const e = both("{% for item in items %}{% include 'partials/missing' %}{% endfor %}", VARS);
  assert.ok('error' in e, JSON.stringify(e));
  assert.match(
    e.error,
    /^partials\/missing\.liquid line 1, col 6: undefined variable: item\.nope$/,
  );
});

test('layout and block, render, echo, liquid, cycle and tablerow', () => {
  writeFileSync(
    join(dir, 'partials', 'frame.liquid'),
    '<{{ sip.proxy }}>{% block body %}default{% endblock %}</{{ n }}>',
  );
  writeFileSync(join(dir, 'partials', 'isolated.liquid'), '({{ x }}|{{ n | default: "none" }})');
  assert.deepEqual(
    both("{% layout 'partials/frame' %}{% block body %}[{{ a.b.c }}]{% endblock %}", VARS),
    { text: '<pbx.example.com>[deep]</5>' },
  );
  assert.deepEqual(both("{% render 'partials/isolated', x: list.first %}", VARS), {
    text: '(x|none)',
  });
  assert.deepEqual(both('{% echo v %}{% liquid\n  assign y = n | times: 2\n  echo y\n%}', VARS), {
    text: '&lt;a &amp; &#34;b&#34; &#39;c&#39;&gt;10',
  });
  assert.deepEqual(both("{% for x in list %}{% cycle 'a', 'b' %}{{ x }}{% endfor %}", VARS), {
    text: 'axbyaz',
  });
  const table = both('{% tablerow x in list cols:2 %}{{ x }}{% endtablerow %}', VARS);
  assert.ok(
    'text' in table && table.text.includes('<td class="col1">x</td>'),
    JSON.stringify(table),
  );
});

test('a failing filter or raise fails the same way', () => {
  const e1 = both('{{ v | mac }}', VARS);
  assert.ok(
    'error' in e1 && /mac: not a MAC address \(a string of \d+ characters\)/.test(e1.error),
    JSON.stringify(e1),
  );
  const e2 = both(
    '{% raise "too many: " | append: n | append: " on " | append: sip.proxy %}',
    VARS,
  );
  assert.ok('error' in e2 && /too many: 5 on pbx\.example\.com/.test(e2.error), JSON.stringify(e2));
});

// ---- the bundled templates, every model, rich and minimal devices, both ways ----

const TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));
const bundledFast = new TemplateChooser({ root: TEMPLATES });
const bundledReference = new TemplateChooser({ root: TEMPLATES }, { fastValues: false });

for (const m of MODELS) {
  test(`bundled templates render ${m.productName} byte for byte as LiquidJS does`, () => {
    const choice = bundledFast.choose(m);
    assert.ok('path' in choice);
    const site = {
      sip: { proxy: 'pbx.example.com', transport: 'tls', register_expires: 600 },
      ntp: { primary: '0.pool.ntp.org' },
      time_zone: 'GMT+01:00',
      admin_password: 'a<&>',
      provisioning: { server: 'https://prov.example.com/c$sco', resync_periodic: 600 },
      firmware: { server: 'https://fw.example.com', [m.firmwarePrefix]: '12-0-1MPP0001-15' },
    };
    const lines = Array.from({ length: m.lines }, (_, i) => ({
      extension: String(200 + i),
      ...(i % 2 ? { password: `pw-${i}`, display_name: `L${i} "q"` } : {}),
    }));
    const keys =
      m.templateFamily === 'mpp-desk'
        ? Array.from({ length: m.lineKeys }, (_, i) => ({
            type: ['line', 'blf', 'speed_dial', 'disabled'][i % 4],
            target: String(300 + i),
            ...(i % 3 ? { label: `K${i}` } : {}),
          }))
        : undefined;
    const devices: Vars[] = [
      mergeValues(mergeValues(builtinVariables(m), site), {
        mac: '00562b043615',
        display_name: 'Desk & co',
        lines,
        ...(keys ? { keys } : {}),
      }) as Vars,
      { ...builtinVariables(m), mac: '00562b043615', lines: [{ extension: '1' }], sip: {} },
      { ...builtinVariables(m), serial: 'FCH2443D9R4', lines: [{}], sip: { proxy: 'p' } },
    ];
    for (const vars of devices) {
      for (const path of [choice.path, join(TEMPLATES, 'bootstrap.liquid')]) {
        const a = outcome(bundledFast, path, vars, TEMPLATES);
        const b = outcome(bundledReference, path, vars, TEMPLATES);
        assert.deepEqual(a, b, `${path} ${JSON.stringify(vars).slice(0, 80)}`);
      }
    }
  });
}
