/**
 * `rule expand` output: a table for people, JSON for scripts. Secrets (`--key`, `--pwd`, a
 * `--uid` drawn from a secret, values assigned to secret parameters) are masked unless asked for.
 */
import type { RuleExpansion } from '../profile/rule-expand.js';
import { SECRET_MASK, isSecretParameter, maskSecretQuery } from '../profile/secrets.js';
import { printable } from './fetch-format.js';
import { jsonForTerminal } from './terminal-text.js';

/** The JSON document of `rule expand --json`. */
export interface RuleExpansionJson {
  url: string | null;
  scheme: string | null;
  host: string | null;
  port: number | null;
  path: string | null;
  options: {
    key: string | null;
    uid: string | null;
    pwd: string | null;
    post: string | null;
    alias: string | null;
    srv: boolean;
    delta: boolean;
    status: boolean;
  };
  /** 1-based index of the alternative taken; null when none applies. */
  alternative: number | null;
  postBody: string | null;
  assignments: { parameter: string; value: string }[];
  conditions: {
    alternative: number;
    result: boolean | null;
    comparisons: {
      left: string;
      operator: string;
      right: string;
      leftValue: string;
      rightValue: string;
      as: string | null;
      result: boolean | null;
      note?: string;
    }[];
  }[];
  unexpanded: string[];
  problems: string[];
}

const mask = (value: string | null, show: boolean): string | null =>
  value === null || show ? value : SECRET_MASK;

/**
 * A `--key`/`--pwd` that is only a macro left unexpanded (`$SA`, `$(SB)`) holds no secret: shown
 * as written, so `********` never hides that the key has no value.
 */
function maskOption(value: string | null, show: boolean, unexpanded: readonly string[]) {
  const name = value === null ? undefined : /^\$(?:\(([A-Z0-9]+)\)|([A-Z0-9]+))$/.exec(value);
  if (name && unexpanded.includes(name[1] ?? name[2] ?? '')) return value;
  return mask(value, show);
}

/**
 * The expansion as data, secrets masked unless `showSecrets`.
 * @param uidIsSecret the `--uid` draws on a secret (`$SA`..`$SD`, or a `$` left as written)
 */
export function ruleExpansionJson(
  e: RuleExpansion,
  showSecrets: boolean,
  uidIsSecret = false,
): RuleExpansionJson {
  // A secret in the query (`?pwd=…`) is masked like --pwd.
  const query = (value: string | null): string | null =>
    value === null || showSecrets ? value : maskSecretQuery(value);
  return {
    url: query(e.url),
    scheme: e.scheme,
    host: e.host,
    port: e.port,
    path: query(e.path),
    options: {
      ...e.options,
      key: maskOption(e.options.key, showSecrets, e.unexpanded),
      // A user id is shown (`--uid admin`, `--uid $MA`), unless it draws on a secret: masked
      // as --key and --pwd are (see uidHoldsSecret in src/commands/rule.ts).
      uid: uidIsSecret ? maskOption(e.options.uid, showSecrets, e.unexpanded) : e.options.uid,
      pwd: maskOption(e.options.pwd, showSecrets, e.unexpanded),
    },
    alternative: e.alternative,
    postBody: e.postBody,
    assignments: e.assignments.map((a) => ({
      parameter: a.parameter,
      value: isSecretParameter(a.parameter) ? (mask(a.value, showSecrets) ?? '') : a.value,
    })),
    conditions: e.evaluated.map((a) => ({
      alternative: a.index,
      result: a.result,
      comparisons: a.comparisons.map((c) => ({
        left: c.left,
        operator: c.operator,
        right: c.right,
        leftValue: c.leftValue,
        rightValue: c.rightValue,
        as: c.as,
        result: c.result,
        ...(c.note !== undefined ? { note: c.note } : {}),
      })),
    })),
    unexpanded: e.unexpanded,
    problems: e.problems,
  };
}

/** A two-column table for people. */
export function formatRuleExpansion(
  e: RuleExpansion,
  options: { json: boolean; showSecrets: boolean; uidIsSecret?: boolean },
): string {
  const data = ruleExpansionJson(e, options.showSecrets, options.uidIsSecret === true);
  if (options.json) return `${jsonForTerminal(data, 2)}\n`;
  const rows: [string, string][] = [];
  for (const a of data.conditions) {
    for (const c of a.comparisons) {
      const verdict = c.result === null ? 'unknown' : String(c.result);
      rows.push([
        `condition ${a.alternative}`,
        `${c.leftValue} ${c.operator} ${c.rightValue}: ${verdict}${c.as ? ` (${c.as})` : ''}${c.note ? ` — ${c.note}` : ''}`,
      ]);
    }
  }
  if (data.alternative === null) {
    rows.push(['alternative', 'none applies: the phone skips this rule']);
    return table(rows);
  }
  rows.push(['alternative', `${data.alternative} of ${e.alternatives}`]);
  for (const a of data.assignments) rows.push(['assign', `${a.parameter} = "${a.value}"`]);
  if (data.url === null) {
    rows.push(['url', '(none: this alternative only assigns)']);
    return table(rows);
  }
  rows.push(['url', data.url]);
  rows.push(['scheme', data.scheme ?? '']);
  rows.push(['host', data.host ?? '(the DHCP option 66 server)']);
  rows.push(['port', data.port === null ? '(not a number)' : String(data.port)]);
  rows.push(['path', data.path ?? '']);
  const o = data.options;
  if (o.key !== null) rows.push(['key', o.key]);
  if (o.uid !== null) rows.push(['uid', o.uid]);
  if (o.pwd !== null) rows.push(['pwd', o.pwd]);
  if (o.post !== null) rows.push(['post', `GPP_${o.post}: ${data.postBody ?? '(no value)'}`]);
  if (o.alias !== null) rows.push(['alias', `GPP_${o.alias}`]);
  const flags = (['srv', 'delta', 'status'] as const).filter((f) => o[f]);
  if (flags.length > 0) rows.push(['flags', flags.map((f) => `--${f}`).join(' ')]);
  return table(rows);
}

function table(rows: readonly [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  // A rule can come from a fetched profile: its text never reaches the terminal raw.
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${printable(v)}`).join('\n') + '\n';
}
