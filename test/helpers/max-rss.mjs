// Preloaded with NODE_OPTIONS="--import <this file's URL>": on exit, writes the process's peak
// resident set size in bytes to the file named by MAX_RSS_FILE (tests of memory bounds).
// Linux's VmHWM, not getrusage's ru_maxrss: ru_maxrss survives execve, so a child spawned by a
// large test process would report the parent's peak.
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.MAX_RSS_FILE) return;
  let bytes = process.resourceUsage().maxRSS * 1024;
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) bytes = Number(kb) * 1024;
  } catch {
    // not Linux: keep ru_maxrss
  }
  writeFileSync(process.env.MAX_RSS_FILE, String(bytes));
});
