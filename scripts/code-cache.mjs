// Makes dist/cli.cjs.cache and dist/oneshot.cjs.cache: V8's code cache of each bundle, taken
// after a warm-up run of a one-shot `encrypt` so that the functions it runs are in the cache too
// (bin/cisco-prov.cjs reads them). Run by scripts/build.mjs in a child process:
// `node scripts/code-cache.mjs`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  for (const name of ['cli.cjs', 'oneshot.cjs']) {
    const file = join(dist, name);
    // Compiled exactly as the shim compiles it: the same source gives the same cache.
    const script = new vm.Script(readFileSync(file, 'utf8'), { filename: file });
    const bundle = { exports: {} };
    script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
    const code = await bundle.exports.main([
      'encrypt',
      '--key-env',
      'CISCO_PROV_CACHE_KEY',
      input,
      '-o',
      join(dir, 'p.cfg'),
    ]);
    if (code !== 0) throw new Error(`code cache warm-up of ${name} exited ${code}`);
    writeFileSync(`${file}.cache`, script.createCachedData());
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
