/** Formatters for `decrypt --info`: human lines or JSON. Return strings; never print. */
import { containerName, type ProfileInfo } from '../crypto/profile-info.js';

export function formatProfileInfo(info: ProfileInfo, json: boolean): string {
  if (json) return `${JSON.stringify(info)}\n`;
  const rows: [string, string | number | boolean | null][] = [
    ['file', info.file],
    ['container', containerName(info.container)],
    ['decrypted', info.decrypted === null ? 'not tried (no key given)' : info.decrypted],
    ['digest', info.digest],
    ['salt', info.salt],
    ['rs', info.rs],
    ['keyid', info.keyid === null ? null : JSON.stringify(info.keyid)],
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
