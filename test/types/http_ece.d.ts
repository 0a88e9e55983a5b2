// Minimal types for the http_ece package (RFC 8188 peer used in interop tests and the bench).
declare module 'http_ece' {
  interface EceParams {
    version: 'aes128gcm' | 'aesgcm' | 'aesgcm128';
    key?: Buffer;
    salt?: Buffer;
    rs?: number;
    keyid?: string | Buffer;
    pad?: number;
  }
  export function encrypt(buffer: Buffer, params: EceParams): Buffer;
  export function decrypt(buffer: Buffer, params: EceParams): Buffer;
}
