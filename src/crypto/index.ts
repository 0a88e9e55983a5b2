/**
 * The crypto core: OpenSSL `enc` (AES-256-CBC) and RFC 8188 aes128gcm, gzip, and the envelope
 * that detects, opens and seals a profile. Pure: bytes in, bytes out.
 */
export { DecryptError, SizeLimitError, DEFAULT_MAX_SIZE, type DecryptFailure } from './errors.js';
export { gunzipStream } from './gzip.js';
export { XmlPlaintextCheck, isWellFormedXmlText, isXmlCharacterText } from './plaintext-check.js';
// The noble backend is not re-exported here: importing the barrel (render, validate) must not
// load it. The library entry (src/index.ts) and the CLI (CISCO_PROV_CRYPTO=noble) load it.
export {
  defaultBackendName,
  getBackend,
  registerBackend,
  setDefaultBackend,
  nodeBackend,
  type BackendName,
  type CryptoBackend,
  type HashName,
} from './backend.js';
export {
  encryptOpensslEnc,
  decryptOpensslEnc,
  evpBytesToKey,
  pbkdf2KeyAndIv,
  readOpensslHeader,
  toOpensslBase64,
  fromOpensslBase64,
  DEFAULT_PBKDF2_ITERATIONS,
  type KeyDerivation,
  type OpensslEncryptOptions,
  type OpensslDecryptOptions,
  type OpensslDecryptResult,
} from './openssl-enc.js';
export {
  encryptAes128gcm,
  decryptAes128gcm,
  readHeader as readAes128gcmHeader,
  deriveKeyAndNonce,
  generateNonce,
  DEFAULT_RS,
  MIN_RS,
  type Aes128gcmEncryptOptions,
  type Aes128gcmDecryptResult,
  type Aes128gcmHeader,
} from './aes128gcm.js';
export {
  sealProfile,
  openProfile,
  parseIkm,
  detectContainer,
  describeContainer,
  looksLikeXml,
  looksLikeProfilePlaintext,
  isGzip,
  gzip,
  gunzip,
  type Cipher,
  type Container,
  type ContainerInfo,
  type Digest,
  type OpenOptions,
  type OpenedProfile,
  type SealOptions,
} from './envelope.js';
export { toHex, fromHex, toBase64url, fromBase64url } from './bytes.js';
