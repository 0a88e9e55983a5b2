/**
 * Typed errors of the core (crypto, render, validate, profile, device). The core never picks an
 * exit code or prints: it throws a DomainError that says what kind of problem it is and where
 * (file, row, field), and the CLI (src/errors.ts) maps the kind to an exit code and a line on
 * stderr. A library user catches it like any error and reads `kind`, `code` and `file`.
 */

/**
 * What went wrong, in the terms of the exit table: `usage` the request itself is wrong (an
 * option, a device that is not there); `bad-input` the input was read, checked and found bad;
 * `io` a file could not be read or written.
 * @example if (isDomainError(err) && err.kind === 'usage') exitCode = 2;
 */
export type DomainErrorKind = 'usage' | 'bad-input' | 'io';

/**
 * Where a DomainError's problem is, and what to do about it.
 * @example new DomainError('usage', 'device-not-found', 'no device 001122334455', {
 *   file: 'inventory.csv',
 * })
 */
export interface DomainErrorDetails {
  /** A hint for the user: what to do about it. */
  hint?: string | undefined;
  /** The file the problem is in, as the user named it. */
  file?: string | undefined;
  /** `row 4`, `line 12`… */
  where?: string | undefined;
  /** The field or option concerned. */
  field?: string | undefined;
}

const DOMAIN_ERROR_BRAND = Symbol.for('cisco-prov.DomainError');

/**
 * An error of the core: one line of message (never a secret), its kind and a stable code.
 * @example throw new DomainError('usage', 'device-not-found', 'no device 0011 in inv.csv')
 */
export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  /** Stable kebab-case id of the problem (`device-not-found`, `inventory-invalid`…). */
  readonly code: string;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly where: string | undefined;
  readonly field: string | undefined;
  readonly [DOMAIN_ERROR_BRAND] = true;

  constructor(
    kind: DomainErrorKind,
    code: string,
    message: string,
    details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.hint = details.hint;
    this.file = details.file;
    this.where = details.where;
    this.field = details.field;
  }
}

/**
 * Whether a value is a DomainError — by brand, not `instanceof`: the CLI's CommonJS bundle and
 * the ESM chunks of the batch commands each carry their own copy of the class.
 * @example isDomainError(new DeviceFactError('x')) // true; isDomainError(new Error('x')) // false
 */
export function isDomainError(err: unknown): err is DomainError {
  return typeof err === 'object' && err !== null && DOMAIN_ERROR_BRAND in err;
}

/**
 * Turns a Node.js system error (ENOENT, EACCES…) into a one-line message naming the path.
 * @example describeSystemError(enoent, 'inv.csv') // 'inv.csv: no such file or directory'
 */
export function describeSystemError(err: unknown, path?: string): string {
  const e = err as NodeJS.ErrnoException;
  const where = path ?? e.path ?? '';
  const prefix = where ? `${where}: ` : '';
  switch (e?.code) {
    case 'ENOENT':
      return `${prefix}no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      return `${prefix}permission denied`;
    case 'EISDIR':
      return `${prefix}is a directory`;
    case 'ENOTDIR':
      return `${prefix}not a directory`;
    case 'ENOSPC':
      return `${prefix}no space left on device`;
    default:
      return `${prefix}${systemReason(e) ?? e?.message ?? String(err)}`;
  }
}

/**
 * The OS's reason alone from a Node system error's message (`ELOOP: too many symbolic links
 * encountered, stat '/x'` → `too many symbolic links encountered`): the caller names the path
 * already, and a second, absolute copy of it would only repeat it. Undefined for other errors.
 */
function systemReason(e: NodeJS.ErrnoException | undefined): string | undefined {
  if (typeof e?.code !== 'string' || typeof e.syscall !== 'string') return undefined;
  const match = /^[A-Z0-9_]+: (.*?)(?:, [a-z_]+(?: '.*')?)?$/s.exec(e.message);
  return match?.[1] === undefined || match[1] === '' ? undefined : match[1];
}
