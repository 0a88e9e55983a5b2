import { defineRule } from '../define-rule.js';

/** XML 1.0 well-formedness, checked by our own scanner (xml-scanner.ts) with positions. */
export default defineRule({
  id: 'xml-well-formed',
  severity: 'error',
  description:
    'the file is well-formed XML 1.0 in UTF-8 (undefined entities and control characters included)',
  onMalformed: true,
  check(context) {
    const error = context.document.scan.error;
    if (error) {
      context.report({
        offset: error.offset,
        // A reference's text may be a piece of a value: not quoted when values may not be.
        message: context.quoteValues ? error.message : (error.unquoted ?? error.message),
        hint: 'the phone rejects the whole file as a corrupt profile',
      });
    }
  },
});
