// The CLI's start-up path (bin/cisco-prov.cjs): the bundle compiled from V8's code cache that
// the build writes (dist/cli.cjs.cache), and the ESM chunks still reachable that way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers/run-cli.js';

const BUNDLES = ['cli.cjs', 'oneshot.cjs', 'oneshot-stream.cjs'].map((name) =>
  join(ROOT, 'dist', name),
);

test('V8 accepts the code caches the build wrote (this Node, these flags)', () => {
  for (const bundle of BUNDLES) {
    // ASCII: the text the shim reads is a one-byte string for V8.
    assert.ok(
      readFileSync(bundle).every((byte) => byte < 0x80),
      `${bundle} is ASCII`,
    );
    // The file is the bundle inside CommonJS's wrapper, compiled as it is read (no copy).
    const source = readFileSync(bundle, 'utf8');
    assert.ok(source.startsWith('(function (exports, require, module, __filename, __dirname) {'));
    const script = new vm.Script(source, {
      filename: bundle,
      cachedData: readFileSync(`${bundle}.cache`),
    });
    assert.equal(script.cachedDataRejected, false, bundle);
  }
});

test('the shim reads each code cache whole and V8 takes it (deserialized, not rejected)', () => {
  // V8's --profile-deserialization prints "[Deserializing from N bytes …]" for a code cache it
  // accepts (and leaves the cache's flag check alone): the shim's own read of the cache
  // (bin/cisco-prov.cjs readCache) must hand V8 the whole file, or V8 rejects it and every
  // start compiles the bundle from its text, silently.
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-startup-'));
  try {
    writeFileSync(join(dir, 'p.xml'), '<flat-profile><GPP_A>x</GPP_A></flat-profile>\n');
    const cases: [string, string[]][] = [
      ['oneshot.cjs', ['encrypt', '--key-env', 'PROV_KEY', 'p.xml', '-o', 'p.cfg']],
      ['oneshot-stream.cjs', ['encrypt', '--key-env', 'PROV_KEY', '-o', 's.cfg']],
      ['cli.cjs', ['keygen']],
    ];
    for (const [bundle, args] of cases) {
      const r = spawnSync(
        process.execPath,
        ['--profile-deserialization', join(ROOT, 'bin', 'cisco-prov.cjs'), ...args],
        {
          cwd: dir,
          encoding: 'utf8',
          input: '<flat-profile><GPP_A>x</GPP_A></flat-profile>\n',
          env: { ...process.env, PROV_KEY: 'k3y-phrase' },
        },
      );
      assert.equal(r.status, 0, r.stderr);
      const size = readFileSync(join(ROOT, 'dist', `${bundle}.cache`)).length;
      assert.ok(
        r.stdout.includes(`[Deserializing from ${size} bytes`) ||
          r.stderr.includes(`[Deserializing from ${size} bytes`),
        `${bundle}: its ${size}-byte cache deserialized`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with the cache, without it, and with a corrupt one: one-shot and chunked commands run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-startup-'));
  try {
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const caches = ['cli.cjs.cache', 'oneshot.cjs.cache', 'oneshot-stream.cjs.cache'].map((name) =>
      join(dir, 'dist', name),
    );
    writeFileSync(join(dir, 'p.xml'), '<flat-profile><GPP_A>x</GPP_A></flat-profile>\n');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(dir, 'bin', 'cisco-prov.cjs'), ...args], {
        cwd: dir,
        encoding: 'utf8',
        input: '<flat-profile><GPP_A>x</GPP_A></flat-profile>\n',
        env: { ...process.env, PROV_KEY: 'k3y-phrase' },
      });
    for (const state of ['cache', 'corrupt', 'none'] as const) {
      for (const cache of caches) {
        if (state === 'corrupt') writeFileSync(cache, 'not a code cache');
        if (state === 'none') rmSync(cache);
      }
      const encrypt = run('encrypt', '--key-env', 'PROV_KEY', 'p.xml', '-o', 'p.cfg'); // oneshot
      assert.equal(encrypt.status, 0, `${state}: ${encrypt.stderr}`);
      const streamed = run('encrypt', '--key-env', 'PROV_KEY', '-o', 's.cfg'); // stdin: streamed
      assert.equal(streamed.status, 0, `${state}: ${streamed.stderr}`);
      const keygen = run('keygen');
      assert.equal(keygen.status, 0, `${state}: ${keygen.stderr}`);
      assert.match(keygen.stdout, /^[A-Za-z0-9_-]{32}\n$/);
      const models = run('models', '8841'); // an ESM chunk, through import()
      assert.equal(models.status, 0, `${state}: ${models.stderr}`);
      assert.match(models.stdout, /CP-8841-3PCC/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
