/**
 * A one-shot `encrypt` without commander (start-up, issue 12). Shell loops run
 * `cisco-prov encrypt --key-env K p.xml -o p.cfg` once per phone; commander's load, option
 * tables and parse were ~2 ms of CPU of each such start, more than everything here.
 *
 * bin/cisco-prov.cjs runs this bundle (dist/oneshot.cjs) first when argv starts with `encrypt`.
 * It takes argv only in its plainest forms, read by a scan ({@link parseOneShotEncrypt}): each
 * option below at most once,
 * written `--option value` (or its short form), values that do not start with `-`, at most one
 * input. For those it builds exactly the options object commander builds (defaults included;
 * test/unit/cli-oneshot.test.ts holds the two equal) and runs the same code after it (the same
 * checks and messages: test/cli/startup-oneshot.test.ts runs each argv both ways). Anything else
 * — help, a usage error, a batch, `--opt=value`, a repeated option, an option not listed — gets
 * `undefined`, and the full CLI (src/cli.ts) takes the argv from the start, so every message and
 * exit code stays commander's.
 *
 * A named input that ends within WHOLE_INPUT_LIMIT (1 MiB; a profile is tens of kilobytes) is
 * read whole, sealed and written synchronously ({@link encryptOneShot}): no promise, generator or
 * stream between the read and the write, and stdout written without creating process.stdout.
 * stdin and a larger file go to the streamed path (src/cli-oneshot-stream.ts), which the shim
 * loads from its own bundle, dist/oneshot-stream.cjs, only then. Measured (callgrind, net of
 * V8's random hash-seed set-up, main's build against this one): to stdout (/dev/null) 109.0 ->
 * 103.9 M instructions, ~1.1 ms of CPU, nearly all of it process.stdout not created; with `-o`
 * 105.4 either way (bench/RESULTS-startup.md says where that goes).
 *
 * The argv is scanned by hand, taking exactly what parseArgs (strict, the options below) reads
 * without an error in those forms; test/unit/cli-oneshot.test.ts holds the two equal on a random
 * table of argv. parseArgs (bundled from @pkgjs/parseargs so that the code cache held it) cost
 * its modules' load and its option checks at every start: callgrind, medians of 3, net of V8's
 * hash-seed set-up, `-o` over an existing file 104.5 -> 103.1 M instructions (~0.3 ms of CPU),
 * to stdout 103.35 -> 102.2; the bundle 34.7 -> 25.9 KB, its code cache 68 -> 47 KB.
 */
import {
  sealOptions,
  sealWhole,
  WHOLE_INPUT_LIMIT,
  type EncryptOptions,
} from './commands/encrypt.js';
import { ExitCode, type ExitCodeValue } from './errors.js';
import { modeArg } from './io/options.js';
import { joinBytes } from './crypto/bytes.js';
import {
  readInputUpTo,
  stdoutTakesPlainWrites,
  writeStdoutPartsSync,
  type OpenedInput,
} from './io/sync-io.js';
import {
  guardStandardStreams,
  ownDescriptorOf,
  standardStreamsDrained,
  warn,
  writeOutputFile,
} from './io/writer.js';
import { emit } from './output/emit.js';
import { reportFailure } from './output/failure.js';

/** `encrypt`'s options as commander gives them for one input (see src/cli.ts). */
export interface EncryptCliOptions extends EncryptOptions {
  output?: string;
  force?: boolean;
  mode?: number;
}

/** An `encrypt` argv this module runs itself: its one input (stdin when absent) and options. */
export interface OneShotEncrypt {
  input: string | undefined;
  options: EncryptCliOptions;
}

type ValueOption = 'output' | 'cipher' | 'md' | 'salt' | 'mode' | KeyOptionName;
type KeyOptionName = 'key' | 'keyFile' | 'keyEnv' | 'ikm' | 'ikmFile' | 'ikmEnv';
type FlagOption = 'gzip' | 'base64' | 'force' | 'allowEmpty';

/**
 * The option of `encrypt` an argument spells, as the property commander gives it: `--name` for
 * each option taken here (as src/cli.ts spells them), `-o`, `-c` and `-f`; undefined for
 * anything else (`-`, `--`, `--opt=value`, `-fo`, an option not taken here). A switch, not a
 * table: nothing is built at load (start-up, issue 12).
 */
function optionOf(arg: string): ValueOption | FlagOption | undefined {
  switch (arg) {
    case '--output':
    case '-o':
      return 'output';
    case '--cipher':
    case '-c':
      return 'cipher';
    case '--md':
      return 'md';
    case '--salt':
      return 'salt';
    case '--mode':
      return 'mode';
    case '--key':
      return 'key';
    case '--key-file':
      return 'keyFile';
    case '--key-env':
      return 'keyEnv';
    case '--ikm':
      return 'ikm';
    case '--ikm-file':
      return 'ikmFile';
    case '--ikm-env':
      return 'ikmEnv';
    case '--gzip':
      return 'gzip';
    case '--base64':
      return 'base64';
    case '--force':
    case '-f':
      return 'force';
    case '--allow-empty':
      return 'allowEmpty';
    default:
      return undefined;
  }
}

/** Whether a value is outside the choices commander checks (`.choices([...])` in src/cli.ts). */
function notAChoice(name: ValueOption, value: string): boolean {
  if (name === 'cipher') return value !== 'aes-256-cbc' && value !== 'aes128gcm';
  if (name === 'md') return value !== 'md5' && value !== 'sha256';
  return false;
}

/**
 * The input and options of an `encrypt` argv in its plainest forms; undefined for anything the
 * full CLI must take (see the module comment). A scan of the argv that takes exactly what
 * parseArgs (strict, positionals allowed, the options of {@link optionOf}) reads without an error,
 * less the forms
 * left to commander: `--opt=value`, grouped short options (`-fo x`), a short option with its
 * value attached (`-ofile`), a repeated option, `--`, a value or an input starting with `-`.
 * Every argument starting with `-` is then one option of OPTIONS by its whole spelling, and a
 * string option takes the next argument as its value. test/unit/cli-oneshot.test.ts holds it
 * equal to the parseArgs reading (node:util's) on every argv of a random table.
 * @example parseOneShotEncrypt(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'p.cfg'])
 * // { input: 'p.xml', options: { keyEnv: 'K', output: 'p.cfg', md: 'md5', rs: 4096, keyid: '', pad: 0 } }
 */
export function parseOneShotEncrypt(argv: readonly string[]): OneShotEncrypt | undefined {
  if (argv[0] !== 'encrypt') return undefined;
  // Defaults as src/cli.ts declares them (mdOption, --rs, --keyid, --pad).
  const options: EncryptCliOptions = { md: 'md5', rs: 4096, keyid: '', pad: 0 };
  const seen = new Set<string>();
  let input: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) {
      if (input !== undefined) return undefined; // a batch
      input = arg;
      continue;
    }
    const name = optionOf(arg);
    if (name === undefined) return undefined;
    if (seen.has(name)) return undefined; // repeated: the last wins in commander
    seen.add(name);
    if (name === 'gzip' || name === 'base64' || name === 'force' || name === 'allowEmpty') {
      options[name] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith('-') || notAChoice(name, value)) return undefined;
    if (name === 'mode') {
      try {
        options.mode = modeArg(value);
      } catch {
        return undefined; // the full CLI words the usage error
      }
    } else Object.assign(options, { [name]: value });
  }
  return { input, options };
}

/** The streamed one-shot (src/cli-oneshot-stream.ts), from its bundle: see the module comment. */
export interface StreamedOneShot {
  runOneShot(oneShot: OneShotEncrypt, opened?: OpenedInput): Promise<void>;
}

/**
 * One `encrypt` argv of the one-shot path: a small regular file read whole, sealed and written
 * synchronously; everything else streamed (see the module comment). The same checks, in the same
 * order, with the same messages as the streamed path: options and key, then the input (a missing
 * file, an empty one), then the output.
 */
async function encryptOneShot(
  oneShot: OneShotEncrypt,
  streamed: () => StreamedOneShot,
): Promise<void> {
  const { input, options } = oneShot;
  // '' too: encrypt() refuses it as the streamed path does (a usage error naming it).
  if (input === undefined || input === '-' || input === '') return streamed().runOneShot(oneShot);
  const { options: seal, warnings } = sealOptions(options);
  const read = readInputUpTo(input, WHOLE_INPUT_LIMIT);
  if (!(read instanceof Uint8Array)) return streamed().runOneShot(oneShot, read);
  const parts = sealWhole(read, input, seal, options.allowEmpty);
  const { output } = options;
  const toStdout = output === undefined || output === '-' || ownDescriptorOf(output) === 1;
  if (toStdout && stdoutTakesPlainWrites()) {
    // No terminal to refuse binary data to, and no process.stdout to create (src/io/sync-io.ts).
    for (const w of warnings) warn(w);
    writeStdoutPartsSync(parts);
    return;
  }
  if (!toStdout) {
    // A file, as emit() writes one, but the parts as they are (one writev, no copy of the whole).
    for (const w of warnings) warn(w);
    writeOutputFile(
      output,
      parts,
      options.mode !== undefined ? { mode: options.mode, input } : { input },
    );
    return;
  }
  // A terminal (refused unless forced) or another device, through process.stdout.
  // joinBytes, not Buffer.concat: compiled already (the key derivation uses it), where
  // Buffer.concat's first call compiles Node's (~0.6 M instructions).
  const data = parts.length === 1 ? parts[0]! : joinBytes(parts);
  await emit(
    { data, binary: !options.base64, warnings },
    output,
    options.force ?? false,
    options.mode !== undefined ? { mode: options.mode } : {},
  );
}

/**
 * Runs an `encrypt` argv in its plainest forms and returns its exit code; undefined (having done
 * nothing) for any other argv, or when CISCO_PROV_CRYPTO asks for a crypto backend: the full CLI
 * takes those. `streamed` gives the streamed path (bin/cisco-prov.cjs loads its bundle).
 */
export async function main(
  argv: readonly string[],
  streamed: () => StreamedOneShot,
): Promise<ExitCodeValue | undefined> {
  if (process.env.CISCO_PROV_CRYPTO) return undefined;
  const oneShot = parseOneShotEncrypt(argv);
  if (!oneShot) return undefined;
  guardStandardStreams();
  process.on('uncaughtException', (err) => process.exit(reportFailure(err)));
  try {
    await encryptOneShot(oneShot, streamed);
    return ExitCode.Ok;
  } catch (err) {
    return reportFailure(err);
  }
}

/**
 * Ends the process with `code` at once when everything written has been handed to the OS
 * (files are written synchronously; stdout and stderr hold no buffered write): that skips Node's
 * teardown of the heap and platform, about 1 ms of CPU a finished one-shot run does not need.
 * Otherwise the exit code is set and Node ends as usual once the writes are done.
 *
 * At once means process.reallyExit when nothing listens for 'exit': the call process.exit ends
 * with, after it has taken its own ESM 'exit' handler off (Node 20 compiles EventEmitter's
 * removeListener for that alone in a one-shot run) and emitted 'exit' to no listener. Undocumented
 * but kept by Node for the libraries that wrap it (signal-exit); where it is missing, or a
 * listener waits for 'exit', process.exit as before. Callgrind, a one-shot `encrypt -o` over an
 * existing file, net of V8's hash-seed set-up, interleaved medians of 6: 102.98 -> 102.45 M
 * instructions (issue 12).
 */
export function exitWith(code: ExitCodeValue): void {
  if (standardStreamsDrained()) {
    const { reallyExit } = process as unknown as { reallyExit?: (code: number) => never };
    if (typeof reallyExit === 'function' && process.listenerCount('exit') === 0) {
      reallyExit.call(process, code);
    }
    process.exit(code);
  }
  process.exitCode = code;
}
