/**
 * The package as an `import` user gets it: `npm pack`, the tarball unpacked into a fresh project's
 * node_modules (its `dependencies` linked from this checkout, nothing else reachable), then
 * - the tarball holds what `import` and the bin need and nothing else (no tests, no sources, no
 *   keys, no code cache this Node would reject);
 * - every name the README's "Library API" section (and the other "Library:" lines) says is
 *   exported is exported, and the README's TypeScript examples type-check with `tsc --strict`
 *   against the shipped .d.ts under moduleResolution nodenext, node16 and bundler;
 * - the README's round trip runs, errors are the documented classes with their documented fields,
 *   and from import to the last call the library reads no environment variable, opens no
 *   stdout/stderr and asks no terminal question (a probe records every access; what chalk's own
 *   colour detection reads when it is imported is the baseline);
 * - `require('cisco-prov')` works from CommonJS (Node ≥ 20.19 loads the ES module), as the README
 *   says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../helpers/run-cli.js';
import { packedTarball } from '../helpers/npm-pack.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** The README between a heading and the next heading of the same level. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `README has ${heading}`);
  const level = heading.split(' ')[0]!;
  const rest = README.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n${level} `));
  return end < 0 ? rest : rest.slice(0, end);
}

function tsBlocks(text: string): string[] {
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Words the Library API section puts in backticks that are options or fields, not exports. */
const DOCUMENTED_FIELDS = new Set([
  'dependencies',
  // render's options and result
  'inventory',
  'template',
  'vars',
  'devices',
  'name',
  'encryption',
  'gzip',
  'dryRun',
  'cwd',
  'inventoryText',
  'templateText',
  'varsFiles',
  'out',
  'stdout',
  'writeFile',
  // DomainError's and DecryptError's fields, and DomainError kinds
  'kind',
  'usage',
  'io',
  'code',
  'message',
  'file',
  'where',
  'field',
  'reason',
  'problems',
  'line',
  'column',
  // SizeLimitError's fields, openProfile's and sealProfile's options, the argument errors
  'what',
  'limit',
  'maxSize',
  'rs',
  'TypeError',
  'RangeError',
  // Node's and TypeScript's words
  'require',
  'moduleResolution',
  'module',
  'nodenext',
  'node16',
  'bundler',
]);

/** Every name the README says `cisco-prov` exports. */
function documentedExports(): string[] {
  const names = new Set<string>();
  const library = section('## Library API');
  const blocks = [...tsBlocks(library), ...tsBlocks(section('#### Library'))];
  for (const block of blocks) {
    for (const m of block.matchAll(/import\s*\{([^}]*)\}\s*from\s*'cisco-prov'/g)) {
      for (const name of m[1]!.split(',')) if (name.trim() !== '') names.add(name.trim());
    }
  }
  const prose = [
    library.replace(/```[\s\S]*?```/g, ''),
    ...[...README.matchAll(/(?:From the library|\nLibrary): ([^]*?)\.\n/g)].map((m) => m[1]!),
    /`validateProfileBytes\(bytes, options\)` also[^.]*\./.exec(README)?.[0] ?? '',
  ].join('\n');
  for (const m of prose.matchAll(/`([A-Za-z_$][\w$]*)(?:\([^`]*\))?`/g)) {
    if (!DOCUMENTED_FIELDS.has(m[1]!)) names.add(m[1]!);
  }
  return [...names].sort();
}

/** The README's TypeScript examples, as files, with the free names they use declared. */
function readmeTypeScript(): Record<string, string> {
  const [api] = tsBlocks(section('## Library API'));
  const [validate] = tsBlocks(section('#### Library'));
  assert.ok(api && validate, 'both TypeScript examples are in the README');
  return {
    'readme-api.ts': `declare const passphrase: string;\ndeclare const ikmText: string;\n${api}export {};\n`,
    'readme-validate.ts': `declare const xml: string;\n${validate}export {};\n`,
  };
}

/** What the user program checks: the fields the README documents, as types. */
const TYPES_TS = `
import type { RenderOptions, RenderResult, DomainError, DecryptError } from 'cisco-prov';
const renderOptions: (keyof RenderOptions)[] = [
  'inventory', 'template', 'vars', 'devices', 'name', 'encryption', 'gzip', 'dryRun', 'cwd', 'out', 'writeFile',
  'inventoryText', 'templateText', 'varsFiles',
];
const result: (keyof RenderResult)[] = ['stdout', 'report'];
const domain: (keyof DomainError)[] = ['kind', 'code', 'message', 'file', 'where', 'field'];
const kinds: DomainError['kind'][] = ['usage', 'bad-input', 'io'];
const decrypt: (keyof DecryptError)[] = ['reason', 'message'];
export { renderOptions, result, domain, kinds, decrypt };
`;

/**
 * The user's program: an access probe on process.env, process.stdout/stderr and tty.isatty is
 * set up first (a read by Node's own loader is left out, and so is what a baseline import of a
 * file that imports nothing reads); then cisco-prov is imported and used as the README shows.
 */
const PROGRAM = `
import { writeFileSync } from 'node:fs';
import tty from 'node:tty';
const resultFile = process.argv[2];
const touched = { env: new Set(), streams: [], isatty: [] };
// Node's own module loader reads NODE_V8_COVERAGE for a module with a source map: a read whose
// caller is Node itself (node:internal/…) is not the library's.
const byNode = () =>
  /^\\s+at (?:.* \\()?node:/.test(new Error().stack.split('\\n').slice(1).find((l) => !l.includes('program.mjs')) ?? '');
const note = (k) => { if (!byNode()) touched.env.add(String(k)); };
const realEnv = process.env;
process.env = new Proxy(realEnv, {
  get(t, k) { if (typeof k === 'string') note(k); return Reflect.get(t, k); },
  has(t, k) { note(k); return Reflect.has(t, k); },
  ownKeys(t) { note('(every name)'); return Reflect.ownKeys(t); },
  getOwnPropertyDescriptor(t, k) { note(k); return Reflect.getOwnPropertyDescriptor(t, k); },
});
for (const name of ['stdout', 'stderr']) {
  const real = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, {
    configurable: true,
    get() { touched.streams.push(name); return real.get ? real.get.call(process) : real.value; },
  });
}
const realIsatty = tty.isatty;
tty.isatty = (fd) => { touched.isatty.push(fd); return realIsatty(fd); };
const realConsole = { ...console };
for (const k of ['log', 'error', 'warn', 'info', 'debug']) console[k] = (...a) => touched.streams.push('console.' + k);

await import('./baseline.mjs');
// chalk (the formatters' colour library) looks at FORCE_COLOR, TERM, CI, … and isatty(1/2) when it
// is first imported, as its documentation says: that is chalk's, not the library's, so it is part
// of the baseline; everything after it is the library's own.
await import('chalk');
const baseline = new Set(touched.env);
touched.env.clear();
touched.streams.length = 0;
touched.isatty.length = 0;

const lib = await import('cisco-prov');
const out = {};
const { stdout: xml, report } = await lib.render({ inventory: 'examples/inventory.csv', devices: ['0056.2b04.3615'] });
out.status = report.devices[0].status;
out.xmlStart = new TextDecoder().decode(xml.subarray(0, 60));
const written = [];
const fleet = await lib.render({ inventory: 'examples/inventory.csv', out: 'profiles', writeFile: (path, bytes) => written.push([path, bytes.length]) });
out.written = { files: written.map(([path]) => path).sort(), allBytes: written.every(([, n]) => n > 0), statuses: [...new Set(fleet.report.devices.map((d) => d.status))] };
const passphrase = 'Example-Key-1';
const cfg = lib.sealProfile(xml, { cipher: 'aes-256-cbc', passphrase, gzip: true });
const opened = lib.openProfile(cfg, { passphrase });
out.opened = { container: opened.container, gzip: opened.gzip, same: Buffer.from(opened.plaintext).equals(Buffer.from(xml)) };
const ikm = lib.parseIkm('hex:000102030405060708090a0b0c0d0e0f');
const body = lib.sealProfile(xml, { cipher: 'aes128gcm', ikm });
out.gcm = lib.openProfile(body, { ikm }).container;
try { lib.openProfile(cfg, { passphrase: 'wrong' }); } catch (e) {
  out.decryptError = { isClass: e instanceof lib.DecryptError, message: e.message, reasonType: typeof e.reason };
}
try { await lib.render({ inventory: 'examples/inventory.csv', devices: ['00:11:22:33:44:55'] }); } catch (e) {
  out.domainError = { isClass: e instanceof lib.DomainError, is: lib.isDomainError(e), kind: e.kind, code: e.code, file: e.file, oneLine: !e.message.includes('\\n') };
}
try { lib.parseInventory('mac,model\\nzz,8841\\nzz,8841\\n', 'inv.csv'); } catch (e) {
  out.inventoryError = { isClass: e instanceof lib.InventoryError, problems: e.problems.length, lines: e.message.split('\\n').length };
}
try { lib.parseProfileXml('<flat-profile>\\n<A>x</B>'); } catch (e) {
  out.profileError = { isClass: e instanceof lib.ProfileFormatError, line: e.line };
}
const explained = lib.explainRender({ inventory: 'examples/inventory.csv', explain: '0056.2b04.3615' });
const variable = (path) => explained.variables.find((v) => v.path === path);
out.explain = { admin: variable('admin_password')?.value, macLayer: variable('mac')?.layer };
out.diagnostics = lib.validateProfileBytes(opened.plaintext, { file: 'a.xml', model: '8841' }).map((d) => Object.keys(d).sort().join(','));
out.validateText = lib.validateProfileText('<flat-profile><Station_Name ua="RW">x</Station_Name></flat-profile>', { file: 'a.xml', model: '8841', encrypted: false });
const rule = lib.parseRule('($SWVER ne sip88xx.11-3-2MPP0001-609)? http://fw/sip88xx.11-3-2MPP0001-609.loads', 'upgrade');
out.rule = { alternatives: rule.alternatives.map((a) => Object.keys(a)), errors: rule.errors };
out.ua = lib.parseUserAgent('Cisco-CP-8841-3PCC/11.0 (00562b043615)');
const salt = new Uint8Array(8).fill(7);
const viaNode = lib.encryptOpensslEnc(xml, passphrase, { salt });
out.noblePerCall = Buffer.from(lib.encryptOpensslEnc(xml, passphrase, { salt, backend: 'noble' })).equals(Buffer.from(viaNode));
lib.setDefaultBackend('noble');
out.nobleSame = Buffer.from(lib.encryptOpensslEnc(xml, passphrase, { salt })).equals(Buffer.from(viaNode));
lib.setDefaultBackend('node');
out.stylish = lib.formatStylish([{ file: 'a.xml', errorCount: 1, warningCount: 0, diagnostics: out.validateText }]);
out.exports = Object.keys(lib).sort();

process.env = realEnv;
Object.assign(console, realConsole);
out.touched = { env: [...touched.env].filter((k) => !baseline.has(k)), streams: touched.streams, isatty: touched.isatty };
writeFileSync(resultFile, JSON.stringify(out));
`;

const CJS = `
const lib = require('cisco-prov');
const r = lib.parseUserAgent('Cisco-CP-8841-3PCC/11.0 (00562b043615)');
process.stdout.write(JSON.stringify({ model: r.model, render: typeof lib.render }));
`;

/** The shipped .d.ts are checked themselves once (skipLibCheck false), under nodenext. */
function tsconfig(module: string, moduleResolution: string, files: string[]): string {
  return JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'es2022',
      module,
      moduleResolution,
      skipLibCheck: moduleResolution !== 'nodenext',
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
    },
    files,
  });
}

test('the packed tarball, installed in a fresh project: contents, exports, types, no environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-packed-'));
  try {
    // npm test has built dist/ already: pack what is there (--ignore-scripts: no second build),
    // once for the run (consumer.test.ts tests the same tarball).
    const packed = packedTarball(dir);
    const files = packed.report.files.map((f) => f.path);

    // Contents: what import and the bin need, nothing else.
    for (const needed of [
      'package.json',
      'README.md',
      'bin/cisco-prov.cjs',
      'dist/index.js',
      'dist/types/src/index.d.ts',
      'dist/cli.cjs',
      'dist/oneshot.cjs',
      'templates/mpp-desk.liquid',
      'examples/inventory.csv',
    ]) {
      assert.ok(files.includes(needed), `${needed} is in the tarball`);
    }
    const unwanted = files.filter(
      (f) =>
        /^(test|src|bench|scripts|docs|node_modules)\//.test(f) ||
        /\.test\.|\.(ts|tsx|pem|key|p12|tmp|log)$/.test(f.replace(/\.d\.ts$/, '.d')) ||
        /(^|\/)\.[^/]+$/.test(f),
    );
    assert.deepEqual(unwanted, [], 'no tests, sources, keys, temp or hidden files');
    // A code cache ships beside its bundle and was made by this Node (npm pack runs the build
    // that makes it): V8 takes it in a plain `node` as the bin runs, or start-up would compile
    // from scratch.
    const caches = files.filter((f) => f.endsWith('.cache'));
    for (const cache of caches) {
      assert.ok(files.includes(cache.slice(0, -'.cache'.length)), `${cache} has its bundle`);
    }
    const probe = spawnSync(
      process.execPath,
      [
        '-e',
        `const { readFileSync } = require('node:fs'); const { Script } = require('node:vm');
         for (const cache of JSON.parse(process.argv[1])) {
           const file = require('node:path').join(process.argv[2], cache.slice(0, -6));
           const s = new Script(readFileSync(file, 'utf8'), { filename: file, cachedData: readFileSync(file + '.cache') });
           if (s.cachedDataRejected) console.log(cache);
         }`,
        JSON.stringify(caches),
        ROOT,
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH } },
    );
    assert.equal(probe.status, 0, probe.stderr);
    assert.equal(probe.stdout, '', 'every code cache is accepted by this Node');

    // A fresh project: the tarball in node_modules/cisco-prov, its dependencies beside it.
    const app = join(dir, 'app');
    const modules = join(app, 'node_modules');
    mkdirSync(modules, { recursive: true });
    execFileSync('tar', ['-xzf', packed.path, '-C', modules]);
    renameSync(join(modules, 'package'), join(modules, 'cisco-prov'));
    for (const dep of Object.keys(PKG.dependencies)) {
      mkdirSync(dirname(join(modules, dep)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep), 'dir');
    }
    assert.ok(!existsSync(join(modules, 'commander')), 'no CLI dependency is reachable');
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'user', type: 'module' }));
    mkdirSync(join(app, 'examples'));
    writeFileSync(
      join(app, 'examples', 'inventory.csv'),
      readFileSync(join(modules, 'cisco-prov', 'examples', 'inventory.csv')),
    );
    writeFileSync(join(app, 'baseline.mjs'), 'export const nothing = 0;\n');
    writeFileSync(join(app, 'program.mjs'), PROGRAM);
    writeFileSync(join(app, 'require.cjs'), CJS);

    // The README's library examples run as written.
    const resultFile = join(dir, 'result.json');
    const run = spawnSync(process.execPath, ['program.mjs', resultFile], {
      cwd: app,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, FORCE_COLOR: '1', TERM: 'xterm' },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout + run.stderr, '', 'the library printed nothing');
    const out = JSON.parse(readFileSync(resultFile, 'utf8')) as Record<string, unknown> & {
      exports: string[];
      touched: { env: string[]; streams: string[]; isatty: number[] };
    };
    assert.deepEqual(out.touched, { env: [], streams: [], isatty: [] }, 'no environment read');
    assert.equal(out.status, 'written');
    // "With `out` it writes one file per device through the `writeFile(path, bytes)` you pass"
    const written = out.written as { files: string[]; allBytes: boolean; statuses: string[] };
    assert.equal(written.files.length, 8, written.files.join(' '));
    assert.ok(
      written.files.every((f) => /\/app\/profiles\/\w+\.xml$/.test(f)),
      written.files.join(' '),
    );
    assert.deepEqual([written.allBytes, written.statuses], [true, ['written']]);
    assert.match(String(out.xmlStart), /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    assert.deepEqual(out.opened, { container: 'openssl-enc', gzip: true, same: true });
    assert.equal(out.gcm, 'aes128gcm');
    assert.deepEqual(out.decryptError, {
      isClass: true,
      message: 'bad decrypt',
      reasonType: 'string',
    });
    assert.deepEqual(out.domainError, {
      isClass: true,
      is: true,
      kind: 'usage',
      code: 'device-not-found',
      file: 'examples/inventory.csv',
      oneLine: true,
    });
    // explainRender: "each variable and the layer that set it, secrets masked"
    assert.deepEqual(out.explain, {
      admin: '********',
      macLayer: 'examples/inventory.csv row 2',
    });
    assert.deepEqual(out.inventoryError, { isClass: true, problems: 2, lines: 2 });
    assert.deepEqual(out.profileError, { isClass: true, line: 2 });
    // README: → [{ ruleId, severity, message, file, line, column, hint? }]
    for (const keys of [
      ...(out.diagnostics as string[]),
      ...(out.validateText as object[]).map((d) => Object.keys(d).sort().join(',')),
    ]) {
      assert.match(keys, /^column,file,(hint,)?line,message,ruleId,severity$/);
    }
    assert.equal((out.validateText as { ruleId: string }[])[0]?.ruleId, 'invalid-ua');
    // README: → { alternatives: [{ condition, assignments, options, url }], errors: [] }
    const rule = out.rule as { alternatives: string[][]; errors: unknown[] };
    assert.deepEqual(rule.errors, []);
    for (const key of ['condition', 'assignments', 'options', 'url']) {
      assert.ok(rule.alternatives[0]!.includes(key), `parseRule's alternative has ${key}`);
    }
    assert.deepEqual(
      [(out.ua as { model: string }).model, (out.ua as { mac: string }).mac],
      ['8841', '00562b043615'],
    );
    assert.equal(out.noblePerCall, true, "backend: 'noble' gives the same bytes");
    assert.equal(out.nobleSame, true, 'setDefaultBackend("noble") gives the same bytes');
    assert.match(String(out.stylish), /^\na\.xml\n.*invalid-ua\n\n✖ 1 problem/s);
    assert.ok(
      !String(out.stylish).includes('\u001b'),
      'no colour unless asked, FORCE_COLOR or not',
    );

    // Every name the README documents is exported.
    const documented = documentedExports();
    assert.ok(documented.length >= 35, documented.join(' '));
    assert.deepEqual(
      documented.filter((name) => !out.exports.includes(name)),
      [],
      'exported as the README says',
    );

    // The bin from the tarball, with only `dependencies` installed: the CLI bundles the rest.
    const bin = join(modules, 'cisco-prov', 'bin', 'cisco-prov.cjs');
    const cli = spawnSync(
      process.execPath,
      [bin, 'render', '-i', 'examples/inventory.csv', '--device', '0056.2b04.3615'],
      { cwd: app, encoding: 'utf8' },
    );
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /^<\?xml /);
    const sealed = spawnSync(process.execPath, [bin, 'encrypt', '--key-env', 'K', '-o', 'p.cfg'], {
      cwd: app,
      input: cli.stdout,
      env: { PATH: process.env.PATH, K: 'Example-Key-1' },
    });
    assert.equal(sealed.status, 0, String(sealed.stderr));

    // CommonJS.
    const cjs = spawnSync(process.execPath, ['require.cjs'], { cwd: app, encoding: 'utf8' });
    assert.equal(cjs.status, 0, cjs.stderr);
    assert.deepEqual(JSON.parse(cjs.stdout), { model: '8841', render: 'function' });
    assert.equal(cjs.stderr, '', 'no warning for require() of the package');

    // The README's TypeScript, type-checked against the shipped .d.ts.
    const sources = { ...readmeTypeScript(), 'types.ts': TYPES_TS };
    for (const [name, text] of Object.entries(sources)) writeFileSync(join(app, name), text);
    const configs: [string, string, string][] = [
      ['tsconfig.nodenext.json', 'nodenext', 'nodenext'],
      ['tsconfig.node16.json', 'node16', 'node16'],
      ['tsconfig.bundler.json', 'esnext', 'bundler'],
    ];
    for (const [file, module, resolution] of configs) {
      writeFileSync(join(app, file), tsconfig(module, resolution, Object.keys(sources)));
    }
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', ...configs.map(([file]) => file)],
      { cwd: app, encoding: 'utf8' },
    );
    assert.equal(tsc.status, 0, `tsc --strict on the README's examples:\n${tsc.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
