/**
 * perf12 (issue 12): validate's hot functions are compiled once per thread, not thrown away when
 * a new document's first arrays or an unusual finding show up (V8's --trace-deopt), and many
 * plain names (`*.xml`) resolve as path.resolve resolves them.
 * - 300 profiles of ≈ 25 KB checked and rendered as JSON, as a validate worker does: no bailout
 *   of the scanner's startTag or replayTail, validateText, count or the JSON formatter's
 *   jsonEntry (before: "wrong map" for each, "not a Smi" for replayTail).
 * - validate() with a relative `cwd` and 70 plain names, one of them missing: the same files,
 *   and the same unreadable one, as named by absolute paths.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { validate } from '../../src/commands/validate.js';
import { runCli } from '../helpers/run-cli.js';
import { validateWithProbe, writeStationProfiles } from '../helpers/validate-probe.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { TS_IMPORT } from '../helpers/ts-import.js';

const dir = testDirectory('cisco-prov-perf12-');

test('validate: the scanner, validateText and jsonEntry are not deoptimized as documents go by', () => {
  const root = dir.fresh('deopt');
  const probe = join(root, 'probe.mts');
  const src = (path: string): string =>
    JSON.stringify(new URL(`../../src/${path}`, import.meta.url).href);
  writeFileSync(
    probe,
    `import { checkProfileFile } from ${src('validate/file.ts')};\n` +
      `import { renderFile } from ${src('output/diagnostics-format.ts')};\n` +
      `import { DEFAULT_CATALOG } from ${src('profile/catalog-data/index.ts')};\n` +
      `import { catalogNames, lookupParameter } from ${src('profile/catalog.ts')};\n` +
      'const names = catalogNames(DEFAULT_CATALOG).slice(0, 600);\n' +
      'const settings = { model: undefined, ignoreRules: [] };\n' +
      'for (let f = 0; f < 300; f++) {\n' +
      '  let body = \'<?xml version="1.0" encoding="UTF-8"?>\\n<flat-profile>\\n\';\n' +
      '  names.forEach((name, n) => {\n' +
      '    const kind = lookupParameter(DEFAULT_CATALOG, name)?.entry.type?.kind;\n' +
      "    const value = kind === 'bool' ? (n % 2 ? 'Yes' : 'No') : f % 5 === 0 ? '' : `value-${f + n}`;\n" +
      '    body += `  <${name} ua="na">${value}</${name}>\\n`;\n' +
      '  });\n' +
      "  body += '</flat-profile>\\n';\n" +
      '  const result = checkProfileFile(`p${f}.xml`, Buffer.from(body), DEFAULT_CATALOG, settings);\n' +
      "  renderFile(result, { format: 'json' });\n" +
      '  if (f === 299 && result.errorCount === 0) throw new Error("no findings: the probe checks nothing");\n' +
      '}\n',
  );
  const run = spawnSync(process.execPath, [...TS_IMPORT, '--trace-deopt', probe], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(run.status, 0, run.stderr);
  const watched = /<JSFunction (startTag|replayTail|validateText|count|jsonEntry) /;
  const deopts = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('[bailout') && watched.test(l))
    .map((l) => `${watched.exec(l)![1]}: ${/reason: ([^)]*)/.exec(l)?.[1]}`);
  assert.deepEqual(deopts, []);
});

test('validate: plain names under a relative cwd are the files path.resolve names', async () => {
  const root = dir.fresh('names');
  const profiles = join(root, 'site', 'profiles');
  mkdirSync(profiles, { recursive: true });
  const names: string[] = [];
  const write = (f: number): void =>
    writeFileSync(
      join(profiles, `p${String(f).padStart(2, '0')}.xml`),
      `<flat-profile><Station_Name ua="na">phone-${f}</Station_Name></flat-profile>\n`,
    );
  for (let f = 0; f < 70; f++) {
    names.push(`p${String(f).padStart(2, '0')}.xml`);
    if (f !== 41) write(f);
  }
  const cwd = relative(process.cwd(), profiles);
  assert.ok(!cwd.startsWith('/') && cwd.includes('/'), cwd);
  // A missing name: the one line a stat of it gives.
  await assert.rejects(validate({ inputs: names, cwd, jobs: 1 }), {
    message: 'cannot read p41.xml: no such file or directory',
  });
  write(41);
  const byName = await validate({ inputs: names, cwd, jobs: 1 });
  const byPath = await validate({ inputs: names.map((n) => join(profiles, n)), jobs: 1 });
  assert.deepEqual(
    byName.files.map((f) => f.file),
    names,
  );
  assert.equal(byName.files.length, 70);
  assert.deepEqual(
    byName.files.map((f) => f.diagnostics),
    byPath.files.map((f) =>
      f.diagnostics.map((d) => ({ ...d, file: d.file.slice(profiles.length + 1) })),
    ),
  );
});

test('validate: hundreds of names among options reach the command in their order', async () => {
  // The CLI hands runs of names to commander packed (PackedArguments in src/cli.ts): an option's
  // value right before a run stays that option's value, the names after it stay names.
  const root = dir.fresh('packed');
  const group = (prefix: string, count: number): string[] =>
    Array.from({ length: count }, (_, f) => `${prefix}${String(f).padStart(3, '0')}.xml`);
  const a = group('a', 100);
  const b = group('b', 100);
  const c = group('c', 70);
  for (const name of [...a, ...b, ...c, '-dash.xml']) {
    writeFileSync(
      join(root, name),
      `<flat-profile><Station_Name ua="na">${name}</Station_Name><Line_Enable_9_ ua="na">Yes</Line_Enable_9_></flat-profile>\n`,
    );
  }
  const args = [
    'validate',
    ...a,
    '--model',
    '6821',
    ...b,
    '--format',
    'json',
    '--',
    '-dash.xml',
    ...c,
  ];
  const run = await runCli(args, { cwd: root });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stderr, '');
  const report = JSON.parse(run.stdout) as { file: string; diagnostics: { ruleId: string }[] }[];
  assert.deepEqual(
    report.map((f) => f.file),
    [...a, ...b, '-dash.xml', ...c],
  );
  // --model 6821 (2 lines) applied: line 9 is beyond its capacity in every file.
  assert.ok(report.every((f) => f.diagnostics.some((d) => d.ruleId === 'model-capacity')));
});

test('the bundles carry the built-in catalog as data: the same entries the source assembles', async () => {
  const { DEFAULT_CATALOG: source } = await import('../../src/profile/catalog-data/index.js');
  const built = (await import(new URL('../../dist/index.js', import.meta.url).href)) as {
    DEFAULT_CATALOG: typeof source;
  };
  assert.ok(source.length > 1000);
  assert.deepEqual(built.DEFAULT_CATALOG, source);
  // The CLI's chunks hold it as a JSON string, not as the object literals the source has.
  const chunks = new URL('../../dist/chunks/', import.meta.url);
  const { readdirSync, readFileSync } = await import('node:fs');
  const holding = readdirSync(chunks)
    .filter((f) => f.endsWith('.js'))
    .filter((f) =>
      readFileSync(new URL(f, chunks), 'utf8').includes(
        `JSON.parse('[{"name":"${source[0]!.name}"`,
      ),
    );
  assert.equal(holding.length, 1);
});

test('the ESM chunks define a require only where they use one', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dist = new URL('../../dist/', import.meta.url);
  let without = 0;
  for (const dir of ['esm/', 'chunks/']) {
    for (const name of readdirSync(new URL(dir, dist)).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(new URL(dir + name, dist), 'utf8');
      const banner = text.indexOf('__cpCreateRequire(import.meta.url);');
      if (banner < 0) {
        without++;
        continue;
      }
      const rest = text.slice(banner + 34);
      assert.match(rest, /\brequire\b/, `${dir}${name} defines a require it never uses`);
    }
  }
  assert.ok(without > 20, `${without} chunks without the banner`);
});

test('validate over many names: one worker, started by the CLI before the command loads', () => {
  const root = dir.fresh('early');
  const names = writeStationProfiles(root, 70);
  // Counts the workers the process constructs, and what each runs.
  const run = validateWithProbe(
    root,
    "const threads = require('node:worker_threads');\n" +
      'const started = [];\n' +
      'const Original = threads.Worker;\n' +
      'threads.Worker = class extends Original {\n' +
      '  constructor(entry, options) { super(entry, options); started.push(String(entry)); }\n' +
      '};\n' +
      "process.on('exit', () => process._rawDebug('workers: ' + JSON.stringify(started)));\n",
    names,
  );
  assert.equal(run.status, 0, run.stderr);
  assert.equal((JSON.parse(run.stdout) as unknown[]).length, 70);
  const started = JSON.parse(/workers: (.*)/.exec(run.stderr)?.[1] ?? 'null') as string[];
  assert.equal(started.length, 1, run.stderr);
  // Its code loads dist/worker.cjs (see validateWorkerCode in src/io/early-workers.ts).
  assert.match(started[0]!, /\/dist\/worker\.cjs"/);
});
