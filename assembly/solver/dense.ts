/**
 * Dense kernels of the supernodal Cholesky (column-major blocks with a leading dimension). No allocation.
 */
import { ldf, stf } from './mem';

/**
 * C = X Yᵀ, lower trapezoid only (C[i, j] for i ≥ j), where X = rows 0…m2 and Y = rows 0…m1 (m1 ≤ m2) of the
 * k-column block L (leading dimension ld). C is m2 × m1, column-major, leading dimension m2.
 */
export function gemmLowerUpdate(L: usize, ld: i32, k: i32, m2: i32, m1: i32, C: usize): void {
  for (let j = 0; j < m1; j++) {
    const cj = C + ((<usize>j * <usize>m2) << 3);
    for (let i = j; i < m2; i++) stf(cj, i, 0);
  }
  for (let kk = 0; kk < k; kk++) {
    const col = L + ((<usize>kk * <usize>ld) << 3);
    for (let j = 0; j < m1; j++) {
      const b = ldf(col, j);
      if (b == 0) continue;
      const cj = C + ((<usize>j * <usize>m2) << 3);
      for (let i = j; i < m2; i++) stf(cj, i, ldf(cj, i) + ldf(col, i) * b);
    }
  }
}

/**
 * In-place Cholesky of the nr × nc panel a (leading dimension nr): the nc × nc diagonal block becomes L11 and the
 * rows below become L21 = A21 L11⁻ᵀ. Right-looking, column by column. Returns false on a non-positive pivot.
 */
export function panelFactor(a: usize, nr: i32, nc: i32): bool {
  for (let j = 0; j < nc; j++) {
    const cj = a + ((<usize>j * <usize>nr) << 3);
    const ajj = ldf(cj, j);
    if (!(ajj > 0) || !isFinite(ajj)) return false;
    const ljj = Math.sqrt(ajj);
    stf(cj, j, ljj);
    const inv = 1.0 / ljj;
    for (let i = j + 1; i < nr; i++) stf(cj, i, ldf(cj, i) * inv);
    for (let k = j + 1; k < nc; k++) {
      const ck = a + ((<usize>k * <usize>nr) << 3);
      const akj = ldf(cj, k);
      for (let i = k; i < nr; i++) stf(ck, i, ldf(ck, i) - ldf(cj, i) * akj);
    }
  }
  return true;
}
