// The one-shot path's synchronous pieces (src/cli-oneshot.ts): a small input read whole
// (src/io/sync-io.ts readInputUpTo), sealed whole (src/commands/encrypt.ts sealWhole), and the
// hand-over of a larger or endless input to the streamed path with the bytes read so far. Each
// against what the streamed path gives for the same input and options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encrypt, sealOptions, sealWhole, WHOLE_INPUT_LIMIT } from '../../src/commands/encrypt.js';
import { isCliError } from '../../src/errors.js';
import { CHUNK_SIZE, openedFileChunks } from '../../src/io/streams.js';
import { readInputUpTo } from '../../src/io/sync-io.js';

const PASS = 'sync path passphrase';
const PROFILE = '<flat-profile>\n  <GPP_A ua="na">sync</GPP_A>\n</flat-profile>\n';

function withDir(body: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cisco-prov-sync-'));
  return Promise.resolve(body(dir)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

async function collect(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** The thrown CliError's exit code and message (the test fails on anything else). */
function cliFailure(run: () => unknown): { exitCode: number; message: string } {
  try {
    run();
  } catch (err) {
    assert.ok(isCliError(err), `a CliError, got ${String(err)}`);
    return { exitCode: err.exitCode, message: err.message };
  }
  assert.fail('expected a CliError');
}

test('readInputUpTo: a file that ends within the limit comes back whole, at the limit too', () =>
  withDir((dir) => {
    for (const size of [0, 1, 30 * 1024, 4096, 4097]) {
      const path = join(dir, `f${size}`);
      const data = Buffer.alloc(size, 0x61 + (size % 26));
      writeFileSync(path, data);
      const read = readInputUpTo(path, 4096);
      if (size > 4096) {
        assert.ok(!(read instanceof Uint8Array), `${size}: over the limit, handed over`);
        continue;
      }
      assert.ok(read instanceof Uint8Array, `${size}: whole`);
      assert.deepEqual(Buffer.from(read), data);
    }
  }));

test('readInputUpTo: across its first 64 KiB buffer (read on into one of the limit), whole or handed over', () =>
  withDir((dir) => {
    for (const [size, limit] of [
      [65535, WHOLE_INPUT_LIMIT],
      [65536, WHOLE_INPUT_LIMIT],
      [65537, WHOLE_INPUT_LIMIT],
      [300_001, WHOLE_INPUT_LIMIT],
      [WHOLE_INPUT_LIMIT, WHOLE_INPUT_LIMIT],
      [100_000, 100_000],
      [100_001, 100_000],
      [150_000, 100_000],
    ] as const) {
      const path = join(dir, `g${size}-${limit}`);
      const data = Buffer.from(Array.from({ length: size }, (_, i) => (i * 13) % 251));
      writeFileSync(path, data);
      const read = readInputUpTo(path, limit);
      if (size > limit) {
        assert.ok(!(read instanceof Uint8Array), `${size}: over the limit, handed over`);
        assert.deepEqual(Buffer.from(read.head), data.subarray(0, limit + 1), `${size}: its head`);
        closeSync(read.fd);
        continue;
      }
      assert.ok(read instanceof Uint8Array, `${size}: whole`);
      assert.deepEqual(Buffer.from(read), data);
    }
  }));

test('readInputUpTo: over the limit, the bytes read and the rest stream back as the file', () =>
  withDir(async (dir) => {
    const path = join(dir, 'big');
    const data = Buffer.from(Array.from({ length: 3 * 4096 + 17 }, (_, i) => (i * 7) % 251));
    writeFileSync(path, data);
    const read = readInputUpTo(path, 4096);
    assert.ok(!(read instanceof Uint8Array));
    assert.equal(read.head.length, 4097, 'limit + 1 bytes read: the file did not end within it');
    assert.deepEqual(await collect(openedFileChunks(read)), data);
  }));

test('readInputUpTo: what cannot be read is one line naming the file, exit 3', () =>
  withDir((dir) => {
    mkdirSync(join(dir, 'a-dir'));
    assert.deepEqual(
      cliFailure(() => readInputUpTo(join(dir, 'missing.xml'), 4096)),
      {
        exitCode: 3,
        message: `cannot read ${join(dir, 'missing.xml')}: no such file or directory`,
      },
    );
    assert.deepEqual(
      cliFailure(() => readInputUpTo(join(dir, 'a-dir'), 4096)),
      {
        exitCode: 3,
        message: `cannot read ${join(dir, 'a-dir')}: is a directory`,
      },
    );
  }));

test('readInputUpTo: a FIFO that ends within the limit is read whole; one that does not is handed over', () =>
  withDir(async (dir) => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const size of [100, 9000]) {
      const data = Buffer.alloc(size, 0x41);
      // The writer, started first: this process blocks opening the FIFO until it opens it.
      const child = spawn('sh', ['-c', `head -c ${size} /dev/zero | tr '\\0' A > "$1"`, '_', fifo]);
      const writer = new Promise((resolve) => child.on('close', resolve));
      const read = readInputUpTo(fifo, 4096);
      const got =
        read instanceof Uint8Array ? Buffer.from(read) : await collect(openedFileChunks(read));
      await writer;
      assert.equal(read instanceof Uint8Array, size <= 4096, `${size} bytes`);
      assert.deepEqual(got, data);
    }
  }));

/** Every option set the one-shot path takes, as its options object (src/cli-oneshot.ts). */
const OPTION_SETS = [
  { key: PASS, salt: '0011223344556677' },
  { key: PASS, salt: '0011223344556677', md: 'sha256' as const },
  { key: PASS, salt: '0011223344556677', gzip: true },
  { key: PASS, salt: '0011223344556677', base64: true },
  { key: PASS, salt: '0011223344556677', gzip: true, base64: true },
  {
    ikm: 'hex:000102030405060708090a0b0c0d0e0f',
    salt: '00112233445566778899aabbccddeeff',
    unsafeFixedSalt: true,
    rs: 64,
  },
  {
    ikm: 'sync IKM text',
    cipher: 'aes128gcm' as const,
    salt: '00112233445566778899aabbccddeeff',
    unsafeFixedSalt: true,
    gzip: true,
    pad: 3,
  },
];

test('sealWhole gives the streamed bytes for every option set, and for an empty input allowed', () =>
  withDir(async (dir) => {
    const inputs = {
      profile: Buffer.from(PROFILE),
      '70 KB': Buffer.from(PROFILE.repeat(1500)),
      empty: Buffer.alloc(0),
    };
    for (const [name, data] of Object.entries(inputs)) {
      const path = join(dir, `${name}.xml`);
      writeFileSync(path, data);
      for (const set of OPTION_SETS) {
        const opts = { md: 'md5' as const, allowEmpty: true, ...set };
        const streamed = await collect((await encrypt(path, opts)).chunks);
        const whole = Buffer.concat(sealWhole(data, path, sealOptions(opts).options, true));
        assert.deepEqual(whole, streamed, `${name}, ${JSON.stringify(set)}`);
      }
    }
  }));

test('sealWhole refuses an empty input as the streamed path does (exit 1, the same words)', async () => {
  const opts = { key: PASS, md: 'md5' as const };
  const whole = cliFailure(() => sealWhole(new Uint8Array(0), 'e.xml', sealOptions(opts).options));
  await withDir(async (dir) => {
    writeFileSync(join(dir, 'e.xml'), '');
    let streamed: unknown;
    try {
      await encrypt(join(dir, 'e.xml'), opts);
    } catch (err) {
      streamed = err;
    }
    assert.ok(isCliError(streamed));
    assert.equal(whole.exitCode, 1);
    assert.equal(whole.exitCode, streamed.exitCode);
    assert.equal(whole.message, 'e.xml: empty input (0 bytes): nothing to encrypt');
    assert.equal(
      whole.message.replace('e.xml', join(dir, 'e.xml')),
      streamed.message,
      'the same message, naming the input',
    );
  });
});

test('the limit is the chunk the streamed path reads: memory is the same either way', () => {
  assert.equal(WHOLE_INPUT_LIMIT, CHUNK_SIZE);
});
