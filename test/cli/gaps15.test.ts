// Gaps of careless and hostile use: the empty-path hint names the option at fault; a file name
// that is not UTF-8; fetch -o <directory> refused before the request; serve's partials.
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { BIN, runCli, ROOT, type CliRun } from '../helpers/run-cli.js';
import { bytePath, refusesByteNames } from '../helpers/byte-names.js';
import { startServer } from '../helpers/http-server.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { httpRequest, startServe, type ServeProcess } from '../helpers/serve.js';
import { undecodableArguments } from '../../src/io/argv-bytes.js';
import { fetchProfile } from '../../src/commands/fetch.js';
import { render as renderBatch } from '../../src/render/batch.js';

const dir = testDirectory('cisco-prov-gaps15-');
const PROFILE = '<flat-profile>\n  <Station_Name>Lobby</Station_Name>\n</flat-profile>\n';

describe("an empty path's hint names what was empty, not a made-up $OUT", () => {
  const inventory = join(ROOT, 'examples', 'inventory.csv');
  const templates = join(ROOT, 'templates');
  // Before: every one of these said `("$OUT" with OUT unset)`, whatever was empty.
  const cases: [string, string[]][] = [
    ['--inventory', ['render', '--inventory', '', '-t', templates, '--out', 'o']],
    ['--keys', ['encrypt', '--keys', '', 'in', '--out-dir', 'out']],
    ['--vars', ['render', '-i', inventory, '-t', templates, '--vars', '', '--out', 'o']],
    ['the first profile (<a>)', ['diff', '', 'p.xml']],
    ['-o', ['keygen', '-o', '']],
  ];
  for (const [what, args] of cases) {
    test(`${args.join(' ')}`, async () => {
      const cwd = dir.fresh(`empty-${what.replace(/\W/g, '')}`);
      writeFileSync(join(cwd, 'p.xml'), PROFILE);
      mkdirSync(join(cwd, 'in'), { recursive: true });
      const before = readdirSync(cwd).sort();
      const run = await runCli(args, { cwd });
      assert.equal(run.code, 2, run.stderr);
      assert.equal(
        run.stderr,
        `cisco-prov: ${what} is empty: give a path\n` +
          `  hint: ${what} was given as '' (a quoted shell variable that is not set expands to nothing)\n`,
      );
      assert.doesNotMatch(run.stderr, /\$OUT/);
      assert.deepEqual(readdirSync(cwd).sort(), before);
    });
  }

  test('the core: renderBatch with vars [""] names --vars', async () => {
    await assert.rejects(
      renderBatch({ inventory: join(ROOT, 'examples', 'inventory.csv'), vars: [''] }),
      (error: Error & { hint?: string }) => {
        assert.match(error.message, /^--vars is empty/);
        assert.match(error.hint ?? '', /^--vars was given as ''/);
        return true;
      },
    );
  });
});

/**
 * Runs the CLI from a shell, so an argument can be bytes that are not UTF-8 (node's spawn takes
 * strings only): `script` is the argument list in sh syntax, e.g. `validate "$(printf 'caf\\351.xml')"`.
 */
function runSh(script: string, cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `exec "$NODE" "$BIN" ${script}`], {
      cwd,
      env: { ...process.env, NODE: process.execPath, BIN, NO_COLOR: '1', K: 'a-common-key' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    // A server that started where it should have refused (or any hang) ends its test, failed.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({
        code,
        stdout: stdoutBytes.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stdoutBytes,
      });
    });
  });
}

describe('a file name on the command line that is not UTF-8 (a Latin-1 é)', () => {
  test('undecodableArguments: U+FFFD from Node, not one given as UTF-8; no bytes without /proc', () => {
    // process.argv of this test process does not end in these: the bytes are not known.
    assert.deepEqual(undecodableArguments(['node', 'bin', 'validate', 'ok.xml', 'caf\uFFFD.xml']), [
      { text: 'caf\uFFFD.xml', bytes: undefined },
    ]);
    assert.deepEqual(undecodableArguments(['node', 'bin', 'validate', 'ok.xml']), []);
  });

  const WHY =
    'the name given is not valid UTF-8 (a byte shown as \\xNN) and Node cannot open a file by such a name: rename the file to UTF-8 (convmv -f latin1 -t utf-8), or give its directory to validate or to an --out-dir batch';
  const E = `"$(printf 'caf\\351.xml')"`;
  const I = `"$(printf 'inv\\351.csv')"`;
  // Before: "cannot read caf\ufffd.xml: no such file or directory" (U+FFFD as the terminal's
  // replacement glyph) and no hint, though the file is there.
  const cases: [string, string][] = [
    [`validate ${E}`, 'caf\\xe9.xml'],
    [`validate ok.xml ${E}`, 'caf\\xe9.xml'],
    [`encrypt --key-env K ${E} -o x.cfg`, 'caf\\xe9.xml'],
    [`encrypt --key-env K ${E} ok.xml --out-dir out`, 'caf\\xe9.xml'],
    [`decrypt --key-env K ${E}`, 'caf\\xe9.xml'],
    [`convert ${E} --to json`, 'caf\\xe9.xml'],
    [`diff ok.xml ${E}`, 'caf\\xe9.xml'],
    [`inspect --log ${E}`, 'caf\\xe9.xml'],
    [`validate --catalog ${E} ok.xml`, '--catalog caf\\xe9.xml'],
    [
      `render -i ${I} -t ${JSON.stringify(join(ROOT, 'templates'))} --out out`,
      'inventory inv\\xe9.csv',
    ],
    [`render -i inv.csv -t "$(printf 'tpl\\351')" --out out`, '--template tpl\\xe9'],
  ];
  for (const [args, shown] of cases) {
    test(args, async (t) => {
      const cwd = dir.fresh(`latin1-${cases.findIndex((c) => c[0] === args)}`);
      const skip = refusesByteNames(cwd);
      if (skip) return t.skip(skip);
      writeFileSync(bytePath(cwd, 'caf\xe9.xml'), PROFILE);
      writeFileSync(bytePath(cwd, 'inv\xe9.csv'), 'mac,model\n00562b043615,8841\n');
      mkdirSync(bytePath(cwd, 'tpl\xe9'));
      writeFileSync(join(cwd, 'ok.xml'), PROFILE);
      writeFileSync(join(cwd, 'inv.csv'), 'mac,model\n00562b043615,8841\n');
      const run = await runSh(args, cwd);
      assert.equal(run.code, 3, run.stderr);
      assert.equal(
        run.stderr,
        `cisco-prov: cannot read ${shown}: no such file or directory\n  hint: ${WHY}\n`,
      );
      assert.equal(run.stderr.includes('\uFFFD'), false);
    });
  }

  // npx (and any wrapper that decodes its arguments before passing them on) hands the CLI the
  // name as UTF-8 holding U+FFFD itself: its bytes are gone, /proc shows EF BF BD. Before: no hint.
  test('a name that reached the CLI holding U+FFFD (through npx): the hint says what that mark means', async () => {
    const cwd = dir.fresh('fffd-upstream');
    writeFileSync(join(cwd, 'ok.xml'), PROFILE);
    const upstream =
      'the name holds U+FFFD, the mark a program that passes arguments on (npx, a wrapper script) leaves where a name was not valid UTF-8: rename the file to UTF-8 (convmv -f latin1 -t utf-8), or give its directory to validate or to an --out-dir batch';
    for (const args of [
      ['encrypt', '--key-env', 'K', 'caf\uFFFD.xml', '-o', 'x.cfg'],
      ['validate', 'ok.xml', 'caf\uFFFD.xml'],
    ]) {
      const run = await runCli(args, { cwd, env: { K: 'a passphrase' } });
      assert.equal(run.code, 3, run.stderr);
      assert.equal(
        run.stderr,
        `cisco-prov: cannot read caf\uFFFD.xml: no such file or directory\n  hint: ${upstream}\n`,
      );
    }
    assert.deepEqual(readdirSync(cwd).sort(), ['ok.xml']);
  });

  test('serve -i <Latin-1 name>: the name escaped, both hints on one line', async (t) => {
    const cwd = dir.fresh('latin1-serve');
    const skip = refusesByteNames(cwd);
    if (skip) return t.skip(skip);
    writeFileSync(bytePath(cwd, 'inv\xe9.csv'), 'mac,model\n00562b043615,8841\n');
    const run = await runSh(`serve -i ${I} --port 0`, cwd);
    assert.equal(run.code, 3, run.stderr);
    assert.equal(
      run.stderr,
      `cisco-prov: cannot read inventory ${join(cwd, 'inv\\xe9.csv')}: no such file or directory\n` +
        `  hint: ${WHY}; the server did not start: fix the input and run again\n`,
    );
  });

  test('validate <dir> holding it: the file is read and reported by its escaped name', async (t) => {
    const cwd = dir.fresh('latin1-dir');
    const skip = refusesByteNames(cwd);
    if (skip) return t.skip(skip);
    mkdirSync(join(cwd, 'd'));
    writeFileSync(
      bytePath(join(cwd, 'd'), 'caf\xe9.xml'),
      '<flat-profile>\n  <Station_Nam>Lobby</Station_Nam>\n</flat-profile>\n',
    );
    const run = await runCli(['validate', 'd'], { cwd });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /^d\/caf\\xe9\.xml\n {2}2:4 {2}error {2}unknown parameter Station_Nam/m,
    );
  });
});

describe('an output named by bytes that are not UTF-8 is refused, not written under another name', () => {
  const X = `"$(printf 'x\\351')"`;
  // Before: each exited 0 (or made its request) and wrote x\ufffd… (EF BF BD on disk), a name
  // other than the one given.
  const cases: [string, string, string][] = [
    [`encrypt --key-env K ok.xml -o ${X}.cfg`, '-o', '.cfg'],
    [`encrypt --key-env K ok.xml --output=${X}.cfg`, '-o', '.cfg'],
    [`encrypt --key-env K in --out-dir ${X}`, '--out-dir', ''],
    [`convert ok.xml --to json -o ${X}.json`, '-o', '.json'],
    [`keygen -o ${X}.key`, '-o', '.key'],
    [`render -i inv.csv -t ${JSON.stringify(join(ROOT, 'templates'))} --out ${X}`, '--out', ''],
    [`fleet --log ok.xml -o ${X}.html`, '-o', '.html'],
    [`fetch http://127.0.0.1:9/x --ua Cisco-CP-8841-3PCC/11.0 -o ${X}`, '-o', ''],
    [`serve -i inv.csv --port 0 --access-log ${X}.log`, '--access-log', '.log'],
    [`serve -i inv.csv --port 0 --reports ${X}`, '--reports', ''],
  ];
  for (const [args, flag, ext] of cases) {
    test(args, async (t) => {
      const cwd = dir.fresh(`latin1-out-${cases.findIndex((c) => c[0] === args)}`);
      const skip = refusesByteNames(cwd);
      if (skip) return t.skip(skip);
      writeFileSync(join(cwd, 'ok.xml'), PROFILE);
      mkdirSync(join(cwd, 'in'));
      writeFileSync(join(cwd, 'in', '00562b043615.xml'), PROFILE);
      writeFileSync(join(cwd, 'inv.csv'), 'mac,model\n00562b043615,8841\n');
      const before = readdirSync(cwd).sort();
      const run = await runSh(args, cwd);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(
        run.stderr,
        `cisco-prov: ${flag} x\\xe9${ext}: the name is not valid UTF-8, and Node would write x\\ufffd${ext}, another name\n` +
          '  hint: give the name in UTF-8 (convmv -f latin1 -t utf-8 converts names already written)\n',
      );
      assert.deepEqual(readdirSync(cwd).sort(), before);
    });
  }
});

describe('fetch -o that cannot be written: refused before any request (exit 3), no temp file', () => {
  const UA = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';
  // Before: the request was made (the server logged a resync), then "cannot write out: is a
  // directory" (exit 3), or with no profile only a warning and exit 0/1.
  const cases: [string, string][] = [
    ['out', 'cannot write out: is a directory'],
    ['link', 'cannot write link: is a directory'],
    ['missing/p.xml', 'cannot write missing/p.xml: no such file or directory'],
    ['file/p.xml', 'cannot write file/p.xml: not a directory'],
  ];
  for (const [output, message] of cases) {
    test(`-o ${output}`, async () => {
      const cwd = dir.fresh(`fetch-o-${output.replace(/\W/g, '')}`);
      mkdirSync(join(cwd, 'out'));
      symlinkSync('out', join(cwd, 'link'));
      writeFileSync(join(cwd, 'file'), 'x');
      const server = await startServer((_req, res) => res.end(PROFILE));
      try {
        const run = await runCli(['fetch', `${server.origin}/p.xml`, '--ua', UA, '-o', output], {
          cwd,
        });
        assert.equal(run.code, 3, run.stderr);
        assert.equal(run.stderr, `cisco-prov: ${message}\n`);
        assert.equal(run.stdout, '');
        assert.equal(server.requests.length, 0);
        assert.deepEqual(readdirSync(cwd).sort(), ['file', 'link', 'out']);
        assert.deepEqual(readdirSync(join(cwd, 'out')), []);
      } finally {
        await server.close();
      }
    });
  }

  test('in process: fetchProfile rejects before its request', async () => {
    const cwd = dir.fresh('fetch-o-core');
    const server = await startServer((_req, res) => res.end(PROFILE));
    try {
      await assert.rejects(fetchProfile(`${server.origin}/p.xml`, { ua: UA, output: cwd }), {
        exitCode: 3,
        message: `cannot write ${cwd}: is a directory`,
      });
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });
});

describe('serve: a partial named by a variable is watched once used', () => {
  const MAC = '00562b043615';
  const UA = `Cisco-CP-8841-3PCC/11.0 (${MAC})`;

  /** Waits until the served profile matches (a reload is debounced 200 ms, the poll is 1 s). */
  async function servedMatches(server: ServeProcess, pattern: RegExp): Promise<string> {
    const until = Date.now() + 20_000;
    let body = '';
    while (Date.now() < until) {
      const res = await httpRequest(server.port, `/${MAC}.xml`, { userAgent: UA });
      body = `${res.status} ${res.body.toString('utf8')}`;
      if (pattern.test(body)) return body;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`no profile matching ${pattern} within 20 s; last: ${body}\n${server.stderr()}`);
  }

  // Before: the partial was read at first use and never again: an edit, even a SIGHUP (the
  // render cache is keyed by a hash that did not name the partial), kept serving the old text.
  for (const [mode, tag] of [
    ['-t <file>', 'include'],
    ['-t <file>', 'render'],
    ['-t <dir>', 'include'],
  ] as const) {
    test(`${mode}, {% ${tag} part %} with part from the inventory: an edit is served`, async () => {
      const root = dir.fresh(`serve-var-${mode.replace(/\W/g, '')}-${tag}`);
      mkdirSync(join(root, 'tpl', 'parts'), { recursive: true });
      writeFileSync(join(root, 'inventory.csv'), `mac,model,part\n${MAC},8841,parts/logo.xml\n`);
      const site = join(root, 'tpl', mode === '-t <dir>' ? '8841.liquid' : 'site.liquid');
      writeFileSync(
        site,
        `<?xml version="1.0"?>\n<flat-profile>\n{% ${tag} part %}\n</flat-profile>\n`,
      );
      // Not .liquid: in a -t <dir> only the .liquid files are read with the site.
      const logo = join(root, 'tpl', 'parts', 'logo.xml');
      writeFileSync(logo, '  <Text_Logo ua="na">LOGO-1</Text_Logo>');
      const server = await startServe([
        '-i',
        join(root, 'inventory.csv'),
        '-t',
        mode === '-t <dir>' ? join(root, 'tpl') : site,
      ]);
      try {
        await servedMatches(server, /^200 [^]*LOGO-1/);
        // The poll (1 s) learns of the partial; an edit after that is a change like any other.
        await new Promise((r) => setTimeout(r, 1500));
        writeFileSync(logo, '  <Text_Logo ua="na">LOGO-2</Text_Logo>');
        await servedMatches(server, /^200 [^]*LOGO-2/);
        writeFileSync(logo, '  <Text_Logo ua="na">LOGO-3</Text_Logo>');
        await servedMatches(server, /^200 [^]*LOGO-3/);
      } finally {
        assert.equal(await server.stop(), 0, server.stderr());
      }
    });
  }

  test('--no-watch: a SIGHUP serves the edited partial (the cache is not kept)', async () => {
    const root = dir.fresh('serve-var-sighup');
    writeFileSync(join(root, 'inventory.csv'), `mac,model,part\n${MAC},8841,logo\n`);
    const site = join(root, 'site.liquid');
    writeFileSync(
      site,
      '<?xml version="1.0"?>\n<flat-profile>\n{% include part %}\n</flat-profile>\n',
    );
    writeFileSync(join(root, 'logo.liquid'), '  <Text_Logo ua="na">LOGO-1</Text_Logo>');
    const server = await startServe(['-i', join(root, 'inventory.csv'), '-t', site, '--no-watch']);
    try {
      await servedMatches(server, /^200 [^]*LOGO-1/);
      writeFileSync(join(root, 'logo.liquid'), '  <Text_Logo ua="na">LOGO-2</Text_Logo>');
      server.child.kill('SIGHUP');
      await servedMatches(server, /^200 [^]*LOGO-2/);
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });
});

describe('serve and FIFOs: a stray FIFO among the templates, an inventory that is a FIFO', () => {
  const MAC = '00562b043615';
  const UA = `Cisco-CP-8841-3PCC/11.0 (${MAC})`;
  const TEMPLATE =
    '<?xml version="1.0"?>\n<flat-profile>\n  <Station_Name ua="na">{{ display_name }}</Station_Name>\n</flat-profile>\n';

  // Before: serve read every *.liquid at start, the FIFO too, and waited for a writer for good
  // (no "listening" line, SIGTERM not handled).
  test('-t <dir> holding a FIFO named x.liquid: serve starts and serves', async () => {
    const root = dir.fresh('fifo-template');
    mkdirSync(join(root, 'tpl'));
    writeFileSync(join(root, 'tpl', '8841.liquid'), TEMPLATE);
    execFileSync('mkfifo', [join(root, 'tpl', 'stray.liquid')]);
    writeFileSync(join(root, 'inventory.csv'), `mac,model,display_name\n${MAC},8841,Lobby\n`);
    const server = await startServe(['-i', join(root, 'inventory.csv'), '-t', join(root, 'tpl')], {
      listenTimeoutMs: 20_000,
    });
    try {
      const res = await httpRequest(server.port, `/${MAC}.xml`, { userAgent: UA });
      assert.equal(res.status, 200, server.stderr());
      assert.match(res.body.toString('utf8'), /Lobby/);
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });

  // Before: a SIGHUP (or a watch event) read the FIFO again with no writer: the event loop
  // blocked for good, no request was answered, and SIGTERM did nothing.
  test('-i <FIFO>, fed once: a SIGHUP keeps the site and says why; requests are answered', async () => {
    const root = dir.fresh('fifo-inventory');
    writeFileSync(join(root, 'site.liquid'), TEMPLATE);
    const fifo = join(root, 'inventory.csv');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'printf "%s" "$INV" > "$FIFO"'], {
      env: { ...process.env, FIFO: fifo, INV: `mac,model,display_name\n${MAC},8841,Lobby\n` },
      stdio: 'ignore',
    });
    const server = await startServe(['-i', fifo, '-t', join(root, 'site.liquid')]);
    try {
      server.child.kill('SIGHUP');
      await server.waitForStderr(
        /SIGHUP: kept the previous site \(generation 1\): inventory .*inventory\.csv is a FIFO, socket or device, read once at start: restart serve to read it again/,
        20_000,
      );
      const res = await httpRequest(server.port, `/${MAC}.xml`, { userAgent: UA });
      assert.equal(res.status, 200, server.stderr());
    } finally {
      assert.equal(await server.stop('SIGTERM', 20_000), 0, server.stderr());
      writer.kill();
    }
  });
});
