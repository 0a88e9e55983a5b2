/** Where a command's data goes: `-o <file>` (through the one writer) or stdout. */
import { writeChunksAtomic, writeChunksStdout } from '../io/streams.js';
import {
  assertStdoutAcceptsBinary,
  ownDescriptorOf,
  warn,
  writeOutputFile,
  writeStdout,
  type WriteOptions,
} from '../io/writer.js';

/** What the file written with `-o` gets: 0600 for plaintext secrets, or exactly `--mode`. */
export interface FileOptions {
  /** Plaintext that may hold secrets (a decrypted profile): a new file is created 0600. */
  secret?: boolean;
  /** `--mode`: exact permission bits. */
  mode?: number | undefined;
  /** The input file (path, or descriptor: 0 for stdin): an output that is that file is refused. */
  input?: string | number | undefined;
}

function writeOptions(options: FileOptions): WriteOptions {
  return {
    ...(options.secret ? { secret: true } : {}),
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
  };
}

/** `-o` names a file (not `-`, not this process's own stdout, which is written as stdout). */
function isFileOutput(output: string | undefined): output is string {
  return output !== undefined && output !== '-' && ownDescriptorOf(output) !== 1;
}

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
  fileOptions: FileOptions = {},
): Promise<void> {
  for (const w of result.warnings ?? []) warn(w);
  if (isFileOutput(output)) {
    writeOutputFile(output, result.data, writeOptions(fileOptions));
    return;
  }
  // `-o /dev/stdout` asked for stdout explicitly: no terminal check.
  assertStdoutAcceptsBinary(result.binary, force || (output !== undefined && output !== '-'));
  await writeStdout(result.data);
}

export interface StreamEmission {
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** Whether the data would garble a terminal; a function is asked at the first chunk. */
  binary: boolean | (() => boolean);
  warnings?: readonly string[];
}

/**
 * Streams a command's data to the output file (atomically: a failure part-way leaves no file)
 * or to stdout, holding back the first `holdBack` bytes on stdout until the stream has ended.
 */
export async function emitChunks(
  result: StreamEmission,
  output: string | undefined,
  options: { force?: boolean; holdBack?: number } & FileOptions = {},
): Promise<void> {
  for (const w of result.warnings ?? []) warn(w);
  if (isFileOutput(output)) {
    await writeChunksAtomic(output, result.chunks, writeOptions(options));
    return;
  }
  const force = (options.force ?? false) || (output !== undefined && output !== '-');
  const { binary } = result;
  if (typeof binary === 'boolean') {
    assertStdoutAcceptsBinary(binary, force);
    await writeChunksStdout(result.chunks, options.holdBack ?? 0);
    return;
  }
  await writeChunksStdout(checkedAtFirstChunk(result.chunks, binary, force), options.holdBack ?? 0);
}

async function* checkedAtFirstChunk(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  binary: () => boolean,
  force: boolean,
): AsyncGenerator<Uint8Array> {
  let first = true;
  for await (const chunk of chunks) {
    if (first) assertStdoutAcceptsBinary(binary(), force);
    first = false;
    yield chunk;
  }
}
