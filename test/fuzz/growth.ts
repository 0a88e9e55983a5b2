/**
 * Growth driver: time at n against 2n (CPU, best of rounds, test/helpers/timing.ts) for the
 * shapes an attacker would repeat — many parameters, attributes, entities, rows, columns,
 * quotes, parentheses, `$(`, log escapes, User-Agent parentheses — in every core parser. A
 * ratio above 3 in every round at every size is super-linear and a finding.
 * Usage: node --import tsx test/fuzz/growth.ts [shape-substring…]
 */
import { assertLinear } from '../helpers/timing.js';
import { parseUserAgent } from '../../src/device/user-agent.js';
import { parseAccessLogLine, summarizeAccessLog } from '../../src/device/access-log.js';
import { validateProfileBytes } from '../../src/validate/index.js';
import { parseProfileXml } from '../../src/profile/profile-map.js';
import { readProfileText } from '../../src/profile/profile-formats.js';
import { parseRule } from '../../src/profile/rule.js';
import { expandMacros } from '../../src/profile/macros.js';
import { parseInventory } from '../../src/render/inventory.js';
import { parseVarsFile } from '../../src/render/variables.js';
import { isWellFormedXmlText } from '../../src/crypto/plaintext-check.js';
import { parseAuthFile } from '../../src/serve/auth.js';
import { parseChallenges } from '../../src/io/http-auth.js';
import { parseSchedule } from '../../src/profile/resync.js';
import { utf8 } from './lib.js';

const filters = process.argv.slice(2);
const quiet = (f: () => unknown) => () => {
  try {
    f();
  } catch {
    // the error path's time counts as well
  }
};
const flat = (body: string) => `<flat-profile>${body}</flat-profile>`;
const rep = (s: string, n: number) => s.repeat(n);
const MA = { MA: '00562b043615', PN: 'CP-8841-3PCC' };

type Shape = [name: string, n: number, make: (n: number) => string, run: (t: string) => void];
const shapes: Shape[] = [
  // Profiles: parseProfileXml (diff/convert/drift/fetch), validate, the CBC plaintext check.
  [
    'xml: n parameters',
    2000,
    (n) => flat(rep('<Station_Name>x</Station_Name>', n)),
    parseProfileXml,
  ],
  [
    'xml: n attributes',
    2000,
    (n) => flat(`<A ${Array.from({ length: n }, (_, i) => `a${i}="1"`).join(' ')}>x</A>`),
    parseProfileXml,
  ],
  [
    'xml: n entities in a value',
    5000,
    (n) => flat(`<A>${rep('&amp;&#65;&#x42;', n)}</A>`),
    parseProfileXml,
  ],
  ['xml: n PIs in a value', 2000, (n) => flat(`<A>${rep('x<?p "?>', n)}</A>`), parseProfileXml],
  ['xml: n comments', 2000, (n) => flat(rep('<!-- c --><A>1</A>', n)), parseProfileXml],
  ['xml: n CDATA', 2000, (n) => flat(`<A>${rep('<![CDATA[x]]>', n)}</A>`), parseProfileXml],
  ['xml: n nested (refused)', 2000, (n) => flat(rep('<a>', n) + rep('</a>', n)), parseProfileXml],
  [
    'validate: n duplicates',
    2000,
    (n) => flat(rep('<Station_Name ua="na">x</Station_Name>', n)),
    (t) => validateProfileBytes(utf8(t), { file: 'p' }),
  ],
  [
    'validate: n bad ua',
    2000,
    (n) => flat(rep('<Station_Name ua="xx">x</Station_Name>', n)),
    (t) => validateProfileBytes(utf8(t), { file: 'p' }),
  ],
  [
    'validate: n nested',
    2000,
    (n) => flat(`<A>${rep('<a>', n)}${rep('</a>', n)}</A>`),
    (t) => validateProfileBytes(utf8(t), { file: 'p' }),
  ],
  [
    'validate: n unclosed',
    2000,
    (n) => flat(rep('<a>', n)),
    (t) => validateProfileBytes(utf8(t), { file: 'p' }),
  ],
  [
    'validate: n leftovers',
    2000,
    (n) => flat(`<Station_Name>${rep('{{ x }}', n)}</Station_Name>`),
    (t) => validateProfileBytes(utf8(t), { file: 'p' }),
  ],
  [
    'validate: rule with n alternatives',
    500,
    (n) => flat(`<Profile_Rule>${rep('($MA eq 1)? http://x/$MA.cfg | ', n)}/x</Profile_Rule>`),
    (t) => validateProfileBytes(utf8(t), { file: 'p' }),
  ],
  [
    'plaintext check: n nested',
    2000,
    (n) => flat(rep('<a>', n) + rep('</a>', n)),
    (t) => isWellFormedXmlText(utf8(t)),
  ],
  [
    'plaintext check: n attributes',
    2000,
    (n) => flat(`<A ${Array.from({ length: n }, (_, i) => `a${i}="1"`).join(' ')}/>`),
    (t) => isWellFormedXmlText(utf8(t)),
  ],
  [
    'json profile: n keys',
    2000,
    (n) =>
      JSON.stringify(
        Object.fromEntries(Array.from({ length: n }, (_, i) => [`P_${i}_`, { value: 'x' }])),
      ),
    (t) => readProfileText(t, 'json'),
  ],
  [
    'yaml profile: n keys',
    2000,
    (n) => Array.from({ length: n }, (_, i) => `P_${i}_: x\n`).join(''),
    (t) => readProfileText(t, 'yaml'),
  ],
  [
    'yaml profile: n tags',
    1000,
    (n) => Array.from({ length: n }, (_, i) => `P_${i}_: !t x\n`).join(''),
    (t) => readProfileText(t, 'yaml'),
  ],
  // Inventories and vars.
  [
    'csv: n rows',
    1000,
    (n) =>
      'mac,model\n' +
      Array.from({ length: n }, (_, i) => `0056${i.toString(16).padStart(8, '0')},8841\n`).join(''),
    (t) => parseInventory(t, 'i.csv', 'csv'),
  ],
  [
    'csv: n columns',
    1000,
    (n) =>
      `mac,model,${Array.from({ length: n }, (_, i) => `x${i}`).join(',')}\n00562b043615,8841,${rep('v,', n)}\n`,
    (t) => parseInventory(t, 'i.csv', 'csv'),
  ],
  [
    'csv: n quotes in a cell',
    5000,
    (n) => `mac,model,x\n00562b043615,8841,"${rep('""', n)}"\n`,
    (t) => parseInventory(t, 'i.csv', 'csv'),
  ],
  [
    'csv: n dots in a header',
    2000,
    (n) => `mac,model,${rep('a.', n)}b\n00562b043615,8841,1\n`,
    (t) => parseInventory(t, 'i.csv', 'csv'),
  ],
  [
    'csv: n duplicate MACs',
    1000,
    (n) => 'mac,model\n' + rep('00562b043615,8841\n', n),
    (t) => parseInventory(t, 'i.csv', 'csv'),
  ],
  [
    'json inventory: n devices',
    1000,
    (n) =>
      JSON.stringify({
        devices: Array.from({ length: n }, (_, i) => ({
          mac: `0056${i.toString(16).padStart(8, '0')}`,
          model: '8841',
        })),
      }),
    (t) => parseInventory(t, 'i.json', 'json'),
  ],
  [
    'yaml inventory: n devices',
    500,
    (n) =>
      'devices:\n' +
      Array.from(
        { length: n },
        (_, i) => `  - mac: 0056${i.toString(16).padStart(8, '0')}\n    model: 8841\n`,
      ).join(''),
    (t) => parseInventory(t, 'i.yaml', 'yaml'),
  ],
  [
    'yaml vars: n aliases',
    500,
    (n) => `a: &a x\n${Array.from({ length: n }, (_, i) => `k${i}: *a\n`).join('')}`,
    (t) => parseVarsFile(t, 'v.yaml'),
  ],
  [
    'yaml vars: n flow keys (overflow)',
    2000,
    (n) => `x: { p: ${rep('b: ', n)}}\n`,
    (t) => parseVarsFile(t, 'v.yaml'),
  ],
  // User-Agents, logs.
  [
    'UA: n parentheses',
    5000,
    (n) => `Cisco/CP-8841-3PCC-11.3.7 ${rep('(', n)}00562b043615${rep(')', n)}`,
    (t) => parseUserAgent(t),
  ],
  [
    'UA: n dashes',
    5000,
    (n) => `Cisco/CP-${rep('8841-', n)}3PCC (00562b043615)`,
    (t) => parseUserAgent(t),
  ],
  ['UA: n slashes', 5000, (n) => `Cisco${rep('/x', n)} (00562b043615)`, (t) => parseUserAgent(t)],
  [
    'log: n escapes in a field',
    5000,
    (n) =>
      `1.2.3.4 - - [01/Dec/2026:10:00:00 +0000] "GET /${rep('\\"', n)} HTTP/1.1" 200 1 "-" "Cisco/CP-8841-3PCC-11.3.7 (00562b043615)"`,
    (t) => parseAccessLogLine(t),
  ],
  [
    'log: n quotes unbalanced',
    5000,
    (n) => `1.2.3.4 - - [01/Dec/2026:10:00:00 +0000] ${rep('"a ', n)}`,
    (t) => parseAccessLogLine(t),
  ],
  [
    'log: n brackets',
    5000,
    (n) => `1.2.3.4 - - ${rep('[', n)} "GET / HTTP/1.1" 200 1`,
    (t) => parseAccessLogLine(t),
  ],
  [
    'log: n query params',
    2000,
    (n) =>
      `1.2.3.4 - - [01/Dec/2026:10:00:00 +0000] "GET /a.xml?${rep('key=s&', n)} HTTP/1.1" 200 1 "-" "Cisco/CP-8841-3PCC-11.3.7 (00562b043615)"`,
    (t) => summarizeAccessLog([t]),
  ],
  // Rules and macros.
  [
    'rule: n alternatives',
    1000,
    (n) => rep('($MA eq 1)? http://x/$MA.cfg | ', n) + '/x',
    (t) => parseRule(t),
  ],
  [
    'rule: n parentheses',
    2000,
    (n) => `${rep('(', n)}$MA eq 1${rep(')', n)}? /x`,
    (t) => parseRule(t),
  ],
  ['rule: n $(', 2000, (n) => `http://x/${rep('$(', n)}`, (t) => parseRule(t)],
  ['rule: n options', 1000, (n) => `[${rep('--key a ', n)}]http://x/`, (t) => parseRule(t)],
  ['rule: n brackets', 2000, (n) => `${rep('[', n)}http://x/`, (t) => parseRule(t)],
  ['rule: n and', 1000, (n) => `(${rep('$MA eq 1 and ', n)}$MA eq 1)? /x`, (t) => parseRule(t)],
  ['macros: n $', 5000, (n) => rep('$', n) + 'MA', (t) => expandMacros(t, MA as never)],
  ['macros: n $(MA:', 2000, (n) => rep('$(MA:', n), (t) => expandMacros(t, MA as never)],
  // serve's inputs.
  [
    'auth file: n users',
    2000,
    (n) => Array.from({ length: n }, (_, i) => `u${i}:p${i}\n`).join(''),
    (t) => parseAuthFile(t, 'a'),
  ],
  [
    'challenge: n params',
    2000,
    (n) => `Digest realm="x", ${Array.from({ length: n }, (_, i) => `p${i}="v"`).join(', ')}`,
    (t) => parseChallenges([t]),
  ],
  [
    'challenge: n quotes',
    5000,
    (n) => `Digest realm="${rep('\\"', n)}"`,
    (t) => parseChallenges([t]),
  ],
  ['schedule: n steps', 2000, (n) => rep('30,', n) + '30', (t) => parseSchedule(t)],
];

let failed = 0;
for (const [name, n, make, run] of shapes) {
  if (filters.length > 0 && !filters.some((f) => name.includes(f))) continue;
  // A ratio above 3 at a few ms can be GC or a neighbour's load (this box is shared): a
  // failing shape is measured again from 16n, where quadratic work takes seconds.
  let last = '';
  for (const start of [n, n * 16]) {
    try {
      const r = assertLinear(name, make, (t) => quiet(() => run(t))(), start);
      console.log(
        `${name}: n=${r.n} ${r.msAtN.toFixed(1)} ms, 2n ${r.msAt2n.toFixed(1)} ms (ratio ${r.ratio.toFixed(2)})`,
      );
      last = '';
      break;
    } catch (err) {
      last = (err as Error).message.split('\n')[0] ?? '';
    }
  }
  if (last !== '') {
    failed++;
    console.log(`  FINDING ${last}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
