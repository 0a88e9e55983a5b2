/**
 * The one line a failed render reports — render's error, serve's 500 reason and log line — with
 * no secret of the device in it in any form. Masking a secret's own text (maskSecretValues)
 * misses it once a filter has transformed it: `{% raise "bad pw " | append: (sip.password |
 * upcase) %}`, an `undefined variable: lines.HUNTER22` from `lines[key]` after `{% assign key =
 * sip.password | upcase %}`, `Failed to lookup "aHVudGVyMjI="` from an include named by
 * `| base64_encode`. So for a device with secrets the template is rendered again with every
 * secret replaced by as many `*` (maskSecretVariables: the shared classifier's secret fields,
 * the device's key and IKM wherever they are), and the message of that render is reported when it
 * fails at the same place: the same error with `********` (or its `| upcase`, `| slice`…) where
 * the secret was — the file, line, column and what went wrong stay. When it does not fail there
 * (the secret's own text changed the way — `{% if sip.password == "x" %}`), the message is not
 * shown: the place and the kind of error are, with a note that the rest may show a secret. This
 * is the analogue of the validator's `quoteValues: false` (render/check.ts) for template errors:
 * findings there say what kind of value they got; here the value comes from a render that has
 * no secret to show.
 */
import { maskSecretValues } from '../profile/secrets.js';
import type { RenderDiagnostic } from './check.js';
import type { Vars } from './inventory.js';
import { joinTemplateError, templateErrorParts, type TemplateChooser } from './engine.js';
import { maskSecretVariables } from './variables.js';

/** What a render that failed was: the chooser and template it used, and its variables. */
export interface FailedRender {
  chooser: TemplateChooser;
  templatePath: string;
  vars: Vars;
  /** Secrets the variables may hold under names the classifier does not flag (a key, an IKM). */
  keys: readonly string[];
}

/**
 * The one-line message of a failed render, with no secret of the device in any form (see the
 * module comment). The caller still masks the secrets' own text (maskSecretValues), as before.
 * @example describeRenderFailure(err, { chooser, templatePath, vars, keys: [] })
 * // 'mpp.liquid line 4, col 3: bad password ********' (for `{% raise "bad password " | append: sip.password | upcase %}`)
 */
export function describeRenderFailure(err: unknown, failed: FailedRender): string {
  const { chooser } = failed;
  const root = chooser.source.root;
  const parts = templateErrorParts(err, root, chooser.engine);
  // A limit (time, memory, parse length) shows no value, and rendering again would cost it again.
  if (parts.limit) return joinTemplateError(parts);
  const masked = maskSecretVariables(failed.vars, failed.keys);
  if (!masked) return joinTemplateError(parts);
  let again: ReturnType<typeof templateErrorParts> | undefined;
  try {
    chooser.render(failed.templatePath, masked);
  } catch (maskedErr) {
    again = templateErrorParts(maskedErr, root, chooser.engine);
  }
  if (again && again.where === parts.where && again.raised === parts.raised && !again.limit) {
    return joinTemplateError(again);
  }
  return joinTemplateError({ where: parts.where, what: withheld(parts) });
}

/** The kind of error alone: `{% raise %}`, or LiquidJS's words before its first colon. */
function withheld(parts: ReturnType<typeof templateErrorParts>): string {
  const note =
    'not shown: without the secrets of this device the template does not fail here, so it may show one';
  if (parts.raised) return `{% raise %} (its message is ${note})`;
  const colon = parts.what.indexOf(':');
  const kind = colon > 0 ? parts.what.slice(0, colon) : 'template error';
  return `${kind} (the rest is ${note})`;
}

/** Runs of changed characters this close together are one run (a secret holding a `*`). */
const RUN_GAP = 3;

/**
 * The parts of a rendered profile made from the device's secrets, in whatever form a filter gave
 * them: the template rendered again with the secrets masked (maskSecretVariables), and what
 * differs line by line — character by character where a line kept its length (the mask keeps a
 * secret's length, as `upcase`, `slice` and `base64_encode` of it do), else the line between what
 * both share at its start and end. A finding about such a part (`unknown parameter HUNTER22`
 * from `<{{ sip.password | upcase }}>`) is masked with these. Undefined when the two renders do
 * not line up (the secret's own text changed the way): then nothing found in it can be trusted
 * to be free of one. Empty when the device has no secret the template can see.
 * @example secretFormsIn('<HUNTER22>x</HUNTER22>', failed) // ['HUNTER22', 'HUNTER22']
 */
function secretFormsIn(text: string, failed: FailedRender): string[] | undefined {
  const masked = maskSecretVariables(failed.vars, failed.keys);
  if (!masked) return [];
  let other: string;
  try {
    other = failed.chooser.render(failed.templatePath, masked);
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const otherLines = other.split('\n');
  if (lines.length !== otherLines.length) return undefined;
  const forms: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i]!;
    const b = otherLines[i]!;
    if (a === b) continue;
    if (a.length !== b.length) {
      let start = 0;
      while (start < a.length && start < b.length && a[start] === b[start]) start++;
      let end = 0;
      while (
        end < a.length - start &&
        end < b.length - start &&
        a[a.length - 1 - end] === b[b.length - 1 - end]
      ) {
        end++;
      }
      forms.push(a.slice(start, a.length - end));
      continue;
    }
    let runStart = -1;
    let lastDiff = -1;
    for (let j = 0; j <= a.length; j++) {
      const differs = j < a.length && a[j] !== b[j];
      if (differs) {
        if (runStart < 0) runStart = j;
        lastDiff = j;
      } else if (runStart >= 0 && (j === a.length || j - lastDiff > RUN_GAP)) {
        forms.push(a.slice(runStart, lastDiff + 1));
        runStart = -1;
      }
    }
  }
  return forms;
}

/**
 * Masks, in the findings of a profile that failed its check, every part of it made from a secret
 * (secretFormsIn): an element named by a secret's `| upcase` is a secret's value, shown as
 * `unknown parameter ********`. When the renders do not line up, an unknown parameter's name is
 * not shown at all. Changes the findings in place; the caller masks the secrets' own text after.
 */
export function maskSecretForms(
  diagnostics: RenderDiagnostic[],
  text: string,
  failed: FailedRender,
): void {
  const forms = secretFormsIn(text, failed);
  if (forms?.length === 0) return;
  for (const d of diagnostics) {
    if (forms) {
      d.message = maskSecretValues(d.message, forms);
      if (d.hint !== undefined) d.hint = maskSecretValues(d.hint, forms);
    } else if (d.ruleId === 'unknown-parameter') {
      d.message = `unknown parameter (its name is not shown: it may be made from a secret of this device)`;
    }
  }
}
