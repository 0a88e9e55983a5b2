/**
 * What `serve` serves from: the inventory, the --vars files and the templates, loaded into one
 * immutable snapshot. A reload builds a new snapshot beside the old one and swaps the reference,
 * so a request in flight finishes on the snapshot it started with and none is dropped.
 *
 * Built on the same core as `render`: parseInventory, the variable layers (VariableMerger), the
 * TemplateChooser and the file-name macros — a device is served exactly what render writes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { normalizeMac } from '../device/mac.js';
import { describeSystemError } from '../domain-errors.js';
import { findModel, type PhoneModel } from '../device/models.js';
import {
  TEMPLATE_EXTENSION,
  TemplateChooser,
  createEngine,
  filesReadBy,
  sourcesReadBy,
  templateSourceOf,
} from '../render/engine.js';
import type { TemplateSource } from '../render/engine.js';
import {
  InventoryError,
  formatInventoryProblem,
  parseInventory,
  type InventoryDevice,
  type InventoryProblem,
  type Vars,
} from '../render/inventory.js';
import {
  VariableMerger,
  builtinVariables,
  checkGroups,
  collectGroups,
  getPath,
  mergeLayers,
  parseVarsFile,
  type LayerSources,
  type VarsFile,
} from '../render/variables.js';
import { isSecretVariablePath } from '../profile/secrets.js';
import { joinFsPath, listDirectorySync, type FsPath } from '../io/dir-names.js';
import { escapeControls } from '../output/terminal-text.js';

/** Where a site is loaded from (paths resolved by the caller). */
export interface SiteSources {
  inventory: string;
  /** How the inventory is named in messages (as the user wrote it). */
  inventoryName: string;
  vars: readonly { path: string; name: string }[];
  /** Template file or directory. */
  template: string;
  /** Template for the bootstrap (common) profile; undefined: no bootstrap routes. */
  bootstrapTemplate?: string | undefined;
}

/** Thrown when a site cannot be loaded: every problem, one line each. */
export class SiteLoadError extends Error {
  /** @param io true when a file could not be read (exit 3), false for bad content (exit 2) */
  constructor(
    readonly lines: readonly string[],
    readonly io = false,
  ) {
    super(lines.join('\n'));
    this.name = 'SiteLoadError';
  }
}

/** One device as the server knows it. */
export interface SiteDevice {
  inventory: InventoryDevice;
  /** Its merged variables (model built-ins → vars → defaults → group → device). */
  vars: Vars;
  /** Template file, or why there is none. */
  template: { path: string } | { error: string };
  /** A hash of the merged variables: with the templates' hash, the render cache key. */
  varsHash: string;
  /** The values of its secret variables (for masking them out of messages). */
  secretValues: readonly string[];
}

/** A loaded, checked site. Immutable once built. */
export interface Site {
  /** Increases with each successful load. */
  generation: number;
  loadedAt: Date;
  devices: readonly SiteDevice[];
  byMac: ReadonlyMap<string, SiteDevice>;
  /** Upper-cased serial → device. */
  bySerial: ReadonlyMap<string, SiteDevice>;
  chooser: TemplateChooser;
  /** sha-256 over every template file's path and content: a template edit changes it. */
  templatesHash: string;
  /** The texts of those files by absolute path, as read then: what this site renders. */
  templateTexts: ReadonlyMap<string, string>;
  /**
   * The inventory and vars files whose text does not end with a line break: a file caught while
   * it is written in place still parses when cut between two rows or keys (a device or a value
   * fewer). A reload where a file that ended with one no longer does keeps the previous site.
   */
  unterminated: readonly string[];
  templates: TemplateSource;
  /** Variables every device shares (vars files + inventory defaults), for the bootstrap profile. */
  commonLayers: { varsFiles: readonly VarsFile[]; defaults: Vars };
  bootstrap?: { chooser: TemplateChooser; path: string } | undefined;
  /** The files a reload watches. */
  watched: readonly string[];
  /**
   * Partials named by a variable (`{% include part %}`) that an earlier site of this serve read
   * at their first use: this site read, hashed and watches them with the templates (see
   * partialsReadAtUse).
   */
  carriedPartials: readonly string[];
  /**
   * Templates under the template root whose name, or a directory's on the way, is not UTF-8,
   * shown escaped and relative to the root (`caf\xe9.liquid`, `d\xe9r/x.liquid`): left out, see
   * templateFiles.
   */
  skippedTemplates: readonly string[];
  /**
   * Symbolic links among the templates that lead out of their directory (see templateFiles):
   * LiquidJS refuses to read through them, so the devices that need them get 500.
   */
  linksOutside: readonly LinkOutside[];
}

/** A template, or a directory of them, under the template directory that is a symbolic link leading out of it. */
export interface LinkOutside {
  /** The template directory it is out of. */
  root: string;
  /** The link, relative to the root (a directory's ends with `/`), escaped for a terminal. */
  link: string;
  /** Where it leads (its real path), escaped. */
  target: string;
}

function readText(path: string, what: string, again: boolean): string {
  // A FIFO (`mkfifo inv.csv`, fed once by a script) has no writer at a reload: the read
  // blocked the event loop for good, requests and signals with it. Read once, at start.
  if (again && isSpecial(path)) {
    throw new SiteLoadError([
      `${what} ${path} is a FIFO, socket or device, read once at start: restart serve to read it again`,
    ]);
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new SiteLoadError([`cannot read ${what} ${describeSystemError(err, path)}`], true);
  }
}

/**
 * Every template file under a root (or the one file), for hashing and watching; listed by bytes
 * (src/io/dir-names.ts). A `.liquid` file or a directory whose name is not UTF-8 (a Latin-1
 * `caf\xe9.liquid` from an old share) is left out and named in `skipped`: serve reads no file
 * by request path, and nothing that chooses a template can name it — inventory rows, model
 * names and `{% include %}` are UTF-8 text. Node's default listing made its byte U+FFFD, a
 * name of no file, and start-up failed with "cannot read template …: no such file".
 */
function templateFiles(source: TemplateSource): {
  files: string[];
  skipped: string[];
  outside: LinkOutside[];
} {
  // A file named through a link is the file it leads to (templateSourceOf): nothing to warn of.
  if (source.file) return { files: [source.file], skipped: [], outside: [] };
  const files: string[] = [];
  const skipped: string[] = [];
  const outside: LinkOutside[] = [];
  let realRoot: string | undefined;
  // `reachable`: every name on the way is UTF-8; below a directory whose name is not, each
  // template is listed (by bytes) only to be named as left out.
  const walk = (dir: FsPath, shown: string, reachable: boolean): void => {
    let entries;
    try {
      entries = listDirectorySync(dir);
    } catch (err) {
      // Below a name that is not UTF-8 nothing is served: not listed, nothing more to say.
      if (!reachable) return;
      // A directory of templates it may not list (another user's 0700), named as it is.
      if (dir === source.root) throw err;
      throw new SiteLoadError(
        [`cannot read template ${describeSystemError(err, dir as string)}`],
        true,
      );
    }
    for (const { name, fsName, entry } of entries) {
      const inside = reachable && typeof fsName === 'string';
      // A link to a template or to a directory of them: LiquidJS reads it only when its real
      // path is inside the root's (its own check), so one leading out is named at start.
      if (inside && entry.isSymbolicLink()) {
        const path = join(dir as string, fsName);
        const isTemplate = name.endsWith(TEMPLATE_EXTENSION);
        if (isTemplate || statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
          realRoot ??= realpathSync(source.root);
          const target = outsideOf(path, realRoot);
          if (target !== undefined) {
            outside.push({
              root: source.root,
              link: escapeControls(`${shown}${name}${isTemplate ? '' : '/'}`),
              target: escapeControls(target),
            });
          }
        }
      }
      if (entry.isDirectory()) walk(joinFsPath(dir, fsName), `${shown}${name}/`, inside);
      else if (!name.endsWith(TEMPLATE_EXTENSION)) continue;
      else if (!inside) skipped.push(`${shown}${name}`);
      // A FIFO, socket or device named *.liquid (or a link to one) is no template: reading a
      // FIFO with no writer blocked serve's start for good.
      else if (!isSpecialEntry(entry, join(dir as string, fsName as string))) {
        files.push(join(dir as string, fsName as string));
      }
    }
  };
  walk(source.root, '', true);
  outside.sort((a, b) => (a.link < b.link ? -1 : a.link > b.link ? 1 : 0));
  return { files: files.sort(), skipped: skipped.sort(), outside };
}

/** The real path a link leads to when it is not inside `realRoot`; undefined when it is (or leads nowhere: reading it fails on its own). */
function outsideOf(path: string, realRoot: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return undefined;
  }
  return real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep) ? undefined : real;
}

/** Links named one line each; more than this, one line for them all. */
const LINK_WARNING_LINES = 5;

/**
 * The warnings for template links leading out of their directory: one line per link (up to 5),
 * else one line naming the first 5 and how many more. Names the link and where it leads, never
 * what is there.
 */
export function linksOutsideWarnings(site: Site): string[] {
  const links = site.linksOutside;
  if (links.length <= LINK_WARNING_LINES) {
    return links.map(
      (l) =>
        `--template ${l.root}: ${l.link} is a symbolic link out of the template directory (to ${l.target}), which LiquidJS does not read through: the devices that need it get 500; copy it in, or link the whole directory`,
    );
  }
  const shown = links
    .slice(0, LINK_WARNING_LINES)
    .map((l) => l.link)
    .join(', ');
  return [
    `--template ${site.templates.root}: ${links.length} symbolic links out of the template directory, which LiquidJS does not read through (the devices that need them get 500): ${shown}, … (${links.length - LINK_WARNING_LINES} more); copy them in, or link the whole directory`,
  ];
}

/** The one warning for templates left out by name (see templateFiles); undefined: none. */
export function skippedTemplatesWarning(site: Site): string | undefined {
  const n = site.skippedTemplates.length;
  if (n === 0) return undefined;
  const shown = site.skippedTemplates.slice(0, 5).join(', ') + (n > 5 ? `, … (${n - 5} more)` : '');
  return (
    `--template ${site.templates.root}: left out ${n} template${n === 1 ? '' : 's'} whose name (or directory's) is not UTF-8 ` +
    `(no inventory row, model or include can name ${n === 1 ? 'it' : 'them'}; rename in UTF-8): ${shown}`
  );
}

/**
 * sha-256 over the files' names and contents (file order is sorted), and the texts it hashed:
 * the site's engines render these (see EngineOptions.sources), so what is served is what the hash
 * names, whatever happens to the files until the next reload.
 */
function readTemplateFiles(files: readonly string[]): {
  hash: string;
  sources: Map<string, string>;
} {
  const sources = new Map<string, string>();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f).update('\0');
    let bytes: Buffer;
    try {
      bytes = readFileSync(f);
    } catch (err) {
      // A template it may not read (another user's 0600): one line naming it, exit 3.
      throw new SiteLoadError([`cannot read template ${describeSystemError(err, f)}`], true);
    }
    h.update(bytes).update('\0');
    sources.set(resolve(f), bytes.toString('utf8'));
  }
  return { hash: h.digest('hex'), sources };
}

/**
 * The files the templates include (`{% include %}`, `{% render %}`, `{% layout %}` with a name
 * written in the template, followed through partials) that are not in `texts`: LiquidJS's static
 * analysis, on an engine of each root reading `texts` and, for the rest, the disk. A template
 * that does not parse, or names a partial that is not there, is left to fail at its render; a
 * partial named by a variable is read at its first render (see partialsReadAtUse).
 */
function partialsOutside(
  roots: readonly TemplateSource[],
  files: readonly string[],
  texts: ReadonlyMap<string, string>,
): string[] {
  const found = new Set<string>();
  for (const source of roots) {
    // An engine and an analysis cost 8 times a whole load of the example templates: only for
    // the files that name a partial which is not among the texts (a `-t` file's, a `.xml` one).
    const needed = (source.file ? [source.file] : files).filter((file) =>
      namesPartialOutside(source.root, file, texts),
    );
    if (needed.length === 0) continue;
    const engine = createEngine(source.root, { sources: texts });
    for (const file of needed) {
      try {
        engine.analyzeSync(engine.parseFileSync(file));
      } catch {
        // Reported when a device renders it.
      }
    }
    for (const path of filesReadBy(engine)) if (!texts.has(path)) found.add(path);
  }
  return [...found].sort();
}

/** `include 'name'`, `render "name"`, `layout 'name'`: a partial named in the text (or what looks like one). */
const PARTIAL_NAME = /\b(?:include|render|layout)\s+(['"])([^'"\n]+)\1/g;

/**
 * Whether a template names a partial that is not among `texts`, where LiquidJS looks for it (the
 * root, or beside the file for `./` and `../`; `.liquid` added to a name without an extension).
 * A false alarm (the words in a comment) costs only the analysis.
 */
function namesPartialOutside(
  root: string,
  file: string,
  texts: ReadonlyMap<string, string>,
): boolean {
  const text = texts.get(resolve(file)) ?? '';
  for (const m of text.matchAll(PARTIAL_NAME)) {
    const name = m[2]!;
    const withExt = extname(name) === '' ? `${name}${TEMPLATE_EXTENSION}` : name;
    if (!texts.has(resolve(root, withExt))) return true;
    if (name.startsWith('.') && !texts.has(resolve(dirname(file), withExt))) return true;
  }
  return false;
}

/** Whether `path` is (or leads to) a FIFO, socket or device: false when it cannot be looked at. */
function isSpecial(path: string): boolean {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st !== undefined && !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}

/** isSpecial for a listed entry: its type from the listing, a link's from stat. */
function isSpecialEntry(entry: Dirent<Buffer>, path: string): boolean {
  if (entry.isFile() || entry.isDirectory()) return false;
  return entry.isSymbolicLink() ? isSpecial(path) : true;
}

/** Whether `path` is a file now (false when it is gone or cannot be looked at). */
function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

/** Whether `path` is inside the directory `root`, by name. */
function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Whether a non-empty text stops without a line break (LF; CRLF ends with one too). */
function endsMidLine(text: string): boolean {
  return text.length > 0 && !text.endsWith('\n');
}

/** The values of the secret variables of a device (inventory paths the classifier flags). */
function secretValuesOf(vars: Vars): string[] {
  const out: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        walk(v, path === '' ? k : `${path}.${k}`);
      }
      return;
    }
    if (path !== '' && isSecretVariablePath(path)) out.push(String(value));
  };
  walk(vars, '');
  return out;
}

/** A stable JSON text of variables (object keys sorted), for hashing. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Vars)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Loads and checks a site. Throws SiteLoadError naming every problem.
 * @param carried partials an earlier site read at first use (partialsReadAtUse): read, hashed
 *   and watched with the templates; one no longer there is dropped
 * @example loadSite({ inventory: '/srv/inv.csv', inventoryName: 'inv.csv', vars: [], template: '/srv/templates' }, 1)
 */
export function loadSite(
  sources: SiteSources,
  generation: number,
  carried: readonly string[] = [],
): Site {
  const unterminated: string[] = [];
  const problems: InventoryProblem[] = [];
  let inventory;
  try {
    const text = readText(sources.inventory, 'inventory', generation > 1);
    if (endsMidLine(text)) unterminated.push(sources.inventory);
    inventory = parseInventory(text, sources.inventoryName);
  } catch (err) {
    if (err instanceof InventoryError) {
      throw new SiteLoadError(err.problems.map(formatInventoryProblem));
    }
    throw err;
  }
  const varsFiles: VarsFile[] = [];
  for (const v of sources.vars) {
    const text = readText(v.path, '--vars', generation > 1);
    if (endsMidLine(text)) unterminated.push(v.path);
    const parsed = parseVarsFile(text, v.name);
    // Loops, not push(...list): a spread of 120,000+ problems overflows the call stack.
    if (Array.isArray(parsed)) for (const problem of parsed) problems.push(problem);
    else varsFiles.push(parsed);
  }
  const groups = collectGroups(varsFiles, inventory.groups);
  for (const problem of checkGroups(inventory.devices, groups, sources.inventoryName))
    problems.push(problem);
  if (problems.length > 0) throw new SiteLoadError(problems.map(formatInventoryProblem));

  let templates: TemplateSource;
  let files: string[];
  let skippedTemplates: string[];
  let linksOutside: LinkOutside[];
  try {
    templates = templateSourceOf(sources.template);
    ({ files, skipped: skippedTemplates, outside: linksOutside } = templateFiles(templates));
  } catch (err) {
    if (err instanceof SiteLoadError) throw err;
    throw new SiteLoadError(
      [`cannot read --template ${describeSystemError(err, sources.template)}`],
      true,
    );
  }
  let bootstrapSource: TemplateSource | undefined;
  if (sources.bootstrapTemplate !== undefined) {
    try {
      const source = templateSourceOf(sources.bootstrapTemplate);
      if (!source.file) throw new Error('not a file');
      bootstrapSource = source;
      if (!files.includes(source.file)) files.push(source.file);
    } catch (err) {
      throw new SiteLoadError(
        [`cannot read --bootstrap-template ${describeSystemError(err, sources.bootstrapTemplate)}`],
        true,
      );
    }
  }
  // Read once: this site renders these texts until the next reload (EngineOptions.sources).
  let { hash: templatesHash, sources: templateTexts } = readTemplateFiles(files);
  // The partials a template pulls in that are not among them (those beside a `-t` file, or a
  // non-.liquid one) are read, hashed and watched too: else an edited partial was never served
  // (its parse kept by the engine, the render cache keyed by a hash that had not changed).
  const partials = partialsOutside(
    [templates, ...(bootstrapSource ? [bootstrapSource] : [])],
    files,
    templateTexts,
  );
  // A partial named by a variable, read at a render of an earlier site: its text is part of
  // what this site renders (and hashes: an edit clears the render cache), and it is watched.
  const carriedPartials = carried.filter(
    (p) => !templateTexts.has(p) && !partials.includes(p) && isFile(p),
  );
  if (partials.length > 0 || carriedPartials.length > 0) {
    files = [...files, ...partials, ...carriedPartials];
    ({ hash: templatesHash, sources: templateTexts } = readTemplateFiles(files));
  }
  const chooser = new TemplateChooser(templates, { sources: templateTexts });
  const bootstrap: Site['bootstrap'] = bootstrapSource?.file
    ? {
        chooser: new TemplateChooser(bootstrapSource, { sources: templateTexts }),
        path: bootstrapSource.file,
      }
    : undefined;
  const layerSources: LayerSources = {
    varsFiles,
    inventoryFile: sources.inventoryName,
    defaults: inventory.defaults,
    groups,
  };
  const merger = new VariableMerger(layerSources);
  const devices: SiteDevice[] = [];
  const byMac = new Map<string, SiteDevice>();
  const bySerial = new Map<string, SiteDevice>();
  for (const d of inventory.devices) {
    const vars = merger.merge(d);
    const named = typeof d.fields.template === 'string' ? d.fields.template : undefined;
    const device: SiteDevice = {
      inventory: d,
      vars,
      template: chooser.choose(d.phone, named),
      varsHash: createHash('sha256').update(stableJson(vars)).digest('base64url'),
      secretValues: secretValuesOf(vars),
    };
    devices.push(device);
    if (d.mac) byMac.set(d.mac, device);
    if (d.serial) bySerial.set(d.serial.toUpperCase(), device);
  }
  return {
    generation,
    loadedAt: new Date(),
    devices,
    byMac,
    bySerial,
    chooser,
    templatesHash,
    templateTexts,
    unterminated,
    templates,
    commonLayers: { varsFiles, defaults: inventory.defaults },
    bootstrap,
    watched: [
      sources.inventory,
      ...sources.vars.map((v) => v.path),
      templates.file ?? templates.root,
      // A file named through a link: the link's name too, re-pointed (`ln -sfn`) or replaced.
      ...(templates.link !== undefined ? [templates.link] : []),
      ...(bootstrap ? [bootstrap.path] : []),
      ...(bootstrapSource?.link !== undefined ? [bootstrapSource.link] : []),
      // A directory's partials are watched with it; a file's, found beside it, one by one.
      ...(templates.file ? partials : partials.filter((p) => !within(templates.root, p))),
      ...(templates.file
        ? carriedPartials
        : carriedPartials.filter((p) => !within(templates.root, p))),
    ],
    carriedPartials,
    skippedTemplates,
    linksOutside,
  };
}

/**
 * The partials this site's engines read from disk at a render, not among the texts it loaded:
 * those named by a variable (`{% include part %}`, `{% render part %}` with `part` from the
 * inventory), which no analysis finds before a device uses them. Each with the text it was read
 * as. serve watches them from then on and carries them into the next site (loadSite's
 * `carried`), so an edit reloads and clears the render cache like any template's.
 */
export function partialsReadAtUse(site: Site): { path: string; text: string }[] {
  const engines = [site.chooser.engine, ...(site.bootstrap ? [site.bootstrap.chooser.engine] : [])];
  const found = new Map<string, string>();
  for (const engine of engines) {
    for (const { path, text } of sourcesReadBy(engine)) {
      if (!site.templateTexts.has(path) && !found.has(path)) found.set(path, text);
    }
  }
  return [...found].map(([path, text]) => ({ path, text }));
}

/** A device by MAC (any notation) or serial; undefined when the site has none. */
export function findSiteDevice(site: Site, id: string): SiteDevice | undefined {
  const mac = normalizeMac(id);
  if (mac !== undefined) {
    const d = site.byMac.get(mac);
    if (d) return d;
  }
  return site.bySerial.get(id.trim().toUpperCase());
}

/** The variables of the common (bootstrap) profile of a model: built-ins, vars, defaults. */
export function commonVars(site: Site, phone: PhoneModel): Vars {
  return mergeLayers([
    { name: 'built-ins', values: builtinVariables(phone) },
    ...site.commonLayers.varsFiles.map((v) => ({ name: v.file, values: v.values })),
    { name: 'defaults', values: site.commonLayers.defaults },
  ]);
}

/** A secret field of a device's variables (`--key-field profile_key`), when set. */
export function deviceSecretField(device: SiteDevice, field: string): string | undefined {
  const v = getPath(device.vars, field);
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The model a bootstrap name refers to: `CP-8841-3PCC`, `8841`, `ata191`, `spa8841`… */
export function modelOfBootstrapName(name: string): PhoneModel | undefined {
  return findModel(name) ?? findModel(name.replace(/^spa(?=\d)/i, ''));
}
