// Defects found by a second user trial of the later commands (serve, fetch, rule, inspect, fleet,
// convert…), checked in-process; test/cli/usertrial2.test.ts checks the same through the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeAccessLog } from '../../src/device/access-log.js';

const SECRET_QUERY_LINE =
  '127.0.0.1 - - [30/Nov/2026:08:52:35 +0000] "GET /00562b043617.xml?Password_1_=s3cr3t-val&GPP_SA=sa-secret-val&site=hq HTTP/1.1" 200 14 "-" "Cisco-CP-8841-3PCC/11.0 (00562b043617)"';

test('access-log summary: a phone row’s last path has the values of secret-looking query parameters masked', () => {
  const [row] = summarizeAccessLog([SECRET_QUERY_LINE]).phones;
  assert.equal(row?.lastPath, '/00562b043617.xml?Password_1_=********&GPP_SA=********&site=hq');
});
