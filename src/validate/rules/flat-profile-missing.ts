import { defineRule } from '../define-rule.js';

/** Cisco: parameters are children of <flat-profile>, the root or wrapped (reference §1). */
export default defineRule({
  id: 'flat-profile-missing',
  severity: 'error',
  description:
    'a <flat-profile> element exists, as the root or wrapped (e.g. <device><flat-profile>)',
  check(context) {
    const { scan, flatProfiles } = context.document;
    if (flatProfiles.length > 0 || !scan.root) return;
    context.report({
      offset: scan.root.offset,
      message: `no <flat-profile> element (the root is <${scan.root.name}>)`,
      hint: 'the phone reads parameters only from the children of <flat-profile>',
    });
  },
});
