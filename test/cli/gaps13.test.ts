// Gaps of serve, convert and the newer commands: serve reloads a `-t` file's partials; JSON
// output escapes C1 controls and bidi marks; an empty positional input is a usage error naming
// it; careless and hostile use of rule, fetch, diff, drift and fleet.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpRequest, startServe, type ServeProcess } from '../helpers/serve.js';
import { testDirectory } from '../helpers/temp-dir.js';

const dir = testDirectory('cisco-prov-gaps13-');
const MAC = '00562b043615';
const UA = `Cisco-CP-8841-3PCC/11.0 (${MAC})`;
const INVENTORY = `mac,model,display_name\n${MAC},8841,Reception\n`;

/** Waits until the served profile matches (a reload is debounced 200 ms, then loads). */
async function servedMatches(server: ServeProcess, pattern: RegExp): Promise<string> {
  const until = Date.now() + 20_000;
  let body = '';
  while (Date.now() < until) {
    const res = await httpRequest(server.port, `/${MAC}.xml`, { userAgent: UA });
    body = `${res.status} ${res.body.toString('utf8')}`;
    if (pattern.test(body)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no profile matching ${pattern} within 20 s; last: ${body}\n${server.stderr()}`);
}

describe('serve -t <file>: the partials beside it', () => {
  test('an edited render/include partial (nested too) is served at the next request', async () => {
    const root = dir.fresh('serve-partials');
    mkdirSync(join(root, 'partials'));
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    writeFileSync(
      join(root, 'site.liquid'),
      "<?xml version=\"1.0\"?>\n<flat-profile>\n{% render 'logo' %}\n{% include 'partials/name' %}\n</flat-profile>\n",
    );
    writeFileSync(join(root, 'logo.liquid'), '  <Text_Logo ua="na">LOGO-1</Text_Logo>');
    writeFileSync(join(root, 'partials', 'name.liquid'), "{% include 'partials/inner' %}");
    writeFileSync(
      join(root, 'partials', 'inner.liquid'),
      '  <Station_Name ua="na">{{ display_name }}-1</Station_Name>',
    );
    const server = await startServe([
      '-i',
      join(root, 'inventory.csv'),
      '-t',
      join(root, 'site.liquid'),
    ]);
    try {
      await servedMatches(server, /^200 [^]*LOGO-1[^]*Reception-1/);
      writeFileSync(join(root, 'logo.liquid'), '  <Text_Logo ua="na">LOGO-2</Text_Logo>');
      await servedMatches(server, /^200 [^]*LOGO-2[^]*Reception-1/);
      // Two levels down, a partial of a partial.
      writeFileSync(
        join(root, 'partials', 'inner.liquid'),
        '  <Station_Name ua="na">{{ display_name }}-2</Station_Name>',
      );
      await servedMatches(server, /^200 [^]*LOGO-2[^]*Reception-2/);
      assert.match(server.stderr(), /templates changed/);
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });
});
