/**
 * Command-line wiring only: argv → options object → command → formatter → writer.
 * Each command's code is imported lazily so a one-shot `encrypt` loads no XML or template code.
 * One block per command; the work lives in src/commands, the printing in src/output.
 */
import { Command, CommanderError, Option } from 'commander';
import { CliError, ExitCode, usageError, type ExitCodeValue } from './errors.js';
import { startValidateWorkerEarly } from './io/early-workers.js';
import { integerArg, modeArg, ruleIdListArg, sizeArg } from './io/options.js';
import { guardStandardStreams, ownDescriptorOf, standardStreamsDrained } from './io/writer.js';
import { reportFailure } from './output/failure.js';
import { version } from './version.js';
import type { FileDiagnostics, ReportFormat } from './output/diagnostics-format.js';
import type { Diagnostic } from './validate/diagnostic.js';
import type { Digest } from './crypto/index.js';

const EXIT_TABLE = `
Exit codes:
  0  ok
  1  input checked and found bad (validation errors, wrong key, corrupt or truncated file)
  2  usage or configuration error (unknown option, missing argument, bad option value)
  3  I/O or unexpected failure (unreadable file, disk full)`;

/**
 * What each exit code means for each command, exactly as its code returns them; printed as the
 * last lines of the command's --help (after the examples). The general table is EXIT_TABLE;
 * test/cli/help-exit-codes.test.ts requires an entry for every command and subcommand.
 */
export const COMMAND_EXIT_CODES: Readonly<
  Record<string, readonly [ok: string, bad: string, usage: string, failure: string]>
> = {
  encrypt: [
    'encrypted (with --out-dir: every file)',
    'an empty input (0 bytes) without --allow-empty; --out-dir or --keys: a file with no key for it',
    'usage: no key (or a key and an IKM without --cipher), a bad option value, a bad --keys CSV',
    'an input that cannot be read, an output that cannot be written, or an unexpected failure',
  ],
  decrypt: [
    'decrypted (or described, with --info); with --out-dir: every file',
    'bad decrypt (wrong key, corrupt, truncated), not XML/gzip inside, empty, over --max-size, --keys: no key for the file',
    'usage: a bad option value, an enc file without a passphrase, a bad --keys CSV',
    'an input that cannot be read, an output that cannot be written, or an unexpected failure',
  ],
  keygen: [
    'printed (or written to -o)',
    'not used (keygen reads no input)',
    'usage: a bad option value, or the -o file exists (never replaced)',
    'stdout or the -o file cannot be written, or an unexpected failure',
  ],
  render: [
    'every device rendered (and written or unchanged)',
    'a device failed (template error, validation errors) or the inventory is invalid',
    'usage: a bad option value, a --device not in the inventory',
    'a template, inventory or vars file that cannot be read, an output not written, or an unexpected failure',
  ],
  validate: [
    'no errors (warnings only, without --strict)',
    'errors (or warnings with --strict), including an unreadable or undecryptable profile',
    'usage: no input, a bad option value, a --catalog that does not load',
    'an input or --catalog that cannot be read, or an unexpected failure',
  ],
  inspect: [
    'parsed (a string that is not a Cisco User-Agent is a result, not an error)',
    'empty stdin (no User-Agent); --log: an empty log, no line in the common or combined ' +
      'format, a line over the limit',
    'usage: a bad option value',
    'the log cannot be read (or is corrupt gzip), or an unexpected failure',
  ],
  models: [
    'listed',
    'not used',
    'usage: an unknown model, conflicting options (--json with --format csv, --sources with csv)',
    'stdout cannot be written, or an unexpected failure',
  ],
  param: [
    'found',
    'nothing in the catalog matches',
    'usage: an empty name or pattern',
    'stdout cannot be written, or an unexpected failure',
  ],
  rule: [
    'expanded, or the rule parses',
    'grammar errors',
    'usage: a bad option value; expand: a condition that needs a macro without a value',
    'an unexpected failure',
  ],
  'rule expand': [
    'expanded (or no alternative applies)',
    'grammar errors',
    'usage: bad options, or a condition that needs a macro without a value (--var NAME=…)',
    'an unexpected failure',
  ],
  'rule check': [
    'the rule parses',
    'grammar errors',
    'usage: a bad option value',
    'an unexpected failure',
  ],
  serve: [
    'stopped by SIGINT or SIGTERM, every request in flight answered',
    'not used (a request that fails is an HTTP status, not an exit)',
    'usage: a bad option value, templates or an inventory that do not load',
    'cannot listen on the address, a file that cannot be read, requests in flight cut off at stop (a second signal, or still running 10 s after the first), or an unexpected failure',
  ],
  diff: [
    'the profiles hold the same parameters (as diff(1))',
    'they differ',
    'trouble: usage, a profile that is not well-formed, a wrong key (as diff(1))',
    'a file that cannot be read (diff(1) would say 2), or an unexpected failure',
  ],
  convert: [
    'converted',
    'the input is not a profile in its notation, or a wrong key (bad decrypt)',
    'usage: no --to, a bad option value, an encrypted input without its key',
    'an input that cannot be read, an output that cannot be written, or an unexpected failure',
  ],
  drift: [
    'every reported phone in sync',
    'drift, a report or profile that cannot be read, nothing compared (no report file, no ' +
      'reporting phone in the inventory), or an invalid inventory',
    'usage: a bad option value',
    'a file that cannot be read, or an unexpected failure',
  ],
  fleet: [
    'page written',
    'an empty log or no line in the common or combined format; with --reports: the inventory is invalid',
    'usage: a bad --resync-periodic/--error-retry-delay/--now, no log on a terminal, --reports without --inventory, or --inventory/--template/--vars/--key… without --reports',
    'the log cannot be read (or is corrupt gzip), the page cannot be written, or an unexpected failure',
  ],
  fetch: [
    'outcome A',
    'outcome B or C (or --strict and validation errors)',
    'usage: a TFTP URL, no --ua, a rule that does not parse or whose condition needs a fact; ' +
      'a TFTP or --srv rule set by a fetched profile (fetch cannot replay it)',
    'a --ca that cannot be read, -o that cannot be written, or an unexpected failure',
  ],
};

/** The exit-code lines of one command's --help (see COMMAND_EXIT_CODES). */
function exitCodesHelp(path: string): string {
  const meanings = COMMAND_EXIT_CODES[path];
  if (!meanings) return EXIT_TABLE;
  const lines = meanings.map((meaning, code) => `  ${code}  ${meaning}`);
  return `\nExit codes:\n${lines.join('\n')}`;
}

/** Adds the exit-code lines last to a command's help, and to its subcommands'. */
function addExitCodesHelp(command: Command, path: string): void {
  command.addHelpText('after', exitCodesHelp(path));
  for (const sub of command.commands) addExitCodesHelp(sub, `${path} ${sub.name()}`);
}

const SECRETS_HELP = `
Secrets: --key <pass> works but is visible in 'ps' (a warning says so); prefer
--key-file <path> (first line) or --key-env <VAR>. The same goes for --ikm.
The key or IKM given never appears in output, errors or --json (decrypt and
convert print the profile itself, its own passwords included).`;

const IKM_TEXT =
  'UTF-8 text, or hex:<hex> / base64url:<b64> for raw bytes [open: how the phone decodes ' +
  'IKM_HTTP_Encrypt_Content; default UTF-8 text]';

/**
 * The --key* and --ikm* option families, worded alike in every command that takes secrets
 * (resolved by src/io/keys.ts or src/io/secrets.ts).
 */
function withSecretOptions(command: Command, scope = ''): Command {
  return command
    .option(
      '--key <passphrase>',
      `AES-256-CBC passphrase${scope} (visible in ps: prefer the next two)`,
    )
    .option(
      '--key-file <path>',
      'read the passphrase from the first line of a file (- : of stdin; the input must then be a file)',
    )
    .option('--key-env <var>', 'read the passphrase from an environment variable')
    .option('--ikm <ikm>', `RFC 8188 input keying material${scope}: ${IKM_TEXT}`)
    .option(
      '--ikm-file <path>',
      'read the IKM from the first line of a file (- : of stdin; the input must then be a file)',
    )
    .option('--ikm-env <var>', 'read the IKM from an environment variable');
}

const MODE_HELP =
  'permission bits of the file written, octal (e.g. 640 to serve it with a web server group); ' +
  'default: a replaced file keeps its mode, owner and group; a new file is 0600 when it holds ' +
  'plaintext secrets, else 0666 minus the umask';

/** --md for reading: which digests are tried ([open] in the reference: md5 first, then sha256). */
const DECRYPT_MD_HELP =
  'only try this EVP_BytesToKey digest [open: Cisco documents openssl 0.9.7c (md5), newer ' +
  'openssl uses sha256; default: md5, then sha256]';

/** --md for encrypting: EVP_BytesToKey's digest, md5 by default ([open] in the reference). */
function mdOption(): Option {
  return new Option(
    '--md <digest>',
    'EVP_BytesToKey digest [open: Cisco documents openssl 0.9.7c, whose digest is md5]',
  )
    .choices(['md5', 'sha256'])
    .default('md5');
}

/** `--follow-links` of every command that walks input directories (src/io/walk-links.ts). */
const FOLLOW_LINKS_HELP =
  'follow symbolic links met while walking an input directory (default: skip each with a ' +
  'warning, as grep -r and find do; a link named as an input is always followed; a cycle is walked once)';

/** `--inventory-format` of render, drift and fleet: one name, one help text. */
/** inspect's and fleet's --log-format (JSON access logs). */
function logFormatOption(): Option {
  return new Option(
    '--log-format <format>',
    'text (common/combined), json (one object a line: Caddy, Traefik, nginx escape=json, serve), or auto (default): json when the first line starts with {',
  ).choices(['auto', 'text', 'json']);
}

/** inspect's and fleet's --log-field: where a JSON log keeps a field. */
function logFieldOption(): Option {
  return new Option(
    '--log-field <field=key>',
    "JSON logs: a field's key, > between levels (userAgent=request>headers>User-Agent); fields: address, user, time, request, method, path, protocol, status, bytes, referer, userAgent (repeatable)",
  ).argParser((value: string, previous: string[] = []): string[] => [...previous, value]);
}

function inventoryFormatOption(): Option {
  return new Option(
    '--inventory-format <format>',
    'the inventory format, whatever its name (default: by extension; on stdin, sniffed: { or [ json, a first line like key: or - yaml, else csv)',
  ).choices(['csv', 'json', 'yaml']);
}

/** The device facts of `rule expand` and `fetch`: a User-Agent, or one fact at a time. */
function withDeviceOptions(command: Command): Command {
  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
  return command
    .option('--ua <user-agent>', "the phone's User-Agent: model, firmware, MAC or serial")
    .option('--mac <mac>', '$MA/$MAU/$MAC (overrides the User-Agent)')
    .option(
      '--model <model>',
      '$PN and $PSN: 8841, CP-8841-3PCC, ATA191 [open: $PSN is the model number, e.g. 8841; --var PSN=… overrides]',
    )
    .option('--serial <sn>', '$SN')
    .option('--firmware <version>', '$SWVER, as the phone reports it (sip88xx.11-3-2MPP0001-609)')
    .option('--gpp <letter=value>', 'GPP_A..GPP_P, GPP_SA..GPP_SD contents (repeatable)', collect)
    .option(
      '--var <NAME=value>',
      'any macro: HWVER, IP, EXTIP, PRVTMR, REGTMR1, UID1, CCERT… (repeatable)',
      collect,
    );
}

const RULE_KIND_OPTION = (): Option =>
  new Option('--kind <kind>', 'which rule: Profile_Rule*, Upgrade_Rule or Report_Rule')
    .choices(['profile', 'upgrade', 'report'])
    .default('profile');

/** `encrypt|decrypt --out-dir`: the batch, its report on stderr (or JSON on stdout). */
async function runCryptoBatch(
  command: 'encrypt' | 'decrypt',
  inputs: string[],
  opts: { outDir?: string; output?: string; json?: boolean; info?: boolean },
): Promise<ExitCodeValue> {
  const { usageError } = await import('./errors.js');
  if (opts.outDir === undefined) throw usageError(`${command} of several files needs --out-dir`);
  if (opts.output !== undefined) throw usageError('give either -o or --out-dir');
  if (opts.info) throw usageError('--info describes one file: drop --out-dir');
  const { cryptoBatch, batchExitCode, formatBatchJson, formatBatchText } =
    await import('./commands/crypto-batch.js');
  const { warn, writeStdout } = await import('./io/writer.js');
  const { report, warnings } = await cryptoBatch(command, inputs, {
    ...opts,
    outDir: opts.outDir,
  });
  warnings.forEach(warn);
  if (opts.json) await writeStdout(formatBatchJson(report));
  else process.stderr.write(formatBatchText(report));
  return batchExitCode(report);
}

// commander types action arguments as any[]; each action names its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActionArgs = any[];

/**
 * The command argv names first, when it names one (`encrypt` in `encrypt --key-env K p.xml`);
 * undefined for `--help`, `-V`, `help …` and an empty argv.
 */
function onlyCommand(argv: readonly string[]): string | undefined {
  const first = argv[0];
  return first === undefined || first.startsWith('-') || first === 'help' ? undefined : first;
}

/**
 * validate's file names past commander in a few pieces. Commander looks at every argument, twice
 * (the program's parse, then the command's): 10,000 names (a shell's `*.xml`) took ≈ 45 ms of
 * the main thread before the command could start (≈ 5 ms with one name; issue 12). In a run of
 * arguments that do not start with `-`, all but the first are certainly file names: the first
 * may be the value of an option before it, and no option of validate takes more than one
 * (`packable` checks). Those are replaced by one token commander takes as a file name —
 * starting with NUL, which no argument of a real command line can hold — and `unpack` puts them
 * back in their place in the command's inputs.
 */
class PackedArguments {
  readonly argv: string[];
  private readonly packs: string[][] = [];

  constructor(argv: readonly string[]) {
    this.argv = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      this.argv.push(arg);
      if (i === 0 || arg.startsWith('-')) continue;
      let end = i + 1;
      while (end < argv.length && !argv[end]!.startsWith('-')) end++;
      if (end - i - 1 >= PACK_MIN) {
        this.argv.push(`\0${this.packs.length}`);
        this.packs.push(argv.slice(i + 1, end));
        i = end - 1;
      }
    }
  }

  /** The inputs as given: each token replaced by the names it stands for. */
  unpack(inputs: readonly string[]): string[] {
    if (this.packs.length === 0) return [...inputs];
    const out: string[] = [];
    for (const input of inputs) {
      const pack = input.startsWith('\0') ? this.packs[Number(input.slice(1))] : undefined;
      if (pack) for (const name of pack) out.push(name);
      else out.push(input);
    }
    return out;
  }
}

/** Shorter runs of names go to commander as they are. */
const PACK_MIN = 64;

/** Whether no option of `command` takes more than one value (see PackedArguments). */
function packable(command: Command | undefined): boolean {
  return command !== undefined && !command.options.some((o) => o.variadic);
}

/** Runs the CLI on argv (without node and script) and returns the exit code. */
/**
 * Set by a command that has finished all its work when its action returns and leaves a large
 * heap behind (validate over 10,000 files: ≈ 180 MB), see exitWith.
 */
let exitAtOnce = false;

/**
 * How the shim ends a run: at once (process.exit) after a command that set exitAtOnce, when
 * stdout and stderr hold nothing unwritten; else by setting the exit code and letting Node end
 * when nothing is left to do. A natural exit first tears the whole heap down: after a
 * 10,000-file validate ≈ 110–130 ms from the 'exit' event to the process's end, against 55–70
 * with process.exit (3 interleaved runs each, load 14).
 */
export function exitWith(code: ExitCodeValue): void {
  if (exitAtOnce && standardStreamsDrained()) process.exit(code);
  process.exitCode = code;
}

export async function main(argv: readonly string[]): Promise<ExitCodeValue> {
  let exitCode: ExitCodeValue = ExitCode.Ok;
  /**
   * The one runner: every command's action goes through it. The action returns its exit code
   * (nothing means 0); a thrown CliError or DomainError reaches reportError below.
   */
  const run =
    (action: (...args: ActionArgs) => Promise<ExitCodeValue | void>) =>
    async (...args: ActionArgs): Promise<void> => {
      exitCode = (await action(...args)) ?? ExitCode.Ok;
    };
  // A closed pipe (`cisco-prov … | head`) ends the output quietly and the command still exits
  // with its own code; a full disk is one line, exit 3 — never an uncaught stack trace.
  guardStandardStreams();
  process.on('uncaughtException', (err) => process.exit(reportError(err)));

  const program = new Command('cisco-prov')
    .description(
      'Render, encrypt, validate and inspect Cisco MPP (3PCC) IP phone provisioning profiles.',
    )
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => write(`cisco-prov: ${str.replace(/^error: /, '')}`),
    })
    .addHelpText('after', EXIT_TABLE);

  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
  const notationOption = (): Option =>
    new Option(
      '--from <notation>',
      'input notation (default: from the file name, else from the first character)',
    ).choices(['xml', 'json', 'yaml']);

  /**
   * Registers the commands `wants` names (see onlyCommand). One function per command, called
   * only when wanted: V8 compiles a function (and the code cache holds it) only once it runs, so
   * the other commands' option tables and help texts cost a one-shot command nothing.
   */
  const registerCommands = (wants: (name: string) => boolean): void => {
    // ---- encrypt ----
    function registerEncrypt(): void {
      withSecretOptions(
        program
          .command('encrypt')
          .summary('encrypt a profile for a phone (AES-256-CBC or RFC 8188 aes128gcm)')
          .description(
            'Encrypt a profile the way a Cisco MPP phone reads it: AES-256-CBC in OpenSSL `enc` format ' +
              '(for a Profile_Rule with [--key …]) or RFC 8188 aes128gcm (served with ' +
              'Content-Encoding: aes128gcm, key material in IKM_HTTP_Encrypt_Content).',
          )
          .argument(
            '[inputs...]',
            'profile to encrypt; stdin when absent or -. With --out-dir: files and directories (not -)',
          )
          .option('-o, --output <file>', 'write here (atomically) instead of stdout')
          .option(
            '--out-dir <dir>',
            'batch: encrypt every input into this directory (AES-256-CBC: <name>.cfg; aes128gcm keeps the name)',
          )
          .option(
            '--keys <csv>',
            'a key per file from a CSV with columns file or mac, and key and/or ikm, found by file name, then by the MAC in it (one input without --out-dir: its row; stdin refused)',
          )
          .option(
            '-j, --jobs <n>',
            'batch: files worked on at once, each on its own thread (default: one per core, at most 4; a thread per 64 files at most)',
            integerArg('--jobs', 1, 64),
          )
          .option('--json', 'batch: print a JSON report on stdout')
          .option('--follow-links', `batch: ${FOLLOW_LINKS_HELP}`)
          .addOption(
            new Option('-c, --cipher <cipher>', 'cipher (default: from --key or --ikm)').choices([
              'aes-256-cbc',
              'aes128gcm',
            ]),
          )
          .option('--gzip', 'gzip before encrypting (the phone detects gzip itself)')
          .option(
            '--allow-empty',
            'encrypt an empty input (0 bytes) instead of refusing it (exit 1)',
          )
          .addOption(mdOption())
          .option('--base64', 'AES-256-CBC: write base64 as `openssl enc -a` does')
          .option(
            '--rs <n>',
            'aes128gcm record size, >= 18 [open: default 4096]',
            integerArg('--rs', 18, 0xffffffff), // RFC 8188 §2: rs ≥ 18 (MIN_RS)
            4096,
          )
          .option('--keyid <text>', 'aes128gcm key id [open: default empty]', '')
          .option('--pad <n>', 'aes128gcm padding bytes', integerArg('--pad', 0, 1 << 30), 0)
          .option(
            '--salt <hex>',
            'fixed salt for reproducible output (8 bytes CBC; 16 aes128gcm, which also needs --unsafe-fixed-salt); default: a random salt per file',
          )
          .option(
            '--unsafe-fixed-salt',
            'allow --salt with aes128gcm: reuses key and nonces across files (test vectors only)',
          )
          .option('-f, --force', 'write binary output to a terminal')
          .option('--mode <octal>', MODE_HELP, modeArg)
          .addHelpText(
            'after',
            `
Examples:
  cisco-prov encrypt --key-env PROV_KEY profile.xml -o profile.cfg
  cisco-prov encrypt --gzip --key-file key.txt < profile.xml > profile.cfg
  cisco-prov encrypt --cipher aes128gcm --ikm-env PROV_IKM profile.xml -o profile.xml.ece
${SECRETS_HELP}`,
          )
          .action(
            run(async (inputs: string[], opts) => {
              if (opts.outDir !== undefined || inputs.length > 1) {
                return runCryptoBatch('encrypt', inputs, opts);
              }
              if (opts.json === true) {
                throw usageError(
                  '--json needs --out-dir: a single encrypt writes the ciphertext, not a report',
                );
              }
              if (opts.keys !== undefined) {
                const { keysForOneFile } = await import('./commands/crypto-batch.js');
                opts.resolved = keysForOneFile('encrypt', inputs[0], opts);
              }
              // The same code as the one-shot path without commander (bin/cisco-prov.cjs).
              const { encryptOne } = await import('./cli-oneshot-stream.js');
              await encryptOne(inputs[0], opts);
            }),
          ),
      );
    }

    // ---- decrypt ----
    function registerDecrypt(): void {
      withSecretOptions(
        program
          .command('decrypt')
          .summary('decrypt an encrypted profile, or describe it with --info')
          .description(
            'Decrypt a profile. `Salted__` (or its base64 form) is AES-256-CBC: md5 then sha256 are ' +
              'tried unless --md is given. With --ikm the input is RFC 8188 aes128gcm. A gzip payload ' +
              'is gunzipped. Success needs a valid padding/tag and a plaintext that is XML or gzip.',
          )
          .argument(
            '[inputs...]',
            'encrypted profile; stdin when absent or -. With --out-dir: files and directories (not -)',
          )
          .option('-o, --output <file>', 'write here (atomically) instead of stdout')
          .option(
            '--out-dir <dir>',
            'batch: decrypt every input into this directory (<name>.cfg becomes <name>.xml)',
          )
          .option(
            '--keys <csv>',
            'a key per file from a CSV with columns file or mac, and key and/or ikm, found by file name, then by the MAC in it (one input without --out-dir: its row; stdin refused)',
          )
          .option(
            '-j, --jobs <n>',
            'batch: files worked on at once, each on its own thread (default: one per core, at most 4; a thread per 64 files at most)',
            integerArg('--jobs', 1, 64),
          )
          .addOption(new Option('--md <digest>', DECRYPT_MD_HELP).choices(['md5', 'sha256']))
          .option('--pbkdf2', 'the file was made with `openssl enc -pbkdf2` (PBKDF2-HMAC-SHA256)')
          .option(
            '--iter <n>',
            "PBKDF2 iterations (openssl's own number too)",
            integerArg('--iter', 1, 100_000_000),
            10000,
          )
          .option('--no-gunzip', 'leave a gzip payload compressed')
          .option(
            '--raw',
            'skip the checks that the plaintext is XML or gzip (padding/tag still checked)',
          )
          .option(
            '--max-size <size>',
            'most bytes the gunzipped profile may have: 64M (the default), 1G, or bytes (a gzip bomb stops there)',
            sizeArg('--max-size'),
          )
          .option(
            '--info',
            'describe the file (container, digest, salt, rs, sizes) instead of decrypting to output',
          )
          .option('--json', 'with --info: print JSON; with --out-dir: a JSON report')
          .option('--follow-links', `batch: ${FOLLOW_LINKS_HELP}`)
          .option('-f, --force', 'write binary output to a terminal')
          .option('--mode <octal>', MODE_HELP, modeArg)
          .addHelpText(
            'after',
            `
Examples:
  cisco-prov decrypt --key-env PROV_KEY profile.cfg
  cisco-prov decrypt --key-file key.txt --info --json profile.cfg
  cisco-prov decrypt --ikm-env PROV_IKM body.ece -o profile.xml
${SECRETS_HELP}`,
          )
          .action(
            run(async (inputs: string[], opts) => {
              if (opts.outDir !== undefined || inputs.length > 1) {
                return runCryptoBatch('decrypt', inputs, opts);
              }
              // A script asking for JSON must not be handed the plaintext profile instead.
              if (opts.json === true && opts.info !== true) {
                throw usageError(
                  '--json needs --info or --out-dir: a decrypted profile is XML, not JSON',
                  'add --info to describe the file as JSON',
                );
              }
              if (opts.keys !== undefined) {
                const { keysForOneFile } = await import('./commands/crypto-batch.js');
                opts.resolved = keysForOneFile('decrypt', inputs[0], opts);
              }
              const { decrypt } = await import('./commands/decrypt.js');
              const { emit, emitChunks } = await import('./output/emit.js');
              const { STDOUT_HOLD_BACK } = await import('./io/streams.js');
              const { note, warn } = await import('./io/writer.js');
              const result = await decrypt(inputs[0], opts);
              result.warnings.forEach(warn);
              if (result.kind === 'info') {
                const { formatProfileInfo } = await import('./output/decrypt-format.js');
                await emit(
                  { data: formatProfileInfo(result.info, opts.json ?? false), binary: false },
                  opts.output,
                  false,
                  {
                    mode: opts.mode,
                    input: inputs[0] === undefined || inputs[0] === '-' ? 0 : inputs[0],
                  },
                );
                return;
              }
              // A decrypted profile is what the encryption protected: a new file is created 0600.
              await emitChunks({ chunks: result.chunks, binary: result.binary }, opts.output, {
                force: opts.force,
                holdBack: STDOUT_HOLD_BACK,
                secret: true,
                mode: opts.mode,
                input: inputs[0] === undefined || inputs[0] === '-' ? 0 : inputs[0],
              });
              result.notes().forEach(note);
            }),
          ),
      );
    }

    // ---- keygen ----
    function registerKeygen(): void {
      program
        .command('keygen')
        .summary('print a strong random passphrase or IKM')
        .description(
          'Print a random AES-256-CBC passphrase (24 random bytes as 32 base64url characters), or ' +
            'with --ikm an RFC 8188 IKM (16 random bytes as base64url text, whose UTF-8 bytes are ' +
            "the IKM, unless --encoding says otherwise), from the operating system's random " +
            'source. With -o it goes to a new file, created 0600, never over an existing one.',
        )
        .option('--ikm', 'an RFC 8188 IKM instead of an AES-256-CBC passphrase')
        .option(
          '--bytes <n>',
          'random bytes (default 24 for a passphrase, 16 for an IKM)',
          integerArg('--bytes', 16, 1024),
        )
        .addOption(
          new Option(
            '--encoding <enc>',
            'how to print an IKM: text (its UTF-8 bytes are the IKM), hex:, base64url: [open: how the ' +
              'phone decodes IKM_HTTP_Encrypt_Content; default text, its UTF-8 bytes]',
          )
            .choices(['text', 'hex', 'base64url'])
            .default('text'),
        )
        .option(
          '-o, --output <file>',
          'write to a new file, created 0600 and fsynced; an existing file is never replaced ' +
            '(exit 2); - prints',
        )
        .addHelpText(
          'after',
          `
Examples:
  cisco-prov keygen -o key.txt
  cisco-prov keygen --ikm --encoding base64url`,
        )
        .action(
          run(async (opts) => {
            if (opts.ikm !== true && opts.encoding !== 'text') {
              throw usageError(
                `--encoding ${String(opts.encoding)} is for an IKM (--ikm): a passphrase is printed as base64url text`,
              );
            }
            const { keygen, writeKeyFile } = await import('./commands/keygen.js');
            // `-o -` and `-o /dev/stdout` print, as every other command's -o does.
            if (
              typeof opts.output === 'string' &&
              opts.output !== '-' &&
              ownDescriptorOf(opts.output) !== 1
            ) {
              writeKeyFile(opts.output, `${keygen(opts)}\n`);
              return;
            }
            const { writeStdout } = await import('./io/writer.js');
            await writeStdout(`${keygen(opts)}\n`);
          }),
        );
    }

    // ---- render ----
    function registerRender(): void {
      const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
      withSecretOptions(
        program
          .command('render')
          .summary('render one checked profile per phone from Liquid templates and an inventory')
          .description(
            'Render a profile per device from Liquid templates and an inventory (CSV, JSON or YAML). ' +
              'Variables, later layers win: model built-ins → --vars files in order → inventory ' +
              'defaults → the device group → the device row. Each profile is checked by the validator (the ' +
              'rules of `cisco-prov validate`, with the device model) before it is written, ' +
              'atomically; an unchanged profile is not rewritten (with encryption the plaintext is ' +
              'compared, so its old ciphertext and mtime stay). A failing device is reported with its ' +
              'row; the others are still written; exit 1 if any failed.',
          )
          .requiredOption(
            '-i, --inventory <file>',
            'devices: .csv (header row), .json or .yaml; - reads stdin',
          )
          .addOption(inventoryFormatOption())
          .option(
            '-t, --template <file|dir>',
            'a template for every device, or a directory to choose from per device: the row’s ' +
              '`template` field, <model>.liquid, <family>.liquid, default.liquid (default: bundled templates/)',
          )
          .option(
            '--vars <file>',
            'YAML/JSON variables for every device (repeatable, in order)',
            collect,
          )
          .option('-o, --out <dir>', 'output directory (without it, one device goes to stdout)')
          .option(
            '--name <pattern>',
            'file name with Cisco macros: $MA $MAU $MAC $SN $PN $PSN $(field) (default $MA.xml, $MA.cfg when encrypting; $SN.xml, $SN.cfg for a device without a MAC) [open: $PSN is the model number, e.g. 8841, as most guides show; a psn inventory field overrides it]',
          )
          .option('-d, --device <mac|serial>', 'render only this device (repeatable)', collect)
          .option(
            '--explain <mac|serial>',
            'print each variable of a device, its value and the layer that set it (secrets masked)',
          )
          .addOption(
            new Option(
              '--encrypt <cipher>',
              'encrypt each profile in the same pass (aes128gcm: record size 4096, empty key id [open: ' +
                'not documented by Cisco; fixed here, encrypt --rs/--keyid choose others])',
            ).choices(['aes-256-cbc', 'aes128gcm']),
          )
          .option('--key-field <field>', 'each device’s passphrase from this inventory field')
          .option('--ikm-field <field>', 'each device’s IKM from this inventory field')
          .addOption(mdOption())
          .option('--gzip', 'gzip each profile (before encrypting; the phone detects gzip itself)')
          .option(
            '-j, --jobs <n>',
            'threads that render: this one and n − 1 workers (default: one per core, up to 4, for 1000+ devices)',
            integerArg('--jobs', 1, 64),
          )
          .option('-n, --dry-run', 'render and check, report what would be written, write nothing')
          .option(
            '--json',
            'print a JSON report (written / unchanged / failed per device) on stdout; with ' +
              '--explain, the explanation as JSON',
          )
          .option('--mode <octal>', MODE_HELP, modeArg)
          .option(
            '-q, --quiet',
            'no progress, summary or warnings on stderr (errors only; the --key in ps warning stays)',
          )
          .addHelpText(
            'after',
            `
Examples:
  cisco-prov render -i examples/inventory.csv -t templates -o out/
  cisco-prov render -i examples/inventory.yaml --vars examples/site.yaml -o out/ --json
  cisco-prov render -i inventory.csv -o out/ --encrypt aes-256-cbc --key-env PROV_KEY --gzip
  cisco-prov render -i inventory.csv -o out/ --encrypt aes-256-cbc --key-field profile_key
  cisco-prov render -i inventory.csv -t templates/bootstrap.liquid -o boot/ --name 'boot-$MA.xml'
  cisco-prov render -i inventory.csv --device 00:56:2B:04:36:15 > 00562b043615.xml
  cisco-prov render -i inventory.csv --explain 0056.2b04.3615
${SECRETS_HELP}`,
          )
          .action(
            run(async (opts) => {
              const { renderCommand } = await import('./commands/render.js');
              const format = await import('./output/render-format.js');
              const { startProgress } = await import('./output/progress.js');
              const writer = await import('./io/writer.js');
              const progress = await startProgress('rendering', opts.quiet === true);
              // Devices arrive one at a time and are not kept: failure lines are collected (failed
              // devices only), the --json report is written to stdout as it grows.
              const failures: string[] = [];
              const streamJson = opts.json === true && opts.out !== undefined;
              let json: InstanceType<typeof format.RenderJsonStream> | undefined;
              let unwritten = '';
              let writes: Promise<void> = Promise.resolve();
              const flush = (): void => {
                const chunk = unwritten;
                unwritten = '';
                if (chunk) writes = writes.then(() => writer.writeStdout(chunk));
              };
              let result;
              try {
                result = await renderCommand(opts, progress.onProgress, (device, head) => {
                  if (device.status === 'failed') failures.push(format.formatRenderFailure(device));
                  if (!streamJson) return;
                  json ??= new format.RenderJsonStream(head);
                  unwritten += json.device(device);
                  if (unwritten.length >= 64 * 1024) flush();
                });
              } finally {
                progress.stop();
              }
              if (result.kind === 'explain') {
                const { explain, json } = result;
                await writer.writeStdout(
                  json ? format.formatExplainJson(explain) : format.formatExplain(explain),
                );
                return ExitCode.Ok;
              }
              const { report } = result;
              result.warnings.forEach(writer.warn);
              for (const line of failures) writer.note(line);
              if (result.stdout) {
                writer.assertStdoutAcceptsBinary(result.binary, false);
                await writer.writeStdout(result.stdout);
              } else if (result.json) {
                json ??= new format.RenderJsonStream(result.head);
                unwritten += json.end(report.summary);
                flush();
              }
              await writes;
              if (progress.shown && report.out !== undefined)
                writer.note(format.formatRenderSummary(report));
              return result.exitCode;
            }),
          ),
        ' for every device',
      );
    }

    // ---- validate ----
    function registerValidate(): void {
      withSecretOptions(
        program
          .command('validate')
          .summary('check profiles for what a phone would silently ignore')
          .description(
            'Check Cisco MPP profiles: well-formed XML, <flat-profile>, known parameters and values of ' +
              'the right type, ua attributes, duplicates, ASCII-only values, white space, leftover ' +
              'template syntax, Profile_Rule/Upgrade_Rule/Report_Rule grammar, secrets in plain text and ' +
              "the model's line/key capacity. Reads plain, gzip'd and encrypted profiles; a directory " +
              'means every .xml/.cfg/.gz/.enc/.ece/.aes/.bin file in it (recursively).',
          )
          .argument('<inputs...>', 'profile files, directories, or - for stdin')
          .option(
            '-m, --model <model>',
            "phone model (8841, CP-8841-3PCC, ATA191): the family's parameters and value types, model-capacity; without it every family's parameters and values pass",
          )
          .option(
            '--catalog <file>',
            'JSON parameter catalog that extends or overrides the built-in one',
          )
          .addOption(
            new Option('-f, --format <format>', 'output format')
              .choices(['stylish', 'json'])
              .default('stylish'),
          )
          .option('--strict', 'exit 1 on warnings too')
          .option('--follow-links', FOLLOW_LINKS_HELP)
          .option(
            '--ignore-rule <id>',
            'do not run this rule (repeatable, or a comma-separated list)',
            ruleIdListArg,
            [],
          )
          .addOption(
            new Option(
              '--empty-values <mode>',
              'an empty value (<X/>, <X></X>): accept it for every type, or warn (rule empty-value) ' +
                '[open: the guides say both "sets an empty value" and "resets to the default"; default accept]',
            )
              .choices(['accept', 'warn'])
              .default('accept'),
          )
          .addOption(
            new Option('--md <digest>', `encrypted profiles: ${DECRYPT_MD_HELP}`).choices([
              'md5',
              'sha256',
            ]),
          )
          .addHelpText(
            'after',
            `
Rules (error unless marked):
  xml-well-formed       well-formed XML 1.0 in UTF-8 (undefined entities, control characters)
  unreadable-profile    encrypted without a key, bad decrypt, corrupt gzip
  flat-profile-missing  a <flat-profile> element, as the root or wrapped
  nested-parameter      parameters are leaf elements
  invalid-ua            ua is "na", "ro" or "rw", spelt ua (UA="na" is ignored)
  unknown-attribute     (warning) an attribute the phone does not read (on a parameter:
                        anything but ua, preserve-value, group; any on <flat-profile>)
  duplicate-parameter   a parameter set twice (the phone keeps the last)
  non-ascii-value       values are ASCII after entity decoding
  whitespace-value      (warning) leading/trailing white space, newline inside a value
  empty-value           (warning) with --empty-values warn: an empty value (meaning [open])
  template-leftover     leftover {{ }}, {% %} or {# #}
  unknown-parameter     a name not in the catalog, with "did you mean"
  parameter-alias       (warning) a guide's spelling of a name the phone exports otherwise
  invalid-value         a value that does not fit its parameter's type
  rule-syntax           Profile_Rule / Upgrade_Rule / Report_Rule grammar and macros
  plaintext-secret      (warning) passwords, GPP_S*, IKM, literal --key in an unencrypted profile
  model-capacity        line/key index beyond the --model's capacity
  model-family          (warning) with --model: a parameter only other families have

Examples:
  cisco-prov validate profiles/ --model 8841
  cisco-prov validate --format json --strict out/*.xml > report.json
  cisco-prov validate --key-env PROV_KEY --ignore-rule whitespace-value profile.cfg
  cisco-prov render … | cisco-prov validate -
${SECRETS_HELP}`,
          )
          .action(
            run(async (given: string[], opts) => {
              const inputs = packed ? packed.unpack(given) : given;
              // Imported together: one after the other, each waited for its files to be read.
              const [{ validate }, { renderFile, reportStream }, { shouldColor }, writer] =
                await Promise.all([
                  import('./commands/validate.js'),
                  import('./output/diagnostics-format.js'),
                  import('./output/inspect-format.js'),
                  import('./io/writer.js'),
                ]);
              const { ChunkedStdout, note, warn } = writer;
              // The report is printed as the files come in, a megabyte at a time: never held whole.
              // Files checked on worker threads come as UTF-8 bytes, written as they are.
              const format: ReportFormat =
                opts.format === 'json'
                  ? { format: 'json' }
                  : { format: 'stylish', color: shouldColor(process.stdout.isTTY, process.env) };
              const report = reportStream(format);
              const out = new ChunkedStdout();
              const result = await validate({
                inputs,
                model: opts.model,
                key: { value: opts.key, file: opts.keyFile, env: opts.keyEnv },
                ikm: { value: opts.ikm, file: opts.ikmFile, env: opts.ikmEnv },
                catalog: opts.catalog,
                strict: opts.strict === true,
                ignoreRules: opts.ignoreRule,
                emptyValues: opts.emptyValues,
                ...(opts.md !== undefined ? { md: opts.md as Digest } : {}),
                followLinks: opts.followLinks === true,
                onNotes: (notes) => notes.forEach(warn),
                // A file or directory it cannot read: one line, the others checked, exit 3.
                onReadError: note,
                renderWith: format,
                onFile: (file) => {
                  const { bytes } = file;
                  if (bytes === undefined) out.text(report.add(renderFile(file, format)));
                  else {
                    out.text(report.addBytes({ ...file, bytes }));
                    out.bytes(bytes);
                  }
                },
              });
              out.text(report.end());
              await out.end();
              // Nothing of the run is left (workers ended, report flushed): exitWith may end the
              // process without tearing its heap down.
              exitAtOnce = true;
              return result.exitCode;
            }),
          ),
      );
    }

    // ---- inspect ----
    function registerInspect(): void {
      program
        .command('inspect')
        .summary('parse phone User-Agents, or summarise a provisioning access log per phone')
        .description(
          'Parse Cisco MPP, ATA 191/192 and SPA User-Agents (arguments, or one per line on stdin): ' +
            'model, series, firmware, MAC (only when the string carries 12 hex digits) or serial. ' +
            'With --log, read a web-server access log (common or combined format) and show one row ' +
            "per phone with its last request's outcome: A success, B not found/corrupt, C other failure. " +
            'A string that is not a Cisco User-Agent is a result (isCisco: false), not an error.',
        )
        .argument(
          '[user-agent...]',
          "User-Agent strings; stdin (one per line) when none is given or for '-'",
        )
        .option('--log <file>', "access log to summarise, plain or gzipped ('-' for stdin)")
        .addOption(
          new Option('--format <format>', 'output format (default: table; --json is json)').choices(
            ['table', 'csv', 'json'],
          ),
        )
        .option(
          '--json',
          'JSON output: one object per User-Agent per line; with --log one document',
        )
        .option(
          '--fnf-success',
          'with --log: phones have Resync_Fails_On_FNF=No, so 404 counts as A',
        )
        .option('--all-clients', 'with --log: also list non-phone clients by address')
        .addOption(logFormatOption())
        .addOption(logFieldOption())
        .addHelpText(
          'after',
          `
Examples:
  cisco-prov inspect 'Cisco-CP-8841-3PCC/11.0 (00562b043615)'
  cisco-prov inspect --json < user-agents.txt
  cisco-prov inspect --log /var/log/nginx/access.log
  cisco-prov inspect --log access.json --log-field userAgent=agent
  zcat access.log.2.gz | cisco-prov inspect --log - --format csv > phones.csv`,
        )
        .action(
          run(async (userAgents: string[], opts) => {
            const { inspect } = await import('./commands/inspect.js');
            const { renderInspect, shouldColor } = await import('./output/inspect-format.js');
            const { note, writeStdout } = await import('./io/writer.js');
            const result = await inspect({ ...opts, userAgents });
            result.notes.forEach(note);
            const color = shouldColor(process.stdout.isTTY, process.env);
            await writeStdout(renderInspect(result, { color }));
            return ExitCode.Ok;
          }),
        );
    }

    // ---- models ----
    function registerModels(): void {
      program
        .command('models')
        .summary(
          'list the supported phone models (lines, keys, expansion modules, firmware prefix)',
        )
        .description(
          'The model table that inspect, render and validate share: product name, series, template ' +
            'family, lines, line keys, key expansion modules and firmware file prefix, each fact with ' +
            'its source (--json, or --sources for the table). Where sources disagree or none states a ' +
            'figure (line-key counts of some models, the $PN of the 9800 series) the figure used is ' +
            'marked [open] in its source (see --sources); validate --ignore-rule model-capacity when a ' +
            'phone has more.',
        )
        .argument(
          '[model]',
          'show the models that match: a model (8841, CP-8841-3PCC, ATA191…), a series (8800) or a pattern with * (88*)',
        )
        .addOption(
          new Option('--format <format>', 'output format (default: table; --json is json)').choices(
            ['table', 'csv', 'json'],
          ),
        )
        .option('--json', 'JSON array of rows, sources included')
        .option('--sources', 'table: list the source of each fact under the table')
        .addHelpText(
          'after',
          `
Examples:
  cisco-prov models
  cisco-prov models 8851 --sources
  cisco-prov models --json | jq '.[] | select(.maxExpansionModules > 0) | .model'`,
        )
        .action(
          run(async (model: string | undefined, opts) => {
            const { models } = await import('./commands/models.js');
            const { renderModels, shouldColor } = await import('./output/inspect-format.js');
            const { writeStdout } = await import('./io/writer.js');
            const result = models({ ...opts, model });
            const color = shouldColor(process.stdout.isTTY, process.env);
            await writeStdout(renderModels(result, { color }));
            return ExitCode.Ok;
          }),
        );
    }

    // ---- param ----
    function registerParam(): void {
      program
        .command('param')
        .summary('look a parameter up: its XML name, aliases, type and values, default, families')
        .description(
          'What the parameter catalog knows about a name: the spelling the phone exports, the guide ' +
            'spellings accepted as aliases, the value type and allowed values, the default, the ' +
            'families that have it, whether it is a secret, and the source of each fact. A pattern ' +
            '(* and ?, case-insensitive) lists every match; so do words that are not a name ' +
            '(admin password: every parameter holding each word). Exit 1 when nothing matches.',
        )
        .argument(
          '<name...>',
          'a parameter name (Admin_Password, Line_Enable_3_), a pattern (*passw*) or words (admin password)',
        )
        .option('--json', 'JSON: the matches with every field')
        .addHelpText(
          'after',
          `
Examples:
  cisco-prov param Report_To_Server
  cisco-prov param '*admin*pass*'
  cisco-prov param admin password
  cisco-prov param 'WAN_*' --json`,
        )
        .action(
          run(async (words: string[], opts: { json?: boolean }) => {
            const { param } = await import('./commands/param.js');
            const { renderParam } = await import('./output/param-format.js');
            const { writeStdout } = await import('./io/writer.js');
            const query = words.join(' ');
            await writeStdout(renderParam(param({ query, json: opts.json === true })));
            return ExitCode.Ok;
          }),
        );
    }

    // ---- rule ----
    function registerRule(): void {
      const rule = program
        .command('rule')
        .summary('expand or check a Profile_Rule / Upgrade_Rule / Report_Rule as the phone would')
        .description(
          'See a rule through the phone’s eyes: `rule expand` evaluates its conditions for a device, ' +
            'applies its assignments and expands its macros ($NAME, $(NAME), $(NAME:p:q), $$; unknown ' +
            'names stay as written; $SA..$SD only inside --key/--uid/--pwd); `rule check` reports ' +
            'grammar errors with their column (the parser `validate` uses).',
        );
      withDeviceOptions(
        rule
          .command('expand')
          .summary('print the URL and options the phone would use')
          .argument('<rule>', 'the rule text, e.g. "[--key $SA]https://prov.example.com/$MA.cfg"')
          .addOption(RULE_KIND_OPTION())
          .option('--json', 'print JSON: url, scheme, host, port, path, options, alternative, …')
          .option(
            '--show-secrets',
            'show --key and --pwd values, a --uid drawn from a secret, and values assigned to secret parameters (masked by default)',
          )
          .addHelpText(
            'after',
            `
Examples:
  cisco-prov rule expand '/$PSN.xml' --ua 'Cisco-CP-8841-3PCC/11.0 (00562b043615)'
  cisco-prov rule expand '[--key $SA]https://prov.example.com/cfg/$MA.cfg' --mac 00:56:2b:04:36:15 --gpp SA=… --json
  cisco-prov rule expand '($SWVER ne sip88xx.11-3-2MPP0001-609)? http://fw/sip88xx.11-3-2MPP0001-609.loads' \\
      --kind upgrade --firmware sip88xx.11-3-1MPP0001-500`,
          ),
      ).action(
        run(async (text: string, opts) => {
          const { RuleCheckFailed, ruleExpand } = await import('./commands/rule.js');
          const { formatRuleExpansion } = await import('./output/rule-format.js');
          const { formatJson, formatStylish } = await import('./output/diagnostics-format.js');
          const { warn, writeStdout } = await import('./io/writer.js');
          try {
            const result = ruleExpand(text, opts);
            result.warnings.forEach(warn);
            await writeStdout(
              formatRuleExpansion(result.expansion, {
                json: opts.json === true,
                showSecrets: opts.showSecrets === true,
                uidIsSecret: result.uidIsSecret,
              }),
            );
            return ExitCode.Ok;
          } catch (err) {
            if (!(err instanceof RuleCheckFailed)) throw err;
            // --json: the grammar errors as `rule check --json` prints them, on stdout for jq.
            if (opts.json === true)
              await writeStdout(formatJson([fileDiagnostics(err.diagnostics)]));
            else {
              const { shouldColor } = await import('./output/inspect-format.js');
              const color = shouldColor(process.stderr.isTTY, process.env);
              process.stderr.write(formatStylish([fileDiagnostics(err.diagnostics)], { color }));
            }
            return ExitCode.Bad;
          }
        }),
      );
      rule
        .command('check')
        .summary('report grammar errors with their column')
        .argument('<rule>', 'the rule text')
        .addOption(RULE_KIND_OPTION())
        .option('--json', 'print the diagnostics as validate --format json does')
        .addHelpText(
          'after',
          `
Examples:
  cisco-prov rule check '($PN eq "CP-8841-3PCC")? /a.xml | /b.xml'
  cisco-prov rule check --kind report '[--delta] https://r.example.com/$MA.xml'`,
        )
        .action(
          run(async (text: string, opts) => {
            const { ruleCheck } = await import('./commands/rule.js');
            const { formatJson, formatStylish } = await import('./output/diagnostics-format.js');
            const { writeStdout } = await import('./io/writer.js');
            const { shouldColor } = await import('./output/inspect-format.js');
            const diagnostics = ruleCheck(text, opts);
            const file = fileDiagnostics(diagnostics);
            // validate's layout, coloured as validate colours it (a terminal, no NO_COLOR).
            const color = shouldColor(process.stdout.isTTY, process.env);
            await writeStdout(opts.json ? formatJson([file]) : formatStylish([file], { color }));
            return diagnostics.length > 0 ? ExitCode.Bad : ExitCode.Ok;
          }),
        );
    }

    // ---- serve ----
    function registerServe(): void {
      withSecretOptions(
        program
          .command('serve')
          .summary(
            'serve each phone its profile over HTTP(S), rendered, checked and encrypted per request',
          )
          .description(
            'A provisioning server on the templates and inventory of `render`: each request renders ' +
              "the device's profile, checks it with the validator (a failing profile is never served: " +
              '500 and a log line naming the rule) and encrypts it — RFC 8188 aes128gcm (Content-Encoding: ' +
              'aes128gcm) for a device with an IKM, AES-256-CBC for a .cfg name with a key. The device is ' +
              "found by path (MAC or serial) and cross-checked with the User-Agent's MAC or serial " +
              '(mismatch: 403). Unknown devices get 404 (the phone retries later, outcome B). ' +
              'Report_Rule uploads (POST/PUT) are decrypted and kept under --reports. One access-log ' +
              'line per request on stdout (combined format, or --log-format json); reasons on stderr. ' +
              'Inventory, vars and templates reload on change or SIGHUP; SIGTERM stops gracefully.',
          )
          .requiredOption('-i, --inventory <file>', 'devices: .csv (header row), .json or .yaml')
          .option(
            '-t, --template <file|dir>',
            'a template for every device, or a directory (as render; default: bundled templates/)',
          )
          .option(
            '--vars <file>',
            'YAML/JSON variables for every device (repeatable, in order)',
            collect,
          )
          .option(
            '--host <address>',
            'address to bind (loopback only unless another address is given)',
            '127.0.0.1',
          )
          .option(
            '-p, --port <n>',
            'TCP port (0: any free port)',
            integerArg('--port', 0, 65535),
            8080,
          )
          .option(
            '--route <pattern>',
            "a per-device path with render's --name macros: $MA $MAU $MAC $SN $PN $PSN $(field) (repeatable; default $MA.xml $MA.cfg $SN.xml $SN.cfg)",
            collect,
          )
          .option(
            '--bootstrap-template <file>',
            'template of the bootstrap profile served at /<product name>.xml, /$PSN.xml, /spa$PSN.cfg ([open]: $PSN taken as the model number, 8841, 191 for an ATA191): a phone the inventory names (by its User-Agent) gets its own, with its key; others the common one (default: bootstrap.liquid of the template directory)',
          )
          .option('--no-bootstrap', 'serve no bootstrap profiles')
          .addOption(
            new Option(
              '--encrypt <cipher>',
              'every device profile must be encrypted with this cipher (a device without its key gets 500, never plaintext; aes128gcm: record size 4096, empty key id [open: not documented by Cisco; fixed here])',
            ).choices(['aes-256-cbc', 'aes128gcm']),
          )
          .option(
            '--key-field <field>',
            'each device’s AES-256-CBC passphrase from this inventory field',
          )
          .option('--ikm-field <field>', 'each device’s RFC 8188 IKM from this inventory field')
          .addOption(mdOption())
          .option(
            '--gzip',
            'gzip each profile (inside the encryption; the phone detects gzip itself)',
          )
          .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM; with --tls-key)')
          .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
          .option(
            '--auth-file <file>',
            'require HTTP Basic or Digest auth: user:password lines (the --uid/--pwd of the rule)',
          )
          .option(
            '--reports <dir>',
            'accept Report_Rule uploads (POST/PUT) and keep them here (mode 0600)',
          )
          .option(
            '--reports-keep <n>',
            'reports kept per device',
            integerArg('--reports-keep', 1, 1000),
            5,
          )
          .option(
            '--max-body <bytes>',
            'largest request body accepted (413 beyond)',
            integerArg('--max-body', 1024, 1024 * 1024 * 1024),
            1024 * 1024,
          )
          .addOption(
            new Option('--log-format <format>', 'access log format')
              .choices(['combined', 'json'])
              .default('combined'),
          )
          .option('--access-log <file>', 'append access-log lines to this file instead of stdout')
          .option(
            '--cache-size <n>',
            'renders cached per instance (key: device variables + templates hash)',
            integerArg('--cache-size', 0, 10_000_000),
            50000,
          )
          .option('--no-cache', 'render every request afresh')
          .option(
            '--strict-user-agent',
            'refuse (403) device requests whose User-Agent names no MAC or serial',
          )
          .option('--no-watch', 'reload only on SIGHUP, not when a file changes')
          .option(
            '--workers <n>',
            'server processes sharing the port (node:cluster)',
            integerArg('--workers', 1, 64),
            1,
          )
          .option(
            '--fleet',
            'serve the fleet page at /fleet (same auth as the profiles): every phone seen since start, live, with drift from --reports; with --workers each worker shows the phones it served',
          )
          .option(
            '--header-timeout <s>',
            'seconds a client has to send its request headers',
            integerArg('--header-timeout', 1, 3600),
            10,
          )
          .option(
            '--idle-timeout <s>',
            'seconds a socket may stay silent before it is closed',
            integerArg('--idle-timeout', 1, 3600),
            30,
          )
          .option(
            '--resync-periodic <s>',
            "with --fleet: the phones' Resync_Periodic (seconds, list or spread), for telling a late phone [open: the server does not read it from the profiles; default 3600, Cisco's default]",
          )
          .option(
            '--error-retry-delay <s>',
            "with --fleet: the phones' Resync_Error_Retry_Delay, e.g. 60,120,240,… on 2025 firmware [open: default 3600]",
          )
          .option(
            '--grace <s>',
            'with --fleet: seconds after the due time before a phone counts as late (default 600)',
            integerArg('--grace', 0, 10 * 86_400),
          )
          .option(
            '--trust-proxy <address>',
            "a reverse proxy (address or network: 10.0.0.5, 10.0.0.0/8) whose X-Forwarded-For names the phone: the phone's address is logged, not the proxy's (repeatable)",
            (value: string, previous: string[] = []): string[] => [...previous, value],
          )
          .addHelpText(
            'after',
            `
Examples:
  cisco-prov serve -i examples/inventory.csv --vars examples/site.yaml
  cisco-prov serve -i inv.csv --key-field profile_key --gzip --reports /var/lib/cisco-prov/reports
  cisco-prov serve -i inv.csv --ikm-field profile_ikm --tls-cert cert.pem --tls-key key.pem --host 0.0.0.0 --port 443
  cisco-prov serve -i inv.csv --route 'cfg/$MA.xml' --auth-file phones.auth --log-format json

Signals: SIGHUP reloads inventory, vars and templates (a bad file keeps the old ones)
and reopens --access-log (logrotate; a log moved or deleted is also reopened within a second);
SIGTERM/SIGINT finish the requests in flight (10 s at most), then exit 0 (3 if some were cut off).
${SECRETS_HELP}`,
          )
          .action(
            run(async (opts) => {
              const { runServe } = await import('./commands/serve.js');
              const { warn } = await import('./io/writer.js');
              return await runServe(opts, {
                stdout: process.stdout,
                stderr: process.stderr,
                warn,
                exitIfOutputUnread: (code) => {
                  const unread = process.stdout.writableLength + process.stderr.writableLength;
                  if (unread > 0) process.exit(code);
                },
              });
            }),
          ),
        ' for every device',
      );
    }

    // ---- diff ----
    function registerDiff(): void {
      withSecretOptions(
        program
          .command('diff')
          .summary('compare two profiles parameter by parameter')
          .description(
            'Compare two profiles, in any form cisco-prov reads (plain, gzip, AES-256-CBC, aes128gcm; ' +
              'XML with or without a <device> wrapper, JSON or YAML): parameters removed (-), added (+) ' +
              'and changed (~) with both values, and ua changes. Order is ignored; values are compared ' +
              'as the phone reads them (trimmed, a newline read as a space, then by the parameter type: ' +
              'Bool and choices in any case, integers and ports decimal or 0x hex, times as seconds — ' +
              'as drift compares); a parameter set twice counts with its last value. Secret values are ' +
              'masked unless --show-secrets.',
          )
          .argument('<a>', 'the first profile (- for stdin)')
          .argument('<b>', 'the second profile (- for stdin)')
          .option('--json', 'print [{ "name", "change": "added"|"removed"|"changed", "a", "b" }]')
          .option('--show-secrets', 'show passwords, GPP_SA..SD, IKM… instead of ********')
          .option(
            '--exact',
            'compare values as text (trimmed), not by type: Yes/yes, 16/0x10 differ',
          )
          .addOption(notationOption())
          .addOption(new Option('--md <digest>', DECRYPT_MD_HELP).choices(['md5', 'sha256']))
          .addHelpText(
            'after',
            `
Examples:
  cisco-prov diff out/00562b043615.xml reports/00562b043615.xml
  cisco-prov diff --key-env PROV_KEY old.cfg new.cfg
  cisco-prov diff --json a.xml b.xml | jq -r '.[] | select(.change == "changed") | .name'
${SECRETS_HELP}`,
          )
          .action(
            run(async (a: string, b: string, opts) => {
              const { diff } = await import('./commands/diff.js');
              const { formatDiff, formatDiffJson } = await import('./output/diff-format.js');
              const { shouldColor } = await import('./output/inspect-format.js');
              const { note, warn, writeStdout } = await import('./io/writer.js');
              const result = await diff(a, b, opts);
              result.warnings.forEach(warn);
              result.notes.forEach(note);
              await writeStdout(
                opts.json
                  ? formatDiffJson(result)
                  : formatDiff(result, { color: shouldColor(process.stdout.isTTY, process.env) }),
              );
              return result.exitCode;
            }),
          ),
      );
    }

    // ---- convert ----
    function registerConvert(): void {
      withSecretOptions(
        program
          .command('convert')
          .summary('a profile as JSON or YAML (for jq), or JSON/YAML back to a profile')
          .description(
            'Convert a profile between XML, JSON and YAML through its parameter map: ' +
              '{ "<name>": { "value": "…", "ua": "na" } } in document order (ua only when set). ' +
              'Reads every form cisco-prov reads; a parameter set twice keeps its last value, as on ' +
              'the phone. YAML is read with every value as text (Yes and 0012 stay as written) and ' +
              'written with every value quoted. The output holds the profile as it is, secrets included.',
          )
          .argument('[input]', 'profile to convert; stdin when absent or -')
          .addOption(
            new Option('--to <notation>', 'output notation')
              .choices(['json', 'yaml', 'xml'])
              .makeOptionMandatory(),
          )
          .addOption(notationOption())
          .option('-o, --output <file>', 'write here (atomically) instead of stdout')
          .addOption(new Option('--md <digest>', DECRYPT_MD_HELP).choices(['md5', 'sha256']))
          .addHelpText(
            'after',
            `
Examples:
  cisco-prov convert profile.xml --to json | jq -r '.Station_Name.value'
  cisco-prov convert --key-env PROV_KEY profile.cfg --to yaml
  jq '.Station_Name.value = "Lobby"' p.json | cisco-prov convert - --from json --to xml -o p.xml
${SECRETS_HELP}`,
          )
          .action(
            run(async (input: string | undefined, opts) => {
              const { convert } = await import('./commands/convert.js');
              const { emit } = await import('./output/emit.js');
              // The profile as it is, secrets included: a new -o file is created 0600.
              await emit(await convert(input, opts), opts.output, false, { secret: true });
            }),
          ),
      );
    }

    // ---- drift ----
    function registerDrift(): void {
      withSecretOptions(
        program
          .command('drift')
          .summary('compare what phones report with what they should have now')
          .description(
            'For each phone with a report (Report_Rule uploads: files named by MAC such as ' +
              '<mac>.xml, or a directory per phone as serve --reports keeps them; the latest file per ' +
              'phone), render the profile it should have now from the inventory, templates and vars — ' +
              'as render does — and list the parameters whose reported value or ua differs. Only ' +
              'parameters the profile sets are checked (a profile is partial); read-only and status ' +
              'parameters and secrets the report hides (asterisks, absent) are left out; values are ' +
              'compared as the phone reads them (trimmed; Bool and choices in any case; 0x10 = 16).',
          )
          .requiredOption('--reports <dir>', 'reported profiles, the latest file per phone')
          .requiredOption(
            '-i, --inventory <file>',
            'devices: .csv (header row), .json or .yaml; - reads stdin',
          )
          .addOption(inventoryFormatOption())
          .option(
            '-t, --template <file|dir>',
            'templates, as for render (default: bundled templates/)',
          )
          .option(
            '--vars <file>',
            'YAML/JSON variables for every device (repeatable, in order)',
            collect,
          )
          .option('--json', 'print the report as JSON')
          .option('--show-secrets', 'show secret values the report carries instead of ********')
          .option('--follow-links', `--reports: ${FOLLOW_LINKS_HELP}`)
          .addOption(
            new Option('--md <digest>', `encrypted reports: ${DECRYPT_MD_HELP}`).choices([
              'md5',
              'sha256',
            ]),
          )
          .addHelpText(
            'after',
            `
Examples:
  cisco-prov drift --reports reports/ -i inventory.csv -t templates --vars site.yaml
  cisco-prov drift --reports /srv/prov/reports -i inventory.yaml --json | jq '.summary'
  cisco-prov drift --reports reports/ -i inventory.csv --ikm-env PROV_IKM   # encrypted reports
${SECRETS_HELP}`,
          )
          .action(
            run(async (opts) => {
              const { drift } = await import('./commands/drift.js');
              const { formatDrift, formatDriftJson } = await import('./output/drift-format.js');
              const { note, warn, writeStdout } = await import('./io/writer.js');
              const result = await drift(opts);
              result.warnings.forEach(warn);
              result.notes.forEach(note);
              await writeStdout(
                opts.json ? formatDriftJson(result.report) : formatDrift(result.report),
              );
              return result.exitCode;
            }),
          ),
      );
    }

    // ---- fleet ----
    function registerFleet(): void {
      withSecretOptions(
        program
          .command('fleet')
          .summary('an HTML page of every phone seen in an access log (outcome, lateness, drift)')
          .description(
            'Write the fleet page — one self-contained HTML file, no external assets, a strict ' +
              'Content-Security-Policy, works offline — from any web server access log (common or ' +
              'combined format, as inspect --log reads it): every phone with its model, firmware, ' +
              'MAC/serial, address, last request and outcome (A success, B not found/corrupt, C other ' +
              'failure), when its next resync is due and whether it is late, its request history, ' +
              'and with --reports and an inventory its drift. Sortable and filterable in the browser.',
          )
          .requiredOption('--log <file>', "access log, plain or gzipped ('-' for stdin)")
          .addOption(logFormatOption())
          .addOption(logFieldOption())
          .option('-o, --output <file>', 'write the page here (atomically) instead of stdout')
          .option(
            '--reports <dir>',
            "reported profiles, for each phone's drift (needs --inventory)",
          )
          .option(
            '-i, --inventory <file>',
            'devices, as for render (with --reports); - reads stdin (then --log is a file)',
          )
          .addOption(inventoryFormatOption())
          .option('-t, --template <file|dir>', 'templates, as for render (with --reports)')
          .option('--vars <file>', 'variables, as for render (repeatable, with --reports)', collect)
          .option(
            '--resync-periodic <s>',
            "the phones' Resync_Periodic: seconds, list or spread [open: the server cannot see it; default 3600, Cisco's default]",
          )
          .option(
            '--error-retry-delay <s>',
            "the phones' Resync_Error_Retry_Delay, e.g. 60,120,240,… on 2025 firmware [open: default 3600]",
          )
          .option(
            '--grace <s>',
            'seconds after the due time before a phone counts as late (default 600)',
            integerArg('--grace', 0, 10 * 86_400),
          )
          .option('--now <time>', 'measure lateness at this ISO 8601 time (default: now)')
          .option('--fnf-success', 'the phones have Resync_Fails_On_FNF=No, so 404 counts as A')
          .option(
            '--history <n>',
            'requests shown per phone, the latest (default 20)',
            integerArg('--history', 1, 10_000),
          )
          .option('--title <text>', 'page title', 'Cisco phone fleet')
          .option('--follow-links', `--reports: ${FOLLOW_LINKS_HELP}`)
          .addOption(
            new Option('--md <digest>', `encrypted reports: ${DECRYPT_MD_HELP}`).choices([
              'md5',
              'sha256',
            ]),
          )
          .addHelpText(
            'after',
            `
Examples:
  cisco-prov fleet --log /var/log/nginx/access.log -o fleet.html
  zcat access.log.1.gz | cisco-prov fleet --log - -o fleet.html
  cisco-prov fleet --log access.log --reports reports/ -i inventory.csv -t templates -o fleet.html
${SECRETS_HELP}`,
          )
          .action(
            run(async (opts) => {
              const { fleet } = await import('./commands/fleet.js');
              const { emit } = await import('./output/emit.js');
              await emit(await fleet(opts), opts.output);
            }),
          ),
      );
    }

    // ---- fetch ----
    function registerFetch(): void {
      withDeviceOptions(
        withSecretOptions(
          program
            .command('fetch')
            .summary('perform one resync as the phone would and report outcome A, B or C')
            .description(
              'Expand a Profile_Rule (or take a URL) for a device and fetch it the way the phone ' +
                'does: its User-Agent, 301/302 followed at once, 401/407 answered with --uid/--pwd ' +
                '(Basic or Digest, at most 2 retries), HTTP/1.0 and 1.1, chunked bodies. The body is ' +
                'decrypted with RFC 8188 when the answer says Content-Encoding: aes128gcm (IKM ' +
                'needed), else AES-256-CBC when the rule has --key (or --key* is given), else taken ' +
                'as plain; then gunzipped and validated. Reports A (applied), B (not found or corrupt) ' +
                'or C (any other failure) with the status chain and when the phone would try next.',
            )
            .argument(
              '<rule-or-url>',
              "a Profile_Rule ('[--key $SA]https://…/$MA.cfg') or a URL; '' when the phone's is blank",
            ),
        ).addOption(
          new Option(
            '--md <digest>',
            'AES-256-CBC: only this EVP_BytesToKey digest [open: default md5, then sha256]',
          ).choices(['md5', 'sha256']),
        ),
      )
        .option('--uid <user>', 'user for HTTP Basic/Digest (overrides the rule’s --uid)')
        .option('--pwd <password>', 'password (visible in ps: prefer the next two)')
        .option('--pwd-file <path>', 'read the password from the first line of a file')
        .option('--pwd-env <var>', 'read the password from an environment variable')
        .option('--json', 'print JSON: outcome, status, url, chain, cipher, nextAttemptSeconds, …')
        .option(
          '-o, --output <file>',
          'save the decrypted profile (mode 0600, atomically) on outcome A',
        )
        .option('--insecure', 'accept any TLS certificate (self-signed test servers)')
        .option('--ca <file>', 'trust these PEM CA certificates too')
        .option(
          '--timeout <seconds>',
          'for each request [open: Cisco documents none; default 30]',
          integerArg('--timeout', 1, 86400),
        )
        .option(
          '--max-size <bytes>',
          'largest body, and largest gunzipped profile (default 64M)',
          sizeArg('--max-size'),
        )
        .option(
          '--max-redirects <n>',
          '301/302 to follow [open: Cisco documents no limit; default 5]',
          integerArg('--max-redirects', 0, 100),
        )
        .option(
          '--fnf-success',
          'the phone has Resync_Fails_On_FNF=No: a 404 counts as success (A)',
        )
        .option(
          '--resync-periodic <schedule>',
          "Resync_Periodic when the profile doesn't set it (Cisco's default 3600)",
        )
        .option(
          '--resync-random-delay <n>',
          "Resync_Random_Delay in units of 20 s when the profile doesn't set it (default 2)",
        )
        .option(
          '--error-retry-delay <schedule>',
          'Resync_Error_Retry_Delay for B and C [open: older firmware 3600; default the 2025 ' +
            'backoff 60,120,240,…,86400]',
        )
        .option('--strict', 'exit 1 on outcome A when the profile has validation errors')
        .option('--rule-b <rule>', 'Profile_Rule_B as the phone has it: fetched after Profile_Rule')
        .option('--rule-c <rule>', 'Profile_Rule_C, fetched after Profile_Rule_B')
        .option('--rule-d <rule>', 'Profile_Rule_D, fetched last')
        .addOption(
          new Option(
            '--only <rule>',
            'run this rule only: not the others, nor Profile_Rule_B..D a fetched profile sets',
          ).choices(['Profile_Rule', 'Profile_Rule_B', 'Profile_Rule_C', 'Profile_Rule_D']),
        )
        .addOption(
          new Option(
            '--after-failure <what>',
            'after a rule fails, go on with the next rule or end the resync [open: Cisco says ' +
              'B..D run after Profile_Rule "has completed"; default continue]',
          )
            .choices(['continue', 'stop'])
            .default('continue'),
        )
        .addHelpText(
          'after',
          `
Like the phone, fetch runs Profile_Rule (the argument; '' when blank), then Profile_Rule_B, _C
and _D: from --rule-b/-c/-d, or as a profile fetched earlier in the resync sets them (its GPP_*
values count too). The resync is A when every rule fetched is A, else the outcome of the first
rule that failed; -o saves the profiles applied, combined (a later file overrides an earlier one).

Examples:
  cisco-prov fetch 'https://prov.example.com/cfg/$MA.cfg' --ua 'Cisco-CP-8841-3PCC/11.0 (00562b043615)'
  cisco-prov fetch '[--key $SA]http://prov.example.com/$MA.cfg' --ua … --key-env PROV_KEY --json
  cisco-prov fetch 'https://prov.example.com/$PSN.xml' --ua … --ikm-file ikm.txt -o 8841.xml
  cisco-prov fetch '[--uid admin]https://prov.example.com/$MA.xml' --ua … --pwd-env PROV_PWD
  cisco-prov fetch 'https://prov.example.com/common.xml' --rule-b '[--key $SA]https://prov.example.com/$MA.cfg' --ua …
${SECRETS_HELP}`,
        )
        .action(
          run(async (target: string, opts) => {
            const { fetchProfile } = await import('./commands/fetch.js');
            const { formatFetch, formatFetchJson, printable } =
              await import('./output/fetch-format.js');
            const { formatStylish } = await import('./output/diagnostics-format.js');
            const { warn, writeFileAtomic, writeStdout } = await import('./io/writer.js');
            const result = await fetchProfile(target, opts);
            // Warnings can quote what a server or a fetched profile sent.
            result.warnings.forEach((w) => warn(printable(w)));
            if (opts.output !== undefined && result.profile !== undefined) {
              writeFileAtomic(opts.output, result.profile, { secret: true });
            } else if (opts.output !== undefined) {
              warn(
                `nothing written to ${opts.output}: ${result.outcome === 'A' ? 'no profile to save' : `outcome ${result.outcome}`} (an existing file is left as it was)`,
              );
            }
            if (opts.json) {
              // Escaped where a terminal would act on it (a server's status line, its headers).
              await writeStdout(formatFetchJson(result));
            } else {
              const diagnostics = formatStylish(
                result.rules.map((rule) => {
                  const errors = rule.diagnostics.filter((d) => d.severity === 'error').length;
                  return {
                    file: rule.url ?? rule.rule,
                    diagnostics: rule.diagnostics,
                    errorCount: errors,
                    warningCount: rule.diagnostics.length - errors,
                  };
                }),
              );
              await writeStdout(formatFetch(result) + diagnostics);
            }
            return result.exitCode;
          }),
        );
    }
    const registrations: Record<string, () => void> = {
      encrypt: registerEncrypt,
      decrypt: registerDecrypt,
      keygen: registerKeygen,
      render: registerRender,
      validate: registerValidate,
      inspect: registerInspect,
      models: registerModels,
      param: registerParam,
      rule: registerRule,
      serve: registerServe,
      diff: registerDiff,
      convert: registerConvert,
      drift: registerDrift,
      fleet: registerFleet,
      fetch: registerFetch,
    };
    for (const [name, register] of Object.entries(registrations)) if (wants(name)) register();
  };
  // Start-up: commander builds every option of every command it is given, so a one-shot
  // `cisco-prov encrypt …` registers encrypt alone; help, a misspelt command and anything
  // else get them all (the command list, "did you mean").
  const only = onlyCommand(argv);
  // validate over many files: its workers start now, while commander parses the command line
  // and the command loads (they wait, unreferenced, for the run to take them).
  if (only === 'validate') {
    try {
      startValidateWorkerEarly(argv.slice(1));
    } catch {
      // The command starts its workers itself.
    }
    void import('./commands/validate-workers.js')
      .then((w) => w.startAhead(argv.slice(1), process.cwd()))
      .catch(() => {});
  }
  registerCommands((name) => only === undefined || name === only);
  // validate alone: its inputs are the only arguments not starting with '-' but option values.
  const packed =
    only === 'validate' && packable(program.commands.find((c) => c.name() === only))
      ? new PackedArguments(argv)
      : undefined;
  if (program.commands.length === 0) registerCommands(() => true);
  for (const command of program.commands) addExitCodesHelp(command, command.name());

  try {
    await selectCryptoBackend(process.env.CISCO_PROV_CRYPTO);
    await program.parseAsync(packed ? packed.argv : [...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err);
  }
}

/**
 * CISCO_PROV_CRYPTO=node|noble picks the crypto core's default backend (tests; runtimes
 * without node:crypto). The pure-JS backend is loaded only when asked for: start-up cost.
 */
async function selectCryptoBackend(choice: string | undefined): Promise<void> {
  if (choice === undefined || choice === '') return;
  if (choice !== 'node' && choice !== 'noble') {
    throw usageError(`CISCO_PROV_CRYPTO expected node or noble, got ${JSON.stringify(choice)}`);
  }
  if (choice === 'noble') await import('./crypto/backend-noble.js');
  const { setDefaultBackend } = await import('./crypto/backend.js');
  setDefaultBackend(choice);
}

/** One rule's diagnostics in the shape validate's formatters take. */
function fileDiagnostics(diagnostics: Diagnostic[]): FileDiagnostics {
  return { file: '<rule>', diagnostics, errorCount: diagnostics.length, warningCount: 0 };
}

/** Turns any thrown value into one line on stderr and an exit code. Never a stack trace. */
function reportError(err: unknown): ExitCodeValue {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
      return ExitCode.Ok;
    }
    // Help asked for is 0; help shown because a command was missing (`cisco-prov`, `cisco-prov
    // help nosuch`) is commander's exit code 1 there: a usage error here, as `cisco-prov rule`.
    if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    return ExitCode.Usage; // commander has printed its own message already
  }
  // A shell left in a directory since deleted (a release directory swapped under it) or deeper
  // than PATH_MAX: Node cannot tell where a relative path leads. Not an "unexpected failure".
  if ((err as NodeJS.ErrnoException | null)?.syscall === 'uv_cwd') {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it no longer exists'
        : code === 'ERANGE' || code === 'ENAMETOOLONG'
          ? 'its path is longer than the system allows'
          : code === 'EACCES'
            ? 'permission denied'
            : code;
    return reportFailure(
      new CliError(
        ExitCode.Failure,
        `cannot use the current directory (${why}): cd to a directory that exists and run again`,
      ),
    );
  }
  return reportFailure(err);
}
