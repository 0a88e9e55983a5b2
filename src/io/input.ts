/**
 * Reading inputs for the CLI layer: a file path, or stdin for `-` / no path.
 */
import { readFileSync } from 'node:fs';
import { CliError, ExitCode, describeSystemError } from '../errors.js';

/** A display name for an input: the path, or `<stdin>`. */
export function inputName(path: string | undefined): string {
  return path === undefined || path === '-' ? '<stdin>' : path;
}

/** Reads all of stdin. */
export async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads a file, or stdin when the path is absent or `-`. Errors name the file (exit 3). */
export async function readInput(path: string | undefined): Promise<Uint8Array> {
  if (path === undefined || path === '-') {
    if (process.stdin.isTTY) {
      throw new CliError(
        ExitCode.Usage,
        'no input file given and stdin is a terminal',
        'pass a file name, or pipe the input in',
      );
    }
    return readStdin();
  }
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(ExitCode.Failure, `cannot read ${describeSystemError(err, path)}`);
  }
}
