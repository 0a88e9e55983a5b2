/**
 * Formatters and registry: golden stylish and JSON output for the bad corpus
 * (UPDATE_SNAPSHOTS=1 to refresh), the stylish layout on a hand-made case, and the registry's
 * completeness at run time (the compiler checks it too).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatJson,
  formatStylish,
  renderFile,
  reportStream,
  type FileDiagnostics,
  type ReportFormat,
} from '../../src/output/diagnostics-format.js';
import { parseCatalogJson } from '../../src/profile/catalog-json.js';
import { assertGoldenText } from '../helpers/golden.js';
import type { Diagnostic } from '../../src/validate/diagnostic.js';
import {
  RULES,
  RULE_IDS,
  validateProfileBytes,
  validateProfileText,
} from '../../src/validate/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/profiles/', import.meta.url));
const catalog = parseCatalogJson(
  readFileSync(join(FIXTURES, 'catalog.json'), 'utf8'),
  'catalog.json',
);
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  { model?: string }
>;

function corpusResults(): FileDiagnostics[] {
  return readdirSync(join(FIXTURES, 'bad'))
    .sort()
    .map((name) => {
      const file = `bad/${name}`;
      const model = expected[file]?.model;
      const diagnostics = validateProfileBytes(readFileSync(join(FIXTURES, file)), {
        file,
        catalog,
        ...(model ? { model } : {}),
      });
      return {
        file,
        diagnostics,
        errorCount: diagnostics.filter((d) => d.severity === 'error').length,
        warningCount: diagnostics.filter((d) => d.severity === 'warning').length,
      };
    });
}

/** Compares with test/golden/<name> (the one helper: a missing golden fails). */
const golden = assertGoldenText;

test('stylish output of the bad corpus matches test/golden/validate-corpus.stylish.txt', () => {
  golden('validate-corpus.stylish.txt', formatStylish(corpusResults()));
});

test('JSON output of the bad corpus matches test/golden/validate-corpus.json', () => {
  golden('validate-corpus.json', formatJson(corpusResults()));
});

test('stylish: ESLint layout, aligned columns, plural summary, nothing for clean files', () => {
  const d = (line: number, column: number, severity: Diagnostic['severity']): Diagnostic => ({
    ruleId: 'invalid-ua',
    severity,
    message: `m${line}.`,
    file: 'a.xml',
    line,
    column,
  });
  const out = formatStylish([
    { file: 'clean.xml', diagnostics: [], errorCount: 0, warningCount: 0 },
    {
      file: 'a.xml',
      diagnostics: [d(2, 21, 'error'), d(10, 4, 'warning')],
      errorCount: 1,
      warningCount: 1,
    },
  ]);
  assert.equal(
    out,
    '\na.xml\n' +
      '   2:21  error    m2   invalid-ua\n' +
      '  10:4   warning  m10  invalid-ua\n' +
      '\n\u2716 2 problems (1 error, 1 warning)\n',
  );
  assert.equal(formatStylish([{ file: 'c', diagnostics: [], errorCount: 0, warningCount: 0 }]), '');
  assert.match(
    formatStylish(
      [{ file: 'a.xml', diagnostics: [d(1, 1, 'error')], errorCount: 1, warningCount: 0 }],
      { color: true },
    ),
    new RegExp(`${String.fromCharCode(27)}\\[31merror`),
  );
});

test('JSON has exactly the documented keys', () => {
  const [entry] = JSON.parse(formatJson(corpusResults())) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(entry!), ['file', 'errorCount', 'warningCount', 'diagnostics']);
  // `hint` only when the rule gives one (diagnostics are data: { …, column, hint? }).
  for (const diagnostic of entry!.diagnostics as Record<string, unknown>[]) {
    const keys = ['ruleId', 'severity', 'message', 'line', 'column'];
    if ('hint' in diagnostic) keys.push('hint');
    assert.deepEqual(Object.keys(diagnostic), keys);
  }
});

test('the registry holds one rule per id, under its own id', () => {
  assert.deepEqual(Object.keys(RULES).sort(), [...RULE_IDS].sort());
  for (const [id, rule] of Object.entries(RULES)) {
    assert.equal(rule.id, id);
    assert.match(rule.severity, /^(error|warning)$/);
    assert.ok(rule.description.length > 10);
  }
});

test('secrets never appear in messages', () => {
  const text =
    '<flat-profile><Admin_Passwd>S3cr\u00e9t-pass</Admin_Passwd><Password_1_> hunter2 </Password_1_>' +
    '<Profile_Rule>[--key TopSecretKey] https://p/$MA.cfg</Profile_Rule><GPP_SA>{{ gpp }}</GPP_SA></flat-profile>';
  const diagnostics = validateProfileText(text, { file: 'x', catalog });
  assert.ok(diagnostics.some((d) => d.ruleId === 'plaintext-secret'));
  for (const d of diagnostics) {
    assert.doesNotMatch(`${d.message} ${d.hint ?? ''}`, /S3cr|hunter2|TopSecretKey/, d.message);
  }
  assert.deepEqual(
    validateProfileText(text, { file: 'x', catalog, encrypted: true }).filter(
      (d) => d.ruleId === 'plaintext-secret',
    ),
    [],
  );
});

test('ignoreRules drops a rule; model-capacity only with a model', () => {
  const text = '<flat-profile><Line_Enable_5_ ua="xx">Yes</Line_Enable_5_></flat-profile>';
  const ids = (o: object): string[] =>
    validateProfileText(text, { file: 'x', catalog, ...o }).map((d) => d.ruleId);
  assert.deepEqual(ids({}), ['invalid-ua']);
  assert.deepEqual(ids({ model: '6821' }), ['model-capacity', 'invalid-ua']);
  assert.deepEqual(ids({ model: '6821', ignoreRules: ['invalid-ua'] }), ['model-capacity']);
});

test('unknown-parameter suggests the closest catalog names', () => {
  const [d] = validateProfileText(
    '<flat-profile><station_name>x</station_name><Line_Enabl_1_>Yes</Line_Enabl_1_></flat-profile>',
    { file: 'x', catalog },
  );
  assert.match(d!.message, /did you mean Station_Name\?/);
  const all = validateProfileText(
    '<flat-profile><Line_Enabl_1_>Yes</Line_Enabl_1_></flat-profile>',
    { file: 'x', catalog },
  );
  assert.match(all[0]!.message, /did you mean Line_Enable_1_/);
});

test('a report joined from files rendered as UTF-8 bytes is the report formatJson and formatStylish print', () => {
  const diagnostic = (message: string, severity: Diagnostic['severity']): Diagnostic => ({
    ruleId: 'invalid-value',
    severity,
    message,
    file: 'x',
    line: 3,
    column: 7,
  });
  const files: FileDiagnostics[] = [
    { file: 'clean.xml', diagnostics: [], errorCount: 0, warningCount: 0 },
    {
      file: 'b\u00e9.xml',
      diagnostics: [diagnostic('Time_Zone: expected GMT-12:00 \u2026 GMT+13:00', 'error')],
      errorCount: 1,
      warningCount: 0,
    },
    { file: 'clean2.xml', diagnostics: [], errorCount: 0, warningCount: 0 },
    {
      file: 'c.xml',
      diagnostics: [diagnostic('128\u2013149', 'warning'), diagnostic('\u202e', 'error')],
      errorCount: 1,
      warningCount: 1,
    },
  ];
  const formats: [ReportFormat, string][] = [
    [{ format: 'json' }, formatJson(files)],
    [{ format: 'stylish', color: false }, formatStylish(files)],
    [{ format: 'stylish', color: true }, formatStylish(files, { color: true })],
  ];
  for (const [format, whole] of formats) {
    for (const first of [0, 1]) {
      // Files as bytes from the first or the second on (a run mixes both: stdin in this thread).
      const report = reportStream(format);
      const parts: Buffer[] = [];
      files.forEach((result, i) => {
        const rendered = renderFile(result, format);
        if (i < first) parts.push(Buffer.from(report.add(rendered)));
        else {
          const bytes = Buffer.from(rendered.text);
          parts.push(Buffer.from(report.addBytes({ ...rendered, bytes })), bytes);
        }
      });
      parts.push(Buffer.from(report.end()));
      assert.equal(Buffer.concat(parts).toString('utf8'), whole, `${format.format} from ${first}`);
    }
  }
});

test('JSON: every character is written as JSON.stringify writes it, or escaped where a terminal would act on it', () => {
  // The terminal-unsafe characters (terminalSafeJson) become \u escapes; every other character
  // is what JSON.stringify(report, null, 2) writes, plain ASCII included (the fast path).
  const UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
  const expected = (files: FileDiagnostics[]): string =>
    JSON.stringify(files, null, 2).replace(
      UNSAFE,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ) + '\n';
  for (let from = 0; from < 0x10000; from += 0x400) {
    const diagnostics: Diagnostic[] = [];
    for (let code = from; code < from + 0x400; code++) {
      const ch = String.fromCharCode(code);
      diagnostics.push({
        ruleId: 'invalid-value',
        severity: 'error',
        message: `A_${code}: got "${ch}" and \\${ch}`,
        file: 'x.xml',
        line: 1,
        column: code + 1,
        hint: `write ${ch}`,
      });
    }
    const files: FileDiagnostics[] = [
      { file: `f${String.fromCharCode(from)}.xml`, diagnostics, errorCount: 1024, warningCount: 0 },
    ];
    // JSON.stringify writes every key: the report's diagnostics have no `file` key.
    const shown = files.map((f) => ({
      file: f.file,
      errorCount: f.errorCount,
      warningCount: f.warningCount,
      diagnostics: f.diagnostics.map(({ ruleId, severity, message, line, column, hint }) => ({
        ruleId,
        severity,
        message,
        line,
        column,
        hint,
      })),
    }));
    assert.equal(
      formatJson(files),
      expected(shown as unknown as FileDiagnostics[]),
      `from ${from}`,
    );
  }
});
