// Preloaded with NODE_OPTIONS="--import <this file's URL>": on exit, writes the process's peak
// resident set size in bytes to the file named by MAX_RSS_FILE (tests of memory bounds).
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.MAX_RSS_FILE) {
    writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
  }
});
