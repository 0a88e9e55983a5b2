/**
 * gzip (RFC 1952) for profiles, with a cap on what gunzipping may produce: a few megabytes of
 * gzip can hold gigabytes of zeros. node:zlib is fetched synchronously where the runtime has it
 * (no static import: the crypto core also runs where there is none).
 */
import { DEFAULT_MAX_SIZE, SizeLimitError } from './errors.js';

type Zlib = typeof import('node:zlib');
type Stream = typeof import('node:stream');

function builtin<T>(id: string): T {
  const m = (
    globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined
  )?.getBuiltinModule?.(id) as T | undefined;
  if (!m) throw new Error(`gzip needs ${id}, which this runtime does not have`);
  return m;
}

/** node:zlib (exported for the streaming code beside this module). */
export function zlib(): Zlib {
  return builtin<Zlib>('node:zlib');
}

/**
 * gzip (RFC 1952) of bytes.
 * @example gzip(new TextEncoder().encode('<flat-profile/>'))[0] // 0x1f (the gzip magic)
 */
export function gzip(data: Uint8Array): Uint8Array {
  return zlib().gzipSync(data);
}

/** What {@link gunzip} and {@link gunzipStream} call their output in a SizeLimitError. */
export const GUNZIPPED = 'gunzipped data';

/**
 * Gunzips bytes, checking each member's CRC-32 and length (RFC 1952 §2.3.1); never produces
 * more than `maxSize` bytes (default 64 MiB): zlib stops as soon as its output passes the cap,
 * so a gzip bomb costs at most `maxSize` of memory.
 * @example gunzip(gz, 16 * 1024 * 1024)
 * @throws SizeLimitError when the output would exceed `maxSize`
 * @throws Error (from zlib) on corrupt data
 */
export function gunzip(data: Uint8Array, maxSize: number = DEFAULT_MAX_SIZE): Uint8Array {
  try {
    return zlib().gunzipSync(data, { maxOutputLength: Math.max(1, maxSize) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new SizeLimitError(GUNZIPPED, maxSize);
    }
    throw err;
  }
}

/**
 * Gunzips a stream of chunks into a stream of chunks, never more than `maxSize` bytes in all;
 * memory stays at zlib's window and a chunk or two whatever the ratio. For a pipeline stage or a
 * `for await` loop:
 * @example Readable.from(gunzipStream(createReadStream('access.log.gz'), 1 << 30))
 * @throws SizeLimitError when the output would exceed `maxSize`
 * @throws Error (from zlib) on corrupt data
 */
export async function* gunzipStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  maxSize: number = DEFAULT_MAX_SIZE,
): AsyncGenerator<Uint8Array> {
  const { Readable, pipeline } = builtin<Stream>('node:stream');
  const inflater = zlib().createGunzip();
  // pipeline() destroys the inflater with the source's error, and the loop below rethrows it.
  pipeline(Readable.from(source, { objectMode: false }), inflater, () => {});
  let total = 0;
  for await (const chunk of inflater as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxSize) throw new SizeLimitError(GUNZIPPED, maxSize);
    yield chunk;
  }
}
