// Interop with real peers on this machine: the `openssl` CLI (AES-256-CBC, OpenSSL enc format)
// and the `http_ece` package (RFC 8188 aes128gcm).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as ece from 'http_ece';
import {
  decryptAes128gcm,
  encryptAes128gcm,
  openProfile,
  sealProfile,
  toHex,
} from '../../src/crypto/index.js';
import { BACKENDS, text, utf8 } from '../helpers/vectors.js';

const PROFILE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n' +
  Array.from({ length: 200 }, (_, i) => `  <GPP_A ua="na">value ${i} &amp; more</GPP_A>\n`).join(
    '',
  ) +
  '</flat-profile>\n';
const PASS = 'Secret Phrase 1234!$';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cisco-prov-interop-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

for (const backend of BACKENDS) {
  describe(`our AES-256-CBC output decrypts with openssl enc -d (${backend})`, () => {
    for (const md of ['md5', 'sha256'] as const) {
      test(`-md ${md}`, () => {
        const file = join(dir, `ours-${backend}-${md}.cfg`);
        writeFileSync(
          file,
          sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PASS, md, backend }),
        );
        const out = openssl(['enc', '-d', '-aes-256-cbc', '-md', md, '-k', PASS, '-in', file]);
        assert.equal(out.toString('utf8'), PROFILE);
      });
    }
    test('gzip then encrypt: openssl decrypts, the payload gunzips', () => {
      const file = join(dir, `ours-${backend}-gz.cfg`);
      writeFileSync(
        file,
        sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PASS, gzip: true, backend }),
      );
      const out = openssl(['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', PASS, '-in', file]);
      assert.equal(out[0], 0x1f);
      assert.equal(execFileSync('gzip', ['-dc'], { input: out }).toString('utf8'), PROFILE);
    });
    test('--base64 output decrypts with openssl enc -d -a', () => {
      const file = join(dir, `ours-${backend}.b64`);
      writeFileSync(
        file,
        sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PASS, base64: true, backend }),
      );
      const out = openssl([
        'enc',
        '-d',
        '-a',
        '-aes-256-cbc',
        '-md',
        'md5',
        '-k',
        PASS,
        '-in',
        file,
      ]);
      assert.equal(out.toString('utf8'), PROFILE);
    });
  });

  describe(`files made by openssl enc -e decrypt with ours (${backend})`, () => {
    const cases: [string, string[], Parameters<typeof openProfile>[1]][] = [
      ['-md md5', ['-md', 'md5'], {}],
      ['-md sha256', ['-md', 'sha256'], {}],
      ['-pbkdf2', ['-pbkdf2'], { pbkdf2: { iterations: 10000 } }],
      [
        '-pbkdf2 -iter 1000 -md sha256',
        ['-pbkdf2', '-iter', '1000', '-md', 'sha256'],
        { pbkdf2: { iterations: 1000 } },
      ],
      ['-a -md md5', ['-a', '-md', 'md5'], {}],
    ];
    for (const [name, args, options] of cases) {
      test(name, () => {
        const input = join(dir, 'plain.xml');
        writeFileSync(input, PROFILE);
        const out = join(dir, `theirs-${backend}-${name.replace(/\W+/g, '_')}.cfg`);
        openssl(['enc', '-e', '-aes-256-cbc', ...args, '-k', PASS, '-in', input, '-out', out]);
        const r = openProfile(readFileSync(out), { passphrase: PASS, backend, ...options });
        assert.equal(text(r.plaintext), PROFILE);
      });
    }
    test('gzip input (openssl-enc(gzip(xml))) is gunzipped', () => {
      const input = join(dir, 'plain.xml.gz');
      writeFileSync(input, gzipSync(PROFILE));
      const out = join(dir, `theirs-${backend}-gz.cfg`);
      openssl(['enc', '-e', '-aes-256-cbc', '-md', 'md5', '-k', PASS, '-in', input, '-out', out]);
      const r = openProfile(readFileSync(out), { passphrase: PASS, backend });
      assert.equal(r.gzip, true);
      assert.equal(text(r.plaintext), PROFILE);
    });
  });

  describe(`RFC 8188 interop with http_ece (${backend})`, () => {
    const ikm = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    for (const [rs, keyid] of [
      [18, ''],
      [25, 'a1'],
      [100, 'provisioning'],
      [4096, ''],
    ] as const) {
      test(`rs ${rs}, keyid "${keyid}": same bytes with the same salt, and each decrypts the other`, () => {
        const salt = Buffer.alloc(16, 7);
        const plaintext = utf8(PROFILE);
        const ours = encryptAes128gcm(plaintext, ikm, { rs, keyid, salt, backend });
        const theirs = ece.encrypt(Buffer.from(plaintext), {
          version: 'aes128gcm',
          key: ikm,
          salt,
          rs,
          keyid,
        });
        assert.equal(toHex(ours), toHex(theirs));
        const theirsRandom = ece.encrypt(Buffer.from(plaintext), {
          version: 'aes128gcm',
          key: ikm,
          rs,
          keyid,
        });
        assert.equal(text(decryptAes128gcm(theirsRandom, ikm, { backend }).plaintext), PROFILE);
        const oursRandom = encryptAes128gcm(plaintext, ikm, { rs, keyid, backend });
        assert.equal(
          ece.decrypt(Buffer.from(oursRandom), { version: 'aes128gcm', key: ikm }).toString(),
          PROFILE,
        );
      });
    }
    test('with padding, each decrypts the other', () => {
      const plaintext = utf8(PROFILE);
      const ours = encryptAes128gcm(plaintext, ikm, { rs: 50, pad: 77, backend });
      assert.equal(
        ece.decrypt(Buffer.from(ours), { version: 'aes128gcm', key: ikm }).toString(),
        PROFILE,
      );
      const theirs = ece.encrypt(Buffer.from(plaintext), {
        version: 'aes128gcm',
        key: ikm,
        rs: 50,
        pad: 77,
      });
      assert.equal(text(decryptAes128gcm(theirs, ikm, { backend }).plaintext), PROFILE);
    });
  });
}
