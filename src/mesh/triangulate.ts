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
 */
import Delaunator from 'delaunator';
import { MeshInternalError } from './errors.js';
import { circumcenter } from './voronoi.js';
import { arcSpan, EDGE_ARC_OUTER, EDGE_AXIS_X, EDGE_AXIS_Y, isArcKind } from './pslg.js';

/** Region labels used by the triangulator. Grains are ≥ 0. */
export const LABEL_VOID = -1; // outside the particle
export const LABEL_COATING = -2;
export const LABEL_PORE = -3; // removed cells: triangulated (for exact porosity) but not refined and not output as solid
const LABEL_UNSET = -1000;

export interface LabelledEdge {
  a: number;
  b: number;
  left: number;
  right: number;
  kind: number;
}

export interface TriangulateInput {
  /** PSLG vertex coordinates (µm). */
  xs: number[];
  ys: number[];
  /** Constraint edges with region labels on both sides (no edge has equal labels, no edge is void | void). */
  edges: LabelledEdge[];
  radius_um: number;
  coatingThickness_um: number;
  shape: 'quarter' | 'full';
  /** Element size in grains (h) and in the coating (h_c). */
  h: number;
  hCoating: number;
  /** Region label of an arbitrary point well inside a region (used to keep lattice points out of pores). */
  labelAt: (x: number, y: number) => number;
  minAngle_deg: number;
  maxRounds?: number;
}

export interface TriangulateResult {
  pointCount: number;
  coords: Float64Array;
  /** Solid and pore triangles (not the outside), counter-clockwise. */
  triCount: number;
  triangles: Uint32Array;
  triLabel: Int32Array;
  triForced: Uint8Array;
  /** Final subsegments (after all splits), with labels and kinds. */
  segCount: number;
  segA: Uint32Array;
  segB: Uint32Array;
  segLeft: Int32Array;
  segRight: Int32Array;
  segKind: Uint8Array;
  rounds: number;
}

/** Growable Float64 xy store. */
class PointStore {
  xy: Float64Array;
  count = 0;
  constructor(capacity: number) {
    this.xy = new Float64Array(2 * Math.max(16, capacity));
  }
  add(x: number, y: number): number {
    if (2 * this.count + 2 > this.xy.length) {
      const bigger = new Float64Array(this.xy.length * 2);
      bigger.set(this.xy);
      this.xy = bigger;
    }
    this.xy[2 * this.count] = x;
    this.xy[2 * this.count + 1] = y;
    return this.count++;
  }
}

/** Growable subsegment store. */
class SegmentStore {
  a: number[] = [];
  b: number[] = [];
  left: number[] = [];
  right: number[] = [];
  kind: number[] = [];
  add(a: number, b: number, left: number, right: number, kind: number): number {
    this.a.push(a);
    this.b.push(b);
    this.left.push(left);
    this.right.push(right);
    this.kind.push(kind);
    return this.a.length - 1;
  }
  get count(): number {
    return this.a.length;
  }
}

/** Uniform grid hash over int keys (cell size `cell`). */
class GridHash {
  private readonly map = new Map<number, number[]>();
  constructor(readonly cell: number) {}
  private key(ix: number, iy: number): number {
    return (ix + 1_048_576) * 2_097_152 + (iy + 1_048_576);
  }
  insert(x: number, y: number, id: number): void {
    const k = this.key(Math.floor(x / this.cell), Math.floor(y / this.cell));
    const bucket = this.map.get(k);
    if (bucket) bucket.push(id);
    else this.map.set(k, [id]);
  }
  /** Calls visit(id) for ids in cells overlapping the square of half-width `radius` around (x, y). */
  query(x: number, y: number, radius: number, visit: (id: number) => boolean | void): boolean {
    const ix0 = Math.floor((x - radius) / this.cell);
    const ix1 = Math.floor((x + radius) / this.cell);
    const iy0 = Math.floor((y - radius) / this.cell);
    const iy1 = Math.floor((y + radius) / this.cell);
    for (let ix = ix0; ix <= ix1; ix++) {
      for (let iy = iy0; iy <= iy1; iy++) {
        const bucket = this.map.get(this.key(ix, iy));
        if (!bucket) continue;
        for (const id of bucket) if (visit(id) === true) return true;
      }
    }
    return false;
  }
}

/**
 * Uniform grid over a fixed set of boxes (compressed rows: cell start offsets + item ids), built in two counting
 * passes; queries touch only typed arrays. Used for the subsegment look-ups, which are static within a phase.
 */
class StaticGrid {
  private readonly start: Int32Array;
  private readonly items: Int32Array;
  private constructor(
    private readonly x0: number,
    private readonly y0: number,
    private readonly cell: number,
    private readonly nx: number,
    private readonly ny: number,
    boxes: Float64Array,
    count: number,
  ) {
    const cellCount = nx * ny;
    const counts = new Int32Array(cellCount + 1);
    const range = (i: number, visit: (c: number) => void) => {
      const ix0 = this.clampX(Math.floor((boxes[4 * i] - x0) / cell));
      const ix1 = this.clampX(Math.floor((boxes[4 * i + 2] - x0) / cell));
      const iy0 = this.clampY(Math.floor((boxes[4 * i + 1] - y0) / cell));
      const iy1 = this.clampY(Math.floor((boxes[4 * i + 3] - y0) / cell));
      for (let iy = iy0; iy <= iy1; iy++) for (let ix = ix0; ix <= ix1; ix++) visit(iy * nx + ix);
    };
    for (let i = 0; i < count; i++) range(i, (c) => counts[c + 1]++);
    for (let c = 0; c < cellCount; c++) counts[c + 1] += counts[c];
    this.start = counts;
    this.items = new Int32Array(counts[cellCount]);
    const fill = counts.slice(0, cellCount);
    for (let i = 0; i < count; i++) range(i, (c) => (this.items[fill[c]++] = i));
  }
  private clampX(i: number): number {
    return i < 0 ? 0 : i >= this.nx ? this.nx - 1 : i;
  }
  private clampY(i: number): number {
    return i < 0 ? 0 : i >= this.ny ? this.ny - 1 : i;
  }
  /** Grid of `count` boxes [xmin, ymin, xmax, ymax] over the square [−extent, extent]². */
  static build(boxes: Float64Array, count: number, extent: number, cell: number): StaticGrid {
    const n = Math.max(1, Math.min(4096, Math.ceil((2 * extent) / cell)));
    const size = (2 * extent) / n;
    return new StaticGrid(-extent, -extent, size, n, n, boxes, count);
  }
  /** Calls visit(id) for boxes in cells overlapping the square of half-width `radius` around (x, y); stops on true. */
  query(x: number, y: number, radius: number, visit: (id: number) => boolean | void): boolean {
    const ix0 = this.clampX(Math.floor((x - radius - this.x0) / this.cell));
    const ix1 = this.clampX(Math.floor((x + radius - this.x0) / this.cell));
    const iy0 = this.clampY(Math.floor((y - radius - this.y0) / this.cell));
    const iy1 = this.clampY(Math.floor((y + radius - this.y0) / this.cell));
    for (let iy = iy0; iy <= iy1; iy++) {
      for (let ix = ix0; ix <= ix1; ix++) {
        const c = iy * this.nx + ix;
        for (let k = this.start[c]; k < this.start[c + 1]; k++) if (visit(this.items[k]) === true) return true;
      }
    }
    return false;
  }
}

/** Bounding boxes of all subsegments (4 numbers each). */
function segmentBoxes(segs: SegmentStore, xy: Float64Array): Float64Array {
  const boxes = new Float64Array(4 * segs.count);
  for (let s = 0; s < segs.count; s++) {
    const a = segs.a[s];
    const b = segs.b[s];
    boxes[4 * s] = Math.min(xy[2 * a], xy[2 * b]);
    boxes[4 * s + 1] = Math.min(xy[2 * a + 1], xy[2 * b + 1]);
    boxes[4 * s + 2] = Math.max(xy[2 * a], xy[2 * b]);
    boxes[4 * s + 3] = Math.max(xy[2 * a + 1], xy[2 * b + 1]);
  }
  return boxes;
}

const DEBUG = typeof process !== 'undefined' && !!process.env?.CHEMOFRAC_MESH_DEBUG;
const cpuMs = () => {
  const c = process.cpuUsage();
  return ((c.user + c.system) / 1000).toFixed(0);
};
const next = (e: number) => (e % 3 === 2 ? e - 2 : e + 1);
const prev = (e: number) => (e % 3 === 0 ? e + 2 : e - 1);

function distPointSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  let s = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
  s = Math.max(0, Math.min(1, s));
  return Math.hypot(px - ax - s * dx, py - ay - s * dy);
}

/** Smallest angle (rad) and the local index (0, 1, 2) of the vertex where it sits. */
function smallestAngle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): [number, number] {
  const la = Math.hypot(cx - bx, cy - by); // opposite a
  const lb = Math.hypot(cx - ax, cy - ay);
  const lc = Math.hypot(bx - ax, by - ay);
  // Smallest angle is opposite the shortest edge; law of cosines.
  let k = 0;
  let opp = la;
  let s1 = lb;
  let s2 = lc;
  if (lb < opp) {
    k = 1;
    opp = lb;
    s1 = la;
    s2 = lc;
  }
  if (lc < opp) {
    k = 2;
    opp = lc;
    s1 = la;
    s2 = lb;
  }
  const cos = (s1 * s1 + s2 * s2 - opp * opp) / (2 * s1 * s2);
  return [Math.acos(Math.max(-1, Math.min(1, cos))), k];
}

export function triangulateConforming(input: TriangulateInput): TriangulateResult {
  const { xs, ys, edges, h, hCoating } = input;
  const R = input.radius_um;
  const t = input.coatingThickness_um;
  const Rout = R + t;
  const minAngle = (input.minAngle_deg * Math.PI) / 180;
  const sinMin2 = Math.sin(minAngle) ** 2; // the smallest angle of a triangle is < 60°, where sin is monotonic
  const maxRounds = input.maxRounds ?? 200;
  const isSolid = (label: number) => label >= 0 || label === LABEL_COATING;
  const sizeOf = (label: number) => (label === LABEL_COATING ? hCoating : h);

  const pts = new PointStore(Math.ceil((Math.PI * Rout * Rout) / (0.8 * h * h)) + 1024);
  // Ghosts first (indices 0…3).
  const far = 4 * Rout;
  pts.add(-far, -far);
  pts.add(far, -far);
  pts.add(far, far);
  pts.add(-far, far);
  const GHOSTS = 4;

  // ---- 1. PSLG vertices and subdivided edges ------------------------------------------------------------------
  const pslgPoint = new Int32Array(xs.length).fill(-1);
  const pointOf = (v: number) => {
    if (pslgPoint[v] < 0) pslgPoint[v] = pts.add(xs[v], ys[v]);
    return pslgPoint[v];
  };
  const segs = new SegmentStore();
  for (const e of edges) {
    const he = Math.min(sizeOf(e.left), sizeOf(e.right));
    const pa = pointOf(e.a);
    const pb = pointOf(e.b);
    if (isArcKind(e.kind)) {
      const r = e.kind === EDGE_ARC_OUTER ? Rout : R;
      const a0 = Math.atan2(ys[e.a], xs[e.a]);
      const span = arcSpan(xs[e.a], ys[e.a], xs[e.b], ys[e.b], e.a === e.b);
      // Chord of n pieces: 2 r sin(span / 2n) ≤ h_e.
      const pieces = Math.max(e.a === e.b ? 3 : 1, Math.ceil(span / (2 * Math.asin(Math.min(1, he / (2 * r))))));
      let last = pa;
      for (let k = 1; k < pieces; k++) {
        const ang = a0 + (span * k) / pieces;
        const p = pts.add(r * Math.cos(ang), r * Math.sin(ang));
        segs.add(last, p, e.left, e.right, e.kind);
        last = p;
      }
      segs.add(last, pb, e.left, e.right, e.kind);
    } else {
      const len = Math.hypot(xs[e.b] - xs[e.a], ys[e.b] - ys[e.a]);
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
  const inputVertexCount = pts.count; // points < this index that came from PSLG vertices are "input vertices"
  const isInputVertex = new Uint8Array(pts.count);
  for (let v = 0; v < xs.length; v++) if (pslgPoint[v] >= 0) isInputVertex[pslgPoint[v]] = 1;

  // Smallest solid wedge angle at each input vertex (between consecutive incident constraint edges).
  const smallWedge = new Uint8Array(inputVertexCount);
  {
    const incident = new Map<number, { ang: number; leftLabel: number }[]>();
    for (let s = 0; s < segs.count; s++) {
      for (const [p, q, leftLabel] of [
        [segs.a[s], segs.b[s], segs.left[s]],
        [segs.b[s], segs.a[s], segs.right[s]],
      ] as const) {
        if (!isInputVertex[p]) continue;
        const ang = Math.atan2(pts.xy[2 * q + 1] - pts.xy[2 * p + 1], pts.xy[2 * q] - pts.xy[2 * p]);
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
  }

  if (DEBUG)
    console.error(`[cpu ${cpuMs()}] triangulate: subdivision done, ${pts.count} points, ${segs.count} subsegments`);
  // ---- 2. Interior points -----------------------------------------------------------------------------------------
  const segGridCell = Math.max(h, 1e-12);
  {
    const grid = StaticGrid.build(segmentBoxes(segs, pts.xy), segs.count, far / 4 + h, segGridCell);
    const farFromSegments = (x: number, y: number, dmin: number): boolean =>
      !grid.query(x, y, dmin, (s) => {
        const a = segs.a[s];
        const b = segs.b[s];
        return distPointSegment(x, y, pts.xy[2 * a], pts.xy[2 * a + 1], pts.xy[2 * b], pts.xy[2 * b + 1]) < dmin;
      });
    // Hexagonal lattice in the grains (r < R).
    const dy = (h * Math.sqrt(3)) / 2;
    const x0 = input.shape === 'quarter' ? 0 : -R;
    const y0 = input.shape === 'quarter' ? 0 : -R;
    const rows = Math.ceil((R - y0) / dy);
    const cols = Math.ceil((R - x0) / h) + 1;
    const rLimit = R - 0.5 * h;
    for (let j = 0; j <= rows; j++) {
      const y = y0 + (j + 0.5) * dy;
      const shift = (j % 2) * 0.5 * h;
      for (let i = 0; i <= cols; i++) {
        const x = x0 + (i + 0.25) * h + shift;
        if (x * x + y * y >= rLimit * rLimit) continue;
        if (!farFromSegments(x, y, 0.55 * h)) continue;
        if (!isSolid(input.labelAt(x, y))) continue;
        pts.add(x, y);
      }
    }
    // Coating: staggered rings at R + k t / layers.
    if (t > 0) {
      const layers = Math.max(1, Math.round(t / hCoating));
      const angle0 = 0;
      const angleSpan = input.shape === 'quarter' ? Math.PI / 2 : 2 * Math.PI;
      for (let k = 1; k < layers; k++) {
        const r = R + (k * t) / layers;
        const n = Math.max(4, Math.ceil((angleSpan * r) / hCoating));
        for (let i = 0; i < n; i++) {
          const ang = angle0 + (angleSpan * (i + (k % 2 === 1 ? 0.5 : 0))) / n;
          const x = r * Math.cos(ang);
          const y = r * Math.sin(ang);
          if (!farFromSegments(x, y, 0.55 * hCoating)) continue;
          if (!isSolid(input.labelAt(x, y))) continue;
          pts.add(x, y);
        }
      }
    }
  }

  if (DEBUG) console.error(`[cpu ${cpuMs()}] triangulate: lattice done, ${pts.count} points`);
  // ---- 3. Refinement loop -----------------------------------------------------------------------------------------
  let del: Delaunator<Float64Array> | null = null;
  let triLabel = new Int32Array(0);
  let segEdge = new Int32Array(0); // half-edge a → b of each subsegment (−1 if missing)
  let rounds = 0;
  let gaveUp = new Uint8Array(0);
  let isConstraintEdge = new Uint8Array(0);
  /**
   * A triangle is *forced* by the geometry when its smallest angle sits at an input vertex with a wedge below 60°
   * and both of its edges there are constraint subsegments: it fills the whole wedge, so its angle is the input
   * angle and refining cannot help. (Triangles that only split such a wedge are refined like any other.)
   */
  const nestledInSmallWedge = (tIdx: number, at: number, triangles: Uint32Array): boolean => {
    const v = triangles[3 * tIdx + at];
    if (v >= inputVertexCount || smallWedge[v] !== 1) return false;
    return isConstraintEdge[3 * tIdx + at] === 1 && isConstraintEdge[3 * tIdx + ((at + 2) % 3)] === 1;
  };
  /**
   * Refinement floor: encroached subsegments shorter than 2 ℓ_min are no longer split for quality (missing ones
   * always are, conformity comes first). This is what terminates refinement inside needle-like input features
   * (two boundaries at a few degrees); the skinny triangles left there are reported as forced.
   */
  const minSegmentLength = h / 16;
  const shellUnit = 1; // µm: concentric shells at 2^k µm from a small-angle vertex

  const splitSegment = (s: number): void => {
    const a = segs.a[s];
    const b = segs.b[s];
    const ax = pts.xy[2 * a];
    const ay = pts.xy[2 * a + 1];
    const bx = pts.xy[2 * b];
    const by = pts.xy[2 * b + 1];
    const kind = segs.kind[s];
    let p: number;
    const len = Math.hypot(bx - ax, by - ay);
    if (len < 1e-7 * h) {
      // Only crossing or overlapping constraints can drive a split this far: fail loudly instead of looping.
      throw new MeshInternalError(`subsegment near (${ax}, ${ay}) refined below 1e-7 h: constraints cross there`);
    }
    const aSmall = a < inputVertexCount && smallWedge[a] === 1;
    const bSmall = b < inputVertexCount && smallWedge[b] === 1;
    // Concentric shells: next to a small-angle input vertex, split at a power-of-two distance from it, so the
    // subsegments on both sides of the small angle end at the same distance and stop encroaching each other.
    const shellDistance =
      aSmall !== bSmall && len > 0 ? shellUnit * 2 ** Math.round(Math.log2(len / 2 / shellUnit)) : -1;
    if (isArcKind(kind)) {
      const r = kind === EDGE_ARC_OUTER ? Rout : R;
      const span = arcSpan(ax, ay, bx, by, false);
      let ang = Math.atan2(ay, ax) + span / 2;
      if (shellDistance > 0 && shellDistance < 2 * r) {
        // Chord d from the small-angle end: angle 2 asin(d / 2r) along the arc.
        const delta = 2 * Math.asin(shellDistance / (2 * r));
        if (delta > 0 && delta < span) ang = aSmall ? Math.atan2(ay, ax) + delta : Math.atan2(ay, ax) + span - delta;
      }
      p = pts.add(r * Math.cos(ang), r * Math.sin(ang));
    } else {
      let frac = 0.5;
      if (shellDistance > 0) frac = aSmall ? shellDistance / len : 1 - shellDistance / len;
      let x = ax + frac * (bx - ax);
      let y = ay + frac * (by - ay);
      if (kind === EDGE_AXIS_X) x = 0;
      if (kind === EDGE_AXIS_Y) y = 0;
      p = pts.add(x, y);
    }
    segs.b[s] = p;
    segs.add(p, b, segs.left[s], segs.right[s], kind);
  };

  for (; ; rounds++) {
    if (rounds > maxRounds) {
      throw new MeshInternalError(`refinement did not converge in ${maxRounds} rounds (${pts.count} points)`);
    }
    const n = pts.count;
    if (DEBUG) console.error(`[cpu ${cpuMs()}] delaunator start`);
    del = new Delaunator(pts.xy.subarray(0, 2 * n));
    const tri = del.triangles;
    const half = del.halfedges;
    if (tri.length === 0) throw new MeshInternalError('empty triangulation');
    const vertexEdge = new Int32Array(n).fill(-1);
    for (let e = 0; e < tri.length; e++) if (vertexEdge[tri[e]] < 0) vertexEdge[tri[e]] = e;

    // a. Find every subsegment's half-edge and check encroachment.
    segEdge = new Int32Array(segs.count).fill(-1);
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
      if (encroached && Math.hypot(bx - ax, by - ay) > 2 * minSegmentLength) toSplit.push(s);
    }
    if (DEBUG) console.error(`[cpu ${cpuMs()}] round ${rounds}: ${n} points, ${toSplit.length} subsegments to split`);
    if (missing > 0) {
      // A missing subsegment would let the region flood fill leak: recover conformity first.
      for (const s of toSplit) splitSegment(s);
      continue;
    }

    if (DEBUG) console.error(`[cpu ${cpuMs()}] labels start`);
    // b. Labels by flood fill. Delaunator triangles are clockwise, so the triangle of half-edge a → b lies to the
    //    *right* of a → b and its twin's triangle to the left.
    const triCount = tri.length / 3;
    triLabel = new Int32Array(triCount).fill(LABEL_UNSET);
    gaveUp = new Uint8Array(triCount);
    const isConstraint = new Uint8Array(tri.length);
    isConstraintEdge = isConstraint;
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

    if (DEBUG) console.error(`[cpu ${cpuMs()}] quality start`);
    // c. Quality.
    // Subsegments by their bounding boxes: a point in a diametral circle is within |s|/2 of the midpoint, hence
    // inside the box grown by |s|/2 ≤ h/2, so querying the cells within h of the point finds every candidate.
    const segMid = StaticGrid.build(segmentBoxes(segs, pts.xy), segs.count, far / 4 + h, segGridCell);
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
      const la2 = (bx - cx) ** 2 + (by - cy) ** 2;
      const lb2 = (ax - cx) ** 2 + (ay - cy) ** 2;
      const lc2 = (ax - bx) ** 2 + (ay - by) ** 2;
      const twiceArea = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
      const he = sizeOf(label);
      const circumradius2 = (la2 * lb2 * lc2) / (4 * twiceArea * twiceArea);
      const tooBig = circumradius2 > 0.5625 * he * he; // (0.75 h)²
      const shortest2 = Math.min(la2, lb2, lc2);
      // sin²θ = 4A² / (p² q²) with p² q² = la2 lb2 lc2 / shortest2.
      const sin2 = (twiceArea * twiceArea * shortest2) / (la2 * lb2 * lc2);
      let skinny = sin2 < sinMin2;
      if (skinny) {
        const at = shortest2 === la2 ? 0 : shortest2 === lb2 ? 1 : 2;
        if (nestledInSmallWedge(tIdx, at, tri)) skinny = false; // forced by the input angle
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
        const len = Math.hypot(pts.xy[2 * b] - pts.xy[2 * a], pts.xy[2 * b + 1] - pts.xy[2 * a + 1]);
        if (len > 2 * minSegmentLength) {
          splitSet.add(encroaches);
          bad++;
        } else gaveUp[tIdx] = 1; // refinement floor reached next to a tiny input feature: keep this triangle
        continue;
      }
      bad++;
      const minSep = 0.5 * rc;
      const crowded = newPoints.query(cc[0], cc[1], minSep, (id) => {
        return Math.hypot(newXY[2 * id] - cc[0], newXY[2 * id + 1] - cc[1]) < minSep;
      });
      if (crowded) continue;
      newPoints.insert(cc[0], cc[1], newXY.length / 2);
      newXY.push(cc[0], cc[1]);
    }
    if (DEBUG)
      console.error(`[cpu ${cpuMs()}] round ${rounds}: ${bad} bad, ${splitSet.size} splits, ${newXY.length / 2} new`);
    if (bad === 0 && toSplit.length === 0) break;
    // Split the encroached subsegments (found in step a, or that circumcentres would encroach) and insert the other
    // circumcentres in the same round (none of them lies in a diametral circle, so they cannot hide a subsegment).
    for (const s of toSplit) splitSet.add(s);
    for (const s of [...splitSet].sort((p, q) => p - q)) splitSegment(s);
    for (let i = 0; i < newXY.length; i += 2) pts.add(newXY[i], newXY[i + 1]);
  }

  // ---- 4. Output: solid and pore triangles, counter-clockwise ---------------------------------------------------
  const tri = (del as Delaunator<Float64Array>).triangles;
  const totalTri = tri.length / 3;
  const kept = (label: number) => label !== LABEL_VOID;
  let solidCount = 0;
  for (let tIdx = 0; tIdx < totalTri; tIdx++) if (kept(triLabel[tIdx])) solidCount++;
  const triangles = new Uint32Array(3 * solidCount);
  const labels = new Int32Array(solidCount);
  const forced = new Uint8Array(solidCount);
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
    const [angle, at] = smallestAngle(
      pts.xy[2 * a],
      pts.xy[2 * a + 1],
      pts.xy[2 * b],
      pts.xy[2 * b + 1],
      pts.xy[2 * c],
      pts.xy[2 * c + 1],
    );
    if (angle < minAngle && (nestledInSmallWedge(tIdx, at, tri) || gaveUp[tIdx] === 1)) forced[k] = 1;
    k++;
  }
  const segCount = segs.count;
  return {
    pointCount: pts.count,
    coords: pts.xy.slice(0, 2 * pts.count),
    triCount: solidCount,
    triangles,
    triLabel: labels,
    triForced: forced,
    segCount,
    segA: Uint32Array.from(segs.a),
    segB: Uint32Array.from(segs.b),
    segLeft: Int32Array.from(segs.left),
    segRight: Int32Array.from(segs.right),
    segKind: Uint8Array.from(segs.kind),
    rounds,
  };
}
