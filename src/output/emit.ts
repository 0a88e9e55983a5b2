/** Where a command's data goes: `-o <file>` (atomically) or stdout. */
import { writeChunksAtomic, writeChunksStdout } from '../io/streams.js';
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
  options: { force?: boolean; holdBack?: number } = {},
): Promise<void> {
  for (const w of result.warnings ?? []) warn(w);
  if (output !== undefined && output !== '-') {
    await writeChunksAtomic(output, result.chunks);
    return;
  }
  const force = options.force ?? false;
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
