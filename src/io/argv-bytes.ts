/**
 * The command line's arguments as bytes, for naming an argument that is not UTF-8. Node decodes
 * each argument as UTF-8 and turns a byte that is no part of it into U+FFFD: a Latin-1 file
 * name (`caf\xe9.xml`, from an old Windows or Samba share) reaches a command as `caf\ufffd.xml`,
 * the name of no file, and `cannot read caf�.xml: no such file or directory` said nothing of why.
 * On Linux the kernel keeps the bytes the shell passed in /proc/self/cmdline; elsewhere (or when
 * they no longer match what Node decoded) only the decoded text is known.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';

/** An argument Node could not decode: the text it made of it, and its bytes when known. */
export interface UndecodableArgument {
  /** The argument as process.argv holds it, with U+FFFD for each byte that was not UTF-8. */
  text: string;
  /** The bytes the shell passed, or undefined when they cannot be had (no /proc). */
  bytes: Buffer | undefined;
}

/**
 * The arguments after the script's name as the kernel holds them, or undefined: no
 * /proc/self/cmdline, or its tail does not decode to process.argv's (the process was given
 * another title). Node's own options come before the script, so the tail is what lines up.
 */
function rawArguments(argv: readonly string[]): Buffer[] | undefined {
  let cmdline: Buffer;
  try {
    cmdline = readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
  const parts: Buffer[] = [];
  for (let start = 0; start < cmdline.length;) {
    let end = cmdline.indexOf(0, start);
    if (end < 0) end = cmdline.length;
    parts.push(cmdline.subarray(start, end));
    start = end + 1;
  }
  const count = argv.length - 2;
  if (count < 0 || parts.length < count) return undefined;
  const tail = parts.slice(parts.length - count);
  return tail.every((bytes, i) => bytes.toString('utf8') === argv[i + 2]) ? tail : undefined;
}

/**
 * The command-line arguments that were not UTF-8 (those Node gave a U+FFFD), with their bytes
 * where the system keeps them. Empty when every argument was UTF-8: then nothing is read.
 * @param argv process.argv (a test gives its own)
 */
export function undecodableArguments(argv: readonly string[]): UndecodableArgument[] {
  const found: UndecodableArgument[] = [];
  let raw: Buffer[] | undefined;
  let read = false;
  for (let i = 2; i < argv.length; i++) {
    const text = argv[i]!;
    if (!text.includes('\uFFFD')) continue;
    if (!read) {
      raw = rawArguments(argv);
      read = true;
    }
    const bytes = raw?.[i - 2];
    // An argument that holds U+FFFD itself, as UTF-8 (EF BF BD), was decoded as it was given.
    if (bytes !== undefined && isUtf8(bytes)) continue;
    found.push({ text, bytes });
  }
  return found;
}
