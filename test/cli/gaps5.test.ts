// The leftovers of the last rounds (gaps5), each through the spawned CLI: validate's messages for
// malformed tags, attributes the phone does not know, drift and diff comparing values as the
// phone reads them, and `inspect -` reading stdin.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { runCli, runCliShared } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-gaps5-');

/** Writes `text` to `name` in the test's temp directory; its path. */
function file(name: string, text: string): string {
  const path = dir.path(name);
  writeFileSync(path, text);
  return path;
}

describe('validate: a malformed tag is named as written, where it breaks', () => {
  test("an end tag without '>' names the element and points after its name", async () => {
    const path = file(
      'end-tag.xml',
      '<flat-profile>\n<Station_Name>x</Station_Name\n</flat-profile>\n',
    );
    const r = await runCli(['validate', path]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stdout,
      /\n {2}2:30 {2}error {2}end tag <\/Station_Name is not closed with '>' {2}xml-well-formed\n/,
    );
    assert.doesNotMatch(r.stdout, /<\/name>/);
  });

  test("a start tag cut off inside a password's value does not show the piece", async () => {
    const path = file('secret-tag.xml', '<flat-profile>\n<Password_1_>hunter<pw2');
    const r = await runCli(['validate', '-f', 'json', path]);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /pw2/);
    assert.match(r.stdout, /inside the value of Password_1_ \(not shown: a secret/);
  });
});

describe("inspect: '-' is stdin", () => {
  test("inspect --json - parses the User-Agent on stdin, not the string '-'", async () => {
    const r = await runCli(['inspect', '--json', '-'], {
      input: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)\n',
    });
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { userAgent: string; model: string; mac: string };
    assert.deepEqual(
      [parsed.userAgent, parsed.model, parsed.mac],
      ['Cisco-CP-8841-3PCC/11.0 (00562b043615)', '8841', '00562b043615'],
    );
  });

  test("inspect - with empty stdin is 'nothing to inspect' (exit 1), as with no argument", async () => {
    const r = await runCli(['inspect', '-']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no User-Agent to inspect/);
  });

  test("--help says '-' reads stdin", async () => {
    const r = await runCliShared(['inspect', '--help']);
    assert.match(
      r.stdout.replace(/\s+/g, ' '),
      /stdin \(one per line\) when none is given or for '-'/,
    );
  });
});

describe('validate: attributes the phone does not read (reference §1: ua, lower case, na/ro/rw)', () => {
  test('UA="na" is an error naming the attribute', async () => {
    const path = file(
      'ua-case.xml',
      '<flat-profile>\n<Station_Name UA="na">x</Station_Name>\n</flat-profile>\n',
    );
    const r = await runCli(['validate', '-f', 'json', path]);
    assert.equal(r.code, 1, r.stderr);
    const [entry] = JSON.parse(r.stdout) as {
      diagnostics: {
        ruleId: string;
        severity: string;
        line: number;
        column: number;
        message: string;
        hint?: string;
      }[];
    }[];
    assert.deepEqual(
      entry!.diagnostics.map((m) => [m.ruleId, m.severity, `${m.line}:${m.column}`]),
      [['invalid-ua', 'error', '2:15']],
    );
    assert.match(entry!.diagnostics[0]!.message, /^attribute UA on Station_Name is not ua/);
  });

  test('an unknown attribute on <flat-profile> or a parameter is a warning: exit 0, unless --strict', async () => {
    const path = file(
      'attributes.xml',
      '<flat-profile version="2">\n<Station_Name ua="na" colour="red">x</Station_Name>\n</flat-profile>\n',
    );
    const r = await runCli(['validate', path]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1:15 +warning +unknown attribute version on <flat-profile>/);
    assert.match(r.stdout, /2:23 +warning +unknown attribute colour on Station_Name/);
    const strict = await runCli(['validate', '--strict', path]);
    assert.equal(strict.code, 1);
  });
});

describe('diff and drift compare values by the parameter type (reference §1 value types)', () => {
  const A =
    '<flat-profile>\n<Resync_On_Reset>Yes</Resync_On_Reset>\n<SIP_Port_1_>5060</SIP_Port_1_>\n<Resync_Periodic>86400</Resync_Periodic>\n</flat-profile>\n';
  const B =
    '<flat-profile>\n<Resync_On_Reset>YES</Resync_On_Reset>\n<SIP_Port_1_>0x13C4</SIP_Port_1_>\n<Resync_Periodic>0x15180</Resync_Periodic>\n</flat-profile>\n';

  test('diff: YES = Yes (Bool), 0x13C4 = 5060 (Port); a schedule stays text', async () => {
    const r = await runCli(['diff', '--json', file('types-a.xml', A), file('types-b.xml', B)]);
    assert.equal(r.code, 1, r.stderr);
    const changes = JSON.parse(r.stdout) as { name: string; a: string; b: string }[];
    assert.deepEqual(
      changes.map((c) => [c.name, c.a, c.b]),
      [['Resync_Periodic', '86400', '0x15180']],
    );
  });

  test('diff --exact: the text differs for all three', async () => {
    const r = await runCli([
      'diff',
      '--exact',
      '--json',
      file('exact-a.xml', A),
      file('exact-b.xml', B),
    ]);
    assert.equal(r.code, 1, r.stderr);
    const changes = JSON.parse(r.stdout) as { name: string }[];
    assert.deepEqual(
      changes.map((c) => c.name),
      ['Resync_On_Reset', 'SIP_Port_1_', 'Resync_Periodic'],
    );
  });

  test('diff: profiles equal by type are "the same" (exit 0, no output)', async () => {
    const r = await runCli([
      'diff',
      file('same-a.xml', '<flat-profile><Resync_On_Reset>No</Resync_On_Reset></flat-profile>'),
      file('same-b.xml', '<flat-profile><Resync_On_Reset>no</Resync_On_Reset></flat-profile>'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });
});

describe('diff and convert: a malformed tag inside a password is not quoted', () => {
  // A raw '<' in a password makes the rest look like a tag; fast-xml-parser's messages quoted it
  // ("boolean attribute 'ef</Password_1_' is not allowed", "Closing tag 'cdef' can't have …").
  const CASES = [
    '<flat-profile>\n<Password_1_>ab<cd ef</Password_1_>\n</flat-profile>\n',
    '<flat-profile>\n<Admin_Passwd>ab</cdef\n</flat-profile>\n',
    '<flat-profile>\n<Password_1_>ab<cdef</Password_1_>\n</flat-profile>\n',
  ];
  for (const [i, text] of CASES.entries()) {
    test(`case ${i + 1}: validate, diff and convert give the same message, without the piece`, async () => {
      const path = file(`leak${i}.xml`, text);
      const good = file(
        `leak${i}-other.xml`,
        '<flat-profile><Station_Name>x</Station_Name></flat-profile>',
      );
      const validate = await runCli(['validate', '-f', 'json', path]);
      const diff = await runCli(['diff', path, good]);
      const convert = await runCli(['convert', '--to', 'json', path]);
      assert.deepEqual([validate.code, diff.code, convert.code], [1, 2, 1]);
      for (const run of [validate, diff, convert]) {
        assert.doesNotMatch(run.stdout + run.stderr, /\bcd\b|\bef\b|cdef/);
      }
      const message = (
        JSON.parse(validate.stdout) as {
          diagnostics: { message: string; line: number; column: number }[];
        }[]
      )[0]!.diagnostics[0]!;
      assert.match(
        message.message,
        /^a malformed (start|end) tag inside the value of \w+ \(not shown: a secret/,
      );
      for (const run of [diff, convert]) {
        assert.ok(
          run.stderr.includes(`line ${message.line}, col ${message.column}: ${message.message}`),
          run.stderr,
        );
      }
    });
  }
});

describe('convert: a password written as a JSON number is refused without its value', () => {
  test('the message says what it is, not the PIN (YAML reads it as text: accepted)', async () => {
    const json = file('pin.json', '{\n  "Password_1_": { "value": 4711 }\n}\n');
    const r = await runCli(['convert', '--to', 'xml', json]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /Password_1_: value expected a string, got a number \(not shown: a secret\)/,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /4711/);
    const yaml = await runCli([
      'convert',
      '--to',
      'xml',
      file('pin.yaml', 'Password_1_:\n  value: 4711\n'),
    ]);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.match(yaml.stdout, /<Password_1_>4711<\/Password_1_>/);
  });
});

describe("validate, convert: a Latin-1 byte inside a password's value is not named", () => {
  test('the message says where and what to do, not the character or its code', async () => {
    const path = dir.path('latin1-secret.xml');
    writeFileSync(
      path,
      Buffer.from(
        '<flat-profile>\n<Password_1_>sekr\xe9t</Password_1_>\n</flat-profile>\n',
        'latin1',
      ),
    );
    for (const args of [
      ['validate', path],
      ['convert', '--to', 'json', path],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout + r.stderr, /in the value of Password_1_ \(not shown: a secret\)/);
      assert.doesNotMatch(r.stdout + r.stderr, /0xE9|é/);
    }
  });
});
