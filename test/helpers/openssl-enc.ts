/**
 * The `openssl` CLI as the independent peer of the AES-256-CBC profiles (reference §3), and the
 * small profile the encrypt/decrypt tests encrypt.
 */
import { execFileSync } from 'node:child_process';

/** A one-parameter profile whose value names it, so a test sees which file it got back. */
export const displayNameProfile = (name: string): string =>
  `<flat-profile>\n  <Display_Name_1_>${name}</Display_Name_1_>\n</flat-profile>\n`;

/**
 * `openssl enc -d -aes-256-cbc -md md5 -k <pass> -in <file>`: the plaintext; throws when openssl
 * refuses (bad decrypt).
 */
export function opensslDecrypt(file: string, pass: string): string {
  return execFileSync(
    'openssl',
    ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', pass, '-in', file],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
}
