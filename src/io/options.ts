/**
 * Checks of option values at the door: each message names the option, what was expected and
 * what arrived (exit 2).
 */
import { usageError } from '../errors.js';

/** Parses an integer option within a range. */
export function parseIntegerOption(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    throw usageError(`${flag} expected an integer ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Parses a hex option of an exact byte length. */
export function parseHexOption(flag: string, value: string, bytes: number): Uint8Array {
  const t = value.trim();
  if (!/^[0-9a-fA-F]*$/.test(t) || t.length !== bytes * 2) {
    throw usageError(
      `${flag} expected ${bytes} bytes as ${bytes * 2} hex digits, got ${JSON.stringify(value)}`,
    );
  }
  return new Uint8Array(Buffer.from(t, 'hex'));
}

/**
 * `--mode 640`: permission bits as 3 or 4 octal digits (set-id and sticky bits refused).
 * @returns `{ mode }` for the writer, or `{}` when the option is absent
 */
export function parseModeOption(value: string | undefined): { mode?: number } {
  if (value === undefined) return {};
  const t = value.trim();
  if (!/^0?[0-7]{3}$/.test(t)) {
    throw usageError(
      `--mode expected 3 octal digits such as 600 or 640, got ${JSON.stringify(value)}`,
    );
  }
  return { mode: parseInt(t, 8) };
}
