// The argv the one-shot path without commander takes (src/cli-oneshot.ts), and the options it
// builds for them. That the options behave as commander's do is checked end to end, each argv
// run both ways, in test/cli/startup-oneshot.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs as nodeParseArgs } from 'node:util';
import { parseOneShotEncrypt } from '../../src/cli-oneshot.js';
import { modeArg } from '../../src/io/options.js';

/**
 * The options the one-shot path takes, as a parseArgs config: the spellings commander accepts
 * for them (src/cli.ts). The reference the scan is held to below.
 */
const OPTIONS = {
  output: { type: 'string', short: 'o' },
  cipher: { type: 'string', short: 'c' },
  md: { type: 'string' },
  salt: { type: 'string' },
  mode: { type: 'string' },
  key: { type: 'string' },
  'key-file': { type: 'string' },
  'key-env': { type: 'string' },
  ikm: { type: 'string' },
  'ikm-file': { type: 'string' },
  'ikm-env': { type: 'string' },
  gzip: { type: 'boolean' },
  base64: { type: 'boolean' },
  force: { type: 'boolean', short: 'f' },
  'allow-empty': { type: 'boolean' },
} as const;

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

/**
 * The reading the one-shot path took with parseArgs until it scanned argv by hand (start-up,
 * issue 12): parseArgs (node:util's, strict) reads the argv, and the tokens it gives are taken
 * only in the plainest forms. The scan must take exactly these argv, with the same options.
 */
function parseArgsReading(argv: string[]): unknown {
  if (argv[0] !== 'encrypt') return undefined;
  const args = argv.slice(1);
  let tokens;
  try {
    ({ tokens } = nodeParseArgs({
      args,
      options: OPTIONS,
      strict: true,
      allowPositionals: true,
      tokens: true,
    }));
  } catch {
    return undefined;
  }
  const property = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const options: Record<string, unknown> = { ...DEFAULTS };
  const seen = new Set<string>();
  let input: string | undefined;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') return undefined;
    if (token.kind === 'positional') {
      if (token.value.startsWith('-') || input !== undefined) return undefined;
      input = token.value;
      continue;
    }
    const name = property(token.name);
    if (seen.has(name) || token.inlineValue || args[token.index] !== token.rawName) {
      return undefined;
    }
    seen.add(name);
    if (token.value === undefined) {
      options[name] = true;
      continue;
    }
    if (token.value.startsWith('-')) return undefined;
    if (name === 'cipher' && !['aes-256-cbc', 'aes128gcm'].includes(token.value)) return undefined;
    if (name === 'md' && !['md5', 'sha256'].includes(token.value)) return undefined;
    if (name === 'mode') {
      try {
        options[name] = modeArg(token.value);
      } catch {
        return undefined;
      }
    } else options[name] = token.value;
  }
  return { input, options };
}

test('the scan takes exactly the argv parseArgs reads in the plainest forms, with the same options', () => {
  // Words an argv is made of: every spelling of every option, values of each kind, forms
  // parseArgs reads differently (`--opt=value`, `-ofile`, `-fo`, `--`, `-`), names an object
  // has (`--constructor`, `--__proto__`), unknown options.
  const words = [
    ...Object.keys(OPTIONS).map((name) => `--${name}`),
    '-o',
    '-c',
    '-f',
    '-h',
    '-V',
    '-',
    '--',
    '---',
    '--=x',
    '-fo',
    '-of',
    '-ofile',
    '-1',
    '-K',
    '--key-env=K',
    '--gzip=yes',
    '--output=',
    '--bogus',
    '--help',
    '--constructor',
    '--__proto__',
    '--toString',
    '-_',
    'K',
    'p.xml',
    'p.cfg',
    '',
    'aes128gcm',
    'aes-256-cbc',
    'aes-128-cbc',
    'md5',
    'sha256',
    'sha1',
    '640',
    '0600',
    '999',
    'rw',
    '0011223344556677',
    'encrypt',
  ];
  let seed = 0x12345678;
  const random = (n: number) => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed % n;
  };
  let taken = 0;
  for (let i = 0; i < 30000; i++) {
    const argv = [
      'encrypt',
      ...Array.from({ length: random(7) }, () => words[random(words.length)]!),
    ];
    const expected = parseArgsReading(argv);
    assert.deepEqual(parseOneShotEncrypt(argv), expected, JSON.stringify(argv));
    if (expected) taken++;
  }
  // The table reaches both answers often enough to mean something.
  assert.ok(taken > 1000, `${taken} argv taken`);
});
