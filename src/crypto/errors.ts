/**
 * Every decrypt failure — wrong key, corrupt, truncated or tampered input — is one error whose
 * message is "bad decrypt" and nothing more, so no caller can become a padding or format oracle
 * by printing it. `reason` is for tests and debugging only: never show it to a remote party.
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
  | 'bad-gzip';

export class DecryptError extends Error {
  readonly reason: DecryptFailure;

  constructor(reason: DecryptFailure) {
    super('bad decrypt');
    this.name = 'DecryptError';
    this.reason = reason;
  }
}
