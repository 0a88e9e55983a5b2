// `node --import ./scripts/load-tests.mjs`: loads the TypeScript that scripts/run-tests.mjs
// compiled before the run (CISCO_PROV_TEST_MANIFEST names the .ts URL → compiled file map),
// instead of starting tsx in every test process (~0.5 s of CPU each). A test file run from the
// run's compiled tree (CISCO_PROV_TEST_TREE) needs no hooks in its main thread: its imports find
// compiled files there (run-tests.mjs says why); its worker threads and the processes it starts
// with TS_IMPORT (a .ts file as their main) get the hooks.
import { register } from 'node:module';
import { sep } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const manifest = process.env.CISCO_PROV_TEST_MANIFEST;
const tree = process.env.CISCO_PROV_TEST_TREE;
const fromTree = isMainThread && tree !== undefined && process.argv[1]?.startsWith(tree + sep);
if (manifest && !fromTree)
  register('./load-tests-hooks.mjs', import.meta.url, { data: { manifest } });
