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
import { maskSecretVariables } from '../../src/render/variables.js';

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

describe('template errors and {% raise %} show no secret in any form', () => {
  const SECRET = 'Hunter22/Pw';
  /** Every form a filter may give the secret, and parts of it. */
  const FORMS = [
    SECRET,
    SECRET.toUpperCase(),
    SECRET.toLowerCase(),
    Buffer.from(SECRET).toString('base64'),
    encodeURIComponent(SECRET),
    'unter22',
    'UNTER22',
  ];
  /** Template → what its error must still say (file, line, column, what went wrong). */
  const CASES: [string, RegExp][] = [
    [
      '{% raise "bad password " | append: sip.password | upcase %}',
      /t\.liquid line 1, col 1: BAD PASSWORD \*{11}$/m,
    ],
    ['{% raise sip.password | base64_encode %}', /t\.liquid line 1, col 1: \S+$/m],
    ['{% raise "pw " | append: sip.password | slice: 3, 8 %}', /t\.liquid line 1, col 1: \*{8}$/m],
    [
      '{% raise sip.password | url_encode | prepend: "pw=" | downcase %}',
      /t\.liquid line 1, col 1: pw=\*{11}$/m,
    ],
    [
      '{% assign k = sip.password | upcase %}{{ sip[k] }}',
      /t\.liquid line 1, col 42: undefined variable: sip\.\*{11}$/m,
    ],
    [
      '{% assign f = sip.password | downcase %}{% include f %}',
      /t\.liquid line 1, col 41: ENOENT: Failed to lookup "\*{11}"/m,
    ],
    [
      '{% assign f = sip.password | slice: 0, 7 %}{{ mac | mac: f }}',
      /t\.liquid line 1, col 44: mac: format expected one of .*, got "\*{7}"$/m,
    ],
    // The secret's own text changes the way: the place and kind only.
    [
      '{% if sip.password contains "22/" %}{% raise sip.password | upcase %}{% endif %}',
      /t\.liquid line 1, col 37: \{% raise %\} \(its message is not shown: without the secrets of this device the template does not fail here, so it may show one\)$/m,
    ],
    // What depends on its length only is said in full.
    [
      '{% if sip.password.size < 12 %}{% raise "password shorter than 12 characters" %}{% endif %}',
      /t\.liquid line 1, col 32: password shorter than 12 characters$/m,
    ],
  ];

  function assertNoSecret(text: string, what: string): void {
    for (const form of FORMS) assert.ok(!text.includes(form), `${what} shows ${form}:\n${text}`);
  }

  /** The MAC of case i (each case is a device naming its template c<i>.liquid). */
  const macOf = (i: number): string => `00562b0436${(0x20 + i).toString(16)}`;

  /** templates/c<i>.liquid per case, and an inventory of one device per case. */
  function caseSite(root: string): string {
    const templates = join(root, 'templates');
    mkdirSync(templates);
    let inventory = 'mac,model,template,sip.password\n';
    for (const [i, [template]] of CASES.entries()) {
      writeFileSync(join(templates, `c${i}.liquid`), template);
      inventory += `${macOf(i)},8841,c${i},${SECRET}\n`;
    }
    writeFileSync(join(root, 'inventory.csv'), inventory);
    return templates;
  }

  /** The expectation of case i for its own template file. */
  const expectedOf = (i: number): RegExp =>
    new RegExp(CASES[i]![1].source.replace('t\\.liquid', `c${i}\\.liquid`), 'm');

  test('render: text and --json', async () => {
    const root = dir.fresh('mask-render');
    caseSite(root);
    const r = await runCli(
      ['render', '-i', 'inventory.csv', '-t', 'templates', '--json', '-o', 'out'],
      { cwd: root },
    );
    assert.equal(r.code, 1, r.stderr);
    assertNoSecret(r.stdout + r.stderr, 'render');
    const doc = JSON.parse(r.stdout) as { devices: { mac: string; error: string }[] };
    for (const [i, [template]] of CASES.entries()) {
      const device = doc.devices.find((d) => d.mac === macOf(i))!;
      assert.match(device.error, expectedOf(i), template);
      assert.match(r.stderr, new RegExp(`\\(mac ${macOf(i)}\\): ${expectedOf(i).source}`, 'm'));
    }
  });

  test('maskSecretVariables: secret fields by the shared classifier, a key under any name, lengths kept', () => {
    const vars = {
      sip: { password: 'hunter22', proxy: 'pbx' },
      enckey: 'k3y!x',
      vm: { pin: 1234 },
    };
    assert.deepEqual(JSON.parse(JSON.stringify(maskSecretVariables(vars, ['k3y!x']))), {
      sip: { password: '********', proxy: 'pbx' },
      enckey: '*****',
      vm: { pin: '****' },
    });
    // The input is not changed; nothing to mask: undefined (no second render).
    assert.equal(vars.sip.password, 'hunter22');
    assert.equal(maskSecretVariables({ sip: { proxy: 'pbx' } }, []), undefined);
  });

  test('a device without secrets keeps the whole message', async () => {
    const root = dir.fresh('mask-none');
    writeFileSync(join(root, 'inventory.csv'), INVENTORY);
    writeFileSync(join(root, 't.liquid'), '{% raise "proxy " | append: sip.proxy | upcase %}');
    const r = await runCli(['render', '-i', 'inventory.csv', '-t', 't.liquid'], { cwd: root });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /t\.liquid line 1, col 1: PROXY PBX\.EXAMPLE\.COM$/m);
  });

  test('serve: the 500, the stderr reason and the JSON access log', async () => {
    const root = dir.fresh('mask-serve');
    const templates = caseSite(root);
    const server = await startServe(['-i', join(root, 'inventory.csv'), '-t', templates]);
    const json = await startServe([
      ...['-i', join(root, 'inventory.csv'), '-t', templates, '--log-format', 'json'],
    ]);
    try {
      for (const [i, [template]] of CASES.entries()) {
        const ua = `Cisco-CP-8841-3PCC/11.0 (${macOf(i)})`;
        for (const s of [server, json]) {
          const res = await httpRequest(s.port, `/${macOf(i)}.xml`, { userAgent: ua });
          assert.equal(res.status, 500, template);
          assertNoSecret(res.body.toString('utf8'), template);
        }
        await server.waitForStderr(
          new RegExp(`500 GET /${macOf(i)}\\.xml: not served: ${expectedOf(i).source}`, 'm'),
        );
        await json.waitForStdout(new RegExp(`"device":"${macOf(i)}"`));
      }
      const reasons = json
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { device: string; reason: string });
      for (const [i, [template]] of CASES.entries()) {
        const record = reasons.find((r) => r.device === macOf(i))!;
        assert.match(
          record.reason,
          new RegExp(`^not served: ${expectedOf(i).source}`, 'm'),
          template,
        );
      }
      for (const s of [server, json]) assertNoSecret(s.stdout() + s.stderr(), 'serve');
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
      assert.equal(await json.stop(), 0, json.stderr());
    }
  });

  test('an element named by a secret: unknown parameter ******** in render, --json and serve', async () => {
    const root = dir.fresh('mask-name');
    const secret = 'Hunter22Pw';
    writeFileSync(join(root, 'inventory.csv'), `mac,model,sip.password\n${MAC},8841,${secret}\n`);
    writeFileSync(
      join(root, 't.liquid'),
      '<?xml version="1.0"?>\n<flat-profile>\n  <Station_Name ua="na">x</Station_Name>\n' +
        '  <{{ sip.password | upcase }} ua="na">{{ sip.password | downcase }}</{{ sip.password | upcase }}>\n' +
        '  <X_{{ sip.password | slice: 2, 6 }}_ ua="na">1</X_{{ sip.password | slice: 2, 6 }}_>\n</flat-profile>\n',
    );
    const forms = [secret, secret.toUpperCase(), secret.toLowerCase(), 'nter22'];
    const noSecret = (text: string): void => {
      for (const f of forms) assert.ok(!text.includes(f), `shows ${f}:\n${text}`);
    };
    const r = await runCli(
      ['render', '-i', 'inventory.csv', '-t', 't.liquid', '--json', '-o', 'out'],
      {
        cwd: root,
      },
    );
    assert.equal(r.code, 1, r.stderr);
    noSecret(r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /rendered profile line 4, col 4: unknown parameter \*{8}.* \[unknown-parameter\] \(\+1 more\)/,
    );
    const doc = JSON.parse(r.stdout) as { devices: { diagnostics: { message: string }[] }[] };
    const messages = doc.devices[0]!.diagnostics.map((d) => d.message);
    assert.ok(
      messages.some((m) => /^unknown parameter \*{8}/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => /^unknown parameter X_\*{8}_/.test(m)),
      messages.join('\n'),
    );
    const server = await startServe([
      '-i',
      join(root, 'inventory.csv'),
      '-t',
      join(root, 't.liquid'),
    ]);
    try {
      const res = await httpRequest(server.port, `/${MAC}.xml`, { userAgent: UA });
      assert.equal(res.status, 500);
      await server.waitForStderr(
        /not served: rendered profile line 4, col 4: unknown parameter \*{8}/,
      );
      noSecret(server.stdout() + server.stderr() + res.body.toString('utf8'));
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });
});
