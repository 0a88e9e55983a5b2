// Issue 10 items 4, 5, 6, 8 and 17, in the crypto core: what hostile or unlucky input must not
// get through, each case first reproduced, then held.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  DecryptError,
  SizeLimitError,
  decryptAes128gcm,
  detectContainer,
  encryptAes128gcm,
  encryptOpensslEnc,
  gunzip,
  gunzipStream,
  isWellFormedXmlText,
  isXmlCharacterText,
  openProfile,
  sealProfile,
  XmlPlaintextCheck,
} from '../../src/crypto/index.js';
import { drawSalt } from '../../src/crypto/aes128gcm.js';
import { utf8 } from '../helpers/vectors.js';

const PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
${Array.from({ length: 40 }, (_, i) => `  <GPP_A ua="na">value ${i} &amp; more</GPP_A>`).join('\n')}
  <Station_Display_Name ua="rw">Zürich Empfang</Station_Display_Name>
</flat-profile>
`;
const IKM = utf8('the right ikm');
const WRONG_IKM = utf8('the wrong ikm');
const PASS = 'SecretPhrase1234';

/** A salt whose first bytes look like `prefix`, the rest fixed. */
function saltStarting(prefix: number[]): Uint8Array {
  const salt = new Uint8Array(16).fill(0x9a);
  salt.set(prefix, 0);
  return salt;
}

const throwsBadDecrypt = (fn: () => unknown) =>
  assert.throws(fn, (err: unknown) => err instanceof DecryptError && err.message === 'bad decrypt');

describe('aes128gcm never falls back to plaintext (issue 10 item 4)', () => {
  const xmlSalt = saltStarting([0x3c, 0x61]); // "<a"
  const gzipSalt = saltStarting([0x1f, 0x8b, 0x08]);

  test('a body whose salt starts like XML: wrong IKM and cut body are bad decrypt', () => {
    const body = encryptAes128gcm(utf8(PROFILE), IKM, { salt: xmlSalt });
    assert.equal(detectContainer(body), 'plain', 'the premise: its first bytes look like XML');
    assert.equal(new TextDecoder().decode(openProfile(body, { ikm: IKM }).plaintext), PROFILE);
    throwsBadDecrypt(() => openProfile(body, { ikm: WRONG_IKM }));
    throwsBadDecrypt(() => openProfile(body.subarray(0, body.length - 5), { ikm: IKM }));
    throwsBadDecrypt(() => openProfile(body.subarray(0, 40), { ikm: IKM }));
  });

  test('a body whose salt starts like gzip: wrong IKM is bad decrypt, also without gunzip', () => {
    const body = encryptAes128gcm(utf8(PROFILE), IKM, { salt: gzipSalt });
    assert.equal(detectContainer(body), 'gzip');
    throwsBadDecrypt(() => openProfile(body, { ikm: WRONG_IKM }));
    throwsBadDecrypt(() => openProfile(body, { ikm: WRONG_IKM, gunzip: false }));
  });

  test('with an IKM, a real plain profile and a real gzip still pass through', () => {
    const plain = openProfile(utf8(PROFILE), { ikm: IKM });
    assert.equal(plain.container, 'plain');
    const gz = openProfile(gzipSync(PROFILE), { ikm: IKM });
    assert.equal(gz.container, 'gzip');
    assert.equal(new TextDecoder().decode(gz.plaintext), PROFILE);
  });

  test('drawSalt redraws salts that look like XML, gzip, Salted__ or its base64', () => {
    const draws = [
      saltStarting([0x3c, 0x61]),
      saltStarting([0x20, 0x0a, 0x3c, 0x3f]),
      saltStarting([0x1f, 0x8b]),
      saltStarting([...utf8('Salted__')]),
      saltStarting([...utf8('U2FsdGVkX1')]),
      saltStarting([0x3c, 0x20]), // "<" then a space: not XML, kept
    ];
    let calls = 0;
    const salt = drawSalt(4096, new Uint8Array(0), () => draws[calls++] as Uint8Array);
    assert.equal(calls, 6);
    assert.deepEqual(salt, draws[5]);
  });

  test('our own random salts never look like another container (3,000 bodies)', () => {
    for (let i = 0; i < 3000; i++) {
      const body = encryptAes128gcm(utf8('<x/>'), IKM);
      assert.equal(detectContainer(body), 'unknown');
    }
  });
});

describe('no stack overflow on many records (issue 10 item 8)', () => {
  test('an aes128gcm body of 150,000 records (rs 18) decrypts, and through openProfile', () => {
    const plaintext = new Uint8Array(150_000).fill(0x41);
    plaintext[0] = 0x3c; // "<a" … so openProfile's plaintext check is met below
    plaintext[1] = 0x61;
    const body = encryptAes128gcm(plaintext, IKM, { rs: 18 });
    const r = decryptAes128gcm(body, IKM);
    assert.equal(r.records, 150_000);
    assert.deepEqual(r.plaintext, plaintext);
    assert.equal(openProfile(body, { ikm: IKM }).plaintext.length, 150_000);
  });
});

describe('bounded gunzip (issue 10 item 6)', () => {
  // 64 gzip members of 4 MiB of zeros each: 256 MiB out of about 260 KB in.
  const member = gzipSync(Buffer.alloc(4 << 20));
  const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));

  test('gunzip stops at its cap with a SizeLimitError naming it', () => {
    assert.ok(bomb.length < 300_000);
    assert.throws(
      () => gunzip(bomb, 1 << 20),
      (err: unknown) =>
        err instanceof SizeLimitError &&
        err.limit === 1 << 20 &&
        err.message === 'gunzipped data exceeds 1048576 bytes',
    );
    assert.equal(gunzip(member, 4 << 20).length, 4 << 20);
  });

  test('gunzipStream stops at its cap; below it, it yields every byte', async () => {
    let seen = 0;
    await assert.rejects(async () => {
      for await (const chunk of gunzipStream([bomb], 8 << 20)) seen += chunk.length;
    }, SizeLimitError);
    assert.ok(seen <= 8 << 20);
    let total = 0;
    for await (const chunk of gunzipStream([member.subarray(0, 100), member.subarray(100)])) {
      total += chunk.length;
    }
    assert.equal(total, 4 << 20);
  });

  test('openProfile: a gzip bomb, plain or inside AES-256-CBC, is a SizeLimitError', () => {
    assert.throws(() => openProfile(bomb, { maxSize: 1 << 20 }), SizeLimitError);
    const sealed = encryptOpensslEnc(bomb, PASS);
    assert.throws(
      () => openProfile(sealed, { passphrase: PASS, maxSize: 1 << 20 }),
      SizeLimitError,
    );
  });
});

/** The 8-byte salt whose last four bytes are `n` (big-endian), the first four zero. */
function saltNumbered(n: number): Uint8Array {
  const salt = new Uint8Array(8);
  new DataView(salt.buffer).setUint32(4, n);
  return salt;
}

describe('AES-256-CBC has no MAC: the whole plaintext is checked (issue 10 item 17)', () => {
  // A fixed salt: what a flipped bit garbles depends on the key, so on the salt (below).
  const sealCbc = (salt: Uint8Array) =>
    sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PASS, salt });
  const sealed = sealCbc(saltNumbered(0));

  test('a flipped byte at offset 500 is bad decrypt (it decrypted before)', () => {
    const tampered = new Uint8Array(sealed);
    tampered[500] = (tampered[500] as number) ^ 0x01;
    throwsBadDecrypt(() => openProfile(tampered, { passphrase: PASS }));
  });

  // Flipping a bit of ciphertext block i garbles plaintext block i (16 bytes of noise under this
  // key) and flips the same bit of block i + 1. When block i lies in text content (or swallows a
  // `</GPP_A>\n  <GPP` end and start tag pair whole) and its 16 bytes of noise happen to be UTF-8
  // XML text (~3.5e-6: multi-byte characters count), the result is another well-formed profile:
  // with a random salt that happened for some position in about one run in a thousand (salts 0 to
  // 3999: 194, 528, 827 and 3528), which is why this test once failed. So: fixed salts, where
  // every position is caught (salts 0 to 3 all are; one costs as much as the old test), and the
  // case where one is not, as the limit it is.
  test('a flipped bit in every ciphertext position is caught (salt 0)', () => {
    for (let at = 16; at < sealed.length; at++) {
      const tampered = new Uint8Array(sealed);
      tampered[at] = (tampered[at] as number) ^ 0x20;
      throwsBadDecrypt(() => openProfile(tampered, { passphrase: PASS }));
    }
  });

  test('…but not always: salt 194, bit 0x20 at offset 774 decrypts to another well-formed profile', () => {
    const tampered = sealCbc(saltNumbered(194));
    tampered[774] = (tampered[774] as number) ^ 0x20;
    const { plaintext } = openProfile(tampered, { passphrase: PASS });
    const original = utf8(PROFILE);
    assert.equal(plaintext.length, original.length);
    // Ciphertext byte 774 is byte 6 of block 47: plaintext bytes 752 to 767 are noise (UTF-8
    // text, by chance), and byte 774 of the next block has its bit flipped ("ua" → "uA").
    for (let i = 0; i < original.length; i++) {
      if (i >= 752 && i < 768) continue;
      const flip = i === 774 ? 0x20 : 0;
      assert.equal(plaintext[i], (original[i] as number) ^ flip, `plaintext byte ${i}`);
    }
    assert.notDeepEqual(plaintext.subarray(752, 768), original.subarray(752, 768));
    assert.ok(isWellFormedXmlText(plaintext));
  });

  test('a file cut at a block boundary with valid padding (the prefix, re-encrypted) is caught', () => {
    for (const cut of [64, 256, PROFILE.length - 20]) {
      const prefix = encryptOpensslEnc(utf8(PROFILE.slice(0, cut)), PASS);
      throwsBadDecrypt(() => openProfile(prefix, { passphrase: PASS }));
      // `text` checks characters only: a validator reports the cut XML itself.
      assert.ok(openProfile(prefix, { passphrase: PASS, plaintextCheck: 'text' }));
    }
  });

  test('a gzip payload is checked by its CRC, even when it is kept compressed', () => {
    const gz = sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PASS, gzip: true });
    const tampered = new Uint8Array(gz);
    tampered[gz.length - 20] = (tampered[gz.length - 20] as number) ^ 0x04;
    throwsBadDecrypt(() => openProfile(tampered, { passphrase: PASS }));
    throwsBadDecrypt(() => openProfile(tampered, { passphrase: PASS, gunzip: false }));
  });

  test('--raw (raw: true) still decrypts what is not XML', () => {
    const binary = encryptOpensslEnc(Uint8Array.of(0, 1, 2, 3), PASS);
    assert.deepEqual(
      [...openProfile(binary, { passphrase: PASS, raw: true }).plaintext],
      [0, 1, 2, 3],
    );
  });
});

describe('XmlPlaintextCheck', () => {
  const good = [
    '<a/>',
    '\ufeff<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE a [<!ENTITY x "y">]>\n<a b="1" c=\'2\'>t &x; &#38; <![CDATA[<>]]><b/><?pi x?></a>\n<!-- after -->\n',
    '<flat-profile><Zürich_Ä ua="na">Grüße 👋</Zürich_Ä></flat-profile>',
    PROFILE,
  ];
  const bad = [
    ['empty', ''],
    ['cut', PROFILE.slice(0, 200)],
    ['mismatched end tag', '<a><b></a></b>'],
    ['two roots', '<a/><b/>'],
    ['text after the root', '<a/>x'],
    ['text before the root', 'x<a/>'],
    ['NUL', '<a>\u0000</a>'],
    ['ESC', '<a>\u001b[31m</a>'],
    ['unquoted attribute', '<a b=1/>'],
    ['< in an attribute value', '<a b="<"/>'],
    ['attribute without space', '<a b="1"c="2"/>'],
    ['-- in a comment', '<a><!-- a -- b --></a>'],
    ['open comment', '<a/><!-- x'],
    ['bare &', '<a>x & y</a>'],
    ['end tag with another non-ASCII name', '<é></è>'],
  ] as const;
  for (const doc of good) {
    test(`accepts ${JSON.stringify(doc.slice(0, 40))}`, () =>
      assert.ok(isWellFormedXmlText(utf8(doc))));
  }
  for (const [what, doc] of bad) {
    test(`refuses: ${what}`, () => assert.equal(isWellFormedXmlText(utf8(doc)), false));
  }
  test('refuses bad UTF-8: overlong, surrogate, above U+10FFFF, lone continuation, cut', () => {
    for (const bytes of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0x80],
      [0xe2, 0x82],
      [0xef, 0xbf, 0xbe], // U+FFFE
    ]) {
      const doc = Uint8Array.from([...utf8('<a>'), ...bytes, ...utf8('</a>')]);
      assert.equal(isWellFormedXmlText(doc), false, bytes.join(' '));
      assert.equal(isXmlCharacterText(doc), false, bytes.join(' '));
    }
  });
  test('gives the same answer however the input is split', async () => {
    const fc = (await import('fast-check')).default;
    const docs = [...good, ...bad.map(([, d]) => d)].map(utf8);
    fc.assert(
      fc.property(fc.constantFrom(...docs), fc.array(fc.nat(), { maxLength: 6 }), (doc, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (doc.length + 1)))].sort((a, b) => a - b);
        const check = new XmlPlaintextCheck();
        let from = 0;
        for (const p of [...points, doc.length]) {
          check.update(doc.subarray(from, p));
          from = p;
        }
        return check.finish() === isWellFormedXmlText(doc);
      }),
      { seed: 12, numRuns: 500 },
    );
  });
});
