/**
 * Mesh statistics: areas, boundary lengths and the porosity measured in concentric rings.
 *
 * Ring porosity is measured like the reference experiments: void area / particle area inside rings whose radii run
 * from 50 % to 100 % of R (five rings of width R/10). Areas of triangle ∩ annulus are computed exactly with the
 * disk-clipping formula: area(T ∩ disk_r) = Σ_edges signed area of triangle (O, p, q) ∩ disk_r, where each edge is
 * split at its circle crossings and every piece contributes either its triangle cross(p, q)/2 (inside) or its
 * circular sector r² Δφ / 2 (outside).
 */
import { atan2, hypot } from '../math/portable.js';

/** Signed area of triangle (O, A, B) ∩ disk(O, r). */
export function wedgeDiskArea(ax: number, ay: number, bx: number, by: number, r: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const qa = dx * dx + dy * dy;
  const qb = 2 * (ax * dx + ay * dy);
  const qc = ax * ax + ay * ay - r * r;
  const cuts = [0];
  const disc = qb * qb - 4 * qa * qc;
  if (qa > 0 && disc > 0) {
    const sq = Math.sqrt(disc);
    const s0 = (-qb - sq) / (2 * qa);
    const s1 = (-qb + sq) / (2 * qa);
    if (s0 > 0 && s0 < 1) cuts.push(s0);
    if (s1 > 0 && s1 < 1) cuts.push(s1);
  }
  cuts.push(1);
  let area = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const px = ax + cuts[i] * dx;
    const py = ay + cuts[i] * dy;
    const qx = ax + cuts[i + 1] * dx;
    const qy = ay + cuts[i + 1] * dy;
    const sm = (cuts[i] + cuts[i + 1]) / 2;
    const mx = ax + sm * dx;
    const my = ay + sm * dy;
    const cross = px * qy - py * qx;
    if (mx * mx + my * my <= r * r) area += cross / 2;
    else area += (r * r * atan2(cross, px * qx + py * qy)) / 2;
  }
  return area;
}

/** Area of triangle (a, b, c) (counter-clockwise) inside the disk of radius r about the origin. */
export function triangleDiskArea(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  r: number,
): number {
  return wedgeDiskArea(ax, ay, bx, by, r) + wedgeDiskArea(bx, by, cx, cy, r) + wedgeDiskArea(cx, cy, ax, ay, r);
}

export interface RingPorosity {
  r0_um: number;
  r1_um: number;
  porosity: number;
}

/**
 * Porosity by ring from the particle triangles (grains + pores, no coating): `isPore[t]` marks pore triangles.
 * Rings [0.5 R, 0.6 R], …, [0.9 R, R].
 */
export function ringPorosity(
  coords: Float64Array,
  triangles: Uint32Array,
  isPore: Uint8Array,
  radius_um: number,
  ringCount = 5,
): RingPorosity[] {
  const radii: number[] = [];
  for (let k = 0; k <= ringCount; k++) radii.push(radius_um * (0.5 + (0.5 * k) / ringCount));
  const total = new Float64Array(ringCount + 1);
  const pore = new Float64Array(ringCount + 1);
  const triCount = triangles.length / 3;
  const inner = radii[0];
  for (let t = 0; t < triCount; t++) {
    const a = triangles[3 * t];
    const b = triangles[3 * t + 1];
    const c = triangles[3 * t + 2];
    const ax = coords[2 * a];
    const ay = coords[2 * a + 1];
    const bx = coords[2 * b];
    const by = coords[2 * b + 1];
    const cx = coords[2 * c];
    const cy = coords[2 * c + 1];
    const ra = hypot(ax, ay);
    const rb = hypot(bx, by);
    const rc = hypot(cx, cy);
    const rMax = Math.max(ra, rb, rc);
    if (rMax <= inner) continue;
    // A disk of radius r misses the triangle when r < (smallest vertex radius − longest edge) (the triangle lies
    // within one edge length of each vertex) and contains it when r ≥ rMax: only radii in between need clipping.
    const longest = Math.max(hypot(bx - ax, by - ay), hypot(cx - bx, cy - by), hypot(ax - cx, ay - cy));
    const rMissBelow = Math.min(ra, rb, rc) - longest;
    const area = ((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
    // Cumulative area inside each ring radius.
    for (let k = 0; k <= ringCount; k++) {
      const r = radii[k];
      const inside = r >= rMax ? area : r <= rMissBelow ? 0 : triangleDiskArea(ax, ay, bx, by, cx, cy, r);
      total[k] += inside;
      if (isPore[t]) pore[k] += inside;
    }
    // The part beyond the outer ring radius (polygon vertices are on the circle, so none) is ignored.
  }
  const rings: RingPorosity[] = [];
  for (let k = 0; k < ringCount; k++) {
    const area = total[k + 1] - total[k];
    rings.push({ r0_um: radii[k], r1_um: radii[k + 1], porosity: area > 0 ? (pore[k + 1] - pore[k]) / area : 0 });
  }
  return rings;
}
