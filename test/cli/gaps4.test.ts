// The leftovers of the last trial round (gaps4), each through the spawned CLI: --keys for one
// file, duplicate keys in a JSON inventory, JSON syntax errors by line and column, YAML
// inventory messages, a misspelt --keys header, key files readable by others, and a one-thread
// render stopped by SIGINT.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { displayNameProfile, opensslDecrypt } from '../helpers/openssl-enc.js';
import { interruptOnceWritten } from '../helpers/interrupt.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';

const profile = displayNameProfile;
const { fresh } = testDirectory('cisco-prov-gaps4-');

describe('encrypt/decrypt --keys without --out-dir: the key is looked up as a batch does', () => {
  test('encrypt takes the row of the file by its name, not a key asked for elsewhere', async () => {
    const d = fresh('keys-one-name');
    writeFileSync(join(d, 'lobby.xml'), profile('Lobby'));
    writeFileSync(join(d, 'keys.csv'), 'file,key\nlobby.xml,Row-Secret-1\nother.xml,Row-2\n');
    const r = await runCli(['encrypt', '--keys', 'keys.csv', 'lobby.xml', '-o', 'lobby.cfg'], {
      cwd: d,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(opensslDecrypt(join(d, 'lobby.cfg'), 'Row-Secret-1'), profile('Lobby'));
    // decrypt finds lobby.cfg's key under lobby.xml, as a batch does.
    const back = await runCli(['decrypt', '--keys', 'keys.csv', 'lobby.cfg'], { cwd: d });
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, profile('Lobby'));
  });

  test('by the MAC in the file name; the row wins over a key for all, which is the fallback', async () => {
    const d = fresh('keys-one-mac');
    writeFileSync(join(d, 'SEP001122AABBCC.xml'), profile('Mac'));
    writeFileSync(join(d, 'plain.xml'), profile('All'));
    writeFileSync(join(d, 'keys.csv'), 'mac,key\n00:11:22:aa:bb:cc,Mac-Row-Key\n');
    const env = { ALL: 'Key-For-All' };
    const a = await runCli(
      ['encrypt', '--keys', 'keys.csv', '--key-env', 'ALL', 'SEP001122AABBCC.xml', '-o', 'a.cfg'],
      { cwd: d, env },
    );
    assert.equal(a.code, 0, a.stderr);
    assert.equal(opensslDecrypt(join(d, 'a.cfg'), 'Mac-Row-Key'), profile('Mac'));
    const b = await runCli(
      ['encrypt', '--keys', 'keys.csv', '--key-env', 'ALL', 'plain.xml', '-o', 'b.cfg'],
      { cwd: d, env },
    );
    assert.equal(b.code, 0, b.stderr);
    assert.equal(opensslDecrypt(join(d, 'b.cfg'), 'Key-For-All'), profile('All'));
  });

  test('a file with no row and no key for all: exit 1, one line naming the file, no key', async () => {
    const d = fresh('keys-one-none');
    writeFileSync(join(d, 'p.xml'), profile('P'));
    writeFileSync(join(d, 'keys.csv'), 'file,key\nother.xml,Never-Shown\n');
    for (const command of ['encrypt', 'decrypt']) {
      const r = await runCli([command, '--keys', 'keys.csv', 'p.xml'], { cwd: d });
      assert.equal(r.code, 1, `${command}: ${r.stderr}`);
      assert.match(r.stderr, /p\.xml: no key for this file/);
      assert.doesNotMatch(r.stderr, /Never-Shown/);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    }
  });

  test('a file name with a newline and an escape is one line, escaped', async () => {
    const d = fresh('keys-one-newline');
    const name = 'a\nb\u001b[31m.xml';
    writeFileSync(join(d, name), profile('P'));
    writeFileSync(join(d, 'keys.csv'), 'file,key\nother.xml,K\n');
    const r = await runCli(['encrypt', '--keys', 'keys.csv', name], { cwd: d });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stderr,
      'cisco-prov: a\\x0ab\\x1b[31m.xml: no key for this file (no row of --keys keys.csv by its name or the MAC in it, and no --key*/--ikm* for all)\n',
    );
  });

  test('stdin has no name to look up: exit 2, before reading it', async () => {
    const d = fresh('keys-one-stdin');
    writeFileSync(join(d, 'keys.csv'), 'file,key\np.xml,K\n');
    for (const command of ['encrypt', 'decrypt']) {
      const r = await runCli([command, '--keys', 'keys.csv'], { cwd: d, input: profile('x') });
      assert.equal(r.code, 2, `${command}: ${r.stderr}`);
      assert.match(r.stderr, /--keys finds a key by the input's file name/);
      assert.equal(r.stdout, '');
    }
  });
});

describe('render: a JSON inventory with a key given twice in one device is refused', () => {
  const TEMPLATE =
    '<flat-profile><Display_Name_1_>{{ display_name }}</Display_Name_1_></flat-profile>\n';
  const device = (i: number, extra = '') =>
    `  {"mac":"${(0x00562b000000 + i).toString(16).padStart(12, '0')}","model":"8841","display_name":"User ${i}","notes":"${'n'.repeat(300)}"${extra}}`;

  for (const [name, count] of [
    ['parsed whole (a small file)', 3],
    // Past JSON_WHOLE_PARSE_BYTES (8 MiB) the file is read a device at a time from disk.
    ['read a device at a time (a file above 8 MiB)', 25_000],
  ] as const) {
    test(`${name}: exit 1, file, line and the key's name, never its values; nothing written`, async () => {
      const d = fresh(`dup-json-${count}`);
      writeFileSync(join(d, '$MA.xml'), TEMPLATE);
      const devices = Array.from({ length: count }, (_, i) =>
        device(
          i,
          i === count - 1 ? ',\n   "sip_password":"Dup-Pw-One","sip_password":"Dup-Pw-Two"' : '',
        ),
      );
      const text = `{"devices":[\n${devices.join(',\n')}\n]}\n`;
      if (count > 3) assert.ok(text.length > 8 * 1024 * 1024, `${text.length} bytes`);
      writeFileSync(join(d, 'inv.json'), text);
      const r = await runCli(['render', '-t', '$MA.xml', '-i', 'inv.json', '-o', 'out'], {
        cwd: d,
      });
      assert.equal(r.code, 1, r.stderr);
      const line = count + 2;
      assert.match(
        r.stderr,
        new RegExp(
          `^cisco-prov: inv\\.json: line ${line}, col 32, field sip_password: "sip_password" is given twice in one map \\(first at line ${line}, col 4\\)`,
        ),
      );
      assert.doesNotMatch(r.stderr, /Dup-Pw/);
      assert.equal(existsSync(join(d, 'out')), false, 'nothing written');
    });
  }
});

describe('convert and diff: a JSON syntax error by line and column, never the text', () => {
  const SECRET = 'Gaps4-Json-Secret';
  const cases: [string, string, string][] = [
    // V8 names a position: turned into line and column.
    [
      'a missing comma',
      `{\n  "Station_Name": {"value": "Lobby"}\n  "Password_1_": {"value": "${SECRET}"}\n}\n`,
      "line 3, col 3: not valid JSON (expected ',' or '}' after property value)",
    ],
    // V8 (Node 20) names none for an unexpected token: the streaming reader places it.
    [
      'an unquoted value',
      `{\n  "Station_Name": {"value": "Lobby"},\n  "Password_1_": {"value": ${SECRET}}\n}\n`,
      'line 3, col 28: not valid JSON (unexpected character)',
    ],
  ];
  for (const [label, text, expected] of cases) {
    test(`${label}: convert exit 1, diff exit 2, one line with the place`, async () => {
      const d = fresh(`json-place-${label.replace(/ /g, '-')}`);
      writeFileSync(join(d, 'p.json'), text);
      writeFileSync(join(d, 'q.xml'), profile('x'));
      const c = await runCli(['convert', 'p.json', '--to', 'xml'], { cwd: d });
      assert.equal(c.code, 1, c.stderr);
      assert.equal(c.stderr, `cisco-prov: p.json: ${expected}\n`);
      const r = await runCli(['diff', 'p.json', 'q.xml'], { cwd: d });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `cisco-prov: p.json: ${expected}\n`);
      assert.doesNotMatch(c.stderr + r.stderr + c.stdout + r.stdout, new RegExp(SECRET));
    });
  }
});

describe('YAML errors: one clean line with file, line and column, no stray colon', () => {
  const SECRET = 'Gaps4-Yaml-Secret';
  const TEMPLATE = '<flat-profile><Display_Name_1_>{{ mac }}</Display_Name_1_></flat-profile>\n';
  const cases: [string, string, string][] = [
    [
      'a key twice',
      `devices:\n  - mac: 00562b000001\n    model: "8841"\n    sip_password: ${SECRET}\n    sip_password: ${SECRET}2\n`,
      'line 5, col 5: not valid YAML (map keys must be unique)',
    ],
    [
      'an unclosed quote',
      `devices:\n  - mac: 00562b000001\n    sip_password: "${SECRET}\n`,
      'line 4, col 1: not valid YAML (missing closing "quote)',
    ],
    [
      'a tab as indentation',
      `devices:\n\t- mac: 00562b000001\n`,
      'line 2, col 1: not valid YAML (tabs are not allowed as indentation)',
    ],
    [
      'a reserved character',
      `devices:\n  - mac: 00562b000001\n    model: @${SECRET}\n`,
      'line 3, col 12: not valid YAML (plain value cannot start with reserved character @)',
    ],
  ];
  for (const [label, text, expected] of cases) {
    test(`${label}: the inventory (whole and read a device at a time) and --vars: exit 1`, async () => {
      const d = fresh(`yaml-error-${label.replace(/ /g, '-')}`);
      writeFileSync(join(d, '$MA.xml'), TEMPLATE);
      writeFileSync(join(d, 'inv.yaml'), text);
      // Past YAML_WHOLE_PARSE_CHARS (1 MiB) the inventory is read a device at a time: the
      // mistake, a megabyte of comment lines further down, is reported alike.
      const lines = 20_000;
      writeFileSync(
        join(d, 'big.yaml'),
        `${'# padding line of a large inventory ....\n'.repeat(lines)}${text}`,
      );
      const bigExpected = expected.replace(
        /^line (\d+)/,
        (_, n: string) => `line ${Number(n) + lines}`,
      );
      const ok = 'devices:\n  - mac: 00562b000001\n    model: "8841"\n';
      writeFileSync(join(d, 'ok.yaml'), ok);
      writeFileSync(join(d, 'vars.yaml'), text);
      const runs: [string[], string, number][] = [
        [['render', '-t', '$MA.xml', '-i', 'inv.yaml', '-o', 'out'], `inv.yaml: ${expected}`, 1],
        [['render', '-t', '$MA.xml', '-i', 'big.yaml', '-o', 'out'], `big.yaml: ${bigExpected}`, 1],
        [
          ['render', '-t', '$MA.xml', '-i', 'ok.yaml', '--vars', 'vars.yaml', '-o', 'out'],
          `vars.yaml: ${expected.replace('not valid YAML', 'not valid YAML or JSON')}`,
          1,
        ],
      ];
      for (const [args, line, code] of runs) {
        const r = await runCli(args, { cwd: d });
        assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
        const first = r.stderr.split('\n')[0]!;
        assert.equal(first, `cisco-prov: ${line}`, args.join(' '));
        assert.doesNotMatch(r.stderr, new RegExp(SECRET));
        assert.equal(existsSync(join(d, 'out')), false);
      }
    });
  }

  test('convert and diff of a YAML profile: the place once, no stray colon', async () => {
    const d = fresh('yaml-profile-error');
    writeFileSync(join(d, 'p.yaml'), `Station_Name: a\nPassword_1_: ${SECRET}\nStation_Name: b\n`);
    const r = await runCli(['convert', 'p.yaml', '--to', 'xml'], { cwd: d });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stderr,
      'cisco-prov: p.yaml: line 3, col 1: not valid YAML: Map keys must be unique\n',
    );
  });
});

describe('--keys CSV with a misspelt header: the expected columns and the header found', () => {
  const cases: [string, string, string][] = [
    [
      'file,keyy',
      'the header has no key or ikm column: expected file and/or mac, and key and/or ikm; found file, keyy (did you mean key for keyy?)',
      'a key column misspelt',
    ],
    [
      'fiel,key,notes',
      'the header has no file or mac column: expected file and/or mac, and key and/or ikm; found fiel, key, notes (did you mean file for fiel?)',
      'a file column misspelt, an extra column',
    ],
    [
      'MAC Address,IKM',
      'the header has no file or mac column: expected file and/or mac, and key and/or ikm; found mac address, ikm (did you mean mac for mac address?)',
      'a common name for a column',
    ],
    [
      'lobby.xml,Row-Secret-Not-Shown',
      'no header row: expected file and/or mac, and key and/or ikm; the first line names none of them (its 2 cell(s) are not shown: a data row holds a key)',
      'no header row: the data row is never echoed',
    ],
  ];
  test('a header of 5,000 columns: at most 20 names in the line', async () => {
    const d = fresh('keys-header-wide');
    writeFileSync(join(d, 'p.xml'), profile('P'));
    const names = ['file', ...Array.from({ length: 4999 }, (_, i) => `col${i}`)];
    writeFileSync(join(d, 'keys.csv'), `${names.join(',')}\n`);
    const r = await runCli(['encrypt', '--keys', 'keys.csv', 'p.xml', '-o', 'p.cfg'], { cwd: d });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /; found file, col0, .*, col18, 4980 more\n$/);
    assert.ok(r.stderr.length < 400, `${r.stderr.length} characters`);
  });

  for (const [header, message, label] of cases) {
    test(`${label}: exit 2, one line`, async () => {
      const d = fresh(`keys-header-${label.replace(/[^a-z]+/g, '-')}`);
      writeFileSync(join(d, 'p.xml'), profile('P'));
      writeFileSync(join(d, 'keys.csv'), `${header}\np.xml,Row-Secret-Two\n`);
      for (const args of [
        ['--out-dir', 'out'],
        ['-o', 'p.cfg'],
      ]) {
        const r = await runCli(['encrypt', '--keys', 'keys.csv', 'p.xml', ...args], { cwd: d });
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stderr, `cisco-prov: --keys keys.csv:1: ${message}\n`);
        assert.doesNotMatch(r.stderr, /Row-Secret/i);
      }
    });
  }
});

describe('a key file or --keys CSV other users can read: one warning, the command still runs', () => {
  const WARNING =
    /can be read by (every user|its group) \(mode 0\d{3}\); a file of secrets should be readable by its owner only/;
  const count = (text: string) => text.split('\n').filter((l) => WARNING.test(l)).length;

  test('--key-file 0644 and 0640 warn once (encrypt, decrypt); 0600 does not', async () => {
    const d = fresh('exposed-key-file');
    writeFileSync(join(d, 'p.xml'), profile('P'));
    writeFileSync(join(d, 'key.txt'), 'Exposed-Key\n');
    for (const [mode, who] of [
      [0o644, 'every user (mode 0644)'],
      [0o640, 'its group (mode 0640)'],
    ] as const) {
      chmodSync(join(d, 'key.txt'), mode);
      const e = await runCli(['encrypt', '--key-file', 'key.txt', 'p.xml', '-o', 'p.cfg'], {
        cwd: d,
      });
      assert.equal(e.code, 0, e.stderr);
      assert.equal(
        e.stderr,
        `cisco-prov: warning: --key-file key.txt can be read by ${who}; a file of secrets should be readable by its owner only: chmod 600 it\n`,
      );
      assert.equal(opensslDecrypt(join(d, 'p.cfg'), 'Exposed-Key'), profile('P'));
      const back = await runCli(['decrypt', '--key-file', 'key.txt', 'p.cfg'], { cwd: d });
      assert.equal(back.code, 0, back.stderr);
      assert.equal(count(back.stderr), 1, back.stderr);
      assert.doesNotMatch(back.stderr, /Exposed-Key/);
    }
    chmodSync(join(d, 'key.txt'), 0o600);
    const quiet = await runCli(['encrypt', '--key-file', 'key.txt', 'p.xml', '-o', 'p.cfg'], {
      cwd: d,
    });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
  });

  test('not for stdin, /dev/fd or a FIFO, whatever their mode', async () => {
    const d = fresh('exposed-key-pipe');
    writeFileSync(join(d, 'p.xml'), profile('P'));
    // /dev/stdin and /dev/fd/3 opened on a 0644 file by the shell: the user's own redirection.
    writeFileSync(join(d, 'key.txt'), 'Shell-Key\n');
    chmodSync(join(d, 'key.txt'), 0o644);
    for (const [path, redirect] of [
      ['/dev/stdin', '< key.txt'],
      ['/dev/fd/3', '3< key.txt'],
    ]) {
      const shell = spawnSync(
        'sh',
        [
          '-c',
          `"$1" "$2" encrypt --key-file ${path} p.xml -o a.cfg ${redirect}`,
          'sh',
          process.execPath,
          BIN,
        ],
        { cwd: d, encoding: 'utf8' },
      );
      assert.equal(shell.status, 0, shell.stderr);
      assert.equal(shell.stderr, '', path);
      assert.equal(opensslDecrypt(join(d, 'a.cfg'), 'Shell-Key'), profile('P'));
    }
    const fifo = join(d, 'key.fifo');
    execFileSync('mkfifo', ['-m', '644', fifo]);
    const writer = spawn('sh', ['-c', `printf 'Fifo-Key\\n' > "$1"`, 'sh', fifo]);
    const written = new Promise((done) => writer.on('close', done));
    const r = await runCli(['encrypt', '--key-file', fifo, 'p.xml', '-o', 'b.cfg'], { cwd: d });
    await written;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(opensslDecrypt(join(d, 'b.cfg'), 'Fifo-Key'), profile('P'));
  });

  test('--keys 0644: one warning on stderr, never in the --json report on stdout', async () => {
    const d = fresh('exposed-keys-csv');
    writeFileSync(join(d, 'p.xml'), profile('P'));
    writeFileSync(join(d, 'keys.csv'), 'file,key\np.xml,Csv-Key\n');
    chmodSync(join(d, 'keys.csv'), 0o644);
    const r = await runCli(
      ['encrypt', '--keys', 'keys.csv', 'p.xml', '--out-dir', 'out', '--json'],
      {
        cwd: d,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(count(r.stderr), 1, r.stderr);
    assert.match(r.stderr, /--keys keys\.csv can be read by every user/);
    assert.equal(JSON.parse(r.stdout).written, 1);
    assert.doesNotMatch(r.stdout, /warning|mode/);
    const one = await runCli(['encrypt', '--keys', 'keys.csv', 'p.xml', '-o', 'p.cfg'], { cwd: d });
    assert.equal(one.code, 0, one.stderr);
    assert.equal(count(one.stderr), 1, one.stderr);
  });

  test('render: the warning, silenced by --quiet', async () => {
    const d = fresh('exposed-render');
    writeFileSync(join(d, '$MA.xml'), profile('{{ mac }}'));
    writeFileSync(join(d, 'inv.csv'), 'mac,model\n00562b000001,8841\n');
    writeFileSync(join(d, 'key.txt'), 'Render-Key\n');
    chmodSync(join(d, 'key.txt'), 0o644);
    const base = ['render', '-t', '$MA.xml', '-i', 'inv.csv', '--encrypt', 'aes-256-cbc'];
    const loud = await runCli([...base, '--key-file', 'key.txt', '-o', 'a'], { cwd: d });
    assert.equal(loud.code, 0, loud.stderr);
    assert.equal(count(loud.stderr), 1, loud.stderr);
    const quiet = await runCli([...base, '--key-file', 'key.txt', '-o', 'b', '--quiet'], {
      cwd: d,
    });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(count(quiet.stderr), 0, quiet.stderr);
  });
});

describe('a signal during a one-thread render', () => {
  test('SIGINT while render --jobs 1 writes 20,000 profiles: exit 130 before the end, no temp file left', async () => {
    const d = fresh('render-sigint');
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `${(0x00562b000000 + i).toString(16).padStart(12, '0')},8841,User ${i}`,
    );
    writeFileSync(join(d, 'inv.csv'), `mac,model,display_name\n${rows.join('\n')}\n`);
    writeFileSync(
      join(d, 't.xml'),
      '<flat-profile>\n<Station_Name>{{ display_name }}</Station_Name>\n<Text_Logo>{% for i in (1..200) %}{{ i }}{% endfor %}</Text_Logo>\n</flat-profile>\n',
    );
    const out = join(d, 'out');
    // As soon as the first profile is there, the writing is under way: interrupt it.
    const { code, left } = await interruptOnceWritten(
      ['render', '-t', 't.xml', '-i', 'inv.csv', '-o', out, '--jobs', '1'],
      out,
      '.xml',
      { cwd: d },
    );
    assert.equal(code, 130);
    assert.deepEqual(
      left.filter((n) => !n.endsWith('.xml')),
      [],
      'no temp file left',
    );
    assert.ok(left.length < 20_000, `${left.length} files: the render ran to its end`);
  });
});

describe('encrypt/decrypt --out-dir: a symlinked subdirectory of --out-dir', () => {
  test('that leads elsewhere is refused for its files (exit 3), nothing written through it', async () => {
    const d = fresh('outdir-symlink');
    mkdirSync(join(d, 'in/sub'), { recursive: true });
    writeFileSync(join(d, 'in/top.xml'), profile('top'));
    writeFileSync(join(d, 'in/sub/x.xml'), profile('x'));
    mkdirSync(join(d, 'out'));
    mkdirSync(join(d, 'elsewhere'));
    symlinkSync(join(d, 'elsewhere'), join(d, 'out/sub'));
    const r = await runCli(['encrypt', '--key-env', 'K', 'in', '--out-dir', 'out'], {
      cwd: d,
      env: { K: 'Symlink-Key' },
    });
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /in\/sub\/x\.xml: cannot write into out\/sub: its real path leaves the output directory/,
    );
    assert.deepEqual(readdirSync(join(d, 'elsewhere')), []);
    assert.equal(opensslDecrypt(join(d, 'out/top.cfg'), 'Symlink-Key'), profile('top'));
  });
});

describe('-o onto the file a secret came from is refused (exit 2): the key is never lost', () => {
  test('encrypt, decrypt, convert with --key-file, by name or a link; encrypt with --keys', async () => {
    const d = fresh('output-over-key');
    writeFileSync(join(d, 'p.xml'), profile('P'));
    writeFileSync(join(d, 'key.txt'), 'Kept-Key\n', { mode: 0o600 });
    writeFileSync(join(d, 'keys.csv'), 'file,key\np.xml,Kept-Row\n', { mode: 0o600 });
    symlinkSync('key.txt', join(d, 'key-link'));
    const made = await runCli(['encrypt', '--key-file', 'key.txt', 'p.xml', '-o', 'p.cfg'], {
      cwd: d,
    });
    assert.equal(made.code, 0, made.stderr);
    const runs: [string[], string][] = [
      [
        ['encrypt', '--key-file', 'key.txt', 'p.xml', '-o', 'key.txt'],
        '-o key.txt is the --key-file',
      ],
      [
        ['encrypt', '--key-file', 'key.txt', 'p.xml', '-o', 'key-link'],
        '-o key-link is the --key-file',
      ],
      [
        ['decrypt', '--key-file', 'key.txt', 'p.cfg', '-o', 'key.txt'],
        '-o key.txt is the --key-file',
      ],
      [
        ['convert', '--key-file', 'key.txt', 'p.cfg', '--to', 'json', '-o', 'key.txt'],
        '-o key.txt is the --key-file',
      ],
      [
        ['encrypt', '--keys', 'keys.csv', 'p.xml', '-o', 'keys.csv'],
        '-o keys.csv is the --keys CSV',
      ],
    ];
    for (const [args, message] of runs) {
      const r = await runCli(args, { cwd: d });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(
        r.stderr,
        `cisco-prov: ${message}: writing there would replace the secret; choose another -o\n`,
      );
      assert.equal(readFileSync(join(d, 'key.txt'), 'utf8'), 'Kept-Key\n');
      assert.equal(readFileSync(join(d, 'keys.csv'), 'utf8'), 'file,key\np.xml,Kept-Row\n');
    }
  });
});
