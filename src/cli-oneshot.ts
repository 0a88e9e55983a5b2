/**
 * A one-shot `encrypt` without commander (start-up, issue 12). Shell loops run
 * `cisco-prov encrypt --key-env K p.xml -o p.cfg` once per phone; commander's load, option
 * tables and parse were ~2 ms of CPU of each such start, more than everything here.
 *
 * bin/cisco-prov.cjs runs this bundle (dist/oneshot.cjs) first when argv starts with `encrypt`.
 * It takes argv only in its plainest forms, read by parseArgs: each option below at most once,
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
 * parseArgs comes from @pkgjs/parseargs — node:util's parseArgs as a package, the same code —
 * bundled into dist/oneshot.cjs, so that the bundle's V8 code cache holds its compiled functions:
 * node:util's copy is compiled from source at every start (Node caches only its modules' top
 * levels). Measured (callgrind, medians of 3 runs): 107.2 -> 105.3 M instructions per one-shot run,
 * ~0.45 ms of CPU. test/unit/cli-oneshot.test.ts holds the two parsers equal on a table of argv.
 */
import { parseArgs } from '@pkgjs/parseargs';
import type { ParseArgsConfig } from 'node:util';
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
 * The options taken here, as parseArgs reads them, with the spellings commander
 * accepts for them (src/cli.ts), and the property commander gives each.
 */
export const OPTIONS = {
  output: { type: 'string', short: 'o' },
  cipher: { type: 'string', short: 'c' },
  md: { type: 'string' },
  salt: { type: 'string' },
  mode: { type: 'string' },
  key: { type: 'string' },
  'key-file': { type: 'string' },
  'key-env': { type: 'string' },
  ikm: { type: 'string' },
  'ikm-file': { type: 'string' },
  'ikm-env': { type: 'string' },
  gzip: { type: 'boolean' },
  base64: { type: 'boolean' },
  force: { type: 'boolean', short: 'f' },
  'allow-empty': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];
const PROPERTY: Readonly<Record<keyof typeof OPTIONS, ValueOption | FlagOption>> = {
  output: 'output',
  cipher: 'cipher',
  md: 'md',
  salt: 'salt',
  mode: 'mode',
  key: 'key',
  'key-file': 'keyFile',
  'key-env': 'keyEnv',
  ikm: 'ikm',
  'ikm-file': 'ikmFile',
  'ikm-env': 'ikmEnv',
  gzip: 'gzip',
  base64: 'base64',
  force: 'force',
  'allow-empty': 'allowEmpty',
};
/** The choices commander checks (`.choices([...])` in src/cli.ts). */
const CHOICES: Partial<Record<ValueOption, readonly string[]>> = {
  cipher: ['aes-256-cbc', 'aes128gcm'],
  md: ['md5', 'sha256'],
};

/**
 * The input and options of an `encrypt` argv in its plainest forms; undefined for anything the
 * full CLI must take (see the module comment). parseArgs reads the argv; what it
 * refuses, and the forms left to commander (`--opt=value`, grouped short options, a repeated
 * option, `--`, a value or an input starting with `-`), go to the full CLI.
 * @example parseOneShotEncrypt(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'p.cfg'])
 * // { input: 'p.xml', options: { keyEnv: 'K', output: 'p.cfg', md: 'md5', rs: 4096, keyid: '', pad: 0 } }
 */
export function parseOneShotEncrypt(argv: readonly string[]): OneShotEncrypt | undefined {
  if (argv[0] !== 'encrypt') return undefined;
  const args = argv.slice(1);
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args,
      options: OPTIONS,
      strict: true,
      allowPositionals: true,
      tokens: true,
    }));
  } catch {
    return undefined; // an unknown option, a missing or ambiguous value: commander words it
  }
  // Defaults as src/cli.ts declares them (mdOption, --rs, --keyid, --pad).
  const options: EncryptCliOptions = { md: 'md5', rs: 4096, keyid: '', pad: 0 };
  const seen = new Set<string>();
  let input: string | undefined;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') return undefined;
    if (token.kind === 'positional') {
      if (token.value.startsWith('-') || input !== undefined) return undefined;
      input = token.value;
      continue;
    }
    const name = PROPERTY[token.name as keyof typeof OPTIONS];
    // `--opt=value` and grouped short options (`-fo x`) are commander's to read.
    if (seen.has(name) || token.inlineValue || args[token.index] !== token.rawName) {
      return undefined;
    }
    seen.add(name);
    if (token.value === undefined) {
      Object.assign(options, { [name]: true });
      continue;
    }
    if (token.value.startsWith('-')) return undefined;
    const choices = CHOICES[name as ValueOption];
    if (choices && !choices.includes(token.value)) return undefined;
    if (name === 'mode') {
      try {
        options.mode = modeArg(token.value);
      } catch {
        return undefined; // the full CLI words the usage error
      }
    } else Object.assign(options, { [name]: token.value });
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
  if (input === undefined || input === '-') return streamed().runOneShot(oneShot);
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
 */
export function exitWith(code: ExitCodeValue): void {
  if (standardStreamsDrained()) process.exit(code);
  process.exitCode = code;
}
