/**
 * Sparse symmetric positive-definite direct solver for the TS oracle kernel.
 *
 *  1. Ordering: geometric nested dissection. The vertex set is split at the median of its longer bounding-box
 *     axis; the vertices of the first half that touch the second half form the separator S. Order(V) =
 *     Order(first half \ S), Order(second half), S. Leaves (≤ 64 vertices) keep their input order. On 2D meshes this
 *     gives O(n log n) fill and O(n^1.5) factorisation work.
 *  2. Storage: the permuted matrix C = P A Pᵀ, upper triangle, compressed sparse columns (column j holds the rows
 *     i ≤ j, sorted). The pattern is fixed at construction; callers write values through `position(i, j)`.
 *  3. Symbolic analysis: elimination tree (Liu) and, by walking the row subtrees, the column counts of L.
 *  4. Numeric factorisation C = L Lᵀ, up-looking (row k of L from the sparse triangular solve
 *     L(0:k−1, 0:k−1) l = C(0:k−1, k), the pattern of l being the reach of C(:, k) in the elimination tree),
 *     l_kk = sqrt(c_kk − l·l). This is the algorithm of T. Davis, "Direct Methods for Sparse Linear Systems", §4.
 *  5. Solve: L y = P b, Lᵀ z = y, x = Pᵀ z.
 */

const LEAF_SIZE = 64;

/**
 * Nested-dissection ordering of a graph with vertex coordinates. Returns perm: perm[k] = vertex eliminated k-th.
 * adjPtr/adjIdx: symmetric adjacency (CSR, no self loops); coords: [x0, y0, x1, y1, …].
 */
export function nestedDissectionOrder(
  n: number,
  adjPtr: Int32Array,
  adjIdx: Int32Array,
  coords: Float64Array,
): Int32Array {
  const perm = new Int32Array(n);
  let filled = 0;
  const side = new Int8Array(n);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;

  const recurse = (verts: Int32Array): void => {
    const m = verts.length;
    if (m <= LEAF_SIZE) {
      for (let k = 0; k < m; k++) perm[filled++] = verts[k];
      return;
    }
    let xmin = Infinity,
      xmax = -Infinity,
      ymin = Infinity,
      ymax = -Infinity;
    for (let k = 0; k < m; k++) {
      const v = verts[k];
      const x = coords[2 * v],
        y = coords[2 * v + 1];
      if (x < xmin) xmin = x;
      if (x > xmax) xmax = x;
      if (y < ymin) ymin = y;
      if (y > ymax) ymax = y;
    }
    const axis = xmax - xmin >= ymax - ymin ? 0 : 1;
    const sorted = Array.from(verts).sort((a, b) => coords[2 * a + axis] - coords[2 * b + axis] || a - b);
    const mid = m >> 1;
    for (let k = 0; k < m; k++) side[sorted[k]] = k < mid ? 1 : 2;
    const firstRest: number[] = [];
    const separator: number[] = [];
    for (let k = 0; k < mid; k++) {
      const v = sorted[k];
      let touches = false;
      for (let p = adjPtr[v]; p < adjPtr[v + 1]; p++) {
        if (side[adjIdx[p]] === 2) {
          touches = true;
          break;
        }
      }
      (touches ? separator : firstRest).push(v);
    }
    for (let k = 0; k < m; k++) side[sorted[k]] = 0;
    recurse(Int32Array.from(firstRest));
    recurse(Int32Array.from(sorted.slice(mid)));
    for (const v of separator) perm[filled++] = v;
  };
  recurse(all);
  return perm;
}

export class SparseCholesky {
  readonly n: number;
  /** perm[k] = original index at permuted position k; pinv the inverse. */
  readonly perm: Int32Array;
  readonly pinv: Int32Array;
  /** Permuted upper triangle of A (CSC). `values` is written by the caller. */
  readonly Cp: Int32Array;
  readonly Ci: Int32Array;
  readonly values: Float64Array;
  private readonly parent: Int32Array;
  private readonly Lp: Int32Array;
  private readonly Li: Int32Array;
  private readonly Lx: Float64Array;
  private readonly next: Int32Array;
  private readonly work: Float64Array;
  private readonly mark: Int32Array;
  private readonly stack: Int32Array;
  private readonly reach: Int32Array;
  private readonly tmp: Float64Array;

  /**
   * @param n number of unknowns
   * @param adjPtr/adjIdx symmetric off-diagonal pattern (CSR, original numbering, no duplicates needed)
   * @param coords vertex coordinates for the ordering (2 per unknown)
   */
  constructor(n: number, adjPtr: Int32Array, adjIdx: Int32Array, coords: Float64Array) {
    this.n = n;
    this.perm = nestedDissectionOrder(n, adjPtr, adjIdx, coords);
    this.pinv = new Int32Array(n);
    for (let k = 0; k < n; k++) this.pinv[this.perm[k]] = k;
    // Upper triangle of C: column j' = pinv[j] gets rows i' = pinv[i] ≤ j'.
    const counts = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const pi = this.pinv[i];
      counts[pi + 1]++; // diagonal
      for (let p = adjPtr[i]; p < adjPtr[i + 1]; p++) {
        const pj = this.pinv[adjIdx[p]];
        if (pi < pj) counts[pj + 1]++;
      }
    }
    const Cp = new Int32Array(n + 1);
    for (let j = 0; j < n; j++) Cp[j + 1] = Cp[j] + counts[j + 1];
    const fill = Cp.slice(0, n);
    const Ci = new Int32Array(Cp[n]);
    for (let i = 0; i < n; i++) {
      const pi = this.pinv[i];
      Ci[fill[pi]++] = pi;
      for (let p = adjPtr[i]; p < adjPtr[i + 1]; p++) {
        const pj = this.pinv[adjIdx[p]];
        if (pi < pj) Ci[fill[pj]++] = pi;
      }
    }
    for (let j = 0; j < n; j++) {
      const col = Ci.subarray(Cp[j], Cp[j + 1]);
      col.sort();
      for (let k = 1; k < col.length; k++) if (col[k] === col[k - 1]) throw new Error('duplicate matrix entry');
    }
    this.Cp = Cp;
    this.Ci = Ci;
    this.values = new Float64Array(Ci.length);

    // Elimination tree of C (upper triangle by columns): for each entry (i, k), i < k, climb from i with path
    // compression through `ancestor` until reaching a root, which becomes a child of k.
    const parent = new Int32Array(n).fill(-1);
    const ancestor = new Int32Array(n).fill(-1);
    for (let k = 0; k < n; k++) {
      for (let p = Cp[k]; p < Cp[k + 1]; p++) {
        let i = Ci[p];
        while (i !== -1 && i < k) {
          const inext = ancestor[i];
          ancestor[i] = k;
          if (inext === -1) parent[i] = k;
          i = inext;
        }
      }
    }
    this.parent = parent;
    this.mark = new Int32Array(n).fill(-1);
    this.stack = new Int32Array(n);
    this.reach = new Int32Array(n);
    // Column counts of L: row k of L has the pattern reach(k); count each entry in its column (+ diagonal).
    const colCount = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const top = this.ereach(k);
      for (let t = top; t < n; t++) colCount[this.reach[t]]++;
      colCount[k]++;
    }
    const Lp = new Int32Array(n + 1);
    for (let j = 0; j < n; j++) Lp[j + 1] = Lp[j] + colCount[j];
    this.Lp = Lp;
    this.Li = new Int32Array(Lp[n]);
    this.Lx = new Float64Array(Lp[n]);
    this.next = new Int32Array(n);
    this.work = new Float64Array(n);
    this.tmp = new Float64Array(n);
  }

  /** Nonzeros of L (including the diagonal). */
  get factorNonzeros(): number {
    return this.Lp[this.n];
  }

  bytes(): number {
    return (
      this.perm.byteLength * 2 +
      this.Cp.byteLength +
      this.Ci.byteLength +
      this.values.byteLength +
      this.parent.byteLength +
      this.Lp.byteLength +
      this.Li.byteLength +
      this.Lx.byteLength +
      this.next.byteLength +
      this.work.byteLength +
      this.mark.byteLength +
      this.stack.byteLength +
      this.reach.byteLength +
      this.tmp.byteLength
    );
  }

  /**
   * Index into `values` of entry (i, j) (original numbering, either order), or −1 when i, j are not coupled.
   */
  position(i: number, j: number): number {
    let pi = this.pinv[i],
      pj = this.pinv[j];
    if (pi > pj) {
      const t = pi;
      pi = pj;
      pj = t;
    }
    let lo = this.Cp[pj],
      hi = this.Cp[pj + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.Ci[mid];
      if (r === pi) return mid;
      if (r < pi) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Pattern of row k of L: the vertices reached from the rows of C(:, k) by climbing the elimination tree up to
   * k, in topological order, left in reach[top … n−1]. Returns top.
   */
  private ereach(k: number): number {
    const { Cp, Ci, parent, mark, stack, reach, n } = this;
    let top = n;
    mark[k] = k;
    for (let p = Cp[k]; p < Cp[k + 1]; p++) {
      let i = Ci[p];
      if (i > k) continue;
      let len = 0;
      while (mark[i] !== k) {
        stack[len++] = i;
        mark[i] = k;
        i = parent[i];
      }
      while (len > 0) reach[--top] = stack[--len];
    }
    return top;
  }

  /** Numeric factorisation of the current `values`. Throws when the matrix is not positive definite. */
  factor(): void {
    const { n, Cp, Ci, values, Lp, Li, Lx, next, work: x, reach } = this;
    this.mark.fill(-1);
    for (let j = 0; j < n; j++) next[j] = Lp[j];
    for (let k = 0; k < n; k++) {
      const top = this.ereach(k);
      x[k] = 0;
      for (let p = Cp[k]; p < Cp[k + 1]; p++) x[Ci[p]] = values[p];
      let d = x[k];
      x[k] = 0;
      for (let t = top; t < n; t++) {
        const i = reach[t];
        const lki = x[i] / Lx[Lp[i]];
        x[i] = 0;
        const end = next[i];
        for (let p = Lp[i] + 1; p < end; p++) x[Li[p]] -= Lx[p] * lki;
        d -= lki * lki;
        const p = next[i]++;
        Li[p] = k;
        Lx[p] = lki;
      }
      if (!(d > 0)) throw new Error(`sparse Cholesky: matrix not positive definite at pivot ${k} (d = ${d})`);
      const p = next[k]++;
      Li[p] = k;
      Lx[p] = Math.sqrt(d);
    }
  }

  /** x = A⁻¹ b with the last factorisation (original numbering; x and b may alias). */
  solve(b: Float64Array, x: Float64Array): void {
    const { n, Lp, Li, Lx, perm, tmp: y } = this;
    for (let k = 0; k < n; k++) y[k] = b[perm[k]];
    // L y = b (columns of L, diagonal first).
    for (let j = 0; j < n; j++) {
      const yj = (y[j] /= Lx[Lp[j]]);
      for (let p = Lp[j] + 1; p < Lp[j + 1]; p++) y[Li[p]] -= Lx[p] * yj;
    }
    // Lᵀ z = y.
    for (let j = n - 1; j >= 0; j--) {
      let s = y[j];
      for (let p = Lp[j] + 1; p < Lp[j + 1]; p++) s -= Lx[p] * y[Li[p]];
      y[j] = s / Lx[Lp[j]];
    }
    for (let k = 0; k < n; k++) x[perm[k]] = y[k];
  }

  /** y = A x (original numbering) from the stored upper triangle. */
  multiply(x: Float64Array, y: Float64Array): void {
    const { n, Cp, Ci, values, perm } = this;
    y.fill(0);
    for (let j = 0; j < n; j++) {
      const oj = perm[j];
      for (let p = Cp[j]; p < Cp[j + 1]; p++) {
        const oi = perm[Ci[p]];
        const v = values[p];
        y[oi] += v * x[oj];
        if (oi !== oj) y[oj] += v * x[oi];
      }
    }
  }

  /** ‖b − A x‖ / ‖b‖ (0 when b = 0 and x solves it exactly). */
  relativeResidual(b: Float64Array, x: Float64Array): number {
    const r = this.tmp;
    this.multiply(x, r);
    let rr = 0,
      bb = 0;
    for (let i = 0; i < this.n; i++) {
      const d = b[i] - r[i];
      rr += d * d;
      bb += b[i] * b[i];
    }
    return bb > 0 ? Math.sqrt(rr / bb) : Math.sqrt(rr);
  }
}

/**
 * Builds a symmetric CSR adjacency (sorted, without duplicates or self loops) from a list of cliques (each
 * clique's vertices are all mutually coupled; negative entries are ignored).
 */
export function adjacencyFromCliques(
  n: number,
  cliques: Iterable<ArrayLike<number>>,
): { adjPtr: Int32Array; adjIdx: Int32Array } {
  const list = Array.isArray(cliques) ? (cliques as ArrayLike<number>[]) : Array.from(cliques);
  // Upper bound of each row: Σ over its cliques of (clique size − 1).
  const bound = new Int32Array(n + 1);
  for (const c of list) {
    let m = 0;
    for (let a = 0; a < c.length; a++) if (c[a] >= 0) m++;
    for (let a = 0; a < c.length; a++) if (c[a] >= 0) bound[c[a] + 1] += m - 1;
  }
  for (let i = 0; i < n; i++) bound[i + 1] += bound[i];
  const raw = new Int32Array(bound[n]);
  const fill = bound.slice(0, n);
  for (const c of list)
    for (let a = 0; a < c.length; a++) {
      const i = c[a];
      if (i < 0) continue;
      for (let b = 0; b < c.length; b++) {
        const j = c[b];
        if (j >= 0 && j !== i) raw[fill[i]++] = j;
      }
    }
  // Sort each row and drop duplicates.
  const adjPtr = new Int32Array(n + 1);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const row = raw.subarray(bound[i], fill[i]);
    row.sort();
    const start = w;
    for (let k = 0; k < row.length; k++) if (k === 0 || row[k] !== row[k - 1]) raw[w++] = row[k];
    adjPtr[i] = start;
  }
  adjPtr[n] = w;
  // adjPtr[i] is the start of row i in the compacted array.
  return { adjPtr, adjIdx: raw.slice(0, w) };
}
