/**
 * YAML scalars that only look like numbers keep the text the admin wrote. YAML's core schema
 * reads `001122334455` (a MAC) as the integer 1122334455, `0201` (an extension) as 201,
 * `001e13123456` (a MAC of Cisco's OUI 00:1E:13) as 1e+10203040 = Infinity, `0x1F` as 31, and a
 * `%YAML 1.1` document reads `001122334455` as the octal 155826477 and `12:30` as 750
 * (sexagesimal). None of that is what a phone profile wants, and the admin never sees it.
 *
 * The rule: a plain scalar becomes a number only when the number, written back, is the same
 * text (`12`, `-3`, `1.5`); any other spelling of a number (leading zeros, `0x…`, `0o…`, `1e3`,
 * `1.50`, `.inf`, `1_000`, `12:30`, an integer beyond 2^53) stays the string as written, and a
 * YAML 1.1 timestamp (`2024-01-05`) stays a string too. Booleans follow the same rule, letter
 * case aside: `true`/`True`/`FALSE` (all YAML 1.2 reads) are booleans, while the other spellings
 * `%YAML 1.1` reads as booleans (`yes`, `no`, `on`, `off`, `y`, `n`) stay the text — the
 * "Norway problem": `display_name: NO` would be `false` and drop the Station_Name, a SIP
 * password `y` would be written `true`.
 */
import type { ScalarTag, Tags } from 'yaml';
import { yaml } from '../lazy-deps.js';

/** The YAML tags whose scalars are numbers, dates or booleans (core and YAML 1.1 schemas). */
const READ_BACK_TAG = /:(int|float|timestamp|bool)$/;

/** Whether a resolved number (or boolean, in any letter case) reads back as its text. */
function isSameText(resolved: unknown, text: string): boolean {
  const value = yaml().isScalar(resolved) ? resolved.value : resolved;
  if (typeof value === 'boolean') return String(value) === text.toLowerCase();
  return typeof value === 'number' && String(value) === text;
}

/**
 * For the `customTags` option of the `yaml` library: the schema's numeric tags, each resolving
 * to its number only when that number is the text as written, else to the text.
 * @example parseDocument('mac: 001122334455', { customTags: keepNumberText }).toJS()
 *   // { mac: '001122334455' }
 */
export function keepNumberText(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag !== 'object' || tag.collection !== undefined || !READ_BACK_TAG.test(tag.tag)) {
      return tag;
    }
    const scalarTag = tag as ScalarTag;
    const resolve = scalarTag.resolve.bind(scalarTag);
    const keeping: ScalarTag = {
      ...scalarTag,
      resolve: (text, onError, options) => {
        const resolved = resolve(text, onError, options);
        return isSameText(resolved, text) ? resolved : text;
      },
    };
    return keeping;
  });
}
