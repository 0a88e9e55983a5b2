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

  /**
   * @param maxBytes gather at most about this much before writing
   * @param atomicBytes when set, each write holds whole lines of at most this many bytes in all
   *   (a longer line goes alone): a write of up to PIPE_BUF (4096) bytes to a pipe is never
   *   interleaved with another process's, so the lines of several --workers sharing one stdout
   *   pipe stay whole. Files opened for appending need no such limit.
   */
  constructor(
    private readonly sink: LineSink,
    private readonly onError: (err: Error) => void,
    private readonly maxBytes = 64 * 1024,
    private readonly atomicBytes?: number,
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
    const chunks = this.chunks;
    this.chunks = [];
    this.size = 0;
    if (this.atomicBytes === undefined) return this.emit(chunks.join(''));
    let batch = '';
    let bytes = 0;
    for (let i = 0; i < chunks.length; i += 2) {
      const line = `${chunks[i]!}\n`;
      const n = Buffer.byteLength(line);
      if (bytes > 0 && bytes + n > this.atomicBytes) {
        this.emit(batch);
        batch = '';
        bytes = 0;
      }
      batch += line;
      bytes += n;
    }
    if (batch !== '') this.emit(batch);
  }

  private emit(text: string): void {
    this.stats.writes++;
    try {
      this.sink(text);
    } catch (err) {
      this.onError(err as Error);
    }
  }
}
