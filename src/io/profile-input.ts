/**
 * Reading a profile for `diff` and `convert`: a file (or stdin) in any form cisco-prov reads —
 * plain, gzip, AES-256-CBC or RFC 8188 aes128gcm, in XML, JSON or YAML — into its parameter map.
 * Errors are one line naming the file; a key never appears in one.
 */
import { isUtf8 } from 'node:buffer';
import {
  DecryptError,
  SizeLimitError,
  detectContainer,
  openProfile,
  type Container,
  type Digest,
} from '../crypto/index.js';
import { CliError, ExitCode, type ExitCodeValue } from '../errors.js';
import {
  notationOfFileName,
  readProfileText,
  sniffNotation,
  type ProfileNotation,
} from '../profile/profile-formats.js';
import { ProfileFormatError, type ParsedProfile } from '../profile/profile-map.js';
import {
  describeNotUtf8,
  firstInvalidUtf8,
  foreignUnicodeMessage,
  sniffUtf16Or32,
} from '../profile/text-encoding.js';
import { inputName, readInput } from './input.js';
import type { ResolvedKeys } from './keys.js';

export interface LoadProfileOptions {
  keys: ResolvedKeys;
  /** Only this EVP_BytesToKey digest for AES-256-CBC (default: md5, then sha256). */
  md?: Digest;
  /** The notation; default from the file name, else from the first character. */
  from?: ProfileNotation;
  /**
   * Exit code for a profile that is read but found bad (corrupt, wrong key, not a profile).
   * `convert` uses 1; `diff` uses 2, since its 1 means "the profiles differ" (as diff(1)).
   */
  badInputExit?: ExitCodeValue;
  /** The name messages use (default: the path as given, or `<stdin>`). */
  displayName?: string;
}

export interface LoadedProfile extends ParsedProfile {
  /** The display name: the path or `<stdin>`. */
  name: string;
  container: Exclude<Container, 'unknown'>;
  notation: ProfileNotation;
}

/** Reads, decrypts, gunzips and parses one profile. */
export async function loadProfile(
  path: string | Buffer | undefined,
  options: LoadProfileOptions,
): Promise<LoadedProfile> {
  // A path of bytes (a name that is not UTF-8, see src/io/dir-names.ts) comes with its
  // displayName, the escaped name.
  const name = options.displayName ?? inputName(typeof path === 'string' ? path : undefined);
  const bad = (message: string, hint?: string): CliError =>
    new CliError(options.badInputExit ?? ExitCode.Bad, message, hint);
  const bytes = await readInput(path, name);
  // Nothing to detect: saying so beats "not XML, JSON, YAML…" and a hint about aes128gcm.
  if (bytes.length === 0) throw bad(`${name}: empty (no profile in it)`);
  // UTF-16/32 text has no magic bytes and is no UTF-8: say what it is (not "not a profile").
  // With an IKM, bytes with no header are an aes128gcm body, whose random salt is no text.
  const foreign = options.keys.ikm === undefined ? sniffUtf16Or32(bytes) : undefined;
  if (foreign) throw bad(`${name}: ${foreignUnicodeMessage(foreign)}`);
  const nameSays = path ? notationOfFileName(typeof path === 'string' ? path : name) : undefined;
  const readAsText = (): { plaintext: Uint8Array; opened: 'plain' } | undefined => {
    // JSON and YAML have no magic bytes either: UTF-8 text that says it is one of them is plain.
    if (detectContainer(bytes, false) !== 'unknown' || !isUtf8(bytes)) return undefined;
    const named = options.from ?? nameSays;
    const says = named ?? sniffNotation(Buffer.from(bytes).toString('utf8'));
    if (says === 'json' || says === 'yaml') return { plaintext: bytes, opened: 'plain' };
    // Text said to be XML (by --from or its name) that starts with no tag (`junk<flat-profile>`):
    // read as XML, so the scanner says what validate says (text before the root element, 1:1).
    // Not with an IKM: an aes128gcm body has no magic bytes either.
    if (named === 'xml' && options.keys.ikm === undefined)
      return { plaintext: bytes, opened: 'plain' };
    return undefined;
  };
  const { plaintext, opened } = readAsText() ?? open(bytes, name, options, bad);
  // Gzipped UTF-16 (plain UTF-16 was told above; a decrypted one is left to the checks below:
  // a wrong key's noise must read as "bad decrypt", nothing else).
  const inner = opened === 'gzip' ? sniffUtf16Or32(plaintext) : undefined;
  if (inner) throw bad(`${name}: ${foreignUnicodeMessage(inner)}`);
  if (!isUtf8(plaintext)) {
    // A wrong key passes the CBC padding check about once in 256 tries: its plaintext is noise.
    if (opened !== 'plain' && opened !== 'gzip') {
      throw bad(`bad decrypt: ${name}`, 'check the key, and that the file is complete');
    }
    throw bad(`${name}: ${describeNotUtf8(plaintext, Math.max(0, firstInvalidUtf8(plaintext)))}`);
  }
  const text = Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.length).toString(
    'utf8',
  );
  const notation = options.from ?? nameSays ?? sniffNotation(text);
  if (notation === undefined) {
    throw bad(
      `${name}: cannot tell whether this is XML, JSON or YAML`,
      'say which with --from xml|json|yaml',
    );
  }
  try {
    return { name, container: opened, notation, ...readProfileText(text, notation) };
  } catch (err) {
    if (err instanceof ProfileFormatError) {
      if (notation === 'json' && err.message.startsWith('not valid JSON')) {
        throw bad(`${name}: ${await placeJsonSyntaxError(text)}${err.message}`);
      }
      const where =
        err.line !== undefined
          ? ` line ${err.line}${err.column ? `, col ${err.column}` : ''}:`
          : '';
      throw bad(`${name}:${where} ${err.message}`);
    }
    throw err;
  }
}

/** Detects the container and decrypts and gunzips with the keys given. */
function open(
  bytes: Uint8Array,
  name: string,
  options: LoadProfileOptions,
  bad: (message: string, hint?: string) => CliError,
): { plaintext: Uint8Array; opened: Exclude<Container, 'unknown'> } {
  const { passphrase, ikm } = options.keys;
  const container = detectContainer(bytes, ikm !== undefined);
  if (container === 'unknown') {
    throw bad(
      `${name}: not XML, JSON, YAML, gzip or an OpenSSL enc file`,
      'an RFC 8188 aes128gcm body has no magic bytes: give --ikm-file or --ikm-env',
    );
  }
  if ((container === 'openssl-enc' || container === 'openssl-enc-base64') && !passphrase) {
    throw new CliError(
      ExitCode.Usage,
      `${name} is AES-256-CBC encrypted: a passphrase is needed`,
      'give --key-file, --key-env or --key',
    );
  }
  try {
    const result = openProfile(bytes, {
      ...(passphrase !== undefined ? { passphrase } : {}),
      ...(ikm !== undefined ? { ikm } : {}),
      ...(options.md ? { md: options.md } : {}),
      // JSON and YAML are profiles too: the XML-or-gzip check would refuse them.
      raw: true,
    });
    return { plaintext: result.plaintext, opened: result.container };
  } catch (err) {
    if (err instanceof DecryptError) {
      throw bad(`bad decrypt: ${name}`, 'check the key, and that the file is complete');
    }
    // A gzip bomb, or simply not a profile: the input is bad, not the program.
    if (err instanceof SizeLimitError) {
      throw bad(`${name}: ${err.what} is larger than ${err.limit} bytes (the limit for a profile)`);
    }
    throw err;
  }
}

/**
 * `line L, col C: ` of a JSON text's first syntax error, for the one V8 gives no position for
 * (Node 20: `Unexpected token 'S', "…" is not valid JSON`), from the streaming JSON reader, whose
 * positions are V8's where both give one (test/unit/render-inventory-json-stream.test.ts).
 * Loaded only here, on an error path.
 */
async function placeJsonSyntaxError(text: string): Promise<string> {
  const { jsonPositions, jsonTextSource, scanJson } = await import('../render/inventory-json.js');
  const json = text.replace(/^\uFEFF/, '');
  const offset = scanJson(jsonTextSource(json), () => false).syntaxError?.offset;
  return offset === undefined ? '' : `${jsonPositions(jsonTextSource(json), [offset])[0]}: `;
}
