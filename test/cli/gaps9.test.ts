// Leftovers of the previous rounds, each through the built CLI (and the core where it changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { startServe } from '../helpers/serve.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-gaps9-');

/** The example inventory cut to its header and first `rows` devices. */
function inventoryOf(rows: number): string {
  const lines = readFileSync(join(ROOT, 'examples/inventory.csv'), 'utf8').split('\n');
  return `${lines.slice(0, rows + 1).join('\n')}\n`;
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

test('serve: one device is "1 device" at start, at a reload and in /healthz; two are "2 devices"', async () => {
  const root = dir.fresh('serve-plural');
  const inventory = join(root, 'inv.csv');
  writeFileSync(inventory, inventoryOf(1));
  const server = await startServe(['-i', inventory, '--no-watch']);
  try {
    assert.match(server.stderr(), /listening on http:\/\/[^ ]+ \(1 device[,)]/);
    assert.equal(await get(server.port, '/healthz'), 'ok 1 device, generation 1\n');
    writeFileSync(inventory, inventoryOf(2));
    server.child.kill('SIGHUP');
    await server.waitForStderr(/SIGHUP: serving 2 devices \(generation 2/);
    assert.equal(await get(server.port, '/healthz'), 'ok 2 devices, generation 2\n');
    writeFileSync(inventory, inventoryOf(1));
    server.child.kill('SIGHUP');
    await server.waitForStderr(/SIGHUP: serving 1 device \(generation 3/);
  } finally {
    await server.stop();
  }
});

test('encrypt --keys: a CSV with no key rows is one error naming it (exit 2), nothing written', async () => {
  const root = dir.fresh('keys-header-only');
  const inputs = dir.fresh('keys-header-only/in');
  for (const mac of ['00562b043615', '00562b043616']) {
    writeFileSync(join(inputs, `${mac}.xml`), '<flat-profile><A>1</A></flat-profile>\n');
  }
  const cases: [string, string, string][] = [
    ['header.csv', 'mac,key\n', 'a header only'],
    ['header-blank.csv', 'file;key\n\n;\n', 'a header only'],
    ['empty.csv', '', 'the file is empty'],
  ];
  for (const [name, text, why] of cases) {
    const keys = join(root, name);
    writeFileSync(keys, text);
    chmodSync(keys, 0o600);
    const out = join(root, `out-${name}`);
    for (const args of [
      ['encrypt', inputs, '--out-dir', out, '--keys', keys],
      ['encrypt', inputs, '--out-dir', out, '--keys', keys, '--json'],
      ['decrypt', inputs, '--out-dir', out, '--keys', keys],
      ['encrypt', join(inputs, '00562b043615.xml'), '--keys', keys],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}\n${r.stderr}`);
      assert.equal(
        r.stderr,
        `cisco-prov: --keys ${keys}: no key rows (${why}): give a row of file or mac, and key or ikm, per phone\n`,
      );
      assert.equal(r.stdout, '');
      assert.equal(existsSync(out), false);
    }
  }
});
