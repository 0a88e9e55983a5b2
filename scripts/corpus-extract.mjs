#!/usr/bin/env node
/**
 * Turns a phone's cfg.xml export (or a provisioning template that is one with placeholders, or
 * a YAML "report from a real phone") into the name/value list kept in test/corpus/exports/.
 * Only names, values and the export's own "available options" notes are kept: never the file.
 *
 *   node scripts/corpus-extract.mjs --id ID --set tuning|held-out --family F [--model M] \
 *     --repo owner/name --path PATH --commit SHA [--note TEXT] FILE > test/corpus/exports/ID.json
 *
 * Template syntax (Smarty `{$x}`, `{if}`…, Jinja `{{ x }}`, `{% %}`) is dropped: a value that
 * holds a placeholder is recorded as null (its name counts, its value is not checked), an
 * element whose name holds one is skipped. The first occurrence of a name wins (templates
 * repeat names in if/else branches). Elements inside `<router-configuration>` (ATA191/192) are
 * recorded with `section: "router-configuration"`. Elements the phone exports commented out (its
 * password fields, value withheld) are recorded with `commented: true` and a null value.
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const meta = {
  id: option('id'),
  set: option('set'),
  family: option('family'),
  model: option('model'),
  source: {
    repo: option('repo'),
    path: option('path'),
    commit: option('commit'),
  },
  note: option('note'),
};
const file = args[0];
if (!meta.id || !meta.set || !meta.family || !file) {
  process.stderr.write('usage: corpus-extract --id ID --set S --family F [...] FILE\n');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');

const PLACEHOLDER = /\{\$|\{\{|\{%|\{if|\{\/if|\{else/;
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (value) =>
  value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, body) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return ENTITIES[body] ?? all;
  });

const parameters = [];
const seen = new Set();
const add = (name, value, extra = {}) => {
  if (seen.has(name)) return;
  seen.add(name);
  parameters.push({ name, value, ...extra });
};

if (/\.ya?ml$/.test(file)) {
  // flat_profile_params:  Name: 'value' (YAML single quotes, '' for ')
  let inFlat = false;
  for (const line of text.split('\n')) {
    if (/^ {2}\S/.test(line)) inFlat = line.trim() === 'flat_profile_params:';
    if (!inFlat) continue;
    const m = /^ {4}([A-Za-z0-9_.-]+): (?:'((?:[^']|'')*)'|"([^"]*)"|(.*))$/.exec(line);
    if (!m) continue;
    const value = m[2] !== undefined ? m[2].replace(/''/g, "'") : (m[3] ?? m[4] ?? '');
    add(m[1], value);
  }
} else {
  // Drop template control lines, then walk the leaf elements in order.
  const body = text
    // a value chosen by an inline {if}…{else}…{/if} is a placeholder too
    .replace(/>([^<\n]*\{(?:if|else)\b[^<\n]*)</g, '>{$inline}<')
    .replace(/\{%[\s\S]*?%\}/g, '')
    .replace(/\{\/?(if|else|elseif|foreach|assign|php)\b[^}]*\}/g, '');
  const routerStart = body.indexOf('<router-configuration>');
  const routerEnd = body.indexOf('</router-configuration>');
  const leaf =
    /<!--([\s\S]*?)-->|<([A-Za-z_][\w.:-]*)((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*(?:\/>|>([^<]*)<\/\2\s*>)/g;
  let last;
  for (let m = leaf.exec(body); m; m = leaf.exec(body)) {
    if (m[1] !== undefined) {
      // "available options: A|B|C" (MPP) or "options: 0:Bridge, 1:NAT" (ATA) right after an element
      const note = /^\s*(?:available\s+)?options:\s*([\s\S]*?)\s*$/i.exec(m[1]);
      if (note && last && !last.options) last.options = note[1];
      // The phones export password fields commented out, value withheld: `<!-- <LDAP_Password ua="na"/> -->`
      const hidden =
        /^\s*<([A-Za-z_][\w.:-]*)(?:\s+[\w:-]+\s*=\s*"[^"]*")*\s*(?:\/>|>[^<]*<\/\1\s*>)\s*$/.exec(
          m[1],
        );
      if (hidden && !PLACEHOLDER.test(hidden[1]) && !hidden[1].includes('{')) {
        const inRouter = routerStart >= 0 && m.index > routerStart && m.index < routerEnd;
        add(hidden[1], null, {
          commented: true,
          ...(inRouter ? { section: 'router-configuration' } : {}),
        });
        last = undefined;
      }
      continue;
    }
    const name = m[2];
    if (PLACEHOLDER.test(name) || name.includes('{')) {
      last = undefined;
      continue;
    }
    const raw = m[4] ?? '';
    const value = PLACEHOLDER.test(raw) ? null : decode(raw);
    const inRouter = routerStart >= 0 && m.index > routerStart && m.index < routerEnd;
    if (seen.has(name)) {
      last = undefined;
      continue;
    }
    const entry = inRouter ? { section: 'router-configuration' } : {};
    add(name, value, entry);
    last = parameters[parameters.length - 1];
  }
}

const out = { ...meta, parameters };
if (!out.model) delete out.model;
if (!out.note) delete out.note;
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
