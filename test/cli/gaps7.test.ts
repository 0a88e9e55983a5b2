// The leftovers of the previous round, each through the built CLI (and the core where the CLI
// cannot show it): dotted keys in defaults, groups and --vars; serve pruning reports whose names
// are not UTF-8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { writeOutputFile } from '../../src/io/writer.js';
import { runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { deadPid, liveProcess, withFsPatched } from '../helpers/writers.js';
import { outcome } from '../helpers/inventory-differential.js';
import { bytePath, refusesByteNames } from '../helpers/byte-names.js';
import { httpRequest, startServe } from '../helpers/serve.js';

const dir = testDirectory('cisco-prov-gaps7-');

/** `text` as a regular expression matching it literally. */
function literal(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Runs `cisco-prov render …args`, which must refuse (exit 1) and write nothing; its stderr. */
async function renderRefused(args: string[]): Promise<string> {
  const r = await runCli(['render', ...args]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  return r.stderr;
}

const DOTTED = (key: string): string =>
  `field ${key}: a dotted name nests only in a CSV header: in JSON or YAML write it nested (${key.split('.').join(' → ')})`;

test('render: a dotted key in defaults, a group or a --vars file is named, as in a device, not silently dropped', async () => {
  const root = dir.fresh('dotted');
  const device = {
    mac: '00562b043651',
    model: '8841',
    group: 'desk',
    sip: { proxy: 'pbx.example.com' },
    lines: [{ extension: '251', password: 'pw-251' }],
  };
  const json = join(root, 'inv.json');
  writeFileSync(
    json,
    JSON.stringify({
      defaults: { 'provisioning.resync_periodic': '600' },
      groups: { desk: { 'sip.proxy': 'other.example.com' } },
      devices: [device],
    }),
  );
  const yaml = join(root, 'inv.yaml');
  writeFileSync(
    yaml,
    'defaults:\n  provisioning.resync_periodic: 600\ngroups:\n  desk:\n    sip.proxy: other.example.com\n' +
      'devices:\n  - mac: 00562b043651\n    model: 8841\n    group: desk\n    sip: { proxy: pbx.example.com }\n' +
      '    lines: [{ extension: "251", password: pw-251 }]\n',
  );
  for (const file of [json, yaml]) {
    const stderr = await renderRefused(['-i', file]);
    assert.match(stderr, literal(`${file}: defaults, ${DOTTED('provisioning.resync_periodic')}`));
    assert.match(stderr, literal(`${file}: group desk, ${DOTTED('sip.proxy')}`));
  }

  // --vars: a dotted variable, and one in a group the vars file defines (a CSV inventory's groups).
  const vars = join(root, 'site.yaml');
  writeFileSync(
    vars,
    'provisioning.resync_periodic: 600\ngroups:\n  desk:\n    display.name: Desk\n    ok: 1\n',
  );
  const csv = join(root, 'inv.csv');
  writeFileSync(
    csv,
    'mac,model,group,sip.proxy,lines.1.extension,lines.1.password\n00562b043651,8841,desk,pbx.example.com,251,pw-251\n',
  );
  const stderr = await renderRefused(['-i', csv, '--vars', vars]);
  assert.match(stderr, literal(`${vars}: top level, ${DOTTED('provisioning.resync_periodic')}`));
  assert.match(stderr, literal(`${vars}: group desk, ${DOTTED('display.name')}`));

  // The same file with the values nested renders them.
  writeFileSync(
    vars,
    'provisioning: { resync_periodic: 600 }\ngroups:\n  desk:\n    display: { name: Desk }\n',
  );
  const nested = await runCli(['render', '-i', csv, '--vars', vars]);
  assert.equal(nested.code, 0, nested.stderr);
  assert.match(nested.stdout, /<Resync_Periodic ua="na">600<\/Resync_Periodic>/);
});

test('inventory reader: a dotted key in defaults or a group is refused the same whether the file is parsed whole or read a device at a time', () => {
  const json = JSON.stringify({
    devices: [{ mac: '00562b043652', model: '8841' }],
    groups: { desk: { 'a.b': 1 } },
    defaults: { 'c.d': 2 },
  });
  const yaml =
    'defaults:\n  c.d: 2\ngroups:\n  desk:\n    a.b: 1\ndevices:\n  - mac: 00562b043652\n    model: 8841\n';
  for (const [text, format] of [
    [json, 'json'],
    [yaml, 'yaml'],
  ] as const) {
    for (const streamed of [false, true]) {
      const said = outcome(text, format, streamed);
      // Refused when the reader is made, or by each pass (the streamed JSON reader's way).
      assert.deepEqual(
        'error' in said ? said.error : said.passes[0]!.problems,
        [
          `inv.${format}: defaults, ${DOTTED('c.d')}`,
          `inv.${format}: group desk, ${DOTTED('a.b')}`,
        ],
        `${format}, ${streamed ? 'streamed' : 'whole'}`,
      );
    }
  }
});

test('serve --reports-keep prunes an old report whose name is not UTF-8 like any other', async (t) => {
  const root = dir.fresh('reports');
  const refused = refusesByteNames(root);
  if (refused) return t.skip(refused);
  const mac = '00562b043661';
  const inventory = join(root, 'inv.csv');
  writeFileSync(
    inventory,
    `mac,model,sip.proxy,lines.1.extension,lines.1.password\n${mac},8841,pbx.example.com,261,pw-261\n`,
  );
  const reports = join(root, 'reports');
  const phone = join(reports, mac);
  mkdirSync(phone, { recursive: true, mode: 0o700 });
  // Older than anything serve names (its names lead with the time), one of them not UTF-8.
  writeFileSync(bytePath(phone, '20200101T000000000Z-caf\xe9.xml'), '<flat-profile/>\n');
  writeFileSync(join(phone, '20200101T000000001Z-old.xml'), '<flat-profile/>\n');
  const report = '<flat-profile><Station_Name>Kept</Station_Name></flat-profile>\n';
  const server = await startServe(['-i', inventory, '--reports', reports, '--reports-keep', '1']);
  try {
    const res = await httpRequest(server.port, `/reports/${mac}.xml`, {
      method: 'PUT',
      userAgent: `Cisco-CP-8841-3PCC/11.0 (${mac})`,
      body: Buffer.from(report),
    });
    assert.equal(res.status, 200, res.body.toString());
  } finally {
    await server.stop();
  }
  const left = readdirSync(phone, { encoding: 'buffer' });
  assert.deepEqual(
    left.map((name) => name.toString('latin1')),
    left.map((name) => name.toString('latin1')).filter((name) => !name.startsWith('2020')),
    'the two old reports are pruned',
  );
  assert.equal(left.length, 1);
  assert.equal(readFileSync(join(phone, left[0]!.toString())).toString(), report);
});

/**
 * Runs `write` with `after` called once, right after the writer has read the marker `marker`:
 * the moment another writer of the same target may act before this one acts on what it read.
 * The writer's node:fs imports are ESM bindings: patched through syncBuiltinESMExports.
 */
function withPauseAfterMarkerRead(marker: string, after: () => void, write: () => void): void {
  let markerFd: number | undefined;
  let fired = false;
  const call = (f: unknown, args: unknown[]): number =>
    (f as (...args: unknown[]) => number)(...args);
  withFsPatched(
    ({ openSync, readSync }) => ({
      openSync: ((...args: unknown[]) => {
        const fd = call(openSync, args);
        if (args[0] === marker && typeof args[1] === 'number') markerFd = fd; // opened to be read
        return fd;
      }) as typeof fs.openSync,
      readSync: ((...args: unknown[]) => {
        const read = call(readSync, args);
        if (args[0] === markerFd && !fired) {
          fired = true;
          after();
        }
        return read;
      }) as typeof fs.readSync,
    }),
    write,
  );
  assert.ok(fired, 'the writer read the marker');
}

test('-o after a killed run, two writers of the target at once: neither removes the other’s marker, so a later kill leaves nothing the next write misses', async () => {
  const root = dir.fresh('markers');
  const target = join(root, 'p.cfg');
  const marker = join(root, '.p.cfg.cp.tmp');
  // A run killed with SIGKILL left its temp file and marker.
  const killed = `.p.cfg.cp${await deadPid()}-0badc0de0.tmp`;
  writeFileSync(join(root, killed), 'half of K');
  writeFileSync(marker, killed);
  // Writer A, still at work: between this writer's read of K's marker and what it does next,
  // A removes K's temp file and marker (as this writer is about to) and marks its own temp file.
  const a = await liveProcess();
  const ofA = `.p.cfg.cp${a.pid}-0a0a0a0a0.tmp`;
  try {
    withPauseAfterMarkerRead(
      marker,
      () => {
        rmSync(join(root, killed));
        rmSync(marker);
        writeFileSync(marker, ofA);
        writeFileSync(join(root, ofA), 'half of A', { mode: 0o600 });
      },
      () => writeOutputFile(target, 'all of B\n'),
    );
    assert.equal(readFileSync(target, 'utf8'), 'all of B\n');
    // A's marker still names A's temp file: this writer read K's, and took nothing else for it.
    assert.equal(existsSync(marker) ? readFileSync(marker, 'utf8') : '(none)', ofA, 'A’s marker');
  } finally {
    await a.kill();
  }
  // A is killed in turn: the next write of the target finds its temp file through the marker.
  writeOutputFile(target, 'all of C\n');
  assert.equal(readFileSync(target, 'utf8'), 'all of C\n');
  assert.deepEqual(readdirSync(root), ['p.cfg']);
});

test('render: a device’s own fields (group, template, model, mac, serial) and the inventory’s keys in defaults, a group or a --vars file are refused, not silently ignored', async () => {
  const root = dir.fresh('choosers');
  mkdirSync(join(root, 't'));
  writeFileSync(join(root, 't/default.liquid'), '<flat-profile></flat-profile>\n');
  writeFileSync(join(root, 't/special.liquid'), '<flat-profile></flat-profile>\n');
  const inventory = join(root, 'inv.json');
  writeFileSync(
    inventory,
    JSON.stringify({
      defaults: { group: 'hq', model: '8841', groups: { x: {} } },
      groups: {
        hq: { template: 'special.liquid', display_name: 'HQ' },
        annex: { group: 'hq', devices: [] },
      },
      devices: [
        { mac: '00562b043671', model: '8841' },
        { mac: '00562b043672', model: '8841', group: 'annex' },
      ],
    }),
  );
  const vars = join(root, 'site.yaml');
  writeFileSync(
    vars,
    'group: hq\ntemplate: special.liquid\nmac: 001122334455\nserial: FCH0000\ndefaults: { a: 1 }\ndevices: []\n',
  );
  const stderr = await renderRefused(['-i', inventory, '--vars', vars, '-t', join(root, 't')]);
  const lines = stderr.split('\n').filter((line) => line.startsWith('cisco-prov: '));
  const group = (where: string) =>
    `a device's group is read from the device alone: in ${where} it would choose no group (put here the variables it should give every device)`;
  const template = (where: string) =>
    `a device's template is read from the device alone: in ${where} it would choose none (give each device its template, or --template <file> for all)`;
  const identifies = (key: string) =>
    `identifies one device and is read from the device alone: in a --vars file it would be the ${key} of every device that has none (give each device its own)`;
  assert.deepEqual(lines, [
    `cisco-prov: ${vars}: top level, field group: ${group('a --vars file')}`,
    `cisco-prov: ${vars}: top level, field template: ${template('a --vars file')}`,
    `cisco-prov: ${vars}: top level, field mac: ${identifies('mac')}`,
    `cisco-prov: ${vars}: top level, field serial: ${identifies('serial')}`,
    `cisco-prov: ${vars}: top level, field defaults: the top level of a --vars file is what every device gets: write these variables there`,
    `cisco-prov: ${vars}: top level, field devices: a --vars file holds variables, not devices: give devices in the --inventory`,
    `cisco-prov: ${inventory}: defaults, field group: ${group('defaults')}`,
    `cisco-prov: ${inventory}: defaults, field model: a device's model is read from the device alone: in defaults it would give none its model (give each device its model)`,
    `cisco-prov: ${inventory}: defaults, field groups: belongs at the top level of the inventory (or of a --vars file), beside defaults and devices: here it would be a variable no template reads`,
    `cisco-prov: ${inventory}: group hq, field template: ${template('a group')}`,
    `cisco-prov: ${inventory}: group annex, field group: groups do not nest: a device's group is read from the device alone (build one group on another with a YAML merge key, <<: *name, or repeat its variables)`,
    `cisco-prov: ${inventory}: group annex, field devices: belongs at the top level of the inventory, beside defaults and groups: here it would be a variable no template reads`,
  ]);
});

test('render: a group defined in a --vars file and again in the inventory is both merged, as layers merge, not the first dropped', async () => {
  const root = dir.fresh('group-twice');
  const vars = join(root, 'site.yaml');
  writeFileSync(
    vars,
    'groups:\n  hq:\n    sip: { proxy: vars-pbx.example.com }\n    voice_mail_number: "*1"\n',
  );
  const inventory = join(root, 'inv.yaml');
  writeFileSync(
    inventory,
    'groups:\n  hq:\n    voice_mail_number: "*2"\ndevices:\n  - mac: 00562b043681\n    model: 8841\n    group: hq\n' +
      '    lines: [{ extension: "281", password: pw-281 }]\n',
  );
  const r = await runCli(['render', '-i', inventory, '--vars', vars]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /<Proxy_1_ ua="na">vars-pbx\.example\.com<\/Proxy_1_>/);
  assert.match(r.stdout, /<Voice_Mail_Number ua="na">\*2<\/Voice_Mail_Number>/);
});

test('render: a spreadsheet’s Group or Template header (no group or template field) is named, not a variable that chose nothing', async () => {
  const root = dir.fresh('group-case');
  const vars = join(root, 'site.yaml');
  writeFileSync(vars, 'groups:\n  hq:\n    voice_mail_number: "*9"\n');
  const csv = join(root, 'inv.csv');
  writeFileSync(
    csv,
    'mac,model,Group,TEMPLATE,sip.proxy,lines.1.extension,lines.1.password\n00562b043691,8841,hq,x.liquid,pbx.example.com,291,pw-291\n',
  );
  const stderr = await renderRefused(['-i', csv, '--vars', vars]);
  assert.match(
    stderr,
    literal(
      `${csv}: row 2, field group: not given; it has Group: field names are case-sensitive, write group`,
    ),
  );
  assert.match(
    stderr,
    literal(
      `${csv}: row 2, field template: not given; it has TEMPLATE: field names are case-sensitive, write template`,
    ),
  );
});
