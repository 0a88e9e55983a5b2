// The leftovers of the previous round and a hostile pass over batch encrypt/decrypt and serve,
// each through the built CLI (and the core where the CLI cannot show it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { mergeValues } from '../../src/render/variables.js';
import { UNJUDGED_TEMP_AGE_MS, writeOutputFile } from '../../src/io/writer.js';
import { runCli } from '../helpers/run-cli.js';
import { testDirectory } from '../helpers/temp-dir.js';
import { deadPid, liveProcess, withFsPatched } from '../helpers/writers.js';

const dir = testDirectory('cisco-prov-gaps8-');

test('render: `lines` as a map keyed by line numbers in defaults or a group merges position by position with a device list', async () => {
  const root = dir.fresh('lines-map');
  const device =
    'devices:\n  - mac: 00:56:2b:04:36:15\n    model: 8841\n    group: desk\n' +
    '    lines:\n      - { extension: "201", password: "pw-201" }\n      - { extension: "202" }\n';
  const yaml = join(root, 'inv.yaml');
  writeFileSync(
    yaml,
    'defaults:\n  sip: { proxy: pbx.example.com }\n  lines:\n    1: { display_name: Front }\n' +
      'groups:\n  desk:\n    lines: { "2": { display_name: Back } }\n' +
      device,
  );
  const json = join(root, 'inv.json');
  writeFileSync(
    json,
    JSON.stringify({
      defaults: { sip: { proxy: 'pbx.example.com' }, lines: { '1': { display_name: 'Front' } } },
      groups: { desk: { lines: { '2': { display_name: 'Back' } } } },
      devices: [
        {
          mac: '00:56:2b:04:36:15',
          model: '8841',
          group: 'desk',
          lines: [{ extension: '201', password: 'pw-201' }, { extension: '202' }],
        },
      ],
    }),
  );
  for (const file of [yaml, json]) {
    const r = await runCli(['render', '-i', file, '--device', '00562b043615']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<User_ID_1_ ua="na">201<\/User_ID_1_>/);
    assert.match(r.stdout, /<Display_Name_1_ ua="na">Front<\/Display_Name_1_>/, file);
    assert.match(r.stdout, /<User_ID_2_ ua="na">202<\/User_ID_2_>/);
    assert.match(r.stdout, /<Display_Name_2_ ua="na">Back<\/Display_Name_2_>/, file);
  }

  // The core, both ways round; a map with a name (or 0) among its keys is still a map (replaced).
  const merged = (base: unknown, over: unknown): unknown =>
    JSON.parse(JSON.stringify(mergeValues(base, over)));
  assert.deepEqual(merged({ lines: { 2: { proxy: 'x' } } }, { lines: [{ extension: '1' }] }), {
    lines: [{ extension: '1' }, { proxy: 'x' }],
  });
  assert.deepEqual(merged({ lines: [{ extension: '1' }] }, { lines: { 1: { proxy: 'x' } } }), {
    lines: [{ extension: '1', proxy: 'x' }],
  });
  assert.deepEqual(merged([1], { a: 2 }), { a: 2 });
  assert.deepEqual(merged([1], { 0: 2 }), { 0: 2 });
});

/** The temp files `write` opens (O_EXCL, 'wx'), by name. The writer's node:fs imports are ESM bindings. */
function tempNamesOpenedBy(write: () => void): string[] {
  const names: string[] = [];
  withFsPatched(
    ({ openSync }) => ({
      openSync: ((...args: Parameters<typeof fs.openSync>) => {
        if (args[1] === 'wx' && typeof args[0] === 'string') names.push(args[0]);
        return openSync(...args);
      }) as typeof fs.openSync,
    }),
    write,
  );
  return names.map((path) => path.slice(path.lastIndexOf('/') + 1));
}

test('-o: a temp file whose pid was written in another pid namespace, host or boot is not taken for a dead writer’s; after a day without a write it is', async () => {
  const root = dir.fresh('namespaces');
  const target = join(root, 'p.cfg');
  // This process's temp names: `.p.cfg.cp<pid>-<where>h<tag><n>.tmp`, <where> its boot and pid namespace.
  const own = tempNamesOpenedBy(() => writeOutputFile(target, 'first\n')).find(
    (n) => !n.endsWith('.cp.tmp'),
  );
  const where = /^\.p\.cfg\.cp\d+-([0-9a-f]{8})h[0-9a-f]{8}[0-9a-z]+\.tmp$/.exec(own ?? '')?.[1];
  assert.ok(where, `a temp name with its boot and namespace: ${own}`);
  // <where> as documented: the boot id's first 32 bits XOR the pid namespace's inode, read here
  // from the kernel's own files.
  const bootHead = Number.parseInt(
    readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').slice(0, 8),
    16,
  );
  const namespaceInode = statSync('/proc/self/ns/pid').ino;
  assert.equal(where, ((bootHead ^ namespaceInode) >>> 0).toString(16).padStart(8, '0'));
  const elsewhere = ((Number.parseInt(where, 16) ^ 1) >>> 0).toString(16).padStart(8, '0');
  const dead = await deadPid();
  const marker = join(root, '.p.cfg.cp.tmp');

  // A writer in a container sharing the directory: its pid is no process here, yet it runs.
  const theirs = `.p.cfg.cp${dead}-${elsewhere}h0badc0de0.tmp`;
  writeFileSync(join(root, theirs), 'half of theirs');
  writeFileSync(marker, theirs);
  writeOutputFile(target, 'second\n');
  assert.equal(readFileSync(target, 'utf8'), 'second\n');
  assert.equal(readFileSync(join(root, theirs), 'utf8'), 'half of theirs', 'their temp file stays');
  assert.equal(readFileSync(marker, 'utf8'), theirs, 'their marker stays');
  // The same, unmarked, in a batch's one sweep of its directory (render -o, encrypt --out-dir);
  // a day old, removed.
  const batch = `.q.cfg.cp${dead}-${elsewhere}h0badc0de1.tmp`;
  const old = (Date.now() - UNJUDGED_TEMP_AGE_MS - 60_000) / 1000;
  for (const [name, age] of [
    ['fresh', undefined],
    ['old', old],
  ] as const) {
    const out = dir.fresh(`namespaces-batch-${name}`);
    writeFileSync(join(out, batch), 'half of a batch');
    if (age !== undefined) utimesSync(join(out, batch), age, age);
    writeOutputFile(join(out, 'q.cfg'), 'q\n', { staleTemps: 'sweep' });
    assert.equal(existsSync(join(out, batch)), age === undefined, `${name}: unmarked temp file`);
  }

  // Neither written to for a day: a run killed there (or before a reboot) left them.
  for (const name of [theirs, '.p.cfg.cp.tmp']) utimesSync(join(root, name), old, old);
  writeOutputFile(target, 'third\n');
  assert.ok(!existsSync(join(root, theirs)), 'their temp file, a day old, is removed');
  assert.ok(!existsSync(marker));

  // Written here: a dead pid is a killed writer at once; a running one (perhaps the pid again) a day later.
  const killed = `.p.cfg.cp${dead}-${where}h0badc0de2.tmp`;
  writeFileSync(join(root, killed), 'half of a killed run');
  writeFileSync(marker, killed);
  writeOutputFile(target, 'fourth\n');
  assert.ok(!existsSync(join(root, killed)), 'a killed writer’s temp file is removed');
  const running = `.p.cfg.cp${process.ppid}-${where}h0badc0de3.tmp`;
  writeFileSync(join(root, running), 'half of a running one');
  writeFileSync(marker, running);
  writeOutputFile(target, 'fifth\n');
  assert.ok(existsSync(join(root, running)), 'a running writer’s temp file stays');
  utimesSync(join(root, running), old, old);
  utimesSync(marker, old, old);
  writeOutputFile(target, 'sixth\n');
  assert.ok(!existsSync(join(root, running)), 'a day old, it is removed');
  assert.equal(readFileSync(target, 'utf8'), 'sixth\n');
  assert.deepEqual(readdirSync(root), ['p.cfg']);
});

/**
 * Runs `write` with `during` called once, right after the writer has opened its temp file `wx`
 * (its marker made): what other writers of the target do while this one writes.
 */
function withOthersWhileWriting(during: () => void, write: () => void): void {
  let fired = false;
  withFsPatched(
    ({ openSync }) => ({
      openSync: ((...args: Parameters<typeof fs.openSync>) => {
        const fd = openSync(...args);
        const path = args[0];
        if (!fired && args[1] === 'wx' && typeof path === 'string' && !path.endsWith('.cp.tmp')) {
          fired = true;
          during();
        }
        return fd;
      }) as typeof fs.openSync,
    }),
    write,
  );
  assert.ok(fired, 'the writer opened its temp file');
}

test('-o after a killed run, three writers at once: the one that finishes first leaves the marker another made, so a later kill of that one leaves nothing the next write misses', async () => {
  const root = dir.fresh('three-writers');
  const target = join(root, 'p.cfg');
  const marker = join(root, '.p.cfg.cp.tmp');
  const killed = `.p.cfg.cp${await deadPid()}-0badc0de0.tmp`;
  writeFileSync(join(root, killed), 'half of K');
  writeFileSync(marker, killed);
  const c = await liveProcess();
  const ofC = `.p.cfg.cp${c.pid}-0c0c0c0c0.tmp`;
  try {
    // A (this writer) takes K's marker and makes its own. B, which read K's marker before A took
    // it, moves A's aside to check it; C finds the name free and marks its temp file; B cannot put
    // A's back (the name is C's now) and removes it. A goes on unmarked; C's marker names C's.
    withOthersWhileWriting(
      () => {
        const aside = join(root, `.p.cfg.cp${process.ppid}-0b0b0b0b0.tmp`);
        fs.renameSync(marker, aside);
        writeFileSync(marker, ofC);
        writeFileSync(join(root, ofC), 'half of C', { mode: 0o600 });
        fs.unlinkSync(aside);
      },
      () => writeOutputFile(target, 'all of A\n'),
    );
    assert.equal(readFileSync(target, 'utf8'), 'all of A\n');
    assert.equal(existsSync(marker) ? readFileSync(marker, 'utf8') : '(none)', ofC, 'C’s marker');
  } finally {
    await c.kill();
  }
  // C is killed: the next write of the target finds its temp file through its marker.
  writeOutputFile(target, 'all of D\n');
  assert.equal(readFileSync(target, 'utf8'), 'all of D\n');
  assert.deepEqual(readdirSync(root), ['p.cfg']);
});

test('-o after a killed run, three real writers of one target at once, rounds for a few seconds: each exits 0, the target is one of theirs whole, nothing else is left', async () => {
  const root = dir.fresh('three-real-writers');
  const env = { K: 'Three-Writers-Key-8' };
  const target = join(root, 'p.cfg');
  const profiles = ['a', 'b', 'c'].map(
    (w) =>
      `<flat-profile>\n${`  <Display_Name_1_>${w}</Display_Name_1_>\n`.repeat(2000)}</flat-profile>\n`,
  );
  const deadline = Date.now() + 5000;
  let rounds = 0;
  do {
    const killed = `.p.cfg.cp${await deadPid()}-0badc0de${rounds.toString(16)}.tmp`;
    writeFileSync(join(root, killed), 'half of a killed run');
    writeFileSync(join(root, '.p.cfg.cp.tmp'), killed);
    const runs = await Promise.all(
      profiles.map((p) =>
        runCli(['encrypt', '--key-env', 'K', '-o', target], { input: p, env, cwd: root }),
      ),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(root), ['p.cfg'], `round ${rounds}`);
    const plain = await runCli(['decrypt', '--key-env', 'K', target], { env });
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(profiles.includes(plain.stdout), `round ${rounds}: the target is one writer’s whole`);
    rounds++;
  } while (Date.now() < deadline);
  assert.ok(rounds >= 2, `${rounds} rounds`);
});

const profileOf = (name: string): string =>
  `<flat-profile>\n  <Display_Name_1_>${name}</Display_Name_1_>\n</flat-profile>\n`;

test('encrypt/decrypt --out-dir: an output never replaces an input of the run, by any path (a symlinked --out-dir, the input directory itself)', async () => {
  const root = dir.fresh('out-dir-inputs');
  const env = { I: 'gaps8-ikm-0123456789', K: 'gaps8-passphrase' };
  // aes128gcm keeps the name: through a link to the input directory, each output was its input.
  for (const count of [2, 130]) {
    const input = join(root, `in-${count}`);
    mkdirSync(input);
    const names = Array.from({ length: count }, (_, i) => `p${String(i).padStart(3, '0')}.xml`);
    for (const n of names) writeFileSync(join(input, n), profileOf(n));
    const link = join(root, `link-${count}`);
    symlinkSync(input, link);
    const r = await runCli(
      ['encrypt', '--ikm-env', 'I', input, '--out-dir', link, '--jobs', '2', '--json'],
      { env },
    );
    assert.equal(r.code, 2, r.stderr);
    const report = JSON.parse(r.stdout) as { written: number; files: { error?: string }[] };
    assert.equal(report.written, 0);
    assert.match(report.files[0]!.error!, /the output would replace the input/);
    for (const n of names) assert.equal(readFileSync(join(input, n), 'utf8'), profileOf(n), n);
  }

  // decrypt d --out-dir d: lobby.cfg would open to lobby.xml, an input of the run beside it (an
  // edited profile): not replaced.
  const d = join(root, 'both');
  mkdirSync(d);
  const sealed = await runCli(['encrypt', '--key-env', 'K', '-o', join(d, 'lobby.cfg'), '-'], {
    env,
    input: profileOf('old'),
  });
  assert.equal(sealed.code, 0, sealed.stderr);
  writeFileSync(join(d, 'lobby.xml'), profileOf('edited'));
  const r = await runCli(['decrypt', '--key-env', 'K', d, '--out-dir', d], { env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /lobby\.cfg: the output .*lobby\.xml would replace an input of this run/);
  assert.equal(readFileSync(join(d, 'lobby.xml'), 'utf8'), profileOf('edited'));
});

test('encrypt --out-dir: the --keys CSV or --key-file met among the inputs is not encrypted (with the key for all, any phone could open every phone’s key)', async () => {
  const root = dir.fresh('keys-in-inputs');
  const input = join(root, 'profiles');
  mkdirSync(input);
  const names = Array.from(
    { length: 130 },
    (_, i) => `SEP00562b04${(0x3600 + i).toString(16)}.xml`,
  );
  for (const n of names) writeFileSync(join(input, n), profileOf(n));
  const keys = join(input, 'keys.csv');
  writeFileSync(keys, 'mac,key\n00562b043600,own-key-of-3600\n', { mode: 0o600 });
  symlinkSync('keys.csv', join(input, 'keys-link.csv'));
  for (const jobs of ['1', '2']) {
    const out = join(root, `out-${jobs}`);
    const r = await runCli(
      // --follow-links: the link to the CSV is an input, found by the file it leads to.
      [
        ...['encrypt', '--keys', keys, '--key-env', 'K', input, '--out-dir', out, '--jobs', jobs],
        '--follow-links',
      ],
      { env: { K: 'key-for-all' } },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /keys\.csv: the --keys CSV of this run, a file of secrets: not encrypted/,
    );
    assert.match(r.stderr, /keys-link\.csv: the --keys CSV of this run/);
    assert.match(r.stderr, /encrypted 130 of 132 file\(s\)/);
    assert.ok(!existsSync(join(out, 'keys.cfg')) && !existsSync(join(out, 'keys-link.cfg')));
  }
  const keyFile = join(input, 'key.txt');
  writeFileSync(keyFile, 'key-for-all\n', { mode: 0o600 });
  const r = await runCli(['encrypt', '--key-file', keyFile, input, '--out-dir', join(root, 'o')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /key\.txt: the --key-file of this run, a file of secrets: not encrypted/);
});

test('encrypt --out-dir: a file named twice (in a directory given and by its own name; `in` and `./in`) is one input, written once, exit 0 — not a clash with itself', async () => {
  const root = dir.fresh('named-twice');
  const input = join(root, 'in');
  mkdirSync(input);
  for (const n of ['a.xml', 'b.xml']) writeFileSync(join(input, n), profileOf(n));
  const env = { K: 'gaps8-passphrase' };
  for (const [i, args] of [
    [input, join(input, 'a.xml')],
    ['in', './in'],
    [join(input, 'a.xml'), join(input, 'a.xml'), join(input, 'b.xml')],
  ].entries()) {
    const out = join(root, `out-${i}`);
    const r = await runCli(['encrypt', '--key-env', 'K', ...args, '--out-dir', out, '--json'], {
      env,
      cwd: root,
    });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { written: number; failed: number };
    assert.deepEqual([report.written, report.failed], [2, 0], args.join(' '));
    assert.deepEqual(readdirSync(out).sort(), ['a.cfg', 'b.cfg']);
  }
  // Two files of one name from two directories still clash.
  mkdirSync(join(root, 'other'));
  writeFileSync(join(root, 'other/a.xml'), profileOf('other'));
  const r = await runCli(
    ['encrypt', '--key-env', 'K', 'in/a.xml', 'other/a.xml', '--out-dir', 'clash'],
    { env, cwd: root },
  );
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /other\/a\.xml: its output name is in\/a\.xml's too/);
});

test('encrypt --out-dir: an output never replaces the run’s --keys CSV (aes128gcm keeps a name: in/keys.csv → out/keys.csv)', async () => {
  const root = dir.fresh('output-over-keys');
  const input = join(root, 'in');
  const out = join(root, 'out');
  mkdirSync(input);
  mkdirSync(out);
  writeFileSync(join(input, 'SEP00562b043615.xml'), profileOf('a'));
  writeFileSync(join(input, 'keys.csv'), 'not the keys, a file of the same name\n');
  const keys = join(out, 'keys.csv');
  const table = 'mac,ikm\n00562b043615,own-ikm-0123456789\n';
  writeFileSync(keys, table, { mode: 0o600 });
  const r = await runCli(['encrypt', '--ikm-env', 'I', '--keys', keys, input, '--out-dir', out], {
    env: { I: 'ikm-for-all-0123456789' },
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /in\/keys\.csv: the output .*out\/keys\.csv would replace the --keys CSV of this run/,
  );
  assert.equal(readFileSync(keys, 'utf8'), table);
  assert.ok(existsSync(join(out, 'SEP00562b043615.xml')));
});
