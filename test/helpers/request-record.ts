/** One served request as the access log sees it: an 8841 fetching its profile (tests' base). */
import { parseUserAgent } from '../../src/device/user-agent.js';
import type { RequestRecord } from '../../src/serve/server.js';

export const PROFILE_REQUEST: RequestRecord = {
  time: new Date(Date.UTC(2026, 10, 30, 8, 45, 12)),
  address: '192.0.2.7',
  user: null,
  method: 'GET',
  target: '/00562b043615.xml',
  protocol: 'HTTP/1.1',
  status: 200,
  bytes: 1234,
  referer: null,
  userAgent: 'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
  ua: parseUserAgent('Cisco-CP-8841-3PCC/11.0 (00562b043615)'),
  kind: 'profile',
  device: { id: '00562b043615', mac: '00562b043615', model: '8841' },
  outcome: 'A',
  durationMs: 1,
};
