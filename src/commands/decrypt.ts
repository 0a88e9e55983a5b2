/** `cisco-prov decrypt`: open an encrypted (or gzip'd, or plain) profile, or describe it. */
import { describeContainer, type Container, type Digest } from '../crypto/envelope.js';
import { openStream, type StreamOpenInfo } from '../crypto/stream.js';
import { DEFAULT_MAX_SIZE, DecryptError, SizeLimitError } from '../crypto/errors.js';
import { DEFAULT_PBKDF2_ITERATIONS } from '../crypto/openssl-enc.js';
import { containerName, type ProfileInfo } from '../crypto/profile-info.js';
import { badInput, usageError } from '../errors.js';
import { refuseEmptyPaths } from '../io/empty-path.js';
import { inputName } from '../io/input.js';
import { nonEmptyChunks, readChunks } from '../io/streams.js';
import {
  refuseOutputOverSecretFile,
  refuseSecretAndInputOnStdin,
  resolveKeys,
  type KeyOptions,
} from '../io/keys.js';
import { describeSize } from '../io/options.js';

export interface DecryptOptions extends KeyOptions {
  md?: Digest;
  pbkdf2?: boolean;
  iter?: number;
  gunzip?: boolean;
  raw?: boolean;
  info?: boolean;
  /** Most bytes the gunzipped profile may have: `64M`, `1G`, a number of bytes. */
  maxSize?: number;
  /** `-o`: refused when it is a file a secret came from. */
  output?: string;
}

export type DecryptResult =
  | {
      kind: 'plaintext';
      /** The plaintext as it is decrypted; a failure (bad decrypt, a limit) is thrown from it. */
      chunks: AsyncIterable<Uint8Array>;
      /** Whether the output stays gzip: known once the first chunk is out. */
      binary: () => boolean;
      /** Notes for stderr (what the input was): known once the stream has ended. */
      notes: () => string[];
      warnings: string[];
    }
  | { kind: 'info'; info: ProfileInfo; warnings: string[] };

function digestName(opened: Pick<StreamOpenInfo, 'derivation'>): string | null {
  const d = opened.derivation;
  if (!d) return null;
  return d.kind === 'evp' ? d.md : `pbkdf2-${d.md} (${d.iterations} iterations)`;
}

/** Exit 1 naming what grew past --max-size. */
function sizeLimitHit(name: string, err: SizeLimitError) {
  return badInput(
    `${name}: ${err.what} exceeds --max-size ${describeSize(err.limit)}`,
    'raise --max-size if the file is genuine',
  );
}

/** Reads, detects, decrypts and gunzips (streamed); or, with `info`, describes. */
export async function decrypt(
  input: string | undefined,
  opts: DecryptOptions,
): Promise<DecryptResult> {
  refuseEmptyPaths({ 'the input': input });
  refuseSecretAndInputOnStdin(opts, input);
  const keys = resolveKeys(opts);
  refuseOutputOverSecretFile(opts.output, keys);
  const iterations = opts.iter ?? DEFAULT_PBKDF2_ITERATIONS;
  const maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
  const name = inputName(input);
  // An empty input is no container at all: one plain line (exit 1), not "not XML or enc".
  const source = await nonEmptyChunks(readChunks(input), name, 'decrypt');

  if (opts.info && !keys.passphrase && !keys.ikm) {
    return { kind: 'info', warnings: keys.warnings, info: await describeWithoutKey(source, name) };
  }

  const { chunks, info } = openStream(source, {
    ...(keys.passphrase !== undefined ? { passphrase: keys.passphrase } : {}),
    ...(keys.ikm !== undefined ? { ikm: keys.ikm } : {}),
    ...(opts.md ? { md: opts.md } : {}),
    ...(opts.pbkdf2 ? { pbkdf2: { iterations } } : {}),
    gunzip: opts.gunzip !== false,
    raw: opts.raw ?? false,
    maxSize,
    onContainer: (container) => refuseContainer(container, name, keys.passphrase !== undefined),
  });
  const plaintext = withFileErrors(chunks, name);

  if (opts.info) {
    for await (const chunk of plaintext) void chunk; // decrypt and check all of it; keep nothing
    return {
      kind: 'info',
      warnings: keys.warnings,
      info: {
        file: name,
        container: info.container,
        decrypted: true,
        digest: digestName(info),
        salt: info.salt ?? null,
        rs: info.rs ?? null,
        keyid: info.keyid ?? null,
        records: info.records ?? null,
        gzip: info.gzip,
        sizes: info.sizes,
      },
    };
  }
  return {
    kind: 'plaintext',
    chunks: plaintext,
    // Known once the first bytes are in: whether what is written stays gzip.
    binary: () => info.gzip && opts.gunzip === false,
    notes: () => {
      if (info.container === 'plain') return [`${name} is not encrypted: passing it through`];
      if (info.container === 'gzip') return [`${name} is gzip, not encrypted`];
      return [];
    },
    warnings: keys.warnings,
  };
}

/** The messages for what cannot be opened at all, before any decryption. */
function refuseContainer(container: Container, name: string, hasPassphrase: boolean): void {
  if (container === 'unknown') {
    throw badInput(
      `${name}: not XML, gzip or an OpenSSL enc file`,
      'an RFC 8188 aes128gcm body has no magic bytes: give --ikm-file or --ikm-env',
    );
  }
  if ((container === 'openssl-enc' || container === 'openssl-enc-base64') && !hasPassphrase) {
    throw usageError(
      `${name} is ${containerName(container)}: a passphrase is needed`,
      'give --key-file, --key-env or --key',
    );
  }
}

/** Crypto errors as one line naming the file: "bad decrypt: <file>" (exit 1), never why. */
async function* withFileErrors(
  chunks: AsyncIterable<Uint8Array>,
  name: string,
): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } catch (err) {
    if (err instanceof DecryptError) throw badInput(`bad decrypt: ${name}`);
    if (err instanceof SizeLimitError) throw sizeLimitHit(name, err);
    throw err;
  }
}

/** `--info` without a key: the header, and the size (the input is read, not kept). */
async function describeWithoutKey(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  name: string,
): Promise<ProfileInfo> {
  const HEAD = 1024;
  const head = new Uint8Array(HEAD);
  let headLength = 0;
  let size = 0;
  for await (const chunk of source) {
    if (headLength < HEAD) {
      const take = chunk.subarray(0, HEAD - headLength);
      head.set(take, headLength);
      headLength += take.length;
    }
    size += chunk.length;
  }
  const header = describeContainer(head.subarray(0, headLength), false);
  const encrypted = header.container !== 'plain' && header.container !== 'gzip';
  return {
    file: name,
    container: header.container,
    decrypted: null,
    digest: null,
    salt: header.salt ?? null,
    rs: header.rs ?? null,
    keyid: header.keyid ?? null,
    records: null,
    gzip: header.container === 'gzip' ? true : encrypted ? null : false,
    sizes: { input: size, payload: null, plaintext: null },
  };
}
