/**
 * Step 3b: region labels by flood fill across non-constraint edges, seeded from the labelled sides of the
 * subsegments (the PSLG knows which cell lies left and right of every edge). Delaunator triangles are clockwise,
 * so the triangle of half-edge a → b lies to the *right* of a → b and its twin's triangle to the left. Triangles
 * the fill does not reach, and those with a ghost vertex, are outside.
 */
import type Delaunator from 'delaunator';
import { MeshInternalError } from '../errors.js';
import { GHOSTS, type Refinement } from './refinement.js';
import { LABEL_UNSET, LABEL_VOID } from './types.js';

export interface Regions {
  /** Region label of every triangle. */
  triLabel: Int32Array;
  /** 1 for the half-edges (and their twins) that are subsegments. */
  isConstraint: Uint8Array;
}

export function labelRegions(r: Refinement, del: Delaunator<Float64Array>, segEdge: Int32Array): Regions {
  const { segs } = r;
  const tri = del.triangles;
  const half = del.halfedges;
  const triCount = tri.length / 3;
  const triLabel = new Int32Array(triCount).fill(LABEL_UNSET);
  const isConstraint = new Uint8Array(tri.length);
  const stack: number[] = [];
  const setLabel = (tIdx: number, label: number) => {
    const old = triLabel[tIdx];
    if (old === LABEL_UNSET) {
      triLabel[tIdx] = label;
      stack.push(tIdx);
    } else if (old !== label) {
      throw new MeshInternalError(`region labels conflict in triangle ${tIdx}: ${old} vs ${label}`);
    }
  };
  for (let s = 0; s < segs.count; s++) {
    const e = segEdge[s];
    isConstraint[e] = 1;
    const twin = half[e];
    if (twin >= 0) isConstraint[twin] = 1;
  }
  for (let s = 0; s < segs.count; s++) {
    const e = segEdge[s];
    setLabel(Math.floor(e / 3), segs.right[s]);
    const twin = half[e];
    if (twin >= 0) setLabel(Math.floor(twin / 3), segs.left[s]);
  }
  while (stack.length > 0) {
    const tIdx = stack.pop() as number;
    const label = triLabel[tIdx];
    for (let k = 0; k < 3; k++) {
      const e = 3 * tIdx + k;
      if (isConstraint[e]) continue;
      const twin = half[e];
      if (twin < 0) continue;
      const u = Math.floor(twin / 3);
      if (triLabel[u] === LABEL_UNSET) {
        triLabel[u] = label;
        stack.push(u);
      } else if (triLabel[u] !== label) {
        throw new MeshInternalError(`region labels leak across a non-constraint edge (${label} vs ${triLabel[u]})`);
      }
    }
  }
  // Triangles with a ghost vertex are outside.
  for (let tIdx = 0; tIdx < triCount; tIdx++) {
    if (triLabel[tIdx] === LABEL_UNSET) triLabel[tIdx] = LABEL_VOID;
    else if (tri[3 * tIdx] < GHOSTS || tri[3 * tIdx + 1] < GHOSTS || tri[3 * tIdx + 2] < GHOSTS) {
      if (triLabel[tIdx] !== LABEL_VOID) throw new MeshInternalError('a particle triangle touches a ghost point');
    }
  }
  return { triLabel, isConstraint };
}
