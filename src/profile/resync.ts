/**
 * When the phone tries again after a resync: outcome A waits `Resync_Periodic` (plus up to
 * `Resync_Random_Delay`), outcomes B and C wait `Resync_Error_Retry_Delay`.
 *
 * Sources: docs/cisco-mpp-reference.md §1 and §5; seed excerpt ("A—Success, where the “Resync
 * Periodic” and “Resync Random Delay” values determine subsequent requests. B—Failure … The
 * “Resync Error Retry Delay” value determines subsequent requests. C—Other failure …"); the
 * catalog (src/profile/catalog-data/provisioning.ts) for the defaults and for the schedule forms
 * `3600`, `60,120,240` (the last repeats) and `1800+300` (a random spread). Resync_Random_Delay
 * counts in units of 20 s (its catalog entry).
 */
import { DomainError } from '../domain-errors.js';
import { lookupParameter } from './catalog.js';
import { DEFAULT_CATALOG } from './catalog-data/index.js';

/** A's, B's and C's meaning (reference §5). */
export type ResyncOutcome = 'A' | 'B' | 'C';

/** One step of a schedule: wait `seconds`, plus a random 0..`randomUpTo`. */
export interface ScheduleStep {
  seconds: number;
  randomUpTo: number;
}

/** A schedule value that is not one. */
export class ScheduleError extends DomainError {
  constructor(message: string) {
    super('usage', 'schedule', message);
    this.name = 'ScheduleError';
  }
}

/**
 * Parses a resync schedule: `3600`, `60,120,240` or `1800+300` (items may combine: `60,120+30`).
 * @example parseSchedule('60,120+30') // [{ seconds: 60, randomUpTo: 0 }, { seconds: 120, randomUpTo: 30 }]
 * @throws ScheduleError naming what was expected and what arrived
 */
export function parseSchedule(text: string, name = 'schedule'): ScheduleStep[] {
  const items = text.split(',').map((s) => s.trim());
  const steps: ScheduleStep[] = [];
  for (const item of items) {
    const m = /^([0-9]{1,9})(?:\+([0-9]{1,9}))?$/.exec(item);
    if (!m) {
      throw new ScheduleError(
        `${name} expected seconds (3600), a list (60,120,240) or a random spread (1800+300), got ${JSON.stringify(text)}`,
      );
    }
    steps.push({ seconds: Number(m[1]), randomUpTo: m[2] === undefined ? 0 : Number(m[2]) });
  }
  return steps;
}

/** The step for the n-th consecutive failure (1-based); the last step repeats. */
export function scheduleStep(steps: readonly ScheduleStep[], failure: number): ScheduleStep {
  const index = Math.min(Math.max(failure, 1), steps.length) - 1;
  return steps[index] ?? { seconds: 0, randomUpTo: 0 };
}

/** Where a timer value came from. */
export type TimerSource = 'profile' | 'option' | 'default';

/** A timer parameter's text and its source. */
export interface TimerValue {
  value: string;
  source: TimerSource;
}

/** When the phone would try next. */
export interface NextAttempt {
  /** Seconds until the next attempt (the fixed part); null when the phone won't resync on its own. */
  seconds: number | null;
  /** Up to this many seconds more, at random. */
  randomUpTo: number;
  /** The parameter that decides it. */
  parameter: 'Resync_Periodic' | 'Resync_Error_Retry_Delay';
  value: string;
  source: TimerSource;
  /** For B and C: which failure in a row this counts as (the schedule step used). */
  failure?: number;
}

/** Cisco's default for a timer parameter, from the catalog. */
export function defaultTimer(
  name: 'Resync_Periodic' | 'Resync_Error_Retry_Delay' | 'Resync_Random_Delay',
): string {
  return lookupParameter(DEFAULT_CATALOG, name)?.entry.default ?? '';
}

/**
 * The next attempt after an outcome.
 * @example
 * nextAttempt('B', { periodic, randomDelay, errorRetry: { value: '60,120', source: 'default' } })
 * // { seconds: 60, randomUpTo: 0, parameter: 'Resync_Error_Retry_Delay', failure: 1, … }
 * @throws ScheduleError when a timer value is not a schedule
 */
export function nextAttempt(
  outcome: ResyncOutcome,
  timers: { periodic: TimerValue; randomDelay: TimerValue; errorRetry: TimerValue },
  failure = 1,
): NextAttempt {
  if (outcome === 'A') {
    const steps = parseSchedule(timers.periodic.value, 'Resync_Periodic');
    const step = scheduleStep(steps, 1);
    const random = parseSchedule(timers.randomDelay.value, 'Resync_Random_Delay');
    // Resync_Random_Delay counts in units of 20 s (catalog entry).
    const randomUpTo = step.randomUpTo + scheduleStep(random, 1).seconds * 20;
    return {
      // Resync_Periodic 0 turns periodic resync off.
      seconds: step.seconds === 0 ? null : step.seconds,
      randomUpTo: step.seconds === 0 ? 0 : randomUpTo,
      parameter: 'Resync_Periodic',
      ...timers.periodic,
    };
  }
  const steps = parseSchedule(timers.errorRetry.value, 'Resync_Error_Retry_Delay');
  const step = scheduleStep(steps, failure);
  return {
    seconds: step.seconds === 0 ? null : step.seconds,
    randomUpTo: step.randomUpTo,
    parameter: 'Resync_Error_Retry_Delay',
    ...timers.errorRetry,
    failure,
  };
}
