import { defineRule } from '../define-rule.js';

/**
 * A guide's spelling of a name the phone's own export spells otherwise (`Report_to_Server`
 * for `Report_To_Server`): accepted, but the export's spelling is what the phone reports back
 * and what every other tool will show.
 */
export default defineRule({
  id: 'parameter-alias',
  severity: 'warning',
  description: "a guide's spelling of a parameter the phone exports under another name",
  check(context) {
    // The ATA's <router-configuration> leaves too (WAN_Static_IP6_Gateway for the export's …Gatway).
    for (const parameter of context.document.everyParameter) {
      const match = parameter.match;
      if (!match?.alias || parameter.nested) continue;
      const canonical = match.entry.name
        .replace('{n}', String(match.index ?? '{n}'))
        .replace('{m}', String(match.subIndex ?? '{m}'));
      context.report({
        offset: parameter.offset + 1,
        message: `${parameter.name} is a guide spelling; the phone exports it as ${canonical}`,
        hint: `write ${canonical}`,
      });
    }
  },
});
