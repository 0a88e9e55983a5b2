/**
 * The one-shot `encrypt` of a stream (dist/oneshot-stream.cjs): stdin, or a file the one-shot
 * path (src/cli-oneshot.ts) found larger than WHOLE_INPUT_LIMIT or not a regular file (a FIFO, a
 * device). Its own bundle, loaded only then, so that a small file's start-up does not load, nor
 * deserialize from the code cache, the chunk pipeline it does not run. src/cli.ts runs
 * {@link encryptOne} for every single-input `encrypt` it parses with commander.
 */
import { encrypt } from './commands/encrypt.js';
import type { EncryptCliOptions, OneShotEncrypt } from './cli-oneshot.js';
import type { OpenedInput } from './io/sync-io.js';
import { emitChunks } from './output/emit.js';

/**
 * One input encrypted to `-o` or stdout, streamed: the action of `encrypt` without --out-dir.
 * `opened`: the input file, opened already by the one-shot path.
 */
export async function encryptOne(
  input: string | undefined,
  options: EncryptCliOptions,
  opened?: OpenedInput,
): Promise<void> {
  await emitChunks(await encrypt(input, options, opened), options.output, {
    force: options.force,
    mode: options.mode,
    input: input === undefined || input === '-' ? 0 : input,
  });
}

/** {@link encryptOne} of an argv the one-shot path parsed (src/cli-oneshot.ts hands it over). */
export function runOneShot(oneShot: OneShotEncrypt, opened?: OpenedInput): Promise<void> {
  return encryptOne(oneShot.input, oneShot.options, opened);
}
