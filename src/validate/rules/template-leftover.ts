import { defineRule } from '../define-rule.js';

/**
 * A search for `pattern` in `text` that keeps its answer while the positions asked for only
 * move forward: searching from every `{#` to the end of the text made 40,000 of them take 7 s
 * (issue 10). Returns the first index ≥ `from`, or -1.
 */
function forwardSearch(text: string, pattern: string): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found !== -1 && found < from) found = text.indexOf(pattern, from);
    return found;
  };
}

/**
 * Template syntax that survived rendering (`{{ var }}`, `{% tag %}`, `{# comment #}`): the
 * phone would store it literally. Comments of the profile are skipped. One finding per line, at
 * its first leftover, counting the others on that line: a value holding thousands of `{{` is one
 * mistake to fix, not thousands of lines of output (and thousands of findings made validate's
 * time grow faster than its input, through garbage collection).
 */
export default defineRule({
  id: 'template-leftover',
  severity: 'error',
  description: 'no leftover template syntax such as {{ }}, {% %} or {# #}',
  check(context) {
    const { text, scan } = context.document;
    const comments = scan.comments;
    let comment = 0;
    const closers: Readonly<Record<string, (from: number) => number>> = {
      '{': forwardSearch(text, '}}'),
      '%': forwardSearch(text, '%}'),
      '#': forwardSearch(text, '#}'),
    };
    const nextLineEnd = forwardSearch(text, '\n');
    let pending: { offset: number; token: string; lineEnd: number; more: number } | undefined;
    const flush = (): void => {
      if (pending === undefined) return;
      const more = pending.more > 0 ? ` (and ${pending.more} more on this line)` : '';
      context.report({
        offset: pending.offset,
        message: `leftover template syntax '${pending.token}'${more}`,
        hint: 'render the template (cisco-prov render) and check that every variable is set',
      });
      pending = undefined;
    };
    let i = text.indexOf('{');
    while (i >= 0) {
      const next = text[i + 1] ?? '';
      let found = next === '{' || next === '%';
      if (next === '#') {
        const close = closers['#']?.(i + 2) ?? -1;
        const lineEnd = nextLineEnd(i);
        found = close >= 0 && (lineEnd < 0 || close < lineEnd);
      }
      if (found) {
        while (comment < comments.length && (comments[comment]?.[1] ?? 0) <= i) comment++;
        const inComment = comment < comments.length && (comments[comment]?.[0] ?? 0) <= i;
        if (!inComment) {
          if (pending !== undefined && (pending.lineEnd < 0 || i < pending.lineEnd)) {
            pending.more++;
          } else {
            flush();
            pending = { offset: i, token: text.slice(i, i + 2), lineEnd: nextLineEnd(i), more: 0 };
          }
          const close = closers[next]?.(i + 2) ?? -1;
          i = text.indexOf('{', close < 0 ? i + 2 : close + 2);
          continue;
        }
      }
      i = text.indexOf('{', i + 1);
    }
    flush();
  },
});
