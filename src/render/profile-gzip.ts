/**
 * gzip (RFC 1952) for a batch of profiles through ONE deflate state, reset between profiles.
 *
 * Why: `zlib.gzipSync` builds a stream object and a new deflate state (about 270 KB: window,
 * hash chains, pending buffer) for every call and closes it at the end. A rendered profile is
 * 2–30 KB, so for 10,000 profiles that set-up is most of gzip's cost, and its allocations
 * evict the renderer's data from the cache. Measured on the bench machine (2.5 KB profile,
 * tight loop): gzipSync 23–26 µs, the reused state 17–19 µs; in the render pipeline the
 * difference is larger (fewer cache misses, less GC).
 *
 * How: node:zlib has no public synchronous API over a kept stream (its sync path closes the
 * handle at the end), so this drives the native handle of a `zlib.createGzip()` directly:
 * `_handle.writeSync(flush, in, inOff, inLen, out, outOff, outLen)` leaves the remaining
 * output and input space in `_writeState` ([availOut, availIn]), and `_handle.reset()` is
 * deflateReset (the next profile starts with a fresh gzip header). These are Node's private
 * names, stable since Node 10 — test/unit/render-profile-gzip.test.ts fails when they are gone
 * and checks the output byte for byte against `zlib.gzipSync`; where they are missing this
 * falls back to `gzipSync`, so a change in Node costs speed, never correctness.
 */
import zlib from 'node:zlib';

/** The private surface of a node:zlib stream this module relies on. */
interface NativeDeflate {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  reset(): void;
}

const OUT_CHUNK = 64 * 1024;
/** Put in the write state before each call: still there after it means zlib wrote nothing. */
const UNTOUCHED = 0xffffffff;

/**
 * A gzip compressor for many small inputs, one after the other (not reentrant: one per thread).
 * Output is exactly what `zlib.gzipSync(data)` produces with the default options.
 * @example const gz = new ProfileGzip(); const bytes = gz.gzip(Buffer.from('<flat-profile/>'));
 */
export class ProfileGzip {
  private readonly handle: NativeDeflate | undefined;
  private readonly state: Uint32Array | undefined;
  private readonly out = Buffer.allocUnsafe(OUT_CHUNK);

  constructor() {
    const stream = zlib.createGzip() as unknown as {
      _handle?: Partial<NativeDeflate>;
      _writeState?: unknown;
    };
    const handle = stream._handle;
    // A zlib failure is reported to the stream as an 'error' event; `gzip` notices it by the
    // untouched write state instead, so the event needs a listener (else it would be uncaught).
    (stream as unknown as NodeJS.EventEmitter).on('error', () => {});
    if (
      typeof handle?.writeSync === 'function' &&
      typeof handle.reset === 'function' &&
      stream._writeState instanceof Uint32Array &&
      stream._writeState.length >= 2
    ) {
      this.handle = handle as NativeDeflate;
      this.state = stream._writeState;
    }
  }

  /** Whether the reused deflate state is in use (false: the gzipSync fallback). */
  get reusesState(): boolean {
    return this.handle !== undefined;
  }

  /** gzip of `data` (RFC 1952, one member). */
  gzip(data: Uint8Array): Uint8Array {
    const handle = this.handle;
    const state = this.state;
    if (!handle || !state) return zlib.gzipSync(data);
    const parts: Buffer[] = [];
    let total = 0;
    let inOff = 0;
    let availIn = data.length;
    try {
      for (;;) {
        state[0] = UNTOUCHED;
        handle.writeSync(zlib.constants.Z_FINISH, data, inOff, availIn, this.out, 0, OUT_CHUNK);
        const availOut = state[0]!;
        const availInAfter = state[1]!;
        if (availOut > OUT_CHUNK) throw new Error('gzip failed (zlib reported an error)');
        const have = OUT_CHUNK - availOut;
        // A copy: `out` is reused by the next call.
        parts.push(Buffer.from(this.out.subarray(0, have)));
        total += have;
        inOff += availIn - availInAfter;
        availIn = availInAfter;
        if (availOut !== 0) break; // Z_FINISH done: everything fitted
      }
    } finally {
      handle.reset();
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
  }
}
