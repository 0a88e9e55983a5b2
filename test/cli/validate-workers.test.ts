/**
 * Issue 12: a large `validate` runs on worker threads, renders each file's report text there
 * and prints the report as it goes. None of that may change a byte of the results: the fixture
 * corpus (test/fixtures/profiles, every rule's bad case and the good ones), copied often
 * enough to pass the worker threshold and mixed with stdin, gives the same report with one
 * thread and with two, in both formats, and the same as the formatters over the core's own
 * results in this process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../../src/commands/validate.js';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';
import { formatJson, formatStylish } from '../../src/output/diagnostics-format.js';
import { checkProfileFile } from '../../src/validate/file.js';
import type { FileDiagnostics } from '../../src/validate/diagnostic.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const FIXTURES = join(ROOT, 'test/fixtures/profiles');
const CATALOG = join(FIXTURES, 'catalog.json');
/** Copies of each fixture: 24 fixtures × 4 = 96 files, past the 64-file worker threshold. */
const COPIES = 4;

/** A directory of the corpus, each fixture `COPIES` times under its own name. */
function corpusDirectory(): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cp-validate-workers-'));
  const files: string[] = [];
  for (const kind of ['bad', 'good']) {
    mkdirSync(join(dir, kind));
    for (const name of readdirSync(join(FIXTURES, kind)).sort()) {
      for (let copy = 0; copy < COPIES; copy++) {
        const target = join(kind, `${copy}-${name}`);
        copyFileSync(join(FIXTURES, kind, name), join(dir, target));
        files.push(target);
      }
    }
  }
  return { dir, files: files.sort() };
}

test('the corpus gives the same report on 1 and 2 worker threads, in both formats', async () => {
  const { dir, files } = corpusDirectory();
  try {
    assert.ok(files.length >= 64, `${files.length} files reach the worker threshold`);
    const stdin = readFileSync(join(FIXTURES, 'bad', readdirSync(join(FIXTURES, 'bad'))[0]!));
    // The core in this process, one file at a time: what every run must print.
    const catalog = parseCatalogJson(readFileSync(CATALOG, 'utf8'), 'catalog.json');
    const settings = { model: '8841', passphrase: undefined, ikm: undefined, ignoreRules: [] };
    const expected: FileDiagnostics[] = [];
    for (const file of ['bad', '-', 'good']) {
      if (file === '-') {
        expected.push(checkProfileFile('<stdin>', stdin, catalog, settings));
        continue;
      }
      for (const f of files.filter((name) => name.startsWith(`${file}/`))) {
        expected.push(checkProfileFile(f, readFileSync(join(dir, f)), catalog, settings));
      }
    }
    assert.ok(expected.some((r) => r.errorCount > 0));
    for (const format of ['json', 'stylish'] as const) {
      const outputs: string[] = [];
      for (const jobs of ['1', '2']) {
        const run = await runCli(
          [
            'validate',
            '--format',
            format,
            '--model',
            '8841',
            '--catalog',
            CATALOG,
            'bad',
            '-',
            'good',
          ],
          { cwd: dir, input: stdin, env: { CISCO_PROV_VALIDATE_JOBS: jobs } },
        );
        assert.equal(run.code, 1, run.stderr);
        assert.equal(run.stderr, '');
        outputs.push(run.stdout);
      }
      assert.equal(outputs[1], outputs[0], `${format}: 2 workers print what 1 thread prints`);
      assert.equal(
        outputs[0],
        format === 'json' ? formatJson(expected) : formatStylish(expected),
        `${format}: the CLI prints what the formatters make of the core's results`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validate() gives the same results on 1 and 2 workers, collected or streamed', async () => {
  const { dir } = corpusDirectory();
  try {
    const run = async (jobs: number, stream: boolean) => {
      const streamed: FileDiagnostics[] = [];
      const result = await validate({
        inputs: ['bad', 'good'],
        cwd: dir,
        catalog: CATALOG,
        jobs,
        ...(stream ? { onFile: (file: FileDiagnostics) => streamed.push(file) } : {}),
      });
      if (stream) assert.deepEqual(result.files, [], 'streamed results are not kept');
      return { ...result, files: stream ? streamed : result.files };
    };
    const one = await run(1, false);
    assert.ok(one.files.length >= 64);
    assert.ok(one.errorCount > 0);
    for (const [jobs, stream] of [
      [2, false],
      [2, true],
      [1, true],
    ] as const) {
      assert.deepEqual(await run(jobs, stream), one, `jobs ${jobs}, streamed ${stream}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('workers started ahead for a flat directory get the run settings; a failure before the run ends them', async () => {
  // One flat directory: its listing alone passes the threshold, so the CLI starts its workers
  // before the catalog is read and the directory walked (src/commands/validate.ts).
  const { dir: nested, files } = corpusDirectory();
  const root = mkdtempSync(join(tmpdir(), 'cp-validate-flat-'));
  try {
    mkdirSync(join(root, 'flat'));
    const names = files.map((f) => f.replace('/', '-')).sort();
    files.forEach((f, i) => copyFileSync(join(nested, f), join(root, 'flat', names[i]!)));
    assert.ok(names.length >= 64);
    const catalog = parseCatalogJson(readFileSync(CATALOG, 'utf8'), 'catalog.json');
    const settings = { model: '8841', passphrase: undefined, ikm: undefined, ignoreRules: [] };
    const expected = names.map((f) =>
      checkProfileFile(join('flat', f), readFileSync(join(root, 'flat', f)), catalog, settings),
    );
    const args = (catalogFile: string) => [
      'validate',
      '--format',
      'json',
      '--model',
      '8841',
      '--catalog',
      catalogFile,
      'flat',
    ];
    for (const jobs of ['2', '1']) {
      const run = await runCli(args(CATALOG), {
        cwd: root,
        env: { CISCO_PROV_VALIDATE_JOBS: jobs },
      });
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, formatJson(expected), `${jobs} job(s): the core's results`);
    }
    // A catalog that fails to load after the workers started: exit 2, one line, no hang.
    writeFileSync(join(root, 'bad.json'), '{}');
    const run = await runCli(args('bad.json'), {
      cwd: root,
      env: { CISCO_PROV_VALIDATE_JOBS: '2' },
    });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  } finally {
    rmSync(nested, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
});
