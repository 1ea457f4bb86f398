/**
 * Step 1: every PSLG edge subdivided into ⌈L / h_e⌉ equal pieces (arcs: equal angles on the circle), h_e = h in
 * grains, h_c in and next to the coating; neighbouring cells share the very same boundary points. Then the input
 * vertices with a solid wedge below 60° (where refinement must stop splitting: their triangles are forced).
 */
import { arcSpan, EDGE_ARC_OUTER, isArcKind } from '../pslg.js';
import { isSolid, sizeOf, type Refinement } from './refinement.js';
import { asin, atan2, cos, hypot, sin } from '../../math/portable.js';

export function subdivideConstraints(r: Refinement): void {
  const { xs, ys, edges } = r.input;
  const { pts, segs, R, Rout } = r;
  const pslgPoint = new Int32Array(xs.length).fill(-1);
  const pointOf = (v: number) => {
    if (pslgPoint[v] < 0) pslgPoint[v] = pts.add(xs[v], ys[v]);
    return pslgPoint[v];
  };
  for (const e of edges) {
    const he = Math.min(sizeOf(r, e.left), sizeOf(r, e.right));
    const pa = pointOf(e.a);
    const pb = pointOf(e.b);
    if (isArcKind(e.kind)) {
      const radius = e.kind === EDGE_ARC_OUTER ? Rout : R;
      const a0 = atan2(ys[e.a], xs[e.a]);
      const span = arcSpan(xs[e.a], ys[e.a], xs[e.b], ys[e.b], e.a === e.b);
      // Chord of n pieces: 2 r sin(span / 2n) ≤ h_e.
      const pieces = Math.max(e.a === e.b ? 3 : 1, Math.ceil(span / (2 * asin(Math.min(1, he / (2 * radius))))));
      let last = pa;
      for (let k = 1; k < pieces; k++) {
        const ang = a0 + (span * k) / pieces;
        const p = pts.add(radius * cos(ang), radius * sin(ang));
        segs.add(last, p, e.left, e.right, e.kind);
        last = p;
      }
      segs.add(last, pb, e.left, e.right, e.kind);
    } else {
      const len = hypot(xs[e.b] - xs[e.a], ys[e.b] - ys[e.a]);
      const pieces = Math.max(1, Math.ceil(len / he - 1e-9));
      let last = pa;
      for (let k = 1; k < pieces; k++) {
        const s = k / pieces;
        // Axis points stay exactly on the axis: x = 0 + s (0 − 0) = 0.
        const p = pts.add(xs[e.a] + s * (xs[e.b] - xs[e.a]), ys[e.a] + s * (ys[e.b] - ys[e.a]));
        segs.add(last, p, e.left, e.right, e.kind);
        last = p;
      }
      segs.add(last, pb, e.left, e.right, e.kind);
    }
  }
  r.inputVertexCount = pts.count;
  const isInputVertex = new Uint8Array(pts.count);
  for (let v = 0; v < xs.length; v++) if (pslgPoint[v] >= 0) isInputVertex[pslgPoint[v]] = 1;
  r.smallWedge = smallInputWedges(r, isInputVertex);
}

/** 1 at each input vertex whose smallest solid wedge (between consecutive incident constraint edges) is < 60°. */
function smallInputWedges(r: Refinement, isInputVertex: Uint8Array): Uint8Array {
  const { pts, segs } = r;
  const smallWedge = new Uint8Array(r.inputVertexCount);
  const incident = new Map<number, { ang: number; leftLabel: number }[]>();
  for (let s = 0; s < segs.count; s++) {
    for (const [p, q, leftLabel] of [
      [segs.a[s], segs.b[s], segs.left[s]],
      [segs.b[s], segs.a[s], segs.right[s]],
    ] as const) {
      if (!isInputVertex[p]) continue;
      const ang = atan2(pts.xy[2 * q + 1] - pts.xy[2 * p + 1], pts.xy[2 * q] - pts.xy[2 * p]);
      const list = incident.get(p);
      // Left of the outward direction p → q is the counter-clockwise side.
      if (list) list.push({ ang, leftLabel });
      else incident.set(p, [{ ang, leftLabel }]);
    }
  }
  for (const [p, list] of incident) {
    list.sort((u, w) => u.ang - w.ang);
    for (let i = 0; i < list.length; i++) {
      const u = list[i];
      const w = list[(i + 1) % list.length];
      let gap = w.ang - u.ang;
      if (gap <= 0) gap += 2 * Math.PI;
      if (isSolid(u.leftLabel) && gap < Math.PI / 3) smallWedge[p] = 1;
    }
  }
  return smallWedge;
}
