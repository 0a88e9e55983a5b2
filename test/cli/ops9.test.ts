// An operator's trial of `serve`, `fetch` and `fleet` as run behind a provisioning web server:
// what a deploy does to the files serve watches, the client address behind a reverse proxy.
import { cpSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT } from '../helpers/run-cli.js';
import { httpRequest, startServe, type ServeProcess } from '../helpers/serve.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-ops9-');
const UA = (mac: string): string => `Cisco-CP-8841-3PCC/11.0 (${mac})`;
const INVENTORY =
  'mac,model,display_name,sip.proxy,lines.1.extension,provisioning.server\n' +
  '00562b043615,8841,Reception,pbx.example.com,201,https://prov.example.com\n';

/** Polls `/healthz` until its generation reaches `generation` (or gives up after `ms`). */
async function generation(server: ServeProcess, atLeast: number, ms = 8000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const body = (await httpRequest(server.port, '/healthz')).body.toString('utf8');
    const n = Number(/generation (\d+)/.exec(body)?.[1]);
    if (n >= atLeast || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A template directory as a deploy writes it: the bundled one, with a marker in the desk phone's. */
function templates(path: string, marker: string): string {
  cpSync(join(ROOT, 'templates'), path, { recursive: true });
  const desk = join(path, 'mpp-desk.liquid');
  writeFileSync(
    desk,
    readFileSync(desk, 'utf8').replace(
      '<flat-profile>',
      `<flat-profile>\n  <Station_Display_Name ua="na">${marker}</Station_Display_Name>`,
    ),
  );
  return path;
}

async function profile(server: ServeProcess): Promise<string> {
  const res = await httpRequest(server.port, '/00562b043615.xml', {
    userAgent: UA('00562b043615'),
  });
  assert.equal(res.status, 200, res.body.toString('utf8'));
  return res.body.toString('utf8');
}

describe('serve: a deploy that replaces the template directory is watched', () => {
  test('mv templates.new templates: the new templates are served, and so are later edits', async () => {
    const root = dir.fresh('swap');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const tpl = templates(join(root, 'templates'), 'release-1');
    const server = await startServe(['-i', join(root, 'inventory.csv'), '-t', tpl]);
    try {
      assert.match(await profile(server), /release-1/);
      templates(join(root, 'templates.new'), 'release-2');
      renameSync(tpl, join(root, 'templates.old'));
      renameSync(join(root, 'templates.new'), tpl);
      await generation(server, 2);
      assert.match(await profile(server), /release-2/, server.stderr());
      // The directory now in place is the one watched: an edit in it is seen too (the old one
      // is left alone: deleting it would wake a watch still set on it).
      const desk = join(tpl, 'mpp-desk.liquid');
      writeFileSync(desk, readFileSync(desk, 'utf8').replace('release-2', 'release-2b'));
      const before = await generation(server, 0, 0);
      await generation(server, before + 1);
      assert.match(await profile(server), /release-2b/, server.stderr());
    } finally {
      await server.stop();
    }
  });

  test('a `current` symlink moved to another release: its templates are served', async () => {
    const root = dir.fresh('symlink');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    templates(join(root, 'release-1'), 'release-1');
    templates(join(root, 'release-2'), 'release-2');
    symlinkSync('release-1', join(root, 'current'));
    const server = await startServe([
      '-i',
      join(root, 'inventory.csv'),
      '-t',
      join(root, 'current'),
    ]);
    try {
      assert.match(await profile(server), /release-1/);
      symlinkSync('release-2', join(root, 'current.tmp'));
      renameSync(join(root, 'current.tmp'), join(root, 'current'));
      await generation(server, 2);
      assert.match(await profile(server), /release-2/, server.stderr());
    } finally {
      await server.stop();
    }
  });
});
