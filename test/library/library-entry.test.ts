/**
 * The library entry as a user gets it: `dist/index.js` in a fresh process, without the CLI.
 * - package.json tells the truth: the npm packages dist/index.js imports are exactly its
 *   `dependencies` (the CLI bundles everything, so the rest are devDependencies);
 * - a render → encrypt → decrypt → validate round trip through the public API, while a module
 *   hook records every file loaded: no CLI module (dist/cli.cjs, dist/esm/*), no commander, no ora.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Linter, type Rule } from 'eslint';
import { ROOT } from '../helpers/run-cli.js';

const INDEX = join(ROOT, 'dist', 'index.js');

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Every import specifier of an ES module (static, dynamic, re-export), and every package it
 * `require()`s through createRequire (src/lazy-deps.ts: `require2('yaml')` once bundled), read
 * by ESLint's parser.
 */
function importSpecifiers(code: string): string[] {
  const found: string[] = [];
  const record = (node: { source?: unknown }): void => {
    const source = node.source as { type?: string; value?: unknown } | null | undefined;
    if (source?.type === 'Literal' && typeof source.value === 'string') found.push(source.value);
  };
  const collect: Rule.RuleModule = {
    create: () => ({
      ImportDeclaration: record,
      ImportExpression: record,
      ExportAllDeclaration: record,
      ExportNamedDeclaration: record,
      CallExpression: (node) => {
        const [first] = node.arguments;
        if (
          node.callee.type === 'Identifier' &&
          /^require\d*$/.test(node.callee.name) &&
          first?.type === 'Literal' &&
          typeof first.value === 'string'
        ) {
          found.push(first.value);
        }
      },
    }),
  };
  const messages = new Linter().verify(code, {
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    // The bundle is not minified: our sources' eslint-disable comments are still in it.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { probe: { rules: { imports: collect } } },
    rules: { 'probe/imports': 'error' },
  });
  assert.deepEqual(messages, [], 'dist/index.js parses');
  return found;
}

test('the npm packages dist/index.js imports are exactly package.json dependencies', () => {
  const imported = new Set<string>();
  for (const specifier of importSpecifiers(readFileSync(INDEX, 'utf8'))) {
    if (specifier.startsWith('node:') || specifier.startsWith('.')) continue;
    imported.add(packageOf(specifier));
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  assert.deepEqual([...imported].sort(), Object.keys(pkg.dependencies).sort());
  for (const cliOnly of ['commander', 'ora']) {
    assert.ok(!imported.has(cliOnly), `${cliOnly} is not imported by the library`);
    assert.ok(cliOnly in pkg.devDependencies, `${cliOnly} is a devDependency (bundled in the CLI)`);
  }
});

/** Appends the URL of every module import() resolves to LOAD_LOG (module hooks). */
const HOOKS_URL = pathToFileURL(
  join(import.meta.dirname, '..', 'helpers', 'resolve-log-hooks.mjs'),
).href;

const ROUND_TRIP = `
import { createRequire, register } from 'node:module';
register(process.env.HOOKS_URL, { data: { log: process.env.LOAD_LOG } });
const lib = await import(process.env.INDEX_URL);
const { report, stdout } = await lib.render({
  cwd: process.env.ROOT,
  inventory: 'examples/inventory.csv',
  devices: ['0056.2b04.3615'],
});
const sealed = lib.sealProfile(stdout, { cipher: 'aes-256-cbc', passphrase: 'Example-Key-1', gzip: true });
const wrongKey = (() => { try { lib.openProfile(sealed, { passphrase: 'nope' }); return 'opened'; } catch (e) { return e.message; } })();
const opened = lib.openProfile(sealed, { passphrase: 'Example-Key-1' });
const gcm = lib.sealProfile(opened.plaintext, { cipher: 'aes128gcm', ikm: lib.parseIkm('hex:000102030405060708090a0b0c0d0e0f') });
const back = lib.openProfile(gcm, { ikm: lib.parseIkm('hex:000102030405060708090a0b0c0d0e0f') });
const diagnostics = lib.validateProfileBytes(back.plaintext, { file: 'a.xml', model: '8841' });
const broken = lib.validateProfileText('<flat-profile><Station_Name ua="xx">a</Station_Name></flat-profile>', { file: 'b.xml' });
let domain;
try { await lib.render({ cwd: process.env.ROOT, inventory: 'examples/inventory.csv', devices: ['00:11:22:33:44:55'] }); }
catch (e) { domain = { isDomainError: lib.isDomainError(e), kind: e.kind, code: e.code }; }
console.log(JSON.stringify({
  status: report.devices[0].status,
  sameText: Buffer.from(opened.plaintext).equals(Buffer.from(stdout)),
  container: opened.container, gzip: opened.gzip, gcm: back.container,
  wrongKey, errors: diagnostics.filter((d) => d.severity === 'error').length,
  brokenRules: broken.map((d) => d.ruleId), domain,
  required: Object.keys(createRequire(process.env.INDEX_URL).cache),
  startsWith: Buffer.from(back.plaintext).subarray(0, 200).toString('utf8'),
}));
`;

test('dist/index.js alone: render → encrypt → decrypt → validate, no CLI module loaded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-library-'));
  try {
    const log = join(dir, 'loaded.txt');
    writeFileSync(log, '');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', ROUND_TRIP], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        ROOT,
        INDEX_URL: pathToFileURL(INDEX).href,
        HOOKS_URL,
        LOAD_LOG: log,
      },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(out.status, 'written');
    assert.equal(out.sameText, true);
    assert.equal(out.container, 'openssl-enc');
    assert.equal(out.gzip, true);
    assert.equal(out.gcm, 'aes128gcm');
    assert.equal(out.wrongKey, 'bad decrypt');
    assert.equal(out.errors, 0);
    assert.deepEqual(out.brokenRules, ['invalid-ua']);
    assert.deepEqual(out.domain, { isDomainError: true, kind: 'usage', code: 'device-not-found' });
    assert.match(String(out.startsWith), /<flat-profile|<\?xml/);

    // What import() resolved (the hook), and what the library require()d on first use (the
    // CommonJS cache: Node 20's module hooks do not see require).
    const loaded = [
      ...readFileSync(log, 'utf8').trim().split('\n'),
      ...(out.required as string[]).map((path) => pathToFileURL(path).href),
    ];
    assert.ok(loaded.includes(pathToFileURL(INDEX).href), 'the hook saw dist/index.js');
    assert.ok(
      loaded.some((u) => u.includes('/node_modules/liquidjs/')),
      'dependencies load from node_modules',
    );
    const cli = loaded.filter(
      (u) =>
        /\/dist\/(?:cli\.cjs|esm\/|chunks\/)|\/node_modules\/(?:commander|ora)\//.test(u) ||
        u.startsWith(pathToFileURL(join(ROOT, 'src')).href),
    );
    assert.deepEqual(cli, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
