/**
 * The library's import cost: a user pays only for what they use. Importing dist/index.js and
 * calling parseUserAgent, sealProfile/openProfile or validateProfileText loads none of the heavy
 * packages (liquidjs, yaml, csv-parse, fast-xml-parser, chalk, the noble ciphers,
 * @streamparser/json), through
 * import or require (src/lazy-deps.ts loads each on first use); the functions that need one
 * still work, synchronously where they were, and load it then. The CLI's bundles still inline
 * those packages (nothing of them is read from node_modules when the CLI renders).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/run-cli.js';

const INDEX = join(ROOT, 'dist', 'index.js');
const HEAVY = [
  'liquidjs',
  'yaml',
  'csv-parse',
  'fast-xml-parser',
  'chalk',
  '@noble/ciphers',
  '@streamparser/json',
];

/** Appends the URL of every module import() resolves to LOAD_LOG (module hooks). */
const HOOKS_URL = pathToFileURL(
  join(import.meta.dirname, '..', 'helpers', 'resolve-log-hooks.mjs'),
).href;

/**
 * Imports the library, uses the light exports, prints which heavy packages are loaded; then
 * uses each lazily loaded one and prints what it got.
 */
const SCRIPT = `
import { createRequire, register } from 'node:module';
import { readFileSync } from 'node:fs';
register(process.env.HOOKS_URL, { data: { log: process.env.LOAD_LOG } });
const heavy = JSON.parse(process.env.HEAVY);
const cache = createRequire(process.env.INDEX_URL).cache;
const loadedNow = () => {
  const files = [...readFileSync(process.env.LOAD_LOG, 'utf8').split('\\n'), ...Object.keys(cache)];
  return heavy.filter((p) => files.some((f) => f.includes('/node_modules/' + p + '/')));
};
const lib = await import(process.env.INDEX_URL);
const ua = lib.parseUserAgent('Cisco-CP-8841-3PCC/11.0 (00562b043615)');
const sealed = lib.sealProfile('<flat-profile/>', { cipher: 'aes-256-cbc', passphrase: 'k' });
const opened = new TextDecoder().decode(lib.openProfile(sealed, { passphrase: 'k' }).plaintext);
const diagnostics = lib.validateProfileText('<flat-profile><Station_Name>a</Station_Name></flat-profile>', { file: 'a.xml' });
const light = loadedNow();

const inventory = lib.parseInventory('devices:\\n  - mac: 00562b043615\\n    model: 8841\\n', 'i.yaml');
const csv = lib.parseInventory('mac,model\\n00562b043615,8841\\n', 'i.csv');
const json = lib.parseInventory('[{"mac": "00562b043615", "model": "8841"}]', 'i.json');
const parsed = lib.parseProfileXml('<flat-profile><Station_Name>a</Station_Name></flat-profile>');
const yamlText = lib.writeProfileText(parsed.parameters, 'yaml');
const stylish = lib.formatStylish([{ file: 'b.xml', diagnostics: lib.validateProfileText('<flat-profile><Nope>1</Nope></flat-profile>', { file: 'b.xml' }) }], { color: true });
const noble = lib.sealProfile('<flat-profile/>', { cipher: 'aes-256-cbc', passphrase: 'k', backend: 'noble' });
const nobleOpened = new TextDecoder().decode(lib.openProfile(noble, { passphrase: 'k' }).plaintext);
const explained = lib.explainRender({ cwd: process.env.ROOT, inventory: 'examples/inventory.csv', explain: '0056.2b04.3615' });
const rendered = await lib.render({ cwd: process.env.ROOT, inventory: 'examples/inventory.csv', devices: ['0056.2b04.3615'] });
console.log(JSON.stringify({
  light, model: ua.model, opened, diagnostics: diagnostics.length,
  sync: [inventory, csv, json, parsed, explained].map((x) => typeof x?.then),
  devices: [inventory.devices.length, csv.devices.length, json.devices.length],
  station: parsed.parameters.get('Station_Name')?.value, yamlText,
  colored: stylish.includes('\\u001b['), nobleOpened,
  template: explained.template,
  profile: new TextDecoder().decode(rendered.stdout).slice(0, 200),
  all: loadedNow(),
}));
`;

test('importing the library and using parseUserAgent, encrypt or validate loads no heavy package; the rest load on first use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-lib9-'));
  try {
    const log = join(dir, 'loaded.txt');
    writeFileSync(log, '');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        ROOT,
        HEAVY: JSON.stringify(HEAVY),
        INDEX_URL: pathToFileURL(INDEX).href,
        HOOKS_URL,
        LOAD_LOG: log,
      },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'no warning (require of the ES-module-only packages)');
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(out.light, [], 'import + parseUserAgent + seal/open + validate');
    assert.equal(out.model, '8841');
    assert.equal(out.opened, '<flat-profile/>');
    assert.equal(out.diagnostics, 0);
    // What needs a heavy package works, synchronously where it was.
    assert.deepEqual(out.sync, ['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    assert.deepEqual(out.devices, [1, 1, 1]);
    assert.equal(out.station, 'a');
    assert.match(String(out.yamlText), /^Station_Name:/m);
    assert.equal(out.colored, true);
    assert.equal(out.nobleOpened, '<flat-profile/>');
    assert.match(String(out.template), /templates\/.*\.liquid$/);
    assert.match(String(out.profile), /<flat-profile|<\?xml/);
    // @streamparser/json reads JSON inventories beyond 8 MiB only (smaller ones are JSON.parse'd;
    // test/unit/render-inventory-json-*.test.ts stream theirs through lazy-deps.ts).
    assert.deepEqual(
      out.all,
      HEAVY.filter((p) => p !== '@streamparser/json'),
      'each loaded when first needed',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Logs every file require() resolves (the CLI's bundles are CommonJS or use createRequire). */
const REQUIRE_HOOK = `
const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolve.apply(this, args);
  appendFileSync(process.env.REQUIRE_LOG, file + '\\n');
  return file;
};
`;

test('the CLI still bundles the heavy packages: render, convert and a noble encrypt read none from node_modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-lib9-cli-'));
  try {
    const hook = join(dir, 'hook.cjs');
    const log = join(dir, 'required.txt');
    writeFileSync(hook, REQUIRE_HOOK);
    writeFileSync(log, '');
    const run = (args: string[], extra: Record<string, string> = {}): void => {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'cisco-prov.cjs'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          NODE_OPTIONS: `--require ${hook}`,
          REQUIRE_LOG: log,
          ...extra,
        },
      });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    };
    const profile = join(dir, 'p.xml');
    writeFileSync(profile, '<flat-profile><Station_Name>a</Station_Name></flat-profile>\n');
    run(['render', '-i', 'examples/inventory.csv', '-t', 'templates', '-o', join(dir, 'out')]);
    run(['convert', profile, '--to', 'yaml']);
    run(['validate', profile]);
    run(['encrypt', '--key-env', 'K', '-o', join(dir, 'p.enc'), profile], {
      K: 'secret',
      CISCO_PROV_CRYPTO: 'noble',
    });
    const required = readFileSync(log, 'utf8');
    assert.match(required, /node:|\//, 'the hook saw what the CLI required');
    for (const name of HEAVY) {
      assert.ok(!required.includes(`/node_modules/${name}/`), `${name} read from node_modules`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
