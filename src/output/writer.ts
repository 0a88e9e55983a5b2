/**
 * Moved to src/io/writer.ts (the one writer of every command). This re-export keeps imports of
 * the old path working while other branches land; import from '../io/writer.js'.
 */
export * from '../io/writer.js';
