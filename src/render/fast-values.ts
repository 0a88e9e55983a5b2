/**
 * A fast path for LiquidJS's simplest and most common values.
 *
 * LiquidJS evaluates every `{{ line.extension }}` and every `{% if line.password %}` through
 * a chain of about ten generators (Value → Expression → evalToken → property access → scope
 * lookup → each filter), driven by its trampoline. In a provisioning profile nearly every value
 * is a plain variable path, perhaps with filters whose arguments are literals or plain paths,
 * and that chain is most of the render time (measured: 0.42 ms of a 0.46 ms desk-phone render).
 *
 * For exactly those values this module gives the parsed `Value` a plain function that does what
 * LiquidJS does, through LiquidJS's own pieces: `Context#findScope` (private in its typings: when
 * it is missing nothing is accelerated) and the public `Context#readProperty` (Drops,
 * `size`/`first`/`last`, ownPropertyOnly, function values), the registered filter handlers
 * (called with the same `this`), `toValue`/`toValueSync`, and the same `UndefinedVariableError`
 * on the same token, so messages keep their line and column.
 * Anything else — operators, ranges, keyword arguments, `a[b]` with a variable `b` — keeps
 * LiquidJS's own evaluator. The test suite renders every bundled template both ways and compares
 * the bytes and the errors.
 *
 * It hooks in through the engine's template cache (a public option): every parsed file, root,
 * partial or layout, is stored there once, and is rewritten on the way in.
 */
import type * as LiquidJs from 'liquidjs';
import type { Context, Emitter, LiquidOptions, Template, Token as LiquidToken } from 'liquidjs';
import { liquidjs } from '../lazy-deps.js';

// LiquidJS's names, bound once by bindValues() when the first AcceleratingCache is made
// (LiquidJS loads then, not when the library is imported: lazy-deps.ts). Each use of a name
// through a CommonJS package's exports is a property look-up (a getter in a bundle, a tenth of
// a render); a binding is not.
let Drop: typeof LiquidJs.Drop;
let Output: typeof LiquidJs.Output;
let Token: typeof LiquidJs.Token;
let TypeGuards: typeof LiquidJs.TypeGuards;
let UndefinedVariableError: typeof LiquidJs.UndefinedVariableError;
let Value: typeof LiquidJs.Value;
let toValue: typeof LiquidJs.toValue;
let toValueSync: typeof LiquidJs.toValueSync;
let bound = false;

function bindValues(): void {
  if (bound) return;
  const liquid = liquidjs();
  ({ Drop, Output, Token, TypeGuards, UndefinedVariableError, Value, toValue, toValueSync } =
    liquid);
  SUPPORTED =
    typeof (liquid.Context.prototype as unknown as Partial<ContextInternals>).findScope ===
    'function';
  ESCAPE = (liquid.filters as Record<string, unknown>)['escape'];
  bindLiquid();
  bound = true;
}

import {
  CONSTANT_TIME,
  bindLiquid,
  accelerateAssign,
  accelerateCase,
  accelerateConditional,
  accelerateFor,
  accelerateInclude,
  accelerateText,
} from './fast-tags.js';

/** A value's evaluation: the scope lookup (or literal), then lenient or strict. */
type Getter = (ctx: Context, lenient: boolean) => unknown;

/** The shape of LiquidJS internals this relies on; checked at run time before use. */
interface ParsedToken {
  content?: unknown;
  variable?: unknown;
  props?: ParsedToken[];
}
interface ParsedFilter {
  name: string;
  args: unknown[];
  handler: (...args: unknown[]) => unknown;
  token: unknown;
  liquid: unknown;
}
interface ParsedValue {
  initial?: { postfix?: unknown[] };
  filters: ParsedFilter[];
  value: (ctx: Context, lenient?: boolean) => unknown;
}

interface ParsedOutput {
  value: unknown;
  render: (ctx: Context, emitter: Emitter) => unknown;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Context#findScope: private in LiquidJS's typings, and the one lookup the fast path needs. */
interface ContextInternals {
  findScope(key: string): object;
}

/** Whether this LiquidJS has the internals the fast path relies on; if not, none is used. */
let SUPPORTED = false;

/** A literal, or a variable path made only of literal segments (`a.b`, `a[0]`, `a["b c"]`). */
function getterOf(token: unknown): Getter | undefined {
  if (!isObject(token)) return undefined;
  const t = token as ParsedToken;
  if ('content' in t) {
    const content = t.content;
    return () => content;
  }
  if (
    !TypeGuards.isPropertyAccessToken(token as unknown as LiquidToken) ||
    t.variable !== undefined
  ) {
    return undefined;
  }
  const props = t.props;
  if (!Array.isArray(props) || props.length === 0) return undefined;
  if (!isObject(props[0]) || !('content' in props[0])) return undefined;
  // Each segment is a literal, or (after the first) a plain path: `lines[forloop.index0]`.
  const segments: (string | number | Getter)[] = [];
  for (const p of props) {
    if (isObject(p) && 'content' in p) segments.push(p.content as string | number);
    else {
      const g = getterOf(p);
      if (!g) return undefined;
      segments.push(g);
    }
  }
  const first = String(segments[0]);
  const dynamic = segments.some((x) => typeof x === 'function');
  return (ctx, lenient) => {
    // As evalPropertyAccessToken: a segment's own path first (never lenient, its own errors).
    const path = dynamic
      ? segments.map((x) => (typeof x === 'function' ? toValue(x(ctx, false)) : x))
      : (segments as (string | number)[]);
    // As Context#_get: the innermost scope that has the first name, then one property at a time.
    let value: unknown = (ctx as unknown as ContextInternals).findScope(first);
    for (let i = 0; i < path.length; i++) {
      value = ctx.readProperty(value as object, path[i] as string);
      if (value === undefined && ctx.strictVariables) {
        // What LiquidJS's property access does with a missing variable.
        if (lenient) return null;
        const name = path.slice(0, i + 1).join('.');
        throw new UndefinedVariableError(
          new Error(`undefined variable: ${name}`),
          token as unknown as LiquidToken,
        );
      }
    }
    return value;
  };
}

/** The binary operators an expression may use here (LiquidJS's `not` is unary: declined). */
const BINARY = new Set(['==', '!=', '>', '<', '>=', '<=', 'contains', 'and', 'or']);

type Operator = (l: unknown, r: unknown, ctx: Context) => unknown;

/**
 * A postfix expression of plain operands and binary operators (`a == 'b'`, `x and y.z`), as
 * Expression#evaluate: every operand evaluated in order (Liquid does not short-circuit), each
 * operator through the engine's own `operators` table, driven synchronously.
 */
function expressionOf(postfix: unknown[]): Getter | undefined {
  const steps: (Getter | string)[] = [];
  let depth = 0;
  for (const token of postfix) {
    if (TypeGuards.isOperatorToken(token as LiquidToken)) {
      const op = (token as unknown as { operator: string }).operator;
      if (!BINARY.has(op) || depth < 2) return undefined;
      steps.push(op);
      depth--;
    } else {
      const g = getterOf(token);
      if (!g) return undefined;
      steps.push(g);
      depth++;
    }
  }
  if (depth !== 1) return undefined;
  return (ctx, lenient) => {
    const operators = ctx.opts.operators as unknown as Record<string, Operator>;
    const operands: unknown[] = [];
    for (const step of steps) {
      if (typeof step === 'string') {
        const r = operands.pop();
        const l = operands.pop();
        operands.push(toValueSync(operators[step]!(l, r, ctx)));
      } else {
        operands.push(step(ctx, lenient));
      }
    }
    return operands[0];
  };
}

/** LiquidJS's `escape` filter (the engine's outputEscape), and what it replaces. */
let ESCAPE: unknown;
const NEEDS_ESCAPE = /[&<>"']/;

/** Gives one parsed Value the fast path, when it is simple enough; says whether it did. */
function accelerate(value: ParsedValue): boolean {
  const postfix = value.initial?.postfix;
  if (!Array.isArray(postfix) || postfix.length === 0) return false;
  const single = postfix.length === 1;
  const initial = single ? getterOf(postfix[0]) : expressionOf(postfix);
  if (!initial) return false;
  if (!Array.isArray(value.filters)) return false;
  const filters: { filter: ParsedFilter; args: Getter[] }[] = [];
  for (const filter of value.filters) {
    if (typeof filter.handler !== 'function' || !Array.isArray(filter.args)) return false;
    const args: Getter[] = [];
    for (const arg of filter.args) {
      if (Array.isArray(arg)) return false; // keyword argument: LiquidJS's own path
      const g = getterOf(arg);
      if (!g) return false;
      args.push(g);
    }
    filters.push({ filter, args });
  }
  const defaultFirst = value.filters[0]?.name === 'default';
  const original = value.value;
  value.value = (ctx: Context, lenient = false): unknown => {
    // Operators are generators that may wait on a Drop: an asynchronous render keeps LiquidJS's.
    if (!single && !(ctx as unknown as { sync: boolean }).sync) {
      return original.call(value, ctx, lenient);
    }
    // As Value#value: `| default` first makes the lookup lenient under lenientIf.
    let v = initial(ctx, lenient || (ctx.opts.lenientIf && defaultFirst));
    for (const { filter, args } of filters) {
      if (filter.handler === ESCAPE) {
        // LiquidJS's escape of a string with nothing to escape, or of a number (its text never
        // has anything to escape): its memory charge, the same text.
        if (typeof v === 'number') v = String(v);
        if (typeof v === 'string' && !NEEDS_ESCAPE.test(v)) {
          ctx.memoryLimit.use(v.length);
          continue;
        }
      }
      const argv = args.map((g) => g(ctx, false));
      v = toValueSync(
        filter.handler.apply({ context: ctx, token: filter.token, liquid: filter.liquid }, [
          v,
          ...argv,
        ]),
      );
    }
    return v;
  };
  return true;
}

/** LiquidJS's template cache interface (the `cache` option, when it is an object). */
type LiquidCache = Exclude<LiquidOptions['cache'], boolean | number | undefined>;

/** Visits a parsed template tree, giving each Value the fast path. */
function accelerateTree(node: unknown, seen: WeakSet<object>): void {
  if (!isObject(node) || seen.has(node)) return;
  seen.add(node);
  if (node instanceof Output) {
    // As Output#render, without its generator: `{{ value }}` written as it evaluates.
    const output = node as unknown as ParsedOutput;
    const value = output.value;
    if (value instanceof Value && accelerate(value as unknown as ParsedValue)) {
      output.render = (ctx, emitter) => {
        emitter.write(toValue((value as unknown as ParsedValue).value(ctx, false)));
      };
      CONSTANT_TIME.add(node);
    }
    return;
  }
  if (node instanceof Value) {
    accelerate(node as unknown as ParsedValue);
    return;
  }
  if (node instanceof Token || node instanceof Drop) return;
  if (accelerateText(node)) return;
  accelerateConditional(node);
  accelerateInclude(node, getterOf);
  accelerateFor(node, getterOf);
  accelerateAssign(node);
  accelerateCase(node, getterOf);
  if (Array.isArray(node)) {
    for (const child of node) accelerateTree(child, seen);
    return;
  }
  for (const key of Object.keys(node)) {
    if (key === 'liquid' || key === 'token' || key === 'tokenizer') continue;
    accelerateTree(node[key], seen);
  }
}

/** Gives every simple Value in parsed templates the fast path (idempotent). */
function accelerateTemplates(templates: Template[], seen = new WeakSet<object>()): void {
  if (SUPPORTED) accelerateTree(templates, seen);
}

/**
 * A LiquidJS template cache (the `cache` option) that gives every template stored in it the
 * fast path. Unbounded: a render run parses a handful of files.
 */
export class AcceleratingCache implements LiquidCache {
  private readonly entries = new Map<string, Template[] | Promise<Template[]>>();
  private readonly seen = new WeakSet<object>();

  constructor() {
    bindValues();
  }

  read(key: string): Template[] | Promise<Template[]> | undefined {
    return this.entries.get(key);
  }

  write(key: string, value: Template[] | Promise<Template[]>): void {
    // Sync parsing stores the templates themselves; async parsing stores a promise (left alone).
    if (Array.isArray(value)) accelerateTemplates(value, this.seen);
    this.entries.set(key, value);
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
