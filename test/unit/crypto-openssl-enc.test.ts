import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DecryptError,
  decryptOpensslEnc,
  encryptOpensslEnc,
  evpBytesToKey,
  fromHex,
  openProfile,
  sealProfile,
  toHex,
  type HashName,
} from '../../src/crypto/index.js';
import { BACKENDS, loadVectors, text, utf8 } from '../helpers/vectors.js';

interface EvpVector {
  passphrase: string;
  salt: string;
  md: HashName;
  key: string;
  iv: string;
}
const evp = loadVectors<{ vectors: EvpVector[] }>('openssl-evp.json').vectors;
const PROFILE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n  <Station_Name ua="na">Front desk</Station_Name>\n</flat-profile>\n';

for (const backend of BACKENDS) {
  describe(`EVP_BytesToKey (${backend})`, () => {
    for (const v of evp) {
      test(`${v.md}: key and iv for "${v.passphrase}" / ${v.salt}`, () => {
        const r = evpBytesToKey(v.md, v.passphrase, fromHex(v.salt, 'salt'), backend);
        assert.equal(toHex(r.key), v.key);
        assert.equal(toHex(r.iv), v.iv);
      });
    }
  });

  describe(`OpenSSL enc round trips (${backend})`, () => {
    for (const md of ['md5', 'sha256'] as const) {
      for (const size of [0, 1, 15, 16, 17, 4096, 100_003]) {
        test(`${md}, ${size} bytes`, () => {
          const plaintext = new Uint8Array(size).map((_, i) => i % 251);
          const sealed = encryptOpensslEnc(plaintext, 'pass', { md, backend });
          assert.equal(text(sealed.subarray(0, 8)), 'Salted__');
          assert.equal(sealed.length, 16 + (Math.floor(size / 16) + 1) * 16);
          const r = decryptOpensslEnc(sealed, 'pass', {
            derivations: [{ kind: 'evp', md }],
            backend,
          });
          assert.deepEqual(Buffer.from(r.plaintext), Buffer.from(plaintext));
        });
      }
    }
  });

  test(`both backends give identical bytes with a fixed salt (${backend})`, () => {
    const salt = fromHex('0102030405060708', 'salt');
    const a = encryptOpensslEnc(utf8(PROFILE), 'SecretPhrase1234', { salt, backend });
    const b = encryptOpensslEnc(utf8(PROFILE), 'SecretPhrase1234', {
      salt,
      backend: backend === 'node' ? 'noble' : 'node',
    });
    assert.equal(toHex(a), toHex(b));
  });
}

describe('decrypting with the wrong key or a damaged file', () => {
  const sealed = sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: 'right' });
  const cases: [string, Uint8Array, string][] = [
    ['wrong passphrase', sealed, 'wrong'],
    ['truncated to the header', sealed.slice(0, 16), 'right'],
    ['truncated mid-block', sealed.slice(0, sealed.length - 3), 'right'],
    ['last block missing', sealed.slice(0, sealed.length - 16), 'right'],
    ['no Salted__ magic', sealed.slice(8), 'right'],
    ['empty', new Uint8Array(0), 'right'],
  ];
  for (const [name, data, pass] of cases) {
    test(`${name}: "bad decrypt"`, () => {
      assert.throws(
        () => openProfile(data, { passphrase: pass }),
        (e: unknown) => e instanceof DecryptError && e.message === 'bad decrypt',
      );
    });
  }

  test('a wrong key whose padding happens to be valid is still refused', () => {
    // Search wrong passphrases until one yields valid PKCS#7 padding (≈1 in 256): the
    // plaintext check must refuse it, and --raw must let it through.
    const salted = sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: 'right' });
    let found: string | undefined;
    for (let i = 0; i < 5000 && !found; i++) {
      try {
        decryptOpensslEnc(salted, `wrong-${i}`, { derivations: [{ kind: 'evp', md: 'md5' }] });
        found = `wrong-${i}`;
      } catch {
        // padding rejected, keep looking
      }
    }
    assert.ok(found, 'expected a wrong key with valid padding within 5000 tries');
    assert.throws(() => openProfile(salted, { passphrase: found, md: 'md5' }), DecryptError);
    assert.ok(openProfile(salted, { passphrase: found, md: 'md5', raw: true }).plaintext);
  });

  test('md5 is tried before sha256, and the digest that worked is reported', () => {
    const s256 = sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: 'p', md: 'sha256' });
    const r = openProfile(s256, { passphrase: 'p' });
    assert.deepEqual(r.derivation, { kind: 'evp', md: 'sha256' });
    assert.throws(() => openProfile(s256, { passphrase: 'p', md: 'md5' }), DecryptError);
  });
});

describe('envelope', () => {
  test('gzip then encrypt, open gunzips', () => {
    const sealed = sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: 'p', gzip: true });
    const r = openProfile(sealed, { passphrase: 'p' });
    assert.equal(r.gzip, true);
    assert.equal(text(r.plaintext), PROFILE);
    const kept = openProfile(sealed, { passphrase: 'p', gunzip: false });
    assert.deepEqual([...kept.plaintext.subarray(0, 2)], [0x1f, 0x8b]);
  });
  test('base64 (openssl enc -a) form: 64-character lines, detected and opened', () => {
    const b64 = text(
      sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: 'p', base64: true }),
    );
    assert.match(b64, /^U2FsdGVkX1/);
    for (const line of b64.trimEnd().split('\n')) assert.ok(line.length <= 64);
    const r = openProfile(utf8(b64), { passphrase: 'p' });
    assert.equal(r.container, 'openssl-enc-base64');
    assert.equal(text(r.plaintext), PROFILE);
  });
  test('aes128gcm opened with an IKM; plain XML passes through', () => {
    const ikm = utf8('secret');
    const sealed = sealProfile(PROFILE, { cipher: 'aes128gcm', ikm, gzip: true, keyid: 'a' });
    const r = openProfile(sealed, { ikm });
    assert.equal(r.container, 'aes128gcm');
    assert.equal(r.keyid, 'a');
    assert.equal(text(r.plaintext), PROFILE);
    assert.equal(openProfile(utf8(PROFILE)).container, 'plain');
  });
  test('an encrypted file without a key is a TypeError naming what is needed', () => {
    const sealed = sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: 'p' });
    assert.throws(() => openProfile(sealed), /a passphrase is needed/);
  });
});

describe('aes128gcm bodies whose salt looks like XML or gzip', () => {
  for (const [name, first] of [
    ['"<f"', [0x3c, 0x66]],
    ['gzip magic', [0x1f, 0x8b, 0x08]],
  ] as const) {
    test(`a salt starting with ${name} is still opened as aes128gcm with the IKM`, () => {
      const salt = new Uint8Array(16).fill(0x41);
      salt.set(first, 0);
      const ikm = utf8('k');
      const body = sealProfile(PROFILE, { cipher: 'aes128gcm', ikm, salt });
      const r = openProfile(body, { ikm });
      assert.equal(r.container, 'aes128gcm');
      assert.equal(text(r.plaintext), PROFILE);
      // Plain XML with an IKM given still passes through.
      assert.equal(openProfile(utf8(PROFILE), { ikm }).container, 'plain');
    });
  }
});

test('salts come from the pool once each: 3,000 encryptions, 3,000 distinct salts, none zero', async () => {
  const { randomSalt } = await import('../../src/crypto/backend.js');
  const seen = new Set<string>();
  for (let i = 0; i < 3000; i++) {
    const out = encryptOpensslEnc(utf8('x'), 'k', { md: 'md5' });
    seen.add(Buffer.from(out.subarray(8, 16)).toString('hex'));
  }
  assert.equal(seen.size, 3000, 'a salt was handed out twice');
  assert.ok(!seen.has('0000000000000000'));
  // Sizes across the pool's edge, and a request larger than the pooled size.
  const sizes = [16, 8, 1, 511, 512, 513, 4096];
  for (const n of sizes) assert.equal(randomSalt(n).length, n);
});
