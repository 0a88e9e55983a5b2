/**
 * serve's `--access-log <file>`, kept open for appending and opened again when it is rotated.
 * logrotate (and an admin's `mv access.log access.log.1`) moves the file away: a server that
 * keeps its descriptor goes on writing into the moved file — or, once it is deleted, into a file
 * no one can read, its space never freed. So the log is opened again:
 * - on SIGHUP (the caller's handler calls {@link AccessLogFile.reopen}), as nginx does on USR1,
 *   for logrotate's `postrotate` script;
 * - by itself, when a check once a second finds the path no longer names the open file (moved,
 *   deleted or replaced), so a rotation without a postrotate script loses at most a second's
 *   lines to the old file, none to a deleted one.
 * `copytruncate` needs neither: the file is opened with O_APPEND, so writes go on at its new end.
 */
import { closeSync, fstatSync, openSync, statSync, writeSync } from 'node:fs';
import { describeSystemError } from '../domain-errors.js';

/** Permission bits of a new access log: it names devices and addresses, not for everyone. */
const ACCESS_LOG_MODE = 0o640;
/** How often the path is compared with the open file. */
const CHECK_EVERY_MS = 1000;

export class AccessLogFile {
  private fd: number;
  private readonly timer: NodeJS.Timeout;
  /** The last failure to open the log again, told once until an open succeeds. */
  private lastError: string | undefined;

  /**
   * Opens the file for appending (created 0640); throws the system error.
   * @param onReopenError told when the log cannot be opened again (the old file is kept)
   */
  constructor(
    private readonly path: string,
    private readonly onReopenError: (message: string) => void,
  ) {
    this.fd = openSync(path, 'a', ACCESS_LOG_MODE);
    this.timer = setInterval(() => {
      if (this.rotated()) this.reopen();
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** Appends text (whole lines); throws the system error. */
  write(text: string): void {
    writeSync(this.fd, text);
  }

  /**
   * Opens the path again and writes there from now on (the caller flushes its buffered lines
   * first, so they go to the file they belong with). If it cannot be opened, the old file stays.
   */
  reopen(): void {
    let fd: number;
    try {
      fd = openSync(this.path, 'a', ACCESS_LOG_MODE);
    } catch (err) {
      const message = `cannot open --access-log ${describeSystemError(err, this.path)} again: still writing to the file it was`;
      if (message !== this.lastError) this.onReopenError(message);
      this.lastError = message;
      return;
    }
    this.lastError = undefined;
    const old = this.fd;
    this.fd = fd;
    closeSync(old);
  }

  /** Stops the rotation check and closes the file. */
  close(): void {
    clearInterval(this.timer);
    closeSync(this.fd);
  }

  /** Whether the path no longer names the open file (moved away, deleted, replaced). */
  private rotated(): boolean {
    try {
      const open = fstatSync(this.fd);
      const named = statSync(this.path, { throwIfNoEntry: false });
      return named === undefined || named.ino !== open.ino || named.dev !== open.dev;
    } catch {
      return false;
    }
  }
}
