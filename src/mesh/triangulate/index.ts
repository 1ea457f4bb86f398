/**
 * Conforming, quality triangulation of the labelled PSLG: batch Ruppert refinement on top of delaunator.
 *
 * Why this approach: delaunator builds an unconstrained Delaunay triangulation only. A PSLG subsegment s is an
 * edge of the Delaunay triangulation whenever its diametral circle is empty of other vertices ("not encroached").
 * Ruppert's algorithm makes every subsegment unencroached by splitting encroached ones, then improves quality by
 * inserting circumcentres of bad triangles (rejecting a circumcentre that would encroach a subsegment and splitting
 * that subsegment instead). At the end every subsegment is a Delaunay edge, so the triangulation *conforms* to
 * all grain boundaries, the surface, the coating interface and the pore walls, and no constrained Delaunay code
 * is needed. Regions are then assigned by flood fill across non-constraint edges, seeded from the labelled sides
 * of the subsegments (the PSLG knows which cell lies left and right of every edge).
 *
 * Steps:
 *  1. Subdivide every PSLG edge into ⌈L / h_e⌉ equal pieces (arcs: equal angles on the circle), h_e = h in grains,
 *     h_c in and next to the coating. Neighbouring cells share the very same boundary points.
 *  2. Fill the solid with a hexagonal lattice of spacing h (equilateral elements, 60°), dropping lattice points
 *     closer than 0.55 h_e to any subsegment (so no lattice point sits in a diametral circle: radius ≤ h_e / 2)
 *     and points in pores or outside. The coating gets staggered rings of points, one per layer.
 *  3. Loop (each round re-triangulates all points with delaunator, O(n log n)):
 *     a. every subsegment that is missing or has an adjacent apex inside its diametral circle is split
 *        (straight: midpoint, or a power-of-two "concentric shell" distance from a small-angle input vertex so
 *        splitting terminates next to small input angles; arcs: angular midpoint, new vertex exactly on the circle);
 *     b. once no subsegment is encroached: flood-fill region labels; every solid triangle whose smallest angle is
 *        below `minAngle_deg` or whose circumradius exceeds 0.75 h_e is bad; its circumcentre is inserted unless it
 *        lies in the diametral circle of a subsegment (then that subsegment is split) or within half a circumradius
 *        of another point inserted in the same round (batch insertion without clustering);
 *     c. stop when nothing is bad.
 *  Triangles that fill a whole input wedge below 60° (smallest angle at the wedge's vertex, both edges there on
 *  the boundaries) are *forced* by the geometry (no triangulation can beat the input angle); so are the few left
 *  where the refinement floor (h/16 subsegments) stops splitting next to needle-like features. They are not refined
 *  for angle and are excluded from `minAngleGenerated_deg`.
 *
 * Ghost points: four far corner points (±4 R) keep every real point strictly inside the convex hull, so collinear
 * boundary points (symmetry axes) never sit on delaunator's hull.
 *
 * Files: this one runs the steps; subdivide.ts (1), lattice.ts (2), conformity.ts (3a), split-segment.ts,
 * regions.ts (3b), quality.ts (3c), output.ts (4); refinement.ts holds the state they share (points, subsegments,
 * sizes), stores.ts and grids.ts the growable arrays and spatial look-ups, types.ts the input, output and labels.
 */
import Delaunator from 'delaunator';
import { MeshInternalError } from '../errors.js';
import { findSubsegments } from './conformity.js';
import { addInteriorPoints } from './lattice.js';
import { triangulationResult } from './output.js';
import { qualityPass } from './quality.js';
import { createRefinement } from './refinement.js';
import { labelRegions } from './regions.js';
import { splitSegment } from './split-segment.js';
import { subdivideConstraints } from './subdivide.js';
import type { TriangulateInput, TriangulateResult } from './types.js';

export { LABEL_COATING, LABEL_PORE, LABEL_VOID } from './types.js';
export type { LabelledEdge, TriangulateInput, TriangulateResult } from './types.js';

const DEBUG = typeof process !== 'undefined' && !!process.env?.CHEMOFRAC_MESH_DEBUG;
const cpuMs = () => {
  const c = process.cpuUsage();
  return ((c.user + c.system) / 1000).toFixed(0);
};

export function triangulateConforming(input: TriangulateInput): TriangulateResult {
  const maxRounds = input.maxRounds ?? 200;
  const r = createRefinement(input);
  const { pts } = r;

  // 1. PSLG vertices and subdivided edges; the small input wedges.
  subdivideConstraints(r);
  if (DEBUG)
    console.error(`[cpu ${cpuMs()}] triangulate: subdivision done, ${pts.count} points, ${r.segs.count} subsegments`);

  // 2. Interior points.
  addInteriorPoints(r);
  if (DEBUG) console.error(`[cpu ${cpuMs()}] triangulate: lattice done, ${pts.count} points`);

  // 3. Refinement loop: each round re-triangulates all points with delaunator, O(n log n).
  let del: Delaunator<Float64Array> | null = null;
  let triLabel: Int32Array = new Int32Array(0);
  let isConstraintEdge: Uint8Array = new Uint8Array(0);
  let gaveUp: Uint8Array = new Uint8Array(0);
  let rounds = 0;
  for (; ; rounds++) {
    if (rounds > maxRounds) {
      throw new MeshInternalError(`refinement did not converge in ${maxRounds} rounds (${pts.count} points)`);
    }
    const n = pts.count;
    if (DEBUG) console.error(`[cpu ${cpuMs()}] delaunator start`);
    del = new Delaunator(pts.xy.subarray(0, 2 * n));
    if (del.triangles.length === 0) throw new MeshInternalError('empty triangulation');

    // a. Every subsegment's half-edge, and encroachment.
    const { segEdge, toSplit, missing } = findSubsegments(r, del);
    if (DEBUG) console.error(`[cpu ${cpuMs()}] round ${rounds}: ${n} points, ${toSplit.length} subsegments to split`);
    if (missing > 0) {
      // A missing subsegment would let the region flood fill leak: recover conformity first.
      for (const s of toSplit) splitSegment(r, s);
      continue;
    }

    // b. Labels by flood fill.
    if (DEBUG) console.error(`[cpu ${cpuMs()}] labels start`);
    const regions = labelRegions(r, del, segEdge);
    triLabel = regions.triLabel;
    isConstraintEdge = regions.isConstraint;

    // c. Quality.
    if (DEBUG) console.error(`[cpu ${cpuMs()}] quality start`);
    const quality = qualityPass(r, del, regions);
    gaveUp = quality.gaveUp;
    const { bad, splitSet, newXY } = quality;
    if (DEBUG)
      console.error(`[cpu ${cpuMs()}] round ${rounds}: ${bad} bad, ${splitSet.size} splits, ${newXY.length / 2} new`);
    if (bad === 0 && toSplit.length === 0) break;
    // Split the encroached subsegments (found in step a, or that circumcentres would encroach) and insert the other
    // circumcentres in the same round (none of them lies in a diametral circle, so they cannot hide a subsegment).
    for (const s of toSplit) splitSet.add(s);
    for (const s of [...splitSet].sort((p, q) => p - q)) splitSegment(r, s);
    for (let i = 0; i < newXY.length; i += 2) pts.add(newXY[i], newXY[i + 1]);
  }

  // 4. Output: solid and pore triangles, counter-clockwise.
  return triangulationResult(r, del as Delaunator<Float64Array>, triLabel, isConstraintEdge, gaveUp, rounds);
}
