/** `cisco-prov decrypt`: open an encrypted (or gzip'd, or plain) profile, or describe it. */
import {
  describeContainer,
  openProfile,
  type Digest,
  type OpenedProfile,
} from '../crypto/envelope.js';
import { DEFAULT_MAX_SIZE, DecryptError, SizeLimitError } from '../crypto/errors.js';
import { DEFAULT_PBKDF2_ITERATIONS } from '../crypto/openssl-enc.js';
import { containerName, type ProfileInfo } from '../crypto/profile-info.js';
import { badInput, usageError } from '../errors.js';
import { inputName, readInput } from '../io/input.js';
import { resolveKeys, type KeyOptions } from '../io/keys.js';
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
}

export type DecryptResult =
  | { kind: 'plaintext'; data: Uint8Array; binary: boolean; notes: string[]; warnings: string[] }
  | { kind: 'info'; info: ProfileInfo; warnings: string[] };

function digestName(opened: OpenedProfile): string | null {
  const d = opened.derivation;
  if (!d) return null;
  return d.kind === 'evp' ? d.md : `pbkdf2-${d.md} (${d.iterations} iterations)`;
}

/** Exit 1 naming what grew past --max-size. */
export function sizeLimitHit(name: string, err: SizeLimitError) {
  return badInput(
    `${name}: ${err.what} exceeds --max-size ${describeSize(err.limit)}`,
    'raise --max-size if the file is genuine',
  );
}

/** Reads, detects, decrypts and gunzips; or, with `info`, describes. */
export async function decrypt(
  input: string | undefined,
  opts: DecryptOptions,
): Promise<DecryptResult> {
  const keys = resolveKeys(opts);
  const iterations = opts.iter ?? DEFAULT_PBKDF2_ITERATIONS;
  const maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
  const name = inputName(input);
  const data = await readInput(input);
  const header = describeContainer(data, keys.ikm !== undefined);
  const encrypted = header.container !== 'plain' && header.container !== 'gzip';

  if (opts.info && !keys.passphrase && !keys.ikm) {
    return {
      kind: 'info',
      warnings: keys.warnings,
      info: {
        file: name,
        container: header.container,
        decrypted: null,
        digest: null,
        salt: header.salt ?? null,
        rs: header.rs ?? null,
        keyid: header.keyid ?? null,
        records: null,
        gzip: header.container === 'gzip' ? true : encrypted ? null : false,
        sizes: { input: data.length, payload: null, plaintext: null },
      },
    };
  }
  if (header.container === 'unknown') {
    throw badInput(
      `${name}: not XML, gzip or an OpenSSL enc file`,
      'an RFC 8188 aes128gcm body has no magic bytes: give --ikm-file or --ikm-env',
    );
  }
  if (
    (header.container === 'openssl-enc' || header.container === 'openssl-enc-base64') &&
    !keys.passphrase
  ) {
    throw usageError(
      `${name} is ${containerName(header.container)}: a passphrase is needed`,
      'give --key-file, --key-env or --key',
    );
  }

  let opened: OpenedProfile;
  try {
    opened = openProfile(data, {
      ...(keys.passphrase !== undefined ? { passphrase: keys.passphrase } : {}),
      ...(keys.ikm !== undefined ? { ikm: keys.ikm } : {}),
      ...(opts.md ? { md: opts.md } : {}),
      ...(opts.pbkdf2 ? { pbkdf2: { iterations } } : {}),
      gunzip: opts.gunzip !== false,
      raw: opts.raw ?? false,
      maxSize,
    });
  } catch (err) {
    if (err instanceof DecryptError) throw badInput(`bad decrypt: ${name}`);
    if (err instanceof SizeLimitError) throw sizeLimitHit(name, err);
    throw err;
  }

  if (opts.info) {
    return {
      kind: 'info',
      warnings: keys.warnings,
      info: {
        file: name,
        container: opened.container,
        decrypted: true,
        digest: digestName(opened),
        salt: opened.salt ?? null,
        rs: opened.rs ?? null,
        keyid: opened.keyid ?? null,
        records: opened.records ?? null,
        gzip: opened.gzip,
        sizes: opened.sizes,
      },
    };
  }
  const notes: string[] = [];
  if (opened.container === 'plain') notes.push(`${name} is not encrypted: passing it through`);
  if (opened.container === 'gzip') notes.push(`${name} is gzip, not encrypted`);
  const stillGzip = opened.gzip && opts.gunzip === false;
  return {
    kind: 'plaintext',
    data: opened.plaintext,
    binary: stillGzip,
    notes,
    warnings: keys.warnings,
  };
}
