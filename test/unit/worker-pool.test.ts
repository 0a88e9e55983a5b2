/**
 * The one worker pool (src/io/worker-pool.ts) from source: validate batches come back in input
 * order, and a file that cannot be read fails the whole run with the core's typed error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDomainError } from '../../src/domain-errors.js';
import { checkFilesInWorkers, type ValidateWorkerSettings } from '../../src/io/worker-pool.js';

const SETTINGS: ValidateWorkerSettings = {
  catalog: undefined,
  model: undefined,
  passphrase: undefined,
  ikm: undefined,
  ignoreRules: [],
};

test('validate on two workers: every file checked, results in input order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-pool-'));
  try {
    const names: string[] = [];
    for (let i = 0; i < 70; i++) {
      const name = `${String(69 - i).padStart(2, '0')}.xml`;
      const ua = i === 5 ? 'bad' : 'na';
      writeFileSync(
        join(dir, name),
        `<flat-profile><Station_Name ua="${ua}">x</Station_Name></flat-profile>\n`,
      );
      names.push(name);
    }
    const results = await checkFilesInWorkers(
      names.map((n) => join(dir, n)),
      names,
      SETTINGS,
      2,
    );
    assert.deepEqual(
      results.map((r) => r.file),
      names,
    );
    assert.deepEqual(
      results.filter((r) => r.errorCount > 0).map((r) => r.file),
      [names[5]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable file rejects the run with an io DomainError naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-pool-'));
  try {
    const names = Array.from({ length: 40 }, (_, i) => `${i}.xml`);
    for (const n of names.slice(1)) writeFileSync(join(dir, n), '<flat-profile/>\n');
    await assert.rejects(
      checkFilesInWorkers(
        names.map((n) => join(dir, n)),
        names,
        SETTINGS,
        2,
      ),
      (err: unknown) => {
        assert.ok(isDomainError(err));
        assert.equal(err.kind, 'io');
        assert.equal(err.message, 'cannot read 0.xml: no such file or directory');
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
