// The fast paths for blocks, `if`/`unless`, template text and operator conditions
// (src/render/fast-tags.ts, src/render/fast-values.ts) against LiquidJS's own evaluator: the
// same bytes out and the same errors (message, line, column), including hostile cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssignTag, CaseTag, Drop, ForTag, IfTag, IncludeTag, UnlessTag } from 'liquidjs';
import { createEngine } from '../../src/render/engine.js';
import { bothEngines } from '../helpers/fast-render.js';

const { dir, fast, reference, both } = bothEngines('cisco-prov-fast-tags-');
writeFileSync(
  join(dir, 'partials', 'cond.liquid'),
  '{% if item.on %}+{{ item.name }}{% elsif item.name == "b" %}={% else %}-{% endif %}',
);
writeFileSync(
  join(dir, 'partials', 'args.liquid'),
  '<{{ a }}|{{ b }}|{{ c }}|{% if flag %}F{% endif %}{% assign leaked = a %}{% include "partials/inner", a: b %}>',
);
writeFileSync(
  join(dir, 'partials', 'inner.liquid'),
  '({{ a }}{% if item %}{{ item.name }}{% endif %})',
);
writeFileSync(join(dir, 'partials', 'frame.liquid'), '[{% block body %}frame{% endblock %}]');
writeFileSync(
  join(dir, 'partials', 'blocky.liquid'),
  '{% layout "partials/frame" %}{% block body %}{{ a }}{% endblock %}',
);
writeFileSync(join(dir, 'partials', 'withblock.liquid'), 'x{% block b %}inner{% endblock %}y');
writeFileSync(join(dir, 'partials', 'bad.liquid'), 'ok\n  {{ a.nope }}');

/** A Drop whose value is a number and which answers unknown properties. */
class CountDrop extends Drop {
  constructor(private readonly n: number) {
    super();
  }
  override valueOf(): number {
    return this.n;
  }
  override liquidMethodMissing(key: string): string | undefined {
    return key.startsWith('x') ? `m:${key}` : undefined;
  }
}
/** A Drop whose value is false. */
class FalseDrop extends Drop {
  override valueOf(): boolean {
    return false;
  }
}

const VARS = {
  nil: null,
  no: false,
  yes: true,
  zero: 0,
  one: 1,
  blank: '',
  space: ' ',
  text: 'abc',
  none: [],
  list: ['x', 'y', 'z'],
  emptyMap: {},
  map: { k: 'v', n: 2 },
  idx: 1,
  key: 'k',
  drop: new CountDrop(3),
  zeroDrop: new CountDrop(0),
  falseDrop: new FalseDrop(),
  items: [
    { name: 'a', on: true, sub: [1, 2] },
    { name: 'b', on: false, sub: [] },
    { name: 'c', on: null, sub: [3] },
  ],
};

const VALUES = Object.keys(VARS).filter((k) => k !== 'items');

test('the fast paths are engaged: if and unless get their own render, text too', () => {
  const path = join(dir, 'engaged.liquid');
  writeFileSync(path, 'a{% if one == 1 %}b{% endif %}{% unless no %}c{% endunless %}');
  const [text, ifTag, unlessTag] = fast.parse(path);
  assert.ok(text && Object.hasOwn(text, 'render'), 'text');
  assert.ok(ifTag instanceof IfTag && Object.hasOwn(ifTag, 'render'), 'if');
  assert.ok(unlessTag instanceof UnlessTag && Object.hasOwn(unlessTag, 'render'), 'unless');
  const [plainText, plainIf] = reference.parse(path);
  assert.ok(!Object.hasOwn(plainText!, 'render') && !Object.hasOwn(plainIf!, 'render'));
  assert.equal(fast.render(path, VARS), 'abc');
});

test('truthiness as Liquid defines it: only nil and false are false (Drops by their value)', () => {
  for (const name of VALUES) {
    both(`{% if ${name} %}T{% else %}F{% endif %}|{% unless ${name} %}U{% endunless %}`, VARS);
  }
  const t = both(
    '{% if nil %}1{% endif %}{% if no %}2{% endif %}{% if zero %}3{% endif %}{% if blank %}4{% endif %}{% if none %}5{% endif %}{% if falseDrop %}6{% endif %}{% if zeroDrop %}7{% endif %}',
    VARS,
  );
  assert.deepEqual(t, { text: '3457' });
});

test('comparisons of paths with literals, with each other, and with empty/blank/nil', () => {
  const ops = ['==', '!=', '>', '<', '>=', '<=', 'contains'];
  const operands = [
    'zero',
    'one',
    '1',
    '"1"',
    'text',
    '"abc"',
    'list',
    '"y"',
    'nil',
    'empty',
    'blank',
    'drop',
    '3',
    'map.n',
    'missing',
    'none',
  ];
  for (const op of ops) {
    for (const l of operands) {
      const r = operands[(operands.indexOf(l) + 5) % operands.length]!;
      both(`{% if ${l} ${op} ${r} %}T{% else %}F{% endif %}{{ ${l} ${op} ${l} }}`, VARS);
    }
  }
  assert.deepEqual(both('{% if drop > 2 and drop < 4 %}in{% endif %}', VARS), { text: 'in' });
  assert.deepEqual(both('{% if list contains "y" or nil %}y{% endif %}', VARS), { text: 'y' });
  assert.deepEqual(
    both('{% if none == empty and space == blank and nil == nil %}e{% endif %}', VARS),
    { text: 'e' },
  );
});

test('and/or chains: right-to-left grouping, no short-circuit, missing operands lenient in if', () => {
  for (const expr of [
    'yes and no or yes',
    'no or no or one',
    'nil and missing',
    'missing or text',
    'yes and missing.deeper.still',
    'map.k == "v" and map.n != 2',
    'zero or no and nil',
  ]) {
    both(`{% if ${expr} %}T{% elsif ${expr} == false %}E{% else %}F{% endif %}`, VARS);
  }
  // Every operand is evaluated: a failing right-hand side fails even after a false left one.
  const e = both('{% if no and list[nope] %}x{% endif %}', VARS);
  assert.ok('error' in e && /undefined variable: nope$/.test(e.error), JSON.stringify(e));
});

test('undefined variables in strict mode: outputs and a[b] indexes fail with line and column', () => {
  const e1 = both('x\n  {{ missing == 1 }}', VARS);
  assert.ok(
    'error' in e1 && /line 2, col 6: undefined variable: missing$/.test(e1.error),
    JSON.stringify(e1),
  );
  const e2 = both('{{ one == map.nope }}', VARS);
  assert.ok('error' in e2 && /undefined variable: map\.nope$/.test(e2.error), JSON.stringify(e2));
  // The index of a[b] is never lenient, even in a condition.
  const e3 = both('\n\n {% if list[nope] %}x{% endif %}', VARS);
  assert.ok(
    'error' in e3 && /line 3, col \d+: undefined variable: nope$/.test(e3.error),
    JSON.stringify(e3),
  );
  // A present index to a missing element: lenient in a condition, an error in an output.
  assert.deepEqual(
    both(
      '{% if list[zero] %}{{ list[idx] }}{{ map[key] }}{% endif %}{% if list[9] %}n{% endif %}',
      VARS,
    ),
    { text: 'yv' },
  );
  const e4 = both('{{ map[text] }}', VARS);
  assert.ok('error' in e4 && /undefined variable: map\.abc$/.test(e4.error), JSON.stringify(e4));
  assert.deepEqual(
    both('{{ drop.xyz }}{% if drop.xa %}m{% endif %}{% if drop.q %}q{% endif %}', VARS),
    { text: 'm:xyzm' },
  );
});

test('nested loops with forloop, break and continue, conditions on the loop variables', () => {
  assert.deepEqual(
    both(
      '{% for it in items %}{{ forloop.index }}{% if forloop.first %}F{% endif %}{% if forloop.last %}L{% endif %}:{% for s in it.sub %}{% if s == 2 %}{% continue %}{% endif %}{{ forloop.index0 }}{{ s }}{% if forloop.parentloop %}?{% endif %}{% else %}none{% endfor %}{% unless it.on %}!{% endunless %};{% if it.name == "c" %}{% break %}{% endif %}{% endfor %}',
      VARS,
    ),
    { text: '1F:01;2:none!;3L:03!;' },
  );
  assert.deepEqual(
    both(
      '{% for it in items %}{% include "partials/cond", item: it %}{% if forloop.index == idx %}{% break %}{% endif %}{% endfor %}',
      VARS,
    ),
    { text: '+a' },
  );
  both(
    '{% for it in items %}{% include "partials/cond", item: it %}{% endfor %}{% for i in (1..3) %}{% if list[forloop.index0] == "y" %}Y{% else %}{{ i }}{% endif %}{% endfor %}',
    VARS,
  );
});

test('unless with elsif and else, capture of a conditional, whitespace control', () => {
  for (const v of VALUES) {
    both(`{% unless ${v} %}U{% elsif ${v} == 0 %}Z{% else %}E{% endunless %}`, VARS);
  }
  assert.deepEqual(
    both(
      '{% capture c %} {%- if one > zero -%} big {%- else -%} small {%- endif -%} {% endcapture %}[{{ c }}]',
      VARS,
    ),
    { text: '[big]' },
  );
});

test('errors inside a conditional block and in a filter on a condition keep their place', () => {
  const e1 = both(
    '{% if yes %}\n{% if no %}{% else %}\n   {{ text | mac }}{% endif %}{% endif %}',
    VARS,
  );
  assert.ok(
    'error' in e1 && /line 3, col 4: mac: not a MAC address/.test(e1.error),
    JSON.stringify(e1),
  );
  const e2 = both(
    '{% assign u = text | upcase %}{% if u == "ABC" %}up{% endif %}{% if yes %}{% raise "stop " | append: one %}{% endif %}',
    VARS,
  );
  assert.ok('error' in e2 && /stop 1/.test(e2.error), JSON.stringify(e2));
});

test('an asynchronous render gives the same output as a synchronous one', async () => {
  const engine = createEngine(dir);
  const template =
    '{% for it in items %}{% if it.on or it.name == "c" %}{{ it.name }}{% endif %}{% unless it.sub == empty %}s{% endunless %}{% endfor %}{% if drop > 2 %}d{% endif %}';
  const parsed = engine.parse(template);
  const sync = engine.renderSync(parsed, VARS);
  assert.equal(await engine.render(parsed, VARS), sync);
  assert.equal(sync, 'ascsd');
});

test('output escaping: each special character alone, none, numbers and lists', () => {
  const vars = {
    amp: 'a&b',
    lt: 'a<b',
    gt: 'a>b',
    dq: 'a"b',
    sq: "it's",
    plain: 'ok',
    num: 7,
    arr: ['<', "'"],
  };
  const t = both(
    '{{ amp }}|{{ lt }}|{{ gt }}|{{ dq }}|{{ sq }}|{{ plain }}|{{ num }}|{{ arr }}|{{ sq | append: "!" }}',
    vars,
  );
  assert.deepEqual(t, { text: 'a&amp;b|a&lt;b|a&gt;b|a&#34;b|it&#39;s|ok|7|&lt;&#39;|it&#39;s!' });
});

test('include with literal and path arguments, flags, scope, nested includes and blocks', () => {
  const path = join(dir, 'include-engaged.liquid');
  writeFileSync(path, '{% include "partials/inner", a: one %}{% include partialName %}');
  const [plain, dynamic] = fast.parse(path);
  assert.ok(plain instanceof IncludeTag && Object.hasOwn(plain, 'render'), 'literal file');
  assert.ok(dynamic instanceof IncludeTag && !Object.hasOwn(dynamic, 'render'), 'declined');
  const vars = { ...VARS, partialName: 'partials/inner', a: 'outer' };
  assert.deepEqual(both('{% include "partials/inner", a: one %}{% include partialName %}', vars), {
    text: '(1)(outer)',
  });
  assert.deepEqual(
    both(
      '{% for item in items %}{% include "partials/args", a: item.name, b: forloop.index, c: "lit", flag: item.on %}{% endfor %}{{ leaked }}|{{ a }}',
      vars,
    ),
    { text: '<a|1|lit|F(1a)><b|2|lit|(2b)><c|3|lit|(3c)>c|outer' },
  );
  both('{% include "partials/args", a: 1, b: 2, c: 3, flag %}', vars);
  both('{% include "partials/blocky", a: text %}{% include "partials/blocky" %}', vars);
  // The partial's blocks are output; the registers (block mode, blocks) are restored after it.
  assert.deepEqual(both('{% include "partials/withblock" %}', vars), { text: 'xinnery' });
  assert.deepEqual(
    both(
      '{% layout "partials/frame" %}{% include "partials/withblock" %}{% block body %}B{% endblock %}',
      vars,
    ),
    { text: '[B]' },
  );
  const e1 = both('\n {% include "partials/inner", a: map.nope %}', vars);
  assert.ok(
    'error' in e1 && /line 2, col \d+: undefined variable: map\.nope$/.test(e1.error),
    JSON.stringify(e1),
  );
  const e2 = both('{% include "partials/bad", a: map %}', vars);
  assert.ok(
    'error' in e2 &&
      /^partials\/bad\.liquid line 2, col 6: undefined variable: a\.nope$/.test(e2.error),
    JSON.stringify(e2),
  );
  const e3 = both('{% include "partials/none" %}', vars);
  assert.ok('error' in e3 && /ENOENT/.test(e3.error), JSON.stringify(e3));
});

test('for, assign and case get their own render', () => {
  const path = join(dir, 'for-engaged.liquid');
  writeFileSync(
    path,
    '{% for i in list %}{% endfor %}{% for i in (1..idx) %}{% endfor %}{% assign a = 1 %}{% case text %}{% when "abc" %}{% endcase %}',
  );
  const [forList, forRange, assign, caseTag] = fast.parse(path);
  for (const [node, cls] of [
    [forList, ForTag],
    [forRange, ForTag],
    [assign, AssignTag],
    [caseTag, CaseTag],
  ] as const) {
    assert.ok(node instanceof cls && Object.hasOwn(node, 'render'), cls.name);
  }
  const [plainFor] = reference.parse(path);
  assert.ok(!Object.hasOwn(plainFor!, 'render'));
});

test('for: every forloop variable, the drop itself, else on every empty kind', () => {
  const forloop =
    '{{ forloop.index }}{{ forloop.index0 }}{{ forloop.rindex }}{{ forloop.rindex0 }}{{ forloop.first }}{{ forloop.last }}{{ forloop.length }}{{ forloop.name }}';
  assert.deepEqual(both(`{% for x in list %}${forloop}[{{ x }}];{% endfor %}`, VARS), {
    text: '1032truefalse3x-list[x];2121falsefalse3x-list[y];3210falsetrue3x-list[z];',
  });
  both('{% for x in list %}{{ forloop }}{{ forloop | json }}{% endfor %}', VARS);
  const empties = [...VALUES, 'items[1].sub', 'map', '"lit"', '""', '3', 'nil', 'missing'];
  for (const c of empties) {
    both(`{% for x in ${c} %}<{{ x }}|{{ forloop.length }}>{% else %}E{% endfor %}`, VARS);
    both(`{% for x in ${c} %}{{ x }}{% endfor %}`, VARS);
  }
  // A map is its [key, value] pairs; a Set is iterated; a Drop by its value.
  const vars = { ...VARS, set: new Set(['p', 'q']), nested: { a: { b: ['deep'] } } };
  assert.deepEqual(
    both(
      '{% for p in map %}{{ p[0] }}={{ p[1] }};{% endfor %}{% for s in set %}{{ s }}{% endfor %}{% for d in nested.a.b %}{{ d }}{% endfor %}{% for d in nested["a"].b %}{{ d }}{% endfor %}',
      vars,
    ),
    { text: 'k=v;n=2;pqdeepdeep' },
  );
  both('{% for d in drop %}{{ d }}{% else %}none{% endfor %}', VARS);
});

test('for: limit, offset, reversed in every order, offset: continue, ranges', () => {
  const mods = ['limit: 2', 'offset: 1', 'reversed', 'limit: idx', 'offset: one', 'limit: "2"'];
  for (const a of mods) {
    for (const b of mods) {
      if (a === b) continue;
      both(`{% for x in items %}{{ x.name }}{{ forloop.index }}{% endfor %}`, VARS);
      both(`{% for x in items ${a} ${b} %}{{ x.name }}{{ forloop.rindex }}{% endfor %}`, VARS);
      both(`{% for i in (1..5) ${a} ${b} %}{{ i }}{% else %}E{% endfor %}`, VARS);
    }
  }
  assert.deepEqual(
    both(
      '{% for i in (1..6) limit: 2 %}{{ i }}{% endfor %}|{% for i in (1..6) offset: continue limit: 3 %}{{ i }}{% endfor %}|{% for i in (1..6) offset: continue %}{{ i }}{% endfor %}',
      VARS,
    ),
    { text: '12|345|6' },
  );
  assert.deepEqual(
    both(
      '{% for i in (one..3) %}{{ i }}{% endfor %}{% for i in (3..1) %}{{ i }}{% else %}E{% endfor %}{% for i in (zero..idx) reversed %}{{ i }}{% endfor %}{% for i in ("2".."4") %}{{ i }}{% endfor %}',
      VARS,
    ),
    { text: '123E10234' },
  );
  const e1 = both('\n  {% for i in (1..nope) %}{{ i }}{% endfor %}', VARS);
  assert.ok('error' in e1 && /line 2, col \d+: undefined variable: nope$/.test(e1.error));
  const e2 = both('{% for i in (1..100000000) %}{{ i }}{% endfor %}', VARS);
  assert.ok('error' in e2 && /memory/.test(e2.error), JSON.stringify(e2));
  const e3 = both('{% for i in missing.list %}{% endfor %}', VARS);
  assert.ok('error' in e3 && /undefined variable: missing$/.test(e3.error), JSON.stringify(e3));
});

test('for: break and continue at every depth, nested loops, assign inside, errors inside', () => {
  assert.deepEqual(
    both(
      '{% for a in (1..3) %}{% for b in (1..3) %}{% if b == 2 %}{% continue %}{% endif %}{% if a == 2 %}{% break %}{% endif %}{{ a }}{{ b }},{% endfor %}{% if a == 3 %}{% break %}{% endif %}{{ forloop.index }}/{% endfor %}',
      VARS,
    ),
    { text: '11,13,1/2/31,33,' },
  );
  assert.deepEqual(
    both(
      '{% for x in list %}{% assign last = x %}{% unless forloop.last %}{% continue %}{% endunless %}[{{ x }}]{% endfor %}{{ last }}{% for x in list %}{% break %}{% else %}E{% endfor %}{{ x }}',
      { ...VARS, x: 'outer' },
    ),
    { text: '[z]zouter' },
  );
  both('{% for x in list %}{% break %}{% endfor %}{% for y in list %}{{ y }}{% endfor %}', VARS);
  both(
    '{% for it in items %}{% for s in it.sub %}{% for t in it.sub reversed %}{{ s }}{{ t }}{{ forloop.length }}{% endfor %}{% endfor %}{% endfor %}',
    VARS,
  );
  const e = both('{% for it in items %}\n   {{ it.sub | mac }}{% endfor %}', VARS);
  assert.ok('error' in e && /line 2, col 4: mac:/.test(e.error), JSON.stringify(e));
  const e2 = both(
    '{% for it in items %}{% if forloop.index == 3 %}{{ it.nope }}{% endif %}{% endfor %}',
    VARS,
  );
  assert.ok('error' in e2 && /undefined variable: it\.nope$/.test(e2.error), JSON.stringify(e2));
  // After an error the engine renders the next template cleanly (no scope left pushed).
  assert.deepEqual(both('{{ it }}{% for it in list %}{% endfor %}', { ...VARS, it: 'top' }), {
    text: 'top',
  });
});

test('case: every matching branch, or/comma lists, paths, drops, lists, else', () => {
  const vars = { ...VARS, other: ['x', 'y', 'z'], which: 'b' };
  for (const target of [...VALUES, 'items[1].name', 'missing', 'list', 'drop']) {
    both(
      `{% case ${target} %}{% when "abc" %}A{% when 1, "k" or 3 %}N{% when list %}L{% when nil %}Z{% when 3 %}D{% when blank %}B{% when which %}W{% when "abc" %}again{% else %}E{% endcase %}`,
      vars,
    );
  }
  assert.deepEqual(both('{% case text %}{% when "abc" %}1{% when "abc" %}2{% endcase %}', VARS), {
    text: '12',
  });
  assert.deepEqual(both('{% case list %}{% when other %}same{% else %}no{% endcase %}', vars), {
    text: 'same',
  });
  const e = both('{% case text %}{% when "abc" %}\n {{ nope }}{% endcase %}', VARS);
  assert.ok('error' in e && /line 2, col \d+: undefined variable: nope$/.test(e.error));
  both('{% case text %}{% when missing.deeper %}m{% else %}e{% endcase %}', VARS);
});

test('assign: filters, lenient values, the value kept as is (a Drop stays a Drop)', () => {
  assert.deepEqual(
    both(
      '{% assign a = text | upcase %}{% assign b = missing | default: "d" %}{% assign c = drop %}{% assign d = list %}{{ a }}{{ b }}{{ c }}{{ c.xq }}{{ d | join: "-" }}{% for x in (1..2) %}{% assign e = forloop.index %}{% endfor %}{{ e }}',
      VARS,
    ),
    { text: 'ABCd3m:xqx-y-z2' },
  );
  // assign is lenient under lenientIf (a missing value is nil); its filters are not.
  assert.deepEqual(both('\n{% assign a = nope %}[{{ a }}]', VARS), { text: '\n[]' });
  const e = both('\n{% assign a = text | mac %}', VARS);
  assert.ok('error' in e && /line 2, col \d+: mac: not a MAC address/.test(e.error));
});

test('include: a partial already parsed comes from the engine cache, not a new parser', () => {
  const path = join(dir, 'include-cached.liquid');
  writeFileSync(path, '{% include "partials/inner", a: one %}{% include "partials/inner", a: 2 %}');
  const engine = fast.engine as unknown as { _parsePartialFile: (...a: unknown[]) => unknown };
  const original = engine._parsePartialFile;
  let parses = 0;
  engine._parsePartialFile = function (this: unknown, ...args: unknown[]) {
    parses++;
    return original.apply(this, args);
  };
  try {
    assert.equal(fast.render(path, VARS), '(1)(2)');
    const first = parses;
    assert.ok(first <= 1, `parsed ${first} times`);
    assert.equal(fast.render(path, VARS), '(1)(2)');
    assert.equal(parses, first);
  } finally {
    engine._parsePartialFile = original;
  }
});

test('the render time limit still stops a long loop of text and plain outputs', () => {
  for (const chooser of [fast, reference]) {
    const options = chooser.engine.options as { renderLimit: number };
    const saved = options.renderLimit;
    options.renderLimit = 20;
    try {
      const path = join(dir, 'slow.liquid');
      // Two million iterations run for seconds; the 20 ms limit stops them (without it: no error).
      writeFileSync(path, '{% for i in (1..2000000) %}x{{ i }}{{ text }}{% endfor %}');
      assert.throws(
        () => chooser.render(path, VARS),
        (err: unknown) => /template render limit exceeded/.test(String(err)),
      );
    } finally {
      options.renderLimit = saved;
    }
  }
});
