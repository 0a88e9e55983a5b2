/**
 * Report_Rule uploads: the phone POSTs or PUTs its configuration (reference §1, `Report_Rule`,
 * `HTTP_Report_Method`). Encrypted with AES-256-CBC when the rule has `--key`, else with RFC 8188
 * (`Content-Encoding: aes128gcm`) when the phone holds an IKM; plain XML otherwise. The
 * decrypted report is kept under `--reports/<device>/`, the last few per device, written
 * atomically with mode 0600 (a report holds the phone's secrets).
 *
 * Several instances may share the directory: names carry the time and a random tag, so two
 * writers never collide, and pruning tolerates a file another instance removed first.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  accessSync,
  constants,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DecryptError, isGzip, looksLikeXml, openProfile } from '../crypto/index.js';
import { joinFsPath } from '../io/dir-names.js';
import type { FormChoice } from './profiles.js';

export interface ReportStoreOptions {
  dir: string;
  /** Reports kept per device (oldest removed first). */
  keep: number;
  /** Largest plaintext accepted after decrypting and gunzipping. */
  maxPlaintextBytes: number;
}

/** The keys a device's report may be opened with. */
export interface ReportKeys {
  passphrase?: string | undefined;
  ikm?: Uint8Array | undefined;
}

/** Keys for a report from the device's form choices (both may apply). */
export function reportKeysOf(choices: readonly (FormChoice | { error: string })[]): ReportKeys {
  const keys: ReportKeys = {};
  for (const c of choices) {
    if ('error' in c) continue;
    if (c.passphrase !== undefined) keys.passphrase = c.passphrase;
    if (c.ikm !== undefined) keys.ikm = c.ikm;
  }
  return keys;
}

/**
 * Opens a report body: aes128gcm when the request says `Content-Encoding: aes128gcm` (or the
 * body opens under the device's IKM), AES-256-CBC for a `Salted__` body, plain XML or gzip.
 * Never says why a decrypt failed (no oracle).
 */
export function openReport(
  body: Uint8Array,
  contentEncoding: string | undefined,
  keys: ReportKeys,
  maxPlaintextBytes: number,
): { plaintext: Uint8Array; container: string } | { status: 400 | 413 | 415; reason: string } {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity' && encoding !== 'aes128gcm') {
    return { status: 415, reason: `Content-Encoding ${encoding} is not accepted` };
  }
  if (encoding === 'aes128gcm' && keys.ikm === undefined) {
    return { status: 400, reason: 'aes128gcm report but the device has no IKM' };
  }
  let opened;
  try {
    opened = openProfile(body, {
      ...(keys.passphrase !== undefined ? { passphrase: keys.passphrase } : {}),
      ...(keys.ikm !== undefined ? { ikm: keys.ikm } : {}),
      gunzip: false,
    });
  } catch (err) {
    if (err instanceof DecryptError) return { status: 400, reason: 'bad decrypt' };
    if (err instanceof TypeError)
      return { status: 400, reason: 'encrypted report but the device has no key' };
    return { status: 400, reason: 'unreadable report' };
  }
  if (encoding === 'aes128gcm' && opened.container !== 'aes128gcm') {
    return { status: 400, reason: 'bad decrypt' };
  }
  let plaintext = opened.plaintext;
  if (isGzip(plaintext)) {
    try {
      plaintext = gunzipSync(plaintext, { maxOutputLength: maxPlaintextBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return {
          status: 413,
          reason: `report larger than ${maxPlaintextBytes} bytes uncompressed`,
        };
      }
      return { status: 400, reason: 'corrupt gzip in report' };
    }
  }
  if (plaintext.length > maxPlaintextBytes) {
    return { status: 413, reason: `report larger than ${maxPlaintextBytes} bytes` };
  }
  if (!looksLikeXml(plaintext)) return { status: 400, reason: 'report is not XML' };
  return { plaintext, container: opened.container };
}

/** A time stamp that sorts as text: `20261130T084512123Z`. */
function stamp(now: Date): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

const DOT = '.'.charCodeAt(0);
const XML = Buffer.from('.xml');

/** Stores decrypted reports, the last `keep` per device. */
export class ReportStore {
  constructor(readonly options: ReportStoreOptions) {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    // A directory it may not write (another user's): refused at start-up, not by a 500 per upload.
    accessSync(options.dir, constants.W_OK | constants.X_OK);
  }

  /**
   * Writes a report atomically (temp file with mode 0600, then rename) and prunes old ones.
   * @param deviceId the device's MAC or serial (already checked: [0-9A-Za-z._-])
   */
  save(deviceId: string, plaintext: Uint8Array, now = new Date()): string {
    if (!/^[0-9A-Za-z._-]+$/.test(deviceId) || deviceId.startsWith('.')) {
      throw new Error(`unsafe device id for a report file name: ${JSON.stringify(deviceId)}`);
    }
    const dir = join(this.options.dir, deviceId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = `${stamp(now)}-${randomBytes(4).toString('hex')}.xml`;
    const target = join(dir, name);
    const tmp = join(dir, `.${name}.tmp`);
    let fd: number | undefined;
    try {
      fd = openSync(tmp, 'wx', 0o600);
      let offset = 0;
      while (offset < plaintext.length) {
        offset += writeSync(fd, plaintext, offset, plaintext.length - offset);
      }
      closeSync(fd);
      fd = undefined;
      renameSync(tmp, target);
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      rmSync(tmp, { force: true });
      throw err;
    }
    this.prune(dir);
    return target;
  }

  /**
   * Removes all but the newest `keep` reports of a device directory (by name: the time stamp
   * leads it). Names are listed as bytes: as strings, Node would turn a name that is not UTF-8
   * (`caf\xe9.xml`, copied in from an old share) into `caf\ufffd.xml`, which names no file, and
   * `rmSync(…, { force: true })` would pass over it without a word — kept for ever.
   */
  private prune(dir: string): void {
    const reports = readdirSync(dir, { encoding: 'buffer' })
      .filter((n) => n[0] !== DOT && n.length > XML.length && n.subarray(-XML.length).equals(XML))
      .sort(Buffer.compare);
    for (const old of reports.slice(0, Math.max(0, reports.length - this.options.keep))) {
      rmSync(joinFsPath(dir, old), { force: true });
    }
  }
}
