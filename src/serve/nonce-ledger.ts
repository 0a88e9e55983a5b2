/**
 * Digest nonce counts shared by `serve --workers` processes: the primary keeps the one
 * NonceCounts, each worker asks it over the cluster IPC channel before accepting an answer. A
 * counted nonce is then refused by every worker, not only by the one that accepted it.
 */
import { NonceCounts, type NonceLedger } from './auth.js';

const ASK = 'cisco-prov:nonce-count';
const ANSWER = 'cisco-prov:nonce-count-answer';

interface Ask {
  type: typeof ASK;
  id: number;
  nonce: string;
  issued: number;
  nc: number;
  now: number;
}
interface Answer {
  type: typeof ANSWER;
  id: number;
  ok: boolean;
}

/** How long a worker waits for the primary before it refuses the answer (stale, ask again). */
const LEDGER_TIMEOUT_MS = 2_000;

/** A worker's side: asks the primary; no answer in time (the primary is gone) is a refusal. */
export class SharedNonceLedger implements NonceLedger {
  private nextId = 1;
  private readonly pending = new Map<number, (ok: boolean) => void>();

  /** @param send posts a message to the primary (`process.send` in a cluster worker) */
  constructor(
    private readonly send: (message: Ask) => void,
    private readonly timeoutMs = LEDGER_TIMEOUT_MS,
  ) {}

  accept(nonce: string, issued: number, nc: number, now: number): Promise<boolean> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(false);
      }, this.timeoutMs);
      this.pending.set(id, (ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
      try {
        this.send({ type: ASK, id, nonce, issued, nc, now });
      } catch {
        this.pending.delete(id);
        clearTimeout(timer);
        resolve(false);
      }
    });
  }

  /** Feeds a message from the primary; returns whether it was one of the ledger's. */
  receive(message: unknown): boolean {
    const m = message as Partial<Answer> | null;
    if (m === null || typeof m !== 'object' || m.type !== ANSWER || typeof m.id !== 'number') {
      return false;
    }
    const settle = this.pending.get(m.id);
    this.pending.delete(m.id);
    settle?.(m.ok === true);
    return true;
  }
}

/**
 * The primary's side: answers workers' questions from one NonceCounts.
 * @returns the reply to send back, or undefined when the message is not a ledger question
 */
export function nonceLedgerHost(
  counts = new NonceCounts(),
): (message: unknown) => Answer | undefined {
  return (message) => {
    const m = message as Partial<Ask> | null;
    if (m === null || typeof m !== 'object' || m.type !== ASK || typeof m.id !== 'number') {
      return undefined;
    }
    const { nonce, issued, nc, now } = m;
    const ok =
      typeof nonce === 'string' &&
      typeof issued === 'number' &&
      typeof nc === 'number' &&
      typeof now === 'number' &&
      counts.accept(nonce, issued, nc, now);
    return { type: ANSWER, id: m.id, ok };
  };
}
