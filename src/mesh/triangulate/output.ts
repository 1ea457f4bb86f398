/**
 * Step 4: the result. Solid and pore triangles (not the outside), counter-clockwise, with their labels and the
 * forced flag (smallest angle below the target and either filling a whole input wedge below 60° or left by the
 * refinement floor), and the final subsegments.
 */
import type Delaunator from 'delaunator';
import { minTriangleAngle } from '../triangle-geometry.js';
import { nestledInSmallWedge } from './quality.js';
import type { Refinement } from './refinement.js';
import { LABEL_VOID, type TriangulateResult } from './types.js';

export function triangulationResult(
  r: Refinement,
  del: Delaunator<Float64Array>,
  triLabel: Int32Array,
  isConstraintEdge: Uint8Array,
  gaveUp: Uint8Array,
  rounds: number,
): TriangulateResult {
  const { pts, segs } = r;
  const minAngle = (r.input.minAngle_deg * Math.PI) / 180;
  const tri = del.triangles;
  const totalTri = tri.length / 3;
  const kept = (label: number) => label !== LABEL_VOID;
  let solidCount = 0;
  for (let tIdx = 0; tIdx < totalTri; tIdx++) if (kept(triLabel[tIdx])) solidCount++;
  const triangles = new Uint32Array(3 * solidCount);
  const labels = new Int32Array(solidCount);
  const forced = new Uint8Array(solidCount);
  const at = { vertex: 0 };
  let k = 0;
  for (let tIdx = 0; tIdx < totalTri; tIdx++) {
    if (!kept(triLabel[tIdx])) continue;
    // Clockwise (a, b, c) → counter-clockwise (a, c, b).
    const a = tri[3 * tIdx];
    const b = tri[3 * tIdx + 1];
    const c = tri[3 * tIdx + 2];
    triangles[3 * k] = a;
    triangles[3 * k + 1] = c;
    triangles[3 * k + 2] = b;
    labels[k] = triLabel[tIdx];
    const angle = minTriangleAngle(
      pts.xy[2 * a],
      pts.xy[2 * a + 1],
      pts.xy[2 * b],
      pts.xy[2 * b + 1],
      pts.xy[2 * c],
      pts.xy[2 * c + 1],
      at,
    );
    if (angle < minAngle && (nestledInSmallWedge(r, isConstraintEdge, tIdx, at.vertex, tri) || gaveUp[tIdx] === 1))
      forced[k] = 1;
    k++;
  }
  return {
    pointCount: pts.count,
    coords: pts.xy.slice(0, 2 * pts.count),
    triCount: solidCount,
    triangles,
    triLabel: labels,
    triForced: forced,
    segCount: segs.count,
    segA: Uint32Array.from(segs.a),
    segB: Uint32Array.from(segs.b),
    segLeft: Int32Array.from(segs.left),
    segRight: Int32Array.from(segs.right),
    segKind: Uint8Array.from(segs.kind),
    rounds,
  };
}
