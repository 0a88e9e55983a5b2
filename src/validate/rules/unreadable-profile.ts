import { defineRule } from '../define-rule.js';

/**
 * Reported by the command, not by a check on text: an encrypted profile without a key, a bad
 * decrypt or a corrupt gzip stream. Registered so it is documented and can be ignored.
 */
export default defineRule({
  id: 'unreadable-profile',
  severity: 'error',
  description:
    'the file could be read: not encrypted without a key, no bad decrypt, no corrupt gzip, no headerless binary',
  onMalformed: true,
  check() {
    // Nothing to check in text: see src/commands/validate.ts.
  },
});
