/**
 * Step 3c: quality. Every solid triangle whose smallest angle is below `minAngle_deg` or whose circumradius
 * exceeds 0.75 h_e is bad; its circumcentre is inserted unless it lies in the diametral circle of a subsegment
 * (then that subsegment is split) or within half a circumradius of another point inserted in the same round
 * (batch insertion without clustering). Triangles *forced* by the geometry are not refined for angle.
 */
import type Delaunator from 'delaunator';
import { circumcenter } from '../voronoi.js';
import { GridHash, StaticGrid } from './grids.js';
import { isSolid, sizeOf, type Refinement } from './refinement.js';
import type { Regions } from './regions.js';
import { segmentBoxes } from './stores.js';
import { hypot, sin } from '../../math/portable.js';

export interface QualityPass {
  /** Bad triangles (refined this round, by a circumcentre or a split). */
  bad: number;
  /** Subsegments that circumcentres would encroach. */
  splitSet: Set<number>;
  /** Circumcentres to insert (x, y pairs). */
  newXY: number[];
  /** 1 for triangles kept skinny because the refinement floor stops splitting next to them. */
  gaveUp: Uint8Array;
}

/**
 * A triangle is *forced* by the geometry when its smallest angle sits at an input vertex with a wedge below 60°
 * and both of its edges there are constraint subsegments: it fills the whole wedge, so its angle is the input
 * angle and refining cannot help. (Triangles that only split such a wedge are refined like any other.)
 */
export function nestledInSmallWedge(
  r: Refinement,
  isConstraintEdge: Uint8Array,
  tIdx: number,
  at: number,
  triangles: Uint32Array,
): boolean {
  const v = triangles[3 * tIdx + at];
  if (v >= r.inputVertexCount || r.smallWedge[v] !== 1) return false;
  return isConstraintEdge[3 * tIdx + at] === 1 && isConstraintEdge[3 * tIdx + ((at + 2) % 3)] === 1;
}

export function qualityPass(r: Refinement, del: Delaunator<Float64Array>, regions: Regions): QualityPass {
  const { pts, segs, h, segGridCell } = r;
  const { triLabel, isConstraint } = regions;
  const minAngle = (r.input.minAngle_deg * Math.PI) / 180;
  const sinMin = sin(minAngle);
  const sinMin2 = sinMin * sinMin; // the smallest angle of a triangle is < 60°, where sin is monotonic
  const tri = del.triangles;
  const triCount = tri.length / 3;
  const gaveUp = new Uint8Array(triCount);
  // Subsegments by their bounding boxes: a point in a diametral circle is within |s|/2 of the midpoint, hence
  // inside the box grown by |s|/2 ≤ h/2, so querying the cells within h of the point finds every candidate.
  const segMid = StaticGrid.build(segmentBoxes(segs, pts.xy), segs.count, r.far / 4 + h, segGridCell);
  const newPoints = new GridHash(Math.max(h / 4, 1e-12));
  const newXY: number[] = [];
  const splitSet = new Set<number>();
  const cc = [0, 0];
  let bad = 0;
  for (let tIdx = 0; tIdx < triCount; tIdx++) {
    const label = triLabel[tIdx];
    if (!isSolid(label)) continue;
    const i0 = tri[3 * tIdx];
    const i1 = tri[3 * tIdx + 1];
    const i2 = tri[3 * tIdx + 2];
    const ax = pts.xy[2 * i0];
    const ay = pts.xy[2 * i0 + 1];
    const bx = pts.xy[2 * i1];
    const by = pts.xy[2 * i1 + 1];
    const cx = pts.xy[2 * i2];
    const cy = pts.xy[2 * i2 + 1];
    // Cheap tests without square roots: the smallest angle θ is opposite the shortest edge s, and
    // sin θ = 2A / (p q) for the two other edges p, q; circumradius² = p² q² s² / (16 A²).
    const la2 = (bx - cx) * (bx - cx) + (by - cy) * (by - cy);
    const lb2 = (ax - cx) * (ax - cx) + (ay - cy) * (ay - cy);
    const lc2 = (ax - bx) * (ax - bx) + (ay - by) * (ay - by);
    const twiceArea = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
    const he = sizeOf(r, label);
    const circumradius2 = (la2 * lb2 * lc2) / (4 * twiceArea * twiceArea);
    const tooBig = circumradius2 > 0.5625 * he * he; // (0.75 h)²
    const shortest2 = Math.min(la2, lb2, lc2);
    // sin²θ = 4A² / (p² q²) with p² q² = la2 lb2 lc2 / shortest2.
    const sin2 = (twiceArea * twiceArea * shortest2) / (la2 * lb2 * lc2);
    let skinny = sin2 < sinMin2;
    if (skinny) {
      const at = shortest2 === la2 ? 0 : shortest2 === lb2 ? 1 : 2;
      if (nestledInSmallWedge(r, isConstraint, tIdx, at, tri)) skinny = false; // forced by the input angle
    }
    if (!skinny && !tooBig) continue;
    circumcenter(ax, ay, bx, by, cx, cy, cc, 0);
    const rc = Math.sqrt(circumradius2);

    // Would the circumcentre encroach a subsegment? Diametral circle test against nearby subsegment midpoints.
    let encroaches = -1;
    segMid.query(cc[0], cc[1], segGridCell, (s) => {
      const a = segs.a[s];
      const b = segs.b[s];
      const qx = pts.xy[2 * a];
      const qy = pts.xy[2 * a + 1];
      const rx = pts.xy[2 * b];
      const ry = pts.xy[2 * b + 1];
      if ((qx - cc[0]) * (rx - cc[0]) + (qy - cc[1]) * (ry - cc[1]) < 0) {
        encroaches = s;
        return true;
      }
      return false;
    });
    if (encroaches >= 0) {
      const a = segs.a[encroaches];
      const b = segs.b[encroaches];
      const len = hypot(pts.xy[2 * b] - pts.xy[2 * a], pts.xy[2 * b + 1] - pts.xy[2 * a + 1]);
      if (len > 2 * r.minSegmentLength) {
        splitSet.add(encroaches);
        bad++;
      } else gaveUp[tIdx] = 1; // refinement floor reached next to a tiny input feature: keep this triangle
      continue;
    }
    bad++;
    const minSep = 0.5 * rc;
    const crowded = newPoints.query(cc[0], cc[1], minSep, (id) => {
      return hypot(newXY[2 * id] - cc[0], newXY[2 * id + 1] - cc[1]) < minSep;
    });
    if (crowded) continue;
    newPoints.insert(cc[0], cc[1], newXY.length / 2);
    newXY.push(cc[0], cc[1]);
  }
  return { bad, splitSet, newXY, gaveUp };
}
