import { CATALOG_FAMILIES, entryOnFamily, type CatalogFamily } from '../../profile/catalog.js';
import { defineRule } from '../define-rule.js';

function familyName(family: CatalogFamily): string {
  return family === 'ATA190' ? 'ATA191/192' : family;
}

/**
 * With --model: a parameter that the guides and exports show only on other families (a desk
 * phone's line keys in an ATA profile, the ATA's <router-configuration> in a desk phone's).
 * A warning: the phone ignores it, and a family list drawn from exports may be incomplete.
 */
export default defineRule({
  id: 'model-family',
  severity: 'warning',
  description:
    "with --model: a parameter (or <router-configuration>) that exists only on other families than the model's",
  check(context) {
    const family = context.family;
    if (family === undefined) return;
    const model = context.model?.productName ?? familyName(family);
    if (family !== 'ATA190') {
      for (const section of context.document.routerSections) {
        context.report({
          offset: section.offset + 1,
          message: `<router-configuration> is a section of the ATA191/192 profile; the ${model} ignores it`,
          hint: 'check --model, or remove the section',
        });
      }
    }
    for (const parameter of context.document.parameters) {
      const entry = parameter.match?.entry;
      if (!entry || parameter.nested || entryOnFamily(entry, family)) continue;
      const on = CATALOG_FAMILIES.filter((f) => entryOnFamily(entry, f)).map(familyName);
      context.report({
        offset: parameter.offset + 1,
        message: `${parameter.name} is not a parameter of the ${model} (known on ${on.join(', ')})`,
        hint: 'the phone ignores it; check --model or the template',
      });
    }
  },
});
