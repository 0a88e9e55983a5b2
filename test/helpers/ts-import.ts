/**
 * The Node options a child process needs to run this repository's TypeScript: under
 * scripts/run-tests.mjs, the run's compiled copies (scripts/load-tests.mjs, ~0.1 s of CPU at
 * start); otherwise tsx (~0.5 s).
 */
export const TS_IMPORT: readonly string[] = process.env.CISCO_PROV_TEST_MANIFEST
  ? [
      '--enable-source-maps',
      '--import',
      new URL('../../scripts/load-tests.mjs', import.meta.url).href,
    ]
  : ['--import', 'tsx'];
