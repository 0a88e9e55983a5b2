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
      if (ua === undefined || USER_ACCESS.includes(ua)) continue;
      const lower = ua.trim().toLowerCase();
      context.report({
        offset: parameter.uaOffset,
        message: `ua="${ua}" on ${parameter.name} must be "na", "ro" or "rw"`,
        ...(USER_ACCESS.includes(lower) ? { hint: `write ua="${lower}"` } : {}),
      });
    }
  },
});
