/**
 * Geometry cleanup of the clipped Voronoi PSLG before meshing. Two defects of raw Voronoi geometry would force
 * tiny or skinny elements:
 *
 * 1. **Short edges.** A Voronoi edge much shorter than the element size h (common: near-cocircular seeds, and
 *    exactly zero-length edges at every mirror-symmetric axis vertex) forces elements of its own length. Every
 *    edge shorter than `collapseFraction · h` (default 0.3 h) is collapsed into a single vertex at its midpoint.
 *    Collapsing an edge between two triple junctions creates a 4-grain junction — the mesher and the interface
 *    builder support junctions of any order. A vertex on a constraint curve (circle, symmetry axis) stays on it:
 *    circle + circle → angular midpoint on the circle, axis + interior → the axis vertex, corners win.
 *    If a cell collapses to a sliver between two coincident edges, the two edges are merged and the cell
 *    disappears (its area was < 0.3 h × its other edge; it is reported as a vanished grain, never meshed).
 *
 * 2. **Grazing boundaries at the surface.** A grain boundary meeting the outer circle at an angle β < 30° leaves
 *    a sliver corner of angle β that no triangulation can fix. The last piece of such a boundary is bent: a kink
 *    vertex K is placed on the boundary at distance s ≈ h from the circle point P, and the boundary continues from
 *    K radially to P' = R K/|K| on the circle. The angles at K become 90° ± β and the boundary meets the circle at
 *    90°. The area moved between the two grains is ≈ s² sin β cos β / 2 < 0.25 h², a negligible change of shape.
 *
 * 3. **Tiny cells.** Cells smaller than h² (under ~2 elements; after collapses they are often needles with
 *    angles of a few degrees) are merged into the neighbour sharing their longest boundary.
 *
 * Vertices closer than 1e-9 R (numerical duplicates from cocircular seeds) are welded first.
 */
import { MeshInternalError } from './errors.js';
import {
  addVertex,
  arcSpan,
  EDGE_AXIS_X,
  EDGE_AXIS_Y,
  EDGE_INTERIOR,
  edgeLength,
  isArcKind,
  ON_ARC,
  ON_AXIS_X,
  ON_AXIS_Y,
  type Pslg,
  type PslgEdge,
} from './pslg.js';
import { atan2, cos, hypot, sin } from '../math/portable.js';

class UnionFind {
  parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r];
    while (this.parent[i] !== r) {
      const next = this.parent[i];
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
}

/** Position of the merge of vertices a and b (both roots), respecting their constraint flags. */
function mergedPosition(g: Pslg, R: number, a: number, b: number): [number, number, number] {
  const fa = g.flags[a];
  const fb = g.flags[b];
  const flags = fa | fb;
  const ax = g.xs[a];
  const ay = g.ys[a];
  const bx = g.xs[b];
  const by = g.ys[b];
  const onX = (flags & ON_AXIS_X) !== 0;
  const onY = (flags & ON_AXIS_Y) !== 0;
  const onArc = (flags & ON_ARC) !== 0;
  if (onX && onY) return [0, 0, flags];
  if (onArc && onX) return [0, R, flags];
  if (onArc && onY) return [R, 0, flags];
  if (onArc) {
    if ((fa & ON_ARC) !== 0 && (fb & ON_ARC) !== 0) {
      const span = arcSpan(ax, ay, bx, by, false);
      // Mid-angle along the shorter way round.
      const start = span <= Math.PI ? atan2(ay, ax) : atan2(by, bx);
      const half = (span <= Math.PI ? span : 2 * Math.PI - span) / 2;
      return [R * cos(start + half), R * sin(start + half), flags];
    }
    return (fa & ON_ARC) !== 0 ? [ax, ay, flags] : [bx, by, flags];
  }
  if (onX) {
    const y = (fa & ON_AXIS_X) !== 0 && (fb & ON_AXIS_X) !== 0 ? (ay + by) / 2 : (fa & ON_AXIS_X) !== 0 ? ay : by;
    return [0, y, flags];
  }
  if (onY) {
    const x = (fa & ON_AXIS_Y) !== 0 && (fb & ON_AXIS_Y) !== 0 ? (ax + bx) / 2 : (fa & ON_AXIS_Y) !== 0 ? ax : bx;
    return [x, 0, flags];
  }
  return [(ax + bx) / 2, (ay + by) / 2, flags];
}

/**
 * Replace every edge's endpoints by their union-find roots, drop collapsed edges, merge coincident edges (same
 * vertex pair) and drop edges with the same face on both sides.
 */
function rebuildEdges(g: Pslg, uf: UnionFind, spanBefore: Float64Array): void {
  const byPair = new Map<number, PslgEdge>();
  const nv = g.xs.length;
  const result: PslgEdge[] = [];
  for (let i = 0; i < g.edges.length; i++) {
    const e = g.edges[i];
    const a = uf.find(e.a);
    const b = uf.find(e.b);
    // Collapsed edges vanish, except an arc that went (more than half) round the circle before its ends were
    // merged: it becomes a closed circle.
    const closedArc = isArcKind(e.kind) && spanBefore[i] > Math.PI;
    if (a === b && !closedArc) continue;
    const edge: PslgEdge = { a, b, left: e.left, right: e.right, kind: e.kind };
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = lo * nv + hi;
    const prev = byPair.get(key);
    if (!prev || a === b) {
      byPair.set(key, edge);
      result.push(edge);
      continue;
    }
    // Two curves between the same vertices: the face squeezed between them vanishes. Orient both lo → hi.
    const l1 = prev.a === lo ? prev.left : prev.right;
    const r1 = prev.a === lo ? prev.right : prev.left;
    const l2 = edge.a === lo ? edge.left : edge.right;
    const r2 = edge.a === lo ? edge.right : edge.left;
    let left: number;
    let right: number;
    if (r1 === l2) {
      left = l1;
      right = r2;
    } else if (r2 === l1) {
      left = l2;
      right = r1;
    } else {
      // Both faces distinct: keep the first edge (the second is a numerical duplicate).
      left = l1;
      right = r1;
    }
    prev.a = lo;
    prev.b = hi;
    prev.left = left;
    prev.right = right;
    if (isArcKind(edge.kind)) prev.kind = edge.kind;
    else if (prev.kind === EDGE_INTERIOR) prev.kind = edge.kind;
    if (isArcKind(prev.kind)) {
      // An arc must run counter-clockwise from a to b with the inside on its left.
      const span = arcSpan(g.xs[lo], g.ys[lo], g.xs[hi], g.ys[hi], false);
      if (span > Math.PI) {
        prev.a = hi;
        prev.b = lo;
        prev.left = right;
        prev.right = left;
      }
    }
  }
  g.edges = result.filter((e) => e.left !== e.right);
}

/** Angular span of every arc edge (0 for straight edges), measured before vertices move. */
function arcSpans(g: Pslg): Float64Array {
  const spans = new Float64Array(g.edges.length);
  g.edges.forEach((e, i) => {
    if (isArcKind(e.kind)) spans[i] = arcSpan(g.xs[e.a], g.ys[e.a], g.xs[e.b], g.ys[e.b], e.a === e.b);
  });
  return spans;
}

/** Weld vertices closer than `eps` (grid hash, O(n)). */
function weldDuplicates(g: Pslg, R: number, eps: number): void {
  const spans = arcSpans(g);
  const nv = g.xs.length;
  const uf = new UnionFind(nv);
  const grid = new Map<string, number[]>();
  const cell = eps * 4;
  let merged = false;
  for (let v = 0; v < nv; v++) {
    const ix = Math.floor(g.xs[v] / cell);
    const iy = Math.floor(g.ys[v] / cell);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const bucket = grid.get(`${ix + dx},${iy + dy}`);
        if (!bucket) continue;
        for (const w of bucket) {
          if (hypot(g.xs[w] - g.xs[v], g.ys[w] - g.ys[v]) <= eps) {
            const rv = uf.find(v);
            const rw = uf.find(w);
            if (rv !== rw) {
              const [x, y, f] = mergedPosition(g, R, rw, rv);
              uf.parent[rv] = rw;
              g.xs[rw] = x;
              g.ys[rw] = y;
              g.flags[rw] = f;
              merged = true;
            }
          }
        }
      }
    }
    const k = `${ix},${iy}`;
    const bucket = grid.get(k);
    if (bucket) bucket.push(v);
    else grid.set(k, [v]);
  }
  if (merged) rebuildEdges(g, uf, spans);
}

/** Collapse every edge shorter than `minLength` (shortest first). */
function collapseShortEdges(g: Pslg, R: number, minLength: number): void {
  for (let pass = 0; pass < 4; pass++) {
    const spans = arcSpans(g);
    const uf = new UnionFind(g.xs.length);
    const candidates = g.edges
      .map((e, i) => ({ e, i, len: edgeLength(g, e) }))
      .filter((c) => c.len < minLength && c.e.a !== c.e.b)
      .sort((p, q) => p.len - q.len || p.i - q.i);
    if (candidates.length === 0) return;
    let merged = 0;
    for (const { e } of candidates) {
      const a = uf.find(e.a);
      const b = uf.find(e.b);
      if (a === b) continue;
      if (hypot(g.xs[a] - g.xs[b], g.ys[a] - g.ys[b]) >= minLength) continue;
      const [x, y, f] = mergedPosition(g, R, a, b);
      uf.parent[b] = a;
      g.xs[a] = x;
      g.ys[a] = y;
      g.flags[a] = f;
      merged++;
    }
    rebuildEdges(g, uf, spans);
    if (merged === 0) return;
  }
}

/**
 * Bend grain boundaries that meet the outer circle at less than `minAngle_rad` (see the file comment).
 * Only circle vertices with exactly one incident interior edge are treated (junctions on the circle are left alone).
 */
function fixGrazingArcAngles(g: Pslg, R: number, h: number, minAngle_rad: number): void {
  const interiorAt = new Map<number, number[]>();
  const arcAt = new Map<number, number[]>();
  g.edges.forEach((e, i) => {
    const target = e.kind === EDGE_INTERIOR ? interiorAt : isArcKind(e.kind) ? arcAt : null;
    if (!target) return;
    for (const v of [e.a, e.b]) {
      const list = target.get(v);
      if (list) list.push(i);
      else target.set(v, [i]);
    }
  });
  const added: PslgEdge[] = [];
  for (const [v, list] of interiorAt) {
    if ((g.flags[v] & ON_ARC) === 0 || (g.flags[v] & (ON_AXIS_X | ON_AXIS_Y)) !== 0) continue;
    if (list.length !== 1) continue;
    const arcs = arcAt.get(v);
    if (!arcs || arcs.length !== 2) continue;
    const edge = g.edges[list[0]];
    const other = edge.a === v ? edge.b : edge.a;
    const px = g.xs[v];
    const py = g.ys[v];
    const dx = g.xs[other] - px;
    const dy = g.ys[other] - py;
    const len = hypot(dx, dy);
    // Angle between the boundary and the tangent: sin β = |d · P̂| / |d|.
    const sinBeta = Math.abs(dx * px + dy * py) / (len * R);
    if (sinBeta >= sin(minAngle_rad)) continue;
    // Neighbouring circle vertices: the new foot P' must stay between them, ≥ 0.3 h away.
    const neighbours = arcs.map((i) => (g.edges[i].a === v ? g.edges[i].b : g.edges[i].a));
    let s = Math.min(h, 0.5 * len);
    let placed = false;
    for (let attempt = 0; attempt < 4 && !placed; attempt++, s *= 0.5) {
      const kx = px + (dx / len) * s;
      const ky = py + (dy / len) * s;
      const kr = hypot(kx, ky);
      const fx = (R * kx) / kr;
      const fy = (R * ky) / kr;
      const ok =
        neighbours.every((w) => hypot(g.xs[w] - fx, g.ys[w] - fy) >= 0.3 * h) && hypot(kx - fx, ky - fy) > 1e-3 * h;
      // The foot must not pass a neighbour: the angle to each neighbour keeps its sign.
      const sameSide = neighbours.every((w) => {
        const before = px * g.ys[w] - py * g.xs[w];
        const after = fx * g.ys[w] - fy * g.xs[w];
        return Math.sign(before) === Math.sign(after);
      });
      if (!ok || !sameSide) continue;
      const k = addVertex(g, kx, ky, 0);
      g.xs[v] = fx;
      g.ys[v] = fy;
      // edge: other … v becomes other … k, plus k … v with the same faces and direction.
      if (edge.a === v) {
        added.push({ a: v, b: k, left: edge.left, right: edge.right, kind: EDGE_INTERIOR });
        edge.a = k;
      } else {
        added.push({ a: k, b: v, left: edge.left, right: edge.right, kind: EDGE_INTERIOR });
        edge.b = k;
      }
      placed = true;
    }
  }
  g.edges.push(...added);
}

/** Signed area of every face from its boundary edges (shoelace on chords; arcs add their circular segment). */
export function faceAreas(g: Pslg): Float64Array {
  const area = new Float64Array(g.cellCount);
  for (const e of g.edges) {
    let a2 = g.xs[e.a] * g.ys[e.b] - g.xs[e.b] * g.ys[e.a];
    if (isArcKind(e.kind)) {
      const r = hypot(g.xs[e.a], g.ys[e.a]);
      const span = arcSpan(g.xs[e.a], g.ys[e.a], g.xs[e.b], g.ys[e.b], e.a === e.b);
      a2 = r * r * span; // 2 × sector area = chord triangle + segment, as a whole
    }
    if (e.left >= 0) area[e.left] += a2 / 2;
    if (e.right >= 0) area[e.right] -= a2 / 2;
  }
  return area;
}

/**
 * Merge cells smaller than `minArea` (default h²: fewer than ~2 elements, too small to be a resolved grain, and
 * typically needle-shaped after edge collapses, which would force sliver elements) into the neighbouring cell with
 * which they share the longest boundary. The shared edges disappear; the merged grain keeps the neighbour's id.
 */
function mergeTinyCells(g: Pslg, minArea: number): void {
  const areas = faceAreas(g);
  const order: number[] = [];
  for (let c = 0; c < g.cellCount; c++) if (areas[c] > 0 && areas[c] < minArea) order.push(c);
  order.sort((a, b) => areas[a] - areas[b] || a - b);
  if (order.length === 0) return;
  const mergedInto = new Int32Array(g.cellCount);
  for (let c = 0; c < g.cellCount; c++) mergedInto[c] = c;
  const root = (c: number): number => {
    while (c >= 0 && mergedInto[c] !== c) c = mergedInto[c];
    return c;
  };
  for (const c of order) {
    if (root(c) !== c) continue;
    const shared = new Map<number, number>();
    for (const e of g.edges) {
      const l = root(e.left);
      const r = root(e.right);
      if (l === c && r >= 0 && r !== c) shared.set(r, (shared.get(r) ?? 0) + edgeLength(g, e));
      if (r === c && l >= 0 && l !== c) shared.set(l, (shared.get(l) ?? 0) + edgeLength(g, e));
    }
    let best = -1;
    let bestLength = 0;
    for (const [f, len] of shared) {
      if (len > bestLength || (len === bestLength && f < best)) {
        best = f;
        bestLength = len;
      }
    }
    if (best < 0) continue; // a cell touching only the outside/axes: keep it
    mergedInto[c] = best;
  }
  for (const e of g.edges) {
    e.left = e.left >= 0 ? root(e.left) : e.left;
    e.right = e.right >= 0 ? root(e.right) : e.right;
  }
  g.edges = g.edges.filter((e) => e.left !== e.right);
}

export interface CleanupOptions {
  /** Cells smaller than this multiple of h² are merged into a neighbour (default 1). */
  minCellAreaFactor?: number;
  /** Edges shorter than this fraction of h are collapsed (default 0.3). */
  collapseFraction?: number;
  /** Boundaries meeting the circle below this angle are bent (default 30°). */
  minArcAngle_deg?: number;
}

/** Apply all cleanup steps in place; returns the number of cells that vanished. */
export function cleanupGeometry(g: Pslg, R: number, h: number, options: CleanupOptions = {}): void {
  const collapse = options.collapseFraction ?? 0.3;
  const minArc = ((options.minArcAngle_deg ?? 30) * Math.PI) / 180;
  weldDuplicates(g, R, 1e-9 * R);
  collapseShortEdges(g, R, collapse * h);
  mergeTinyCells(g, (options.minCellAreaFactor ?? 1) * h * h);
  fixGrazingArcAngles(g, R, h, minArc);
  // Axis vertices stay exactly on their axis.
  for (const e of g.edges) {
    if (e.kind === EDGE_AXIS_X) {
      g.xs[e.a] = 0;
      g.xs[e.b] = 0;
    } else if (e.kind === EDGE_AXIS_Y) {
      g.ys[e.a] = 0;
      g.ys[e.b] = 0;
    }
  }
  const areas = faceAreas(g);
  for (let c = 0; c < g.cellCount; c++) {
    if (areas[c] < -1e-12 * R * R)
      throw new MeshInternalError(`cell ${c} inverted by geometry cleanup (area ${areas[c]})`);
  }
}
