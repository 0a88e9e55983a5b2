/**
 * Spawned fuzz driver: the built CLI (bin/cisco-prov.cjs, run `npm run build` first) on mutated
 * files, as an attacker would hand them over. Oracles per run: exit code 0–3; stderr only
 * `cisco-prov: …` lines and their `  hint:` lines, no stack frame, no "unexpected failure"; no
 * planted password, key or IKM in stdout or stderr (where the command promises to mask or not
 * to print it); no temp file left and no output file written by a failed run; a time bound.
 * Usage: node --import tsx test/fuzz/cli.ts [target-substring…]
 * Env: FUZZ_SEED (default 9), FUZZ_EXECS (runs per target, default 15), FUZZ_OUT (save findings).
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealProfile } from '../../src/crypto/index.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { PLANTED } from './core-targets.js';
import {
  CSV_TOKENS,
  JSON_TOKENS,
  LIQUID_TOKENS,
  ROOT,
  Rng,
  XML_TOKENS,
  YAML_TOKENS,
  corpusProfiles,
  filesUnder,
  mutate,
  readSeed,
  show,
  tokens,
  utf8,
} from './lib.js';

const seed = Number(process.env.FUZZ_SEED ?? 9);
const execs = Number(process.env.FUZZ_EXECS ?? 15);
const filters = process.argv.slice(2);
const TIME_LIMIT_MS = 20_000;

// Not needed by any run, and it costs every Node start ~45 ms here (PREAMBLE).
delete process.env.NODE_EXTRA_CA_CERTS;
const work = mkdtempSync(join(tmpdir(), 'cisco-prov-fuzz-cli-'));
const keyFile = join(work, 'key.txt');
const ikmFile = join(work, 'ikm.txt');
writeFileSync(keyFile, `${PLANTED.key}\n`, { mode: 0o600 });
writeFileSync(ikmFile, `${PLANTED.ikm}\n`, { mode: 0o600 });
chmodSync(keyFile, 0o600);
chmodSync(ikmFile, 0o600);
const KEYS = ['--key-file', keyFile, '--ikm-file', ikmFile];
const SECRETS = [PLANTED.key, PLANTED.ikm, PLANTED.password, PLANTED.sip];

const PROFILE = utf8(
  `<?xml version="1.0" encoding="UTF-8"?>\n<flat-profile>\n` +
    `  <Station_Name ua="na">Lobby</Station_Name>\n` +
    `  <Admin_Passwd ua="na">${PLANTED.password}</Admin_Passwd>\n` +
    `  <Password_1_ ua="na">${PLANTED.sip}</Password_1_>\n` +
    `  <Profile_Rule ua="na">[--key $SA]https://prov.example.com/$MA.cfg</Profile_Rule>\n` +
    `</flat-profile>\n`,
);
const profiles = [
  PROFILE,
  ...filesUnder('test/fixtures/profiles', (n) => n.endsWith('.xml')).map(readSeed),
  ...corpusProfiles().slice(0, 3),
];
const XML_NEST: [string, string][] = [
  ['<a>', '</a>'],
  ['<!--', '-->'],
];

interface CliTarget {
  name: string;
  seeds: Uint8Array[];
  dict: Uint8Array[];
  nest: [string, string][];
  /** The file name the mutated input is written to, in a fresh directory. */
  file: string;
  /** The arguments, given the input's path and the run's directory. */
  args(input: string, dir: string): string[];
  /** Whether stdout may carry the planted secrets (it is the plaintext profile). */
  stdoutMaySeeSecrets?: boolean;
  /** An output the run writes, relative to its directory (absent after a failure). */
  output?: string;
  /** The run's exit codes (default 0–3). */
  codes?: readonly number[];
}

const sealed = [
  sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PLANTED.key }),
  sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PLANTED.key, gzip: true }),
  sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PLANTED.key, base64: true }),
  sealProfile(PROFILE, { cipher: 'aes128gcm', ikm: utf8(PLANTED.ikm), rs: 64 }),
  sealProfile(PROFILE, { cipher: 'aes128gcm', ikm: utf8(PLANTED.ikm), gzip: true }),
];
const cipherDict = tokens(['Salted__', 'U2FsdGVkX1', '\x1f\x8b\x08\x00', '<?xml', '=', '\n']);

const inventory = utf8(
  `mac,model,display_name,sip.proxy,admin_password,lines.1.extension,lines.1.password,profile_key,provisioning.server\n` +
    `00562b043615,CP-8841-3PCC,Rec,pbx.example.com,${PLANTED.password},201,${PLANTED.sip},${PLANTED.key},https://prov.example.com\n` +
    `0056.2b04.3616,8851,Sales & Support,pbx.example.com,${PLANTED.password},202,${PLANTED.sip},,https://prov.example.com\n`,
);
const logs = filesUnder('test/fixtures', (n) => n.endsWith('.log')).map(readSeed);
logs.push(
  utf8(
    `10.0.0.5 - - [01/Dec/2026:10:00:00 +0000] "GET /cfg/00562b043615.xml?key=${PLANTED.key}&pwd=${PLANTED.password} HTTP/1.1" 200 512 "-" "Cisco/CP-8841-3PCC-11.3.7 (00562b043615)"\n`,
  ),
);
const keysCsv = utf8(`file,key\nlobby.xml,${PLANTED.key}\n"sales.xml",${PLANTED.password}\n`);

const targets: CliTarget[] = [
  {
    name: 'validate --format json',
    seeds: profiles,
    dict: tokens(XML_TOKENS),
    nest: XML_NEST,
    file: 'p.xml',
    args: (f) => ['validate', '--format', 'json', '-m', '8841', f],
  },
  {
    name: 'validate (ciphertext, keys)',
    seeds: sealed,
    dict: cipherDict,
    nest: [],
    file: 'p.cfg',
    args: (f) => ['validate', ...KEYS, f],
  },
  {
    name: 'decrypt -o',
    seeds: sealed,
    dict: cipherDict,
    nest: [],
    file: 'p.cfg',
    args: (f, d) => ['decrypt', ...KEYS, f, '-o', join(d, 'out.xml')],
    output: 'out.xml',
  },
  {
    name: 'decrypt --info --json',
    seeds: sealed,
    dict: cipherDict,
    nest: [],
    file: 'p.cfg',
    args: (f) => ['decrypt', '--info', '--json', ...KEYS, f],
  },
  {
    name: 'convert xml --to yaml -o',
    seeds: profiles,
    dict: tokens(XML_TOKENS),
    nest: XML_NEST,
    file: 'p.xml',
    args: (f, d) => ['convert', f, '--to', 'yaml', '-o', join(d, 'out.yaml')],
    output: 'out.yaml',
  },
  {
    name: 'convert yaml/json --to xml',
    seeds: [
      utf8(`Admin_Passwd: {value: "${PLANTED.password}", ua: na}\nStation_Name: Lobby\n`),
      utf8(JSON.stringify({ Admin_Passwd: { value: PLANTED.password }, Station_Name: 'x' })),
    ],
    dict: tokens([...YAML_TOKENS, ...JSON_TOKENS]),
    nest: [
      ['[', ']'],
      ['{a: ', '}'],
    ],
    file: 'p.yaml',
    args: (f, d) => ['convert', f, '--from', 'yaml', '--to', 'xml', '-o', join(d, 'out.xml')],
    output: 'out.xml',
  },
  {
    name: 'diff --json',
    seeds: profiles,
    dict: tokens(XML_TOKENS),
    nest: XML_NEST,
    file: 'p.xml',
    args: (f) => ['diff', '--json', f, 'test/fixtures/diff/old.xml'],
  },
  {
    name: 'render -o (inventory)',
    seeds: [inventory, readSeed('examples/inventory.csv')],
    dict: tokens(CSV_TOKENS),
    nest: [['"', '"']],
    file: 'inv.csv',
    args: (f, d) => ['render', '-i', f, '-o', join(d, 'out')],
  },
  {
    name: 'render -o (yaml inventory)',
    seeds: [readSeed('examples/inventory.yaml')],
    dict: tokens(YAML_TOKENS),
    nest: [
      ['[', ']'],
      ['{a: ', '}'],
      ['- ', ''],
    ],
    file: 'inv.yaml',
    args: (f, d) => ['render', '-i', f, '--vars', 'examples/site.yaml', '-o', join(d, 'out')],
  },
  {
    name: 'render -o (template)',
    seeds: filesUnder('templates', (n) => n.endsWith('.liquid')).map(readSeed),
    dict: tokens(LIQUID_TOKENS),
    nest: [
      ['{% if x %}', '{% endif %}'],
      ['{{ ', ' }}'],
    ],
    file: 'tpl.liquid',
    args: (f, d) => {
      writeFileSync(join(d, 'inv.csv'), inventory);
      cpSync(join(ROOT, 'templates', 'partials'), join(d, 'partials'), { recursive: true });
      return ['render', '-i', join(d, 'inv.csv'), '-t', f, '-o', join(d, 'out')];
    },
  },
  {
    name: 'inspect --log --json',
    seeds: logs,
    dict: tokens(['"', '[', ']', ' 200 ', '?key=', '&pwd=', '\\"', '\\x00']),
    nest: [['"', '"']],
    file: 'access.log',
    args: (f) => ['inspect', '--log', f, '--json', '--all-clients'],
  },
  {
    name: 'fleet --log -o',
    seeds: logs,
    dict: tokens(['"', '[', ']', ' 200 ', ' 404 ', '?key=', '\\"']),
    nest: [['"', '"']],
    file: 'access.log',
    args: (f, d) => ['fleet', '--log', f, '-o', join(d, 'fleet.html')],
    output: 'fleet.html',
  },
  {
    name: 'encrypt --keys --out-dir',
    seeds: [keysCsv],
    dict: tokens(CSV_TOKENS),
    nest: [['"', '"']],
    file: 'keys.csv',
    args: (f, d) => {
      mkdirSync(join(d, 'in'), { recursive: true });
      writeFileSync(join(d, 'in', 'lobby.xml'), PROFILE);
      writeFileSync(join(d, 'in', 'sales.xml'), PROFILE);
      return ['encrypt', '--keys', f, '--out-dir', join(d, 'enc'), join(d, 'in'), '--json'];
    },
  },
];

/** Every problem with one run, empty when it passed the oracles. */
function judge(target: CliTarget, run: CliRun, ms: number, dir: string): string[] {
  const problems: string[] = [];
  const codes = target.codes ?? [0, 1, 2, 3];
  if (run.code === null || !codes.includes(run.code)) problems.push(`exit code ${run.code}`);
  if (ms > TIME_LIMIT_MS - 500) problems.push(`slow: ${ms.toFixed(0)} ms`);
  if (/^\s+at /m.test(run.stderr)) problems.push('stack frame on stderr');
  if (/unexpected failure/.test(run.stderr)) problems.push('unexpected failure');
  for (const line of run.stderr.split('\n')) {
    if (line === '' || line.startsWith('cisco-prov') || line.startsWith('  ')) continue;
    problems.push(`stderr line not ours: ${JSON.stringify(line.slice(0, 80))}`);
    break;
  }
  for (const s of SECRETS) {
    if (run.stderr.includes(s)) problems.push(`secret on stderr (${s.slice(0, 12)}…)`);
    if (!target.stdoutMaySeeSecrets && run.stdout.includes(s)) {
      problems.push(`secret on stdout (${s.slice(0, 12)}…)`);
    }
  }
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
    );
  const leftovers = walk(dir).filter((p) => /\.cp\.tmp|\.tmp-|\.partial/.test(p));
  if (leftovers.length > 0) problems.push(`temp files left: ${leftovers.join(', ')}`);
  if (target.output && run.code !== 0 && existsSync(join(dir, target.output))) {
    problems.push(`a failed run (exit ${run.code}) wrote ${target.output}`);
  }
  return problems;
}

let findings = 0;
/** A PRNG per target, so that a run narrowed to one target makes the same inputs. */
const rngFor = (name: string): Rng => {
  let h = seed;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return new Rng(h);
};
try {
  for (const target of targets) {
    if (filters.length > 0 && !filters.some((f) => target.name.includes(f))) continue;
    const rng = rngFor(target.name);
    let slowest: { ms: number; input: Uint8Array } = { ms: 0, input: new Uint8Array() };
    const seen = new Set<string>();
    const codes: Record<string, number> = {};
    let maxMs = 0;
    for (let i = 0; i < execs; i++) {
      const input =
        i < target.seeds.length
          ? (target.seeds[i] as Uint8Array)
          : mutate(rng, rng.pick(target.seeds), target.seeds, target.dict, target.nest, 128 * 1024);
      const dir = join(work, `run-${i}`);
      mkdirSync(dir);
      const file = join(dir, target.file);
      writeFileSync(file, input);
      const t0 = performance.now();
      const run = await runCli(target.args(file, dir), {
        stopAfterMs: TIME_LIMIT_MS,
      });
      const ms = performance.now() - t0;
      maxMs = Math.max(maxMs, ms);
      if (ms > slowest.ms) slowest = { ms, input };
      codes[String(run.code)] = (codes[String(run.code)] ?? 0) + 1;
      const problems = judge(target, run, ms, dir);
      for (const p of problems) {
        const kind = p.replace(/\d+/g, 'N');
        if (seen.has(kind)) continue;
        seen.add(kind);
        findings++;
        console.log(`  FINDING ${target.name}: ${p}\n    input: ${show(input)}`);
        console.log(`    stderr: ${JSON.stringify(run.stderr.slice(0, 400))}`);
        const out = process.env.FUZZ_OUT;
        if (out) {
          mkdirSync(out, { recursive: true });
          const saved = join(out, `cli-${target.name.replace(/[^A-Za-z0-9]+/g, '-')}-${findings}`);
          writeFileSync(saved, input);
          console.log(`    saved: ${saved}`);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
    if (process.env.FUZZ_OUT && slowest.ms > 5000) {
      const saved = join(
        process.env.FUZZ_OUT,
        `slowest-${target.name.replace(/[^A-Za-z0-9]+/g, '-')}`,
      );
      mkdirSync(process.env.FUZZ_OUT, { recursive: true });
      writeFileSync(saved, slowest.input);
      console.log(`  slowest input (${(slowest.ms / 1000).toFixed(1)} s wall) saved: ${saved}`);
    }
    console.log(
      `${target.name}: ${execs} runs, exit codes ${JSON.stringify(codes)}, max ${(maxMs / 1000).toFixed(1)} s`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(findings > 0 ? 1 : 0);
