/**
 * Formatters for `render`: they return strings; the CLI adapter decides where they go.
 */
import type { ExplainResult, RenderReport } from '../render/batch.js';

/** One stderr line per failed device: where it is in the inventory, which device, what failed. */
export function formatRenderFailures(report: RenderReport): string[] {
  return report.devices
    .filter((d) => d.status === 'failed')
    .map(
      (d) =>
        `${d.source} (${d.mac ? `mac ${d.mac}` : `serial ${d.serial ?? '?'}`}): ${d.error ?? 'failed'}`,
    );
}

/** `12 devices → out/: 10 written, 2 unchanged, 0 failed` */
export function formatRenderSummary(report: RenderReport): string {
  const s = report.summary;
  const parts = report.dryRun
    ? [`${s['would-write']} would be written`, `${s.unchanged} unchanged`, `${s.failed} failed`]
    : [`${s.written} written`, `${s.unchanged} unchanged`, `${s.failed} failed`];
  const where = report.out !== undefined ? ` → ${report.out}` : '';
  return `${s.total} device${s.total === 1 ? '' : 's'}${where}${report.dryRun ? ' (dry run)' : ''}: ${parts.join(', ')}`;
}

/** The `--json` report: summary and one entry per device. Holds no secret. */
export function formatRenderJson(report: RenderReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function showValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** `render --explain`: every variable, its value (secrets masked) and the layer that set it. */
export function formatExplain(result: ExplainResult): string {
  // A loop, not Math.max(...list): a spread of 120,000+ values overflows the call stack.
  let width = 8;
  for (const v of result.variables) width = Math.max(width, Math.min(40, v.path.length));
  const lines = [
    `device   ${result.device} (${result.source})`,
    `template ${result.template}`,
    `layers   ${result.layers.join(' → ')}`,
    '',
    ...result.variables.map((v) => `${v.path.padEnd(width)}  ${showValue(v.value)}  ← ${v.layer}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `render --explain --json`. */
export function formatExplainJson(result: ExplainResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
