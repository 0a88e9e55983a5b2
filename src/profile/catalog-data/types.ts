/**
 * Shorthands for the value types and index ranges the data files share. Only constructors of
 * plain data: the entries stay declarative.
 */
import type { IndexRange, ParameterType } from '../catalog.js';

export const BOOL: ParameterType = { kind: 'bool' };
export const FREE: ParameterType = { kind: 'free' };
export const PORT: ParameterType = { kind: 'port' };
export const IP: ParameterType = { kind: 'ip' };
export const SCHEDULE: ParameterType = { kind: 'schedule' };
export const DIALPLAN: ParameterType = { kind: 'dialplan' };
export const PASSWORD: ParameterType = { kind: 'password' };
/**
 * A count for which the guides give no range: the widest type of their data-type list, Uns32.
 */
export const COUNT: ParameterType = { kind: 'integer', min: 0, max: 4294967295 };
/** A duration in seconds where the guides give no upper bound. */
export const SECONDS: ParameterType = { kind: 'time', min: 0 };
/** `FQDN` of the guides' data types: IP or host name, optional `:port`, ≤ 63 characters. */
export const HOST: ParameterType = { kind: 'host' };
/** A URL-like field the guides leave free (macros such as `$PROXY` may appear). */
export const URL: ParameterType = { kind: 'free' };

export function oneOf(...values: string[]): ParameterType {
  return { kind: 'enum', values };
}

export function int(min: number, max: number): ParameterType {
  return { kind: 'integer', min, max };
}

export function str(maxLength: number): ParameterType {
  return { kind: 'string', maxLength };
}

export function seconds(min: number, max: number): ParameterType {
  return { kind: 'time', min, max };
}

/** LED colour/pattern strings of the XML Reference Guide: `c=<g|r|a|o>[;p=<b|n>]`. */
export const LED: ParameterType = {
  kind: 'pattern',
  regex: 'c=[graoGRAO]\\s*(;\\s*p=[bnBN]\\s*)?;?',
  expected: 'an LED pattern c=<g|r|a|o>[;p=<b|n>]',
};

/** Extensions (`_<n>_` of the Ext tabs): the XML Reference Guide gives n = 1 to 16. */
export const LINE: IndexRange = { min: 1, max: 16, kind: 'line' };
/** Line keys of the Phone tab: up to 16 on the 7861 (model table). */
export const LINE_KEY: IndexRange = { min: 1, max: 16, kind: 'key' };
/** Key expansion modules: units 1 to 3 (8861/8865). */
export const KEM_UNIT: IndexRange = { min: 1, max: 3, kind: 'kem-unit' };
/** Keys per expansion-module unit: 1 to 28. */
export const KEM_KEY: IndexRange = { min: 1, max: 28, kind: 'kem-key' };

/** `Disabled` or an extension number 1–16: what a line key (or KEM key) is bound to. */
export const EXTENSION_CHOICE: ParameterType = oneOf(
  'Disabled',
  ...Array.from({ length: 16 }, (_, i) => String(i + 1)),
);
