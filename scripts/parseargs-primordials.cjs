// The primordials @pkgjs/parseargs takes from its `internal/primordials` module, defined as Node
// defines them (lib/internal/per_context/primordials.js: `uncurryThis`, `applyBind`). The
// package's own module copies every method of ~50 built-ins when it loads (~9 M instructions of
// a one-shot start); scripts/build.mjs bundles this one in its place (CommonJS: the package
// requires it), and refuses to build if the package takes a name not defined here.
'use strict';
const uncurryThis = Function.prototype.bind.bind(Function.prototype.call);
const applyBind = Function.prototype.bind.bind(Function.prototype.apply);

module.exports = {
  ArrayIsArray: Array.isArray,
  ArrayPrototypeFind: uncurryThis(Array.prototype.find),
  ArrayPrototypeForEach: uncurryThis(Array.prototype.forEach),
  ArrayPrototypeIncludes: uncurryThis(Array.prototype.includes),
  ArrayPrototypeJoin: uncurryThis(Array.prototype.join),
  ArrayPrototypeMap: uncurryThis(Array.prototype.map),
  ArrayPrototypePush: uncurryThis(Array.prototype.push),
  ArrayPrototypePushApply: applyBind(Array.prototype.push),
  ArrayPrototypeShift: uncurryThis(Array.prototype.shift),
  ArrayPrototypeSlice: uncurryThis(Array.prototype.slice),
  ArrayPrototypeUnshiftApply: applyBind(Array.prototype.unshift),
  ObjectCreate: Object.create,
  ObjectEntries: Object.entries,
  ObjectFreeze: Object.freeze,
  ObjectPrototypeHasOwnProperty: uncurryThis(Object.prototype.hasOwnProperty),
  StringPrototypeCharAt: uncurryThis(String.prototype.charAt),
  StringPrototypeIncludes: uncurryThis(String.prototype.includes),
  StringPrototypeIndexOf: uncurryThis(String.prototype.indexOf),
  StringPrototypeSlice: uncurryThis(String.prototype.slice),
  StringPrototypeStartsWith: uncurryThis(String.prototype.startsWith),
};
