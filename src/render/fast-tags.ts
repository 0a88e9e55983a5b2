/**
 * A fast path for LiquidJS's block rendering and its `{% if %}` / `{% unless %}` tags.
 *
 * After fast-values.ts, the largest cost of a render (profile of a desk-phone profile) was the
 * generator trampoline itself: every block of templates (`renderTemplates`) and every `if` and
 * `unless` is a generator that LiquidJS's `toValueSync` drives one `yield` at a time, creating
 * an iterator and a state object per step. In a synchronous render (`ctx.sync`, which is how
 * render and serve render) nothing ever needs to suspend, so:
 *
 * - the engine's `renderer.renderTemplates` becomes a plain function doing what LiquidJS's does
 *   (the render time limit checked before the block and before each template, a child's
 *   generator driven by `toValueSync`, a non-LiquidJS error wrapped in a `RenderError` on the
 *   failing template, the stop on `break`/`continue`), whenever it renders into a given emitter
 *   synchronously without `catchAllErrors`; otherwise LiquidJS's own generator runs;
 * - a parsed `if`/`unless` gets a plain `render` doing what its generator does: each branch's
 *   condition through `Value#value` (lenient under `lenientIf`), `toValue`, then LiquidJS's own
 *   `isTruthy`/`isFalsy` (so `nil`/`false` are false, `0`, `""` and `[]` are true, Drops are
 *   asked for their value) and the chosen block. An asynchronous render keeps the generator.
 *
 * - a parsed `for` gets a plain `render` doing what ForTag's generator does (the collection
 *   evaluated once — a plain path, a literal or a range of those; `limit`/`offset`/`reversed`
 *   and `offset: continue` through LiquidJS's own Hash; LiquidJS's own `forloop` drop; `else`;
 *   `break`/`continue`); `assign` and `case` likewise. A `for` over anything else (a filtered
 *   value, `a[b]` with a variable `b`) keeps its generator.
 *
 * The test suite renders every bundled template and hostile cases both ways and compares the
 * bytes and the errors.
 */
import type * as LiquidJs from 'liquidjs';
import type { Context, Drop, Emitter, Liquid, Template, Token } from 'liquidjs';
import { liquidjs } from '../lazy-deps.js';

// LiquidJS is a CommonJS package: each use of a name through its exports object is a property
// look-up (a getter in a bundle, a tenth of a render). The names used here are bound once, by
// bindLiquid(), when the first engine is accelerated: LiquidJS is loaded then, not when the
// library is imported (lazy-deps.ts). Every function below runs on an engine's templates, so
// after that.
let AssignTag: typeof LiquidJs.AssignTag;
let CaseTag: typeof LiquidJs.CaseTag;
let ForTag: typeof LiquidJs.ForTag;
let IfTag: typeof LiquidJs.IfTag;
let IncludeTag: typeof LiquidJs.IncludeTag;
let LiquidError: typeof LiquidJs.LiquidError;
let LookupType: typeof LiquidJs.LookupType;
let RenderError: typeof LiquidJs.RenderError;
let TypeGuards: typeof LiquidJs.TypeGuards;
let UnlessTag: typeof LiquidJs.UnlessTag;
let toValue: typeof LiquidJs.toValue;
let toValueSync: typeof LiquidJs.toValueSync;
let isTruthy: typeof LiquidJs.isTruthy;
let bound = false;

/** Binds LiquidJS's names and the classes taken from it (once; see above). */
export function bindLiquid(): void {
  if (bound) return;
  const liquid = liquidjs();
  ({ AssignTag, CaseTag, ForTag, IfTag, IncludeTag, LiquidError, LookupType, RenderError } =
    liquid);
  ({ TypeGuards, UnlessTag, toValue, toValueSync, isTruthy } = liquid);
  HTML_CLASS = (new liquid.Liquid().parse('text')[0] as object | undefined)?.constructor;
  FORLOOP_CLASS = forloopClass(liquid.Liquid);
  EQUALS = (
    liquid.defaultOperators as unknown as Record<string, (l: unknown, r: unknown) => unknown>
  )['=='];
  bound = true;
}

type Test = (value: unknown, ctx: Context) => boolean;

interface Branch {
  value: { value: (ctx: Context, lenient?: boolean) => unknown };
  templates: Template[];
  test?: Test;
}

interface ConditionalTag {
  branches: Branch[];
  elseTemplates?: Template[];
  liquid: Liquid;
  render: (ctx: Context, emitter: Emitter) => unknown;
}

/** The context internals the block renderer reads (all set by LiquidJS's Context). */
interface ContextState {
  sync: boolean;
  breakCalled: boolean;
  continueCalled: boolean;
  renderLimit: { check(now: number): void };
  opts: { catchAllErrors?: boolean };
}

type RenderTemplates = (templates: Template[], ctx: Context, emitter?: Emitter) => unknown;

/**
 * Templates that write at once (text, a plain `{{ value }}`): LiquidJS reads the clock before
 * each template to enforce the render time limit; before these the check is left to the next
 * tag or block (a clock read was an eighth of a render), so the limit holds as before.
 */
export const CONSTANT_TIME = new WeakSet<object>();

/** Where a block keeps which of its templates need the clock read before them. */
const CLOCK_CHECKS = Symbol('cisco-prov clock checks');

/**
 * Which templates of a block need the clock read before them (all but the CONSTANT_TIME ones),
 * worked out on the block's first render and kept on its array: one look-up per block instead
 * of a WeakSet look-up per template (a parsed block is never changed after its parse).
 */
function clockChecksOf(templates: Template[]): readonly boolean[] {
  const holder = templates as Template[] & { [CLOCK_CHECKS]?: boolean[] };
  let checks = holder[CLOCK_CHECKS];
  if (checks === undefined || checks.length !== templates.length) {
    checks = templates.map((tpl) => !CONSTANT_TIME.has(tpl));
    if (templates.length > 0 && Object.isExtensible(templates)) holder[CLOCK_CHECKS] = checks;
  }
  return checks;
}

/** LiquidJS reads the clock through `global.performance`; so does this. */
const clock: { now(): number } = globalThis.performance ?? Date;

/**
 * The clock is read at every CLOCK_EVERY-th check of the render time limit, not at each: a
 * profile made ≈ 120 checks (≈ 55 ns a read, 0.07 s of CPU per 10,000 devices). Between two
 * reads at most 16 templates start, so a runaway loop is still stopped within microseconds of
 * the limit.
 */
const CLOCK_EVERY = 16;
let checksUntilClock = 0;

function checkRenderLimit(state: ContextState): void {
  if (--checksUntilClock > 0) return;
  checksUntilClock = CLOCK_EVERY;
  state.renderLimit.check(clock.now());
}

/** Replaces an engine's block renderer by a plain function for synchronous renders (idempotent). */
export function accelerateRenderer(engine: Liquid): void {
  bindLiquid();
  const renderer = engine.renderer as unknown as {
    renderTemplates: RenderTemplates & { fast?: true };
  };
  const original = renderer.renderTemplates;
  if (typeof original !== 'function' || original.fast) return;
  const fast: RenderTemplates & { fast?: true } = function (
    this: unknown,
    templates,
    ctx,
    emitter,
  ) {
    const state = ctx as unknown as ContextState;
    if (!emitter || state.sync !== true || state.opts.catchAllErrors || !state.renderLimit) {
      return original.call(this, templates, ctx, emitter);
    }
    checkRenderLimit(state);
    const checks = clockChecksOf(templates);
    for (let i = 0; i < templates.length; i++) {
      const tpl = templates[i]!;
      if (checks[i]) checkRenderLimit(state);
      try {
        const html = toValueSync(tpl.render(ctx, emitter));
        if (html) emitter.write(html);
        if (state.breakCalled || state.continueCalled) break;
      } catch (e) {
        throw LiquidError.is(e) ? e : new RenderError(e as Error, tpl);
      }
    }
    return emitter.buffer;
  };
  fast.fast = true;
  renderer.renderTemplates = fast;
}

/** Gives a parsed `if` or `unless` a plain render for synchronous renders; says whether it did. */
export function accelerateConditional(node: object): boolean {
  const isIf = node instanceof IfTag;
  if (!isIf && !(node instanceof UnlessTag)) return false;
  const tag = node as unknown as ConditionalTag;
  if (!Array.isArray(tag.branches)) return false;
  const original = tag.render;
  if (typeof original !== 'function') return false;
  tag.render = function (ctx: Context, emitter: Emitter): unknown {
    const state = ctx as unknown as ContextState & { opts: { lenientIf?: boolean } };
    if (!state.sync) return original.call(this, ctx, emitter);
    const r = tag.liquid.renderer as unknown as { renderTemplates: RenderTemplates };
    for (const { value, test, templates } of tag.branches) {
      const v = toValue(toValueSync(value.value(ctx, state.opts.lenientIf)));
      if ((isIf ? isTruthy : (test ?? isTruthy))(v, ctx)) {
        toValueSync(r.renderTemplates(templates, ctx, emitter));
        return undefined; // as the generator: the output went to the emitter
      }
    }
    toValueSync(r.renderTemplates(tag.elseTemplates ?? [], ctx, emitter));
    return undefined;
  };
  return true;
}

/** LiquidJS's class for template text between tags (not exported: taken from a parse). */
let HTML_CLASS: unknown;

/**
 * Gives parsed template text a plain render (LiquidJS's is a generator that only writes its
 * text: the same in a synchronous and an asynchronous render); says whether it did.
 */
export function accelerateText(node: object): boolean {
  if (typeof HTML_CLASS !== 'function' || !(node instanceof HTML_CLASS)) return false;
  const html = node as { str?: unknown; render: (ctx: Context, emitter: Emitter) => unknown };
  if (typeof html.str !== 'string') return false;
  html.render = function (this: { str: string }, _ctx: Context, emitter: Emitter): void {
    emitter.write(this.str);
  };
  CONSTANT_TIME.add(node);
  return true;
}

/** A value's plain evaluator (fast-values.ts), or undefined when it has none. */
export type GetterOf = (
  token: unknown,
) => ((ctx: Context, lenient: boolean) => unknown) | undefined;

interface ParsedInclude {
  file: unknown;
  currentFile?: string;
  withVar?: unknown;
  hash: { hash: Record<string, unknown> };
  liquid: Liquid & {
    _parsePartialFile(file: string, sync: boolean, currentFile?: string): unknown;
  };
  render: (ctx: Context, emitter: Emitter) => unknown;
}

/** LiquidJS's BlockMode.OUTPUT (not exported): what `include` sets for the partial's blocks. */
const BLOCK_MODE_OUTPUT = 0;

/**
 * Gives `{% include 'file', a: x.y, b: 'lit' %}` (a literal file name; arguments literals or plain
 * paths; no `with`) a plain render for synchronous renders, doing what IncludeTag#render does:
 * the registers saved and reset, the arguments evaluated in order into a new scope, the partial
 * from the engine's cache, rendered in that scope, the registers restored. Says whether it did.
 */
export function accelerateInclude(node: object, getterOf: GetterOf): boolean {
  if (!(node instanceof IncludeTag)) return false;
  const tag = node as unknown as ParsedInclude;
  const file = tag.file;
  if (typeof file !== 'string' || file === '' || tag.withVar !== undefined) return false;
  if (tag.liquid.options.jekyllInclude) return false;
  if (typeof tag.liquid._parsePartialFile !== 'function' || !tag.hash) return false;
  const args: [string, ((ctx: Context, lenient: boolean) => unknown) | undefined][] = [];
  for (const key of Object.keys(tag.hash.hash)) {
    if (key === '__proto__') return false;
    const token = tag.hash.hash[key];
    if (token === undefined) args.push([key, undefined]);
    else {
      const g = getterOf(token);
      if (!g) return false;
      args.push([key, g]);
    }
  }
  const original = tag.render;
  if (typeof original !== 'function') return false;
  // The partial as LiquidJS's cached parse finds it: its cache key for a partial that is not
  // relative (`./x`, `../x`: those are keyed by the including file and keep the full path).
  const cache = tag.liquid.options.cache as { read?: (key: string) => unknown } | undefined;
  const cacheKey =
    typeof cache?.read === 'function' && !file.startsWith('.')
      ? `${LookupType.Partials}:${file}`
      : undefined;
  tag.render = function (ctx: Context, emitter: Emitter): unknown {
    if ((ctx as unknown as ContextState).sync !== true) return original.call(this, ctx, emitter);
    const saved = ctx.saveRegister('blocks', 'blockMode');
    ctx.setRegister('blocks', {});
    ctx.setRegister('blockMode', BLOCK_MODE_OUTPUT);
    const scope = Object.create(null) as Record<string, unknown>;
    for (const [key, g] of args) scope[key] = g ? g(ctx, false) : true;
    // A cache hit is what _parsePartialFile returns, without the Parser and Loader it builds
    // first (a twentieth of a render); a miss parses (and caches) through it.
    const hit = cacheKey !== undefined ? cache!.read!(cacheKey) : undefined;
    const templates = (
      Array.isArray(hit)
        ? hit
        : toValueSync(tag.liquid._parsePartialFile(file, true, tag.currentFile))
    ) as Template[];
    ctx.push(scope);
    toValueSync(
      (tag.liquid.renderer as unknown as { renderTemplates: RenderTemplates }).renderTemplates(
        templates,
        ctx,
        emitter,
      ),
    );
    ctx.pop();
    ctx.restoreRegister(saved);
    return undefined;
  };
  return true;
}

/** A constructor LiquidJS does not export, taken from what it renders: its `forloop` drop. */
type ForloopDrop = Drop & { next(): void };
type ForloopDropClass = new (length: number, collection: string, variable: string) => ForloopDrop;
let FORLOOP_CLASS: ForloopDropClass | undefined;
function forloopClass(Liquid: typeof LiquidJs.Liquid): ForloopDropClass | undefined {
  try {
    const probe = new Liquid();
    const found: { cls?: unknown } = {};
    probe.registerFilter('probe', (v: unknown) => {
      found.cls = (v as object | undefined)?.constructor;
      return '';
    });
    probe.parseAndRenderSync('{% for x in (1..1) %}{{ forloop | probe }}{% endfor %}');
    const cls = found.cls;
    if (typeof cls !== 'function') return undefined;
    const proto = (cls as { prototype?: { next?: unknown } }).prototype;
    return typeof proto?.next === 'function' ? (cls as unknown as ForloopDropClass) : undefined;
  } catch {
    return undefined;
  }
}

/** LiquidJS's `isArray` (compatible with its `toEnumerable`). */
const isArrayLike = (v: unknown): v is unknown[] =>
  Object.prototype.toString.call(v) === '[object Array]';

/** LiquidJS's `toEnumerable`: what a `for` iterates over. */
function toEnumerable(value: unknown): unknown[] {
  const v = toValue(value);
  if (isArrayLike(v)) return v;
  if (typeof v === 'string' && v.length > 0) return [v];
  const isObj = v !== null && (typeof v === 'object' || typeof v === 'function');
  if (isObj && Symbol.iterator in (v as object)) return Array.from(v as Iterable<unknown>);
  if (isObj)
    return Object.keys(v as object).map((key) => [key, (v as Record<string, unknown>)[key]]);
  return [];
}

/** The evaluation of a `for` collection as `evalToken(token, ctx)`, or undefined. */
function collectionGetter(
  token: unknown,
  getterOf: GetterOf,
): ((ctx: Context) => unknown) | undefined {
  if (typeof token !== 'object' || token === null) return undefined;
  if (TypeGuards.isRangeToken(token as Token)) {
    const range = token as unknown as { lhs: unknown; rhs: unknown };
    const low = getterOf(range.lhs);
    const high = getterOf(range.rhs);
    if (!low || !high) return undefined;
    // As evalRangeToken: both ends as values, the range charged to the memory limit.
    return (ctx) => {
      const l = toValue(low(ctx, false)) as number;
      const h = toValue(high(ctx, false)) as number;
      ctx.memoryLimit.use(h - l + 1);
      const out: number[] = [];
      for (let i = +l; i < +h + 1; i++) out.push(i);
      return out;
    };
  }
  const get = getterOf(token);
  return get ? (ctx) => get(ctx, false) : undefined;
}

interface ParsedFor {
  variable: string;
  collection: { getText(): string };
  hash: { hash: Record<string, unknown>; render(ctx: Context): unknown };
  templates: Template[];
  elseTemplates: Template[];
  liquid: Liquid;
  render: (ctx: Context, emitter: Emitter) => unknown;
}

const FOR_MODIFIERS = ['offset', 'limit', 'reversed'];

/**
 * Gives a parsed `{% for %}` a plain render for synchronous renders, doing what ForTag#render
 * does (LiquidJS 10); says whether it did.
 */
export function accelerateFor(node: object, getterOf: GetterOf): boolean {
  if (!(node instanceof ForTag) || FORLOOP_CLASS === undefined) return false;
  const Forloop = FORLOOP_CLASS;
  const tag = node as unknown as ParsedFor;
  const variable = tag.variable;
  if (typeof variable !== 'string' || typeof tag.collection?.getText !== 'function') return false;
  if (!Array.isArray(tag.templates) || !Array.isArray(tag.elseTemplates)) return false;
  if (typeof tag.hash?.render !== 'function' || typeof tag.hash.hash !== 'object') return false;
  const collectionOf = collectionGetter(tag.collection, getterOf);
  if (!collectionOf) return false;
  const original = tag.render;
  if (typeof original !== 'function') return false;
  const collectionText = tag.collection.getText();
  const continueKey = `continue-${variable}-${collectionText}`;
  const plain = Object.keys(tag.hash.hash).length === 0;
  tag.render = function (ctx: Context, emitter: Emitter): unknown {
    const state = ctx as unknown as ContextState;
    if (state.sync !== true) return original.call(this, ctx, emitter);
    const r = tag.liquid.renderer as unknown as { renderTemplates: RenderTemplates };
    let collection = toEnumerable(collectionOf(ctx));
    if (!collection.length) {
      toValueSync(r.renderTemplates(tag.elseTemplates, ctx, emitter));
      return undefined;
    }
    if (plain) {
      // No modifiers: what the generator's hash steps come to.
      ctx.setRegister(continueKey, 0 + collection.length);
    } else {
      const scope = Object.create(null) as Record<string, unknown>;
      scope['continue'] = ctx.getRegister(continueKey, {});
      ctx.push(scope);
      const hash = toValueSync(tag.hash.render(ctx)) as Record<string, unknown>;
      ctx.pop();
      const modifiers = tag.liquid.options.orderedFilterParameters
        ? Object.keys(hash).filter((x) => FOR_MODIFIERS.includes(x))
        : FOR_MODIFIERS.filter((x) => hash[x] !== undefined);
      for (const modifier of modifiers) {
        if (modifier === 'offset') collection = collection.slice(hash['offset'] as number);
        else if (modifier === 'limit') collection = collection.slice(0, hash['limit'] as number);
        else collection = [...collection].reverse();
      }
      ctx.setRegister(continueKey, ((hash['offset'] as number) || 0) + collection.length);
    }
    const forloop = new Forloop(collection.length, collectionText, variable);
    const scope = Object.create(null) as Record<string, unknown>;
    scope['forloop'] = forloop;
    ctx.push(scope);
    for (const item of collection) {
      scope[variable] = item;
      state.continueCalled = state.breakCalled = false;
      toValueSync(r.renderTemplates(tag.templates, ctx, emitter));
      if (state.breakCalled) break;
      forloop.next();
    }
    state.continueCalled = state.breakCalled = false;
    ctx.pop();
    return undefined;
  };
  return true;
}

interface ParsedAssign {
  key: string;
  value: { value: (ctx: Context, lenient?: boolean) => unknown };
  liquid: Liquid;
  render: (ctx: Context, emitter: Emitter) => unknown;
}

/** Gives a parsed `{% assign %}` a plain render for synchronous renders; says whether it did. */
export function accelerateAssign(node: object): boolean {
  if (!(node instanceof AssignTag)) return false;
  const tag = node as unknown as ParsedAssign;
  const original = tag.render;
  if (typeof tag.key !== 'string' || typeof tag.value?.value !== 'function') return false;
  if (typeof original !== 'function') return false;
  tag.render = function (ctx: Context, emitter: Emitter): unknown {
    if ((ctx as unknown as ContextState).sync !== true) return original.call(this, ctx, emitter);
    const scope = ctx.bottom() as Record<string, unknown>;
    scope[tag.key] = toValueSync(tag.value.value(ctx, tag.liquid.options.lenientIf));
    return undefined;
  };
  return true;
}

interface ParsedCase {
  value: { value: (ctx: Context, lenient?: boolean) => unknown };
  branches: { values: unknown[]; templates: Template[] }[];
  elseTemplates: Template[];
  liquid: Liquid;
  render: (ctx: Context, emitter: Emitter) => unknown;
}

/** LiquidJS's `==` (its `equals`): a primitive on both sides is `===`, anything else its own. */
let EQUALS: ((l: unknown, r: unknown) => unknown) | undefined;
function caseEquals(target: unknown, value: unknown): boolean {
  const primitive = (x: unknown): boolean =>
    x === null || (typeof x !== 'object' && typeof x !== 'function');
  if (primitive(target) && primitive(value)) return target === value;
  return Boolean(toValueSync(EQUALS!(target, value)));
}

/**
 * Gives a parsed `{% case %}` whose `when` values are literals or plain paths a plain render for
 * synchronous renders, doing what CaseTag#render does (every branch whose value matches is
 * rendered, `else` when none did); says whether it did.
 */
export function accelerateCase(node: object, getterOf: GetterOf): boolean {
  if (!(node instanceof CaseTag) || typeof EQUALS !== 'function') return false;
  const tag = node as unknown as ParsedCase;
  const original = tag.render;
  if (typeof original !== 'function' || typeof tag.value?.value !== 'function') return false;
  if (!Array.isArray(tag.branches) || !Array.isArray(tag.elseTemplates)) return false;
  const branches: {
    getters: ((ctx: Context, lenient: boolean) => unknown)[];
    templates: Template[];
  }[] = [];
  for (const branch of tag.branches) {
    if (!Array.isArray(branch.values) || !Array.isArray(branch.templates)) return false;
    const getters = [];
    for (const token of branch.values) {
      const g = getterOf(token);
      if (!g) return false;
      getters.push(g);
    }
    branches.push({ getters, templates: branch.templates });
  }
  tag.render = function (ctx: Context, emitter: Emitter): unknown {
    if ((ctx as unknown as ContextState).sync !== true) return original.call(this, ctx, emitter);
    const r = tag.liquid.renderer as unknown as { renderTemplates: RenderTemplates };
    const lenient = ctx.opts.lenientIf;
    const target = toValue(toValueSync(tag.value.value(ctx, lenient)));
    let hit = false;
    for (const { getters, templates } of branches) {
      for (const get of getters) {
        if (caseEquals(target, get(ctx, lenient))) {
          toValueSync(r.renderTemplates(templates, ctx, emitter));
          hit = true;
          break;
        }
      }
    }
    if (!hit) toValueSync(r.renderTemplates(tag.elseTemplates, ctx, emitter));
    return undefined;
  };
  return true;
}
