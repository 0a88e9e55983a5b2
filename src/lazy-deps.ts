/**
 * The npm dependencies, loaded on first use instead of when the library is imported: a caller
 * of parseUserAgent or sealProfile does not pay for the template engine, the YAML, CSV, JSON and
 * XML parsers, chalk or the noble ciphers (importing them all cost ~350 ms of CPU, against
 * ~70 ms for the library's own code). Each getter loads its package once, synchronously
 * (createRequire: every synchronous export stays synchronous), through the package's CommonJS
 * build where it has one (fast-xml-parser's and csv-parse's load in a fifth of the time of
 * their ES module graphs); noble and chalk are ES modules only, loaded by require(esm)
 * (Node >= 20.19, the package's `engines`).
 *
 * Not in the pure core's directories, but pure all the same: loading a module is all it does
 * (no file is read for the caller, nothing printed, no environment read). The CLI's bundles
 * inline these packages: scripts/build.mjs removes the createRequire line for them, so each
 * `require()` below is esbuild's own (a bundled module, still evaluated on first call).
 */
import { createRequire } from 'node:module';
import type * as Chalk from 'chalk';
import type * as CsvParseSync from 'csv-parse/sync';
import type * as FastXmlParser from 'fast-xml-parser';
import type * as LiquidJs from 'liquidjs';
import type * as StreamparserJson from '@streamparser/json';
import type * as Yaml from 'yaml';
import type * as NobleAes from '@noble/ciphers/aes.js';
import type * as NobleHmac from '@noble/hashes/hmac.js';
import type * as NobleLegacy from '@noble/hashes/legacy.js';
import type * as NoblePbkdf2 from '@noble/hashes/pbkdf2.js';
import type * as NobleSha2 from '@noble/hashes/sha2.js';

// BUNDLED-REQUIRE: the CLI build deletes this line (scripts/build.mjs).
const require = createRequire(import.meta.url);

let liquid: typeof LiquidJs | undefined;
/** liquidjs (its CommonJS build is its only Node build). */
export function liquidjs(): typeof LiquidJs {
  return (liquid ??= require('liquidjs') as typeof LiquidJs);
}

let yamlModule: typeof Yaml | undefined;
/** yaml (CommonJS on Node). */
export function yaml(): typeof Yaml {
  return (yamlModule ??= require('yaml') as typeof Yaml);
}

let csv: typeof CsvParseSync | undefined;
/** csv-parse/sync. */
export function csvParseSync(): typeof CsvParseSync {
  return (csv ??= require('csv-parse/sync') as typeof CsvParseSync);
}

let xml: typeof FastXmlParser | undefined;
/** fast-xml-parser. */
export function fastXmlParser(): typeof FastXmlParser {
  return (xml ??= require('fast-xml-parser') as typeof FastXmlParser);
}

let streamparser: typeof StreamparserJson | undefined;
/** @streamparser/json (JSON inventories). */
export function streamparserJson(): typeof StreamparserJson {
  return (streamparser ??= require('@streamparser/json') as typeof StreamparserJson);
}

let chalkModule: typeof Chalk | undefined;
/** chalk. */
export function chalk(): typeof Chalk {
  return (chalkModule ??= require('chalk') as typeof Chalk);
}

/** What the noble backend uses of @noble/ciphers and @noble/hashes. */
export interface Noble {
  cbc: typeof NobleAes.cbc;
  gcm: typeof NobleAes.gcm;
  md5: typeof NobleLegacy.md5;
  sha256: typeof NobleSha2.sha256;
  hmac: typeof NobleHmac.hmac;
  pbkdf2: typeof NoblePbkdf2.pbkdf2;
}

let nobleModules: Noble | undefined;
/** @noble/ciphers' AES and @noble/hashes' MD5, SHA-256, HMAC and PBKDF2. */
export function noble(): Noble {
  if (!nobleModules) {
    const aes = require('@noble/ciphers/aes.js') as typeof NobleAes;
    nobleModules = {
      cbc: aes.cbc,
      gcm: aes.gcm,
      md5: (require('@noble/hashes/legacy.js') as typeof NobleLegacy).md5,
      sha256: (require('@noble/hashes/sha2.js') as typeof NobleSha2).sha256,
      hmac: (require('@noble/hashes/hmac.js') as typeof NobleHmac).hmac,
      pbkdf2: (require('@noble/hashes/pbkdf2.js') as typeof NoblePbkdf2).pbkdf2,
    };
  }
  return nobleModules;
}
