/** `cisco-prov param <name|pattern>`: what the catalog knows about a parameter. */
import { CliError, ExitCode } from '../errors.js';
import { DEFAULT_CATALOG } from '../profile/catalog-data/index.js';
import { EXPORT_SOURCES } from '../profile/catalog-data/exported.js';
import {
  describeEntry,
  findParameter,
  isNamePattern,
  searchParameters,
  searchWords,
  type ParameterInfo,
} from '../profile/catalog-search.js';
import { suggestNames } from '../validate/suggest.js';

export interface ParamOptions {
  /**
   * A parameter name (`Admin_Password`, `Line_Enable_3_`), a glob (`*passw*`), or words
   * (`admin password`): a name that is not found lists the parameters holding every word.
   */
  query: string;
  json?: boolean;
}

export interface ParamResult {
  query: string;
  /** True when the result is a list: the query was a glob, or words that are not a name. */
  pattern: boolean;
  matches: ParameterInfo[];
  /** The tuning exports an entry's source names, id → repository, path and commit. */
  exports: Record<string, string>;
  json: boolean;
}

/**
 * Looks a parameter up, or lists the parameters a pattern matches.
 * @throws CliError exit 1 when nothing matches (with "did you mean" for a name)
 */
export function param(options: ParamOptions): ParamResult {
  const query = options.query.trim();
  if (query === '') throw new CliError(ExitCode.Usage, 'param: expected a name or a pattern');
  const pattern = isNamePattern(query);
  let entries = pattern
    ? searchParameters(DEFAULT_CATALOG, query)
    : findParameter(DEFAULT_CATALOG, query);
  let list = pattern;
  if (entries.length === 0 && !pattern && /[[\]()/]/.test(query)) {
    // A web-page label: Cisco's names are the label with spaces and [ ] ( ) / turned into _
    // ("Resync At (HHmm)" → Resync_At__HHmm_), an index in brackets without its space
    // ("Dial Plan [1]" → Dial_Plan_1_).
    for (const label of [query.replace(/ \[/g, '['), query]) {
      entries = findParameter(DEFAULT_CATALOG, label.replace(/[ [\]()/]/g, '_'));
      if (entries.length > 0) break;
    }
  }
  if (entries.length === 0 && !pattern) {
    entries = searchWords(DEFAULT_CATALOG, query);
    list = entries.length > 0;
  }
  if (entries.length === 0) {
    const suggestions = pattern ? [] : suggestNames(DEFAULT_CATALOG, query);
    // Echoed quoted and escaped when not plain ASCII: it must not drive the terminal.
    const shown = /^[\x20-\x7e]*$/.test(query) ? query : JSON.stringify(query);
    throw new CliError(
      ExitCode.Bad,
      pattern ? `no parameter matches ${shown}` : `unknown parameter ${shown}`,
      suggestions.length > 0
        ? `did you mean ${suggestions.join(', ')}?`
        : 'try words (admin password) or a pattern such as *passw* (case-insensitive)',
    );
  }
  const matches = entries.map(describeEntry);
  const exports: Record<string, string> = {};
  for (const m of matches) {
    for (const [id, where] of Object.entries(EXPORT_SOURCES)) {
      if (m.source.includes(id)) exports[id] = where;
    }
  }
  return { query, pattern: list, matches, exports, json: options.json === true };
}
