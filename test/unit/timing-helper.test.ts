// The doubling helper itself: it must pass linear work and fail quadratic work, also when the
// work at the starting size is too small to time (it grows the size first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLinear } from '../helpers/timing.js';

let sink = 0;
const linear = (n: number): void => {
  for (let i = 0; i < n * 2000; i++) sink ^= i;
};
const quadratic = (n: number): void => {
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sink ^= i + j;
};

test('assertLinear passes linear work started far below the timer’s resolution', () => {
  const r = assertLinear('linear', (n) => n, linear, 100);
  assert.ok(r.ratio <= 3, JSON.stringify(r));
});

test('assertLinear fails quadratic work started far below the timer’s resolution', () => {
  // Two rounds a size, not six: quadratic work fails every round, so the verdict is the same,
  // reached through the same growth and the same two regrowths (this test took 23 s in CI at
  // six rounds). Linear work is the case the six rounds are for (a noisy round that passes).
  assert.throws(
    () => assertLinear('quadratic', (n) => n, quadratic, 200, { rounds: 2 }),
    /not linear/,
  );
  assert.equal(typeof sink, 'number');
});
