/** Formatters for `decrypt --info`: human lines or JSON. Return strings; never print. */
import { containerName, type ProfileInfo } from '../crypto/profile-info.js';
import { safeJson } from './inspect-format.js';
import { escapeControls } from './terminal-text.js';

/**
 * The file name and the aes128gcm key id come from whoever made the file (a phone's upload, a
 * server's directory): shown with control and format characters escaped, in the lines as in
 * the JSON, so that neither can drive or reorder the terminal (as `inspect` shows them).
 */
export function formatProfileInfo(info: ProfileInfo, json: boolean): string {
  if (json) return `${safeJson(info)}\n`;
  const rows: [string, string | number | boolean | null][] = [
    ['file', escapeControls(info.file)],
    ['container', containerName(info.container)],
    ['decrypted', info.decrypted === null ? 'not tried (no key given)' : info.decrypted],
    ['digest', info.digest],
    ['salt', info.salt],
    ['rs', info.rs],
    ['keyid', info.keyid === null ? null : escapeControls(JSON.stringify(info.keyid))],
    ['records', info.records],
    ['gzip', info.gzip],
    ['size', info.sizes.input],
    ['payload size', info.sizes.payload],
    ['plaintext size', info.sizes.plaintext],
  ];
  return rows
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${`${k}:`.padEnd(16)}${String(v)}\n`)
    .join('');
}
