import { defineRule } from '../define-rule.js';

/**
 * Cisco: parameters are children of <flat-profile>, the root or wrapped (reference §1). Names
 * are case-sensitive (reference §1), so `<Flat-Profile>` or `<flat_profile>` is not it: the phone
 * reads no parameter from the file. Such an element is named, where it is.
 */
export default defineRule({
  id: 'flat-profile-missing',
  severity: 'error',
  description:
    'a <flat-profile> element exists, as the root or wrapped (e.g. <device><flat-profile>)',
  check(context) {
    const { root, flatProfiles, nearFlatProfile } = context.document;
    if (flatProfiles.length > 0 || !root) return;
    const hint = 'the phone reads parameters only from the children of <flat-profile>';
    if (nearFlatProfile !== undefined) {
      context.report({
        offset: nearFlatProfile.offset,
        message:
          `no <flat-profile> element: <${nearFlatProfile.name}> is not <flat-profile>` +
          (nearFlatProfile.name.toLowerCase() === 'flat-profile'
            ? ' (element names are case-sensitive)'
            : ''),
        hint,
      });
      return;
    }
    context.report({
      offset: root.offset,
      message: `no <flat-profile> element (the root is <${root.name}>)`,
      hint,
    });
  },
});
