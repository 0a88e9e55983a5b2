/**
 * Text written to a stream whose reader may stop reading: `serve | logger` with the logger stuck,
 * a container runtime whose log driver blocks. A pipe that is not read fills, and Node keeps
 * every later write in memory — serve adds a line per request, so a long stall grew the process
 * without bound (about 300 MB per million requests). Past `maxBacklog` bytes waiting, text is
 * dropped instead: counted, said once when dropping starts and once when the reader is back.
 */

/** The part of a Node writable stream this needs. */
export interface BacklogStream {
  readonly writableLength: number;
  write(text: string, callback?: (err?: Error | null) => void): boolean;
}

/** Bytes a stream may hold unread before lines are dropped: seconds of a busy server's log. */
const MAX_BACKLOG_BYTES = 4 << 20;

export class BoundedWriter {
  private dropped = 0;

  /**
   * @param notify told when dropping starts and when it ends (it writes elsewhere, or the
   *   same stream past the limit: one line)
   */
  constructor(
    private readonly stream: BacklogStream,
    private readonly notify: (message: string) => void,
    private readonly maxBacklog = MAX_BACKLOG_BYTES,
  ) {}

  /** Writes the text (whole lines), or drops it while the reader is too far behind. */
  write(text: string, callback?: (err?: Error | null) => void): void {
    if (this.stream.writableLength > this.maxBacklog) {
      if (this.dropped === 0) {
        this.notify(
          `not read (over ${this.maxBacklog >> 20} MiB waiting): lines are dropped until it is`,
        );
      }
      this.dropped += countLines(text);
      return;
    }
    if (this.dropped > 0) {
      const lines = this.dropped;
      this.dropped = 0;
      this.notify(`read again: ${lines} line(s) were dropped`);
    }
    this.stream.write(text, callback);
  }
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return Math.max(lines, 1);
}
