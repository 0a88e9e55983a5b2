// What a render keeps for a run over many devices, kept off V8's heap (issue 12: a re-render
// over 100,000 existing profiles), and the behaviour that must not change with it: the listing of
// the output directory, the map of output names, the inventory's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { openProfile, sealProfile } from '../../src/crypto/index.js';
import { renderInWorkers, writeRenderedProfile } from '../../src/io/worker-pool.js';
import { explainRender, render, type RenderOptions } from '../../src/render/batch.js';
import { decodeUtf8Text } from '../../src/render/decode-text.js';
import type { WriteFile } from '../../src/render/device-renderer.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cp-rerender-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const TEMPLATE = `<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
  <Station_Name ua="na">{{ display_name }}</Station_Name>
  <User_ID_1_ ua="na">{{ extension }}</User_ID_1_>
</flat-profile>
`;

function options(dir: string, extra: Partial<RenderOptions> = {}): RenderOptions {
  return {
    cwd: dir,
    inventory: 'inv.csv',
    template: 'default.liquid',
    out: 'out',
    writeFile: writeRenderedProfile,
    runInWorkers: renderInWorkers,
    ...extra,
  };
}

const mac = (i: number): string => (0x00562b000000 + i).toString(16).padStart(12, '0');

test('decodeUtf8Text: the text of UTF-8 bytes, whichever way it is decoded', () => {
  const cases = ['', 'mac,model\n00562b043615,8841\n', 'name\nZoë Ørsted — 東京\n', '\ufeffmac\n'];
  for (const text of cases) {
    assert.equal(decodeUtf8Text(Buffer.from(text, 'utf8')), text);
  }
  // Bytes that are not UTF-8 decode as a UTF-8 decoder does (U+FFFD), never as Latin-1.
  assert.equal(decodeUtf8Text(Uint8Array.of(0x61, 0xe9, 0x62)), 'a\ufffdb');
  // A view into a larger buffer: only its own bytes.
  const big = Buffer.from('xxmac,modelyy');
  assert.equal(decodeUtf8Text(big.subarray(2, 11)), 'mac,model');
});

test('decodeUtf8Text: a large ASCII text stays off the V8 heap (Node makes it an external string)', () => {
  const bytes = Buffer.alloc(8 * 1024 * 1024, 'mac,model,display_name\n');
  const before = getHeapStatistics().used_heap_size;
  const text = decodeUtf8Text(bytes);
  const grown = getHeapStatistics().used_heap_size - before;
  assert.equal(text.length, bytes.length);
  assert.equal(text.slice(0, 23), 'mac,model,display_name\n');
  // On the heap it would be 8 MiB; a garbage collection in between can only make this smaller.
  assert.ok(grown < 1024 * 1024, `the heap grew by ${grown} bytes for an 8 MiB text`);
});

test('an inventory above a megabyte reads the same, ASCII or with UTF-8 in it', () => {
  const rows = ['mac,model,display_name,extension,note'];
  for (let i = 0; i < 20_000; i++)
    rows.push(`${mac(i)},8841,User ${i},${1000 + i},desk ${i} of the west wing`);
  const ascii = `${rows.join('\n')}\n`;
  assert.ok(ascii.length > 1_100_000, 'large enough for an external string');
  const utf8 = ascii.replace('desk 19999 of the west wing', 'Zoë’s desk');
  for (const [label, csv] of [
    ['ASCII', ascii],
    ['UTF-8', utf8],
  ] as const) {
    const dir = workspace({ 'inv.csv': csv, 'default.liquid': TEMPLATE });
    const r = explainRender({ ...options(dir), explain: mac(19_999) });
    const note = r.variables.find((v) => v.path === 'note')!;
    assert.equal(
      note.value,
      label === 'ASCII' ? 'desk 19999 of the west wing' : 'Zoë’s desk',
      label,
    );
    assert.equal(r.source, 'inv.csv row 20001', label);
  }
});

test('output names beyond Latin-1: a second run finds every file unchanged; a clash names the first', async () => {
  const rows = ['mac,model,display_name,extension'];
  for (let i = 0; i < 120; i++) rows.push(`${mac(i)},8841,User ${i},${1000 + i}`);
  const dir = workspace({ 'inv.csv': `${rows.join('\n')}\n`, 'default.liquid': TEMPLATE });
  for (const jobs of [1, 2, 3]) {
    const out = `out-${jobs}`;
    const first = await render(options(dir, { jobs, out, name: 'Ωmega-$MA.xml' }));
    assert.equal(first.report.summary.written, 120, `--jobs ${jobs}`);
    assert.ok(readdirSync(join(dir, out)).includes(`Ωmega-${mac(0)}.xml`));
    const again = await render(options(dir, { jobs, out, name: 'Ωmega-$MA.xml' }));
    assert.equal(again.report.summary.unchanged, 120, `--jobs ${jobs}, run again`);
  }
  await assert.rejects(
    render(options(dir, { out: 'clash', name: 'Ωmega-$PSN.xml' })),
    (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(
        err.message,
        /row 7, field --name: file name Ωmega-8841\.xml is also the name of inv\.csv row 2/,
      );
      assert.match(err.message, /… and 99 more problems/);
      return true;
    },
  );
  assert.ok(!existsSync(join(dir, 'clash')));
});

// ---- the compare path: each device's existing file read (into a buffer reused from one device
// to the next), opened with the device's key and compared; only a file that differs is replaced

const ENCRYPTED = {
  encryption: { cipher: 'aes-256-cbc' as const, keyField: 'key' },
  gzip: true,
};

function fleet(count: number): string {
  const rows = ['mac,model,display_name,extension,key'];
  for (let i = 0; i < count; i++) rows.push(`${mac(i)},8841,User ${i},${1000 + i},key-${i}`);
  return `${rows.join('\n')}\n`;
}

const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

test('re-render: unchanged files stay byte for byte; changed, corrupt, foreign and odd targets are handled, nothing else touched', async () => {
  const count = 160;
  for (const jobs of [1, 2, 3]) {
    const dir = workspace({ 'inv.csv': fleet(count), 'default.liquid': TEMPLATE });
    const out = join(dir, 'out');
    const file = (i: number): string => join(out, `${mac(i)}.cfg`);
    const first = await render(options(dir, { ...ENCRYPTED, jobs }));
    assert.equal(first.report.summary.written, count, `--jobs ${jobs}`);
    const before = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
    const past = new Date('2020-01-01T00:00:00Z');
    for (const f of before.keys()) utimesSync(join(out, f), past, past);
    const plaintextOf = (i: number): string =>
      Buffer.from(
        openProfile(readFileSync(file(i)), { passphrase: `key-${i}` }).plaintext,
      ).toString();
    const expected3 = plaintextOf(3);

    // 0: a byte of the ciphertext flipped (corrupt): does not open, rewritten.
    const corrupt = Buffer.from(before.get(`${mac(0)}.cfg`)!);
    corrupt[corrupt.length - 20]! ^= 0xff;
    writeFileSync(file(0), corrupt);
    // 1: another profile under the right key (changed): rewritten.
    writeFileSync(
      file(1),
      sealProfile('<flat-profile><Station_Name ua="na">Old</Station_Name></flat-profile>\n', {
        cipher: 'aes-256-cbc',
        passphrase: 'key-1',
        gzip: true,
      }),
    );
    // 2: empty; 4: the right plaintext, plain XML (not the requested form); 5: encrypted but not
    // gzip'd; 6: larger than the reused buffer holds (its own buffer, then back to the shared one).
    writeFileSync(file(2), '');
    writeFileSync(file(4), expected3.replace('User 3', 'User 4').replace('1003', '1004'));
    writeFileSync(
      file(5),
      sealProfile(plaintextOf(5), { cipher: 'aes-256-cbc', passphrase: 'key-5', gzip: false }),
    );
    writeFileSync(file(6), Buffer.alloc(2 * 1024 * 1024, 0x41));
    // 7: a symlink to a file outside --out (not ours): the link is replaced, the file untouched.
    writeFileSync(join(dir, 'outside.txt'), 'not ours');
    rmSync(file(7));
    symlinkSync(join(dir, 'outside.txt'), file(7));
    // 8: a directory at the target; 9: a FIFO — neither is replaced.
    rmSync(file(8));
    mkdirSync(file(8));
    if (hasMkfifo) {
      rmSync(file(9));
      assert.equal(spawnSync('mkfifo', [file(9)]).status, 0);
    }
    // A file of ours no device names: left alone.
    writeFileSync(join(out, 'notes.txt'), 'kept');

    const again = await render(options(dir, { ...ENCRYPTED, jobs }));
    const status = (i: number): string => again.report.devices[i]!.status;
    for (const i of [0, 1, 2, 4, 5, 6, 7])
      assert.equal(status(i), 'written', `--jobs ${jobs} #${i}`);
    assert.equal(status(8), 'failed', `--jobs ${jobs}: a directory at the target`);
    if (hasMkfifo) {
      assert.equal(status(9), 'failed', `--jobs ${jobs}: a FIFO at the target`);
      assert.match(again.report.devices[9]!.error!, /not a regular file/);
      assert.ok(lstatSync(file(9)).isFIFO(), 'the FIFO is still there');
    }
    const untouched = hasMkfifo ? count - 9 : count - 8;
    assert.equal(again.report.summary.unchanged, untouched, `--jobs ${jobs}`);
    for (let i = 10; i < count; i++) {
      assert.equal(status(i), 'unchanged', `--jobs ${jobs} #${i}`);
      assert.deepEqual(readFileSync(file(i)), before.get(`${mac(i)}.cfg`), `#${i} same bytes`);
      assert.equal(statSync(file(i)).mtimeMs, past.getTime(), `#${i} mtime kept`);
    }
    for (const i of [0, 1, 2, 4, 5, 6, 7]) {
      assert.ok(lstatSync(file(i)).isFile(), `#${i} a regular file`);
      assert.equal(
        plaintextOf(i),
        expected3.replaceAll('User 3', `User ${i}`).replaceAll('1003', String(1000 + i)),
        `#${i} now holds its device's profile`,
      );
    }
    assert.equal(readFileSync(join(dir, 'outside.txt'), 'utf8'), 'not ours');
    assert.ok(statSync(file(8)).isDirectory());
    assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'kept');
    assert.equal(plaintextOf(3), expected3);

    // A third run: everything that could be written is unchanged now.
    const third = await render(options(dir, { ...ENCRYPTED, jobs }));
    assert.equal(third.report.summary.unchanged, untouched + 7, `--jobs ${jobs}, third run`);
  }
});

test('re-render of plain XML: each writer call gets bytes of its own, not the reused buffer', async () => {
  const dir = workspace({ 'inv.csv': fleet(60), 'default.liquid': TEMPLATE });
  const given: { path: string; data: Uint8Array }[] = [];
  const keep: WriteFile = (path, data, hints) => {
    given.push({ path, data });
    writeRenderedProfile(path, data, hints);
  };
  const first = await render(options(dir, { jobs: 1, writeFile: keep }));
  assert.equal(first.report.summary.written, 60);
  for (const { path, data } of given) {
    assert.deepEqual(Buffer.from(data), readFileSync(path), `${path}: still its own profile`);
  }
  // Changed and unchanged devices interleaved: the compare reads each file into the same buffer.
  writeFileSync(join(dir, 'inv.csv'), fleet(60).replace(/User (\d*[02468]),/g, 'Person $1,'));
  const again = await render(options(dir, { jobs: 1 }));
  assert.equal(again.report.summary.written, 30);
  assert.equal(again.report.summary.unchanged, 30);
  for (let i = 0; i < 60; i++) {
    const text = readFileSync(join(dir, 'out', `${mac(i)}.xml`), 'utf8');
    assert.match(text, new RegExp(`>${i % 2 === 0 ? 'Person' : 'User'} ${i}<`));
    assert.equal(again.report.devices[i]!.status, i % 2 === 0 ? 'written' : 'unchanged');
  }
});
