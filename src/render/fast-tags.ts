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
 * The test suite renders every bundled template and hostile cases both ways and compares the
 * bytes and the errors.
 */
import {
  IfTag,
  IncludeTag,
  Liquid,
  LiquidError,
  RenderError,
  UnlessTag,
  isTruthy,
  toValue,
  toValueSync,
  type Context,
  type Emitter,
  type Template,
} from 'liquidjs';

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

/** LiquidJS reads the clock through `global.performance`; so does this. */
const clock: { now(): number } = globalThis.performance ?? Date;

/** Replaces an engine's block renderer by a plain function for synchronous renders (idempotent). */
export function accelerateRenderer(engine: Liquid): void {
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
    state.renderLimit.check(clock.now());
    for (const tpl of templates) {
      if (!CONSTANT_TIME.has(tpl)) state.renderLimit.check(clock.now());
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
const HTML_CLASS: unknown = (new Liquid().parse('text')[0] as object | undefined)?.constructor;

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
  tag.render = function (ctx: Context, emitter: Emitter): unknown {
    if ((ctx as unknown as ContextState).sync !== true) return original.call(this, ctx, emitter);
    const saved = ctx.saveRegister('blocks', 'blockMode');
    ctx.setRegister('blocks', {});
    ctx.setRegister('blockMode', BLOCK_MODE_OUTPUT);
    const scope = Object.create(null) as Record<string, unknown>;
    for (const [key, g] of args) scope[key] = g ? g(ctx, false) : true;
    const templates = toValueSync(
      tag.liquid._parsePartialFile(file, true, tag.currentFile),
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
