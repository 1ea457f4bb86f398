/**
 * Sparsity patterns, computed once at setup.
 *
 *  - `vertexGraph`: the symmetric vertex graph of the mesh (diagonal included, sorted, unique), where vertices are
 *    nodes pushed through a map (diffusion dofs) or the nodes themselves; edges join the three nodes of every
 *    triangle and, optionally, the node pairs (a_p, b_p) of interface elements.
 *  - `blockPattern`: the 2×2-block expansion of a node graph to mechanics dofs 2·node + component, with the fixed
 *    dofs eliminated (`reducedIndex[dof] < 0`).
 */
import { SparsePattern } from './solver-link';
import { allocI32 } from './memory';
import * as S from './state';

function vertexOf(map: usize, node: i32): i32 {
  return map != 0 ? load<i32>(map + ((<usize>node) << 2)) : node;
}

function bump(count: usize, v: i32): void {
  const p = count + ((<usize>v) << 2);
  store<i32>(p, load<i32>(p) + 1);
}

function push(cursor: usize, cols: usize, row: i32, c: i32): void {
  const p = cursor + ((<usize>row) << 2);
  const k = load<i32>(p);
  store<i32>(cols + ((<usize>k) << 2), c);
  store<i32>(p, k + 1);
}

/**
 * Vertex graph with `vertices` vertices; `map` (u32 per node, 0 = identity) sends nodes to vertices.
 * Interface node pairs couple when `withInterfaces` and the two vertices differ.
 */
export function vertexGraph(vertices: i32, map: usize, withInterfaces: bool): SparsePattern {
  const nt = S.triCount;
  const ni = withInterfaces ? S.interfaceCount : 0;
  // pass 1: count (with duplicates)
  const start = allocI32(vertices + 1);
  for (let v = 0; v < vertices; v++) store<i32>(start + ((<usize>v) << 2), 1); // diagonal
  for (let t = 0; t < nt; t++) {
    const tn = S.triNodes + <usize>(3 * t) * 4;
    for (let a = 0; a < 3; a++) {
      const va = vertexOf(map, load<i32>(tn + ((<usize>a) << 2)));
      for (let b = 0; b < 3; b++) {
        if (a == b) continue;
        const vb = vertexOf(map, load<i32>(tn + ((<usize>b) << 2)));
        if (va != vb) bump(start, va);
      }
    }
  }
  for (let e = 0; e < ni; e++) {
    const en = S.interfaceNodes + <usize>(4 * e) * 4;
    for (let p = 0; p < 2; p++) {
      const va = vertexOf(map, load<i32>(en + ((<usize>p) << 2)));
      const vb = vertexOf(map, load<i32>(en + ((<usize>(2 + p)) << 2)));
      if (va != vb) {
        bump(start, va);
        bump(start, vb);
      }
    }
  }
  // exclusive prefix sum → row starts; cursor = copy
  let total = 0;
  for (let v = 0; v < vertices; v++) {
    const c = load<i32>(start + ((<usize>v) << 2));
    store<i32>(start + ((<usize>v) << 2), total);
    total += c;
  }
  store<i32>(start + ((<usize>vertices) << 2), total);
  const cursor = allocI32(vertices);
  memory.copy(cursor, start, (<usize>vertices) << 2);
  const cols = allocI32(total);
  // pass 2: fill
  for (let v = 0; v < vertices; v++) push(cursor, cols, v, v);
  for (let t = 0; t < nt; t++) {
    const tn = S.triNodes + <usize>(3 * t) * 4;
    for (let a = 0; a < 3; a++) {
      const va = vertexOf(map, load<i32>(tn + ((<usize>a) << 2)));
      for (let b = 0; b < 3; b++) {
        if (a == b) continue;
        const vb = vertexOf(map, load<i32>(tn + ((<usize>b) << 2)));
        if (va != vb) push(cursor, cols, va, vb);
      }
    }
  }
  for (let e = 0; e < ni; e++) {
    const en = S.interfaceNodes + <usize>(4 * e) * 4;
    for (let p = 0; p < 2; p++) {
      const va = vertexOf(map, load<i32>(en + ((<usize>p) << 2)));
      const vb = vertexOf(map, load<i32>(en + ((<usize>(2 + p)) << 2)));
      if (va != vb) {
        push(cursor, cols, va, vb);
        push(cursor, cols, vb, va);
      }
    }
  }
  // sort each row (insertion sort: rows are short), drop duplicates; unique count per row into cursor
  let nnz = 0;
  for (let v = 0; v < vertices; v++) {
    const k0 = load<i32>(start + ((<usize>v) << 2));
    const k1 = load<i32>(start + ((<usize>(v + 1)) << 2));
    for (let k = k0 + 1; k < k1; k++) {
      const c = load<i32>(cols + ((<usize>k) << 2));
      let j = k - 1;
      while (j >= k0 && load<i32>(cols + ((<usize>j) << 2)) > c) {
        store<i32>(cols + ((<usize>(j + 1)) << 2), load<i32>(cols + ((<usize>j) << 2)));
        j--;
      }
      store<i32>(cols + ((<usize>(j + 1)) << 2), c);
    }
    let w = k0;
    for (let k = k0; k < k1; k++) {
      const c = load<i32>(cols + ((<usize>k) << 2));
      if (k == k0 || c != load<i32>(cols + ((<usize>(w - 1)) << 2))) {
        store<i32>(cols + ((<usize>w) << 2), c);
        w++;
      }
    }
    store<i32>(cursor + ((<usize>v) << 2), w - k0);
    nnz += w - k0;
  }
  const A = new SparsePattern(vertices, nnz);
  let k = 0;
  for (let v = 0; v < vertices; v++) {
    store<i32>(A.rowPtr + ((<usize>v) << 2), k);
    const k0 = load<i32>(start + ((<usize>v) << 2));
    const len = load<i32>(cursor + ((<usize>v) << 2));
    memory.copy(A.col + ((<usize>k) << 2), cols + ((<usize>k0) << 2), (<usize>len) << 2);
    k += len;
  }
  store<i32>(A.rowPtr + ((<usize>vertices) << 2), k);
  return A;
}

/**
 * Reduced mechanics pattern: row r = reducedIndex of dof 2·node + c; columns: the free dofs of the 2×2 blocks of
 * all graph neighbours (sorted, because reduced indices increase with the dof number).
 */
export function blockPattern(nodeGraph: SparsePattern, reducedIndex: usize, freeCount: i32): SparsePattern {
  const nn = nodeGraph.n;
  let nnz = 0;
  for (let i = 0; i < nn; i++) {
    const k0 = load<i32>(nodeGraph.rowPtr + ((<usize>i) << 2));
    const k1 = load<i32>(nodeGraph.rowPtr + ((<usize>(i + 1)) << 2));
    let freeCols = 0;
    for (let k = k0; k < k1; k++) {
      const m = load<i32>(nodeGraph.col + ((<usize>k) << 2));
      if (load<i32>(reducedIndex + ((<usize>(2 * m)) << 2)) >= 0) freeCols++;
      if (load<i32>(reducedIndex + ((<usize>(2 * m + 1)) << 2)) >= 0) freeCols++;
    }
    for (let c = 0; c < 2; c++) {
      if (load<i32>(reducedIndex + ((<usize>(2 * i + c)) << 2)) >= 0) nnz += freeCols;
    }
  }
  const A = new SparsePattern(freeCount, nnz);
  let k = 0;
  for (let i = 0; i < nn; i++) {
    const k0 = load<i32>(nodeGraph.rowPtr + ((<usize>i) << 2));
    const k1 = load<i32>(nodeGraph.rowPtr + ((<usize>(i + 1)) << 2));
    for (let c = 0; c < 2; c++) {
      const r = load<i32>(reducedIndex + ((<usize>(2 * i + c)) << 2));
      if (r < 0) continue;
      store<i32>(A.rowPtr + ((<usize>r) << 2), k);
      for (let kk = k0; kk < k1; kk++) {
        const m = load<i32>(nodeGraph.col + ((<usize>kk) << 2));
        for (let d = 0; d < 2; d++) {
          const s = load<i32>(reducedIndex + ((<usize>(2 * m + d)) << 2));
          if (s >= 0) {
            store<i32>(A.col + ((<usize>k) << 2), s);
            k++;
          }
        }
      }
    }
  }
  store<i32>(A.rowPtr + ((<usize>freeCount) << 2), k);
  return A;
}
