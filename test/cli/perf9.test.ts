/**
 * perf9 (issue 12): validate's output path, made cheaper, writes the same bytes.
 * - ChunkedStdout copies text and bytes into one chunk buffer and fills it again once its write
 *   has finished: pieces that straddle a chunk's end, pieces larger than a chunk, multi-byte
 *   UTF-8 (and a lone surrogate) and many chunks filled before any write ran must come out as
 *   the pieces one after the other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TS_IMPORT } from '../helpers/ts-import.js';

const WRITER = fileURLToPath(new URL('../../src/io/writer.ts', import.meta.url));

/**
 * A child process writes `pieces` through a ChunkedStdout of `chunkBytes` (a number piece is
 * that many bytes; `await` lets pending writes finish, so a spare chunk is filled again) and
 * returns its stdout.
 */
function chunkedOutput(chunkBytes: number, pieces: (string | number | 'await')[]): Buffer {
  const script = `
    const { ChunkedStdout } = await import(${JSON.stringify(WRITER)});
    const pieces = JSON.parse(process.argv[1]);
    const out = new ChunkedStdout(${chunkBytes});
    let n = 0;
    for (const piece of pieces) {
      if (piece === 'await') await new Promise((r) => setImmediate(r));
      else if (typeof piece === 'number') {
        const bytes = new Uint8Array(piece);
        for (let i = 0; i < piece; i++) bytes[i] = 97 + (n++ % 26);
        out.bytes(bytes);
      } else out.text(piece);
    }
    await out.end();
  `;
  const r = spawnSync(
    process.execPath,
    [...TS_IMPORT, '--input-type=module', '-e', script, JSON.stringify(pieces)],
    { maxBuffer: 1 << 26 },
  );
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

/** What the pieces are, one after the other. */
function expected(pieces: (string | number | 'await')[]): Buffer {
  let n = 0;
  const parts: Buffer[] = [];
  for (const piece of pieces) {
    if (piece === 'await') continue;
    if (typeof piece === 'number') {
      const bytes = Buffer.alloc(piece);
      for (let i = 0; i < piece; i++) bytes[i] = 97 + (n++ % 26);
      parts.push(bytes);
    } else parts.push(Buffer.from(piece));
  }
  return Buffer.concat(parts);
}

test('ChunkedStdout: pieces straddling, filling and exceeding a chunk come out in order', () => {
  const pieces: (string | number | 'await')[] = [];
  // Every size around the chunk's (16 bytes), text and bytes, ASCII and multi-byte.
  for (let size = 0; size <= 40; size++) {
    pieces.push(size);
    pieces.push('x'.repeat(size % 19));
    pieces.push('é€'.repeat(size % 7)); // 2 + 3 bytes per pair
    pieces.push(size % 5 === 0 ? '😀\ud800z' : '–…'); // 4 bytes, a lone surrogate (3), 'z'
    if (size % 9 === 0) pieces.push('await');
  }
  pieces.push('€'.repeat(6), 16, 'a'.repeat(16), '€'.repeat(5), 1, 'await', 15, 17, 'end\n');
  const out = chunkedOutput(16, pieces);
  assert.equal(out.length, expected(pieces).length);
  assert.ok(out.equals(expected(pieces)), 'the output differs from the pieces in order');
});

test('ChunkedStdout: a megabyte chunk filled many times before any write finishes', () => {
  // Synchronously, as a worker's batch of files arrives: every chunk but the last is written
  // later, by the promise chain; a chunk filled again too early would show in the output.
  const pieces: (string | number | 'await')[] = [];
  for (let i = 0; i < 400; i++) pieces.push(`{"file":"p${i}.xml","messages":[`, 4000 + i, '],\n');
  pieces.push('await');
  for (let i = 0; i < 300; i++) pieces.push(9000 + i, '–');
  const out = chunkedOutput(1 << 20, pieces);
  assert.ok(out.equals(expected(pieces)), 'the output differs from the pieces in order');
});
