/**
 * A JSON inventory above JSON_WHOLE_PARSE_BYTES through the spawned CLI: read a device at a time
 * (from the file, or from stdin's text), it renders what the same device renders from a small
 * inventory, and its mistakes — at the end of a 9 MB file — are one line naming the line and
 * column (or the device), exit 1, nothing written. `groups` comes after `devices`, as `jq -S`
 * writes it: the scan reads it before any device is checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { assertOneLineError, workDir } from '../helpers/hostile.js';
import { JSON_WHOLE_PARSE_BYTES } from '../../src/render/inventory.js';

const TEMPLATE =
  '<flat-profile>\n  <Station_Name ua="na">{{ display_name }}/{{ floor }}/{{ vm }}</Station_Name>\n</flat-profile>\n';

const macOf = (i: number): string => (0x00562b000000 + i).toString(16).padStart(12, '0');

function device(i: number, extra = ''): string {
  return `    {"display_name": "User ${i}", "group": "${i % 2 ? 'hq' : 'lab'}", "mac": "${macOf(i)}", "model": "8841", "notes": "${'n'.repeat(400)}"${extra}}`;
}

/** `{ defaults, devices, groups }` (sorted keys) with `count` devices. */
function inventory(devices: string[]): string {
  return `{\n  "defaults": {"vm": "*97"},\n  "devices": [\n${devices.join(',\n')}\n  ],\n  "groups": {"hq": {"floor": "3"}, "lab": {"floor": "B1", "vm": "*98"}}\n}\n`;
}

const COUNT = Math.ceil(JSON_WHOLE_PARSE_BYTES / 450) + 500;
const LAST = COUNT - 1;

function bigInventory(lastExtra = ''): string {
  const devices: string[] = [];
  for (let i = 0; i < COUNT; i++) devices.push(device(i, i === LAST ? lastExtra : ''));
  const text = inventory(devices);
  assert.ok(text.length > JSON_WHOLE_PARSE_BYTES, `${text.length} bytes: above the threshold`);
  return text;
}

/** The text with the last occurrence of `find` replaced. */
function replaceLast(text: string, find: string, by: string): string {
  const at = text.lastIndexOf(find);
  assert.ok(at >= 0, find);
  return text.slice(0, at) + by + text.slice(at + find.length);
}

test('a 9 MB JSON inventory (file or stdin) renders a device as a small inventory does', async () => {
  const dir = workDir('cp-json-stream-');
  writeFileSync(join(dir, 't.liquid'), TEMPLATE);
  const big = bigInventory();
  writeFileSync(join(dir, 'big.json'), big);
  writeFileSync(join(dir, 'small.json'), inventory([device(LAST)]));
  const args = ['render', '-t', 't.liquid', '--device', macOf(LAST)];
  const small = await runCli([...args, '-i', 'small.json'], { cwd: dir });
  assert.equal(small.code, 0, small.stderr);
  assert.match(small.stdout, new RegExp(`User ${LAST}/3/\\*97<`), 'defaults and group applied');
  const fromFile = await runCli([...args, '-i', 'big.json'], { cwd: dir });
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromFile.stdout, small.stdout);
  const fromStdin = await runCli([...args, '-i', '-'], { cwd: dir, input: big });
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal(fromStdin.stdout, small.stdout);
  const lab = await runCli([...args.slice(0, -1), macOf(LAST - 1), '-i', 'big.json'], {
    cwd: dir,
  });
  assert.match(lab.stdout, new RegExp(`User ${LAST - 1}/B1/\\*98<`), 'a group after devices');
});

test('mistakes at the end of a 9 MB JSON inventory: one line, its place, exit 1, nothing written', async () => {
  const dir = workDir('cp-json-stream-');
  const lines = bigInventory().split('\n').length;
  const lastDeviceLine = lines - 4;
  const clean = bigInventory();
  const cases: [string, string, RegExp][] = [
    [
      'syntax',
      clean.replace(/}\n {2}\],\n {2}"groups"/, '\n  ],\n  "groups"'),
      new RegExp(
        `big\\.json: line ${lastDeviceLine + 1}, col 3: not valid JSON \\(unexpected '\\]'\\)`,
      ),
    ],
    [
      '__proto__',
      bigInventory(', "__proto__": {"template": "x"}'),
      new RegExp(
        `big\\.json: line ${lastDeviceLine}, col \\d{3}, field __proto__: "__proto__" is not allowed`,
      ),
    ],
    [
      'model',
      replaceLast(clean, '"model": "8841"', '"model": "9999"'),
      new RegExp(`big\\.json: device ${COUNT}, field model: unknown model "9999"`),
    ],
    [
      'a key twice',
      bigInventory(', "model": "9999"'),
      new RegExp(
        `big\\.json: line ${lastDeviceLine}, col \\d{3}, field model: "model" is given twice in one map \\(first at line ${lastDeviceLine}, col \\d+\\)`,
      ),
    ],
    [
      'duplicate',
      replaceLast(clean, `"mac": "${macOf(LAST)}"`, `"mac": "${macOf(0)}"`),
      new RegExp(
        `big\\.json: device ${COUNT}, field mac: duplicate MAC ${macOf(0)} \\(also device 1\\)`,
      ),
    ],
  ];
  for (const [name, text, pattern] of cases) {
    writeFileSync(join(dir, 'big.json'), text);
    assert.notEqual(readFileSync(join(dir, 'big.json'), 'utf8'), clean, name);
    const r = await runCli(['render', '-i', 'big.json', '-t', 't.liquid', '-o', 'out'], {
      cwd: dir,
    });
    assertOneLineError(r, 1, pattern);
    assert.ok(!existsSync(join(dir, 'out')), `${name}: nothing written`);
  }
});
