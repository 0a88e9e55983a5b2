/**
 * `cisco-prov rule expand|check`: a Profile_Rule, Upgrade_Rule or Report_Rule through the phone's
 * eyes. The work is the pure core (src/profile/rule-expand.ts, device-facts.ts, rule.ts); this
 * file turns option strings into its inputs and its failures into exit codes.
 */
import { usageError } from '../errors.js';
import { DeviceFactError, deviceMacroValues, type DeviceFacts } from '../profile/device-facts.js';
import { tokenizeMacros } from '../profile/macros.js';
import { parseRule, type RuleKind, type RuleSyntaxError } from '../profile/rule.js';
import {
  RuleSyntaxFailure,
  expandRule,
  type MacroValues,
  type RuleExpansion,
} from '../profile/rule-expand.js';
import type { Diagnostic } from '../validate/diagnostic.js';

/** The device options `rule expand` and `fetch` share. */
export interface DeviceOptions {
  ua?: string;
  mac?: string;
  model?: string;
  serial?: string;
  firmware?: string;
  /** `A=value`, `SA=value` (repeatable). */
  gpp?: string[];
  /** `NAME=value` (repeatable). */
  var?: string[];
  /**
   * GPP contents a profile applied earlier in the same resync set (`fetch`), keyed `A`, `SA`…;
   * they override `gpp`, as the phone's new values would.
   */
  profileGpp?: Readonly<Record<string, string>>;
}

/** Splits repeated `NAME=value` options into a record; the value may contain `=`. */
function parseNameValues(flag: string, list: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      // The value is not echoed: `--gpp SA=…` holds a key.
      throw usageError(`${flag} expected NAME=value, got an item without '=' or without a name`);
    }
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Device facts from the shared options; bad facts are usage errors (exit 2). */
function resolveDevice(opts: DeviceOptions): DeviceFacts & { warnings: string[] } {
  const gpp = parseNameValues('--gpp', opts.gpp);
  const vars = parseNameValues('--var', opts.var);
  const warnings: string[] = [];
  const secretGpp = Object.keys(gpp).filter((k) => /^(GPP_)?S[A-D]$/i.test(k));
  if (secretGpp.length > 0) {
    warnings.push(
      `--gpp ${secretGpp.join(', ')} on the command line is visible to other users in 'ps'`,
    );
  }
  try {
    const facts = deviceMacroValues({
      userAgent: opts.ua,
      mac: opts.mac,
      model: opts.model,
      serial: opts.serial,
      firmware: opts.firmware,
      gpp: { ...gpp, ...opts.profileGpp },
      vars,
    });
    return { ...facts, warnings };
  } catch (err) {
    if (err instanceof DeviceFactError) throw usageError(err.message);
    throw err;
  }
}

export interface RuleCommandOptions extends DeviceOptions {
  kind?: RuleKind;
}

export interface RuleExpandResult {
  expansion: RuleExpansion;
  values: MacroValues;
  /** Notes and warnings for stderr (never a secret). */
  warnings: string[];
  /** The `--uid` of the alternative taken draws on a secret: masked as --key and --pwd are. */
  uidIsSecret: boolean;
}

/** Turns grammar errors into diagnostics (line/column 1-based) for the validate formatters. */
function ruleDiagnostics(text: string, errors: readonly RuleSyntaxError[]): Diagnostic[] {
  return errors.map((e) => {
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    const column = e.offset - (before.lastIndexOf('\n') + 1) + 1;
    return {
      ruleId: 'rule-syntax',
      severity: 'error',
      message: e.message,
      file: '<rule>',
      line,
      column,
    };
  });
}

/** A rule that does not parse: exit 1 with every error and its column. */
export class RuleCheckFailed extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super('the rule does not parse');
  }
}

/**
 * Expands a rule for a device.
 * @throws RuleCheckFailed on grammar errors; CliError (usage) for bad device options or a
 *   condition that needs a fact not given
 */
export function ruleExpand(rule: string, opts: RuleCommandOptions): RuleExpandResult {
  const device = resolveDevice(opts);
  const warnings = [...device.warnings, ...device.notes];
  let expansion: RuleExpansion;
  try {
    expansion = expandRule(rule, device.values, opts.kind ?? 'profile');
  } catch (err) {
    if (err instanceof RuleSyntaxFailure) {
      throw new RuleCheckFailed(ruleDiagnostics(rule, err.errors));
    }
    throw err;
  }
  if (expansion.undetermined) {
    const { alternative, missing } = expansion.undetermined;
    throw usageError(
      `the condition of alternative ${alternative} needs ${missing.map((n) => `$${n}`).join(', ')}, which has no value`,
      `give ${missing.map((n) => macroHint(n)).join(' ')}`,
    );
  }
  for (const name of expansion.unexpanded) {
    warnings.push(`$${name} has no value and stays as written (give ${macroHint(name)})`);
  }
  warnings.push(...expansion.problems);
  const uidIsSecret = uidHoldsSecret(rule, opts.kind ?? 'profile', expansion);
  return { expansion, values: device.values, warnings, uidIsSecret };
}

/**
 * Whether the `--uid` of the alternative taken draws on a secret: `$SA`..`$SD` (GPP_SA..SD hold
 * keys and passwords, Cisco), or a `$` the phone leaves as written — a literal that `rule check`
 * names no macro from ("in this secret value (not shown)"). A plain user id (`admin`, `$MA`) is
 * shown.
 */
function uidHoldsSecret(rule: string, kind: RuleKind, expansion: RuleExpansion): boolean {
  if (expansion.alternative === null) return false;
  const alternative = parseRule(rule, kind).alternatives[expansion.alternative - 1];
  const raw = alternative?.options.find((o) => o.name === 'uid')?.value;
  if (raw === undefined) return false;
  return tokenizeMacros(raw.replaceAll('$$', '')).some((token) =>
    token.kind === 'text' ? token.text.includes('$') : !token.known || /^S[A-D]$/.test(token.name),
  );
}

/** The option that gives a macro its value. */
function macroHint(name: string): string {
  if (name === 'MA' || name === 'MAU' || name === 'MAC') return '--mac or --ua';
  if (name === 'SN') return '--serial or --ua';
  if (name === 'PN' || name === 'PSN') return '--model or --ua';
  if (name === 'SWVER') return '--firmware or --ua';
  if (/^S?[A-P]$/.test(name)) return `--gpp ${name}=…`;
  return `--var ${name}=…`;
}

/** Checks a rule's grammar with the parser `validate` uses; diagnostics empty when it is clean. */
export function ruleCheck(rule: string, opts: { kind?: RuleKind }): Diagnostic[] {
  return ruleDiagnostics(rule, parseRule(rule, opts.kind ?? 'profile').errors);
}
