/** The empty string given as a path option: a usage error at the door. */
import { usageError } from '../errors.js';

/**
 * The hint of an empty path: names what was given as '' (the option or argument at fault) and
 * the usual cause, without guessing the variable's name (`--keys "$KEYS"` is not `$OUT`).
 * @param what the option (`--inventory`) or argument (`the input`) given as ''
 */
export function emptyPathHint(what: string): string {
  return `${what} was given as '' (a quoted shell variable that is not set expands to nothing)`;
}

/**
 * Refuses (exit 2) a path option given as the empty string, before anything is read or written:
 * `-o "$OUT"` or `--reports "$DIR"` with the variable unset in a script. An empty path resolves
 * to the current directory: `drift --reports ''` read every file under it as a phone's report,
 * and `-o ''` failed only after the work with `cannot write is a directory` (exit 3).
 * @param paths option name (`-o`, `--out-dir`) → its value, undefined when not given
 */
export function refuseEmptyPaths(paths: Readonly<Record<string, string | undefined>>): void {
  for (const [flag, value] of Object.entries(paths)) {
    if (value === '') {
      throw usageError(`${flag} is empty: give a path`, emptyPathHint(flag));
    }
  }
}
