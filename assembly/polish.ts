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
 * Round-off floor of a residual: ε ‖ |A| |x| ‖ / ‖b‖ (ε = 2⁻⁵²). A computed relative residual cannot reliably go
 * below a small multiple of it, whatever the solver; penalty-like entries (stiff cohesive bonds, large interface
 * conductances) raise it far above 1e-14.
 */
export function roundoffFloor(A: SparsePattern, values: usize, b: usize, x: usize): f64 {
  const n = A.n;
  let ss = 0.0;
  let bb = 0.0;
  for (let i = 0; i < n; i++) {
    const k0 = load<i32>(A.rowPtr + ((<usize>i) << 2));
    const k1 = load<i32>(A.rowPtr + ((<usize>(i + 1)) << 2));
    let s = 0.0;
    for (let k = k0; k < k1; k++) {
      const j = load<i32>(A.col + ((<usize>k) << 2));
      s += Math.abs(load<f64>(values + ((<usize>k) << 3))) * Math.abs(load<f64>(x + ((<usize>j) << 3)));
    }
    ss += s * s;
    const bi = load<f64>(b + ((<usize>i) << 3));
    bb += bi * bi;
  }
  return bb > 0 ? (f64.EPSILON * Math.sqrt(ss)) / Math.sqrt(bb) : 0;
}

/** Tolerance used by the last `polishDirectSolution`: max(rtol, 4 × round-off floor). */
let lastPolishTolerance: f64 = 0;
export function polishTolerance(): f64 {
  return lastPolishTolerance;
}

/**
 * x holds a direct solution with an exact factor. PCG (at most 3 iterations: with the exact factor it converges
 * in one or two) polishes it to max(rtol, 4 × round-off floor); a direct solution already there costs one
 * residual evaluation. Should the polish still fail, the better of the direct and the polished solution is kept.
 * Returns the final relative residual.
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
  const tol = max(rtol, 4.0 * roundoffFloor(A, values, b, x));
  lastPolishTolerance = tol;
  const it = pcg(A, values, b, x, M, tol, POLISH_ITERATIONS, work);
  const res = lastRelativeResidual();
  lastPolishIterations = it >= 0 ? it : POLISH_ITERATIONS;
  if (it >= 0 && isFinite(res)) return res;
  const resPolished = trueRelativeResidual(A, values, b, x, work);
  const resDirect = trueRelativeResidual(A, values, b, keep, work);
  if (resDirect <= resPolished) {
    copyF64(x, keep, n);
    return resDirect;
  }
  return resPolished;
}
