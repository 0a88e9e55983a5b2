/**
 * A TypeScript web service that `import`s cisco-prov, as its developer writes it: the `npm pack`
 * tarball installed in a fresh `"type": "module"` project (the package's `dependencies` linked
 * from this checkout: no registry needed), a consumer compiled by `tsc --strict` under
 * moduleResolution nodenext (emitted and run) and bundler (checked), then run with plain `node`.
 * What it does is what such a service does per request: render one device's profile, seal it with
 * either cipher and open it again (in memory and as a stream), validate, parse a User-Agent and
 * access-log lines, look a parameter up, expand a rule, and turn failures into an HTTP answer.
 * (test/library/packed.test.ts holds the tarball's contents and the README's examples.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../helpers/run-cli.js';
import { packedTarball } from '../helpers/npm-pack.js';

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** The consumer: strict TypeScript against the shipped .d.ts; prints one JSON object. */
const CONSUMER = `
import { inspect } from 'node:util';
import {
  DEFAULT_CATALOG,
  DecryptError,
  describeEntry,
  expandRule,
  isDomainError,
  lookupParameter,
  openProfile,
  openStream,
  parseAccessLogLine,
  parseCatalogJson,
  parseIkm,
  parseUserAgent,
  render,
  sealProfile,
  sealStream,
  validateProfileText,
  type ByteSource,
  type Diagnostic,
  type StreamOpenInfo,
} from 'cisco-prov';

const out: Record<string, unknown> = {};
const passphrase = 'Example-Key-1';
const ikm = parseIkm('hex:000102030405060708090a0b0c0d0e0f');
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

// One device's profile, its inventory row given as text (no file).
const { stdout: xml, report } = await render({
  inventory: '<request>',
  inventoryText:
    'mac,model,display_name,lines.1.extension,lines.1.password,sip.proxy\\n' +
    '0056.2b04.3615,8841,Reception,201,Line-Secret-1,pbx.example.com\\n',
});
if (xml === undefined) throw new Error('not rendered: ' + JSON.stringify(report.devices));
out.rendered = report.devices[0]?.status;

// The service's own template and variables, from its database: no file at all.
const site = await render({
  inventory: '<request>',
  inventoryText: 'mac,model,station\\n0056.2b04.3615,8841,Lobby\\n',
  template: 'desk.liquid',
  templateText:
    '<flat-profile>\\n  <Station_Name ua="na">{{ station }}</Station_Name>\\n' +
    '  <Proxy_1_ ua="na">{{ sip.proxy }}</Proxy_1_>\\n</flat-profile>\\n',
  varsFiles: [{ file: 'request', values: { sip: { proxy: 'pbx.example.com' } }, groups: {} }],
});
out.fromText = site.stdout && new TextDecoder().decode(site.stdout);
const typo = await render({
  inventory: '<request>',
  inventoryText: 'mac,model\\n0056.2b04.3615,8841\\n',
  template: 'desk.liquid',
  templateText: '<flat-profile>\\n  <Station_Name>{{ staton }}</Station_Name>\\n</flat-profile>\\n',
});
out.typo = typo.report.devices[0]?.error;

// Both ciphers, in memory.
const cbc = sealProfile(xml, { cipher: 'aes-256-cbc', passphrase, gzip: true });
const gcm = sealProfile(xml, { cipher: 'aes128gcm', ikm });
out.cbc = same(openProfile(cbc, { passphrase }).plaintext, xml);
out.gcm = same(openProfile(gcm, { ikm }).plaintext, xml);

// Streams: 8 MiB in 64 KiB chunks, sealed as it arrives and opened back as it arrives; with the
// same salt, the same bytes as sealProfile.
const text = new TextEncoder().encode('<flat-profile>' + 'x'.repeat(8 * 1024 * 1024) + '</flat-profile>');
async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}
const salt = new Uint8Array(8).fill(7);
const streamedCbc = await collect(sealStream(chunks(text, 65536), { cipher: 'aes-256-cbc', passphrase, salt }));
out.streamSameAsSeal = same(streamedCbc, sealProfile(text, { cipher: 'aes-256-cbc', passphrase, salt }));
const source: ByteSource = chunks(streamedCbc, 100000);
const opened = openStream(source, { passphrase, maxSize: 16 * 1024 * 1024 });
const back = await collect(opened.chunks);
const info: StreamOpenInfo = opened.info;
out.streamBack = same(back, text);
out.streamInfo = { container: info.container, plaintext: info.sizes.plaintext };
const streamedGcm = await collect(sealStream(chunks(text, 65536), { cipher: 'aes128gcm', ikm, gzip: true }));
out.streamGcmBack = same(await collect(openStream(chunks(streamedGcm, 4096), { ikm }).chunks), text);

// Validate: diagnostics with positions.
const diagnostics: Diagnostic[] = validateProfileText(
  '<flat-profile>\\n  <Station_Nam>Lobby</Station_Nam>\\n</flat-profile>\\n',
  { file: 'p.xml', model: '8841' },
);
out.validate = diagnostics.map((d) => \`\${d.ruleId}@\${d.line}:\${d.column}\`);

// A request: its User-Agent, an access-log line, a parameter, a rule.
const ua = parseUserAgent('Cisco-CP-8841-3PCC/12.0.1 (00562b043615)');
out.ua = [ua.model, ua.mac, ua.firmware];
const entry = parseAccessLogLine(
  '10.0.0.5 - - [25/Nov/2026:10:00:00 +0000] "GET /00562b043615.xml HTTP/1.1" 200 5120 "-" "Cisco-CP-8841-3PCC/12.0.1 (00562b043615)"',
);
out.log = entry && [entry.status, entry.path, entry.timestamp];
const match = lookupParameter(DEFAULT_CATALOG, 'Line_Enable_3_');
out.param = match && [describeEntry(match.entry).typeText, match.index];
out.rule = expandRule('https://prov.example.com/cfg/$MA.cfg', { MA: '00562b043615' }).url;

// A failure, as a service answers it.
function answer(err: unknown): { status: number; body: string } {
  if (err instanceof DecryptError) return { status: 400, body: JSON.stringify({ error: err }) };
  if (isDomainError(err)) return { status: err.kind === 'io' ? 500 : 400, body: err.message };
  return { status: 500, body: 'internal error' };
}
try {
  openProfile(cbc, { passphrase: 'wrong' });
} catch (err) {
  out.wrongKey = answer(err);
  out.classNames = [(err as Error).constructor.name];
  if (err instanceof DecryptError) {
    out.wrongKeyReason = [err.reason, err.message, inspect(err).includes('wrong-key')];
  }
}
try {
  await render({ inventory: '<request>', inventoryText: 'mac,model\\n0056.2b04.3615,8841\\n', devices: ['00:11:22:33:44:55'] });
} catch (err) {
  out.noDevice = answer(err);
  (out.classNames as string[]).push((err as Error).constructor.name);
}
// A site catalog from the service's configuration, with a mistake in it.
try {
  parseCatalogJson('[{"name":"X_Site","type":"number"}]', 'site-catalog.json');
} catch (err) {
  out.catalog = isDomainError(err) ? [err.kind, err.code, err.file] : String(err);
}
process.stdout.write(JSON.stringify(out));
`;

/** A mistake left uncaught: what Node prints is the developer's only clue. */
const CRASH = `
import { openProfile, sealProfile } from 'cisco-prov';
openProfile(sealProfile('<flat-profile/>', { cipher: 'aes-256-cbc', passphrase: 'a' }), { passphrase: 'b' });
`;

/** The same service's older CommonJS part: TypeScript emits require('cisco-prov'). */
const LEGACY = `
import { parseUserAgent } from 'cisco-prov';
process.stdout.write(parseUserAgent('Cisco-CP-8841-3PCC/12.0.1 (00562b043615)').model ?? '');
`;

function tsconfig(module: string, moduleResolution: string, emit: boolean): string {
  return JSON.stringify({
    compilerOptions: {
      strict: true,
      noUncheckedIndexedAccess: true,
      target: 'es2022',
      module,
      moduleResolution,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      ...(emit ? { outDir: 'out', rootDir: 'src' } : { noEmit: true }),
    },
    files: ['src/consumer.ts', 'src/crash.ts', ...(emit ? ['src/legacy.cts'] : [])],
  });
}

test('a TypeScript service importing the packed tarball: compiles under --strict and runs', (t) => {
  if (spawnSync('npm', ['--version'], { encoding: 'utf8' }).error) {
    t.skip('npm is not installed: no tarball to test');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cp-consumer-'));
  try {
    // npm test has built dist/ already: pack it as it is (--ignore-scripts: no second build),
    // once for the run (packed.test.ts tests the same tarball).
    const packed = packedTarball(dir);

    const app = join(dir, 'app');
    const modules = join(app, 'node_modules');
    mkdirSync(join(modules, 'cisco-prov'), { recursive: true });
    const untar = spawnSync('tar', [
      '-xzf',
      packed.path,
      '-C',
      join(modules, 'cisco-prov'),
      '--strip-components=1',
    ]);
    assert.equal(untar.status, 0, String(untar.stderr));
    for (const dep of Object.keys(PKG.dependencies)) {
      mkdirSync(dirname(join(modules, dep)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep), 'dir');
    }
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'provisioning-service', private: true, type: 'module' }),
    );
    mkdirSync(join(app, 'src'));
    writeFileSync(join(app, 'src', 'consumer.ts'), CONSUMER);
    writeFileSync(join(app, 'src', 'crash.ts'), CRASH);
    writeFileSync(join(app, 'src', 'legacy.cts'), LEGACY);
    writeFileSync(join(app, 'tsconfig.json'), tsconfig('nodenext', 'nodenext', true));
    writeFileSync(join(app, 'tsconfig.bundler.json'), tsconfig('esnext', 'bundler', false));

    const tsc = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-b',
        'tsconfig.json',
        'tsconfig.bundler.json',
      ],
      { cwd: app, encoding: 'utf8' },
    );
    assert.equal(tsc.status, 0, `tsc --strict on the consumer:\n${tsc.stdout}${tsc.stderr}`);

    const run = spawnSync(process.execPath, ['out/consumer.js'], {
      cwd: app,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(out.rendered, 'written');
    assert.equal(
      out.fromText,
      '<flat-profile>\n  <Station_Name ua="na">Lobby</Station_Name>\n' +
        '  <Proxy_1_ ua="na">pbx.example.com</Proxy_1_>\n</flat-profile>\n',
    );
    assert.equal(out.typo, 'desk.liquid line 2, col 20: undefined variable: staton');
    assert.deepEqual([out.cbc, out.gcm], [true, true]);
    assert.deepEqual(
      [out.streamSameAsSeal, out.streamBack, out.streamGcmBack],
      [true, true, true],
      'sealStream/openStream: the bytes of sealProfile, and back',
    );
    assert.deepEqual(out.streamInfo, { container: 'openssl-enc', plaintext: 8 * 1024 * 1024 + 29 });
    assert.deepEqual(out.validate, ['unknown-parameter@2:4']);
    assert.deepEqual(out.ua, ['8841', '00562b043615', '12.0.1']);
    assert.deepEqual(out.log, [200, '/00562b043615.xml', Date.UTC(2026, 10, 25, 10)]);
    assert.deepEqual(out.param, ['Bool (Yes/No)', 3]);
    assert.equal(out.rule, 'https://prov.example.com/cfg/00562b043615.cfg');
    assert.deepEqual(out.noDevice, {
      status: 400,
      body: 'no device 00:11:22:33:44:55 in <request> (give a MAC or a serial number)',
    });
    // A framework's error body (JSON.stringify of the error) tells nothing beyond "bad decrypt":
    // the reason (bad padding vs. a plaintext that fails its check) would be an oracle.
    assert.deepEqual(out.wrongKey, { status: 400, body: '{"error":{"name":"DecryptError"}}' });
    assert.deepEqual(out.wrongKeyReason, ['wrong-key', 'bad decrypt', false]);
    assert.deepEqual(out.classNames, ['DecryptError', 'DomainError']);
    assert.deepEqual(out.catalog, ['bad-input', 'catalog-invalid', 'site-catalog.json']);

    // CommonJS: module nodenext type-checks the require of an ES module, and Node runs it.
    assert.match(readFileSync(join(app, 'out', 'legacy.cjs'), 'utf8'), /require\("cisco-prov"\)/);
    const legacy = spawnSync(process.execPath, ['out/legacy.cjs'], { cwd: app, encoding: 'utf8' });
    assert.deepEqual([legacy.status, legacy.stdout, legacy.stderr], [0, '8841', '']);

    // Uncaught: Node shows the line that threw and a stack naming the library's functions —
    // not one minified line of kilobytes and frames such as \`at Br (index.js:2:4649)\`.
    const crash = spawnSync(process.execPath, ['out/crash.js'], { cwd: app, encoding: 'utf8' });
    assert.equal(crash.status, 1);
    const long = crash.stderr.split('\n').filter((line) => line.length > 200);
    assert.deepEqual(long, [], 'no line of the report is longer than 200 characters');
    assert.match(
      crash.stderr,
      /^DecryptError: bad decrypt\n\s+at decryptOpensslEnc .*\n\s+at .*openProfile /m,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
