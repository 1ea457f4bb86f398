/**
 * Tolerance matchers, registered for every test file (vitest.config.ts `setupFiles`):
 *
 *   expect(array).toBeCloseArray(expected, { abs, rel })   every element: |a[i] − e[i]| ≤ abs + rel·|e[i]|
 *   expect(number).toBeWithin(expected, { abs, rel })      the same for one number
 *
 * `expected` may be a number for an array (every element against it). `abs` and `rel` default to 0 (give one).
 * On failure the message names the worst element, its value, the expected value and the allowed difference.
 */
import { expect } from 'vitest';

export interface Tolerance {
  /** Absolute tolerance (in the unit of the values). */
  abs?: number;
  /** Relative tolerance (fraction of |expected|). */
  rel?: number;
}

function closeness(actual: ArrayLike<number>, expected: ArrayLike<number> | number, tol: Tolerance) {
  const abs = tol.abs ?? 0;
  const rel = tol.rel ?? 0;
  if (!(abs > 0 || rel > 0)) throw new Error('toBeCloseArray / toBeWithin: give tol.abs or tol.rel (> 0)');
  if (typeof expected !== 'number' && expected.length !== actual.length) {
    return { pass: false, message: `length ${actual.length}, expected length ${expected.length}` };
  }
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < actual.length; i++) {
    const e = typeof expected === 'number' ? expected : expected[i];
    const allowed = abs + rel * Math.abs(e);
    const diff = Math.abs(actual[i] - e);
    const excess = Number.isNaN(diff) ? Infinity : diff - allowed;
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst < 0) return { pass: true, message: 'empty array' };
  const e = typeof expected === 'number' ? expected : expected[worst];
  const detail =
    `element ${worst}: ${actual[worst]}, expected ${e} ± ${abs + rel * Math.abs(e)} ` +
    `(difference ${Math.abs(actual[worst] - e)}; abs ${abs}, rel ${rel})`;
  return { pass: worstExcess <= 0, message: detail };
}

expect.extend({
  toBeCloseArray(received: ArrayLike<number>, expected: ArrayLike<number> | number, tol: Tolerance) {
    const { pass, message } = closeness(received, expected, tol);
    return {
      pass,
      message: () => (pass ? `expected the arrays not to be close, but ${message}` : `arrays differ at ${message}`),
    };
  },
  toBeWithin(received: number, expected: number, tol: Tolerance) {
    const { pass, message } = closeness([received], expected, tol);
    return {
      pass,
      message: () => (pass ? `expected a difference, but ${message}` : `not within tolerance: ${message}`),
    };
  },
});

interface ToleranceMatchers<R = unknown> {
  toBeCloseArray(expected: ArrayLike<number> | number, tol: Tolerance): R;
  toBeWithin(expected: number, tol: Tolerance): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends ToleranceMatchers<T> {}
}

/** `pattern` repeated `count` times (a per-element value of interleaved arrays: 4 stress components per triangle). */
export function tile(pattern: ArrayLike<number>, count: number): Float64Array {
  const out = new Float64Array(pattern.length * count);
  for (let i = 0; i < count; i++) out.set(Array.from(pattern), i * pattern.length);
  return out;
}

/** Every `stride`-th value from `offset` (one component of an interleaved array). */
export function component(values: ArrayLike<number>, stride: number, offset: number): Float64Array {
  const out = new Float64Array(Math.ceil((values.length - offset) / stride));
  for (let i = 0; i < out.length; i++) out[i] = values[offset + i * stride];
  return out;
}
