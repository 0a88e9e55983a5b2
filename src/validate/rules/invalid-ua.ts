import { defineRule } from '../define-rule.js';

const USER_ACCESS = ['na', 'ro', 'rw'];

/** Cisco: ua is na (hidden), ro (read-only) or rw (read/write) — reference §1. */
export default defineRule({
  id: 'invalid-ua',
  severity: 'error',
  description: 'the ua attribute is "na", "ro" or "rw"',
  check(context) {
    for (const parameter of context.document.parameters) {
      const ua = parameter.ua;
      if (!ua || USER_ACCESS.includes(ua.value)) continue;
      const lower = ua.value.trim().toLowerCase();
      context.report({
        offset: ua.valueOffset,
        message: `ua="${ua.value}" on ${parameter.name} must be "na", "ro" or "rw"`,
        ...(USER_ACCESS.includes(lower) ? { hint: `write ua="${lower}"` } : {}),
      });
    }
  },
});
