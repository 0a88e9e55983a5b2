import { LineIndex } from '../xml-scanner.js';
import { defineRule } from '../define-rule.js';
import type { ProfileParameter } from '../profile-document.js';

/** Cisco admin guide: a repeated parameter takes its last value (reference §1). */
export default defineRule({
  id: 'duplicate-parameter',
  severity: 'error',
  description: 'each parameter is set once; of duplicates the phone keeps the last',
  check(context) {
    const byName = new Map<string, ProfileParameter[]>();
    let duplicates = false;
    for (const parameter of context.document.parameters) {
      const list = byName.get(parameter.name);
      if (list) {
        list.push(parameter);
        duplicates = true;
      } else byName.set(parameter.name, [parameter]);
    }
    if (!duplicates) return;
    const lines = new LineIndex(context.document.text);
    const lineOf = (p: ProfileParameter): number => lines.position(p.element.offset).line;
    for (const list of byName.values()) {
      if (list.length < 2) continue;
      const last = list[list.length - 1] as ProfileParameter;
      const first = list[0] as ProfileParameter;
      for (const parameter of list.slice(1)) {
        context.report({
          offset: parameter.element.offset + 1,
          message:
            `${parameter.name} is set again (first on line ${lineOf(first)}); ` +
            `the phone keeps the last value, on line ${lineOf(last)}`,
          hint: 'remove all but one',
        });
      }
    }
  },
});
