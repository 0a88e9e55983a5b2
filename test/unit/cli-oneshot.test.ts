// The argv the one-shot path without commander takes (src/cli-oneshot.ts), and the options it
// builds for them. That the options behave as commander's do is checked end to end, each argv
// run both ways, in test/cli/startup-oneshot.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs as packageParseArgs } from '@pkgjs/parseargs';
import { parseArgs as nodeParseArgs } from 'node:util';
import { OPTIONS, parseOneShotEncrypt } from '../../src/cli-oneshot.js';

/** The defaults src/cli.ts declares for encrypt (mdOption, --rs, --keyid, --pad). */
const DEFAULTS = { md: 'md5', rs: 4096, keyid: '', pad: 0 };

test('taken: the plain forms, each option by every spelling, in any order', () => {
  const cases: [string[], string | undefined, Record<string, unknown>][] = [
    [
      ['encrypt', '--key-env', 'K', 'p.xml', '-o', 'p.cfg'],
      'p.xml',
      { keyEnv: 'K', output: 'p.cfg' },
    ],
    [
      ['encrypt', '-o', 'p.cfg', 'p.xml', '--key-env', 'K'],
      'p.xml',
      { keyEnv: 'K', output: 'p.cfg' },
    ],
    [['encrypt', '--key-file', 'k.txt'], undefined, { keyFile: 'k.txt' }],
    [['encrypt', '--key', 'secret', '--output', 'o'], undefined, { key: 'secret', output: 'o' }],
    [
      ['encrypt', '--ikm-env', 'I', '-c', 'aes128gcm', 'p.xml'],
      'p.xml',
      { ikmEnv: 'I', cipher: 'aes128gcm' },
    ],
    [
      ['encrypt', '--ikm-file', 'i.txt', '--cipher', 'aes128gcm'],
      undefined,
      { ikmFile: 'i.txt', cipher: 'aes128gcm' },
    ],
    [['encrypt', '--ikm', 'text'], undefined, { ikm: 'text' }],
    [
      ['encrypt', '--key-env', 'K', '--gzip', '--base64', '-f', '--allow-empty', '--md', 'sha256'],
      undefined,
      { keyEnv: 'K', gzip: true, base64: true, force: true, allowEmpty: true, md: 'sha256' },
    ],
    [['encrypt', '--key-env', 'K', '--force'], undefined, { keyEnv: 'K', force: true }],
    [
      ['encrypt', '--key-env', 'K', '--salt', '0011223344556677'],
      undefined,
      { keyEnv: 'K', salt: '0011223344556677' },
    ],
    [['encrypt', '--key-env', 'K', '--mode', '640', 'p'], 'p', { keyEnv: 'K', mode: 0o640 }],
    // An empty name is commander's operand too; the same code then fails to open it.
    [['encrypt', '--key-env', 'K', ''], '', { keyEnv: 'K' }],
  ];
  for (const [argv, input, options] of cases) {
    assert.deepEqual(
      parseOneShotEncrypt(argv),
      { input, options: { ...DEFAULTS, ...options } },
      argv.join(' '),
    );
  }
});

test("declined: everything whose wording or meaning is commander's to decide", () => {
  const declined: string[][] = [
    [],
    ['decrypt', '--key-env', 'K', 'p.cfg'],
    ['keygen'],
    ['--help'],
    ['encrypt', '--help'],
    ['encrypt', '-h'],
    ['encrypt', '--key-env', 'K', 'a.xml', 'b.xml'], // a batch
    ['encrypt', '--key-env', 'K', 'p.xml', '--out-dir', 'out'],
    ['encrypt', '--key-env', 'K', '--jobs', '2', 'p.xml'],
    ['encrypt', '--key-env', 'K', '--json', 'p.xml'],
    ['encrypt', '--key-env=K', 'p.xml'], // --opt=value
    ['encrypt', '--key-env', 'K', '--key-env', 'L'], // repeated: last wins in commander
    ['encrypt', '--key-env', 'K', '--gzip', '--gzip'],
    ['encrypt', '--key-env'], // missing value
    ['encrypt', '--key-env', 'K', '-o', '-'], // a value starting with '-'
    ['encrypt', '--key-env', '-K'],
    ['encrypt', '--key-env', 'K', '-'], // stdin by name
    ['encrypt', '--key-env', 'K', '--', 'p.xml'],
    ['encrypt', '--key-env', 'K', '--cipher', 'aes-128-cbc'], // not a choice
    ['encrypt', '--key-env', 'K', '--md', 'sha1'],
    ['encrypt', '--key-env', 'K', '--mode', '999'], // not octal permission bits
    ['encrypt', '--key-env', 'K', '--rs', '4096'], // options not taken here
    ['encrypt', '--ikm-env', 'I', '--pad', '1'],
    ['encrypt', '--ikm-env', 'I', '--keyid', 'k'],
    ['encrypt', '--ikm-env', 'I', '--salt', '00', '--unsafe-fixed-salt'],
    ['encrypt', '--key-env', 'K', '-fo', 'x'], // combined short flags
    ['encrypt', '--key-env', 'K', '--bogus'],
    ['encrypt', '--key-env', 'K', '-V'],
  ];
  for (const argv of declined) {
    assert.equal(parseOneShotEncrypt(argv), undefined, argv.join(' '));
  }
});

test("the bundled parseArgs (@pkgjs/parseargs) reads every argv as node:util's does", () => {
  // The one-shot path takes parseArgs from the package so that the code cache holds it
  // (src/cli-oneshot.ts); node:util's is the reference. Same values, positionals and tokens, or
  // the same error code, for the forms taken and the forms declined.
  const argvs: string[][] = [
    ['--key-env', 'K', 'p.xml', '-o', 'p.cfg'],
    ['-o', 'p.cfg', 'p.xml', '--key-env', 'K', '-c', 'aes128gcm', '-f'],
    ['--key', 'secret', '--output', 'o', '--gzip', '--base64', '--allow-empty', '--md', 'sha256'],
    ['--ikm-file', 'i.txt', '--cipher', 'aes128gcm', '--salt', '00', '--mode', '600'],
    ['--key-env=K', 'p.xml'],
    ['--key-env', 'K', '--key-env', 'L'],
    ['--key-env'],
    ['--key-env', 'K', '-o', '-'],
    ['--key-env', '-K'],
    ['--key-env', 'K', '--', 'p.xml', '-o'],
    ['--key-env', 'K', '-fo', 'x'],
    ['-of', 'x'],
    ['--key-env', 'K', '--bogus'],
    ['--key-env', 'K', '-V'],
    ['--gzip=yes'],
    ['-'],
    [],
  ];
  const run = (parse: typeof nodeParseArgs, args: string[]) => {
    try {
      return parse({ args, options: OPTIONS, strict: true, allowPositionals: true, tokens: true });
    } catch (err) {
      return { error: (err as { code?: string }).code };
    }
  };
  for (const args of argvs) {
    assert.deepEqual(run(packageParseArgs, args), run(nodeParseArgs, args), args.join(' '));
  }
});
