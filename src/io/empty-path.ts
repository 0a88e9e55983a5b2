/** The empty string given as a path option: a usage error at the door. */
import { usageError } from '../errors.js';
import { escapeBytes } from '../output/terminal-text.js';
import { undecodableArguments } from './argv-bytes.js';

/** The options that name a file or directory to write (in every command that has them). */
const WRITTEN = new Set(['-o', '--out', '--out-dir', '--access-log']);

/**
 * The hint of an empty path: names what was given as '' (the option or argument at fault) and
 * the usual cause, without guessing the variable's name (`--keys "$KEYS"` is not `$OUT`).
 * @param what the option (`--inventory`) or argument (`the input`) given as ''
 */
function emptyPathHint(what: string): string {
  return `${what} was given as '' (a quoted shell variable that is not set expands to nothing)`;
}

/**
 * Refuses (exit 2) a path option given as the empty string, before anything is read or written:
 * `-o "$OUT"` or `--reports "$DIR"` with the variable unset in a script. An empty path resolves
 * to the current directory: `drift --reports ''` read every file under it as a phone's report,
 * and `-o ''` failed only after the work with `cannot write is a directory` (exit 3). An output
 * (-o, --out, --out-dir, --access-log) whose name was not UTF-8 is refused too.
 * @param paths option name (`-o`, `--out-dir`) → its value, undefined when not given
 */
export function refuseEmptyPaths(paths: Readonly<Record<string, string | undefined>>): void {
  for (const [flag, value] of Object.entries(paths)) {
    if (value === '') {
      throw usageError(`${flag} is empty: give a path`, emptyPathHint(flag));
    }
    if (value?.includes('\uFFFD') && WRITTEN.has(flag)) refuseUndecodableOutput(flag, value);
  }
}

/**
 * Refuses (exit 2) an output named on the command line by bytes that are not UTF-8 (`-o
 * caf\xe9.cfg`, a Latin-1 name): Node made each such byte U+FFFD, and the file would have been
 * written as `caf\ufffd.cfg` (EF BF BD on disk), another name than the one given, with exit 0.
 * A U+FFFD given as UTF-8, or one where the system keeps no bytes of the command line (no
 * /proc), is a name like any other.
 */
export function refuseUndecodableOutput(flag: string, value: string): void {
  for (const arg of undecodableArguments(process.argv)) {
    if (arg.bytes === undefined || !arg.text.endsWith(value)) continue;
    // `--out=caf\xe9`, `-ocaf\xe9`: the option's own part is ASCII, its bytes are its length.
    const prefix = arg.text.slice(0, arg.text.length - value.length);
    const escaped = value.replaceAll('\uFFFD', '\\ufffd');
    const given = prefix.includes('\uFFFD')
      ? escaped
      : escapeBytes(arg.bytes.subarray(Buffer.byteLength(prefix)));
    throw usageError(
      `${flag} ${given}: the name is not valid UTF-8, and Node would write ${escaped}, another name`,
      'give the name in UTF-8 (convmv -f latin1 -t utf-8 converts names already written)',
    );
  }
}
