/** `cisco-prov inspect` and `cisco-prov models`, spawned like a user's shell runs them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, runCliShared } from '../helpers/run-cli.js';

const LOGS = 'test/fixtures/logs';
const UA_8841 = 'Cisco-CP-8841-3PCC/11.0 (00562b043615)';
const ATA = 'Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)';
// eslint-disable-next-line no-control-regex -- looking for raw control characters is the test
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/;

const ESC = '\u001b';

const noStack = (stderr: string): void => assert.doesNotMatch(stderr, /\n\s+at /);

test('inspect <ua>: a table row with model, series, firmware and MAC', async () => {
  const r = await runCli(['inspect', UA_8841]);
  assert.equal(r.code, 0, r.stderr);
  const [header, row] = r.stdout.trimEnd().split('\n');
  assert.match(header ?? '', /^FAMILY\s+MODEL\s+SERIES\s+FIRMWARE\s+MAC\s+SERIAL\s+USER-AGENT$/);
  assert.match(row ?? '', /^mpp\s+8841\s+8800\s+11\.0\s+00562b043615\s+-\s+Cisco-CP-8841-3PCC/);
  assert.equal(r.stderr, '');
});

test('inspect --json <ua>: exactly the documented object', async () => {
  const r = await runCli(['inspect', '--json', ATA]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.split('\n').length, 2, 'one line plus its newline');
  assert.deepEqual(JSON.parse(r.stdout), {
    userAgent: ATA,
    isCisco: true,
    vendor: 'Cisco',
    family: 'ata',
    productName: 'ATA191-MPP',
    model: 'ATA191',
    series: 'ATA190',
    firmware: '11-1-0-MSR4',
    mac: null,
    serial: 'FCH2443D9R4',
  });
});

test('inspect with no arguments reads one User-Agent per line from stdin (JSON Lines)', async () => {
  const r = await runCli(['inspect', '--json'], {
    input: `${UA_8841}\r\n\n   \nMozilla/5.0\n${ATA}`,
  });
  assert.equal(r.code, 0, r.stderr);
  const objects = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    objects.map((o) => [o.isCisco, o.family, o.model]),
    [
      [true, 'mpp', '8841'],
      [false, 'unknown', null],
      [true, 'ata', 'ATA191'],
    ],
  );
});

test('inspect --format csv: header and one row per User-Agent, quoted where needed', async () => {
  const r = await runCli(['inspect', '--format', 'csv', UA_8841, 'a,"b"']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n'), [
    'userAgent,isCisco,vendor,family,productName,model,series,firmware,mac,serial',
    `${UA_8841},true,Cisco,mpp,CP-8841-3PCC,8841,8800,11.0,00562b043615,`,
    '"a,""b""",false,,unknown,,,,,,',
    '',
  ]);
});

test('hostile User-Agents never reach the terminal raw, in any format', async () => {
  const hostile = ['\u001b]0;pwned\u0007\u001b[2J', 'x\u009b31my', '\u202eevil\u2028', '=cmd|calc'];
  for (const format of ['table', 'csv', 'json']) {
    const r = await runCli(['inspect', '--format', format, ...hostile]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL, format);
    if (format === 'table') assert.match(r.stdout, /\\x1b\]0;pwned\\x07\\x1b\[2J/);
    if (format === 'csv') assert.match(r.stdout, /^'=cmd\|calc,false/m, 'formula guarded');
    if (format === 'json') {
      const first = JSON.parse(r.stdout.split('\n')[0] ?? '');
      assert.equal(first.userAgent, hostile[0], 'JSON escapes round-trip to the same string');
    }
  }
});

test('inspect --log combined.log: one row per phone, the summary, non-phones only counted', async () => {
  const r = await runCli(['inspect', '--log', `${LOGS}/combined.log`]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(
    lines[0] ?? '',
    /^PHONE\s+MODEL\s+FIRMWARE\s+REQS\s+FIRST SEEN\s+LAST SEEN\s+LAST PATH\s+STATUS\s+OUT$/,
  );
  assert.match(
    r.stdout,
    /^00562b043615\s+8841\s+11\.0\s+4\s+2026-11-25 08:59:59Z\s+2026-11-25 10:00:00Z\s+\/cfg\/00562b043615\.xml\s+200:2 403:1 404:1\s+A$/m,
  );
  assert.match(r.stdout, /^dcf719f39350\s+8865\s+12\.0\.4 \(\+1\)\s+2\s.*\sB$/m);
  assert.match(r.stdout, /^10\.0\.0\.30 \(addr\)\s+8851\s/m);
  assert.doesNotMatch(r.stdout, /192\.0\.2\.7|Mozilla/, 'non-phone clients are not shown');
  assert.match(r.stdout, /Outcomes: A 2, B 1, C 2, none yet 1/);
  assert.match(
    r.stdout,
    /Lines: 17 read, 13 from phones, 2 from other clients \(not shown\), 1 malformed, 1 blank/,
  );
  assert.match(r.stderr, /1 of 17 lines is not in the common or combined log format/);
});

test('inspect --log - --json reads stdin and prints one JSON document', async () => {
  const { readFileSync } = await import('node:fs');
  const r = await runCli(['inspect', '--log', '-', '--json', '--fnf-success'], {
    input: readFileSync(`${LOGS}/combined.log`),
  });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.phones.length, 6);
  assert.deepEqual(s.outcomes, { A: 3, B: 0, C: 2, none: 1 });
  assert.deepEqual(Object.keys(s), ['lines', 'phones', 'byModel', 'byFirmware', 'outcomes']);
});

test('inspect --log common.log: a note that no phone can be identified; --all-clients lists addresses', async () => {
  const r = await runCli(['inspect', '--log', `${LOGS}/common.log`]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^No phone requests found\./);
  assert.match(r.stderr, /common log format has no User-Agent/);
  const all = await runCli([
    'inspect',
    '--log',
    `${LOGS}/common.log`,
    '--all-clients',
    '--format',
    'csv',
  ]);
  assert.equal(all.code, 0);
  assert.equal(all.stdout.trimEnd().split('\n').length, 1 + 8);
});

test('inspect --log hostile.log: escapes shown, never interpreted; 100 kB line cut in the table', async () => {
  const r = await runCli(['inspect', '--log', `${LOGS}/hostile.log`, '--all-clients']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, RAW_CONTROL);
  assert.match(r.stdout, /\/\\x1b\[2J\\x1b\[31mowned/);
  assert.match(r.stdout, /^Lines: 7 read, 2 from phones, 5 from other clients, 0 malformed/m);
  assert.ok(
    r.stdout.split('\n').every((l) => l.length < 400),
    'no line is 100 kB long',
  );
  const csv = await runCli([
    'inspect',
    '--log',
    `${LOGS}/hostile.log`,
    '--all-clients',
    '--format',
    'csv',
  ]);
  assert.doesNotMatch(csv.stdout, RAW_CONTROL);
});

test('errors: one line naming the problem, the right exit code, no stack trace', async () => {
  const cases: [string[], number, RegExp][] = [
    [
      ['inspect', '--log', 'no/such.log'],
      3,
      /^cisco-prov: cannot read no\/such\.log: no such file or directory\n$/,
    ],
    [
      ['inspect', '--log', 'test/fixtures'],
      3,
      /^cisco-prov: cannot read test\/fixtures: is a directory\n$/,
    ],
    [
      ['inspect', '--log', `${LOGS}/combined.log`, UA_8841],
      2,
      /give User-Agents or --log, not both/,
    ],
    [['inspect', '--json', '--format', 'csv', UA_8841], 2, /--json conflicts with --format csv/],
    [['inspect', '--format', 'xml', UA_8841], 2, /argument 'xml' is invalid/],
    [['inspect', '--fnf-success', UA_8841], 2, /--fnf-success only applies with --log/],
    [['models', 'nosuch'], 2, /unknown model "nosuch"/],
  ];
  for (const [args, code, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, code, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    noStack(r.stderr);
  }
});

test('models: the whole table, one model, JSON with sources, CSV', async () => {
  const table = await runCli(['models']);
  assert.equal(table.code, 0);
  assert.equal(table.stdout.trimEnd().split('\n').length, 1 + 24);
  assert.match(table.stdout, /^8861\s+CP-8861-3PCC\s+8800\s+mpp-desk\s+16\s+10\s+3\s+sip88xx$/m);

  const one = await runCli(['models', 'cp-7832', '--sources']);
  assert.equal(one.code, 0);
  assert.match(one.stdout, /^7832\s+CP-7832-3PCC\s+7800\s+mpp-conference\s+1\s+0\s+0\s+sip7832$/m);
  assert.match(one.stdout, /^ {2}firmwarePrefix: .*sip7832/m);

  const json = await runCli(['models', '--json']);
  const rows = JSON.parse(json.stdout);
  assert.equal(rows.length, 24);
  assert.ok(
    rows.every((m: { sources: Record<string, string> }) => typeof m.sources.lines === 'string'),
  );

  const csv = await runCli(['models', '--format', 'csv', 'ATA192']);
  assert.deepEqual(csv.stdout.split('\n'), [
    'model,productName,displayName,series,templateFamily,lines,lineKeys,maxExpansionModules,firmwarePrefix',
    'ATA192,ATA192-MPP,Cisco ATA 192 Multiplatform Analog Telephone Adapter,ATA190,ata,2,0,0,ATA19x',
    '',
  ]);
});

test('colour: FORCE_COLOR colours the table, NO_COLOR wins over it, JSON is never coloured', async () => {
  const forced = await runCli(['inspect', '--log', `${LOGS}/combined.log`], {
    env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
  });
  assert.ok(forced.stdout.includes(`${ESC}[32mA`), 'outcome A in green');
  const both = await runCli(['inspect', '--log', `${LOGS}/combined.log`], {
    env: { NO_COLOR: '1', FORCE_COLOR: '1' },
  });
  assert.ok(!both.stdout.includes(ESC));
  const json = await runCli(['inspect', '--json', UA_8841], {
    env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
  });
  assert.ok(!json.stdout.includes(ESC));
});

test('--help of both commands shows the options and examples', async () => {
  const inspect = await runCliShared(['inspect', '--help']);
  assert.equal(inspect.code, 0);
  for (const flag of [
    '--log <file>',
    '--format <format>',
    '--json',
    '--fnf-success',
    '--all-clients',
    'Examples:',
  ]) {
    assert.ok(inspect.stdout.includes(flag), flag);
  }
  const models = await runCliShared(['models', '--help']);
  assert.equal(models.code, 0);
  assert.match(models.stdout, /--sources/);
});

test('nothing to inspect — empty stdin, an empty or non-log --log file — is one line, exit 1', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const empty = await runCli(['inspect', '--json'], { input: '' });
  assert.equal(empty.code, 1);
  assert.equal(empty.stdout, '', 'no JSON for nothing');
  assert.equal(empty.stderr, 'cisco-prov: <stdin>: no User-Agent to inspect (stdin is empty)\n');
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-inspect-cli-'));
  try {
    const log = join(dir, 'access.log');
    writeFileSync(log, '');
    const r = await runCli(['inspect', '--log', log]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `cisco-prov: ${log}: the log is empty: no request to inspect\n`);
    writeFileSync(log, '[error] 1234#0: *1 open() "/srv/x.cfg" failed (2: No such file)\n');
    const wrong = await runCli(['inspect', '--log', log, '--format', 'csv']);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stdout, '');
    assert.match(wrong.stderr, /: no line is in the common or combined log format\n/);
    noStack(wrong.stderr);
    // serve --log-format json writes JSON lines: read as a text log, the error says so and how
    // to read them (without --log-format text they are read: test/cli/logs10.test.ts).
    writeFileSync(
      log,
      '{"time":"2026-11-30T10:00:00.000Z","address":"10.0.0.5","method":"GET","target":"/00562b043615.xml","status":200,"userAgent":"Cisco-CP-8841-3PCC/11.0 (00562b043615)"}\n',
    );
    const json = await runCli(['inspect', '--log', log, '--log-format', 'text']);
    assert.equal(json.code, 1);
    assert.match(
      json.stderr,
      /: no line is in the common or combined log format \(these are JSON lines\)\n/,
    );
    assert.match(json.stderr, /hint: .*unless given --log-format text/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
