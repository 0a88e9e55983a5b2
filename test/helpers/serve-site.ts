/**
 * A one-device site on disk (an 8841, `Station_Name` from the inventory) and the in-process
 * server configuration that serves it; each test adds its own timeouts, TLS or hooks.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ROUTES } from '../../src/serve/routes.js';
import type { ServeConfig } from '../../src/serve/server.js';

export function oneDeviceSite(prefix: string): {
  dir: string;
  config: Omit<ServeConfig, 'timeouts'>;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'inv.csv'), 'mac,model,display_name\n00562b043615,8841,A\n');
  writeFileSync(
    join(dir, 't.liquid'),
    '<flat-profile><Station_Name>{{ display_name }}</Station_Name></flat-profile>\n',
  );
  return {
    dir,
    config: {
      sources: {
        inventory: join(dir, 'inv.csv'),
        inventoryName: 'inv.csv',
        vars: [],
        template: join(dir, 't.liquid'),
      },
      routes: [...DEFAULT_ROUTES],
      keys: { md: 'md5' },
      gzip: false,
      cacheSize: 100,
      maxBodyBytes: 1 << 20,
      strictUserAgent: false,
    },
  };
}
