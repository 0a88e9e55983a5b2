import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DecryptError,
  decryptAes128gcm,
  encryptAes128gcm,
  fromBase64url,
  fromHex,
  generateNonce,
  parseIkm,
  toBase64url,
  toHex,
} from '../../src/crypto/index.js';
import { BACKENDS, loadVectors, text, utf8 } from '../helpers/vectors.js';

interface RfcVector {
  name: string;
  ikm: string;
  plaintext: string;
  rs: number;
  keyid: string;
  pad: number;
  body: string;
  records: number;
}
interface EcecVectors {
  ok: { desc: string; ikm: string; body: string; plaintext: string }[];
  errors: { desc: string; ikm: string; body: string; reason: string }[];
}

const rfc = loadVectors<{ vectors: RfcVector[] }>('rfc8188.json').vectors;
const ecec = loadVectors<EcecVectors>('ecec-aes128gcm.json');

for (const backend of BACKENDS) {
  describe(`RFC 8188 vectors (${backend})`, () => {
    for (const v of rfc) {
      const body = fromBase64url(v.body, 'body');
      test(`${v.name}: encrypt reproduces the body byte for byte`, () => {
        const out = encryptAes128gcm(utf8(v.plaintext), parseIkm(v.ikm), {
          salt: body.slice(0, 16),
          rs: v.rs,
          keyid: v.keyid,
          pad: v.pad,
          backend,
        });
        assert.equal(toBase64url(out), v.body);
      });
      test(`${v.name}: decrypt recovers the plaintext`, () => {
        const r = decryptAes128gcm(body, parseIkm(v.ikm), { backend });
        assert.equal(text(r.plaintext), v.plaintext);
        assert.equal(r.header.rs, v.rs);
        assert.equal(text(r.header.keyid), v.keyid);
        assert.equal(r.records, v.records);
      });
    }

    for (const v of ecec.ok) {
      test(`ecec "${v.desc}" decrypts`, () => {
        const r = decryptAes128gcm(fromHex(v.body, 'body'), fromHex(v.ikm, 'ikm'), { backend });
        assert.equal(text(r.plaintext), v.plaintext);
      });
    }

    for (const v of ecec.errors) {
      test(`ecec malformed body "${v.desc}" is rejected (${v.reason})`, () => {
        assert.throws(
          () => decryptAes128gcm(fromHex(v.body, 'body'), fromHex(v.ikm, 'ikm'), { backend }),
          (err: unknown) =>
            err instanceof DecryptError && err.message === 'bad decrypt' && err.reason === v.reason,
        );
      });
    }
  });

  describe(`aes128gcm round trips (${backend})`, () => {
    const ikm = utf8('correct horse battery staple');
    const rs = 64;
    const sizes = [0, 1, rs - 18, rs - 17, rs - 16, rs * 3 + 5, 10_000];
    for (const size of sizes) {
      for (const [keyid, pad] of [
        ['', 0],
        ['key-1', 0],
        ['k', 70],
      ] as const) {
        test(`size ${size}, keyid "${keyid}", pad ${pad}`, () => {
          const plaintext = new Uint8Array(size).map((_, i) => (i * 7 + 3) % 256);
          const body = encryptAes128gcm(plaintext, ikm, { rs, keyid, pad, backend });
          const r = decryptAes128gcm(body, ikm, { backend });
          assert.deepEqual(Buffer.from(r.plaintext), Buffer.from(plaintext));
          assert.equal(text(r.header.keyid), keyid);
          // Every record but the last is exactly rs bytes.
          const recordBytes = body.length - 21 - keyid.length;
          assert.equal(r.records, Math.ceil(recordBytes / rs));
          assert.equal(body.length, 21 + keyid.length + size + pad + r.records * 17);
        });
      }
    }
  });
}

describe('aes128gcm: what a decrypt must refuse', () => {
  const ikm = utf8('k');
  const good = encryptAes128gcm(utf8('<flat-profile/>'.repeat(20)), ikm, { rs: 100 });
  const cases: [string, Uint8Array][] = [
    ['empty input', new Uint8Array(0)],
    ['header cut inside the salt', good.slice(0, 10)],
    ['header without records', good.slice(0, 21)],
    ['idlen longer than the data', Uint8Array.from([...good.slice(0, 20), 200, 1, 2])],
    ['body cut at a record boundary (no 0x02 record)', good.slice(0, 21 + 100)],
    ['body cut inside a record', good.slice(0, good.length - 5)],
    ['one flipped bit', good.map((b, i) => (i === 40 ? b ^ 1 : b))],
  ];
  for (const [name, body] of cases) {
    test(name, () => {
      assert.throws(() => decryptAes128gcm(body, ikm), DecryptError);
    });
  }
  test('a wrong IKM', () => {
    assert.throws(() => decryptAes128gcm(good, utf8('K')), /^DecryptError: bad decrypt$/);
  });
});

describe('aes128gcm: option checks say what was expected and what arrived', () => {
  const p = utf8('x');
  const ikm = utf8('k');
  const cases: [string, () => unknown, RegExp][] = [
    [
      'rs 17',
      () => encryptAes128gcm(p, ikm, { rs: 17 }),
      /"rs" expected an integer 18\.\.4294967295, got 17/,
    ],
    ['rs 1.5', () => encryptAes128gcm(p, ikm, { rs: 1.5 }), /"rs" expected/],
    ['negative pad', () => encryptAes128gcm(p, ikm, { pad: -1 }), /"pad" expected/],
    [
      '15-byte salt',
      () => encryptAes128gcm(p, ikm, { salt: new Uint8Array(15) }),
      /"salt length" expected/,
    ],
    [
      '256-byte keyid',
      () => encryptAes128gcm(p, ikm, { keyid: 'x'.repeat(256) }),
      /"keyid length"/,
    ],
    ['empty IKM', () => encryptAes128gcm(p, new Uint8Array(0)), /"ikm" expected at least 1 byte/],
  ];
  for (const [name, fn, message] of cases) test(name, () => assert.throws(fn, message));
});

describe('nonce generation', () => {
  test('XORs the sequence number into the last six bytes, beyond 32 bits', () => {
    const base = new Uint8Array(12);
    assert.equal(toHex(generateNonce(base, 1)), '000000000000000000000001');
    assert.equal(toHex(generateNonce(base, 2 ** 32)), '000000000000000100000000');
    assert.equal(toHex(generateNonce(base, 2 ** 40 + 255)), '0000000000000100000000ff');
    const ones = new Uint8Array(12).fill(0xff);
    assert.equal(toHex(generateNonce(ones, 2 ** 33)), 'fffffffffffffffdffffffff');
  });
});

describe('IKM text forms', () => {
  test('plain text is its UTF-8 bytes; hex: and base64url: give raw bytes', () => {
    assert.equal(toHex(parseIkm('abc')), '616263');
    assert.equal(toHex(parseIkm('hex:00ff10')), '00ff10');
    assert.equal(toHex(parseIkm('base64url:AP8Q')), '00ff10');
  });
  test('bad encodings are refused with the field named', () => {
    assert.throws(() => parseIkm('hex:0g'), /"ikm" \(hex:\) expected hex digits/);
    assert.throws(() => parseIkm('base64url:a+b/'), /"ikm" \(base64url:\) expected base64url/);
    assert.throws(() => parseIkm(''), /"ikm" expected at least 1 byte/);
  });
});
