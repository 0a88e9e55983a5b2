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
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  gzip,
  openProfile,
  parseIkm,
  sealProfile,
  type Cipher,
  type Digest,
} from '../crypto/index.js';
import { describeSystemError } from '../domain-errors.js';
import { checkRenderedProfile, type RenderDiagnostic } from './check.js';
import { TemplateChooser, describeTemplateError, type TemplateSource } from './engine.js';
import type { Vars } from './inventory.js';

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
}

/**
 * Puts a profile's bytes at `path`, replacing any file there atomically (the CLI passes its
 * one writer, src/output/writer.ts). Throws an Error whose message is one line naming the file.
 */
export type WriteFile = (path: string, data: Uint8Array) => void;

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

/** A file already at the target: its bytes, undefined when there is none, or the read error. */
type ExistingFile = Uint8Array | undefined | Error;

async function readExisting(path: string): Promise<ExistingFile> {
  try {
    return readFileSync(path);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : (err as Error);
  }
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

  constructor(
    private readonly settings: RendererSettings,
    private readonly writeFile: WriteFile,
  ) {
    this.chooser = new TemplateChooser(settings.templates);
    const ikm = settings.encryption?.ikm;
    this.sharedIkm = ikm !== undefined ? parseIkm(ikm) : undefined;
  }

  /** Renders and checks the profile text of one device; throws nothing. */
  renderText(job: RenderJob): { text: string; diagnostics?: RenderDiagnostic[] } | RenderJobResult {
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
   * Renders a batch: each existing target is read first (synchronously), then each profile is
   * rendered, checked, sealed and written in turn — all synchronous I/O; the promise is kept so
   * a caller can overlap batches (the worker pool does).
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

  /** One device: render, check, compare with `existing`, seal, write. */
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
    const ioFailure = (error: string): RenderJobResult => ({
      id: job.id,
      status: 'failed',
      failure: 'io',
      error,
    });
    let output: Uint8Array;
    try {
      if (existing instanceof Error) throw existing;
      if (existing !== undefined && this.isUnchanged(existing, plaintext, key)) {
        return { id: job.id, status: 'unchanged', ...warnings };
      }
      output = this.seal(plaintext, key);
      if (this.settings.dryRun) {
        return { id: job.id, status: 'would-write', bytes: output.length, ...warnings };
      }
      const dir = dirname(target);
      if (!this.madeDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
    } catch (err) {
      return ioFailure(`cannot write ${describeSystemError(err, target)}`);
    }
    try {
      this.writeFile(target, output);
    } catch (err) {
      return ioFailure(err instanceof Error ? err.message : String(err));
    }
    return { id: job.id, status: 'written', bytes: output.length, ...warnings };
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
    if (!enc) {
      // Plain or gzip: openProfile detects which, and gunzips.
      try {
        const opened = openProfile(existing);
        const wanted = this.settings.gzip ? 'gzip' : 'plain';
        return opened.container === wanted && sameBytes(opened.plaintext, plaintext);
      } catch {
        return false;
      }
    }
    try {
      const opened = openProfile(existing, {
        ...key,
        ...(enc.cipher === 'aes-256-cbc' ? { md: enc.md } : {}),
      });
      const wanted = enc.cipher === 'aes-256-cbc' ? 'openssl-enc' : 'aes128gcm';
      return (
        opened.container === wanted &&
        opened.gzip === this.settings.gzip &&
        sameBytes(opened.plaintext, plaintext)
      );
    } catch {
      return false; // does not open with this key: rewrite
    }
  }
}
