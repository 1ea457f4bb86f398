/**
 * TEMPORARY stand-in for `assembly/solver/` (owned by the solver engineer) with the same signatures, so the
 * kernel compiles and runs before the real sparse Cholesky lands. "Cholesky" here is only a Jacobi (diagonal)
 * preconditioner; `pcg` is a plain preconditioned conjugate gradient. Not used once `solver-link.ts` points at
 * the real solver.
 */

/** Symmetric sparsity pattern in CSR, both triangles, sorted columns, diagonal present. */
export class SparsePattern {
  n: i32;
  nnz: i32;
  rowPtr: usize;
  col: usize;
  constructor(n: i32, nnz: i32) {
    this.n = n;
    this.nnz = nnz;
    this.rowPtr = heap.alloc(<usize>(n + 1) << 2);
    this.col = heap.alloc(<usize>max(nnz, 1) << 2);
  }
  /** Position of (i, j) in the value array, −1 when absent (binary search in row i). */
  find(i: i32, j: i32): i32 {
    let lo = load<i32>(this.rowPtr + (<usize>i << 2));
    let hi = load<i32>(this.rowPtr + (<usize>(i + 1) << 2)) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = load<i32>(this.col + (<usize>mid << 2));
      if (c == j) return mid;
      if (c < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** y = A x. */
export function spmv(A: SparsePattern, values: usize, x: usize, y: usize): void {
  const n = A.n;
  const rp = A.rowPtr;
  const col = A.col;
  for (let i = 0; i < n; i++) {
    const k0 = load<i32>(rp + (<usize>i << 2));
    const k1 = load<i32>(rp + (<usize>(i + 1) << 2));
    let s = 0.0;
    for (let k = k0; k < k1; k++) {
      s += load<f64>(values + (<usize>k << 3)) * load<f64>(x + (<usize>load<i32>(col + (<usize>k << 2)) << 3));
    }
    store<f64>(y + (<usize>i << 3), s);
  }
}

/** Jacobi preconditioner posing as a factorisation (same API as the real Cholesky). */
export class Cholesky {
  n: i32 = 0;
  A: SparsePattern | null = null;
  invDiag: usize = 0;
  analyse(A: SparsePattern, coords: usize): void {
    this.A = A;
    this.n = A.n;
    this.invDiag = heap.alloc(<usize>max(A.n, 1) << 3);
  }
  factor(values: usize): bool {
    const A = this.A!;
    for (let i = 0; i < this.n; i++) {
      const p = A.find(i, i);
      const d = load<f64>(values + (<usize>p << 3));
      if (!(d > 0)) return false;
      store<f64>(this.invDiag + (<usize>i << 3), 1.0 / d);
    }
    return true;
  }
  solve(b: usize, x: usize): void {
    for (let i = 0; i < this.n; i++) {
      store<f64>(x + (<usize>i << 3), load<f64>(b + (<usize>i << 3)) * load<f64>(this.invDiag + (<usize>i << 3)));
    }
  }
  factorNonzeros(): i64 {
    return this.n;
  }
  bytes(): usize {
    return <usize>this.n << 3;
  }
}

let lastRelRes: f64 = 0;

export function lastRelativeResidual(): f64 {
  return lastRelRes;
}

/** Preconditioned CG from the initial guess in x; returns iterations (−1 when maxIter is reached). */
export function pcg(A: SparsePattern, values: usize, b: usize, x: usize, M: Cholesky, rtol: f64, maxIter: i32, work: usize): i32 {
  const n = A.n;
  const r = work;
  const z = work + (<usize>n << 3);
  const p = work + (<usize>(2 * n) << 3);
  const q = work + (<usize>(3 * n) << 3);
  spmv(A, values, x, q);
  let bnorm = 0.0;
  let rnorm = 0.0;
  for (let i = 0; i < n; i++) {
    const bi = load<f64>(b + (<usize>i << 3));
    const ri = bi - load<f64>(q + (<usize>i << 3));
    store<f64>(r + (<usize>i << 3), ri);
    bnorm += bi * bi;
    rnorm += ri * ri;
  }
  bnorm = Math.sqrt(bnorm);
  if (bnorm == 0) bnorm = 1;
  lastRelRes = Math.sqrt(rnorm) / bnorm;
  if (lastRelRes <= rtol) return 0;
  M.solve(r, z);
  let rz = 0.0;
  for (let i = 0; i < n; i++) {
    const zi = load<f64>(z + (<usize>i << 3));
    store<f64>(p + (<usize>i << 3), zi);
    rz += load<f64>(r + (<usize>i << 3)) * zi;
  }
  for (let it = 1; it <= maxIter; it++) {
    spmv(A, values, p, q);
    let pq = 0.0;
    for (let i = 0; i < n; i++) pq += load<f64>(p + (<usize>i << 3)) * load<f64>(q + (<usize>i << 3));
    const alpha = rz / pq;
    rnorm = 0;
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      store<f64>(x + o, load<f64>(x + o) + alpha * load<f64>(p + o));
      const ri = load<f64>(r + o) - alpha * load<f64>(q + o);
      store<f64>(r + o, ri);
      rnorm += ri * ri;
    }
    lastRelRes = Math.sqrt(rnorm) / bnorm;
    if (lastRelRes <= rtol) return it;
    M.solve(r, z);
    let rzNew = 0.0;
    for (let i = 0; i < n; i++) rzNew += load<f64>(r + (<usize>i << 3)) * load<f64>(z + (<usize>i << 3));
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      store<f64>(p + o, load<f64>(z + o) + beta * load<f64>(p + o));
    }
  }
  return -1;
}
