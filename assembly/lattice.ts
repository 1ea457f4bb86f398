/**
 * Lattice strain against Li site fraction: piecewise-linear interpolation in a table x[0..n), values v[0..n)
 * (ascending x), held constant beyond the ends:
 *   v(x) = v0 (x ≤ x0),  v_{n−1} (x ≥ x_{n−1}),  v_i + (v_{i+1} − v_i)(x − x_i)/(x_{i+1} − x_i) otherwise.
 */

/** Interval index i with x_i ≤ x < x_{i+1} (binary search); caller handles the ends. */
function intervalOf(xs: usize, n: i32, x: f64): i32 {
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (load<f64>(xs + ((<usize>mid) << 3)) <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Interpolate v at x in the table (xs, vs) of length n. */
export function interpolateTable(xs: usize, vs: usize, n: i32, x: f64): f64 {
  if (n <= 0) return 0;
  if (n == 1 || x <= load<f64>(xs)) return load<f64>(vs);
  const last = (<usize>(n - 1)) << 3;
  if (x >= load<f64>(xs + last)) return load<f64>(vs + last);
  const i = intervalOf(xs, n, x);
  const o = (<usize>i) << 3;
  const x0 = load<f64>(xs + o);
  const x1 = load<f64>(xs + o + 8);
  const v0 = load<f64>(vs + o);
  const v1 = load<f64>(vs + o + 8);
  return v0 + ((v1 - v0) * (x - x0)) / (x1 - x0);
}
