// The README's shell examples as a user runs them, read from README.md at test time: Get started
// (render the bundled fleet, the round trip through encrypt/decrypt/validate), decrypt's three
// lines, encrypt's (one file, --out-dir, --keys), render's examples, serve's start line, request
// and bootstrap, rule expand and its output, fetch's two runs (a local server stands in for
// prov.example.com). Each runs in a fresh directory holding a copy of examples/ and templates/,
// and is held to what the README says next to it (file names, models, exit codes, the lines it
// shows).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, type CliRun } from '../helpers/run-cli.js';
import {
  README,
  blocksUnder,
  matchesShown,
  outputLines,
  shellLines,
  shellWords,
  type FencedBlock,
} from '../helpers/readme.js';
import { startServer } from '../helpers/http-server.js';
import { httpRequest, startServe } from '../helpers/serve.js';

let dir: string;
const env: Record<string, string> = {};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cp-readme5-'));
  for (const d of ['examples', 'templates'])
    cpSync(join(ROOT, d), join(dir, d), { recursive: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The words of `[npx ]cisco-prov …` (no other shell syntax). */
function cliWords(command: string): string[] {
  const words = shellWords(command.replace(/^npx /, ''));
  assert.ok(words && words[0] === 'cisco-prov', `a cisco-prov command: ${command}`);
  return words.slice(1);
}

/**
 * Runs one README shell line the way sh would for the forms the README uses: `npm ci && …`
 * (installing is this test run's own), `export VAR="$(npx cisco-prov …)"`, a pipe of two
 * cisco-prov commands, `> file`. Returns every command's run, in order.
 */
async function sh(command: string): Promise<CliRun[]> {
  const install = /^npm ci && (.*)$/.exec(command);
  if (install) return sh(install[1]!);
  const exported = /^export (\w+)="\$\((.*)\)"$/.exec(command);
  if (exported) {
    const [run] = await sh(exported[2]!);
    env[exported[1]!] = run!.stdout.replace(/\n$/, '');
    return [run!];
  }
  const redirected = /^(.*) > (\S+)$/.exec(command);
  if (redirected) {
    const runs = await sh(redirected[1]!);
    writeFileSync(join(dir, redirected[2]!), runs.at(-1)!.stdoutBytes);
    return runs;
  }
  const runs: CliRun[] = [];
  let input: Buffer | undefined;
  for (const part of command.split(' | ')) {
    const run = await runCli(cliWords(part), { cwd: dir, env, ...(input ? { input } : {}) });
    runs.push(run);
    input = run.stdoutBytes;
  }
  return runs;
}

function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, heading);
  return README.slice(start, README.indexOf('\n#', start + heading.length + 2));
}

interface Report {
  devices: { device: string; model: string; status: string; file?: string }[];
}

describe('Get started, as written', () => {
  const [install, roundTrip] = blocksUnder('## Get started', 'sh') as [FencedBlock, FencedBlock];

  test('the first command renders the bundled fleet into out/, one profile per phone', async () => {
    const [first] = shellLines(install);
    assert.match(first!.command, /^npm ci && npx cisco-prov render /);
    const [run] = await sh(first!.command);
    assert.equal(run!.code, 0, run!.stderr);
    // "an 8841, an 8851 with a key expansion module, a 6841, … an ATA191 and an ATA192"
    const prose = /renders the bundled example fleet — ([^—]+) —/.exec(section('## Get started'));
    assert.ok(prose, 'the README lists the fleet');
    const models = [...prose[1]!.matchAll(/\b(\d{4}|ATA19\d)\b/g)].map((m) => m[1]!);
    const dry = await runCli(
      [...cliWords(first!.command.replace(/^npm ci && /, '')), '--dry-run', '--json'],
      {
        cwd: dir,
      },
    );
    const report = JSON.parse(dry.stdout) as Report;
    assert.deepEqual(report.devices.map((d) => d.model).sort(), models.sort());
    const files = readdirSync(join(dir, 'out')).sort();
    assert.deepEqual(files, report.devices.map((d) => d.file!).sort(), 'one file per phone');
    // "named the way the phone asks for it (`00562b043615.xml`; `FCH2443D9R5.xml` for an ATA …)"
    const named = /\(`(\w+\.xml)`; `(\w+\.xml)` for an ATA known only by its serial\)/.exec(README);
    assert.ok(named, 'the README names two of the files');
    assert.ok(files.includes(named[1]!) && files.includes(named[2]!), files.join(' '));
  });

  test('the round trip: keygen, encrypt --gzip, decrypt | validate -', async () => {
    const lines = shellLines(roundTrip).map((l) => l.command);
    assert.equal(lines.length, 3);
    const [keygen] = await sh(lines[0]!);
    // keygen: "prints a 32-character passphrase"
    assert.match(section('### `keygen`'), /prints a 32-character passphrase/);
    assert.match(env.PROV_KEY ?? '', /^[\w-]{32}$/);
    assert.equal(keygen!.code, 0);
    const [encrypt] = await sh(lines[1]!);
    assert.equal(encrypt!.code, 0, encrypt!.stderr);
    const cfg = readFileSync(join(dir, '00562b043615.cfg'));
    assert.equal(cfg.subarray(0, 8).toString('latin1'), 'Salted__');
    const [decrypt, validate] = await sh(lines[2]!);
    assert.equal(decrypt!.code, 0, decrypt!.stderr);
    assert.deepEqual(decrypt!.stdoutBytes, readFileSync(join(dir, 'out/00562b043615.xml')));
    // exit 0: "for `validate`: clean or warnings only" (a password in a plain profile warns)
    assert.equal(validate!.code, 0, validate!.stdout);
    assert.match(validate!.stdout, /\(0 errors, \d+ warnings?\)/);
  });

  test("decrypt's three examples on that file", async () => {
    const lines = shellLines(
      blocksUnder('### `decrypt` — open, or just describe, what a phone would fetch', 'sh')[0]!,
    );
    assert.deepEqual(
      lines.map((l) => l.comment),
      ['the XML on stdout', '', 'header only, no key'],
    );
    const [xml] = await sh(lines[0]!.command);
    assert.equal(xml!.code, 0, xml!.stderr);
    assert.deepEqual(xml!.stdoutBytes, readFileSync(join(dir, 'out/00562b043615.xml')));
    // "--info prints the container, the digest that worked, salt, rs, keyid, record count, gzip
    // and sizes; --json for scripts. Never the key."
    const [info] = await sh(lines[1]!.command);
    assert.equal(info!.code, 0, info!.stderr);
    const json = JSON.parse(info!.stdout) as Record<string, unknown>;
    for (const key of ['container', 'digest', 'salt', 'rs', 'keyid', 'records', 'gzip', 'sizes']) {
      assert.ok(key in json, `--info --json has ${key}`);
    }
    assert.equal(json.digest, 'md5');
    assert.equal(json.gzip, true);
    assert.ok(!info!.stdout.includes(env.PROV_KEY!), 'never the key');
    const [header] = await sh(lines[2]!.command);
    assert.equal(header!.code, 0, header!.stderr);
    assert.match(header!.stdout, /AES-256-CBC/);
    assert.match(header!.stdout, /not tried \(no key given\)/);
  });
});

describe("encrypt's examples, on a profile and keys of one's own", () => {
  test('one file: AES-256-CBC with gzip, and aes128gcm from an IKM file', async () => {
    const lines = shellLines(
      blocksUnder('### `encrypt` — a profile the phone can decrypt', 'sh')[0]!,
    );
    assert.equal(lines.length, 3);
    // profile.xml and ikm.txt are the user's: a rendered profile, and keygen --ikm's output
    writeFileSync(join(dir, 'profile.xml'), readFileSync(join(dir, 'out/00562b043615.xml')));
    const ikm = await runCli(['keygen', '--ikm', '-o', join(dir, 'ikm.txt')]);
    assert.equal(ikm.code, 0, ikm.stderr);
    for (const { command } of lines) {
      const [run] = await sh(command);
      assert.equal(run!.code, 0, `${command}: ${run!.stderr}`);
    }
    const cbc = await runCli(['decrypt', '--key-env', 'PROV_KEY', '00562b043615.cfg'], {
      cwd: dir,
      env,
    });
    assert.equal(cbc.code, 0, cbc.stderr);
    assert.deepEqual(cbc.stdoutBytes, readFileSync(join(dir, 'profile.xml')));
    const gcm = await runCli(['decrypt', '--ikm-file', 'ikm.txt', '00562b043615.xml'], {
      cwd: dir,
    });
    assert.equal(gcm.code, 0, gcm.stderr);
    assert.deepEqual(gcm.stdoutBytes, readFileSync(join(dir, 'profile.xml')));
  });

  test('many files: --out-dir with one key, with a key per phone, and back', async () => {
    const lines = shellLines(blocksUnder('#### Many files in one call: `--out-dir`', 'sh')[0]!);
    assert.deepEqual(
      lines.map((l) => l.comment),
      ['AES-256-CBC: <name>.cfg', 'a key per phone', '<name>.cfg -> <name>.xml'],
    );
    cpSync(join(dir, 'out'), join(dir, 'profiles'), { recursive: true });
    rmSync(join(dir, 'cfg'), { recursive: true, force: true });
    const names = readdirSync(join(dir, 'profiles')).sort();
    // keys.csv: "a header row with file and/or mac, and key and/or ikm"
    writeFileSync(
      join(dir, 'keys.csv'),
      `file,key\n${names.map((n, i) => `${n},Phone-Key-${i}`).join('\n')}\n`,
      { mode: 0o600 },
    );
    const [one] = await sh(lines[0]!.command);
    assert.equal(one!.code, 0, one!.stderr);
    const cfgNames = names.map((n) => n.replace(/\.xml$/, '.cfg')).sort();
    assert.deepEqual(readdirSync(join(dir, 'cfg')).sort(), cfgNames);
    const [each] = await sh(lines[1]!.command);
    assert.equal(each!.code, 0, each!.stderr);
    assert.ok(!each!.stdout.includes('Phone-Key-'), 'the --json report holds no key');
    const lobby = await runCli(['decrypt', '--key', 'Phone-Key-0', join('cfg', cfgNames[0]!)], {
      cwd: dir,
    });
    assert.equal(lobby.code, 0, 'each file sealed with its own key');
    const [back] = await sh(lines[2]!.command);
    assert.equal(back!.code, 0, back!.stderr);
    assert.deepEqual(readdirSync(join(dir, 'plain')).sort(), names);
    for (const n of names) {
      assert.deepEqual(readFileSync(join(dir, 'plain', n)), readFileSync(join(dir, 'profiles', n)));
    }
  });
});

describe("render's examples", () => {
  const lines = shellLines(blocksUnder('#### Examples', 'sh')[0]!);
  const on = (pattern: RegExp): { command: string; comment: string } => {
    const found = lines.find((l) => pattern.test(l.command));
    assert.ok(found, `README has ${pattern}`);
    return found;
  };

  test('on the bundled inventory.yaml with --vars: written, with a JSON report', async () => {
    const [run] = await sh(on(/inventory\.yaml --vars examples\/site\.yaml/).command);
    assert.equal(run!.code, 0, run!.stderr);
    const report = JSON.parse(run!.stdout) as Report;
    assert.ok(report.devices.length > 0);
    for (const d of report.devices) assert.equal(d.status, 'written', d.device);
  });

  // The other examples name an inventory.csv of your own; the bundled one stands for it.
  const bundled = (command: string): string =>
    command
      .replace(/ inventory\.csv/, ' examples/inventory.csv')
      .replace(/ site\.yaml/, ' examples/site.yaml');

  test('a key per device from the inventory, gzip: one .cfg per device', async () => {
    const [run] = await sh(bundled(on(/--key-field profile_key --gzip/).command));
    assert.equal(run!.code, 0, run!.stderr);
    const files = readdirSync(join(dir, 'cfg'));
    assert.equal(files.length, 8);
    for (const f of files) assert.match(f, /\.cfg$/);
  });

  test('--name boot-$MA.xml: as the comment says, a device known only by its serial fails', async () => {
    assert.ok(
      README.includes(
        '# $MA: every device needs a MAC (a device known only by its serial fails: name it with $SN)',
      ),
      'the comment is above the example',
    );
    const [run] = await sh(bundled(on(/--name 'boot-\$MA\.xml'/).command));
    assert.equal(run!.code, 1);
    assert.match(run!.stderr, /serial FCH2443D9R5\): --name uses \$MA but the device has no mac/);
    assert.equal(readdirSync(join(dir, 'boot')).length, 7, 'the others are written');
  });

  test("--name '$(site)/$MA.xml': as the comment says, a column or variable named site", async () => {
    assert.ok(README.includes('# $(site): an inventory column (or variable) named site'));
    writeFileSync(join(dir, 'site-vars.yaml'), 'site: hq\n');
    const command = on(/--name '\$\(site\)\/\$MA\.xml'/).command.replace(
      ' inventory.csv',
      ' examples/inventory.csv --vars site-vars.yaml',
    );
    const [run] = await sh(command.replace(' -o out/', ' -o by-site/'));
    assert.equal(run!.code, 1, 'the device known only by its serial has no $MA');
    assert.equal(readdirSync(join(dir, 'by-site', 'hq')).length, 7);
  });

  test('--device > file, and --explain with its secrets masked', async () => {
    const [one] = await sh(bundled(on(/--device 0056\.2b04\.3615 >/).command));
    assert.equal(one!.code, 0, one!.stderr);
    assert.deepEqual(
      readFileSync(join(dir, '00562b043615.xml')),
      readFileSync(join(dir, 'out/00562b043615.xml')),
    );
    const [explain] = await sh(bundled(on(/--explain 0056\.2b04\.3615/).command));
    assert.equal(explain!.code, 0, explain!.stderr);
    assert.match(explain!.stdout, /^admin_password +"\*{8}"/m);
    assert.ok(!explain!.stdout.includes('Adm1n-Example'), 'no secret shown');
    assert.ok(!existsSync(join(dir, 'explain')), '--explain writes nothing');
  });
});

test("serve's example: the start line the README shows, the request, exit 0 on SIGTERM", async () => {
  const block = blocksUnder(
    '### `serve` — each phone its current profile, rendered per request',
    'sh',
  )[0]!;
  const [start, request] = shellLines(block).map((l) => l.command);
  const startLine = block.lines.find((l) => l.startsWith('# cisco-prov: serve: listening'))!;
  const args = cliWords(start!).slice(1); // without `serve`: startServe adds it and --port 0
  const server = await startServe(args, { cwd: dir });
  try {
    const shown = startLine.slice(2).replace(':8080', `:${server.port}`);
    assert.ok(server.stderr().split('\n').includes(shown), server.stderr());
    const curl = /^curl -A '([^']+)' http:\/\/127\.0\.0\.1:8080(\/\S+)$/.exec(request!);
    assert.ok(curl, request);
    const answer = await httpRequest(server.port, curl[2]!, { userAgent: curl[1]! });
    assert.equal(answer.status, 200);
    // "The same inventory, --vars and templates as render": the profile render makes of them.
    const rendered = await runCli(['render', ...args, '--device', '0056.2b04.3615'], { cwd: dir });
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.deepEqual(answer.body, rendered.stdoutBytes);
    // Bootstrap: `/8841.xml` from a phone the inventory names is "what render writes for it
    // with -t templates/bootstrap.liquid"
    const bootstrap = await httpRequest(server.port, '/8841.xml', { userAgent: curl[1]! });
    assert.equal(bootstrap.status, 200, server.stderr());
    const own = await runCli(
      ['render', ...args, '-t', 'templates/bootstrap.liquid', '--device', '0056.2b04.3615'],
      { cwd: dir },
    );
    assert.equal(own.code, 0, own.stderr);
    assert.deepEqual(bootstrap.body, own.stdoutBytes);
  } finally {
    assert.equal(await server.stop('SIGTERM'), 0);
  }
});

test('rule expand prints what the README shows under it', async () => {
  const heading = "### `rule`: a Profile_Rule through the phone's eyes";
  const [block] = blocksUnder(heading, 'sh');
  const [command] = shellLines(block!).map((l) => l.command);
  // the output block right after the command's
  const output = blocksUnder(heading, '').find((b) => b.line > block!.line)!;
  const [run] = await sh(command!);
  assert.equal(run!.code, 0, run!.stderr);
  assert.ok(
    matchesShown(
      output.lines.filter((l) => l !== ''),
      outputLines(run!.stdout),
    ),
    run!.stdout,
  );
});

test("fetch's two examples, with a local server in prov.example.com's place", async () => {
  const heading = '### `fetch`: one resync, as the phone would do it';
  const [command] = shellLines(blocksUnder(heading, 'sh')[0]!).map((l) => l.command);
  const [first, second] = blocksUnder(heading, '');
  // the profile behind the redirect: AES-256-CBC of gzip, Resync_Periodic 7200 (as shown)
  writeFileSync(
    join(dir, 'fetched.xml'),
    '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n  <Resync_Periodic>7200</Resync_Periodic>\n</flat-profile>\n',
  );
  const sealed = await runCli(
    ['encrypt', '--key-env', 'PROV_KEY', '--gzip', 'fetched.xml', '-o', 'fetched.cfg'],
    {
      cwd: dir,
      env,
    },
  );
  assert.equal(sealed.code, 0, sealed.stderr);
  const server = await startServer((req, res) => {
    if (req.url === '/old/00562b043615.cfg') {
      res.writeHead(302, { Location: '/cfg/00562b043615.cfg' });
      res.end();
    } else if (req.url === '/cfg/00562b043615.cfg') {
      res.writeHead(200);
      res.end(readFileSync(join(dir, 'fetched.cfg')));
    } else if (req.url === '/common.xml') {
      res.writeHead(200);
      res.end(
        `<flat-profile><Profile_Rule_B>${server.origin}/b/$MA.cfg</Profile_Rule_B></flat-profile>`,
      );
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  try {
    const local = (text: string): string =>
      text.replaceAll('http://prov.example.com', server.origin);
    const [run] = await sh(local(command!));
    assert.equal(run!.code, 0, run!.stderr);
    assert.ok(matchesShown(first!.lines.map(local), outputLines(run!.stdout)), run!.stdout);
    assert.deepEqual(
      readFileSync(join(dir, '00562b043615.xml')),
      readFileSync(join(dir, 'fetched.xml')),
    );
    // the second: Profile_Rule fetches common.xml, which sets Profile_Rule_B (here: a 404)
    const shown = second!.lines
      .map(local)
      .map((l) => l.replace(`${server.origin}/cfg/`, `${server.origin}/b/`));
    const rules = await runCli([
      'fetch',
      `${server.origin}/common.xml`,
      '--ua',
      'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
    ]);
    assert.equal(rules.code, 1, 'exit 1 for outcome B');
    assert.ok(matchesShown(shown, outputLines(rules.stdout)), rules.stdout);
  } finally {
    await server.close();
  }
});
