/**
 * A progress line on stderr for long batches (ora), only on a terminal that reports its width
 * and only when not --quiet: ora redraws its line by the terminal's width, and a pty that
 * reports 0 columns would make it clear lines forever.
 */

interface Spinner {
  text: string;
  start(): Spinner;
  stop(): Spinner;
}

export interface Progress {
  /** Whether a spinner can be shown (a summary line follows the batch then). */
  shown: boolean;
  /** Feed it to the batch: draws `<label> done/total` every 50 items. */
  onProgress: (done: number, total: number) => void;
  stop(): void;
}

/** A progress reporter for `label`; a no-op when stderr is not a terminal or `quiet`. */
export async function startProgress(label: string, quiet: boolean): Promise<Progress> {
  const shown = process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0 && !quiet;
  if (!shown) return { shown, onProgress: () => {}, stop: () => {} };
  const { default: ora } = await import('ora');
  let spinner: Spinner | undefined;
  return {
    shown,
    onProgress: (done, total) => {
      if (total < 2) return;
      spinner ??= (ora({ text: label, stream: process.stderr }) as unknown as Spinner).start();
      if (done % 50 === 0 || done === total) spinner.text = `${label} ${done}/${total}`;
    },
    stop: () => void spinner?.stop(),
  };
}
