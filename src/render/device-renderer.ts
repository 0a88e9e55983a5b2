/**
 * Renders one device: template → check → compare with the file already there → gzip/encrypt →
 * atomic write. The same code runs in the main thread (small batches) and in each worker.
 *
 * Idempotence: a profile is rewritten only when its plaintext would change. The file already on
 * disk is opened with the same key (and digest) and gunzipped; if its container (plain, gzip,
 * AES-256-CBC, aes128gcm), its gzip flag and its plaintext all match, it is left alone — so an
 * unchanged encrypted profile keeps its old ciphertext (and salt) and its mtime. A file that does
 * not open with the key (key rotated, corrupt) is rewritten.
 */
import { readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { makeDirectoryWithin, readExistingTarget, writeOutputFile } from '../io/writer.js';
import { basename, dirname, join } from 'node:path';
import {
  gzip,
  openProfile,
  parseIkm,
  sealProfile,
  type Cipher,
  type Digest,
} from '../crypto/index.js';
import { CliError, describeSystemError } from '../errors.js';
import { checkRenderedProfile, type RenderDiagnostic } from './check.js';
import { TemplateChooser, describeTemplateError, type TemplateSource } from './engine.js';
import type { Vars } from './inventory.js';
import { maskSecretValues } from '../profile/secrets.js';
import { secretValuesOf } from './variables.js';

/** What every device of a run shares. Plain data: it is copied to each worker. */
export interface RendererSettings {
  templates: TemplateSource;
  /** Output directory; undefined → the profile bytes are returned (stdout). */
  outDir?: string;
  encryption?: {
    cipher: Cipher;
    md: Digest;
    /** The shared passphrase or IKM text, unless every device brings its own. */
    passphrase?: string;
    ikm?: string;
  };
  gzip: boolean;
  dryRun: boolean;
  /** Permission bits of every file written (`--mode`). */
  mode?: number;
}

/**
 * The largest existing target read for the unchanged-check. A profile is tens of KB; a bigger
 * file at a target name is rewritten without being read.
 */
export const MAX_EXISTING_TARGET_BYTES = 16 * 1024 * 1024;

/** One device to render. */
export interface RenderJob {
  id: number;
  templatePath: string;
  vars: Vars;
  /** Output name relative to outDir. */
  file?: string;
  model: string;
  /** This device's own passphrase or IKM text (from --key-field / --ikm-field). */
  passphrase?: string;
  ikm?: string;
}

export type RenderStatus = 'written' | 'unchanged' | 'would-write' | 'failed';
export type FailureKind = 'template' | 'check' | 'input' | 'io';

export interface RenderJobResult {
  id: number;
  status: RenderStatus;
  failure?: FailureKind;
  /** One line, never a secret. */
  error?: string;
  diagnostics?: RenderDiagnostic[];
  /** Size of what was (or would be) written. */
  bytes?: number;
  /** The output itself, when there is no outDir. */
  output?: Uint8Array;
}

/**
 * A file already at the target: its bytes, undefined when there is none or it is not a regular
 * file we may read (it is then replaced or refused by the writer), or the read error.
 */
type ExistingFile = Uint8Array | undefined | Error;

async function readExisting(path: string): Promise<ExistingFile> {
  const found = readExistingTarget(path, MAX_EXISTING_TARGET_BYTES);
  if (found.kind === 'file') return found.bytes;
  if (found.kind === 'error') return found.error;
  return undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export class DeviceRenderer {
  private readonly chooser: TemplateChooser;
  private readonly madeDirs = new Set<string>();
  /** Each output directory's names when first looked at (null: not listable, probe each file). */
  private readonly listings = new Map<string, Set<string> | null>();
  private readonly sharedIkm: Uint8Array | undefined;

  constructor(private readonly settings: RendererSettings) {
    this.chooser = new TemplateChooser(settings.templates);
    const ikm = settings.encryption?.ikm;
    this.sharedIkm = ikm !== undefined ? parseIkm(ikm) : undefined;
  }

  /**
   * Renders and checks the profile text of one device; throws nothing. Every message is masked:
   * no value of a secret variable, passphrase or IKM survives in an error or a diagnostic.
   */
  renderText(job: RenderJob): { text: string; diagnostics?: RenderDiagnostic[] } | RenderJobResult {
    const result = this.renderTextUnmasked(job);
    if (!('error' in result && result.error !== undefined) && !result.diagnostics) return result;
    // Only a run with something to say pays for collecting the secret values.
    const keys = [
      job.passphrase,
      job.ikm,
      this.settings.encryption?.passphrase,
      this.settings.encryption?.ikm,
    ].filter((k): k is string => k !== undefined);
    const secrets = [...secretValuesOf(job.vars), ...keys];
    const mask = (m: string): string => maskSecretValues(m, secrets);
    if ('error' in result && result.error !== undefined) result.error = mask(result.error);
    for (const d of result.diagnostics ?? []) {
      d.message = mask(d.message);
      if (d.hint !== undefined) d.hint = mask(d.hint);
    }
    return result;
  }

  private renderTextUnmasked(
    job: RenderJob,
  ): { text: string; diagnostics?: RenderDiagnostic[] } | RenderJobResult {
    let text: string;
    try {
      text = this.chooser.render(job.templatePath, job.vars);
    } catch (err) {
      return {
        id: job.id,
        status: 'failed',
        failure: 'template',
        error: describeTemplateError(err, this.settings.templates.root),
      };
    }
    const diagnostics = checkRenderedProfile(text, {
      file: job.file ?? '<stdout>',
      model: job.model,
      encrypted: this.settings.encryption !== undefined,
    });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      const first = errors[0]!;
      return {
        id: job.id,
        status: 'failed',
        failure: 'check',
        error: `rendered profile line ${first.line}, col ${first.column}: ${first.message} [${first.ruleId}]${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`,
        diagnostics,
      };
    }
    return diagnostics.length > 0 ? { text, diagnostics } : { text };
  }

  /**
   * Renders a batch. File I/O overlaps the CPU work: the existing files are read in parallel
   * first, then each profile is rendered, checked and sealed, and its write is started at once
   * (libuv's thread pool) while the next device renders. Resolves when every write has settled.
   */
  async processBatch(jobs: readonly RenderJob[]): Promise<RenderJobResult[]> {
    const outDir = this.settings.outDir;
    const existing = await Promise.all(
      jobs.map((job) => {
        if (outDir === undefined || job.file === undefined) return undefined;
        const target = join(outDir, job.file);
        return this.mayExist(target) ? readExisting(target) : undefined;
      }),
    );
    const results = jobs.map((job, i) => this.processOne(job, existing[i]));
    return Promise.all(results);
  }

  /**
   * Whether a file may already be at `target`. The directory is listed once: in a fresh output
   * directory no file is probed (10,000 failed opens cost more than one readdir).
   */
  private mayExist(target: string): boolean {
    const dir = dirname(target);
    let names = this.listings.get(dir);
    if (names === undefined) {
      try {
        names = new Set(readdirSync(dir));
      } catch (err) {
        names = (err as NodeJS.ErrnoException).code === 'ENOENT' ? new Set() : null;
      }
      this.listings.set(dir, names);
    }
    return names === null || names.has(basename(target));
  }

  /** The CPU part of one device, then its write (awaited by processBatch). */
  private processOne(
    job: RenderJob,
    existing: ExistingFile,
  ): RenderJobResult | Promise<RenderJobResult> {
    const rendered = this.renderText(job);
    if (!('text' in rendered)) return rendered;
    const plaintext = Buffer.from(rendered.text, 'utf8');
    const warnings = rendered.diagnostics ? { diagnostics: rendered.diagnostics } : {};

    let key: { passphrase?: string; ikm?: Uint8Array } = {};
    const enc = this.settings.encryption;
    if (enc) {
      try {
        key =
          enc.cipher === 'aes-256-cbc'
            ? { passphrase: job.passphrase ?? enc.passphrase! }
            : { ikm: job.ikm !== undefined ? parseIkm(job.ikm) : this.sharedIkm! };
      } catch {
        return {
          id: job.id,
          status: 'failed',
          failure: 'input',
          error: 'the device IKM is not valid (expected text, hex:<hex> or base64url:<b64>)',
        };
      }
    }

    if (this.settings.outDir === undefined || job.file === undefined) {
      const output = this.seal(plaintext, key);
      return { id: job.id, status: 'written', bytes: output.length, output, ...warnings };
    }

    const target = join(this.settings.outDir, job.file);
    const ioFailure = (err: unknown): RenderJobResult => ({
      id: job.id,
      status: 'failed',
      failure: 'io',
      error:
        err instanceof CliError ? err.message : `cannot write ${describeSystemError(err, target)}`,
    });
    try {
      if (existing instanceof Error) throw existing;
      if (existing !== undefined && this.isUnchanged(existing, plaintext, key)) {
        return { id: job.id, status: 'unchanged', ...warnings };
      }
      const output = this.seal(plaintext, key);
      if (this.settings.dryRun) {
        return { id: job.id, status: 'would-write', bytes: output.length, ...warnings };
      }
      const dir = dirname(target);
      if (!this.madeDirs.has(dir)) {
        // Real path inside --out: a symlinked subdirectory leading elsewhere is refused.
        makeDirectoryWithin(dir, this.settings.outDir);
        this.madeDirs.add(dir);
      }
      writeOutputFile(target, output, {
        fsync: false,
        // A plaintext profile with a password in it is created 0600.
        secret: (rendered.diagnostics ?? []).some((d) => d.ruleId === 'plaintext-secret'),
        nonRegular: 'refuse',
        symlink: 'replace',
        ...(this.settings.mode !== undefined ? { mode: this.settings.mode } : {}),
      });
      return { id: job.id, status: 'written', bytes: output.length, ...warnings };
    } catch (err) {
      return ioFailure(err);
    }
  }

  private seal(plaintext: Uint8Array, key: { passphrase?: string; ikm?: Uint8Array }): Uint8Array {
    const enc = this.settings.encryption;
    if (enc) {
      return sealProfile(plaintext, {
        cipher: enc.cipher,
        gzip: this.settings.gzip,
        md: enc.md,
        ...key,
      });
    }
    return this.settings.gzip ? gzip(plaintext) : plaintext;
  }

  /** Whether the file on disk already holds this plaintext in the requested form. */
  private isUnchanged(
    existing: Uint8Array,
    plaintext: Uint8Array,
    key: { passphrase?: string; ikm?: Uint8Array },
  ): boolean {
    const enc = this.settings.encryption;
    try {
      // gunzip: false, then a gunzip capped at the new plaintext's size plus one byte: a gzip
      // bomb at a target name costs nothing (any larger output means "changed").
      const opened = openProfile(existing, {
        ...key,
        ...(enc?.cipher === 'aes-256-cbc' ? { md: enc.md } : {}),
        gunzip: false,
      });
      const wanted = !enc
        ? this.settings.gzip
          ? 'gzip'
          : 'plain'
        : enc.cipher === 'aes-256-cbc'
          ? 'openssl-enc'
          : 'aes128gcm';
      if (opened.container !== wanted) return false;
      if (enc && opened.gzip !== this.settings.gzip) return false;
      const old = opened.gzip
        ? gunzipSync(opened.plaintext, { maxOutputLength: plaintext.length + 1 })
        : opened.plaintext;
      return sameBytes(old, plaintext);
    } catch {
      return false; // does not open with this key, corrupt, or larger: rewrite
    }
  }
}
