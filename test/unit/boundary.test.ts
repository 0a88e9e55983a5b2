/**
 * The boundary between the library core and the CLI (eslint.config.js): a core file that
 * imports the CLI layer or CliError, prints, reads the environment or exits fails `npm test`'s
 * lint step. These tests lint probe files with the project's own config and expect the rule to
 * fire in every core directory (and at depth 2), and not to fire in the CLI layer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { ESLint } from 'eslint';
import { ROOT } from '../helpers/run-cli.js';

const CORE_DIRS = ['crypto', 'render', 'validate', 'profile', 'device'];
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax', 'no-console']);

/** A probe that breaks the rule once per line; `up` leads from its directory to src/. */
function probe(up: string): { code: string; offences: number } {
  const lines = [
    `import { warn } from '${up}io/writer.js';`,
    `import { CliError } from '${up}errors.js';`,
    `import type { RenderCliOptions } from '${up}commands/render.js';`,
    `export { readInput } from '${up}io/input.js';`,
    `export const a = [warn, CliError, {} as RenderCliOptions];`,
    `export const b = process.env.HOME;`,
    `export const c = globalThis.process?.env?.HOME;`,
    `console.error('x');`,
    `process.stderr.write('x');`,
    `process.exit(3);`,
    `export const d = import('${up}cli.js');`,
    `export const e = import('${up}serve/server.js');`,
  ];
  return { code: `${lines.join('\n')}\n`, offences: 11 };
}

async function boundaryProblems(file: string, code: string): Promise<number[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return result!.messages
    .filter((m) => m.ruleId && BOUNDARY_RULES.has(m.ruleId))
    .map((m) => m.line);
}

for (const dir of CORE_DIRS) {
  test(`the boundary rule fires in src/${dir}, on every kind of offence`, async () => {
    const { code } = probe('../');
    const lines = await boundaryProblems(`src/${dir}/zz-boundary-probe.ts`, code);
    // Line 5 uses the imports (no offence); line 7 reads env through globalThis.process.
    assert.deepEqual(
      [...new Set(lines)].sort((x, y) => x - y),
      [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12],
    );
  });
}

test('the boundary rule fires two levels down (src/validate/rules)', async () => {
  const { code, offences } = probe('../../');
  const lines = await boundaryProblems('src/validate/rules/zz-boundary-probe.ts', code);
  assert.equal(new Set(lines).size, offences);
});

test('the core may import the core: ../crypto/errors.js is not the CLI error', async () => {
  const code =
    "import { DecryptError } from '../crypto/errors.js';\nexport const x = DecryptError;\n";
  assert.deepEqual(await boundaryProblems('src/render/zz-boundary-probe.ts', code), []);
});

test('the CLI layer may do all of it', async () => {
  const { code } = probe('../');
  assert.deepEqual(await boundaryProblems('src/commands/zz-boundary-probe.ts', code), []);
});

/**
 * `npm test`'s own lint of the tree (scripts/check.mjs runs `eslint .` beside the tests and names
 * its JSON results in CISCO_PROV_TEST_LINT, CISCO_PROV_TEST_LINT_DONE once it has ended): the
 * results of the files under src/<dir> for each core dir, or undefined when there are none to
 * read (no such run, or eslint left no results), or they have not come within four minutes.
 */
async function lintStepResults(): Promise<ESLint.LintResult[] | undefined> {
  const results = process.env.CISCO_PROV_TEST_LINT;
  const done = process.env.CISCO_PROV_TEST_LINT_DONE;
  if (!results || !done) return undefined;
  for (const started = Date.now(); !existsSync(done);) {
    if (Date.now() - started > 240_000) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!existsSync(results)) return undefined;
  const all = JSON.parse(readFileSync(results, 'utf8')) as ESLint.LintResult[];
  return all.filter((r) => CORE_DIRS.some((d) => r.filePath.startsWith(join(ROOT, 'src', d, sep))));
}

test('the source tree keeps the rule today', async () => {
  // The core's .ts files: each is linted (by npm test's lint step, or here).
  const coreFiles = CORE_DIRS.flatMap((d) =>
    (readdirSync(join(ROOT, 'src', d), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(ROOT, 'src', d, f)),
  ).sort();
  const results =
    (await lintStepResults()) ??
    (await new ESLint({ cwd: ROOT }).lintFiles(CORE_DIRS.map((d) => `src/${d}/**/*.ts`)));
  assert.deepEqual(results.map((r) => r.filePath).sort(), coreFiles);
  const broken = results.flatMap((r) =>
    r.messages
      .filter((m) => m.ruleId && BOUNDARY_RULES.has(m.ruleId))
      .map((m) => `${r.filePath}:${m.line} ${m.message}`),
  );
  assert.deepEqual(broken, []);
});
