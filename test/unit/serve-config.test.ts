// serve's start-up checks on its options (src/commands/serve.ts serveConfigOf): what it warns
// about before a phone asks for anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveConfigOf, type ServeCliOptions } from '../../src/commands/serve.js';

const BASE: ServeCliOptions = {
  inventory: 'inventory.csv',
  host: '127.0.0.1',
  port: 0,
  maxBody: 65536,
  logFormat: 'combined',
  reportsKeep: 10,
  cacheSize: 100,
  bootstrap: false,
};

function warnings(opts: Partial<ServeCliOptions>, env: NodeJS.ProcessEnv = {}): string[] {
  const seen: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    serveConfigOf({ ...BASE, ...opts }, process.cwd(), (m) => seen.push(m));
  } finally {
    for (const k of Object.keys(env)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  return seen;
}

test('serve: a passphrase without --encrypt warns that /<mac>.xml is still served in clear', () => {
  const clear = /still served in clear when \/<mac>\.xml is asked for.*--encrypt aes-256-cbc/;
  const shared = warnings({ keyEnv: 'SERVE_TEST_KEY' }, { SERVE_TEST_KEY: 'k3y-passphrase' });
  assert.equal(shared.filter((w) => clear.test(w)).length, 1, shared.join('\n'));
  // the warning names where the key comes from, never the key
  assert.ok(shared.every((w) => !w.includes('k3y-passphrase')));
  const field = warnings({ keyField: 'profile_key' });
  assert.match(field.join('\n'), /--key-field profile_key/);
  assert.match(field.join('\n'), clear);
  // --encrypt makes the cipher mandatory: nothing is served in clear, nothing to warn about
  const strict = warnings({ keyField: 'profile_key', encrypt: 'aes-256-cbc' });
  assert.doesNotMatch(strict.join('\n'), clear);
  // no passphrase at all: nothing is encrypted and the README says so; no warning
  assert.deepEqual(warnings({}), []);
});
