/**
 * RFC 8188 "Encrypted Content-Encoding for HTTP", content coding `aes128gcm` — what a Cisco MPP
 * phone decrypts when the response carries `Content-Encoding: aes128gcm`, with the input keying
 * material (IKM) held in IKM_HTTP_Encrypt_Content.
 *
 * Header (RFC 8188 §2.1): salt (16) ‖ rs (uint32, big-endian) ‖ idlen (1) ‖ keyid (idlen).
 * Records (§2): each is AES-128-GCM(chunk ‖ delimiter ‖ zero padding) with its 16-byte tag, at
 * most rs bytes; every record but the last is exactly rs bytes; delimiter 0x01 on every record
 * but the last, 0x02 on the last. Keys (§2.2, §2.3): HKDF-SHA-256 with the header's salt.
 */
import { getBackend, randomSalt, type BackendName, type CryptoBackend } from './backend.js';
import { concatBytes, toBytes } from './bytes.js';
import { detectContainer } from './detect.js';
import { DecryptError, SizeLimitError } from './errors.js';

const SALT_LENGTH = 16;
const TAG_LENGTH = 16;
const KEY_LENGTH = 16;
const NONCE_LENGTH = 12;
/** salt ‖ rs ‖ idlen, before the keyid. */
export const HEADER_BASE_LENGTH = SALT_LENGTH + 4 + 1;
/**
 * RFC 8188 §2: a record holds at least one octet of data or delimiter beyond its tag.
 * @example encryptAes128gcm(plaintext, ikm, { rs: MIN_RS }) // one octet of data per record
 */
export const MIN_RS = TAG_LENGTH + 2;
const MAX_RS = 0xffffffff;
/**
 * The record size `encryptAes128gcm` uses when none is given (RFC 8188 §2.1 leaves it to the
 * sender).
 * @example readAes128gcmHeader(encryptAes128gcm(plaintext, ikm)).rs // DEFAULT_RS
 */
export const DEFAULT_RS = 4096;
const DELIMITER = 0x01;
const FINAL_DELIMITER = 0x02;

const CEK_INFO = new TextEncoder().encode('Content-Encoding: aes128gcm\0');
const NONCE_INFO = new TextEncoder().encode('Content-Encoding: nonce\0');

/**
 * An aes128gcm header (RFC 8188 §2.1): salt, record size, key id.
 * @example readAes128gcmHeader(body).rs // 4096
 */
export interface Aes128gcmHeader {
  salt: Uint8Array;
  rs: number;
  keyid: Uint8Array;
  /** Header length in bytes (21 + idlen): records start here. */
  length: number;
}

/**
 * Reads the header (RFC 8188 §2.1). Checks the buffer is long enough before reading each field,
 * and that rs read from the wire is at least 18.
 * @throws DecryptError ("bad decrypt")
 * @example // RFC 8188 §3.1 (the library exports it as readAes128gcmHeader):
 * const body = 'I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg';
 * readAes128gcmHeader(fromBase64url(body, 'body')) // rs 4096, empty keyid, length 21
 */
export function readHeader(body: Uint8Array): Aes128gcmHeader {
  if (body.length < HEADER_BASE_LENGTH) throw new DecryptError('header-too-short');
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  const rs = view.getUint32(SALT_LENGTH, false);
  const idlen = body[SALT_LENGTH + 4] as number;
  const length = HEADER_BASE_LENGTH + idlen;
  if (body.length < length) throw new DecryptError('header-too-short');
  if (rs < MIN_RS) throw new DecryptError('invalid-rs');
  return {
    salt: body.slice(0, SALT_LENGTH),
    rs,
    keyid: body.slice(HEADER_BASE_LENGTH, length),
    length,
  };
}

/** Writes the header (RFC 8188 §2.1). */
function writeHeader(salt: Uint8Array, rs: number, keyid: Uint8Array): Uint8Array {
  const header = new Uint8Array(HEADER_BASE_LENGTH + keyid.length);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(SALT_LENGTH, rs, false);
  header[SALT_LENGTH + 4] = keyid.length;
  header.set(keyid, HEADER_BASE_LENGTH);
  return header;
}

export interface KeyAndNonce {
  /** Content-encryption key (§2.2). */
  cek: Uint8Array;
  /** NONCE0 before the record sequence number is XORed in (§2.3). */
  nonceBase: Uint8Array;
}

/**
 * HKDF-SHA-256 (RFC 5869) with one output block, as RFC 8188 §2.2–2.3 use it:
 * PRK = HMAC(salt, IKM); CEK = HMAC(PRK, cek_info ‖ 0x01)[0..16);
 * NONCE0 = HMAC(PRK, nonce_info ‖ 0x01)[0..12).
 * @example // RFC 8188 §3.1: CEK _wniytB-ofscZDh4tbSjHw, NONCE Bcs8gkIRKLI8GeI8 (base64url)
 * const ikm = fromBase64url('yqdlZ-tYemfogSmv7Ws5PQ', 'ikm');
 * deriveKeyAndNonce(ikm, fromBase64url('I1BsxtFttlv3u_Oo94xnmw', 'salt'), getBackend())
 */
export function deriveKeyAndNonce(
  ikm: Uint8Array,
  salt: Uint8Array,
  backend: CryptoBackend,
): KeyAndNonce {
  const prk = backend.hmacSha256(salt, ikm);
  const one = Uint8Array.of(1);
  return {
    cek: backend.hmacSha256(prk, concatBytes(CEK_INFO, one)).slice(0, KEY_LENGTH),
    nonceBase: backend.hmacSha256(prk, concatBytes(NONCE_INFO, one)).slice(0, NONCE_LENGTH),
  };
}

/**
 * The nonce of record `seq` (§2.3): NONCE0 XOR seq as a 96-bit big-endian integer. Plain
 * arithmetic, not 32-bit bitwise operators: seq may exceed 2^32.
 * @example generateNonce(nonceBase, 0) // nonceBase itself
 * toHex(generateNonce(new Uint8Array(12), 2 ** 32)) // '000000000000000100000000'
 */
export function generateNonce(nonceBase: Uint8Array, seq: number): Uint8Array {
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new RangeError(`"seq" expected a non-negative safe integer, got ${seq}`);
  }
  // A copy, never a view: Buffer#slice shares memory, and NONCE0 must stay intact.
  const nonce = new Uint8Array(nonceBase);
  let rest = seq;
  for (let i = NONCE_LENGTH - 1; i >= 0 && rest > 0; i--) {
    nonce[i] = (nonce[i] as number) ^ (rest % 256);
    rest = Math.floor(rest / 256);
  }
  return nonce;
}

/**
 * A random salt whose header does not look like another container. aes128gcm has no magic
 * bytes, so a reader tells it from plain XML, gzip or OpenSSL `enc` by what it is not: about one
 * random salt in 1,200 starts like XML (`<` and a letter), one in 65,536 like gzip. Such a salt is
 * drawn again (the header then carries 127.99 rather than 128 bits of randomness); salts given by
 * the caller are used as they are.
 * @param random the CSPRNG (injectable for tests)
 */
export function drawSalt(
  rs: number,
  keyid: Uint8Array,
  random: (length: number) => Uint8Array = randomSalt,
): Uint8Array {
  for (;;) {
    const salt = random(SALT_LENGTH);
    if (detectContainer(writeHeader(salt, rs, keyid)) === 'unknown') return salt;
  }
}

/**
 * Options of encryptAes128gcm (RFC 8188 §2.1: salt, rs, keyid; §2: padding).
 * @example encryptAes128gcm(xmlBytes, ikm, { rs: 4096, keyid: 'site-1', pad: 16 })
 */
export interface Aes128gcmEncryptOptions {
  /** 16-byte salt; random when absent. Fix it only for reproducible tests. */
  salt?: Uint8Array;
  /** Record size, 18 … 2^32−1; default 4096. */
  rs?: number;
  /** Key id (UTF-8 text or bytes, ≤ 255 bytes); default empty. */
  keyid?: string | Uint8Array;
  /** Total padding bytes to add; default 0. */
  pad?: number;
  backend?: BackendName;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`"${name}" expected an integer ${min}..${max}, got ${value}`);
  }
}

/**
 * Encrypts a body with the aes128gcm content coding (RFC 8188 §2).
 * Padding goes first, record by record, leaving each record at least one data byte while data
 * remains (this reproduces the RFC's §3.2 example byte for byte).
 * @example encryptAes128gcm(xmlBytes, ikm, { rs: 4096 })
 */
export function encryptAes128gcm(
  plaintext: Uint8Array,
  ikm: Uint8Array,
  options: Aes128gcmEncryptOptions = {},
): Uint8Array {
  const rs = options.rs ?? DEFAULT_RS;
  checkInteger('rs', rs, MIN_RS, MAX_RS);
  const pad = options.pad ?? 0;
  checkInteger('pad', pad, 0, Number.MAX_SAFE_INTEGER);
  const keyid = toBytes(options.keyid ?? '');
  checkInteger('keyid length', keyid.length, 0, 255);
  if (ikm.length === 0) throw new RangeError('"ikm" expected at least 1 byte, got 0');
  const salt = options.salt ?? drawSalt(rs, keyid);
  checkInteger('salt length', salt.length, SALT_LENGTH, SALT_LENGTH);

  const backend = getBackend(options.backend);
  const { cek, nonceBase } = deriveKeyAndNonce(ikm, salt, backend);
  // Room in a record for data and padding, beside the delimiter and the tag.
  const capacity = rs - TAG_LENGTH - 1;
  // Padding is spread first, so the record count follows from data + padding.
  const records = Math.max(1, Math.ceil((plaintext.length + pad) / capacity));
  const header = writeHeader(salt, rs, keyid);
  const out = new Uint8Array(header.length + plaintext.length + pad + records * (TAG_LENGTH + 1));
  out.set(header, 0);
  let at = header.length;
  let offset = 0;
  let padLeft = pad;
  for (let seq = 0; ; seq++) {
    const dataLeft = plaintext.length - offset;
    const padHere = Math.min(padLeft, capacity - (dataLeft > 0 ? 1 : 0));
    const dataHere = Math.min(dataLeft, capacity - padHere);
    const last = dataHere === dataLeft && padHere === padLeft;
    // delimiter ‖ zero padding (RFC 8188 §2)
    const trailer = new Uint8Array(1 + padHere);
    trailer[0] = last ? FINAL_DELIMITER : DELIMITER;
    const data = plaintext.subarray(offset, offset + dataHere);
    backend.aes128GcmSeal(cek, generateNonce(nonceBase, seq), data, trailer, out, at);
    at += dataHere + trailer.length + TAG_LENGTH;
    offset += dataHere;
    padLeft -= padHere;
    if (last) break;
  }
  if (at !== out.length) throw new Error(`aes128gcm: wrote ${at} bytes, expected ${out.length}`);
  return out;
}

/**
 * What decryptAes128gcm returns: the plaintext, the header read, and how many records there were.
 * @example const { plaintext, header, records } = decryptAes128gcm(body, ikm);
 * // header.rs, header.keyid
 */
export interface Aes128gcmDecryptResult {
  plaintext: Uint8Array;
  header: Aes128gcmHeader;
  records: number;
}

/** Removes padding and the delimiter from a decrypted record (RFC 8188 §2). */
function unpad(record: Uint8Array, isLast: boolean): Uint8Array {
  let i = record.length - 1;
  while (i >= 0 && record[i] === 0) i--;
  if (i < 0) throw new DecryptError('zero-plaintext');
  const delimiter = record[i];
  if (delimiter === FINAL_DELIMITER && isLast) return record.subarray(0, i);
  if (delimiter === DELIMITER && !isLast) return record.subarray(0, i);
  // A 0x01 on the final record means the body was cut at a record boundary.
  throw new DecryptError(delimiter === DELIMITER ? 'missing-final-record' : 'bad-delimiter');
}

/**
 * Decrypts an aes128gcm body (RFC 8188 §2). Rejects a short header, rs < 18, a record shorter
 * than a tag plus one byte, a bad tag, an all-zero record, a wrong delimiter and a truncated
 * body (no 0x02 record).
 * @throws DecryptError ("bad decrypt")
 * @example // RFC 8188 §3.1
 * const body = 'I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg';
 * const ikm = fromBase64url('yqdlZ-tYemfogSmv7Ws5PQ', 'ikm');
 * decryptAes128gcm(fromBase64url(body, 'body'), ikm).plaintext // the bytes of 'I am the walrus'
 */
export function decryptAes128gcm(
  body: Uint8Array,
  ikm: Uint8Array,
  options: { backend?: BackendName } = {},
): Aes128gcmDecryptResult {
  const header = readHeader(body);
  const backend = getBackend(options.backend);
  const { cek, nonceBase } = deriveKeyAndNonce(ikm, header.salt, backend);
  let offset = header.length;
  if (offset >= body.length) throw new DecryptError('missing-final-record');
  // Every record's plaintext is shorter than the record: one buffer holds them all, written in
  // place (no list of records to join: a body of 200,000 records is fine).
  const plaintext = new Uint8Array(body.length - offset);
  let at = 0;
  let seq = 0;
  while (offset < body.length) {
    const end = Math.min(offset + header.rs, body.length);
    const sealed = body.subarray(offset, end);
    if (sealed.length <= TAG_LENGTH) throw new DecryptError('short-record');
    const record = backend.aes128GcmDecrypt(cek, generateNonce(nonceBase, seq), sealed);
    if (!record) throw new DecryptError('bad-tag');
    const data = unpad(record, end === body.length);
    plaintext.set(data, at);
    at += data.length;
    offset = end;
    seq++;
  }
  return { plaintext: plaintext.subarray(0, at), header, records: seq };
}

/**
 * aes128gcm fed in pieces, for streams: the same bytes as {@link encryptAes128gcm} however the
 * input is split. A record is sealed as soon as more data than it holds has arrived (so it is
 * known not to be the last, RFC 8188 §2: delimiter 0x01); final() seals the rest (0x02).
 * @example const enc = new Aes128gcmEncoder(ikm); out.write(enc.update(a)); out.write(enc.final())
 */
export class Aes128gcmEncoder {
  /** The header (RFC 8188 §2.1); written before the first record. */
  readonly header: Uint8Array;
  private readonly rs: number;
  private readonly cek: Uint8Array;
  private readonly nonceBase: Uint8Array;
  private readonly backend: CryptoBackend;
  private headerSent = false;
  private pending: Uint8Array = new Uint8Array(0);
  private padLeft: number;
  private seq = 0;
  private done = false;

  constructor(ikm: Uint8Array, options: Aes128gcmEncryptOptions = {}) {
    this.rs = options.rs ?? DEFAULT_RS;
    checkInteger('rs', this.rs, MIN_RS, MAX_RS);
    this.padLeft = options.pad ?? 0;
    checkInteger('pad', this.padLeft, 0, Number.MAX_SAFE_INTEGER);
    const keyid = toBytes(options.keyid ?? '');
    checkInteger('keyid length', keyid.length, 0, 255);
    if (ikm.length === 0) throw new RangeError('"ikm" expected at least 1 byte, got 0');
    const salt = options.salt ?? drawSalt(this.rs, keyid);
    checkInteger('salt length', salt.length, SALT_LENGTH, SALT_LENGTH);
    this.backend = getBackend(options.backend);
    ({ cek: this.cek, nonceBase: this.nonceBase } = deriveKeyAndNonce(ikm, salt, this.backend));
    this.header = writeHeader(salt, this.rs, keyid);
  }

  /** Seals every record known not to be the last; returns them (after the header, at first). */
  update(data: Uint8Array): Uint8Array {
    if (this.done) throw new Error('aes128gcm: update() after final()');
    // pending ‖ data, read without joining them: only a record that spans both is copied.
    const all = joined(this.pending, data);
    const capacity = this.rs - TAG_LENGTH - 1;
    // Non-final records: padding first (as encryptAes128gcm), at least one data byte each.
    let offset = 0;
    let records = 0;
    let padLeft = this.padLeft;
    for (;;) {
      const padHere = Math.min(padLeft, capacity - 1);
      if (all.length - offset <= capacity - padHere) break;
      offset += capacity - padHere;
      padLeft -= padHere;
      records++;
    }
    const head = this.headerSent ? 0 : this.header.length;
    const out = new Uint8Array(head + records * this.rs);
    if (head) out.set(this.header, 0);
    this.headerSent = true;
    let at = head;
    offset = 0;
    for (let r = 0; r < records; r++) {
      const padHere = Math.min(this.padLeft, capacity - 1);
      const dataHere = capacity - padHere;
      const trailer = new Uint8Array(1 + padHere);
      trailer[0] = DELIMITER;
      const nonce = generateNonce(this.nonceBase, this.seq++);
      this.backend.aes128GcmSeal(
        this.cek,
        nonce,
        all.subarray(offset, offset + dataHere),
        trailer,
        out,
        at,
      );
      at += this.rs;
      offset += dataHere;
      this.padLeft -= padHere;
    }
    // A copy: the caller may reuse the buffer it passed in.
    this.pending = all.copy(offset);
    return out;
  }

  /** Seals what is left as the last record(s). */
  final(): Uint8Array {
    if (this.done) throw new Error('aes128gcm: final() called twice');
    this.done = true;
    const plaintext = this.pending;
    const capacity = this.rs - TAG_LENGTH - 1;
    const records = Math.max(1, Math.ceil((plaintext.length + this.padLeft) / capacity));
    const head = this.headerSent ? 0 : this.header.length;
    const out = new Uint8Array(head + plaintext.length + this.padLeft + records * (TAG_LENGTH + 1));
    if (head) out.set(this.header, 0);
    let at = head;
    let offset = 0;
    for (;;) {
      const dataLeft = plaintext.length - offset;
      const padHere = Math.min(this.padLeft, capacity - (dataLeft > 0 ? 1 : 0));
      const dataHere = Math.min(dataLeft, capacity - padHere);
      const last = dataHere === dataLeft && padHere === this.padLeft;
      const trailer = new Uint8Array(1 + padHere);
      trailer[0] = last ? FINAL_DELIMITER : DELIMITER;
      const nonce = generateNonce(this.nonceBase, this.seq++);
      this.backend.aes128GcmSeal(
        this.cek,
        nonce,
        plaintext.subarray(offset, offset + dataHere),
        trailer,
        out,
        at,
      );
      at += dataHere + trailer.length + TAG_LENGTH;
      offset += dataHere;
      this.padLeft -= padHere;
      if (last) break;
    }
    this.pending = new Uint8Array(0);
    return out.subarray(0, at);
  }
}

/**
 * aes128gcm opened in pieces, for streams. A record's plaintext is returned only after its tag
 * verified; a record is known to be the last only when the input ends, so one record is kept
 * back until final(). Memory: one record (rs bytes) plus the piece being fed.
 * @throws DecryptError ("bad decrypt") from update() or final()
 * @throws SizeLimitError when a record on the wire is longer than `maxRecord` (it is held whole)
 */
export class Aes128gcmDecoder {
  header: Aes128gcmHeader | undefined;
  records = 0;
  private pending: Uint8Array = new Uint8Array(0);
  private keys: KeyAndNonce | undefined;
  private readonly backend: CryptoBackend;

  constructor(
    private readonly ikm: Uint8Array,
    options: { backend?: BackendName; maxRecord?: number } = {},
  ) {
    this.backend = getBackend(options.backend);
    this.maxRecord = options.maxRecord ?? MAX_RS;
  }

  private readonly maxRecord: number;

  update(data: Uint8Array): Uint8Array {
    let all = joined(this.pending, data);
    let offset = 0;
    if (!this.header) {
      const bytes = all.copy(0);
      all = joined(new Uint8Array(0), bytes);
      if (
        bytes.length < HEADER_BASE_LENGTH ||
        bytes.length < HEADER_BASE_LENGTH + (bytes[SALT_LENGTH + 4] as number)
      ) {
        this.pending = bytes;
        return new Uint8Array(0);
      }
      this.header = readHeader(bytes);
      this.keys = deriveKeyAndNonce(this.ikm, this.header.salt, this.backend);
      offset = this.header.length;
    }
    const rs = this.header.rs;
    // The record being read is min(rs, what is left) bytes: past maxRecord only when both are.
    // rs alone says nothing — RFC 8188 allows up to 2^32 - 1, and a body sent as one short record
    // under a huge rs (http_ece opens it) must open here too.
    if (rs > this.maxRecord && all.length - offset > this.maxRecord) {
      throw new SizeLimitError('an aes128gcm record', this.maxRecord);
    }
    const records = Math.max(0, Math.ceil((all.length - offset - rs) / rs));
    const out = new Uint8Array(records * rs);
    let at = 0;
    for (let r = 0; r < records; r++) {
      at += this.open(all.subarray(offset, offset + rs), false, out, at);
      offset += rs;
    }
    this.pending = all.copy(offset);
    return out.subarray(0, at);
  }

  final(): Uint8Array {
    if (!this.header) throw new DecryptError('header-too-short');
    const rest = this.pending;
    this.pending = new Uint8Array(0);
    if (rest.length === 0) throw new DecryptError('missing-final-record');
    const out = new Uint8Array(rest.length);
    return out.subarray(0, this.open(rest, true, out, 0));
  }

  /** Opens one record into `out` at `at`; returns its plaintext length. */
  private open(sealed: Uint8Array, isLast: boolean, out: Uint8Array, at: number): number {
    if (sealed.length <= TAG_LENGTH) throw new DecryptError('short-record');
    const keys = this.keys as KeyAndNonce;
    const record = this.backend.aes128GcmDecrypt(
      keys.cek,
      generateNonce(keys.nonceBase, this.records),
      sealed,
    );
    if (!record) throw new DecryptError('bad-tag');
    const data = unpad(record, isLast);
    out.set(data, at);
    this.records++;
    return data.length;
  }
}

/** Two byte arrays read as one, without joining them (see Aes128gcmEncoder#update). */
interface Joined {
  readonly length: number;
  /** Bytes [from, to): a view when they lie in one part, a copy when they span both. */
  subarray(from: number, to: number): Uint8Array;
  /** A copy of bytes [from, length). */
  copy(from: number): Uint8Array;
}

function joined(first: Uint8Array, second: Uint8Array): Joined {
  const split = first.length;
  const subarray = (from: number, to: number): Uint8Array =>
    to <= split
      ? first.subarray(from, to)
      : from >= split
        ? second.subarray(from - split, to - split)
        : concatBytes(first.subarray(from), second.subarray(0, to - split));
  return {
    length: split + second.length,
    subarray,
    copy: (from) => new Uint8Array(subarray(from, split + second.length)),
  };
}
