import { isSecretParameter } from '../../profile/secrets.js';
import { defineRule } from '../define-rule.js';

/** `U+00E9 'é'`; the glyph only when it is visible (never a control or bidi character). */
function describeCodePoint(cp: number): string {
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const glyph = String.fromCodePoint(cp);
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(glyph) ? `${code} '${glyph}'` : code;
}

/** Cisco: "The phone firmware only supports ASCII characters" — after entity decoding. */
export default defineRule({
  id: 'non-ascii-value',
  severity: 'error',
  description: 'values are ASCII after entity decoding (the firmware supports ASCII only)',
  check(context) {
    const { document } = context;
    // ASCII text without a character reference (&#…;) holds only ASCII values.
    if (document.ascii && !document.text.includes('&#')) return;
    for (const parameter of document.parameters) {
      if (parameter.nested) continue;
      const value = parameter.value;
      for (let i = 0; i < value.length; i++) {
        const code = value.charCodeAt(i);
        if (code < 0x80) continue;
        const cp = value.codePointAt(i) ?? code;
        // Not even one character of a secret (catalog or classifier), nor of any value when
        // values are not quoted (see RuleContext.quoteValues).
        const hidden =
          !context.quoteValues || isSecretParameter(parameter.name, parameter.match?.entry);
        context.report({
          offset: context.valueOffset(parameter, i),
          message: hidden
            ? `${parameter.name} contains a non-ASCII character (value not shown)`
            : `${parameter.name} contains ${describeCodePoint(cp)}; the phone supports ASCII only`,
          hint: 'replace it with an ASCII character',
        });
        break;
      }
    }
  },
});
