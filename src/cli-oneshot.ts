/**
 * A one-shot `encrypt` without commander (start-up, issue 12). Shell loops run
 * `cisco-prov encrypt --key-env K p.xml -o p.cfg` once per phone; commander's load, option
 * tables and parse were ~2 ms of CPU of each such start, more than everything here.
 *
 * bin/cisco-prov.cjs runs this bundle (dist/oneshot.cjs) first when argv starts with `encrypt`.
 * It takes argv only in its plainest forms: each option below at most once, written
 * `--option value` (or its short form), values that do not start with `-`, at most one input.
 * For those it builds exactly the options object commander builds (defaults included;
 * test/unit/cli-oneshot.test.ts holds the two equal) and runs the same code after it
 * ({@link encryptOne}). Anything else — help, a usage error, a batch, `--opt=value`, a repeated
 * option, an option not listed — gets `undefined`, and the full CLI (src/cli.ts) takes the argv
 * from the start, so every message and exit code stays commander's.
 */
import { encrypt, type EncryptOptions } from './commands/encrypt.js';
import { ExitCode, type ExitCodeValue } from './errors.js';
import { modeArg } from './io/options.js';
import { guardStandardStreams, standardStreamsDrained } from './io/writer.js';
import { emitChunks } from './output/emit.js';
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

/** The options taken here, by every spelling commander accepts for them (src/cli.ts). */
const VALUE_OPTIONS: Readonly<Record<string, ValueOption>> = {
  '-o': 'output',
  '--output': 'output',
  '-c': 'cipher',
  '--cipher': 'cipher',
  '--md': 'md',
  '--salt': 'salt',
  '--mode': 'mode',
  '--key': 'key',
  '--key-file': 'keyFile',
  '--key-env': 'keyEnv',
  '--ikm': 'ikm',
  '--ikm-file': 'ikmFile',
  '--ikm-env': 'ikmEnv',
};
const FLAG_OPTIONS: Readonly<Record<string, FlagOption>> = {
  '--gzip': 'gzip',
  '--base64': 'base64',
  '-f': 'force',
  '--force': 'force',
  '--allow-empty': 'allowEmpty',
};
/** The choices commander checks (`.choices([...])` in src/cli.ts). */
const CHOICES: Partial<Record<ValueOption, readonly string[]>> = {
  cipher: ['aes-256-cbc', 'aes128gcm'],
  md: ['md5', 'sha256'],
};

/**
 * The input and options of an `encrypt` argv in its plainest forms; undefined for anything the
 * full CLI must take (see the module comment).
 * @example parseOneShotEncrypt(['encrypt', '--key-env', 'K', 'p.xml', '-o', 'p.cfg'])
 * // { input: 'p.xml', options: { keyEnv: 'K', output: 'p.cfg', md: 'md5', rs: 4096, keyid: '', pad: 0 } }
 */
export function parseOneShotEncrypt(argv: readonly string[]): OneShotEncrypt | undefined {
  if (argv[0] !== 'encrypt') return undefined;
  const given: Partial<Record<ValueOption, string>> = {};
  const flags: Partial<Record<FlagOption, true>> = {};
  let input: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const token = argv[i]!;
    const valueOption = VALUE_OPTIONS[token];
    if (valueOption !== undefined) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-') || given[valueOption] !== undefined) {
        return undefined;
      }
      if (CHOICES[valueOption] && !CHOICES[valueOption].includes(value)) return undefined;
      given[valueOption] = value;
      continue;
    }
    const flag = FLAG_OPTIONS[token];
    if (flag !== undefined) {
      if (flags[flag]) return undefined;
      flags[flag] = true;
      continue;
    }
    if (token.startsWith('-') || input !== undefined) return undefined;
    input = token;
  }
  let mode: number | undefined;
  if (given.mode !== undefined) {
    try {
      mode = modeArg(given.mode);
    } catch {
      return undefined; // the full CLI words the usage error
    }
  }
  // Defaults as src/cli.ts declares them (mdOption, --rs, --keyid, --pad).
  const options: EncryptCliOptions = { md: 'md5', rs: 4096, keyid: '', pad: 0 };
  for (const [name, value] of Object.entries(given) as [ValueOption, string][]) {
    if (name !== 'mode') Object.assign(options, { [name]: value });
  }
  if (mode !== undefined) options.mode = mode;
  Object.assign(options, flags);
  return { input, options };
}

/**
 * One input encrypted to `-o` or stdout: the action of `encrypt` without --out-dir, shared by
 * src/cli.ts and {@link main}.
 */
export async function encryptOne(
  input: string | undefined,
  options: EncryptCliOptions,
): Promise<void> {
  await emitChunks(await encrypt(input, options), options.output, {
    force: options.force,
    mode: options.mode,
  });
}

/**
 * Runs an `encrypt` argv in its plainest forms and returns its exit code; undefined (having done
 * nothing) for any other argv, or when CISCO_PROV_CRYPTO asks for a crypto backend: the full CLI
 * takes those.
 */
export async function main(argv: readonly string[]): Promise<ExitCodeValue | undefined> {
  if (process.env.CISCO_PROV_CRYPTO) return undefined;
  const oneShot = parseOneShotEncrypt(argv);
  if (!oneShot) return undefined;
  guardStandardStreams();
  process.on('uncaughtException', (err) => process.exit(reportFailure(err)));
  try {
    await encryptOne(oneShot.input, oneShot.options);
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
