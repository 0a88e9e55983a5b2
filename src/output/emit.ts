/** Where a command's data goes: `-o <file>` (through the one writer) or stdout. */
import {
  assertStdoutAcceptsBinary,
  ownDescriptorOf,
  warn,
  writeOutputFile,
  writeStdout,
} from '../io/writer.js';

export interface Emission {
  data: Uint8Array | string;
  /** Data that would garble a terminal (ciphertext, gzip). */
  binary: boolean;
  /** Plaintext that may hold secrets (a decrypted profile): a new file is created 0600. */
  secret?: boolean;
  warnings?: readonly string[];
}

/** Prints warnings to stderr, then writes the data to the output file or stdout. */
export async function emit(
  result: Emission,
  output: string | undefined,
  force = false,
  fileOptions: { mode?: number | undefined } = {},
): Promise<void> {
  for (const w of result.warnings ?? []) warn(w);
  // `-o /dev/stdout` is stdout: written in order with everything else the command prints.
  if (output !== undefined && output !== '-' && ownDescriptorOf(output) !== 1) {
    writeOutputFile(output, result.data, {
      ...(result.secret ? { secret: true } : {}),
      ...(fileOptions.mode !== undefined ? { mode: fileOptions.mode } : {}),
    });
    return;
  }
  assertStdoutAcceptsBinary(result.binary, force || (output !== undefined && output !== '-'));
  await writeStdout(result.data);
}
