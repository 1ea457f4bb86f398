/**
 * Preconditioned conjugate gradients (Hestenes–Stiefel) with a sparse Cholesky factor as preconditioner.
 *
 * In the time loop the factor is usually of an older matrix: the diffusion matrix is unchanged while Δt is, and
 * the elasticity matrix changes only where cohesive interfaces soften. With M = L Lᵀ of a nearby matrix, M⁻¹A is a
 * low-rank perturbation of the identity (rank ≈ number of changed interface entries), so CG converges in few
 * iterations; with the exact factor it converges in one.
 *
 *   r = b − A x, z = M⁻¹ r, p = z
 *   repeat: q = A p, α = (r·z)/(p·q), x += α p, r −= α q, stop if ‖r‖ ≤ rtol ‖b‖,
 *           z = M⁻¹ r, β = (r·z)_new/(r·z)_old, p = z + β p
 * Convergence is confirmed on the true residual b − A x (one extra product); the reported relative residual is
 * that true one.
 */
import { SparsePattern, spmv } from './sparse';
import { Cholesky } from './cholesky';
import { ldf, stf } from './mem';

let lastRes: f64 = 0;

/** Relative residual ‖b − A x‖/‖b‖ at the end of the last pcg call. */
export function lastRelativeResidual(): f64 {
  return lastRes;
}

function dot(a: usize, b: usize, n: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o = (<usize>i) << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(a + o + 16), v128.load(b + o + 16)));
  }
  s0 = f64x2.add(s0, s1);
  let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
  for (; i < n; i++) s += ldf(a, i) * ldf(b, i);
  return s;
}

/**
 * Preconditioned CG on A x = b with the given Cholesky factor as preconditioner (possibly of an older matrix).
 * x holds the initial guess on entry. Stops at ‖r‖ ≤ rtol·‖b‖ or maxIter. work: f64[4·n] scratch owned by caller.
 * `singlePrecisionFactor`: precondition with M's single-precision copy (`Cholesky.solveSingle`).
 * Returns the iteration count (negative if not converged); the final relative residual is lastRelativeResidual().
 */
export function pcg(
  A: SparsePattern,
  values: usize,
  b: usize,
  x: usize,
  M: Cholesky,
  rtol: f64,
  maxIter: i32,
  work: usize,
  singlePrecisionFactor: bool = false,
): i32 {
  const n = A.n;
  const r = work;
  const z = work + ((<usize>n) << 3);
  const p = work + ((<usize>(2 * n)) << 3);
  const q = work + ((<usize>(3 * n)) << 3);
  const bnorm = Math.sqrt(dot(b, b, n));
  if (bnorm == 0) {
    for (let i = 0; i < n; i++) stf(x, i, 0);
    lastRes = 0;
    return 0;
  }
  spmv(A, values, x, q);
  for (let i = 0; i < n; i++) stf(r, i, ldf(b, i) - ldf(q, i));
  let rnorm = Math.sqrt(dot(r, r, n));
  if (rnorm <= rtol * bnorm) {
    lastRes = rnorm / bnorm;
    return 0;
  }
  if (singlePrecisionFactor) M.solveSingle(r, z);
  else M.solve(r, z);
  memory.copy(p, z, (<usize>n) << 3);
  let rz = dot(r, z, n);
  for (let it = 1; it <= maxIter; it++) {
    spmv(A, values, p, q);
    const pq = dot(p, q, n);
    if (!(pq > 0)) {
      lastRes = rnorm / bnorm;
      return -it; // breakdown: A (or M) not SPD
    }
    const alpha = rz / pq;
    const va = f64x2.splat(alpha);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(x + o, f64x2.add(v128.load(x + o), f64x2.mul(va, v128.load(p + o))));
      v128.store(r + o, f64x2.sub(v128.load(r + o), f64x2.mul(va, v128.load(q + o))));
    }
    for (; i < n; i++) {
      stf(x, i, ldf(x, i) + alpha * ldf(p, i));
      stf(r, i, ldf(r, i) - alpha * ldf(q, i));
    }
    rnorm = Math.sqrt(dot(r, r, n));
    if (rnorm <= rtol * bnorm) {
      // confirm with the true residual b − A x (the recursive one drifts at tight tolerances); if it is not met,
      // continue from the true residual (residual replacement)
      spmv(A, values, x, q);
      for (let k = 0; k < n; k++) stf(r, k, ldf(b, k) - ldf(q, k));
      rnorm = Math.sqrt(dot(r, r, n));
      if (rnorm <= rtol * bnorm) {
        lastRes = rnorm / bnorm;
        return it;
      }
    }
    if (singlePrecisionFactor) M.solveSingle(r, z);
    else M.solve(r, z);
    const rzNew = dot(r, z, n);
    const beta = rzNew / rz;
    rz = rzNew;
    const vb = f64x2.splat(beta);
    i = 0;
    for (; i + 1 < n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(p + o, f64x2.add(v128.load(z + o), f64x2.mul(vb, v128.load(p + o))));
    }
    for (; i < n; i++) stf(p, i, ldf(z, i) + beta * ldf(p, i));
  }
  lastRes = rnorm / bnorm;
  return -maxIter;
}
