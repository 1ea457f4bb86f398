/**
 * Dense kernels of the supernodal Cholesky: column-major blocks with a leading dimension, f64x2 SIMD, register
 * tiles of 4 rows × 4 columns (8 vector accumulators) over the inner (k) dimension. No allocation.
 *
 * The one product the factorisation needs is C (op)= X Yᵀ with X, Y row ranges of the same column-major panel
 * (an "outer product of a panel with itself", i.e. SYRK/GEMM in BLAS terms):
 *  - the update of supernode s by a descendant d: C = L_d[rows ≥ s] · L_d[rows in s]ᵀ, lower trapezoid;
 *  - the left-looking blocked Cholesky of a supernode's own panel: A[j:, j:j+4] −= L[j:, :j] · L[j:j+4, :j]ᵀ.
 */

export const STORE: i32 = 0;
export const ADD: i32 = 1;
export const SUB: i32 = 2;

function put(p: usize, v: f64, mode: i32): void {
  if (mode == STORE) store<f64>(p, v);
  else if (mode == ADD) store<f64>(p, load<f64>(p) + v);
  else store<f64>(p, load<f64>(p) - v);
}

/**
 * Cache blocking of panelSyrk (GotoBLAS-style): a KC-deep slice of the panel is packed into 4-row micro-panels
 * (k-major, 4 doubles per k), so the 4×4 micro-kernel streams both operands contiguously from L1/L2.
 */
export const KC: i32 = 128;

/** panelSyrk packs only when C has more than this many columns (packing costs M·K copies, reused N/4 times). */
let PACK_MIN_N: i32 = 16;
export function setPackMinN(n: i32): void {
  PACK_MIN_N = n;
}

/** Packing buffer: set by the owner (Cholesky.analyse) to hold (max rows + 4) × KC doubles. */
let packBuf: usize = 0;
let packCap: i32 = 0;
export function setPackBuffer(p: usize, rowsCap: i32): void {
  packBuf = p;
  packCap = rowsCap;
}

/** Pack rows [0, M) × columns [0, kc) of P (leading dimension ld) into 4-row micro-panels, zero-padded. */
function pack(P: usize, ld: i32, M: i32, kc: i32, buf: usize): void {
  const ldb = (<usize>ld) << 3;
  const M4 = M & ~3;
  for (let ib = 0; ib < M4; ib += 4) {
    let src = P + ((<usize>ib) << 3);
    let dst = buf + ((<usize>ib * <usize>kc) << 3);
    for (let k = 0; k < kc; k++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      src += ldb;
      dst += 32;
    }
  }
  if (M4 < M) {
    const r = M - M4;
    let src = P + ((<usize>M4) << 3);
    let dst = buf + ((<usize>M4 * <usize>kc) << 3);
    for (let k = 0; k < kc; k++) {
      for (let t = 0; t < 4; t++) store<f64>(dst + ((<usize>t) << 3), t < r ? load<f64>(src + ((<usize>t) << 3)) : 0);
      src += ldb;
      dst += 32;
    }
  }
}

/** 4×4 tile of C (op)= Xp Ypᵀ over kc packed steps; only rows < mr and columns < nc are written. */
function tile(Xp: usize, Yp: usize, kc: i32, C: usize, ldc: i32, mr: i32, nc: i32, mode: i32): void {
  let a00 = f64x2.splat(0),
    a01 = f64x2.splat(0),
    a10 = f64x2.splat(0),
    a11 = f64x2.splat(0);
  let a20 = f64x2.splat(0),
    a21 = f64x2.splat(0),
    a30 = f64x2.splat(0),
    a31 = f64x2.splat(0);
  let xp = Xp;
  let yp = Yp;
  for (let k = 0; k < kc; k++) {
    const x0 = v128.load(xp);
    const x1 = v128.load(xp, 16);
    const b0 = v128.load64_splat(yp);
    const b1 = v128.load64_splat(yp, 8);
    const b2 = v128.load64_splat(yp, 16);
    const b3 = v128.load64_splat(yp, 24);
    a00 = f64x2.add(a00, f64x2.mul(x0, b0));
    a01 = f64x2.add(a01, f64x2.mul(x1, b0));
    a10 = f64x2.add(a10, f64x2.mul(x0, b1));
    a11 = f64x2.add(a11, f64x2.mul(x1, b1));
    a20 = f64x2.add(a20, f64x2.mul(x0, b2));
    a21 = f64x2.add(a21, f64x2.mul(x1, b2));
    a30 = f64x2.add(a30, f64x2.mul(x0, b3));
    a31 = f64x2.add(a31, f64x2.mul(x1, b3));
    xp += 32;
    yp += 32;
  }
  const ldcb = (<usize>ldc) << 3;
  if (mr == 4 && nc == 4) {
    const c0 = C;
    const c1 = c0 + ldcb;
    const c2 = c1 + ldcb;
    const c3 = c2 + ldcb;
    if (mode == SUB) {
      v128.store(c0, f64x2.sub(v128.load(c0), a00));
      v128.store(c0, f64x2.sub(v128.load(c0, 16), a01), 16);
      v128.store(c1, f64x2.sub(v128.load(c1), a10));
      v128.store(c1, f64x2.sub(v128.load(c1, 16), a11), 16);
      v128.store(c2, f64x2.sub(v128.load(c2), a20));
      v128.store(c2, f64x2.sub(v128.load(c2, 16), a21), 16);
      v128.store(c3, f64x2.sub(v128.load(c3), a30));
      v128.store(c3, f64x2.sub(v128.load(c3, 16), a31), 16);
    } else if (mode == ADD) {
      v128.store(c0, f64x2.add(v128.load(c0), a00));
      v128.store(c0, f64x2.add(v128.load(c0, 16), a01), 16);
      v128.store(c1, f64x2.add(v128.load(c1), a10));
      v128.store(c1, f64x2.add(v128.load(c1, 16), a11), 16);
      v128.store(c2, f64x2.add(v128.load(c2), a20));
      v128.store(c2, f64x2.add(v128.load(c2, 16), a21), 16);
      v128.store(c3, f64x2.add(v128.load(c3), a30));
      v128.store(c3, f64x2.add(v128.load(c3, 16), a31), 16);
    } else {
      v128.store(c0, a00);
      v128.store(c0, a01, 16);
      v128.store(c1, a10);
      v128.store(c1, a11, 16);
      v128.store(c2, a20);
      v128.store(c2, a21, 16);
      v128.store(c3, a30);
      v128.store(c3, a31, 16);
    }
    return;
  }
  // edge tile: spill to scalars
  for (let c = 0; c < nc; c++) {
    const v0 = c == 0 ? a00 : c == 1 ? a10 : c == 2 ? a20 : a30;
    const v1 = c == 0 ? a01 : c == 1 ? a11 : c == 2 ? a21 : a31;
    const cc = C + <usize>c * ldcb;
    if (mr > 0) put(cc, f64x2.extract_lane(v0, 0), mode);
    if (mr > 1) put(cc + 8, f64x2.extract_lane(v0, 1), mode);
    if (mr > 2) put(cc + 16, f64x2.extract_lane(v1, 0), mode);
    if (mr > 3) put(cc + 24, f64x2.extract_lane(v1, 1), mode);
  }
}

/**
 * C[i, j] (op)= Σ_{k < K} P[i, k] · P[j, k] for j < N and j ≤ i < M (lower trapezoid; the few entries above the
 * diagonal inside 4×4 diagonal tiles are computed as well). P: column-major, leading dimension ld; C: leading
 * dimension ldc. mode as in mulT. Falls back to the unpacked kernel when the pack buffer is too small.
 */
export function panelSyrk(P: usize, ld: i32, K: i32, M: i32, N: i32, C: usize, ldc: i32, mode: i32): void {
  if (M + 4 > packCap || N <= PACK_MIN_N) {
    panelSyrkDirect(P, ld, K, M, N, C, ldc, mode);
    return;
  }
  const ldb = (<usize>ld) << 3;
  const buf = packBuf;
  for (let kb = 0; kb < K; kb += KC) {
    const kc = min(KC, K - kb);
    const m0 = kb == 0 ? mode : mode == SUB ? SUB : ADD;
    pack(P + <usize>kb * ldb, ld, M, kc, buf);
    const tileBytes = (<usize>kc) << 5;
    for (let jb = 0; jb < N; jb += 4) {
      const nc = min(4, N - jb);
      const Yp = buf + <usize>(jb >> 2) * tileBytes;
      const cj = C + ((<usize>jb * <usize>ldc) << 3);
      for (let ib = jb; ib < M; ib += 4) {
        tile(buf + <usize>(ib >> 2) * tileBytes, Yp, kc, cj + ((<usize>ib) << 3), ldc, min(4, M - ib), nc, m0);
      }
    }
  }
}

/** Unpacked fallback of panelSyrk (small or oversized problems). */
function panelSyrkDirect(P: usize, ld: i32, K: i32, M: i32, N: i32, C: usize, ldc: i32, mode: i32): void {
  for (let jb = 0; jb < N; jb += 4) {
    const nc = min(4, N - jb);
    mulT(
      P + ((<usize>jb) << 3),
      P + ((<usize>jb) << 3),
      ld,
      K,
      M - jb,
      nc,
      C + ((<usize>jb) << 3) + ((<usize>jb * <usize>ldc) << 3),
      ldc,
      mode,
    );
  }
}

/**
 * C[i, c] (op)= Σ_{k < kk} X[i, k] · Y[c, k] for i < m, c < nc (nc ≤ 4). X and Y share the leading dimension ld;
 * C has leading dimension ldc. mode: STORE (C = …), ADD (C += …), SUB (C −= …).
 */
export function mulT(X: usize, Y: usize, ld: i32, kk: i32, m: i32, nc: i32, C: usize, ldc: i32, mode: i32): void {
  const ldb = (<usize>ld) << 3;
  const ldcb = (<usize>ldc) << 3;
  if (nc == 4) {
    let i = 0;
    for (; i + 3 < m; i += 4) {
      let a00 = f64x2.splat(0),
        a01 = f64x2.splat(0),
        a10 = f64x2.splat(0),
        a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0),
        a21 = f64x2.splat(0),
        a30 = f64x2.splat(0),
        a31 = f64x2.splat(0);
      let xp = X + ((<usize>i) << 3);
      let yp = Y;
      for (let k = 0; k < kk; k++) {
        const x0 = v128.load(xp);
        const x1 = v128.load(xp, 16);
        const b0 = v128.load64_splat(yp);
        const b1 = v128.load64_splat(yp, 8);
        const b2 = v128.load64_splat(yp, 16);
        const b3 = v128.load64_splat(yp, 24);
        a00 = f64x2.add(a00, f64x2.mul(x0, b0));
        a01 = f64x2.add(a01, f64x2.mul(x1, b0));
        a10 = f64x2.add(a10, f64x2.mul(x0, b1));
        a11 = f64x2.add(a11, f64x2.mul(x1, b1));
        a20 = f64x2.add(a20, f64x2.mul(x0, b2));
        a21 = f64x2.add(a21, f64x2.mul(x1, b2));
        a30 = f64x2.add(a30, f64x2.mul(x0, b3));
        a31 = f64x2.add(a31, f64x2.mul(x1, b3));
        xp += ldb;
        yp += ldb;
      }
      const c0 = C + ((<usize>i) << 3);
      const c1 = c0 + ldcb;
      const c2 = c1 + ldcb;
      const c3 = c2 + ldcb;
      if (mode == SUB) {
        v128.store(c0, f64x2.sub(v128.load(c0), a00));
        v128.store(c0, f64x2.sub(v128.load(c0, 16), a01), 16);
        v128.store(c1, f64x2.sub(v128.load(c1), a10));
        v128.store(c1, f64x2.sub(v128.load(c1, 16), a11), 16);
        v128.store(c2, f64x2.sub(v128.load(c2), a20));
        v128.store(c2, f64x2.sub(v128.load(c2, 16), a21), 16);
        v128.store(c3, f64x2.sub(v128.load(c3), a30));
        v128.store(c3, f64x2.sub(v128.load(c3, 16), a31), 16);
      } else if (mode == ADD) {
        v128.store(c0, f64x2.add(v128.load(c0), a00));
        v128.store(c0, f64x2.add(v128.load(c0, 16), a01), 16);
        v128.store(c1, f64x2.add(v128.load(c1), a10));
        v128.store(c1, f64x2.add(v128.load(c1, 16), a11), 16);
        v128.store(c2, f64x2.add(v128.load(c2), a20));
        v128.store(c2, f64x2.add(v128.load(c2, 16), a21), 16);
        v128.store(c3, f64x2.add(v128.load(c3), a30));
        v128.store(c3, f64x2.add(v128.load(c3, 16), a31), 16);
      } else {
        v128.store(c0, a00);
        v128.store(c0, a01, 16);
        v128.store(c1, a10);
        v128.store(c1, a11, 16);
        v128.store(c2, a20);
        v128.store(c2, a21, 16);
        v128.store(c3, a30);
        v128.store(c3, a31, 16);
      }
    }
    for (; i < m; i++) {
      let s0: f64 = 0,
        s1: f64 = 0,
        s2: f64 = 0,
        s3: f64 = 0;
      let xp = X + ((<usize>i) << 3);
      let yp = Y;
      for (let k = 0; k < kk; k++) {
        const x = load<f64>(xp);
        s0 += x * load<f64>(yp);
        s1 += x * load<f64>(yp, 8);
        s2 += x * load<f64>(yp, 16);
        s3 += x * load<f64>(yp, 24);
        xp += ldb;
        yp += ldb;
      }
      const c0 = C + ((<usize>i) << 3);
      put(c0, s0, mode);
      put(c0 + ldcb, s1, mode);
      put(c0 + 2 * ldcb, s2, mode);
      put(c0 + 3 * ldcb, s3, mode);
    }
    return;
  }
  // 1 to 3 columns: one column at a time, 4 rows per step
  for (let c = 0; c < nc; c++) {
    const yc = Y + ((<usize>c) << 3);
    const cc = C + <usize>c * ldcb;
    let i = 0;
    for (; i + 3 < m; i += 4) {
      let a0 = f64x2.splat(0),
        a1 = f64x2.splat(0);
      let xp = X + ((<usize>i) << 3);
      let yp = yc;
      for (let k = 0; k < kk; k++) {
        const b = v128.load64_splat(yp);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(xp), b));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(xp, 16), b));
        xp += ldb;
        yp += ldb;
      }
      const c0 = cc + ((<usize>i) << 3);
      if (mode == SUB) {
        v128.store(c0, f64x2.sub(v128.load(c0), a0));
        v128.store(c0, f64x2.sub(v128.load(c0, 16), a1), 16);
      } else if (mode == ADD) {
        v128.store(c0, f64x2.add(v128.load(c0), a0));
        v128.store(c0, f64x2.add(v128.load(c0, 16), a1), 16);
      } else {
        v128.store(c0, a0);
        v128.store(c0, a1, 16);
      }
    }
    for (; i < m; i++) {
      let s: f64 = 0;
      let xp = X + ((<usize>i) << 3);
      let yp = yc;
      for (let k = 0; k < kk; k++) {
        s += load<f64>(xp) * load<f64>(yp);
        xp += ldb;
        yp += ldb;
      }
      put(cc + ((<usize>i) << 3), s, mode);
    }
  }
}

/**
 * C = X Yᵀ, lower trapezoid (C[i, j] for i ≥ j; a few entries above the diagonal of each 4×4 diagonal tile are
 * computed too and ignored), where X = rows 0…m2 and Y = rows 0…m1 (m1 ≤ m2) of the k-column panel L (leading
 * dimension ld). C is m2 × m1, column-major, leading dimension m2.
 */
export function gemmLowerUpdate(L: usize, ld: i32, k: i32, m2: i32, m1: i32, C: usize): void {
  panelSyrk(L, ld, k, m2, m1, C, m2, STORE);
}

/**
 * In-place Cholesky of the nr × nc panel a (leading dimension nr): the nc × nc diagonal block becomes L11 and the
 * rows below become L21 = A21 L11⁻ᵀ. Right-looking over blocks of NB columns (the trailing update, the bulk of
 * the flops, is the cache-blocked panelSyrk); inside a block, left-looking by 4 columns.
 * Returns false on a non-positive (or NaN) pivot.
 */
export function panelFactor(a: usize, nr: i32, nc: i32): bool {
  const ldb = (<usize>nr) << 3;
  for (let jb = 0; jb < nc; jb += NB) {
    const bw = min(NB, nc - jb);
    if (!blockFactor(a + ((<usize>jb) << 3) + <usize>jb * ldb, nr, nr - jb, bw)) return false;
    const j1 = jb + bw;
    if (j1 < nc) {
      // right-looking update of the trailing panel by the block just factored
      panelSyrk(
        a + ((<usize>j1) << 3) + <usize>jb * ldb,
        nr,
        bw,
        nr - j1,
        nc - j1,
        a + ((<usize>j1) << 3) + <usize>j1 * ldb,
        nr,
        SUB,
      );
    }
  }
  return true;
}

/** Column block width of panelFactor's right-looking outer loop. */
const NB: i32 = 48;

/** Left-looking factorisation (4 columns at a time) of an m × bw block (leading dimension ld) whose top bw × bw
 * part is the diagonal block; the block has received all updates from columns to its left. */
function blockFactor(d0: usize, ld: i32, m: i32, bw0: i32): bool {
  const ldb = (<usize>ld) << 3;
  for (let jb = 0; jb < bw0; jb += 4) {
    const bw = min(4, bw0 - jb);
    const diag = d0 + ((<usize>jb) << 3) + <usize>jb * ldb;
    if (jb > 0) mulT(d0 + ((<usize>jb) << 3), d0 + ((<usize>jb) << 3), ld, jb, m - jb, bw, diag, ld, SUB);
    const mm = m - jb;
    for (let j = 0; j < bw; j++) {
      const cj = diag + <usize>j * ldb;
      const ajj = load<f64>(cj + ((<usize>j) << 3));
      if (!(ajj > 0) || !isFinite(ajj)) return false;
      const ljj = Math.sqrt(ajj);
      store<f64>(cj + ((<usize>j) << 3), ljj);
      const inv = 1.0 / ljj;
      scale(cj + ((<usize>(j + 1)) << 3), mm - j - 1, inv);
      for (let c = j + 1; c < bw; c++) {
        const ck = diag + <usize>c * ldb;
        const akj = load<f64>(cj + ((<usize>c) << 3));
        axpyNeg(ck + ((<usize>c) << 3), cj + ((<usize>c) << 3), mm - c, akj);
      }
    }
  }
  return true;
}

/** x[0…n) *= s */
function scale(x: usize, n: i32, s: f64): void {
  const vs = f64x2.splat(s);
  let i = 0;
  for (; i + 1 < n; i += 2) v128.store(x + ((<usize>i) << 3), f64x2.mul(v128.load(x + ((<usize>i) << 3)), vs));
  for (; i < n; i++) store<f64>(x + ((<usize>i) << 3), load<f64>(x + ((<usize>i) << 3)) * s);
}

/** y[0…n) −= a · x[0…n) */
export function axpyNeg(y: usize, x: usize, n: i32, a: f64): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(v128.load(x + o), va)));
  }
  for (; i < n; i++)
    store<f64>(y + ((<usize>i) << 3), load<f64>(y + ((<usize>i) << 3)) - a * load<f64>(x + ((<usize>i) << 3)));
}

/** y[0…n) −= x[0…n) */
export function subVec(y: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), v128.load(x + o)));
  }
  if (i < n) store<f64>(y + ((<usize>i) << 3), load<f64>(y + ((<usize>i) << 3)) - load<f64>(x + ((<usize>i) << 3)));
}
