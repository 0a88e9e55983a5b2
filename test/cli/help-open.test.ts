// Every fact docs/cisco-mpp-reference.md marks [open] (unknown or contradictory in Cisco's
// guides) is an explicit choice with the documented default, and the --help of each command
// that makes the choice says so: "[open" and the default, next to the option (or in the command's
// description when the choice is not an option of that command). One row per (fact, command).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCliShared } from '../helpers/run-cli.js';

/**
 * The help of one option: its line in "Options:" and the wrapped lines after it, with runs of
 * white space made one space (commander wraps at the terminal's width).
 */
function optionHelp(help: string, flag: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^ {2}(-\\w, )?${flag}(?= |,|$)`).test(line));
  assert.notEqual(start, -1, `${flag} is not in the help`);
  const text = [lines[start]!];
  for (const line of lines.slice(start + 1)) {
    if (!/^ {6,}\S/.test(line)) break;
    text.push(line);
  }
  return text.join(' ').replace(/\s+/g, ' ').trim();
}

/** The help text before "Options:" (usage and description), white space made one space. */
function description(help: string): string {
  return (help.split('\nOptions:\n')[0] ?? '').replace(/\s+/g, ' ');
}

interface OpenFact {
  /** The reference's section and the question. */
  fact: string;
  command: string[];
  /** The option whose help states the choice; undefined: the command's description does. */
  option?: string;
  /** What the help must say: the default chosen. */
  says: RegExp[];
}

const IKM_DEFAULT = [
  /\[open: how the phone decodes IKM_HTTP_Encrypt_Content; default UTF-8 text\]/,
];
const ENCRYPT_MD = [
  /\[open: Cisco documents openssl 0\.9\.7c, whose digest is md5\]/,
  /default: "md5"/,
];
const READ_MD = [/\[open: Cisco documents openssl 0\.9\.7c \(md5\)/, /default: md5, then sha256\]/];
const PSN = [/\[open: \$PSN is the model number, e\.g\. 8841/];

const FACTS: OpenFact[] = [
  // §3: the EVP_BytesToKey digest — md5 to write, md5 then sha256 to read.
  ...[['encrypt'], ['render'], ['serve']].map((command) => ({
    fact: '§3 AES-256-CBC digest (writing)',
    command,
    option: '--md',
    says: ENCRYPT_MD,
  })),
  ...[['decrypt'], ['validate'], ['diff'], ['convert'], ['drift'], ['fleet']].map((command) => ({
    fact: '§3 AES-256-CBC digest (reading)',
    command,
    option: '--md',
    says: READ_MD,
  })),
  {
    fact: '§3 AES-256-CBC digest (reading)',
    command: ['fetch'],
    option: '--md',
    says: [/\[open: default md5, then sha256\]/],
  },
  // §4: how IKM_HTTP_Encrypt_Content's text becomes IKM bytes.
  ...[
    ['encrypt'],
    ['decrypt'],
    ['render'],
    ['validate'],
    ['serve'],
    ['diff'],
    ['convert'],
    ['drift'],
    ['fleet'],
    ['fetch'],
  ].map((command) => ({
    fact: '§4 IKM text to bytes',
    command,
    option: '--ikm',
    says: IKM_DEFAULT,
  })),
  {
    fact: '§4 IKM text to bytes',
    command: ['keygen'],
    option: '--encoding',
    says: [
      /\[open: how the phone decodes IKM_HTTP_Encrypt_Content; default text/,
      /default: "text"/,
    ],
  },
  // §4: the record size and key id the phone accepts.
  {
    fact: '§4 aes128gcm record size',
    command: ['encrypt'],
    option: '--rs',
    says: [/\[open: default 4096\]/, /\(default: 4096\)/],
  },
  {
    fact: '§4 aes128gcm key id',
    command: ['encrypt'],
    option: '--keyid',
    says: [/\[open: default empty\]/, /\(default: ""\)/],
  },
  ...[['render'], ['serve']].map((command) => ({
    fact: '§4 aes128gcm record size and key id',
    command,
    option: '--encrypt',
    says: [/record size 4096, empty key id \[open: not documented by Cisco; fixed here/],
  })),
  // §2: $PSN, and the default Profile_Rule /$PSN.xml that serve answers.
  { fact: '§2 $PSN', command: ['render'], option: '--name', says: PSN },
  { fact: '§2 $PSN', command: ['rule', 'expand'], option: '--model', says: PSN },
  { fact: '§2 $PSN', command: ['fetch'], option: '--model', says: PSN },
  {
    fact: '§2 default Profile_Rule /$PSN.xml',
    command: ['serve'],
    option: '--bootstrap-template',
    says: [/\/\$PSN\.xml/, /\[open\]: \$PSN taken as the model number, 8841, 191 for an ATA191/],
  },
  // §1: what an empty value means.
  {
    fact: '§1 empty values',
    command: ['validate'],
    option: '--empty-values',
    says: [
      /\[open: the guides say both "sets an empty value" and "resets to the default"; default accept\]/,
      /default: "accept"/,
    ],
  },
  // §6: line-key counts per model.
  {
    fact: '§6 line and key counts per model',
    command: ['models'],
    says: [/marked \[open\] in its source \(see --sources\)/, /--ignore-rule model-capacity/],
  },
];

test('every [open] fact of the reference is stated, with its default, in the --help that makes the choice', async () => {
  const helps = new Map<string, string>();
  for (const { fact, command, option, says } of FACTS) {
    const key = command.join(' ');
    let help = helps.get(key);
    if (help === undefined) {
      const run = await runCliShared([...command, '--help']);
      assert.equal(run.code, 0, key);
      help = run.stdout;
      helps.set(key, help);
    }
    const text = option === undefined ? description(help) : optionHelp(help, option);
    for (const pattern of says) {
      assert.match(text, pattern, `${fact}: cisco-prov ${key} --help ${option ?? '(description)'}`);
    }
  }
});

test('the option help reader finds wrapped help and refuses an option that is not there', () => {
  const help =
    'Options:\n  --md-x  no\n  --md <digest>   one\n                  two\n  --other         x\n';
  assert.equal(optionHelp(help, '--md'), '--md <digest> one two');
  assert.throws(() => optionHelp(help, '--rs'), /--rs is not in the help/);
});
