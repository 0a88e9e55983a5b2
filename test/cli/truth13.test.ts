// The README and the bundled docs held to what they cite and to what the tool does (truth13): a
// figure quoted from a section of bench/RESULTS*.md is in that section, and templates/README.md's
// built-in variables are the ones `render --explain` shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_EXIT_CODES } from '../../src/cli.js';
import { README } from '../helpers/readme.js';
import { ROOT, runCli, runCliShared } from '../helpers/run-cli.js';

/** The lines of a Markdown file's section: its heading to the next heading of its level or above. */
function section(text: string, isHeading: (heading: string) => boolean): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && isHeading(l.replace(/^#+ /, '')));
  if (start === -1) return undefined;
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex(
    (l, i) => i > start && /^#{1,6} /.test(l) && /^#+/.exec(l)![0].length <= level,
  );
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

// A citation of a section: `bench/RESULTS….md`, "<heading's start>" or `bench/RESULTS….md`, the
// section of <date> <from>–<to> (a heading naming that date and span). The figures it vouches for
// are the ratios (×) and milliseconds quoted between the sentence's start (or the citation before
// it) and the citation; each must be in the section cited, so a section renamed or a newer run
// quoted under an older heading shows.
const CITATION =
  /`(bench\/RESULTS[\w-]*\.md)`,\s+(?:"([^"]+)"|the\s+section\s+of\s+(\d{4}-\d\d-\d\d)\s+(\d\d:\d\d)–(\d\d:\d\d))/g;
const FIGURE = /\d[\d,]*(?:\.\d+)?(?:×| ms\b)/g;

test('each figure the README quotes from a named section of bench/RESULTS*.md is in that section', () => {
  const text = README.replace(/\s+/g, ' ');
  const boundaries = [...text.matchAll(/bench\/RESULTS/g)].map((m) => m.index);
  const checked: string[] = [];
  const wrong: string[] = [];
  for (const m of text.matchAll(CITATION)) {
    const [cite, file, name, date, from, to] = m;
    const before = boundaries.filter((b) => b < m.index - 1).pop() ?? 0;
    const sentence = Math.max(text.lastIndexOf('. ', m.index), text.lastIndexOf('# ', m.index));
    const span = text.slice(Math.max(before, sentence), m.index);
    const results = readFileSync(join(ROOT, file!), 'utf8');
    const cited = section(results, (h) =>
      name !== undefined
        ? h.startsWith(name) || h.startsWith(name.replace(/\)$/, '')) // "Targets (history)"
        : h.includes(`${date}, ${from}–${to}`) || h.includes(`${date} ${from}–${to}`),
    );
    if (cited === undefined) {
      wrong.push(`${cite}: no such section`);
      continue;
    }
    const plain = cited.replace(/\*\*/g, '');
    for (const figure of span.match(FIGURE) ?? []) {
      checked.push(`${figure} (${cite})`);
      if (!plain.includes(figure)) wrong.push(`${figure} is not in ${cite}: …${span}`);
    }
  }
  assert.deepEqual(wrong, []);
  // The citations fixed in this round are among those checked (the test checks something).
  for (const figure of ['28.8×', '829 ms', '1.16×', '21.4×', '26.0×'])
    assert.ok(
      checked.some((c) => c.startsWith(`${figure} `)),
      `${figure}: ${checked.join(', ')}`,
    );
});

test("templates/README.md's built-in variables are the model's, as render --explain --json shows them", async () => {
  const doc = readFileSync(join(ROOT, 'templates/README.md'), 'utf8');
  const table = section(doc, (h) => h.startsWith('Built-in'))!;
  const rows = [...table.matchAll(/^\| `(\w+)` \| `([^`]*)` \|/gm)].map(
    (r) => [r[1]!, r[2]!] as const,
  );
  assert.ok(rows.length >= 9, table);
  // The table's examples are one model's: the 8841 (model, product_name and psn say so).
  assert.deepEqual(
    rows.find(([name]) => name === 'model'),
    ['model', '8841'],
  );
  const run = await runCli(
    ['render', '-i', 'examples/inventory.csv', '--explain', '0056.2b04.3615', '--json'],
    { cwd: ROOT },
  );
  assert.equal(run.code, 0, run.stderr);
  const explain = JSON.parse(run.stdout) as { variables: { path: string; value: unknown }[] };
  // …and its document has the fields README's render section lists for --explain --json.
  const shape = /prints one document instead: `\{ (.+?), variables: \[\{ (.+?) \}\] \}`/.exec(
    README.replace(/\s+/g, ' '),
  );
  assert.ok(shape, 'README shows the --explain --json shape');
  assert.deepEqual(Object.keys(explain), [...shape[1]!.split(', '), 'variables']);
  for (const v of explain.variables) assert.deepEqual(Object.keys(v), shape[2]!.split(', '));
  const values = new Map(explain.variables.map((v) => [v.path, String(v.value)]));
  for (const [name, example] of rows) assert.equal(values.get(name), example, name);
});

// README's "Compatibility choices" promises that each [open] choice is an option whose --help
// says so; the other way round, every option whose --help marks an [open] choice is in that
// table, by its own name or by the fact it shares with one there.
const SAME_FACT: Record<string, string> = {
  '--ikm': 'hex:', // how the phone reads IKM text
  '--encoding': 'hex:',
  '--encrypt': '--rs', // render/serve: aes128gcm rs and keyid fixed
  '--name': '$PSN',
  '--model': '$PSN',
  '--bootstrap-template': '$PSN',
};

test('every option whose --help marks an [open] choice is in the README\'s "Compatibility choices"', async () => {
  const table = section(README, (h) => h === 'Compatibility choices')!;
  const rows = table.split('\n').filter((l) => l.startsWith('| '));
  const commands = Object.keys(COMMAND_EXIT_CODES);
  const missing: string[] = [];
  let open = 0;
  // The helps in parallel (the same CPU, less wall time on a loaded box).
  const helps = await Promise.all(commands.map((c) => runCliShared([...c.split(' '), '--help'])));
  for (const [i, command] of commands.entries()) {
    const help = helps[i]!.stdout;
    const options = (help.split('\nOptions:\n')[1]?.split('\n\n')[0] ?? '').split(/\n(?= {2}-)/);
    for (const option of options) {
      if (!option.includes('[open')) continue;
      open++;
      const flag = /--[a-z-]+/.exec(option)![0];
      const named = SAME_FACT[flag] ?? flag;
      const inRow = new RegExp(`(^|[\\s\`])${named.replace(/\$/g, '\\$')}(?![\\w-])`);
      if (!rows.some((row) => inRow.test(row))) missing.push(`${command} ${flag}`);
    }
  }
  assert.ok(open >= 30, `${open} [open] options`);
  assert.deepEqual(missing, []);
});

// README, "Exit codes": an empty path option is exit 2 before anything is read. `--vars ''` (a
// script's "$VARS" unset) named the working directory and failed after the inventory was read,
// exit 3, `cannot read --vars is a directory`.
test('an empty --vars is a usage error (exit 2) naming --vars, in render and drift', async () => {
  for (const args of [
    ['render', '-i', 'examples/inventory.csv', '--device', '0056.2b04.3615', '--vars', ''],
    [
      'drift',
      '--reports',
      'test/fixtures/drift/reports',
      '-i',
      'examples/inventory.csv',
      '--vars',
      '',
    ],
  ]) {
    const run = await runCli(args, { cwd: ROOT });
    assert.equal(run.code, 2, `${args[0]}: ${run.stderr}`);
    assert.match(run.stderr, /^cisco-prov: --vars is empty: give a path\n/, args[0]);
    assert.equal(run.stdout, '', args[0]);
  }
});

// README, "Get started": what a first user sees after the round trip — validate exits 0 with the
// plaintext-secret warnings the README names — and why render made the profile 0600.
test('Get started: the round trip warns of the passwords the README names; the profile is 0600', async () => {
  const said = /exits 0 there with two `plaintext-secret` warnings \(`(\w+)`, `(\w+)`\)/.exec(
    README.replace(/\s+/g, ' '),
  );
  assert.ok(said, 'README names the warnings');
  const dir = mkdtempSync(join(tmpdir(), 'cp-truth13-'));
  try {
    const out = join(dir, 'out');
    const render = await runCli(
      ['render', '-i', 'examples/inventory.csv', '--device', '0056.2b04.3615', '--out', out],
      { cwd: ROOT },
    );
    assert.equal(render.code, 0, render.stderr);
    const file = join(out, '00562b043615.xml');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const validate = await runCli(['validate', '-'], { input: readFileSync(file) });
    assert.equal(validate.code, 0, validate.stderr);
    const warned = [
      ...validate.stdout.matchAll(/warning {2}(\w+) holds a secret.*plaintext-secret/g),
    ];
    assert.deepEqual(
      warned.map((w) => w[1]),
      [said[1], said[2]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
