// Makes dist/cli.cjs.cache, dist/oneshot.cjs.cache, dist/oneshot-stream.cjs.cache and
// dist/worker.cjs.cache: V8's code cache of each bundle, taken after a warm-up run (a one-shot
// `encrypt`; for the validate worker's bundle, its checks over a small profile) so that the
// functions it runs are in the cache too (bin/cisco-prov.cjs and src/io/early-workers.ts read them). Run by scripts/build.mjs in a child
// process whose stdout is /dev/null (`node scripts/code-cache.mjs >/dev/null`): oneshot.cjs is
// warmed up writing to stdout as well, where stdout is the null device.
import { fstatSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
globalThis.__ciscoProvImport = (specifier) => import(pathToFileURL(join(dist, specifier)).href);
const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-cache-'));
try {
  const input = join(dir, 'p.xml');
  writeFileSync(input, '<flat-profile><GPP_A ua="na">warm-up</GPP_A></flat-profile>\n');
  process.env.CISCO_PROV_CACHE_KEY = 'warm-up passphrase';
  const argv = ['encrypt', '--key-env', 'CISCO_PROV_CACHE_KEY', input];
  const toFile = [...argv, '-o', join(dir, 'p.cfg')];
  const noStream = () => {
    throw new Error('code cache warm-up: a small file is not streamed');
  };
  /** Each bundle's warm-up: the runs whose functions its cache should hold; exit codes. */
  const warmUps = {
    'cli.cjs': async (bundle) => [await bundle.main(toFile)],
    'oneshot.cjs': async (bundle) => [
      await bundle.main(toFile, noStream),
      ...(stdoutIsNull() ? [await bundle.main(argv, noStream)] : []),
    ],
    'oneshot-stream.cjs': async (bundle) => {
      const options = { md: 'md5', rs: 4096, keyid: '', pad: 0 };
      const keyEnv = 'CISCO_PROV_CACHE_KEY';
      await bundle.runOneShot({
        input,
        options: { ...options, keyEnv, output: join(dir, 's.cfg') },
      });
      // stdin's usual way out: the stream to stdout.
      if (stdoutIsNull()) await bundle.runOneShot({ input, options: { ...options, keyEnv } });
      return [0];
    },
    // validate's early worker: the checks run once over a small profile (its warm-up).
    'worker.cjs': async (bundle) => {
      await bundle.warmValidate();
      return [0];
    },
  };
  for (const [name, warmUp] of Object.entries(warmUps)) {
    const file = join(dist, name);
    // Compiled exactly as the shim compiles it: the same source gives the same cache.
    const script = new vm.Script(readFileSync(file, 'utf8'), { filename: file });
    const bundle = { exports: {} };
    script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
    const codes = await warmUp(bundle.exports);
    if (codes.some((code) => code !== 0))
      throw new Error(`code cache warm-up of ${name} exited ${codes.join(', ')}`);
    writeFileSync(`${file}.cache`, script.createCachedData());
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Whether this process's stdout is the null device (the build runs it so). */
function stdoutIsNull() {
  try {
    const stats = fstatSync(1);
    return stats.isCharacterDevice() && stats.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}
