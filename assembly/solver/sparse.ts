/**
 * Sparse symmetric matrices in compressed sparse row (CSR) form.
 *
 * The pattern holds BOTH triangles (row i lists every j with a_ij ≠ 0, including the diagonal), columns sorted
 * ascending. Values live in a separate f64[nnz] array owned by the caller, so one pattern serves every matrix
 * assembled on it (the diffusion matrix, the elasticity matrix at each damage iterate, …).
 *
 * Memory: `rowPtr` and `col` are raw allocations (`heap.alloc`) made once in the constructor; the stub runtime
 * never frees them. Nothing here allocates after construction.
 */

/** Symmetric sparse matrix pattern in CSR holding BOTH triangles, columns sorted ascending, diagonal present. */
export class SparsePattern {
  n: i32;
  nnz: i32;
  /** i32[n + 1]: row i occupies entries rowPtr[i] … rowPtr[i+1) of `col` and of every value array. */
  rowPtr: usize;
  /** i32[nnz]: column indices, ascending within each row. */
  col: usize;

  /** Allocates rowPtr/col (zeroed); the caller fills them. */
  constructor(n: i32, nnz: i32) {
    this.n = n;
    this.nnz = nnz;
    this.rowPtr = heap.alloc((<usize>(n + 1)) << 2);
    this.col = heap.alloc((<usize>max(nnz, 1)) << 2);
    memory.fill(this.rowPtr, 0, (<usize>(n + 1)) << 2);
    memory.fill(this.col, 0, (<usize>max(nnz, 1)) << 2);
  }

  /** Index of entry (i, j) in the value array, −1 if absent (binary search in row i). */
  find(i: i32, j: i32): i32 {
    let lo = load<i32>(this.rowPtr + ((<usize>i) << 2));
    let hi = load<i32>(this.rowPtr + ((<usize>(i + 1)) << 2)) - 1;
    const col = this.col;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = load<i32>(col + ((<usize>mid) << 2));
      if (c < j) lo = mid + 1;
      else if (c > j) hi = mid - 1;
      else return mid;
    }
    return -1;
  }
}

/** y = A x  (values: f64[nnz]; x, y: f64[n], must not alias). */
export function spmv(A: SparsePattern, values: usize, x: usize, y: usize): void {
  const n = A.n;
  const rp = A.rowPtr;
  const col = A.col;
  let k = load<i32>(rp);
  for (let i = 0; i < n; i++) {
    const end = load<i32>(rp + ((<usize>(i + 1)) << 2));
    let s0: f64 = 0;
    let s1: f64 = 0;
    // two independent accumulators hide the latency of the dependent adds
    for (; k + 1 < end; k += 2) {
      s0 += load<f64>(values + ((<usize>k) << 3)) * load<f64>(x + ((<usize>load<i32>(col + ((<usize>k) << 2))) << 3));
      s1 +=
        load<f64>(values + ((<usize>(k + 1)) << 3)) *
        load<f64>(x + ((<usize>load<i32>(col + ((<usize>(k + 1)) << 2))) << 3));
    }
    if (k < end)
      s0 += load<f64>(values + ((<usize>k) << 3)) * load<f64>(x + ((<usize>load<i32>(col + ((<usize>k) << 2))) << 3));
    store<f64>(y + ((<usize>i) << 3), s0 + s1);
    k = end;
  }
}
