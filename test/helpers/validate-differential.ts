/**
 * Inputs for the validator's differential test (test/unit/validate-differential.test.ts): every
 * profile-like file of the repository, the export corpus built into profiles, and generated
 * inputs that break each rule and each well-formedness check — plus every prefix (truncation) of
 * a few small profiles and single-character insertions into them, which reach every error path
 * of the scanner. The expected results (test/fixtures/validate-differential/expected.json) were
 * recorded from the tree-building scanner before the offsets-only one replaced it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileOf, type CorpusExport } from '../corpus/corpus.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface DifferentialInput {
  name: string;
  bytes: Uint8Array;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(xml|cfg|liquid)$/.test(entry)) out.push(path);
  }
}

const SMALL_PROFILE = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!-- a comment -->',
  '<flat-profile>',
  '  <Station_Name ua="na">Desk &amp; 1</Station_Name>',
  "  <Primary_DNS ua='rw'>10.0.0.1</Primary_DNS>",
  '  <Profile_Rule ua="na">[--key secret] https://prov.example.com/$MA.xml</Profile_Rule>',
  '  <Resync_Trigger_1> $UPGTMR gt 10</Resync_Trigger_1>',
  '  <User_ID_1_ ua="xx"> 1001 </User_ID_1_>',
  '  <Line_Enable_9_>Yes</Line_Enable_9_>',
  '  <Unknwon_Parameter>x</Unknwon_Parameter>',
  '  <Display_Name_1_><![CDATA[A <b> ]]>tail</Display_Name_1_>',
  '  <Text_Logo/>',
  '</flat-profile>',
  '',
].join('\n');

const ATA_PROFILE = [
  '<flat-profile>',
  '  <Primary_DNS>10.0.0.1</Primary_DNS>',
  '  <router-configuration>',
  '    <Basic_Setup><Host_Name>ata</Host_Name><Domain>{{ domain }}</Domain></Basic_Setup>',
  '    <Unknown_Leaf>1</Unknown_Leaf>',
  '  </router-configuration>',
  '</flat-profile>',
  '',
].join('\n');

const WRAPPED =
  '<device>\n <flat-profile>\n  <Admin_Passwd>secret</Admin_Passwd>\n </flat-profile>\n</device>\n';

/** Generated inputs, each aimed at a rule or a well-formedness check. */
const GENERATED: Record<string, string> = {
  'unclosed-comment': '<flat-profile><!-- never closed <A>1</A></flat-profile>',
  'double-dash-comment': '<flat-profile><!-- a -- b --><A>1</A></flat-profile>',
  'bad-entity': '<flat-profile><Station_Name>a &foo; b</Station_Name></flat-profile>',
  'bare-ampersand': '<flat-profile><Station_Name>a & b</Station_Name></flat-profile>',
  'char-refs': '<flat-profile><Station_Name>&#65;&#x42;&#x1F600;&#0;</Station_Name></flat-profile>',
  'char-refs-ok':
    '<flat-profile><Station_Name>&#65;&#x42;&#x1F600;x&lt;&gt;&apos;&quot;</Station_Name></flat-profile>',
  'bad-char-ref': '<flat-profile><Station_Name>&#xZZ;</Station_Name></flat-profile>',
  'long-ref': `<flat-profile><Station_Name>&${'a'.repeat(40)};</Station_Name></flat-profile>`,
  'mismatched-tags': '<flat-profile>\n<A>1</B>\n</flat-profile>',
  'end-without-start': '</flat-profile>',
  'malformed-end': '<flat-profile><A>1</A </flat-profile>',
  'end-tag-space': '<flat-profile><A>1</A  ></flat-profile >',
  bom: '\ufeff<flat-profile><Station_Name>A</Station_Name></flat-profile>',
  'bom-twice': '\ufeff\ufeff<flat-profile/>',
  crlf: '<flat-profile>\r\n  <Station_Name>A\r\nB</Station_Name>\r\n  <Text_Logo>  x </Text_Logo>\r\n</flat-profile>\r\n',
  'lone-cr': '<flat-profile>\r<Station_Name>A\rB &amp; C</Station_Name>\r</flat-profile>',
  'attr-crlf': '<flat-profile><Station_Name ua="n\r\na">A</Station_Name></flat-profile>',
  'attr-tab': '<flat-profile><Station_Name ua="\tna">A</Station_Name></flat-profile>',
  'attr-entity': '<flat-profile><Station_Name ua="&#110;a">A</Station_Name></flat-profile>',
  'attr-bad-entity': '<flat-profile><Station_Name ua="&nope;">A</Station_Name></flat-profile>',
  'attr-lt': '<flat-profile><Station_Name ua="<">A</Station_Name></flat-profile>',
  'attr-unquoted': '<flat-profile><Station_Name ua=na>A</Station_Name></flat-profile>',
  'attr-unclosed': '<flat-profile><Station_Name ua="na>A</Station_Name></flat-profile>',
  'attr-no-equals': '<flat-profile><Station_Name ua "na">A</Station_Name></flat-profile>',
  'attr-repeated': '<flat-profile><Station_Name ua="na" ua="ro">A</Station_Name></flat-profile>',
  'attr-many-repeated': `<flat-profile><A ${Array.from({ length: 12 }, (_, i) => `a${i}="1"`).join(' ')} a3="2">1</A></flat-profile>`,
  'attr-no-space': '<flat-profile><A x="1"y="2">1</A></flat-profile>',
  'attr-bad-name': '<flat-profile><A 1x="1">1</A></flat-profile>',
  'slash-no-gt': '<flat-profile><A/ ></flat-profile>',
  'start-unclosed': '<flat-profile><A',
  'ua-values':
    '<flat-profile><Station_Name ua="RW">A</Station_Name><Primary_DNS ua=" na ">1.1.1.1</Primary_DNS><Text_Logo ua="">x</Text_Logo></flat-profile>',
  'non-utf8': '<flat-profile><Station_Name>caf\u00e9</Station_Name></flat-profile>',
  'non-ascii':
    '<flat-profile><Station_Name>caf\u00e9 \u202e</Station_Name><Admin_Passwd>p\u00e4ss</Admin_Passwd></flat-profile>',
  astral: '<flat-profile><Station_Name>\ud83d\ude00</Station_Name></flat-profile>',
  'lone-surrogate': '<flat-profile><Station_Name>\ud83d</Station_Name></flat-profile>',
  'control-char': '<flat-profile><Station_Name>a\u0001b</Station_Name></flat-profile>',
  fffe: '<flat-profile><Station_Name>a\ufffeb</Station_Name></flat-profile>',
  'huge-value': `<flat-profile><Station_Name>${'x'.repeat(70_000)}</Station_Name><Text_Logo> ${'y '.repeat(5_000)}</Text_Logo></flat-profile>`,
  'template-leftovers':
    '<flat-profile>\n<!-- {{ in a comment }} -->\n<Station_Name>{{ name }} {{ x }}</Station_Name>\n<A>{% if %}</A><B>{# c #}</B><C>{#</C>\n<D>{ {</D>\n</flat-profile>',
  'template-in-attr': '<flat-profile><Station_Name ua="{{ ua }}">A</Station_Name></flat-profile>',
  duplicates:
    '<flat-profile>\n<Station_Name>A</Station_Name>\n<Primary_DNS>1.1.1.1</Primary_DNS>\n<Station_Name>B</Station_Name>\n<Station_Name>C</Station_Name>\n<Primary_DNS>2.2.2.2</Primary_DNS>\n</flat-profile>',
  'nested-parameters':
    '<flat-profile><Station_Name><b>x</b>y<c/></Station_Name><Text_Logo>a<flat-profile>z</flat-profile></Text_Logo></flat-profile>',
  'nested-flat-profiles':
    '<x><flat-profile><A>1</A></flat-profile><flat-profile><A>2</A></flat-profile></x>',
  'no-flat-profile': '<device><Station_Name>A</Station_Name></device>',
  'self-closing-root': '<flat-profile/>',
  'two-roots': '<flat-profile/><flat-profile/>',
  'text-before-root': 'x<flat-profile/>',
  'text-after-root': '<flat-profile/>x',
  'no-root': '<?xml version="1.0"?>\n<!-- c -->\n',
  empty: '',
  'whitespace-only': ' \n\t',
  'xml-decl-late': '<flat-profile/>\n<?xml version="1.0"?>',
  'pi-unclosed': '<?xml version="1.0"',
  'pi-no-name': '<? x?><flat-profile/>',
  'pi-inside': '<flat-profile><?php x ?><A>1</A></flat-profile>',
  doctype: '<!DOCTYPE flat-profile><flat-profile/>',
  'bang-other': '<flat-profile><!FOO></flat-profile>',
  'cdata-outside': '<![CDATA[x]]><flat-profile/>',
  'cdata-unclosed': '<flat-profile><A><![CDATA[x</A></flat-profile>',
  'cdata-end-in-text': '<flat-profile><A>a ]]> b</A></flat-profile>',
  'cdata-mixed':
    '<flat-profile><Station_Name>a<![CDATA[ &b; ]]>c<!-- d -->e&amp;</Station_Name><Text_Logo>\r\n<![CDATA[\r\nq]]></Text_Logo></flat-profile>',
  'comment-in-value': '<flat-profile><Station_Name>a<!-- x -->b  </Station_Name></flat-profile>',
  'lt-in-text': '<flat-profile><A>a < b</A></flat-profile>',
  'bad-element-name': '<flat-profile><1A>x</1A></flat-profile>',
  'non-ascii-names':
    '<flat-profile><Stati\u00f3n>x</Stati\u00f3n><\u00e9\u0300>y</\u00e9\u0300></flat-profile>',
  'router-on-desk': ATA_PROFILE,
  'whitespace-values':
    '<flat-profile>\n<Station_Name>   </Station_Name>\n<Text_Logo> a</Text_Logo>\n<Primary_DNS>1.1.1.1 </Primary_DNS>\n<Display_Name_1_>a\nb</Display_Name_1_>\n<User_ID_1_>\n</User_ID_1_>\n</flat-profile>',
  rules:
    '<flat-profile>\n<Profile_Rule>  ($PN eq)? https://x/$MA.xml</Profile_Rule>\n<Upgrade_Rule>[--pwd abc] http://x/f.loads</Upgrade_Rule>\n<Report_Rule>[--key $SA] http://x/r</Report_Rule>\n<Resync_Trigger_2>($UPGTMR gt 10)</Resync_Trigger_2>\n<Profile_Rule_B>[--key $(SB)] tftp://x/y</Profile_Rule_B>\n</flat-profile>',
  capacity:
    '<flat-profile><Line_Enable_17_>Yes</Line_Enable_17_><Extension_3_>1</Extension_3_><Unit_1_Key_1_>x</Unit_1_Key_1_></flat-profile>',
  aliases: '<flat-profile><Report_to_Server>x</Report_to_Server></flat-profile>',
  'many-unknown': `<flat-profile>${Array.from({ length: 150 }, (_, i) => `<Unknown_${i}_Parameter>x</Unknown_${i}_Parameter>`).join('')}</flat-profile>`,
};

function mutate(base: string, name: string, out: DifferentialInput[]): void {
  const encode = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
  // Every prefix: reaches the "never closed" and "not closed" paths at every kind of token.
  for (let end = 0; end < base.length; end += 3) {
    out.push({ name: `${name}/prefix-${end}`, bytes: encode(base.slice(0, end)) });
  }
  const inserts = ['<', '&', '>', '"', "'", '/', '\r', ']]>', '&#1;', '\u0007', '{{', '-->', 'é'];
  for (let at = 0; at < base.length; at += 7) {
    const insert = inserts[(at / 7) % inserts.length] as string;
    out.push({
      name: `${name}/insert-${at}`,
      bytes: encode(base.slice(0, at) + insert + base.slice(at)),
    });
  }
}

/** Every input, in a fixed order, with a unique name. */
export function differentialInputs(): DifferentialInput[] {
  const out: DifferentialInput[] = [];
  const files: string[] = [];
  for (const dir of ['test/fixtures', 'test/golden', 'templates', 'examples']) {
    walk(join(ROOT, dir), files);
  }
  for (const path of files) {
    out.push({ name: relative(ROOT, path), bytes: new Uint8Array(readFileSync(path)) });
  }
  const corpusDir = join(ROOT, 'test/corpus/exports');
  for (const entry of readdirSync(corpusDir).sort()) {
    if (!entry.endsWith('.json')) continue;
    const corpus = JSON.parse(readFileSync(join(corpusDir, entry), 'utf8')) as CorpusExport;
    out.push({ name: `corpus/${entry}`, bytes: new Uint8Array(Buffer.from(profileOf(corpus))) });
  }
  for (const [name, text] of Object.entries(GENERATED)) {
    out.push({ name: `generated/${name}`, bytes: new Uint8Array(Buffer.from(text, 'utf8')) });
  }
  out.push({
    name: 'generated/latin1',
    bytes: new Uint8Array(Buffer.from('<flat-profile><A>caf\u00e9</A></flat-profile>', 'latin1')),
  });
  out.push({
    name: 'generated/truncated-utf8',
    bytes: new Uint8Array([...Buffer.from('<flat-profile><A>\n1'), 0xe2, 0x82]),
  });
  mutate(SMALL_PROFILE, 'small', out);
  mutate(ATA_PROFILE, 'ata', out);
  mutate(WRAPPED, 'wrapped', out);
  mutate(GENERATED['cdata-mixed'] as string, 'cdata', out);
  mutate(GENERATED['crlf'] as string, 'crlf', out);
  return out;
}

/** The option sets each input is validated with. */
export const OPTION_SETS: {
  label: string;
  model?: string;
  encrypted?: boolean;
  ignoreRules?: string[];
}[] = [
  { label: 'plain' },
  { label: '8841', model: '8841' },
  { label: 'ata191', model: 'ATA191', encrypted: true },
  { label: '7811-ignore', model: '7811', ignoreRules: ['unknown-parameter', 'xml-well-formed'] },
];

/** A short digest of a result, for the expected file. */
export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
