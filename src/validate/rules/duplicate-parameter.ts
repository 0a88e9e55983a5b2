import { LineIndex, NAME_ID_LIMIT, flatCopy } from '../xml-scanner.js';
import { defineRule } from '../define-rule.js';
import type { ProfileParameter } from '../profile-document.js';

/**
 * Names seen, each with the number of the check that saw it last: kept from file to file, so
 * that a fleet's files, which repeat the same names, find them without building a Map each
 * (that Map was ≈ 4 % of validate's time). Bounded; cleared when full.
 */
const lastSeen = new Map<string, number>();
const LAST_SEEN_LIMIT = 50_000;
/** The same by name id (see NAME_ID_LIMIT): an array read instead of a look-up by name. */
const lastSeenById = new Int32Array(NAME_ID_LIMIT);
let checkNumber = 0;

/** Whether some name repeats: one look-up per parameter, in the map kept between files. */
function hasRepeats(parameters: readonly ProfileParameter[]): boolean {
  if (checkNumber === 0x7fffffff) {
    checkNumber = 0;
    lastSeenById.fill(0);
    lastSeen.clear();
  }
  const stamp = ++checkNumber;
  if (lastSeen.size > LAST_SEEN_LIMIT) lastSeen.clear();
  for (const parameter of parameters) {
    const id = parameter.nameId;
    if (id >= 0) {
      if (lastSeenById[id] === stamp) return true;
      lastSeenById[id] = stamp;
      continue;
    }
    const seen = lastSeen.get(parameter.name);
    if (seen === stamp) return true;
    // A new name is stored as a flat copy: a slice would keep its whole profile alive.
    lastSeen.set(seen === undefined ? flatCopy(parameter.name) : parameter.name, stamp);
  }
  return false;
}

/** Cisco admin guide: a repeated parameter takes its last value (reference §1). */
export default defineRule({
  id: 'duplicate-parameter',
  severity: 'error',
  description: 'each parameter is set once; of duplicates the phone keeps the last',
  check(context) {
    if (!hasRepeats(context.document.parameters)) return;
    // One Map entry per name; lists are built only for the (rare) names that repeat.
    const first = new Map<string, ProfileParameter>();
    let repeats: Map<string, ProfileParameter[]> | undefined;
    for (const parameter of context.document.parameters) {
      const earlier = first.get(parameter.name);
      if (earlier === undefined) {
        first.set(parameter.name, parameter);
        continue;
      }
      repeats ??= new Map();
      const list = repeats.get(parameter.name);
      if (list) list.push(parameter);
      else repeats.set(parameter.name, [earlier, parameter]);
    }
    if (!repeats) return;
    const lines = new LineIndex(context.document.text);
    for (const list of repeats.values()) {
      const positions = list.map((p) => lines.position(p.offset + 1));
      // By line; by line and column when copies share a line (a profile written on one line),
      // where "first on line 1 … the last value, on line 1" would tell nothing.
      const shareALine = new Set(positions.map((p) => p.line)).size < positions.length;
      const where = (k: number): string => {
        const { line, column } = positions[k] as { line: number; column: number };
        return shareALine ? `at ${line}:${column}` : `on line ${line}`;
      };
      for (let k = 1; k < list.length; k++) {
        const parameter = list[k] as ProfileParameter;
        context.report({
          offset: parameter.offset + 1,
          message:
            `${parameter.name} is set again (first ${where(0)}); ` +
            `the phone keeps the last value, ${where(list.length - 1)}`,
          hint: 'remove all but one',
        });
      }
    }
  },
});
