/**
 * A YAML inventory above YAML_WHOLE_PARSE_CHARS through the spawned CLI: read a device at a
 * time, it must render the very files the example inventory renders parsed whole (the golden
 * set of render.test.ts), from a file and from stdin; and its problems are the one-line
 * messages of the small file, exit 1, nothing written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { YAML_WHOLE_PARSE_CHARS } from '../../src/render/inventory-yaml.js';

const example = readFileSync(join(ROOT, 'examples', 'inventory.yaml'), 'utf8');
/** Comment lines enough to take a text past the threshold. */
const padding = `${'# padding to read the inventory a device at a time\n'.repeat(
  Math.ceil(YAML_WHOLE_PARSE_CHARS / 50) + 1,
)}`;

function sameFiles(a: string, b: string): void {
  const names = readdirSync(a).sort();
  assert.deepEqual(names, readdirSync(b).sort());
  assert.ok(names.length > 0);
  for (const n of names) assert.ok(readFileSync(join(a, n)).equals(readFileSync(join(b, n))), n);
}

test('a YAML inventory above the threshold renders the golden files, from a file and from stdin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-yaml-stream-'));
  const big = padding + example;
  assert.ok(big.length > YAML_WHOLE_PARSE_CHARS);
  const file = join(dir, 'big.yaml');
  writeFileSync(file, big);
  const r = await runCli([
    'render',
    '-i',
    file,
    '--vars',
    'examples/site.yaml',
    '-o',
    join(dir, 'file'),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  sameFiles(join(dir, 'file'), join(ROOT, 'test', 'golden', 'render', 'yaml'));
  const s = await runCli(
    [
      'render',
      '-i',
      '-',
      '--inventory-format',
      'yaml',
      '--vars',
      'examples/site.yaml',
      '-o',
      join(dir, 'stdin'),
    ],
    { input: big },
  );
  assert.equal(s.code, 0, s.stderr);
  sameFiles(join(dir, 'stdin'), join(ROOT, 'test', 'golden', 'render', 'yaml'));
});

test('a large YAML inventory with mistakes: one line each, file and line, exit 1, nothing written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-yaml-stream-'));
  const lines = padding.split('\n').length - 1;
  const cases: [string, string, RegExp][] = [
    [
      'syntax',
      `${padding}- mac: 0056.2b04.3615\n  model: "8841\n`,
      new RegExp(
        `^cisco-prov: big\\.yaml: line ${lines + 3}, col 1: not valid YAML \\(missing closing "quote\\)$`,
      ),
    ],
    [
      'forbidden key',
      `${padding}- mac: 0056.2b04.3615\n  model: '8841'\n  __proto__: {x: 1}\n`,
      new RegExp(
        `^cisco-prov: big\\.yaml: line ${lines + 3}, col 3, field __proto__: "__proto__" is not allowed as a field name`,
      ),
    ],
    [
      'alias to another device',
      `${padding}- mac: 0056.2b04.3615\n  model: &m '8841'\n- mac: 0056.2b04.3616\n  model: *m\n`,
      new RegExp(
        `^cisco-prov: big\\.yaml: line ${lines + 4}, col 10: alias \\*m names an anchor outside its device`,
      ),
    ],
    [
      'duplicate MAC',
      `${padding}- mac: 0056.2b04.3615\n  model: '8841'\n- mac: 00:56:2B:04:36:15\n  model: '8841'\n`,
      new RegExp(
        `^cisco-prov: big\\.yaml: line ${lines + 3} \\(device 2\\), field mac: duplicate MAC 00562b043615 \\(also line ${lines + 1} \\(device 1\\)\\)$`,
      ),
    ],
  ];
  for (const [name, text, expected] of cases) {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, text);
    const out = join(dir, `out-${name.replace(/ /g, '-')}`);
    const r = await runCli(['render', '-i', 'big.yaml', '-o', out], { cwd: dir });
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    // One problem line; the CLI's hint ("nothing was written…") after it.
    const stderr = r.stderr.trim().split('\n');
    assert.ok(
      stderr.slice(1).every((l) => /^\s+hint: /.test(l)),
      `${name}: ${r.stderr}`,
    );
    assert.match(stderr[0]!, expected, name);
    assert.ok(!existsSync(out) || readdirSync(out).length === 0, `${name}: nothing written`);
  }
});
