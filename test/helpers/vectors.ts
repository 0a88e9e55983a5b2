/** Loads the named test vectors in test/vectors/ (see the README there for sources). */
import { readFileSync } from 'node:fs';
// BACKENDS names noble: register it (the crypto barrel no longer loads it on import).
import '../../src/crypto/backend-noble.js';

export function loadVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8')) as T;
}

export const BACKENDS = ['node', 'noble'] as const;

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);
