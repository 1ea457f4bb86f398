/**
 * Step 3a: is every subsegment an edge of the Delaunay triangulation, and is it encroached? A subsegment is
 * encroached when an apex of one of its two triangles lies inside its diametral circle (angle > 90°).
 */
import type Delaunator from 'delaunator';
import { next, prev } from './half-edges.js';
import type { Refinement } from './refinement.js';
import { hypot } from '../../math/portable.js';

export interface SubsegmentEdges {
  /** Half-edge a → b of each subsegment (−1 if missing). */
  segEdge: Int32Array;
  /** Subsegments to split: the missing ones and the encroached ones above the refinement floor. */
  toSplit: number[];
  /** How many of them are missing from the triangulation. */
  missing: number;
}

export function findSubsegments(r: Refinement, del: Delaunator<Float64Array>): SubsegmentEdges {
  const { pts, segs } = r;
  const tri = del.triangles;
  const half = del.halfedges;
  const n = pts.count;
  const vertexEdge = new Int32Array(n).fill(-1);
  for (let e = 0; e < tri.length; e++) if (vertexEdge[tri[e]] < 0) vertexEdge[tri[e]] = e;

  const segEdge = new Int32Array(segs.count).fill(-1);
  const toSplit: number[] = [];
  let missing = 0;
  for (let s = 0; s < segs.count; s++) {
    const a = segs.a[s];
    const b = segs.b[s];
    const start = vertexEdge[a];
    let found = -1;
    if (start >= 0) {
      let e = start;
      do {
        if (tri[next(e)] === b) {
          found = e;
          break;
        }
        const twin = half[prev(e)];
        if (twin < 0) break;
        e = twin;
      } while (e !== start);
      if (found < 0 && start >= 0) {
        // Walk the other way (only needed when the star is open, i.e. a hull vertex).
        let f = start;
        for (let guard = 0; guard < 1000; guard++) {
          const twin = half[f];
          if (twin < 0) break;
          f = next(twin);
          if (tri[next(f)] === b) {
            found = f;
            break;
          }
          if (f === start) break;
        }
      }
    }
    if (found < 0) {
      toSplit.push(s);
      missing++;
      continue;
    }
    segEdge[s] = found;
    // Apexes of the two triangles on either side: encroach if inside the diametral circle (angle > 90°).
    const ax = pts.xy[2 * a];
    const ay = pts.xy[2 * a + 1];
    const bx = pts.xy[2 * b];
    const by = pts.xy[2 * b + 1];
    let encroached = false;
    const apex1 = tri[prev(found)];
    const cx = pts.xy[2 * apex1];
    const cy = pts.xy[2 * apex1 + 1];
    if ((ax - cx) * (bx - cx) + (ay - cy) * (by - cy) < 0) encroached = true;
    const twin = half[found];
    if (!encroached && twin >= 0) {
      const apex2 = tri[prev(twin)];
      const dx = pts.xy[2 * apex2];
      const dy = pts.xy[2 * apex2 + 1];
      if ((ax - dx) * (bx - dx) + (ay - dy) * (by - dy) < 0) encroached = true;
    }
    // A present but encroached subsegment only hurts quality, not conformity: below the refinement floor it stays.
    if (encroached && hypot(bx - ax, by - ay) > 2 * r.minSegmentLength) toSplit.push(s);
  }
  return { segEdge, toSplit, missing };
}
