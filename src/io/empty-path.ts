/** The empty string given as a path option: a usage error at the door. */
import { usageError } from '../errors.js';

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
      throw usageError(
        `${flag} is empty: give a path`,
        'a shell variable that is not set expands to nothing ("$OUT" with OUT unset)',
      );
    }
  }
}
