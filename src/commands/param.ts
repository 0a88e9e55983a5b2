/** `cisco-prov param <name|pattern>`: what the catalog knows about a parameter. */
import { CliError, ExitCode } from '../errors.js';
import { DEFAULT_CATALOG } from '../profile/catalog-data/index.js';
import { EXPORT_SOURCES } from '../profile/catalog-data/exported.js';
import {
  describeEntry,
  findParameter,
  isNamePattern,
  searchParameters,
  type ParameterInfo,
} from '../profile/catalog-search.js';
import { suggestNames } from '../validate/suggest.js';

export interface ParamOptions {
  /** A parameter name (`Admin_Password`, `Line_Enable_3_`) or a glob (`*passw*`). */
  query: string;
  json?: boolean;
}

export interface ParamResult {
  query: string;
  /** True when the query was a glob. */
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
  const entries = pattern
    ? searchParameters(DEFAULT_CATALOG, query)
    : findParameter(DEFAULT_CATALOG, query);
  if (entries.length === 0) {
    const suggestions = pattern ? [] : suggestNames(DEFAULT_CATALOG, query);
    // Echoed quoted and escaped when not plain ASCII: it must not drive the terminal.
    const shown = /^[\x20-\x7e]*$/.test(query) ? query : JSON.stringify(query);
    throw new CliError(
      ExitCode.Bad,
      pattern ? `no parameter matches ${shown}` : `unknown parameter ${shown}`,
      suggestions.length > 0
        ? `did you mean ${suggestions.join(', ')}?`
        : 'try a pattern such as *passw* (case-insensitive)',
    );
  }
  const matches = entries.map(describeEntry);
  const exports: Record<string, string> = {};
  for (const m of matches) {
    for (const [id, where] of Object.entries(EXPORT_SOURCES)) {
      if (m.source.includes(id)) exports[id] = where;
    }
  }
  return { query, pattern, matches, exports, json: options.json === true };
}
