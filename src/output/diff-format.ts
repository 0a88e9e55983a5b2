/**
 * `diff` output: a line per parameter (`-` removed, `+` added, `~` changed) with both values,
 * or the JSON array `[{ "name", "change", "a", "b" }]` (plus `ua`, `preserve-value` when that
 * attribute differs: `{ "a", "b" }`, null on the side without it).
 * Values are shown JSON-quoted and escaped: white space and control characters stay visible.
 */
import { Chalk } from 'chalk';
import type { ExitCodeValue } from '../errors.js';
import { COMPARED_ATTRIBUTES, type ChangeKind } from '../profile/profile-map.js';
import { escapeText, safeJson } from './inspect-format.js';
import { escapeControls } from './terminal-text.js';

/** One difference, ready for output: secret values already masked. */
export interface DiffEntry {
  name: string;
  change: ChangeKind;
  /** The value in a (null when a lacks the parameter). */
  a: string | null;
  b: string | null;
  /** Present when the ua attribute differs: each side's ua, null when absent. */
  ua?: AttributeChange;
  /** Likewise `preserve-value` (reference §1). `group` is not compared: the phone ignores it. */
  'preserve-value'?: AttributeChange;
  /** Whether the values were masked as secrets. */
  secret: boolean;
  /** Whether the value differs (a `changed` entry may differ in ua only). */
  valueChanged: boolean;
}

/** Each side's value of an attribute, null where it is absent. */
export interface AttributeChange {
  a: string | null;
  b: string | null;
}

export interface DiffResult {
  a: string;
  b: string;
  changes: DiffEntry[];
  /** Notes for stderr: duplicates, parts of the file read past. Never a value. */
  notes: string[];
  exitCode: ExitCodeValue;
}

const MARK: Record<DiffEntry['change'], string> = { removed: '-', added: '+', changed: '~' };

function quote(value: string | null): string {
  return value === null ? '(absent)' : `"${escapeText(value).replace(/"/g, '\\"')}"`;
}

function attributeValue(value: string | null): string {
  return value === null ? '(none)' : escapeText(value);
}

function line(c: DiffEntry): string {
  const name = escapeText(c.name);
  const changed = COMPARED_ATTRIBUTES.flatMap((at) => {
    const change = c[at];
    return change ? [`${at} ${attributeValue(change.a)} → ${attributeValue(change.b)}`] : [];
  });
  const access = changed.length > 0 ? changed.join(', ') : undefined;
  let text: string;
  if (c.change === 'removed') text = `${name} = ${quote(c.a)}`;
  else if (c.change === 'added') text = `${name} = ${quote(c.b)}`;
  else if (!c.valueChanged && access) return `${MARK.changed} ${name}: ${access}`;
  else text = `${name} = ${quote(c.a)} → ${quote(c.b)}`;
  return `${MARK[c.change]} ${text}${access ? `, ${access}` : ''}`;
}

/** Human output: nothing when the profiles are the same (as diff(1)), else a line per change and a count. */
export function formatDiff(result: DiffResult, options: { color?: boolean } = {}): string {
  if (result.changes.length === 0) return '';
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<DiffEntry['change'], (s: string) => string> = {
    removed: chalk.red,
    added: chalk.green,
    changed: chalk.yellow,
  };
  const counts = { added: 0, removed: 0, changed: 0 };
  // File names as every message shows them (escapeControls, as validate): a backslash in a name
  // stays one; values below are escaped with escapeText, where `\` must double.
  const lines = [`--- ${escapeControls(result.a)}`, `+++ ${escapeControls(result.b)}`];
  for (const c of result.changes) {
    counts[c.change]++;
    lines.push(paint[c.change](line(c)));
  }
  const n = result.changes.length;
  lines.push(
    `${n} ${n === 1 ? 'parameter differs' : 'parameters differ'}: ${counts.removed} removed, ${counts.added} added, ${counts.changed} changed`,
  );
  return `${lines.join('\n')}\n`;
}

/** `--json`: the array of changes; secret values are already masked by the command. */
export function formatDiffJson(result: DiffResult): string {
  return `${safeJson(
    result.changes.map((c) => ({
      name: c.name,
      change: c.change,
      a: c.a,
      b: c.b,
      ...(c.ua ? { ua: c.ua } : {}),
      ...(c['preserve-value'] ? { 'preserve-value': c['preserve-value'] } : {}),
      ...(c.secret ? { secret: true } : {}),
    })),
    2,
  )}\n`;
}
