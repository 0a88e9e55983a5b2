/**
 * MAC addresses: one canonical form (12 lower-case hex digits, Cisco's $MA) and the notations
 * admins write them in.
 */

/**
 * The notations a MAC can be printed in.
 * @example formatMac('00562b043615', 'dot') // '0056.2b04.3615'
 */
export type MacFormat = 'lower' | 'upper' | 'colon' | 'colon-upper' | 'dash' | 'dot';

const SEPARATED = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;
const CISCO_DOTTED = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;
const BARE = /^[0-9a-f]{12}$/i;

/**
 * Normalises a MAC in any common notation to 12 lower-case hex digits.
 * Accepts `00:56:2B:04:36:15`, `00-56-2b-04-36-15`, `0056.2b04.3615`, `00562B043615`.
 * @example normalizeMac('00:56:2B:04:36:15') // '00562b043615'
 * @returns the canonical MAC, or undefined when the text is not a MAC
 */
export function normalizeMac(text: string): string | undefined {
  const t = text.trim();
  if (BARE.test(t) || SEPARATED.test(t) || CISCO_DOTTED.test(t)) {
    return t.replace(/[:.-]/g, '').toLowerCase();
  }
  return undefined;
}

/**
 * Prints a canonical MAC in another notation.
 * @example formatMac('00562b043615', 'colon') // '00:56:2b:04:36:15'
 */
export function formatMac(mac: string, format: MacFormat): string {
  const m = mac.toLowerCase();
  const pairs = m.match(/../g) ?? [];
  switch (format) {
    case 'lower':
      return m;
    case 'upper':
      return m.toUpperCase();
    case 'colon':
      return pairs.join(':');
    case 'colon-upper':
      return pairs.join(':').toUpperCase();
    case 'dash':
      return pairs.join('-');
    case 'dot':
      return `${m.slice(0, 4)}.${m.slice(4, 8)}.${m.slice(8, 12)}`;
  }
}
