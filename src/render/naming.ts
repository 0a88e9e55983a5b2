/**
 * Output file names from a `--name` pattern with Cisco's macros, so the file is named the way the
 * phone asks for it: `$MA.xml` (default), `$MA.cfg` when encrypting, `$MAU`, `$MAC`, `$SN`, `$PN`,
 * `$PSN`, and any inventory field as `$(field)` (dotted paths allowed: `$(site.code)`).
 */
import { formatMac } from '../device/mac.js';
import { productSeriesNumber, type PhoneModel } from '../device/models.js';
import { selectSubstring, tokenizeMacros } from '../profile/macros.js';
import type { Vars } from './inventory.js';
import { getPath } from './variables.js';

/**
 * The default `--name`: `$MA.xml`, or `$MA.cfg` for an encrypted profile (reference §2).
 * @example defaultNamePattern(true) // '$MA.cfg'
 */
export function defaultNamePattern(encrypted: boolean): string {
  return encrypted ? '$MA.cfg' : '$MA.xml';
}

/**
 * What a file name can be built from.
 * @example fileNameFor('$MA.xml', { mac: '00562b043615', phone: findModel('8841')!, vars: {} })
 * // { name: '00562b043615.xml' }
 */
export interface NameSubject {
  mac?: string;
  serial?: string;
  phone: PhoneModel;
  vars: Vars;
}

/** The macros a file name may use; the others ($IP, $SWVER…) are only known on the phone. */
const NAME_MACROS = ['MA', 'MAU', 'MAC', 'SN', 'PN', 'PSN'] as const;

function macroValue(name: string, s: NameSubject): string | undefined {
  switch (name) {
    case 'MA':
      return s.mac;
    case 'MAU':
      return s.mac && formatMac(s.mac, 'upper');
    case 'MAC':
      return s.mac && formatMac(s.mac, 'colon');
    case 'SN':
      return s.serial;
    case 'PN':
      return s.phone.productName;
    case 'PSN': {
      // A `psn` inventory field overrides the model number, as it does in templates.
      const psn = s.vars['psn'];
      if ((typeof psn === 'string' && psn !== '') || typeof psn === 'number') return String(psn);
      return productSeriesNumber(s.phone.model);
    }
    default:
      return undefined;
  }
}

/**
 * Expands a name pattern for one device.
 * @example fileNameFor('$MA.cfg', { mac: '00562b043615', phone, vars: {} }) // { name: '00562b043615.cfg' }
 * @returns the relative file name, or an error text (a missing value, an unsafe name)
 */
export function fileNameFor(pattern: string, s: NameSubject): { name: string } | { error: string } {
  let name = '';
  for (const token of tokenizeMacros(pattern)) {
    if (token.kind === 'text') {
      name += token.text;
      continue;
    }
    let value: string | undefined;
    if ((NAME_MACROS as readonly string[]).includes(token.name)) {
      value = macroValue(token.name, s);
      if (value === undefined) {
        const field = token.name === 'SN' ? 'serial' : 'mac';
        return { error: `--name uses ${token.raw} but the device has no ${field}` };
      }
    } else if (token.parenthesized) {
      const v = getPath(s.vars, token.name);
      if (v === undefined || v === null || v === '' || typeof v === 'object') {
        return { error: `--name uses ${token.raw} but the device has no field ${token.name}` };
      }
      value = String(v);
      if (/[/\\]/.test(value) || value === '..' || value === '.') {
        return { error: `--name uses ${token.raw}, whose value would make a path ("${value}")` };
      }
    } else {
      return {
        error: `--name uses ${token.raw}, which only the phone knows (use ${NAME_MACROS.map((n) => `$${n}`).join(' ')} or $(field))`,
      };
    }
    name += selectSubstring(value, token.offset, token.length);
  }
  return checkRelativeName(name);
}

/** A file name must stay inside --out: relative, no `..`, no empty segment, no control character. */
function checkRelativeName(name: string): { name: string } | { error: string } {
  if (name === '') return { error: '--name gives an empty file name' };
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) {
    return { error: `file name "${name}" is absolute; --name must give a name inside --out` };
  }
  // A control character in a file name (an inventory field holding ESC, a newline) would reach
  // every listing and terminal that shows it.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    return { error: `file name ${JSON.stringify(name)} holds a control character` };
  }
  const segments = name.split(/[/\\]/);
  if (segments.some((s) => s === '..' || s === '' || s === '.')) {
    return { error: `file name "${name}" leaves --out or has an empty path segment` };
  }
  const long = segments.find(
    (s) => s.length > NAME_MAX_BYTES / 3 && utf8Length(s) > NAME_MAX_BYTES,
  );
  if (long !== undefined) {
    return {
      error: `file name "${long.slice(0, 40)}…" is ${utf8Length(long)} bytes long; file systems take at most ${NAME_MAX_BYTES} for a name`,
    };
  }
  return { name };
}

/**
 * The longest name of one file or directory: NAME_MAX of Linux's and macOS's file systems, in
 * bytes of UTF-8 (ext4, XFS, APFS; NTFS counts 255 UTF-16 units, never fewer characters).
 */
const NAME_MAX_BYTES = 255;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
