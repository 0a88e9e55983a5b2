// Makes dist/cli.cjs.cache: V8's code cache of the CLI bundle, taken after a warm-up run of a
// one-shot command so that the functions it runs are in the cache too (bin/cisco-prov.cjs reads
// it). Run by scripts/build.mjs in a child process: `node scripts/code-cache.mjs`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
// Compiled exactly as the shim compiles it: the same source gives the same cache.
const script = new vm.Script(readFileSync(file, 'latin1'), { filename: file });
globalThis.__ciscoProvImport = (specifier) =>
  import(pathToFileURL(join(dirname(file), specifier)).href);
const cliModule = { exports: {} };
script.runInThisContext()(cliModule.exports, createRequire(file), cliModule, file, dirname(file));

const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-cache-'));
const input = join(dir, 'p.xml');
writeFileSync(input, '<flat-profile><GPP_A ua="na">warm-up</GPP_A></flat-profile>\n');
process.env.CISCO_PROV_CACHE_KEY = 'warm-up passphrase';
const code = await cliModule.exports.main([
  'encrypt',
  '--key-env',
  'CISCO_PROV_CACHE_KEY',
  input,
  '-o',
  join(dir, 'p.cfg'),
]);
rmSync(dir, { recursive: true, force: true });
if (code !== 0) throw new Error(`code cache warm-up exited ${code}`);
writeFileSync(`${file}.cache`, script.createCachedData());
