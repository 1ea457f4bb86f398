/**
 * Polishing a direct solution: after a solve with an exact factor, a few PCG iterations preconditioned by the same
 * factor bring ‖b − A x‖/‖b‖ down to the tolerance when round-off allows, and leave the direct solution in place
 * when it does not (penalty-stiff systems).
 */
import { SparsePattern, Cholesky, spmv, pcg, lastRelativeResidual } from './solver-link';
import { copyF64 } from './memory';

/** PCG iterations of the last `polishDirectSolution`. */
let lastPolishIterations: i32 = 0;
export function polishIterations(): i32 {
  return lastPolishIterations;
}
const POLISH_ITERATIONS: i32 = 3;

/** ‖b − A x‖ / ‖b‖ (true residual; `work`: f64[n] scratch); +∞ when x is not finite. */
export function trueRelativeResidual(A: SparsePattern, values: usize, b: usize, x: usize, work: usize): f64 {
  const n = A.n;
  spmv(A, values, x, work);
  let rr = 0.0;
  let bb = 0.0;
  for (let i = 0; i < n; i++) {
    const bi = load<f64>(b + ((<usize>i) << 3));
    const ri = bi - load<f64>(work + ((<usize>i) << 3));
    rr += ri * ri;
    bb += bi * bi;
  }
  const res = bb > 0 ? Math.sqrt(rr / bb) : Math.sqrt(rr);
  return isFinite(res) ? res : Infinity;
}

/**
 * x holds a direct solution with an exact factor. PCG (at most 3 iterations: with the exact factor it converges
 * in one or two when round-off allows) polishes it to `rtol`. When the round-off floor of the system is above
 * `rtol` (penalty-stiff systems: ‖b − A x‖/‖b‖ of a direct solve can exceed 1e-13), the better of the direct and
 * the polished solution is kept. Returns the final relative residual.
 */
export function polishDirectSolution(
  A: SparsePattern,
  values: usize,
  b: usize,
  x: usize,
  keep: usize,
  M: Cholesky,
  rtol: f64,
  work: usize,
): f64 {
  const n = A.n;
  copyF64(keep, x, n);
  const it = pcg(A, values, b, x, M, rtol, POLISH_ITERATIONS, work);
  const res = lastRelativeResidual();
  lastPolishIterations = it >= 0 ? it : POLISH_ITERATIONS;
  if (it >= 0 && isFinite(res)) return res;
  // floor above rtol: keep the better of the two
  const resPolished = trueRelativeResidual(A, values, b, x, work);
  const resDirect = trueRelativeResidual(A, values, b, keep, work);
  if (resDirect <= resPolished) {
    copyF64(x, keep, n);
    return resDirect;
  }
  return resPolished;
}
