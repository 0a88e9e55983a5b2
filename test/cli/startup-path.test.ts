// What a one-shot command loads (issue 12, start-up). Shell loops run cisco-prov once per phone,
// so its start-up is paid per file: a one-shot `encrypt -o file` must not pull in what only
// other commands or other outputs need. Checked through the built-in modules the process loaded
// (no timing: these hold on any machine, under any load).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';

const HOOK = new URL('../helpers/module-list.mjs', import.meta.url).href;

async function loadedModules(args: string[], dir: string): Promise<string[]> {
  const list = join(dir, 'modules.txt');
  rmSync(list, { force: true });
  const r = await runCli(args, {
    cwd: dir,
    env: {
      NODE_OPTIONS: `--import ${HOOK}`,
      MODULE_LIST_FILE: list,
      PROV_KEY: 'k3y-phrase',
      PROV_IKM: 'ikm-for-a-test',
    },
  });
  assert.equal(r.code, 0, r.stderr);
  return readFileSync(list, 'utf8').split('\n');
}

test('one-shot encrypt -o loads neither worker_threads, zlib, WebCrypto nor net', async (t) => {
  if (!Array.isArray((process as { moduleLoadList?: unknown }).moduleLoadList)) {
    t.skip('this Node has no process.moduleLoadList');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-startup-'));
  try {
    writeFileSync(join(dir, 'p.xml'), '<flat-profile><GPP_A>x</GPP_A></flat-profile>\n');
    // The plain forms run without commander (src/cli-oneshot.ts); `--key-env=…` goes through
    // the full CLI: both paths are held to the list.
    for (const cipher of [
      ['--key-env', 'PROV_KEY'],
      ['--ikm-env', 'PROV_IKM'],
      ['--key-env=PROV_KEY'],
      ['--ikm-env=PROV_IKM'],
    ]) {
      const modules = await loadedModules(['encrypt', ...cipher, 'p.xml', '-o', 'p.out'], dir);
      for (const unwanted of [
        'NativeModule worker_threads',
        'NativeModule zlib',
        'NativeModule internal/crypto/webcrypto',
        'NativeModule net',
        'NativeModule child_process',
        'NativeModule readline',
      ]) {
        assert.ok(!modules.includes(unwanted), `${cipher.join(' ')}: loaded ${unwanted}`);
      }
      assert.ok(modules.includes('NativeModule crypto'), 'the check itself sees node:crypto');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('one-shot encrypt of a small file to stdout (a socket) creates no process.stdout: no net', async (t) => {
  if (!Array.isArray((process as { moduleLoadList?: unknown }).moduleLoadList)) {
    t.skip('this Node has no process.moduleLoadList');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-startup-'));
  try {
    writeFileSync(join(dir, 'p.xml'), '<flat-profile><GPP_A>x</GPP_A></flat-profile>\n');
    // runCli's stdout is a socket: process.stdout would be a net.Socket (src/io/sync-io.ts).
    const small = await loadedModules(['encrypt', '--key-env', 'PROV_KEY', 'p.xml'], dir);
    assert.ok(!small.includes('NativeModule net'), 'process.stdout was created');
    assert.ok(small.includes('NativeModule crypto'), 'the check itself sees node:crypto');
    // The streamed path (a file over the limit) writes through process.stdout: the check sees it.
    writeFileSync(join(dir, 'big.xml'), Buffer.alloc((1 << 20) + 1, 0x41));
    const streamed = await loadedModules(['encrypt', '--key-env', 'PROV_KEY', 'big.xml'], dir);
    assert.ok(streamed.includes('NativeModule net'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
