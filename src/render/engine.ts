/**
 * The template engine: LiquidJS, set up so that a mistake in a template or a missing variable is
 * an error before any file is written, output values are XML-escaped, and Cisco macros in the
 * template text (`$MA`, `$(A:2:3)`) pass through untouched for the phone to expand.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Context, FS, Liquid, TagToken, Template, TopLevelToken, Value } from 'liquidjs';
import { liquidjs } from '../lazy-deps.js';
import { formatMac, normalizeMac, type MacFormat } from '../device/mac.js';
import { describeSystemError } from '../domain-errors.js';
import type { PhoneModel } from '../device/models.js';
import { accelerateRenderer } from './fast-tags.js';
import { AcceleratingCache } from './fast-values.js';

/** Extension of template files; `{% include 'partials/line' %}` finds `partials/line.liquid`. */
export const TEMPLATE_EXTENSION = '.liquid';

const MAC_FORMATS: readonly MacFormat[] = ['lower', 'upper', 'colon', 'colon-upper', 'dash', 'dot'];

const YES = new Set(['yes', 'y', 'true', 'on', '1']);
const NO = new Set(['no', 'n', 'false', 'off', '0', '']);

/** What a filter got, without showing it: `string of 19 characters`, `map`, `number`. */
function describeKind(value: unknown): string {
  if (typeof value === 'string') return `string of ${value.length} characters`;
  if (Array.isArray(value)) return 'list';
  if (value === null || value === undefined) return 'missing value';
  return typeof value === 'object' ? 'map' : typeof value;
}

/**
 * A Cisco Bool from a spreadsheet-ish value.
 * @example toYesNo('true') // 'Yes'
 */
export function toYesNo(value: unknown): 'Yes' | 'No' {
  if (value === true || value === 1) return 'Yes';
  if (value === false || value === 0 || value === null || value === undefined) return 'No';
  const text = String(value).trim().toLowerCase();
  if (YES.has(text)) return 'Yes';
  if (NO.has(text)) return 'No';
  // The value is not shown: it may be a password piped through the wrong filter.
  throw new Error(`yes_no: expected yes/no, true/false, on/off or 1/0 (a ${describeKind(value)})`);
}

/**
 * `{% raise "line 5 is beyond the model's line keys" %}`: a template's own check. The device
 * fails with this message (and the template line) instead of a profile the phone would misread.
 */
function raiseTagClass() {
  const { Tag, Value } = liquidjs();
  return class RaiseTag extends Tag {
    private readonly message: Value;
    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      this.message = new Value(token.args, liquid);
    }
    *render(ctx: Context): Generator<unknown, void, unknown> {
      const message: unknown = yield this.message.value(ctx, false);
      throw Object.assign(new Error(String(message)), { [RAISED]: true });
    }
  };
}

/** Marks the error of a `{% raise %}` (LiquidJS wraps it, keeping it as `originalError`). */
const RAISED = Symbol.for('cisco-prov.Raised');

/** RaiseTag, made when the first engine is (liquidjs loads then: lazy-deps.ts). */
let RaiseTag: ReturnType<typeof raiseTagClass> | undefined;

/**
 * LiquidJS's DoS limits, per render of one device. A profile is tens of KB and renders in well
 * under a millisecond; these stop a template such as `{% for i in (1..100000000) %}` at once
 * (memory: a range is charged its length) or after RENDER_TIME_LIMIT_MS, with a clear message,
 * instead of gigabytes and minutes.
 */
const TEMPLATE_LIMITS = {
  /** Characters of template source parsed in one parse. */
  parseLimit: 16_000_000,
  /** Milliseconds for one device's render. */
  renderLimit: 10_000,
  /** LiquidJS memory units (range elements, characters made by filters) per render. */
  memoryLimit: 16_000_000,
} as const;

const LIMIT_MESSAGES: Readonly<Record<string, string>> = {
  'parse length limit exceeded': `the template is longer than ${TEMPLATE_LIMITS.parseLimit} characters (the parse limit)`,
  'template render limit exceeded': `rendering took longer than ${TEMPLATE_LIMITS.renderLimit / 1000} s (the render time limit)`,
  'memory alloc limit exceeded': `the template allocates more than ${TEMPLATE_LIMITS.memoryLimit} elements or characters, e.g. a huge range (the render memory limit)`,
};

export interface EngineOptions {
  /** false: LiquidJS's own evaluator for every value (the reference the fast path is tested against). */
  fastValues?: boolean;
  /**
   * Template texts by absolute path, read once (serve's site): the engine parses these, not what
   * is on disk when a template is first used — a file rewritten in place later (an editor saving
   * over it) is never read half-written, and a site renders the templates its hash names. Files
   * not in the map (a partial outside a single `-t` file's snapshot) are read from disk.
   */
  sources?: ReadonlyMap<string, string>;
}

/**
 * A new LiquidJS engine for templates under `root`.
 * strictVariables and strictFilters: a typo is an error with line and column, not an empty
 * value. lenientIf: `{% if x %}` may test an optional variable. outputEscape: every `{{ }}` is
 * XML-escaped (the phone reads `&#34;` for a quote); `| raw` is the one explicit way out.
 */
export function createEngine(root: string, options: EngineOptions = {}): Liquid {
  const { Liquid } = liquidjs();
  const loaded = new Map<string, string>();
  const byPath = new Map<string, string>();
  const record = (text: string, path: string): void => {
    loaded.set(text, path);
    byPath.set(path, text);
  };
  const engine = new Liquid({
    fs: options.sources ? snapshotFs(options.sources, record) : bomFreeFs(record),
    root: [root],
    partials: [root],
    layouts: [root],
    extname: TEMPLATE_EXTENSION,
    // Each file is parsed once. The accelerating cache also gives plain `{{ a.b | f: c }}` values
    // a direct evaluator (fast-values.ts): same output and errors, a third of the render time.
    cache: options.fastValues === false ? true : new AcceleratingCache(),
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    ownPropertyOnly: true,
    outputEscape: 'escape',
    ...TEMPLATE_LIMITS,
  });
  // `{{ mac | mac: 'colon' }}` — lower (default), upper, colon, colon-upper, dash, dot.
  engine.registerFilter('mac', (value: unknown, format: unknown = 'lower') => {
    const mac = normalizeMac(String(value ?? ''));
    if (!mac) throw new Error(`mac: not a MAC address (a ${describeKind(value)})`);
    if (!MAC_FORMATS.includes(format as MacFormat)) {
      throw new Error(
        `mac: format expected one of ${MAC_FORMATS.join(', ')}, got "${String(format)}"`,
      );
    }
    return formatMac(mac, format as MacFormat);
  });
  // `{{ enabled | yes_no }}` — Cisco's Bool type is Yes / No.
  engine.registerFilter('yes_no', (value: unknown) => toYesNo(value));
  // `{{ key | macro_escape }}` — a value going into a macro-expanded parameter (Profile_Rule,
  // Upgrade_Rule) keeps a literal `$` by doubling it: Cisco's `$$` (reference §2).
  engine.registerFilter('macro_escape', (value: unknown) =>
    String(value ?? '').replace(/\$/g, '$$$$'),
  );
  engine.registerTag('raise', (RaiseTag ??= raiseTagClass()));
  loadedSourcesOf.set(engine, loaded);
  readPathsOf.set(engine, byPath);
  // Blocks, `if` and `unless` without generators in a synchronous render (fast-tags.ts).
  if (options.fastValues !== false) accelerateRenderer(engine);
  return engine;
}

/** A template's text without the byte order mark Windows editors (Notepad) save before it. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

let liquidFs: FS | undefined;

/**
 * LiquidJS's own file system, reading each template and partial without a leading byte order
 * mark: a BOM is no content, but LiquidJS renders it — before `<?xml …?>` at the top of the
 * profile, and as a U+FEFF character between two parameters where a partial is included. Each
 * text read is recorded (the engine's, see loadedSourcesOf and readPathsOf).
 */
function bomFreeFs(record: (text: string, path: string) => void): FS {
  const fs = (liquidFs ??= new (liquidjs().Liquid)().options.fs);
  const read = (text: string, path: string): string => {
    const source = withoutBom(text);
    record(source, path);
    return source;
  };
  return {
    ...fs,
    readFileSync: (path) => {
      try {
        return read(fs.readFileSync(path), path);
      } catch (err) {
        throw templateReadError(err, path);
      }
    },
    readFile: async (path) => {
      try {
        return read(await fs.readFile(path), path);
      } catch (err) {
        throw templateReadError(err, path);
      }
    },
  };
}

/** Whether `path` is under the directory `root`, by name. */
function within(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** LiquidJS's file system over a snapshot of template texts, disk for any other file. */
function snapshotFs(
  sources: ReadonlyMap<string, string>,
  record: (text: string, path: string) => void,
): FS {
  const disk = bomFreeFs(record);
  const text = (path: string): string | undefined => {
    const source = sources.get(resolve(path));
    if (source === undefined) return undefined;
    const clean = withoutBom(source);
    record(clean, path);
    return clean;
  };
  const textOnly = (path: string): boolean =>
    sources.has(resolve(path)) && !(disk.existsSync?.(path) ?? false);
  return {
    ...disk,
    // A text with no file behind it (render's templateText) has no real path to compare: it is
    // inside the root by name. A text read from a file (serve's) is checked as LiquidJS does.
    contains: async (root, path) =>
      textOnly(path) ? within(root, path) : (disk.contains?.(root, path) ?? true),
    containsSync: (root, path) =>
      textOnly(path) ? within(root, path) : (disk.containsSync?.(root, path) ?? true),
    exists: async (path) => sources.has(resolve(path)) || disk.exists(path),
    existsSync: (path) => sources.has(resolve(path)) || disk.existsSync(path),
    readFileSync: (path) => text(path) ?? disk.readFileSync(path),
    readFile: async (path) => text(path) ?? disk.readFile(path),
  };
}

const TEMPLATE_READ_ERROR = Symbol.for('cisco-prov.TemplateReadError');

/**
 * A template or partial that cannot be read (no read permission, a directory on the way without
 * search permission, an I/O error) as one line naming the file — not Node's `EACCES: …, open
 * '…'` — marked so that the renderer counts it as an I/O failure (exit 3), not a template error.
 */
function templateReadError(err: unknown, path: string): unknown {
  if (typeof (err as NodeJS.ErrnoException | undefined)?.code !== 'string') return err;
  return Object.assign(new Error(`cannot read template ${describeSystemError(err, path)}`), {
    [TEMPLATE_READ_ERROR]: true,
  });
}

/**
 * Whether a render failed because a template file could not be read (an I/O failure), the
 * error as LiquidJS threw it (it wraps a partial's error, keeping it as `originalError`).
 */
export function isTemplateReadError(err: unknown): boolean {
  return hasMark(err, TEMPLATE_READ_ERROR);
}

/** Whether an error, or one LiquidJS wrapped in it (`originalError`), carries `mark`. */
function hasMark(err: unknown, mark: symbol): boolean {
  for (let e = err as { originalError?: unknown } | undefined, depth = 0; e && depth < 8; depth++) {
    if (typeof e === 'object' && mark in e) return true;
    e = e.originalError as { originalError?: unknown } | undefined;
  }
  return false;
}

/** Where the templates come from: one file for every device, or a directory to choose from. */
export interface TemplateSource {
  /** The directory includes are looked up in. */
  root: string;
  /**
   * Set when `--template` named a file: every device uses it. The file's real path: a name that
   * is a symbolic link (`site.xml -> ../shared/templates/mpp.xml`) stands for the file it leads to.
   */
  file?: string;
  /** The file as named, when that name is a symbolic link to `file` (watched for a re-pointing). */
  link?: string;
  /**
   * Template texts by absolute path, used instead of the files (render's `templateText`): plain
   * data, so that it reaches worker threads with the rest of the settings.
   */
  texts?: Readonly<Record<string, string>>;
}

/**
 * `--template <file|dir>` → where templates come from. Throws when the path does not exist.
 * A file named through a symbolic link is the file it leads to, its directory the root: its
 * `{% include %}`, `{% render %}` and `{% layout %}` partials are found beside it, as when it is
 * named itself (where its author keeps and tests them), and LiquidJS keeps every template inside
 * that directory by real path. The link's own directory took the root's place before: LiquidJS
 * refused the file itself as outside it ("Failed to lookup").
 * @example templateSourceOf('site.xml') // { root: '/srv/shared/templates', file: '/srv/shared/templates/mpp.xml', link: '/srv/prov/site.xml' }
 */
export function templateSourceOf(path: string): TemplateSource {
  const full = resolve(path);
  const st = statSync(full);
  if (st.isDirectory()) return { root: full };
  const real = realpathSync(full);
  return real === full
    ? { root: dirname(full), file: full }
    : { root: dirname(real), file: real, link: full };
}

/**
 * The candidate template files of a device, in the order they are tried:
 * the device's `template` field, its model (`8841.liquid`), its family (`mpp-desk.liquid`),
 * then `default.liquid`.
 */
export function templateCandidates(
  source: TemplateSource,
  phone: PhoneModel,
  named?: string,
): string[] {
  if (source.file) return [source.file];
  const out: string[] = [];
  if (named) {
    const p = resolve(source.root, named);
    out.push(p, `${p}${TEMPLATE_EXTENSION}`);
  }
  out.push(
    join(source.root, `${phone.model}${TEMPLATE_EXTENSION}`),
    join(source.root, `${phone.templateFamily}${TEMPLATE_EXTENSION}`),
    join(source.root, `default${TEMPLATE_EXTENSION}`),
  );
  return out;
}

/** A device's template file, or why there is none (`io`: a file could not be looked at). */
export type TemplateChoice = { path: string } | { error: string; io?: true };

/** Chooses and parses templates, each file once. */
export class TemplateChooser {
  readonly engine: Liquid;
  private readonly exists = new Map<string, boolean | Error>();
  private readonly parsed = new Map<string, Template[]>();
  private readonly choices = new Map<string, Readonly<TemplateChoice>>();
  private readonly sources: ReadonlyMap<string, string> | undefined;

  constructor(
    readonly source: TemplateSource,
    options: EngineOptions = {},
  ) {
    const sources =
      options.sources ?? (source.texts ? new Map(Object.entries(source.texts)) : undefined);
    this.engine = createEngine(source.root, { ...options, ...(sources ? { sources } : {}) });
    this.sources = sources;
  }

  /**
   * The template file for a device, or an error text naming what was looked for (`io`: a
   * candidate could not be looked at — a directory without search permission).
   */
  choose(phone: PhoneModel, named?: string): TemplateChoice {
    // The same model and name choose the same file all run long (existence is cached too).
    const key = `${phone.model}\u0000${phone.templateFamily}\u0000${named ?? ''}`;
    let choice = this.choices.get(key);
    if (!choice) {
      choice = this.chooseUncached(phone, named);
      this.choices.set(key, choice);
    }
    return choice;
  }

  private chooseUncached(phone: PhoneModel, named?: string): TemplateChoice {
    // A row names a template inside --template <dir>, never a file elsewhere: not an absolute
    // path, not `../` out of it (LiquidJS would refuse it anyway, as "ENOENT: Failed to lookup",
    // after this chooser had told files that exist from files that do not).
    if (named && !this.source.file) {
      const rel = relative(this.source.root, resolve(this.source.root, named));
      if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
        return {
          error: `template "${named}" is outside the template directory ${this.source.root}`,
        };
      }
    }
    const candidates = templateCandidates(this.source, phone, named);
    // A template the row names must exist: a typo never falls back to another template.
    const tried = named && !this.source.file ? candidates.slice(0, 2) : candidates;
    for (const c of tried) {
      const found = this.isFile(c);
      if (found === true) return { path: c };
      if (found !== false) {
        return { error: `cannot read template ${describeSystemError(found, c)}`, io: true };
      }
    }
    if (named && !this.source.file) {
      return { error: `template "${named}" not found in ${this.source.root}` };
    }
    return {
      error: `no template for model ${phone.model} in ${this.source.root} (looked for ${candidates.map((c) => basename(c)).join(', ')})`,
    };
  }

  /** Whether a regular file is at the path; the error when it cannot be looked at (EACCES). */
  private isFile(path: string): boolean | Error {
    let ok = this.exists.get(path);
    if (ok === undefined && this.sources?.has(resolve(path))) ok = true;
    if (ok === undefined) {
      try {
        ok = statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
      } catch (err) {
        // A file name on the way that is no directory: no such template. Anything else (no
        // search permission on the template directory) is not "no template for model …".
        ok = (err as NodeJS.ErrnoException).code === 'ENOTDIR' ? false : (err as Error);
      }
      this.exists.set(path, ok);
    }
    return ok;
  }

  /** Parses a template file once and keeps it. */
  parse(path: string): Template[] {
    let t = this.parsed.get(path);
    if (!t) {
      t = this.engine.parseFileSync(path);
      this.parsed.set(path, t);
    }
    return t;
  }

  /** Renders a template file with variables. Throws LiquidJS's error (line and column). */
  render(path: string, vars: object): string {
    // With strictVariables every optional variable a template tests (`{% if x %}`) that is absent
    // costs LiquidJS an Error; without stack traces those are cheap. Messages keep line and column.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return this.engine.renderSync(this.parse(path), vars) as string;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/**
 * For each engine, the file each template text it has read came from (filled by its file system
 * as LiquidJS reads), to name the file an error comes from: LiquidJS tokens carry the text, not
 * the path. It replaced a walk of every `.liquid` file under the template root at the first
 * error — with `-t /tmp/x.liquid` that read all of /tmp (10 s for 64,000 files), and named
 * whichever file under the root had the same text (a copy elsewhere) instead of the one rendered.
 * Kept per engine, so it lives as long as the engine and holds only the texts the engine uses:
 * one map for the whole process kept every text ever loaded, and a long-running serve (a new
 * site and engine at each reload) grew by every template edit, for ever.
 */
const loadedSourcesOf = new WeakMap<Liquid, Map<string, string>>();

/**
 * Every file an engine has read so far (templates and partials, from its snapshot or from disk),
 * by absolute path: serve learns from it which partials a template pulls in.
 */
export function filesReadBy(engine: Liquid): string[] {
  const loaded = loadedSourcesOf.get(engine);
  return loaded ? [...new Set([...loaded.values()].map((p) => resolve(p)))] : [];
}

/**
 * Every text an engine has read so far, with the file it came from (absolute path): serve
 * compares a partial read at first use (named by a variable) with the file now.
 */
export function sourcesReadBy(engine: Liquid): { path: string; text: string }[] {
  const byPath = readPathsOf.get(engine);
  return byPath ? [...byPath].map(([path, text]) => ({ path: resolve(path), text })) : [];
}

/**
 * For each engine, each file it has read and the text read (the last, if read again): by path,
 * where loadedSourcesOf is by text (two partials with the same text are one entry there).
 */
const readPathsOf = new WeakMap<Liquid, Map<string, string>>();

/** A template's text as an engine reads it: without a leading byte order mark. */
export function asTemplateText(bytes: Buffer): string {
  return withoutBom(bytes.toString('utf8'));
}

/** A LiquidJS error taken apart: where (`partials/line.liquid line 3, col 5`), and what. */
export interface TemplateErrorParts {
  /** The file (relative to the root, or `template`), line and column; absent when not known. */
  where?: string;
  /** What went wrong: LiquidJS's message, a limit's, or the text of a `{% raise %}`. */
  what: string;
  /** Whether it is a `{% raise %}` of the template's own. */
  raised: boolean;
  /** Whether it is a render limit (time, memory, parse length): it shows no value. */
  limit: boolean;
}

/**
 * A LiquidJS error in parts (see describeTemplateError). LiquidJS tokens carry the template
 * source, not its path: the path is found by content, among the texts `engine` (the one that
 * rendered) has read; without it the file is not named.
 */
export function templateErrorParts(
  err: unknown,
  root: string,
  engine?: Liquid,
): TemplateErrorParts {
  const e = err as { message?: string; token?: { input?: string } };
  const message = String(e?.message ?? err).split('\n')[0]!;
  const raised = hasMark(err, RAISED);
  const m = /^(.*?)(?:, file:(.*?))?, line:(\d+), col:(\d+)$/.exec(message);
  if (m) {
    const [, raw, named, line, col] = m;
    const source = e.token?.input;
    const loaded = engine ? loadedSourcesOf.get(engine) : undefined;
    const file = named ?? (source !== undefined ? loaded?.get(source) : undefined);
    const limit = LIMIT_MESSAGES[raw!];
    return {
      where: `${file ? relative(root, file) : 'template'} line ${line}, col ${col}`,
      what: limit ?? raw!,
      raised,
      limit: limit !== undefined,
    };
  }
  const limit = LIMIT_MESSAGES[message];
  return { what: limit ?? message, raised, limit: limit !== undefined };
}

/**
 * One line from a LiquidJS error: in which template file, line and column, and what went wrong.
 * @example describeTemplateError(err, '/t', chooser.engine) // 'partials/line.liquid line 3, col 5: undefined variable: line.extension'
 */
export function describeTemplateError(err: unknown, root: string, engine?: Liquid): string {
  return joinTemplateError(templateErrorParts(err, root, engine));
}

/** `where: what`, or `what` alone. */
export function joinTemplateError(parts: Pick<TemplateErrorParts, 'where' | 'what'>): string {
  return parts.where !== undefined ? `${parts.where}: ${parts.what}` : parts.what;
}
