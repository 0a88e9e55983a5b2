// Gaps of serve, convert and the newer commands: serve reloads a `-t` file's partials; JSON
// output escapes C1 controls and bidi marks; an empty positional input is a usage error naming
// it; careless and hostile use of rule, fetch, diff, drift and fleet.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';
import { httpRequest, startServe, type ServeProcess } from '../helpers/serve.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { formatJsonRecord } from '../../src/serve/log-format.js';
import type { RequestRecord } from '../../src/serve/server.js';
import { formatFetchJson } from '../../src/output/fetch-format.js';
import type { FetchResult } from '../../src/commands/fetch.js';
import { decrypt } from '../../src/commands/decrypt.js';
import { convert } from '../../src/commands/convert.js';
import { diff } from '../../src/commands/diff.js';
import { cryptoBatch } from '../../src/commands/crypto-batch.js';
import { serveConfigOf } from '../../src/commands/serve.js';
import { renderCommand } from '../../src/commands/render.js';
import { drift } from '../../src/commands/drift.js';
import { fleet } from '../../src/commands/fleet.js';
import { expandRule, RuleSyntaxFailure } from '../../src/profile/rule-expand.js';

const dir = testDirectory('cisco-prov-gaps13-');
const MAC = '00562b043615';
const UA = `Cisco-CP-8841-3PCC/11.0 (${MAC})`;
const INVENTORY = `mac,model,display_name\n${MAC},8841,Reception\n`;

/** Waits until the served profile matches (a reload is debounced 200 ms, then loads). */
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

describe('serve -t <file>: the partials beside it', () => {
  test('an edited render/include partial (nested too) is served at the next request', async () => {
    const root = dir.fresh('serve-partials');
    mkdirSync(join(root, 'partials'));
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    writeFileSync(
      join(root, 'site.liquid'),
      "<?xml version=\"1.0\"?>\n<flat-profile>\n{% render 'logo' %}\n{% include 'partials/name' %}\n</flat-profile>\n",
    );
    writeFileSync(join(root, 'logo.liquid'), '  <Text_Logo ua="na">LOGO-1</Text_Logo>');
    writeFileSync(join(root, 'partials', 'name.liquid'), "{% include 'partials/inner' %}");
    writeFileSync(
      join(root, 'partials', 'inner.liquid'),
      '  <Station_Name ua="na">{{ display_name }}-1</Station_Name>',
    );
    const server = await startServe([
      '-i',
      join(root, 'inventory.csv'),
      '-t',
      join(root, 'site.liquid'),
    ]);
    try {
      await servedMatches(server, /^200 [^]*LOGO-1[^]*Reception-1/);
      writeFileSync(join(root, 'logo.liquid'), '  <Text_Logo ua="na">LOGO-2</Text_Logo>');
      await servedMatches(server, /^200 [^]*LOGO-2[^]*Reception-1/);
      // Two levels down, a partial of a partial.
      writeFileSync(
        join(root, 'partials', 'inner.liquid'),
        '  <Station_Name ua="na">{{ display_name }}-2</Station_Name>',
      );
      await servedMatches(server, /^200 [^]*LOGO-2[^]*Reception-2/);
      assert.match(server.stderr(), /templates changed/);
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });
});

/** DEL, C1 controls (U+009B: a CSI), bidi overrides and isolates, zero-width marks, separators, BOM. */
const RAW_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const HOSTILE = 'a\u009b\u202eb\u2066c\u200bd\u0085e\u007f';

describe('JSON output: C1 controls and bidi marks as \\u escapes, values exact', () => {
  test('convert --to json escapes them, and --from json gives the same bytes back', async () => {
    const root = dir.fresh('convert-json');
    const xml = join(root, 'p.xml');
    writeFileSync(
      xml,
      `<flat-profile><Display_Name_1_>${HOSTILE}</Display_Name_1_></flat-profile>`,
    );
    const json = await runCli(['convert', xml, '--to', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.doesNotMatch(json.stdout, RAW_UNSAFE);
    assert.match(json.stdout, /"a\\u009b\\u202eb\\u2066c\\u200bd\\u0085e\\u007f"/);
    assert.equal(
      (JSON.parse(json.stdout) as Record<string, { value: string }>).Display_Name_1_!.value,
      HOSTILE,
    );
    const back = await runCli(['convert', '-', '--from', 'json', '--to', 'xml'], {
      input: json.stdout,
    });
    assert.equal(back.code, 0, back.stderr);
    assert.ok(
      back.stdoutBytes.includes(Buffer.from(`>${HOSTILE}</Display_Name_1_>`, 'utf8')),
      back.stdout,
    );
  });

  test('rule expand --json and render --explain --json', async () => {
    const root = dir.fresh('rule-render-json');
    const rule = await runCli([
      'rule',
      'expand',
      '--json',
      `http://h/${HOSTILE}/$MA.cfg`,
      '--mac',
      MAC,
    ]);
    assert.equal(rule.code, 0, rule.stderr);
    assert.doesNotMatch(rule.stdout, RAW_UNSAFE);
    assert.equal((JSON.parse(rule.stdout) as { path: string }).path, `/${HOSTILE}/${MAC}.cfg`);
    writeFileSync(join(root, 'inv.csv'), `mac,model,display_name\n${MAC},8841,${HOSTILE}\n`);
    const explain = await runCli([
      'render',
      '-i',
      join(root, 'inv.csv'),
      '--explain',
      MAC,
      '--json',
    ]);
    assert.equal(explain.code, 0, explain.stderr);
    assert.doesNotMatch(explain.stdout, RAW_UNSAFE);
    assert.match(explain.stdout, /a\\u009b\\u202eb/);
  });

  test("serve --log-format json and fetch --json (in process): a client's or server's text", () => {
    const record = {
      time: new Date(0),
      address: '127.0.0.1',
      user: null,
      method: 'GET',
      target: '/x.xml',
      protocol: 'HTTP/1.1',
      status: 404,
      bytes: 0,
      referer: null,
      // Node hands header bytes over as Latin-1: UTF-8 sent by the client.
      userAgent: Buffer.from(`Cisco ${HOSTILE}`, 'utf8').toString('latin1'),
      ua: null,
      kind: 'profile',
      device: null,
      outcome: 'B',
      reason: 'unknown',
      durationMs: 1,
    } as unknown as RequestRecord;
    const line = formatJsonRecord(record);
    assert.doesNotMatch(line, RAW_UNSAFE);
    assert.equal((JSON.parse(line) as { userAgent: string }).userAgent, `Cisco ${HOSTILE}`);
    const hop = { url: 'http://h/x', status: 200, method: 'GET', statusText: `O${HOSTILE}` };
    const fetched = {
      outcome: 'A',
      status: 200,
      url: 'http://h/x',
      chain: [hop],
      cipher: 'none',
      diagnostics: [],
      reason: HOSTILE,
      digest: null,
      gzip: false,
      next: {
        seconds: 3600,
        randomUpTo: 0,
        parameter: 'Resync_Periodic',
        value: '3600',
        source: 'default',
      },
      rules: [],
    } as unknown as FetchResult;
    const text = formatFetchJson(fetched);
    assert.doesNotMatch(text, RAW_UNSAFE);
    assert.equal((JSON.parse(text) as { reason: string }).reason, HOSTILE);
  });
});

describe('an empty positional input or path: a usage error naming it, before any work', () => {
  test('spawned: encrypt (the one-shot path) and diff', async () => {
    const root = dir.fresh('empty-spawned');
    writeFileSync(join(root, 'k'), 'passphrase-for-test\n', { mode: 0o600 });
    writeFileSync(join(root, 'b.xml'), '<flat-profile/>');
    const enc = await runCli(['encrypt', '', '--key-file', join(root, 'k'), '-o', 'x.cfg'], {
      cwd: root,
    });
    assert.equal(enc.code, 2, enc.stderr);
    assert.match(enc.stderr, /^cisco-prov: the input is empty: give a path$/m);
    assert.equal(existsSync(join(root, 'x.cfg')), false);
    const d = await runCli(['diff', join(root, 'b.xml'), '']);
    assert.equal(d.code, 2, d.stderr);
    assert.match(d.stderr, /^cisco-prov: the second profile \(<b>\) is empty: give a path$/m);
  });

  test('in process: decrypt, convert, diff, --out-dir batches, serve --reports/--vars, render/drift/fleet --vars', async () => {
    const root = dir.fresh('empty-in-process');
    writeFileSync(join(root, 'b.xml'), '<flat-profile/>');
    writeFileSync(join(root, 'inv.csv'), INVENTORY);
    const usage = async (run: () => unknown, message: RegExp): Promise<void> => {
      await assert.rejects(
        async () => run(),
        (err: Error & { exitCode?: number }) => {
          assert.equal(err.exitCode, 2, err.message);
          assert.match(err.message, message);
          return true;
        },
      );
    };
    const key = { key: 'passphrase-for-test' };
    await usage(() => decrypt('', {}), /^the input is empty/);
    await usage(() => convert('', { to: 'json' }), /^the input is empty/);
    await usage(() => diff('', join(root, 'b.xml'), {}), /^the first profile \(<a>\) is empty/);
    await usage(
      () => cryptoBatch('encrypt', [join(root, 'b.xml'), ''], { ...key, outDir: join(root, 'o') }),
      /^input 2 is empty/,
    );
    assert.equal(existsSync(join(root, 'o')), false);
    await usage(
      () => serveConfigOf({ inventory: join(root, 'inv.csv'), reports: '' } as never, root),
      /^--reports is empty/,
    );
    await usage(
      () => serveConfigOf({ inventory: join(root, 'inv.csv'), vars: [''] } as never, root),
      /^--vars is empty/,
    );
    await usage(
      () => renderCommand({ inventory: join(root, 'inv.csv'), vars: [''] } as never),
      /^--vars is empty/,
    );
    const drifted = { reports: root, inventory: join(root, 'inv.csv'), vars: [''] };
    await usage(() => drift(drifted), /^--vars is empty/);
    await usage(() => fleet({ log: join(root, 'b.xml'), ...drifted }), /^--vars is empty/);
  });
});

describe('rule and fetch: careless and hostile rules', () => {
  // Thirty assignments that each repeat the value four times: 4^30 times GPP_A.
  const GROWING = `(${'a = "$A$A$A$A";'.repeat(30)})! http://h/$A.cfg`;

  test('an assignment that grows a value without end is a rule error, not a crash (exit 1)', async () => {
    assert.throws(
      () => expandRule(GROWING, { MA: MAC, A: 'x' }),
      (err: Error) => {
        assert.ok(err instanceof RuleSyntaxFailure, String(err));
        assert.match(err.errors[0]!.message, /expands to more than 65536 characters/);
        return true;
      },
    );
    // A value used many times in the URL, each use within the limit, is refused the same way.
    assert.throws(
      () => expandRule(`http://h/${'$A'.repeat(20)}`, { A: 'y'.repeat(4000) }),
      RuleSyntaxFailure,
    );
    const r = await runCli(['rule', 'expand', GROWING, '--mac', MAC, '--gpp', 'A=x']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout + r.stderr, /expands to more than 65536 characters/);
    assert.doesNotMatch(r.stderr, /unexpected failure|Invalid string length/);
  });
});

describe('an -o that is the input', () => {
  test('fleet -o over its --log (by a link too) and convert -o over its profile are refused, exit 2, the input kept', async () => {
    const root = dir.fresh('output-over-input');
    const log = join(root, 'access.log');
    const line = `10.0.0.7 - - [30/Nov/2026:08:52:32 +0000] "GET /${MAC}.xml HTTP/1.1" 200 14 "-" "${UA}"\n`;
    writeFileSync(log, line);
    symlinkSync(log, join(root, 'link.log'));
    const r = await runCli(['fleet', '--log', join(root, 'link.log'), '-o', log]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /the output .*access\.log would replace the input: choose another -o/);
    assert.equal(readFileSync(log, 'utf8'), line);
    const xml = join(root, 'p.xml');
    const profile = '<flat-profile><Station_Name>a</Station_Name></flat-profile>';
    writeFileSync(xml, profile);
    await assert.rejects(
      () => convert(xml, { to: 'json', output: xml }),
      (err: Error & { exitCode?: number }) =>
        err.exitCode === 2 && /would replace the input/.test(err.message),
    );
    assert.equal(readFileSync(xml, 'utf8'), profile);
  });
});

test("fleet -o '' is refused before the log is read (exit 2, naming -o)", async () => {
  const root = dir.fresh('fleet-empty-out');
  // A log that does not exist: reading it first would be exit 3.
  const run = await runCli(['fleet', '--log', join(root, 'missing.log'), '-o', ''], { cwd: root });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /-o/);
  assert.doesNotMatch(run.stderr, /missing\.log/);
});
