/** Small geometric measures of segments and triangles shared by the mesher, its statistics and the checks. */
import { acos, hypot } from '../math/portable.js';

/** Distance from point p to the segment a–b. */
export function distPointSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  let s = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
  s = Math.max(0, Math.min(1, s));
  return hypot(px - ax - s * dx, py - ay - s * dy);
}

/**
 * Smallest interior angle (rad) of the triangle (a, b, c): the law of cosines at each vertex, on the squared edge
 * lengths. The one min-angle measure of the code (mesh statistics, the triangulator's forced triangles, the
 * structured meshes). When `at` is given, `at.vertex` receives the local index (0, 1, 2) of the vertex where the
 * smallest angle sits (the first one on a tie).
 */
export function minTriangleAngle(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  at?: { vertex: number },
): number {
  const la2 = (bx - cx) * (bx - cx) + (by - cy) * (by - cy);
  const lb2 = (ax - cx) * (ax - cx) + (ay - cy) * (ay - cy);
  const lc2 = (ax - bx) * (ax - bx) + (ay - by) * (ay - by);
  const angle = (opp2: number, s1: number, s2: number) =>
    acos(Math.max(-1, Math.min(1, (s1 + s2 - opp2) / (2 * Math.sqrt(s1 * s2)))));
  const A = angle(la2, lb2, lc2);
  const B = angle(lb2, la2, lc2);
  const C = angle(lc2, la2, lb2);
  const min = Math.min(A, B, C);
  if (at) at.vertex = min === A ? 0 : min === B ? 1 : 2;
  return min;
}
