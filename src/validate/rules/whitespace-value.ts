import { defineRule } from '../define-rule.js';

const LEADING = /^[ \t\n]+/;

/**
 * Where the trailing run of space, TAB and LF starts. A loop from the end, not `/[ \t\n]+$/`:
 * that regex retries at every run of white space and was quadratic on a value of many spaces
 * followed by a letter.
 */
function trailingWhiteSpaceStart(value: string): number {
  let end = value.length;
  while (end > 0) {
    const code = value.charCodeAt(end - 1);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a) break;
    end--;
  }
  return end;
}

/** Cisco: leading/trailing white space is stripped, a newline becomes a space (reference §1). */
export default defineRule({
  id: 'whitespace-value',
  severity: 'warning',
  description:
    'no leading or trailing white space and no newline inside a value (the phone changes them)',
  check(context) {
    for (const parameter of context.document.parameters) {
      if (parameter.nested) continue;
      const value = parameter.value;
      if (value === '') continue;
      // Fast path: most values neither start nor end with white space nor hold a newline.
      const first = value.charCodeAt(0);
      const last = value.charCodeAt(value.length - 1);
      if (first > 32 && last > 32 && !value.includes('\n')) continue;
      const trimmedStart = LEADING.exec(value)?.[0].length ?? 0;
      const trimmedEnd = trailingWhiteSpaceStart(value);
      if (trimmedStart === value.length) {
        context.report({
          offset: context.valueOffset(parameter, 0),
          message: `${parameter.name} holds only white space; the phone reads it as empty`,
        });
        continue;
      }
      if (trimmedStart > 0) {
        context.report({
          offset: context.valueOffset(parameter, 0),
          message: `${parameter.name} has leading white space; the phone strips it`,
        });
      }
      const newline = value.indexOf('\n', trimmedStart);
      if (newline >= 0 && newline < trimmedEnd) {
        context.report({
          offset: context.valueOffset(parameter, newline),
          message: `${parameter.name} has a newline inside its value; the phone turns it into a space`,
        });
      }
      if (trimmedEnd < value.length) {
        context.report({
          offset: context.valueOffset(parameter, trimmedEnd),
          message: `${parameter.name} has trailing white space; the phone strips it`,
        });
      }
    }
  },
});
