/**
 * Hostile inventories through the spawned CLI (issue 10, items 1, 12, 15): prototype pollution,
 * parse errors, alias bombs, empty files, header conflicts. Each case checks the exit code, the
 * one-line message and what is on disk afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { assertNoSecret, assertOneLineError, listTree, workDir } from '../helpers/hostile.js';

const MAC = '00562b043615';

test('a __proto__.out CSV column is refused with row and column; nothing is written', async () => {
  const dir = workDir();
  const evil = join(dir, 'evil');
  mkdirSync(evil);
  writeFileSync(
    join(dir, 'pp.csv'),
    `mac,model,display_name,__proto__.out\n${MAC},8841,A,${evil}\n`,
  );
  const r = await runCli(['render', '-i', 'pp.csv', '-t', 't.liquid', '-d', MAC], { cwd: dir });
  assertOneLineError(r, 1, /pp\.csv: row 1, column 4, field __proto__\.out: .*__proto__/);
  assert.equal(r.stdout, '');
  assert.deepEqual(listTree(evil), [], 'nothing written where the cell pointed');
});

test('__proto__.template, prototype and constructor segments are refused in CSV headers', async () => {
  for (const header of ['__proto__.template', 'a.prototype', 'constructor', 'x.constructor.y']) {
    const dir = workDir();
    writeFileSync(join(dir, 'pp.csv'), `mac,model,${header}\n${MAC},8841,x\n`);
    const r = await runCli(['render', '-i', 'pp.csv', '-t', 't.liquid', '-o', 'out'], {
      cwd: dir,
    });
    assertOneLineError(r, 1, new RegExp(`row 1, column 3, field ${header.replace('.', '\\.')}: `));
    assert.ok(!existsSync(join(dir, 'out')), `${header}: no output directory`);
  }
});

test('__proto__ keys in JSON and YAML inventories are refused, with their place', async () => {
  const dir = workDir();
  writeFileSync(
    join(dir, 'pp.json'),
    `[\n  { "mac": "${MAC}", "model": "8841",\n    "__proto__": { "template": "x" } }\n]\n`,
  );
  let r = await runCli(['render', '-i', 'pp.json', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assertOneLineError(r, 1, /pp\.json: line 3, col 5, field __proto__: /);
  writeFileSync(
    join(dir, 'pp.yaml'),
    `defaults:\n  display_name: x\ngroups:\n  constructor:\n    a: 1\ndevices:\n  - mac: ${MAC}\n    model: "8841"\n`,
  );
  r = await runCli(['render', '-i', 'pp.yaml', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assertOneLineError(r, 1, /pp\.yaml: line 4, col 3, field groups\.constructor: /);
  assert.ok(!existsSync(join(dir, 'out')));
});

test("--name '$(constructor)' is a missing field, not Object's source", async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'inv.csv'), `mac,model,display_name\n${MAC},8841,A\n`);
  const r = await runCli(
    ['render', '-i', 'inv.csv', '-t', 't.liquid', '-o', 'out', '--name', '$(constructor)'],
    { cwd: dir },
  );
  assertOneLineError(r, 1, /has no field constructor/);
  assert.deepEqual(existsSync(join(dir, 'out')) ? listTree(join(dir, 'out')) : [], []);
});

test('a YAML alias bomb is an input error naming the file (exit 1), quickly', async () => {
  const dir = workDir();
  let yaml = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 12; i++) {
    yaml += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  }
  yaml += `devices:\n  - mac: ${MAC}\n    model: "8841"\n    big: *a11\n`;
  writeFileSync(join(dir, 'bomb.yaml'), yaml);
  const r = await runCli(['render', '-i', 'bomb.yaml', '-t', 't.liquid', '-o', 'out'], {
    cwd: dir,
  });
  assertOneLineError(r, 1, /^cisco-prov: bomb\.yaml: .*alias/i);
});

test('malformed JSON is an input error that shows no part of the file (a secret may be there)', async () => {
  const dir = workDir();
  writeFileSync(
    join(dir, 'bad.json'),
    `[{ "mac": "${MAC}", "model": "8841", "admin_password": "Sup3r-S3cret-Value" ,, }]`,
  );
  const r = await runCli(['render', '-i', 'bad.json', '-t', 't.liquid', '-o', 'out'], {
    cwd: dir,
  });
  assertOneLineError(r, 1, /bad\.json: line 1, col \d+: not valid JSON/);
  assertNoSecret(r, 'Sup3r-S3cret-Value', 'S3cret');
});

test('an empty or header-only inventory is an error, not a silent success', async () => {
  const dir = workDir();
  const cases: [string, string][] = [
    ['empty.csv', ''],
    ['header.csv', 'mac,model,display_name\n'],
    ['empty.json', '[]'],
    ['empty.yaml', 'devices: []\n'],
    ['blank.yaml', ''],
  ];
  for (const [name, text] of cases) {
    writeFileSync(join(dir, name), text);
    const r = await runCli(['render', '-i', name, '-t', 't.liquid', '-o', 'out'], { cwd: dir });
    assertOneLineError(r, 1, new RegExp(`${name.replace('.', '\\.')}: .*no devices`));
  }
  assert.ok(!existsSync(join(dir, 'out')));
});

test('CSV header conflicts are reported whatever the column order', async () => {
  const dir = workDir();
  for (const header of [
    'sip.proxy,sip',
    'sip,sip.proxy',
    'lines.1.x,lines.a',
    'lines.a,lines.1.x',
  ]) {
    writeFileSync(join(dir, 'c.csv'), `mac,model,${header}\n${MAC},8841,a,b\n`);
    const r = await runCli(['render', '-i', 'c.csv', '-t', 't.liquid', '-o', 'out'], {
      cwd: dir,
    });
    assertOneLineError(r, 1, /c\.csv: row 1, column [34], field .*: .*(conflicts|same place)/);
  }
  // Conflicting columns are refused even where the cells are empty.
  writeFileSync(join(dir, 'c.csv'), `mac,model,sip.proxy,sip\n${MAC},8841,,\n`);
  const r = await runCli(['render', '-i', 'c.csv', '-t', 't.liquid', '-o', 'out'], { cwd: dir });
  assert.equal(r.code, 1);
});

test('out-of-range list positions (lines.4294967296.x) are reported, not dropped', async () => {
  const dir = workDir();
  for (const header of ['lines.4294967296.x', 'lines.1001.x']) {
    writeFileSync(join(dir, 'r.csv'), `mac,model,${header}\n${MAC},8841,7\n`);
    const r = await runCli(['render', '-i', 'r.csv', '-t', 't.liquid', '-o', 'out'], {
      cwd: dir,
    });
    assertOneLineError(r, 1, /r\.csv: row 1, column 3, field lines\.[0-9e]+\.x: /);
  }
});

test('render never overwrites its own inputs (inventory, template, vars)', async () => {
  const dir = workDir();
  const inventory = `mac,model,display_name\n${MAC},8841,A\n`;
  writeFileSync(join(dir, 'inv.csv'), inventory);
  writeFileSync(join(dir, 'vars.yaml'), 'x: 1\n');
  for (const name of ['inv.csv', 't.liquid', 'vars.yaml']) {
    const r = await runCli(
      [
        'render',
        '-i',
        'inv.csv',
        '-t',
        't.liquid',
        '--vars',
        'vars.yaml',
        '-o',
        '.',
        '--name',
        name,
      ],
      { cwd: dir },
    );
    assertOneLineError(
      r,
      1,
      new RegExp(`${name.replace('.', '\\.')}.*(input|inventory|template|vars)`),
    );
  }
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(join(dir, 'inv.csv'), 'utf8'), inventory);
  assert.equal(readFileSync(join(dir, 'vars.yaml'), 'utf8'), 'x: 1\n');
});

test('deeply nested inventories are one line with their place, exit 1, not a stack overflow', async () => {
  const dir = workDir();
  const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
  const device = (x: string): string => `[{"mac":"${MAC}","model":"8841","x":${x}}]`;
  // Parsed whole (small), and streamed (past the 8 MiB threshold: spaces in front).
  writeFileSync(join(dir, 'deep.json'), device(deep(20_000)));
  writeFileSync(join(dir, 'big.json'), ' '.repeat(9 * 1024 * 1024) + device(deep(20_000)));
  writeFileSync(join(dir, 'top.json'), deep(200_000));
  for (const [file, col] of [
    ['deep.json', 105],
    ['big.json', 9 * 1024 * 1024 + 105],
    ['top.json', 65],
  ] as const) {
    const r = await runCli(['render', '-i', file, '-t', 't.liquid', '-o', 'out'], { cwd: dir });
    assertOneLineError(
      r,
      1,
      new RegExp(`${file.replace('.', '\\.')}: line 1, col ${col}: nested deeper than 64 levels`),
    );
  }
  // 64 levels are still read (the device's fields checked as usual: no lines for the template).
  writeFileSync(join(dir, 'ok.json'), device(deep(62)));
  const ok = await runCli(['render', '-i', 'ok.json', '-t', 't.liquid', '-o', 'out'], {
    cwd: dir,
  });
  assert.doesNotMatch(ok.stderr, /nested deeper/);
  // A CSV header of 20,000 dotted segments: refused, and the line stays short.
  writeFileSync(
    join(dir, 'deep.csv'),
    `mac,model,${Array(20_000).fill('a').join('.')}\n${MAC},8841,1\n`,
  );
  const csv = await runCli(['render', '-i', 'deep.csv', '-t', 't.liquid', '-o', 'out'], {
    cwd: dir,
  });
  assertOneLineError(
    csv,
    1,
    /deep\.csv: row 1, column 3, field a\.a\.a.*…: .*nests deeper than 64 levels/,
  );
  assert.ok(csv.stderr.length < 400, `a short line: ${csv.stderr.length} characters`);
  // YAML: the library's own limit, one line naming the line.
  writeFileSync(join(dir, 'deep.yaml'), `- mac: ${MAC}\n  model: "8841"\n  x: ${deep(20_000)}\n`);
  const yaml = await runCli(['render', '-i', 'deep.yaml', '-t', 't.liquid', '-o', 'out'], {
    cwd: dir,
  });
  assertOneLineError(yaml, 1, /deep\.yaml: line 3, col \d+: /);
  assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
});
