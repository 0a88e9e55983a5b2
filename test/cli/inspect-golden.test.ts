/**
 * Whole runs of `inspect` and `models` kept as golden Markdown (command, exit code, stdout,
 * stderr) in test/golden/. UPDATE_SNAPSHOTS=1 rewrites them; review the diff before committing.
 */
import { test } from 'node:test';
import { assertGolden } from '../helpers/golden.js';
import { runCli } from '../helpers/run-cli.js';

/** Compares a run with its golden file (the one helper: a missing golden fails). */
const golden = assertGolden;

const REFERENCE_UAS = [
  'Cisco-CP-8841-3PCC/11.0 (00562b043615)',
  'Cisco-CP-7832-3PCC/11.0.1 (00562b043615)',
  'Cisco-CP-6841-3PCC/12.0.1 (001122334455)',
  'Cisco-CP-8851-3PCC/11.3.7_MPP_0001',
  'Cisco-CP-8865-3PCC/12.0.3_dcf719f39350_…',
  'Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)',
  'Cisco/SPA508G-7.4.8a (0002FDFF2103)(CBT141400UK)',
  'Cisco/SPA525G-7.4.7 (CBT141900G7)',
  'Linksys/SPA-942-6.1.5(a) (88019FA42805)',
  'Sipura/SPA-2000-3.1.15',
  'Mozilla/5.0 \u001b[31mnot a phone',
];

test('golden: inspect, every reference User-Agent, table and JSON Lines', async () => {
  const table = await runCli(['inspect'], { input: REFERENCE_UAS.join('\n') });
  golden('inspect-user-agents.md', ['inspect', '< reference-user-agents.txt'], table);
  const json = await runCli(['inspect', '--json'], { input: REFERENCE_UAS.join('\n') });
  golden('inspect-user-agents-json.md', ['inspect', '--json', '< reference-user-agents.txt'], json);
});

test('golden: inspect --log, combined log as table and CSV', async () => {
  const args = ['inspect', '--log', 'test/fixtures/logs/combined.log'];
  golden('inspect-log.md', args, await runCli(args));
  const csv = [...args, '--format', 'csv'];
  golden('inspect-log-csv.md', csv, await runCli(csv));
});

test('golden: models table', async () => {
  golden('models.md', ['models'], await runCli(['models']));
});
