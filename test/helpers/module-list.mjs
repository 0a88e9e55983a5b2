// Preloaded with NODE_OPTIONS="--import <this file's URL>": on exit, writes the Node built-in
// modules the process loaded (process.moduleLoadList, one per line) to the file named by
// MODULE_LIST_FILE — the start-up tests check what a one-shot command pulls in.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.MODULE_LIST_FILE && Array.isArray(process.moduleLoadList)) {
    writeFileSync(process.env.MODULE_LIST_FILE, process.moduleLoadList.join('\n'));
  }
});
