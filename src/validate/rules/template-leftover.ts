import { defineRule } from '../define-rule.js';

/**
 * Template syntax that survived rendering (`{{ var }}`, `{% tag %}`, `{# comment #}`): the
 * phone would store it literally. Comments of the profile are skipped.
 */
export default defineRule({
  id: 'template-leftover',
  severity: 'error',
  description: 'no leftover template syntax such as {{ }}, {% %} or {# #}',
  check(context) {
    const { text, scan } = context.document;
    const comments = scan.comments;
    let comment = 0;
    let i = text.indexOf('{');
    while (i >= 0) {
      const next = text[i + 1];
      let found = next === '{' || next === '%';
      if (next === '#') {
        const close = text.indexOf('#}', i + 2);
        const lineEnd = text.indexOf('\n', i);
        found = close >= 0 && (lineEnd < 0 || close < lineEnd);
      }
      if (found) {
        while (comment < comments.length && (comments[comment]?.[1] ?? 0) <= i) comment++;
        const inComment = comment < comments.length && (comments[comment]?.[0] ?? 0) <= i;
        if (!inComment) {
          context.report({
            offset: i,
            message: `leftover template syntax '${text.slice(i, i + 2)}'`,
            hint: 'render the template (cisco-prov render) and check that every variable is set',
          });
          const close = text.indexOf(next === '{' ? '}}' : next === '%' ? '%}' : '#}', i + 2);
          i = text.indexOf('{', close < 0 ? i + 2 : close + 2);
          continue;
        }
      }
      i = text.indexOf('{', i + 1);
    }
  },
});
