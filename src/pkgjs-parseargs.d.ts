// @pkgjs/parseargs is node:util's parseArgs published as a package (the same code, maintained
// with Node's), and ships no types: it takes node:util's.
declare module '@pkgjs/parseargs' {
  export { parseArgs } from 'node:util';
}
