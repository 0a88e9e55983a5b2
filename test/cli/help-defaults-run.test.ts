// The defaults --help states are the ones the commands use: for each option, the help says its
// default; a run without the option and a run with that value given print the same bytes and
// exit the same; a run with a neighbouring value does not (so the option does something, and a
// default that moved would show). Deterministic inputs: fixed salts, a fixed --now.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, runCliShared, type CliRun } from '../helpers/run-cli.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { README, matchesShown, outputLines } from '../helpers/readme.js';

let dir: string;
const env = { K: 'Example-Key-1' };
const PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
  <Station_Name ua="na">Lobby</Station_Name>
  <Voice_Mail_Number></Voice_Mail_Number>
  <Resync_Periodic ua="na">3600</Resync_Periodic>
</flat-profile>
`;
const IKM = 'hex:000102030405060708090a0b0c0d0e0f';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cp-help-defaults-run-'));
  writeFileSync(join(dir, 'p.xml'), PROFILE);
  // openssl's own PBKDF2 file (its default: 10000 iterations, sha256)
  execFileSync('openssl', [
    'enc',
    '-aes-256-cbc',
    '-pbkdf2',
    '-k',
    env.K,
    '-in',
    join(dir, 'p.xml'),
    '-out',
    join(dir, 'p.pbkdf2'),
  ]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Each command's --help, run once (most commands have several cases). */
const helps = new Map<string, Promise<string>>();

/** The option's help, wrapped lines joined, white space made one space. */
async function optionHelp(command: string[], flag: string): Promise<string> {
  const key = command.join(' ');
  if (!helps.has(key))
    helps.set(
      key,
      runCliShared([...command, '--help']).then((r) => r.stdout),
    );
  const help = await helps.get(key)!;
  const lines = help.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^ {2}(-\\w, )?${flag}(?= |,|$)`).test(l));
  assert.notEqual(start, -1, `${command.join(' ')} --help has ${flag}`);
  const text = [lines[start]!];
  for (const line of lines.slice(start + 1)) {
    if (!/^ {6,}\S/.test(line)) break;
    text.push(line);
  }
  return text.join(' ').replace(/\s+/g, ' ');
}

interface Case {
  command: string[];
  /** The rest of the command line, before the option. */
  base: string[];
  option: string;
  value: string;
  /** What the help says of the default. */
  says: RegExp;
  /** A value whose run differs. */
  neighbour?: string;
}

const CBC = ['--key-env', 'K', '--salt', '0102030405060708'];
const GCM = ['--ikm', IKM, '--salt', '00112233445566778899aabbccddeeff', '--unsafe-fixed-salt'];
const LOG = 'test/fixtures/logs/combined.log';
const RENDER = ['-i', 'examples/inventory.csv', '--dry-run', '--json', '--out', 'OUT'];
const ENCRYPT = ['--encrypt', 'aes-256-cbc', '--key-env', 'K'];

const CASES: Case[] = [
  {
    command: ['encrypt'],
    base: [...GCM, 'P'],
    option: '--rs',
    value: '4096',
    says: /\(default: 4096\)/,
    neighbour: '4095',
  },
  {
    command: ['encrypt'],
    base: [...GCM, 'P'],
    option: '--keyid',
    value: '',
    says: /\(default: ""\)/,
    neighbour: 'k1',
  },
  {
    command: ['encrypt'],
    base: [...GCM, 'P'],
    option: '--pad',
    value: '0',
    says: /\(default: 0\)/,
    neighbour: '1',
  },
  {
    command: ['encrypt'],
    base: [...CBC, 'P'],
    option: '--md',
    value: 'md5',
    says: /default: "md5"/,
    neighbour: 'sha256',
  },
  {
    command: ['encrypt'],
    base: [...CBC, 'P'],
    option: '--cipher',
    value: 'aes-256-cbc',
    says: /\(default: from --key or --ikm\)/,
  },
  {
    command: ['encrypt'],
    base: [...GCM, 'P'],
    option: '--cipher',
    value: 'aes128gcm',
    says: /\(default: from --key or --ikm\)/,
  },
  {
    command: ['decrypt'],
    base: ['--key-env', 'K', '--pbkdf2', 'PBKDF2'],
    option: '--iter',
    value: '10000',
    says: /\(default: 10000\)/,
    neighbour: '9999',
  },
  {
    command: ['decrypt'],
    base: ['--key-env', 'K', '--pbkdf2', 'PBKDF2'],
    option: '--max-size',
    value: '64M',
    says: /64M \(the default\)/,
  },
  {
    command: ['validate'],
    base: ['P'],
    option: '--empty-values',
    value: 'accept',
    says: /default: "accept"/,
    neighbour: 'warn',
  },
  {
    command: ['validate'],
    base: ['P', '--empty-values', 'warn'],
    option: '--format',
    value: 'stylish',
    says: /default: "stylish"/,
    neighbour: 'json',
  },
  {
    command: ['inspect'],
    base: ['Cisco-CP-8841-3PCC/11.0 (00562b043615)'],
    option: '--format',
    value: 'table',
    says: /\(default: table;/,
    neighbour: 'csv',
  },
  {
    command: ['models'],
    base: ['8841'],
    option: '--format',
    value: 'table',
    says: /\(default: table;/,
    neighbour: 'csv',
  },
  {
    command: ['rule', 'check'],
    base: ['[--delta]http://prov.example.com/r.xml'],
    option: '--kind',
    value: 'profile',
    says: /default: "profile"/,
    neighbour: 'report',
  },
  ...(
    [
      ['0056.2b04.3615', [], '$MA.xml', '$MAU.xml'],
      ['0056.2b04.3615', ENCRYPT, '$MA.cfg', '$MA.xml'],
      ['FCH2443D9R5', [], '$SN.xml', '$SN.cfg'],
      ['FCH2443D9R5', ENCRYPT, '$SN.cfg', '$SN.xml'],
    ] as const
  ).map(([device, encrypt, value, neighbour]) => ({
    command: ['render'],
    base: [...RENDER, '--device', device, ...encrypt],
    option: '--name',
    value,
    says: /\(default \$MA\.xml, \$MA\.cfg when encrypting; \$SN\.xml, \$SN\.cfg for a device without a MAC\)/,
    neighbour,
  })),
  ...(
    [
      ['--resync-periodic', '3600', /default 3600/, '3601'],
      ['--error-retry-delay', '3600', /\[open: default 3600\]/, '3601'],
      ['--history', '20', /\(default 20\)/, '1'],
      ['--title', 'Cisco phone fleet', /\(default: "Cisco phone fleet"\)/, 'x'],
    ] as const
  ).map(([option, value, says, neighbour]) => ({
    command: ['fleet'],
    base: ['--log', LOG, '--now', '2026-11-25T12:00:00Z'],
    option,
    value,
    says,
    neighbour,
  })),
  // --grace at its edge: 600 s after 00562b043615's due time it is not late yet, 601 s after it is.
  {
    command: ['fleet'],
    base: ['--log', LOG, '--now', '2026-11-25T11:10:00Z'],
    option: '--grace',
    value: '600',
    says: /\(default 600\)/,
    neighbour: '599',
  },
  {
    command: ['fleet'],
    base: ['--log', LOG, '--now', '2026-11-25T11:10:01Z'],
    option: '--grace',
    value: '600',
    says: /\(default 600\)/,
    neighbour: '601',
  },
];

function args(c: Case, extra: string[]): string[] {
  const files: Record<string, string> = {
    P: join(dir, 'p.xml'),
    PBKDF2: join(dir, 'p.pbkdf2'),
    OUT: join(dir, 'out'),
  };
  return [...c.command, ...c.base.map((a) => files[a] ?? a), ...extra];
}

/** runCli, one run per distinct command line (the runs here read fixed inputs and write nothing). */
function memoRuns(options: { env?: NodeJS.ProcessEnv } = {}): (a: string[]) => Promise<CliRun> {
  const runs = new Map<string, Promise<CliRun>>();
  return (a) => {
    const key = JSON.stringify(a);
    if (!runs.has(key)) runs.set(key, runCli(a, options));
    return runs.get(key)!;
  };
}

/** Same exit and stdout; fetch names where a value came from ("from the option"): not compared. */
const same = (a: CliRun, b: CliRun): boolean => {
  const source = (run: CliRun): string => run.stdout.replace(/from the option/g, "Cisco's default");
  return a.code === b.code && source(a) === source(b);
};

test('each default --help states is what the command does without the option', async () => {
  const wrong: string[] = [];
  // Runs with the same command line are one run (the inputs are fixed, so the run is the same):
  // cases that share a command line share its run without the option (encrypt's four aes128gcm
  // and two aes-256-cbc cases, fleet's four, decrypt's two), and validate --empty-values warn is
  // both that case's neighbour and --format's run without the option; 9 runs of the CLI fewer.
  const run = memoRuns({ env });
  for (const c of CASES) {
    const name = `${c.command.join(' ')} ${c.option} ${c.value}`;
    assert.match(await optionHelp(c.command, c.option), c.says, `${name}: --help says it`);
    const without = await run(args(c, []));
    const given = await run(args(c, [c.option, c.value]));
    assert.notEqual(without.code, null, name);
    if (!same(without, given)) {
      wrong.push(`${name}: without the option exit ${without.code}, with it exit ${given.code}`);
    }
    if (c.neighbour !== undefined) {
      const other = await run(args(c, [c.option, c.neighbour]));
      if (same(without, other)) wrong.push(`${name}: ${c.option} ${c.neighbour} changes nothing`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('keygen --bytes: 24 random bytes for a passphrase (32 characters), 16 for an IKM (22)', async () => {
  assert.match(
    await optionHelp(['keygen'], '--bytes'),
    /\(default 24 for a passphrase, 16 for an IKM\)/,
  );
  assert.match(await optionHelp(['keygen'], '--encoding'), /default: "text"/);
  for (const [extra, length] of [
    [[], 32],
    [['--bytes', '24'], 32],
    [['--ikm'], 22],
    [['--ikm', '--bytes', '16'], 22],
    [['--ikm', '--encoding', 'text'], 22],
    [['--ikm', '--encoding', 'hex'], 4 + 32],
  ] as const) {
    const run = await runCli(['keygen', ...extra]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.replace(/\n$/, '').length, length, extra.join(' '));
  }
});

let server: TestServer;
let redirects = 0;
before(async () => {
  server = await startServer((req, res) => {
    const hops = /^\/hop\/(\d+)$/.exec(req.url ?? '');
    if (hops) {
      const left = Number(hops[1]);
      res.writeHead(302, { Location: left > 1 ? `/hop/${left - 1}` : '/p.xml' });
      redirects++;
      return res.end();
    }
    if (req.url === '/p.xml') {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      return res.end(PROFILE.replace('<Resync_Periodic ua="na">3600</Resync_Periodic>\n', ''));
    }
    res.writeHead(404);
    res.end();
  });
});
after(() => server.close());

test('fetch: the defaults --help states (resync timers, redirects) are the ones it uses', async () => {
  const ua = ['--ua', 'Cisco-CP-8841-3PCC/11.0 (00562b043615)'];
  const ok = [`${server.origin}/p.xml`, ...ua];
  const fetchCases: Case[] = [
    {
      command: ['fetch'],
      base: ok,
      option: '--resync-periodic',
      value: '3600',
      says: /\(Cisco's default 3600\)/,
      neighbour: '7200',
    },
    {
      command: ['fetch'],
      base: ok,
      option: '--resync-random-delay',
      value: '2',
      says: /\(default 2\)/,
      neighbour: '3',
    },
    {
      command: ['fetch'],
      base: [`${server.origin}/hop/5`, ...ua],
      option: '--max-redirects',
      value: '5',
      says: /default 5\]/,
      neighbour: '4',
    },
    {
      command: ['fetch'],
      base: [`${server.origin}/missing.xml`, ...ua],
      option: '--error-retry-delay',
      value: '60,120,240,480,960,1920,3840,7680,15360,30720,61440,86400',
      says: /default the 2025 backoff 60,120,240,…,86400\]/,
      neighbour: '3600',
    },
  ];
  const wrong: string[] = [];
  // As above, one run per command line: the first two cases' run without the option, and the
  // README's two checks below read the runs of `ok` and of missing.xml without options.
  const run = memoRuns();
  for (const c of fetchCases) {
    const name = `fetch ${c.option} ${c.value}`;
    assert.match(await optionHelp(c.command, c.option), c.says, name);
    const without = await run(args(c, []));
    const given = await run(args(c, [c.option, c.value]));
    if (!same(without, given)) wrong.push(`${name}: ${without.stdout}\n---\n${given.stdout}`);
    const other = await run(args(c, [c.option, c.neighbour!]));
    if (same(without, other)) wrong.push(`${name}: ${c.option} ${c.neighbour} changes nothing`);
  }
  assert.deepEqual(wrong, []);
  assert.ok(redirects > 0, 'the redirect chain was followed');
  // what the README's fetch section shows for these defaults: "up to 40 s", and its B line
  const okRun = await run(['fetch', ...ok]);
  assert.equal(okRun.code, 0, okRun.stderr);
  assert.match(okRun.stdout, /^next +in 3600 s \+ up to 40 s at random/m);
  const missing = await run(['fetch', `${server.origin}/missing.xml`, ...ua]);
  assert.equal(missing.code, 1);
  const shown = README.split('\n').find((l) => l.startsWith('next     in 60 s'));
  assert.ok(shown, 'the README shows the retry after a B');
  assert.ok(matchesShown([shown], [outputLines(missing.stdout).at(-1)!]), missing.stdout);
});

test('fleet --md: encrypted reports open with md5, then sha256, unless --md says which', async () => {
  assert.match(
    await optionHelp(['fleet'], '--md'),
    /\[open: Cisco documents openssl 0\.9\.7c \(md5\), newer openssl uses sha256; default: md5, then sha256\]/,
  );
  const site = join(dir, 'fleet-site');
  cpSync(join(ROOT, 'test/fixtures/drift'), site, { recursive: true });
  const report = join(site, 'reports', '00562b043615.xml');
  const sealed = await runCli(
    ['encrypt', '--key-env', 'K', '--md', 'md5', report, '-o', `${report}.cfg`],
    { env },
  );
  assert.equal(sealed.code, 0, sealed.stderr);
  renameSync(`${report}.cfg`, report);
  const page = (extra: string[]): Promise<CliRun> =>
    runCli(
      [
        ...['fleet', '--log', join(ROOT, LOG), '--now', '2026-11-25T12:00:00Z'],
        ...['--reports', 'reports', '-i', 'inventory.csv', '-t', 'templates', '--key-env', 'K'],
        ...extra,
      ],
      { cwd: site, env },
    );
  const without = await page([]);
  assert.equal(without.code, 0, without.stderr);
  assert.ok(same(without, await page(['--md', 'md5'])), '--md md5 is what fleet tries first');
  const sha = await page(['--md', 'sha256']);
  assert.equal(sha.code, 0, sha.stderr);
  assert.ok(!same(without, sha), 'a report sealed with md5 does not open with --md sha256');
  assert.match(sha.stdout, /bad decrypt/);
});
