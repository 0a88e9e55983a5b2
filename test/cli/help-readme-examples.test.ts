// The README's example runs are true: every `$ cisco-prov …` line of a fenced block that shows
// its output is run here and its stdout must be what the README shows. A line `…` stands for any
// number of lines, a `…` inside a line for any text. An example on files that are only an
// illustration (`profiles/`, `/var/log/nginx/access.log`) is replayed on the repository's
// fixture that stands for them (REPLAYS); the few that cannot run as shown say why (NOT_RUN), so
// an example added with its output is replayed or explained, never silently skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ROOT, runCli, runCliShared } from '../helpers/run-cli.js';
import {
  README,
  matchesShown,
  outputLines,
  shellWords,
  shownRuns,
  type ShownRun,
} from '../helpers/readme.js';

/** A file argument that does not exist here: an illustration (`profiles/`, `/var/log/…`). */
function namesMissingFile(args: string[]): boolean {
  return args.some(
    (a) =>
      !a.startsWith('-') &&
      /^[\w./-]+(\/|\.(xml|cfg|csv|json|ya?ml|log|gz))$/.test(a) &&
      !existsSync(join(ROOT, a)),
  );
}

interface Replay {
  /** How the example runs here: other arguments, or a directory to run in. */
  args?: (args: string[]) => string[];
  cwd?: string;
  /** Or the output a golden test of the same command records (its test replays that run). */
  golden?: string;
  /** What the pipe after the command makes of its stdout. */
  pipe?: (stdout: string) => string;
}

/** README command → the fixture that stands for its illustrative files. */
const REPLAYS: Record<string, Replay> = {
  'cisco-prov validate profiles/ --model 6821': { cwd: join(ROOT, 'test/fixtures/readme') },
  'cisco-prov inspect --log /var/log/nginx/access.log': {
    args: (args) =>
      args.map((a) => (a.startsWith('/var/log/') ? 'test/fixtures/logs/combined.log' : a)),
  },
  // test/cli/drift.test.ts runs it on test/fixtures/drift (reports dated by utimes, an RFC 8188
  // upload made at test time) and holds it to test/golden/drift.md.
  'cisco-prov drift --reports reports -i inventory.csv -t templates --ikm-env PROV_IKM': {
    golden: 'test/golden/drift.md',
  },
  // profile.xml: the diff example's old.xml; jq -r '.Station_Name.value' done here
  "cisco-prov convert profile.xml --to json | jq -r '.Station_Name.value'": {
    args: () => ['convert', 'test/fixtures/diff/old.xml', '--to', 'json'],
    pipe: (stdout) => (JSON.parse(stdout) as Record<string, { value: string }>).Station_Name!.value,
  },
};

/** Shown runs that cannot be replayed as written, and why. */
const NOT_RUN: Record<string, string> = {};

/** The stdout a golden file records for its command. */
function goldenStdout(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const stdout = /\n## stdout\n\n```\n([\s\S]*?)```\n/.exec(text);
  assert.ok(stdout, `${file} has a stdout section`);
  return stdout[1]!;
}

async function printed(example: ShownRun): Promise<string[] | string> {
  const replay = REPLAYS[example.command];
  if (replay?.golden !== undefined) return outputLines(goldenStdout(replay.golden));
  const args = replay?.args ? replay.args(example.args ?? []) : example.args;
  if (args === undefined) return 'shell syntax';
  if (replay === undefined && namesMissingFile(args)) return 'names a file that is not here';
  const run = await runCli(args, replay?.cwd === undefined ? {} : { cwd: replay.cwd });
  return outputLines(replay?.pipe ? replay.pipe(run.stdout) : run.stdout);
}

test('the README example runs show what the commands print', async () => {
  const shown = shownRuns().filter((e) => e.expected.some((l) => l !== ''));
  // the examples this replays (a new one is picked up by itself; these must stay runnable)
  for (const command of [
    'param Report_to_Server',
    'inspect ',
    'inspect --log',
    'models',
    'diff ',
    'rule check',
    'validate profiles/',
    'drift ',
  ]) {
    assert.ok(
      shown.some((e) => e.command.startsWith(`cisco-prov ${command}`)),
      `an example of cisco-prov ${command} is replayed`,
    );
  }
  const wrong: string[] = [];
  for (const example of shown) {
    if (example.command in NOT_RUN) continue;
    const actual = await printed(example);
    if (typeof actual === 'string') {
      wrong.push(
        `README.md:${example.line}: ${example.command}: not run (${actual}); add a replay`,
      );
    } else if (!matchesShown(example.expected, actual)) {
      wrong.push(
        `README.md:${example.line}: ${example.command}\n--- README\n${example.expected.join('\n')}\n--- printed\n${actual.join('\n')}`,
      );
    }
  }
  assert.deepEqual(wrong, []);
  for (const command of [...Object.keys(REPLAYS), ...Object.keys(NOT_RUN)]) {
    assert.ok(
      shown.some((e) => e.command === command),
      `README still shows ${command}`,
    );
  }
});

test('the matcher: … lines skip, inline … is any text, everything else is exact', () => {
  assert.ok(matchesShown(['a', '…', 'z'], ['a', 'b', 'c', 'z']));
  assert.ok(matchesShown(['a', '…'], ['a']));
  assert.ok(matchesShown(['x … y'], ['x 1 2 y']));
  assert.ok(!matchesShown(['a', 'z'], ['a', 'b', 'z']));
  assert.ok(!matchesShown(['a'], ['a', 'b']));
  assert.ok(!matchesShown(['x (y)'], ['x y']));
  assert.deepEqual(shellWords("cisco-prov inspect 'Cisco-CP-8841-3PCC/11.0 (0056)' x"), [
    'cisco-prov',
    'inspect',
    'Cisco-CP-8841-3PCC/11.0 (0056)',
    'x',
  ]);
  assert.equal(shellWords('cisco-prov diff a b | jq'), undefined);
  assert.deepEqual(shellWords("cisco-prov rule check '/cfg/$ZZZ.cfg | ftp://x/a'"), [
    'cisco-prov',
    'rule',
    'check',
    '/cfg/$ZZZ.cfg | ftp://x/a',
  ]);
});

// The README's usage blocks (`cisco-prov render --inventory <file|-> […]`) name the options of the
// command's --help, all of them (`--key…` standing for --key, --key-file, --key-env), no other.
test("the README's usage blocks list the options --help lists", async () => {
  const usages = [...README.matchAll(/```\n(cisco-prov (\w+) [\s\S]*?)```/g)];
  assert.deepEqual(
    usages.map((m) => m[2]),
    ['render', 'validate', 'serve'],
  );
  for (const [, usage, command] of usages) {
    const shown = new Set([...usage!.matchAll(/--[a-z][a-z0-9-]*/g)].map((m) => m[0]));
    const help = (await runCliShared([command!, '--help'])).stdout;
    const options = help.split('\nOptions:\n')[1]!.split('\n\n')[0]!;
    const listed = [...options.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z0-9-]*)/gm)]
      .map((m) => m[1]!)
      .filter((flag) => flag !== '--help');
    const family = (flag: string): string => flag.replace(/^--(key|ikm)-(file|env)$/, '--$1');
    assert.deepEqual(
      [...shown].filter((flag) => !listed.includes(flag)),
      [],
      `README's ${command} usage names options --help does not list`,
    );
    assert.deepEqual(
      listed.filter((flag) => !shown.has(family(flag))),
      [],
      `README's ${command} usage leaves out options --help lists`,
    );
  }
});

// validate's `--format json` block is the JSON of the example above it (the same fixture).
test("the README's validate --format json block is what the stylish example's file gives", async () => {
  const block = /files included \(the example above\):\n\n```json\n([\s\S]*?)```/.exec(README);
  assert.ok(block, 'the README shows the JSON');
  const run = await runCli(['validate', 'profiles/', '--model', '6821', '--format', 'json'], {
    cwd: join(ROOT, 'test/fixtures/readme'),
  });
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), JSON.parse(block[1]!));
});

/** The first column of the README table whose header starts `| field`, under a heading. */
function fieldTable(heading: string): string[] {
  const start = README.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, heading);
  const lines = README.slice(start).split('\n');
  const header = lines.findIndex((l) => l.startsWith('| field'));
  const fields: string[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    fields.push(/^\| `(\w+)`/.exec(line)![1]!);
  }
  return fields;
}

test("the README's JSON field tables (inspect, models) are the fields --json prints", async () => {
  const ua = await runCli(['inspect', '--json', 'Cisco-CP-8841-3PCC/11.0 (00562b043615)']);
  assert.deepEqual(
    Object.keys(JSON.parse(ua.stdout) as object).sort(),
    fieldTable('#### JSON fields (`--json`, one object per line)').sort(),
  );
  const models = await runCli(['models', '8841', '--json']);
  assert.deepEqual(
    Object.keys((JSON.parse(models.stdout) as object[])[0]!).sort(),
    fieldTable('### `models`: the model table').sort(),
  );
});

// inspect --log --json: the README's document is the fixture log's, its lists cut short.
test("the README's inspect --log --json document is an excerpt of the real one", async () => {
  const block = /`--json` prints one document:\n\n```json\n([\s\S]*?)```/.exec(README);
  assert.ok(block, 'the README shows the document');
  const shown = JSON.parse(block[1]!) as Record<string, unknown>;
  const run = await runCli(['inspect', '--log', 'test/fixtures/logs/combined.log', '--json']);
  const real = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(shown), Object.keys(real));
  for (const [key, value] of Object.entries(shown)) {
    if (Array.isArray(value)) {
      for (const item of value)
        assert.ok(
          (real[key] as unknown[]).some((r) => isDeepStrictEqual(r, item)),
          `${key}: ${JSON.stringify(item)}`,
        );
    } else {
      assert.deepEqual(value, real[key], key);
    }
  }
});
