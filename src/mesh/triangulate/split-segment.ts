/**
 * Splitting a subsegment: at its midpoint (arcs: the angular midpoint, the new vertex exactly on the circle), or,
 * next to a small-angle input vertex, at a power-of-two "concentric shell" distance from it, so that splitting
 * terminates next to small input angles. Axis points stay exactly on their axis.
 */
import { MeshInternalError } from '../errors.js';
import { arcSpan, EDGE_ARC_OUTER, EDGE_AXIS_X, EDGE_AXIS_Y, isArcKind } from '../pslg.js';
import type { Refinement } from './refinement.js';
import { asin, atan2, cos, hypot, pow2, roundLog2, sin } from '../../math/portable.js';

/** µm: concentric shells at 2^k µm from a small-angle vertex. */
const SHELL_UNIT = 1;

/** Split subsegment s in two: s keeps its first half, a new subsegment (appended) takes the second. */
export function splitSegment(r: Refinement, s: number): void {
  const { pts, segs, h } = r;
  const a = segs.a[s];
  const b = segs.b[s];
  const ax = pts.xy[2 * a];
  const ay = pts.xy[2 * a + 1];
  const bx = pts.xy[2 * b];
  const by = pts.xy[2 * b + 1];
  const kind = segs.kind[s];
  let p: number;
  const len = hypot(bx - ax, by - ay);
  if (len < 1e-7 * h) {
    // Only crossing or overlapping constraints can drive a split this far: fail loudly instead of looping.
    throw new MeshInternalError(`subsegment near (${ax}, ${ay}) refined below 1e-7 h: constraints cross there`);
  }
  const aSmall = a < r.inputVertexCount && r.smallWedge[a] === 1;
  const bSmall = b < r.inputVertexCount && r.smallWedge[b] === 1;
  // Concentric shells: next to a small-angle input vertex, split at a power-of-two distance from it, so the
  // subsegments on both sides of the small angle end at the same distance and stop encroaching each other.
  const shellDistance = aSmall !== bSmall && len > 0 ? SHELL_UNIT * pow2(roundLog2(len / 2 / SHELL_UNIT)) : -1;
  if (isArcKind(kind)) {
    const radius = kind === EDGE_ARC_OUTER ? r.Rout : r.R;
    const span = arcSpan(ax, ay, bx, by, false);
    let ang = atan2(ay, ax) + span / 2;
    if (shellDistance > 0 && shellDistance < 2 * radius) {
      // Chord d from the small-angle end: angle 2 asin(d / 2r) along the arc.
      const delta = 2 * asin(shellDistance / (2 * radius));
      if (delta > 0 && delta < span) ang = aSmall ? atan2(ay, ax) + delta : atan2(ay, ax) + span - delta;
    }
    p = pts.add(radius * cos(ang), radius * sin(ang));
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
}
