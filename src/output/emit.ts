/** Where a command's data goes: `-o <file>` (atomically) or stdout. */
import { assertStdoutAcceptsBinary, warn, writeFileAtomic, writeStdout } from './writer.js';

export interface Emission {
  data: Uint8Array | string;
  /** Data that would garble a terminal (ciphertext, gzip). */
  binary: boolean;
  warnings?: readonly string[];
}

/** Prints warnings to stderr, then writes the data to the output file or stdout. */
export async function emit(
  result: Emission,
  output: string | undefined,
  force = false,
): Promise<void> {
  for (const w of result.warnings ?? []) warn(w);
  if (output !== undefined && output !== '-') {
    writeFileAtomic(output, result.data);
    return;
  }
  assertStdoutAcceptsBinary(result.binary, force);
  await writeStdout(result.data);
}
