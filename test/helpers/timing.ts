/**
 * Doubling tests: is a piece of work linear in its input? Times work of size n and of size 2n
 * and asserts time(2n) ≤ 3 × time(n) — linear work gives ≈ 2, quadratic ≈ 4. No wall-clock
 * threshold, so it holds on a slow or busy machine:
 * - time is this process's CPU time (process.cpuUsage), not wall time: being descheduled by
 *   other processes on a shared machine does not count;
 * - each size is timed best of 3;
 * - a failing ratio is measured again (up to 6 interleaved rounds, keeping each size's minimum),
 *   then at twice the size, twice at most, before the test fails: noise passes on a retry, a
 *   quadratic path fails every round at every size.
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

/** Below this much CPU time at n, timer resolution and scheduling noise decide the ratio. */
const MIN_MS_AT_N = 8;
/** Rounds of (n, 2n) measurements before a ratio above 3 fails the test. */
const ROUNDS = 6;

export interface LinearOptions {
  /**
   * Rounds at each size before it grows (default ROUNDS). Fewer rounds make a failure cheaper
   * to reach and a noisy pass rarer: for the helper's own test of quadratic work, not for code.
   */
  rounds?: number;
}

/**
 * Asserts that `run(make(2n))` takes at most 3× `run(make(n))`. Inputs are built before timing.
 * `n` is a starting size: while the work at n takes less than MIN_MS_AT_N of CPU, n is doubled
 * (up to 64×), so a test does not fail on a 1 ms measurement. A quadratic path should take
 * seconds at 2n.
 */
export function assertLinear<T>(
  what: string,
  make: (n: number) => T,
  run: (input: T) => void,
  n: number,
  { rounds = ROUNDS }: LinearOptions = {},
): DoublingResult {
  let size = n;
  let small = make(size);
  run(small); // warm-up: compile the code paths before timing
  while (size < n * 64 && bestCpuMs(() => run(small), 2) < MIN_MS_AT_N) {
    size *= 2;
    small = make(size);
    run(small);
  }
  // Minima over interleaved rounds: a round slowed down by a neighbour (on a shared machine the
  // other "core" may be a hyperthread of the same one, which slows this one's CPU time too)
  // does not decide; a quadratic path is slow in every round.
  let result: DoublingResult | undefined;
  let regrown = 0;
  for (;;) {
    const large = make(2 * size);
    let msAtN = Infinity;
    let msAt2n = Infinity;
    for (let round = 0; round < rounds; round++) {
      msAtN = Math.min(
        msAtN,
        Math.max(
          bestCpuMs(() => run(small)),
          0.5,
        ),
      );
      msAt2n = Math.min(
        msAt2n,
        bestCpuMs(() => run(large)),
      );
      result = { n: size, msAtN, msAt2n, ratio: msAt2n / msAtN };
      if (result.ratio <= 3) return result;
    }
    // Before failing, the size doubles and every round runs again, twice at most (more while
    // the work is under MIN_MS_AT_N, where the ratio is timer noise): a GC that lands on the 2n
    // runs of every round at one size (3.16 and 3.36 were seen for linear work, checked to
    // 128,000 units) passes at the next, while quadratic work nears 4 at every size.
    regrown++;
    if ((msAtN >= MIN_MS_AT_N && regrown > 2) || size >= n * 64) break;
    size *= 2;
    small = make(size);
    run(small);
  }
  assert.fail(
    `${what}: not linear — n=${size}: ${result?.msAtN.toFixed(1)} ms, 2n: ` +
      `${result?.msAt2n.toFixed(1)} ms (ratio ${result?.ratio.toFixed(2)}, expected ≤ 3)`,
  );
}
