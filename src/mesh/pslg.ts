/**
 * Planar straight-line graph (PSLG) of the clipped Voronoi polycrystal: welded unique vertices and edges that
 * know the two faces (cells) on their left and right. Arc edges lie on a circle centred at the origin (the outer
 * particle surface at r = R, or the coating's outer surface at r = R + t) and are subdivided along the circle, so
 * every mesh vertex of the polygonal surface lies exactly on the circle.
 *
 * Faces: `0 … cellCount − 1` are Voronoi cells; negative ids are the special faces below.
 */
import { atan2, hypot } from '../math/portable.js';
export const FACE_OUTSIDE = -1;
export const FACE_COATING = -2;

/** Edge kinds: they decide how an edge is subdivided and which boundary lists its pieces land in. */
export const EDGE_INTERIOR = 0; // straight Voronoi edge between two cells
export const EDGE_ARC = 1; // on the particle surface circle r = R
export const EDGE_AXIS_X = 2; // on the symmetry axis x = 0 (quarter)
export const EDGE_AXIS_Y = 3; // on the symmetry axis y = 0 (quarter)
export const EDGE_ARC_OUTER = 4; // on the coating's outer circle r = R + t

/** Vertex constraint flags: a vertex carrying a flag must stay on that curve when the geometry is cleaned. */
export const ON_ARC = 1;
export const ON_AXIS_X = 2;
export const ON_AXIS_Y = 4;
export const ON_ARC_OUTER = 8;

export interface PslgEdge {
  a: number;
  b: number;
  /** Face on the left of a → b (for arcs: the inside of the circle when a → b runs counter-clockwise). */
  left: number;
  right: number;
  kind: number;
}

export interface Pslg {
  xs: number[];
  ys: number[];
  flags: number[];
  edges: PslgEdge[];
  cellCount: number;
}

export function addVertex(g: Pslg, x: number, y: number, flags: number): number {
  g.xs.push(x);
  g.ys.push(y);
  g.flags.push(flags);
  return g.xs.length - 1;
}

export function isArcKind(kind: number): boolean {
  return kind === EDGE_ARC || kind === EDGE_ARC_OUTER;
}

/**
 * Counter-clockwise angular span from vertex a to vertex b on a circle, in (0, 2π]; a = b means the full circle
 * (a single-vertex closed arc, used when no boundary reaches the circle).
 */
export function arcSpan(ax: number, ay: number, bx: number, by: number, sameVertex: boolean): number {
  if (sameVertex) return 2 * Math.PI;
  let d = atan2(by, bx) - atan2(ay, ax);
  while (d <= 0) d += 2 * Math.PI;
  while (d > 2 * Math.PI) d -= 2 * Math.PI;
  return d;
}

/** Length of an edge: chord for straight edges, R·Δθ for arcs. */
export function edgeLength(g: Pslg, e: PslgEdge): number {
  const ax = g.xs[e.a];
  const ay = g.ys[e.a];
  const bx = g.xs[e.b];
  const by = g.ys[e.b];
  if (isArcKind(e.kind)) {
    const r = hypot(ax, ay);
    return r * arcSpan(ax, ay, bx, by, e.a === e.b);
  }
  return hypot(bx - ax, by - ay);
}
