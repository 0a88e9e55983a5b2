/**
 * Every decrypt failure — wrong key, corrupt, truncated or tampered input — is one error whose
 * message is "bad decrypt" and nothing more, so no caller can become a padding or format oracle
 * by printing it. `reason` is for tests and debugging only: never show it to a remote party.
 * @example catch (err) { if (err instanceof DecryptError && err.reason === 'wrong-key') … }
 */
export type DecryptFailure =
  | 'not-openssl-enc'
  | 'truncated'
  | 'wrong-key'
  | 'bad-base64'
  | 'header-too-short'
  | 'invalid-rs'
  | 'short-record'
  | 'bad-tag'
  | 'zero-plaintext'
  | 'bad-delimiter'
  | 'missing-final-record'
  | 'not-xml-or-gzip'
  | 'bad-gzip'
  | 'corrupt-plaintext';

/**
 * Every decrypt failure. Its message is always "bad decrypt" (no oracle); `reason` says why,
 * for tests and for logs the caller chooses to keep.
 * @example try { decryptOpensslEnc(ciphertext, 'wrong passphrase') } catch (err) {
 *   err instanceof DecryptError // true: err.message 'bad decrypt', err.reason 'wrong-key'
 * }
 */
export class DecryptError extends Error {
  /**
   * Not enumerable: `JSON.stringify(err)`, `console.log(err)` and a framework's error body show
   * no reason (which would tell a bad padding from a bad plaintext: an oracle). Read it by name.
   */
  declare readonly reason: DecryptFailure;

  constructor(reason: DecryptFailure) {
    super('bad decrypt');
    this.name = 'DecryptError';
    Object.defineProperty(this, 'reason', { value: reason, enumerable: false });
  }
}

/**
 * 64 MiB: the default cap on what decrypting or gunzipping may produce.
 * @example openProfile(file, { passphrase, maxSize: DEFAULT_MAX_SIZE * 2 }) // allow up to 128 MiB
 */
export const DEFAULT_MAX_SIZE = 64 * 1024 * 1024;

/**
 * A decoding limit was hit: the output would be larger than the caller allowed (a gzip bomb, or
 * simply a bigger file than expected). Not a decrypt failure: its message says what was
 * exceeded, e.g. "gunzipped data exceeds 67108864 bytes".
 * @example new SizeLimitError('gunzipped data', 1024).message
 * // 'gunzipped data exceeds 1024 bytes'
 */
export class SizeLimitError extends Error {
  /** What grew too large, e.g. "gunzipped data". */
  readonly what: string;
  /** The limit in bytes. */
  readonly limit: number;

  constructor(what: string, limit: number) {
    super(`${what} exceeds ${limit} bytes`);
    this.name = 'SizeLimitError';
    this.what = what;
    this.limit = limit;
  }
}
