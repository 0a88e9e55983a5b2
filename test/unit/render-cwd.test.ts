/**
 * The render core reads no process state: the directory relative paths start from is its `cwd`
 * option, which the CLI fills with its own; the library without `cwd` keeps taking relative
 * paths from the working directory (README "Library API"). The boundary lint now also refuses
 * `process.cwd()`/`process.chdir()` in the core.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { render } from '../../src/index.js';
import { ROOT } from '../helpers/run-cli.js';

const TEMPLATE =
  '<flat-profile>\n  <Station_Name ua="na">{{ display_name }}</Station_Name>\n</flat-profile>\n';
const CSV = 'mac,model,display_name\n00:56:2B:04:36:15,8841,Reception\n';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cp-render-cwd-'));
  writeFileSync(join(dir, 'inv.csv'), CSV);
  writeFileSync(join(dir, 'default.liquid'), TEMPLATE);
  return dir;
}

test('the boundary lint refuses process.cwd() and process.chdir() in the core', async () => {
  const eslint = new ESLint({ cwd: ROOT });
  const code = 'export const a = process.cwd();\nexport const b = () => process.chdir("/");\n';
  const [result] = await eslint.lintText(code, {
    filePath: join(ROOT, 'src/render/zz-cwd-probe.ts'),
  });
  const lines = result!.messages
    .filter((m) => m.ruleId === 'no-restricted-syntax')
    .map((m) => m.line);
  assert.deepEqual(lines, [1, 2]);
});

test('relative paths start from `cwd`, not from the process directory', async () => {
  const dir = workspace();
  try {
    assert.notEqual(process.cwd(), dir);
    const { stdout } = await render({ cwd: dir, inventory: 'inv.csv', template: 'default.liquid' });
    assert.match(Buffer.from(stdout!).toString('utf8'), /Reception/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without `cwd`, relative paths start from the working directory (library behaviour kept)', async () => {
  const dir = workspace();
  const before = process.cwd();
  try {
    process.chdir(dir);
    const { stdout } = await render({ inventory: 'inv.csv', template: 'default.liquid' });
    assert.match(Buffer.from(stdout!).toString('utf8'), /Reception/);
  } finally {
    process.chdir(before);
    rmSync(dir, { recursive: true, force: true });
  }
});
