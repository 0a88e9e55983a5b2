/**
 * The fast render paths (src/render/fast-values.ts, fast-tags.ts) against LiquidJS's own
 * evaluator: one engine of each kind over a temp directory of templates, and `both()` that renders
 * a template with each and asserts the same bytes out or the same error (message with line and
 * column, and error name).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateChooser, describeTemplateError } from '../../src/render/engine.js';

export type Outcome = { text: string } | { error: string; name: string };

/** What `chooser` makes of `path`: its text, or its error as a user would read it. */
export function outcome(
  chooser: TemplateChooser,
  path: string,
  vars: object,
  root: string,
): Outcome {
  try {
    return { text: chooser.render(path, vars) };
  } catch (err) {
    return { error: describeTemplateError(err, root, chooser.engine), name: (err as Error).name };
  }
}

export interface BothEngines {
  /** The template directory (with a `partials/` folder). */
  dir: string;
  fast: TemplateChooser;
  reference: TemplateChooser;
  /** Renders `template` with both engines; returns the fast one's outcome after comparing. */
  both(template: string, vars: object): Outcome;
}

/** A temp template directory named after `prefix`, and the fast and the reference engine on it. */
export function bothEngines(prefix: string): BothEngines {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'partials'));
  const fast = new TemplateChooser({ root: dir });
  const reference = new TemplateChooser({ root: dir }, { fastValues: false });
  let caseNumber = 0;
  return {
    dir,
    fast,
    reference,
    both(template, vars) {
      const path = join(dir, `case-${++caseNumber}.liquid`);
      writeFileSync(path, template);
      const a = outcome(fast, path, vars, dir);
      const b = outcome(reference, path, vars, dir);
      assert.deepEqual(a, b, `template: ${template}`);
      return a;
    },
  };
}
