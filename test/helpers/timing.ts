/**
 * Doubling tests: is a piece of work linear in its input? Times work of size n and of size 2n
 * and asserts time(2n) ≤ 3 × time(n) — linear work gives ≈ 2, quadratic ≈ 4. No wall-clock
 * threshold, so it holds on a slow or busy machine:
 * - time is this process's CPU time (process.cpuUsage), not wall time: being descheduled by
 *   other processes on a shared machine does not count;
 * - each size is timed best of 3;
 * - a failing ratio is measured again (up to 3 rounds) before the test fails: noise passes on a
 *   retry, a quadratic path fails every round.
 */
import assert from 'node:assert/strict';

/** CPU time of `run(input)` in ms, best of `runs`. */
export function bestCpuMs(run: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

export interface DoublingResult {
  n: number;
  msAtN: number;
  msAt2n: number;
  ratio: number;
}

/**
 * Asserts that `run(make(2n))` takes at most 3× `run(make(n))`. Inputs are built before timing.
 * Pick n so that the work at n takes some milliseconds (≥ 5 ms of CPU is plenty); a quadratic
 * path should take seconds at 2n.
 */
export function assertLinear<T>(
  what: string,
  make: (n: number) => T,
  run: (input: T) => void,
  n: number,
): DoublingResult {
  const small = make(n);
  const large = make(2 * n);
  run(small); // warm-up: compile the code paths before timing
  let result: DoublingResult | undefined;
  for (let round = 0; round < 3; round++) {
    const msAtN = Math.max(
      bestCpuMs(() => run(small)),
      0.5,
    );
    const msAt2n = bestCpuMs(() => run(large));
    result = { n, msAtN, msAt2n, ratio: msAt2n / msAtN };
    if (result.ratio <= 3) return result;
  }
  assert.fail(
    `${what}: not linear — n=${n}: ${result?.msAtN.toFixed(1)} ms, 2n: ` +
      `${result?.msAt2n.toFixed(1)} ms (ratio ${result?.ratio.toFixed(2)}, expected ≤ 3)`,
  );
}
