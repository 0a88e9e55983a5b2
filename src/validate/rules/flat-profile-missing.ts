import { defineRule } from '../define-rule.js';

/** Cisco: parameters are children of <flat-profile>, the root or wrapped (reference §1). */
export default defineRule({
  id: 'flat-profile-missing',
  severity: 'error',
  description:
    'a <flat-profile> element exists, as the root or wrapped (e.g. <device><flat-profile>)',
  check(context) {
    const { root, flatProfiles } = context.document;
    if (flatProfiles.length > 0 || !root) return;
    context.report({
      offset: root.offset,
      message: `no <flat-profile> element (the root is <${root.name}>)`,
      hint: 'the phone reads parameters only from the children of <flat-profile>',
    });
  },
});
