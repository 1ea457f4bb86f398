/**
 * Step 2: the interior points. A hexagonal lattice of spacing h in the grains (equilateral elements, 60°), dropping
 * points closer than 0.55 h_e to any subsegment (so no lattice point sits in a diametral circle: radius ≤ h_e / 2)
 * and points in pores or outside; staggered rings of points in the coating, one per layer.
 */
import { distPointSegment } from '../triangle-geometry.js';
import { StaticGrid } from './grids.js';
import { isSolid, type Refinement } from './refinement.js';
import { segmentBoxes } from './stores.js';
import { cos, sin } from '../../math/portable.js';

export function addInteriorPoints(r: Refinement): void {
  const { input, pts, segs, h, hCoating, R } = r;
  const t = input.coatingThickness_um;
  const grid = StaticGrid.build(segmentBoxes(segs, pts.xy), segs.count, r.far / 4 + h, r.segGridCell);
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
      const radius = R + (k * t) / layers;
      const n = Math.max(4, Math.ceil((angleSpan * radius) / hCoating));
      for (let i = 0; i < n; i++) {
        const ang = angle0 + (angleSpan * (i + (k % 2 === 1 ? 0.5 : 0))) / n;
        const x = radius * cos(ang);
        const y = radius * sin(ang);
        if (!farFromSegments(x, y, 0.55 * hCoating)) continue;
        if (!isSolid(input.labelAt(x, y))) continue;
        pts.add(x, y);
      }
    }
  }
}
