// The six gaps the previous round left open, each through the built CLI (and the core where the
// CLI cannot show it): serve's template listing by bytes, drift's escaping, validate's JSON hint,
// convert/diff keeping every attribute the phone reads, one XML gate for every command, and the
// render engine's template-source map bounded in a long-running serve.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';

const base = mkdtempSync(join(tmpdir(), 'cisco-prov-gaps6-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** A fresh directory under the temp dir. */
function freshDir(name: string): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('validate --format json: the hint is part of each diagnostic', () => {
  // A password that must appear nowhere: in a value, an attribute, a nested element's place.
  const SECRET = 'Hunter2-Zq9x';
  const profile = [
    '<flat-profile>',
    '  <Station_Name UA="na">Lobby</Station_Name>',
    `  <Password_1_ ua="RW">${SECRET}</Password_1_>`,
    `  <Password_1_>${SECRET}</Password_1_>`,
    `  <Admin_Passwd>${SECRET}<${SECRET}/></Admin_Passwd>`,
    `  <User_Password colour="${SECRET}">{{ ${SECRET} }}</User_Password>`,
    `  <GPP_SA>${SECRET}\u00e9</GPP_SA>`,
    '  <Line_Enable_9_>Yes</Line_Enable_9_>',
    '  <Statoin_Name>x</Statoin_Name>',
    '</flat-profile>',
    '',
  ].join('\n');

  test('present when the rule gives one, absent otherwise; never a secret value', async () => {
    const dir = freshDir('hint');
    writeFileSync(join(dir, 'p.xml'), profile);
    const r = await runCli(['validate', '--format', 'json', '--model', '6821', 'p.xml'], {
      cwd: dir,
    });
    assert.equal(r.code, 1, r.stderr);
    const [entry] = JSON.parse(r.stdout) as {
      diagnostics: { ruleId: string; message: string; hint?: string }[];
    }[];
    const byRule = new Map(entry!.diagnostics.map((d) => [d.ruleId, d]));
    assert.equal(byRule.get('invalid-ua')?.hint, 'write ua="rw"');
    assert.match(byRule.get('unknown-parameter')?.hint ?? '', /--catalog/);
    assert.match(byRule.get('plaintext-secret')?.hint ?? '', /encrypt/);
    // A rule without advice has no hint field at all (not "hint": null).
    const withoutHint = entry!.diagnostics.filter((d) => !('hint' in d));
    assert.ok(withoutHint.length < entry!.diagnostics.length);
    const hints = entry!.diagnostics.flatMap((d) => (d.hint === undefined ? [] : [d.hint]));
    assert.ok(hints.length >= 6, `hints: ${hints.join(' | ')}`);
    for (const hint of hints) assert.doesNotMatch(hint, /Hunter2|Zq9x/);
    assert.doesNotMatch(r.stdout, /Hunter2|Zq9x/);
  });
});
