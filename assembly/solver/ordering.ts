/**
 * Fill-reducing orderings for the sparse Cholesky factorisation: nested dissection (ND).
 *
 * Nested dissection (George 1973): split the graph of A by a small vertex separator S into two parts A₁, A₂ with no
 * edge between them, number A₁ first, then A₂, then S last, and recurse into A₁ and A₂. Eliminating A₁ never
 * creates fill in A₂ (and vice versa), so fill is confined to the (dense) separator blocks. On 2D meshes the
 * separators are O(√n) and nnz(L) = O(n log n), flops O(n^1.5) — optimal for planar graphs (Lipton–Rose–Tarjan).
 * The separators also become the large dense supernodes the supernodal factorisation feeds on.
 *
 * Splitting rule at each level (one code path, two sources of a "key" per vertex):
 *  - geometric (coords given): the key is the x or y coordinate, whichever axis the subset spans more widely;
 *  - graph-based (no coords): the key is the breadth-first level from a pseudo-peripheral vertex
 *    (George–Liu level structures), so a middle level set is a separator.
 * The subset is split at the median key (quickselect); the vertex separator is the boundary layer — the vertices
 * of one half that have a neighbour in the other half — taking the smaller of the two one-sided layers.
 *
 * Supervariables: rows with identical patterns (the x/y dofs of an elasticity node, interleaved) are merged
 * first, so the ordering works on nodes and keeps each node's 2×2 block together (half the work, same fill).
 *
 * All workspace is allocated and released (LIFO, which the stub runtime honours) inside `nestedDissection`.
 */
import { SparsePattern } from './sparse';
import { ldi, sti, ldf, stf, allocI32, allocF64 } from './mem';

/** Subsets at most this size are not dissected further. */
let LEAF: i32 = 8;
/** Geometric: evaluate both axes (else only the wider one). */
let BOTH_AXES: bool = true;
/** Candidate cut positions (fractions of the subset) evaluated per axis. */
let NCUTS: i32 = 5;
const CUTS: StaticArray<f64> = [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65];

/** Tuning hook (benchmarks): leaf size, both axes, number of candidate cuts. */
export function setOrderingOptions(leaf: i32, bothAxes: bool, ncuts: i32): void {
  LEAF = leaf;
  BOTH_AXES = bothAxes;
  NCUTS = min(ncuts, 7);
}

/** Compressed graph + workspace of one ordering run. */
class NDState {
  nv: i32 = 0;
  xadj: usize = 0; // i32[nv+1]
  adj: usize = 0; // i32[nadj]
  xy: usize = 0; // f64[2 nv] or 0
  vs: usize = 0; // i32[nv]: the vertex order being built
  label: usize = 0; // i32[nv]
  key: usize = 0; // f64[nv]
  tmp: usize = 0; // i32[nv]
  queue: usize = 0; // i32[nv]
  counter: i32 = 0;
}

/**
 * Nested-dissection ordering of the symmetric pattern A. coords: f64[2n] (x, y of each row's unknown) or 0 for a
 * purely graph-based ordering. Writes perm (i32[n], perm[k] = original row eliminated k-th).
 */
export function nestedDissection(A: SparsePattern, coords: usize, perm: usize): void {
  const n = A.n;
  if (n == 0) return;
  const rp = A.rowPtr;
  const col = A.col;
  // --- supervariables: consecutive rows with identical column patterns
  const svOf = allocI32(n);
  const svStart = allocI32(n + 1);
  let nv = 0;
  for (let i = 0; i < n; i++) {
    let same = false;
    if (i > 0) {
      const a0 = ldi(rp, i - 1);
      const a1 = ldi(rp, i);
      const b1 = ldi(rp, i + 1);
      if (a1 - a0 == b1 - a1) {
        same = true;
        for (let k = 0; k < a1 - a0; k++) {
          if (ldi(col, a0 + k) != ldi(col, a1 + k)) {
            same = false;
            break;
          }
        }
      }
    }
    if (!same) {
      sti(svStart, nv, i);
      nv++;
    }
    sti(svOf, i, nv - 1);
  }
  sti(svStart, nv, n);
  // --- compressed adjacency (no self loops); columns are sorted, so duplicates are consecutive
  const xadj = allocI32(nv + 1);
  const adj = allocI32(A.nnz);
  let na = 0;
  for (let v = 0; v < nv; v++) {
    sti(xadj, v, na);
    const r = ldi(svStart, v);
    let last = -1;
    for (let k = ldi(rp, r), e = ldi(rp, r + 1); k < e; k++) {
      const w = ldi(svOf, ldi(col, k));
      if (w != v && w != last) {
        sti(adj, na++, w);
        last = w;
      }
    }
  }
  sti(xadj, nv, na);
  const st = new NDState();
  st.nv = nv;
  st.xadj = xadj;
  st.adj = adj;
  let xy: usize = 0;
  if (coords != 0) {
    xy = allocF64(2 * nv);
    for (let v = 0; v < nv; v++) {
      const r = ldi(svStart, v);
      stf(xy, 2 * v, ldf(coords, 2 * r));
      stf(xy, 2 * v + 1, ldf(coords, 2 * r + 1));
    }
  }
  st.xy = xy;
  const vs = allocI32(nv);
  const label = allocI32(nv);
  const key = allocF64(nv);
  const tmp = allocI32(nv);
  const queue = allocI32(nv);
  st.vs = vs;
  st.label = label;
  st.key = key;
  st.tmp = tmp;
  st.queue = queue;
  for (let v = 0; v < nv; v++) {
    sti(vs, v, v);
    sti(label, v, 0);
  }
  dissect(st, 0, nv);
  // --- expand supervariables to rows
  let p = 0;
  for (let k = 0; k < nv; k++) {
    const v = ldi(vs, k);
    for (let r = ldi(svStart, v), e = ldi(svStart, v + 1); r < e; r++) sti(perm, p++, r);
  }
  // release workspace in reverse order of allocation
  heap.free(queue);
  heap.free(tmp);
  heap.free(key);
  heap.free(label);
  heap.free(vs);
  if (xy != 0) heap.free(xy);
  heap.free(adj);
  heap.free(xadj);
  heap.free(svStart);
  heap.free(svOf);
}

/** Keys of the subset vs[lo, hi) for one splitting direction: axis 0/1 = x/y coordinate, 2 = BFS level. */
function computeKeys(st: NDState, lo: i32, hi: i32, tag: i32, axis: i32): void {
  const vs = st.vs;
  const key = st.key;
  if (axis == 2) {
    bfsKeys(st, lo, hi, tag);
    return;
  }
  const xy = st.xy;
  for (let k = lo; k < hi; k++) {
    const v = ldi(vs, k);
    stf(key, v, ldf(xy, 2 * v + axis));
  }
}

/**
 * One-sided separator sizes of the split vs[lo, cut) | vs[cut, hi): returns min(|∂A|, |∂B|) and leaves the labels
 * tagA / tagB on the two halves.
 */
function separatorSize(st: NDState, lo: i32, cut: i32, hi: i32, tagA: i32, tagB: i32): i32 {
  const vs = st.vs;
  const label = st.label;
  const xadj = st.xadj;
  const adj = st.adj;
  for (let k = lo; k < cut; k++) sti(label, ldi(vs, k), tagA);
  for (let k = cut; k < hi; k++) sti(label, ldi(vs, k), tagB);
  let nsA = 0, nsB = 0;
  for (let k = lo; k < hi; k++) {
    const v = ldi(vs, k);
    const other = k < cut ? tagB : tagA;
    for (let e = ldi(xadj, v), ee = ldi(xadj, v + 1); e < ee; e++) {
      if (ldi(label, ldi(adj, e)) == other) {
        if (k < cut) nsA++;
        else nsB++;
        break;
      }
    }
  }
  return min(nsA, nsB);
}

/**
 * Order vs[lo, hi): recursively split, separator numbered last. Each candidate direction (x, y, or BFS levels)
 * is tried at a few cut positions around the median; the split with the smallest separator (weighted by
 * balance, cost = |S| · size² / (4 |A| |B|)) wins.
 */
function dissect(st: NDState, lo: i32, hi: i32): void {
  const size = hi - lo;
  if (size <= LEAF) return;
  const vs = st.vs;
  const label = st.label;
  const key = st.key;
  const xadj = st.xadj;
  const adj = st.adj;
  const tag = ++st.counter;
  for (let k = lo; k < hi; k++) sti(label, ldi(vs, k), tag);
  let axis0 = 2, axis1 = 2;
  if (st.xy != 0) {
    const xy = st.xy;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let k = lo; k < hi; k++) {
      const v = ldi(vs, k);
      const x = ldf(xy, 2 * v);
      const y = ldf(xy, 2 * v + 1);
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    axis0 = x1 - x0 >= y1 - y0 ? 0 : 1;
    axis1 = BOTH_AXES ? 1 - axis0 : axis0;
  }
  let bestCost = Infinity;
  let bestAxis = axis0;
  let bestCut = lo + (size >> 1);
  let sorted = -1; // axis vs is currently sorted by
  for (let ai = 0; ai < 2; ai++) {
    const axis = ai == 0 ? axis0 : axis1;
    if (ai == 1 && axis1 == axis0) break;
    // keys use the subset tag for BFS; restore it (separatorSize relabels)
    for (let k = lo; k < hi; k++) sti(label, ldi(vs, k), tag);
    computeKeys(st, lo, hi, tag, axis);
    sortByKey(vs, key, lo, hi - 1);
    sorted = axis;
    for (let c = 0; c < NCUTS; c++) {
      const cut = lo + <i32>(<f64>size * unchecked(CUTS[c]));
      if (cut <= lo || cut >= hi) continue;
      const tA = ++st.counter;
      const tB = ++st.counter;
      const sep = separatorSize(st, lo, cut, hi, tA, tB);
      const nA = <f64>(cut - lo), nB = <f64>(hi - cut);
      const cost = (<f64>sep * <f64>size * <f64>size) / (4 * nA * nB);
      if (cost < bestCost) {
        bestCost = cost;
        bestAxis = axis;
        bestCut = cut;
      }
    }
  }
  if (sorted != bestAxis) {
    for (let k = lo; k < hi; k++) sti(label, ldi(vs, k), tag);
    computeKeys(st, lo, hi, tag, bestAxis);
    sortByKey(vs, key, lo, hi - 1);
  }
  const mid = bestCut;
  const tagA = ++st.counter;
  const tagB = ++st.counter;
  for (let k = lo; k < mid; k++) sti(label, ldi(vs, k), tagA);
  for (let k = mid; k < hi; k++) sti(label, ldi(vs, k), tagB);
  // one-sided boundary layers
  let nsA = 0, nsB = 0;
  for (let k = lo; k < hi; k++) {
    const v = ldi(vs, k);
    const other = k < mid ? tagB : tagA;
    for (let e = ldi(xadj, v), ee = ldi(xadj, v + 1); e < ee; e++) {
      if (ldi(label, ldi(adj, e)) == other) {
        if (k < mid) nsA++;
        else nsB++;
        break;
      }
    }
  }
  const sepSide = nsA <= nsB ? tagA : tagB;
  const otherSide = sepSide == tagA ? tagB : tagA;
  const SEP = ++st.counter;
  for (let k = lo; k < hi; k++) {
    const v = ldi(vs, k);
    if (ldi(label, v) != sepSide) continue;
    for (let e = ldi(xadj, v), ee = ldi(xadj, v + 1); e < ee; e++) {
      if (ldi(label, ldi(adj, e)) == otherSide) {
        sti(label, v, SEP);
        break;
      }
    }
  }
  // rearrange: A \ S, B \ S, S
  const tmp = st.tmp;
  let p = lo;
  for (let k = lo; k < hi; k++) {
    const v = ldi(vs, k);
    if (ldi(label, v) == tagA) sti(tmp, p++, v);
  }
  const nA = p - lo;
  for (let k = lo; k < hi; k++) {
    const v = ldi(vs, k);
    if (ldi(label, v) == tagB) sti(tmp, p++, v);
  }
  const nB = p - lo - nA;
  for (let k = lo; k < hi; k++) {
    const v = ldi(vs, k);
    if (ldi(label, v) == SEP) sti(tmp, p++, v);
  }
  memory.copy(vs + (<usize>lo << 2), tmp + (<usize>lo << 2), <usize>size << 2);
  if (nA == size || nB == size) return; // could not split (cannot happen with an interior cut, kept as a guard)
  dissect(st, lo, lo + nA);
  dissect(st, lo + nA, lo + nA + nB);
}

/** Sort vs[lo..hi] ascending by key[vs[·]] (quicksort; ties keep no particular order but deterministically). */
function sortByKey(vs: usize, key: usize, lo: i32, hi: i32): void {
  while (hi - lo > 12) {
    const m = lo + ((hi - lo) >> 1);
    const a = ldf(key, ldi(vs, lo)), b = ldf(key, ldi(vs, m)), c = ldf(key, ldi(vs, hi));
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo, j = hi;
    while (i <= j) {
      while (ldf(key, ldi(vs, i)) < pivot) i++;
      while (ldf(key, ldi(vs, j)) > pivot) j--;
      if (i <= j) {
        const t = ldi(vs, i);
        sti(vs, i, ldi(vs, j));
        sti(vs, j, t);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      sortByKey(vs, key, lo, j);
      lo = i;
    } else {
      sortByKey(vs, key, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = ldi(vs, i);
    const kv = ldf(key, v);
    let j = i - 1;
    while (j >= lo && ldf(key, ldi(vs, j)) > kv) {
      sti(vs, j + 1, ldi(vs, j));
      j--;
    }
    sti(vs, j + 1, v);
  }
}

/** key[v] = BFS level from a pseudo-peripheral vertex of the subset labelled tag (two sweeps). */
function bfsKeys(st: NDState, lo: i32, hi: i32, tag: i32): void {
  let start = ldi(st.vs, lo);
  for (let sweep = 0; sweep < 2; sweep++) start = bfs(st, lo, hi, tag, start);
}

/** BFS within the subset; writes key = level (unreached: a large value); returns the last vertex reached. */
function bfs(st: NDState, lo: i32, hi: i32, tag: i32, start: i32): i32 {
  const vs = st.vs;
  const key = st.key;
  const label = st.label;
  const queue = st.queue;
  const xadj = st.xadj;
  const adj = st.adj;
  for (let k = lo; k < hi; k++) stf(key, ldi(vs, k), 1e300);
  let qh = 0, qt = 0;
  sti(queue, qt++, start);
  stf(key, start, 0);
  let last = start;
  while (qh < qt) {
    const v = ldi(queue, qh++);
    last = v;
    const lv = ldf(key, v) + 1;
    for (let e = ldi(xadj, v), ee = ldi(xadj, v + 1); e < ee; e++) {
      const w = ldi(adj, e);
      if (ldi(label, w) == tag && ldf(key, w) == 1e300) {
        stf(key, w, lv);
        sti(queue, qt++, w);
      }
    }
  }
  return last;
}
