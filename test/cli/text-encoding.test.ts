// A profile saved as UTF-16 (Windows Notepad's "Unicode") or Latin-1 (an 8-bit code page): the
// phone reads UTF-8 only (reference §1), so validate, convert and diff refuse it — with one line
// that names the file, says what it is and gives the iconv command that converts it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';

const PROFILE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Station_Name>Caf\u00e9</Station_Name>\n</flat-profile>\n';

function files(): Record<'bom' | 'le' | 'latin1' | 'gz', string> {
  const dir = mkdtempSync(join(tmpdir(), 'text-encoding-'));
  const write = (name: string, bytes: Uint8Array): string => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  const utf16 = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'UTF-16'], { input: PROFILE });
  return {
    bom: write('notepad.xml', utf16),
    le: write(
      'le.xml',
      execFileSync('iconv', ['-f', 'UTF-8', '-t', 'UTF-16LE'], { input: PROFILE }),
    ),
    latin1: write(
      'excel.xml',
      execFileSync('iconv', ['-f', 'UTF-8', '-t', 'ISO-8859-1'], { input: PROFILE }),
    ),
    gz: write('notepad.xml.gz', execFileSync('gzip', ['-c'], { input: utf16 })),
  };
}

test('validate: UTF-16 with and without BOM, gzipped, and Latin-1 each get one line saying what to do', async () => {
  const f = files();
  const r = await runCli(['validate', f.bom, f.le, f.gz, f.latin1]);
  assert.equal(r.code, 1, r.stderr);
  const out = r.stdout + r.stderr;
  const bomLine =
    /UTF-16 text \(BOM (FF FE|FE FF)\); profiles must be UTF-8: convert it with iconv -f UTF-16 -t UTF-8/;
  assert.match(out, new RegExp(`notepad\\.xml\\n  1:1  error  ${bomLine.source}  xml-well-formed`));
  assert.match(out, new RegExp(`notepad\\.xml\\.gz\\n  1:1  error  ${bomLine.source}`));
  assert.match(
    out,
    /le\.xml\n {2}1:1 {2}error {2}UTF-16 text \(little-endian, no BOM\); profiles must be UTF-8: convert it with iconv -f UTF-16LE -t UTF-8 {2}xml-well-formed/,
  );
  assert.match(
    out,
    /excel\.xml\n {2}3:20 {2}error {2}invalid UTF-8 at byte 73 \(0xE9, "é" in Latin-1\): Latin-1 or Windows-1252 text\? profiles must be UTF-8: convert it with iconv -f WINDOWS-1252 -t UTF-8 {2}xml-well-formed/,
  );
  assert.doesNotMatch(out, /U\+0000|binary data/);
});

test('convert and diff: one line naming the file, exit 1 (convert) / 2 (diff)', async () => {
  const f = files();
  const converted = await runCli(['convert', '--to', 'json', f.bom]);
  assert.equal(converted.code, 1);
  assert.match(
    converted.stderr,
    /^cisco-prov: .*notepad\.xml: UTF-16 text \(BOM (FF FE|FE FF)\); profiles must be UTF-8: convert it with iconv -f UTF-16 -t UTF-8\n$/,
  );
  const latin1 = await runCli(['convert', '--to', 'yaml', f.latin1]);
  assert.equal(latin1.code, 1);
  assert.match(
    latin1.stderr,
    /excel\.xml: invalid UTF-8 at byte 73 .*iconv -f WINDOWS-1252 -t UTF-8\n$/,
  );
  const diff = await runCli(['diff', f.le, f.latin1]);
  assert.equal(diff.code, 2);
  assert.match(diff.stderr, /le\.xml: UTF-16 text \(little-endian, no BOM\)/);
  assert.equal(converted.stdout + latin1.stdout + diff.stdout, '');
});

test('convert --to yaml: C1 and bidi characters are YAML escapes, and --from yaml reads them back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yaml-escape-'));
  const xml = join(dir, 'p.xml');
  writeFileSync(
    xml,
    '<flat-profile>\n  <Station_Name>Lobby\u202e1gpj.exe</Station_Name>\n  <Display_Name>a\u0085b\u009b31m\u2066c</Display_Name>\n</flat-profile>\n',
  );
  const toYaml = await runCli(['convert', '--to', 'yaml', xml]);
  assert.equal(toYaml.code, 0, toYaml.stderr);
  assert.equal(
    toYaml.stdout,
    'Station_Name:\n  value: "Lobby\\u202E1gpj.exe"\nDisplay_Name:\n  value: "a\\x85b\\x9B31m\\u2066c"\n',
  );
  const yamlFile = join(dir, 'p.yaml');
  writeFileSync(yamlFile, toYaml.stdout);
  const back = await runCli(['convert', '--to', 'json', yamlFile]);
  assert.equal(back.code, 0, back.stderr);
  assert.deepEqual(JSON.parse(back.stdout), {
    Station_Name: { value: 'Lobby\u202e1gpj.exe' },
    Display_Name: { value: 'a\u0085b\u009b31m\u2066c' },
  });
});
