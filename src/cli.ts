/**
 * Command-line wiring only: argv → options object → command → formatter → writer.
 * Each command's code is imported lazily so a one-shot `encrypt` loads no XML or template code.
 * One block per command; the work lives in src/commands, the printing in src/output.
 */
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, isCliError, type ExitCodeValue } from './errors.js';
import { parseModeOption } from './io/options.js';
import { guardStandardStreams } from './io/writer.js';
import { version } from './version.js';

const EXIT_TABLE = `
Exit codes:
  0  ok
  1  input checked and found bad (validation errors, wrong key, corrupt or truncated file)
  2  usage or configuration error (unknown option, missing argument, bad option value)
  3  I/O or unexpected failure (unreadable file, disk full)`;

const SECRETS_HELP = `
Secrets: --key <pass> works but is visible in 'ps' (a warning says so); prefer
--key-file <path> (first line) or --key-env <VAR>. The same goes for --ikm.
Secrets never appear in output, errors or --json.`;

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
    .option('--key-file <path>', 'read the passphrase from the first line of a file')
    .option('--key-env <var>', 'read the passphrase from an environment variable')
    .option('--ikm <ikm>', `RFC 8188 input keying material${scope}: ${IKM_TEXT}`)
    .option('--ikm-file <path>', 'read the IKM from the first line of a file')
    .option('--ikm-env <var>', 'read the IKM from an environment variable');
}

const MODE_HELP =
  'permission bits of the file written, octal (e.g. 640 to serve it with a web server group); ' +
  'default: a replaced file keeps its mode, owner and group; a new file is 0600 when it holds ' +
  'plaintext secrets, else 0666 minus the umask';

/** --md for encrypting: EVP_BytesToKey's digest, md5 by default ([open] in the reference). */
function mdOption(): Option {
  return new Option(
    '--md <digest>',
    'EVP_BytesToKey digest [open: Cisco documents openssl 0.9.7c, whose digest is md5]',
  )
    .choices(['md5', 'sha256'])
    .default('md5');
}

/** Runs the CLI on argv (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<ExitCodeValue> {
  let exitCode: ExitCodeValue = ExitCode.Ok;
  const setExit = (code: ExitCodeValue): void => {
    exitCode = code;
  };
  // A closed pipe (`cisco-prov … | head`) ends the output quietly and the command still exits
  // with its own code; a full disk is one line, exit 3 — never an uncaught stack trace.
  guardStandardStreams();
  process.on('uncaughtException', (err) => process.exit(reportError(err)));

  // The pure-JS crypto backend is loaded only when asked for (tests, or no node:crypto).
  if (process.env.CISCO_PROV_CRYPTO === 'noble') await import('./crypto/backend-noble.js');

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

  // ---- encrypt ----
  withSecretOptions(
    program
      .command('encrypt')
      .summary('encrypt a profile for a phone (AES-256-CBC or RFC 8188 aes128gcm)')
      .description(
        'Encrypt a profile the way a Cisco MPP phone reads it: AES-256-CBC in OpenSSL `enc` format ' +
          '(for a Profile_Rule with [--key …]) or RFC 8188 aes128gcm (served with ' +
          'Content-Encoding: aes128gcm, key material in IKM_HTTP_Encrypt_Content).',
      )
      .argument('[input]', 'profile to encrypt; stdin when absent or -')
      .option('-o, --output <file>', 'write here (atomically) instead of stdout')
      .addOption(
        new Option('-c, --cipher <cipher>', 'cipher (default: from --key or --ikm)').choices([
          'aes-256-cbc',
          'aes128gcm',
        ]),
      )
      .option('--gzip', 'gzip before encrypting (the phone detects gzip itself)')
      .addOption(mdOption())
      .option('--base64', 'AES-256-CBC: write base64 as `openssl enc -a` does')
      .option('--rs <n>', 'aes128gcm record size, >= 18 [open: default 4096]', '4096')
      .option('--keyid <text>', 'aes128gcm key id [open: default empty]', '')
      .option('--pad <n>', 'aes128gcm padding bytes', '0')
      .option('--salt <hex>', 'fixed salt for reproducible output (8 bytes CBC, 16 aes128gcm)')
      .option('-f, --force', 'write binary output to a terminal')
      .option('--mode <octal>', MODE_HELP)
      .addHelpText(
        'after',
        `
Examples:
  cisco-prov encrypt --key-env PROV_KEY profile.xml -o profile.cfg
  cisco-prov encrypt --gzip --key-file key.txt < profile.xml > profile.cfg
  cisco-prov encrypt --cipher aes128gcm --ikm-env PROV_IKM profile.xml -o profile.xml.ece
${SECRETS_HELP}`,
      )
      .action(async (input: string | undefined, opts) => {
        const { encrypt } = await import('./commands/encrypt.js');
        const { emit } = await import('./output/emit.js');
        const mode = parseModeOption(opts.mode);
        await emit(await encrypt(input, opts), opts.output, opts.force, mode);
      }),
  );

  // ---- decrypt ----
  withSecretOptions(
    program
      .command('decrypt')
      .summary('decrypt an encrypted profile, or describe it with --info')
      .description(
        'Decrypt a profile. `Salted__` (or its base64 form) is AES-256-CBC: md5 then sha256 are ' +
          'tried unless --md is given. With --ikm the input is RFC 8188 aes128gcm. A gzip payload ' +
          'is gunzipped. Success needs a valid padding/tag and a plaintext that is XML or gzip.',
      )
      .argument('[input]', 'encrypted profile; stdin when absent or -')
      .option('-o, --output <file>', 'write here (atomically) instead of stdout')
      .addOption(
        new Option(
          '--md <digest>',
          'only try this EVP_BytesToKey digest (default: md5, then sha256)',
        ).choices(['md5', 'sha256']),
      )
      .option('--pbkdf2', 'the file was made with `openssl enc -pbkdf2` (PBKDF2-HMAC-SHA256)')
      .option('--iter <n>', 'PBKDF2 iterations (openssl default 10000)', '10000')
      .option('--no-gunzip', 'leave a gzip payload compressed')
      .option('--raw', 'skip the check that the plaintext looks like XML or gzip')
      .option(
        '--info',
        'describe the file (container, digest, salt, rs, sizes) instead of decrypting to output',
      )
      .option('--json', 'with --info: print JSON')
      .option('-f, --force', 'write binary output to a terminal')
      .option('--mode <octal>', MODE_HELP)
      .addHelpText(
        'after',
        `
Examples:
  cisco-prov decrypt --key-env PROV_KEY profile.cfg
  cisco-prov decrypt --key-file key.txt --info --json profile.cfg
  cisco-prov decrypt --ikm-env PROV_IKM body.ece -o profile.xml
${SECRETS_HELP}`,
      )
      .action(async (input: string | undefined, opts) => {
        const { decrypt } = await import('./commands/decrypt.js');
        const { emit } = await import('./output/emit.js');
        const { note } = await import('./io/writer.js');
        const mode = parseModeOption(opts.mode);
        const result = await decrypt(input, opts);
        if (result.kind === 'info') {
          const { formatProfileInfo } = await import('./output/decrypt-format.js');
          await emit(
            {
              data: formatProfileInfo(result.info, opts.json ?? false),
              binary: false,
              warnings: result.warnings,
            },
            opts.output,
            false,
            mode,
          );
          return;
        }
        result.notes.forEach(note);
        // A decrypted profile is what the encryption protected: a new file is created 0600.
        await emit({ ...result, secret: true }, opts.output, opts.force, mode);
      }),
  );

  // ---- keygen ----
  program
    .command('keygen')
    .summary('print a strong random passphrase or IKM')
    .option('--ikm', 'an RFC 8188 IKM instead of an AES-256-CBC passphrase')
    .option('--bytes <n>', 'random bytes (default 24 for a passphrase, 16 for an IKM)')
    .addOption(
      new Option(
        '--encoding <enc>',
        'how to print an IKM: text (its UTF-8 bytes are the IKM), hex:, base64url:',
      )
        .choices(['text', 'hex', 'base64url'])
        .default('text'),
    )
    .addHelpText(
      'after',
      `
Examples:
  cisco-prov keygen > key.txt && chmod 600 key.txt
  cisco-prov keygen --ikm --encoding base64url`,
    )
    .action(async (opts) => {
      const { keygen } = await import('./commands/keygen.js');
      const { writeStdout } = await import('./io/writer.js');
      await writeStdout(`${keygen(opts)}\n`);
    });

  // ---- render ----
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
      .requiredOption('-i, --inventory <file>', 'devices: .csv (header row), .json or .yaml')
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
        'file name with Cisco macros: $MA $MAU $MAC $SN $PN $PSN $(field) (default $MA.xml, $MA.cfg when encrypting) [open: $PSN is the model number, e.g. 8841, as most guides show; a psn inventory field overrides it]',
      )
      .option('-d, --device <mac|serial>', 'render only this device (repeatable)', collect)
      .option(
        '--explain <mac|serial>',
        'print each variable of a device, its value and the layer that set it (secrets masked)',
      )
      .addOption(
        new Option('--encrypt <cipher>', 'encrypt each profile in the same pass').choices([
          'aes-256-cbc',
          'aes128gcm',
        ]),
      )
      .option('--key-field <field>', 'each device’s passphrase from this inventory field')
      .option('--ikm-field <field>', 'each device’s IKM from this inventory field')
      .addOption(mdOption())
      .option('--gzip', 'gzip each profile (before encrypting; the phone detects gzip itself)')
      .option(
        '-j, --jobs <n>',
        'worker threads (default: one per core, up to 4, for 1000+ devices)',
      )
      .option('-n, --dry-run', 'render and check, report what would be written, write nothing')
      .option('--json', 'print a JSON report (written / unchanged / failed per device) on stdout')
      .option('--mode <octal>', MODE_HELP)
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
      .action(async (opts) => {
        const { runRenderCli } = await import('./commands/render-cli.js');
        setExit(await runRenderCli(opts));
      }),
    ' for every device',
  );

  // ---- validate ----
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
      .option('-m, --model <model>', 'phone model for model-capacity (8841, CP-8841-3PCC)')
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
      .option(
        '--ignore-rule <id>',
        'do not run this rule (repeatable, or a comma-separated list)',
        (id: string, previous: string[]) => [...previous, id],
        [] as string[],
      )
      .addHelpText(
        'after',
        `
Rules (error unless marked):
  xml-well-formed       well-formed XML 1.0 in UTF-8 (undefined entities, control characters)
  unreadable-profile    encrypted without a key, bad decrypt, corrupt gzip
  flat-profile-missing  a <flat-profile> element, as the root or wrapped
  nested-parameter      parameters are leaf elements
  invalid-ua            ua is "na", "ro" or "rw"
  duplicate-parameter   a parameter set twice (the phone keeps the last)
  non-ascii-value       values are ASCII after entity decoding
  whitespace-value      (warning) leading/trailing white space, newline inside a value
  template-leftover     leftover {{ }}, {% %} or {# #}
  unknown-parameter     a name not in the catalog, with "did you mean"
  invalid-value         a value that does not fit its parameter's type
  rule-syntax           Profile_Rule / Upgrade_Rule / Report_Rule grammar and macros
  plaintext-secret      (warning) passwords, GPP_S*, IKM, literal --key in an unencrypted profile
  model-capacity        line/key index beyond the --model's capacity

Exit: 0 clean or warnings only, 1 errors (or warnings with --strict), 2 usage, 3 I/O.

Examples:
  cisco-prov validate profiles/ --model 8841
  cisco-prov validate --format json --strict out/*.xml > report.json
  cisco-prov validate --key-env PROV_KEY --ignore-rule whitespace-value profile.cfg
  cisco-prov render … | cisco-prov validate -
${SECRETS_HELP}`,
      )
      .action(async (inputs: string[], opts) => {
        const { validate } = await import('./commands/validate.js');
        const { formatJson, formatStylish } = await import('./output/diagnostics-format.js');
        const { shouldColor } = await import('./output/inspect-format.js');
        const { warn, writeStdout } = await import('./io/writer.js');
        const result = await validate({
          inputs,
          model: opts.model,
          key: { value: opts.key, file: opts.keyFile, env: opts.keyEnv },
          ikm: { value: opts.ikm, file: opts.ikmFile, env: opts.ikmEnv },
          catalog: opts.catalog,
          strict: opts.strict === true,
          ignoreRules: opts.ignoreRule,
        });
        result.notes.forEach(warn);
        const output =
          opts.format === 'json'
            ? formatJson(result.files)
            : formatStylish(result.files, {
                color: shouldColor(process.stdout.isTTY, process.env),
              });
        await writeStdout(output);
        setExit(result.exitCode);
      }),
  );

  // ---- inspect ----
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
    .argument('[user-agent...]', 'User-Agent strings; stdin (one per line) when none is given')
    .option('--log <file>', "access log to summarise, plain or gzipped ('-' for stdin)")
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']))
    .option('--json', 'JSON output: one object per User-Agent per line; with --log one document')
    .option('--fnf-success', 'with --log: phones have Resync_Fails_On_FNF=No, so 404 counts as A')
    .option('--all-clients', 'with --log: also list non-phone clients by address')
    .addHelpText(
      'after',
      `
Examples:
  cisco-prov inspect 'Cisco-CP-8841-3PCC/11.0 (00562b043615)'
  cisco-prov inspect --json < user-agents.txt
  cisco-prov inspect --log /var/log/nginx/access.log
  zcat access.log.2.gz | cisco-prov inspect --log - --format csv > phones.csv`,
    )
    .action(async (userAgents: string[], opts) => {
      const { inspect } = await import('./commands/inspect.js');
      const { renderInspect, shouldColor } = await import('./output/inspect-format.js');
      const { note, writeStdout } = await import('./io/writer.js');
      const result = await inspect({ ...opts, userAgents });
      result.notes.forEach(note);
      const color = shouldColor(process.stdout.isTTY, process.env);
      await writeStdout(renderInspect(result, { color }));
      setExit(ExitCode.Ok);
    });

  // ---- models ----
  program
    .command('models')
    .summary('list the supported phone models (lines, keys, expansion modules, firmware prefix)')
    .description(
      'The model table that inspect, render and validate share: product name, series, template ' +
        'family, lines, line keys, key expansion modules and firmware file prefix, each fact with ' +
        'its source (--json, or --sources for the table).',
    )
    .argument('[model]', 'show one model: 8841, CP-8841-3PCC, ATA191…')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']))
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
    .action(async (model: string | undefined, opts) => {
      const { models } = await import('./commands/models.js');
      const { renderModels, shouldColor } = await import('./output/inspect-format.js');
      const { writeStdout } = await import('./io/writer.js');
      const result = models({ ...opts, model });
      const color = shouldColor(process.stdout.isTTY, process.env);
      await writeStdout(renderModels(result, { color }));
      setExit(ExitCode.Ok);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err);
  }
}

/** Turns any thrown value into one line on stderr and an exit code. Never a stack trace. */
function reportError(err: unknown): ExitCodeValue {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
      return ExitCode.Ok;
    }
    if (err.code === 'commander.help') return ExitCode.Ok;
    return ExitCode.Usage; // commander has printed its own message already
  }
  if (isCliError(err)) {
    process.stderr.write(`cisco-prov: ${err.message}\n`);
    if (err.hint) process.stderr.write(`  hint: ${err.hint}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`cisco-prov: unexpected failure: ${message}\n`);
  if (process.env.CISCO_PROV_DEBUG && err instanceof Error && err.stack) {
    process.stderr.write(`${err.stack}\n`);
  }
  return ExitCode.Failure;
}
