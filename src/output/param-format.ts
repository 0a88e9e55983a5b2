/** Output of `cisco-prov param`: one block per parameter, or JSON. */
import type { ParamResult } from '../commands/param.js';
import type { ParameterInfo } from '../profile/catalog-search.js';
import { jsonForTerminal } from './terminal-text.js';

function familyList(info: ParameterInfo): string {
  const names = info.families.map((f) => (f === 'ATA190' ? 'ATA191/192' : f));
  return names.length === 8 ? `all (${names.join(', ')})` : names.join(', ');
}

function block(info: ParameterInfo, exports: Record<string, string>): string {
  const lines: string[] = [info.section ? `${info.name}  (in <${info.section}>)` : info.name];
  const row = (label: string, value: string): void => {
    lines.push(`  ${label.padEnd(9)} ${value}`);
  };
  if (info.aliases.length > 0) {
    row(
      'aliases',
      `${info.aliases.join(', ')} (accepted with a warning; the export spells it ${info.name})`,
    );
  }
  if (info.index) row('{n}', `${info.index.min}–${info.index.max} (${info.index.kind})`);
  if (info.subIndex)
    row('{m}', `${info.subIndex.min}–${info.subIndex.max} (${info.subIndex.kind})`);
  row('type', info.typeText);
  for (const [family, text] of Object.entries(info.familyTypes ?? {})) {
    row('', `on ${family === 'ATA190' ? 'ATA191/192' : family}: ${text}`);
  }
  if (info.default !== undefined) row('default', info.default === '' ? '(empty)' : info.default);
  row('families', familyList(info));
  row('secret', info.secret ? 'yes (never shown; plaintext-secret warns)' : 'no');
  // Facts from exports are appended to a guide's citation after "; ": one line each.
  const sources = info.source.split(/; (?=exports?[: ])/);
  row('source', sources[0] ?? '');
  for (const s of sources.slice(1)) row('', s);
  for (const [id, where] of Object.entries(exports)) {
    if (info.source.includes(id)) row('', `${id} = ${where}`);
  }
  return lines.join('\n');
}

/** Human text, or JSON (`--json`: the matches with their fields, one array). */
export function renderParam(result: ParamResult): string {
  if (result.json) {
    const matches = result.matches.map((m) => ({ ...m, type: m.type }));
    return `${jsonForTerminal({ query: result.query, matches, exports: result.exports }, 2)}\n`;
  }
  const head = result.pattern
    ? `${result.matches.length} ${result.matches.length === 1 ? 'parameter matches' : 'parameters match'} ${result.query}\n\n`
    : '';
  return `${head}${result.matches.map((m) => block(m, result.exports)).join('\n\n')}\n`;
}
