/**
 * The export corpus (test/corpus/): name/value lists of real phones' cfg.xml exports, built
 * back into profiles and validated with the built-in catalog, per family with its --model and
 * without one. Then the real mistakes of public templates that must still be caught.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryTypeOn, lookupParameter } from '../../src/profile/catalog.js';
import { checkValue } from '../../src/profile/catalog-values.js';
import { DEFAULT_CATALOG } from '../../src/profile/catalog-data/index.js';
import { isSecretParameter } from '../../src/profile/secrets.js';
import { validateProfileText, type Diagnostic } from '../../src/validate/index.js';
import {
  measureExport,
  profileOf,
  type CorpusExport,
  type FirstMeasure,
} from '../corpus/corpus.js';

const DIR = fileURLToPath(new URL('../corpus/exports/', import.meta.url));
const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as CorpusExport);
const FIRST_MEASURES = JSON.parse(
  readFileSync(fileURLToPath(new URL('../corpus/first-measures.json', import.meta.url)), 'utf8'),
) as Record<string, FirstMeasure>;

/** A model of each family, for exports that name none (the Wazo template, the report). */
const FAMILY_MODEL: Record<string, string> = {
  '6800': '6851',
  '7800': '7841',
  '8800': '8851',
  '9800': '9861',
  ATA190: 'ATA191',
};

/**
 * Share of distinct names known in each held-out export when the catalog was last measured
 * (bench/RESULTS-catalog.md, "Fifth round"): the catalog may only grow past these.
 */
const HELD_OUT_FLOOR: Record<string, number> = {
  'apfelwurm-report': 0.987, // 1,090/1,104
  'fusionpbx-8851-factory': 0.994, // 1,930/1,940
  'fusionpbx-8861-2019': 1, // 1,486/1,486
  'fusionpbx-9861-export': 0.996, // 2,972/2,982
  'jthop-8832-export': 1, // 577/577
  'fusionpbx-ata192': 0.996, // 797/800
  'wazo-mpp-11-3-1': 0.96, // 48/50
};

test('the corpus holds tuning and held-out exports of every family it claims', () => {
  const families = (set: string): string[] =>
    [...new Set(corpus.filter((c) => c.set === set).map((c) => c.family))].sort();
  assert.deepEqual(families('tuning'), ['8800', '9800', 'ATA190']);
  assert.deepEqual(families('held-out'), ['7800', '8800', '8832', '9800', 'ATA190']);
  for (const c of corpus) {
    assert.match(c.source.commit, /^[0-9a-f]{40}$/, c.id);
    assert.ok(c.parameters.length >= 40, c.id);
  }
});

for (const c of corpus.filter((x) => x.set === 'tuning')) {
  const model = c.model ?? FAMILY_MODEL[c.family];
  for (const withModel of [model, undefined]) {
    test(`tuning export ${c.id} (${withModel ? `--model ${withModel}` : 'no model'}): every name known, no false error`, () => {
      const m = measureExport(c, withModel);
      assert.deepEqual(m.unknown, [], 'unknown names');
      assert.deepEqual(m.valueErrors, [], 'value errors');
      assert.deepEqual(m.otherErrors, [], 'other errors');
      // Its own family has every name it exports.
      const family = m.diagnostics.filter((d) => d.ruleId === 'model-family');
      assert.deepEqual(
        family.map((d) => d.message),
        [],
      );
    });
  }
  test(`tuning export ${c.id}: its real mistakes are still reported`, () => {
    const mistakes = c.parameters.filter((p) => p.mistake);
    const text = profileOf(c);
    const lines = text.split('\n');
    const diagnostics = validateProfileText(text, { file: c.id, encrypted: true });
    for (const p of mistakes) {
      const line = lines.findIndex((l) => l.startsWith(`<${p.name}>`)) + 1;
      assert.ok(
        diagnostics.some((d) => d.line === line && d.severity === 'error'),
        `${p.name}: ${p.mistake}`,
      );
    }
  });
}

/**
 * False errors a held-out export is known to get, reported in bench/RESULTS-catalog.md and not
 * patched. None now: the 8832's three model-capacity errors (its own export has line key 1,
 * Extension_1_, Short_Name_1_, Share_Call_Appearance_1_, where the model table gave the 8832 no
 * line keys) went with the model table's line key 1 for the 8832 (fourth round, after).
 */
const HELD_OUT_KNOWN_ERRORS: Record<string, RegExp> = {};

test('every held-out export has its first measure recorded, taken on the file as it is now', () => {
  const heldOut = corpus.filter((c) => c.set === 'held-out').map((c) => c.id);
  // A file moved to tuning after its first measure keeps it, as history (fifth round: the 8865).
  const moved = corpus
    .filter((c) => c.set === 'tuning' && FIRST_MEASURES[c.id]?.movedToTuning !== undefined)
    .map((c) => c.id);
  assert.deepEqual(moved, ['jthop-8865-export']);
  assert.deepEqual(Object.keys(FIRST_MEASURES).sort(), [...heldOut, ...moved].sort());
  for (const id of heldOut) assert.equal(FIRST_MEASURES[id]?.movedToTuning, undefined, id);
  for (const c of corpus.filter((x) => FIRST_MEASURES[x.id] !== undefined)) {
    const first = FIRST_MEASURES[c.id];
    assert.equal(first?.distinct, new Set(c.parameters.map((p) => p.name)).size, c.id);
    assert.equal(first.known + first.unknown.length, first.distinct, c.id);
  }
});

for (const c of corpus.filter((x) => x.set === 'held-out')) {
  test(`held-out export ${c.id}: no false value error, names known at least as before`, () => {
    for (const model of [c.model ?? FAMILY_MODEL[c.family], undefined]) {
      const m = measureExport(c, model);
      assert.deepEqual(m.valueErrors, [], `value errors (${model ?? 'no model'})`);
      // Line keys 6-10 of the 88xx exports included: the model table gives the 88xx ten.
      const known = HELD_OUT_KNOWN_ERRORS[c.id];
      const other = m.otherErrors.filter((e) => !(model && known?.test(e)));
      assert.deepEqual(other, [], `other errors (${model ?? 'no model'})`);
      const floor = HELD_OUT_FLOOR[c.id] ?? 1;
      assert.ok(m.known / m.distinct >= floor, `${m.known}/${m.distinct} below ${floor}`);
    }
  });
}

// ---------------------------------------------------------------- the 8865 export (round 5)

const EXPORT_8865 = corpus.find((c) => c.id === 'jthop-8865-export');

test("the 8865 export's names (moved to tuning): its values and options pass, each entry cites it", () => {
  assert.ok(EXPORT_8865);
  const gaps = new Set(FIRST_MEASURES['jthop-8865-export']?.unknown);
  assert.equal(gaps.size, 70);
  for (const p of EXPORT_8865.parameters.filter((x) => gaps.has(x.name))) {
    const match = lookupParameter(DEFAULT_CATALOG, p.name);
    assert.ok(match, p.name);
    assert.match(match.entry.source, /jthop-8865-export/, p.name);
    const type = entryTypeOn(match.entry, '8800');
    if (p.value !== null)
      assert.equal(checkValue(type, p.value), undefined, `${p.name}=${p.value}`);
    // The export's own "available options" note: every option is accepted, and is the enum.
    for (const option of p.options?.split('|') ?? []) {
      assert.equal(checkValue(type, option), undefined, `${p.name} option ${option}`);
    }
    // Security_Mode_n_ stays free text: the 9861's note for profile 1 lists other modes
    // (EAP-PEAP, EAP-TLS) and unnamed ones (`Auto|EAP-FAST|||PSK||…`), so no enum is safe.
    if (p.options !== undefined && !p.name.startsWith('Security_Mode_')) {
      assert.deepEqual(type, { kind: 'enum', values: p.options.split('|') }, p.name);
    }
  }
  // Names no other tuning export has: the entry says they were seen on a development build.
  for (const name of ['Video', 'Camera_Exposure', 'Wi-Fi_Profile_Order_3_', 'WEP_Key_2_']) {
    assert.match(
      lookupParameter(DEFAULT_CATALOG, name)?.entry.source ?? '',
      /development build only: its Upgrade_Rule names the load sip8845_65\.0104-MPP-9875dev/,
      name,
    );
  }
  // Profile 1 is also the 9861's: not a development-build-only name.
  assert.doesNotMatch(
    lookupParameter(DEFAULT_CATALOG, 'Network_Name_1_')?.entry.source ?? '',
    /development build/,
  );
});

test('8865 export: the values it exports, checked against its entries', () => {
  const value = (name: string): string | null | undefined =>
    EXPORT_8865?.parameters.find((p) => p.name === name)?.value;
  // The export's values, then values its notes do not list.
  assert.equal(value('Bandwidth_Allowance'), 'Auto');
  assert.deepEqual(errorsOf(check('<Bandwidth_Allowance>750 Kbps</Bandwidth_Allowance>')), []);
  assert.equal(errorsOf(check('<Bandwidth_Allowance>3 Mbps</Bandwidth_Allowance>')).length, 1);
  assert.equal(value('Video_Encryption_Method_7_'), 'AES 128');
  assert.equal(
    errorsOf(check('<Video_Encryption_Method_7_>AES 512</Video_Encryption_Method_7_>')).length,
    1,
  );
  assert.equal(value('Sidetone'), 'Low');
  assert.deepEqual(errorsOf(check('<Sidetone>Very Low</Sidetone>')), []);
  assert.equal(value('Camera_Exposure'), '8');
  assert.deepEqual(errorsOf(check('<Camera_Exposure>8</Camera_Exposure>', '8865')), []);
  assert.equal(value('Connected_Video_Key_List'), 'hold|1;endcall|2;calllist|3;pip|4;swap|5;');
  // Wi-Fi: four profiles (its Wi-Fi_Profile_Order note lists 1|2|3|4), as profile 1 on every phone.
  assert.equal(value('Wi-Fi_Profile_Order_4_'), '4');
  assert.deepEqual(errorsOf(check('<Wi-Fi_Profile_Order_2_>4</Wi-Fi_Profile_Order_2_>')), []);
  assert.equal(errorsOf(check('<Wi-Fi_Profile_Order_2_>5</Wi-Fi_Profile_Order_2_>')).length, 1);
  assert.equal(lookupParameter(DEFAULT_CATALOG, 'Network_Name_5_'), undefined);
  for (const model of ['8861', '9861']) {
    assert.deepEqual(check('<Security_Mode_3_>PSK</Security_Mode_3_>', model), [], model);
  }
  // The keys the export withholds (commented out) are secrets.
  for (const name of ['PSK_Passphrase_1_', 'WEP_Key_4_', 'Wi-Fi_Password_3_']) {
    assert.equal(EXPORT_8865?.parameters.find((p) => p.name === name)?.commented, true, name);
    assert.equal(lookupParameter(DEFAULT_CATALOG, name)?.entry.secret, true, name);
  }
  // Video and camera: the 8800 family; reported on another family with --model.
  assert.deepEqual(lookupParameter(DEFAULT_CATALOG, 'H264_BP1_Enable_3_')?.entry.families, [
    '8800',
  ]);
  assert.deepEqual(check('<Video>Yes</Video>', '8865'), []);
  assert.deepEqual(
    check('<Video>Yes</Video>', '7841').map((d) => [d.severity, d.ruleId]),
    [['warning', 'model-family']],
  );
  // The two values marked mistake stay errors.
  for (const name of ['Syslog_Identifier', 'Report_To_Server']) {
    const p = EXPORT_8865?.parameters.find((x) => x.name === name);
    assert.ok(p?.mistake, name);
    assert.equal(errorsOf(check(`<${name}>${p.value ?? ''}</${name}>`, '8865')).length, 1, name);
  }
});

// ---------------------------------------------------------------- real mistakes

function check(text: string, model?: string): Diagnostic[] {
  return validateProfileText(`<flat-profile>\n${text}\n</flat-profile>\n`, {
    file: 'p.xml',
    ...(model ? { model } : {}),
  });
}

function errorsOf(diagnostics: Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`);
}

test('a key without its trailing underscore: Unit_1_Key_1 suggests Unit_1_Key_1_ first', () => {
  const [d] = errorsOf(check('<Unit_1_Key_1>fnc=sd;ext=100</Unit_1_Key_1>'));
  assert.match(
    d ?? '',
    /^unknown-parameter: unknown parameter Unit_1_Key_1; did you mean Unit_1_Key_1_[,?]/,
  );
});

test('Share_Ext_1_ = private on MPP is an error (it is Yes/No; private is Share_Call_Appearance)', () => {
  for (const model of ['8851', '9861', '7841', undefined]) {
    assert.deepEqual(errorsOf(check('<Share_Ext_1_>private</Share_Ext_1_>', model)), [
      'invalid-value: Share_Ext_1_: expected Yes or No, got "private"',
    ]);
  }
  assert.deepEqual(
    errorsOf(check('<Share_Call_Appearance_1_>private</Share_Call_Appearance_1_>')),
    [],
  );
});

test("a value holding the parameter's description: Disable_DF = Disable IP DF flag", () => {
  assert.deepEqual(errorsOf(check('<Disable_DF>Disable IP DF flag</Disable_DF>')), [
    'invalid-value: Disable_DF: expected Yes or No, got "Disable IP DF flag"',
  ]);
});

test('Register_Expires_1_ = "18\\n0" is an error (the phone reads "18 0")', () => {
  const errors = errorsOf(check('<Register_Expires_1_>18\n0</Register_Expires_1_>'));
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /^invalid-value: Register_Expires_1_: expected an integer/);
});

test('an unclosed comment swallowing parameters is an error, not silence', () => {
  const unclosed = check(
    '<!-- line 2 off\n<Line_Enable_2_>No</Line_Enable_2_>\n<Station_Name>a</Station_Name>',
  );
  assert.deepEqual(errorsOf(unclosed), ["xml-well-formed: comment is never closed with '-->'"]);
  const swallowed = check('<!-- line 2 off\n<Line_Enable_2_>No</Line_Enable_2_>\n<!-- line 3 -->');
  assert.deepEqual(errorsOf(swallowed), ["xml-well-formed: '--' is not allowed inside a comment"]);
});

test('a plain typo suggests the export spelling, never a guide alias', () => {
  assert.deepEqual(errorsOf(check('<Staton_Name>a</Staton_Name>')), [
    'unknown-parameter: unknown parameter Staton_Name; did you mean Station_Name?',
  ]);
  const [d] = errorsOf(check('<Report_to_Servr>On Request</Report_to_Servr>'));
  assert.match(d ?? '', /did you mean Report_To_Server\?$/);
  assert.doesNotMatch(d ?? '', /Report_to_Server/);
});

test("a guide spelling is accepted with a warning naming the export's", () => {
  const diagnostics = check('<Report_to_Server>On Request</Report_to_Server>');
  assert.deepEqual(
    diagnostics.map((d) => [d.severity, d.ruleId, d.message]),
    [
      [
        'warning',
        'parameter-alias',
        'Report_to_Server is a guide spelling; the phone exports it as Report_To_Server',
      ],
    ],
  );
  assert.equal(
    lookupParameter(DEFAULT_CATALOG, 'Periodic_Upload_to_Server')?.alias,
    'Periodic_Upload_to_Server',
  );
  assert.equal(lookupParameter(DEFAULT_CATALOG, 'Periodic_Upload_To_Server')?.alias, undefined);
});

test('exports widen types: Debug_Level by name, an empty value, a static SRV list in Proxy_1_', () => {
  assert.deepEqual(errorsOf(check('<Debug_Level>NOTICE</Debug_Level>')), []);
  assert.deepEqual(errorsOf(check('<Debug_Level>LOUD</Debug_Level>')).length, 1);
  assert.deepEqual(errorsOf(check('<Proxy_1_/>')), []);
  const srv = 'sip.example.com:SRV=a.example.com:5060:p=0:w=1|b.example.com:5060:p=1:w=1';
  assert.ok(srv.length > 63);
  assert.deepEqual(errorsOf(check(`<Proxy_1_>${srv}</Proxy_1_>`)), []);
  for (const bad of [
    'sip.example.com:SRV=a.example.com',
    'sip.example.com:SRV=a:99999:p=0',
    'x y:SRV=a:5060',
  ]) {
    assert.equal(errorsOf(check(`<Proxy_1_>${bad}</Proxy_1_>`)).length, 1, bad);
  }
});

// ---------------------------------------------------------------- families

test("ATA: the guide's router leaves the export lacks (forwarding rules, QoS, HTTP proxy) are known", () => {
  // ATA 191/192 provisioning guide, "Router Configuration Parameters": its own examples.
  const router = [
    '<router-configuration>',
    '<Port_Range_Forwarding><Port_Range_Forwarding_Index>0:1</Port_Range_Forwarding_Index>',
    '<Rule0>1:Rule_0:br1:50:60:tcp:192.198.15.22</Rule0></Port_Range_Forwarding>',
    '<QoS_Bandwidth_Control><WAN><QoS_Always_ON>1</QoS_Always_ON>',
    '<Upstream_Bandwidth>20000</Upstream_Bandwidth></WAN></QoS_Bandwidth_Control>',
    '<HTTP_Proxy><Proxy_Mode>Manual</Proxy_Mode><Proxy_Host>proxy.example.com</Proxy_Host>',
    '<Proxy_Port>3128</Proxy_Port><Proxy_Server_Requires_Authentication>1</Proxy_Server_Requires_Authentication>',
    '<Use_Auto_Discovery__WPAD_>No</Use_Auto_Discovery__WPAD_></HTTP_Proxy>',
    '<WAN_IP6_Setting><WAN_Static_IP6_Gateway>fe80::1</WAN_Static_IP6_Gateway></WAN_IP6_Setting>',
    '</router-configuration>',
  ].join('\n');
  assert.deepEqual(errorsOf(check(router, 'ATA192')), []);
  assert.deepEqual(errorsOf(check(router)), []);
  // Rule<index> is 0-9; the proxy mode is one of three words.
  assert.deepEqual(errorsOf(check(router.replace(/Rule0/g, 'Rule10'), 'ATA191')).length, 1);
  assert.deepEqual(errorsOf(check(router.replace('>Manual<', '>On<'), 'ATA191')), [
    'invalid-value: Proxy_Mode: expected one of "Off", "Auto", "Manual", got "On"',
  ]);
  // The guide's spelling of the export's WAN_Static_IP6_Gatway is an alias of it, warned as one.
  assert.equal(
    lookupParameter(DEFAULT_CATALOG, 'WAN_Static_IP6_Gateway', 'router-configuration')?.alias,
    'WAN_Static_IP6_Gateway',
  );
  assert.deepEqual(
    check(router, 'ATA192')
      .filter((d) => d.ruleId === 'parameter-alias')
      .map((d) => d.message),
    ['WAN_Static_IP6_Gateway is a guide spelling; the phone exports it as WAN_Static_IP6_Gatway'],
  );
});

test("ATA: the ATA guide's spellings of exported names are aliases; its HTTPS_Name_Validate is known", () => {
  const profile = [
    '<IVR_Admin_Passwd>1234</IVR_Admin_Passwd>',
    '<Resync_At_HHmm>0300</Resync_At_HHmm>',
    '<Mark_all_AVT_Packets>Yes</Mark_all_AVT_Packets>',
    '<HTTPS_Name_Validate>Yes</HTTPS_Name_Validate>',
  ].join('\n');
  const diagnostics = check(profile, 'ATA192');
  assert.deepEqual(errorsOf(diagnostics), []);
  assert.deepEqual(
    diagnostics.filter((d) => d.ruleId === 'parameter-alias').map((d) => d.message),
    [
      'Resync_At_HHmm is a guide spelling; the phone exports it as Resync_At__HHmm_',
      'Mark_all_AVT_Packets is a guide spelling; the phone exports it as Mark_All_AVT_Packets',
    ],
  );
  assert.equal(
    lookupParameter(DEFAULT_CATALOG, 'IVR_Admin_Password')?.entry.name,
    'IVR_Admin_Passwd',
  );
  assert.equal(errorsOf(check('<HTTPS_Name_Validate>maybe</HTTPS_Name_Validate>')).length, 1);
});

test('the executive-assistant service codes of the admin guide are known on the 8800', () => {
  const codes =
    '<Exec_Assistant_Call_Initiate_Code>#64</Exec_Assistant_Call_Initiate_Code>\n<Exec_Call_Bridge_Code>*15</Exec_Call_Bridge_Code>';
  assert.deepEqual(check(codes, '8851'), []);
  assert.equal(errorsOf(check(codes.replace('*15', '*15*15*15'), '8851')).length, 1);
});

test('ATA: <router-configuration> is checked with the router catalog, not nested-parameter', () => {
  const router =
    '<router-configuration><WAN_Basic_Setting><WAN_Stack_Mode>0</WAN_Stack_Mode></WAN_Basic_Setting></router-configuration>';
  assert.deepEqual(check(router, 'ATA191'), []);
  assert.deepEqual(check(router), []);
  const bad = check(router.replace('>0<', '>Dual<'), 'ATA192');
  assert.deepEqual(errorsOf(bad), [
    'invalid-value: WAN_Stack_Mode: expected one of "0", "1", "2", got "Dual"',
  ]);
  const typo = errorsOf(check(router.replace(/WAN_Stack_Mode/g, 'WAN_Stack_Mod'), 'ATA191'));
  assert.match(
    typo[0] ?? '',
    /unknown router-configuration parameter WAN_Stack_Mod; did you mean WAN_Stack_Mode\?/,
  );
  // On a desk phone the section is reported (a warning: the phone ignores it).
  const desk = check(router, '8851');
  assert.deepEqual(
    desk.map((d) => [d.severity, d.ruleId]),
    [['warning', 'model-family']],
  );
});

test('ATA: a desk-phone-only parameter is reported with --model, and not without', () => {
  const text = '<Unit_1_Key_1_>fnc=sd</Unit_1_Key_1_>\n<IVR_Admin_Passwd/>';
  const ata = check(text, 'ATA191').filter((d) => d.ruleId === 'model-family');
  assert.equal(ata.length, 1);
  assert.match(ata[0]?.message ?? '', /^Unit_1_Key_1_ is not a parameter of the ATA191-MPP/);
  const desk = check(text, '8851').filter((d) => d.ruleId === 'model-family');
  assert.match(
    desk[0]?.message ?? '',
    /^IVR_Admin_Passwd is not a parameter of the CP-8851-3PCC \(known on ATA191\/192\)/,
  );
  assert.deepEqual(errorsOf(check(text)), []);
  assert.equal(check(text).filter((d) => d.ruleId === 'model-family').length, 0);
});

// ---------------------------------------------------------------- secrets

test('catalog secrets: clear-text passwords warn; softkeys and switches about passwords do not', () => {
  for (const name of [
    'Admin_Password',
    'LDAP_Password',
    'XMPP_Password',
    'IVR_Admin_Passwd',
    'Wi-Fi_Password_1_',
    'wepKey1_1_',
    'Web_Login_Admin_Password',
  ]) {
    assert.ok(isSecretParameter(name, lookupParameter(DEFAULT_CATALOG, name)?.entry), name);
    const warned = check(`<${name}>hunter22</${name}>`).filter(
      (d) => d.ruleId === 'plaintext-secret',
    );
    assert.equal(warned.length, 1, name);
    assert.doesNotMatch(warned[0]?.message ?? '', /hunter22/);
  }
  for (const name of [
    'PSK_1',
    'Display_Password_Warnings',
    'User_Password_Prompt',
    'wepKeyLen_1_',
  ]) {
    assert.equal(
      isSecretParameter(name, lookupParameter(DEFAULT_CATALOG, name)?.entry),
      false,
      name,
    );
  }
});

test('secret name patterns: the issue 9 list and the Wi-Fi keys an 8865 export comments out', () => {
  // Unknown or new names still classify by pattern (no catalog entry passed).
  for (const name of [
    'WEP_Key_1_',
    'WEP_Key_4_',
    'PSK_Passphrase_1_',
    'PSK_Passphrase_4_',
    'Wi-Fi_Password_3_',
    'wepKey1_1_',
    'Some_New_Password',
    'Admin_Passwd',
    'Wi-Fi_PSK_1_',
    'Client_Secret',
    'GPP_SA',
    'GPP_SD',
    'IKM_HTTP_Encrypt_Content',
    'Voice_Mail_PIN',
  ]) {
    assert.equal(isSecretParameter(name), true, name);
  }
  for (const name of [
    'wepKeyLen_1_',
    'WEP_Key_Length_1_',
    'GPP_SE',
    'GPP_A',
    'Security_Mode_2_',
    'Network_Name_2_',
    'User_Password_Prompt',
    'Spinner',
  ]) {
    assert.equal(isSecretParameter(name), false, name);
  }
  // A clear-text WEP key in a profile warns without echoing the key, with and without --model.
  for (const model of ['8865', undefined]) {
    const found = check('<WEP_Key_2_>0123456789</WEP_Key_2_>', model).filter(
      (d) => d.ruleId === 'plaintext-secret',
    );
    assert.equal(found.length, 1, model ?? 'no model');
    assert.doesNotMatch(JSON.stringify(found), /0123456789/);
  }
});
