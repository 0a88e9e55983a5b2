/**
 * The differential of a streamed inventory reader against the whole-document one (JSON above
 * JSON_WHOLE_PARSE_BYTES, YAML above YAML_WHOLE_PARSE_CHARS): everything a reader says about an
 * inventory — its error, or two passes' devices, problems and rows — read both ways.
 */
import assert from 'node:assert/strict';
import {
  InventoryError,
  InventoryReader,
  formatInventoryProblem,
  type InventoryFile,
  type InventoryProblem,
} from '../../src/render/inventory.js';

export type Outcome =
  | { error: string[] }
  | {
      defaults: unknown;
      groups: unknown;
      passes: { devices: unknown[]; problems: string[]; rows: number }[];
    };

/** What a reader of `format` says about `input`, read a device at a time or parsed whole. */
export function outcome(
  input: string | Uint8Array | InventoryFile,
  format: 'json' | 'yaml',
  streamed: boolean,
): Outcome {
  const max = streamed ? 0 : Infinity;
  try {
    const reader = new InventoryReader(
      input,
      `inv.${format}`,
      format,
      format === 'json' ? { jsonWholeParseMax: max } : { yamlWholeParseMax: max },
    );
    const passes = [0, 1].map(() => {
      const problems: InventoryProblem[] = [];
      const devices = [...reader.devices(problems)];
      return { devices, problems: problems.map(formatInventoryProblem), rows: reader.lastPassRows };
    });
    return { defaults: reader.defaults, groups: reader.groups, passes };
  } catch (err) {
    assert.ok(err instanceof InventoryError, `not an InventoryError: ${String(err)}`);
    return { error: err.problems.map(formatInventoryProblem) };
  }
}

/** Asserts both ways say the same about `text`; returns what they say. */
export function assertSameBothWays(text: string, format: 'json' | 'yaml'): Outcome {
  const whole = outcome(text, format, false);
  assert.deepEqual(outcome(text, format, true), whole, text.length < 600 ? text : undefined);
  return whole;
}
