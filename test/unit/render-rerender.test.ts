// What a render keeps for a run over many devices, kept off V8's heap (issue 12: a re-render
// over 100,000 existing profiles), and the behaviour that must not change with it: the listing of
// the output directory, the map of output names, the inventory's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { renderInWorkers, writeRenderedProfile } from '../../src/io/worker-pool.js';
import { explainRender, render, type RenderOptions } from '../../src/render/batch.js';
import { decodeUtf8Text } from '../../src/render/decode-text.js';

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
  const clash = await render(options(dir, { out: 'clash', name: 'Ωmega-$PSN.xml' }));
  assert.equal(clash.report.summary.written, 1);
  assert.equal(clash.report.summary.failed, 119);
  assert.match(
    clash.report.devices[5]!.error!,
    /file name Ωmega-8841\.xml is also the name of inv\.csv row 2/,
  );
});
