/**
 * The in-process targets: every parser of untrusted input in the core, called on mutated real
 * seeds. Each says which errors it documents; anything else thrown is a finding.
 */
import {
  DecryptError,
  SizeLimitError,
  openProfile,
  sealProfile,
  describeContainer,
} from '../../src/crypto/index.js';
import { isDomainError } from '../../src/domain-errors.js';
import { parseUserAgent } from '../../src/device/user-agent.js';
import { parseAccessLogLine, summarizeAccessLog } from '../../src/device/access-log.js';
import { FleetTracker } from '../../src/device/fleet.js';
import { validateProfileBytes } from '../../src/validate/index.js';
import {
  ProfileFormatError,
  buildProfileXml,
  compareProfiles,
  parseProfileXml,
} from '../../src/profile/profile-map.js';
import { readProfileText, writeProfileText } from '../../src/profile/profile-formats.js';
import { parseCondition, parseRule } from '../../src/profile/rule.js';
import { expandRule } from '../../src/profile/rule-expand.js';
import { expandMacros, tokenizeMacros } from '../../src/profile/macros.js';
import { InventoryError, parseInventory } from '../../src/render/inventory.js';
import { parseVarsFile } from '../../src/render/variables.js';
import { isSecretVariablePath } from '../../src/profile/secrets.js';
import { decodeTextFile } from '../../src/render/decode-text.js';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';
import { parseSchedule } from '../../src/profile/resync.js';
import { parseAuthFile } from '../../src/serve/auth.js';
import { parseChallenges } from '../../src/io/http-auth.js';
import { originFormOf } from '../../src/serve/request-target.js';
import { isWellFormedXmlText } from '../../src/crypto/plaintext-check.js';
import { checkRenderedProfile } from '../../src/render/check.js';
import { render } from '../../src/render/batch.js';
import {
  CSV_TOKENS,
  JSON_TOKENS,
  LIQUID_TOKENS,
  ROOT,
  XML_TOKENS,
  YAML_TOKENS,
  corpusProfiles,
  errorText,
  filesUnder,
  latin,
  readSeed,
  tokens,
  utf8,
  type Target,
} from './lib.js';

/** Secrets planted in the seeds: no error message may carry one. */
export const PLANTED = {
  password: 'Pl4nted-Adm1n-Secret',
  sip: 'Pl4nted-S1p-Secret',
  key: 'Pl4nted-Pr0file-Key',
  ikm: 'Pl4nted-IKM-Secret',
};
const SECRET_VALUES = Object.values(PLANTED);

const decoder = new TextDecoder('utf-8', { fatal: false });
const text = (b: Uint8Array): string => decoder.decode(b);

/** The planted secret an error's text carries, if any. */
function plantedIn(t: string): string | undefined {
  return SECRET_VALUES.find((s) => t.includes(s));
}

/** A leak in an error: where (a problem's field) a planted secret shows, or undefined. */
function leakOf(err: unknown): string | undefined {
  const problems = (err as { problems?: unknown }).problems;
  if (Array.isArray(problems)) {
    for (const p of problems as { field?: string; where?: string; message: string }[]) {
      if (plantedIn(`${p.message} ${p.field ?? ''}`) === undefined) continue;
      // A secret moved by the mutation into a column not named as a secret is no secret.
      if (p.field !== undefined && !isSecretVariablePath(p.field)) continue;
      // Nor is one moved into a header: it names the field.
      if (p.field !== undefined && plantedIn(p.field) !== undefined) continue;
      return `problem field ${p.field ?? '(none)'} at ${p.where ?? ''}`;
    }
    return undefined;
  }
  if (plantedIn(errorText(err)) === undefined) return undefined;
  // A DomainError names its field: a secret in a field not named as a secret is no secret.
  const field = (err as { field?: string }).field;
  if (field !== undefined && (!isSecretVariablePath(field) || plantedIn(field))) return undefined;
  return `error text (field ${field ?? 'none'})`;
}

const profileSeeds = (): Uint8Array[] => [
  ...filesUnder('test/fixtures/profiles', (n) => n.endsWith('.xml')).map(readSeed),
  ...filesUnder('test/fixtures/drift', (n) => n.endsWith('.xml')).map(readSeed),
  ...filesUnder('test/fixtures/diff', (n) => n.endsWith('.xml')).map(readSeed),
  ...corpusProfiles().slice(0, 6),
  utf8(
    `<flat-profile>\n  <Admin_Passwd ua="na">${PLANTED.password}</Admin_Passwd>\n` +
      `  <Password_1_ ua="na">${PLANTED.sip}</Password_1_>\n` +
      `  <GPP_SA ua="na">${PLANTED.key}</GPP_SA>\n` +
      `  <IKM_HTTP_Encrypt_Content ua="na">${PLANTED.ikm}</IKM_HTTP_Encrypt_Content>\n` +
      `  <Profile_Rule ua="na">[--key $SA]https://prov.example.com/$MA.cfg</Profile_Rule>\n` +
      `</flat-profile>\n`,
  ),
];

const XML_NEST: [string, string][] = [
  ['<a>', '</a>'],
  ['<flat-profile>', '</flat-profile>'],
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
];

const isProfileError = (err: unknown): boolean => err instanceof ProfileFormatError;

function xmlTargets(): Target[] {
  const seeds = profileSeeds();
  const dict = tokens(XML_TOKENS);
  return [
    {
      name: 'validateProfileBytes',
      seeds,
      dict,
      nest: XML_NEST,
      run(input) {
        const diags = validateProfileBytes(input, { file: 'p.xml', model: '8841' });
        for (const d of diags) {
          for (const s of SECRET_VALUES) {
            if (d.message.includes(s) || (d.hint ?? '').includes(s)) {
              throw new Error(`planted secret in diagnostic ${d.ruleId}: ${d.message}`);
            }
          }
        }
      },
      expected: () => false,
    },
    {
      name: 'parseProfileXml+build round trip',
      seeds,
      dict,
      nest: XML_NEST,
      run(input) {
        const parsed = parseProfileXml(text(input));
        const again = parseProfileXml(buildProfileXml(parsed.parameters));
        const changes = compareProfiles(parsed.parameters, again.parameters);
        if (changes.length > 0) {
          throw new Error(
            `round trip changed ${changes.length}: ${JSON.stringify(changes[0]).slice(0, 200)}`,
          );
        }
      },
      expected: isProfileError,
    },
    {
      name: 'convert xml→json/yaml→xml',
      seeds,
      dict,
      nest: XML_NEST,
      run(input) {
        const parsed = readProfileText(text(input), 'xml');
        for (const notation of ['json', 'yaml'] as const) {
          const written = writeProfileText(parsed.parameters, notation);
          const back = readProfileText(written, notation);
          const changes = compareProfiles(parsed.parameters, back.parameters);
          if (changes.length > 0) {
            throw new Error(
              `${notation} round trip changed ${changes.length}: ${JSON.stringify(changes[0]).slice(0, 200)}`,
            );
          }
        }
      },
      expected: isProfileError,
    },
    {
      name: 'isWellFormedXmlText',
      seeds,
      dict,
      nest: XML_NEST,
      run(input) {
        isWellFormedXmlText(input);
      },
      expected: () => false,
    },
    {
      name: 'checkRenderedProfile',
      seeds,
      dict,
      nest: XML_NEST,
      run(input) {
        const diags = checkRenderedProfile(text(input), {
          file: '00562b043615.xml',
          model: '8841',
          encrypted: false,
        });
        const s = JSON.stringify(diags);
        for (const v of SECRET_VALUES) if (s.includes(v)) throw new Error('secret in render check');
      },
      expected: () => false,
    },
  ];
}

function profileNotationTargets(): Target[] {
  const xml = profileSeeds();
  const jsonSeeds = xml.flatMap((b) => {
    try {
      const p = readProfileText(text(b), 'xml');
      return [utf8(writeProfileText(p.parameters, 'json'))];
    } catch {
      return [];
    }
  });
  const yamlSeeds = xml.flatMap((b) => {
    try {
      const p = readProfileText(text(b), 'xml');
      return [utf8(writeProfileText(p.parameters, 'yaml'))];
    } catch {
      return [];
    }
  });
  return (
    [
      ['json', jsonSeeds, JSON_TOKENS, [['{"a":', '}'] as [string, string], ['[', ']']]],
      ['yaml', yamlSeeds, YAML_TOKENS, [['- ', ''] as [string, string], ['[', ']'], ['{a: ', '}']]],
    ] as const
  ).map(([notation, seeds, dict, nest]) => ({
    name: `readProfileText ${notation} + round trip`,
    seeds,
    dict: tokens(dict),
    nest: nest.map(([a, b]) => [a, b] as [string, string]),
    run(input: Uint8Array) {
      const parsed = readProfileText(text(input), notation);
      const back = readProfileText(writeProfileText(parsed.parameters, 'xml'), 'xml');
      const changes = compareProfiles(parsed.parameters, back.parameters);
      if (changes.length > 0) {
        throw new Error(`xml round trip changed: ${JSON.stringify(changes[0]).slice(0, 200)}`);
      }
    },
    expected: isProfileError,
  }));
}

const UA_SEEDS = [
  'Cisco/CP-8841-3PCC-11.3.7 (00562b043615)',
  'Cisco-CP-8851-3PCC/11.3.1 (0056.2b04.3616)',
  'Cisco/SPA504G-7.6.2 (00562b043617)(CBT123456)',
  'Cisco-ATA191-MPP/11.1.0 (00562B043618)',
  'Cisco/CP-7832-3PCC-11.3.7 (00562b043615)(FCH2147ABCD)',
  'Mozilla/5.0 (X11; Linux x86_64)',
  'Cisco/CP-6841-3PCC-12.0.1SR1 (5C:71:0D:00:11:22)',
  'Cisco/SPA122-1.4.1(SR5) (e0:5f:b9:00:00:01)',
  'Cisco/CP-9861-3PCC-11-3-7MPP-0001 (00562b043615)',
];

function deviceTargets(): Target[] {
  const logSeeds = filesUnder('test/fixtures', (n) => n.endsWith('.log')).map(readSeed);
  const logDict = tokens([
    ' "',
    '" ',
    '[',
    ']',
    '[01/Dec/2026:10:00:00 +0000]',
    '[31/Feb/9999:99:99:99 +9999]',
    '"GET /00562b043615.xml HTTP/1.1"',
    ' 200 ',
    ' 404 ',
    ' - ',
    '?key=' + PLANTED.key,
    '&pwd=' + PLANTED.password,
    ...UA_SEEDS.map((u) => `"${u}"`),
  ]);
  return [
    {
      name: 'parseUserAgent',
      seeds: UA_SEEDS.map(utf8),
      dict: tokens(['Cisco', '/', '-', '(', ')', 'CP-', '3PCC', 'MPP', 'SPA', 'ATA', ' ', '.']),
      nest: [['(', ')']],
      maxLength: 16 * 1024,
      run(input) {
        parseUserAgent(text(input));
      },
      expected: () => false,
    },
    {
      name: 'access log (lines, summary, fleet)',
      seeds: logSeeds,
      dict: logDict,
      nest: [['"', '"']],
      run(input) {
        const lines = text(input).split('\n');
        for (const line of lines) parseAccessLogLine(line);
        const summary = summarizeAccessLog(lines);
        const tracker = new FleetTracker();
        for (const line of lines) tracker.addLine(line);
        // Only a secret in a query value (`?key=…`) is masked; one moved into a path is none.
        const planted = SECRET_VALUES.filter((v) => text(input).includes(`=${v}`));
        const out =
          JSON.stringify(summary) +
          JSON.stringify(tracker.snapshot({ now: new Date(Date.UTC(2026, 11, 1)), source: 'log' }));
        for (const s of planted) {
          if (out.includes(s)) throw new Error(`planted secret in access-log summary`);
        }
      },
      expected: () => false,
    },
  ];
}

const RULE_SEEDS = [
  '($SWVER ne 1.0)? http://fw.example.com/$PN.loads | /$MA.cfg',
  '[--key $SA]https://prov.example.com/cfg/$MA.cfg',
  '( $MA eq 00562b043615 )! [--uid $SB --pwd $SC]https://u:p@prov:8443/$(MA:3).xml ; ($PN eq CP-8841-3PCC)! tftp://10.0.0.1/x.cfg',
  '[--post status --alias a]http://x/$MAU.xml',
  '$PRVTMR ge 600 and $SWVER lt 11.3.7',
  '( [--key ' + PLANTED.key + '] )? https://x/$MA.cfg',
  '[--key "' + PLANTED.key + '"]https://x/$MA.cfg',
  '(1 eq 1)? [--delay 10]http://x/$(PN)$(MAU:2:3)$$.cfg',
];
const MACRO_VALUES = {
  MA: '00562b043615',
  MAU: '00562B043615',
  PN: 'CP-8841-3PCC',
  SWVER: '11.3.7',
  SA: PLANTED.key,
  SB: PLANTED.password,
};

function ruleTargets(): Target[] {
  const seeds = RULE_SEEDS.map(utf8);
  const dict = tokens([
    '(',
    ')',
    ')?',
    ')!',
    '[',
    ']',
    '|',
    ';',
    '$',
    '$(',
    '$$',
    ' eq ',
    ' ne ',
    ' lt ',
    ' ge ',
    ' and ',
    ' or ',
    '--key ',
    '--uid ',
    '--pwd ',
    '--post ',
    '--alias ',
    '"',
    "'",
    '://',
    ':',
    '@',
    '%',
    '$MA',
    '$SA',
    '$(MA:99999999999)',
    '$(MA:-1:2)',
  ]);
  const nest: [string, string][] = [
    ['(', ')'],
    ['[', ']'],
    ['$(', ')'],
    ['( ( ', ' ) )?'],
  ];
  const ruleExpected = (err: unknown) => isDomainError(err);
  return [
    {
      name: 'parseRule/parseCondition',
      seeds,
      dict,
      nest,
      maxLength: 32 * 1024,
      run(input) {
        const t = text(input);
        const r = parseRule(t);
        parseRule(t, 'upgrade' as never);
        parseCondition(t);
        const s = JSON.stringify(r.errors);
        for (const v of SECRET_VALUES) if (s.includes(v)) throw new Error('secret in rule error');
      },
      expected: () => false,
    },
    {
      name: 'expandRule',
      seeds,
      dict,
      nest,
      maxLength: 32 * 1024,
      run(input) {
        const r = expandRule(text(input), MACRO_VALUES);
        const s = JSON.stringify(r.problems) + JSON.stringify(r.unexpanded);
        for (const v of SECRET_VALUES) if (s.includes(v)) throw new Error('secret in problems');
      },
      expected: ruleExpected,
    },
    {
      name: 'tokenizeMacros/expandMacros',
      seeds,
      dict,
      nest,
      maxLength: 32 * 1024,
      run(input) {
        const t = text(input);
        tokenizeMacros(t);
        expandMacros(t, MACRO_VALUES as never);
      },
      expected: ruleExpected,
    },
  ];
}

const isInventoryError = (err: unknown): boolean =>
  err instanceof InventoryError || isDomainError(err);

function inventoryTargets(): Target[] {
  const csv = readSeed('examples/inventory.csv');
  const yaml = readSeed('examples/inventory.yaml');
  const site = readSeed('examples/site.yaml');
  const planted = utf8(
    `mac,model,admin_password,lines.1.extension,lines.1.password,profile_key\n` +
      `00562b043615,8841,${PLANTED.password},201,${PLANTED.sip},${PLANTED.key}\n`,
  );
  const json = utf8(
    JSON.stringify({
      defaults: { admin_password: PLANTED.password },
      devices: [
        {
          mac: '00562b043615',
          model: '8841',
          lines: [{ extension: '201', password: PLANTED.sip }],
        },
      ],
    }),
  );
  return (
    [
      ['csv', [csv, planted], CSV_TOKENS, [['"', '"']]],
      [
        'json',
        [json],
        JSON_TOKENS,
        [
          ['[', ']'],
          ['{"a":', '}'],
        ],
      ],
      [
        'yaml',
        [yaml, site],
        YAML_TOKENS,
        [
          ['- ', ''],
          ['[', ']'],
          ['{a: ', '}'],
        ],
      ],
    ] as const
  ).map(([format, seeds, dict, nest]) => ({
    name: `parseInventory ${format} + parseVarsFile`,
    seeds: [...seeds],
    dict: tokens(dict),
    nest: nest.map(([a, b]) => [a, b] as [string, string]),
    run(input: Uint8Array) {
      const decoded = decodeTextFile(input);
      const t = typeof decoded === 'string' ? decoded : text(input);
      parseInventory(t, `inv.${format}`, format);
      if (format !== 'csv') {
        const r = parseVarsFile(t, `vars.${format}`);
        if (Array.isArray(r)) {
          const s = JSON.stringify(r);
          for (const v of SECRET_VALUES) if (s.includes(v)) throw new Error('secret in problem');
        }
      }
    },
    expected: isInventoryError,
  }));
}

function renderTargets(): Target[] {
  const templates = filesUnder('templates', (n) => n.endsWith('.liquid')).map(readSeed);
  const inventory =
    `mac,model,display_name,sip.proxy,admin_password,lines.1.extension,lines.1.password,profile_key,provisioning.server\n` +
    `00562b043615,CP-8841-3PCC,Rec,pbx.example.com,${PLANTED.password},201,${PLANTED.sip},${PLANTED.key},https://prov.example.com\n`;
  const isRenderError = (err: unknown) => isDomainError(err);
  return [
    {
      name: 'render (template text)',
      seeds: templates,
      dict: tokens(LIQUID_TOKENS),
      nest: [
        ['{% if x %}', '{% endif %}'],
        ['{% for i in (1..2) %}', '{% endfor %}'],
        ['{{ ', ' }}'],
        ['{% capture c %}', '{% endcapture %}'],
      ],
      maxLength: 64 * 1024,
      timeLimitMs: 3000,
      async run(input) {
        await render({
          cwd: ROOT,
          inventory: 'inv.csv',
          inventoryText: inventory,
          template: 'templates/fuzz.liquid',
          templateText: text(input),
          devices: ['00562b043615'],
        });
      },
      expected: isRenderError,
    },
    {
      name: 'render (inventory text)',
      seeds: [utf8(inventory), readSeed('examples/inventory.csv')],
      dict: tokens(CSV_TOKENS),
      nest: [['"', '"']],
      maxLength: 64 * 1024,
      timeLimitMs: 3000,
      async run(input) {
        await render({
          cwd: ROOT,
          inventory: 'inv.csv',
          inventoryText: text(input),
          template: 'templates',
          devices: ['00562b043615'],
        });
      },
      expected: isRenderError,
    },
  ];
}

const IKM = utf8(PLANTED.ikm);
const PROFILE = readSeed('test/fixtures/profiles/good/full.xml');

function cryptoTargets(): Target[] {
  const sealed = [
    sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PLANTED.key }),
    sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PLANTED.key, gzip: true }),
    sealProfile(PROFILE, { cipher: 'aes-256-cbc', passphrase: PLANTED.key, base64: true }),
    sealProfile(PROFILE, { cipher: 'aes128gcm', ikm: IKM, rs: 64 }),
    sealProfile(PROFILE, { cipher: 'aes128gcm', ikm: IKM, gzip: true }),
  ];
  const expected = (err: unknown) =>
    (err instanceof DecryptError && err.message === 'bad decrypt') || err instanceof SizeLimitError;
  return [
    {
      name: 'openProfile (mutated ciphertexts)',
      seeds: sealed,
      dict: tokens(['Salted__', 'U2FsdGVkX1', '\x1f\x8b\x08\x00', '<?xml', '=', '\n']),
      nest: [],
      run(input) {
        describeContainer(input);
        let opened: Uint8Array | undefined;
        try {
          opened = openProfile(input, { passphrase: PLANTED.key, ikm: IKM }).plaintext;
        } catch (err) {
          if (!expected(err)) throw err;
        }
        // A GCM file that opens must be the profile (tampering detected); a CBC file can in
        // principle open to other well-formed XML, which the check below would flag for review.
        if (opened !== undefined && Buffer.compare(opened, PROFILE) !== 0) {
          const sealedSeed = sealed.some((s) => Buffer.compare(s, input) === 0);
          if (!sealedSeed)
            throw new Error(`a changed ciphertext opened: ${latin(opened).slice(0, 80)}`);
        }
      },
      expected,
    },
  ];
}

function miscTargets(): Target[] {
  const catalog = readSeed('test/fixtures/profiles/catalog.json');
  return [
    {
      name: 'parseCatalogJson',
      seeds: [catalog],
      dict: tokens(JSON_TOKENS),
      nest: [
        ['[', ']'],
        ['{"a":', '}'],
      ],
      run(input) {
        parseCatalogJson(text(input), 'catalog.json');
      },
      expected: (err) => isDomainError(err) || err instanceof ProfileFormatError,
    },
    {
      name: 'parseSchedule',
      seeds: ['30,60,120+30,600', '7200+3600', '0', '1,2,3,4,5,6,7,8'].map(utf8),
      dict: tokens([',', '+', '-', '0', '9999999999999', ' ', '.5']),
      nest: [],
      maxLength: 8192,
      run(input) {
        parseSchedule(text(input));
      },
      expected: (err) => isDomainError(err),
    },
    {
      name: 'serve auth file + challenges + request target',
      seeds: [
        utf8(`admin:${PLANTED.password}\nphone:${PLANTED.sip}\n`),
        utf8(
          'Digest realm="x", nonce="abc", qop="auth,auth-int", algorithm=SHA-256, opaque="o", stale=true\nBasic realm="y"',
        ),
        utf8('/00562b043615.xml?x=1#f'),
        utf8('http://a:b@host:80/p/../../etc/passwd'),
      ],
      dict: tokens([
        ':',
        '\n',
        '"',
        ',',
        '=',
        '%2e%2e/',
        '//',
        '?',
        '#',
        '\\',
        'Digest ',
        'Basic ',
      ]),
      nest: [['"', '"']],
      maxLength: 16 * 1024,
      run(input) {
        const t = text(input);
        const auth = parseAuthFile(t, 'auth.txt');
        if ('error' in auth) {
          for (const v of SECRET_VALUES) {
            if (auth.error.includes(v)) throw new Error('secret in auth file error');
          }
        }
        parseChallenges(t.split('\n'));
        originFormOf(t);
      },
      expected: (err) => isDomainError(err),
    },
  ];
}

export function coreTargets(): Target[] {
  const targets = [
    ...xmlTargets(),
    ...profileNotationTargets(),
    ...deviceTargets(),
    ...ruleTargets(),
    ...inventoryTargets(),
    ...renderTargets(),
    ...cryptoTargets(),
    ...miscTargets(),
  ];
  return targets.map((t) => ({ leak: leakOf, ...t }));
}
