// `encrypt --out-dir --keys` with a key for all: a `file` row written as a path the batch does
// not match (`in/lobby.xml` for the `lobby.xml` of directory `in`) left that profile sealed with
// the shared key, exit 0, without a word (found by gaps8). Now one warning names both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-keys-rows-');

function fixture(name: string, rows: string): { root: string; keys: string; all: string } {
  const root = dir.fresh(name);
  mkdirSync(join(root, 'in'));
  for (const n of ['lobby', 'desk']) {
    writeFileSync(
      join(root, 'in', `${n}.xml`),
      `<flat-profile><Station_Name ua="na">${n}</Station_Name></flat-profile>\n`,
    );
  }
  const keys = join(root, 'keys.csv');
  writeFileSync(keys, `file,key\n${rows}`, { mode: 0o600 });
  const all = join(root, 'all.key');
  writeFileSync(all, 'shared-key-for-all', { mode: 0o600 });
  return { root, keys, all };
}

const run = (fx: { root: string; keys: string; all: string }, out: string) =>
  runCli([
    'encrypt',
    join(fx.root, 'in'),
    '--out-dir',
    join(fx.root, out),
    '--keys',
    fx.keys,
    '--key-file',
    fx.all,
  ]);

test('encrypt --out-dir: a file row naming no input while a file falls back to the key for all is one warning naming both', async () => {
  const fx = fixture('path-row', 'in/lobby.xml,lobby-secret-1\ndesk.xml,desk-secret-2\n');
  const r = await run(fx, 'out');
  assert.equal(r.code, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.includes('warning'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(
    warnings[0]!,
    /1 file\(s\) had no row and were given the key for all \(lobby\.xml\)/,
  );
  assert.match(warnings[0]!, /name no input \(line 2 in\/lobby\.xml\)/);
  assert.doesNotMatch(r.stderr, /lobby-secret-1|desk-secret-2|shared-key-for-all/);
});

test('encrypt --out-dir: no warning when every file has its row (extra rows are a fleet’s table), nor when no file row is left over', async () => {
  const extra = fixture('extra-row', 'lobby.xml,a1\ndesk.xml,b2\nold.xml,c3\n');
  const r1 = await run(extra, 'out');
  assert.equal(r1.code, 0, r1.stderr);
  assert.doesNotMatch(r1.stderr, /warning/);
  const partial = fixture('partial', 'desk.xml,b2\n');
  const r2 = await run(partial, 'out');
  assert.equal(r2.code, 0, r2.stderr);
  assert.doesNotMatch(r2.stderr, /warning/);
});
