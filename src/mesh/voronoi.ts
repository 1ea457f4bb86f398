/**
 * Voronoi polycrystal: seed points, Lloyd relaxation and the planar straight-line graph of the Voronoi cells
 * clipped to the particle disk (or quarter disk).
 *
 * How the diagram is computed: the Voronoi diagram is the dual of the Delaunay triangulation (delaunator) of the
 * seeds. Each Delaunay edge p–q is dual to the Voronoi edge joining the circumcentres of its two triangles; that
 * edge separates cell p from cell q. Vertices are identified by their Delaunay triangle, so neighbouring cells
 * share *the same* vertex objects (welded by construction, no coordinate hashing).
 *
 * Unbounded cells: eight far "ghost" seeds on a ring of radius 4 R are added. Any point x of the disk is within
 * 2R of every real seed's cell owner (|x − s| ≤ 2R) but at least 3R from every ghost, so the ghosts never own a
 * point of the disk, yet they close every real cell.
 *
 * Quarter disk: each seed is mirrored across x = 0, y = 0 and both. The diagram of the mirrored set is symmetric,
 * so the bisector of a seed and its own mirror is exactly the symmetry axis and every grain boundary meets an axis
 * at 90° — the quarter is then literally one quarter of a symmetric full particle, as the symmetry boundary
 * conditions (u·n = 0, zero flux) assume. Edges between a seed and a mirror become axis edges.
 */
import Delaunator from 'delaunator';
import type { Rng } from './random.js';
import type { SizeField } from './size-field.js';
import {
  addVertex,
  EDGE_ARC,
  EDGE_AXIS_X,
  EDGE_AXIS_Y,
  EDGE_INTERIOR,
  FACE_OUTSIDE,
  ON_ARC,
  ON_AXIS_X,
  ON_AXIS_Y,
  type Pslg,
} from './pslg.js';
import { atan2, cos, exp, hypot, sin } from '../math/portable.js';

export type Shape = 'quarter' | 'full';

/** Uniform random point in the quarter or full disk of radius R (area-uniform: r = R √u). */
function randomPointInDomain(shape: Shape, R: number, rng: Rng): [number, number] {
  const r = R * Math.sqrt(rng.next());
  const theta = (shape === 'quarter' ? Math.PI / 2 : 2 * Math.PI) * rng.next();
  return [r * cos(theta), r * sin(theta)];
}

/**
 * Seed points: uniform in the domain, or — with a size field (size_spread > 0, see size-field.ts) — with
 * intensity ∝ 1/d(x)² by rejection sampling: a uniform candidate is accepted with probability
 * exp(−2 (ln d(x)/d₀ + 3σ)) ≤ 1 (the field is clipped at |G| ≤ 3).
 */
export function generateSeeds(
  shape: Shape,
  R: number,
  count: number,
  sizeField: SizeField | null,
  rng: Rng,
): Float64Array {
  const seeds = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    let x: number;
    let y: number;
    for (;;) {
      [x, y] = randomPointInDomain(shape, R, rng);
      if (!sizeField) break;
      const accept = exp(-2 * (sizeField.lnDiameterFactor(x, y) + 3 * sizeField.sigma));
      if (rng.next() < accept) break;
    }
    seeds[2 * i] = x;
    seeds[2 * i + 1] = y;
  }
  return seeds;
}

/** Number of mirror copies per seed: quarter = seed + 3 mirrors; full = seed only. */
function copiesPerSeed(shape: Shape): number {
  return shape === 'quarter' ? 4 : 1;
}

const GHOST_COUNT = 8;

/**
 * Delaunay triangulation of the seeds, their mirrors (quarter) and the ghost ring.
 * Point layout: [0, n) real seeds; quarter: [n, 2n) mirrored across x = 0, [2n, 3n) across y = 0, [3n, 4n) both;
 * then the ghosts.
 */
function delaunayOfSeeds(shape: Shape, R: number, seeds: Float64Array) {
  const n = seeds.length / 2;
  const copies = copiesPerSeed(shape);
  const total = n * copies + GHOST_COUNT;
  const pts = new Float64Array(2 * total);
  for (let i = 0; i < n; i++) {
    const x = seeds[2 * i];
    const y = seeds[2 * i + 1];
    pts[2 * i] = x;
    pts[2 * i + 1] = y;
    if (copies === 4) {
      pts[2 * (n + i)] = -x;
      pts[2 * (n + i) + 1] = y;
      pts[2 * (2 * n + i)] = x;
      pts[2 * (2 * n + i) + 1] = -y;
      pts[2 * (3 * n + i)] = -x;
      pts[2 * (3 * n + i) + 1] = -y;
    }
  }
  for (let g = 0; g < GHOST_COUNT; g++) {
    const a = (2 * Math.PI * (g + 0.5)) / GHOST_COUNT;
    pts[2 * (n * copies + g)] = 4 * R * cos(a);
    pts[2 * (n * copies + g) + 1] = 4 * R * sin(a);
  }
  const del = new Delaunator(pts);
  const triCount = del.triangles.length / 3;
  const cc = new Float64Array(2 * triCount);
  for (let t = 0; t < triCount; t++) {
    const a = del.triangles[3 * t];
    const b = del.triangles[3 * t + 1];
    const c = del.triangles[3 * t + 2];
    circumcenter(pts[2 * a], pts[2 * a + 1], pts[2 * b], pts[2 * b + 1], pts[2 * c], pts[2 * c + 1], cc, t);
  }
  return { del, pts, cc, n, copies };
}

/** Circumcentre of triangle (a, b, c) written into out[2k], out[2k+1]; relative to a for round-off. */
export function circumcenter(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  out: Float64Array | number[],
  k: number,
): void {
  const dx = bx - ax;
  const dy = by - ay;
  const ex = cx - ax;
  const ey = cy - ay;
  const bl = dx * dx + dy * dy;
  const cl = ex * ex + ey * ey;
  const d = 0.5 / (dx * ey - dy * ex);
  out[2 * k] = ax + (ey * bl - dy * cl) * d;
  out[2 * k + 1] = ay + (dx * cl - ex * bl) * d;
}

const nextHalfedge = (e: number) => (e % 3 === 2 ? e - 2 : e + 1);

/**
 * Area and centroid of the convex polygon P clipped to the disk |x| ≤ R. The parts of P outside the disk are
 * replaced by circular arcs sampled every ≤ 2°, accurate enough for Lloyd relaxation.
 */
function clippedCentroid(
  px: number[],
  py: number[],
  R: number,
  density: ((x: number, y: number) => number) | null,
): [number, number, number] {
  const m = px.length;
  const ox: number[] = [];
  const oy: number[] = [];
  let exitAngle = NaN;
  let firstExit = NaN;
  let pendingEntry: number[] | null = null;
  const inside = (x: number, y: number) => x * x + y * y <= R * R;
  const addArc = (a0: number, a1: number) => {
    let span = a1 - a0;
    while (span < 0) span += 2 * Math.PI;
    const steps = Math.max(1, Math.ceil(span / (Math.PI / 90)));
    for (let s = 1; s < steps; s++) {
      const a = a0 + (span * s) / steps;
      ox.push(R * cos(a));
      oy.push(R * sin(a));
    }
  };
  for (let i = 0; i < m; i++) {
    const x0 = px[i];
    const y0 = py[i];
    const x1 = px[(i + 1) % m];
    const y1 = py[(i + 1) % m];
    const in0 = inside(x0, y0);
    const in1 = inside(x1, y1);
    if (in0) {
      ox.push(x0);
      oy.push(y0);
    }
    // Intersections of the segment with the circle: |p0 + s (p1 − p0)|² = R².
    const dx = x1 - x0;
    const dy = y1 - y0;
    const A = dx * dx + dy * dy;
    const B = 2 * (x0 * dx + y0 * dy);
    const C = x0 * x0 + y0 * y0 - R * R;
    const disc = B * B - 4 * A * C;
    if (A === 0 || disc <= 0) continue;
    const sq = Math.sqrt(disc);
    const s0 = (-B - sq) / (2 * A);
    const s1 = (-B + sq) / (2 * A);
    const hits: [number, boolean][] = [];
    if (!in0 && s0 > 0 && s0 < 1) hits.push([s0, true]); // entering
    if (s1 > 0 && s1 < 1 && !(in1 && in0)) {
      if (in0 || (!in0 && s0 > 0 && s0 < 1)) hits.push([s1, false]); // exiting
    }
    for (const [s, entering] of hits) {
      const hx = x0 + s * dx;
      const hy = y0 + s * dy;
      const ang = atan2(hy, hx);
      if (entering) {
        if (Number.isNaN(exitAngle)) pendingEntry = [ang, hx, hy];
        else addArc(exitAngle, ang);
        ox.push(hx);
        oy.push(hy);
        exitAngle = NaN;
      } else {
        ox.push(hx);
        oy.push(hy);
        exitAngle = ang;
        if (Number.isNaN(firstExit)) firstExit = ang;
      }
    }
  }
  if (pendingEntry && !Number.isNaN(exitAngle)) {
    // The arc from the last exit wraps around to the first entry: insert its samples at the front.
    const before = ox.length;
    addArc(exitAngle, pendingEntry[0]);
    const arcX = ox.splice(before);
    const arcY = oy.splice(before);
    ox.unshift(...arcX);
    oy.unshift(...arcY);
  }
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  const k = ox.length;
  if (k < 3) {
    // Cell entirely outside (or a whole-disk cell with no vertex inside): fall back to the polygon itself.
    return [0, 0, 0];
  }
  if (density) {
    // Weighted centroid ∫ x ρ dA / ∫ ρ dA: fan of triangles from vertex 0 (the clipped cell is convex), ρ at each
    // triangle's centroid.
    let w = 0;
    for (let i = 1; i + 1 < k; i++) {
      const tx = (ox[0] + ox[i] + ox[i + 1]) / 3;
      const ty = (oy[0] + oy[i] + oy[i + 1]) / 3;
      const area = ((ox[i] - ox[0]) * (oy[i + 1] - oy[0]) - (oy[i] - oy[0]) * (ox[i + 1] - ox[0])) / 2;
      const rho = density(tx, ty) * area;
      a2 += 2 * area;
      w += rho;
      cx += rho * tx;
      cy += rho * ty;
    }
    return [a2 / 2, cx / w, cy / w];
  }
  for (let i = 0; i < k; i++) {
    const x0 = ox[i];
    const y0 = oy[i];
    const x1 = ox[(i + 1) % k];
    const y1 = oy[(i + 1) % k];
    const cr = x0 * y1 - x1 * y0;
    a2 += cr;
    cx += (x0 + x1) * cr;
    cy += (y0 + y1) * cr;
  }
  return [a2 / 2, cx / (3 * a2), cy / (3 * a2)];
}

/**
 * Lloyd relaxation: move every seed to the centroid of its cell clipped to the domain, `iterations` times
 * (density-weighted centroid when a size field is given).
 * Cells are read off the Delaunay triangulation (circumcentres around each seed, in order).
 */
export function lloydRelax(
  shape: Shape,
  R: number,
  seeds: Float64Array,
  iterations: number,
  sizeField: SizeField | null = null,
): void {
  // CVT density ρ = d(x)⁻⁴ keeps the cell diameters ∝ ρ^(−1/4) = d(x) (see size-field.ts).
  const density = sizeField ? (x: number, y: number) => exp(-4 * sizeField.lnDiameterFactor(x, y)) : null;
  const n = seeds.length / 2;
  if (n < 2) return;
  for (let it = 0; it < iterations; it++) {
    const { del, cc } = delaunayOfSeeds(shape, R, seeds);
    const incoming = new Int32Array(n).fill(-1);
    for (let e = 0; e < del.triangles.length; e++) {
      const p = del.triangles[nextHalfedge(e)];
      if (p < n && incoming[p] === -1) incoming[p] = e;
    }
    for (let p = 0; p < n; p++) {
      const start = incoming[p];
      if (start < 0) continue;
      const px: number[] = [];
      const py: number[] = [];
      let e = start;
      do {
        const t = Math.floor(e / 3);
        px.push(cc[2 * t]);
        py.push(cc[2 * t + 1]);
        e = del.halfedges[nextHalfedge(e)];
      } while (e !== -1 && e !== start);
      // Make the polygon counter-clockwise.
      let s = 0;
      for (let i = 0; i < px.length; i++) {
        const j = (i + 1) % px.length;
        s += px[i] * py[j] - px[j] * py[i];
      }
      if (s < 0) {
        px.reverse();
        py.reverse();
      }
      const [area, cx, cy] = clippedCentroid(px, py, R, density);
      if (area > 0 && Number.isFinite(cx) && Number.isFinite(cy)) {
        // Keep the quarter's seeds strictly inside the quadrant (a seed on an axis would coincide with its mirror).
        seeds[2 * p] = shape === 'quarter' ? Math.max(cx, 1e-9 * R) : cx;
        seeds[2 * p + 1] = shape === 'quarter' ? Math.max(cy, 1e-9 * R) : cy;
      }
    }
  }
}

/**
 * Build the PSLG of the Voronoi cells clipped to the disk of radius R (quarter: also to x ≥ 0, y ≥ 0, through
 * the mirrors). Faces are the seed indices; the region beyond the circle / axes is FACE_OUTSIDE.
 *
 * Orientation rule: the Voronoi edge dual to Delaunay edge p → q is stored as A → B with (B − A) · rot90(q − p)
 * ≥ 0, which puts p on its left (cross(rot90 v, −v/2) = |v|²/2 > 0).
 *
 * Arc edges: the circle vertices (where Voronoi edges leave the disk), sorted by angle; the arc from one to the
 * next belongs to the face on the left of the outward-directed Voronoi edge at its start (the left of an outward
 * direction d at a circle point B is the counter-clockwise side, because cross(d, rot90 B) = d · B > 0).
 */
export function buildVoronoiPslg(shape: Shape, R: number, seeds: Float64Array): Pslg {
  const { del, pts, cc, n } = delaunayOfSeeds(shape, R, seeds);
  const g: Pslg = { xs: [], ys: [], flags: [], edges: [], cellCount: n };
  const triVertex = new Int32Array(del.triangles.length / 3).fill(-1);
  const R2 = R * R;
  const vertexOfTriangle = (t: number): number => {
    if (triVertex[t] < 0) triVertex[t] = addVertex(g, cc[2 * t], cc[2 * t + 1], 0);
    return triVertex[t];
  };
  /** Circle crossings: vertex index and the face owning the arc that starts there (counter-clockwise). */
  const arcStarts: { v: number; angle: number; owner: number }[] = [];
  const faceOf = (p: number) => (p < n ? p : FACE_OUTSIDE);
  for (let e = 0; e < del.triangles.length; e++) {
    const twin = del.halfedges[e];
    if (twin < e) continue; // each undirected edge once (hull edges have twin −1 and involve ghosts only)
    const p = del.triangles[e];
    const q = del.triangles[nextHalfedge(e)];
    if (p >= n && q >= n) continue;
    const t1 = Math.floor(e / 3);
    const t2 = Math.floor(twin / 3);
    // Orient A → B with p on the left.
    const vx = pts[2 * q] - pts[2 * p];
    const vy = pts[2 * q + 1] - pts[2 * p + 1];
    let tA = t1;
    let tB = t2;
    if ((cc[2 * t2] - cc[2 * t1]) * -vy + (cc[2 * t2 + 1] - cc[2 * t1 + 1]) * vx < 0) {
      tA = t2;
      tB = t1;
    }
    let kind = EDGE_INTERIOR;
    if (p >= n || q >= n) {
      const mirror = p >= n ? p : q;
      const which = Math.floor(mirror / n); // 1: across x = 0, 2: across y = 0, 3: both
      kind = which === 1 ? EDGE_AXIS_X : which === 2 ? EDGE_AXIS_Y : EDGE_AXIS_X;
    }
    const ax = cc[2 * tA];
    const ay = cc[2 * tA + 1];
    const bx = cc[2 * tB];
    const by = cc[2 * tB + 1];
    const inA = ax * ax + ay * ay < R2;
    const inB = bx * bx + by * by < R2;
    const left = faceOf(p);
    const right = faceOf(q);
    if (inA && inB) {
      g.edges.push({ a: vertexOfTriangle(tA), b: vertexOfTriangle(tB), left, right, kind });
      continue;
    }
    // Clip the segment to the circle: |A + s (B − A)|² = R².
    const dx = bx - ax;
    const dy = by - ay;
    const qa = dx * dx + dy * dy;
    const qb = 2 * (ax * dx + ay * dy);
    const qc = ax * ax + ay * ay - R2;
    const disc = qb * qb - 4 * qa * qc;
    if (qa === 0 || disc <= 0) continue;
    const sq = Math.sqrt(disc);
    const s0 = (-qb - sq) / (2 * qa);
    const s1 = (-qb + sq) / (2 * qa);
    const circlePoint = (s: number, outwardLeftFace: number): number => {
      let x = ax + s * dx;
      let y = ay + s * dy;
      let flags = ON_ARC;
      if (kind === EDGE_AXIS_X) {
        x = 0;
        y = Math.sign(y) * R;
        flags |= ON_AXIS_X;
      } else if (kind === EDGE_AXIS_Y) {
        y = 0;
        x = Math.sign(x) * R;
        flags |= ON_AXIS_Y;
      } else {
        const r = hypot(x, y);
        x *= R / r;
        y *= R / r;
      }
      const v = addVertex(g, x, y, flags);
      arcStarts.push({ v, angle: atan2(y, x), owner: outwardLeftFace });
      return v;
    };
    if (inA && !inB) {
      // A inside, leaving at s1: outward direction is A → B, so its left face (p) owns the next arc.
      const vB = circlePoint(s1, left);
      g.edges.push({ a: vertexOfTriangle(tA), b: vB, left, right, kind });
    } else if (!inA && inB) {
      // Entering at s0: the outward direction is B → A, whose left face is `right`.
      const vA = circlePoint(s0, right);
      g.edges.push({ a: vA, b: vertexOfTriangle(tB), left, right, kind });
    } else if (s0 > 0 && s1 < 1) {
      const vA = circlePoint(s0, right);
      const vB = circlePoint(s1, left);
      g.edges.push({ a: vA, b: vB, left, right, kind });
    }
  }
  // Axis vertices: snap to the axis exactly (circumcentres of mirror-symmetric triangles are on it up to round-off).
  for (const e of g.edges) {
    if (e.kind === EDGE_AXIS_X) {
      for (const v of [e.a, e.b]) {
        g.xs[v] = 0;
        g.flags[v] |= ON_AXIS_X;
      }
    } else if (e.kind === EDGE_AXIS_Y) {
      for (const v of [e.a, e.b]) {
        g.ys[v] = 0;
        g.flags[v] |= ON_AXIS_Y;
      }
    }
  }
  if (shape === 'quarter') {
    // Keep only the first quadrant's arc: crossings are at angles in [0, π/2].
    // The corners (axis crossings) are the two ends of the quarter arc whatever round-off says about the angle of
    // a crossing next to them; every other crossing is clamped into [0, π/2].
    const sortKey = (s: { v: number; angle: number }) =>
      (g.flags[s.v] & ON_AXIS_Y) !== 0
        ? -1
        : (g.flags[s.v] & ON_AXIS_X) !== 0
          ? 10
          : Math.min(Math.PI / 2, Math.max(0, s.angle));
    const kept = arcStarts.filter((s) => s.angle >= -1e-9 && s.angle <= Math.PI / 2 + 1e-9);
    kept.sort((s, t) => sortKey(s) - sortKey(t) || s.v - t.v);
    for (let i = 0; i + 1 < kept.length; i++) {
      g.edges.push({ a: kept[i].v, b: kept[i + 1].v, left: kept[i].owner, right: FACE_OUTSIDE, kind: EDGE_ARC });
    }
  } else {
    arcStarts.sort((s, t) => s.angle - t.angle || s.v - t.v);
    if (arcStarts.length === 0) {
      // One cell covers the whole disk: a closed arc from a single vertex back to itself.
      const v = addVertex(g, R, 0, ON_ARC);
      g.edges.push({ a: v, b: v, left: 0, right: FACE_OUTSIDE, kind: EDGE_ARC });
    } else {
      for (let i = 0; i < arcStarts.length; i++) {
        const s = arcStarts[i];
        const t = arcStarts[(i + 1) % arcStarts.length];
        g.edges.push({ a: s.v, b: t.v, left: s.owner, right: FACE_OUTSIDE, kind: EDGE_ARC });
      }
    }
  }
  return g;
}
