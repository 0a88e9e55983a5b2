/**
 * Checks of option values at the door: each message names the option, what was expected and
 * what arrived (exit 2).
 */
import { usageError } from '../errors.js';
import { isRuleId, RULE_IDS, type RuleId } from '../validate/rule-ids.js';

/** Parses an integer option within a range. */
function parseIntegerOption(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    throw usageError(`${flag} expected an integer ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * commander's argParser for an integer option in [min, max]: the value arrives as a number, and
 * a bad one is a usage error naming the option.
 * @example .option('--rs <n>', 'record size', integerArg('--rs', 18, 0xffffffff), 4096)
 */
export function integerArg(flag: string, min: number, max: number): (value: string) => number {
  return (value) => parseIntegerOption(flag, value, min, max);
}

/** commander's argParser for a size option (`64M`): bytes as a number. */
export function sizeArg(flag: string): (value: string) => number {
  return (value) => parseSizeOption(flag, value);
}

/**
 * commander's argParser for `--ignore-rule`: repeatable, each value one id or a comma-separated
 * list; an unknown id is a usage error listing the known ones.
 */
export function ruleIdListArg(value: string, previous: readonly RuleId[] = []): RuleId[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  for (const id of ids) {
    if (!isRuleId(id)) {
      throw usageError(
        `--ignore-rule: unknown rule id '${id}'`,
        `rule ids: ${RULE_IDS.join(', ')}`,
      );
    }
  }
  return [...previous, ...(ids as RuleId[])];
}

/** The output formats of `inspect` and `models`. */
export type TableFormat = 'table' | 'csv' | 'json';

/**
 * `--json` is shorthand for `--format json`; with another --format it is a usage error.
 * Written once for every command that has both.
 * @example resolveTableFormat({ json: true }) // 'json'
 */
export function resolveTableFormat(options: { json?: boolean; format?: TableFormat }): TableFormat {
  if (options.json && options.format !== undefined && options.format !== 'json') {
    throw usageError(`--json conflicts with --format ${options.format}`, 'use one of them');
  }
  const format = options.json ? 'json' : (options.format ?? 'table');
  if (format !== 'table' && format !== 'csv' && format !== 'json') {
    throw usageError(`--format expected table, csv or json, got ${JSON.stringify(format)}`);
  }
  return format;
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

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * Parses a size in bytes: a whole number with an optional binary unit, `K`/`KiB`, `M`/`MiB`,
 * `G`/`GiB` (`64M` = 64 × 1024² bytes).
 */
function parseSizeOption(flag: string, value: string): number {
  const m = /^\s*(\d+)\s*(?:([kKmMgG])(?:i?[bB])?)?\s*$/.exec(value);
  const n = m ? Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? NaN) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw usageError(
      `${flag} expected a size in bytes of at least 1 (a number, or with K, M or G), got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** A size for messages: `67108864 bytes (64 MiB)`. */
export function describeSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes} bytes (${bytes / size} ${unit})`;
  }
  return `${bytes} bytes`;
}

/**
 * `--mode 640`: permission bits as 3 or 4 octal digits (set-id and sticky bits refused).
 * @returns `{ mode }` for the writer, or `{}` when the option is absent
 */
function parseModeOption(value: string | undefined): { mode?: number } {
  if (value === undefined) return {};
  const t = value.trim();
  if (!/^0?[0-7]{3}$/.test(t)) {
    throw usageError(
      `--mode expected 3 octal digits such as 600 or 640, got ${JSON.stringify(value)}`,
    );
  }
  return { mode: parseInt(t, 8) };
}

/** commander's argParser for `--mode`: the permission bits as a number. */
export function modeArg(value: string): number {
  return parseModeOption(value).mode!;
}
