// A JSON profile with a key given twice in one map is refused, as a YAML one is (uniqueKeys):
// JSON.parse would keep the last value silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileFormatError } from '../../src/profile/profile-map.js';
import { readProfileText } from '../../src/profile/profile-formats.js';
import { runCli } from '../helpers/run-cli.js';

test('readProfileText: a parameter given twice is refused at the second, naming both places', () => {
  const text =
    '{\n  "Station_Name": {"value": "A"},\n  "Proxy_1_": {"value": "p"},\n  "Station_Name": {"value": "B"}\n}\n';
  assert.throws(
    () => readProfileText(text, 'json'),
    (err: unknown) =>
      err instanceof ProfileFormatError &&
      err.line === 4 &&
      err.column === 3 &&
      /"Station_Name" is given twice in one map \(first at line 2, col 3\)/.test(err.message),
  );
});

test('readProfileText: a field given twice inside a parameter is refused too; its values are never shown', () => {
  assert.throws(
    () => readProfileText('{"Password_1_": {"value": "Secret-A", "value": "Secret-B"}}', 'json'),
    (err: unknown) =>
      err instanceof ProfileFormatError &&
      /"value" is given twice/.test(err.message) &&
      !/Secret-/.test(err.message),
  );
  // The same names in different maps are no duplicate.
  const ok = readProfileText('{"A_": {"value": "1"}, "B_": {"value": "2"}}', 'json');
  assert.equal(ok.parameters.get('B_')?.value, '2');
});

test('convert of a JSON profile with a parameter twice: one line with file, line and column, exit 1, nothing written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-jsondup-'));
  try {
    const file = join(dir, 'dup.json');
    writeFileSync(
      file,
      '{\n  "Station_Name": {"value": "A"},\n  "Station_Name": {"value": "B"}\n}\n',
    );
    const run = await runCli(['convert', file, '--to', 'xml', '-o', join(dir, 'out.xml')]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /^cisco-prov: .*dup\.json: line 3, col 3: not valid as a profile: "Station_Name" is given twice in one map \(first at line 2, col 3\)/,
    );
    assert.equal(run.stderr.trim().split('\n').length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
