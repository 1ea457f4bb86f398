/** The tolerance matchers of test/support/matchers.ts pass and fail when they should. */
import { describe, expect, it } from 'vitest';

describe('toBeCloseArray / toBeWithin', () => {
  it('pass within abs + rel·|expected|, element by element or against one number', () => {
    expect([1, 2, 3]).toBeCloseArray([1, 2, 3 + 1e-13], { abs: 1e-12 });
    expect(new Float64Array([1, 1])).toBeCloseArray(1, { rel: 1e-12 });
    expect([100, 200]).toBeCloseArray([100.5, 199], { abs: 0.1, rel: 0.005 });
    expect(1.0001).toBeWithin(1, { rel: 1e-3 });
  });
  it('fail naming the worst element, on NaN, on a length mismatch and without a tolerance', () => {
    expect(() => expect([1, 2]).toBeCloseArray([1, 2.1], { abs: 0.01 })).toThrow(/element 1: 2, expected 2.1/);
    expect(() => expect(NaN).toBeWithin(1, { abs: 1 })).toThrow();
    expect(() => expect([1, 2]).toBeCloseArray([1], { abs: 1 })).toThrow(/length/);
    expect(() => expect([1]).toBeCloseArray([1], {})).toThrow(/give tol/);
    expect([1, 2]).not.toBeCloseArray([1, 3], { abs: 0.5 });
  });
});
