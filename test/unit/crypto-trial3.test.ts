// The crypto core against what real peers send and what an attacker sends (cryptotrial3).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ece from 'http_ece';
import { Aes128gcmDecoder, decryptAes128gcm } from '../../src/crypto/aes128gcm.js';
import { SizeLimitError, openProfile } from '../../src/crypto/index.js';
import { openStream } from '../../src/crypto/stream.js';

const IKM = new TextEncoder().encode('sixteen byte ikm');
const XML = '<flat-profile><Display_Name_1_>rs</Display_Name_1_></flat-profile>\n';

/** An RFC 8188 body made by http_ece (the independent peer) with record size `rs`. */
const eceBody = (plaintext: Uint8Array, rs: number): Uint8Array =>
  ece.encrypt(Buffer.from(plaintext), {
    version: 'aes128gcm',
    key: Buffer.from(IKM),
    salt: Buffer.alloc(16, 9),
    rs,
  });

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString();
}

describe('aes128gcm: rs is any 32-bit value ≥ 18 (RFC 8188 §2.1), the record is what is held', () => {
  test('a short body under rs 2^32 - 1 (one record) opens: in memory, streamed, and fed byte by byte', async () => {
    const body = eceBody(new TextEncoder().encode(XML), 0xffffffff);
    assert.equal(Buffer.from(body).readUInt32BE(16), 0xffffffff);
    assert.equal(new TextDecoder().decode(decryptAes128gcm(body, IKM).plaintext), XML);
    assert.equal(new TextDecoder().decode(openProfile(body, { ikm: IKM }).plaintext), XML);
    const { chunks } = openStream([body], { ikm: IKM });
    assert.equal(await collect(chunks), XML);
    const dec = new Aes128gcmDecoder(IKM, { maxRecord: 1024 });
    const out: number[] = [];
    for (const byte of body) out.push(...dec.update(Uint8Array.of(byte)));
    out.push(...dec.final());
    assert.equal(Buffer.from(out).toString(), XML);
  });

  test('a record that is really longer than maxRecord is still refused, fed whole or in pieces', () => {
    const body = eceBody(new Uint8Array(5000).fill(0x41), 0xffffffff);
    assert.throws(
      () => new Aes128gcmDecoder(IKM, { maxRecord: 1024 }).update(body),
      SizeLimitError,
    );
    const dec = new Aes128gcmDecoder(IKM, { maxRecord: 1024 });
    assert.throws(() => {
      for (let at = 0; at < body.length; at += 100) dec.update(body.subarray(at, at + 100));
    }, SizeLimitError);
    // The same 5000 bytes in records of 1024 are fine: it is the record that is held.
    const small = eceBody(new Uint8Array(5000).fill(0x41), 1024);
    const ok = new Aes128gcmDecoder(IKM, { maxRecord: 1024 });
    assert.equal(ok.update(small).length + ok.final().length, 5000);
  });
});
