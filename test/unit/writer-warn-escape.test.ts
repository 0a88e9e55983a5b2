// warn() and note() show what a file name or a field would make the terminal do as escapes, as
// failure lines do (src/output/failure.ts): a report file named with ESC in drift's "is not in
// the inventory" warning must not clear the screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { note, warn } from '../../src/io/writer.js';

function captured(fn: () => void): string {
  const chunks: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stderr.write = original;
  }
  return chunks.join('');
}

test('warn and note escape control and bidi characters, keep their own newlines', () => {
  const w = captured(() =>
    warn('reports/\u001b[2Jx\u202e.xml is not in the inventory\nsecond line'),
  );
  assert.equal(
    w,
    'cisco-prov: warning: reports/\\x1b[2Jx\\u202e.xml is not in the inventory\nsecond line\n',
  );
  const n = captured(() => note('serve: listening on \u0007http://127.0.0.1:8080'));
  assert.equal(n, 'cisco-prov: serve: listening on \\x07http://127.0.0.1:8080\n');
});
