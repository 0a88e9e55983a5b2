/**
 * Crypto property driver: for random plaintexts and keys, both ciphers and every option
 * (gzip, base64, md, rs, pad, keyid, backend), one-shot and streamed, split at random:
 *   - decrypt(encrypt(x)) == x, whichever of the four seal/open pairs;
 *   - one bit changed anywhere past the header: aes128gcm never opens (the tag), AES-256-CBC
 *     never opens to anything but x with its plaintext check on (a changed profile would be
 *     XML the phone reads), and both fail only with DecryptError("bad decrypt");
 *   - no error message carries the key or the IKM.
 * Usage: node --import tsx test/fuzz/crypto.ts   Env: FUZZ_SEED (9), FUZZ_EXECS (200).
 */
import {
  DecryptError,
  openProfile,
  sealProfile,
  type OpenOptions,
  type SealOptions,
} from '../../src/crypto/index.js';
import { openStream, sealStream } from '../../src/crypto/stream.js';
// Registers the pure-JS backend (the library's entry does so on import).
import '../../src/crypto/backend-noble.js';
import { Rng, utf8 } from './lib.js';

const seed = Number(process.env.FUZZ_SEED ?? 9);
const execs = Number(process.env.FUZZ_EXECS ?? 200);
const rng = new Rng(seed);

function plaintext(): Uint8Array {
  // An XML profile (what the plaintext check passes) with random text, sometimes large.
  const n = rng.pick([0, 1, 5, 50, 500, 5000, 70_000]);
  let body = '';
  const alphabet = 'abcXYZ019 _-.&<>"\'\u00e9\u20ac\u{1F600}';
  const chars = [...alphabet];
  for (let i = 0; i < n; i++) body += rng.pick(chars);
  const esc = body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return utf8(`<flat-profile><Station_Name ua="na">${esc}</Station_Name></flat-profile>\n`);
}

function secret(): string {
  const n = 1 + rng.int(64);
  const chars = [...'abcdefXYZ0123456789!$%&*()[]{}-_=+;:,.<>/?~ \u00e9\u{1F511}'];
  let s = '';
  for (let i = 0; i < n; i++) s += rng.pick(chars);
  // A passphrase is one line of a key file: no leading/trailing space to lose.
  return `K${s.trim()}K`;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

/** The bytes as a stream of random-sized chunks. */
async function* split(data: Uint8Array): AsyncGenerator<Uint8Array> {
  let at = 0;
  while (at < data.length) {
    const n = 1 + rng.int(rng.pick([1, 7, 100, 5000, 100_000]));
    yield data.subarray(at, at + n);
    at += n;
  }
}

const findings: string[] = [];
function finding(what: string): void {
  if (findings.length < 20) console.log(`  FINDING ${what}`);
  findings.push(what);
}

let roundTrips = 0;
let tampered = 0;
let cbcOpened = 0;
for (let i = 0; i < execs; i++) {
  const x = plaintext();
  const gcm = rng.chance(0.5);
  const pass = secret();
  const ikm = utf8(secret());
  const seal: SealOptions = gcm
    ? {
        cipher: 'aes128gcm',
        ikm,
        rs: rng.pick([18, 19, 64, 4096, 100_000]),
        pad: rng.pick([0, 0, 1, 17]),
        keyid: rng.pick(['', 'k', 'x'.repeat(255)]),
        gzip: rng.chance(0.3),
        backend: rng.pick(['node', 'noble'] as const),
      }
    : {
        cipher: 'aes-256-cbc',
        passphrase: pass,
        md: rng.pick(['md5', 'sha256'] as const),
        base64: rng.chance(0.3),
        gzip: rng.chance(0.3),
        backend: rng.pick(['node', 'noble'] as const),
      };
  const open: OpenOptions = gcm ? { ikm } : { passphrase: pass };
  const label = `${seal.cipher}${seal.gzip ? '+gzip' : ''} ${x.length} B`;
  let sealed: Uint8Array;
  try {
    sealed = rng.chance(0.5) ? sealProfile(x, seal) : await collect(sealStream(split(x), seal));
  } catch (err) {
    // aes128gcm refuses a record size too small for its padding; anything else is a finding.
    if (!(err instanceof RangeError)) finding(`${label}: seal threw ${String(err)}`);
    continue;
  }
  for (const how of ['one-shot', 'stream'] as const) {
    try {
      const opened =
        how === 'one-shot'
          ? openProfile(sealed, open).plaintext
          : await collect(openStream(split(sealed), open).chunks);
      if (Buffer.compare(opened, x) !== 0) finding(`${label}: ${how} round trip differs`);
      roundTrips++;
    } catch (err) {
      finding(`${label}: ${how} round trip threw ${String(err)}`);
    }
  }
  // One bit flipped past the header (16 bytes CBC, 21 + keyid GCM; base64: a character).
  const header = gcm ? 21 + (seal.keyid as string).length : seal.base64 ? 24 : 16;
  if (sealed.length <= header) continue;
  const changed = new Uint8Array(sealed);
  const at = header + rng.int(sealed.length - header);
  changed[at] = (changed[at] as number) ^ (1 << rng.int(8));
  if (seal.base64 && /[^A-Za-z0-9+/=\n]/.test(String.fromCharCode(changed[at] as number))) {
    continue; // not base64 any more: a different test
  }
  tampered++;
  for (const how of ['one-shot', 'stream'] as const) {
    try {
      const opened =
        how === 'one-shot'
          ? openProfile(changed, open).plaintext
          : await collect(openStream(split(changed), open).chunks);
      if (gcm) finding(`${label}: a changed aes128gcm file opened (${how}, byte ${at})`);
      else if (Buffer.compare(opened, x) !== 0) {
        finding(`${label}: a changed CBC file opened to other text (${how}, byte ${at})`);
      } else cbcOpened++;
    } catch (err) {
      if (!(err instanceof DecryptError) || err.message !== 'bad decrypt') {
        finding(`${label}: tamper (${how}) threw ${String(err)}`);
      }
      const text = String((err as Error).message);
      if (text.includes(pass) || text.includes(new TextDecoder().decode(ikm))) {
        finding(`${label}: secret in an error message`);
      }
    }
  }
}
console.log(
  `crypto: ${execs} cases, ${roundTrips} round trips, ${tampered} tampered files ` +
    `(${cbcOpened} CBC opened to x: a base64 bit that decodes the same), ${findings.length} finding(s)`,
);
process.exit(findings.length > 0 ? 1 : 0);
