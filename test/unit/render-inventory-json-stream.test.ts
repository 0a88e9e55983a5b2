/**
 * A JSON inventory read a device at a time (src/render/inventory-json.ts, above
 * JSON_WHOLE_PARSE_BYTES) must be the inventory JSON.parse gives: the same devices, defaults and
 * groups, and the same problems — wording, line and column — for every input, good or bad.
 * Differential: the same text through both paths (`jsonWholeParseMax` 0 and Infinity), over the
 * repository's example inventory, hand-written cases, generated inventories and corrupted ones,
 * and inventories past the threshold with their mistake at the end. Then the file source: read
 * again at each pass, and a file changed or replaced between passes stops the pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  assertSameBothWays as sameBothWays,
  outcome as readerOutcome,
  type Outcome,
} from '../helpers/inventory-differential.js';
import { parse as parseYaml } from 'yaml';
import {
  InventoryError,
  InventoryReader,
  JSON_WHOLE_PARSE_BYTES,
  formatInventoryProblem,
  type InventoryProblem,
} from '../../src/render/inventory.js';
import { jsonPositions, jsonTextSource } from '../../src/render/inventory-json.js';
import { isDomainError } from '../../src/domain-errors.js';

const outcome = (input: Parameters<typeof readerOutcome>[0], streamed: boolean): Outcome =>
  readerOutcome(input, 'json', streamed);
const assertSameBothWays = (text: string): Outcome => sameBothWays(text, 'json');

const DEVICE = (i: number, extra = ''): string =>
  `{"mac":"${(0x00562b000000 + i).toString(16).padStart(12, '0')}","model":"${['8841', 'ATA191', '7832'][i % 3]}","display_name":"User ${i} é😀","lines":[{"extension":"${2000 + i}","password":"sip-pw-${i}"}]${extra}}`;

test('the example inventory, as JSON, pretty and compact, as a list and as a map', () => {
  const example = parseYaml(
    readFileSync(new URL('../../examples/inventory.yaml', import.meta.url), 'utf8'),
  ) as { devices: unknown[] };
  for (const data of [example, example.devices]) {
    for (const text of [JSON.stringify(data), JSON.stringify(data, null, 2)]) {
      const o = assertSameBothWays(text);
      assert.ok('passes' in o && o.passes[0]!.devices.length > 3, 'devices were read');
      assert.deepEqual(assertSameBothWays(`\ufeff${text}`), o, 'a byte order mark changes nothing');
    }
  }
});

test('hand-written cases: shapes, duplicates, forbidden keys and syntax errors say the same', () => {
  const cases = [
    `[${DEVICE(1)},${DEVICE(2)}]`,
    `[${DEVICE(1)},${DEVICE(1)}]`,
    `[${DEVICE(1)},3,"x",null,[],${DEVICE(2)}]`,
    `[3]`,
    `[]`,
    `{}`,
    `{"devices":[]}`,
    `{"devices":5}`,
    `{"devices":{"a":${DEVICE(1)}}}`,
    `{"defaults":[],"devices":[${DEVICE(1)}]}`,
    `{"groups":{"a":1,"b":{"x":1}},"devices":[${DEVICE(1)}]}`,
    `{"devices":[${DEVICE(1, ',"group":"hq"')}],"groups":{"hq":{"sip":{"proxy":"p"}}},"defaults":{"a":1}}`,
    `{"devices":[${DEVICE(1)}],"extra":1,"2":3,"1":{"a":[1]},"devices":[${DEVICE(2)},${DEVICE(3)}]}`,
    `{"devices":[${DEVICE(1)}],"defaults":{"a":1},"defaults":{"b":2},"devices":7}`,
    `{"devices":[${DEVICE(1)}],"defaults":{"a":1},"defaults":{"b":2}}`,
    `"just a string"`,
    `42`,
    `null`,
    ``,
    `   \n  `,
    `[${DEVICE(1, ',"__proto__":{"polluted":1}')}]`,
    `[${DEVICE(1, ',"x":{"constructor":{"prototype":1}}')}]`,
    `[${DEVICE(1, ',"__proto__":{"constructor":1},"__proto__":2')}]`,
    `{"groups":{"__proto__":{"a":1}},"devices":[]}`,
    `{"__proto__":1,"devices":[]}`,
    `[${DEVICE(1)},\n${DEVICE(2)}\n`,
    `[${DEVICE(1)},]`,
    `[${DEVICE(1)}] [${DEVICE(2)}]`,
    `[${DEVICE(1)}]x`,
    `[{"mac" "00562b000001"}]`,
    `[{"mac":"00562b000001",}]`,
    `[{"mac":tru}]`,
    `[{"mac":"a\nb"}]`,
    `[{"mac":"\\x"}]`,
    `[{"mac":01}]`,
    `[\n  {"é😀": "ü", "mac": -}\n]`,
    `[{"mac":"00562b000001","model":"8841","n":1e400,"m":-0,"u":"\\ud800\\udc00"}]`,
  ];
  for (const text of cases) assertSameBothWays(text);
  // What the whole path said before it asked the streaming reader where a problem is.
  const [bad] = (
    outcome(`[${DEVICE(1, ',"__proto__":{"polluted":1}')}]`, false) as {
      error: string[];
    }
  ).error;
  assert.match(bad!, /^inv\.json: line 1, col \d+, field __proto__: "__proto__" is not allowed/);
  assert.deepEqual((outcome('[{', true) as { error: string[] }).error, [
    'inv.json: line 1, col 3: not valid JSON (unexpected end of input)',
  ]);
});

test('a key given twice in one map is refused both ways, naming the key and both places, never a value', () => {
  const SECRET = 'Dup-Secret-Value';
  const cases: [string, string[]][] = [
    [
      `[{"mac":"00562b000001","model":"8841","sip_password":"${SECRET}1",\n "sip_password":"${SECRET}2"}]`,
      [
        'inv.json: line 2, col 2, field sip_password: "sip_password" is given twice in one map (first at line 1, col 39): JSON would silently keep the last; give it once',
      ],
    ],
    [
      // Whitespace before the colon, and a MAC given twice (the second would configure another phone).
      `[{"mac" : "00562b000001", "model" : "8841", "mac" : "00562b000002"}]`,
      [
        'inv.json: line 1, col 45, field mac: "mac" is given twice in one map (first at line 1, col 3): JSON would silently keep the last; give it once',
      ],
    ],
    [
      // The same key spelt with an escape is the same key to JSON.parse.
      `[{"mac":"00562b000001","model":"8841","m\\u0061c":"00562b000002"}]`,
      [
        'inv.json: line 1, col 39, field mac: "mac" is given twice in one map (first at line 1, col 3): JSON would silently keep the last; give it once',
      ],
    ],
    [
      `{"defaults":{"a":1,"a":2},"groups":{"hq":{"x":1}},"groups":{},"devices":[{"mac":"00562b000001","model":"8841","lines":[{"e":"1","e":"2"}]}]}`,
      [
        'inv.json: line 1, col 20, field defaults.a: "a" is given twice in one map (first at line 1, col 14): JSON would silently keep the last; give it once',
        'inv.json: line 1, col 51, field groups: "groups" is given twice in one map (first at line 1, col 27): JSON would silently keep the last; give it once',
        'inv.json: line 1, col 129, field lines.1.e: "e" is given twice in one map (first at line 1, col 121): JSON would silently keep the last; give it once',
      ],
    ],
  ];
  // A map of more keys than are searched in order (MANY_KEYS): the duplicate is found as well.
  const many = Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(',');
  cases.push([
    `{"defaults":{${many},"k3":0},"devices":[]}`,
    [
      `inv.json: line 1, col ${14 + many.length + 1}, field defaults.k3: "k3" is given twice in one map (first at line 1, col ${14 + many.indexOf('"k3"')}): JSON would silently keep the last; give it once`,
    ],
  ]);
  for (const [text, expected] of cases) {
    const o = assertSameBothWays(text);
    assert.deepEqual(o, { error: expected }, text);
    assert.doesNotMatch(JSON.stringify(o), new RegExp(SECRET));
  }
  // Not a duplicate: the same key in two maps, and a value that holds `":`.
  for (const text of [
    `[{"mac":"00562b000001","model":"8841","x":"a\\":b"},{"mac":"00562b000002","model":"8841"}]`,
    `[{"mac":"00562b000001","model":"8841","lines":[{"e":"1"},{"e":"2"}]}]`,
  ]) {
    const o = assertSameBothWays(text);
    assert.ok('passes' in o && o.passes[0]!.devices.length >= 1, text);
  }
});

// ---- generated inventories, and the same with a mistake typed into them ----

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString'];
const key = fc.oneof(
  fc.constantFrom('mac', 'model', 'serial', 'group', 'template', 'display_name', 'lines', '1'),
  fc.constantFrom(...HOSTILE_KEYS),
  fc.string({ maxLength: 6, unit: 'grapheme' }),
);
const scalar = fc.oneof(
  fc.constantFrom('00562b043615', '0056.2b04.3616', '8841', 'ATA191', 'FCH2443D9R5', 'hq', ''),
  fc.string({ maxLength: 10, unit: 'grapheme' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }),
  ),
}));
/** A JSON text of a value, with maps written as key lists (duplicates and `__proto__` kept). */
function toJson(v: unknown, indent: string | undefined, depth = 0): string {
  const nl = indent === undefined ? '' : `\n${indent.repeat(depth + 1)}`;
  const end = indent === undefined ? '' : `\n${indent.repeat(depth)}`;
  if (
    Array.isArray(v) &&
    v.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string') &&
    v.length > 0
  ) {
    return `{${v.map(([k, x]) => `${nl}${JSON.stringify(k)}:${indent ? ' ' : ''}${toJson(x, indent, depth + 1)}`).join(',')}${end}}`;
  }
  if (Array.isArray(v))
    return `[${v.map((x) => `${nl}${toJson(x, indent, depth + 1)}`).join(',')}${v.length ? end : ''}]`;
  return JSON.stringify(v) ?? 'null';
}
const device = fc
  .tuple(
    fc.nat({ max: 20 }),
    fc.constantFrom('8841', 'ATA191', 'CP-7832-3PCC', 'nope'),
    fc.array(fc.tuple(key, value), { maxLength: 3 }),
  )
  .map(([n, model, rest]) => [
    ['mac', (0x00562b000000 + n).toString(16).padStart(12, '0')],
    ['model', model],
    ...rest,
  ]);
const inventoryValue = fc.oneof(
  fc.array(fc.oneof({ weight: 5, arbitrary: device }, { weight: 1, arbitrary: value }), {
    maxLength: 6,
  }),
  fc
    .tuple(
      fc.array(fc.oneof(device, value), { maxLength: 5 }),
      fc.array(fc.tuple(fc.constantFrom('defaults', 'groups', 'extra', 'devices'), value), {
        maxLength: 3,
      }),
      fc.nat({ max: 3 }),
    )
    .map(([devices, others, at]) => {
      const entries: unknown[] = [...others];
      entries.splice(Math.min(at, entries.length), 0, ['devices', devices]);
      return entries;
    }),
  value,
);
const inventoryText = fc
  .tuple(inventoryValue, fc.constantFrom(undefined, '  ', '\t'), fc.boolean())
  .map(([v, indent, bom]) => (bom ? '\ufeff' : '') + toJson(v, indent));

test('generated inventories: both paths give the same devices, defaults, groups and problems', () => {
  fc.assert(
    fc.property(inventoryText, (text) => {
      assertSameBothWays(text);
    }),
    { numRuns: 600 },
  );
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

test('generated inventories with a mistake typed in anywhere: the same problem, line and column', () => {
  fc.assert(
    fc.property(
      inventoryText,
      fc.nat(),
      fc.nat({ max: 3 }),
      fc.constantFrom(
        '',
        ',',
        '}',
        ']',
        '{',
        '[',
        '"',
        ':',
        '\n',
        'x',
        '\u0000',
        '\\',
        '"__proto__":1,',
      ),
      (text, at, drop, insert) => {
        const i = at % (text.length + 1);
        const typed = text.slice(0, i) + insert + text.slice(i + drop);
        // Half a surrogate pair cannot be UTF-8 (no file read as UTF-8 has one).
        fc.pre(!LONE_SURROGATE.test(typed));
        assertSameBothWays(typed);
      },
    ),
    { numRuns: 800 },
  );
});

// ---- past the threshold: the default options stream, and say what the whole parse says ----

/** `{ defaults, devices }`, a device a line, each padded with a 300-character note. */
function bigInventory(count: number, last = ''): string {
  const devices: string[] = [];
  const note = `,"notes":"${'n'.repeat(300)}"`;
  for (let i = 0; i < count; i++) {
    devices.push(`  ${DEVICE(i, note + (i === count - 1 ? last : ''))}`);
  }
  return `{\n "defaults": {"voice_mail_number": "*97"},\n "devices": [\n${devices.join(',\n')}\n ]\n}\n`;
}

/** The text with its last device's model replaced. */
function withLastModel(text: string, model: string): string {
  const at = text.lastIndexOf('"model":"') + '"model":"'.length;
  return `${text.slice(0, at)}${model}${text.slice(text.indexOf('"', at))}`;
}

/** The first pass of a reader with the default threshold or parsing whole: its error or counts. */
function firstPass(text: string, whole: boolean): unknown {
  try {
    const reader = new InventoryReader(text, 'inv.json', 'json', {
      ...(whole ? { jsonWholeParseMax: Infinity } : {}),
    });
    const problems: InventoryProblem[] = [];
    const devices = [...reader.devices(problems)];
    return { devices: devices.length, problems: problems.map(formatInventoryProblem) };
  } catch (err) {
    assert.ok(err instanceof InventoryError);
    return { error: err.problems.map(formatInventoryProblem) };
  }
}

test('past JSON_WHOLE_PARSE_BYTES: a mistake at the end is found by the same line and column', () => {
  const count = Math.ceil(JSON_WHOLE_PARSE_BYTES / 400) + 500;
  const clean = bigInventory(count);
  assert.ok(clean.length > JSON_WHOLE_PARSE_BYTES, `${clean.length} characters`);
  const lines = clean.split('\n').length;
  const cases: [string, RegExp][] = [
    [clean, /^$/],
    [
      bigInventory(count, ',"__proto__":{"polluted":1}'),
      new RegExp(
        `^inv\\.json: line ${lines - 3}, col \\d+, field __proto__: "__proto__" is not allowed`,
      ),
    ],
    [
      withLastModel(clean, 'no-such-model'),
      new RegExp(`^inv\\.json: device ${count}, field model: unknown model`),
    ],
    [
      bigInventory(count, ',"model":"no-such-model"'),
      new RegExp(
        `^inv\\.json: line ${lines - 3}, col \\d+, field model: "model" is given twice in one map \\(first at line ${lines - 3}, col \\d+\\)`,
      ),
    ],
    [
      `${clean.slice(0, -6)},${clean.slice(-6)}`,
      new RegExp(`^inv\\.json: line ${lines - 2}, col 2: not valid JSON \\(unexpected '\\]'\\)`),
    ],
    [
      clean.slice(0, -3),
      new RegExp(
        `^inv\\.json: line ${lines - 2}, col 3: not valid JSON \\(unexpected end of input\\)`,
      ),
    ],
  ];
  for (const [text, pattern] of cases) {
    const streamed = firstPass(text, false) as {
      error?: string[];
      problems?: string[];
      devices?: number;
    };
    assert.deepEqual(streamed, firstPass(text, true));
    const first = streamed.error?.[0] ?? streamed.problems?.[0] ?? '';
    assert.match(first, pattern);
    if (pattern.source === '^$') assert.equal(streamed.devices, count);
  }
});

test("syntax errors are placed at the offending character, where V8's JSON.parse says (the library's messages, read for their position)", () => {
  // [text, index of the offending character in the text without its byte order mark]
  const cases: [string, number][] = [
    ['[1, x]', 4],
    ['[tru]', 4],
    ['[1.]', 3],
    ['[-]', 2],
    ['[1e]', 3],
    ['["a\u0001"]', 3],
    ['["\\x"]', 3],
    ['[1 2]', 3],
    ['{"a" 1}', 5],
    ['{"a":1,}', 7],
    ['[1] [2]', 4],
    ['[1]x', 3],
    ['\n\n  [\n  {"mac": "é😀", "b": ?}]', 28],
    ['\ufeff[1, x]', 4],
    ['\ufeff\n[1, x]', 5],
    ['[\ufeff1]', 1],
    ['{\ufeff"a": 1}', 1],
    ['\n\ufeff[]', 1],
    ['[1,\ufeff2]', 3],
  ];
  for (const [text, index] of cases) {
    const source = text.replace(/^\ufeff/, '');
    assert.throws(() => JSON.parse(source), JSON.stringify(text));
    try {
      JSON.parse(source);
    } catch (err) {
      const v8 = /at position (\d+)/.exec((err as Error).message)?.[1];
      if (v8 !== undefined) assert.equal(Number(v8), index, `V8 agrees on ${JSON.stringify(text)}`);
    }
    const before = source.slice(0, index);
    const where = `line ${before.split('\n').length}, col ${index - before.lastIndexOf('\n')}`;
    for (const streamed of [false, true]) {
      const o = outcome(text, streamed);
      assert.ok('error' in o, JSON.stringify(text));
      assert.match(
        o.error[0]!,
        new RegExp(`^inv\\.json: ${where}: not valid JSON`),
        JSON.stringify(text),
      );
    }
  }
  // A byte order mark inside a string is a character like any other.
  assert.ok('passes' in outcome(`[{"mac":"00562b000001","model":"8841","n":"\ufeff"}]`, true));
});

test('jsonPositions: lines count newlines, columns count UTF-16 units, a byte order mark is not a column', () => {
  const text = '\ufeff[\n  "é😀", x\n]';
  const bytes = Buffer.from(text.slice(1), 'utf8');
  const x = bytes.indexOf('x');
  for (const size of [1, 2, 3, 5, 64]) {
    assert.deepEqual(jsonPositions(jsonTextSource(text, size), [x, 0, bytes.length, 2]), [
      'line 2, col 10',
      'line 1, col 1',
      'line 3, col 2',
      'line 2, col 1',
    ]);
  }
});

// ---- the file source: read again at each pass, and checked to be the same file ----

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cisco-prov-json-stream-'));
}

test('a JSON file read at each pass, or bytes in memory, give what the text gives', () => {
  const dir = tempDir();
  try {
    const text = bigInventory(3000);
    const path = join(dir, 'inv.json');
    writeFileSync(path, text);
    assert.deepEqual(outcome({ path }, true), outcome(text, false));
    // stdin's bytes, streamed or decoded, give the same
    assert.deepEqual(outcome(Buffer.from(`\ufeff${text}`), true), outcome(text, false));
    assert.deepEqual(outcome(Buffer.from(text), false), outcome(text, false));
    writeFileSync(path, `${text.slice(0, -5)}x${text.slice(-5)}`);
    assert.deepEqual(outcome({ path }, true), outcome(readFileSync(path, 'utf8'), false));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The devices of a second pass, and how it ended. */
function secondPass(path: string, change: () => void): { devices: number; error?: string } {
  const reader = new InventoryReader({ path }, 'inv.json');
  const first = [...reader.devices([])].length;
  assert.equal(first, 3000);
  change();
  let devices = 0;
  try {
    for (const _ of reader.devices([])) devices++;
    return { devices };
  } catch (err) {
    assert.ok(isDomainError(err), String(err));
    return { devices, error: `${err.kind} ${err.code}: ${err.message}` };
  }
}

test('a JSON file changed or replaced between passes stops the pass before a changed device', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'inv.json');
    const text = bigInventory(3000);
    const write = (): void => writeFileSync(path, text);
    write();
    assert.deepEqual(
      secondPass(path, () => {}),
      { devices: 3000 },
    );

    // One digit of the last device's MAC, changed in place (same size): the devices before its
    // block still come, none after.
    const at = text.lastIndexOf('"mac":"') + 18;
    const edited = `${text.slice(0, at)}${text[at] === '9' ? '8' : '9'}${text.slice(at + 1)}`;
    write();
    const inPlace = secondPass(path, () => writeFileSync(path, edited));
    assert.match(inPlace.error ?? '', /^io inventory-changed: inv\.json: the file changed while/);
    assert.ok(inPlace.devices > 2000 && inPlace.devices < 3000, `${inPlace.devices} devices`);

    write();
    const replaced = secondPass(path, () => {
      writeFileSync(join(dir, 'new.json'), text);
      renameSync(join(dir, 'new.json'), path);
    });
    assert.equal(replaced.devices, 0, 'another file: not a device from it');
    assert.match(replaced.error ?? '', /inventory-changed/);

    write();
    const longer = secondPass(path, () => writeFileSync(path, `${text}\n`, { flag: 'a' }));
    assert.match(longer.error ?? '', /inventory-changed/);

    write();
    const gone = secondPass(path, () => rmSync(path));
    assert.match(
      gone.error ?? '',
      /^io read-failed: cannot read inventory inv\.json: no such file/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
