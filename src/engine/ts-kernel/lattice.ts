/**
 * Lattice strain against Li site fraction (mirrors assembly/lattice.ts): piecewise-linear interpolation in an
 * ascending table x[0..n), values v[0..n), held constant beyond the ends:
 *   v(x) = v0 (x ≤ x0),  v_{n−1} (x ≥ x_{n−1}),  v_i + (v_{i+1} − v_i)(x − x_i)/(x_{i+1} − x_i) otherwise.
 */
export function interpolateTable(xs: Float64Array, ys: Float64Array, x: number): number {
  const n = xs.length;
  if (n === 0) return 0;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0,
    hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  return ys[lo] + ((ys[hi] - ys[lo]) * (x - xs[lo])) / (xs[hi] - xs[lo]);
}
