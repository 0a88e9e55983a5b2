/**
 * Formatters for `render`: they return strings; the CLI adapter decides where they go.
 */
import type { ExplainResult, RenderDeviceReport, RenderReport } from '../render/batch.js';
import { escapeControls, jsonForTerminal } from './terminal-text.js';

/** The stderr line of one failed device. */
export function formatRenderFailure(d: RenderDeviceReport): string {
  return `${d.source} (${d.mac ? `mac ${d.mac}` : `serial ${d.serial ?? '?'}`}): ${d.error ?? 'failed'}`;
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

/**
 * The `--json` report as a stream of text: the head, each device as it is done, the summary
 * last — so no device is kept in memory. The text is the report's `JSON.stringify(…, null, 2)`
 * with `summary` after `devices`.
 * @example const json = new RenderJsonStream(head); out(json.device(d)); out(json.end(summary));
 */
export class RenderJsonStream {
  private started = false;
  private first = true;

  constructor(private readonly head: Omit<RenderReport, 'summary' | 'devices'>) {}

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const head = jsonForTerminal(this.head, 2);
    return `${head.slice(0, -2)},\n  "devices": [`;
  }

  /** The text for one more device. */
  device(d: RenderDeviceReport): string {
    const text = jsonForTerminal(d, 2).replace(/\n/g, '\n    ');
    const out = `${this.start()}${this.first ? '' : ','}\n    ${text}`;
    this.first = false;
    return out;
  }

  /** The rest of the report: the end of the device list and the summary. */
  end(summary: RenderReport['summary']): string {
    const list = this.first ? ']' : '\n  ]';
    const tail = jsonForTerminal(summary, 2).replace(/\n/g, '\n  ');
    return `${this.start()}${list},\n  "summary": ${tail}\n}\n`;
  }
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
  // A field name, a value, a group or a file name may hold what a terminal acts on (ESC, C1,
  // bidi overrides): shown as escapes, as every message shows them.
  return `${lines.map(escapeControls).join('\n')}\n`;
}

/** `render --explain --json`. */
export function formatExplainJson(result: ExplainResult): string {
  return `${jsonForTerminal(result, 2)}\n`;
}
