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
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  openSync,
  readSync,
  readdirSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openProfile, parseIkm, sealProfile, type Cipher, type Digest } from '../crypto/index.js';
import { maskSecretValues } from '../profile/secrets.js';
import { describeSystemError } from '../domain-errors.js';
import { checkRenderedProfile, type RenderDiagnostic } from './check.js';
import { TemplateChooser, isTemplateReadError, type TemplateSource } from './engine.js';
import type { Vars } from './inventory.js';
import { NameTable } from './name-table.js';
import { ProfileGzip } from './profile-gzip.js';
import { describeRenderFailure, maskSecretForms } from './template-failure.js';
import { hasSecretValue, secretValuesOf } from './variables.js';

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

/** What the writer is told about a profile besides its bytes. */
export interface WriteHints {
  /** A plaintext profile with a password in it: a new file is created 0600. */
  secret: boolean;
  /** Exact permission bits (`--mode`). */
  mode?: number;
  /**
   * The output directory: the file's real path must stay inside it (a symlinked subdirectory
   * that leads elsewhere is refused), and the writer makes the missing directories.
   */
  within: string;
  /**
   * The output directory's listing (taken once per run) had no entry of this name: the writer
   * need not look at the target before its temp file + rename.
   */
  absent?: boolean;
}

/**
 * Puts a profile's bytes at `path`, replacing any file there atomically (the CLI passes its
 * one writer, src/io/writer.ts), making its directory inside `hints.within`. Throws an Error
 * whose message is one line naming the file.
 * @example const writeFile: WriteFile = (path, data) => writeFileSync(path, data);
 * // no temp file, no mode
 */
export type WriteFile = (path: string, data: Uint8Array, hints: WriteHints) => void;

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

/** A device's checked profile text, rendered but not yet sealed or written. */
export interface RenderedText {
  id: number;
  text: string;
  /** The check's warnings (errors make a failed RenderJobResult instead). */
  diagnostics?: RenderDiagnostic[];
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
 * A file already at the target: its bytes; undefined when there is none, or it is not a regular
 * file of at most MAX_EXISTING_TARGET_BYTES (the writer then replaces or refuses it); or the
 * read error.
 */
type ExistingFile = Uint8Array | undefined | Error;

/** No entry of that name in the output directory's listing: nothing was read. */
const ABSENT = Symbol('absent');

/**
 * The permission bits a file left unchanged that holds plaintext secrets may keep: none for
 * others, as the writer gives a replaced one (src/io/writer.ts).
 */
const SECRET_KEPT_BITS = 0o770;

/** Whether the validator found a plaintext secret in the profile (it is then written 0600). */
function holdsPlaintextSecret(diagnostics: readonly RenderDiagnostic[] | undefined): boolean {
  return (diagnostics ?? []).some((d) => d.ruleId === 'plaintext-secret');
}

/**
 * A file left unchanged: its permission bits set as a write would set them — `--mode`, or the
 * old bits less those of others when it holds a password — through a descriptor opened without
 * following a symlink (as {@link readExisting} reads it). False when the file is another user's
 * (chmod: EPERM, as a user other than root): the caller then writes the file again, which makes
 * it ours, with those bits.
 */
function applyMode(path: string, mode: number | ((old: number) => number)): boolean {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    const bits = typeof mode === 'number' ? mode : mode(st.mode & 0o7777);
    if (st.isFile() && (st.mode & 0o7777) !== bits) fchmodSync(fd, bits);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the file at a target without following a symlink (O_NOFOLLOW: a link to /dev/zero is
 * not read) or waiting on a FIFO (O_NONBLOCK), regular files only, up to the size cap.
 */
function readExisting(path: string): ExistingFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ELOOP' || code === 'ENXIO' ? undefined : (err as Error);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_EXISTING_TARGET_BYTES) return undefined;
    const bytes = Buffer.allocUnsafe(st.size);
    let offset = 0;
    while (offset < st.size) {
      const n = readSync(fd, bytes, offset, st.size - offset, null);
      if (n === 0) break;
      offset += n;
    }
    return bytes.subarray(0, offset);
  } catch (err) {
    return err as Error;
  } finally {
    closeSync(fd);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export class DeviceRenderer {
  private readonly chooser: TemplateChooser;
  /** Whether an output file may exist, each output directory listed once. */
  private readonly listed = new ListedDirectories();
  private readonly sharedIkm: Uint8Array | undefined;
  /** Made on the first gzip'd profile: one deflate state per renderer (one per thread). */
  private gzipper: ProfileGzip | undefined;

  constructor(
    private readonly settings: RendererSettings,
    private readonly writeFile: WriteFile,
  ) {
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
    const secrets = [...secretValuesOf(job.vars), ...this.keysOf(job)];
    // Most messages hold no secret (a model's unknown parameter): those skip the masking's
    // sort and splits. maskSecretValues leaves values under 3 characters alone, as here.
    const mask = (m: string): string =>
      secrets.some((s) => s.length >= 3 && m.includes(s)) ? maskSecretValues(m, secrets) : m;
    if ('error' in result && result.error !== undefined) result.error = mask(result.error);
    for (const d of result.diagnostics ?? []) {
      d.message = mask(d.message);
      if (d.hint !== undefined) d.hint = mask(d.hint);
    }
    return result;
  }

  /** The device's passphrase and IKM (its own or the run's), as given. */
  private keysOf(job: RenderJob): string[] {
    return [
      job.passphrase,
      job.ikm,
      this.settings.encryption?.passphrase,
      this.settings.encryption?.ikm,
    ].filter((k): k is string => k !== undefined);
  }

  /**
   * Whether the device has a secret a template could transform into a value (a key, an IKM, a
   * secret variable): its findings then quote no value (CheckContext.hasSecrets), since masking
   * matches a secret's own text only, not `| upcase` or `| base64_encode` of it.
   */
  private hasSecrets(job: RenderJob): boolean {
    const encryption = this.settings.encryption;
    return (
      job.passphrase !== undefined ||
      job.ikm !== undefined ||
      encryption?.passphrase !== undefined ||
      encryption?.ikm !== undefined ||
      hasSecretValue(job.vars)
    );
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
        failure: isTemplateReadError(err) ? 'io' : 'template',
        // No secret in any form, a filter's output of one included (template-failure.ts).
        error: describeRenderFailure(err, {
          chooser: this.chooser,
          templatePath: job.templatePath,
          vars: job.vars,
          keys: this.keysOf(job),
        }),
      };
    }
    const diagnostics = checkRenderedProfile(text, {
      file: job.file ?? '<stdout>',
      model: job.model,
      encrypted: this.settings.encryption !== undefined,
      hasSecrets: this.hasSecrets(job),
    });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      // An element named by a secret (`<{{ sip.password | upcase }}>`): its name is masked too.
      if (this.hasSecrets(job)) {
        maskSecretForms(diagnostics, text, {
          chooser: this.chooser,
          templatePath: job.templatePath,
          vars: job.vars,
          keys: this.keysOf(job),
        });
      }
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
   * Renders a batch: each existing target is read first, then each profile is rendered,
   * checked, sealed and written in turn — all synchronous I/O, so a thread that also feeds
   * workers (src/io/worker-pool.ts) can run a batch between two of their messages.
   */
  processBatchSync(jobs: readonly RenderJob[]): RenderJobResult[] {
    const existing = this.existingTargets(jobs);
    return jobs.map((job, i) => {
      const rendered = this.renderText(job);
      return 'text' in rendered ? this.finishOne(job, rendered, existing[i]!) : rendered;
    });
  }

  /**
   * The first half of processBatchSync, for a thread that renders but does not write: each
   * job's checked (and masked) text, or its failure. finishBatchSync does the rest elsewhere.
   */
  renderTextBatch(jobs: readonly RenderJob[]): (RenderedText | RenderJobResult)[] {
    return jobs.map((job) => {
      const rendered = this.renderText(job);
      return 'text' in rendered ? { id: job.id, ...rendered } : rendered;
    });
  }

  /**
   * The second half: each rendered text compared with the file already there, sealed and
   * written, exactly as processBatchSync would. `rendered[i]` is the text of `jobs[i]`.
   */
  finishBatchSync(
    jobs: readonly RenderJob[],
    rendered: readonly RenderedText[],
  ): RenderJobResult[] {
    const existing = this.existingTargets(jobs);
    return jobs.map((job, i) => this.finishOne(job, rendered[i]!, existing[i]!));
  }

  /** Each job's target as found on disk, read up front for the batch. */
  private existingTargets(jobs: readonly RenderJob[]): (ExistingFile | typeof ABSENT)[] {
    const outDir = this.settings.outDir;
    return jobs.map((job): ExistingFile | typeof ABSENT => {
      if (outDir === undefined || job.file === undefined) return undefined;
      const target = join(outDir, job.file);
      return this.listed.mayExist(target) ? readExisting(target) : ABSENT;
    });
  }

  /** processBatchSync as a promise (a caller may overlap batches: the worker pool does). */
  async processBatch(jobs: readonly RenderJob[]): Promise<RenderJobResult[]> {
    return this.processBatchSync(jobs);
  }

  /** One rendered device: compare with `existing`, seal, write. */
  private finishOne(
    job: RenderJob,
    rendered: { text: string; diagnostics?: RenderDiagnostic[] },
    found: ExistingFile | typeof ABSENT,
  ): RenderJobResult {
    const absent = found === ABSENT;
    const existing = absent ? undefined : found;
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
    let output: Uint8Array | undefined;
    try {
      if (existing instanceof Error) throw existing;
      if (existing !== undefined && this.isUnchanged(existing, plaintext, key)) {
        let modeSet = true;
        if (this.settings.mode !== undefined && !this.settings.dryRun) {
          modeSet = applyMode(target, this.settings.mode);
        } else if (!this.settings.dryRun && holdsPlaintextSecret(rendered.diagnostics)) {
          modeSet = applyMode(target, (mode) => mode & SECRET_KEPT_BITS);
        }
        if (modeSet) return { id: job.id, status: 'unchanged', ...warnings };
        // Another user's file whose bits we may not change (a profile with a password that
        // others may read): written again, the same bytes, as ours with the bits it must have.
        output = existing;
      }
      output ??= this.seal(plaintext, key);
      if (this.settings.dryRun) {
        return { id: job.id, status: 'would-write', bytes: output.length, ...warnings };
      }
    } catch (err) {
      return ioFailure(`cannot write ${describeSystemError(err, target)}`);
    }
    try {
      this.writeFile(target, output, {
        secret: holdsPlaintextSecret(rendered.diagnostics),
        within: this.settings.outDir,
        ...(this.settings.mode !== undefined ? { mode: this.settings.mode } : {}),
        ...(absent ? { absent } : {}),
      });
    } catch (err) {
      return ioFailure(err instanceof Error ? err.message : String(err));
    }
    return { id: job.id, status: 'written', bytes: output.length, ...warnings };
  }

  private seal(plaintext: Uint8Array, key: { passphrase?: string; ikm?: Uint8Array }): Uint8Array {
    const enc = this.settings.encryption;
    // gzip here through the renderer's one deflate state (profile-gzip.ts), then encrypt.
    const data = this.settings.gzip
      ? (this.gzipper ??= new ProfileGzip()).gzip(plaintext)
      : plaintext;
    if (enc) {
      return sealProfile(data, { cipher: enc.cipher, gzip: false, md: enc.md, ...key });
    }
    return data;
  }

  /** Whether the file on disk already holds this plaintext in the requested form. */
  private isUnchanged(
    existing: Uint8Array,
    plaintext: Uint8Array,
    key: { passphrase?: string; ikm?: Uint8Array },
  ): boolean {
    const enc = this.settings.encryption;
    // Gunzip capped at the new plaintext's size plus one byte: a gzip bomb at a target name
    // costs nothing (anything larger is "changed" and rewritten).
    const maxSize = plaintext.length + 1;
    if (!enc) {
      // Plain or gzip: openProfile detects which, and gunzips.
      try {
        const opened = openProfile(existing, { maxSize });
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
        maxSize,
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

/**
 * Whether a file may already be at a path, each directory listed once: in a fresh output
 * directory no file is probed (10,000 failed opens or stats cost more than one readdir). A name
 * missing from its directory's first listing is taken as absent for the rest of the run.
 */
export class ListedDirectories {
  /**
   * Each directory's names when first looked at (null: not listable, so anything may exist),
   * off V8's heap: a re-render lists 100,000 existing profiles here (name-table.ts says why).
   */
  private readonly listings = new Map<string, NameTable | null>();

  mayExist(target: string): boolean {
    const dir = dirname(target);
    let names = this.listings.get(dir);
    if (names === undefined) {
      names = new NameTable();
      try {
        for (const name of readdirSync(dir)) names.add(name);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') names = null;
      }
      this.listings.set(dir, names);
    }
    return names === null || names.has(basename(target));
  }
}
