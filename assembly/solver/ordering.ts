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
/** Cut positions evaluated: every position with min(|A|, |B|) ≥ BALANCE · size. */
let BALANCE: f64 = 0.25;

/** Diagonal cuts are tried only for subsets at least this large (they matter at the top levels). */
let DIAG_MIN: i32 = 0;
export function setDiagMin(n: i32): void {
  DIAG_MIN = n;
}

/** Exponent of the balance penalty in the cut cost |S| / (4 |A| |B| / size²)^BAL_EXP. */
let BAL_EXP: f64 = 1;
export function setBalanceExponent(e: f64): void {
  BAL_EXP = e;
}

/** Geometric: also try the two diagonal directions x + y and x − y. */
let DIAGONALS: bool = true;

/** Tuning hook (benchmarks): leaf size, both axes, balance window, diagonal directions. */
export function setOrderingOptions(leaf: i32, bothAxes: bool, balance: f64, diagonals: bool): void {
  LEAF = leaf;
  BOTH_AXES = bothAxes;
  BALANCE = balance;
  DIAGONALS = diagonals;
}

/** Compressed graph + workspace of one ordering run. */
class NDState {
  nv: i32 = 0;
  xadj: usize = 0; // i32[nv+1]
  adj: usize = 0; // i32[nadj]
  xy: usize = 0; // f64[2 nv] or 0
  vsX: usize = 0; // i32[nv]: the vertex order being built; each subset range sorted by x (or BFS level)
  vsY: usize = 0; // i32[nv]: same subsets, sorted by y (geometric mode only)
  vsD1: usize = 0; // i32[nv]: sorted by x + y (geometric mode with diagonals)
  vsD2: usize = 0; // i32[nv]: sorted by x − y
  label: usize = 0; // i32[nv]
  pos: usize = 0; // i32[nv]: rank of each vertex of the current subset along the current axis
  key: usize = 0; // f64[nv] (BFS levels)
  tmp: usize = 0; // i32[nv]
  queue: usize = 0; // i32[nv]
  diffA: usize = 0; // i32[nv + 2]
  diffB: usize = 0; // i32[nv + 2]
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
  const vsX = allocI32(nv);
  const vsY = allocI32(nv);
  const diag = coords != 0 && DIAGONALS && BOTH_AXES;
  const vsD1 = diag ? allocI32(nv) : 0;
  const vsD2 = diag ? allocI32(nv) : 0;
  const label = allocI32(nv);
  const pos = allocI32(nv);
  const key = allocF64(nv);
  const tmp = allocI32(nv);
  const queue = allocI32(nv);
  const diffA = allocI32(nv + 2);
  const diffB = allocI32(nv + 2);
  st.vsX = vsX;
  st.vsY = vsY;
  st.vsD1 = vsD1;
  st.vsD2 = vsD2;
  st.label = label;
  st.pos = pos;
  st.key = key;
  st.tmp = tmp;
  st.queue = queue;
  st.diffA = diffA;
  st.diffB = diffB;
  for (let v = 0; v < nv; v++) {
    sti(vsX, v, v);
    sti(vsY, v, v);
    if (diag) {
      sti(vsD1, v, v);
      sti(vsD2, v, v);
    }
    sti(label, v, 0);
  }
  if (xy != 0) {
    // presort once by x and by y; every split keeps both orders by stable partitioning (k-d tree style)
    for (let v = 0; v < nv; v++) stf(key, v, ldf(xy, 2 * v));
    sortByKey(vsX, key, 0, nv - 1);
    for (let v = 0; v < nv; v++) stf(key, v, ldf(xy, 2 * v + 1));
    sortByKey(vsY, key, 0, nv - 1);
    if (diag) {
      for (let v = 0; v < nv; v++) stf(key, v, ldf(xy, 2 * v) + ldf(xy, 2 * v + 1));
      sortByKey(vsD1, key, 0, nv - 1);
      for (let v = 0; v < nv; v++) stf(key, v, ldf(xy, 2 * v) - ldf(xy, 2 * v + 1));
      sortByKey(vsD2, key, 0, nv - 1);
    }
  }
  dissect(st, 0, nv);
  const vs = vsX;
  // --- expand supervariables to rows
  let p = 0;
  for (let k = 0; k < nv; k++) {
    const v = ldi(vs, k);
    for (let r = ldi(svStart, v), e = ldi(svStart, v + 1); r < e; r++) sti(perm, p++, r);
  }
  // release workspace in reverse order of allocation
  heap.free(diffB);
  heap.free(diffA);
  heap.free(queue);
  heap.free(tmp);
  heap.free(key);
  heap.free(pos);
  heap.free(label);
  if (diag) {
    heap.free(vsD2);
    heap.free(vsD1);
  }
  heap.free(vsY);
  heap.free(vsX);
  if (xy != 0) heap.free(xy);
  heap.free(adj);
  heap.free(xadj);
  heap.free(svStart);
  heap.free(svOf);
}

/**
 * Separator sizes of every cut of the subset along one axis, in one pass over its edges. With p(v) the rank of v
 * along the axis and the cut c putting ranks < c in A: v ∈ A is on A's boundary iff some neighbour has rank ≥ c,
 * i.e. p(v) < c ≤ max_w p(w); v ∈ B is on B's boundary iff min_w p(w) < c ≤ p(v). Each vertex adds +1 over an
 * interval of cuts (difference arrays), prefix sums give |∂A(c)| and |∂B(c)| for all c at once.
 * Returns the best cut (cost |S| · size² / (4 |A| |B|), |S| = min(|∂A|, |∂B|)) and writes its cost to bestCostOut.
 */
let bestCostOut: f64 = 0;
function bestCut(st: NDState, arr: usize, lo: i32, hi: i32, tag: i32): i32 {
  const size = hi - lo;
  const label = st.label;
  const pos = st.pos;
  const xadj = st.xadj;
  const adj = st.adj;
  const dA = st.diffA;
  const dB = st.diffB;
  for (let k = 0; k < size; k++) sti(pos, ldi(arr, lo + k), k);
  for (let c = 0; c <= size + 1; c++) {
    sti(dA, c, 0);
    sti(dB, c, 0);
  }
  for (let k = 0; k < size; k++) {
    const v = ldi(arr, lo + k);
    let mx = -1,
      mn = size;
    for (let e = ldi(xadj, v), ee = ldi(xadj, v + 1); e < ee; e++) {
      const w = ldi(adj, e);
      if (ldi(label, w) != tag) continue;
      const q = ldi(pos, w);
      if (q > mx) mx = q;
      if (q < mn) mn = q;
    }
    if (mx > k) {
      sti(dA, k + 1, ldi(dA, k + 1) + 1);
      sti(dA, mx + 1, ldi(dA, mx + 1) - 1);
    }
    if (mn < k) {
      sti(dB, mn + 1, ldi(dB, mn + 1) + 1);
      sti(dB, k + 1, ldi(dB, k + 1) - 1);
    }
  }
  const cmin = max(1, <i32>Math.floor(BALANCE * <f64>size));
  const cmax = min(size - 1, size - cmin);
  let sA = 0,
    sB = 0;
  let best = size >> 1;
  let bestCost = Infinity;
  for (let c = 0; c <= cmax; c++) {
    sA += ldi(dA, c);
    sB += ldi(dB, c);
    if (c < cmin) continue;
    const sep = <f64>min(sA, sB);
    const bal = (4 * <f64>c * <f64>(size - c)) / (<f64>size * <f64>size);
    const cost = sep / (BAL_EXP == 1 ? bal : Math.pow(bal, BAL_EXP));
    if (cost < bestCost) {
      bestCost = cost;
      best = c;
    }
  }
  bestCostOut = bestCost;
  return best;
}

/** Stable partition of arr[lo, hi) into labels tagA, tagB, SEP (in this order). */
function partition3(st: NDState, arr: usize, lo: i32, hi: i32, tagA: i32, tagB: i32, SEP: i32): void {
  const label = st.label;
  const tmp = st.tmp;
  let p = lo;
  for (let k = lo; k < hi; k++) {
    const v = ldi(arr, k);
    if (ldi(label, v) == tagA) sti(tmp, p++, v);
  }
  for (let k = lo; k < hi; k++) {
    const v = ldi(arr, k);
    if (ldi(label, v) == tagB) sti(tmp, p++, v);
  }
  for (let k = lo; k < hi; k++) {
    const v = ldi(arr, k);
    if (ldi(label, v) == SEP) sti(tmp, p++, v);
  }
  memory.copy(arr + ((<usize>lo) << 2), tmp + ((<usize>lo) << 2), (<usize>(hi - lo)) << 2);
}

/**
 * Order the subset in vsX[lo, hi) (= vsY[lo, hi) as a set): split, number the separator last, recurse.
 * Geometric mode tries every cut along x and along y (ranks from the maintained sorted orders); graph mode sorts
 * the subset by BFS level from a pseudo-peripheral vertex and tries every cut along that order.
 */
function dissect(st: NDState, lo: i32, hi: i32): void {
  const size = hi - lo;
  if (size <= LEAF) return;
  const vsX = st.vsX;
  const vsY = st.vsY;
  const label = st.label;
  const xadj = st.xadj;
  const adj = st.adj;
  const pos = st.pos;
  const geometric = st.xy != 0;
  const tag = ++st.counter;
  for (let k = lo; k < hi; k++) sti(label, ldi(vsX, k), tag);
  let arr = vsX;
  let cut = 0;
  if (geometric) {
    let useX = true,
      useY = true;
    if (!BOTH_AXES) {
      const xy = st.xy;
      const wx = ldf(xy, 2 * ldi(vsX, hi - 1)) - ldf(xy, 2 * ldi(vsX, lo));
      const wy = ldf(xy, 2 * ldi(vsY, hi - 1) + 1) - ldf(xy, 2 * ldi(vsY, lo) + 1);
      if (wx >= wy) useY = false;
      else useX = false;
    }
    let bestCost = Infinity;
    let last: usize = 0;
    for (let o = 0; o < 4; o++) {
      const order =
        o == 0 ? (useX ? vsX : 0) : o == 1 ? (useY ? vsY : 0) : size < DIAG_MIN ? 0 : o == 2 ? st.vsD1 : st.vsD2;
      if (order == 0) continue;
      const c = bestCut(st, order, lo, hi, tag);
      last = order;
      if (bestCostOut < bestCost) {
        bestCost = bestCostOut;
        cut = c;
        arr = order;
      }
    }
    if (last != arr) for (let k = 0; k < size; k++) sti(pos, ldi(arr, lo + k), k); // ranks along the chosen order
  } else {
    countingSortByLevel(st, lo, hi, tag);
    cut = bestCut(st, vsX, lo, hi, tag);
  }
  // labels of the chosen split (pos holds the ranks along the chosen order)
  const tagA = ++st.counter;
  const tagB = ++st.counter;
  let nsA = 0,
    nsB = 0;
  for (let k = 0; k < size; k++) {
    const v = ldi(arr, lo + k);
    let mx = -1,
      mn = size;
    for (let e = ldi(xadj, v), ee = ldi(xadj, v + 1); e < ee; e++) {
      const w = ldi(adj, e);
      if (ldi(label, w) != tag && ldi(label, w) != tagA && ldi(label, w) != tagB) continue;
      const q = ldi(pos, w);
      if (q > mx) mx = q;
      if (q < mn) mn = q;
    }
    if (k < cut && mx >= cut) nsA++;
    if (k >= cut && mn < cut) nsB++;
  }
  for (let k = 0; k < size; k++) sti(label, ldi(arr, lo + k), k < cut ? tagA : tagB);
  const sepSide = nsA <= nsB ? tagA : tagB;
  const otherSide = sepSide == tagA ? tagB : tagA;
  const SEP = ++st.counter;
  for (let k = lo; k < hi; k++) {
    const v = ldi(arr, k);
    if (ldi(label, v) != sepSide) continue;
    for (let e = ldi(xadj, v), ee = ldi(xadj, v + 1); e < ee; e++) {
      if (ldi(label, ldi(adj, e)) == otherSide) {
        sti(label, v, SEP);
        break;
      }
    }
  }
  let nA = 0,
    nB = 0;
  for (let k = lo; k < hi; k++) {
    const l = ldi(label, ldi(arr, k));
    if (l == tagA) nA++;
    else if (l == tagB) nB++;
  }
  partition3(st, vsX, lo, hi, tagA, tagB, SEP);
  if (geometric) partition3(st, vsY, lo, hi, tagA, tagB, SEP);
  if (st.vsD1 != 0) {
    partition3(st, st.vsD1, lo, hi, tagA, tagB, SEP);
    partition3(st, st.vsD2, lo, hi, tagA, tagB, SEP);
  }
  if (nA == size || nB == size) return; // could not split (cannot happen with an interior cut, kept as a guard)
  dissect(st, lo, lo + nA);
  dissect(st, lo + nA, lo + nA + nB);
}

/** Graph mode: BFS levels from a pseudo-peripheral vertex, then a stable counting sort of vsX[lo, hi) by level. */
function countingSortByLevel(st: NDState, lo: i32, hi: i32, tag: i32): void {
  const size = hi - lo;
  bfsKeys(st, lo, hi, tag);
  const vsX = st.vsX;
  const key = st.key;
  const cnt = st.diffA;
  const tmp = st.tmp;
  // levels are < size; unreached vertices (1e300) go to bucket size
  for (let c = 0; c <= size + 1; c++) sti(cnt, c, 0);
  for (let k = lo; k < hi; k++) {
    const l = ldf(key, ldi(vsX, k));
    const b = l > <f64>size ? size : <i32>l;
    sti(cnt, b + 1, ldi(cnt, b + 1) + 1);
  }
  for (let c = 1; c <= size + 1; c++) sti(cnt, c, ldi(cnt, c) + ldi(cnt, c - 1));
  for (let k = lo; k < hi; k++) {
    const v = ldi(vsX, k);
    const l = ldf(key, v);
    const b = l > <f64>size ? size : <i32>l;
    const p = ldi(cnt, b);
    sti(cnt, b, p + 1);
    sti(tmp, lo + p, v);
  }
  memory.copy(vsX + ((<usize>lo) << 2), tmp + ((<usize>lo) << 2), (<usize>size) << 2);
}

/** Sort vs[lo..hi] ascending by key[vs[·]] (quicksort; ties keep no particular order but deterministically). */
function sortByKey(vs: usize, key: usize, lo: i32, hi: i32): void {
  while (hi - lo > 12) {
    const m = lo + ((hi - lo) >> 1);
    const a = ldf(key, ldi(vs, lo)),
      b = ldf(key, ldi(vs, m)),
      c = ldf(key, ldi(vs, hi));
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo,
      j = hi;
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
  let start = ldi(st.vsX, lo);
  for (let sweep = 0; sweep < 2; sweep++) start = bfs(st, lo, hi, tag, start);
}

/** BFS within the subset; writes key = level (unreached: a large value); returns the last vertex reached. */
function bfs(st: NDState, lo: i32, hi: i32, tag: i32, start: i32): i32 {
  const vs = st.vsX;
  const key = st.key;
  const label = st.label;
  const queue = st.queue;
  const xadj = st.xadj;
  const adj = st.adj;
  for (let k = lo; k < hi; k++) stf(key, ldi(vs, k), 1e300);
  let qh = 0,
    qt = 0;
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
