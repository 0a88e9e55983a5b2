// Fuzzing the decryptors (issue 10): whatever the bytes, the result is a plaintext or a typed
// error — DecryptError ("bad decrypt"), SizeLimitError, or the TypeError that asks for a key —
// never a crash, a hang or another error. Mutated ciphertexts never come back as plaintext.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DecryptError,
  SizeLimitError,
  decryptAes128gcm,
  decryptOpensslEnc,
  openProfile,
  sealProfile,
  type OpenOptions,
} from '../../src/crypto/index.js';
import { utf8 } from '../helpers/vectors.js';

const PASS = 'SecretPhrase1234';
const IKM = utf8('fuzz ikm');
const PROFILE = `<flat-profile>\n${'  <GPP_B ua="na">abc&amp;def</GPP_B>\n'.repeat(20)}</flat-profile>\n`;

function isTyped(err: unknown): boolean {
  if (err instanceof DecryptError) return err.message === 'bad decrypt';
  if (err instanceof SizeLimitError) return true;
  return err instanceof TypeError && /a passphrase is needed/.test(err.message);
}

/** Bytes that often start like one of the containers. */
const prefixes = [
  [],
  [...utf8('Salted__')],
  [...utf8('U2FsdGVkX1')],
  [0x1f, 0x8b, 0x08, 0x00],
  [...utf8('<a')],
  [...utf8('<?xml')],
];
const anyInput = fc
  .tuple(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }))
  .map(([p, rest]) => Uint8Array.from([...p, ...rest]));
const keyOptions: OpenOptions[] = [
  {},
  { passphrase: PASS },
  { ikm: IKM },
  { passphrase: PASS, ikm: IKM, maxSize: 4096 },
  { passphrase: PASS, gunzip: false },
  { ikm: IKM, raw: true },
];

describe('fuzz: decryptors on arbitrary bytes', () => {
  test('openProfile returns or throws a typed error', () => {
    fc.assert(
      fc.property(anyInput, fc.constantFrom(...keyOptions), (data, options) => {
        try {
          openProfile(data, options);
        } catch (err) {
          if (!isTyped(err)) throw err;
        }
      }),
      { seed: 10, numRuns: 3000 },
    );
  });

  test('decryptAes128gcm and decryptOpensslEnc throw only DecryptError', () => {
    fc.assert(
      fc.property(anyInput, (data) => {
        for (const fn of [() => decryptAes128gcm(data, IKM), () => decryptOpensslEnc(data, PASS)]) {
          try {
            fn();
          } catch (err) {
            if (!(err instanceof DecryptError)) throw err;
          }
        }
      }),
      { seed: 11, numRuns: 3000 },
    );
  });
});

/** One change to a byte string: flip a bit, cut, append, or overwrite a run. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('append' as const),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 20 }),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(data: Uint8Array, m: Mutation, from: number): Uint8Array {
  const span = data.length - from;
  switch (m.kind) {
    case 'flip': {
      const out = new Uint8Array(data);
      const at = from + (m.at % span);
      out[at] = (out[at] as number) ^ (1 << m.bit);
      return out;
    }
    case 'cut':
      return data.subarray(0, from + (m.at % span));
    case 'append':
      return Uint8Array.from([...data, ...m.bytes]);
    case 'overwrite': {
      const out = new Uint8Array(data);
      const at = from + (m.at % span);
      out.set(m.bytes.subarray(0, out.length - at), at);
      return out;
    }
  }
}

describe('fuzz: a changed ciphertext never opens', () => {
  const cases = [
    ['aes128gcm', { cipher: 'aes128gcm', ikm: IKM, rs: 100 }, { ikm: IKM }, 21],
    ['aes128gcm + gzip', { cipher: 'aes128gcm', ikm: IKM, gzip: true }, { ikm: IKM }, 21],
    ['AES-256-CBC', { cipher: 'aes-256-cbc', passphrase: PASS }, { passphrase: PASS }, 16],
    [
      'AES-256-CBC + gzip',
      { cipher: 'aes-256-cbc', passphrase: PASS, gzip: true },
      { passphrase: PASS },
      16,
    ],
  ] as const;
  for (const [name, seal, open, headerLength] of cases) {
    test(name, () => {
      const sealed = sealProfile(PROFILE, seal);
      assert.equal(new TextDecoder().decode(openProfile(sealed, open).plaintext), PROFILE);
      fc.assert(
        fc.property(mutation, (m) => {
          const changed = mutate(sealed, m, headerLength);
          if (Buffer.compare(changed, sealed) === 0) return;
          assert.throws(() => openProfile(changed, open), DecryptError);
        }),
        { seed: 13, numRuns: 1500 },
      );
    });
  }
});
