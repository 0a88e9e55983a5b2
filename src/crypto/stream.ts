/**
 * The envelope (gzip, then AES-256-CBC in OpenSSL `enc` format or RFC 8188 aes128gcm) as
 * streams: async iterables of byte chunks in, out. Memory stays at a chunk, an aes128gcm record
 * and zlib's window, whatever the size of the profile. The same bytes as sealProfile and the
 * same checks and errors as openProfile (envelope.ts), which stay the simple in-memory API.
 */
import { getBackend, randomSalt } from './backend.js';
import { concatBytes, joinBytes, toBytes, toHex } from './bytes.js';
import { detectContainer, isGzip, looksLikeProfilePlaintext, type Container } from './detect.js';
import { DEFAULT_MAX_SIZE, DecryptError, SizeLimitError } from './errors.js';
import { GUNZIPPED, gunzipStream, zlib } from './gzip.js';
import {
  DEFAULT_DERIVATIONS,
  HEADER_LENGTH,
  SALTED_MAGIC,
  SALT_LENGTH,
  decryptOpensslEnc,
  evpBytesToKey,
  pbkdf2KeyAndIv,
  type KeyDerivation,
} from './openssl-enc.js';
import { Aes128gcmDecoder, Aes128gcmEncoder, HEADER_BASE_LENGTH } from './aes128gcm.js';
import { XmlPlaintextCheck } from './plaintext-check.js';
import type { OpenOptions, OpenedProfile, SealOptions } from './envelope.js';

export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

type Stream = typeof import('node:stream');

function nodeStream(): Stream {
  const m = (
    globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined
  )?.getBuiltinModule?.('node:stream') as Stream | undefined;
  if (!m) throw new Error('streams need node:stream, which this runtime does not have');
  return m;
}

/** gzip (RFC 1952) of a stream. */
async function* gzipStream(source: ByteSource): AsyncGenerator<Uint8Array> {
  const { Readable, pipeline } = nodeStream();
  const deflater = zlib().createGzip();
  pipeline(Readable.from(source, { objectMode: false }), deflater, () => {});
  yield* deflater as AsyncIterable<Uint8Array>;
}

/** Base64 as `openssl enc -a` writes it (64 characters a line), of a stream. */
async function* base64Lines(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const LINE = 48; // bytes per 64-character line
  let rest: Uint8Array = new Uint8Array(0);
  const encode = (bytes: Uint8Array) =>
    toBytes(
      (
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
          .toString('base64')
          .match(/.{1,64}/g) ?? []
      )
        .map((l) => `${l}\n`)
        .join(''),
    );
  for await (const chunk of source) {
    const all = concatBytes(rest, chunk);
    const whole = all.length - (all.length % LINE);
    if (whole > 0) yield encode(all.subarray(0, whole));
    rest = all.slice(whole);
  }
  if (rest.length > 0) yield encode(rest);
}

/** Decodes `openssl enc -a` text as it streams (white space anywhere). */
async function* fromBase64Lines(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let rest = '';
  for await (const chunk of source) {
    const text =
      rest +
      Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
        .toString('latin1')
        .replace(/\s+/g, '');
    const whole = text.length - (text.length % 4);
    yield decodeBase64(text.slice(0, whole), false);
    rest = text.slice(whole);
  }
  yield decodeBase64(rest, true);
}

function decodeBase64(text: string, last: boolean): Uint8Array {
  const pattern = last
    ? /^[A-Za-z0-9+/]*={0,2}$/
    : /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  if (!pattern.test(text)) throw new DecryptError('bad-base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * gzip (optional) then encrypt a stream, as sealProfile does: the same bytes for the same salt,
 * however the input is split.
 * @example for await (const chunk of sealStream(createReadStream('p.xml'), { cipher: 'aes-256-cbc', passphrase })) out.write(chunk)
 */
export async function* sealStream(
  source: ByteSource,
  options: SealOptions,
): AsyncGenerator<Uint8Array> {
  const input: AsyncIterable<Uint8Array> = options.gzip ? gzipStream(source) : toAsync(source);
  if (options.cipher === 'aes-256-cbc') {
    if (options.passphrase === undefined) throw new TypeError('aes-256-cbc needs a passphrase');
    const cbc = cbcEncrypt(input, options.passphrase, options);
    yield* options.base64 ? base64Lines(cbc) : cbc;
    return;
  }
  if (options.cipher === 'aes128gcm') {
    if (options.ikm === undefined) throw new TypeError('aes128gcm needs an IKM');
    const encoder = new Aes128gcmEncoder(options.ikm, {
      ...(options.rs !== undefined ? { rs: options.rs } : {}),
      ...(options.keyid !== undefined ? { keyid: options.keyid } : {}),
      ...(options.pad !== undefined ? { pad: options.pad } : {}),
      ...(options.salt ? { salt: options.salt } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
    });
    for await (const chunk of input) {
      const out = encoder.update(chunk);
      if (out.length > 0) yield out;
    }
    yield encoder.final();
    return;
  }
  throw new TypeError(`"cipher" expected aes-256-cbc or aes128gcm, got ${String(options.cipher)}`);
}

async function* cbcEncrypt(
  input: AsyncIterable<Uint8Array>,
  passphrase: string | Uint8Array,
  options: SealOptions,
): AsyncGenerator<Uint8Array> {
  const salt = options.salt ?? randomSalt(SALT_LENGTH);
  if (salt.length !== SALT_LENGTH) {
    throw new RangeError(`"salt" expected ${SALT_LENGTH} bytes, got ${salt.length}`);
  }
  if (toBytes(passphrase).length === 0) throw new RangeError('"passphrase" expected, got empty');
  const { key, iv } = evpBytesToKey(options.md ?? 'md5', passphrase, salt, options.backend);
  const cipher = getBackend(options.backend).aes256CbcStream(key, iv, 'encrypt');
  yield concatBytes(SALTED_MAGIC, salt);
  for await (const chunk of input) {
    const out = cipher.update(chunk);
    if (out.length > 0) yield out;
  }
  yield cipher.final() as Uint8Array;
}

async function* toAsync(source: ByteSource): AsyncGenerator<Uint8Array> {
  yield* source;
}

/**
 * Reads a stream with look-ahead: `fill(n)` buffers until n bytes (or the end), `rest()` yields
 * the buffered bytes and then the remainder of the stream.
 */
class LookAhead {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private chunks: Uint8Array[] = [];
  private length = 0;
  ended = false;
  /** Bytes read from the source so far. */
  total = 0;

  constructor(source: ByteSource) {
    this.iterator = toAsync(source)[Symbol.asyncIterator]();
  }

  /** The first bytes, at least n of them unless the stream is shorter. */
  async fill(n: number): Promise<Uint8Array> {
    while (this.length < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) this.ended = true;
      else if (next.value.length > 0) {
        this.chunks.push(next.value);
        this.length += next.value.length;
        this.total += next.value.length;
      }
    }
    if (this.chunks.length > 1) this.chunks = [joinBytes(this.chunks)];
    return this.chunks[0] ?? new Uint8Array(0);
  }

  async *rest(): AsyncGenerator<Uint8Array> {
    const head = this.chunks.splice(0);
    this.length = 0;
    yield* head;
    for (;;) {
      const next = await this.iterator.next();
      if (next.done) break;
      this.total += next.value.length;
      yield next.value;
    }
  }
}

/** What a streamed open learned: filled in as the stream runs, complete once it has ended. */
export type StreamOpenInfo = Omit<OpenedProfile, 'plaintext' | 'container'> & {
  container: Container;
};

export interface OpenStreamOptions extends OpenOptions {
  /**
   * Called once the container is known from the first bytes, before any decryption: a caller
   * can refuse it (throw) with its own message — say, encrypted data without a key.
   */
  onContainer?: (container: Container) => void;
}

/** Look-ahead for choosing the AES-256-CBC key derivation and checking the first bytes. */
const HEAD = 64 * 1024;

/**
 * Detects, decrypts and gunzips a stream, with openProfile's checks: output is produced as the
 * input arrives, and any failure (a bad tag, bad padding, a plaintext that fails its check at
 * the end) is thrown from the iteration — so a consumer must treat what it received as void
 * unless the iteration completed. `info` is filled in as it goes.
 * @example const { chunks, info } = openStream(createReadStream('p.cfg'), { passphrase })
 * @throws DecryptError, SizeLimitError, TypeError as openProfile does
 */
export function openStream(
  source: ByteSource,
  options: OpenStreamOptions = {},
): { chunks: AsyncGenerator<Uint8Array>; info: StreamOpenInfo } {
  const info: StreamOpenInfo = {
    container: 'unknown',
    gzip: false,
    sizes: { input: 0, payload: 0, plaintext: 0 },
  };
  return { chunks: openStreamChunks(source, options, info), info };
}

async function* openStreamChunks(
  source: ByteSource,
  options: OpenStreamOptions,
  info: StreamOpenInfo,
): AsyncGenerator<Uint8Array> {
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  const backendOption = options.backend ? { backend: options.backend } : {};
  const reader = new LookAhead(source);
  const head = await reader.fill(HEAD);
  let container = detectContainer(head, options.ikm !== undefined);
  // With an IKM, data that starts like XML or gzip is aes128gcm if its first record opens.
  let fallback = false;
  if (options.ikm !== undefined && (container === 'plain' || container === 'gzip')) {
    const rs =
      head.length >= HEADER_BASE_LENGTH
        ? new DataView(head.buffer, head.byteOffset).getUint32(16)
        : 0;
    const firstRecord = HEADER_BASE_LENGTH + (head[20] ?? 0) + rs;
    const enough = await reader.fill(Math.min(firstRecord + 1, maxSize));
    if (firstOpens(enough, options.ikm, reader.ended, options)) container = 'aes128gcm';
    else fallback = true;
  }
  info.container = container;
  options.onContainer?.(container);

  let payload: AsyncIterable<Uint8Array>;
  let check: 'gzip' | 'xml' | 'text' | 'none' = 'none';
  switch (container) {
    case 'plain':
    case 'gzip':
      payload = reader.rest();
      if (fallback) check = container === 'plain' ? 'text' : 'gzip';
      break;
    case 'openssl-enc':
    case 'openssl-enc-base64': {
      if (options.passphrase === undefined) {
        throw new TypeError('the file is AES-256-CBC (OpenSSL enc): a passphrase is needed');
      }
      const binary = container === 'openssl-enc' ? reader.rest() : fromBase64Lines(reader.rest());
      payload = cbcDecrypt(binary, options.passphrase, options, info);
      if (!options.raw) check = options.plaintextCheck ?? 'xml'; // or gzip: decided below
      break;
    }
    case 'aes128gcm':
      payload = gcmDecrypt(
        reader.rest(),
        options.ikm as Uint8Array,
        { ...backendOption, maxRecord: maxSize },
        info,
      );
      break;
    case 'unknown':
      throw new DecryptError('not-xml-or-gzip');
  }

  // The payload's first bytes say whether it is gzip, and must look like a profile.
  const payloadReader = new LookAhead(payload);
  const first = await payloadReader.fill(1100);
  if (
    container !== 'plain' &&
    container !== 'gzip' &&
    !options.raw &&
    !looksLikeProfilePlaintext(first)
  ) {
    throw new DecryptError(container === 'aes128gcm' ? 'not-xml-or-gzip' : 'wrong-key');
  }
  const gzipPayload = isGzip(first);
  info.gzip = gzipPayload;
  if (gzipPayload && check !== 'none') check = 'gzip';
  const counted = count(payloadReader.rest(), (n) => (info.sizes.payload += n));

  let output: AsyncIterable<Uint8Array>;
  if (gzipPayload && options.gunzip !== false) {
    output = guardGzip(gunzipStream(counted, maxSize));
  } else if (check === 'gzip') {
    output = teeGunzipCheck(counted, maxSize);
  } else if (check === 'xml' || check === 'text') {
    output = xmlChecked(counted, check);
  } else {
    output = counted;
  }
  for await (const chunk of output) {
    info.sizes.plaintext += chunk.length;
    yield chunk;
  }
  info.sizes.input = reader.total;
}

/** Whether the first aes128gcm record (or the whole body, when that is all) opens with the IKM. */
function firstOpens(
  data: Uint8Array,
  ikm: Uint8Array,
  ended: boolean,
  options: OpenOptions,
): boolean {
  try {
    const decoder = new Aes128gcmDecoder(ikm, options.backend ? { backend: options.backend } : {});
    decoder.update(data);
    if (ended) decoder.final();
    else if (decoder.records === 0) return false;
    return true;
  } catch (err) {
    if (err instanceof DecryptError) return false;
    throw err;
  }
}

async function* count(
  source: AsyncIterable<Uint8Array>,
  add: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    add(chunk.length);
    yield chunk;
  }
}

/** zlib's errors (bad header, CRC, length, cut stream) as "bad decrypt". */
async function* guardGzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* source;
  } catch (err) {
    if (err instanceof SizeLimitError || err instanceof DecryptError) throw err;
    throw new DecryptError('bad-gzip');
  }
}

/** Passes a gzip payload through unchanged while checking that it gunzips (CRC, length). */
async function* teeGunzipCheck(
  source: AsyncIterable<Uint8Array>,
  maxSize: number,
): AsyncGenerator<Uint8Array> {
  const inflater = zlib().createGunzip();
  let out = 0;
  let failure: unknown;
  inflater.on('data', (chunk: Uint8Array) => {
    out += chunk.length;
    if (out > maxSize) inflater.destroy(new SizeLimitError(GUNZIPPED, maxSize));
  });
  const done = new Promise<void>((resolve) => {
    inflater.on('error', (err) => {
      failure = err;
      resolve();
    });
    inflater.on('end', () => resolve());
  });
  for await (const chunk of source) {
    if (failure) break;
    if (!inflater.write(chunk))
      await new Promise((r) => inflater.once('drain', r).once('error', r));
    yield chunk;
  }
  if (!failure) inflater.end();
  await done;
  if (failure instanceof SizeLimitError) throw failure;
  if (failure) throw new DecryptError('bad-gzip');
}

/** Passes a plaintext through while checking all of it (see plaintext-check.ts). */
async function* xmlChecked(
  source: AsyncIterable<Uint8Array>,
  check: 'xml' | 'text',
): AsyncGenerator<Uint8Array> {
  const checker = new XmlPlaintextCheck({ structure: check === 'xml' });
  for await (const chunk of source) {
    if (!checker.update(chunk)) throw new DecryptError('corrupt-plaintext');
    yield chunk;
  }
  if (!checker.finish()) throw new DecryptError('corrupt-plaintext');
}

function derivationsFor(options: OpenOptions): readonly KeyDerivation[] {
  if (options.pbkdf2) {
    const order = options.md ? [options.md] : (['sha256', 'md5'] as const);
    return order.map((md) => ({ kind: 'pbkdf2', md, iterations: options.pbkdf2!.iterations }));
  }
  return options.md ? [{ kind: 'evp', md: options.md }] : DEFAULT_DERIVATIONS;
}

/**
 * Whether the first 64 KiB of a file decrypted with a candidate key read as the start of a
 * profile: gzip's header, or text in which XmlPlaintextCheck finds nothing wrong so far. Its
 * first bytes alone (looksLikeProfilePlaintext: `<` and a letter, after any white space) passed
 * for a wrong key's noise about once in 300 files, and a file made with `-md sha256` then failed
 * as "bad decrypt" when md5 was tried first. Noise reads as 64 KiB of UTF-8 XML text with no
 * forbidden character practically never.
 */
function sampleReadsAsProfile(plaintext: Uint8Array, structure: boolean): boolean {
  if (!looksLikeProfilePlaintext(plaintext)) return false;
  return isGzip(plaintext) || new XmlPlaintextCheck({ structure }).update(plaintext);
}

/**
 * AES-256-CBC in OpenSSL `enc` format, streamed. The key derivation (md5, sha256, PBKDF2) is
 * chosen on the first 64 KiB: the one whose plaintext reads as the start of a profile
 * (sampleReadsAsProfile). A file no longer than that is opened whole by decryptOpensslEnc,
 * padding check included.
 */
async function* cbcDecrypt(
  source: AsyncIterable<Uint8Array>,
  passphrase: string | Uint8Array,
  options: OpenOptions,
  info: StreamOpenInfo,
): AsyncGenerator<Uint8Array> {
  const reader = new LookAhead(source);
  const head = await reader.fill(HEAD);
  const backend = getBackend(options.backend);
  const derivations = derivationsFor(options);
  const structure = (options.plaintextCheck ?? 'xml') === 'xml';
  if (reader.ended) {
    const accept = options.raw ? undefined : looksLikeProfilePlaintext;
    const r = decryptOpensslEnc(head, passphrase, {
      derivations,
      ...(accept ? { accept } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
    });
    info.derivation = r.derivation;
    info.salt = toHex(r.salt);
    yield r.plaintext;
    return;
  }
  if (!startsWithMagic(head)) throw new DecryptError('not-openssl-enc');
  const salt = head.slice(SALTED_MAGIC.length, HEADER_LENGTH);
  // Whole blocks of at most the look-ahead, less the last one: the look-ahead may hold the whole
  // file, and its last block ends in the padding, which no profile check would take for text.
  const blocks = Math.floor((Math.min(head.length, HEAD) - HEADER_LENGTH) / 16) - 1;
  const sample = head.subarray(HEADER_LENGTH, HEADER_LENGTH + Math.max(1, blocks) * 16);
  type Candidate = { derivation: KeyDerivation; key: Uint8Array; iv: Uint8Array };
  let chosen: Candidate | undefined;
  // The first whose first bytes look like a profile, taken when none reads as one: a file
  // whose own plaintext is corrupt is then reported as corrupt (the check of the whole
  // plaintext below), not as opened with a wrong key.
  let startsLikeOne: Candidate | undefined;
  for (const derivation of derivations) {
    const { key, iv } =
      derivation.kind === 'evp'
        ? evpBytesToKey(derivation.md, passphrase, salt, backend.name)
        : pbkdf2KeyAndIv(derivation.md, passphrase, salt, derivation.iterations, backend.name);
    const plaintext = backend.aes256CbcStream(key, iv, 'decrypt', false).update(sample);
    if (options.raw || sampleReadsAsProfile(plaintext, structure)) {
      chosen = { derivation, key, iv };
      break;
    }
    if (startsLikeOne === undefined && looksLikeProfilePlaintext(plaintext)) {
      startsLikeOne = { derivation, key, iv };
    }
  }
  chosen ??= startsLikeOne;
  if (!chosen) throw new DecryptError('wrong-key');
  info.derivation = chosen.derivation;
  info.salt = toHex(salt);
  const decipher = backend.aes256CbcStream(chosen.key, chosen.iv, 'decrypt');
  let skip = HEADER_LENGTH;
  for await (const chunk of reader.rest()) {
    const body = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
    skip -= chunk.length - body.length;
    const out = decipher.update(body);
    if (out.length > 0) yield out;
  }
  const last = decipher.final();
  if (!last) throw new DecryptError('wrong-key');
  if (last.length > 0) yield last;
}

function startsWithMagic(data: Uint8Array): boolean {
  return data.length >= HEADER_LENGTH && SALTED_MAGIC.every((b, i) => data[i] === b);
}

async function* gcmDecrypt(
  source: AsyncIterable<Uint8Array>,
  ikm: Uint8Array,
  options: { backend?: import('./backend.js').BackendName; maxRecord: number },
  info: StreamOpenInfo,
): AsyncGenerator<Uint8Array> {
  const decoder = new Aes128gcmDecoder(ikm, options);
  for await (const chunk of source) {
    const out = decoder.update(chunk);
    if (decoder.header && info.rs === undefined) {
      info.salt = toHex(decoder.header.salt);
      info.rs = decoder.header.rs;
      info.keyid = new TextDecoder().decode(decoder.header.keyid);
    }
    if (out.length > 0) yield out;
  }
  const last = decoder.final();
  if (decoder.header && info.rs === undefined) {
    info.salt = toHex(decoder.header.salt);
    info.rs = decoder.header.rs;
    info.keyid = new TextDecoder().decode(decoder.header.keyid);
  }
  info.records = decoder.records;
  if (last.length > 0) yield last;
}
