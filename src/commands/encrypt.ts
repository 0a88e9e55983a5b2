/** `cisco-prov encrypt`: gzip (optional) and encrypt a profile for a phone, streamed. */
import {
  sealProfileParts,
  type Cipher,
  type Digest,
  type SealOptions,
} from '../crypto/envelope.js';
import { DEFAULT_RS } from '../crypto/aes128gcm.js';
import { sealStream } from '../crypto/stream.js';
import { usageError } from '../errors.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { inputName } from '../io/input.js';
import { emptyInputError, nonEmptyChunks, openedFileChunks, readChunks } from '../io/streams.js';
import type { OpenedInput } from '../io/sync-io.js';
import {
  refuseOutputOverSecretFile,
  refuseSecretAndInputOnStdin,
  resolveKeys,
  type KeyOptions,
} from '../io/keys.js';
import { parseHexOption } from '../io/options.js';

export interface EncryptOptions extends KeyOptions {
  cipher?: Cipher;
  gzip?: boolean;
  md?: Digest;
  base64?: boolean;
  rs?: number;
  keyid?: string;
  pad?: number;
  salt?: string;
  unsafeFixedSalt?: boolean;
  /** Encrypt an empty input (0 bytes) instead of refusing it (exit 1). */
  allowEmpty?: boolean;
  /** `-o`: refused when it is a file a secret came from. */
  output?: string;
}

export interface EncryptResult {
  /** The sealed bytes, produced as they are pulled (and the input read). */
  chunks: AsyncIterable<Uint8Array>;
  binary: boolean;
  cipher: Cipher;
  /** For stderr, printed before the data (a secret typed on the command line). */
  warnings: string[];
}

/**
 * Checks the options, resolves the secret and returns the sealed stream of the input, once its
 * first byte is in: an empty input is refused (exit 1) unless `allowEmpty`. `opened`: the input
 * file, opened already by the one-shot path (src/cli-oneshot.ts), which streams it from there.
 */
export async function encrypt(
  input: string | undefined,
  opts: EncryptOptions,
  opened?: OpenedInput,
): Promise<EncryptResult> {
  // '' ("$IN" with IN unset): a usage error naming it, not "cannot read no such file" (exit 3).
  refuseEmptyPaths({ 'the input': input });
  refuseSecretAndInputOnStdin(opts, input);
  const { options, cipher, warnings } = sealOptions(opts);
  const source = await nonEmptyChunks(
    opened ? openedFileChunks(opened) : readChunks(input),
    inputName(input),
    'encrypt',
    opts.allowEmpty,
  );
  return {
    chunks: sealStream(source, options),
    binary: !opts.base64,
    cipher,
    warnings,
  };
}

/**
 * The largest input the one-shot path reads whole and seals in one piece (a regular file: a
 * phone's profile is tens of kilobytes). The streamed path reads a file smaller than this in one
 * chunk as well, so memory is the same either way.
 */
export const WHOLE_INPUT_LIMIT = 1 << 20;

/**
 * The sealed file's parts, in order, for an input held whole (the one-shot path's small regular
 * file): the bytes {@link encrypt}'s stream gives, through the core's in-memory API, with no
 * promise, generator or stream in between. An empty input is refused as encrypt refuses it.
 * @param name the input's name for the message
 */
export function sealWhole(
  plaintext: Uint8Array,
  name: string,
  options: SealOptions,
  allowEmpty = false,
): Uint8Array[] {
  if (plaintext.length === 0 && !allowEmpty) throw emptyInputError(name, 'encrypt');
  return sealProfileParts(plaintext, options);
}

/** The encrypt options as the crypto core's SealOptions (usage errors: exit 2). */
export function sealOptions(opts: EncryptOptions): {
  options: SealOptions;
  cipher: Cipher;
  warnings: string[];
} {
  const keys = resolveKeys(opts);
  refuseOutputOverSecretFile(opts.output, keys);
  const cipher: Cipher | undefined =
    opts.cipher ??
    (keys.ikm && !keys.passphrase
      ? 'aes128gcm'
      : keys.passphrase && !keys.ikm
        ? 'aes-256-cbc'
        : undefined);
  if (!cipher) {
    throw usageError(
      keys.ikm ? 'give --cipher: both a key and an IKM were given' : 'no key given',
      'AES-256-CBC: --key-file/--key-env/--key; aes128gcm: --ikm-file/--ikm-env/--ikm',
    );
  }
  if (cipher === 'aes-256-cbc' && !keys.passphrase) {
    throw usageError('--cipher aes-256-cbc needs a passphrase: --key-file, --key-env or --key');
  }
  if (cipher === 'aes128gcm' && !keys.ikm) {
    throw usageError('--cipher aes128gcm needs an IKM: --ikm-file, --ikm-env or --ikm');
  }
  if (cipher === 'aes128gcm' && opts.base64) {
    throw usageError('--base64 is for aes-256-cbc (aes128gcm is an HTTP content coding: binary)');
  }
  const rs = opts.rs ?? DEFAULT_RS;
  const pad = opts.pad ?? 0;
  const keyid = new TextEncoder().encode(opts.keyid ?? '');
  if (keyid.length > 255)
    throw usageError(`--keyid expected at most 255 bytes, got ${keyid.length}`);
  if (cipher === 'aes128gcm' && opts.salt !== undefined && !opts.unsafeFixedSalt) {
    // RFC 8188 §2.2-2.3: key and nonces come from IKM and salt; the same salt twice reuses
    // them, and two ciphertexts XOR to their plaintexts' XOR.
    throw usageError(
      '--salt with aes128gcm reuses the key and nonces of every file encrypted with that IKM',
      'leave the salt random; for test vectors only, add --unsafe-fixed-salt',
    );
  }
  const salt =
    opts.salt !== undefined
      ? parseHexOption('--salt', opts.salt, cipher === 'aes-256-cbc' ? 8 : 16)
      : undefined;
  const options: SealOptions = {
    cipher,
    gzip: opts.gzip ?? false,
    md: opts.md ?? 'md5',
    base64: opts.base64 ?? false,
    rs,
    pad,
    keyid,
    ...(keys.passphrase !== undefined ? { passphrase: keys.passphrase } : {}),
    ...(keys.ikm !== undefined ? { ikm: keys.ikm } : {}),
    ...(salt ? { salt } : {}),
  };
  return { options, cipher, warnings: keys.warnings };
}
