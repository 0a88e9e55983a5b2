/**
 * Buffered log lines: `serve` writes one access-log line per request, and a write(2) per line
 * costs more than formatting it. Lines are gathered and written together once per turn of the
 * event loop (or as soon as 64 KiB are waiting), in order; `flush()` writes what is left (on
 * stop and at exit). A line is never held longer than the requests being answered in the same
 * turn take, so a reader tailing the log sees it at once.
 */

/** Where the gathered text goes (one call per batch). */
export type LineSink = (text: string) => void;

export class LineBuffer {
  private chunks: string[] = [];
  private size = 0;
  private scheduled = false;
  /** Lines written so far and the write calls it took (for the benchmark's note). */
  readonly stats = { lines: 0, writes: 0 };

  constructor(
    private readonly sink: LineSink,
    private readonly onError: (err: Error) => void,
    private readonly maxBytes = 64 * 1024,
  ) {}

  /** Queues one line (without its newline). */
  write(line: string): void {
    this.chunks.push(line, '\n');
    this.size += line.length + 1;
    this.stats.lines++;
    if (this.size >= this.maxBytes) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSoon);
    }
  }

  private readonly flushSoon = (): void => {
    this.scheduled = false;
    this.flush();
  };

  /** Writes every queued line now. */
  flush(): void {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    this.stats.writes++;
    try {
      this.sink(text);
    } catch (err) {
      this.onError(err as Error);
    }
  }
}
