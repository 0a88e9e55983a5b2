/**
 * The streaming CSV reader: `csvPieces` cuts the text at record boundaries so that parsing it a
 * piece at a time gives exactly the records (and row numbers) of a whole-file parse, and an
 * InventoryReader pass yields the devices of parseInventory without keeping them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  InventoryError,
  CSV_KEPT_CHARS,
  InventoryReader,
  csvPieces,
  parseInventory,
  sniffInventoryFormat,
  type InventoryProblem,
} from '../../src/render/inventory.js';

const OPTIONS = {
  bom: true,
  info: true,
  skip_empty_lines: true,
  relax_column_count: true,
  trim: true,
} as const;
type Rec = { record: string[]; info: { lines: number } };

function whole(text: string): { record: string[]; lines: number }[] | 'error' {
  try {
    return (parseCsv(text, OPTIONS) as unknown as Rec[]).map((r) => ({
      record: r.record,
      lines: r.info.lines,
    }));
  } catch {
    return 'error';
  }
}

function inPieces(text: string, size: number): { record: string[]; lines: number }[] | 'error' {
  const out: { record: string[]; lines: number }[] = [];
  for (const { piece, linesBefore } of csvPieces(text, size)) {
    try {
      for (const r of parseCsv(piece, OPTIONS) as unknown as Rec[]) {
        out.push({ record: r.record, lines: r.info.lines + linesBefore });
      }
    } catch {
      return 'error';
    }
  }
  return out;
}

const cell = fc.oneof(
  fc.constantFrom('00562b043615', 'Reception', '', ' padded ', 'a,b'),
  fc.constantFrom('"quoted"', '"with ""quotes"""', '"multi\nline"', '"cr\r\nlf"', '"a,b"'),
  fc.string({ maxLength: 6 }),
);
const csvText = fc
  .tuple(
    fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 30 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([rows, eol, bom]) => (bom ? '\ufeff' : '') + rows.map((r) => r.join(',')).join(eol) + eol);

test('csvPieces: parsing piece by piece gives the records and row numbers of a whole-file parse', () => {
  fc.assert(
    fc.property(csvText, fc.integer({ min: 1, max: 40 }), (text, size) => {
      const expected = whole(text);
      const got = inPieces(text, size);
      if (expected === 'error') return assert.equal(got, 'error');
      assert.ok(got !== 'error');
      assert.deepEqual(
        got.map((r) => r.record),
        expected.map((r) => r.record),
      );
      // csv-parse counts a CR inside a quoted field as a line of its own; pieces count "\n"s
      // (what an editor shows). Row numbers agree whenever no CR stands alone in a quoted field.
      if (!/\r(?!\n)|"[^"]*\r\n[^"]*"/.test(text)) {
        assert.deepEqual(got, expected);
      }
    }),
    { numRuns: 400 },
  );
});

test('csvPieces: every piece but the last ends with a newline outside quotes, and the pieces rebuild the text', () => {
  const text = 'mac,name\n1,"a\nb"\n2,"c""\nd"\n\n3,e\n4,f';
  for (const size of [1, 2, 5, 8, 100]) {
    const pieces = [...csvPieces(text, size)];
    assert.equal(pieces.map((p) => p.piece).join(''), text);
    for (const p of pieces.slice(0, -1)) assert.ok(p.piece.endsWith('\n'));
  }
  assert.deepEqual(
    [...csvPieces('a\rb\rc', 1)].map((p) => p.piece),
    ['a\rb\rc'],
    'no \\n: one piece',
  );
});

function inventoryOf(n: number): string {
  const rows = ['mac,model,display_name,lines.1.extension'];
  for (let i = 0; i < n; i++) {
    const mac = (0x00562b000000 + i).toString(16).padStart(12, '0');
    rows.push(`${mac},${i % 2 ? '8841' : 'ATA191'},"User ${i}, desk",${2000 + i}`);
  }
  return `${rows.join('\n')}\n`;
}

test('InventoryReader: two passes over a 20,000-device CSV (many pieces) yield what parseInventory returns', () => {
  const text = inventoryOf(20_000);
  assert.ok([...csvPieces(text)].length >= 3, 'several pieces');
  const all = parseInventory(text, 'inv.csv').devices;
  const reader = new InventoryReader(text, 'inv.csv');
  for (let pass = 0; pass < 2; pass++) {
    const problems: InventoryProblem[] = [];
    const devices = [...reader.devices(problems)];
    assert.deepEqual(problems, []);
    assert.equal(devices.length, 20_000);
    assert.deepEqual(devices, all);
    assert.equal(devices[19_999]!.where, 'row 20001');
  }
});

/** The rows a reader kept from its last clean pass (a private field, read for the test). */
const keptRows = (reader: InventoryReader): unknown[] | undefined =>
  (reader as unknown as { csvRows?: unknown[] }).csvRows;

test('InventoryReader: the rows of a whole clean pass of a CSV up to CSV_KEPT_CHARS are kept, and the next pass yields the same devices', () => {
  const text = inventoryOf(20_000);
  assert.ok(text.length <= CSV_KEPT_CHARS);
  const all = parseInventory(text, 'inv.csv').devices;
  const reader = new InventoryReader(text, 'inv.csv');
  // A pass left half-way keeps nothing.
  const first = reader.devices([]);
  for (let i = 0; i < 10; i++) first.next();
  first.return(undefined);
  assert.equal(keptRows(reader), undefined);
  assert.deepEqual([...reader.devices([])], all);
  assert.equal(keptRows(reader)?.length, 20_000);
  const problems: InventoryProblem[] = [];
  assert.deepEqual([...reader.devices(problems)], all);
  assert.deepEqual(problems, []);
  assert.equal(reader.lastPassRows, 20_000);

  // A larger text: parsed again at every pass.
  const rows = Math.ceil(CSV_KEPT_CHARS / 40) + 1000;
  const bigger = new InventoryReader(inventoryOf(rows), 'inv.csv');
  assert.equal([...bigger.devices([])].length, rows);
  assert.equal(keptRows(bigger), undefined);
  assert.equal([...bigger.devices([])].length, rows);
});

test('InventoryReader: a pass with problems keeps nothing: every pass reports them again', () => {
  const dup = `${inventoryOf(50)}00562b000007,8841,Again,1\n`;
  const reader = new InventoryReader(dup, 'inv.csv');
  for (let pass = 0; pass < 2; pass++) {
    const problems: InventoryProblem[] = [];
    assert.equal([...reader.devices(problems)].length, 50);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.where, 'row 52');
    assert.equal(keptRows(reader), undefined);
  }
});

test('InventoryReader: a duplicate MAC and a syntax error far down the file are found, with their rows', () => {
  const text = inventoryOf(4000);
  const dup = `${text}00562b000007,8841,Again,1\n`;
  assert.throws(
    () => parseInventory(dup, 'inv.csv'),
    (err: unknown) =>
      err instanceof InventoryError &&
      err.problems.length === 1 &&
      err.problems[0]!.where === 'row 4002' &&
      /duplicate MAC 00562b000007 \(also row 9\)/.test(err.problems[0]!.message),
  );
  const broken = `${text}00562b00ffff,8841,"unclosed\n`;
  assert.throws(
    () => parseInventory(broken, 'inv.csv'),
    (err: unknown) =>
      err instanceof InventoryError &&
      err.problems.length === 1 &&
      /^not valid CSV/.test(err.problems[0]!.message),
  );
});

test('sniffInventoryFormat: JSON by its bracket, YAML by its first line, CSV otherwise', () => {
  assert.equal(sniffInventoryFormat('  [{"mac":"00562b043615"}]'), 'json');
  assert.equal(sniffInventoryFormat('\ufeff{"devices":[]}'), 'json');
  assert.equal(sniffInventoryFormat('- mac: 00562b043615\n  model: 8841\n'), 'yaml');
  assert.equal(sniffInventoryFormat('---\ndevices: []\n'), 'yaml');
  assert.equal(sniffInventoryFormat('devices:\n  - mac: 1\n'), 'yaml');
  assert.equal(sniffInventoryFormat('# fleet\n- mac: 1\n'), 'yaml');
  assert.equal(
    sniffInventoryFormat('mac,model,display_name\n00562b043615,8841,Reception\n'),
    'csv',
  );
  assert.equal(sniffInventoryFormat('mac;model\n'), 'csv');
});
