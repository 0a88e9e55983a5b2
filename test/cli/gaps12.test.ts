// Gaps of render and serve templates: a `-t` file named through a symbolic link into another
// directory renders with the partials beside the file it leads to; serve reloads on edits made
// through such links; secrets transformed by a filter never show in a template error or a
// `{% raise %}` message.
import { mkdirSync, realpathSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';
import { httpRequest, startServe, type ServeProcess } from '../helpers/serve.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { templateSourceOf } from '../../src/render/engine.js';

const dir = testDirectory('cisco-prov-gaps12-');
const MAC = '00562b043615';
const UA = `Cisco-CP-8841-3PCC/11.0 (${MAC})`;
const INVENTORY = `mac,model,display_name,sip.proxy\n${MAC},8841,Reception,pbx.example.com\n`;

/**
 * shared/templates/mpp.liquid (a layout, an include, a render, all beside it) and
 * prov/site.liquid -> ../shared/templates/mpp.liquid; prov/ has a decoy partial of the same name.
 */
function linkedTemplate(root: string): { link: string; shared: string; prov: string } {
  const shared = join(root, 'shared', 'templates');
  const prov = join(root, 'prov');
  mkdirSync(join(shared, 'partials'), { recursive: true });
  mkdirSync(join(shared, 'layouts'));
  mkdirSync(join(prov, 'partials'), { recursive: true });
  writeFileSync(
    join(shared, 'layouts', 'base.liquid'),
    '<?xml version="1.0"?>\n<flat-profile>\n{% block body %}{% endblock %}\n</flat-profile>\n',
  );
  writeFileSync(
    join(shared, 'mpp.liquid'),
    "{% layout 'layouts/base' %}{% block body %}{% include 'partials/name' %}\n" +
      "{% render 'partials/proxy', proxy: sip.proxy %}{% endblock %}",
  );
  writeFileSync(
    join(shared, 'partials', 'name.liquid'),
    '  <Station_Name ua="na">{{ display_name }}</Station_Name>',
  );
  writeFileSync(
    join(shared, 'partials', 'proxy.liquid'),
    '  <Proxy_1_ ua="na">{{ proxy }}</Proxy_1_>',
  );
  writeFileSync(
    join(prov, 'partials', 'name.liquid'),
    '  <Station_Name ua="na">DECOY</Station_Name>',
  );
  const link = join(prov, 'site.liquid');
  symlinkSync('../shared/templates/mpp.liquid', link);
  writeFileSync(join(root, 'inventory.csv'), INVENTORY);
  return { link, shared, prov };
}

/** Waits until the served profile matches (a reload is debounced 200 ms, then loads). */
async function servedMatches(
  server: ServeProcess,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  let body = '';
  while (Date.now() < until) {
    const res = await httpRequest(server.port, `/${MAC}.xml`, { userAgent: UA });
    body = `${res.status} ${res.body.toString('utf8')}`;
    if (pattern.test(body)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(
    `no profile matching ${pattern} within ${timeoutMs} ms; last: ${body}\n${server.stderr()}`,
  );
}

describe('a -t file named through a symbolic link into another directory', () => {
  test('templateSourceOf: the root is the real file directory, the link is kept for watching', () => {
    const { link, shared } = linkedTemplate(dir.fresh('source'));
    const source = templateSourceOf(link);
    assert.equal(source.root, realpathSync(shared));
    assert.equal(source.file, realpathSync(join(shared, 'mpp.liquid')));
    assert.equal(source.link, link);
    // A plain file: its own directory, no link.
    const plain = templateSourceOf(join(shared, 'mpp.liquid'));
    assert.equal(plain.link, undefined);
  });

  test('render: layout, include and render partials come from beside the real file', async () => {
    const root = dir.fresh('render');
    const { link } = linkedTemplate(root);
    const r = await runCli(['render', '-i', join(root, 'inventory.csv'), '-t', link]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<Station_Name ua="na">Reception<\/Station_Name>/);
    assert.match(r.stdout, /<Proxy_1_ ua="na">pbx\.example\.com<\/Proxy_1_>/);
    assert.doesNotMatch(r.stdout + r.stderr, /DECOY|Failed to lookup/);
  });

  test('nothing reaches outside the real directory: a partial linked out, an include of ../', async () => {
    const root = dir.fresh('contained');
    const { link, shared } = linkedTemplate(root);
    mkdirSync(join(root, 'private'));
    writeFileSync(join(root, 'private', 'evil.liquid'), 'OUTSIDE-CONTENT');
    symlinkSync(join(root, 'private', 'evil.liquid'), join(shared, 'partials', 'evil.liquid'));
    for (const include of ['partials/evil', '../../private/evil', '../../prov/partials/name']) {
      writeFileSync(
        join(shared, 'mpp.liquid'),
        `<?xml version="1.0"?>\n<flat-profile>\n{% include '${include}' %}\n</flat-profile>\n`,
      );
      const r = await runCli(['render', '-i', join(root, 'inventory.csv'), '-t', link]);
      assert.equal(r.code, 1, `${include}: ${r.stderr}`);
      assert.match(r.stderr, /Failed to lookup/);
      assert.doesNotMatch(r.stdout + r.stderr, /OUTSIDE-CONTENT|DECOY/);
    }
  });

  test('serve: renders it with no link warning; an edit through the link and a re-pointed link reload', async () => {
    const root = dir.fresh('serve');
    const { link, prov } = linkedTemplate(root);
    const server = await startServe(['-i', join(root, 'inventory.csv'), '-t', link]);
    try {
      assert.doesNotMatch(server.stderr(), /symbolic link|warning/, server.stderr());
      await servedMatches(server, /^200 [^]*Reception[^]*pbx\.example\.com/);
      // An edit through the link writes the real file, in the other directory.
      writeFileSync(
        link,
        '{% layout \'layouts/base\' %}{% block body %}  <Station_Name ua="na">EDITED</Station_Name>{% endblock %}',
      );
      await servedMatches(server, /^200 [^]*EDITED/);
      // The link re-pointed (ln -sfn) to a file in a third directory, then that file edited.
      const third = join(root, 'third');
      mkdirSync(third);
      writeFileSync(
        join(third, 'other.liquid'),
        '<?xml version="1.0"?>\n<flat-profile>\n  <Station_Name ua="na">THIRD</Station_Name>\n</flat-profile>\n',
      );
      symlinkSync(join(third, 'other.liquid'), join(prov, 'site.new'));
      renameSync(join(prov, 'site.new'), link);
      await servedMatches(server, /^200 [^]*THIRD/);
      writeFileSync(
        join(third, 'other.liquid'),
        '<?xml version="1.0"?>\n<flat-profile>\n  <Station_Name ua="na">THIRD-EDITED</Station_Name>\n</flat-profile>\n',
      );
      await servedMatches(server, /^200 [^]*THIRD-EDITED/);
    } finally {
      // Its watches hold no process open: it stops at once, exit 0.
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });

  test('serve: a symlinked template subdirectory is watched, an edit through it reloads', async () => {
    const root = dir.fresh('subdir');
    const templates = join(root, 'templates');
    mkdirSync(join(templates, 'common', 'partials'), { recursive: true });
    writeFileSync(
      join(templates, 'default.liquid'),
      '<?xml version="1.0"?>\n<flat-profile>\n{% include \'partials/name\' %}\n</flat-profile>\n',
    );
    writeFileSync(
      join(templates, 'common', 'partials', 'name.liquid'),
      '  <Station_Name ua="na">{{ display_name }}</Station_Name>',
    );
    symlinkSync('common/partials', join(templates, 'partials'));
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    const server = await startServe(['-i', join(root, 'inventory.csv'), '-t', templates]);
    try {
      assert.doesNotMatch(server.stderr(), /symbolic link/, server.stderr());
      await servedMatches(server, /^200 [^]*Reception/);
      writeFileSync(
        join(templates, 'partials', 'name.liquid'),
        '  <Station_Name ua="na">VIA-LINK</Station_Name>',
      );
      await servedMatches(server, /^200 [^]*VIA-LINK/);
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });
});
