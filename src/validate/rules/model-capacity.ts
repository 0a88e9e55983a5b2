import type { PhoneModel } from '../../device/models.js';
import type { IndexKind } from '../../profile/catalog.js';
import { defineRule } from '../define-rule.js';

/** What each index kind is bounded by on a model; kinds without a model figure are skipped. */
const CAPACITY: Partial<Record<IndexKind, { of: (m: PhoneModel) => number; noun: string }>> = {
  line: { of: (m) => m.lines, noun: 'lines' },
  key: { of: (m) => m.lineKeys, noun: 'line keys' },
  'kem-unit': { of: (m) => m.maxExpansionModules, noun: 'key expansion modules' },
};

/** An index beyond what the model has: the phone ignores the parameter (needs --model). */
export default defineRule({
  id: 'model-capacity',
  severity: 'error',
  description: 'line, line-key and expansion-module indexes fit the model given with --model',
  check(context) {
    const model = context.model;
    if (!model) return;
    for (const parameter of context.document.parameters) {
      const match = parameter.match;
      if (!match || parameter.nested) continue;
      const checks: [IndexKind | undefined, number | undefined][] = [
        [match.entry.index?.kind, match.index],
        [match.entry.subIndex?.kind, match.subIndex],
      ];
      for (const [kind, index] of checks) {
        const capacity = kind && CAPACITY[kind];
        if (!capacity || index === undefined) continue;
        const available = capacity.of(model);
        if (index <= available) continue;
        context.report({
          offset: parameter.offset + 1,
          message: `${parameter.name}: index ${index} is beyond the ${available} ${capacity.noun} of the ${model.productName}`,
          hint: 'the phone ignores it; check the model or the template',
        });
      }
    }
  },
});
