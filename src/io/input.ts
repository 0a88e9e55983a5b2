/**
 * Reading inputs for the CLI layer: a file path, or stdin for `-` / no path.
 */
import { readFileSync } from 'node:fs';
import { CliError, ExitCode, describeSystemError } from '../errors.js';
import { refuseStdinTakenBySecret } from './secrets.js';

/** A display name for an input: the path, or `<stdin>`. */
export function inputName(path: string | undefined): string {
  return path === undefined || path === '-' ? '<stdin>' : path;
}

/** Reads all of stdin. */
export async function readStdin(): Promise<Uint8Array> {
  refuseStdinTakenBySecret();
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Reads stdin, at most `max` bytes: the caller reports input that reaches the cap, and the rest
 * is never held in memory.
 */
export async function readStdinUpTo(max: number): Promise<Uint8Array> {
  refuseStdinTakenBySecret();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const c = chunk as Buffer;
    chunks.push(c.subarray(0, max - total));
    total += Math.min(c.length, max - total);
    if (total >= max) {
      process.stdin.destroy();
      break;
    }
  }
  return Buffer.concat(chunks);
}

/**
 * Stdin as the input (`-` or no path) is refused, exit 2, when a secret option already took it
 * (`--key-file -`) or when it is a terminal: a command would wait for typing nobody means to do.
 */
export function refuseStdinAsInput(): void {
  refuseStdinTakenBySecret();
  if (process.stdin.isTTY) {
    throw new CliError(
      ExitCode.Usage,
      'no input file given and stdin is a terminal',
      'pass a file name, or pipe the input in',
    );
  }
}

/** Reads a file, or stdin when the path is absent or `-`. Errors name the file (exit 3). */
export async function readInput(
  path: string | Buffer | undefined,
  shown = typeof path === 'string' ? path : '<file>',
): Promise<Uint8Array> {
  if (path === undefined || path === '-') {
    refuseStdinAsInput();
    return readStdin();
  }
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, shown)}`);
  }
}
