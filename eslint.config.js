// ESLint flat config: typescript-eslint's recommended rules over src, test, bench and scripts,
// and the boundary between the library core and the CLI (test/unit/boundary.test.ts proves
// that it fires).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The pure core: importable without the CLI, never prints, never reads the environment. */
const CORE_DIRS = ['crypto', 'render', 'validate', 'profile', 'device'];

/**
 * What the core must not import: the CLI layer (src/cli.ts, commands, io, output, serve) and
 * the CLI's error (src/errors.ts, CliError). `up` is the `../` that leads from a file to src/.
 */
function cliLayerImport(up) {
  return `^${up}(?:(?:commands|io|output|serve)/|(?:cli|errors)\\.js$)`;
}

const CLI_LAYER_MESSAGE =
  'the core (crypto, render, validate, profile, device) never imports the CLI layer ' +
  '(cli.ts, commands, io, output, serve) or CliError: throw a DomainError, return warnings as data';

/** Rules that keep a core file pure; `up` as for cliLayerImport. */
function coreRules(up) {
  const forbidden = cliLayerImport(up);
  return {
    'no-restricted-imports': [
      'error',
      { patterns: [{ regex: forbidden, message: CLI_LAYER_MESSAGE }] },
    ],
    'no-console': 'error',
    'no-restricted-syntax': [
      'error',
      {
        selector: `ImportExpression[source.value=/${forbidden.replaceAll('/', '\\x2f')}/]`,
        message: CLI_LAYER_MESSAGE,
      },
      {
        selector:
          "MemberExpression[object.name='process'][property.name=/^(env|stdout|stderr|stdin|exit|exitCode|argv|cwd|chdir)$/]",
        message:
          'the core never reads the environment, argv or working directory, prints, or exits: take a parameter, return data',
      },
      {
        selector: "MemberExpression[object.property.name='process'][property.name='env']",
        message: 'the core never reads the environment: take a parameter',
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/.work/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The CommonJS executable shim, and the CommonJS modules the build bundles.
    files: ['bin/*.cjs', 'scripts/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
        module: 'writable',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: [...CORE_DIRS.map((d) => `src/${d}/*.ts`), 'src/domain-errors.ts'],
    rules: coreRules('\\.\\./'),
  },
  {
    files: CORE_DIRS.map((d) => `src/${d}/*/*.ts`),
    rules: coreRules('\\.\\./\\.\\./'),
  },
);
