/**
 * The last step of every run that failed: one line on stderr (and a hint), and the exit code.
 * Shared by the CLI (src/cli.ts, after commander's own errors) and the one-shot path without
 * commander (src/cli-oneshot.ts), so both report a failure alike.
 */
import { ExitCode, asCliError, describeSystemError, type ExitCodeValue } from '../errors.js';
import { undecodableArguments } from '../io/argv-bytes.js';
import { escapeBytes, escapeControls } from './terminal-text.js';

/**
 * Turns any thrown value into one line on stderr and an exit code. Never a stack trace (unless
 * CISCO_PROV_DEBUG is set, for an unexpected failure).
 * @example process.exitCode = reportFailure(err)
 */
export function reportFailure(err: unknown): ExitCodeValue {
  const userError = asCliError(err);
  if (userError) {
    const { message, hint } = withUndecodableNames(userError.message, userError.hint);
    // A message names files and echoes values (a file name from a directory walk, a server's
    // status line): whatever the terminal would act on is shown as an escape instead.
    process.stderr.write(`cisco-prov: ${escapeLines(message)}\n`);
    if (hint) process.stderr.write(`  hint: ${escapeControls(hint)}\n`);
    return userError.exitCode;
  }
  const { message, hint } = withUndecodableNames(
    systemErrorLine(err) ??
      `unexpected failure: ${String(err instanceof Error ? err.message : err)}`,
    undefined,
  );
  process.stderr.write(`cisco-prov: ${escapeControls(message)}\n`);
  if (hint) process.stderr.write(`  hint: ${escapeControls(hint)}\n`);
  if (process.env.CISCO_PROV_DEBUG && err instanceof Error && err.stack) {
    process.stderr.write(`${err.stack}\n`);
  }
  return ExitCode.Failure;
}

/** The end of a message about a path that names no file. */
const NO_SUCH_FILE = /: (?:no such file or directory|not a directory)$/;

/**
 * A failure's message with each command-line argument that was not UTF-8 shown by its bytes
 * (`caf\xe9.xml`, or `caf\ufffd.xml` where the system keeps no bytes) instead of Node's U+FFFD,
 * and, when such a name was not found, a hint that says why: Node decodes the command line as
 * UTF-8 and cannot open a file by a name that is not (a file inside a directory given as input
 * is listed by its bytes and reached; src/io/dir-names.ts).
 */
function withUndecodableNames(
  message: string,
  hint: string | undefined,
): { message: string; hint: string | undefined } {
  if (!message.includes('\uFFFD')) return { message, hint };
  let shown = message;
  let named = false;
  for (const arg of undecodableArguments(process.argv)) {
    if (!shown.includes(arg.text)) continue;
    named = true;
    const escaped =
      arg.bytes === undefined ? arg.text.replaceAll('\uFFFD', '\\ufffd') : escapeBytes(arg.bytes);
    shown = shown.replaceAll(arg.text, escaped);
  }
  if (!NO_SUCH_FILE.test(shown)) return { message: shown, hint };
  let why: string;
  if (named) {
    why =
      'the name given is not valid UTF-8 (a byte shown as \\xNN) and Node cannot open a file by ' +
      'such a name: rename the file to UTF-8 (convmv -f latin1 -t utf-8), or give its directory ' +
      'to validate or to an --out-dir batch';
  } else if (process.argv.slice(2).some((arg) => arg.includes('\uFFFD') && shown.includes(arg))) {
    // The argument reached us as UTF-8 holding U+FFFD itself: whatever ran cisco-prov (npx, a
    // wrapper script) decoded a name that was not UTF-8 before passing it on, and its bytes are
    // gone. A file by that name would have been found.
    why =
      'the name holds U+FFFD, the mark a program that passes arguments on (npx, a ' +
      'wrapper script) leaves where a name was not valid UTF-8: rename the file to UTF-8 ' +
      '(convmv -f latin1 -t utf-8), or give its directory to validate or to an --out-dir batch';
  } else {
    return { message: shown, hint };
  }
  return { message: shown, hint: hint === undefined ? why : `${why}; ${hint}` };
}

/** What joins the lines of a failure that is several on purpose (an inventory's problems). */
const LINE_BREAK = '\ncisco-prov: ';

/**
 * A failure's text for stderr: each of its lines one line — a newline in a file name (`cannot
 * read a⏎b.xml`) or a value is shown as `\x0a`, as every control — but a failure that is several
 * lines on purpose (an inventory's problems, joined by LINE_BREAK) stays so.
 * @example escapeLines('cannot read a\nb.xml') // 'cannot read a\\x0ab.xml'
 */
function escapeLines(message: string): string {
  return message.split(LINE_BREAK).map(escapeControls).join(LINE_BREAK);
}

/** System calls that read (or look at) a path; any other that names one writes it. */
const READING_CALLS = new Set([
  'open',
  'read',
  'scandir',
  'opendir',
  'readdir',
  'stat',
  'lstat',
  'access',
  'realpath',
  'readlink',
]);

/**
 * A Node system error that no command turned into a message of its own — a file it cannot read
 * or write met where nobody expected it (`EACCES: permission denied, scandir 'in/sub'` as a user
 * other than root) — as the one line the commands give for those: `cannot read in/sub:
 * permission denied`. Still an I/O failure (exit 3). Undefined for anything else.
 */
function systemErrorLine(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (typeof e?.code !== 'string' || typeof e.syscall !== 'string' || typeof e.path !== 'string') {
    return undefined;
  }
  const verb = READING_CALLS.has(e.syscall) ? 'read' : 'write';
  return `cannot ${verb} ${describeSystemError(e, e.path)}`;
}
