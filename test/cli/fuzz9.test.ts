// Regression tests for what the fuzz drivers (test/fuzz/) found, each with its minimised input,
// through the built CLI (and the core where the CLI cannot show it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseClfTime } from '../../src/device/access-log.js';
import { InventoryError, parseInventory } from '../../src/render/inventory.js';
import { parseVarsFile } from '../../src/render/variables.js';
import { runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-fuzz9-');

/** Stderr of a clean failure: every line a message or a hint, no stack frame. */
function assertCleanStderr(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, stderr);
  assert.doesNotMatch(
    stderr,
    /unexpected failure|RangeError|Maximum call stack|SECURITY|Pi Tag|Maximum nested/i,
    stderr,
  );
}

// `{ a: b: b: b: …` — a few thousand implicit keys in one flow map (12 KB on one line) — makes
// the yaml library's parser (not its composer, which reports an overflow as a document error)
// throw RangeError out of parseDocument: render said "unexpected failure: Maximum call stack
// size exceeded" and exited 3.
const DEEP_FLOW = `{ password: ${'b: '.repeat(6000)}}`;

test('render: a YAML inventory, vars file or streamed inventory whose parser overflows the stack is a clean exit 1', async () => {
  const root = dir.fresh('yaml-overflow');
  const inventory = join(root, 'inv.yaml');
  writeFileSync(
    inventory,
    `devices:\n  - mac: 00562b043615\n    model: 8841\n    lines: ${DEEP_FLOW}\n`,
  );
  const vars = join(root, 'site.yaml');
  writeFileSync(vars, `sip: ${DEEP_FLOW}\n`);
  // Above 1 MiB a YAML inventory is read a device at a time (another parser loop).
  const big = join(root, 'big.yaml');
  let devices = '';
  for (let i = 0; i < 24_000; i++) {
    devices += `  - mac: 0056${i.toString(16).padStart(8, '0')}\n    model: "8841"\n`;
  }
  writeFileSync(big, `devices:\n${devices}  - mac: 00562bffffff\n    lines: ${DEEP_FLOW}\n`);
  const cases: [string[], string, string][] = [
    [['render', '-i', inventory], inventory, 'not valid YAML (nested too deeply)'],
    [
      ['render', '-i', 'examples/inventory.csv', '--vars', vars, '-d', '00562b043615'],
      vars,
      'not valid YAML or JSON (nested too deeply)',
    ],
    [['render', '-i', big, '-o', join(root, 'out')], big, 'not valid YAML (nested too deeply)'],
  ];
  for (const [args, file, message] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 1, run.stderr);
    assertCleanStderr(run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`^cisco-prov: ${file}: file: ${message.replace(/[()]/g, '\\$&')}$`, 'm'),
    );
  }
  // The core, as a library user calls it: typed errors, not a RangeError.
  assert.throws(
    () =>
      parseInventory(`devices:\n  - mac: 00562b043615\n    x: ${DEEP_FLOW}\n`, 'i.yaml', 'yaml'),
    InventoryError,
  );
  const problems = parseVarsFile(`x: ${DEEP_FLOW}\n`, 'v.yaml');
  assert.ok(Array.isArray(problems));
});

// fast-xml-parser, behind diff, convert, drift and fetch, after the scanner accepted the text:
// a processing instruction with a lone quote failed ("Pi Tag is not closed."), `__proto__`,
// `constructor` or `prototype` as a name threw its "[SECURITY] Invalid name", 101 nested
// elements "Maximum nested tags exceeded" — each "unexpected failure", exit 3 — and
// `<toString>`, `<hasOwnProperty>`… came out renamed `__toString`, `__hasOwnProperty`.
test('convert and diff: a PI with a quote reads; reserved names and deep nesting are one clean line, exit 1 (2 for diff)', async () => {
  const root = dir.fresh('fxp');
  const write = (name: string, text: string): string => {
    const path = join(root, name);
    writeFileSync(path, text);
    return path;
  };
  const pi = write(
    'pi.xml',
    `<?xml version="1.0"?>\n<?editor don't touch?>\n<flat-profile>\n` +
      `  <Station_Name ua="na">Lobby<?x "?></Station_Name>\n</flat-profile>\n`,
  );
  let run = await runCli(['convert', pi, '--to', 'json']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { Station_Name: { value: 'Lobby', ua: 'na' } });

  const names = write(
    'names.xml',
    '<flat-profile><toString ua="na">1</toString><hasOwnProperty>2</hasOwnProperty></flat-profile>',
  );
  run = await runCli(['convert', names, '--to', 'json']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(Object.keys(JSON.parse(run.stdout)), ['toString', 'hasOwnProperty']);

  const cases: [string, RegExp][] = [
    [
      '<flat-profile><__proto__>1</__proto__></flat-profile>',
      /: the name __proto__ \(an element or attribute\) cannot be read: it is reserved in JavaScript$/m,
    ],
    [
      '<flat-profile><Station_Name constructor="x">1</Station_Name></flat-profile>',
      /: the name constructor \(an element or attribute\) cannot be read/m,
    ],
    [
      `<flat-profile>${'<a>'.repeat(101)}${'</a>'.repeat(101)}</flat-profile>`,
      /: elements are nested more than 100 deep$/m,
    ],
  ];
  for (const [i, [text, message]] of cases.entries()) {
    const file = write(`case-${i}.xml`, text);
    for (const [args, code] of [
      [['convert', file, '--to', 'json'], 1],
      [['diff', file, pi], 2],
    ] as const) {
      run = await runCli(args);
      assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
      assertCleanStderr(run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
  }
});

// A CLF time whose year is not four digits (`2\x7f26`, a byte flipped) passed the shape checks
// and came back NaN, not null: `inspect --log` then failed "unexpected failure: Invalid time
// value" (exit 3) when it printed the phone's first-seen time.
test('inspect --log and fleet: a time whose year is not digits is no time, not a crash', async () => {
  const root = dir.fresh('clf-year');
  const log = join(root, 'access.log');
  writeFileSync(
    log,
    '10.0.0.8 - - [25/Nov/2\x7f26:09:25:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 10 "-" ' +
      '"Cisco/CP-8841-3PCC-11.3.7 (00562b043615)"\n',
  );
  assert.equal(parseClfTime('25/Nov/2\x7f26:09:25:00 +0000'), null);
  assert.equal(parseClfTime('25/Nov/2x26:09:25:00 +0000'), null);
  for (const args of [
    ['inspect', '--log', log],
    ['inspect', '--log', log, '--json'],
    ['fleet', '--log', log, '-o', join(root, 'fleet.html')],
  ]) {
    const run = await runCli(args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    assertCleanStderr(run.stderr);
  }
  const json = JSON.parse((await runCli(['inspect', '--log', log, '--json'])).stdout) as {
    phones: { firstSeen: string | null }[];
  };
  assert.equal(json.phones[0]?.firstSeen, null);
});

// yaml's parse() hands a document's warnings to process.emitWarning, which Node prints on stderr
// with the line they are on: an unresolved tag before a password put the password on stderr of
// diff (which masks secrets) and convert, in a five-line "(node:…) YAMLWarning" block.
test('diff and convert: a YAML warning is one line without the text, never the value it is on', async () => {
  const root = dir.fresh('yaml-warning');
  const secret = 'Pl4nted-Adm1n-Secret';
  const file = join(root, 'p.yaml');
  writeFileSync(file, `Admin_Passwd: !pw ${secret}\nStation_Name: Lobby\n`);
  for (const args of [
    ['diff', file, file],
    ['convert', file, '--to', 'xml'],
  ]) {
    const run = await runCli(args);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.stderr.includes(secret), run.stderr);
    assert.doesNotMatch(run.stderr, /YAMLWarning|\(node:\d+\)/);
    assert.match(run.stderr, /p\.yaml: line 1, col 15: Unresolved tag: !pw$/m);
  }
});

// A YAML key that is a collection (`? { admin_password: s3cret } : x`) made the yaml library
// warn through process.emitWarning when it built the object: Node printed "Warning: Keys with
// collection values will be stringified …" with the key's text — a password — on stderr of
// render (inventory, --vars, the streamed reader above 1 MiB) and convert.
test('render and convert: a collection as a YAML key prints no Node warning with its text', async () => {
  const root = dir.fresh('yaml-collection-key');
  const secret = 'Pl4nted-Adm1n-Secret';
  const key = `  ? { admin_password: ${secret} }\n  : x\n`;
  const inventory = join(root, 'inv.yaml');
  writeFileSync(
    inventory,
    `defaults:\n${key}devices:\n  - mac: 00562b043615\n    model: 8841\n    lines: [{ extension: "201" }]\n`,
  );
  const vars = join(root, 'site.yaml');
  writeFileSync(vars, `sip:\n${key}`);
  const big = join(root, 'big.yaml');
  let devices = '';
  for (let i = 0; i < 20_000; i++) {
    devices += `  - mac: 0056${i.toString(16).padStart(8, '0')}\n    model: "8841"\n`;
  }
  writeFileSync(
    big,
    `devices:\n${devices}  - mac: 00562bffffff\n    model: "8841"\n    x:\n  ${key.replace(/\n {2}/g, '\n    ')}`,
  );
  const profile = join(root, 'p.yaml');
  writeFileSync(profile, `Station_Name:\n${key}`);
  for (const args of [
    ['render', '-i', inventory, '-d', '00562b043615'],
    ['render', '-i', 'examples/inventory.csv', '--vars', vars, '-d', '00562b043615'],
    ['render', '-i', big, '--dry-run'],
    ['convert', profile, '--to', 'json'],
  ]) {
    const run = await runCli(args);
    assert.ok(run.code !== null && run.code <= 3, `${args.join(' ')}: ${run.stderr}`);
    assert.doesNotMatch(
      run.stderr,
      /Warning: Keys with collection values|\(node:\d+\)/,
      run.stderr,
    );
    if (args[0] === 'render') assert.ok(!run.stderr.includes(secret), run.stderr);
  }
});
