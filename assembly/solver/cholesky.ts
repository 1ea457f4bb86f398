/**
 * Sparse Cholesky factorisation A = L Lᵀ, supernodal, left-looking (the CHOLMOD scheme, Ng–Peyton 1993).
 *
 * analyse (once per pattern):
 *  1. Fill-reducing ordering P (nested dissection, `ordering.ts`): we factor P A Pᵀ.
 *  2. Elimination tree (Liu 1986): parent(j) = min{ i > j : l_ij ≠ 0 }, built from the pattern of A with path
 *     compression over "virtual ancestors"; O(nnz(A) α(n)).
 *  3. Postorder of the tree, composed into P, so every subtree — and every supernode — is a contiguous range of
 *     columns and a node's descendants precede it.
 *  4. Column counts |L(:, j)| from row subtrees: row i of L is the set of nodes on the tree paths from each
 *     k < i with a_ik ≠ 0 up to i; walking these paths with a per-row marker visits each entry of L once.
 *  5. Supernodes: maximal chains j, j+1, … with parent(j) = j+1, j+1 having one child and
 *     |L(:, j)| = |L(:, j+1)| + 1 (identical structure below the diagonal block: a dense trapezoid of columns),
 *     then relaxed amalgamation — a child merges into its parent supernode when the explicit zeros this introduces
 *     stay small (always for tiny supernodes) — fewer, larger dense blocks run faster.
 *  6. Row structure of each supernode: the union of its own columns of A (below the block) and the structures
 *     of its child supernodes, sorted; and for every entry of A its destination in the factor storage.
 *
 * factor (every new matrix on the pattern), left-looking by supernode s = 0, 1, …:
 *    L_s ← the columns of A in s;
 *    for every descendant supernode d whose structure meets the columns of s (kept in linked lists keyed by the
 *    next supernode each d updates): C = L_d[rows ≥ first(s)] · L_d[rows in s]ᵀ (dense SYRK/GEMM, `dense.ts`),
 *    L_s −= C scattered through relative row indices (runs of consecutive rows as vectors);
 *    dense Cholesky of the panel (diagonal block + rows below; blocked, `panelFactor`);
 *    then s itself is linked to the supernode of its first off-block row.
 * Storage: supernode s is a dense column-major block nrows_s × ncols_s (rows = its row structure, the first
 * ncols_s of which are its own columns), so every kernel is dense and SIMD-friendly.
 * A right-looking (fan-out) variant — each supernode computes its whole update once and scatters it to all its
 * ancestors — was measured against this one on the bench matrices (10k–200k unknowns): within ±10 % (noise),
 * with an extra buffer of max(nrows − ncols)² doubles; left-looking was kept.
 *
 * solve: permute, forward substitution L y = P b and back substitution Lᵀ z = y by supernode (a small dense
 * triangle plus a dense block update per supernode), un-permute.
 *
 * Memory: everything is allocated in `analyse` (bytes() reports it); factor/solve never allocate. With the stub
 * runtime nothing is ever returned to the system, so analyse once per pattern. Linear memory may grow inside
 * `analyse`: hosts must re-create their typed-array views afterwards.
 */
import { SparsePattern } from './sparse';
import { nestedDissection } from './ordering';
import { ldi, sti, ldf, stf, allocI32, allocF64, fillI32 } from './mem';
import { sortI32 } from './sort';
import { gemmLowerUpdate, panelFactor, KC, setPackBuffer, subVec } from './dense';

/**
 * Relaxed amalgamation thresholds: merge while the fraction of explicit zeros stays below. Tighter than CHOLMOD's
 * defaults (4 / 16: 0.8 / 48: 0.1 / 0.05): on the bench matrices this stores 6 % fewer entries for diffusion
 * (triangular solves 8.5 → 6.2 ms at 54k unknowns, factor unchanged) and is neutral for elasticity.
 */
const RELAX_NCOLS_0: i32 = 4; // always merge up to this many columns
const RELAX_NCOLS_1: i32 = 16;
const RELAX_FRAC_1: f64 = 0.5;
const RELAX_NCOLS_2: i32 = 48;
const RELAX_FRAC_2: f64 = 0.05;
const RELAX_FRAC_3: f64 = 0.02;

export class Cholesky {
  n: i32 = 0;
  A: SparsePattern | null = null;
  /** perm[k] = original unknown eliminated k-th; iperm its inverse. */
  perm: usize = 0;
  iperm: usize = 0;
  nsuper: i32 = 0;
  /** i32[nsuper+1]: supernode s owns columns super[s] … super[s+1]). */
  super: usize = 0;
  /** i32[n]: supernode of each (permuted) column. */
  colSuper: usize = 0;
  /** i32[nsuper+1] into rows: row structure of each supernode (its own columns first, ascending). */
  rowPtr: usize = 0;
  rows: usize = 0;
  /** i32[nsuper+1]: element offset of each supernode's dense block in lx. */
  lxPtr: usize = 0;
  lx: usize = 0;
  lxSize: i64 = 0;
  /**
   * Keep a single-precision copy of L for `solveSingle` when L has at least this many stored entries (set before
   * `analyse`, which allocates it; `factor` fills it; half the memory of `lx` again). Default: never.
   */
  singleCopyMinEntries: i64 = i64.MAX_VALUE;
  /** The single-precision copy of L (0 when not kept: `solveSingle` then solves with `lx`). */
  lx32: usize = 0;
  /** i32[nnz(A)]: destination of each entry of A in lx, −1 for entries of the (permuted) strict upper triangle. */
  dest: usize = 0;
  // factor workspace
  map: usize = 0; // i32[n]
  head: usize = 0; // i32[nsuper]
  next: usize = 0; // i32[nsuper]
  pos: usize = 0; // i32[nsuper]
  cbuf: usize = 0; // f64[maxC]
  rel: usize = 0; // i32[max nrows]
  tbuf: usize = 0; // f64[max nrows], solve workspace
  runEnd: usize = 0; // i32[max nrows]
  pack: usize = 0; // f64[(max nrows + 4) · KC], packing buffer of the dense kernels
  packRows: i32 = 0;
  // solve workspace
  y: usize = 0; // f64[n]
  /** f64[n]: 1 / L(j, j) in the permuted numbering, filled by `factor` (the solves multiply; no divide latency). */
  inverseDiagonal: usize = 0;
  allocated: usize = 0;
  trueNnz: i64 = 0;
  /** Floating-point operations of one numeric factorisation (≈ Σ_j |L(:, j)|²). */
  flops: f64 = 0;
  factored: bool = false;

  private a32(n: i32): usize {
    this.allocated += (<usize>max(n, 1)) << 2;
    return allocI32(n);
  }
  private a64(n: i64): usize {
    this.allocated += (<usize>max<i64>(n, 1)) << 3;
    return allocF64(n);
  }

  /**
   * Fill-reducing ordering + symbolic factorisation, once per pattern. coords: f64[2·n] position of each row's
   * unknown (µm) for geometric nested dissection, or 0 to use a purely graph-based ordering.
   */
  analyse(A: SparsePattern, coords: usize): void {
    const n = A.n;
    this.n = n;
    this.A = A;
    this.factored = false;
    this.allocated = 0;
    const rp = A.rowPtr;
    const acol = A.col;
    // persistent arrays whose size is known up front
    const perm = this.a32(n);
    const iperm = this.a32(n);
    const colSuper = this.a32(n);
    const map = this.a32(n);
    const y = this.a64(n);
    const inverseDiagonal = this.a64(n);
    const dest = this.a32(A.nnz);
    this.perm = perm;
    this.iperm = iperm;
    this.colSuper = colSuper;
    this.map = map;
    this.y = y;
    this.inverseDiagonal = inverseDiagonal;
    this.dest = dest;
    if (n == 0) {
      this.nsuper = 0;
      return;
    }
    // 1. ordering
    nestedDissection(A, coords, perm);
    // temporaries (freed LIFO at the end of analyse)
    const parent = allocI32(n);
    const w1 = allocI32(n);
    const w2 = allocI32(n);
    const w3 = allocI32(n);
    const ccount = allocI32(n);
    for (let k = 0; k < n; k++) sti(iperm, ldi(perm, k), k);
    // 2. elimination tree of P A Pᵀ (w1 = virtual ancestor)
    etree(n, rp, acol, perm, iperm, parent, w1);
    // 3. postorder (w1 = first child, w2 = next sibling, w3 = stack / post)
    fillI32(w1, n, -1);
    for (let j = n - 1; j >= 0; j--) {
      const p = ldi(parent, j);
      if (p >= 0) {
        sti(w2, j, ldi(w1, p));
        sti(w1, p, j);
      }
    }
    let k = 0;
    // post[k] stored in ccount (temporarily), using map as DFS stack
    for (let r = 0; r < n; r++) {
      if (ldi(parent, r) != -1) continue;
      let top = 0;
      sti(map, 0, r);
      while (top >= 0) {
        const v = ldi(map, top);
        const c = ldi(w1, v);
        if (c == -1) {
          sti(ccount, k++, v);
          top--;
        } else {
          sti(w1, v, ldi(w2, c)); // detach the child, descend into it
          sti(map, ++top, c);
        }
      }
    }
    // compose: new perm[k] = perm[post[k]]; new parent via inverse postorder (w3)
    for (let i = 0; i < n; i++) sti(w3, ldi(ccount, i), i);
    for (let i = 0; i < n; i++) sti(w1, i, ldi(perm, ldi(ccount, i)));
    for (let i = 0; i < n; i++) {
      const p = ldi(parent, ldi(ccount, i));
      sti(w2, i, p < 0 ? -1 : ldi(w3, p));
    }
    memory.copy(perm, w1, (<usize>n) << 2);
    memory.copy(parent, w2, (<usize>n) << 2);
    for (let i = 0; i < n; i++) sti(iperm, ldi(perm, i), i);
    // 4. column counts by row subtrees (w1 = marker)
    fillI32(ccount, n, 1);
    fillI32(w1, n, -1);
    let nnzL: i64 = n;
    for (let i = 0; i < n; i++) {
      sti(w1, i, i);
      const r = ldi(perm, i);
      for (let e = ldi(rp, r), ee = ldi(rp, r + 1); e < ee; e++) {
        let j = ldi(iperm, ldi(acol, e));
        if (j >= i) continue;
        while (ldi(w1, j) != i) {
          sti(w1, j, i);
          sti(ccount, j, ldi(ccount, j) + 1);
          nnzL++;
          j = ldi(parent, j);
        }
      }
    }
    this.trueNnz = nnzL;
    // 5a. fundamental supernodes (w2 = number of children)
    fillI32(w2, n, 0);
    for (let j = 0; j < n; j++) {
      const p = ldi(parent, j);
      if (p >= 0) sti(w2, p, ldi(w2, p) + 1);
    }
    // w3[f] = fundamental supernode index of column; fstart list in w1
    let nf = 0;
    for (let j = 0; j < n; j++) {
      const merge = j > 0 && ldi(parent, j - 1) == j && ldi(ccount, j - 1) == ldi(ccount, j) + 1 && ldi(w2, j) == 1;
      if (!merge) sti(w1, nf++, j);
      sti(w3, j, nf - 1);
    }
    // 5b. relaxed amalgamation on fundamental supernodes. Work arrays per fundamental supernode (size nf ≤ n):
    //   fpar = parent supernode, gcols / grows / gzeros = merged group's #columns, #rows of first column, #zeros,
    //   link = group representative (union-find towards the lower-numbered first supernode of the group).
    const sup = this.a32(nf + 1); // ≥ nsuper + 1, allocated before the temporaries so they can be released
    this.super = sup;
    const fpar = allocI32(nf);
    const gcols = allocI32(nf);
    const grows = allocI32(nf);
    const gz = allocF64(nf);
    const link = allocI32(nf + 1);
    for (let s = 0; s < nf; s++) {
      const f = ldi(w1, s);
      const l = s + 1 < nf ? ldi(w1, s + 1) - 1 : n - 1;
      const p = ldi(parent, l);
      sti(fpar, s, p < 0 ? -1 : ldi(w3, p));
      sti(gcols, s, l - f + 1);
      sti(grows, s, ldi(ccount, f));
      stf(gz, s, 0);
      sti(link, s, s);
    }
    for (let j = nf - 2; j >= 0; j--) {
      const p = ldi(fpar, j);
      if (p < 0) continue;
      const r = findRep(link, j + 1);
      if (findRep(link, p) != r) continue;
      const nj = ldi(gcols, j),
        nr = ldi(gcols, r);
      const mj = ldi(grows, j),
        mr = ldi(grows, r);
      const nc = nj + nr;
      const m = nj + mr;
      // entries of the dense trapezoids: c·m − c(c−1)/2
      const denseMerged = <f64>nc * <f64>m - (<f64>nc * <f64>(nc - 1)) / 2;
      const realJ = <f64>nj * <f64>mj - (<f64>nj * <f64>(nj - 1)) / 2 - ldf(gz, j);
      const realR = <f64>nr * <f64>mr - (<f64>nr * <f64>(nr - 1)) / 2 - ldf(gz, r);
      const zeros = denseMerged - realJ - realR;
      const frac = zeros / denseMerged;
      let ok = false;
      if (nc <= RELAX_NCOLS_0) ok = true;
      else if (nc <= RELAX_NCOLS_1) ok = frac < RELAX_FRAC_1;
      else if (nc <= RELAX_NCOLS_2) ok = frac < RELAX_FRAC_2;
      else ok = frac < RELAX_FRAC_3;
      if (!ok) continue;
      sti(link, r, j);
      sti(gcols, j, nc);
      sti(grows, j, m);
      stf(gz, j, zeros);
    }
    // final supernodes: groups are contiguous ranges of fundamental supernodes starting at their representative
    let ns = 0;
    for (let s = 0; s < nf; s++) if (findRep(link, s) == s) ns++;
    this.nsuper = ns;
    ns = 0;
    // map (free until factor) temporarily holds the row count of each final supernode: for a group formed by
    // merging j into r it is ncols(j) + rows(r) exactly, because struct(L(:, last j)) ⊂ rows(r).
    for (let s = 0; s < nf; s++) {
      if (findRep(link, s) == s) {
        sti(map, ns, ldi(grows, s));
        sti(sup, ns++, ldi(w1, s));
      }
    }
    sti(sup, ns, n);
    for (let s = 0; s < ns; s++) for (let j = ldi(sup, s), e = ldi(sup, s + 1); j < e; j++) sti(colSuper, j, s);
    heap.free(link);
    heap.free(gz);
    heap.free(grows);
    heap.free(gcols);
    heap.free(fpar);
    // 6. row structures. Child lists of the supernodal tree (w1 = first child, w2 = next sibling), w3 = marker.
    fillI32(w1, ns, -1);
    for (let s = ns - 1; s >= 0; s--) {
      const p = ldi(parent, ldi(sup, s + 1) - 1);
      if (p >= 0) {
        const ps = ldi(colSuper, p);
        sti(w2, s, ldi(w1, ps));
        sti(w1, ps, s);
      }
    }
    const rowPtr = this.a32(ns + 1);
    this.rowPtr = rowPtr;
    let total: i64 = 0;
    for (let s = 0; s < ns; s++) {
      sti(rowPtr, s, <i32>total);
      total += ldi(map, s);
    }
    sti(rowPtr, ns, <i32>total);
    const rows = this.a32(<i32>total);
    this.rows = rows;
    fillI32(w3, n, -1);
    for (let s = 0; s < ns; s++) {
      const cnt = structure(this, s, w1, w2, w3, rows, rp, acol, ldi(rowPtr, s));
      assert(cnt == ldi(rowPtr, s + 1) - ldi(rowPtr, s), 'supernode row count mismatch');
    }
    // 7. factor storage and the scatter map of A
    const lxPtr = this.a32(ns + 1);
    this.lxPtr = lxPtr;
    let lt: i64 = 0;
    let maxC: i64 = 1;
    for (let s = 0; s < ns; s++) {
      sti(lxPtr, s, <i32>lt);
      const nc = ldi(sup, s + 1) - ldi(sup, s);
      const nr = ldi(rowPtr, s + 1) - ldi(rowPtr, s);
      lt += <i64>nc * <i64>nr;
      if (<i64>nc * <i64>nr > maxC) maxC = <i64>nc * <i64>nr;
    }
    sti(lxPtr, ns, <i32>lt);
    this.lxSize = lt;
    this.lx = this.a64(lt);
    this.lx32 = lt >= this.singleCopyMinEntries ? this.a64((lt + 1) >> 1) : 0;
    this.cbuf = this.a64(maxC);
    let maxR = 1;
    for (let s = 0; s < ns; s++) maxR = max(maxR, ldi(rowPtr, s + 1) - ldi(rowPtr, s));
    this.rel = this.a32(maxR);
    this.tbuf = this.a64(maxR);
    this.runEnd = this.a32(maxR);
    this.packRows = maxR + 4;
    this.pack = this.a64(<i64>(maxR + 4) * <i64>KC);
    // flop count of the factorisation: Σ_j |L(:, j)|² over the stored (amalgamated) columns
    let fl: f64 = 0;
    for (let s = 0; s < ns; s++) {
      const nc = ldi(sup, s + 1) - ldi(sup, s);
      const nr = ldi(rowPtr, s + 1) - ldi(rowPtr, s);
      for (let j = 0; j < nc; j++) fl += <f64>(nr - j) * <f64>(nr - j);
    }
    this.flops = fl;
    this.head = this.a32(ns);
    this.next = this.a32(ns);
    this.pos = this.a32(ns);
    for (let s = 0; s < ns; s++) {
      const f = ldi(sup, s);
      const l = ldi(sup, s + 1);
      const r0 = ldi(rowPtr, s);
      const nr = ldi(rowPtr, s + 1) - r0;
      for (let t = 0; t < nr; t++) sti(map, ldi(rows, r0 + t), t);
      const base = ldi(lxPtr, s);
      for (let j = f; j < l; j++) {
        const r = ldi(perm, j);
        for (let e = ldi(rp, r), ee = ldi(rp, r + 1); e < ee; e++) {
          const i = ldi(iperm, ldi(acol, e));
          sti(dest, e, i >= j ? base + (j - f) * nr + ldi(map, i) : -1);
        }
      }
    }
    heap.free(ccount);
    heap.free(w3);
    heap.free(w2);
    heap.free(w1);
    heap.free(parent);
  }

  /** Numeric factorisation A = L Lᵀ of values f64[nnz]; returns false if not positive definite. */
  factor(values: usize): bool {
    this.factored = false;
    setPackBuffer(this.pack, this.packRows);
    const ns = this.nsuper;
    const sup = this.super;
    const rowPtr = this.rowPtr;
    const rows = this.rows;
    const lxPtr = this.lxPtr;
    const lx = this.lx;
    const map = this.map;
    const head = this.head;
    const next = this.next;
    const pos = this.pos;
    const colSuper = this.colSuper;
    const perm = this.perm;
    const dest = this.dest;
    const cbuf = this.cbuf;
    const rel = this.rel;
    const runEnd = this.runEnd;
    const inverseDiagonal = this.inverseDiagonal;
    const rp = changetype<SparsePattern>(this.A).rowPtr;
    fillI32(head, ns, -1);
    for (let s = 0; s < ns; s++) {
      const f = ldi(sup, s);
      const l = ldi(sup, s + 1);
      const nc = l - f;
      const r0 = ldi(rowPtr, s);
      const nr = ldi(rowPtr, s + 1) - r0;
      const Ls = lx + ((<usize>ldi(lxPtr, s)) << 3);
      // L_s ← A(:, s)
      memory.fill(Ls, 0, (<usize>nc * <usize>nr) << 3);
      for (let j = f; j < l; j++) {
        const r = ldi(perm, j);
        for (let e = ldi(rp, r), ee = ldi(rp, r + 1); e < ee; e++) {
          const d = ldi(dest, e);
          if (d >= 0) stf(lx, d, ldf(values, e));
        }
      }
      for (let t = 0; t < nr; t++) sti(map, ldi(rows, r0 + t), t);
      // updates from descendants
      let d = ldi(head, s);
      while (d != -1) {
        const dnext = ldi(next, d);
        const dr0 = ldi(rowPtr, d);
        const dnr = ldi(rowPtr, d + 1) - dr0;
        const dnc = ldi(sup, d + 1) - ldi(sup, d);
        const pd = ldi(pos, d);
        let p1 = pd;
        while (p1 < dnr && ldi(rows, dr0 + p1) < l) p1++;
        const m1 = p1 - pd; // rows of d inside the columns of s
        const m2 = dnr - pd; // all remaining rows of d
        const Ld = lx + ((<usize>ldi(lxPtr, d)) << 3) + ((<usize>pd) << 3);
        gemmLowerUpdate(Ld, dnr, dnc, m2, m1, cbuf);
        // scatter C (m2 × m1, column-major, lower part) into L_s through relative row indices. d's rows are a
        // sorted subset of s's, so rel is increasing; maximal runs of consecutive rel (runEnd) are subtracted as
        // dense vectors.
        const drows = rows + ((<usize>(dr0 + pd)) << 2);
        for (let ii = 0; ii < m2; ii++) sti(rel, ii, ldi(map, ldi(drows, ii)));
        sti(runEnd, m2 - 1, m2);
        for (let ii = m2 - 2; ii >= 0; ii--)
          sti(runEnd, ii, ldi(rel, ii + 1) == ldi(rel, ii) + 1 ? ldi(runEnd, ii + 1) : ii + 1);
        for (let jj = 0; jj < m1; jj++) {
          const cj = ldi(drows, jj) - f;
          const colBase = Ls + ((<usize>cj * <usize>nr) << 3);
          const cb = cbuf + ((<usize>jj * <usize>m2) << 3);
          let ii = jj;
          while (ii < m2) {
            const e = ldi(runEnd, ii);
            subVec(colBase + ((<usize>ldi(rel, ii)) << 3), cb + ((<usize>ii) << 3), e - ii);
            ii = e;
          }
        }
        if (p1 < dnr) {
          sti(pos, d, p1);
          const t = ldi(colSuper, ldi(rows, dr0 + p1));
          sti(next, d, ldi(head, t));
          sti(head, t, d);
        }
        d = dnext;
      }
      if (!panelFactor(Ls, nr, nc)) return false;
      for (let j = 0; j < nc; j++) stf(inverseDiagonal, f + j, 1.0 / ldf(Ls, j * nr + j));
      if (nr > nc) {
        sti(pos, s, nc);
        const t = ldi(colSuper, ldi(rows, r0 + nc));
        sti(next, s, ldi(head, t));
        sti(head, t, s);
      }
    }
    if (this.lx32 != 0) {
      const lx = this.lx;
      const lx32 = this.lx32;
      const total = this.lxSize;
      for (let k: i64 = 0; k < total; k++) store<f32>(lx32 + ((<usize>k) << 2), <f32>load<f64>(lx + ((<usize>k) << 3)));
    }
    this.factored = true;
    return true;
  }

  /** Solve L Lᵀ x = b (b, x: f64[n]; may alias). */
  solve(b: usize, x: usize): void {
    const n = this.n;
    const y = this.y;
    const perm = this.perm;
    for (let k = 0; k < n; k++) stf(y, k, ldf(b, ldi(perm, k)));
    this.solveInPlace(y);
    for (let k = 0; k < n; k++) stf(x, ldi(perm, k), ldf(y, k));
  }

  /**
   * Solve L Lᵀ x = b with the single-precision copy of L (`singleCopyMinEntries`), or with L itself when no copy
   * is kept: the preconditioner of the stale PCG solves. The entries are f32 but every operation is in f64, so the
   * preconditioner is the exact inverse of the SPD matrix L₃₂ L₃₂ᵀ, a valid fixed PCG preconditioner; the
   * triangular solves, which stream the whole factor and are memory-bound once it outgrows the caches, read half
   * the bytes.
   */
  solveSingle(b: usize, x: usize): void {
    const n = this.n;
    const y = this.y;
    const perm = this.perm;
    for (let k = 0; k < n; k++) stf(y, k, ldf(b, ldi(perm, k)));
    if (this.lx32 != 0) this.solveInPlaceAs<f32>(y, this.lx32);
    else this.solveInPlaceAs<f64>(y, this.lx);
    for (let k = 0; k < n; k++) stf(x, ldi(perm, k), ldf(y, k));
  }

  /** Solve in the permuted numbering, in place on y (the f64 factor). */
  solveInPlace(y: usize): void {
    this.solveInPlaceAs<f64>(y, this.lx);
  }

  /**
   * Solve in the permuted numbering, in place on y, with the factor entries stored as T (f64: `lx`, f32: `lx32`,
   * the same layout) and the arithmetic in f64. Per supernode the dense block is split into the triangle L11
   * (small triangular solve) and the rectangle L21 (rows `rows[nc…]`): forward, t = L21 x_s is accumulated densely
   * (4 columns per pass, f64x2) and then scattered once into y; backward, y is gathered once into t and
   * x_s −= L21ᵀ t runs as 4 simultaneous dot products. No indirect access inside the dense loops.
   */
  private solveInPlaceAs<T>(y: usize, lx: usize): void {
    const E = <usize>sizeof<T>();
    const ns = this.nsuper;
    const sup = this.super;
    const rowPtr = this.rowPtr;
    const rows = this.rows;
    const lxPtr = this.lxPtr;
    const t = this.tbuf;
    // forward: L y = b
    for (let s = 0; s < ns; s++) {
      const f = ldi(sup, s);
      const nc = ldi(sup, s + 1) - f;
      const r0 = ldi(rowPtr, s);
      const nr = ldi(rowPtr, s + 1) - r0;
      const Ls = lx + <usize>ldi(lxPtr, s) * E;
      const ys = y + ((<usize>f) << 3);
      const ldb = <usize>nr * E;
      // L11 z = y_s (column-oriented, two rows per f64x2)
      const dinv = this.inverseDiagonal + ((<usize>f) << 3);
      for (let j = 0; j < nc; j++) {
        const col = Ls + <usize>j * ldb;
        const yj = ldf(ys, j) * ldf(dinv, j);
        stf(ys, j, yj);
        const yv = f64x2.splat(yj);
        let i = j + 1;
        for (; i + 1 < nc; i += 2) {
          const o = ys + ((<usize>i) << 3);
          v128.store(o, f64x2.sub(v128.load(o), f64x2.mul(ld2As<T>(col + <usize>i * E), yv)));
        }
        if (i < nc) stf(ys, i, ldf(ys, i) - ldAs<T>(col, i) * yj);
      }
      const m = nr - nc;
      if (m == 0) continue;
      // t = L21 z
      const L21 = Ls + <usize>nc * E;
      for (let i = 0; i < m; i++) stf(t, i, 0);
      let j = 0;
      for (; j + 3 < nc; j += 4) {
        const c0 = L21 + <usize>j * ldb;
        const c1 = c0 + ldb;
        const c2 = c1 + ldb;
        const c3 = c2 + ldb;
        const z0 = f64x2.splat(ldf(ys, j)),
          z1 = f64x2.splat(ldf(ys, j + 1)),
          z2 = f64x2.splat(ldf(ys, j + 2)),
          z3 = f64x2.splat(ldf(ys, j + 3));
        let i = 0;
        for (; i + 1 < m; i += 2) {
          const o = (<usize>i) << 3;
          const oT = <usize>i * E;
          let v = v128.load(t + o);
          v = f64x2.add(v, f64x2.mul(ld2As<T>(c0 + oT), z0));
          v = f64x2.add(v, f64x2.mul(ld2As<T>(c1 + oT), z1));
          v = f64x2.add(v, f64x2.mul(ld2As<T>(c2 + oT), z2));
          v = f64x2.add(v, f64x2.mul(ld2As<T>(c3 + oT), z3));
          v128.store(t + o, v);
        }
        for (; i < m; i++)
          stf(
            t,
            i,
            ldf(t, i) +
              ldAs<T>(c0, i) * ldf(ys, j) +
              ldAs<T>(c1, i) * ldf(ys, j + 1) +
              ldAs<T>(c2, i) * ldf(ys, j + 2) +
              ldAs<T>(c3, i) * ldf(ys, j + 3),
          );
      }
      for (; j < nc; j++) {
        const c0 = L21 + <usize>j * ldb;
        const zj = ldf(ys, j);
        for (let i = 0; i < m; i++) stf(t, i, ldf(t, i) + ldAs<T>(c0, i) * zj);
      }
      const srows = rows + ((<usize>(r0 + nc)) << 2);
      for (let i = 0; i < m; i++) {
        const r = ldi(srows, i);
        stf(y, r, ldf(y, r) - ldf(t, i));
      }
    }
    // backward: Lᵀ x = y
    for (let s = ns - 1; s >= 0; s--) {
      const f = ldi(sup, s);
      const nc = ldi(sup, s + 1) - f;
      const r0 = ldi(rowPtr, s);
      const nr = ldi(rowPtr, s + 1) - r0;
      const Ls = lx + <usize>ldi(lxPtr, s) * E;
      const ys = y + ((<usize>f) << 3);
      const ldb = <usize>nr * E;
      const m = nr - nc;
      if (m > 0) {
        const srows = rows + ((<usize>(r0 + nc)) << 2);
        for (let i = 0; i < m; i++) stf(t, i, ldf(y, ldi(srows, i)));
        const L21 = Ls + <usize>nc * E;
        let j = 0;
        for (; j + 3 < nc; j += 4) {
          const c0 = L21 + <usize>j * ldb;
          const c1 = c0 + ldb;
          const c2 = c1 + ldb;
          const c3 = c2 + ldb;
          let a0 = f64x2.splat(0),
            a1 = f64x2.splat(0),
            a2 = f64x2.splat(0),
            a3 = f64x2.splat(0);
          let i = 0;
          for (; i + 1 < m; i += 2) {
            const o = (<usize>i) << 3;
            const oT = <usize>i * E;
            const tv = v128.load(t + o);
            a0 = f64x2.add(a0, f64x2.mul(ld2As<T>(c0 + oT), tv));
            a1 = f64x2.add(a1, f64x2.mul(ld2As<T>(c1 + oT), tv));
            a2 = f64x2.add(a2, f64x2.mul(ld2As<T>(c2 + oT), tv));
            a3 = f64x2.add(a3, f64x2.mul(ld2As<T>(c3 + oT), tv));
          }
          let s0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
          let s1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
          let s2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
          let s3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
          for (; i < m; i++) {
            const tv = ldf(t, i);
            s0 += ldAs<T>(c0, i) * tv;
            s1 += ldAs<T>(c1, i) * tv;
            s2 += ldAs<T>(c2, i) * tv;
            s3 += ldAs<T>(c3, i) * tv;
          }
          stf(ys, j, ldf(ys, j) - s0);
          stf(ys, j + 1, ldf(ys, j + 1) - s1);
          stf(ys, j + 2, ldf(ys, j + 2) - s2);
          stf(ys, j + 3, ldf(ys, j + 3) - s3);
        }
        for (; j < nc; j++) {
          const c0 = L21 + <usize>j * ldb;
          let s0: f64 = 0;
          for (let i = 0; i < m; i++) s0 += ldAs<T>(c0, i) * ldf(t, i);
          stf(ys, j, ldf(ys, j) - s0);
        }
      }
      // L11ᵀ x_s = y_s (dot-product form, two rows per f64x2)
      const dinv = this.inverseDiagonal + ((<usize>f) << 3);
      for (let j = nc - 1; j >= 0; j--) {
        const col = Ls + <usize>j * ldb;
        let acc = f64x2.splat(0);
        let i = j + 1;
        for (; i + 1 < nc; i += 2)
          acc = f64x2.add(acc, f64x2.mul(ld2As<T>(col + <usize>i * E), v128.load(ys + ((<usize>i) << 3))));
        let sum = ldf(ys, j) - (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1));
        if (i < nc) sum -= ldAs<T>(col, i) * ldf(ys, i);
        stf(ys, j, sum * ldf(dinv, j));
      }
    }
  }

  /** nnz(L) as stored (dense supernodal trapezoids, including the explicit zeros of amalgamation). */
  factorNonzeros(): i64 {
    let t: i64 = 0;
    const ns = this.nsuper;
    for (let s = 0; s < ns; s++) {
      const nc = <i64>(ldi(this.super, s + 1) - ldi(this.super, s));
      const nr = <i64>(ldi(this.rowPtr, s + 1) - ldi(this.rowPtr, s));
      t += nc * nr - (nc * (nc - 1)) / 2;
    }
    return t;
  }

  /** Structural nnz(L) of the exact factor (no amalgamation zeros). */
  exactNonzeros(): i64 {
    return this.trueNnz;
  }

  /** Memory held (bytes). */
  bytes(): usize {
    return this.allocated;
  }
}

function findRep(link: usize, s: i32): i32 {
  while (ldi(link, s) != s) s = ldi(link, s);
  return s;
}

/**
 * Elimination tree of P A Pᵀ (Liu): for each column k, every i < k with a_ik ≠ 0 is climbed through its virtual
 * ancestors (path compression) to its current root, which becomes a child of k.
 */
function etree(n: i32, rp: usize, acol: usize, perm: usize, iperm: usize, parent: usize, anc: usize): void {
  for (let k = 0; k < n; k++) {
    sti(parent, k, -1);
    sti(anc, k, -1);
    const r = ldi(perm, k);
    for (let e = ldi(rp, r), ee = ldi(rp, r + 1); e < ee; e++) {
      let i = ldi(iperm, ldi(acol, e));
      while (i != -1 && i < k) {
        const nx = ldi(anc, i);
        sti(anc, i, k);
        if (nx == -1) sti(parent, i, k);
        i = nx;
      }
    }
  }
}

/**
 * Row structure of supernode s: its columns, then (sorted) the rows > last column from A's columns in s and from
 * the (already built) structures of its child supernodes. Writes at rows + start; returns the count.
 */
function structure(
  ch: Cholesky,
  s: i32,
  firstChild: usize,
  nextSib: usize,
  mark: usize,
  rows: usize,
  rp: usize,
  acol: usize,
  start: i32,
): i32 {
  const sup = ch.super;
  const f = ldi(sup, s);
  const l = ldi(sup, s + 1);
  const perm = ch.perm;
  const iperm = ch.iperm;
  let cnt = 0;
  const tag = s;
  for (let j = f; j < l; j++) {
    sti(rows, start + cnt, j);
    cnt++;
    sti(mark, j, tag);
  }
  for (let j = f; j < l; j++) {
    const r = ldi(perm, j);
    for (let e = ldi(rp, r), ee = ldi(rp, r + 1); e < ee; e++) {
      const i = ldi(iperm, ldi(acol, e));
      if (i >= l && ldi(mark, i) != tag) {
        sti(mark, i, tag);
        sti(rows, start + cnt, i);
        cnt++;
      }
    }
  }
  const rowPtr = ch.rowPtr;
  let c = ldi(firstChild, s);
  while (c != -1) {
    for (let t = ldi(rowPtr, c), te = ldi(rowPtr, c + 1); t < te; t++) {
      const i = ldi(rows, t);
      if (i >= l && ldi(mark, i) != tag) {
        sti(mark, i, tag);
        sti(rows, start + cnt, i);
        cnt++;
      }
    }
    c = ldi(nextSib, c);
  }
  sortI32(rows, start + (l - f), start + cnt);
  return cnt;
}

/** Entry i of a factor column stored as T (f64 or f32), as f64. */
function ldAs<T>(p: usize, i: i32): f64 {
  return <f64>load<T>(p + <usize>i * sizeof<T>());
}

/** Two consecutive factor entries stored as T, as an f64x2. */
function ld2As<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load(p);
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}
